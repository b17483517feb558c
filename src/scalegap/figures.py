"""The book's figures, drawn with seaborn in one house style.

Each function returns a matplotlib Figure; notebooks display it.  Figures show
aggregates only, and take tables whose small groups are already suppressed.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = {"accepted": "#2a7f62", "rejected": "#c8553d", "pilot": "#3c6e9f", "organisation": "#a9b4c2"}


def use_house_style() -> None:
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 110, "axes.titleweight": "bold"})


def rows_by_table(accounting: pd.DataFrame) -> Figure:
    """Horizontal bars: accepted and rejected rows per export."""
    long = accounting.melt(id_vars="Table", value_vars=["Rows accepted", "Rows rejected"],
                           var_name="Outcome", value_name="Rows")
    long["Outcome"] = long["Outcome"].str.replace("Rows ", "", regex=False)
    fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.55 * len(accounting)))
    sns.barplot(data=long, y="Table", x="Rows", hue="Outcome", palette=PALETTE, ax=ax, orient="h")
    ax.set_xscale("log")
    ax.set_xlabel("Rows (log scale)")
    ax.set_ylabel("")
    ax.set_title("Rows accepted and rejected per export")
    for container in ax.containers:
        ax.bar_label(container, fmt="{:,.0f}", padding=3, fontsize=8)
    fig.tight_layout()
    return fig


def completeness_heatmap(completeness: pd.DataFrame) -> Figure:
    """Share of non-empty values per column, one panel row per table."""
    frame = completeness.copy()
    frame["label"] = frame["table"] + " · " + frame["column"]
    data = frame.set_index("label")[["completeness"]]
    fig, ax = plt.subplots(figsize=(5.5, 0.6 + 0.22 * len(data)))
    sns.heatmap(data, vmin=0, vmax=1, cmap="RdYlGn", annot=True, fmt=".0%", cbar=False, ax=ax,
                annot_kws={"fontsize": 7}, linewidths=0.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticklabels(["Completeness"])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Completeness of each column (accepted rows)")
    fig.tight_layout()
    return fig


def pilot_mix(overview: pd.DataFrame, segment_label: str) -> Figure:
    """Share of the pilot vs share of the organisation in each segment (suppressed groups left out)."""
    shown = overview[~overview["suppressed"]].copy()
    shown["Organisation"] = shown["Headcount"] / shown["Headcount"].sum()
    shown["Pilot"] = shown["Pilot members"].fillna(0) / overview["Pilot members"].fillna(0).sum()
    long = shown.melt(id_vars=segment_label, value_vars=["Pilot", "Organisation"], var_name="Population",
                      value_name="Share")
    fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.45 * len(shown)))
    sns.barplot(data=long, y=segment_label, x="Share", hue="Population", ax=ax, orient="h",
                palette={"Pilot": PALETTE["pilot"], "Organisation": PALETTE["organisation"]})
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylabel("")
    ax.set_title(f"Who was in the pilot, by {segment_label.lower()}")
    fig.tight_layout()
    return fig

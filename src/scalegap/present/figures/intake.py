"""Figures of the data-intake chapter."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from scalegap.present.figures import PALETTE, new_figure


def rows_by_table(accounting: pd.DataFrame) -> Figure:
    """Horizontal bars: accepted and rejected rows per table, the files of a table added up."""
    totals = accounting.groupby("Table", sort=False)[["Rows accepted", "Rows rejected"]].sum().reset_index()
    long = totals.melt(
        id_vars="Table", value_vars=["Rows accepted", "Rows rejected"], var_name="Outcome", value_name="Rows"
    )
    long["Outcome"] = long["Outcome"].str.replace("Rows ", "", regex=False)
    fig, ax = new_figure(7.5, 1.2 + 0.55 * len(totals))
    sns.barplot(errorbar=None, data=long, y="Table", x="Rows", hue="Outcome", palette=PALETTE, ax=ax, orient="h")
    counts = totals[["Rows accepted", "Rows rejected"]].to_numpy()
    positive = counts[counts > 0]
    if positive.size and positive.max() / positive.min() > 50:
        ax.set_xscale("log")
        ax.set_xlabel("Rows (log scale)")
    else:
        ax.set_xlabel("Rows")
    ax.set_ylabel("")
    ax.set_title("Rows accepted and rejected per export")
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:,.0f}", padding=3, fontsize=8)
    return fig


def completeness_by_table(completeness: pd.DataFrame) -> Figure:
    """One row per table, one dot per column: how complete each column is among accepted rows."""
    tables = list(dict.fromkeys(completeness["table"]))
    fig, ax = new_figure(7.5, 1.2 + 0.5 * len(tables))
    for row, table in enumerate(tables):  # columns spread evenly within their row: no random jitter
        values = completeness.loc[completeness["table"] == table, "completeness"].to_numpy()
        offsets = np.linspace(-0.15, 0.15, len(values)) if len(values) > 1 else np.zeros(1)
        ax.scatter(values, row + offsets, s=49, alpha=0.75, color=PALETTE["pilot"])
    ax.set_yticks(range(len(tables)), labels=tables)
    ax.set_ylim(len(tables) - 0.5, -0.5)
    ax.set_xlim(-0.02, 1.04)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("Share of accepted rows with a value (one dot per column)")
    ax.set_ylabel("")
    ax.set_title("Completeness of each column, by export")
    return fig


def pilot_mix(overview: pd.DataFrame, segment_label: str) -> Figure | None:
    """Share of the pilot vs share of the organisation in each segment (suppressed groups left out)."""
    shown = overview[~overview["suppressed"]].copy()
    if shown.empty:
        return None
    shown["Organisation"] = shown["Headcount"] / shown["Headcount"].sum()
    shown["Pilot"] = shown["Pilot members"].fillna(0) / overview["Pilot members"].fillna(0).sum()
    long = shown.melt(
        id_vars=segment_label, value_vars=["Pilot", "Organisation"], var_name="Population", value_name="Share"
    )
    fig, ax = new_figure(7.5, 1.2 + 0.45 * len(shown))
    sns.barplot(
        errorbar=None,
        data=long,
        y=segment_label,
        x="Share",
        hue="Population",
        ax=ax,
        orient="h",
        palette={"Pilot": PALETTE["pilot"], "Organisation": PALETTE["organisation"]},
    )
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylabel("")
    ax.set_title(f"Who was in the pilot, by {segment_label.lower()}")
    return fig

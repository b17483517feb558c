"""Figures of the data-intake chapter."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from scalegap.present.figures import PALETTE, lacks, legend_on_top, new_figure

OUTCOMES = ("Rows accepted", "Rows superseded", "Rows rejected")


def rows_by_table(accounting: pd.DataFrame) -> Figure:
    """Horizontal bars, one group per table (its files added up): rows accepted, superseded and rejected, as totals."""
    shown = [column for column in OUTCOMES if column in accounting and accounting[column].sum() > 0]
    totals = accounting.groupby("Table", sort=False)[shown].sum()
    fig, ax = new_figure(7.5, 1.2 + 0.22 * len(totals) * len(shown))
    height = 0.8 / len(shown)
    colours = {"Rows accepted": PALETTE["accepted"], "Rows superseded": PALETTE["organisation"]}
    for number, column in enumerate(shown):
        positions = np.arange(len(totals)) + (number - (len(shown) - 1) / 2) * height
        bars = ax.barh(
            positions,
            totals[column].to_numpy(),
            height=height,
            color=colours.get(column, PALETTE["rejected"]),
            label=column.removeprefix("Rows "),
        )
        ax.bar_label(bars, labels=[f"{value:,.0f}" if value else "" for value in totals[column]], padding=3, fontsize=8)
    ax.set_yticks(range(len(totals)), labels=list(totals.index))
    ax.set_ylim(len(totals) - 0.5, -0.5)
    counts = totals.to_numpy()
    positive = counts[counts > 0]
    if positive.size and positive.max() / positive.min() > 50:
        ax.set_xscale("log")
        ax.set_xlim(0.8, positive.max() * 4)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("Rows (log scale)")
    else:
        ax.set_xlabel("Rows")
    ax.set_ylabel("")
    ax.set_title("Rows accepted, superseded and rejected per table")
    legend_on_top(ax, len(shown))
    return fig


def rows_alt(accounting: pd.DataFrame) -> str:
    """The figure's alt text: what it shows and its headline numbers."""
    if lacks(accounting, "Rows read", "Rows accepted", "Rows rejected"):
        return "Bar chart of rows accepted, superseded and rejected per table."
    read, accepted = int(accounting["Rows read"].sum()), int(accounting["Rows accepted"].sum())
    superseded = int(accounting.get("Rows superseded", pd.Series(dtype=int)).sum())
    return (
        f"Bar chart of rows accepted, superseded and rejected per table; {accepted:,} of {read:,} rows read were "
        f"accepted, {superseded:,} superseded by later copies, {int(accounting['Rows rejected'].sum()):,} rejected."
    )


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


def completeness_alt(completeness: pd.DataFrame) -> str:
    """The completeness figure's alt text: what it shows, and how many columns are under 99 % complete."""
    if lacks(completeness, "table", "column", "completeness"):
        return "Dot chart of how complete each column is, one row per table."
    gaps = completeness[completeness["completeness"] < 0.99]
    worst = gaps.sort_values("completeness", kind="stable").head(1)
    where = (
        f"; the least complete is {worst['table'].iloc[0]} · {worst['column'].iloc[0]} at "
        f"{worst['completeness'].iloc[0]:.0%}"
        if len(worst)
        else ""
    )
    return (
        f"Dot chart of how complete each column is, one row per table; {len(gaps)} of {len(completeness)} "
        f"columns are under 99 % complete{where}."
    )


def pilot_mix_alt(overview: pd.DataFrame, segment_label: str) -> str:
    """The pilot-mix figure's alt text: the segment most over-represented in the pilot."""
    if lacks(overview, "suppressed", "Pilot members", "Headcount", segment_label):
        return f"Bar chart of each {segment_label.lower()}'s share of the pilot and of the organisation."
    shown = overview[~overview["suppressed"]]
    if shown.empty or not shown["Pilot members"].fillna(0).sum():
        return f"Bar chart of each {segment_label.lower()}'s share of the pilot and of the organisation."
    pilot = shown["Pilot members"].fillna(0) / overview["Pilot members"].fillna(0).sum()
    organisation = shown["Headcount"] / shown["Headcount"].sum()
    top = (pilot - organisation).idxmax()
    return (
        f"Bar chart of each {segment_label.lower()}'s share of the pilot and of the organisation; "
        f"{shown.loc[top, segment_label]} is {pilot[top]:.0%} of the pilot against {organisation[top]:.0%} "
        "of the organisation."
    )

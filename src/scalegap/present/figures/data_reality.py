"""Figures of the data-reality chapter: effect per task by data-quality tier, the record mix, the realistic effect.

Each takes the chapter's table with small groups already suppressed (blank figures are left out) and returns
None when there is nothing left to draw.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from scalegap.number_format import interval_label
from scalegap.present.figures import PALETTE, lacks, legend_on_top, new_figure, values_alt
from scalegap.vocabulary import EVERYONE_ELSE as OUTSIDE_GROUP
from scalegap.vocabulary import PILOT_MEMBERS as PILOT_GROUP

GROUP_COLOURS = {PILOT_GROUP: PALETTE["pilot"], OUTSIDE_GROUP: "#d08c3a"}
USED_COLOURS = {
    "Stands for the pilot": PALETTE["pilot"],
    "Stands for production": "#d08c3a",
    "Not used": PALETTE["organisation"],
}


def interval_bars(ax: matplotlib.axes.Axes, frame: pd.DataFrame, y: np.ndarray, colour: str, label: str) -> None:
    """Points at ``Effect per task`` with horizontal bars from ``Low`` to ``High``."""
    x = frame["Effect per task"].to_numpy(float)
    errors = np.vstack([x - frame["Low"].to_numpy(float), frame["High"].to_numpy(float) - x])
    ax.errorbar(
        x,
        y,
        xerr=np.clip(errors, 0, None),
        fmt="o",
        color=colour,
        ecolor=colour,
        elinewidth=2,
        capsize=4,
        markersize=8,
        label=label,
    )


def tier_effects(table: pd.DataFrame, unit: str, *, interval: float) -> Figure | None:
    """Effect per task on clean and messy records, pilot members vs outside the pilot, with intervals of level
    ``interval``."""
    shown = table[table["Effect per task"].notna()]
    if shown.empty:
        return None
    tiers = list(dict.fromkeys(table["Tier"]))
    fig, ax = new_figure(7.5, 1.6 + 0.8 * len(tiers))
    for offset, group in zip((-0.12, 0.12), (PILOT_GROUP, OUTSIDE_GROUP)):
        part = shown[shown["Group"] == group]
        if len(part):
            y = np.array([tiers.index(t) for t in part["Tier"]]) + offset
            interval_bars(ax, part, y, GROUP_COLOURS[group], group)
    for _, row in table[table["Effect per task"].isna()].iterrows():
        offset = -0.12 if row["Group"] == PILOT_GROUP else 0.12
        ax.annotate(
            f"{row['Group']}: not shown",
            (0, tiers.index(row["Tier"]) + offset),
            fontsize=8,
            color="#555555",
            xytext=(4, -3),
            textcoords="offset points",
        )
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_yticks(range(len(tiers)), [f"{t} records" for t in tiers])
    ax.set_ylim(len(tiers) - 0.5, -0.5)
    ax.set_xlabel(f"Effect per task ({unit}), with {interval_label(interval)}")
    ax.set_title("Effect per task on clean and messy records")
    legend_on_top(ax, 2)
    return fig


def record_mix(table: pd.DataFrame) -> Figure | None:
    """Messy share of the records: the pilot's, outside the pilot, and the declared production share."""
    shown = table[table["Messy share"].notna()].copy()
    if shown.empty:
        return None
    roles = {
        "the pilot": "Stands for the pilot",
        "the pilot and production": "Stands for the pilot",
        "production": "Stands for production",
    }
    shown["Role"] = shown["Stands for"].map(roles).fillna("Not used")
    fig, ax = new_figure(7.5, 1.4 + 0.55 * len(shown))
    sns.barplot(
        errorbar=None,
        data=shown,
        y="Records",
        x="Messy share",
        hue="Role",
        palette=USED_COLOURS,
        dodge=False,
        ax=ax,
        orient="h",
    )
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:.0%}", padding=3, fontsize=9)
    ax.set_xlim(0, max(1.0, float(shown["Messy share"].max()) * 1.15))
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("Share of records that are messy")
    ax.set_ylabel("")
    ax.set_title("The record mix: pilot vs production")
    legend_on_top(ax, 3)
    return fig


def realistic_effect(table: pd.DataFrame, unit: str, digits: int = 1, *, interval: float) -> Figure | None:
    """The pilot's effect per task on clean records, at its own record mix and at production's, with intervals."""
    shown = table[table["Effect per task"].notna()]
    if shown.empty:
        return None
    colours = [PALETTE["organisation"], PALETTE["pilot"], GROUP_COLOURS[OUTSIDE_GROUP]][: len(shown)]
    fig, ax = new_figure(7.5, 1.4 + 0.6 * len(shown))
    sns.barplot(
        errorbar=None,
        data=shown,
        y="Estimate",
        x="Effect per task",
        hue="Estimate",
        palette=colours,
        ax=ax,
        orient="h",
        legend=False,
    )
    x = shown["Effect per task"].to_numpy(float)
    errors = np.clip(np.vstack([x - shown["Low"].to_numpy(float), shown["High"].to_numpy(float) - x]), 0, None)
    ax.errorbar(x, np.arange(len(shown)), xerr=errors, fmt="none", ecolor="#333333", elinewidth=1.5, capsize=4)
    for y, value in enumerate(x):
        ax.annotate(
            f"{value:,.{digits}f}",
            (0, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color="white",
            fontweight="bold",
        )
    ax.set_xlabel(f"Effect per task ({unit}), with {interval_label(interval)}")
    ax.set_ylabel("")
    ax.set_title("The effect per task at the pilot's record mix and at production's")
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def tier_effects_alt(table: pd.DataFrame, unit: str) -> str:
    """Each group's effect per task on each tier."""
    if lacks(table, "Group", "Tier", "Effect per task"):
        return f"Dot chart of the effect per task ({unit}) on clean and messy records."
    named = table.assign(Name=table["Group"] + " on " + table["Tier"].astype(str).str.lower() + " records")
    return values_alt(
        f"Dot chart of the effect per task ({unit}) on clean and messy records", named, "Name", "Effect per task"
    )


def record_mix_alt(table: pd.DataFrame) -> str:
    """The messy share of each kind of record."""
    if lacks(table, "Records", "Messy share"):
        return "Bar chart of the share of messy records, pilot against production."
    return values_alt(
        "Bar chart of the share of messy records, pilot against production", table, "Records", "Messy share", "{:.0%}"
    )


def realistic_effect_alt(table: pd.DataFrame, unit: str, digits: int = 1) -> str:
    """The effect per task at each record mix."""
    return values_alt(
        f"Bar chart of the effect per task ({unit}) at the pilot's record mix and at production's",
        table,
        "Estimate",
        "Effect per task",
        f"{{:,.{digits}f}}",
    )

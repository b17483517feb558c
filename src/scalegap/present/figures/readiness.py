"""Figures of the readiness chapter.

Each takes a table from :mod:`scalegap.models.readiness` whose small groups are already suppressed, leaves the
suppressed rows out, and says so under the figure.  None when nothing can be shown.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scalegap.number_format import interval_label
from scalegap.present.figures import PALETTE, lacks, legend_on_top, new_figure
from scalegap.privacy import SUPPRESSED
from scalegap.vocabulary import EVERYONE_ELSE as REST
from scalegap.vocabulary import PILOT_MEMBERS as PILOT
from scalegap.vocabulary import WHOLE_ORGANISATION as ORGANISATION

GROUP_COLOURS = {PILOT: PALETTE["pilot"], REST: "#7d8a99", ORGANISATION: "#2f3b48"}


def suppression_caption(figure: Figure, hidden: int, minimum: int) -> None:
    """A line under the figure saying whether groups were left out for privacy."""
    text = (
        f"{hidden} group(s) not shown, to protect groups with fewer than {minimum} respondents (minimum group size)."
        if hidden
        else f"Every group has at least {minimum} respondents (minimum group size)."
    )
    figure.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#555555")


def interval_dots(
    ax: Axes, frame: pd.DataFrame, y: np.ndarray, value: str, colour: str, name: str, marker: str = "o"
) -> None:
    """Dots at ``value`` with horizontal interval whiskers."""
    ax.hlines(y, frame["Interval low"], frame["Interval high"], color=colour, linewidth=2, alpha=0.8)
    ax.scatter(frame[value], y, color=colour, s=45, zorder=3, marker=marker, label=name)


def construct_profile(profile: pd.DataFrame, minimum: int, *, interval: float) -> Figure | None:
    """Per construct: pilot members' and everyone else's mean score (0–100) with intervals of level ``interval``."""
    shown = profile[~profile[SUPPRESSED] & profile["Group"].isin([PILOT, REST])]
    if shown.empty:
        return None
    constructs = list(dict.fromkeys(profile["Construct"]))
    fig, ax = new_figure(7.5, 1.4 + 0.55 * len(constructs))
    for offset, group in ((-0.12, PILOT), (0.12, REST)):
        rows = shown[shown["Group"] == group]
        y = np.array([constructs.index(c) for c in rows["Construct"]]) + offset
        interval_dots(ax, rows, y, "Score", GROUP_COLOURS[group], group)
    ax.set_yticks(range(len(constructs)), constructs)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Mean construct score (0 = least ready, 100 = most ready), with {interval_label(interval)}")
    ax.set_title("Construct scores: pilot members and everyone else")
    legend_on_top(ax, 2)
    hidden = profile[profile[SUPPRESSED] & profile["Group"].isin([PILOT, REST])]
    suppression_caption(fig, hidden["Group"].nunique(), minimum)
    return fig


def index_distribution(distribution: pd.DataFrame, minimum: int) -> Figure | None:
    """Share of respondents in each 10-point band of the readiness index, pilot vs everyone else."""
    shown = distribution[~distribution[SUPPRESSED]]
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 3.6)
    palette = {group: GROUP_COLOURS[group] for group in shown["Group"].unique()}
    sns.barplot(errorbar=None, data=shown, x="Band", y="Share", hue="Group", palette=palette, ax=ax)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Readiness index band (0 = least ready, 100 = most ready)")
    ax.set_ylabel("Share of the group's respondents")
    ax.set_title("How readiness is spread: pilot members and everyone else")
    legend_on_top(ax, 2)
    hidden = distribution.loc[distribution[SUPPRESSED], "Group"].nunique()
    suppression_caption(fig, hidden, minimum)
    return fig


def segment_means(
    table: pd.DataFrame, segment_label: str, organisation_index: float | None, minimum: int, *, interval: float
) -> Figure | None:
    """Readiness index per group of one segment with intervals of level ``interval``; low-response groups
    marked."""
    shown = table[table["Readiness index"].notna()].reset_index(drop=True)
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 1.4 + 0.42 * len(shown))
    low = shown["Note"].str.startswith("low response")
    y = np.arange(len(shown))
    interval_dots(
        ax,
        shown[~low],
        y[~low.to_numpy()],
        "Readiness index",
        PALETTE["pilot"],
        f"Group mean with {interval_label(interval)}",
    )
    if low.any():
        interval_dots(
            ax,
            shown[low],
            y[low.to_numpy()],
            "Readiness index",
            PALETTE["rejected"],
            "Low response: read with care",
            marker="D",
        )
    if organisation_index is not None:
        ax.axvline(
            organisation_index,
            color=GROUP_COLOURS[ORGANISATION],
            linestyle="--",
            linewidth=1,
            label=f"Whole organisation ({organisation_index:.1f})",
        )
    ax.set_yticks(y, shown[segment_label])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"Readiness index (0–100), mean with {interval_label(interval)}")
    ax.set_title(f"Readiness by {segment_label.lower()}")
    legend_on_top(ax, 3)
    suppression_caption(fig, len(table) - len(shown), minimum)
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def index_distribution_alt(distribution: pd.DataFrame) -> str:
    """The band holding most of each group's respondents."""
    if lacks(distribution, SUPPRESSED, "Group", "Band", "Share"):
        return "Bar chart of how the readiness index (0–100) is spread, pilot members and everyone else."
    shown = distribution[~distribution[SUPPRESSED]]
    peaks = [
        f"{group.lower()}, {rows.loc[rows['Share'].idxmax(), 'Band']} ({rows['Share'].max():.0%})"
        for group, rows in shown.groupby("Group", sort=False)
    ]
    text = "Bar chart of how the readiness index (0–100) is spread, pilot members and everyone else"
    return text + (f"; the most common band for {' and for '.join(peaks)}." if peaks else ".")


def construct_profile_alt(profile: pd.DataFrame) -> str:
    """The construct where the pilot and everyone else differ most."""
    if lacks(profile, SUPPRESSED, "Group", "Construct", "Score"):
        return "Dot chart of each survey construct's mean score (0–100), pilot members against everyone else."
    shown = profile[~profile[SUPPRESSED] & profile["Group"].isin([PILOT, REST])]
    wide = shown.pivot_table(index="Construct", columns="Group", values="Score", sort=False)
    text = "Dot chart of each survey construct's mean score (0–100), pilot members against everyone else"
    if {PILOT, REST} <= set(wide.columns) and wide[[PILOT, REST]].notna().all(axis=1).any():
        gaps = (wide[PILOT] - wide[REST]).dropna()
        widest = gaps.abs().idxmax()
        text += (
            f"; the widest gap is {widest}: pilot members {wide.loc[widest, PILOT]:.1f} against "
            f"{wide.loc[widest, REST]:.1f}"
        )
    return text + "."


def segment_means_alt(table: pd.DataFrame, segment_label: str, organisation_index: float | None) -> str:
    """The most and the least ready group of the segment, and the organisation's index."""
    text = f"Dot chart of the readiness index (0–100) by {segment_label.lower()}"
    shown = (
        table.iloc[0:0] if lacks(table, "Readiness index", segment_label) else table[table["Readiness index"].notna()]
    )
    if len(shown):
        top = shown.loc[shown["Readiness index"].idxmax()]
        low = shown.loc[shown["Readiness index"].idxmin()]
        text += (
            f"; highest {top[segment_label]} ({top['Readiness index']:.1f}), lowest {low[segment_label]} "
            f"({low['Readiness index']:.1f})"
        )
    if organisation_index is not None:
        text += f"; whole organisation {organisation_index:.1f}"
    return text + "."

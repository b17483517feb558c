"""Figures of the support-model chapter.

Each takes a table from :mod:`scalegap.models.support` whose small groups are already suppressed, leaves the
suppressed rows out, and says so under the figure.  None when nothing can be shown.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from scalegap import number_format as nf
from scalegap.models.support import RATE
from scalegap.number_format import interval_label
from scalegap.present.figures import PALETTE, lacks, new_figure, values_alt
from scalegap.privacy import SUPPRESSED
from scalegap.vocabulary import PILOT_MEMBERS as PILOT

PROJECTED = "#b5702b"
OBSERVED_OTHERS = "#7d8a99"


def suppression_caption(figure: Figure, hidden: int, minimum: int, unit: str = "people") -> None:
    """A line under the figure saying whether groups were left out for privacy."""
    text = (
        f"{hidden} group(s) not shown, to protect groups with fewer than {minimum} {unit} (minimum group size)."
        if hidden
        else f"Every group shown has at least {minimum} {unit} (minimum group size)."
    )
    figure.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#555555")


def interval_bars(ax: Axes, frame: pd.DataFrame, label_column: str, value: str, colours: list[str]) -> None:
    """Horizontal bars at ``value`` with interval whiskers, labelled with their value."""
    y = np.arange(len(frame))
    ax.barh(y, frame[value], color=colours, alpha=0.85)
    ax.errorbar(
        frame[value],
        y,
        xerr=[frame[value] - frame["Interval low"], frame["Interval high"] - frame[value]],
        fmt="none",
        ecolor="#2f3b48",
        elinewidth=1.4,
        capsize=4,
    )
    for position, (number, high) in enumerate(zip(frame[value], frame["Interval high"])):
        ax.text(high, position, f"  {number:.1f}", va="center", fontsize=8)
    ax.set_yticks(y, frame[label_column])
    ax.invert_yaxis()


def ticket_rates(comparison: pd.DataFrame, minimum: int, *, interval: float) -> Figure | None:
    """Tickets per 100 active users per week: observed in the pilot and after it, projected for production."""
    shown = comparison[~comparison[SUPPRESSED]].reset_index(drop=True)
    if shown.empty:
        return None
    colours = [
        PALETTE["pilot"]
        if name.startswith(PILOT) and "observed" in name
        else OBSERVED_OTHERS
        if "observed" in name
        else PROJECTED
        for name in shown["Rate"]
    ]
    fig, ax = new_figure(7.5, 1.3 + 0.5 * len(shown))
    interval_bars(ax, shown, "Rate", RATE, colours)
    ax.set_xlim(0, shown["Interval high"].max() * 1.2)
    ax.set_xlabel(f"Tickets per 100 active users per week, with {interval_label(interval)}")
    ax.set_title("Ticket rate: observed and projected")
    suppression_caption(fig, int(comparison[SUPPRESSED].sum()), minimum)
    return fig


def rate_by_readiness(table: pd.DataFrame, minimum: int) -> Figure | None:
    """Observed ticket rate per readiness band (people with use and a readiness index)."""
    shown = table[~table[SUPPRESSED]]
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 3.4)
    sns.barplot(
        errorbar=None,
        data=shown,
        x="Readiness band",
        y=RATE,
        color=PALETTE["pilot"],
        ax=ax,
        order=list(table["Readiness band"]),
    )
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:.1f}", padding=3, fontsize=8)
    ax.set_xlabel("Readiness index band (0 = least ready, 100 = most ready)")
    ax.set_ylabel("Tickets per 100 active users per week")
    ax.set_title("Ticket rate by readiness")
    suppression_caption(fig, int(table[SUPPRESSED].sum()), minimum)
    return fig


def response_times(times: pd.DataFrame, target_minutes: float, minimum: int) -> Figure | None:
    """Median and 90th percentile hours to first response per support channel, against the target."""
    shown = times[~times[SUPPRESSED]]
    if shown.empty or shown["With a first response"].fillna(0).sum() == 0:
        return None
    long = shown.melt(
        id_vars="Support channel",
        value_vars=["Median hours to first response", "90th percentile (first response)"],
        var_name="Measure",
        value_name="Hours",
    )
    long["Measure"] = long["Measure"].map(
        {"Median hours to first response": "Median", "90th percentile (first response)": "90th percentile"}
    )
    fig, ax = new_figure(7.5, 1.6 + 0.7 * len(shown))
    sns.barplot(
        errorbar=None,
        data=long,
        y="Support channel",
        x="Hours",
        hue="Measure",
        orient="h",
        ax=ax,
        palette={"Median": PALETTE["pilot"], "90th percentile": OBSERVED_OTHERS},
    )
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:.1f} h", padding=3, fontsize=8)
    ax.axvline(
        target_minutes / 60,
        color=PALETTE["rejected"],
        linestyle="--",
        linewidth=1.2,
        label=f"Target ({target_minutes:g} min)",
    )
    ax.set_xscale("log")
    ax.set_xlim(min(long["Hours"].min(), target_minutes / 60) / 2, long["Hours"].max() * 4)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("Hours from ticket to first response (clock time, log scale)")
    ax.set_ylabel("")
    ax.set_title("How fast tickets got a first response", pad=24)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize=8, frameon=False)
    suppression_caption(fig, int(times[SUPPRESSED].sum()), minimum)
    return fig


def projected_tickets(table: pd.DataFrame, segment_label: str, minimum: int, *, interval: float) -> Figure | None:
    """Projected tickets per week at full rollout per segment value, with intervals of level ``interval``."""
    shown = table[table["Tickets per week"].notna()].reset_index(drop=True)
    if shown.empty:
        return None
    colours = [PROJECTED if own == "yes" else OBSERVED_OTHERS for own in shown["Own estimate"]]
    fig, ax = new_figure(7.5, 1.4 + 0.45 * len(shown))
    interval_bars(ax, shown, segment_label, "Tickets per week", colours)
    ax.set_xlim(0, shown["Interval high"].max() * 1.2)
    ax.set_xlabel(
        f"Tickets per week at full rollout, with {interval_label(interval)} (grey: no own estimate, extrapolated)"
    )
    ax.set_title(f"Projected tickets per week by {segment_label.lower()}")
    suppression_caption(fig, int(table["Tickets per week"].isna().sum()), minimum)
    return fig


def staffing_curve(
    curve: pd.DataFrame, current_agents: float, break_share: float | None, pilot_share: float | None, *, interval: float
) -> Figure | None:
    """Agents needed (full-time equivalents, with their interval band) against rollout share, with the current desk."""
    if curve.empty:
        return None
    fig, ax = new_figure(7.5, 4.6)
    x = curve["Rollout share"]
    top = max(curve["Agents needed high"].max(), current_agents) * 1.15
    ax.fill_between(
        x,
        curve["Agents needed low"],
        curve["Agents needed high"],
        color=PROJECTED,
        alpha=0.2,
        label=interval_label(interval),
    )
    sns.lineplot(
        errorbar=None, x=x, y=curve["Agents needed (FTE)"], color=PROJECTED, ax=ax, label="Agents needed (FTE)"
    )
    ax.axhline(
        current_agents,
        color=PALETTE["rejected"],
        linestyle="--",
        linewidth=1.3,
        label=f"Current desk: {current_agents:g} FTE",
    )
    if break_share is not None:
        ax.axvline(break_share, color=PALETTE["rejected"], linestyle=":", linewidth=1.2)
        ax.annotate(
            f"from {nf.share(break_share)} of the organisation,\nthe current desk misses the target",
            (break_share, current_agents),
            xytext=(min(break_share + 0.12, 0.6), current_agents + 0.45 * top),
            fontsize=8,
            color=PALETTE["rejected"],
            arrowprops={"arrowstyle": "->", "color": PALETTE["rejected"]},
        )
    if pilot_share is not None:
        ax.axvline(pilot_share, color=PALETTE["pilot"], linestyle=":", linewidth=1.2)
        ax.annotate(
            f"the pilot ({nf.share(pilot_share)}): tickets\nanswered by the build team",
            (pilot_share, 0.93 * top),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=8,
            color=PALETTE["pilot"],
            va="top",
        )
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, top)
    ax.set_xlabel("Rollout size: share of the organisation with access")
    ax.set_ylabel("Support agents needed (FTE)")
    ax.set_title("Service-desk agents needed as the rollout grows")
    ax.legend(loc="lower right", fontsize=8)
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def ticket_rates_alt(comparison: pd.DataFrame) -> str:
    """Each observed and projected ticket rate."""
    if lacks(comparison, SUPPRESSED, "Rate", RATE):
        return "Bar chart of tickets per 100 active users per week, observed and projected."
    shown = comparison[~comparison[SUPPRESSED]]
    return values_alt("Bar chart of tickets per 100 active users per week, observed and projected", shown, "Rate", RATE)


def rate_by_readiness_alt(table: pd.DataFrame) -> str:
    """The ticket rate of each readiness band."""
    if lacks(table, SUPPRESSED, "Readiness band", RATE):
        return "Bar chart of tickets per 100 active users per week by readiness band."
    shown = table[~table[SUPPRESSED]]
    return values_alt(
        "Bar chart of tickets per 100 active users per week by readiness band", shown, "Readiness band", RATE
    )


def response_times_alt(times: pd.DataFrame, target_minutes: float) -> str:
    """The median hours to a first response per channel, against the target."""
    if lacks(times, SUPPRESSED, "Support channel", "Median hours to first response"):
        return (
            f"Bar chart of hours to a first response per support channel against a target of {target_minutes / 60:g} h."
        )
    shown = times[~times[SUPPRESSED]]
    return values_alt(
        f"Bar chart of hours to a first response per support channel against a target of {target_minutes / 60:g} h; "
        "median hours",
        shown,
        "Support channel",
        "Median hours to first response",
    )


def projected_tickets_alt(table: pd.DataFrame, segment_label: str) -> str:
    """The projected tickets per week of each segment value, most first."""
    if lacks(table, "Tickets per week", segment_label):
        return f"Bar chart of projected tickets per week at full rollout by {segment_label.lower()}."
    ordered = table.sort_values("Tickets per week", ascending=False, kind="stable")
    return values_alt(
        f"Bar chart of projected tickets per week at full rollout by {segment_label.lower()}, with intervals",
        ordered,
        segment_label,
        "Tickets per week",
    )


def staffing_curve_alt(curve: pd.DataFrame, current_agents: float, break_share: float | None) -> str:
    """Agents needed at full rollout against the current desk, and where the desk stops coping."""
    if lacks(curve, "Rollout share", "Agents needed (FTE)"):
        return "Line chart of service-desk agents needed as the rollout grows."
    full = curve.sort_values("Rollout share", kind="stable").iloc[-1]
    text = (
        f"Line chart of service-desk agents needed as the rollout grows; {full['Agents needed (FTE)']:.1f} FTE at "
        f"{full['Rollout share']:.0%} of the organisation against a current desk of {current_agents:g}"
    )
    if break_share is not None:
        text += f"; the current desk misses its target from {break_share:.0%} of the organisation"
    return text + "."

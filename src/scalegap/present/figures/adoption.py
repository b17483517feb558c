"""Figures of the adoption chapter.

Each takes a table from :mod:`scalegap.models.adoption` whose small groups are already suppressed, leaves the
suppressed rows out, and says so under the figure.  None when nothing can be shown.
"""

from __future__ import annotations

import textwrap

import matplotlib
import matplotlib.dates
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from scalegap import number_format as nf
from scalegap.models.adoption.categories import CATEGORIES, NON_ADOPTERS
from scalegap.models.adoption.demographic_cliff import DIFFUSION, EXTRAPOLATION
from scalegap.models.adoption.usage import INTENSITY_BANDS
from scalegap.number_format import interval_label
from scalegap.present.figures import PALETTE, blank_figure, lacks, legend_on_top, new_figure
from scalegap.vocabulary import PILOT_COHORT as PILOT
from scalegap.vocabulary import ROLLOUT_COHORT as ROLLOUT
from scalegap.vocabulary import WHOLE_ORGANISATION as ORGANISATION

COHORT_COLOURS = {PILOT: PALETTE["pilot"], ROLLOUT: "#d08c2e"}
FORECAST = "#2f3b48"
BAND_COLOURS = dict(zip(INTENSITY_BANDS, ["#e3e7ec", "#b9d3e6", "#6d9fc8", "#2f5f8f"]))
CATEGORY_COLOURS = {
    **dict(zip([name for name, _ in CATEGORIES], sns.color_palette("crest", len(CATEGORIES)))),
    NON_ADOPTERS: "#d9dde3",
}
PERCENT = matplotlib.ticker.PercentFormatter(1.0, decimals=0)


def caption(figure: Figure, text: str) -> None:
    """A note under the figure (what it leaves out, how to read it), wrapped to the figure's width."""
    figure.supxlabel(textwrap.fill(text, 120), x=0.01, ha="left", fontsize=8, color="#555555")


def privacy_text(hidden: int, minimum: int, what: str = "group(s)") -> str:
    return (
        f"{hidden} {what} not shown, to protect groups of fewer than {minimum} people (minimum group size)."
        if hidden
        else f"Every group shown has at least {minimum} people (minimum group size)."
    )


def weekly_active_users(weekly: pd.DataFrame, minimum: int) -> Figure | None:
    """Per cohort and week: weekly active users (solid) and people with access (dotted)."""
    shown = weekly[weekly["People with access"] >= minimum]
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 3.6)
    for cohort, rows in shown.groupby("Cohort", sort=False):
        colour = COHORT_COLOURS.get(cohort, FORECAST)
        ax.plot(
            rows["Week"],
            rows["Weekly active users"],
            color=colour,
            linewidth=2,
            marker="o",
            markersize=3,
            label=f"{cohort}: weekly active users",
        )
        ax.step(
            rows["Week"],
            rows["People with access"],
            where="post",
            color=colour,
            linestyle=":",
            linewidth=1.2,
            label=f"{cohort}: people with access",
        )
    ax.set_ylim(bottom=0)
    ax.set_ylabel("People")
    ax.set_xlabel("")
    ax.set_title("Weekly active users, by cohort")
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    legend_on_top(ax, 2)
    hidden = weekly.loc[weekly["People with access"] < minimum, "Cohort"].nunique()
    caption(
        fig,
        privacy_text(hidden, minimum, "cohort-week(s)")
        if hidden
        else "A person is active in a week with at least one active day (ISO weeks, Monday to Sunday).",
    )
    return fig


def retention_curves(curves: pd.DataFrame, minimum: int) -> Figure | None:
    """Per cohort: share of people active in their first week who are still active in week N of access."""
    small = (curves["starters"] < minimum) | ((curves["still_active"] > 0) & (curves["still_active"] < minimum))
    shown = curves[~small]
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 3.4)
    for group, rows in shown.groupby("group", sort=False):
        ax.plot(
            rows["week"],
            rows["retention"],
            marker="o",
            markersize=3,
            linewidth=2,
            color=COHORT_COLOURS.get(group, FORECAST),
            label=group,
        )
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Week of access (week 1 = the week access began)")
    ax.set_ylabel("Still active")
    ax.set_title("Retention: of those active in week 1, the share active in week N")
    legend_on_top(ax, max(1, shown["group"].nunique()))
    caption(fig, privacy_text(int(small.sum()), minimum, "week point(s)"))
    return fig


def intensity_mix(mix: pd.DataFrame, thresholds: list[float]) -> Figure | None:
    """Per cohort, the share of people with access in each intensity band, week by week (stacked)."""
    if mix.empty:
        return None
    cohorts = list(dict.fromkeys(mix["Cohort"]))
    fig = blank_figure(7.5, 3.4)
    axes = np.atleast_1d(fig.subplots(1, len(cohorts), sharey=True))
    for ax, cohort in zip(axes, cohorts):
        table = (
            mix[mix["Cohort"] == cohort]
            .pivot_table(index="Week", columns="Band", values="Share", aggfunc="sum")
            .reindex(columns=list(INTENSITY_BANDS))
        )
        table = table.fillna(0.0)
        ax.stackplot(
            table.index,
            *[table[band] for band in reversed(INTENSITY_BANDS)],
            colors=[BAND_COLOURS[band] for band in reversed(INTENSITY_BANDS)],
            labels=list(reversed(INTENSITY_BANDS)),
        )
        ax.set_title(cohort, fontsize=10)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator())
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b"))
    axes[0].set_ylabel("Share of people with access")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles[::-1],
        labels[::-1],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
        frameon=False,
        title=f"Active days that week: light from {thresholds[0]:g}, moderate from {thresholds[1]:g}, "
        f"heavy from {thresholds[2]:g}",
        title_fontsize=8,
    )
    fig.suptitle("Usage intensity, week by week", fontweight="bold")
    return fig


def adoption_curves(curves: pd.DataFrame) -> Figure | None:
    """Per fitted cohort: observed cumulative adoption (dots) and the Bass curve (line), by week from start."""
    if curves.empty:
        return None
    fig, ax = new_figure(7.5, 3.6)
    for cohort, rows in curves.groupby("Cohort", sort=False):
        colour = COHORT_COLOURS.get(cohort.split(":")[0], FORECAST)
        ax.plot(rows["Week"], rows["Fitted"], color=colour, linewidth=2, label=f"{cohort}: Bass curve")
        seen = rows.dropna(subset=["Observed"])
        ax.scatter(seen["Week"], seen["Observed"], color=colour, s=16, zorder=3, label=f"{cohort}: observed")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Weeks since the cohort's access began")
    ax.set_ylabel("Reached sustained use")
    ax.set_title("Adoption over time: observed and the fitted diffusion curve")
    legend_on_top(ax, 2)
    caption(fig, "Dots stop where adoption can no longer be confirmed; the line beyond them is the forecast.")
    return fig


def category_comparison(comparison: pd.DataFrame) -> Figure | None:
    """Stacked bars: expected shares of pilot members and of the workforce in each adopter category."""
    shown = comparison.dropna(subset=["Pilot members"])
    if shown.empty:
        return None
    fig, ax = new_figure(7.5, 2.4)
    groups = ["Whole workforce", "Pilot members"]
    left = np.zeros(len(groups))
    for _, row in shown.iterrows():
        values = row[groups].to_numpy(dtype=float)
        ax.barh(groups, values, left=left, color=CATEGORY_COLOURS[row["Category"]], label=row["Category"])
        for y, (start, width) in enumerate(zip(left, values)):
            if width >= 0.06:
                ax.text(
                    start + width / 2,
                    y,
                    f"{nf.share(width)}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if row["Category"] != NON_ADOPTERS else "#333333",
                )
        left += values
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_title("Pilot members in the organisation's predicted adoption order")
    legend_on_top(ax, 3)
    return fig


def demographic_cliff(
    cliff: pd.DataFrame, organisation: dict[str, float | None], segment_label: str, minimum: int, *, interval: float
) -> Figure | None:
    """Per segment value: pilot adoption (blue dot) against predicted production adoption (dark dot, with its
    interval); hollow dots mark extrapolations, the top row is the whole organisation."""
    shown = cliff[~cliff["Headcount"].isna() & cliff["Production forecast"].notna()].copy()
    if shown.empty:
        return None
    top = pd.DataFrame(
        [
            {
                segment_label: ORGANISATION,
                "Pilot adoption": organisation["pilot_adoption"],
                "Production forecast": organisation["forecast"],
                "Interval low": organisation["low"],
                "Interval high": organisation["high"],
                "Method": "all",
            }
        ]
    )
    rows = pd.concat([top, shown.sort_values("Production forecast", ascending=False)], ignore_index=True)
    fig, ax = new_figure(7.5, 1.6 + 0.5 * len(rows))
    y = np.arange(len(rows))
    ax.hlines(y, rows["Interval low"], rows["Interval high"], color=FORECAST, linewidth=2, alpha=0.45)
    for i, row in rows.iterrows():
        if pd.notna(row["Pilot adoption"]):
            ax.plot(
                [row["Pilot adoption"], row["Production forecast"]], [i, i], color="#999999", linewidth=1, linestyle=":"
            )
    extrapolated = rows["Method"] == EXTRAPOLATION
    ax.scatter(rows["Pilot adoption"], y, color=PALETTE["pilot"], s=55, zorder=4, marker="D", label="Pilot")
    ax.scatter(
        rows["Production forecast"][~extrapolated],
        y[~extrapolated],
        color=FORECAST,
        s=55,
        zorder=3,
        label=f"Production forecast ({interval_label(interval)})",
    )
    ax.scatter(
        rows["Production forecast"][extrapolated],
        y[extrapolated],
        facecolor="white",
        edgecolor=FORECAST,
        s=55,
        zorder=3,
        linewidth=1.5,
        label="Forecast by extrapolation",
    )
    for i, row in rows.iterrows():
        ax.annotate(
            f"{nf.share(row['Production forecast'])}",
            (row["Production forecast"], i),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=FORECAST,
        )
        if pd.notna(row["Pilot adoption"]):
            ax.annotate(
                f"{nf.share(row['Pilot adoption'])}",
                (row["Pilot adoption"], i),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color=PALETTE["pilot"],
            )
    labels = [
        f"{name} (rollout)" if method == DIFFUSION else str(name)
        for name, method in zip(rows[segment_label], rows["Method"])
    ]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", labelsize=10)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel("Share who reach sustained use")
    ax.set_title(f"Pilot against production, by {segment_label.lower()}")
    legend_on_top(ax, 3)
    hidden = int(cliff["Headcount"].isna().sum())
    no_pilot = int((cliff["Headcount"].notna() & cliff["Pilot adoption"].isna()).sum())
    note = (
        "(rollout): forecast from the rollout cohort's diffusion curve. " + privacy_text(hidden, minimum)
        if (rows["Method"] == DIFFUSION).any()
        else privacy_text(hidden, minimum)
    )
    if no_pilot:
        note += f" {no_pilot} without a pilot figure (no pilot members, or too few to show)."
    caption(fig, note)
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def last_rows(frame: pd.DataFrame, group: str, week: str) -> pd.DataFrame:
    """Each group's last week."""
    return frame.sort_values(week, kind="stable").groupby(group, sort=False).tail(1)


def weekly_active_users_alt(weekly: pd.DataFrame, minimum: int) -> str:
    """Weekly active users of each cohort in its last week."""
    if lacks(weekly, "People with access", "Cohort", "Week", "Weekly active users"):
        return "Line chart of weekly active users and people with access, by cohort."
    shown = weekly[weekly["People with access"] >= minimum]
    latest = "; ".join(
        f"{row['Cohort']}: {int(row['Weekly active users']):,} active of {int(row['People with access']):,} with access"
        for _, row in last_rows(shown, "Cohort", "Week").iterrows()
    )
    return f"Line chart of weekly active users and people with access, by cohort; in the last week, {latest}."


def retention_alt(curves: pd.DataFrame, minimum: int) -> str:
    """Each cohort's retention at the last week drawn."""
    if lacks(curves, "starters", "still_active", "group", "week", "retention"):
        return "Line chart of the share of week-1 users still active week by week, by cohort."
    small = (curves["starters"] < minimum) | ((curves["still_active"] > 0) & (curves["still_active"] < minimum))
    latest = "; ".join(
        f"{row['group']}: {row['retention']:.0%} still active in week {int(row['week'])}"
        for _, row in last_rows(curves[~small], "group", "week").iterrows()
    )
    return f"Line chart of the share of week-1 users still active week by week, by cohort; {latest}."


def intensity_mix_alt(mix: pd.DataFrame) -> str:
    """The share of each cohort in the heaviest band in its last week."""
    if lacks(mix, "Cohort", "Week", "Band", "Share"):
        return (
            "Stacked area chart of the share of people with access in each usage-intensity band, week by week, "
            "per cohort."
        )
    heavy = INTENSITY_BANDS[-1]
    totals = mix.groupby(["Cohort", "Week"], sort=False)["Share"].sum().rename("all").reset_index()
    top = mix[mix["Band"] == heavy].groupby(["Cohort", "Week"], sort=False)["Share"].sum().rename("top").reset_index()
    latest = last_rows(totals.merge(top, how="left", on=["Cohort", "Week"]).fillna({"top": 0.0}), "Cohort", "Week")
    listed = "; ".join(f"{row['Cohort']}: {row['top']:.0%}" for _, row in latest.iterrows())
    return (
        "Stacked area chart of the share of people with access in each usage-intensity band, week by week, per "
        f"cohort; in the last week, the share in the {heavy.lower()} band is {listed}."
    )


def adoption_curves_alt(curves: pd.DataFrame) -> str:
    """Where each cohort's fitted diffusion curve ends."""
    if lacks(curves, "Cohort", "Week", "Fitted"):
        return "Line chart of the share reaching sustained use, observed and fitted, by cohort."
    ends = "; ".join(
        f"{row['Cohort']}: {row['Fitted']:.0%} by week {int(row['Week'])}"
        for _, row in last_rows(curves, "Cohort", "Week").iterrows()
    )
    return (
        "Line chart of the share reaching sustained use, observed and fitted, by cohort; "
        f"the fitted curves reach {ends}."
    )


def category_comparison_alt(comparison: pd.DataFrame) -> str:
    """How many pilot members against the workforce fall in the first two adopter categories."""
    if lacks(comparison, "Category", "Pilot members", "Whole workforce"):
        return "Stacked bar chart of pilot members and the whole workforce across the adopter categories."
    first = [name for name, _ in CATEGORIES[:2]]
    early = comparison[comparison["Category"].isin(first)]
    return (
        "Stacked bar chart of pilot members and the whole workforce across the adopter categories; "
        f"{early['Pilot members'].sum():.0%} of pilot members against {early['Whole workforce'].sum():.0%} of the "
        f"workforce are {' or '.join(name.lower() for name in first)}."
    )


def demographic_cliff_alt(organisation: dict[str, float | None], segment_label: str) -> str:
    """Pilot adoption against the production forecast for the whole organisation."""
    pilot, forecast = organisation.get("pilot_adoption"), organisation.get("forecast")
    low, high = organisation.get("low"), organisation.get("high")
    text = f"Dot chart of pilot adoption against the production forecast, by {segment_label.lower()}"
    if pilot is not None and forecast is not None:
        text += f"; whole organisation: pilot {pilot:.0%}, production forecast {forecast:.0%}"
        if low is not None and high is not None:
            text += f" ({low:.0%} to {high:.0%})"
    return text + "."

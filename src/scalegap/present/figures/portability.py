"""Figures of the configuration-portability chapter: effect by team, by configuration, the variance split and what
a new team can expect.  Each takes a table whose small groups are already left out or suppressed."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from scalegap import number_format as nf
from scalegap.present.figures import PALETTE, lacks, new_figure, values_alt

OTHER = "#d08c2e"
NEUTRAL = "#2f3b48"


def configuration_colours(names: list[str], tuned: str | None) -> dict[str, object]:
    """The tuned configuration in the pilot's colour, the others in contrasting ones."""
    others = [name for name in names if name != tuned]
    colours = dict(zip(others, [OTHER, *sns.color_palette("dark", max(len(others) - 1, 0))]))
    return colours | ({tuned: PALETTE["pilot"]} if tuned in names else {})


def caption(figure: Figure, text: str) -> None:
    figure.supxlabel(textwrap.fill(text, 120), x=0.01, ha="left", fontsize=8, color="#555555")


def point_intervals(
    ax: matplotlib.axes.Axes, rows: pd.DataFrame, value: str, low: str, high: str, colours: Sequence[object]
) -> None:
    """One row per line: a dot at ``value`` and a bar from ``low`` to ``high``, value labelled."""
    y = np.arange(len(rows))[::-1]
    ax.hlines(y, rows[low], rows[high], color=colours, linewidth=2.5, alpha=0.5)
    ax.scatter(rows[value], y, color=colours, s=55, zorder=3)
    for position, number in zip(y, rows[value]):
        ax.annotate(
            f"{number:.1f}",
            (number, position),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=NEUTRAL,
        )
    ax.set_yticks(y)
    ax.set_ylim(-0.6, len(rows) - 0.3)


def team_caterpillar(teams: pd.DataFrame, mean_effect: float, unit: str, tuned: str | None, note: str) -> Figure | None:
    """Teams (with at least the minimum group size of measured people), best first: mean effect and interval,
    coloured by configuration; the line is everyone's mean."""
    if teams.empty:
        return None
    value, low, high = teams.columns[5], teams.columns[6], teams.columns[7]
    colours = configuration_colours(sorted(teams["Configuration"].unique()), tuned)
    fig, ax = new_figure(7.5, 1.6 + 0.32 * len(teams))
    ax.axvline(mean_effect, color="#555555", linewidth=0.8, linestyle="--")
    point_intervals(ax, teams, value, low, high, [colours[c] for c in teams["Configuration"]])
    ax.set_yticklabels([f"{team} ({department})" for team, department in zip(teams["Team"], teams["Department"])])
    for name, colour in colours.items():
        ax.scatter([], [], color=colour, label=name)
    ax.legend(title="", fontsize=8, loc="lower right")
    ax.set_xlabel(f"Mean effect, {unit} (dashed: everyone measured)")
    ax.set_title("Effect by team")
    caption(fig, note)
    return fig


def configuration_effects(table: pd.DataFrame, unit: str, tuned: str | None) -> Figure | None:
    """Per configuration (not suppressed): mean effect of its people with its interval."""
    shown = table[~table["suppressed"]] if "suppressed" in table else table
    if shown.empty:
        return None
    value, low, high = (c for c in shown.columns if c.startswith("Mean effect") or "interval" in c)
    colours = configuration_colours(list(shown["Configuration"]), tuned)
    fig, ax = new_figure(7.5, 1.5 + 0.55 * len(shown))
    point_intervals(ax, shown, value, low, high, [colours[c] for c in shown["Configuration"]])
    ax.set_yticklabels(
        [
            f"{name}\n({people:.0f} people, {teams:.0f} teams)"
            for name, people, teams in zip(shown["Configuration"], shown["People measured"], shown["Teams"])
        ]
    )
    ax.set_xlabel(f"Mean effect, {unit}")
    ax.set_title("Effect by configuration (not adjusted for department)")
    return fig


def variance_split(share: float, interval: tuple[float, float], threshold: float) -> Figure:
    """One bar: the between-team share and the rest (within teams), the interval of the share, the threshold."""
    fig, ax = new_figure(7.5, 1.9)
    ax.barh([0], [share], color=PALETTE["pilot"], label="Between teams")
    ax.barh(
        [0], [1 - share], left=[share], color=PALETTE["organisation"], label="Within teams (people and measurement)"
    )
    if np.all(np.isfinite(interval)):
        ax.errorbar(
            [share], [0], xerr=[[share - interval[0]], [interval[1] - share]], color=NEUTRAL, capsize=6, linewidth=1.5
        )
    ax.axvline(
        threshold, color=PALETTE["rejected"], linestyle=":", linewidth=1.5, label=f"Material from {nf.share(threshold)}"
    )
    ax.annotate(f"{nf.share(share)}", (share / 2, 0.22), ha="center", va="center", color="white", fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Share of the variation in effect between people")
    ax.set_title("How much of the effect belongs to the team")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.55), ncols=3, fontsize=8, frameon=False)
    return fig


def new_team_comparison(comparison: pd.DataFrame) -> Figure | None:
    """The pilot teams' measured mean against a new team's expected effect, each with its interval."""
    if comparison.empty:
        return None
    unit = comparison.columns[2]
    colours = [PALETTE["pilot"] if i == 0 else NEUTRAL for i in range(len(comparison))]
    fig, ax = new_figure(7.5, 1.4 + 0.6 * len(comparison))
    point_intervals(ax, comparison, unit, "from", "to", colours)
    ax.set_yticklabels([f"{team}\n{basis}" for team, basis in zip(comparison["Team"], comparison["Basis"])])
    ax.set_xlabel(unit.capitalize())
    ax.set_title("What a team outside the pilot can expect")
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def configuration_effects_alt(table: pd.DataFrame, unit: str) -> str:
    """Each configuration's mean effect."""
    shown = table[~table["suppressed"]] if "suppressed" in table else table
    value = next((c for c in shown.columns if c.startswith("Mean effect")), "Mean effect")
    if lacks(shown, "Configuration", value):
        return f"Dot chart of the mean effect ({unit}) by configuration, with intervals."
    return values_alt(
        f"Dot chart of the mean effect ({unit}) by configuration, with intervals", shown, "Configuration", value
    )


def variance_split_alt(share: float, threshold: float) -> str:
    """The between-team share against the threshold from which it is material."""
    return (
        f"Bar of how the variation in effect between people splits; {share:.0%} lies between teams, "
        f"{'at or above' if share >= threshold else 'below'} the {threshold:.0%} from which the team matters."
    )


def team_caterpillar_alt(teams: pd.DataFrame, mean_effect: float, unit: str) -> str:
    """The best and the weakest team against everyone's mean."""
    if len(teams.columns) < 6 or lacks(teams, "Team"):
        return f"Dot chart of the mean effect ({unit}) of each team, best first."
    value = teams.columns[5]
    best, worst = teams.loc[teams[value].idxmax()], teams.loc[teams[value].idxmin()]
    return (
        f"Dot chart of the mean effect ({unit}) of {len(teams)} teams, best first; best {best['Team']} "
        f"{best[value]:,.1f}, weakest {worst['Team']} {worst[value]:,.1f}, everyone measured {mean_effect:,.1f}."
    )


def new_team_comparison_alt(comparison: pd.DataFrame) -> str:
    """The pilot teams' measured mean and a new team's expected effect."""
    if len(comparison.columns) < 3 or lacks(comparison, "Team"):
        return "Dot chart of the pilot teams' measured effect against a new team's expected effect, with intervals."
    unit = comparison.columns[2]
    return values_alt(f"Dot chart of the {unit}, with intervals", comparison, "Team", unit)

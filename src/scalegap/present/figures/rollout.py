"""Figures of the rollout-plan chapter."""

from __future__ import annotations

from matplotlib.figure import Figure

from scalegap.models.rollout import RolloutPlan
from scalegap.present.figures import PALETTE, new_figure
from scalegap.vocabulary import counted


def timeline(plan: RolloutPlan) -> Figure | None:
    """Cohorts as bars over weeks (start to gate), the gate as a marker at the bar's end, headcount as a label;
    the axis ends where the plan ends, with a small margin."""
    cohorts = plan.cohorts
    if cohorts.empty:
        return None
    fig, ax = new_figure(7.5, 1.3 + 0.5 * len(cohorts))
    colours = list(PALETTE.values())
    ax.barh(
        cohorts["cohort"],
        cohorts["gate_week"] - cohorts["start_week"],
        left=cohorts["start_week"],
        color=colours[0],
        height=0.45,
    )
    ax.scatter(
        cohorts["gate_week"],
        cohorts["cohort"],
        marker="D",
        color=colours[1 % len(colours)],
        zorder=3,
        label="Gate: check before the next wave",
    )
    end = int(cohorts["gate_week"].max())
    for _, row in cohorts.iterrows():  # the label above its bar, inside the plan's weeks
        early = row["start_week"] <= end / 2
        ax.text(
            row["start_week"] if early else row["gate_week"],
            row["cohort"] - 0.3,
            f"{row['departments']}: {row['headcount']:,}",
            ha="left" if early else "right",
            va="bottom",
            fontsize=7,
        )
    ax.set_yticks(cohorts["cohort"], [f"Wave {number}" for number in cohorts["cohort"]])
    ax.set_ylim(cohorts["cohort"].max() + 0.6, cohorts["cohort"].min() - 0.9)
    ax.set_xlim(0, axis_end(end))
    ax.set_xlabel("Weeks from the start of the rollout")
    ax.set_title("Rollout waves and gates")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig


def axis_end(plan_end: int) -> float:
    """Where the week axis ends: the plan's last gate and a small margin (4 %, at least one week)."""
    return plan_end + max(1.0, 0.04 * plan_end)


def timeline_alt(plan: RolloutPlan) -> str:
    """The number of waves, the first, and when everyone has access."""
    cohorts = plan.cohorts
    first = cohorts.iloc[0]
    return (
        f"Timeline of {counted(len(cohorts), 'rollout wave')} and their gates over "
        f"{int(cohorts['gate_week'].max())} weeks; wave 1 is {first['departments']}: "
        f"{counted(int(first['headcount']), 'person')}."
    )

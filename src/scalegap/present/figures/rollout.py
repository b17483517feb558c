"""Figures of the rollout-plan chapter."""

from __future__ import annotations

from matplotlib.figure import Figure

from scalegap.models.rollout import RolloutPlan
from scalegap.present.figures import PALETTE, new_figure


def timeline(plan: RolloutPlan) -> Figure | None:
    """Cohorts as bars over weeks (start to gate), the gate as a marker at the bar's end, headcount as a label."""
    cohorts = plan.cohorts
    if cohorts.empty:
        return None
    fig, ax = new_figure(7.5, 1.2 + 0.35 * len(cohorts))
    colours = list(PALETTE.values())
    ax.barh(
        cohorts["cohort"],
        cohorts["gate_week"] - cohorts["start_week"],
        left=cohorts["start_week"],
        color=colours[0],
        height=0.6,
    )
    ax.scatter(
        cohorts["gate_week"],
        cohorts["cohort"],
        marker="D",
        color=colours[1 % len(colours)],
        zorder=3,
        label="Gate: check before the next wave",
    )
    for _, row in cohorts.iterrows():
        ax.text(
            row["gate_week"] + 1.5,
            row["cohort"],
            f"{row['departments']}: {row['headcount']:,}",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(cohorts["cohort"], [f"Wave {number}" for number in cohorts["cohort"]])
    ax.invert_yaxis()
    ax.set_xlim(0, cohorts["gate_week"].max() * 1.45 + 4)
    ax.set_xlabel("Weeks from the start of the rollout")
    ax.set_title("Rollout waves and gates")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    return fig

"""The rollout timeline: its week axis ends where the plan ends."""

from __future__ import annotations

import pandas as pd

from scalegap.models.rollout import RolloutPlan
from scalegap.present.figures import png_bytes
from scalegap.present.figures.rollout import axis_end, timeline, timeline_alt


def plan(waves: int, weeks: int = 4) -> RolloutPlan:
    cohorts = pd.DataFrame(
        {
            "cohort": range(1, waves + 1),
            "departments": ["Marketing (part 1)"] + [f"Department {n} with a long name" for n in range(2, waves + 1)],
            "headcount": [132] + [80] * (waves - 1),
            "start_week": [(n - 1) * weeks for n in range(1, waves + 1)],
            "gate_week": [n * weeks for n in range(1, waves + 1)],
        }
    )
    return RolloutPlan(cohorts, (), None, (), weeks, 0.9)


def test_the_axis_ends_at_the_plans_end_with_a_small_margin() -> None:
    figure = timeline(plan(19))  # a 76-week plan
    assert figure is not None
    low, high = figure.axes[0].get_xlim()
    assert low == 0 and 76 < high <= 80 and high == axis_end(76)
    png_bytes(figure)
    for text in figure.axes[0].texts:  # every label stays within the plan's weeks
        assert 0 <= text.get_position()[0] <= 76


def test_the_alt_text_names_the_waves_the_weeks_and_the_first_wave() -> None:
    assert timeline_alt(plan(19)) == (
        "Timeline of 19 rollout waves and their gates over 76 weeks; wave 1 is Marketing (part 1): 132 people."
    )

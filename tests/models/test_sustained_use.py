"""When someone counts as an adopter: the sustained-use rule, its fallback, and how figures move with it."""

from __future__ import annotations

import pandas as pd
import pytest

from scalegap.errors import ConfigurationError
from scalegap.models.sustained_use import (
    SustainedUseRule,
    occasional_users,
    rule_for,
    sustained_use_onset,
    threshold_table,
)
from scalegap.settings import load_settings


def weeks_of(**people: list[tuple[int, int]]) -> pd.DataFrame:
    """(week, active days) per person; the first active day is the week's Monday."""
    rows = [
        {
            "person_id": person,
            "week": week,
            "active_days": days,
            "first_day": pd.Timestamp("2026-03-02") + pd.Timedelta(weeks=week - 1),
        }
        for person, weeks in people.items()
        for week, days in weeks
    ]
    return pd.DataFrame(rows)


def onsets(weeks: pd.DataFrame, days: float, length: int = 3) -> dict[str, int]:
    found = sustained_use_onset(weeks, SustainedUseRule(days, length))
    return dict(zip(found["person_id"], found["onset_week"]))


def test_any_activity_in_three_consecutive_weeks_is_the_run_rule() -> None:
    weeks = weeks_of(
        regular=[(1, 1), (2, 1), (3, 1)], gap=[(1, 3), (2, 3), (4, 3), (5, 3), (6, 1)], short=[(1, 5), (2, 5)]
    )
    assert onsets(weeks, 1) == {"regular": 1, "gap": 4}


def test_a_stricter_rule_averages_the_days_over_the_window() -> None:
    weeks = weeks_of(
        now_and_then=[(1, 1), (2, 1), (3, 1), (4, 1)],
        ramping=[(2, 1), (3, 2), (4, 2), (5, 3)],
        light_week=[(1, 3), (2, 1), (3, 2)],
    )
    assert onsets(weeks, 1.5) == {"ramping": 2, "light_week": 1}  # 1 + 2 + 2 = 5 days in weeks 2 to 4
    assert onsets(weeks, 1) == {"now_and_then": 1, "ramping": 2, "light_week": 1}
    assert onsets(weeks, 3) == {}


def test_an_export_without_every_active_day_falls_back_to_any_activity_and_says_so() -> None:
    rule = rule_for(2, 3, {"m365_copilot_usage", "usage_daily"})
    assert (rule.days_per_week, rule.weeks) == (1, 3)
    assert "m365_copilot_usage" in rule.note and "configured 2 days a week" in rule.note
    assert rule_for(2, 3, {"usage_daily", "github_copilot_users"}) == SustainedUseRule(2, 3)
    assert rule_for(1, 4, {"m365_copilot_usage"}) == SustainedUseRule(1, 4)  # nothing to fall back from


def test_the_threshold_table_shows_adopters_and_occasional_users_per_cohort() -> None:
    people = pd.DataFrame(
        {"person_id": [f"P{i}" for i in range(12)], "cohort": ["Pilot"] * 6 + ["Rollout"] * 4 + [None] * 2}
    )
    weeks = weeks_of(P0=[(1, 3), (2, 3), (3, 3)], P1=[(1, 1), (2, 1), (3, 1)], P2=[(1, 1)], P6=[(1, 2), (2, 2), (3, 2)])
    table = threshold_table(people, weeks, SustainedUseRule(1, 3), minimum=5).set_index("Sustained use means")
    assert list(table.columns) == ["Pilot: adopters", "Pilot: occasional users"]  # 4 rollout people: hidden
    used = table.loc["activity in each of 3 consecutive weeks (the rule used)"]
    assert used["Pilot: adopters"] == pytest.approx(2 / 6) and used["Pilot: occasional users"] == 0.0  # P2: 1 week
    strict = table.loc["1.5 active days a week on average over 3 consecutive weeks, each with activity"]
    assert strict["Pilot: adopters"] == pytest.approx(1 / 6) and strict["Pilot: occasional users"] == pytest.approx(
        1 / 6
    )
    assert len(table) == 6
    fallback = SustainedUseRule(1, 3, "the export records only the last active days")
    assert len(threshold_table(people, weeks, fallback, minimum=5)) == 1  # days a week cannot be counted


def test_the_old_setting_name_is_refused_with_the_new_one(tmp_path) -> None:
    path = tmp_path / "assessment.yml"
    path.write_text("client: {name: Acme}\nadoption: {sustained_use_weeks: 3}\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    assert "sustained_use: {days_per_week: 1, weeks: 3}" in str(
        caught.value.lines() if hasattr(caught.value, "lines") else caught.value
    )


def test_an_occasional_user_came_back_in_another_week_and_a_trier_did_not() -> None:
    weeks = weeks_of(trier=[(1, 3)], returner=[(1, 1), (5, 1)], regular=[(1, 2), (2, 2), (3, 2)])
    assert occasional_users(weeks) == {"returner", "regular"}  # adopters are told apart by the caller
    assert occasional_users(weeks.iloc[0:0]) == set()

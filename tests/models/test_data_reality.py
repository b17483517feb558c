"""The data-reality chapter (scalegap.models.data_reality) on record tables small enough to compute by hand.

One task type throughout, so each person's effect in a tier is simply their mean unassisted minutes minus their
mean assisted minutes of that tier (the task baseline cancels).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from scalegap.models import data_reality as dr
from scalegap.models import effect
from scalegap.models.data_reality import estimates
from scalegap.settings import load_settings
from tests.models import test_availability as degraded

SEED, REPLICATES = 7, 200


def rows(
    person: str, tier: str, unassisted: list[float], assisted: list[float], quality: tuple[float, float] = (3.0, 4.0)
) -> list[dict]:
    """Records of one person in one tier: minutes of the unassisted and of the assisted tasks."""
    return [
        {
            "person_id": person,
            "task_type": "Reply",
            "data_tier": tier,
            "assisted": False,
            "minutes_taken": m,
            "quality_score": quality[0],
        }
        for m in unassisted
    ] + [
        {
            "person_id": person,
            "task_type": "Reply",
            "data_tier": tier,
            "assisted": True,
            "minutes_taken": m,
            "quality_score": quality[1],
        }
        for m in assisted
    ]


def four_people() -> pd.DataFrame:
    """Pilot members P1 (clean effect 4) and P2 (2) with no messy record; O1 (clean 1, messy 1) and O2 (clean 3,
    messy 2) outside the pilot, half of whose records are messy."""
    return pd.DataFrame(
        rows("P1", "clean", [10], [6], (3.0, 4.0))
        + rows("P2", "clean", [12], [10], (3.0, 5.0))
        + rows("O1", "clean", [10], [9])
        + rows("O1", "messy", [20], [19])
        + rows("O2", "clean", [20], [17])
        + rows("O2", "messy", [20], [18])
    )


def six_alike() -> pd.DataFrame:
    """Six people, each with clean effect 4 and messy effect 2: three pilot members with a quarter of their records
    messy, three outside the pilot with half."""
    frame = []
    for person in ("P1", "P2", "P3"):
        frame += rows(person, "clean", [10, 10, 10], [6, 6, 6]) + rows(person, "messy", [20], [18])
    for person in ("O1", "O2", "O3"):
        frame += rows(person, "clean", [10], [6]) + rows(person, "messy", [20], [18])
    return pd.DataFrame(frame)


def study(frame: pd.DataFrame, declared: float | None = None, minimum: int = 2, seed: int = SEED):
    return estimates.study_from(
        effect.usable_records(frame, "minutes_saved"),
        {"P1", "P2", "P3"},
        declared,
        0.9,
        minimum,
        seed,
        REPLICATES,
        0.95,
    )


def stub_package(frame: pd.DataFrame | None, minimum: int = 2) -> SimpleNamespace:
    roster = pd.DataFrame({"person_id": ["P1", "P2", "P3", "O1", "O2", "O3"], "in_pilot": [True] * 3 + [False] * 3})
    tables = {"roster": roster} | ({"outcomes": frame} if frame is not None else {})
    settings = load_settings(None, {"privacy": {"min_group_size": minimum}, "statistics": {"replicates": REPLICATES}})
    return SimpleNamespace(settings=settings, has=lambda name: name in tables, table=lambda name: tables[name])


def test_effect_per_task_by_group_and_tier_with_people_records_and_intervals() -> None:
    table = dr.tier_effects(study(four_people())).set_index(["Group", "Tier"])
    pilot_clean = table.loc[(dr.PILOT_GROUP, "Clean")]
    assert pilot_clean["Effect per task"] == pytest.approx(3.0)  # (4 + 2) / 2
    assert pilot_clean[
        ["People with records", "People measured", "Assisted records", "Unassisted records"]
    ].tolist() == [2, 2, 1 + 1, 1 + 1]
    assert 2.0 <= pilot_clean["Low"] <= 3.0 <= pilot_clean["High"] <= 4.0  # redrawn means of {4, 2}
    assert table.loc[(dr.OUTSIDE_GROUP, "Clean"), "Effect per task"] == pytest.approx(2.0)
    assert table.loc[(dr.OUTSIDE_GROUP, "Messy"), "Effect per task"] == pytest.approx(1.5)
    assert table.loc[(dr.PILOT_GROUP, "Messy"), "People with records"] == 0
    assert not table["suppressed"].any()


def test_a_pilot_without_messy_records_leaves_the_multiplier_unmeasured_and_draws_it() -> None:
    result = study(four_people())
    assert result.point.shares == pytest.approx({dr.PILOT_GROUP: 0.0, dr.OUTSIDE_GROUP: 0.5})
    assert np.isnan(result.point.effects[(dr.PILOT_GROUP, effect.MESSY)])
    assert not result.rules.multiplier_measured and result.measurement.people == 2
    assert result.multiplier_interval == (0.0, 1.0)  # the drawn range, stated
    assert result.point.multiplier == 0.5  # its middle
    assert result.point.pilot_at_own_mix == pytest.approx(3.0)
    assert result.point.realistic == pytest.approx(3.0 * 0.75)  # M(0.5, 0.5)
    low, high = result.interval_of(lambda e: e.realistic)
    assert 1.0 <= low < 2.0 and 2.5 < high <= 4.0  # clean effect in [2, 4] × M in [0.5, 1]
    display = dr.tier_effects_display(dr.tier_effects(result), result.interval).set_index(["Group", "Tier"])
    assert display.loc[(dr.PILOT_GROUP, "Messy"), "Note"] == "no records"
    rows_ = dict(dr.multiplier_rows(result))
    assert rows_["Messy-data multiplier"] == "not measured: fewer than 5 people have both"
    assert "between 0.00 and 1.00" in rows_["What the estimates use instead"]


def test_a_measured_multiplier_gives_the_realistic_effect_at_production_mix() -> None:
    result = study(six_alike())
    assert result.rules.multiplier_measured and result.measurement.value == pytest.approx(0.5, abs=0.005)
    low, high = result.multiplier_interval  # everyone alike: the posterior is narrow, never of width zero
    assert 0.49 < low < high < 0.51
    assert result.rules.source == dr.OUTSIDE
    assert result.point.shares[dr.PILOT_GROUP] == pytest.approx(0.25)
    assert result.point.production_share == pytest.approx(0.5)
    table = dr.realistic_effect(result).set_index("Estimate")
    assert table["Effect per task"].tolist() == pytest.approx([4.0, 4.0 * 0.875, 4.0 * 0.75], abs=0.01)
    assert table["Data-mix multiplier M(s)"].tolist() == pytest.approx([1.0, 0.875, 0.75], abs=0.003)
    assert table["Low"].tolist() == pytest.approx(table["High"].tolist(), abs=0.02)
    unmeasured = study(four_people())
    assert np.subtract(*unmeasured.interval_of(lambda e: e.realistic)) < np.subtract(
        *result.interval_of(lambda e: e.realistic)
    )  # the unmeasured multiplier widens the interval


def test_a_declared_production_share_is_used_and_said_so() -> None:
    result = study(six_alike(), declared=0.6)
    assert result.rules.source == dr.DECLARED and result.point.production_share == 0.6
    assert result.point.realistic == pytest.approx(4.0 * (0.4 + 0.6 * 0.5), abs=0.01)
    mix = dr.record_mix(result)
    assert mix["Stands for"].tolist() == ["the pilot", "nothing: production's share is declared", "production"]
    assert mix["Messy share"].tolist() == pytest.approx([0.25, 0.5, 0.6])
    assert mix["Messy records"].tolist()[:2] == [6, 6]
    assert "declared in assessment.yml" in dr.production_share_sentence(result)


def test_groups_below_the_minimum_group_size_are_suppressed() -> None:
    result = study(four_people(), minimum=5)
    table = dr.tier_effects(result)
    assert table["suppressed"].tolist() == [True, False, True, True]  # pilot messy: no one (zero is kept)
    assert table["Effect per task"].isna().all()
    assert dr.realistic_effect(result)["Effect per task"].isna().all()


def test_records_set_apart_are_counted_by_reason() -> None:
    frame = pd.concat(
        [
            six_alike(),
            pd.DataFrame(
                [
                    {
                        "person_id": None,
                        "task_type": "Reply",
                        "data_tier": "clean",
                        "assisted": True,
                        "minutes_taken": 5.0,
                    },
                    {
                        "person_id": "P1",
                        "task_type": "Reply",
                        "data_tier": "clean",
                        "assisted": True,
                        "minutes_taken": np.nan,
                    },
                    {
                        "person_id": "P1",
                        "task_type": "Reply",
                        "data_tier": "clean",
                        "assisted": True,
                        "minutes_taken": -2.0,
                    },
                    {
                        "person_id": "O1",
                        "task_type": "Reply",
                        "data_tier": "unknown",
                        "assisted": False,
                        "minutes_taken": 9.0,
                    },
                ]
            ),
        ],
        ignore_index=True,
    )
    result = study(frame)
    table = dr.set_apart_table(result).set_index("Reason")
    assert table["Records"].to_dict() == {
        "No person": 1,
        "No minutes taken": 1,
        "Negative minutes (a recording error)": 1,
        "Data-quality tier unknown (no completeness, no exception flag)": 1,
    }
    assert table["What happens to them"].tolist() == ["not used"] * 3 + ["left out of the tier figures"]
    assert result.point.effects[(dr.PILOT_GROUP, effect.CLEAN)] == pytest.approx(4.0)  # none of them counts
    assert dr.set_apart_table(study(six_alike())).empty


def test_the_bootstrap_is_seeded() -> None:
    pick = lambda e: e.realistic  # noqa: E731
    assert study(four_people()).interval_of(pick) == study(four_people()).interval_of(pick)
    assert study(four_people(), seed=8).interval_of(pick) != study(four_people()).interval_of(pick)


def test_the_chapter_from_a_package_quality_table_and_findings() -> None:
    package = stub_package(four_people())
    result = dr.data_reality_study(package)
    assert result is not None and result.point.pilot_clean == pytest.approx(3.0)
    quality = dr.quality_by_tier(package).set_index(["Group", "Tier"])
    pilot_clean = quality.loc[(dr.PILOT_GROUP, "Clean")]
    assert pilot_clean[
        ["Mean quality, unassisted", "Mean quality, assisted", "Difference (assisted − unassisted)"]
    ].tolist() == ["3.00", "4.50", "+1.50"]
    assert quality.loc[(dr.PILOT_GROUP, "Messy"), "People, assisted"] == 0
    findings = dr.data_reality_findings(package, result)
    assert findings[0].startswith("0 % of the pilot members' records were messy, against 50 % outside the pilot")
    assert "the pilot had no messy records, so its effect on messy data is not measured" in findings[1]
    assert "not measured" in findings[2] and "between 0 % and 100 %" in findings[2]
    assert (
        "2.2 minutes saved per task" in findings[3] and "against 3.0 at the pilot's own mix: 25 % less" in findings[3]
    )
    assert "messy and 0" not in " ".join(dr.tier_definition(package, result))
    assert "at least 90 %" in dr.tier_definition(package, result)[0]


def test_without_outcome_records_the_chapter_says_so() -> None:
    package = stub_package(None)
    assert dr.data_reality_study(package) is None
    assert "no outcome records" in dr.unavailable_reason(package)
    assert dr.data_reality_findings(package, None) == [dr.unavailable_reason(package)]
    assert dr.tier_effects(None).empty and dr.record_mix(None).empty and dr.realistic_effect(None).empty
    assert dr.quality_by_tier(package).empty
    unknown = four_people().assign(data_tier="unknown")
    assert "data-quality tier" in dr.unavailable_reason(stub_package(unknown))


def test_quality_effects_are_shown_with_two_decimals() -> None:
    result = estimates.study_from(
        effect.usable_records(four_people(), "quality_score"), {"P1", "P2"}, None, 0.9, 2, SEED, REPLICATES, 0.95
    )
    assert result.unit == "quality points gained per task" and result.digits == 2
    shown = dr.tier_effects_display(dr.tier_effects(result), result.interval, result.digits).set_index(
        ["Group", "Tier"]
    )
    assert shown.loc[(dr.PILOT_GROUP, "Clean"), "Effect per task"] == "1.50"  # (4 − 3 + 5 − 3) / 2
    assert shown.loc[(dr.PILOT_GROUP, "Clean"), "Records, assisted / unassisted"] == "2 / 2"


def test_the_figures_draw_what_is_shown_and_nothing_when_all_is_suppressed() -> None:
    from scalegap.present.figures import data_reality as charts

    result = study(four_people())
    assert charts.tier_effects(dr.tier_effects(result), result.unit, interval=result.interval) is not None
    assert charts.record_mix(dr.record_mix(result)) is not None
    assert charts.realistic_effect(dr.realistic_effect(result), result.unit, interval=result.interval) is not None
    hidden = study(four_people(), minimum=5)
    assert charts.tier_effects(dr.tier_effects(hidden), hidden.unit, interval=hidden.interval) is None
    assert charts.record_mix(dr.record_mix(hidden)) is None
    assert charts.realistic_effect(dr.realistic_effect(hidden), hidden.unit, interval=hidden.interval) is None


def test_outcome_records_without_rows_are_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("outcomes",))
    assert dr.unavailable_reason(package).startswith(
        "The effect on clean and messy records is not assessed: the outcome records export"
    )
    assert dr.data_reality_study(package) is None and dr.quality_by_tier(package).empty

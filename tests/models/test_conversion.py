"""The conversion estimator: its arithmetic on hand-built cases, its bootstrap draws, and a real package."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.demo import create_demo_client
from scalegap.models import conversion
from scalegap.models.adoption import PILOT, ROLLOUT
from scalegap.models.conversion import arrays as conversion_arrays
from scalegap.models.conversion import evidence, point_estimate, resampling
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.models import test_availability as degraded
from tests.support import tiny_client


def hand_estimate(**changes: float) -> conversion.Estimate:
    values = dict(
        pilot_adoption=0.8,
        production_adoption=0.36,
        pilot_value_per_active=100.0,
        production_value_per_active=80.0,
        pilot_messy_share=0.0,
        production_messy_share=0.5,
        messy_multiplier=0.5,
        sustainment=0.9,
        pilot_conditions=1.0,
    )
    values.update(changes)
    return conversion.Estimate(**values)


def test_the_conversion_rate_is_production_over_pilot_value_and_the_product_of_the_factors():
    estimate = hand_estimate()
    assert estimate.pilot_value == pytest.approx(80.0)  # 0.8 × 100 × 1
    assert estimate.production_value == pytest.approx(21.6)  # 0.36 × 80 × 0.75
    assert estimate.conversion_rate == pytest.approx(0.27)
    factors = estimate.factors
    assert factors == pytest.approx({"adoption": 0.5, "effect": 0.8, "data_mix": 0.75, "sustainment": 0.9})
    assert np.prod(list(factors.values())) == pytest.approx(estimate.conversion_rate)


def test_a_better_production_mix_raises_only_the_data_mix_factor():
    cleaner = hand_estimate(production_messy_share=0.1)
    assert cleaner.factors["data_mix"] == pytest.approx(0.95)
    assert cleaner.factors["adoption"] == pytest.approx(0.5)


def test_records_per_person_week_counts_each_persons_span_at_least_a_week():
    records = pd.DataFrame(
        {
            "person_id": ["A", "A", "A", "B"],
            "completed_on": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-15", "2026-03-02"]),
        }
    )
    # A: 3 records over 14 days (2 weeks); B: 1 record, counted over one week → 4 records / 3 weeks
    assert evidence.records_per_person_week(records) == pytest.approx(4 / 3)


def people_in_teams() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(8)],
            "team": ["T1", "T1", "T2", "T2", "T3", "T3", "T4", "T4"],
            "cohort": [PILOT, None, ROLLOUT, ROLLOUT, None, None, PILOT, ROLLOUT],
        }
    )


def test_team_strata_put_a_team_with_a_pilot_member_in_the_pilot_stratum():
    people = people_in_teams()
    strata = resampling.unit_strata(people, people["team"])
    assert strata.to_dict() == {"T1": "pilot", "T2": "rollout", "T3": "other", "T4": "pilot"}


def test_a_cluster_draw_takes_whole_teams_within_their_stratum_and_leaves_teams_without_access_out():
    people = people_in_teams()
    strata = resampling.unit_strata(people, people["team"])
    rng = np.random.default_rng(7)
    for _ in range(20):
        drawn = resampling.cluster_draw(rng, people, people["team"], strata)
        sizes = drawn.groupby("team").size()
        assert set(sizes.index) <= {"T1", "T2", "T4"}
        assert (sizes % 2 == 0).all()  # every drawn team comes with both its members
        pilot_teams = drawn.loc[drawn["team"].isin(["T1", "T4"]), "team"]
        assert len(pilot_teams) == 4  # two pilot teams drawn, each of two people
        assert (drawn["team"] == "T2").sum() == 2


def pilot_people(teams: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"person_id": [f"P{i}" for i in range(len(teams))], "team": teams, "cohort": [PILOT] * len(teams)}
    )


def test_without_a_team_column_people_are_redrawn_and_the_draws_vary():
    people = pilot_people([evidence.NO_TEAM] * 40)
    units, name = resampling.resampling_units(people)
    assert name == "person" and units.nunique() == 40
    strata = resampling.unit_strata(people, units)
    rng = np.random.default_rng(3)
    draws = {tuple(sorted(resampling.cluster_draw(rng, people, units, strata)["person_id"])) for _ in range(5)}
    assert len(draws) == 5  # a team-cluster bootstrap would redraw the one "(no team)" cluster every time


def test_teams_are_the_unit_only_where_the_pilot_spans_enough_of_them():
    few = pilot_people([f"T{i % 3}" for i in range(40)])
    assert resampling.resampling_units(few)[1] == "person"
    many = pilot_people([f"T{i % conversion.MIN_PILOT_TEAMS}" for i in range(40)] + [evidence.NO_TEAM])
    units, name = resampling.resampling_units(many)
    assert name == "team" and units.nunique() == conversion.MIN_PILOT_TEAMS + 1  # the teamless one alone


def test_the_pilot_value_per_active_user_is_the_mean_over_the_pilots_measured_adopters():
    measured = pd.DataFrame(
        {
            "cohort": [PILOT, PILOT, PILOT, ROLLOUT],
            "adopted": [True, True, False, True],
            "clean": [4.0, 6.0, 100.0, 50.0],
            "tasks_per_week": [10.0, 20.0, 10.0, 10.0],
        }
    )
    value = point_estimate.pilot_value(
        (measured["cohort"] == PILOT).to_numpy(bool),
        measured["adopted"].to_numpy(bool),
        (measured["clean"] * measured["tasks_per_week"]).to_numpy(float),
    )
    assert value == pytest.approx((40.0 + 120.0) / 2)


def tuned_pilot(tuning: float, people: int = 60) -> pd.DataFrame:
    """Pilot members (all in tuned teams) whose clean effect is 5 minutes × (1 + tuning), readiness spread."""
    rng = np.random.default_rng(4)
    return pd.DataFrame(
        {
            "department": ["Ops"] * people,
            "readiness_z": rng.normal(0, 1, people),
            "pilot_team": 1.0,
            "cohort": PILOT,
            "clean": 5.0 * (1 + tuning) * rng.lognormal(0, 0.05, people),
        }
    )


def test_an_unmeasured_team_tuning_discounts_the_untuned_teams_and_not_the_pilots_own():
    measured = tuned_pilot(0.2)
    params = point_estimate.fitted_effect_model(
        conversion_arrays.design(measured, ("Ops",)), measured["clean"].to_numpy(float), ("Ops",), tuning=0.2
    )
    untuned = measured.assign(pilot_team=0.0)
    pilot_prediction = np.exp(conversion_arrays.design(measured, ("Ops",)) @ params).mean()
    production_prediction = np.exp(conversion_arrays.design(untuned, ("Ops",)) @ params).mean()
    assert pilot_prediction == pytest.approx(6.0, rel=0.02)  # the pilot's own measured level
    assert production_prediction == pytest.approx(5.0, rel=0.02)  # without the tuning


def test_pilot_members_count_as_tuned_teams_with_or_without_a_team_column():
    teamless = pd.DataFrame({"team": [evidence.NO_TEAM] * 3, "cohort": [PILOT, None, ROLLOUT]})
    assert evidence.tuned_in_the_pilot(teamless).tolist() == [True, False, False]
    teams = pd.DataFrame({"team": ["A", "A", "B", evidence.NO_TEAM], "cohort": [PILOT, None, ROLLOUT, None]})
    assert evidence.tuned_in_the_pilot(teams).tolist() == [True, True, False, False]


def test_a_client_without_outcome_records_gets_no_conversion_rate_and_the_reason(tmp_path: Path):
    root = tiny_client(tmp_path / "tiny")
    package = PreparedPackage(prepare(ClientFolder(root), load_settings(root / "assessment.yml")))
    assert "outcome records" in conversion.unavailable_reason(package)
    assert conversion.conversion_study(package) is None


@pytest.fixture(scope="module")
def demo_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[PreparedPackage, dict]:
    folder = create_demo_client(tmp_path_factory.mktemp("conversion") / "client")
    package = PreparedPackage(prepare(folder, load_settings(folder.assessment, {"statistics": {"replicates": 50}})))
    return package, json.loads((folder.root / "truth.json").read_text(encoding="utf-8"))


def test_on_the_example_client_the_interval_holds_the_true_conversion_rate(demo_package):
    package, truth = demo_package
    study = conversion.conversion_study(package)
    low, high = study.conversion_interval
    assert low < study.point.conversion_rate < high
    assert low <= truth["conversion_rate"] <= high
    assert len(study.replicates) == 50
    for factor in conversion.FACTORS:
        f_low, f_high = study.factor_interval(factor)
        assert f_low <= f_high
    # the data-mix factor is measured well: the example client's pilot ran on curated records
    assert study.point.factors["data_mix"] == pytest.approx(truth["conversion_factors"]["data_mix_factor"], abs=0.05)


def test_the_same_package_gives_the_same_numbers(demo_package):
    package, _ = demo_package
    first, second = conversion.conversion_study(package), conversion.conversion_study(package)
    assert first.point == second.point
    assert first.conversion_interval == second.conversion_interval


def test_outcomes_and_usage_without_rows_are_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("outcomes", "usage"))
    reason = conversion.unavailable_reason(package)
    assert reason.startswith("The conversion rate is not assessed: the outcome records export")
    assert "; the usage telemetry export" in reason


def hand_inputs() -> evidence.ConversionInputs:
    """Four people (two pilot members, one in the rollout, one without access) and their records."""
    people = pd.DataFrame(
        {
            "person_id": ["A", "B", "C", "D"],
            "department": ["Ops", "Ops", "Sales", "Sales"],
            "cohort": [PILOT, PILOT, ROLLOUT, None],
            "adopted": [True, False, True, False],
            "readiness_z": [0.5, -0.5, 0.0, 1.0],
            "pilot_team": [1.0, 1.0, 0.0, 0.0],
            "tasks_per_week": [10.0, 10.0, 20.0, 20.0],
        }
    )
    effects = pd.DataFrame({"clean": [4.0, np.nan, 2.0], "messy": [2.0, 1.0, np.nan]}, index=["A", "B", "C"])
    records = pd.DataFrame(
        {
            "person_id": ["A", "A", "A", "B", "C", "C", "Z"],
            "data_tier": ["clean", "messy", "unknown", "messy", "clean", "messy", "messy"],
        }
    )
    return evidence.ConversionInputs(people, effects, records, ("Ops", "Sales"), False, None, "minutes")


def test_the_roster_arrays_weight_each_drawn_pilot_members_records_by_how_often_they_were_drawn():
    arrays = conversion_arrays.roster_arrays(hand_inputs())
    assert arrays.headcount.tolist() == [2.0, 2.0]
    # production: C's and Z's known records outside the pilot, 2 messy of 3
    assert arrays.production_share == pytest.approx(2 / 3)
    # A drawn twice (records clean, messy), B once (messy): 3 messy of 5 weighted records; C is not in the pilot
    assert point_estimate.messy_shares(arrays, np.array([0, 0, 1, 2]))[0] == pytest.approx(3 / 5)
    assert point_estimate.messy_shares(arrays, np.array([1]))[0] == 1.0
    assert arrays.measured(np.array([3, 2, 1, 0, 0])).tolist() == [2, 0, 0]  # access and a clean effect
    assert arrays.with_both_effects(np.array([0, 1, 2, 0])).tolist() == [0, 0]


def test_nan_mean_sums_as_pandas_does_to_the_last_bit():
    rng = np.random.default_rng(11)
    for size in (0, 1, 7, 9, 130, 1001):
        values = rng.lognormal(0.0, 2.0, size)
        values[rng.random(size) < 0.2] = np.nan
        expected = pd.Series(values).mean()
        mean = conversion_arrays.nan_mean(values)
        assert mean == expected or (np.isnan(mean) and np.isnan(expected))


def test_a_cluster_plan_draws_the_units_the_draw_of_their_labels_would():
    people = people_in_teams()
    strata = resampling.unit_strata(people, people["team"])
    plan = resampling.ClusterPlan.of(people, people["team"], strata)
    first, second = np.random.default_rng(5), np.random.default_rng(5)
    members = people.groupby("team").indices
    for _ in range(10):
        labels = [
            team
            for stratum in ("pilot", "rollout")
            for team in first.choice(strata.index[strata == stratum], 2 if stratum == "pilot" else 1)
        ]
        assert plan.rows(second).tolist() == np.concatenate([members[t] for t in labels]).tolist()

"""The calibration study: the fast version that runs in every test run, on both generators.

The full study (at least 100 deployments of each generator) is benchmarks/calibration_study.py; its tables are
in the methodology appendix and benchmarks/README.md.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scalegap.simulate import SimulationParameters
from scalegap.studies.calibration import (
    QUANTITIES,
    assigned_sampling_floor,
    run_study,
    structure_table,
    summarise,
    varied_parameters,
)

FAST_DEPLOYMENTS = 10
FAST_REPLICATES = 60


def test_the_varied_parameters_are_deterministic_and_vary_what_the_issue_names():
    first = [varied_parameters(n) for n in range(40)]
    assert first == [varied_parameters(n) for n in range(40)]
    defaults = SimulationParameters()
    for name in (
        "pilot_volunteer_share",
        "production_messy_share",
        "support_load",
        "sustainment_factor",
        "readiness_measurement_error",
    ):
        assert len({getattr(p, name) for p in first}) == 40, name
        assert any(getattr(p, name) != getattr(defaults, name) for p in first)
    assert sum(p.pilot_messy_share == 0.0 for p in first) >= 5  # pilots without messy records
    effects = {tuple(d.minutes_saved_per_task for d in p.departments) for p in first}
    assert len(effects) == 40  # segment effects vary
    assert all(dataclasses.replace(p) == p for p in first)  # valid parameters (validated on construction)


@pytest.fixture(scope="module")
def fast_study() -> pd.DataFrame:
    return pd.concat(
        [
            run_study(range(FAST_DEPLOYMENTS), replicates=FAST_REPLICATES, generator=generator)
            for generator in ("simulate", "independent")
        ],
        ignore_index=True,
    )


@pytest.mark.xdist_group("calibration")
def test_the_fast_study_spans_the_structures_the_issue_names(fast_study):
    independent = fast_study[fast_study["generator"] == "independent"]
    assert set(independent["cohorts"]) == {
        "rollout across departments",
        "rollout of 1-2 departments",
        "assigned pilot members (10+)",
        "pilot only (volunteers)",
    }
    assert set(independent["team_column"]) == {True, False}
    assert set(independent["predictive"]) == {"one", "all"}
    assert (fast_study["error"] == "").all(), fast_study.loc[fast_study["error"] != "", "error"].tolist()


@pytest.mark.xdist_group("calibration")
def test_the_fast_study_covers_the_truth_and_beats_the_naive_estimator(fast_study):
    for generator, results in fast_study.groupby("generator"):
        estimator, naive = summarise(results)
        assert estimator.coverage >= 0.7, generator
        assert estimator.median_absolute_error < min(0.08, naive.median_absolute_error / 4), generator
    for name in QUANTITIES:  # every estimated quantity has an interval of positive width around its estimate
        assert (fast_study[f"{name}_low"] <= fast_study[f"{name}_estimate"]).all(), name
        assert (fast_study[f"{name}_estimate"] <= fast_study[f"{name}_high"]).all(), name
    assert (fast_study["conversion_rate_high"] > fast_study["conversion_rate_low"]).all()


@pytest.mark.xdist_group("calibration")
def test_the_structure_table_has_a_row_per_generator_and_structure_value(fast_study):
    table = structure_table(fast_study, "team_column")
    assert set(zip(table["generator"], table["structure"])) >= {
        ("independent", "team_column: False"),
        ("independent", "team_column: True"),
    }
    assert table["deployments"].sum() == len(fast_study)
    assert ((0 <= table["conversion_rate coverage"]) & (table["conversion_rate coverage"] <= 1)).all()


def test_the_assigned_sampling_floor_follows_the_binomial_error_of_the_assigned_members():
    results = pd.DataFrame(
        {
            "rollout": [False, False, True, False],
            "assigned": [25, 100, 25, 0],
            "production_adoption_truth": [0.5, 0.5, 0.5, 0.5],
            "conversion_rate_truth": [0.4, 0.4, 0.4, 0.4],
        }
    )
    floor = assigned_sampling_floor(results)
    assert floor[0] == pytest.approx(0.4 * 0.6745 * (0.5 / (25 * 0.5)) ** 0.5)
    assert floor[1] == pytest.approx(floor[0] / 2)  # four times the members, half the error
    assert floor[2:].isna().all()  # a rollout cohort, or no assigned member: no floor

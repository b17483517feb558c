"""The calibration study: the fast version (20 simulated deployments) that runs in every test run.

The full study (at least 100 deployments) is benchmarks/calibration_study.py; its table is in the
methodology appendix.
"""

from __future__ import annotations

import dataclasses

import pytest

from scalegap.calibration import run_study, summarise, varied_parameters
from scalegap.simulate import SimulationParameters

FAST_DEPLOYMENTS = 20
FAST_REPLICATES = 60


def test_the_varied_parameters_are_deterministic_and_vary_what_the_issue_names():
    first = [varied_parameters(n) for n in range(40)]
    assert first == [varied_parameters(n) for n in range(40)]
    defaults = SimulationParameters()
    for name in ("pilot_volunteer_share", "production_messy_share", "support_load", "sustainment_factor",
                 "readiness_measurement_error"):
        assert len({getattr(p, name) for p in first}) == 40, name
        assert any(getattr(p, name) != getattr(defaults, name) for p in first)
    assert sum(p.pilot_messy_share == 0.0 for p in first) >= 5  # pilots without messy records
    effects = {tuple(d.minutes_saved_per_task for d in p.departments) for p in first}
    assert len(effects) == 40  # segment effects vary
    assert all(dataclasses.replace(p) == p for p in first)  # valid parameters (validated on construction)


@pytest.mark.xdist_group("calibration")
def test_the_fast_calibration_study_covers_the_truth_and_beats_the_naive_estimator():
    results = run_study(range(FAST_DEPLOYMENTS), replicates=FAST_REPLICATES)
    estimator, naive = summarise(results)
    assert estimator.deployments == FAST_DEPLOYMENTS  # every deployment got an estimate
    assert estimator.coverage >= 0.75
    assert estimator.median_absolute_error < naive.median_absolute_error / 4
    assert (results["low"] < results["estimate"]).all() and (results["estimate"] < results["high"]).all()

"""Calibration study: does the conversion estimator find the truth the simulator planted?

Each deployment is a simulated client (:mod:`scalegap.simulate`) with parameters drawn by
:func:`varied_parameters`: the pilot's share of volunteers, the messy-data shares (a quarter of the pilots
had no messy records at all), each department's effect and adoption, the support load, the sustainment
factor and the survey's measurement error and non-response.  Every deployment goes the product's whole
way: exports written in the vendors' formats, read and prepared as ``scalegap run`` does, then the
estimator (:func:`scalegap.models.conversion.conversion_study`) with the demo's assessment.yml.  The truth is
the simulator's ``conversion_rate``.

Reported per estimator (the conversion estimator, and the naive one that takes the pilot's value as the
production value, conversion rate 1): bias (mean of estimate − truth), median absolute error, and the
coverage of the interval (the share of deployments whose interval holds the truth; the naive estimator has
no interval).  Targets: coverage 85–95 %, median absolute error below 0.05.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.demo import create_demo_client
from scalegap.models import conversion
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from scalegap.simulate import SimulationParameters

STUDY_SEED = 20261125


def varied_parameters(deployment: int, study_seed: int = STUDY_SEED, rollout: bool = True) -> SimulationParameters:
    """The parameters of deployment number ``deployment`` (deterministic in both numbers); ``rollout=False``
    drops the assigned rollout cohort (a pilot-only client)."""
    rng = np.random.default_rng([study_seed, deployment])
    base = SimulationParameters()
    departments = tuple(dataclasses.replace(
        d, minutes_saved_per_task=d.minutes_saved_per_task * float(rng.uniform(0.7, 1.3)),
        adoption_intercept=d.adoption_intercept + float(rng.normal(0.0, 0.25))) for d in base.departments)
    no_messy_pilot = rng.random() < 0.25
    return dataclasses.replace(
        base, seed=int(rng.integers(1, 2**31 - 1)), departments=departments,
        pilot_volunteer_share=float(rng.uniform(0.5, 1.0)),
        production_messy_share=float(rng.uniform(0.2, 0.6)),
        pilot_messy_share=0.0 if no_messy_pilot else float(rng.uniform(0.02, 0.15)),
        messy_data_multiplier=float(rng.uniform(0.2, 0.6)),
        support_load=float(rng.uniform(0.5, 2.0)),
        sustainment_factor=float(rng.uniform(0.8, 1.0)),
        readiness_measurement_error=float(rng.uniform(0.4, 0.9)),
        survey_readiness_slope=float(rng.uniform(0.3, 0.8)),
        pilot_team_tuning=float(rng.uniform(0.0, 0.25)),
        rollout_department=base.rollout_department if rollout else None,
    )


@dataclass(frozen=True)
class DeploymentResult:
    """One deployment: the truth and the estimate with its interval (NaN when no estimate was possible)."""

    deployment: int
    truth: float
    estimate: float
    low: float
    high: float
    pilot_volunteer_share: float
    pilot_messy_share: float
    error: str = ""

    @property
    def covered(self) -> bool:
        return bool(self.low <= self.truth <= self.high)


def run_deployment(deployment: int, replicates: int = 200, study_seed: int = STUDY_SEED,
                   rollout: bool = True) -> DeploymentResult:
    """Simulate, write, prepare and estimate one deployment in a temporary folder (removed afterwards)."""
    parameters = varied_parameters(deployment, study_seed, rollout)
    workdir = Path(tempfile.mkdtemp(prefix="scalegap-calibration-"))
    try:
        folder = create_demo_client(workdir / "client", parameters=parameters)
        overrides = {"conversion": {"replicates": replicates}}
        package = prepare(folder, load_settings(folder.assessment, overrides))
        truth = json.loads((folder.root / "truth.json").read_text(encoding="utf-8"))
        study = conversion.conversion_study(package)
    except Exception as error:  # noqa: BLE001 - a failing deployment is reported, not hidden: it counts as missed
        return DeploymentResult(deployment, float("nan"), float("nan"), float("nan"), float("nan"),
                                parameters.pilot_volunteer_share, parameters.pilot_messy_share,
                                f"{type(error).__name__}: {error}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    estimate, (low, high) = ((study.point.conversion_rate, study.conversion_interval) if study is not None
                             else (float("nan"), (float("nan"), float("nan"))))
    return DeploymentResult(deployment, float(truth["conversion_rate"]), float(estimate), float(low), float(high),
                            parameters.pilot_volunteer_share, parameters.pilot_messy_share)


def run_study(deployments: Iterable[int], replicates: int = 200, workers: int = 1,
              study_seed: int = STUDY_SEED, rollout: bool = True) -> pd.DataFrame:
    """One row per deployment (see :class:`DeploymentResult`), run on ``workers`` processes."""
    numbers = list(deployments)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(run_deployment, numbers, [replicates] * len(numbers),
                                    [study_seed] * len(numbers), [rollout] * len(numbers)))
    else:
        results = [run_deployment(n, replicates, study_seed, rollout) for n in numbers]
    frame = pd.DataFrame([dataclasses.asdict(r) for r in results])
    return frame.assign(covered=[r.covered for r in results])


@dataclass(frozen=True)
class CalibrationSummary:
    """Bias, median absolute error and interval coverage of one estimator over the deployments."""

    estimator: str
    deployments: int
    bias: float
    median_absolute_error: float
    coverage: float | None


def summarise(results: pd.DataFrame) -> tuple[CalibrationSummary, CalibrationSummary]:
    """The conversion estimator's and the naive estimator's (conversion rate 1) summaries."""
    estimated = results.dropna(subset=["estimate"])
    error = estimated["estimate"] - estimated["truth"]
    naive = 1.0 - results["truth"]
    coverage = float(results["covered"].mean())  # a deployment without an estimate counts as not covered
    return (CalibrationSummary("scalegap transport estimator", len(estimated), float(error.mean()),
                               float(error.abs().median()), coverage),
            CalibrationSummary("naive (pilot value = production value)", len(results), float(naive.mean()),
                               float(naive.abs().median()), None))

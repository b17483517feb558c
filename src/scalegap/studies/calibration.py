"""Calibration study: does the conversion estimator find the truth two independent generators planted?

Two generators write deployments with known truth:

* ``simulate``: :mod:`scalegap.simulate` (the demo's world), with parameters drawn by
  :func:`varied_parameters`: the pilot's share of volunteers, the messy-data shares, each department's effect
  and adoption, the support load, the sustainment factor, the survey's measurement error, and a rollout cohort
  in half of the deployments;
* ``independent``: :mod:`scalegap.studies.independent_generator`, written apart from it with other functional forms
  (probit adoption, effects multiplicative in readiness, heavy-tailed usage, person-level messy multipliers)
  and structures drawn per deployment (team column or not, rollout cohort or not, of one or two departments or
  across them, 0-40 assigned pilot members, one or all constructs predictive, 0-12 messy records per pilot
  member, pilot clean share 0.6-1).

Every deployment goes the product's whole way: exports written in vendor formats, read and prepared as
``scalegap run`` does, then :func:`scalegap.models.conversion.conversion_study`.  Each row of the study holds
the truth, the estimate and the interval of the conversion rate, of its four factors and of production
adoption, with the deployment's structure; :func:`structure_table` summarises them per structure: coverage
of the interval, median absolute error and median interval width.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalegap.client import ClientFolder
from scalegap.demo import create_demo_client
from scalegap.models import conversion
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from scalegap.simulate import SimulationParameters

STUDY_SEED = 20261125
GENERATORS = ("simulate", "independent")
QUANTITIES = ("conversion_rate", *(f"{factor}_factor" for factor in conversion.FACTORS), "production_adoption")
#: a deployment's structure: the columns :func:`structure_table` groups by
STRUCTURE = ("cohorts", "team_column", "predictive", "messy_records")


def varied_parameters(deployment: int, study_seed: int = STUDY_SEED, rollout: bool = True) -> SimulationParameters:
    """The parameters of deployment number ``deployment`` (deterministic in both numbers); ``rollout=False``
    drops the assigned rollout cohort (a pilot-only client)."""
    rng = np.random.default_rng([study_seed, deployment])
    base = SimulationParameters()
    departments = tuple(
        dataclasses.replace(
            d,
            minutes_saved_per_task=d.minutes_saved_per_task * float(rng.uniform(0.7, 1.3)),
            adoption_intercept=d.adoption_intercept + float(rng.normal(0.0, 0.25)),
        )
        for d in base.departments
    )
    no_messy_pilot = rng.random() < 0.25
    return dataclasses.replace(
        base,
        seed=int(rng.integers(1, 2**31 - 1)),
        departments=departments,
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


def cohorts_label(rollout: bool, assigned: int, across: bool = False) -> str:
    """How production adoption can be measured: from a rollout cohort (``across`` the organisation, or from one
    or two departments), from assigned pilot members, or not."""
    if rollout:
        return "rollout across departments" if across else "rollout of 1-2 departments"
    return "assigned pilot members (10+)" if assigned >= 10 else "pilot only (volunteers)"


def messy_band(messy_per_member: float) -> str:
    return "none" if messy_per_member == 0 else "1-4" if messy_per_member < 4.5 else "5+"


@dataclass(frozen=True)
class Deployment:
    """One written deployment: its folder, structure and truth (``truth``: quantity -> true value)."""

    folder: ClientFolder
    structure: dict[str, Any]
    truth: dict[str, float]


def simulated_deployment(root: Path, deployment: int, study_seed: int) -> Deployment:
    """Deployment ``deployment`` of the first generator (a rollout cohort in every other one)."""
    parameters = varied_parameters(deployment, study_seed, rollout=deployment % 2 == 0)
    folder = create_demo_client(root, parameters=parameters)
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    factors = truth["conversion_factors"]
    assigned = round(truth["pilot_size"] * (1 - truth["pilot_volunteer_share_actual"]))
    messy = parameters.pilot_messy_share * parameters.period_records_per_person
    structure = {
        "rollout": parameters.rollout_department is not None,
        "rollout_across": False,
        "assigned": assigned,
        "team_column": True,
        "predictive": "all",
        "messy_per_member": messy,
        "pilot_clean_share": 1 - parameters.pilot_messy_share,
    }
    values = {
        "conversion_rate": truth["conversion_rate"],
        **{f"{f}_factor": factors[f"{f}_factor"] for f in conversion.FACTORS},
        "production_adoption": truth["adoption_production_mean"] * truth["sustainment_factor"],
    }
    return Deployment(folder, structure, values)


def independent_deployment(root: Path, deployment: int, study_seed: int) -> Deployment:
    """Deployment ``deployment`` of the second generator."""
    from scalegap.studies.independent_generator import write_deployment

    structure, truth = write_deployment(root, study_seed * 1000 + deployment)
    values = {
        "conversion_rate": truth.conversion_rate,
        "adoption_factor": truth.adoption_factor,
        "effect_factor": truth.effect_factor,
        "data_mix_factor": truth.data_mix_factor,
        "sustainment_factor": truth.sustainment_factor,
        "production_adoption": truth.production_adoption,
    }
    return Deployment(
        ClientFolder(root), {**dataclasses.asdict(structure), "messy_per_member": structure.messy_per_member}, values
    )


def estimates(study: conversion.ConversionStudy | None) -> dict[str, float]:
    """Estimate, low and high of every quantity (NaN when there was no estimate)."""
    picks: dict[str, Callable[..., float]] = {
        "conversion_rate": lambda e: e.conversion_rate,
        "production_adoption": lambda e: e.production_adoption,
        **{f"{f}_factor": (lambda e, f=f: e.factors[f]) for f in conversion.FACTORS},
    }
    row: dict[str, float] = {}
    for name, pick in picks.items():
        if study is None:
            row |= {f"{name}_estimate": np.nan, f"{name}_low": np.nan, f"{name}_high": np.nan}
            continue
        low, high = study.interval_of(pick)
        row |= {f"{name}_estimate": float(pick(study.point)), f"{name}_low": float(low), f"{name}_high": float(high)}
    return row


def run_deployment(
    deployment: int, replicates: int = 200, study_seed: int = STUDY_SEED, generator: str = "simulate"
) -> dict[str, Any]:
    """Write, prepare and estimate one deployment in a temporary folder (removed afterwards): one result row."""
    workdir = Path(tempfile.mkdtemp(prefix="scalegap-calibration-"))
    make = simulated_deployment if generator == "simulate" else independent_deployment
    row: dict[str, Any] = {"generator": generator, "deployment": deployment, "error": ""}
    try:
        written = make(workdir / "client", deployment, study_seed)
        row |= written.structure | {f"{name}_truth": value for name, value in written.truth.items()}
        package = PreparedPackage(
            prepare(
                written.folder, load_settings(written.folder.assessment, {"statistics": {"replicates": replicates}})
            )
        )
        study = conversion.conversion_study(package)
        row |= estimates(study)
        row["error"] = "" if study is not None else "no estimate"
    except Exception as error:  # noqa: BLE001 - a failing deployment is reported, not hidden: it counts as missed
        row |= estimates(None) | {"error": f"{type(error).__name__}: {error}"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    row["cohorts"] = cohorts_label(
        bool(row.get("rollout")), int(row.get("assigned", 0)), bool(row.get("rollout_across", False))
    )
    row["messy_records"] = messy_band(float(row.get("messy_per_member", 0.0)))
    return row


def run_study(
    deployments: Iterable[int],
    replicates: int = 200,
    workers: int = 1,
    study_seed: int = STUDY_SEED,
    generator: str = "simulate",
) -> pd.DataFrame:
    """One row per deployment (see :func:`run_deployment`), run on ``workers`` processes."""
    numbers = list(deployments)
    arguments = (numbers, [replicates] * len(numbers), [study_seed] * len(numbers), [generator] * len(numbers))
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(run_deployment, *arguments))
    else:
        rows = [run_deployment(*values) for values in zip(*arguments)]
    return covered(pd.DataFrame(rows))


def covered(results: pd.DataFrame) -> pd.DataFrame:
    """``results`` with ``<quantity>_covered``: the interval holds the truth (no estimate: not covered)."""
    results = results.copy()
    for name in QUANTITIES:
        results[f"{name}_covered"] = (results[f"{name}_low"] <= results[f"{name}_truth"]) & (
            results[f"{name}_truth"] <= results[f"{name}_high"]
        )
    return results


@dataclass(frozen=True)
class QuantitySummary:
    """Coverage of the interval, median absolute error and median interval width of one quantity."""

    coverage: float
    median_absolute_error: float
    median_width: float
    bias: float


#: the median absolute deviation of a standard normal: a normal error of standard deviation s has median |error| 0.674 s
NORMAL_MEDIAN_ABSOLUTE = 0.6745


def assigned_sampling_floor(results: pd.DataFrame) -> pd.Series:
    """Per deployment without a rollout cohort, the median absolute error of the conversion rate that the assigned
    pilot members' sampling noise alone gives: ``rate × 0.674 × √((1 − p) / (n p))``, the relative standard error
    of a share ``p`` (true production adoption) read off ``n`` assigned members, carried into the rate.  An
    estimator that measures production adoption on them cannot, on median, err by less (pooling with the
    volunteers through readiness narrows it only as far as readiness explains who adopts).  NaN where there is a
    rollout cohort or no assigned member."""
    share = results["production_adoption_truth"].clip(0.01, 0.99)
    assigned = results["assigned"].where(~results["rollout"].astype(bool) & (results["assigned"] > 0))
    relative = np.sqrt((1.0 - share) / (assigned * share))
    return results["conversion_rate_truth"] * NORMAL_MEDIAN_ABSOLUTE * relative


def summarise_quantity(results: pd.DataFrame, name: str) -> QuantitySummary:
    estimated = results.dropna(subset=[f"{name}_estimate"])
    error = estimated[f"{name}_estimate"] - estimated[f"{name}_truth"]
    width = estimated[f"{name}_high"] - estimated[f"{name}_low"]
    return QuantitySummary(
        float(results[f"{name}_covered"].mean()),
        float(error.abs().median()),
        float(width.median()),
        float(error.mean()),
    )


def structure_table(results: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per generator and value of ``by`` (a structure column, or "all"): deployments, then coverage and median
    absolute error of each quantity, and the rate's median interval width."""
    rows = []
    keys = ["generator"] if by == "all" else ["generator", by]
    for key, group in results.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = {
            "generator": key[0],
            "structure": "all" if by == "all" else f"{by}: {key[1]}",
            "deployments": len(group),
            "estimated": int(group["conversion_rate_estimate"].notna().sum()),
        }
        for name in QUANTITIES:
            summary = summarise_quantity(group, name)
            row[f"{name} coverage"] = summary.coverage
            row[f"{name} MAE"] = summary.median_absolute_error
        row["conversion_rate median width"] = summarise_quantity(group, "conversion_rate").median_width
        row["conversion_rate bias"] = summarise_quantity(group, "conversion_rate").bias
        row["assigned sampling floor"] = float(assigned_sampling_floor(group).median())
        rows.append(row)
    return pd.DataFrame(rows)


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
    rate = summarise_quantity(results, "conversion_rate")
    naive = 1.0 - results["conversion_rate_truth"]
    estimated = int(results["conversion_rate_estimate"].notna().sum())
    return (
        CalibrationSummary(
            "scalegap transport estimator", estimated, rate.bias, rate.median_absolute_error, rate.coverage
        ),
        CalibrationSummary(
            "naive (pilot value = production value)",
            len(results),
            float(naive.mean()),
            float(naive.abs().median()),
            None,
        ),
    )

"""The bootstrap: resampling units, cluster draws and the replicate draws that give every factor its interval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap.models import adoption, effect, support
from scalegap.models.adoption import forecast as adoption_forecast
from scalegap.models.conversion.arrays import nan_mean, roster_arrays
from scalegap.models.conversion.evidence import NO_TEAM, ConversionInputs, conversion_inputs, unavailable_reason
from scalegap.models.conversion.point_estimate import (
    DEPARTMENT_PRIOR_SD,
    MIN_OUTSIDE_PILOT,
    TEAM_TUNING_PRIOR,
    Draws,
    Estimate,
    measured_multiplier,
    measured_people,
    one_estimate,
)
from scalegap.models.production_scaling import Sustainment
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import percentile_interval

MIN_EFFECT_PEOPLE = 5


# --- the bootstrap ---------------------------------------------------------------------------------------------------

#: the bootstrap redraws teams only when the pilot spans at least this many of them: with fewer, a cluster
#: bootstrap has too few units to vary (with one, every replicate redraws the same roster), so people are redrawn
MIN_PILOT_TEAMS = 8


def resampling_units(people: pd.DataFrame) -> tuple[pd.Series, str]:
    """The unit each person is redrawn with, and its name ("team" or "person").

    Teams, where the roster names them and the pilot spans at least :data:`MIN_PILOT_TEAMS`; a person without a
    team is a unit of their own.  Otherwise every person is their own unit."""
    teams = people["team"].astype("object")
    named = teams.ne(NO_TEAM)
    pilot = people["cohort"].eq(adoption.PILOT) & named
    if teams[pilot].nunique() >= MIN_PILOT_TEAMS:
        return teams.where(named, "person " + people["person_id"].astype(str)), "team"
    return "person " + people["person_id"].astype(str), "person"


def unit_strata(people: pd.DataFrame, units: pd.Series) -> pd.Series:
    """Per resampling unit: pilot (it has a pilot member), rollout (a rollout member) or other."""
    keys = units.to_numpy()
    pilot = people["cohort"].eq(adoption.PILOT).fillna(False).groupby(keys).any()
    access = people["cohort"].notna().groupby(keys).any().reindex(pilot.index)
    labels = np.where(pilot.to_numpy(bool), "pilot", np.where(access.to_numpy(bool), "rollout", "other"))
    return pd.Series(labels, index=pilot.index, dtype=object)


#: the strata whose units a replicate redraws (in this order); the other units have no one with access
DRAWN_STRATA = ("pilot", "rollout")


@dataclass(frozen=True)
class ClusterPlan:
    """The rows of each resampling unit (in :func:`unit_strata`'s order) and, per drawn stratum, its units'
    numbers: built once, so a replicate only draws numbers and joins rows."""

    members: tuple[np.ndarray, ...]
    pools: tuple[np.ndarray, ...]

    @classmethod
    def of(cls, people: pd.DataFrame, units: pd.Series, strata: pd.Series) -> ClusterPlan:
        indices = people.groupby(units.to_numpy()).indices
        labels = strata.to_numpy()
        return cls(
            tuple(np.asarray(indices[unit]) for unit in strata.index),
            tuple(np.flatnonzero(labels == stratum) for stratum in DRAWN_STRATA),
        )

    def rows(self, rng: np.random.Generator) -> np.ndarray:
        """The rows of units redrawn with replacement within their stratum (unit sizes as they come)."""
        drawn: list[np.ndarray] = []
        for pool in self.pools:
            if len(pool):
                drawn.extend(self.members[unit] for unit in rng.choice(pool, size=len(pool)))
        return np.concatenate(drawn) if drawn else np.array([], dtype=int)


def cluster_draw(rng: np.random.Generator, people: pd.DataFrame, units: pd.Series, strata: pd.Series) -> pd.DataFrame:
    """The people of units redrawn with replacement within their stratum (unit sizes as they come)."""
    return people.iloc[ClusterPlan.of(people, units, strata).rows(rng)]


def replicate_draws(rng: np.random.Generator, departments: int, sustainment_interval: tuple[float, float]) -> Draws:
    return Draws(
        department_effects=rng.normal(0.0, DEPARTMENT_PRIOR_SD, departments),
        team_tuning=float(rng.uniform(*TEAM_TUNING_PRIOR)),
        messy_multiplier=float(rng.uniform(*effect.UNMEASURED_MULTIPLIER_RANGE)),
        multiplier_quantile=float(rng.uniform()),
        sustainment=float(rng.uniform(*sustainment_interval)),
    )


@dataclass(frozen=True)
class ConversionStudy:
    """The point estimate, its bootstrap replicates, and what was measured and what was drawn."""

    inputs: ConversionInputs
    point: Estimate
    replicates: tuple[Estimate, ...]
    interval: float
    sustainment: support.SustainmentFactor
    multiplier: effect.MessyMultiplier
    team_tuning_measured: bool
    unmeasured_departments: tuple[str, ...]
    forecasts: adoption.Forecasts
    #: what the bootstrap redrew: "team" or "person" (:func:`resampling_units`)
    resampled: str = "team"

    def interval_of(self, pick: Any) -> tuple[float, float]:
        """The percentile interval of ``pick(estimate)`` over the replicates."""
        return percentile_interval(np.array([pick(r) for r in self.replicates], dtype=float), self.interval)

    @property
    def conversion_interval(self) -> tuple[float, float]:
        return self.interval_of(lambda e: e.conversion_rate)

    def factor_interval(self, factor: str) -> tuple[float, float]:
        return self.interval_of(lambda e: e.factors[factor])


def sustainment_of(package: PreparedPackage) -> tuple[support.SustainmentFactor, Sustainment]:
    """The support chapter's sustainment factor, and its value and interval (1 and (1, 1) when not projected)."""
    factor = support.sustainment_factor(package)
    return factor, Sustainment.of(factor)


def department_adoption(
    forecasts: adoption.Forecasts, draw: adoption_forecast.Draw, departments: tuple[str, ...]
) -> np.ndarray:
    """Production adoption per department (in ``departments`` order) in one adoption draw; a department the
    model has no level for gets the mean of the others."""
    position = {level: i for i, level in enumerate(forecasts.inputs.codes["department"].levels)}
    positions = np.array([position.get(department, -1) for department in departments], dtype=np.intp)
    eventual = np.asarray(draw.eventual["department"], dtype=float)
    values = np.where(positions >= 0, eventual[positions], np.nan)
    return np.where(np.isnan(values), nan_mean(values), values)


def conversion_study(
    package: PreparedPackage, adoption_forecasts: adoption.Forecasts | None = None
) -> ConversionStudy | None:
    """Estimate the conversion rate with its bootstrap (None when it cannot be estimated: see
    :func:`unavailable_reason`).  ``adoption_forecasts``: the adoption chapter's forecasts, used instead of
    bootstrapping adoption again when they have this study's replicates (the departments' draws are the same:
    each segment has its own seeded draws)."""
    if unavailable_reason(package) is not None:
        return None
    settings = package.settings.statistics
    data = adoption.adoption_data(package)
    if data is None:
        return None
    factor, kept = sustainment_of(package)
    sustainment, sustainment_range = kept.value, (kept.low, kept.high)
    reuse = adoption_forecasts is not None and len(adoption_forecasts.replicates) == settings.replicates
    forecasts = (
        adoption_forecasts
        if reuse
        else adoption_forecast.department_forecasts(
            data, settings.replicates, Sustainment() if data.has_rollout else kept
        )
    )
    if forecasts is None:
        return None
    inputs = conversion_inputs(package, data)
    measured = measured_people(inputs, inputs.people)
    if (measured["cohort"] == adoption.PILOT).sum() < MIN_EFFECT_PEOPLE:
        return None
    arrays, everyone = roster_arrays(inputs), np.arange(len(inputs.people))
    point = one_estimate(
        arrays,
        everyone,
        department_adoption(forecasts, forecasts.point, inputs.departments),
        forecasts.point.scaling.conditions,
        sustainment if forecasts.has_rollout else forecasts.point.scaling.sustainment,
        Draws(),
    )
    rng = np.random.default_rng(settings.seed)
    units, unit_name = resampling_units(inputs.people)
    plan = ClusterPlan.of(inputs.people, units, unit_strata(inputs.people, units))
    replicates = []
    for draw in forecasts.replicates:
        rows = plan.rows(rng)
        draws = replicate_draws(rng, len(inputs.departments), sustainment_range)
        kept_share = draws.sustainment if forecasts.has_rollout else draw.scaling.sustainment
        assert kept_share is not None  # replicate_draws draws the sustainment
        replicates.append(
            one_estimate(
                arrays,
                rows,
                department_adoption(forecasts, draw, inputs.departments),
                draw.scaling.conditions,
                kept_share,
                draws,
            )
        )
    unmeasured = tuple(d for d in inputs.departments if d not in set(measured["department"]))
    return ConversionStudy(
        inputs,
        point,
        tuple(replicates),
        settings.interval,
        factor,
        measured_multiplier(inputs, inputs.people),
        int((measured["cohort"] != adoption.PILOT).sum()) >= MIN_OUTSIDE_PILOT,
        unmeasured,
        forecasts,
        unit_name,
    )

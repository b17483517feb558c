"""One estimate of the conversion rate's factors: the effect model, production's effect, value and multiplier."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scalegap.models import effect
from scalegap.models.conversion.arrays import RosterArrays, nan_mean
from scalegap.models.conversion.evidence import ConversionInputs
from scalegap.stats.estimation import ridge_glm

DEPARTMENT_PRIOR_SD = 0.35


TEAM_TUNING_PRIOR = (0.0, 0.3)


MIN_OUTSIDE_PILOT = 10


# --- one estimate -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One estimate (the point estimate or a bootstrap replicate) of every quantity of the conversion rate."""

    pilot_adoption: float
    production_adoption: float
    pilot_value_per_active: float
    production_value_per_active: float
    pilot_messy_share: float
    production_messy_share: float
    messy_multiplier: float
    sustainment: float
    pilot_conditions: float

    @property
    def pilot_mix(self) -> float:
        return effect.data_mix(self.pilot_messy_share, self.messy_multiplier)

    @property
    def production_mix(self) -> float:
        return effect.data_mix(self.production_messy_share, self.messy_multiplier)

    @property
    def pilot_value(self) -> float:
        return self.pilot_adoption * self.pilot_value_per_active * self.pilot_mix

    @property
    def production_value(self) -> float:
        return self.production_adoption * self.production_value_per_active * self.production_mix

    @property
    def factors(self) -> dict[str, float]:
        adoption_before_loss = self.production_adoption / self.sustainment
        return {
            "adoption": adoption_before_loss / self.pilot_adoption,
            "effect": self.production_value_per_active / self.pilot_value_per_active,
            "data_mix": self.production_mix / self.pilot_mix,
            "sustainment": self.sustainment,
        }

    @property
    def conversion_rate(self) -> float:
        return self.production_value / self.pilot_value


@dataclass(frozen=True)
class Draws:
    """What one replicate draws where the data cannot measure a quantity (None in the point estimate)."""

    department_effects: np.ndarray | None = None
    team_tuning: float | None = None
    messy_multiplier: float | None = None
    #: the quantile of the measured multiplier's posterior this replicate takes (the median in the point)
    multiplier_quantile: float | None = None
    sustainment: float | None = None


def fitted_effect_model(
    X: np.ndarray, outcome: np.ndarray, departments: tuple[str, ...], tuning: float | None = None
) -> np.ndarray:
    """The effect model's coefficients from its design ``X`` (:func:`design`) and the clean-data effects.
    ``tuning`` given (the team tuning cannot be measured): the pilot-team coefficient is ``log(1 + tuning)``, an
    offset in the fit, so the other coefficients describe untuned teams."""
    family = sm.families.Gaussian(sm.families.links.Log())
    if tuning is None:
        return ridge_glm(outcome, X, len(departments), family, DEPARTMENT_PRIOR_SD)
    coefficient = float(np.log1p(tuning))
    params = ridge_glm(outcome, X[:, :-1], len(departments), family, DEPARTMENT_PRIOR_SD, offset=coefficient * X[:, -1])
    return np.append(params, coefficient)


def production_effects(arrays: RosterArrays, measured: np.ndarray, draws: Draws) -> np.ndarray:
    """Per person in the roster: the predicted clean-data effect per task in production, from the effect model
    of the ``measured`` rows."""
    departments = arrays.departments
    outside_pilot = int((~arrays.pilot[measured]).sum())
    tuning = (
        None
        if outside_pilot >= MIN_OUTSIDE_PILOT
        else (draws.team_tuning if draws.team_tuning is not None else float(np.mean(TEAM_TUNING_PRIOR)))
    )
    params = fitted_effect_model(arrays.design[measured], arrays.clean[measured], departments, tuning)
    known = np.bincount(arrays.department[measured], minlength=len(departments)) > 0
    unknown_draws = draws.department_effects
    params[1 : len(departments) + 1][~known] = unknown_draws[~known] if unknown_draws is not None else 0.0
    return np.exp(np.clip(arrays.design @ params, -20.0, 20.0))


def measured_people(inputs: ConversionInputs, people: pd.DataFrame) -> pd.DataFrame:
    """The people with access and a clean-data effect (one row per drawn person)."""
    with_access = people[people["cohort"].notna()]
    joined = with_access.join(inputs.effects["clean"], on="person_id")
    return joined[joined["clean"].notna()]


def pilot_value(pilot: np.ndarray, adopted: np.ndarray, values: np.ndarray) -> float:
    """Mean ``values`` (clean-data effect × tasks per week) of the measured pilot adopters (of the measured pilot
    members when none adopted)."""
    chosen = pilot & adopted
    return nan_mean(values[chosen if chosen.any() else pilot])


def messy_shares(arrays: RosterArrays, rows: np.ndarray) -> tuple[float, float]:
    """Messy share of the (drawn) pilot members' records, each record counting as often as its person was drawn,
    and of production (declared, or the records outside the pilot)."""
    drawn = np.bincount(arrays.person[rows[arrays.pilot[rows]]], minlength=arrays.people + 1)
    weights = drawn[arrays.record_person]
    total = int(weights.sum())
    pilot_share = float(int(weights[arrays.record_messy].sum()) / total) if total else 0.0
    production = arrays.production_share
    return pilot_share, production if production is not None else pilot_share


def measured_multiplier(inputs: ConversionInputs, people: pd.DataFrame) -> effect.MessyMultiplier:
    """The messy-data multiplier measured on the (drawn) people with access."""
    return effect.messy_multiplier(inputs.effects.reindex(people.loc[people["cohort"].notna(), "person_id"]))


def multiplier(arrays: RosterArrays, rows: np.ndarray, draws: Draws) -> float:
    """The messy-data multiplier of the drawn people (their posterior's median, or the replicate's draw from
    it), or the drawn / middle value when it is not measured."""
    both = arrays.with_both_effects(rows)
    cdf = effect.measured_posterior(arrays.clean[both], arrays.messy[both])
    if cdf is not None:
        quantile = 0.5 if draws.multiplier_quantile is None else draws.multiplier_quantile
        return float(np.interp(quantile, cdf, effect.MULTIPLIER_GRID))
    return (
        draws.messy_multiplier
        if draws.messy_multiplier is not None
        else float(np.mean(effect.UNMEASURED_MULTIPLIER_RANGE))
    )


def one_estimate(
    arrays: RosterArrays,
    rows: np.ndarray,
    production_adoption: np.ndarray,
    conditions: float,
    sustainment: float,
    draws: Draws,
) -> Estimate:
    """The conversion rate's quantities from the (drawn) ``rows`` of the roster and one draw of production
    adoption per department (the adoption chapter's: :mod:`scalegap.models.production_scaling`), with the
    pilot-conditions discount inside it.  ``sustainment`` is the factor inside that draw (without a rollout
    cohort) or, with one, the support chapter's, divided out of the rollout's adoption for the decomposition
    only."""
    measured = arrays.measured(rows)
    pilot = rows[arrays.pilot[rows]]
    weights = arrays.headcount
    per_person = production_effects(arrays, measured, draws) * arrays.tasks
    value_by_department = pd.Series(per_person).groupby(arrays.department).mean()
    value_by_department = value_by_department.reindex(range(len(arrays.departments))).to_numpy()
    pilot_share, production_share = messy_shares(arrays, rows)
    return Estimate(
        pilot_adoption=float(int(arrays.adopted[pilot].sum()) / len(pilot)) if len(pilot) else float("nan"),
        production_adoption=float(np.average(production_adoption, weights=weights)),
        pilot_value_per_active=pilot_value(
            arrays.pilot[measured], arrays.adopted[measured], arrays.clean[measured] * arrays.tasks[measured]
        ),
        production_value_per_active=float(np.average(value_by_department, weights=weights * production_adoption)),
        pilot_messy_share=pilot_share,
        production_messy_share=production_share,
        messy_multiplier=multiplier(arrays, rows, draws),
        sustainment=sustainment,
        pilot_conditions=conditions,
    )

"""The conversion rate: what the pilot's value per person is worth at production scale.

Definition.  Value per person = adoption × effect per active user, where the effect per active user is the
gain per task (:mod:`scalegap.models.effect`) × tasks per week (``conversion.tasks_per_week``) × the
data-mix multiplier of the records the work runs on.  **Conversion rate = production value per person ÷
pilot value per person**, which is exactly the product of four factors:

* **adoption factor** = production adoption before the support loss ÷ the pilot's adoption;
* **effect factor** = clean-data value per active user in production ÷ the same in the pilot (who the
  active users are, what they do, how well the assistant works for them and their team's configuration);
* **data-mix factor** = ``M(production messy share) ÷ M(pilot messy share)``, ``M(s) = (1 − s) + s × m``
  with ``m`` the messy-data multiplier;
* **sustainment factor** = the share of adoption kept under the production support model
  (:func:`scalegap.models.support.sustainment_factor`).

The estimator transports the pilot to the production population through what both share: the roster's
department and team, and readiness from the organisation-wide survey.

* **Pilot** (observed): the share of pilot members who reached sustained use, the mean clean-data effect
  × tasks per week of the pilot's adopters (each person's own within-person effect), and the pilot's record
  mix.
* **Production adoption**: the adoption chapter's forecast per department (:mod:`scalegap.models.adoption`:
  adoption within the confirmed horizon on department, readiness, non-response and a pilot indicator, at pilot
  indicator 0), turned into production adoption by the one rule of :mod:`scalegap.models.production_scaling`
  (the share of eventual adopters already seen and, without a rollout cohort, the pilot-conditions discount
  and the sustainment factor, each drawn from its stated range in every replicate), weighted by headcount.
  The same draws give the adoption chapter's figure, so the book shows one production adoption.  A rollout
  cohort had the service desk, so its adoption already includes the support loss; the sustainment factor is
  then divided out of it for the decomposition and never applied twice.
* **Production effect**: an outcome model of the people's clean-data effects (everyone with access and an
  effect): a Gaussian GLM with log link on department (ridge prior, standard deviation
  ``DEPARTMENT_PRIOR_SD`` on the log scale), readiness (standardised survey index, non-respondents at their
  department's mean; the adoption model's weighted score, regression-calibrated with its reliability) and
  whether the person's configuration was tuned in the pilot (:func:`tuned_in_the_pilot`: the pilot members,
  and their teams where the roster names teams).  It predicts each person in the roster; a department's
  effect is the mean over its people.  A department with no one measured gets no effect of its own in the
  point estimate and one drawn from the prior in each replicate.  The team indicator can only be measured when
  people outside the pilot were measured; otherwise each replicate draws it from ``TEAM_TUNING_PRIOR`` and it
  enters the fit as an offset (the pilot's measured effects include it; untuned teams are predicted without it).
* **Data mix**: the messy shares of the pilot members' records and of production (``production_messy_share``
  or the records outside the pilot); the multiplier from :func:`scalegap.models.effect.messy_multiplier`, or,
  when the data cannot measure it, drawn from ``UNMEASURED_MULTIPLIER_RANGE`` (the point takes its middle).

Uncertainty: a cluster bootstrap, seeded with ``adoption.seed``: teams redrawn with replacement (within
pilot teams, rollout teams and the rest), every person of a drawn team with them, every model refitted.  Teams
are the unit only where the roster has them and the pilot spans at least ``MIN_PILOT_TEAMS``; otherwise people
are redrawn (one team, or none, would make every replicate the same roster: an interval of width zero);
adoption replicates come from the adoption chapter's bootstrap (people redrawn within cohort) and the
sustainment factor is drawn across its interval.  Intervals are percentile intervals of width
``conversion.interval``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scalegap.models import adoption, availability, effect, support
from scalegap.models.adoption import forecast as adoption_forecast
from scalegap.models.estimation import percentile_interval, ridge_glm
from scalegap.models.measurement_error import calibrated
from scalegap.models.production_scaling import Sustainment
from scalegap.package import PreparedPackage

FACTORS = ("adoption", "effect", "data_mix", "sustainment")
FACTOR_LABELS = {
    "adoption": "Adoption",
    "effect": "Effect per active user",
    "data_mix": "Data mix",
    "sustainment": "Sustainment (support)",
}
DEPARTMENT_PRIOR_SD = 0.35
TEAM_TUNING_PRIOR = (0.0, 0.3)
MIN_EFFECT_PEOPLE = 5
MIN_OUTSIDE_PILOT = 10
NO_TEAM = "(no team)"


# --- inputs ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversionInputs:
    """Everything the estimator reads, one row per person in the roster (``people``, never shown).

    ``people`` columns: ``person_id``, ``department``, ``team``, ``cohort`` (Pilot, Rollout or missing),
    ``adopted``, ``pilot_team`` (tuned in the pilot: a pilot member, or in a team with one), ``readiness_z``
    (standardised, imputed), ``tasks_per_week``; ``effects`` are the person effects (index ``person_id``); ``records``
    the usable outcome records.
    """

    people: pd.DataFrame
    effects: pd.DataFrame
    records: pd.DataFrame
    departments: tuple[str, ...]
    has_rollout: bool
    production_messy_share: float | None
    unit: str


def tasks_per_week(departments: pd.Series, package: PreparedPackage, records: pd.DataFrame) -> pd.Series:
    """Tasks per person per week: declared per department, else the declared default, else the outcome
    records per person-week of the people with records."""
    settings = package.settings.conversion
    default = settings.default_tasks_per_week
    if default is None:
        default = records_per_person_week(records)
    return departments.map(settings.tasks_per_week).astype(float).fillna(default)


def records_per_person_week(records: pd.DataFrame) -> float:
    """Outcome records per person per week over the span of each person's records."""
    if records.empty or "completed_on" not in records:
        return float("nan")
    days = pd.to_datetime(records["completed_on"])
    span = days.groupby(records["person_id"]).agg(["min", "max", "size"])
    weeks = ((span["max"] - span["min"]).dt.days + 1) / 7.0
    return float(span["size"].sum() / weeks.clip(lower=1.0).sum())


def standardised(values: pd.Series) -> pd.Series:
    sd = float(values.std())
    return (values - values.mean()) / sd if sd > 0 else values * 0.0


def tuned_in_the_pilot(people: pd.DataFrame) -> pd.Series:
    """Whose configuration the pilot tuned: the pilot members themselves, and everyone in a team that had one
    (where the roster names teams)."""
    pilot = people["cohort"] == adoption.PILOT
    pilot_teams = set(people.loc[pilot, "team"]) - {NO_TEAM}
    return pilot | people["team"].isin(pilot_teams)


def roster_people(package: PreparedPackage, data: adoption.AdoptionData) -> pd.DataFrame:
    """Per person in the roster: department, team, cohort, adoption, pilot team and imputed readiness."""
    people = data.people[["person_id", "department", "cohort", "adopted", "readiness"]].copy()
    roster = package.table("roster").set_index("person_id")
    team = roster["team"] if "team" in roster else pd.Series(pd.NA, index=roster.index)
    people["team"] = team.reindex(people["person_id"]).fillna(NO_TEAM).to_numpy()
    people["pilot_team"] = tuned_in_the_pilot(people).astype(float)
    people["responded"] = people["readiness"].notna()
    department_mean = people.groupby("department")["readiness"].transform("mean")
    own = calibrated(people["readiness"], float(people["readiness"].mean()), data.reliability or 1.0)
    readiness = own.fillna(department_mean).fillna(people["readiness"].mean())
    people["readiness_z"] = standardised(readiness).fillna(0.0)
    people["adopted"] = people["adopted"].fillna(False).astype(bool)
    return people.reset_index(drop=True)


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the conversion rate cannot be estimated for this client, or None."""
    return availability.reason_for(package, "outcomes", "usage", subject="The conversion rate")


def conversion_inputs(package: PreparedPackage, data: adoption.AdoptionData) -> ConversionInputs:
    """Assemble the estimator's inputs from the prepared package and the adoption chapter's data."""
    outcome = effect.outcome_records(package)
    people = roster_people(package, data)
    people["tasks_per_week"] = tasks_per_week(people["department"], package, outcome.records).to_numpy()
    effects = effect.person_effects(outcome.records)
    declared = package.settings.conversion.production_messy_share
    return ConversionInputs(
        people,
        effects,
        outcome.records,
        tuple(sorted(people["department"].unique())),
        data.has_rollout,
        declared,
        outcome.unit,
    )


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


def design(people: pd.DataFrame, departments: tuple[str, ...]) -> np.ndarray:
    """Columns: intercept, one indicator per department, readiness (standardised), pilot team."""
    codes = pd.Categorical(people["department"], categories=list(departments)).codes
    indicators = np.zeros((len(people), len(departments)))
    indicators[np.arange(len(people)), codes] = 1.0
    return np.hstack([np.ones((len(people), 1)), indicators, people[["readiness_z", "pilot_team"]].to_numpy(float)])


def effect_model(measured: pd.DataFrame, departments: tuple[str, ...], tuning: float | None = None) -> np.ndarray:
    """Coefficients of the log-link Gaussian GLM of clean-data effects (see the module docstring).  ``tuning``
    given (the team tuning cannot be measured): the pilot-team coefficient is ``log(1 + tuning)``, an offset in
    the fit, so the other coefficients describe untuned teams."""
    family = sm.families.Gaussian(sm.families.links.Log())
    X, outcome = design(measured, departments), measured["clean"].to_numpy(float)
    if tuning is None:
        return ridge_glm(outcome, X, len(departments), family, DEPARTMENT_PRIOR_SD)
    coefficient = float(np.log1p(tuning))
    params = ridge_glm(outcome, X[:, :-1], len(departments), family, DEPARTMENT_PRIOR_SD, offset=coefficient * X[:, -1])
    return np.append(params, coefficient)


def production_effects(inputs: ConversionInputs, measured: pd.DataFrame, draws: Draws) -> np.ndarray:
    """Per person in the roster: the predicted clean-data effect per task in production."""
    departments = inputs.departments
    outside_pilot = int((measured["cohort"] != adoption.PILOT).sum())
    tuning = (
        None
        if outside_pilot >= MIN_OUTSIDE_PILOT
        else (draws.team_tuning if draws.team_tuning is not None else float(np.mean(TEAM_TUNING_PRIOR)))
    )
    params = effect_model(measured, departments, tuning)
    known = np.isin(np.array(departments), measured["department"].unique())
    unknown_draws = draws.department_effects
    params[1 : len(departments) + 1][~known] = unknown_draws[~known] if unknown_draws is not None else 0.0
    return np.exp(np.clip(design(inputs.people, departments) @ params, -20.0, 20.0))


def measured_people(inputs: ConversionInputs, people: pd.DataFrame) -> pd.DataFrame:
    """The people with access and a clean-data effect (one row per drawn person)."""
    with_access = people[people["cohort"].notna()]
    joined = with_access.join(inputs.effects["clean"], on="person_id")
    return joined[joined["clean"].notna()]


def pilot_value_per_active(measured: pd.DataFrame) -> float:
    """Mean clean-data effect × tasks per week of the pilot's adopters who were measured."""
    pilot = measured[(measured["cohort"] == adoption.PILOT) & measured["adopted"]]
    if pilot.empty:
        pilot = measured[measured["cohort"] == adoption.PILOT]
    return float((pilot["clean"] * pilot["tasks_per_week"]).mean())


def messy_shares(inputs: ConversionInputs, people: pd.DataFrame) -> tuple[float, float]:
    """Messy share of the pilot members' records, and of production (declared, or the records outside the pilot)."""
    records = inputs.records
    pilot_ids = people.loc[people["cohort"] == adoption.PILOT, "person_id"]
    pilot_records = records[records["person_id"].isin(pilot_ids)]
    counts = pilot_ids.value_counts()
    weights = pilot_records["person_id"].map(counts).fillna(0)
    pilot_share = effect.messy_share(pilot_records, weights) or 0.0
    if inputs.production_messy_share is not None:
        return pilot_share, inputs.production_messy_share
    outside = records[
        ~records["person_id"].isin(inputs.people.loc[inputs.people["cohort"] == adoption.PILOT, "person_id"])
    ]
    production = effect.messy_share(outside)
    return pilot_share, production if production is not None else pilot_share


def measured_multiplier(inputs: ConversionInputs, people: pd.DataFrame) -> effect.MessyMultiplier:
    """The messy-data multiplier measured on the (drawn) people with access."""
    return effect.messy_multiplier(inputs.effects.reindex(people.loc[people["cohort"].notna(), "person_id"]))


def multiplier(inputs: ConversionInputs, people: pd.DataFrame, draws: Draws) -> float:
    """The messy-data multiplier of the drawn people (their posterior's median, or the replicate's draw from
    it), or the drawn / middle value when it is not measured."""
    measured = measured_multiplier(inputs, people)
    if measured.measured:
        return (
            float(measured.value) if draws.multiplier_quantile is None else measured.quantile(draws.multiplier_quantile)
        )
    return (
        draws.messy_multiplier
        if draws.messy_multiplier is not None
        else float(np.mean(effect.UNMEASURED_MULTIPLIER_RANGE))
    )


def one_estimate(
    inputs: ConversionInputs,
    people: pd.DataFrame,
    production_adoption: np.ndarray,
    conditions: float,
    sustainment: float,
    draws: Draws,
) -> Estimate:
    """The conversion rate's quantities from the (drawn) people and one draw of production adoption per
    department (the adoption chapter's: :mod:`scalegap.models.production_scaling`), with the pilot-conditions
    discount inside it.  ``sustainment`` is the factor inside that draw (without a rollout cohort) or, with
    one, the support chapter's, divided out of the rollout's adoption for the decomposition only."""
    measured = measured_people(inputs, people)
    pilot = people[people["cohort"] == adoption.PILOT]
    weights = inputs.people["department"].value_counts().reindex(list(inputs.departments)).to_numpy(float)
    per_person = production_effects(inputs, measured, draws) * inputs.people["tasks_per_week"].to_numpy(float)
    value_by_department = pd.Series(per_person).groupby(inputs.people["department"]).mean()
    value_by_department = value_by_department.reindex(list(inputs.departments)).to_numpy()
    pilot_share, production_share = messy_shares(inputs, people)
    return Estimate(
        pilot_adoption=float(pilot["adopted"].mean()),
        production_adoption=float(np.average(production_adoption, weights=weights)),
        pilot_value_per_active=pilot_value_per_active(measured),
        production_value_per_active=float(np.average(value_by_department, weights=weights * production_adoption)),
        pilot_messy_share=pilot_share,
        production_messy_share=production_share,
        messy_multiplier=multiplier(inputs, people, draws),
        sustainment=sustainment,
        pilot_conditions=conditions,
    )


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
    cohorts = people["cohort"].groupby(units.to_numpy()).agg(lambda c: set(c.dropna()))
    return cohorts.map(lambda c: "pilot" if adoption.PILOT in c else ("rollout" if c else "other"))


def cluster_draw(rng: np.random.Generator, people: pd.DataFrame, units: pd.Series, strata: pd.Series) -> pd.DataFrame:
    """The people of units redrawn with replacement within their stratum (unit sizes as they come)."""
    members = people.groupby(units.to_numpy()).indices
    drawn = []
    for stratum in ("pilot", "rollout"):
        pool = strata.index[strata == stratum].to_numpy()
        if len(pool):
            drawn.extend(rng.choice(pool, size=len(pool)))
    rows = np.concatenate([members[unit] for unit in drawn]) if drawn else np.array([], dtype=int)
    return people.iloc[rows]


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
    levels = forecasts.inputs.codes["department"].levels
    values = pd.Series(draw.eventual["department"], index=list(levels)).reindex(list(departments))
    return values.fillna(values.mean()).to_numpy(float)


def conversion_study(package: PreparedPackage) -> ConversionStudy | None:
    """Estimate the conversion rate with its bootstrap (None when it cannot be estimated: see
    :func:`unavailable_reason`)."""
    if unavailable_reason(package) is not None:
        return None
    settings = package.settings.conversion
    data = adoption.adoption_data(package)
    if data is None:
        return None
    factor, kept = sustainment_of(package)
    sustainment, sustainment_range = kept.value, (kept.low, kept.high)
    forecasts = adoption_forecast.department_forecasts(
        data, settings.replicates, Sustainment() if data.has_rollout else kept
    )
    if forecasts is None:
        return None
    inputs = conversion_inputs(package, data)
    measured = measured_people(inputs, inputs.people)
    if (measured["cohort"] == adoption.PILOT).sum() < MIN_EFFECT_PEOPLE:
        return None
    point = one_estimate(
        inputs,
        inputs.people,
        department_adoption(forecasts, forecasts.point, inputs.departments),
        forecasts.point.scaling.conditions,
        sustainment if forecasts.has_rollout else forecasts.point.scaling.sustainment,
        Draws(),
    )
    rng = np.random.default_rng(package.settings.adoption.seed)
    units, unit_name = resampling_units(inputs.people)
    strata = unit_strata(inputs.people, units)
    replicates = []
    for draw in forecasts.replicates:
        people = cluster_draw(rng, inputs.people, units, strata)
        draws = replicate_draws(rng, len(inputs.departments), sustainment_range)
        kept_share = draws.sustainment if forecasts.has_rollout else draw.scaling.sustainment
        replicates.append(
            one_estimate(
                inputs,
                people,
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


# --- survey non-response --------------------------------------------------------------------------------------------

NON_RESPONSE_SHIFTS = (0.0, 0.25, 0.5)


def with_less_ready_non_respondents(inputs: ConversionInputs, shift: float) -> ConversionInputs:
    """``inputs`` with the non-respondents' standardised readiness lowered by ``shift``."""
    people = inputs.people.assign(readiness_z=inputs.people["readiness_z"] - shift * (~inputs.people["responded"]))
    return dataclasses.replace(inputs, people=people)


def non_response_sensitivity(study: ConversionStudy, shifts: tuple[float, ...] = NON_RESPONSE_SHIFTS) -> pd.DataFrame:
    """How the point estimate moves if the roster's non-respondents are less ready than the respondents of
    their department by ``shift`` standard deviations of the readiness index (0: the estimate's assumption)."""
    forecasts, inputs = study.forecasts, study.inputs
    everyone = np.arange(len(forecasts.inputs.fit))
    answered = np.flatnonzero(forecasts.inputs.production["responded"].to_numpy())
    spread = float(np.nanstd(forecasts.inputs.production["readiness"].to_numpy(float)))
    rows = []
    for shift in shifts:
        draw = adoption_forecast.estimate(
            forecasts.inputs, everyone, answered, None, forecasts.point.scaling, production_shift=-shift * spread
        )
        shifted = with_less_ready_non_respondents(inputs, shift)
        estimate = one_estimate(
            shifted,
            shifted.people,
            department_adoption(forecasts, draw, inputs.departments),
            draw.scaling.conditions,
            study.point.sustainment,
            Draws(),
        )
        rows.append(
            {
                "Non-respondents less ready by (standard deviations)": shift,
                "Production adoption": estimate.production_adoption,
                "Conversion rate": estimate.conversion_rate,
            }
        )
    return pd.DataFrame(rows)


def non_response_table(study: ConversionStudy) -> pd.DataFrame:
    """:func:`non_response_sensitivity` for display: shares as percentages, the rate to two decimals."""
    table = non_response_sensitivity(study)
    return pd.DataFrame(
        {
            "Non-respondents less ready than respondents of their department by": [
                "not at all (the estimate's assumption)" if s == 0 else f"{s:g} standard deviations"
                for s in table.iloc[:, 0]
            ],
            "Production adoption": [f"{v:.0%}" for v in table["Production adoption"]],
            "Conversion rate": [f"{v:.2f}" for v in table["Conversion rate"]],
        }
    )

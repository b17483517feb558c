"""The production forecast: the covariate model of adoption within the horizon, its bootstrap, and the one
scaling rule that turns it into production adoption (:mod:`scalegap.models.production_scaling`)."""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit

from scalegap.counting import count
from scalegap.models.adoption.access import (
    MIN_MODEL_OUTCOMES,
    MIN_MODEL_PEOPLE,
    NOT_RECORDED,
    ORGANISATION,
    PILOT,
    ROLLOUT,
    AdoptionData,
)
from scalegap.models.measurement_error import calibrated
from scalegap.models.production_scaling import (
    MIN_ASSIGNED_PILOT,
    HorizonShare,
    Scaling,
    Sustainment,
    drawn_scaling,
    horizon_share,
    point_scaling,
    production_notes,
)
from scalegap.stats.diffusion import MIN_WEEKS, BassEstimate, bootstrap_bass
from scalegap.stats.estimation import ridge_glm

PRIOR_SD = 0.3  # log-odds: departments differ beyond readiness by about ±0.6 (95 %)
MIN_OWN_ESTIMATE = 5
ROLLOUT_MIN_PEOPLE = 30
ROLLOUT_MIN_SHARE = 0.10
#: the columns of the people with access that one estimate reads
MODEL_COLUMNS = ("cohort", "volunteer", "responded", "outcome", "readiness")


# --- the production forecast ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentCodes:
    """One segment's values, as integer codes of the people with access (``fit``) and of the roster."""

    levels: tuple[str, ...]
    fit: np.ndarray
    production: np.ndarray
    own_estimate: np.ndarray
    rollout_series: tuple[str, ...]


@dataclass(frozen=True)
class ModelInputs:
    """What the forecast models read, as arrays: people with access (``fit``) and the roster (``production``).

    ``horizon`` (H) is the common span, in weeks from each cohort's start, over which adoption can be confirmed
    for every cohort; ``reference`` is the cohort whose Bass fit turns adoption within H into eventual adoption
    (the rollout if there is one, else the pilot), observed over ``reference_weeks``.
    """

    fit: pd.DataFrame
    production: pd.DataFrame
    horizon: int
    reference: str
    reference_weeks: int
    support_effect: bool
    codes: dict[str, SegmentCodes]
    #: the model has a volunteer indicator: enough pilot members were assigned rather than volunteered to
    #: measure how much more volunteers adopt (:data:`MIN_ASSIGNED_PILOT`); production sets it to 0
    enthusiasm_effect: bool = False
    #: the readiness index's reliability, for the regression calibration (1: none; unknown reliability)
    reliability: float = 1.0

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.codes)

    @cached_property
    def model_frame(self) -> pd.DataFrame:
        """The columns of ``fit`` the model reads in every replicate (a replicate takes rows of these alone)."""
        return self.fit[list(MODEL_COLUMNS)]


def confirmable_weeks(people: pd.DataFrame, cohort: str, weeks_required: int) -> int:
    """Weeks from the cohort's start in which first sustained use can be confirmed by the end of the data."""
    observed = people.loc[people["cohort"] == cohort, "cohort_weeks_observed"].max()
    return int(observed) - (weeks_required - 1) if pd.notna(observed) else 0


def rollout_series_levels(people: pd.DataFrame, segment: str) -> tuple[str, ...]:
    """Segment values with a rollout series: ≥ 30 rollout people, ≥ 10 % of the value's headcount."""
    headcount = people.groupby(segment).size()
    rollout = people[people["cohort"] == ROLLOUT].groupby(segment).size().reindex(headcount.index, fill_value=0)
    enough = (rollout >= ROLLOUT_MIN_PEOPLE) & (rollout >= ROLLOUT_MIN_SHARE * headcount)
    return tuple(str(level) for level in headcount.index[enough] if level != NOT_RECORDED)


def segment_codes(fit: pd.DataFrame, people: pd.DataFrame, segment: str) -> SegmentCodes:
    levels = tuple(sorted(people[segment].astype(str).unique()))
    position = {level: i for i, level in enumerate(levels)}
    fit_codes = fit[segment].astype(str).map(position).to_numpy(dtype=int)
    counts = np.bincount(fit_codes, minlength=len(levels))
    return SegmentCodes(
        levels,
        fit_codes,
        people[segment].astype(str).map(position).to_numpy(dtype=int),
        counts >= MIN_OWN_ESTIMATE,
        rollout_series_levels(people, segment),
    )


def model_inputs(data: AdoptionData) -> ModelInputs | None:
    """Assemble the model inputs; None when too few people had access, or adopted, to model adoption."""
    people = data.people.reset_index(drop=True)
    k = data.rule.weeks
    spans = {c: confirmable_weeks(people, c, k) for c in (PILOT, ROLLOUT) if (people["cohort"] == c).any()}
    cohorts = [c for c, weeks in spans.items() if weeks >= 1]  # a cohort too recent to confirm anyone is left out
    if not cohorts or "department" not in data.segments:
        return None
    horizon = min(spans[c] for c in cohorts)
    fit = people[people["cohort"].isin(cohorts)].reset_index(drop=True)
    fit["outcome"] = (fit["adopted"] & (fit["cohort_week"] <= horizon)).astype(float)
    adopters = int(fit["outcome"].sum())
    if len(fit) < MIN_MODEL_PEOPLE or min(adopters, len(fit) - adopters) < MIN_MODEL_OUTCOMES:
        return None
    reference = ROLLOUT if ROLLOUT in cohorts else PILOT
    codes = {s: segment_codes(fit, people, s) for s in data.segments}
    if ROLLOUT not in cohorts:
        codes = {s: dataclasses.replace(c, rollout_series=()) for s, c in codes.items()}
    pilot = fit[fit["cohort"] == PILOT]
    enthusiasm = min(int(pilot["volunteer"].sum()), int(pilot["assigned_to_pilot"].sum())) >= MIN_ASSIGNED_PILOT
    return ModelInputs(
        fit,
        people,
        horizon,
        reference,
        spans[reference],
        len(cohorts) == 2,
        codes,
        enthusiasm,
        data.reliability if data.reliability is not None else 1.0,
    )


def imputed_readiness(
    frame: pd.DataFrame, means: np.ndarray, overall: float, department: np.ndarray, reliability: float = 1.0
) -> np.ndarray:
    """Own readiness where answered, as the expected true score given it (regression calibration with the
    index's ``reliability``: :mod:`scalegap.models.measurement_error`); else the department's respondents' mean
    (else everyone's), which estimates true readiness as it is."""
    fallback = np.where(np.isfinite(means[department]), means[department], overall)
    own = calibrated(frame["readiness"].to_numpy(dtype=float), overall, reliability)
    return np.where(np.isfinite(own), own, fallback)


def design(
    codes: np.ndarray, levels: int, readiness: np.ndarray, no_response: np.ndarray, *flags: np.ndarray | None
) -> np.ndarray:
    """Columns: intercept, one indicator per segment value, readiness, no survey response, then each of
    ``flags`` that is not None (pilot member, volunteer).

    Without a single survey response (no survey, or an empty one) readiness is unknown for everyone: its two
    columns are left out, and the model rests on the segments (and the pilot indicator) alone.
    """
    indicators = np.zeros((len(codes), levels))
    indicators[np.arange(len(codes)), codes] = 1.0
    columns = [np.ones((len(codes), 1)), indicators]
    if np.isfinite(readiness).all():
        columns += [readiness[:, None], no_response[:, None]]
    columns += [flag[:, None] for flag in flags if flag is not None]
    return np.hstack(columns)


def fit_adoption_model(
    outcome: np.ndarray, X: np.ndarray, levels: int, prior_mean: np.ndarray | None = None
) -> np.ndarray:
    """Logistic regression with a normal prior (sd ``PRIOR_SD``, centred on ``prior_mean``, else 0) on the
    ``levels`` segment indicators (see :func:`scalegap.stats.estimation.ridge_glm`; L-BFGS-B)."""
    return ridge_glm(outcome, X, levels, sm.families.Binomial(), PRIOR_SD, opt_method="l-bfgs-b", prior_mean=prior_mean)


def cohort_onsets(fit: pd.DataFrame) -> np.ndarray:
    """Per person, the week of first sustained use counted from the cohort's start (NaN: none)."""
    return fit["cohort_week"].where(fit["adopted"]).to_numpy(dtype=float)


@dataclass(frozen=True)
class Draw:
    """One estimate (the point estimate, or a bootstrap replicate): per segment value, adoption within H
    weeks (``within``) and in production (``eventual``), turned one into the other by ``scaling``
    (:mod:`scalegap.models.production_scaling`)."""

    within: dict[str, np.ndarray]
    eventual: dict[str, np.ndarray]
    scaling: Scaling


def predicted_adoption(
    inputs: ModelInputs,
    fit: pd.DataFrame,
    rows: np.ndarray,
    readiness: tuple[np.ndarray, np.ndarray],
    segment: str,
    rng: np.random.Generator | None,
) -> np.ndarray:
    """Per person in the roster: predicted adoption within H under production support (pilot indicator 0).

    A segment value without its own estimate (an extrapolation) gets no effect of its own in the point
    estimate, and in a bootstrap replicate (``rng`` given) an effect drawn from the prior, N(0, ``PRIOR_SD``²)
    on the log-odds scale.
    """
    codes, production = inputs.codes[segment], inputs.production
    levels = len(codes.levels)
    pilot = (fit["cohort"] == PILOT).to_numpy(float) if inputs.support_effect else None
    volunteer = fit["volunteer"].to_numpy(float) if inputs.enthusiasm_effect else None
    X = design(codes.fit[rows], levels, readiness[0], (~fit["responded"]).to_numpy(float), pilot, volunteer)
    prior_mean = rng.normal(0.0, PRIOR_SD, levels) if rng is not None else np.zeros(levels)
    params = fit_adoption_model(fit["outcome"].to_numpy(), X, levels, prior_mean)
    support = np.zeros(len(production)) if inputs.support_effect else None
    assigned = np.zeros(len(production)) if inputs.enthusiasm_effect else None  # nobody volunteers in production
    P = design(codes.production, levels, readiness[1], (~production["responded"]).to_numpy(float), support, assigned)
    unknown = ~codes.own_estimate
    params[1 : levels + 1][unknown] = prior_mean[unknown]
    return expit(P @ params)  # the logistic without exp's overflow warning on extreme fits


def level_means(codes: np.ndarray, values: np.ndarray, levels: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=levels) / np.bincount(codes, minlength=levels)


def segment_draw(
    inputs: ModelInputs,
    fit: pd.DataFrame,
    rows: np.ndarray,
    readiness: tuple[np.ndarray, np.ndarray],
    segment: str,
    scaling: Scaling,
    rng: np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per segment value: adoption within H, by the covariate model or, for a segment value with a rollout
    series, as its rollout group showed it; and production adoption, by the one scaling rule."""
    codes = inputs.codes[segment]
    within_people = predicted_adoption(inputs, fit, rows, readiness, segment, rng)
    within = level_means(codes.production, within_people, len(codes.levels))
    eventual = level_means(codes.production, scaling.production(within_people), len(codes.levels))
    if codes.rollout_series:
        rollout, outcome = (fit["cohort"] == ROLLOUT).to_numpy(), fit["outcome"].to_numpy(float)
    for level in codes.rollout_series:
        i = codes.levels.index(level)
        group = outcome[rollout & (codes.fit[rows] == i)]
        within[i] = float(group.sum() / len(group)) if len(group) else float("nan")
        eventual[i] = float(scaling.production(within[i]))
    return within, eventual


def department_means(inputs: ModelInputs, respondents: np.ndarray) -> tuple[np.ndarray, float]:
    """Mean readiness of the (drawn) respondents per department code, and overall."""
    codes = inputs.codes["department"]
    scores = inputs.production["readiness"].to_numpy(dtype=float)[respondents]
    department = codes.production[respondents]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.bincount(department, weights=scores, minlength=len(codes.levels)) / np.bincount(
            department, minlength=len(codes.levels)
        )
    return means, float(scores.mean()) if len(scores) else float("nan")


def estimate(
    inputs: ModelInputs,
    rows: np.ndarray,
    respondents: np.ndarray,
    seeds: tuple[int, int] | None,
    scaling: Scaling,
    production_shift: float = 0.0,
) -> Draw:
    """One estimate of every segment's forecast from the given rows of people with access and respondents.

    ``seeds`` (seed, replicate; None in the point estimate) seed each segment's own draws, so a segment's
    forecast does not depend on which other segments are estimated beside it (the conversion estimate reads
    the departments alone, and gets the chapter's values).  ``production_shift`` (a sensitivity analysis; 0 in
    the forecasts) moves the imputed readiness of the roster's non-respondents by that many readiness points:
    non-respondents less ready than the respondents of their department.
    """
    fit = inputs.model_frame.iloc[rows].reset_index(drop=True)
    means, overall = department_means(inputs, respondents)
    department = inputs.codes["department"]
    shift = production_shift * (~inputs.production["responded"]).to_numpy(float)
    readiness = (
        imputed_readiness(fit, means, overall, department.fit[rows], inputs.reliability),
        imputed_readiness(inputs.production, means, overall, department.production, inputs.reliability) + shift,
    )
    within, eventual = {}, {}
    for segment in inputs.segments:
        rng = np.random.default_rng([*seeds, zlib.crc32(segment.encode())]) if seeds is not None else None
        within[segment], eventual[segment] = segment_draw(inputs, fit, rows, readiness, segment, scaling, rng)
    weights = np.bincount(department.production, minlength=len(department.levels))
    for result in (within, eventual):
        result[ORGANISATION] = np.array([float((result["department"] * weights).sum() / weights.sum())])
    return Draw(within, eventual, scaling)


@dataclass(frozen=True)
class Forecasts:
    """The point estimate and the bootstrap replicates of every segment's production adoption forecast."""

    inputs: ModelInputs
    point: Draw
    replicates: tuple[Draw, ...]
    #: the level of the forecasts' intervals (``statistics.interval``)
    interval: float
    #: the reference cohort's diffusion curve (None: too few adopters or weeks to fit one)
    reference_fit: BassEstimate | None
    #: the support chapter's sustainment factor the production forecast applied (none with a rollout cohort)
    sustainment: Sustainment = Sustainment()
    #: the share of eventual adopters seen within the horizon that turned one into the other
    horizon_share: HorizonShare = HorizonShare.prior()

    @property
    def has_rollout(self) -> bool:
        return self.inputs.reference == ROLLOUT

    @property
    def confined_rollout(self) -> tuple[str, ...]:
        """The departments of a rollout cohort drawn from fewer than half of the roster's departments (else
        none): how far they sit from the others is confounded with the pilot's extra adoption."""
        if not self.has_rollout:
            return ()
        fit = self.inputs.fit
        departments = tuple(sorted(fit.loc[fit["cohort"] == ROLLOUT, "department"].astype(str).unique()))
        return departments if len(departments) < len(self.inputs.codes["department"].levels) / 2 else ()

    def production_notes(self) -> list[str]:
        """How adoption within the horizon became production adoption here, in the words every chapter that
        shows production adoption gives (:func:`~scalegap.models.production_scaling.production_notes`)."""
        return production_notes(
            self.inputs.horizon,
            self.has_rollout,
            self.sustainment,
            self.inputs.enthusiasm_effect,
            self.horizon_share,
            self.confined_rollout,
        )

    def table(self, segment: str, eventual: bool = True) -> pd.DataFrame:
        """Per segment value (index): ``estimate`` and its percentile interval ``low``, ``high`` (``interval``)."""
        key = segment if segment != ORGANISATION else ORGANISATION
        pick = (lambda draw: draw.eventual[key]) if eventual else (lambda draw: draw.within[key])
        draws = np.array([pick(draw) for draw in self.replicates])
        levels = self.inputs.codes[segment].levels if segment != ORGANISATION else (ORGANISATION,)
        tail = (1 - self.interval) / 2 * 100
        low, high = (np.nanpercentile(draws, q, axis=0) for q in (tail, 100 - tail))
        return pd.DataFrame({"estimate": pick(self.point), "low": low, "high": high}, index=list(levels))


def stratified_rows(rng: np.random.Generator, cohorts: np.ndarray) -> np.ndarray:
    """Row numbers drawn with replacement within each cohort (cohort sizes kept)."""
    draws = [rng.choice(np.flatnonzero(cohorts == c), size=int((cohorts == c).sum())) for c in np.unique(cohorts)]
    return np.concatenate(draws)


def production_forecasts(
    data: AdoptionData, replicates: int | None = None, sustainment: Sustainment = Sustainment()
) -> Forecasts | None:
    """Point forecasts and ``replicates`` bootstrap replicates (None: ``statistics.replicates``), seeded with
    ``statistics.seed``; None when
    adoption cannot be modelled (too few people with access or adopters).  ``sustainment``: the support
    chapter's factor, applied without a rollout cohort (:mod:`scalegap.models.production_scaling`)."""
    inputs = model_inputs(data)
    if inputs is None:
        return None
    return forecasts_for(data, inputs, replicates or data.statistics.replicates, sustainment)


def department_forecasts(
    data: AdoptionData, replicates: int | None = None, sustainment: Sustainment = Sustainment()
) -> Forecasts | None:
    """The departments' forecasts only, with the same values as the chapter's (each segment has its own seeded
    draws): what the conversion estimate reads.  None as :func:`production_forecasts`."""
    inputs = model_inputs(data)
    if inputs is None:
        return None
    return forecasts_for(
        data,
        dataclasses.replace(inputs, codes={"department": inputs.codes["department"]}),
        replicates or data.statistics.replicates,
        sustainment,
    )


def reference_curve(
    data: AdoptionData, inputs: ModelInputs, replicates: int, saturation: bool = False
) -> BassEstimate | None:
    """The reference cohort's launch-week diffusion curve, bootstrapped (None: too few adopters or weeks);
    ``saturation``: its two-parameter case (:func:`~scalegap.stats.diffusion.fit_bass`)."""
    reference = inputs.fit[inputs.fit["cohort"] == inputs.reference]
    return bootstrap_bass(
        cohort_onsets(reference),
        inputs.reference_weeks,
        replicates,
        data.statistics.seed,
        data.statistics.interval,
        launch_week=True,
        saturation=saturation,
    )


def share_curve(
    data: AdoptionData, inputs: ModelInputs, replicates: int, curve: BassEstimate | None
) -> BassEstimate | None:
    """The curve the horizon share is read from: the reference cohort's Bass curve, else, where its series is too
    short for one (fewer than 6 weeks), the saturation curve, which says whether adoption has levelled off."""
    if curve is not None or inputs.reference_weeks - 1 >= MIN_WEEKS:
        return curve
    return reference_curve(data, inputs, replicates, saturation=True)


def forecasts_for(data: AdoptionData, inputs: ModelInputs, replicates: int, sustainment: Sustainment) -> Forecasts:
    """The point estimate and the bootstrap replicates of the forecasts of ``inputs``' segments, with the
    reference cohort's diffusion curve, whose share by the horizon turns adoption within it into production
    adoption (:func:`~scalegap.models.production_scaling.horizon_share`).  Replicate ``r`` draws from its own
    generator, seeded with (``statistics.seed``, r)."""
    count("adoption bootstrap")
    seed, has_rollout = data.statistics.seed, inputs.reference == ROLLOUT
    cohorts = inputs.fit["cohort"].to_numpy()
    answered = np.flatnonzero(inputs.production["responded"].to_numpy())
    measured = inputs.enthusiasm_effect
    curve = reference_curve(data, inputs, replicates)
    share = horizon_share(share_curve(data, inputs, replicates, curve), inputs.horizon)
    point = estimate(
        inputs, np.arange(len(inputs.fit)), answered, None, point_scaling(has_rollout, sustainment, measured, share)
    )
    draws = []
    for replicate in range(replicates):
        rng = np.random.default_rng([seed, replicate])
        rows, respondents = stratified_rows(rng, cohorts), rng.choice(answered, size=len(answered))
        draws.append(
            estimate(
                inputs,
                rows,
                respondents,
                (seed, replicate),
                drawn_scaling(rng, has_rollout, sustainment, measured, share),
            )
        )
    kept = sustainment if not has_rollout else Sustainment()
    return Forecasts(inputs, point, tuple(draws), data.statistics.interval, curve, kept, share)

"""The adoption chapter: who uses the AI assistant, who keeps using it, and who will use it in production.

Method (the methodology appendix says the same in prose):

* **Who had access, from when.** Pilot members (the roster's pilot flag) from the pilot's start: the earliest
  of their licence assignment dates and first active days.  Everyone else from their first appearance: the
  licence's assignment date where the licence report gives one, else their first active day.  Together they
  form the *rollout* (access outside the pilot), taken as one wave starting on its earliest access day.  A
  licence holder with neither date (never used, no assignment date: Microsoft 365 reports give none) has an
  unknown start: counted in licence waste, left out of the adoption figures and models.
* **Weeks** are ISO weeks (Monday to Sunday), as in :mod:`scalegap.models.activity`; week 1 of a person is
  the week of their access start.  The data end on the last active day (usage or licence report); the week
  holding it counts when it reaches its Friday (a complete working week), otherwise the week before is the last.
* **Sustained use** begins in the first week of the first run of ``adoption.sustained_use.weeks`` consecutive
  weeks with at least ``adoption.sustained_use.days_per_week`` active days each
  (:mod:`scalegap.models.sustained_use`); the day it begins is the first active day of that week.  An *adopter*
  reached sustained use by the end of the data; everyone else with access is a *non-adopter* (so far).  A run still
  open at the end of the data cannot be confirmed yet: adoption is right-censored.
* **Retention** in week N: of the people active in week 1 of their access and observed for N weeks, the
  share active in week N.  **Intensity**: mean active days per week over the last four complete weeks (fewer
  if access began later): none below the first of ``adoption.intensity_thresholds``, then light, moderate,
  heavy.  **Licence waste**: licences never used, or with no activity in the 28 days ending on the last day
  of the data (last activity from the licence report or the usage table, whichever is later).
* **Adopter categories** (Rogers): adopters ordered by days from access to the start of sustained use, ties
  sharing their mid-rank; a person's position is (mid-rank − ½) ÷ adopters, cut at 2.5 %, 16 %, 50 % and
  84 % (innovators, early adopters, early majority, late majority, laggards).  Non-adopters are apart.
  The organisation's predicted categories rank everyone in the roster by their predicted production
  adoption (most likely first) and cut the expected adopters the same way.
* **Diffusion** (:mod:`scalegap.models.diffusion`): a Bass model of the weekly new adopters, counted from
  the cohort's start, over the weeks whose adoption can be confirmed (the observed weeks less
  ``sustained_use.weeks − 1``), with the first week's adopters set apart (the launch burst: first-week
  curiosity that runs straight into sustained use piles up in week 1).  A segment value has a *rollout series*
  when at least 30 people outside the pilot had access in it and they are at least 10 % of its headcount; its
  production forecast is then the adoption within H its rollout group showed, scaled by the same rule as every other
  forecast: an assigned rollout group is a fair sample of its segment, and its support was the production support.
* **Covariate model** (every other segment value): a logistic regression (statsmodels GLM, binomial) of
  adoption within the common horizon ``H`` (the shortest confirmable span of the cohorts) on the segment's
  values, readiness, a no-survey-response indicator and a pilot indicator (the pilot's extra support and
  attention; estimable only when a rollout exists), fitted on everyone with access.  Segment effects get a
  normal prior (standard deviation ``PRIOR_SD`` = 0.3 on the log-odds scale; ridge penalty ``1 ÷ (n·0.3²)``):
  departments differ beyond their readiness by about ±0.6 log-odds at most, which keeps small all-adopter
  groups finite and pulls a handful of pilot members' result towards the average (the calibration study
  showed a looser prior letting four or five pilot members swing a department's forecast by 20 points).
  Adoption *within H* is what the data show for every cohort; it is reported beside the production forecast.
  Production: everyone in the roster, pilot indicator 0 (service-desk support), turned into production adoption by
  the one rule of :mod:`scalegap.models.production_scaling` (divided by the share of eventual adopters already seen,
  drawn from a stated range; without a rollout cohort, also scaled by a drawn pilot-conditions discount and the
  support chapter's sustainment factor).
* **Readiness** here: the mean of a respondent's construct items on the answer scale, reverse items turned
  round, when at least half were answered (matched respondents only).  Non-respondents get the mean of
  their department's respondents and the indicator; the bootstrap redraws the respondents, so the
  uncertainty of that mean is in the intervals.
* **Intervals**: 95 % percentile bootstrap, ``REPLICATES`` (200) replicates seeded with ``adoption.seed``:
  people with access redrawn within their cohort, respondents redrawn, every model refitted.  A segment
  value with fewer than ``MIN_OWN_ESTIMATE`` people with access is an *extrapolation*: the data cannot tell
  it from the average, so its point estimate has no effect of its own and each replicate draws one from the
  prior, N(0, 0.3²) on the log-odds scale: the interval widens rather than the estimate silently assuming.
  The organisation's figure is the headcount-weighted mean of the departments' forecasts, replicate by
  replicate.
* **Privacy**: groups below ``privacy.min_group_size`` are suppressed; counts of 1..minimum − 1 people are
  blanked with the figures derived from them, and where counts add up to a shown total the next smallest
  are blanked too until the hidden ones hold at least the minimum together.

What the forecast estimates: the share of each segment who will reach sustained use once given access under
the production support model (the service desk), ever, not within a set time: the simulator's
``adoption_by_department[d]["production_sustained"]``.  The rollout cohort had the service desk, so both the
Bass potential of a rollout group and the covariate model at pilot indicator 0 estimate adoption after the
support loss; a downstream conversion estimate must not apply a sustainment factor to it again.

Assumptions and known biases: the survey measures readiness with error, which flattens the readiness slope
(attenuation): extrapolating from an enthusiast pilot along a noisy score under-predicts how much less the
less ready adopt.  The model corrects for the index's own unreliability by regression calibration
(:mod:`scalegap.models.measurement_error`); what it cannot correct is an index that averages constructs of
which only some predict adoption, and a rollout cohort with ordinary readiness remains the best anchor.  (On
the demo client the score correlates about 0.83 with the simulator's latent readiness; refitting with the latent
readiness moves department forecasts by a few points only: there the small pilot groups, not the attenuation,
dominate the error.)  The eventual forecast extrapolates the diffusion curve beyond the data: with a rollout observed
for about ten weeks, new adoption had not stopped, and its intervals reach far up.  The survey ran after the pilot, so
pilot members' answers may reflect their
experience (their training in particular); the pilot indicator absorbs a uniform shift.  Role, location and
tenure models hold one segment at a time; the department model does not adjust for role, and so on.
"""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit

from scalegap.models import activity, availability, readiness
from scalegap.models.diffusion import MIN_WEEKS, BassEstimate, bootstrap_bass
from scalegap.models.estimation import ridge_glm
from scalegap.models.measurement_error import attenuation_note, calibrated, survey_reliability
from scalegap.models.production_scaling import (
    MIN_ASSIGNED_PILOT,
    HorizonShare,
    Scaling,
    Sustainment,
    drawn_scaling,
    horizon_share,
    point_scaling,
    production_notes,
    sustainment_without_rollout,
)
from scalegap.models.readiness_predictor import ConstructWeights, person_scores, predictive_weights, weighted_index
from scalegap.models.results import figure
from scalegap.models.segments import available_segments, label
from scalegap.models.sustained_use import (
    OCCASIONAL_WEEKS,
    SustainedUseRule,
    occasional_users,
    rule_for,
    sustained_use_onset,
    threshold_table,
)
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, hide_cells, suppress_small_counts, suppress_small_groups
from scalegap.settings import AdoptionSettings, SurveySettings

PILOT, ROLLOUT = "Pilot", "Rollout"
ORGANISATION = "Whole organisation"
CATEGORIES: tuple[tuple[str, float], ...] = (
    ("Innovators", 0.025),
    ("Early adopters", 0.135),
    ("Early majority", 0.34),
    ("Late majority", 0.34),
    ("Laggards", 0.16),
)
NON_ADOPTERS = "Non-adopters"
INTENSITY_BANDS = ("None", "Light", "Moderate", "Heavy")
INACTIVE_DAYS = 28
INTENSITY_WEEKS = 4
REPLICATES = 200
PRIOR_SD = 0.3  # log-odds: departments differ beyond readiness by about ±0.6 (95 %)
MIN_OWN_ESTIMATE = 5
ROLLOUT_MIN_PEOPLE = 30
ROLLOUT_MIN_SHARE = 0.10
MIN_MODEL_PEOPLE = 20
MIN_MODEL_OUTCOMES = 5
NOT_RECORDED = "(not recorded)"
RETENTION_WEEKS = (4, 8, 12)


# --- readiness (a small scorer of this chapter's own) ----------------------------------------------------------


def readiness_scores(survey: pd.DataFrame, instrument: SurveySettings) -> pd.Series:
    """Per matched respondent (indexed by ``person_id``): the readiness index (0–100) of the readiness chapter.

    Scored by :mod:`scalegap.models.readiness` (reverse items turned round, constructs weighing the same);
    a person who answered twice gets the mean of their indices.
    """
    if not instrument.constructs or "person_id" not in survey:
        return pd.Series(dtype="float64", name="readiness")
    matched = survey[survey["person_id"].notna()]
    scores = readiness.construct_scores(readiness.scored_items(matched, instrument), instrument)
    index = readiness.readiness_index(scores, instrument.scale_points)
    return index.groupby(matched["person_id"]).mean().dropna().rename("readiness")


# --- who had access, and when -----------------------------------------------------------------------------------


def week_start(day: Any) -> pd.Timestamp:
    """The Monday of ``day``'s ISO week."""
    stamp = pd.Timestamp(day).normalize()
    return stamp - pd.Timedelta(days=stamp.weekday())


def last_complete_week(data_end: Any, first_access: Any = None) -> pd.Timestamp:
    """The Monday of the last week the data cover to its Friday (never before the week of ``first_access``:
    data shorter than a week end in their only week)."""
    end = pd.Timestamp(data_end)
    last = week_start(end) if end.weekday() >= 4 else week_start(end) - pd.Timedelta(days=7)
    return max(last, week_start(first_access)) if first_access is not None and pd.notna(first_access) else last


def licence_view(seats: pd.DataFrame | None) -> pd.DataFrame:
    """Per person with a licence: ``assigned_at`` (earliest) and ``licence_last_activity`` (latest)."""
    if seats is None or seats.empty:
        return pd.DataFrame(columns=["assigned_at", "licence_last_activity"], index=pd.Index([], name="person_id"))
    held = seats[seats["person_id"].notna()]
    return held.groupby("person_id").agg(
        assigned_at=("assigned_at", "min"), licence_last_activity=("last_activity_at", "max")
    )


def access_table(roster: pd.DataFrame, first_last: pd.DataFrame, seats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per roster person: segments, pilot flag, licence, first/last active day, cohort and access start."""
    segments = [c for c in ("department", "role", "location", "tenure_band") if c in roster]
    people = roster[["person_id", *segments, "in_pilot"]].copy()
    people["in_pilot"] = people["in_pilot"].fillna(False).astype(bool)
    volunteered = (
        roster["volunteered"].astype("boolean").fillna(False).astype(bool)
        if "volunteered" in roster
        else pd.Series(False, index=roster.index)
    )
    people["volunteer"] = people["in_pilot"] & volunteered.to_numpy()
    people["assigned_to_pilot"] = people["in_pilot"] & ~volunteered.to_numpy() if "volunteered" in roster else False
    for column in segments:
        people[column] = people[column].astype("object").where(people[column].notna(), NOT_RECORDED)
    people = people.join(first_last.set_index("person_id")[["first_active", "last_active"]], on="person_id")
    people = people.join(licence_view(seats), on="person_id")
    people["has_licence"] = people["person_id"].isin(set(seats["person_id"].dropna())) if seats is not None else False
    for column in ("first_active", "last_active", "assigned_at", "licence_last_activity"):
        people[column] = pd.to_datetime(people[column]).astype("datetime64[ns]")
    pilot = people[people["in_pilot"]]
    pilot_start = pd.concat([pilot["first_active"], pilot["assigned_at"]]).min()
    own_start = people[["assigned_at", "first_active"]].min(axis=1)
    people["access_start"] = own_start.where(~people["in_pilot"], pilot_start)
    people["access_rule"] = np.select(
        [
            people["in_pilot"],
            people["assigned_at"].notna() & (people["assigned_at"] <= people["first_active"].fillna(pd.Timestamp.max)),
            people["first_active"].notna(),
        ],
        ["pilot start", "licence assigned", "first use"],
        default="",
    )
    known = people["access_start"].notna()
    people["cohort"] = np.where(known, np.where(people["in_pilot"], PILOT, ROLLOUT), None)
    people["access_unknown"] = people["has_licence"] & ~known
    return people


# --- the usage data, week by week (DuckDB SQL over the prepared usage table) ------------------------------------

PERSON_WEEKS = """
    WITH active AS ({active_days})
    SELECT active.person_id,
           CAST(datediff('day', date_trunc('week', access.access_start), date_trunc('week', active.day)) // 7
                AS INTEGER) + 1 AS week,
           CAST(date_trunc('week', active.day) AS DATE) AS week_start,
           count(*) AS active_days,
           min(active.day) AS first_day
    FROM active JOIN access ON access.person_id = active.person_id
    WHERE active.day >= CAST(access.access_start AS DATE)
    GROUP BY ALL
    ORDER BY active.person_id, week
"""


def sql(statement: str, params: dict[str, Any] | None = None, **relations: pd.DataFrame) -> pd.DataFrame:
    """Run ``statement`` in a fresh DuckDB connection with ``relations`` registered under their names."""
    with duckdb.connect() as connection:
        for name, frame in relations.items():
            connection.register(name, frame)
        return connection.sql(statement, params=params or None).df()


def person_weeks(usage: activity.UsageData, access: pd.DataFrame) -> pd.DataFrame:
    """Per person with access and ISO week with activity: ``week`` since access (1 = the access week),
    ``week_start``, ``active_days``, ``first_day``."""
    source = activity.ActivityData.of(usage)
    starts = access.loc[access["access_start"].notna(), ["person_id", "access_start"]]
    statement = PERSON_WEEKS.format(active_days=activity.ACTIVE_DAYS)
    with duckdb.connect() as connection:
        connection.register("access", starts)
        return connection.sql(statement, params={"usage": list(source.usage), "sources": None}).df()


def with_outcomes(
    people: pd.DataFrame, weeks: pd.DataFrame, data_end: pd.Timestamp | None, rule: SustainedUseRule
) -> pd.DataFrame:
    """``people`` plus observed weeks, adoption (week, day, days from access) and weeks counted from the
    cohort's start (``cohort_week``)."""
    result = people.copy()
    onset = (
        sustained_use_onset(weeks, rule).set_index("person_id")
        if len(weeks)
        else pd.DataFrame(columns=["onset_week", "onset_day"])
    )
    result = result.join(onset, on="person_id")
    result["onset_day"] = pd.to_datetime(result["onset_day"]).astype("datetime64[ns]")
    result["adopted"] = result["onset_week"].notna() & result["cohort"].notna()
    result["days_to_sustained"] = (result["onset_day"] - result["access_start"]).dt.days
    last = last_complete_week(data_end, result["access_start"].min()) if data_end is not None else None
    access_week = result["access_start"].map(lambda d: week_start(d) if pd.notna(d) else pd.NaT)
    result["observed_weeks"] = ((last - access_week).dt.days // 7 + 1) if last is not None else np.nan
    cohort_start = access_week.groupby(result["cohort"]).transform("min")
    result["cohort_offset"] = (access_week - cohort_start).dt.days // 7
    result["cohort_week"] = result["onset_week"] + result["cohort_offset"]
    result["cohort_weeks_observed"] = result["observed_weeks"] + result["cohort_offset"]
    return result


# --- the study: everything the chapter shows, computed once ---------------------------------------------------


@dataclass(frozen=True)
class AdoptionData:
    """Per person in the roster: access, adoption and readiness; and per person-week with activity.

    ``people`` is for computing only, never shown.  ``data_end`` is the last active day of the data.
    """

    people: pd.DataFrame
    weeks: pd.DataFrame
    data_end: pd.Timestamp | None
    pilot_start: pd.Timestamp | None
    settings: AdoptionSettings
    minimum: int
    seats: pd.DataFrame | None
    usage: activity.ActivityData | None = None
    #: the sustained-use rule in force (:mod:`scalegap.models.sustained_use`)
    rule: SustainedUseRule = SustainedUseRule(1.5, 3)
    #: the readiness index's reliability (None: unknown; :mod:`scalegap.models.measurement_error`)
    reliability: float | None = None
    #: the constructs' weights in readiness (:mod:`scalegap.models.readiness_predictor`)
    weights: ConstructWeights = ConstructWeights({}, False)

    @property
    def with_access(self) -> pd.DataFrame:
        """The people with access, pilot members first."""
        people = self.people[self.people["cohort"].notna()]
        return people.sort_values("cohort", key=lambda c: c.ne(PILOT), kind="stable")

    @property
    def segments(self) -> list[str]:
        return available_segments(self.people.replace({NOT_RECORDED: None}))

    @property
    def has_rollout(self) -> bool:
        return bool((self.people["cohort"] == ROLLOUT).any())

    @property
    def last_week(self) -> pd.Timestamp | None:
        """The Monday of the last complete week of the data (see :func:`last_complete_week`)."""
        if self.data_end is None:
            return None
        return last_complete_week(self.data_end, self.people["access_start"].min())


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why this chapter cannot show adoption, or None when it can."""
    return availability.reason_for(package, "usage", subject="Adoption")


def data_end_of(first_last: pd.DataFrame, seats: pd.DataFrame | None) -> pd.Timestamp | None:
    """The last active day in the usage table or the licence report."""
    days = [first_last["last_active"].max()]
    if seats is not None and "last_activity_at" in seats:
        days.append(seats["last_activity_at"].max())
    days = [pd.Timestamp(d) for d in days if pd.notna(d)]
    return max(days) if days else None


def build_adoption_data(
    usage: activity.UsageData,
    roster: pd.DataFrame,
    seats: pd.DataFrame | None,
    readiness: pd.Series,
    settings: AdoptionSettings,
    minimum: int,
) -> AdoptionData:
    """Access, weekly activity, adoption and readiness per person, from the usage parquet file(s), the roster,
    the seats table (or None) and readiness scores indexed by ``person_id``."""
    source = activity.ActivityData.of(usage)
    first_last = activity.first_last_active(source)
    people = access_table(roster, first_last, seats)
    weeks = person_weeks(source, people)
    data_end = data_end_of(first_last, seats)
    rule = rule_for(settings.sustained_use.days_per_week, settings.sustained_use.weeks, activity.usage_sources(source))
    people = with_outcomes(people, weeks, data_end, rule)
    people = people.join(readiness.rename("readiness"), on="person_id")
    people["responded"] = people["readiness"].notna()
    pilot_start = people.loc[people["in_pilot"], "access_start"].min()
    return AdoptionData(
        people, weeks, data_end, pilot_start if pd.notna(pilot_start) else None, settings, minimum, seats, source, rule
    )


def adoption_data(package: PreparedPackage) -> AdoptionData | None:
    """Read the package once: access, weekly activity, adoption and readiness per person (None: no usage).

    Readiness is the weighted score of :mod:`scalegap.models.readiness_predictor`: the constructs weighted by
    how well they predict sustained use among the people with access."""
    if unavailable_reason(package):
        return None
    settings = package.settings
    survey = package.table("survey") if availability.usable(package, "survey") else None
    scores = person_scores(survey, settings.survey) if survey is not None else pd.DataFrame()
    equal = (
        readiness_scores(survey, settings.survey)
        if survey is not None
        else pd.Series(dtype="float64", name="readiness")
    )
    seats = package.table("seats") if availability.usable(package, "seats") else None
    data = build_adoption_data(
        package, package.table("roster"), seats, equal, settings.adoption, settings.privacy.min_group_size
    )
    with_access = data.people[data.people["cohort"].notna()].set_index("person_id")["adopted"]
    weights = predictive_weights(scores, with_access)
    if weights.measured:
        weighted = weighted_index(scores, weights, settings.survey.scale_points)
        people = data.people.drop(columns="readiness").join(weighted, on="person_id")
        people["responded"] = people["readiness"].notna()
        data = dataclasses.replace(data, people=people)
    return dataclasses.replace(data, reliability=survey_reliability(package, weights.weights), weights=weights)


def readiness_score_notes(package: PreparedPackage) -> list[str]:
    """What the readiness page says of the forecast models' readiness score: the constructs' weights and the
    score's reliability, as the adoption model uses them (equal weights when there is no usage to weigh by)."""
    data = adoption_data(package)
    if data is None:
        return [attenuation_note(survey_reliability(package))]
    return [note for note in (data.weights.note(), attenuation_note(data.reliability)) if note]


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
    ``levels`` segment indicators (see :func:`scalegap.models.estimation.ridge_glm`; L-BFGS-B)."""
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
    for level in codes.rollout_series:
        i = codes.levels.index(level)
        group = fit[(fit["cohort"] == ROLLOUT).to_numpy() & (codes.fit[rows] == i)]
        within[i] = float(group["outcome"].mean())
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
    fit = inputs.fit.iloc[rows].reset_index(drop=True)
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
        """Per segment value (index): ``estimate`` and its 95 % percentile interval ``low``, ``high``."""
        key = segment if segment != ORGANISATION else ORGANISATION
        pick = (lambda draw: draw.eventual[key]) if eventual else (lambda draw: draw.within[key])
        draws = np.array([pick(draw) for draw in self.replicates])
        levels = self.inputs.codes[segment].levels if segment != ORGANISATION else (ORGANISATION,)
        low, high = (np.nanpercentile(draws, q, axis=0) for q in (2.5, 97.5))
        return pd.DataFrame({"estimate": pick(self.point), "low": low, "high": high}, index=list(levels))


def stratified_rows(rng: np.random.Generator, cohorts: np.ndarray) -> np.ndarray:
    """Row numbers drawn with replacement within each cohort (cohort sizes kept)."""
    draws = [rng.choice(np.flatnonzero(cohorts == c), size=int((cohorts == c).sum())) for c in np.unique(cohorts)]
    return np.concatenate(draws)


def production_forecasts(
    data: AdoptionData, replicates: int = REPLICATES, sustainment: Sustainment = Sustainment()
) -> Forecasts | None:
    """Point forecasts and ``replicates`` bootstrap replicates, seeded with ``adoption.seed``; None when
    adoption cannot be modelled (too few people with access or adopters).  ``sustainment``: the support
    chapter's factor, applied without a rollout cohort (:mod:`scalegap.models.production_scaling`)."""
    inputs = model_inputs(data)
    if inputs is None:
        return None
    return forecasts_for(data, inputs, replicates, sustainment)


def department_forecasts(
    data: AdoptionData, replicates: int = REPLICATES, sustainment: Sustainment = Sustainment()
) -> Forecasts | None:
    """The departments' forecasts only, with the same values as the chapter's (each segment has its own seeded
    draws): what the conversion estimate reads.  None as :func:`production_forecasts`."""
    inputs = model_inputs(data)
    if inputs is None:
        return None
    return forecasts_for(
        data, dataclasses.replace(inputs, codes={"department": inputs.codes["department"]}), replicates, sustainment
    )


def reference_curve(
    data: AdoptionData, inputs: ModelInputs, replicates: int, saturation: bool = False
) -> BassEstimate | None:
    """The reference cohort's launch-week diffusion curve, bootstrapped (None: too few adopters or weeks);
    ``saturation``: its two-parameter case (:func:`~scalegap.models.diffusion.fit_bass`)."""
    reference = inputs.fit[inputs.fit["cohort"] == inputs.reference]
    return bootstrap_bass(
        cohort_onsets(reference),
        inputs.reference_weeks,
        replicates,
        data.settings.seed,
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
    generator, seeded with (``adoption.seed``, r)."""
    seed, has_rollout = data.settings.seed, inputs.reference == ROLLOUT
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
    return Forecasts(inputs, point, tuple(draws), curve, sustainment if not has_rollout else Sustainment(), share)


# --- active use over time ---------------------------------------------------------------------------------------

WEEKLY_BY_COHORT = """
    SELECT w.week_start, p.cohort, count(*) AS active_users, sum(w.active_days) AS active_days
    FROM weeks w JOIN people p USING (person_id)
    GROUP BY ALL ORDER BY w.week_start, p.cohort
"""


def weekly_active_by_cohort(data: AdoptionData) -> pd.DataFrame:
    """Per calendar week and cohort: people with access, weekly active users, their share, and average daily
    active users on working days (active person-days that week ÷ 5)."""
    if data.data_end is None or data.weeks.empty:
        return pd.DataFrame(
            columns=[
                "Week",
                "Cohort",
                "People with access",
                "Weekly active users",
                "Share active",
                "Average daily active users",
            ]
        )
    people = data.with_access[["person_id", "cohort", "access_start"]]
    active = sql(WEEKLY_BY_COHORT, weeks=data.weeks[["person_id", "week_start", "active_days"]], people=people)
    active["week_start"] = pd.to_datetime(active["week_start"])
    last = data.last_week
    calendar = pd.date_range(min(week_start(d) for d in people["access_start"]), last, freq="7D")
    starts = people["access_start"].map(week_start)
    grid = pd.DataFrame(
        [(w, c) for w in calendar for c in sorted(people["cohort"].unique())], columns=["week_start", "cohort"]
    )
    grid["with_access"] = [int(((starts <= w) & (people["cohort"] == c)).sum()) for w, c in grid.itertuples(False)]
    grid = (
        grid[grid["with_access"] > 0]
        .merge(active, on=["week_start", "cohort"], how="left")
        .fillna({"active_users": 0, "active_days": 0})
    )
    return pd.DataFrame(
        {
            "Week": grid["week_start"],
            "Cohort": grid["cohort"],
            "People with access": grid["with_access"],
            "Weekly active users": grid["active_users"].astype(int),
            "Share active": grid["active_users"] / grid["with_access"],
            "Average daily active users": grid["active_days"] / 5.0,
        }
    )


def active_use_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value, in the last complete week of the data: people with access, weekly active users,
    share active, and average daily active users on working days over the last four weeks."""
    people = data.with_access
    columns = [
        label(segment),
        "People with access",
        "Weekly active users",
        "Share active",
        "Average daily active users (last 4 weeks)",
    ]
    if people.empty or data.data_end is None:
        return pd.DataFrame(columns=columns)
    last = data.last_week
    weeks = data.weeks.assign(week_start=pd.to_datetime(data.weeks["week_start"]))
    recent = weeks[weeks["week_start"] > last - pd.Timedelta(weeks=INTENSITY_WEEKS)]
    segment_of = people.set_index("person_id")[segment]
    wau = recent[recent["week_start"] == last].groupby(recent["person_id"].map(segment_of)).size()
    days = recent.groupby(recent["person_id"].map(segment_of))["active_days"].sum() / (5.0 * INTENSITY_WEEKS)
    table = people.groupby(segment).size().rename("People with access").to_frame()
    table["Weekly active users"] = wau.reindex(table.index).fillna(0).astype(int)
    table["Share active"] = table["Weekly active users"] / table["People with access"]
    table["Average daily active users (last 4 weeks)"] = days.reindex(table.index).fillna(0.0).round(1)
    table = table.reset_index().rename(columns={segment: label(segment)})[columns]
    shown = suppress_small_groups(table, "People with access", data.minimum)
    return suppress_small_counts(
        shown, "Weekly active users", data.minimum, ["Share active", "Average daily active users (last 4 weeks)"]
    )


# --- retention --------------------------------------------------------------------------------------------------

RETENTION = """
    WITH starters AS (
        SELECT p.person_id, p.grp, p.observed_weeks FROM people p
        WHERE EXISTS (SELECT 1 FROM weeks w WHERE w.person_id = p.person_id AND w.week = 1)),
    horizon AS (
        SELECT s.grp, g.week, count(*) AS starters
        FROM starters s JOIN range(1, $last + 1) AS g(week) ON g.week <= s.observed_weeks
        GROUP BY ALL),
    still AS (
        SELECT s.grp, w.week, count(*) AS still_active
        FROM starters s JOIN weeks w ON w.person_id = s.person_id AND w.week <= s.observed_weeks
        GROUP BY ALL)
    SELECT h.grp, h.week, h.starters, coalesce(still.still_active, 0) AS still_active
    FROM horizon h LEFT JOIN still ON still.grp = h.grp AND still.week = h.week
    ORDER BY h.grp, h.week
"""


def retention(data: AdoptionData, by: str = "cohort") -> pd.DataFrame:
    """Per group (``cohort`` or a segment) and week N of access: people active in week 1 and observed for N
    weeks (``starters``), those of them active in week N, and the share (``retention``)."""
    people = data.with_access
    if people.empty or data.weeks.empty:
        return pd.DataFrame(columns=["group", "week", "starters", "still_active", "retention"])
    frame = pd.DataFrame(
        {
            "person_id": people["person_id"],
            "grp": people[by].astype(str),
            "observed_weeks": people["observed_weeks"].astype(int),
        }
    )
    last = int(frame["observed_weeks"].max())
    table = sql(RETENTION, {"last": last}, people=frame, weeks=data.weeks[["person_id", "week"]])
    table = table.rename(columns={"grp": "group"})
    table["retention"] = table["still_active"] / table["starters"]
    return table


def retention_table(data: AdoptionData, segment: str, weeks: tuple[int, ...] = RETENTION_WEEKS) -> pd.DataFrame:
    """Per cohort or segment value: people active in week 1, and the share still active in the given weeks
    (blank where fewer than the minimum group size were observed that long, or 1..minimum − 1 were active)."""
    curves = retention(data, segment)
    name = "Cohort" if segment == "cohort" else label(segment)
    if curves.empty:
        return pd.DataFrame(columns=[name, "Active in week 1"])
    first = curves[curves["week"] == 1].set_index("group")["starters"]
    table = pd.DataFrame({name: first.index, "Active in week 1": first.to_numpy()})
    for week in weeks:
        at = curves[curves["week"] == week].set_index("group")
        small = (at["starters"] < data.minimum) | ((at["still_active"] > 0) & (at["still_active"] < data.minimum))
        share = at["retention"].where(~small)
        table[f"Still active in week {week}"] = share.reindex(first.index).to_numpy()
    return suppress_small_groups(table, "Active in week 1", data.minimum)


# --- usage intensity ----------------------------------------------------------------------------------------------

RECENT_DAYS = """
    SELECT person_id, sum(active_days) AS active_days FROM weeks
    WHERE week_start > CAST($first AS DATE) - INTERVAL 7 DAY AND week_start <= CAST($last AS DATE)
    GROUP BY person_id
"""


def intensity_band(days_per_week: pd.Series, thresholds: list[float]) -> pd.Series:
    """None / Light / Moderate / Heavy for mean active days per week, at the three thresholds."""
    bins = [-np.inf, *thresholds, np.inf]
    return pd.cut(days_per_week, bins, right=False, labels=list(INTENSITY_BANDS)).astype("object")


def recent_intensity(data: AdoptionData) -> pd.DataFrame:
    """Per person with access: mean active days per week over the last four complete weeks (fewer if access
    began later) and the intensity band."""
    people = data.with_access[["person_id", "access_start"]].copy()
    if people.empty or data.data_end is None:
        return people.assign(days_per_week=np.nan, band=None)
    last = data.last_week
    first = last - pd.Timedelta(weeks=INTENSITY_WEEKS - 1)
    days = sql(
        RECENT_DAYS,
        {"first": first.date(), "last": last.date()},
        weeks=data.weeks[["person_id", "week_start", "active_days"]],
    ).set_index("person_id")["active_days"]
    starts = people["access_start"].map(week_start)
    span = ((last - starts.clip(lower=first)).dt.days // 7 + 1).clip(lower=1)
    people["days_per_week"] = people["person_id"].map(days).fillna(0).to_numpy() / span.to_numpy()
    people["band"] = intensity_band(people["days_per_week"], data.settings.intensity_thresholds)
    return people


def intensity_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: people with access in each intensity band over the last four weeks, and shares."""
    bands = recent_intensity(data)
    name = label(segment)
    if bands.empty:
        return pd.DataFrame(columns=[name, "People with access", *INTENSITY_BANDS])
    bands[segment] = bands["person_id"].map(data.people.set_index("person_id")[segment])
    counts = pd.crosstab(bands[segment], bands["band"]).reindex(columns=list(INTENSITY_BANDS), fill_value=0)
    table = counts.assign(**{"People with access": counts.sum(axis=1)}).reset_index()
    table = table.rename(columns={segment: name})[[name, "People with access", *INTENSITY_BANDS]]
    for band in INTENSITY_BANDS:
        table[f"{band} (share)"] = table[band] / table["People with access"]
    shown = suppress_small_groups(table, "People with access", data.minimum)
    return hide_cells(shown, list(INTENSITY_BANDS), data.minimum, {b: [f"{b} (share)"] for b in INTENSITY_BANDS})


def intensity_display(table: pd.DataFrame) -> pd.DataFrame:
    """The intensity table as the book shows it: each band as "people (share of the group)"."""
    if table.empty or "None (share)" not in table:
        return table
    shown = table.drop(columns=[f"{band} (share)" for band in INTENSITY_BANDS])
    for band in INTENSITY_BANDS:
        shown[band] = [
            None if pd.isna(n) else f"{int(n):,} ({share:.0%})"
            for n, share in zip(table[band], table[f"{band} (share)"])
        ]
    return shown


def intensity_over_time(data: AdoptionData) -> pd.DataFrame:
    """Per calendar week and cohort: the share of people with access in each intensity band that week."""
    weekly = weekly_active_by_cohort(data)
    if weekly.empty:
        return pd.DataFrame(columns=["Week", "Cohort", "Band", "Share"])
    people = data.with_access.set_index("person_id")["cohort"]
    weeks = data.weeks.assign(Week=pd.to_datetime(data.weeks["week_start"]), Cohort=data.weeks["person_id"].map(people))
    weeks["Band"] = intensity_band(weeks["active_days"].astype(float), data.settings.intensity_thresholds)
    counts = weeks.groupby(["Week", "Cohort", "Band"]).size().rename("people").reset_index()
    base = weekly.set_index(["Week", "Cohort"])["People with access"]
    counts["Share"] = counts["people"] / counts.set_index(["Week", "Cohort"]).index.map(base).to_numpy()
    active = counts.groupby(["Week", "Cohort"])["Share"].sum()
    idle = (1.0 - active).rename("Share").reset_index().assign(Band=INTENSITY_BANDS[0])
    frame = pd.concat([counts[["Week", "Cohort", "Band", "Share"]], idle], ignore_index=True)
    return frame[frame.set_index(["Week", "Cohort"]).index.map(base).to_numpy() >= data.minimum]


# --- adopter categories (Rogers) ----------------------------------------------------------------------------------


def category_of_position(position: pd.Series) -> pd.Series:
    """Rogers' category of a position in the adoption order (0 = first adopter, 1 = last)."""
    edges = np.cumsum([0.0, *(share for _, share in CATEGORIES)])
    edges[-1] = np.inf
    return pd.cut(position, edges, right=True, include_lowest=True, labels=[name for name, _ in CATEGORIES]).astype(
        "object"
    )


def adopter_categories(days_to_sustained: pd.Series) -> pd.Series:
    """Rogers' category of each adopter by time from access to sustained use; NaN time = non-adopter.

    Adopters are ordered by time; tied adopters share their mid-rank; position = (mid-rank − ½) ÷ adopters.
    """
    adopters = days_to_sustained.dropna()
    position = (adopters.rank(method="average") - 0.5) / len(adopters)
    result = pd.Series(NON_ADOPTERS, index=days_to_sustained.index, dtype="object")
    result[adopters.index] = category_of_position(position)
    return result


def predicted_categories(probability: pd.Series) -> pd.DataFrame:
    """Expected share of each person in each category when the organisation adopts in the order of predicted
    adoption (most likely first): ``probability`` of being an adopter goes to the category of the person's
    position among the expected adopters (mid-point of their slice), the rest to non-adopters."""
    order = probability.sort_values(ascending=False, kind="stable")
    before = order.cumsum() - order
    position = (before + order / 2.0) / order.sum()
    category = category_of_position(position)
    names = [name for name, _ in CATEGORIES]
    shares = pd.DataFrame(0.0, index=order.index, columns=[*names, NON_ADOPTERS])
    for name in names:
        shares.loc[category == name, name] = order[category == name]
    shares[NON_ADOPTERS] = 1.0 - order
    return shares.reindex(probability.index)


def observed_categories(data: AdoptionData) -> pd.DataFrame:
    """Per cohort and category: people, share of the cohort, and median days from access to sustained use
    (days suppressed, like counts, below the minimum group size)."""
    rows = []
    for cohort, group in data.with_access.groupby("cohort", sort=False):
        category = adopter_categories(group["days_to_sustained"].where(group["adopted"]))
        for name in [*(n for n, _ in CATEGORIES), NON_ADOPTERS]:
            members = group[category == name]
            rows.append(
                {
                    "Cohort": cohort,
                    "Category": name,
                    "People": len(members),
                    "Share of cohort": len(members) / len(group),
                    "Median days to sustained use": float(members["days_to_sustained"].median())
                    if name != NON_ADOPTERS and len(members)
                    else np.nan,
                }
            )
    table = pd.DataFrame(
        rows, columns=["Cohort", "Category", "People", "Share of cohort", "Median days to sustained use"]
    )
    derived = {"People": ["Share of cohort", "Median days to sustained use"]}
    parts = [
        hide_cells(part, ["People"], data.minimum, derived, by_row=False)
        for _, part in table.groupby("Cohort", sort=False)
    ]
    return pd.concat(parts) if parts else table.assign(**{SUPPRESSED: False})


def person_forecasts(data: AdoptionData, forecasts: Forecasts) -> pd.Series:
    """Per roster person (indexed by ``person_id``): predicted eventual adoption under production support,
    from the department model, scaled within each department to the department's forecast."""
    inputs = forecasts.inputs
    answered = np.flatnonzero(inputs.production["responded"].to_numpy())
    means, overall = department_means(inputs, answered)
    codes = inputs.codes["department"]
    readiness = (
        imputed_readiness(inputs.fit, means, overall, codes.fit, inputs.reliability),
        imputed_readiness(inputs.production, means, overall, codes.production, inputs.reliability),
    )
    within = predicted_adoption(inputs, inputs.fit, np.arange(len(inputs.fit)), readiness, "department", None)
    eventual = forecasts.point.scaling.production(within)
    scale = forecasts.point.eventual["department"] / level_means(codes.production, eventual, len(codes.levels))
    return pd.Series(np.minimum(1.0, eventual * scale[codes.production]), index=inputs.production["person_id"])


def category_comparison(data: AdoptionData, forecasts: Forecasts | None) -> pd.DataFrame:
    """Expected share of pilot members and of the whole workforce in each category of the organisation's
    predicted adoption order (both under production support)."""
    columns = ["Category", "Pilot members", "Whole workforce"]
    if forecasts is None or not data.people["in_pilot"].any():
        return pd.DataFrame(columns=columns)
    shares = predicted_categories(person_forecasts(data, forecasts))
    pilot = data.people.set_index("person_id")["in_pilot"].reindex(shares.index).fillna(False).astype(bool)
    table = pd.DataFrame(
        {
            "Category": shares.columns,
            "Pilot members": shares[pilot].mean().to_numpy(),
            "Whole workforce": shares.mean().to_numpy(),
        }
    )
    if pilot.sum() < data.minimum:
        table["Pilot members"] = np.nan
    return table


# --- licence waste ------------------------------------------------------------------------------------------------

NEVER_USED, NO_LONGER_USED, IN_USE = "Never used", "No longer used", "In use"


def licence_status(
    seats: pd.DataFrame, last_active: pd.Series, data_end: pd.Timestamp, window_days: int = INACTIVE_DAYS
) -> pd.DataFrame:
    """Per licence: its last activity (licence report or usage table, the later) and status.

    *Never used*: no activity at all.  *No longer used*: no activity in the ``window_days`` days ending on
    ``data_end``.  ``last_active`` is indexed by ``person_id``.
    """
    result = seats.copy()
    from_usage = result["person_id"].map(last_active) if len(last_active) else pd.Series(pd.NaT, index=result.index)
    last = pd.concat([pd.to_datetime(result["last_activity_at"]), pd.to_datetime(from_usage)], axis=1).max(axis=1)
    cutoff = pd.Timestamp(data_end).normalize() - pd.Timedelta(days=window_days - 1)
    result["last_activity"] = last
    result["status"] = np.select([last.isna(), last < cutoff], [NEVER_USED, NO_LONGER_USED], default=IN_USE)
    return result


def licences(data: AdoptionData) -> pd.DataFrame | None:
    """Every licence in the seats table with its status and the holder's segments (None: no seats table)."""
    if data.seats is None or data.data_end is None:
        return None
    last_active = data.people.set_index("person_id")["last_active"].dropna()
    status = licence_status(data.seats, last_active, data.data_end)
    segments = data.people.set_index("person_id")[data.segments]
    return status.join(segments, on="person_id")


def licence_waste_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: licences, never used, no longer used, and the wasted share (both together)."""
    status = licences(data)
    name = label(segment)
    columns = [name, "Licences", NEVER_USED, NO_LONGER_USED, "Wasted share"]
    if status is None or status.empty:
        return pd.DataFrame(columns=columns)
    groups = status[segment].fillna("(not in the roster)")
    counts = pd.crosstab(groups, status["status"]).reindex(columns=[NEVER_USED, NO_LONGER_USED, IN_USE], fill_value=0)
    table = pd.DataFrame(
        {
            name: counts.index,
            "Licences": counts.sum(axis=1).to_numpy(),
            NEVER_USED: counts[NEVER_USED].to_numpy(),
            NO_LONGER_USED: counts[NO_LONGER_USED].to_numpy(),
        }
    )
    table["Wasted share"] = (table[NEVER_USED] + table[NO_LONGER_USED]) / table["Licences"]
    shown = suppress_small_groups(table, "Licences", data.minimum)
    shown = suppress_small_counts(shown, NEVER_USED, data.minimum, ["Wasted share"])
    return suppress_small_counts(shown, NO_LONGER_USED, data.minimum, ["Wasted share"])


@dataclass(frozen=True)
class LicenceWaste:
    licences: int
    never_used: int
    no_longer_used: int
    window_start: str
    window_end: str

    @property
    def wasted(self) -> int:
        return self.never_used + self.no_longer_used


def licence_waste(data: AdoptionData) -> LicenceWaste | None:
    """Licence counts overall (every licence, in the roster or not)."""
    status = licences(data)
    if status is None:
        return None
    end = pd.Timestamp(data.data_end).normalize()
    return LicenceWaste(
        len(status),
        int((status["status"] == NEVER_USED).sum()),
        int((status["status"] == NO_LONGER_USED).sum()),
        (end - pd.Timedelta(days=INACTIVE_DAYS - 1)).date().isoformat(),
        end.date().isoformat(),
    )


# --- the demographic cliff: pilot adoption against the production forecast -----------------------------------

COVARIATE, DIFFUSION, EXTRAPOLATION = "model", "rollout curve", "model, extrapolated"


def method_of(codes: SegmentCodes, level: str) -> str:
    if level in codes.rollout_series:
        return DIFFUSION
    return COVARIATE if codes.own_estimate[codes.levels.index(level)] else EXTRAPOLATION


def observed_adoption(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: headcount, pilot members and adopters, rollout people and adopters."""
    people = data.people
    pilot, rollout = people[people["cohort"] == PILOT], people[people["cohort"] == ROLLOUT]
    table = pd.DataFrame({"Headcount": people.groupby(segment).size()})
    table["Pilot members"] = people[people["in_pilot"]].groupby(segment).size()
    table["Pilot adopters"] = pilot[pilot["adopted"]].groupby(segment).size()
    table["Rollout people"] = rollout.groupby(segment).size()
    table["Rollout adopters"] = rollout[rollout["adopted"]].groupby(segment).size()
    table = table.fillna(0).astype(int)
    table["Pilot adoption"] = table["Pilot adopters"] / table["Pilot members"].replace(0, np.nan)
    table["Rollout adoption so far"] = table["Rollout adopters"] / table["Rollout people"].replace(0, np.nan)
    table.index = table.index.astype(str)
    return table


def cliff_table(data: AdoptionData, forecasts: Forecasts | None, segment: str = "department") -> pd.DataFrame:
    """Per segment value: pilot adoption, adoption seen so far in the rollout, and the production forecast
    (eventual, with its 95 % interval) and the method behind it; small groups suppressed."""
    observed = observed_adoption(data, segment)
    name = label(segment)
    table = observed.reset_index(names=name)
    forecast_columns = ["Production forecast", "Interval low", "Interval high", "Method"]
    if forecasts is None or segment not in forecasts.inputs.codes:
        table[forecast_columns[:3]] = np.nan
        table["Method"] = "not modelled"
    else:
        result = forecasts.table(segment).reindex(table[name])
        table["Production forecast"] = result["estimate"].to_numpy()
        table["Interval low"], table["Interval high"] = result["low"].to_numpy(), result["high"].to_numpy()
        table["Method"] = [method_of(forecasts.inputs.codes[segment], level) for level in table[name]]
    table = table[
        [
            name,
            "Headcount",
            "Pilot members",
            "Pilot adoption",
            "Rollout people",
            "Rollout adoption so far",
            *forecast_columns,
        ]
    ]
    shown = suppress_small_groups(
        table,
        "Headcount",
        data.minimum,
        [
            "Headcount",
            "Pilot members",
            "Pilot adoption",
            "Rollout people",
            "Rollout adoption so far",
            *forecast_columns[:3],
        ],
    )
    shown = hide_cells(shown, ["Pilot members"], data.minimum, {"Pilot members": ["Pilot adoption"]}, by_row=False)
    shown = hide_cells(
        shown, ["Rollout people"], data.minimum, {"Rollout people": ["Rollout adoption so far"]}, by_row=False
    )
    for adopters, share in (("Pilot adopters", "Pilot adoption"), ("Rollout adopters", "Rollout adoption so far")):
        counts = observed[adopters].reindex(shown[name].astype(str)).to_numpy()
        shown[share] = shown[share].where(~((counts > 0) & (counts < data.minimum)))
    return shown


def share_interval_text(low: Any, high: Any) -> str | None:
    """``32%–93%``; None when either end is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    return f"{low:.0%}–{high:.0%}"


def cliff_display(table: pd.DataFrame) -> pd.DataFrame:
    """The cliff table as the book shows it: shares in whole percent, the interval as one column, the rollout's
    adoption only if there is a rollout (its size is in the access table), and the method as a mark on the
    segment value: "(rollout)" for a rollout curve, "(extrapolated)" for an extrapolation."""
    if table.empty or "Interval low" not in table:
        return table
    shown = table.copy()
    position = shown.columns.get_loc("Interval low")
    shown.insert(
        position,
        "95% interval",
        [share_interval_text(low, high) for low, high in zip(shown["Interval low"], shown["Interval high"])],
    )
    shown = shown.drop(columns=["Interval low", "Interval high"])
    if "Rollout people" in shown:
        no_rollout = not shown["Rollout people"].fillna(1).gt(0).any()
        shown = shown.drop(columns=["Rollout people", *(["Rollout adoption so far"] if no_rollout else [])])
    for column in ("Pilot adoption", "Rollout adoption so far", "Production forecast"):
        if column in shown:
            shown[column] = [None if pd.isna(value) else f"{value:.0%}" for value in shown[column]]
    if "Method" in shown:
        name = shown.columns[0] if shown.columns[0] != "Segment" else shown.columns[1]
        marks = {DIFFUSION: " (rollout)", EXTRAPOLATION: " (extrapolated)"}
        shown[name] = [f"{value}{marks.get(method, '')}" for value, method in zip(shown[name], shown["Method"])]
        shown = shown.drop(columns=["Method"])
    return shown


def organisation_row(data: AdoptionData, forecasts: Forecasts | None) -> dict[str, float | None]:
    """The whole organisation: pilot adoption, rollout adoption so far, forecast and interval."""
    pilot = data.people[data.people["cohort"] == PILOT]
    rollout = data.people[data.people["cohort"] == ROLLOUT]
    row: dict[str, float | None] = {
        "pilot_adoption": float(pilot["adopted"].mean()) if len(pilot) else None,
        "rollout_adoption": float(rollout["adopted"].mean()) if len(rollout) else None,
        "forecast": None,
        "low": None,
        "high": None,
        "within": None,
        "within_low": None,
        "within_high": None,
    }
    for key, group in (("pilot_adoption", pilot), ("rollout_adoption", rollout)):
        if 0 < len(group) < data.minimum:
            row[key] = None
    if forecasts is not None:
        eventual, within = forecasts.table(ORGANISATION).iloc[0], forecasts.table(ORGANISATION, False).iloc[0]
        row.update(
            forecast=float(eventual["estimate"]),
            low=float(eventual["low"]),
            high=float(eventual["high"]),
            within=float(within["estimate"]),
            within_low=float(within["low"]),
            within_high=float(within["high"]),
        )
    return row


METHOD_NAMES = {DIFFUSION: "rollout series", COVARIATE: "covariate model", EXTRAPOLATION: "extrapolation"}


def forecast_by_department(data: AdoptionData | None, forecasts: Forecasts | None) -> dict[str, dict[str, Any]]:
    """Per department, as results.json's ``adoption_by_department`` carries it: headcount, pilot members,
    observed pilot adoption, the eventual production forecast with its 95 % interval (``low``, ``high``), the
    method behind it (:data:`METHOD_NAMES`; None when not modelled) and whether a figure is suppressed.

    Suppressed exactly as the chapter's cliff table (:func:`cliff_table`): a hidden figure is None.  Empty
    without usage data.
    """
    if data is None or "department" not in data.segments:
        return {}
    table = cliff_table(data, forecasts, "department")
    return {str(row[label("department")]): department_entry(row) for _, row in table.iterrows()}


def department_entry(row: pd.Series) -> dict[str, Any]:
    def count(value: Any) -> int | None:
        return None if pd.isna(value) else int(value)

    return {
        "headcount": count(row["Headcount"]),
        "pilot_members": count(row["Pilot members"]),
        "pilot_adoption": figure(row["Pilot adoption"]),
        "forecast": figure(row["Production forecast"]),
        "low": figure(row["Interval low"]),
        "high": figure(row["Interval high"]),
        "method": METHOD_NAMES.get(row["Method"]),
        "suppressed": bool(row[SUPPRESSED]),
    }


# --- diffusion fits -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortDiffusion:
    """A group given access together, its weekly adoption and its Bass fit (with bootstrap intervals)."""

    name: str
    people: int
    onsets: tuple[float, ...]
    weeks: int
    estimate: BassEstimate


def diffusion_groups(data: AdoptionData) -> dict[str, pd.DataFrame]:
    """The pilot, the rollout, and every segment value with a rollout series (when it is not the whole rollout)."""
    people = data.with_access
    groups = {c: people[people["cohort"] == c] for c in (PILOT, ROLLOUT) if (people["cohort"] == c).any()}
    rollout = groups.get(ROLLOUT, people.iloc[:0])
    for segment in data.segments:
        for level in rollout_series_levels(data.people, segment):
            members = rollout[rollout[segment].astype(str) == level]
            if len(members) < len(rollout):
                groups[f"{ROLLOUT}: {level}"] = members
    return groups


def diffusion_fits(
    data: AdoptionData, replicates: int = REPLICATES, known: dict[str, BassEstimate] | None = None
) -> list[CohortDiffusion]:
    """Launch-week Bass fits, with bootstrap intervals, of every group of :func:`diffusion_groups` large enough
    (``known``: estimates already made, by group name, reused as they are)."""
    fits = []
    for name, group in diffusion_groups(data).items():
        weeks = confirmable_weeks(data.people, group["cohort"].iloc[0], data.rule.weeks)
        if len(group) < MIN_MODEL_PEOPLE or weeks < 1:
            continue
        onsets = cohort_onsets(group)
        estimate_ = (known or {}).get(name) or bootstrap_bass(
            onsets, weeks, replicates, data.settings.seed, launch_week=True
        )
        if estimate_ is not None:
            fits.append(CohortDiffusion(name, len(group), tuple(onsets.tolist()), weeks, estimate_))
    return fits


def interval_text(low: float, high: float, digits: int) -> str:
    return f"{low:.{digits}f}–{high:.{digits}f}"


def diffusion_table(fits: list[CohortDiffusion]) -> pd.DataFrame:
    """One column per fitted cohort, one row per measure: people, adopters so far, p, q and the eventual share
    with 95 % intervals, the peak week and the quality of the fit (R², root-mean-square error)."""
    columns = {}
    for d in fits:
        fit = d.estimate.fit
        columns[d.name] = [
            f"{d.people:,}",
            f"{fit.adopters_seen:,} (of whom {fit.immediate:,} in week 1)",
            f"{d.weeks}",
            f"{fit.innovation:.3f} ({interval_text(*d.estimate.innovation_interval, 3)})",
            f"{fit.imitation:.2f} ({interval_text(*d.estimate.imitation_interval, 2)})",
            f"{fit.potential_share:.0%} ({share_interval_text(*d.estimate.share_interval)})",
            f"{fit.peak_week:.1f}",
            f"{fit.r_squared:.2f}",
            f"{fit.rmse:.1f}",
        ]
    if not columns:
        return pd.DataFrame()
    measures = [
        "People with access",
        "Adopters so far",
        "Weeks fitted",
        "Innovation p (95% interval)",
        "Imitation q (95% interval)",
        "Eventual adoption (95% interval)",
        "Peak of new adoption (week)",
        "R² (weekly new adopters)",
        "RMSE (people per week)",
    ]
    return pd.DataFrame({"Measure": measures, **columns})


def adoption_curves(fits: list[CohortDiffusion], weeks: int = 26) -> pd.DataFrame:
    """Per fitted group and week from its start: the observed cumulative adoption share (over the confirmable
    weeks) and the fitted curve's, to ``weeks`` (or the observed span, if longer)."""
    rows = []
    for d in fits:
        onsets, fit = np.asarray(d.onsets, dtype=float), d.estimate.fit
        for week in range(0, max(weeks, d.weeks) + 1):
            rows.append(
                {
                    "Cohort": d.name,
                    "Week": week,
                    "Observed": float(np.sum(onsets <= week)) / d.people if week <= d.weeks else np.nan,
                    "Fitted": float(fit.cumulative(np.array([week]))[0]) / d.people if week >= 1 else 0.0,
                }
            )
    return pd.DataFrame(rows, columns=["Cohort", "Week", "Observed", "Fitted"])


# --- the chapter's study, headline and findings -----------------------------------------------------------------


@dataclass(frozen=True)
class AdoptionStudy:
    """Everything the chapter shows, computed once (the bootstrap is the slow part: a few seconds)."""

    data: AdoptionData | None
    forecasts: Forecasts | None
    diffusion: tuple[CohortDiffusion, ...]
    reason: str | None

    @property
    def segments(self) -> list[str]:
        return self.data.segments if self.data is not None else []


def adoption_study(package: PreparedPackage, replicates: int = REPLICATES) -> AdoptionStudy:
    """Read the package, fit every model and bootstrap it (``replicates`` replicates, seeded)."""
    reason = unavailable_reason(package)
    data = adoption_data(package) if reason is None else None
    if data is None or data.with_access.empty:
        return AdoptionStudy(data, None, (), reason or "Nobody in the roster appears in the usage telemetry.")
    forecasts = production_forecasts(data, replicates, sustainment_without_rollout(package, data.has_rollout))
    why = (
        None
        if forecasts is not None
        else (
            f"Too few people had access, or too few adopted, to model production adoption (at least "
            f"{MIN_MODEL_PEOPLE} people with access and {MIN_MODEL_OUTCOMES} adopters and non-adopters are needed)."
        )
    )
    known = {forecasts.inputs.reference: forecasts.reference_fit} if forecasts and forecasts.reference_fit else {}
    return AdoptionStudy(data, forecasts, tuple(diffusion_fits(data, replicates, known)), why)


def weekly_active_users_at_end(data: AdoptionData) -> tuple[int, str] | None:
    """Weekly active users in the last complete week of the data, and that week's Monday."""
    if data.data_end is None:
        return None
    last = data.last_week
    active = data.weeks[pd.to_datetime(data.weeks["week_start"]) == last]
    return int(active["person_id"].nunique()), last.date().isoformat()


@dataclass(frozen=True)
class AdoptionHeadline:
    """What results.json carries from the adoption chapter (None where the data do not allow it)."""

    people_with_access: int | None
    pilot_members_with_access: int | None
    pilot_adoption: float | None
    rollout_people: int | None
    rollout_adoption_so_far: float | None
    predicted_production_adoption: float | None
    predicted_production_adoption_low: float | None
    predicted_production_adoption_high: float | None
    horizon_weeks: int | None
    predicted_adoption_within_horizon: float | None
    predicted_adoption_within_horizon_low: float | None
    predicted_adoption_within_horizon_high: float | None
    weekly_active_users_end: int | None
    weekly_active_users_week: str | None
    licences: int | None
    licences_never_used: int | None
    licences_no_longer_used: int | None
    licence_waste_window: str | None
    bootstrap_replicates: int | None

    def as_dict(self) -> dict[str, Any]:
        return {key: (round(value, 6) if isinstance(value, float) else value) for key, value in self.__dict__.items()}


def adoption_headline(package: PreparedPackage, study: AdoptionStudy | None = None) -> AdoptionHeadline:
    """The headline figures (pass the chapter's ``study`` to avoid computing it twice)."""
    study = study or adoption_study(package)
    data, forecasts = study.data, study.forecasts
    if data is None:
        return AdoptionHeadline(*([None] * 19))
    row = organisation_row(data, forecasts)
    wau = weekly_active_users_at_end(data)
    waste = licence_waste(data)
    cohort = data.people["cohort"]
    return AdoptionHeadline(
        int(cohort.notna().sum()),
        int((cohort == PILOT).sum()),
        row["pilot_adoption"],
        int((cohort == ROLLOUT).sum()),
        row["rollout_adoption"],
        row["forecast"],
        row["low"],
        row["high"],
        forecasts.inputs.horizon if forecasts else None,
        row["within"],
        row["within_low"],
        row["within_high"],
        wau[0] if wau else None,
        wau[1] if wau else None,
        waste.licences if waste else None,
        waste.never_used if waste else None,
        waste.no_longer_used if waste else None,
        f"{waste.window_start} to {waste.window_end}" if waste else None,
        len(forecasts.replicates) if forecasts else None,
    )


def headline_rows(headline: AdoptionHeadline, minimum: int, unavailable: str | None = None) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's headline table; counts of 1..minimum − 1 people are
    shown as "fewer than minimum"; ``unavailable`` (the chapter's :func:`unavailable_reason`) stands beside every
    figure when adoption is not assessed."""
    missing = availability.figure_reason(unavailable) if unavailable else "not available"

    def people(value: int) -> str:
        return f"fewer than {minimum}" if 0 < value < minimum else f"{value:,}"

    def share(value: float | None) -> str:
        return missing if value is None else f"{value:.0%}"

    def interval(low: float | None, high: float | None) -> str:
        return "" if low is None or high is None else f" (95% interval {low:.0%}–{high:.0%})"

    rows = [
        (
            "People with access",
            f"{headline.people_with_access:,}" if headline.people_with_access is not None else missing,
        ),
        ("Pilot adoption (pilot members who reached sustained use)", share(headline.pilot_adoption)),
    ]
    if headline.rollout_people:
        rows.append(("Rollout adoption so far", share(headline.rollout_adoption_so_far)))
    rows.append(
        (
            "Predicted production adoption (eventual)",
            share(headline.predicted_production_adoption)
            + interval(headline.predicted_production_adoption_low, headline.predicted_production_adoption_high),
        )
    )
    if headline.horizon_weeks:
        rows.append(
            (
                f"Predicted production adoption within {headline.horizon_weeks} weeks of access",
                share(headline.predicted_adoption_within_horizon)
                + interval(
                    headline.predicted_adoption_within_horizon_low, headline.predicted_adoption_within_horizon_high
                ),
            )
        )
    if headline.weekly_active_users_end is not None:
        rows.append(
            (
                f"Weekly active users, week of {pd.Timestamp(headline.weekly_active_users_week):%d %b %Y}",
                people(headline.weekly_active_users_end),
            )
        )
    if headline.licences is not None:
        rows.append(
            (
                "Licences never used / no longer used",
                f"{people(headline.licences_never_used)} / {people(headline.licences_no_longer_used)} of "
                f"{headline.licences:,} (no activity in the 28 days to "
                f"{pd.Timestamp(headline.licence_waste_window.split(' to ')[1]):%d %b %Y})",
            )
        )
    return rows


def access_sentence(data: AdoptionData) -> str:
    cohort = data.people["cohort"]
    pilot, rollout = int((cohort == PILOT).sum()), int((cohort == ROLLOUT).sum())
    text = f"{pilot + rollout:,} people had access to the assistant: {pilot:,} pilot members"
    if data.pilot_start is not None:
        text += f" from {data.pilot_start:%d %b %Y}"
    if rollout:
        start = data.people.loc[cohort == ROLLOUT, "access_start"].min()
        text += f" and {rollout:,} others (the rollout) from {start:%d %b %Y} on"
    unknown = int(data.people["access_unknown"].sum())
    if unknown:
        text += (
            f"; {unknown:,} more hold a licence they never used and whose assignment date is unknown, so "
            "they count as licence waste but not in the adoption figures"
        )
    return text + "."


def forecast_sentences(data: AdoptionData, study: AdoptionStudy) -> list[str]:
    row = organisation_row(data, study.forecasts)
    if row["forecast"] is None:
        return [study.reason or "Production adoption could not be forecast."]
    pilot = "" if row["pilot_adoption"] is None else f", against {row['pilot_adoption']:.0%} of pilot members"
    sentences = [
        f"Predicted production adoption: {row['forecast']:.0%} of the workforce will reach sustained use "
        f"under production support (95% interval {row['low']:.0%}–{row['high']:.0%}){pilot}."
    ]
    inputs = study.forecasts.inputs
    sentences.append(
        f"Within the first {inputs.horizon} weeks of access the forecast is {row['within']:.0%} "
        f"({row['within_low']:.0%}–{row['within_high']:.0%}): what the data show directly. The rest is "
        "extrapolated with the diffusion curve, which is why the eventual figure's interval is wider."
    )
    if not inputs.support_effect:
        sentences.append(
            "There is no rollout cohort, so the effect of losing the pilot's extra support cannot be "
            "estimated: the forecast describes adoption under pilot conditions and is likely optimistic."
        )
    return sentences


def cliff_sentences(data: AdoptionData, study: AdoptionStudy) -> list[str]:
    table = cliff_table(data, study.forecasts)
    shown = table[~table[SUPPRESSED] & table["Pilot adoption"].notna() & table["Production forecast"].notna()]
    sentences = []
    if len(shown):
        gap = shown["Pilot adoption"] - shown["Production forecast"]
        worst = shown.loc[gap.idxmax()]
        sentences.append(
            f"The widest gap is in {worst['Department']}: {worst['Pilot adoption']:.0%} of its pilot "
            f"members adopted, against a forecast of {worst['Production forecast']:.0%} for the "
            "department as a whole."
        )
    extrapolated = table.loc[~table[SUPPRESSED] & (table["Method"] == EXTRAPOLATION), "Department"].tolist()
    if extrapolated:
        sentences.append(
            f"{', '.join(extrapolated)}: too few people had access to estimate "
            f"{'its' if len(extrapolated) == 1 else 'their'} own adoption; the forecast is the "
            "organisation's pattern applied to their readiness, with a correspondingly wide interval."
        )
    return sentences


def usage_sentences(data: AdoptionData) -> list[str]:
    sentences = []
    table = retention_table(data, "cohort")
    week = next(
        (
            w
            for w in reversed(RETENTION_WEEKS)
            if f"Still active in week {w}" in table and table[f"Still active in week {w}"].notna().all()
        ),
        None,
    )
    if week is not None and len(table):
        parts = [f"{row['Cohort'].lower()} {row[f'Still active in week {week}']:.0%}" for _, row in table.iterrows()]
        sentences.append(
            f"Of those active in their first week, the share still active in week {week}: {', '.join(parts)}."
        )
    waste = licence_waste(data)
    if waste is not None and waste.licences:
        sentences.append(
            f"{waste.wasted:,} of {waste.licences:,} licences ({waste.wasted / waste.licences:.0%}) are "
            f"wasted: {waste.never_used:,} never used and {waste.no_longer_used:,} not used in the 28 "
            f"days to {pd.Timestamp(waste.window_end):%d %b %Y}."
        )
    return sentences


def adoption_findings(study: AdoptionStudy) -> list[str]:
    """The chapter's answer in plain sentences."""
    data = study.data
    if data is None or data.with_access.empty:
        return [study.reason or "Adoption cannot be assessed from these data."]
    sentences = [
        access_sentence(data),
        *forecast_sentences(data, study),
        *cliff_sentences(data, study),
        *usage_sentences(data),
    ]
    if study.forecasts is not None:
        sentences.append(
            "Readiness is measured by the survey with error, which flattens its estimated link "
            "with adoption: where the forecast extrapolates from enthusiastic pilot members to less "
            "ready colleagues, it leans optimistic."
        )
    return sentences


# --- what the chapter shows, from the study (empty tables where the data do not allow them) ---------------------


def access_summary(study: AdoptionStudy) -> pd.DataFrame:
    """Per cohort: people with access, from when, by which rule, and how many reached sustained use."""
    columns = [
        "Cohort",
        "People with access",
        "Access from",
        "Start taken from",
        "Adopters so far",
        "Share adopted so far",
        "Occasional users",
        "Weeks observed",
    ]
    if study.data is None or study.data.with_access.empty:
        return pd.DataFrame(columns=columns)
    rows, returning = [], occasional_users(study.data.weeks)
    for cohort, group in study.data.with_access.groupby("cohort", sort=False):
        rules = group["access_rule"].value_counts()
        rows.append(
            {
                "Cohort": cohort,
                "People with access": len(group),
                "Access from": f"{group['access_start'].min():%d %b %Y}",
                "Start taken from": "; ".join(f"{rule} ({count})" for rule, count in rules.items()),
                "Adopters so far": int(group["adopted"].sum()),
                "Share adopted so far": group["adopted"].mean(),
                "Occasional users": int((group["person_id"].isin(returning) & ~group["adopted"]).sum()),
                "Weeks observed": int(group["cohort_weeks_observed"].max()),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    shown = suppress_small_groups(
        table,
        "People with access",
        study.data.minimum,
        ["People with access", "Adopters so far", "Share adopted so far", "Occasional users"],
    )
    shown = suppress_small_counts(shown, "Adopters so far", study.data.minimum, ["Share adopted so far"])
    return suppress_small_counts(shown, "Occasional users", study.data.minimum, [])


def sustained_use_thresholds(study: AdoptionStudy) -> pd.DataFrame:
    """How the share of each cohort counted as adopters (and as occasional users) moves with the rule."""
    if study.data is None or study.data.with_access.empty:
        return pd.DataFrame()
    data = study.data
    return threshold_table(data.with_access[["person_id", "cohort"]], data.weeks, data.rule, data.minimum)


def weekly_use(study: AdoptionStudy) -> pd.DataFrame:
    if study.data is None:
        return pd.DataFrame(columns=["Week", "Cohort", "People with access", "Weekly active users"])
    return weekly_active_by_cohort(study.data)


def active_use(study: AdoptionStudy, segment: str = "department") -> pd.DataFrame:
    return active_use_table(study.data, segment) if study.data is not None else pd.DataFrame()


def retention_curves(study: AdoptionStudy) -> pd.DataFrame:
    if study.data is None:
        return pd.DataFrame(columns=["group", "week", "starters", "still_active", "retention"])
    return retention(study.data, "cohort")


def retention_summary(study: AdoptionStudy, by: str = "cohort") -> pd.DataFrame:
    return retention_table(study.data, by) if study.data is not None else pd.DataFrame()


def intensity(study: AdoptionStudy, segment: str = "department") -> pd.DataFrame:
    """Usage intensity over the last four weeks, per cohort (``segment="cohort"``) or segment value, as shown."""
    return intensity_display(intensity_table(study.data, segment)) if study.data is not None else pd.DataFrame()


def intensity_weekly(study: AdoptionStudy) -> pd.DataFrame:
    if study.data is None:
        return pd.DataFrame(columns=["Week", "Cohort", "Band", "Share"])
    return intensity_over_time(study.data)


def categories_observed(study: AdoptionStudy) -> pd.DataFrame:
    return observed_categories(study.data) if study.data is not None else pd.DataFrame()


def categories_compared(study: AdoptionStudy) -> pd.DataFrame:
    if study.data is None:
        return pd.DataFrame(columns=["Category", "Pilot members", "Whole workforce"])
    return category_comparison(study.data, study.forecasts)


def diffusion_summary(study: AdoptionStudy) -> pd.DataFrame:
    return diffusion_table(list(study.diffusion))


def diffusion_curves(study: AdoptionStudy) -> pd.DataFrame:
    return adoption_curves(list(study.diffusion))


def cliff(study: AdoptionStudy, segment: str = "department") -> pd.DataFrame:
    return (
        cliff_table(study.data, study.forecasts, segment)
        if study.data is not None
        else pd.DataFrame(columns=[label(segment), "Headcount", "Pilot adoption", "Production forecast", "Method"])
    )


def organisation(study: AdoptionStudy) -> dict[str, float | None]:
    if study.data is None:
        return {"pilot_adoption": None, "forecast": None, "low": None, "high": None}
    return organisation_row(study.data, study.forecasts)


def forecast_by_other_segments(study: AdoptionStudy) -> pd.DataFrame:
    """The cliff table for every segment but department, stacked, with the segment named in a column."""
    if study.data is None or study.forecasts is None:
        return pd.DataFrame()
    parts = []
    for segment in [s for s in study.segments if s != "department"]:
        table = cliff_table(study.data, study.forecasts, segment).rename(columns={label(segment): "Value"})
        parts.append(table.drop(columns=["Rollout people", "Rollout adoption so far"]).assign(Segment=label(segment)))
    if not parts:
        return pd.DataFrame()
    stacked = cliff_display(pd.concat(parts, ignore_index=True))
    return stacked[["Segment", *[c for c in stacked.columns if c != "Segment"]]]


def licence_waste_by(study: AdoptionStudy, segment: str = "department") -> pd.DataFrame:
    return licence_waste_table(study.data, segment) if study.data is not None else pd.DataFrame()


def method_notes(study: AdoptionStudy) -> list[str]:
    """How this client's forecast was made, in plain sentences."""
    if study.forecasts is None:
        return [study.reason or "No forecast could be made."]
    inputs, rule = study.forecasts.inputs, study.data.rule
    notes = [
        f"Sustained use means {rule.text} (adoption.sustained_use in assessment.yml); occasional users, "
        f"active in at least {OCCASIONAL_WEEKS} different weeks without reaching it, are counted apart."
        + (f" {rule.note}" if rule.note else "")
    ]
    if study.data.people["responded"].any():
        notes += [note for note in (study.data.weights.note(), attenuation_note(study.data.reliability)) if note]
    notes += [
        f"Adoption within {inputs.horizon} weeks of access was modelled on the {len(inputs.fit):,} people "
        f"who had access, and applied to all {len(inputs.production):,} people in the roster."
    ]
    if inputs.support_effect:
        notes.append(
            "The model separates the pilot's extra support from readiness by comparing pilot members "
            "with the rollout cohort, who had the service desk; the forecast sets it aside."
        )
    notes += study.forecasts.production_notes()
    if inputs.enthusiasm_effect and inputs.support_effect:
        notes.append(
            "Volunteers and assigned pilot members are told apart too: production adoption is that of "
            "people who did not volunteer."
        )
    series = [
        f"{level} ({label(segment).lower()})"
        for segment, codes in inputs.codes.items()
        for level in codes.rollout_series
    ]
    if series:
        notes.append(
            f"Adoption within {inputs.horizon} weeks as the rollout group itself showed it (not the "
            f"model): {', '.join(series)}."
        )
    notes.append(
        f"Intervals: {len(study.forecasts.replicates)} bootstrap replicates over people, seeded with "
        "adoption.seed in assessment.yml, so a rerun gives the same numbers."
    )
    return notes

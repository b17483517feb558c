"""Who had access, from when, and what they did week by week: the data every adoption figure reads."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from scalegap.models import activity, availability, readiness
from scalegap.models.measurement_error import attenuation_note, survey_reliability
from scalegap.models.readiness_predictor import ConstructWeights, person_scores, predictive_weights, weighted_index
from scalegap.models.segments import available_segments
from scalegap.models.sustained_use import (
    SustainedUseRule,
    rule_for,
    sustained_use_onset,
)
from scalegap.package import PreparedPackage
from scalegap.settings import AdoptionSettings, StatisticsSettings, SurveySettings
from scalegap.vocabulary import PILOT_COHORT, ROLLOUT_COHORT, WHOLE_ORGANISATION

PILOT, ROLLOUT = PILOT_COHORT, ROLLOUT_COHORT
ORGANISATION = WHOLE_ORGANISATION
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
    cohort = np.where(people["in_pilot"], PILOT, ROLLOUT)
    people["cohort"] = np.where(known, cohort, None)  # type: ignore[call-overload]  # numpy's stubs reject None here
    people["access_unknown"] = people["has_licence"] & ~known
    return people


# --- the usage data, week by week (scalegap.models.activity_queries.person_weeks) ----------------------------------


def sql(statement: str, params: dict[str, Any] | None = None, **relations: pd.DataFrame) -> pd.DataFrame:
    """Run ``statement`` in a fresh DuckDB connection with ``relations`` registered under their names."""
    with duckdb.connect() as connection:
        for name, frame in relations.items():
            connection.register(name, frame)
        return connection.sql(statement, params=params or None).df()


def person_weeks(usage: activity.UsageData, access: pd.DataFrame) -> pd.DataFrame:
    """Per person with access and ISO week with activity: ``week`` since access (1 = the access week),
    ``week_start``, ``active_days``, ``first_day``."""
    starts = access.loc[access["access_start"].notna(), ["person_id", "access_start"]]
    return activity.person_weeks(activity.ActivityData.of(usage), starts)


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
    #: seed, replicates and interval level of every resampling (``statistics`` in assessment.yml)
    statistics: StatisticsSettings
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
    statistics: StatisticsSettings,
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
    start = pilot_start if pd.notna(pilot_start) else None
    return AdoptionData(people, weeks, data_end, start, settings, statistics, minimum, seats, source, rule)


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
        package,
        package.table("roster"),
        seats,
        equal,
        settings.adoption,
        settings.statistics,
        settings.privacy.min_group_size,
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

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
* **Diffusion** (:mod:`scalegap.stats.diffusion`): a Bass model of the weekly new adopters, counted from
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
* **Intervals**: percentile bootstrap (``statistics``: seed, replicates, interval level): people with access
  redrawn within their cohort, respondents redrawn, every model refitted.  A segment value with fewer than
  ``MIN_OWN_ESTIMATE`` people with access is an *extrapolation*: the data cannot tell it from the average, so
  its point estimate has no effect of its own and each replicate draws one from the prior, N(0, 0.3²) on the
  log-odds scale: the interval widens rather than the estimate silently assuming.  The organisation's figure
  is the headcount-weighted mean of the departments' forecasts, replicate by replicate.
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

from dataclasses import dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.adoption.access import (
    MIN_MODEL_OUTCOMES,
    MIN_MODEL_PEOPLE,
    PILOT,
    RETENTION_WEEKS,
    ROLLOUT,
    AdoptionData,
    adoption_data,
    unavailable_reason,
)
from scalegap.models.adoption.categories import category_comparison, observed_categories
from scalegap.models.adoption.demographic_cliff import EXTRAPOLATION, cliff_display, cliff_table, organisation_row
from scalegap.models.adoption.diffusion_fits import CohortDiffusion, adoption_curves, diffusion_fits, diffusion_table
from scalegap.models.adoption.forecast import Forecasts, production_forecasts
from scalegap.models.adoption.licences import licence_waste, licence_waste_table
from scalegap.models.adoption.usage import (
    active_use_table,
    intensity_display,
    intensity_over_time,
    intensity_table,
    retention,
    retention_table,
    weekly_active_by_cohort,
)
from scalegap.models.measurement_error import attenuation_note
from scalegap.models.production_scaling import (
    sustainment_without_rollout,
)
from scalegap.models.results import persisted_study
from scalegap.models.segments import label
from scalegap.models.sustained_use import (
    OCCASIONAL_WEEKS,
    occasional_users,
    threshold_table,
)
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts, suppress_small_groups

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


#: the name the adoption study is persisted under in the results folder
STUDY = "adoption"


def adoption_study(package: PreparedPackage, replicates: int | None = None) -> AdoptionStudy:
    """The chapter's study: the one the summarise step persisted for these data (:mod:`scalegap.models.results`),
    else computed now (a notebook opened alone, or another number of ``replicates`` than ``statistics.replicates``)."""
    found = persisted_study(package, STUDY) if replicates is None else None
    return found.study if found is not None else computed_adoption_study(package, replicates)


def computed_adoption_study(package: PreparedPackage, replicates: int | None = None) -> AdoptionStudy:
    """Read the package, fit every model and bootstrap it (``replicates`` replicates, seeded; None:
    ``statistics.replicates``)."""
    reason = unavailable_reason(package)
    data = adoption_data(package) if reason is None else None
    if data is None or data.with_access.empty:
        return AdoptionStudy(data, None, (), reason or "Nobody in the roster appears in the usage telemetry.")
    replicates = replicates or data.statistics.replicates
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
    assert last is not None  # data_end is set
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


def headline_rows(
    headline: AdoptionHeadline, minimum: int, interval: float, unavailable: str | None = None
) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's headline table, intervals of level ``interval``; counts
    of 1..minimum − 1 people are shown as "fewer than minimum"; ``unavailable`` (the chapter's
    :func:`unavailable_reason`) stands beside every figure when adoption is not assessed."""
    missing = availability.figure_reason(unavailable) if unavailable else "not available"

    def people(value: int) -> str:
        return f"fewer than {minimum}" if 0 < value < minimum else f"{value:,}"

    def share(value: float | None) -> str:
        return missing if value is None else f"{nf.share(value)}"

    def between(low: float | None, high: float | None) -> str:
        return (
            "" if low is None or high is None else f" ({nf.interval_label(interval)} {nf.interval(low, high, 'share')})"
        )

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
            + between(headline.predicted_production_adoption_low, headline.predicted_production_adoption_high),
        )
    )
    if headline.horizon_weeks:
        rows.append(
            (
                f"Predicted production adoption within {headline.horizon_weeks} weeks of access",
                share(headline.predicted_adoption_within_horizon)
                + between(
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
        # licence_waste gives the licences, the never / no longer used counts and the window together
        assert headline.licences_never_used is not None and headline.licences_no_longer_used is not None
        assert headline.licence_waste_window is not None
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
    pilot = "" if row["pilot_adoption"] is None else f", against {nf.share(row['pilot_adoption'])} of pilot members"
    span = nf.with_interval(row["forecast"], row["low"], row["high"], "share", data.statistics.interval)
    sentences = [f"Predicted production adoption: {span} of the workforce, under production support{pilot}."]
    assert study.forecasts is not None  # organisation_row forecasts only from the forecasts
    inputs = study.forecasts.inputs
    sentences.append(
        f"Within the first {inputs.horizon} weeks of access the forecast is {nf.share(row['within'])} "
        f"({nf.interval(row['within_low'], row['within_high'], 'share')}): what the data show directly. The rest is "
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
            f"The widest gap is in {worst['Department']}: {nf.share(worst['Pilot adoption'])} of its pilot "
            f"members adopted, against a forecast of {nf.share(worst['Production forecast'])} for the "
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
        parts = [f"{c.lower()} {nf.share(v)}" for c, v in table[["Cohort", f"Still active in week {week}"]].values]
        sentences.append(
            f"Of those active in their first week, the share still active in week {week}: {', '.join(parts)}."
        )
    waste = licence_waste(data)
    if waste is not None and waste.licences:
        sentences.append(
            f"{waste.wasted:,} of {waste.licences:,} licences ({nf.share(waste.wasted / waste.licences)}) are "
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
    return diffusion_table(list(study.diffusion), study.data.statistics.interval) if study.data else pd.DataFrame()


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
    stacked = cliff_display(pd.concat(parts, ignore_index=True), study.data.statistics.interval)
    return stacked[["Segment", *[c for c in stacked.columns if c != "Segment"]]]


def licence_waste_by(study: AdoptionStudy, segment: str = "department") -> pd.DataFrame:
    return licence_waste_table(study.data, segment) if study.data is not None else pd.DataFrame()


def method_notes(study: AdoptionStudy) -> list[str]:
    """How this client's forecast was made, in plain sentences."""
    if study.forecasts is None:
        return [study.reason or "No forecast could be made."]
    assert study.data is not None  # a study forecasts only from its data
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
        "statistics.seed in assessment.yml, so a rerun gives the same numbers."
    )
    return notes

"""The study's inputs: the people measured, their tasks and records, the roster, the standardised outcomes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scalegap.models import adoption, availability, effect
from scalegap.models.measurement_error import calibrated
from scalegap.package import PreparedPackage

FACTORS = ("adoption", "effect", "data_mix", "sustainment")


FACTOR_LABELS = {
    "adoption": "Adoption",
    "effect": "Effect per active user",
    "data_mix": "Data mix",
    "sustainment": "Sustainment (support)",
}


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
    if outcome is None:
        raise ValueError(f"no conversion inputs: {unavailable_reason(package)}")
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

"""The inputs: pilot members and others, their clean and messy records, the production share of messy records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models import availability, effect
from scalegap.package import PreparedPackage
from scalegap.vocabulary import EVERYONE_ELSE, PILOT_MEMBERS

PILOT_GROUP, OUTSIDE_GROUP = PILOT_MEMBERS, EVERYONE_ELSE


GROUPS = (PILOT_GROUP, OUTSIDE_GROUP)


DECLARED, OUTSIDE, PILOT_ONLY = "declared", "outside", "pilot"


# --- inputs ---------------------------------------------------------------------------------------------------------


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the effect on clean and messy records cannot be measured for this client, or None."""
    missing = availability.reason_for(package, "outcomes", subject="The effect on clean and messy records")
    if missing:
        return missing
    outcome = effect.outcome_records(package)
    assert outcome is not None  # the outcome records are usable: reason_for gave no reason
    records = outcome.records
    if records.empty:
        return "No outcome record has a person, an assisted flag and the outcome metric, so nothing can be measured."
    if not records["data_tier"].isin(effect.TIERS).any():
        return (
            "No outcome record has a record completeness or an exception flag, so no record can be placed in "
            "a data-quality tier."
        )
    return None


def pilot_members(package: PreparedPackage) -> set[str]:
    roster = package.table("roster")
    return set(roster.loc[roster["in_pilot"].fillna(False).astype(bool), "person_id"])


def people_table(records: pd.DataFrame, pilot_ids: set[str]) -> pd.DataFrame:
    """Per person with records of known tier: effects and record counts per tier (see
    :func:`scalegap.models.effect.person_effects`) and ``group`` (pilot members or outside the pilot)."""
    people = effect.person_effects(records)
    people["group"] = np.where(people.index.isin(pilot_ids), PILOT_GROUP, OUTSIDE_GROUP)
    return people


def tier_records(people: pd.DataFrame, tier: str) -> pd.Series:
    return people[f"{tier}_assisted"] + people[f"{tier}_unassisted"]


@dataclass(frozen=True)
class PeopleArrays:
    """The people table as arrays, so that a bootstrap replicate is a cheap row selection."""

    pilot: np.ndarray
    effects: dict[str, np.ndarray]
    records: dict[str, np.ndarray]

    @classmethod
    def of(cls, people: pd.DataFrame) -> PeopleArrays:
        return cls(
            (people["group"] == PILOT_GROUP).to_numpy(),
            {tier: people[tier].to_numpy(float) for tier in effect.TIERS},
            {tier: tier_records(people, tier).to_numpy(float) for tier in effect.TIERS},
        )

    def take(self, rows: np.ndarray) -> PeopleArrays:
        return PeopleArrays(
            self.pilot[rows],
            {t: v[rows] for t, v in self.effects.items()},
            {t: v[rows] for t, v in self.records.items()},
        )

    def members(self, group: str) -> np.ndarray:
        return self.pilot if group == PILOT_GROUP else ~self.pilot


def mean_or_nan(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def messy_shares(people: PeopleArrays) -> dict[str, float]:
    """Per group: messy records ÷ records of known tier (NaN without any)."""
    shares = {}
    for group in GROUPS:
        members = people.members(group)
        messy = people.records[effect.MESSY][members].sum()
        known = messy + people.records[effect.CLEAN][members].sum()
        shares[group] = float(messy / known) if known else float("nan")
    return shares


def share_source(declared: float | None, people: pd.DataFrame) -> str:
    """Where production's messy share comes from (a key of ``SHARE_SOURCES``)."""
    if declared is not None:
        return DECLARED
    return OUTSIDE if (people["group"] == OUTSIDE_GROUP).any() else PILOT_ONLY

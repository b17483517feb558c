"""The people measured: each pilot member's effect, team, department and configuration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models import availability, effect
from scalegap.package import PreparedPackage

MIN_PEOPLE = 10


MIN_SHARED_TEAMS = 3


NOT_RECORDED = "(not recorded)"


PILOT_TEAMS_LABEL = "Teams with a pilot member"


OTHER_TEAMS_LABEL = "Teams without a pilot member"


# --- the people measured ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortabilityData:
    """One row per measured person (``people``, never shown): ``person_id``, ``department``, ``team``,
    ``pilot_member``, ``pilot_team``, ``configuration``, ``effect``; ``named_configurations`` says whether the
    records name configurations (else ``configuration`` is the pilot-team proxy)."""

    people: pd.DataFrame
    unit: str
    named_configurations: bool
    tuned: str | None
    standard: str | None

    @property
    def teams(self) -> int:
        return int(self.people["team"].nunique())

    @property
    def shared_teams(self) -> int:
        """Teams with at least two measured people (what separates team from person variation)."""
        return int((self.people.groupby("team").size() >= 2).sum())


def person_configuration(records: pd.DataFrame) -> pd.Series:
    """Per person: the configuration of most of their assisted records (of all records when none is assisted)."""
    named = records.dropna(subset=["configuration"])
    assisted = named[named["assisted"]]
    source = pd.concat([assisted, named[~named["person_id"].isin(assisted["person_id"])]])
    return source.groupby("person_id")["configuration"].agg(lambda values: values.value_counts().index[0])


def most_common(values: pd.Series) -> str | None:
    counts = values.value_counts()
    return str(counts.index[0]) if len(counts) else None


def measured_people(effects: pd.Series, roster: pd.DataFrame, configuration: pd.Series | None) -> pd.DataFrame:
    """The roster's people with an effect, their team (own team when none), pilot team and configuration."""
    people = (
        roster.set_index("person_id").join(effects.rename("effect"), how="inner").rename_axis("person_id").reset_index()
    )  # the name holds when no one has an effect
    team = people["team"] if "team" in people else pd.Series(pd.NA, index=people.index)
    people["team"] = team.astype("object").where(team.notna(), "(no team) " + people["person_id"].astype(str))
    pilot_teams = set(roster.loc[roster["in_pilot"].astype(bool), "team"].dropna())
    people["pilot_member"] = people["in_pilot"].astype(bool)
    people["pilot_team"] = people["team"].isin(pilot_teams) | people["pilot_member"]
    if configuration is None:
        people["configuration"] = np.where(people["pilot_team"], PILOT_TEAMS_LABEL, OTHER_TEAMS_LABEL)
    else:
        people["configuration"] = people["person_id"].map(configuration).fillna(NOT_RECORDED)
    return people[["person_id", "department", "team", "pilot_member", "pilot_team", "configuration", "effect"]]


def portability_data(package: PreparedPackage) -> PortabilityData | None:
    """The measured people of the package, or None without outcome records."""
    outcome = effect.outcome_records(package)
    if outcome is None:
        return None
    records = outcome.records
    named = "configuration" in records and records["configuration"].notna().any()
    effects = effect.person_effects(records)[effect.CLEAN].dropna() if len(records) else pd.Series(dtype=float)
    people = measured_people(effects, package.table("roster"), person_configuration(records) if named else None)
    tuned = most_common(people.loc[people["pilot_member"], "configuration"])
    standard = most_common(people.loc[~people["pilot_team"], "configuration"])
    return PortabilityData(people, outcome.unit, bool(named), tuned, standard)


def unavailable_reason(package: PreparedPackage, data: PortabilityData | None = None) -> str | None:
    """Why team and configuration differences cannot be measured for this client, or None."""
    missing = availability.reason_for(package, "outcomes", subject="The effect by team and configuration")
    if missing:
        return missing
    data = data or portability_data(package)
    assert data is not None  # the outcome records are usable: reason_for gave no reason
    if len(data.people) < MIN_PEOPLE:
        return (
            f"Only {len(data.people)} people have a measured effect on clean records; at least {MIN_PEOPLE} "
            "are needed to compare teams."
        )
    if data.shared_teams < MIN_SHARED_TEAMS:
        return (
            f"Only {data.shared_teams} team(s) have two or more people with a measured effect; at least "
            f"{MIN_SHARED_TEAMS} are needed to tell differences between teams from differences between people."
        )
    return None

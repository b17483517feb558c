"""The data mix and the support model: the pilot's conditions against production's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scalegap.models import availability
from scalegap.models.population.propensity import pilot_ids
from scalegap.package import PreparedPackage
from scalegap.privacy import suppress_small_counts, suppress_small_groups
from scalegap.vocabulary import EVERYONE_ELSE, PILOT_MEMBERS

CHANNEL_LABELS = {"build_team": "Build team (direct)", "service_desk": "Service desk", "other": "Other"}


PILOT_RECORDS, OTHER_RECORDS, ALL_RECORDS = (
    "Pilot members' records",
    "Everyone else's records",
    "Production: everyone's records",
)


# --- data mix, support model ----------------------------------------------------------------------------------


def tier_row(group: str, records: pd.DataFrame) -> dict[str, Any]:
    tiers = records["data_tier"].value_counts()
    clean, messy = int(tiers.get("clean", 0)), int(tiers.get("messy", 0))
    return {
        "Records of": group,
        "Records": len(records),
        "People": int(records["person_id"].nunique()),
        "Clean": clean,
        "Messy": messy,
        "Unknown tier": int(tiers.get("unknown", 0)),
        "Clean-record share": clean / (clean + messy) if clean + messy else np.nan,
    }


def data_mix_table(outcomes: pd.DataFrame, pilot_ids: set[str], minimum: int) -> pd.DataFrame:
    """Clean and messy records: pilot members', everyone else's, everyone's; groups of few people suppressed."""
    pilot = outcomes["person_id"].isin(pilot_ids)
    table = pd.DataFrame(
        [
            tier_row(PILOT_RECORDS, outcomes[pilot]),
            tier_row(OTHER_RECORDS, outcomes[~pilot]),
            tier_row(ALL_RECORDS, outcomes),
        ]
    )
    return suppress_small_groups(table, "People", minimum)


def data_mix(package: PreparedPackage) -> pd.DataFrame:
    if not availability.usable(package, "outcomes"):
        return pd.DataFrame()
    return data_mix_table(package.table("outcomes"), pilot_ids(package), package.settings.privacy.min_group_size)


def support_table(tickets: pd.DataFrame, roster: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Tickets by who raised them (pilot members, everyone else) and channel; rows of few people suppressed."""
    pilot = roster.set_index("person_id")["in_pilot"].fillna(False).astype(bool)
    raised = tickets[tickets["person_id"].isin(pilot.index)]
    raised = raised.assign(
        group=raised["person_id"].map(pilot).map({True: PILOT_MEMBERS, False: EVERYONE_ELSE}),
        channel=raised["channel"].map(CHANNEL_LABELS).fillna("Other"),
    )
    table = raised.groupby(["group", "channel"]).agg(Tickets=("ticket_id", "size"), People=("person_id", "nunique"))
    table = table.reset_index().rename(columns={"group": "Raised by", "channel": "Channel"})
    table["Share of the group's tickets"] = table["Tickets"] / table.groupby("Raised by")["Tickets"].transform("sum")
    table = table.sort_values(["Raised by", "Channel"], ascending=[False, True], kind="stable")
    return suppress_small_counts(
        table.reset_index(drop=True), "People", minimum, ["Tickets", "Share of the group's tickets"]
    )


def support_model(package: PreparedPackage) -> pd.DataFrame:
    if not availability.usable(package, "tickets"):
        return pd.DataFrame()
    return support_table(package.table("tickets"), package.table("roster"), package.settings.privacy.min_group_size)


def build_team_share(tickets: pd.DataFrame, pilot: set[str], minimum: int) -> float | None:
    """Share of pilot members' tickets sent straight to the build team; None when fewer than ``minimum`` pilot
    members raised tickets."""
    raised = tickets[tickets["person_id"].isin(pilot)]
    if raised["person_id"].nunique() < minimum:
        return None
    return float(raised["channel"].eq("build_team").mean())

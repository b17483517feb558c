"""Names the stages share: the tables of a client's exports, the files of a prepared data package, and the
labels of the groups every chapter compares.

One spelling each, here: a chapter that says "Pilot members" in one table and "Pilot" in another, or "Everyone
else" beside "Outside the pilot", makes a reader wonder whether they are different people.

(The vendor value vocabularies that adapters map, "Yes"/"Ja"/"1" and the like, are
:mod:`scalegap.ingest.vocabulary`.)
"""

from __future__ import annotations

from typing import Literal

#: the canonical tables, in the order the book introduces them
TABLES = ("roster", "survey", "usage", "org_usage", "seats", "outcomes", "tickets", "governance")
TableName = Literal["roster", "survey", "usage", "org_usage", "seats", "outcomes", "tickets", "governance"]

#: each table as the book names it to a client (a heading, a table's row): "the licence reports", not "the seats"
TABLE_LABELS = {
    "roster": "HR roster",
    "survey": "Employee survey",
    "usage": "Usage telemetry",
    "org_usage": "Organisation usage metrics",
    "seats": "Licence reports",
    "outcomes": "Outcome records",
    "tickets": "Support tickets",
    "governance": "Governance checklist",
}


def table_label(table: str) -> str:
    """The table as the book names it ("Licence reports" for ``seats``); an unknown name as it is."""
    return TABLE_LABELS.get(table, table)


#: plurals that are not the word and an "s"
IRREGULAR_PLURALS = {"quantity": "quantities", "person": "people", "activity": "activities", "entry": "entries"}


def counted(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in agreement, with thousands separators: "1 quantity", "2 quantities", "1,200 rows".

    ``many`` is the plural when it is neither the word with an "s" nor a known irregular one."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {many or IRREGULAR_PLURALS.get(word) or word + 's'}"


def agreeing(count: int, singular: str, plural: str) -> str:
    """The verb (or any word) that agrees with ``count``: ``agreeing(1, "was", "were")`` -> "was"."""
    return singular if count == 1 else plural


#: the prepared package's manifest: inputs with SHA-256, row accounting, resolved settings
MANIFEST = "manifest.json"
#: the headline figures the summarise step writes, in the results folder beside the prepared package
RESULTS = "results.json"

# --- the groups the chapters compare -----------------------------------------------------------------------------

#: the people in the pilot (volunteers and assigned members alike)
PILOT_MEMBERS = "Pilot members"
#: everyone in the roster who was not in the pilot
EVERYONE_ELSE = "Everyone else"
#: everyone in the roster
WHOLE_ORGANISATION = "Whole organisation"

#: the adoption chapter's cohorts (when people got access): the pilot's, and a rollout's after it
PILOT_COHORT, ROLLOUT_COHORT = "Pilot", "Rollout"

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

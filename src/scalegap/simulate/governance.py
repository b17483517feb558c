"""The governance checklist: 24 questions mapped to the NIST AI RMF.

The items cover ownership, configuration and prompt management, quality
monitoring, incident response, data protection, model and vendor change, user
training and decommissioning; each names its NIST AI RMF function (Govern, Map,
Measure, Manage) and category (``GOVERN 2.1`` style).

:func:`governance_template_items` is the blank checklist (every status
``absent``, no owner, no evidence) for client-folder templates.
:func:`simulate_governance` fills it in for the pilot company: a status per
item by shuffling 7 ``in_place``, 9 ``partial`` and 8 ``absent`` (a third absent)
over the items, an owner from the company's managers for most items that are
not absent (several stay empty), and the item's evidence text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

STATUSES = ("in_place", "partial", "absent")
STATUS_COUNTS = (7, 9, 8)  # of the 24 items; shuffled over the items per seed
OWNERLESS_SHARE = 0.25
ITEM_KEYS = ("id", "area", "question", "nist_function", "nist_category", "status", "owner", "evidence")


@dataclass(frozen=True)
class GovernanceItem:
    """A checklist question and the evidence a client typically has when it is in place."""

    id: str
    area: str
    question: str
    nist_function: str
    nist_category: str
    evidence_when_in_place: str


GOVERNANCE_ITEMS: tuple[GovernanceItem, ...] = (
    GovernanceItem(
        "GOV-01",
        "Ownership",
        "Is there a named business owner accountable for the assistant in production?",
        "Govern",
        "GOVERN 2.1",
        "Owner named in the rollout charter",
    ),
    GovernanceItem(
        "GOV-02",
        "Ownership",
        "Is there a named team that operates the assistant after the build team hands over?",
        "Govern",
        "GOVERN 2.1",
        "Run-book and RACI for the operating team",
    ),
    GovernanceItem(
        "GOV-03",
        "Ownership",
        "Has executive leadership signed off the risks of the production rollout?",
        "Govern",
        "GOVERN 2.3",
        "Steering committee minutes with risk sign-off",
    ),
    GovernanceItem(
        "GOV-04",
        "Configuration management",
        "Are system prompts and configurations under version control?",
        "Manage",
        "MANAGE 4.1",
        "Prompt repository with change history",
    ),
    GovernanceItem(
        "GOV-05",
        "Configuration management",
        "Is every configuration change reviewed and tested before release?",
        "Measure",
        "MEASURE 2.5",
        "Change tickets with test results",
    ),
    GovernanceItem(
        "GOV-06",
        "Configuration management",
        "Is there an inventory of the teams, prompts and integrations in use?",
        "Govern",
        "GOVERN 1.6",
        "Inventory spreadsheet, reviewed monthly",
    ),
    GovernanceItem(
        "GOV-07",
        "Quality monitoring",
        "Are answer quality and error rates measured in production?",
        "Measure",
        "MEASURE 2.4",
        "Monthly quality sample of 200 answers",
    ),
    GovernanceItem(
        "GOV-08",
        "Quality monitoring",
        "Can users flag wrong answers, and is that feedback reviewed?",
        "Measure",
        "MEASURE 3.3",
        "Feedback button and weekly triage",
    ),
    GovernanceItem(
        "GOV-09",
        "Quality monitoring",
        "Are the intended benefits tracked against the business case after rollout?",
        "Manage",
        "MANAGE 1.1",
        "Benefits tracker in the steering pack",
    ),
    GovernanceItem(
        "GOV-10",
        "Incident response",
        "Is there an incident process for harmful or wrong AI output?",
        "Manage",
        "MANAGE 4.3",
        "AI incident procedure in the service catalogue",
    ),
    GovernanceItem(
        "GOV-11",
        "Incident response",
        "Can the assistant be switched off quickly for a team or for everyone?",
        "Manage",
        "MANAGE 2.4",
        "Kill switch tested in the pilot",
    ),
    GovernanceItem(
        "GOV-12",
        "Incident response",
        "Do service-desk staff know how to triage assistant tickets?",
        "Govern",
        "GOVERN 4.3",
        "Triage guide for service-desk agents",
    ),
    GovernanceItem(
        "GOV-13",
        "Data protection",
        "Has a data protection impact assessment been completed?",
        "Measure",
        "MEASURE 2.10",
        "DPIA approved by the DPO",
    ),
    GovernanceItem(
        "GOV-14",
        "Data protection",
        "Is it defined which data may and may not be entered into the assistant?",
        "Govern",
        "GOVERN 1.1",
        "Acceptable-use policy, section 4",
    ),
    GovernanceItem(
        "GOV-15",
        "Data protection",
        "Are prompts and outputs logged, retained and deleted according to policy?",
        "Govern",
        "GOVERN 1.1",
        "Retention settings documented",
    ),
    GovernanceItem(
        "GOV-16",
        "Model and vendor change",
        "Is there a process to evaluate vendor model updates before they reach users?",
        "Manage",
        "MANAGE 3.2",
        "Regression test set run on model updates",
    ),
    GovernanceItem(
        "GOV-17",
        "Model and vendor change",
        "Does the vendor contract cover data use, availability and notice of changes?",
        "Govern",
        "GOVERN 6.1",
        "Contract schedule reviewed by Legal",
    ),
    GovernanceItem(
        "GOV-18",
        "Model and vendor change",
        "Is there a contingency plan if the vendor service fails or is withdrawn?",
        "Govern",
        "GOVERN 6.2",
        "Fallback procedure documented",
    ),
    GovernanceItem(
        "GOV-19",
        "User training",
        "Do all users receive training before they get access?",
        "Map",
        "MAP 3.4",
        "Training completion required for licence",
    ),
    GovernanceItem(
        "GOV-20",
        "User training",
        "Are users told the assistant's limits and when human review is required?",
        "Map",
        "MAP 2.2",
        "Limits covered in training and in-app notice",
    ),
    GovernanceItem(
        "GOV-21",
        "User training",
        "Is there a shared library of approved prompts per role?",
        "Manage",
        "MANAGE 2.2",
        "Prompt library on the intranet",
    ),
    GovernanceItem(
        "GOV-22",
        "Decommissioning",
        "Is there a plan for retiring the assistant or a use case safely?",
        "Govern",
        "GOVERN 1.7",
        "Decommissioning checklist",
    ),
    GovernanceItem(
        "GOV-23",
        "Decommissioning",
        "Can the organisation export its prompts, configurations and logs from the vendor?",
        "Manage",
        "MANAGE 2.4",
        "Export tested with the vendor",
    ),
    GovernanceItem(
        "GOV-24",
        "Decommissioning",
        "Are criteria defined for when a use case is stopped for poor value or risk?",
        "Manage",
        "MANAGE 1.1",
        "Stop criteria in the rollout plan",
    ),
)


def checklist_entry(item: GovernanceItem, status: str, owner: str, evidence: str) -> dict[str, Any]:
    """One checklist entry as a plain dict with keys in checklist order."""
    fields = asdict(item)
    entry = {key: fields[key] for key in ITEM_KEYS[:5]}
    entry.update(status=status, owner=owner, evidence=evidence)
    return entry


def governance_template_items() -> list[dict[str, Any]]:
    """The blank checklist: every item ``absent``, owner and evidence empty."""
    return [checklist_entry(item, "absent", "", "") for item in GOVERNANCE_ITEMS]


def evidence_for(item: GovernanceItem, status: str) -> str:
    """Evidence text for a status: the artefact, a caveat, or nothing."""
    if status == "in_place":
        return item.evidence_when_in_place
    if status == "partial":
        return f"Pilot only, not yet extended to production ({item.evidence_when_in_place})"
    return ""


def simulate_governance(rng: np.random.Generator, people: pd.DataFrame) -> list[dict[str, Any]]:
    """The pilot company's filled-in checklist."""
    managers = people.loc[people["role"] == "Manager", ["first_name", "last_name", "department"]]
    owners = [f"{r.first_name} {r.last_name} ({r.department})" for r in managers.itertuples(index=False)]
    statuses = rng.permutation(np.repeat(np.arange(len(STATUSES)), STATUS_COUNTS))
    owner_picks = rng.integers(0, max(1, len(owners)), size=len(GOVERNANCE_ITEMS))
    ownerless = rng.random(len(GOVERNANCE_ITEMS)) < OWNERLESS_SHARE
    items = []
    for item, status_index, pick, no_owner in zip(GOVERNANCE_ITEMS, statuses, owner_picks, ownerless):
        status = STATUSES[status_index]
        owner = "" if status == "absent" or no_owner or not owners else owners[pick]
        items.append(checklist_entry(item, status, owner, evidence_for(item, status)))
    return items

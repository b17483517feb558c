"""The governance-readiness chapter: the governance checklist scored against the NIST AI RMF.

Method.  Every checklist item names a NIST AI RMF 1.0 function (Govern, Map, Measure, Manage; NIST AI 100-1,
January 2023) and a category or subcategory (``GOVERN 2.1``), and has a status.  An item scores 1 when its
status is *in place*, 0.5 when *partial* and 0 when *absent*; a function's score is the mean of its items'
scores (0–1, shown as a percentage), and a function without items has no score.  The overall score is the mean
over all items.

A *gap* is an item that is absent, or that has no owner.  A gap must close *before rollout* (before the next
cohort is given access) when the item is absent and belongs to Govern or Manage (the accountability, policy
and response controls production needs on its first day), or when it has no owner, whatever its function or
status (nobody is accountable for it).  An absent Map or Measure item that has an owner may close during the
rollout.  The functions of the rule are the parameter ``before_rollout_functions``.

Assumptions.  The statuses are the client's self-assessment as recorded with the consultant; every item
weighs the same, within a function and overall; partial counts as half.  An item's category is checked against
the subcategories of NIST AI 100-1 (Tables 1–4) and against its function; mismatches are reported, not fixed.

Privacy.  Owners are usually named people, so the book says only whether an item has an owner (the owner text
is dropped from :func:`checklist` once scored); the question, area and evidence text pass through
:meth:`scalegap.privacy.Redactor.redact` (names, ids, e-mail addresses, telephone numbers ... removed), and no
evidence is shown when ``privacy.redact_free_text`` is false.  The figures count checklist items, not people,
so no group-size suppression applies.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.canonical import column_names
from scalegap.models import availability
from scalegap.package import PreparedPackage
from scalegap.privacy import WITHHELD, Redactor

FUNCTIONS = ("Govern", "Map", "Measure", "Manage")
STATUS_SCORES = {"in_place": 1.0, "partial": 0.5, "absent": 0.0}
STATUS_LABELS = {"in_place": "In place", "partial": "Partial", "absent": "Absent"}
BEFORE_ROLLOUT_FUNCTIONS = ("Govern", "Manage")

#: subcategories per category of each function in NIST AI 100-1, Tables 1–4 (72 in all): GOVERN 1 has 1.1–1.7 …
NIST_SUBCATEGORIES = {
    "GOVERN": (7, 3, 2, 3, 2, 2),
    "MAP": (6, 3, 5, 2, 2),
    "MEASURE": (3, 13, 3, 3),
    "MANAGE": (4, 4, 2, 3),
}
FUNCTION_PURPOSE = {
    "Govern": "a culture of risk management: policies, accountability, roles, third-party and decommissioning rules",
    "Map": "the context: intended use, users, the system's limits and who oversees its output",
    "Measure": "measuring the risks: testing, monitoring in production, feedback, privacy assessment",
    "Manage": "acting on the risks: benefits and stop decisions, switching off, vendor changes, incidents",
}
CATEGORY = re.compile(r"^\s*(GOVERN|MAP|MEASURE|MANAGE)[\s-]*(\d+)(?:\.(\d+))?\s*$", re.IGNORECASE)


# --- the checklist ----------------------------------------------------------------------------------------


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the checklist cannot be scored (no checklist, or one without items), or None."""
    status = availability.table_status(package, "governance")
    if status.available:
        return None
    return f"Governance readiness is not assessed: {status.reason}. To assess it, {status.how_to_supply}."


def scored_items(
    governance: pd.DataFrame, before_rollout_functions: tuple[str, ...] = BEFORE_ROLLOUT_FUNCTIONS
) -> pd.DataFrame:
    """The checklist with each item's score, whether it has an owner, whether it is a gap and whether it must
    close before rollout (see the module docstring for the rule)."""
    owner = governance["owner"].astype("string").str.strip()
    items = governance.assign(
        score=governance["status"].map(STATUS_SCORES),
        has_owner=owner.fillna("").ne("").astype(bool),
        absent=governance["status"].eq("absent"),
    )
    blocking_absent = items["absent"] & items["nist_function"].isin(before_rollout_functions)
    return items.assign(
        gap=items["absent"] | ~items["has_owner"],
        before_rollout=blocking_absent | ~items["has_owner"],
        action=[required_action(a, b, o) for a, b, o in zip(items["absent"], blocking_absent, items["has_owner"])],
    )


def required_action(absent: bool, blocking_absent: bool, has_owner: bool) -> str:
    """What closing the gap takes (when: see ``before_rollout``)."""
    if blocking_absent:
        return "Put it in place" + ("" if has_owner else " and name an owner")
    if not has_owner:
        return "Name an owner" + (" (putting it in place can follow during the rollout)" if absent else "")
    return "Put it in place" if absent else "—"


def checklist(package: PreparedPackage) -> pd.DataFrame:
    """:func:`scored_items` of the client's checklist (empty when there is none), ready to show: owner names
    dropped, question, area and evidence redacted (evidence withheld when free text is, see
    :func:`evidence_withheld`)."""
    if unavailable_reason(package):
        return scored_items(pd.DataFrame({column: pd.Series(dtype="object") for column in column_names("governance")}))
    redactor = Redactor.of(package)
    items = scored_items(package.table("governance"))
    return items.assign(
        owner=None,
        question=items["question"].map(redactor.redact),
        area=items["area"].map(redactor.redact),
        evidence=items["evidence"].map(redactor.publish),
    )


def evidence_withheld(package: PreparedPackage) -> bool:
    """``privacy.redact_free_text`` is false: the checklist's evidence text is not published."""
    return Redactor.of(package).withheld


def evidence_note(package: PreparedPackage) -> str | None:
    """The book's sentence when evidence is withheld, or None."""
    return WITHHELD if evidence_withheld(package) else None


def function_scores(items: pd.DataFrame) -> pd.DataFrame:
    """Per NIST function: items by status, items without an owner, gaps, before-rollout items and the score.

    Empty without a checklist; a function without items has no score.
    """
    rows = []
    for function in FUNCTIONS if len(items) else ():
        mine = items[items["nist_function"] == function]
        rows.append(
            {
                "Function": function,
                "Items": len(mine),
                **{STATUS_LABELS[s]: int(mine["status"].eq(s).sum()) for s in STATUS_SCORES},
                "Without an owner": int((~mine["has_owner"]).sum()),
                "Gaps": int(mine["gap"].sum()),
                "Before rollout": int(mine["before_rollout"].sum()),
                "Score": float(mine["score"].mean()) if len(mine) else np.nan,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["Function", "Items", *STATUS_LABELS.values(), "Without an owner", "Gaps", "Before rollout", "Score"],
    )


def area_scores(items: pd.DataFrame) -> pd.DataFrame:
    """Per checklist area (ownership, incident response …), in checklist order: items, score and gaps."""
    grouped = items.groupby("area", sort=False, dropna=False)
    in_place = items["status"].eq("in_place").groupby(items["area"], sort=False, dropna=False).sum()
    table = pd.DataFrame(
        {"Items": grouped.size(), "In place": in_place, "Gaps": grouped["gap"].sum(), "Score": grouped["score"].mean()}
    )
    table.index = table.index.fillna("(no area)")
    return table.reset_index(names="Area").astype({"In place": int, "Gaps": int})


def item_rows(items: pd.DataFrame, evidence: bool = True) -> pd.DataFrame:
    """Items for display: no owner names (people); question and evidence redacted (again, by pattern, for
    items that did not come from :func:`checklist`); no Evidence column when ``evidence`` is false."""
    redact = Redactor().redact
    rows = pd.DataFrame(
        {
            "Item": items["id"],
            "Area": items["area"].map(redact),
            "Question": items["question"].map(redact),
            "NIST category": items["nist_category"],
            "Status": items["status"].map(STATUS_LABELS),
            "Owner named": items["has_owner"],
            "Evidence": items["evidence"].map(redact),
        }
    ).reset_index(drop=True)
    return rows if evidence else rows.drop(columns="Evidence")


def before_rollout_table(items: pd.DataFrame) -> pd.DataFrame:
    """The gaps that must close before the next cohort, by function in NIST order, with what each takes."""
    due = items[items["before_rollout"]]
    due = due.iloc[np.argsort(due["nist_function"].map(FUNCTIONS.index).to_numpy(), kind="stable")]
    return item_rows(due)[["Item", "NIST category", "Question", "Status", "Owner named"]].assign(
        **{"What it takes": due["action"].to_numpy()}
    )


def later_gap_table(items: pd.DataFrame) -> pd.DataFrame:
    """The gaps that can close during the rollout: absent items outside the before-rollout functions that have an
    owner."""
    later = items[items["gap"] & ~items["before_rollout"]]
    return item_rows(later)[["Item", "NIST category", "Question", "Status"]].assign(
        **{"What it takes": later["action"].to_numpy()}
    )


def category_problems(items: pd.DataFrame) -> list[str]:
    """Items whose category is missing, is not a subcategory of NIST AI RMF 1.0, or belongs to another function."""
    problems = []
    for item_id, function, category in zip(items["id"], items["nist_function"], items["nist_category"]):
        text = "" if pd.isna(category) else str(category)
        match = CATEGORY.match(text)
        if not text.strip():
            problems.append(f"{item_id}: no NIST category is given.")
        elif not match or not known_category(match.group(1).upper(), int(match.group(2)), match.group(3)):
            problems.append(f"{item_id}: {text!r} is not a category of the NIST AI RMF 1.0 core.")
        elif match.group(1).title() != function:
            problems.append(
                f"{item_id}: category {text} belongs to {match.group(1).title()}, but the item is "
                f"scored under {function}."
            )
    return problems


def known_category(function: str, category: int, subcategory: str | None) -> bool:
    counts = NIST_SUBCATEGORIES[function]
    if not 1 <= category <= len(counts):
        return False
    return subcategory is None or 1 <= int(subcategory) <= counts[category - 1]


# --- headline and findings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GovernanceHeadline:
    """The governance figures results.json carries: scores 0–1 (in place 1, partial 0.5, absent 0, averaged);
    None without a checklist, or for a function without items."""

    items: int | None
    items_in_place: int | None
    items_partial: int | None
    items_absent: int | None
    items_without_owner: int | None
    govern_score: float | None
    map_score: float | None
    measure_score: float | None
    manage_score: float | None
    overall_score: float | None
    gaps: int | None
    before_rollout: int | None
    weakest_function: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def score_of(self, function: str) -> float | None:
        return getattr(self, f"{function.lower()}_score")


def governance_headline(package: PreparedPackage) -> GovernanceHeadline:
    """Scores per NIST function, the counts of items by status, of gaps and of before-rollout items."""
    items = checklist(package)
    if items.empty:
        return GovernanceHeadline(*[None] * 13)
    scores = function_scores(items).set_index("Function")["Score"]
    rounded = {f: None if pd.isna(scores[f]) else round(float(scores[f]), 6) for f in FUNCTIONS}
    scored = {f: s for f, s in rounded.items() if s is not None}
    return GovernanceHeadline(
        items=len(items),
        items_in_place=int(items["status"].eq("in_place").sum()),
        items_partial=int(items["status"].eq("partial").sum()),
        items_absent=int(items["absent"].sum()),
        items_without_owner=int((~items["has_owner"]).sum()),
        govern_score=rounded["Govern"],
        map_score=rounded["Map"],
        measure_score=rounded["Measure"],
        manage_score=rounded["Manage"],
        overall_score=round(float(items["score"].mean()), 6),
        gaps=int(items["gap"].sum()),
        before_rollout=int(items["before_rollout"].sum()),
        weakest_function=min(scored, key=lambda f: (scored[f], FUNCTIONS.index(f))) if scored else None,
    )


def headline_rows(headline: GovernanceHeadline) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's at-a-glance table."""

    def score(value: float | None) -> str:
        return "no items" if value is None else f"{nf.share(value)}"

    return [(f"{function} score", score(headline.score_of(function))) for function in FUNCTIONS] + [
        ("Overall score", score(headline.overall_score)),
        (
            "Items in place / partial / absent",
            f"{headline.items_in_place} / {headline.items_partial} / {headline.items_absent} of {headline.items}",
        ),
        ("Items without an owner", f"{headline.items_without_owner}"),
        ("Gaps (absent, or without an owner)", f"{headline.gaps}"),
        ("Gaps to close before rollout", f"{headline.before_rollout}"),
    ]


def governance_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = unavailable_reason(package)
    if reason:
        return [reason]
    headline = governance_headline(package)
    items = checklist(package)
    scores = ", ".join(f"{f} {nf.share(headline.score_of(f))}" for f in FUNCTIONS if headline.score_of(f) is not None)
    findings = [
        f"{headline.items_in_place} of {headline.items} checklist items are in place, {headline.items_partial} "
        f"partial and {headline.items_absent} absent; by NIST AI RMF function the scores are {scores} "
        f"(overall {nf.share(headline.overall_score)})."
    ]
    if headline.weakest_function:
        findings.append(
            f"The weakest function is {headline.weakest_function}: {FUNCTION_PURPOSE[headline.weakest_function]}."
        )
    findings.append(
        f"{headline.items_without_owner} item(s) have no owner, so nobody is accountable for them in production."
        if headline.items_without_owner
        else "Every item has an owner."
    )
    findings.append(before_rollout_sentence(items, headline))
    missing = [f for f in FUNCTIONS if headline.score_of(f) is None]
    if missing:
        findings.append(f"The checklist has no item for {', '.join(missing)}, so that function is not assessed.")
    return findings + category_problems(items)


def before_rollout_sentence(items: pd.DataFrame, headline: GovernanceHeadline) -> str:
    if not headline.before_rollout:
        return "No gap has to close before the next cohort by the rule stated above."
    areas = items.loc[items["before_rollout"], "area"].fillna("(no area)").value_counts()
    top = ", ".join(f"{area.lower()} ({count})" for area, count in areas.head(3).items())
    share = (
        f"All {headline.gaps} gaps"
        if headline.before_rollout == headline.gaps
        else f"{headline.before_rollout} of the {headline.gaps} gaps"
    )
    return (
        f"{share} must close before the next cohort gets access, most of them in {top}; until they do, each "
        "added cohort runs without those controls."
    )

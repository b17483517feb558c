"""The integration-depth chapter: how much manual data movement the assistant's workflows need, at pilot and at
production scale.

Method.  The consultant declares the workflows the assistant is used in under ``integration.workflows`` in
assessment.yml: how data gets in and out (``mode``: manual copy, screenshot, export/import or API), the manual
steps each task needs, the minutes each step takes, the tasks a user does per week, and who does the work
(``segment``: roster column -> value, every pair must hold; empty = everyone in the roster).  For each workflow

    manual hours per week = users × tasks per user per week × manual steps per task × minutes per step ÷ 60

with users = the pilot members in the segment at pilot scale, and everyone in the segment at production scale
(times ``adoption_share``, 1 by default = full rollout: everybody in the segment does the work with the
assistant).  Workflows are ranked by their production hours: the first is the workaround that breaks first.
Full-time equivalents divide hours by ``hours_per_fte`` (37.5 a week by default).

Assumptions.  The declared steps, minutes and task volumes are the consultant's estimates, the same for every
user in the segment; pilot members do the same volume as everyone else; hours are linear in users (no
economies of scale, no queueing).  Manual-copy and screenshot steps recur on every task; an API integration
carries no manual step per task (declare its steps as 0), so it does not grow with volume.

Survey evidence: the free-text questions declared under ``survey.free_text`` are searched for mentions of
manual data movement (copying, screenshots, re-typing, exporting files, asking for an integration), by
keyword; counts below the minimum group size are not shown, and answers are quoted only when the respondents
mentioning the subject are at least the minimum group size (:func:`scalegap.privacy.quotable`), redacted by
:meth:`scalegap.privacy.Redactor.redact`, and not at all when ``privacy.redact_free_text`` is false.

Privacy: a workflow's pilot or production user count of 1 to (minimum group size − 1), and every figure
derived from it, is suppressed, with its complement (:func:`scalegap.privacy.cells_to_hide`: the next
smallest counts are hidden too, until the hidden ones hold at least the minimum), so that the total cannot
reveal it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.integration.inventory import (
    HOURS_PER_FTE,
    MODE_ORDER,
    MODES,
    declared_workflows,
    in_segment,
    inventory_table,
    mode_summary,
    scale_table,
    segment_notes,
    workflow_scale,
)
from scalegap.models.integration.survey_evidence import ManualWorkComments, manual_work_comments
from scalegap.package import PreparedPackage
from scalegap.privacy import (
    WITHHELD,
)

#: what the integration chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "IntegrationHeadline",
    "first_to_break_sentence",
    "headline_rows",
    "integration_findings",
    "integration_headline",
    "inventory_table",
    "join_words",
    "manual_work_comments",
    "mode_sentence",
    "mode_summary",
    "no_inventory_text",
    "people_in_any_workflow",
    "production_sentence",
    "quotation_note",
    "scale_table",
    "steepest_growth_sentence",
    "survey_sentences",
]


# --- headline and findings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntegrationHeadline:
    """The integration figures results.json carries; hours are manual hours per week.

    None when no workflow is declared, or (pilot figures) fewer pilot members than the minimum group size
    do the declared workflows.
    """

    workflows: int
    pilot_manual_hours_per_week: float | None
    production_manual_hours_per_week: float | None
    production_full_time_equivalents: float | None
    first_to_break: str | None
    first_to_break_mode: str | None
    first_to_break_hours_per_week: float | None
    per_task_manual_share: float | None
    workflows_not_in_pilot: int | None
    adoption_share: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def people_in_any_workflow(package: PreparedPackage) -> tuple[int, int]:
    """(pilot members, people) in at least one declared workflow's segment."""
    roster = package.table("roster")
    anyone = pd.Series(False, index=roster.index)
    for flow in declared_workflows(package):
        anyone |= in_segment(roster, flow.segment)
    pilot = roster["in_pilot"].fillna(False).astype(bool)
    return int((anyone & pilot).sum()), int(anyone.sum())


def integration_headline(
    package: PreparedPackage, adoption_share: float = 1.0, hours_per_fte: float = HOURS_PER_FTE
) -> IntegrationHeadline:
    """Manual hours per week at pilot and production scale, and the first workaround to break."""
    frame = workflow_scale(package, adoption_share, hours_per_fte)
    if frame.empty:
        return IntegrationHeadline(0, *(None,) * 8, adoption_share=adoption_share)
    minimum = package.settings.privacy.min_group_size
    pilot_people, people = people_in_any_workflow(package)
    production = float(frame["Hours per week, production"].sum())
    per_task = float(frame.loc[frame["mode"].map(lambda m: MODES[m].per_task), "Hours per week, production"].sum())
    first = frame.iloc[0]
    first_hours = scale_table(package, adoption_share)["Hours per week, production"].iloc[0]  # as suppressed
    shown = people >= minimum
    return IntegrationHeadline(
        workflows=len(frame),
        pilot_manual_hours_per_week=(
            round(float(frame["Hours per week, pilot"].sum()), 1) if pilot_people >= minimum else None
        ),
        production_manual_hours_per_week=round(production, 1) if shown else None,
        production_full_time_equivalents=round(production / hours_per_fte, 1) if shown else None,
        first_to_break=str(first["Workflow"]) if production > 0 else None,
        first_to_break_mode=str(first["Mode"]) if production > 0 else None,
        first_to_break_hours_per_week=None if production == 0 or pd.isna(first_hours) else float(first_hours),
        per_task_manual_share=round(per_task / production, 6) if production > 0 else None,
        workflows_not_in_pilot=int(frame["Pilot users"].eq(0).sum()),
        adoption_share=adoption_share,
    )


def headline_rows(headline: IntegrationHeadline) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's at-a-glance table."""

    def hours(value: float | None) -> str:
        return "not shown (fewer people than the minimum group size)" if value is None else f"{nf.number(value)}"

    return [
        ("Workflows in the inventory", f"{headline.workflows}"),
        ("Manual hours per week at pilot scale", hours(headline.pilot_manual_hours_per_week)),
        ("Manual hours per week at production scale", hours(headline.production_manual_hours_per_week)),
        (
            f"Full-time equivalents at production scale ({HOURS_PER_FTE:g} hours a week)",
            hours(headline.production_full_time_equivalents),
        ),
        (
            "First workaround to break",
            f"{headline.first_to_break} ({headline.first_to_break_mode})"
            if headline.first_to_break
            else "none: no manual hours at production scale",
        ),
        (
            "Share of production manual hours in per-task manual modes",
            "—" if headline.per_task_manual_share is None else f"{nf.share(headline.per_task_manual_share)}",
        ),
    ]


def no_inventory_text() -> str:
    return (
        "No workflow the assistant is used in was declared for this assessment, so there is no inventory of manual "
        "workarounds to scale. (For the consultant: declare them under integration.workflows in assessment.yml, "
        "as the README shows, and run the assessment again.)"
    )


def integration_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    headline = integration_headline(package)
    if headline.workflows == 0:
        return [no_inventory_text()] + survey_sentences(package)
    findings = [production_sentence(headline)]
    if headline.first_to_break:
        findings.append(first_to_break_sentence(package, headline))
        findings.append(mode_sentence(package))
        findings += [s for s in (steepest_growth_sentence(package),) if s]
    if headline.workflows_not_in_pilot:
        findings.append(
            f"{headline.workflows_not_in_pilot} workflow(s) had no pilot member doing them: their manual "
            "load was never seen in the pilot."
        )
    return findings + segment_notes(package) + survey_sentences(package)


def production_sentence(headline: IntegrationHeadline) -> str:
    if headline.production_manual_hours_per_week is None:
        return (
            "The declared workflows are done by fewer people than the minimum group size, so their hours are not shown."
        )
    pilot = (
        ""
        if headline.pilot_manual_hours_per_week is None
        else f"{nf.number(headline.pilot_manual_hours_per_week)} hours a week in the pilot, and would take "
    )
    return (
        f"Across {headline.workflows} declared workflow(s), moving data in and out of the assistant by hand takes "
        f"{pilot}{nf.number(headline.production_manual_hours_per_week)} hours a week at full rollout: "
        f"{nf.number(headline.production_full_time_equivalents)} full-time equivalents ({HOURS_PER_FTE:g} hours a week "
        "each) of copying, capturing and re-keying that the pilot's results do not show."
    )


def steepest_growth_sentence(package: PreparedPackage) -> str | None:
    """The workflow whose users multiply most from pilot to production (suppressed rows left out)."""
    scale = scale_table(package)
    growing = (
        scale[scale["Hours per week, production"].fillna(0) > 0]
        .assign(ratio=scale["Production users"] / scale["Pilot users"].where(scale["Pilot users"] > 0))
        .dropna(subset=["ratio"])
    )
    if growing.empty:
        return None
    steepest = growing.loc[growing["ratio"].idxmax()]
    return (
        f"{steepest['Workflow']} grows most: {steepest['ratio']:,.0f} times as many people do it in production "
        "as in the pilot, so a workaround that was a minor cost in the pilot becomes a standing one."
    )


def first_to_break_sentence(package: PreparedPackage, headline: IntegrationHeadline) -> str:
    assert headline.first_to_break_mode is not None  # set with first_to_break, which the findings checked
    hours = (
        ""
        if headline.first_to_break_hours_per_week is None
        else f" ({nf.number(headline.first_to_break_hours_per_week)} hours a week at production scale)"
    )
    return (
        f"The first workaround to break is {headline.first_to_break}, by {headline.first_to_break_mode.lower()}"
        f"{hours}: it carries the most manual hours once everyone in its segment uses the assistant."
    )


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def mode_sentence(package: PreparedPackage) -> str:
    """Which modes carry the production hours: per-task manual modes grow with volume, an API does not."""
    hours = mode_summary(package).set_index("Mode")["Hours per week, production"]
    per_task = [MODES[m].label for m in MODE_ORDER if MODES[m].per_task and hours.get(MODES[m].label, 0) > 0]
    parts = []
    if per_task:
        share = hours[per_task].sum() / hours.sum()
        parts.append(
            f"{nf.share(share)} of the production manual hours come from {join_words(per_task).lower()} "
            "workflows, whose steps recur with every task and so grow with every user added"
        )
    if "API" not in hours.index:
        parts.append("no workflow is integrated through an API yet")
    elif hours["API"] > 0:
        parts.append(
            f"the API workflows still declare manual steps ({nf.number(hours['API'])} hours a week): check them"
        )
    else:
        parts.append("the API workflows need no manual step, whatever the volume")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def survey_sentences(package: PreparedPackage) -> list[str]:
    missing = availability.reason_for(package, "survey", subject="What staff said about manual work")
    if missing:
        return [missing]
    comments = manual_work_comments(package)
    if comments is None:
        return ["The survey has no declared free-text question, so it gives no evidence on manual work."]
    minimum = package.settings.privacy.min_group_size
    if comments.mentioning < minimum:
        return [f"Fewer than {minimum} free-text survey answers mention manual data movement."]
    return [
        f"{comments.mentioning:,} of {comments.answers:,} free-text survey answers ({nf.share(comments.share)}) "
        "mention "
        "copying, screenshots, re-typing, moving files or asking for an integration."
    ]


def quotation_note(comments: ManualWorkComments | None, minimum: int) -> str | None:
    """Why no answer is quoted (free text withheld, or too few respondents), or None when some are."""
    if comments is None or comments.examples or comments.mentioning == 0:
        return None
    if comments.withheld:
        return WITHHELD
    if comments.mentioning < minimum:
        return None  # survey_sentences says so
    return (
        f"No answer is quoted: fewer than {minimum} respondents (the minimum group size) mention manual data movement."
    )

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

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap.models import availability
from scalegap.models.segments import label
from scalegap.package import PreparedPackage
from scalegap.privacy import (
    SUPPRESSED,
    WITHHELD,
    Redactor,
    hide_cells,
    quotable,
    respondent_keys,
    suppress_small_counts,
)
from scalegap.settings import WorkflowSettings

HOURS_PER_FTE = 37.5
EVERYONE = "everyone"


@dataclass(frozen=True)
class Mode:
    label: str
    scales_with: str
    per_task: bool


MODES: dict[str, Mode] = {
    "screenshot": Mode("Screenshot", "every task: screens captured and pasted by hand", True),
    "manual_copy": Mode("Manual copy", "every task: text copied and pasted by hand", True),
    "export_import": Mode("Export / import", "every file exported and uploaded by hand", True),
    "api": Mode("API", "automated: no manual step per task", False),
}
#: the order modes are listed in: the worst (grows with every task, by hand) first
MODE_ORDER = tuple(MODES)

THEMES: dict[str, str] = {
    "Copying and pasting": r"\bcop(?:y|ies|ied|ying)\b|\bpast(?:e|es|ed|ing)\b",
    "Screenshots": r"\bscreen ?(?:shots?|grabs?|captures?)\b",
    "Re-typing, by hand": r"\bby hand\b|\bmanual(?:ly)?\b|\bre-?typ\w*|\bre-?enter\w*",
    "Exporting and uploading files": r"\bexport\w*|\bimport\w*|\bdownload\w*|\bupload\w*|\bcsv\b",
    "Asking for an integration": r"\bintegrat\w*|\bconnect\w*|\bapi\b|\bplug-?ins?\b",
}

#: roster columns that are not segments (never offered as segment keys)
INTERNAL = {
    "person_id",
    "email",
    "login",
    "name",
    "given_name",
    "family_name",
    "hire_date",
    "source_row",
    "source_file",
    "tenure_years",
    "in_pilot",
    "volunteered",
}

SCALE_COLUMNS = [
    "Rank",
    "Workflow",
    "Mode",
    "Pilot users",
    "Hours per week, pilot",
    "Production users",
    "Hours per week, production",
    "Full-time equivalents",
]
GROWTH = "Users, production ÷ pilot"


# --- the inventory ----------------------------------------------------------------------------------------


def declared_workflows(package: PreparedPackage) -> list[WorkflowSettings]:
    return list(package.settings.integration.workflows)


def describe_segment(segment: dict[str, str]) -> str:
    """'Department: Customer Service' (pairs joined with 'and'); 'everyone' when empty."""
    return " and ".join(f"{label(column)}: {value}" for column, value in segment.items()) or EVERYONE


def in_segment(roster: pd.DataFrame, segment: dict[str, str]) -> pd.Series:
    """Who in the roster does the workflow: every column = value pair holds (case and spaces ignored).

    A column the roster does not have matches nobody (see :func:`segment_notes`).
    """
    mask = pd.Series(True, index=roster.index)
    for column, value in segment.items():
        if column not in roster:
            return pd.Series(False, index=roster.index)
        cells = roster[column].astype("string").str.strip().str.casefold()
        mask &= cells.eq(str(value).strip().casefold()).fillna(False).astype(bool)
    return mask


def manual_hours(users: float, tasks_per_user_per_week: float, steps_per_task: float, minutes_per_step: float) -> float:
    """Hours of manual steps per week: users × tasks × steps × minutes ÷ 60."""
    return users * tasks_per_user_per_week * steps_per_task * minutes_per_step / 60.0


def inventory_table(package: PreparedPackage) -> pd.DataFrame:
    """The workflows as declared (numbers as text, as written), with the manual minutes each task costs."""
    rows = [
        {
            "Workflow": flow.name,
            "Mode": MODES[flow.mode].label,
            "Who does it": describe_segment(flow.segment),
            "Steps per task": f"{flow.manual_steps_per_task:g}",
            "Minutes per step": f"{flow.minutes_per_step:g}",
            "Manual minutes per task": f"{flow.manual_steps_per_task * flow.minutes_per_step:g}",
            "Tasks per user per week": f"{flow.tasks_per_user_per_week:g}",
        }
        for flow in declared_workflows(package)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "Workflow",
            "Mode",
            "Who does it",
            "Steps per task",
            "Minutes per step",
            "Manual minutes per task",
            "Tasks per user per week",
        ],
    )


def workflow_scale(
    package: PreparedPackage, adoption_share: float = 1.0, hours_per_fte: float = HOURS_PER_FTE
) -> pd.DataFrame:
    """Per workflow, unsuppressed: users and manual hours per week at pilot and production scale, ranked.

    Production users = everyone in the segment × ``adoption_share`` (1 = full rollout).  Not for display:
    :func:`scale_table` suppresses small groups.
    """
    if not 0 <= adoption_share <= 1:
        raise ValueError("adoption_share is a share of the segment's headcount, between 0 and 1")
    roster = package.table("roster")
    rows = []
    for order, flow in enumerate(declared_workflows(package)):
        members = in_segment(roster, flow.segment)
        pilot = int((members & roster["in_pilot"].fillna(False).astype(bool)).sum())
        production = float(members.sum()) * adoption_share
        per_user = manual_hours(1, flow.tasks_per_user_per_week, flow.manual_steps_per_task, flow.minutes_per_step)
        rows.append(
            {
                "order": order,
                "Workflow": flow.name,
                "mode": flow.mode,
                "Mode": MODES[flow.mode].label,
                "Who does it": describe_segment(flow.segment),
                "Pilot users": pilot,
                "Hours per week, pilot": pilot * per_user,
                "Production users": production,
                "Hours per week, production": production * per_user,
                "Full-time equivalents": production * per_user / hours_per_fte,
                GROWTH: production / pilot if pilot else np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=["order", "Workflow", "mode", "Mode", "Who does it", *SCALE_COLUMNS[3:], GROWTH])
    return rank_by_production_hours(frame)


def rank_by_production_hours(frame: pd.DataFrame) -> pd.DataFrame:
    """Most production hours first (ties: the worse mode, then the order declared); Rank 1 breaks first."""
    frame = frame.assign(mode_order=frame["mode"].map(MODE_ORDER.index))
    ranked = frame.sort_values(
        ["Hours per week, production", "mode_order", "order"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    return ranked.assign(Rank=np.arange(1, len(ranked) + 1)).drop(columns="mode_order")


def scale_table(package: PreparedPackage, adoption_share: float = 1.0) -> pd.DataFrame:
    """:func:`workflow_scale` for display: small pilot and production groups suppressed, rounded."""
    minimum = package.settings.privacy.min_group_size
    frame = workflow_scale(package, adoption_share)
    frame = hide_cells(frame, ["Pilot users"], minimum, {"Pilot users": ["Hours per week, pilot"]}, by_row=False)
    frame = hide_cells(
        frame,
        ["Production users"],
        minimum,
        {"Production users": ["Hours per week, production", "Full-time equivalents"]},
        by_row=False,
    )
    for column in SCALE_COLUMNS[3:]:
        frame[column] = frame[column].round(1)
    return frame[SCALE_COLUMNS + [SUPPRESSED]]


def mode_summary(package: PreparedPackage, adoption_share: float = 1.0) -> pd.DataFrame:
    """Per mode: workflows, production manual hours and their share, and what the hours grow with."""
    frame = workflow_scale(package, adoption_share)
    total = frame["Hours per week, production"].sum()
    rows = []
    for mode in MODE_ORDER:
        flows = frame[frame["mode"] == mode]
        if flows.empty:
            continue
        hours = float(flows["Hours per week, production"].sum())
        rows.append(
            {
                "Mode": MODES[mode].label,
                "Workflows": len(flows),
                "Hours per week, production": round(hours, 1),
                "Share of production manual hours": hours / total if total else np.nan,
                "Grows with": MODES[mode].scales_with,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["Mode", "Workflows", "Hours per week, production", "Share of production manual hours", "Grows with"],
    )


def segment_notes(package: PreparedPackage) -> list[str]:
    """Workflows whose segment names a column the roster lacks, or matches nobody."""
    roster = package.table("roster")
    notes = []
    for flow in declared_workflows(package):
        missing = [column for column in flow.segment if column not in roster]
        if missing:
            notes.append(
                f"{flow.name}: the roster has no column {', '.join(map(repr, missing))}; segment keys are "
                f"roster columns ({', '.join(c for c in roster.columns if c not in INTERNAL)})."
            )
        elif flow.segment and not in_segment(roster, flow.segment).any():
            notes.append(
                f"{flow.name}: nobody in the roster has {describe_segment(flow.segment)}; check the "
                "spelling under integration.workflows in assessment.yml."
            )
    return notes


# --- survey evidence --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManualWorkComments:
    """Free-text survey answers that mention manual data movement."""

    questions: tuple[str, ...]
    answers: int
    mentioning: int
    themes: pd.DataFrame
    examples: tuple[str, ...]
    #: ``privacy.redact_free_text`` is false: nothing is quoted
    withheld: bool = False

    @property
    def share(self) -> float:
        return self.mentioning / self.answers if self.answers else 0.0


def free_text_answers(package: PreparedPackage) -> tuple[tuple[str, ...], pd.Series]:
    """The declared free-text questions present in the survey, and their non-empty answers (one per
    response, questions joined)."""
    questions, texts, _ = free_text_with_respondents(package)
    return questions, texts


def free_text_with_respondents(package: PreparedPackage) -> tuple[tuple[str, ...], pd.Series, pd.Series]:
    """:func:`free_text_answers`, and who gave each answer (:func:`scalegap.privacy.respondent_keys`)."""
    empty = pd.Series(dtype="object")
    if not availability.usable(package, "survey"):
        return (), empty, empty
    survey = package.table("survey")
    questions = tuple(q for q in package.settings.survey.free_text if q in survey)
    if not questions:
        return (), empty, empty
    texts = pd.Series(
        [
            " / ".join(str(v).strip() for v in row if isinstance(v, str) and v.strip())
            for row in survey[list(questions)].itertuples(index=False)
        ],
        index=survey.index,
        dtype="object",
    )
    answered = texts.str.len() > 0
    return questions, texts[answered], respondent_keys(survey)[answered]


def theme_matches(texts: pd.Series) -> pd.DataFrame:
    """One boolean column per theme: the answer mentions it."""
    return pd.DataFrame(
        {theme: texts.str.contains(pattern, flags=re.IGNORECASE, regex=True) for theme, pattern in THEMES.items()},
        index=texts.index,
    )


def manual_work_comments(package: PreparedPackage, max_examples: int = 5) -> ManualWorkComments | None:
    """Free-text answers mentioning manual data movement, by theme; None without declared free text.

    Quotations (``examples``, the most frequent first) are redacted, and shown only when the respondents whose
    answers mention the subject are at least the minimum group size; none when free text is withheld.
    """
    questions, texts, respondents = free_text_with_respondents(package)
    if not questions:
        return None
    minimum = package.settings.privacy.min_group_size
    matches = theme_matches(texts)
    mentioning = matches.any(axis=1)
    counts = matches.sum()
    themes = suppress_small_counts(
        pd.DataFrame({"Theme": counts.index, "Answers": counts.to_numpy()}), "Answers", minimum
    )
    redactor = Redactor.of(package)
    examples: tuple[str, ...] = ()
    if not redactor.withheld and quotable(respondents[mentioning], minimum):
        counts = texts[mentioning].map(redactor.redact).str.replace(r"\s+", " ", regex=True).value_counts()
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        examples = tuple(text for text, _ in ordered[:max_examples])
    return ManualWorkComments(questions, len(texts), int(mentioning.sum()), themes, examples, redactor.withheld)


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
        return IntegrationHeadline(0, *[None] * 8, adoption_share=adoption_share)
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
        return "not shown (fewer people than the minimum group size)" if value is None else f"{value:,.1f}"

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
            "—" if headline.per_task_manual_share is None else f"{headline.per_task_manual_share:.1%}",
        ),
    ]


def no_inventory_text() -> str:
    return (
        "assessment.yml declares no workflows under integration.workflows, so there is no inventory of manual "
        "workarounds to scale. Add one entry per workflow the assistant is used in (see the example below) "
        "and run the assessment again."
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
        else f"{headline.pilot_manual_hours_per_week:,.1f} hours a week in the pilot, and would take "
    )
    return (
        f"Across {headline.workflows} declared workflow(s), moving data in and out of the assistant by hand takes "
        f"{pilot}{headline.production_manual_hours_per_week:,.1f} hours a week at full rollout: "
        f"{headline.production_full_time_equivalents:,.1f} full-time equivalents ({HOURS_PER_FTE:g} hours a week "
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
    hours = (
        ""
        if headline.first_to_break_hours_per_week is None
        else f" ({headline.first_to_break_hours_per_week:,.1f} hours a week at production scale)"
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
            f"{share:.0%} of the production manual hours come from {join_words(per_task).lower()} "
            "workflows, whose steps recur with every task and so grow with every user added"
        )
    if "API" not in hours.index:
        parts.append("no workflow is integrated through an API yet")
    elif hours["API"] > 0:
        parts.append(f"the API workflows still declare manual steps ({hours['API']:,.1f} hours a week): check them")
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
        f"{comments.mentioning:,} of {comments.answers:,} free-text survey answers ({comments.share:.0%}) mention "
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

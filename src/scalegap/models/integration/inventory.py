"""The workflow inventory: declared workflows, their manual hours and how each scales to production."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models.segments import label
from scalegap.package import PreparedPackage
from scalegap.privacy import (
    SUPPRESSED,
    hide_cells,
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

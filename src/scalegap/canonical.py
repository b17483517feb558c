"""The canonical tables every adapter maps into, and what each column means.

An adapter returns these columns (optional ones may be all-missing); the
survey table also carries one column per declared item and free-text
question.  ``source_row`` (and, once stacked, ``source_file``) say where each
row came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scalegap.errors import InputError


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | number | flag | timestamp
    meaning: str
    required: bool = False


def _columns(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "roster": _columns(
        ("person_id", "text", "employee identifier, unique", True),
        ("email", "text", "work e-mail, trimmed and lower-cased"),
        ("login", "text", "tool login (e.g. GitHub user name), lower-cased"),
        ("department", "text", "department", True),
        ("role", "text", "job role"),
        ("location", "text", "location"),
        ("team", "text", "team"),
        ("hire_date", "timestamp", "date of hire"),
        ("in_pilot", "flag", "member of the AI pilot", True),
        ("volunteered", "flag", "volunteered for the pilot (self-selected)"),
    ),
    "survey": _columns(
        ("response_id", "text", "the survey tool's response id", True),
        ("person_ref", "text", "employee id given with the response"),
        ("email", "text", "respondent e-mail, trimmed and lower-cased"),
        ("recorded_at", "timestamp", "when the response was recorded", True),
        ("finished", "flag", "the respondent reached the end"),
        ("progress", "number", "percent of the survey completed"),
    ),
    "usage": _columns(
        ("person_id", "text", "employee identifier (filled from e-mail or login when matched)"),
        ("email", "text", "user e-mail / user principal name"),
        ("login", "text", "tool login, lower-cased"),
        ("organisation", "text", "organisation or tenant the row was reported for"),
        ("date", "timestamp", "the active day", True),
        ("interactions", "number", "user-initiated interactions that day"),
        ("active_minutes", "number", "minutes of active use that day"),
        ("source", "text", "which telemetry the row came from", True),
    ),
    "org_usage": _columns(
        ("date", "timestamp", "the day", True),
        ("organisation", "text", "organisation or tenant"),
        ("active_users", "number", "users with any activity that day", True),
        ("engaged_users", "number", "users who engaged with a feature that day"),
        ("source", "text", "which telemetry the row came from", True),
    ),
    "seats": _columns(
        ("person_id", "text", "employee identifier (filled when matched)"),
        ("email", "text", "assignee e-mail / user principal name"),
        ("login", "text", "assignee login"),
        ("assigned_at", "timestamp", "when the licence was assigned"),
        ("last_activity_at", "timestamp", "last recorded activity (empty: never used)"),
        ("source", "text", "which licence report the row came from", True),
    ),
    "outcomes": _columns(
        ("record_id", "text", "record identifier"),
        ("person_id", "text", "who did the task", True),
        ("team", "text", "team"),
        ("task_type", "text", "kind of task"),
        ("configuration", "text", "the prompt or workflow variant the task was done with"),
        ("completed_on", "timestamp", "when the task was completed"),
        ("assisted", "flag", "the AI assistant was used", True),
        ("minutes_taken", "number", "minutes the task took"),
        ("quality_score", "number", "quality score of the result"),
        ("record_completeness", "number", "share of the record's fields filled, 0..1"),
        ("exception_flag", "flag", "the record is an exception case"),
        ("data_tier", "text", "clean | messy | unknown", True),
    ),
    "tickets": _columns(
        ("ticket_id", "text", "ticket key", True),
        ("person_id", "text", "who raised it"),
        ("created_at", "timestamp", "opened", True),
        ("first_response_at", "timestamp", "first response by support"),
        ("resolved_at", "timestamp", "resolved (empty: open)"),
        ("status", "text", "status"),
        ("priority", "text", "priority"),
        ("category", "text", "type or category"),
        ("channel", "text", "build_team | service_desk | other", True),
        ("labels", "text", "labels, '; '-joined"),
        ("components", "text", "components, '; '-joined"),
        ("reopen_count", "number", "times reopened"),
        ("satisfaction", "text", "satisfaction rating given"),
    ),
    "governance": _columns(
        ("id", "text", "item id", True),
        ("area", "text", "area"),
        ("question", "text", "the checklist question"),
        ("nist_function", "text", "Govern | Map | Measure | Manage", True),
        ("nist_category", "text", "NIST AI RMF category, e.g. GOVERN 2.1"),
        ("status", "text", "in_place | partial | absent", True),
        ("owner", "text", "owner"),
        ("evidence", "text", "evidence"),
    ),
}


def column_names(table: str) -> list[str]:
    return [column.name for column in SCHEMAS[table]]


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Add missing optional columns (all missing) and order the schema's columns first.

    A missing *required* column is a programming error in an adapter, reported as such.
    """
    missing_required = [c.name for c in SCHEMAS[table] if c.required and c.name not in frame]
    if missing_required:
        raise InputError(f"the {table} adapter produced no {missing_required}",
                         hint="this is a bug in scalegap; please report it")
    result = frame.copy()
    for column in SCHEMAS[table]:
        if column.name not in result:
            result[column.name] = _empty(column.kind, len(result))
    ordered = [c.name for c in SCHEMAS[table]]
    extra = [c for c in result.columns if c not in ordered]
    return result[ordered + extra]


def _empty(kind: str, length: int) -> pd.Series:
    if kind == "timestamp":
        return pd.Series(pd.NaT, index=range(length), dtype="datetime64[ns]")
    if kind == "number":
        return pd.Series(float("nan"), index=range(length), dtype="float64")
    if kind == "flag":
        return pd.Series(pd.NA, index=range(length), dtype="boolean")
    return pd.Series([None] * length, dtype="object")

"""Export defects: the anomalies a validator must catch, planned up front.

Two kinds of messiness reach the exports:

* **Recorded messiness** lives in the in-memory tables because it is what the
  source systems hold: contractors and repeat submissions in the survey, partial
  responses, item blanks, usage from accounts not on the roster, blank and
  negative ``minutes_taken`` in outcomes.
* **Format defects** cannot be represented in a typed table, so they are planned
  here (with the simulation's random generator) and applied when the files are
  rendered: in ``hr_roster.xlsx`` two blank departments (empty cells), a
  duplicated Employee ID (a second row after a transfer: other department, team
  and role), the hire date ``31/02/2019`` (a text cell among date cells) and
  e-mails with surrounding spaces; in ``survey_qualtrics.csv`` an out-of-scale
  answer ``Agree strongly`` and an empty ResponseId; in ``usage_daily.csv``
  interactions ``n/a`` and the date ``2026-13-01``.

:func:`plan_export_defects` returns both as plain JSON-ready data; it is stored
in ``truth["injected_anomalies"]`` and read back by the renderers, so the files
and the truth cannot disagree. ``line`` is the CSV record number in the file,
the header being record 1 (Qualtrics' three header rows being records 1-3); a
quoted line break inside a record does not start a new record. The Microsoft 365
Copilot usage reports carry no format defects: their messiness is the licence
waste (see :mod:`scalegap.simulate.licences`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scalegap.simulate.survey import ITEM_COLUMNS

OUT_OF_SCALE_TEXT = "Agree strongly"
UNPARSEABLE_HIRE_DATE = "31/02/2019"
NON_NUMERIC_INTERACTIONS = "n/a"
INVALID_USAGE_DATE = "2026-13-01"
QUALTRICS_HEADER_ROWS = 3


def roster_defects(rng: np.random.Generator, people: pd.DataFrame) -> dict[str, Any]:
    """Blank departments, a duplicated ID, a bad hire date, padded e-mails."""
    picks = rng.choice(len(people), size=7, replace=False)
    ids = people["employee_id"].to_numpy()
    duplicate = people.iloc[picks[2]]
    departments = sorted(d for d in people["department"].unique() if d != duplicate["department"])
    new_department = departments[rng.integers(0, len(departments))]
    teams = sorted(people.loc[people["department"] == new_department, "team"].unique())
    roles = sorted(r for r in people["role"].unique() if r != duplicate["role"])
    return {
        "blank_department_employee_ids": sorted(ids[picks[:2]].tolist()),
        "duplicate_employee_id": {
            "employee_id": duplicate["employee_id"],
            "second_row": {
                "department": new_department,
                "team": teams[rng.integers(0, len(teams))],
                "job_role": roles[rng.integers(0, len(roles))],
            },
        },
        "unparseable_hire_date": {"employee_id": ids[picks[3]], "text": UNPARSEABLE_HIRE_DATE},
        "padded_email_employee_ids": ids[picks[4:]].tolist(),
    }


def survey_defects(rng: np.random.Generator, survey: pd.DataFrame) -> dict[str, Any]:
    """An out-of-scale text answer and an empty ResponseId, plus the recorded messiness."""
    ordinary = np.flatnonzero(
        (
            survey["finished"]
            & ~survey["repeat_submission"]
            & (survey["respondent_type"] == "employee")
            & (survey["external_reference"] != "")
        ).to_numpy()
    )
    rows = rng.choice(ordinary, size=2, replace=False)
    answered = [c for c in ITEM_COLUMNS if pd.notna(survey.at[rows[0], c])]
    column = answered[rng.integers(0, len(answered))]
    repeats = survey.loc[survey["repeat_submission"], "employee_id"]
    return {
        "out_of_scale_answer": {
            "response_id": survey.at[rows[0], "response_id"],
            "column": column,
            "text": OUT_OF_SCALE_TEXT,
            "line": int(rows[0]) + QUALTRICS_HEADER_ROWS + 1,
        },
        "empty_response_id": {
            "response_id": survey.at[rows[1], "response_id"],
            "employee_id": survey.at[rows[1], "employee_id"],
            "line": int(rows[1]) + QUALTRICS_HEADER_ROWS + 1,
        },
        "contractor_references": survey.loc[survey["respondent_type"] == "contractor", "external_reference"].tolist(),
        "repeat_submission_employee_ids": sorted(repeats.tolist()),
        "partial_responses": int((~survey["finished"]).sum()),
        "email_only_responses": int((survey["external_reference"] == "").sum()),
    }


def usage_defects(rng: np.random.Generator, usage: pd.DataFrame) -> dict[str, Any]:
    """A non-numeric interactions value and an invalid date, plus unrostered accounts."""
    rostered = np.flatnonzero(usage["employee_id"].notna().to_numpy())
    rows = rng.choice(rostered, size=2, replace=False)

    def locate(row: int) -> dict[str, Any]:
        return {
            "user_email": usage.at[row, "user_email"],
            "date": usage.at[row, "date"].date().isoformat(),
            "line": int(row) + 2,
        }

    return {
        "non_numeric_interactions": {**locate(rows[0]), "text": NON_NUMERIC_INTERACTIONS},
        "invalid_date": {**locate(rows[1]), "text": INVALID_USAGE_DATE},
        "unrostered_emails": sorted(usage.loc[usage["employee_id"].isna(), "user_email"].unique().tolist()),
    }


def outcome_defects(outcomes: pd.DataFrame) -> dict[str, Any]:
    """The recording errors kept in the outcome table."""
    minutes = outcomes["minutes_taken"]
    return {
        "blank_minutes_record_ids": outcomes.loc[minutes.isna(), "record_id"].tolist(),
        "negative_minutes_record_ids": outcomes.loc[minutes < 0, "record_id"].tolist(),
    }


def plan_export_defects(
    rng: np.random.Generator, people: pd.DataFrame, survey: pd.DataFrame, usage: pd.DataFrame, outcomes: pd.DataFrame
) -> dict[str, Any]:
    """All anomalies of the export set, by export file."""
    return {
        "hr_roster": roster_defects(rng, people),
        "survey_qualtrics": survey_defects(rng, survey),
        "usage_daily": usage_defects(rng, usage),
        "outcomes": outcome_defects(outcomes),
    }

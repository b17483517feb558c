"""Write a simulated deployment as the client's export files and ``truth.json``.

``client_dir/exports/`` receives (and nothing else is written except
``client_dir/truth.json``):

=================================== ====================================================
file                                format
=================================== ====================================================
survey_qualtrics.csv                Qualtrics CSV, see :mod:`scalegap.simulate.qualtrics`
hr_roster.xlsx                      Excel workbook, sheet ``Employees``, bold header
                                    ``Employee ID, Work Email, Department, Job Role,
                                    Location, Team, Hire Date, AI Pilot, Pilot
                                    Volunteer``; Hire Date as Excel date cells
                                    (``dd/mm/yyyy``), the bad one a text cell; AI Pilot,
                                    Pilot Volunteer ``Y``/``N``; see
                                    :mod:`scalegap.simulate.excel`
usage_daily.csv                     UTF-8, comma, LF; ``user_email,date,interactions,
                                    active_minutes``; ISO dates; one row per person per
                                    active day (pilot members also after the pilot)
m365_copilot_usage_YYYY-MM-DD.csv   one per weekly refresh (Mondays): Microsoft 365
                                    Copilot usage, user detail, see
                                    :mod:`scalegap.simulate.m365`
outcomes.csv                        UTF-8, comma, LF; ``record_id,employee_id,team,
                                    task_type,completed_on,assisted,minutes_taken,
                                    quality_score,record_completeness,exception_flag,
                                    prompt_version`` (the team's configuration: the
                                    pilot's tuned prompt pack or the standard one)
tickets_jira.csv                    Jira Cloud CSV, see :mod:`scalegap.simulate.jira`
governance_checklist.yml            YAML, ``items:`` list of checklist entries
=================================== ====================================================

:func:`write_exports` returns ``{name: path}``: ``survey``, ``hr_roster``,
``usage``, ``outcomes``, ``tickets``, ``governance``, ``truth``, and one entry
per Microsoft 365 report keyed by its file stem
(``m365_copilot_usage_2026-03-09``), in refresh-date order. Every path exists;
``M365_FILE_GLOB`` (``m365_copilot_usage_*.csv``) matches exactly those files.

Format defects planned in ``truth["injected_anomalies"]`` are applied here;
rendering itself draws no random numbers, so identical deployments give
byte-identical files (the workbook's timestamps are pinned to
``ROSTER_EXPORTED_AT`` on the export date).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scalegap.simulate.deployment import SimulatedDeployment, simulate_deployment
from scalegap.simulate.excel import write_roster_workbook
from scalegap.simulate.jira import write_jira_csv
from scalegap.simulate.m365 import M365_FILE_GLOB, write_m365_reports
from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.qualtrics import write_qualtrics_csv
from scalegap.simulate.truth import truth_json_text
from scalegap.simulate.vocabulary import COMPANY_NAME

EXPORT_FILES = {
    "survey": "survey_qualtrics.csv",
    "hr_roster": "hr_roster.xlsx",
    "usage": "usage_daily.csv",
    "outcomes": "outcomes.csv",
    "tickets": "tickets_jira.csv",
    "governance": "governance_checklist.yml",
}
ROSTER_HEADER = (
    "Employee ID",
    "Work Email",
    "Department",
    "Job Role",
    "Location",
    "Team",
    "Hire Date",
    "AI Pilot",
    "Pilot Volunteer",
)
USAGE_HEADER = ("user_email", "date", "interactions", "active_minutes")
OUTCOME_HEADER = (
    "record_id",
    "employee_id",
    "team",
    "task_type",
    "completed_on",
    "assisted",
    "minutes_taken",
    "quality_score",
    "record_completeness",
    "exception_flag",
    "prompt_version",
)
EMAIL_PADDING = (" {}", "{} ", "  {} ")
ROSTER_EXPORTED_AT = time(8, 30)  # the roster workbook's created/modified time on the export date
__all__ = ["EXPORT_FILES", "M365_FILE_GLOB", "write_example_client", "write_exports"]


def write_plain_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """UTF-8 (no BOM), comma, LF line endings, minimal quoting."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def yes_no(flag: bool, yes: str = "Y", no: str = "N") -> str:
    """``Y``/``N`` (or other words) for a flag."""
    return yes if flag else no


def roster_rows(people: pd.DataFrame, anomalies: dict[str, Any]) -> list[list[str | date]]:
    """HR roster rows with blank departments, a bad date, padded e-mails and a duplicate ID.

    Hire dates are :class:`datetime.date` values (date cells in the workbook), except
    the planted unparseable one, which is its text.
    """
    blank = set(anomalies["blank_department_employee_ids"])
    bad_date = anomalies["unparseable_hire_date"]
    padded_ids = anomalies["padded_email_employee_ids"]
    padded = {eid: EMAIL_PADDING[i % len(EMAIL_PADDING)] for i, eid in enumerate(padded_ids)}
    rows = []
    for person in people.to_dict("records"):
        eid = person["employee_id"]
        rows.append(
            [
                eid,
                padded.get(eid, "{}").format(person["email"]),
                "" if eid in blank else person["department"],
                person["role"],
                person["location"],
                person["team"],
                bad_date["text"] if eid == bad_date["employee_id"] else person["hire_date"].date(),
                yes_no(person["in_pilot"]),
                yes_no(person["volunteered"]),
            ]
        )
    duplicate = anomalies["duplicate_employee_id"]
    original = next(row for row in rows if row[0] == duplicate["employee_id"])
    second = duplicate["second_row"]
    rows.append(
        [
            original[0],
            original[1].strip(),
            second["department"],
            second["job_role"],
            original[4],
            second["team"],
            original[6],
            original[7],
            original[8],
        ]
    )
    return rows


def usage_rows(usage: pd.DataFrame, anomalies: dict[str, Any]) -> list[list[str]]:
    """Usage rows with the planned non-numeric count and invalid date."""
    bad_count = anomalies["non_numeric_interactions"]
    bad_date = anomalies["invalid_date"]
    rows = []
    for line, day in enumerate(usage.to_dict("records"), start=2):
        row = [
            day["user_email"],
            day["date"].strftime("%Y-%m-%d"),
            str(day["interactions"]),
            str(day["active_minutes"]),
        ]
        if line == bad_count["line"]:
            row[2] = bad_count["text"]
        if line == bad_date["line"]:
            row[1] = bad_date["text"]
        rows.append(row)
    return rows


def outcome_rows(outcomes: pd.DataFrame) -> list[list[str]]:
    """Outcome rows: minutes with one decimal (blank if missing), completeness with two."""
    minutes = outcomes["minutes_taken"]
    days = outcomes["completed_on"].drop_duplicates()
    text = pd.DataFrame(
        {
            "record_id": outcomes["record_id"].astype(str),
            "employee_id": outcomes["employee_id"].astype(str),
            "team": outcomes["team"].astype(str),
            "task_type": outcomes["task_type"].astype(str),
            "completed_on": outcomes["completed_on"].map(dict(zip(days, days.dt.strftime("%Y-%m-%d")))),
            "assisted": np.where(outcomes["assisted"].to_numpy(dtype=bool), "yes", "no"),
            "minutes_taken": minutes.map(lambda m: "" if pd.isna(m) else f"{m:.1f}"),
            "quality_score": outcomes["quality_score"].astype(int).astype(str),
            "record_completeness": outcomes["record_completeness"].map(lambda c: f"{c:.2f}"),
            "exception_flag": outcomes["exception_flag"].astype(int).astype(str),
            "prompt_version": outcomes["configuration"].astype(str),
        }
    )
    return text.to_numpy(dtype=object).tolist()


def write_governance_yaml(items: list[dict[str, Any]], path: Path) -> Path:
    """``governance_checklist.yml``: a comment header and an ``items:`` list."""
    header = (
        f"# AI governance checklist - {COMPANY_NAME}, AI assistant\n"
        "# status: in_place | partial | absent; nist_function: Govern | Map | Measure | Manage\n"
    )
    body = yaml.safe_dump({"items": items}, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(header + body, encoding="utf-8", newline="\n")
    return path


def write_exports(deployment: SimulatedDeployment, client_dir: Path) -> dict[str, Path]:
    """Writes client_dir/exports/<files> in vendor formats and client_dir/truth.json; returns {name: path}.

    Names: see the module docstring (one ``m365_copilot_usage_<date>`` entry per weekly report).
    """
    client_dir = Path(client_dir)
    exports = client_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    paths = {name: exports / filename for name, filename in EXPORT_FILES.items()}
    anomalies = deployment.truth["injected_anomalies"]
    write_qualtrics_csv(deployment.survey, anomalies["survey_qualtrics"], paths["survey"])
    exported_at = datetime.combine(deployment.parameters.export_date, ROSTER_EXPORTED_AT)
    write_roster_workbook(
        ROSTER_HEADER, roster_rows(deployment.people, anomalies["hr_roster"]), paths["hr_roster"], exported_at
    )
    write_plain_csv(paths["usage"], USAGE_HEADER, usage_rows(deployment.usage, anomalies["usage_daily"]))
    write_plain_csv(paths["outcomes"], OUTCOME_HEADER, outcome_rows(deployment.outcomes))
    write_jira_csv(deployment.tickets, paths["tickets"])
    write_governance_yaml(deployment.governance, paths["governance"])
    paths.update(write_m365_reports(deployment.copilot_usage, exports))
    paths["truth"] = client_dir / "truth.json"
    paths["truth"].write_text(truth_json_text(deployment.truth), encoding="utf-8", newline="\n")
    return paths


def write_example_client(
    client_dir: Path, parameters: SimulationParameters = SimulationParameters()
) -> SimulatedDeployment:
    """Simulate a client and write its exports and ``truth.json`` into ``client_dir``."""
    deployment = simulate_deployment(parameters)
    write_exports(deployment, Path(client_dir))
    return deployment

"""Write a simulated deployment as the client's export files and ``truth.json``.

``client_dir/exports/`` receives (and nothing else is written except
``client_dir/truth.json``):

========================== =========================================================
file                       format
========================== =========================================================
survey_qualtrics.csv       Qualtrics CSV, see :mod:`scalegap.simulate.qualtrics`
hr_roster.csv              UTF-8, comma, LF; ``Employee ID,Work Email,Department,
                           Job Role,Location,Team,Hire Date,AI Pilot,Pilot Volunteer``;
                           Hire Date ``DD/MM/YYYY``; AI Pilot, Pilot Volunteer ``Y``/``N``
usage_daily.csv            UTF-8, comma, LF; ``user_email,date,interactions,
                           active_minutes``; ISO dates; one row per person per active day
outcomes.csv               UTF-8, comma, LF; ``record_id,employee_id,team,task_type,
                           completed_on,assisted,minutes_taken,quality_score,
                           record_completeness,exception_flag``
tickets_jira.csv           Jira Cloud CSV, see :mod:`scalegap.simulate.jira`
governance_checklist.yml   YAML, ``items:`` list of checklist entries
========================== =========================================================

Format defects planned in ``truth["injected_anomalies"]`` are applied here;
rendering itself draws no random numbers, so identical deployments give
byte-identical files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from scalegap.simulate.deployment import SimulatedDeployment, simulate_deployment
from scalegap.simulate.jira import write_jira_csv
from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.qualtrics import write_qualtrics_csv
from scalegap.simulate.truth import truth_json_text
from scalegap.simulate.vocabulary import COMPANY_NAME

EXPORT_FILES = {
    "survey": "survey_qualtrics.csv",
    "hr_roster": "hr_roster.csv",
    "usage": "usage_daily.csv",
    "outcomes": "outcomes.csv",
    "tickets": "tickets_jira.csv",
    "governance": "governance_checklist.yml",
}
ROSTER_HEADER = ("Employee ID", "Work Email", "Department", "Job Role", "Location", "Team", "Hire Date",
                 "AI Pilot", "Pilot Volunteer")
USAGE_HEADER = ("user_email", "date", "interactions", "active_minutes")
OUTCOME_HEADER = ("record_id", "employee_id", "team", "task_type", "completed_on", "assisted", "minutes_taken",
                  "quality_score", "record_completeness", "exception_flag")
EMAIL_PADDING = (" {}", "{} ", "  {} ")


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


def roster_rows(people: pd.DataFrame, anomalies: dict[str, Any]) -> list[list[str]]:
    """HR roster rows with blank departments, a bad date, padded e-mails and a duplicate ID."""
    blank = set(anomalies["blank_department_employee_ids"])
    bad_date = anomalies["unparseable_hire_date"]
    padded_ids = anomalies["padded_email_employee_ids"]
    padded = {eid: EMAIL_PADDING[i % len(EMAIL_PADDING)] for i, eid in enumerate(padded_ids)}
    rows = []
    for person in people.to_dict("records"):
        eid = person["employee_id"]
        rows.append([
            eid, padded.get(eid, "{}").format(person["email"]), "" if eid in blank else person["department"],
            person["role"], person["location"], person["team"],
            bad_date["text"] if eid == bad_date["employee_id"] else person["hire_date"].strftime("%d/%m/%Y"),
            yes_no(person["in_pilot"]), yes_no(person["volunteered"]),
        ])
    duplicate = anomalies["duplicate_employee_id"]
    original = next(row for row in rows if row[0] == duplicate["employee_id"])
    second = duplicate["second_row"]
    rows.append([original[0], original[1].strip(), second["department"], second["job_role"], original[4],
                 second["team"], original[6], original[7], original[8]])
    return rows


def usage_rows(usage: pd.DataFrame, anomalies: dict[str, Any]) -> list[list[str]]:
    """Usage rows with the planned non-numeric count and invalid date."""
    bad_count = anomalies["non_numeric_interactions"]
    bad_date = anomalies["invalid_date"]
    rows = []
    for line, day in enumerate(usage.to_dict("records"), start=2):
        row = [day["user_email"], day["date"].strftime("%Y-%m-%d"), str(day["interactions"]),
               str(day["active_minutes"])]
        if line == bad_count["line"]:
            row[2] = bad_count["text"]
        if line == bad_date["line"]:
            row[1] = bad_date["text"]
        rows.append(row)
    return rows


def outcome_rows(outcomes: pd.DataFrame) -> list[list[str]]:
    """Outcome rows: minutes with one decimal (blank if missing), completeness with two."""
    rows = []
    for record in outcomes.to_dict("records"):
        minutes = record["minutes_taken"]
        rows.append([
            record["record_id"], record["employee_id"], record["team"], record["task_type"],
            record["completed_on"].strftime("%Y-%m-%d"), yes_no(record["assisted"], "yes", "no"),
            "" if pd.isna(minutes) else f"{minutes:.1f}", str(int(record["quality_score"])),
            f"{record['record_completeness']:.2f}", str(int(record["exception_flag"])),
        ])
    return rows


def write_governance_yaml(items: list[dict[str, Any]], path: Path) -> Path:
    """``governance_checklist.yml``: a comment header and an ``items:`` list."""
    header = (f"# AI governance checklist - {COMPANY_NAME}, AI assistant\n"
              "# status: in_place | partial | absent; nist_function: Govern | Map | Measure | Manage\n")
    body = yaml.safe_dump({"items": items}, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(header + body, encoding="utf-8", newline="\n")
    return path


def write_exports(deployment: SimulatedDeployment, client_dir: Path) -> dict[str, Path]:
    """Writes client_dir/exports/<files> in vendor formats and client_dir/truth.json; returns {table_name: path}."""
    client_dir = Path(client_dir)
    exports = client_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    paths = {name: exports / filename for name, filename in EXPORT_FILES.items()}
    anomalies = deployment.truth["injected_anomalies"]
    write_qualtrics_csv(deployment.survey, anomalies["survey_qualtrics"], paths["survey"])
    write_plain_csv(paths["hr_roster"], ROSTER_HEADER, roster_rows(deployment.people, anomalies["hr_roster"]))
    write_plain_csv(paths["usage"], USAGE_HEADER, usage_rows(deployment.usage, anomalies["usage_daily"]))
    write_plain_csv(paths["outcomes"], OUTCOME_HEADER, outcome_rows(deployment.outcomes))
    write_jira_csv(deployment.tickets, paths["tickets"])
    write_governance_yaml(deployment.governance, paths["governance"])
    paths["truth"] = client_dir / "truth.json"
    paths["truth"].write_text(truth_json_text(deployment.truth), encoding="utf-8", newline="\n")
    return paths


def write_example_client(client_dir: Path,
                         parameters: SimulationParameters = SimulationParameters()) -> SimulatedDeployment:
    """Simulate a client and write its exports and ``truth.json`` into ``client_dir``."""
    deployment = simulate_deployment(parameters)
    write_exports(deployment, Path(client_dir))
    return deployment

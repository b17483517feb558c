"""A corpus of malformed inputs: each gives `validate` and `run` exit code 2 and one line, never a traceback.

Every case replaces one export of a small valid client by a broken file, the
way real exports break: empty, truncated, the wrong file, a web page saved as
a workbook, a password-protected workbook, a missing column, broken YAML.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from scalegap.cli import main
from tests.support import tiny_client

QUALTRICS_HEAD = (
    "ResponseId,RecordedDate,Q1_1,Q1_2\r\nResponse ID,Recorded,Useful,Easy\r\n"
    '"{""ImportId"":""_recordId""}","{""ImportId"":""recordedDate""}","{""ImportId"":""QID1_1""}",'
    '"{""ImportId"":""QID1_2""}"\r\n'
)
JIRA_HEAD = "Summary,Issue key,Issue id,Created\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def workbook(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def truncated_workbook() -> bytes:
    whole = workbook(pd.DataFrame({"Employee ID": ["E1"], "Department": ["X"], "Pilot": ["Y"]}))
    return whole[: len(whole) // 2]


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    name: str
    table: str
    file: str
    content: bytes
    expect: str
    format: str | None = None


def text(value: str, encoding: str = "utf-8") -> bytes:
    return value.encode(encoding)


CASES = [
    Case("roster-empty", "roster", "hr.csv", b"", "empty"),
    Case("roster-blank-lines", "roster", "hr.csv", b"\n\n  \n", "empty"),
    Case(
        "roster-missing-id-column",
        "roster",
        "hr.csv",
        text("Staff,Department,Pilot\nE1,X,Y\n"),
        "required column 'Employee ID' is missing",
    ),
    Case("roster-header-only", "roster", "hr.csv", text("Employee ID,Department,Pilot\n"), "no usable rows"),
    Case(
        "roster-all-rows-bad", "roster", "hr.csv", text("Employee ID,Department,Pilot\n,X,Y\nE2,,N\n"), "no usable rows"
    ),
    Case("roster-html-named-xlsx", "roster", "hr.xlsx", b"<html><body><table></table></body></html>", "web page"),
    Case(
        "roster-csv-named-xlsx",
        "roster",
        "hr.xlsx",
        text("Employee ID,Department,Pilot\nE1,X,Y\n"),
        "not an Excel workbook",
    ),
    Case("roster-truncated-xlsx", "roster", "hr.xlsx", truncated_workbook(), "cannot be read"),
    Case("roster-password-protected-xlsx", "roster", "hr.xlsx", OLE, "password-protected"),
    Case("roster-zip-not-workbook", "roster", "hr.xlsx", zip_without_workbook(), "cannot be read"),
    Case(
        "roster-workbook-as-csv", "roster", "hr.csv", workbook(pd.DataFrame({"Employee ID": ["E1"]})), "Excel/zip file"
    ),
    Case("roster-binary", "roster", "hr.csv", bytes(range(256)) * 4, "binary"),
    Case(
        "roster-unclosed-quote",
        "roster",
        "hr.csv",
        text('Employee ID,Department,Pilot\nE1,"Finance,Y\nE2,Legal,N\n'),
        "ends inside a quoted value",
    ),
    Case(
        "roster-broken-quoting",
        "roster",
        "hr.csv",
        text('Employee ID,Department,Pilot\nE1,"Fin"ance,Y\n'),
        "quoting is broken",
    ),
    Case(
        "roster-sheet-missing",
        "roster",
        "hr.xlsx",
        workbook(pd.DataFrame({"Employee ID": ["E1"], "Department": ["X"], "Pilot": ["Y"]})),
        "sheet",
    ),
    Case("survey-empty", "survey", "survey.csv", b"", "empty"),
    Case("survey-not-qualtrics", "survey", "survey.csv", text("id,answer\n1,yes\n2,no\n3,no\n"), "ImportId"),
    Case("survey-jira-given-as-qualtrics", "survey", "survey.csv", text(JIRA_HEAD + "x,AIS-1,1,now\n" * 3), "ImportId"),
    Case(
        "survey-two-header-rows-only",
        "survey",
        "survey.csv",
        text("ResponseId,Q1_1\nResponse,Useful\n"),
        "expected 3 header row(s)",
    ),
    Case(
        "survey-missing-item",
        "survey",
        "survey.csv",
        text(QUALTRICS_HEAD.replace("Q1_2", "Q1_9")),
        "required column 'Q1_2' is missing",
    ),
    Case(
        "survey-truncated",
        "survey",
        "survey.csv",
        text(QUALTRICS_HEAD + 'R_1,2026-03-02 09:00:00,"Agr'),
        "ends inside a quoted value",
    ),
    Case("survey-html", "survey", "survey.csv", text("<!DOCTYPE html><html><head></head></html>"), "web page"),
    Case("survey-password-protected", "survey", "survey.csv", OLE, "password-protected"),
    Case("usage-empty", "usage", "usage.csv", b"", "empty"),
    Case(
        "usage-no-date-column",
        "usage",
        "usage.csv",
        text("email,interactions\na@x.example,3\n"),
        "required column 'date' is missing",
    ),
    Case(
        "usage-no-person-column",
        "usage",
        "usage.csv",
        text("date,interactions\n2026-03-02,3\n"),
        "neither a person id nor an e-mail",
    ),
    Case("usage-html", "usage", "usage.csv", text("<html><body>Sign in</body></html>"), "web page"),
    Case(
        "outcomes-missing-assisted",
        "outcomes",
        "outcomes.csv",
        text("person_id,minutes_taken\nE1,3\n"),
        "required column 'assisted' is missing",
        "outcome_records",
    ),
    Case("outcomes-empty", "outcomes", "outcomes.csv", b"", "empty", "outcome_records"),
    Case(
        "tickets-missing-key",
        "tickets",
        "jira.csv",
        text("Summary,Created\nx,24/Mar/26 9:15 AM\n"),
        "required column 'Issue key' is missing",
        "jira_csv",
    ),
    Case("tickets-zip", "tickets", "jira.csv", b"PK\x03\x04" + b"\x00" * 60, "Excel/zip file", "jira_csv"),
    Case(
        "governance-broken-yaml",
        "governance",
        "gov.yml",
        text("items:\n  - id: G1\n   status: [absent\n"),
        "cannot parse YAML",
        "governance_yaml",
    ),
    Case("governance-no-items", "governance", "gov.yml", text("owner: me\n"), "'items:' list", "governance_yaml"),
    Case("governance-items-not-list", "governance", "gov.yml", text("items: 3\n"), "'items:' list", "governance_yaml"),
    Case("governance-binary", "governance", "gov.yml", bytes(range(128, 256)) * 8, "not UTF-8", "governance_yaml"),
    Case("roster-file-missing", "roster", "", b"", "export file not found"),
    Case(
        "survey-surveymonkey-header-only-without-the-items",
        "survey",
        "monkey.csv",
        text("Respondent ID,Collector ID,Start Date,End Date,Q\n,,,,Response\n"),
        "Q1_1",
        "surveymonkey",
    ),
    Case(
        "survey-microsoft-forms-html",
        "survey",
        "forms.xlsx",
        text("<html><body>Sign in</body></html>"),
        "web page",
        "microsoft_forms",
    ),
    Case("survey-google-forms-empty", "survey", "forms.csv", b"", "empty", "google_forms"),
    Case(
        "usage-github-truncated-json",
        "usage",
        "copilot.json",
        text('{"day_totals": [{"day": "2026-03-02", "us'),
        "JSON",
        "github_copilot_users",
    ),
    Case(
        "usage-github-api-error",
        "usage",
        "copilot.json",
        text('{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}'),
        "error",
        "github_copilot_users",
    ),
    Case("seats-github-not-seats", "seats", "seats.json", text("[1, 2, 3]"), "seat", "github_copilot_seats"),
    Case(
        "usage-m365-wrong-report",
        "usage",
        "m365.csv",
        text("Report Refresh Date,Something else\n2026-07-03,x\n"),
        "missing",
        "m365_copilot_usage",
    ),
    Case(
        "tickets-servicenow-html",
        "tickets",
        "incidents.csv",
        text("<!DOCTYPE html><html></html>"),
        "web page",
        "servicenow_csv",
    ),
    Case("tickets-zendesk-zip", "tickets", "tickets.csv", b"PK\x03\x04" + b"\x00" * 60, "zip", "zendesk_csv"),
    Case(
        "governance-xlsx-really-csv",
        "governance",
        "gov.xlsx",
        text("id,status\nG1,absent\n"),
        "not an Excel workbook",
        "governance_xlsx",
    ),
]


def broken_client(tmp_path: Path, case: Case) -> Path:
    client = tiny_client(tmp_path / "client")
    settings = yaml.safe_load((client / "assessment.yml").read_text())
    entry = {"file": case.file or "missing.csv"}
    if case.format:
        entry["format"] = case.format
    if case.name == "roster-sheet-missing":
        entry["sheet"] = "Staff"
    settings["exports"][case.table] = entry
    (client / "assessment.yml").write_text(yaml.safe_dump(settings))
    if case.file:
        (client / "exports" / case.file).write_bytes(case.content)
    return client


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_run_gives_one_line_and_exit_2(tmp_path: Path, case: Case) -> None:
    result = CliRunner().invoke(main, ["run", str(broken_client(tmp_path, case))], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()  # one line per problem: every missing column, say
    assert lines and all(line.startswith(("input error:", "configuration error:")) for line in lines), result.stderr
    assert case.expect in lines[0]
    assert (case.file or "missing.csv") in lines[0] or "roster" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_validate_reports_it_as_blocking_and_exits_2(tmp_path: Path, case: Case) -> None:
    result = CliRunner().invoke(main, ["validate", str(broken_client(tmp_path, case))], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    blocking = [line for line in result.stdout.splitlines() if line.startswith("blocking:")]
    assert blocking and case.expect in " ".join(result.stdout.split())
    assert "Traceback" not in result.output

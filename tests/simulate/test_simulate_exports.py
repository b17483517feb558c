"""The export files: determinism, vendor formats and injected messiness."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import yaml

from scalegap.simulate import SimulatedDeployment, SimulationParameters, write_example_client
from scalegap.simulate.instrument import LIKERT_CHOICES

EXPORT_NAMES = {
    "survey_qualtrics.csv",
    "hr_roster.xlsx",
    "usage_daily.csv",
    "outcomes.csv",
    "tickets_jira.csv",
    "governance_checklist.yml",
}
M365_REFRESHES = 26  # Mondays 2026-03-09 ... 2026-08-31
ROSTER_HEADER = [
    "Employee ID",
    "Work Email",
    "Department",
    "Job Role",
    "Location",
    "Team",
    "Hire Date",
    "AI Pilot",
    "Pilot Volunteer",
]
QUALTRICS_METADATA = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
JIRA_DATE = re.compile(r"\d{2}/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{2} ([1-9]|1[0-2]):[0-5]\d (AM|PM)")


def file_bytes(client_dir: Path) -> dict[str, bytes]:
    files = sorted(p for p in client_dir.rglob("*") if p.is_file())
    return {str(p.relative_to(client_dir)): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def same_seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    client_dir = tmp_path_factory.mktemp("same_seed")
    write_example_client(client_dir)
    return client_dir


def test_write_exports_writes_only_exports_and_truth(written: dict[str, Path], m365_paths: dict[str, Path]) -> None:
    client_dir = written["truth"].parent
    assert {p.name for p in client_dir.iterdir()} == {"exports", "truth.json"}
    assert len(m365_paths) == M365_REFRESHES
    m365_names = {path.name for path in m365_paths.values()}
    assert {p.name for p in (client_dir / "exports").iterdir()} == EXPORT_NAMES | m365_names
    assert {p.name for p in (client_dir / "exports").glob("m365_copilot_usage_*.csv")} == m365_names
    assert set(written) == {"survey", "hr_roster", "usage", "outcomes", "tickets", "governance", "truth"} | set(
        m365_paths
    )
    assert all(path.exists() for path in written.values())
    assert all(path.stem == name for name, path in m365_paths.items())
    assert list(m365_paths) == sorted(m365_paths)


def test_same_seed_gives_identical_bytes(written: dict[str, Path], same_seed_dir: Path) -> None:
    first = file_bytes(written["truth"].parent)
    second = file_bytes(same_seed_dir)
    assert len(first) == 7 + M365_REFRESHES
    assert first == second


def test_different_seed_changes_every_file(written: dict[str, Path], tmp_path: Path) -> None:
    write_example_client(tmp_path, SimulationParameters(seed=20261126))
    first = file_bytes(written["truth"].parent)
    other = file_bytes(tmp_path)
    assert first.keys() == other.keys()
    assert all(first[name] != other[name] for name in first)


def test_truth_json_matches_the_deployment(written: dict[str, Path], deployment: SimulatedDeployment) -> None:
    text = written["truth"].read_text(encoding="utf-8")
    assert json.loads(text) == deployment.truth
    assert text.endswith("\n")


def test_qualtrics_file_layout(written: dict[str, Path], survey_rows: list[list[str]]) -> None:
    raw = written["survey"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfStartDate,EndDate,")
    assert raw.count(b"\r\n") == len(survey_rows)  # one CRLF per record; line breaks in answers are LF
    header_ids, header_texts, import_ids = survey_rows[:3]
    assert header_ids[:17] == QUALTRICS_METADATA
    assert header_ids[17:] == [
        f"Q{q}_{i}" for q, n in ((1, 3), (2, 3), (3, 3), (4, 3), (5, 2), (6, 3)) for i in range(1, n + 1)
    ] + ["Q7"]
    assert len(Counter(len(row) for row in survey_rows)) == 1
    assert header_texts[17] == (
        "How much do you agree with the following statements? - Using the AI assistant improves the quality of my work"
    )
    assert json.loads(import_ids[0]) == {"ImportId": "startDate", "timeZone": "Europe/London"}
    assert json.loads(import_ids[19]) == {"ImportId": "QID1_3"}
    assert all(cell.startswith('{"ImportId":') for cell in import_ids)
    assert not any(row[0].startswith("{") for row in survey_rows[3:])


def test_qualtrics_values(survey_rows: list[list[str]]) -> None:
    data = survey_rows[3:]
    assert 1100 < len(data) < 1300
    column = {name: i for i, name in enumerate(survey_rows[0])}
    date_pattern = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
    assert all(date_pattern.fullmatch(row[column["StartDate"]]) for row in data)
    assert {row[column["Finished"]] for row in data} == {"True", "False"}
    assert {row[column["Status"]] for row in data} == {"0"}
    assert {row[column["IPAddress"]] for row in data} == {""}
    assert {row[column["DistributionChannel"]] for row in data} == {"email"}
    assert all(row[column["Progress"]].isdigit() for row in data)
    answers = Counter(row[i] for row in data for i in range(17, 34))
    assert set(answers) - set(LIKERT_CHOICES) - {""} == {"Agree strongly"}
    assert answers["Agree strongly"] == 1


def test_qualtrics_messiness(survey_rows: list[list[str]], deployment: SimulatedDeployment) -> None:
    data = survey_rows[3:]
    column = {name: i for i, name in enumerate(survey_rows[0])}
    references = [row[column["ExternalReference"]] for row in data]
    contractors = [r for r in references if re.fullmatch(r"C2\d{3}", r)]
    assert len(contractors) == 15
    roster_ids = set(deployment.people["employee_id"])
    assert not set(contractors) & roster_ids
    duplicated = [r for r, n in Counter(r for r in references if r).items() if n > 1]
    assert len(duplicated) == 2
    assert sum(1 for row in data if row[column["ResponseId"]] == "") == 1
    email_only = [row[column["RecipientEmail"]] for row in data if row[column["ExternalReference"]] == ""]
    assert len(email_only) > 30
    assert all(email != email.strip() and email.strip() != email.strip().lower() for email in email_only)
    partial = [row for row in data if row[column["Finished"]] == "False"]
    assert partial and all(int(row[column["Progress"]]) < 100 and row[column["Q6_3"]] == "" for row in partial)
    free_text = [row[column["Q7"]] for row in data if row[column["Q7"]]]
    assert any("\n" in text for text in free_text)
    assert any('"' in text for text in free_text) and any("," in text for text in free_text)
    assert sum(bool(re.search(r"[\w.]+@northwind\.example", text)) for text in free_text) == 3
    assert sum("07700 900" in text for text in free_text) == 1


def test_roster(roster_rows: list[list[str]]) -> None:
    assert roster_rows[0] == ROSTER_HEADER
    data = roster_rows[1:]
    assert len(data) == 2001
    ids = Counter(row[0] for row in data)
    duplicate = [i for i, n in ids.items() if n > 1]
    assert len(duplicate) == 1
    twins = [row for row in data if row[0] == duplicate[0]]
    assert twins[0][2] != twins[1][2] and twins[0][5] != twins[1][5]
    assert sum(1 for row in data if row[2] == "") == 2
    assert sum(1 for row in data if row[6] == "31/02/2019") == 1
    assert sum(1 for row in data if row[1] != row[1].strip()) == 3
    valid_dates = [row[6] for row in data if row[6] != "31/02/2019"]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in valid_dates)
    assert {row[7] for row in data} == {"Y", "N"} and {row[8] for row in data} == {"Y", "N"}
    pilot = {row[0] for row in data if row[7] == "Y"}
    assert len(pilot) == 60
    volunteers = [row for row in data if row[8] == "Y"]
    assert len(volunteers) > 51
    assert len({row[0] for row in data if row[7] == "Y" and row[8] == "Y"}) == 51


def test_roster_workbook_layout(written: dict[str, Path], roster_cells: list[list[Any]]) -> None:
    workbook = openpyxl.load_workbook(written["hr_roster"])
    assert workbook.sheetnames == ["Employees"]
    sheet = workbook["Employees"]
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    hire_dates = [row[6] for row in sheet.iter_rows(min_row=2)]
    dated = [cell for cell in hire_dates if cell.is_date]
    assert len(dated) == 2000
    assert all(cell.number_format == "dd/mm/yyyy" and isinstance(cell.value, datetime) for cell in dated)
    texts = [cell for cell in hire_dates if not cell.is_date]
    assert [(cell.data_type, cell.value) for cell in texts] == [("s", "31/02/2019")]
    assert all(isinstance(value, str) for row in roster_cells[1:] for value in (row[0], row[1], row[7], row[8]))
    assert sum(1 for row in roster_cells[1:] if row[2] is None) == 2  # the blank departments are empty cells


def test_roster_workbook_reads_with_pandas(written: dict[str, Path], roster_rows: list[list[str]]) -> None:
    frame = pd.read_excel(written["hr_roster"], sheet_name="Employees")
    assert list(frame.columns) == ROSTER_HEADER
    assert len(frame) == 2001
    assert frame["Employee ID"].tolist() == [row[0] for row in roster_rows[1:]]
    assert frame["Work Email"].tolist() == [row[1] for row in roster_rows[1:]]
    assert frame["Department"].isna().sum() == 2
    hire = frame["Hire Date"]
    assert sum(isinstance(value, str) for value in hire) == 1
    dates = pd.to_datetime(hire[hire.map(lambda v: not isinstance(v, str))])
    assert len(dates) == 2000 and (dates.dt.normalize() == dates).all()
    assert dates.max() < pd.Timestamp("2026-03-02")


def test_roster_workbook_timestamps_are_pinned(written: dict[str, Path], deployment: SimulatedDeployment) -> None:
    stamp = datetime.combine(deployment.parameters.export_date, datetime.min.time()).replace(hour=8, minute=30)
    properties = openpyxl.load_workbook(written["hr_roster"]).properties
    assert properties.created == stamp and properties.modified == stamp
    with zipfile.ZipFile(written["hr_roster"]) as archive:
        entries = archive.infolist()
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert {entry.date_time for entry in entries} == {(2026, 9, 7, 8, 30, 0)}
    assert {entry.compress_type for entry in entries} == {zipfile.ZIP_DEFLATED}
    assert "xl/worksheets/sheet1.xml" in {entry.filename for entry in entries}
    assert core.count("2026-09-07T08:30:00Z") == 2


def test_usage_file(usage_rows: list[list[str]], roster_rows: list[list[str]]) -> None:
    assert usage_rows[0] == ["user_email", "date", "interactions", "active_minutes"]
    data = usage_rows[1:]
    assert len(data) > 1000
    assert sum(1 for row in data if row[2] == "n/a") == 1
    assert sum(1 for row in data if row[1] == "2026-13-01") == 1
    roster_emails = {row[1].strip() for row in roster_rows[1:]}
    strangers = {row[0] for row in data if row[0] not in roster_emails}
    assert len(strangers) == 5
    valid = [row for row in data if row[1] != "2026-13-01"]
    days = [date.fromisoformat(row[1]) for row in valid]
    assert all(day.weekday() < 5 for day in days)
    assert min(days) == date(2026, 3, 2) and max(days) <= date(2026, 8, 28)


def test_outcomes_file(outcome_rows: list[list[str]]) -> None:
    assert outcome_rows[0] == [
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
    ]
    data = outcome_rows[1:]
    assert {row[10] for row in data} == {"Pilot prompt pack v2", "Standard prompt pack v1"}
    assert {row[5] for row in data} == {"yes", "no"}
    assert {row[9] for row in data} == {"0", "1"}
    assert {row[7] for row in data} <= {"1", "2", "3", "4", "5"}
    minutes = [row[6] for row in data]
    assert all(re.fullmatch(r"-?\d+\.\d", m) for m in minutes if m)
    assert sum(1 for m in minutes if m.startswith("-")) == 1
    assert sum(1 for m in minutes if m == "") >= 5
    assert all(re.fullmatch(r"[01]\.\d{2}", row[8]) for row in data)
    baseline_people = {row[1] for row in data if row[5] == "no"}
    assert len(baseline_people) > 450


def test_jira_file(ticket_rows: list[list[str]], written: dict[str, Path]) -> None:
    header = ticket_rows[0]
    assert header.count("Component/s") == 2 and header.count("Labels") == 3
    assert header[:4] == ["Summary", "Issue key", "Issue id", "Issue Type"]
    assert header[-4:] == [
        "Custom field (Employee ID)",
        "Custom field (Request channel)",
        "Custom field (First response)",
        "Description",
    ]
    data = ticket_rows[1:]
    assert len(Counter(len(row) for row in ticket_rows)) == 1
    column = {name: i for i, name in enumerate(header)}
    for name in ("Created", "Updated"):
        assert all(JIRA_DATE.fullmatch(row[column[name]]) for row in data)
    resolved = [row[column["Resolved"]] for row in data]
    assert all(JIRA_DATE.fullmatch(value) for value in resolved if value)
    assert any(value == "" for value in resolved)
    assert all(re.fullmatch(r"AIS-\d+", row[column["Issue key"]]) for row in data)
    assert {row[column["Project key"]] for row in data} == {"AIS"}
    assert {row[column["Custom field (Request channel)"]] for row in data} == {"Build team (direct)", "Service desk"}
    labels = [i for i, name in enumerate(header) if name == "Labels"]
    assert any(all(row[i] == "" for i in labels) for row in data)
    assert any(all(row[i] != "" for i in labels) for row in data)
    descriptions = [row[column["Description"]] for row in data]
    assert any("\n" in d for d in descriptions) and any("@northwind.example" in d for d in descriptions)
    assert written["tickets"].read_bytes().count(b"\r\n") == len(ticket_rows)


def test_governance_yaml(written: dict[str, Path], deployment: SimulatedDeployment) -> None:
    loaded = yaml.safe_load(written["governance"].read_text(encoding="utf-8"))
    assert loaded["items"] == deployment.governance
    first = loaded["items"][0]
    assert list(first) == ["id", "area", "question", "nist_function", "nist_category", "status", "owner", "evidence"]
    assert all(re.fullmatch(r"GOV-\d{2}", item["id"]) for item in loaded["items"])
    assert all(re.fullmatch(r"(GOVERN|MAP|MEASURE|MANAGE) \d\.\d+", item["nist_category"]) for item in loaded["items"])
    assert all(item["nist_category"].split()[0] == item["nist_function"].upper() for item in loaded["items"])


def test_truth_locates_the_injected_format_defects(
    deployment: SimulatedDeployment, survey_rows: list[list[str]], usage_rows: list[list[str]]
) -> None:
    anomalies = deployment.truth["injected_anomalies"]
    column = {name: i for i, name in enumerate(survey_rows[0])}
    out_of_scale = anomalies["survey_qualtrics"]["out_of_scale_answer"]
    row = survey_rows[out_of_scale["line"] - 1]
    assert row[column["ResponseId"]] == out_of_scale["response_id"]
    assert row[column[out_of_scale["column"]]] == "Agree strongly"
    empty_id = anomalies["survey_qualtrics"]["empty_response_id"]
    row = survey_rows[empty_id["line"] - 1]
    assert row[column["ResponseId"]] == "" and row[column["ExternalReference"]] == empty_id["employee_id"]
    bad_count = anomalies["usage_daily"]["non_numeric_interactions"]
    assert usage_rows[bad_count["line"] - 1][:3] == [bad_count["user_email"], bad_count["date"], "n/a"]
    bad_date = anomalies["usage_daily"]["invalid_date"]
    assert usage_rows[bad_date["line"] - 1][:2] == [bad_date["user_email"], "2026-13-01"]

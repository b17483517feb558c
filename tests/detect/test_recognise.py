"""init --detect on the shared vendor samples: which table and format each file is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scalegap.detect import detect_exports
from scalegap.detect.recognise import generic_table

SAMPLES = {
    "qualtrics/sample-three-header-rows-german.csv": {("survey", "qualtrics_csv")},
    "qualtrics/sample-legacy-export.csv": {("survey", "qualtrics_legacy_csv")},
    "surveymonkey/steak-risk-survey.csv": {("survey", "surveymonkey")},
    "github-copilot/org-metrics-api-per-day.json": {("org_usage", "github_copilot_metrics")},
    "github-copilot/org-users-28-day-report.json": {("usage", "github_copilot_users")},
    "github-copilot/org-seats.json": {("seats", "github_copilot_seats")},
    "m365-copilot/usage-user-detail-docs-example.csv": {
        ("usage", "m365_copilot_usage"),
        ("seats", "m365_copilot_seats"),
    },
    "m365-copilot/usage-user-detail-docs-example.json": {
        ("usage", "m365_copilot_usage"),
        ("seats", "m365_copilot_seats"),
    },
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_each_vendor_sample_is_recognised(tmp_path: Path, samples: Path, sample: str) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(samples / sample, exports / Path(sample).name)
    detection = detect_exports(exports)
    assert {(proposal.table, proposal.format) for proposal in detection.exports} == SAMPLES[sample]
    assert not detection.unused


def test_every_shared_sample_is_covered(samples: Path) -> None:
    files = {str(path.relative_to(samples)) for path in samples.rglob("*") if path.suffix in {".csv", ".json"}}
    assert files == set(SAMPLES)


@pytest.mark.parametrize(
    "header, table",
    [
        (["Staff number", "Division", "AI pilot", "Work e-mail"], "roster"),
        (["Numéro d'employé", "Département", "Pilote"], "roster"),
        (["Case number", "Agent ID", "AI assisted", "Handling time (min)", "Data quality"], "outcomes"),
        (["Key", "Reporter", "Created", "Queue"], "tickets"),
        (["UPN", "Activity date", "Prompts"], "usage"),
    ],
)
def test_any_layout_is_placed_by_the_fields_its_headers_name(header: list[str], table: str) -> None:
    found = generic_table(header)
    assert found is not None and found[0] == table


def test_a_file_naming_no_table_is_listed_as_unused_with_its_headers(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "budget.csv").write_text("Quarter,Spend\nQ1,100\n")
    (exports / "notes.docx").write_bytes(b"PK\x03\x04 not ours")
    detection = detect_exports(exports)
    assert not detection.exports
    reasons = {unused.file: unused.why for unused in detection.unused}
    assert "'Quarter', 'Spend'" in reasons["budget.csv"]
    assert "not a format scalegap reads" in reasons["notes.docx"]
    assert any("HR roster" in todo for todo in detection.todos)


def test_a_person_column_is_recognised_by_its_values_being_roster_names(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "hr.csv").write_text(
        "Employee ID,First name,Surname,Department,Pilot\nE1,Ada,Lovelace,R&D,yes\nE2,Alan,Turing,R&D,no\n"
    )
    (exports / "timings.csv").write_text("Handled by whom,AI assisted,Minutes\nAda Lovelace,yes,3\nalan turing,no,5\n")
    detection = detect_exports(exports)
    outcomes = detection.of("outcomes")[0]
    assert outcomes.columns["person_id"].value == "Handled by whom"
    assert "roster names" in outcomes.columns["person_id"].why

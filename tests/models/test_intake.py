from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.models import intake
from scalegap.models.summary import assessed_statement, headline_figures, results_document
from scalegap.models.summary.page_rows import headline_rows
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.support import tiny_client, with_weekly_seat_reports


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_row_accounting_per_table(package: PreparedPackage) -> None:
    table = intake.row_accounting(package).set_index("Table")
    counts = ["Rows read", "Rows accepted", "Rows superseded", "Rows rejected"]
    assert table.loc["Employee survey", counts].tolist() == [6, 4, 1, 1]
    assert table.loc["Employee survey", "Share rejected"] == pytest.approx(1 / 5)
    assert table.loc["Usage telemetry", "Share rejected"] == pytest.approx(0.4)


def test_rejection_reasons_are_counted_apart_from_superseded_rows(package: PreparedPackage) -> None:
    reasons = intake.rejection_reasons(package)
    assert reasons["Rows"].sum() == 3
    assert set(reasons["Table"]) == {"Employee survey", "Usage telemetry"}
    assert not reasons["Reason"].str.contains("superseded").any()
    superseded = intake.superseded_rows(package)
    assert superseded[["Table", "Rows"]].values.tolist() == [["Employee survey", 1]]


@pytest.fixture
def weekly_seats(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(with_weekly_seat_reports(tiny_client(tmp_path), weeks=26))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_weekly_licence_reports_are_one_table_with_superseded_rows(weekly_seats: PreparedPackage) -> None:
    accounting = intake.row_accounting(weekly_seats).set_index("Table")
    seats = accounting.loc["Licence reports"]
    assert seats["Files"].startswith("26 files (m365_seats_2026-03-02.csv … ")
    assert (seats["Rows read"], seats["Rows accepted"], seats["Rows superseded"], seats["Rows rejected"]) == (
        79,
        3,
        75,
        1,
    )
    assert seats["Share rejected"] == pytest.approx(1 / 4)  # of the latest report's rows, not of every copy
    findings = intake.intake_findings(weekly_seats)
    assert "A further 76 rows are superseded, not rejected" in findings[0]
    assert "100 %" not in " ".join(findings) and "The seats" not in " ".join(findings)
    assert findings[1] == "The highest rejection share is in the usage telemetry (40 %)."


def test_gaps_and_empty_columns_name_each_table_and_column_once(weekly_seats: PreparedPackage) -> None:
    completeness = intake.column_completeness(weekly_seats)
    assert not completeness.duplicated(["table", "column"]).any()
    assert (completeness["table"] == "Licence reports").sum() >= 1
    empty = intake.empty_columns(weekly_seats)
    assert list(empty) == list(dict.fromkeys(empty))
    text = intake.empty_columns_text(empty)
    assert text.count("Licence reports") == 1 and text.count("HR roster") == 1
    assert "HR roster: " in text and "location" in text


def test_survey_coverage_counts_matches(package: PreparedPackage) -> None:
    coverage = intake.survey_coverage(package)
    assert (coverage.matched_by_id, coverage.matched_by_email, coverage.unmatched) == (2, 1, 1)
    assert coverage.response_rate == pytest.approx(3 / 12)


def test_segment_overview_suppresses_small_groups_and_counts(package: PreparedPackage) -> None:
    overview = intake.segment_overview(package).set_index("Department")
    assert overview.loc["Finance", "Headcount"] == 8
    assert pd.isna(overview.loc["Finance", "Pilot members"])  # 3 pilot members < 5
    assert pd.isna(overview.loc["Finance", "Response rate"])  # 3 respondents < 5
    assert pd.isna(overview.loc["Legal", "Headcount"])  # 4 people < 5
    assert overview["suppressed"].tolist() == [True, True]


def test_completeness_leaves_out_empty_columns_and_lists_them(package: PreparedPackage) -> None:
    completeness = intake.column_completeness(package)
    assert (completeness["completeness"] > 0).all()
    assert "location" in intake.empty_columns(package)["HR roster"]
    usage = completeness[completeness["table"] == "Usage telemetry"].set_index("column")
    assert usage.loc["interactions", "completeness"] == 1.0


def test_data_period_and_headline_figures(package: PreparedPackage) -> None:
    assert intake.data_period(package).describe() == "02 Mar 2026 to 03 Mar 2026"
    headline = headline_figures(package)
    assert (headline.headcount, headline.pilot_members, headline.pilot_volunteers) == (12, 3, 3)
    assert headline.pilot_active_users == 2
    assert headline.outcome_records is None
    assert ("Survey response rate", "25 %") in headline_rows(headline)
    assert "Acme <Tiny> & Co" in assessed_statement(headline)[0]


def test_results_document_carries_inputs_and_headline(package: PreparedPackage) -> None:
    document = results_document(package, "2026-11-25T00:00:00+00:00")
    assert [entry["table"] for entry in document["inputs"]] == ["roster", "survey", "usage"]
    assert document["headline"]["headcount"] == 12
    assert document["client"] == "Acme <Tiny> & Co"


def test_findings_state_the_answer(package: PreparedPackage) -> None:
    findings = intake.intake_findings(package)
    assert findings[0].startswith("19 of 22 rows (86 %) across 3 tables are usable; 3 were rejected")
    assert "A further 1 row is superseded, not rejected" in findings[0]
    assert any("response rate 25 %" in finding for finding in findings)


def test_validation_notes_leave_out_the_linking_examples() -> None:
    summary = (
        "tickets: 10 of 12 rows linked to the roster (83 %; 10 by email); 1 ambiguous (a name shared by several "
        "people, e.g. 'Sam Lee'); 2 not in the roster (e.g. 'r.castellanos', \"O'Brien, Pat\")"
    )
    assert intake.without_examples(summary) == (
        "tickets: 10 of 12 rows linked to the roster (83 %; 10 by email); "
        "1 ambiguous (a name shared by several people); 2 not in the roster"
    )
    assert intake.without_examples("use the format e.g. E123") == "use the format e.g. E123"


def test_validation_notes_are_redacted() -> None:
    from types import SimpleNamespace

    message = (
        "tickets: 2 of 3 rows linked to the roster (67 %; 2 by name); 1 not in the roster (e.g. 'Ingrid "
        "Halvorsen'); ask Priya Shah"
    )
    manifest = {
        "problems": [
            {
                "file": "exports/incident.csv",
                "column": "person_id",
                "message": message,
                "hint": "or mail ingrid.halvorsen@northwind.example",
            }
        ]
    }
    roster = pd.DataFrame({"person_id": ["E1"], "name": ["Priya Shah"]})
    package = SimpleNamespace(
        manifest=manifest,
        has=lambda table: table == "roster",
        table=lambda table: roster,
        settings=SimpleNamespace(privacy=SimpleNamespace(min_group_size=5)),
    )
    note = intake.export_notes(package).iloc[0]
    assert (
        note["Note"] == "tickets: 2 of 3 rows linked to the roster (67 %; 2 by name); 1 not in the roster; ask [name]"
    )
    assert note["What to do"] == "or mail [e-mail]"

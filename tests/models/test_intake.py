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
from tests.support import tiny_client


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_row_accounting_per_file(package: PreparedPackage) -> None:
    table = intake.row_accounting(package).set_index("Table")
    assert table.loc["Employee survey", ["Rows read", "Rows accepted", "Rows rejected"]].tolist() == [6, 4, 2]
    assert table.loc["Usage telemetry", "Share rejected"] == pytest.approx(0.4)


def test_rejection_reasons_are_counted(package: PreparedPackage) -> None:
    reasons = intake.rejection_reasons(package)
    assert reasons["Rows"].sum() == 4
    assert set(reasons["Table"]) == {"Employee survey", "Usage telemetry"}


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
    assert "HR roster · location" in intake.empty_columns(package)
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
    assert findings[0].startswith("19 of 23 rows (83 %)")
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

"""A client made by an independent generator, through init --detect alone: what it proposes is what was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalegap.client import ClientFolder
from scalegap.detect import detect_client
from scalegap.prepare import check
from scalegap.settings import load_settings
from tests.clients.independent import Truth, write_independent_client


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    root = tmp_path_factory.mktemp("independent") / "nordlicht"
    truth = write_independent_client(root)
    (root / "exports" / "Budget 2026.csv").write_text("Quarter,Spend\nQ1,100\n")
    detect_client(root, "Nordlicht AG")
    return root, truth


def test_every_file_is_recognised_as_its_table_and_format(detected: tuple[Path, Truth]) -> None:
    root, truth = detected
    settings = load_settings(root / "assessment.yml")
    for table, file in truth.files.items():
        entry = settings.exports_of(table)
        assert [(e.file, e.format) for e in entry] == [(file, truth.formats[table])], table
    assert "not used: exports/Budget 2026.csv" in (root / "assessment.yml").read_text()


def test_the_proposed_columns_and_values_are_the_generators(detected: tuple[Path, Truth]) -> None:
    root, truth = detected
    settings = load_settings(root / "assessment.yml")
    for table in ("roster", "outcomes"):
        proposed = settings.exports_of(table)[0].columns
        for field, header in truth.columns[table].items():
            assert proposed.get(field) == header, (table, field)
    assert "team" not in settings.exports_of("roster")[0].columns
    assert settings.exports_of("outcomes")[0].values["data_tier"] == truth.values["outcomes"]["data_tier"]
    assert settings.exports_of("tickets")[0].values["channel"] == truth.values["tickets"]["channel"]


def test_the_survey_instrument_is_proposed(detected: tuple[Path, Truth]) -> None:
    root, truth = detected
    survey = load_settings(root / "assessment.yml").survey
    assert survey.scale_points == truth.scale_points and tuple(survey.scale_labels) == truth.scale_labels
    assert sorted(tuple(c.items) for c in survey.constructs.values()) == sorted(truth.constructs.values())
    assert sorted(item for c in survey.constructs.values() for item in c.reverse) == sorted(truth.reverse_items)
    assert tuple(survey.free_text) == truth.free_text


def test_validation_links_people_as_the_generator_wrote_them(detected: tuple[Path, Truth]) -> None:
    root, truth = detected
    intake = check(ClientFolder(root), load_settings(root / "assessment.yml"))
    assert intake.report.ok, [problem.one_line() for problem in intake.report.blocking]
    links = {report.table: report for report in intake.report.links}
    assert links["survey"].linked == truth.survey_linked
    assert links["usage"].linked == truth.usage_linked_rows
    assert links["tickets"].by_key["name"] == truth.tickets_linked_unique
    assert links["tickets"].ambiguous == truth.tickets_ambiguous
    assert links["tickets"].unmatched == truth.tickets_unmatched
    roster = intake.tables["roster"].accepted
    assert int(roster["in_pilot"].sum()) == truth.pilot_members
    assert int(roster["volunteered"].fillna(False).sum()) == truth.volunteers
    tiers = intake.tables["outcomes"].accepted["data_tier"].value_counts()
    assert (tiers["clean"], tiers["messy"]) == (truth.outcome_rows_clean, truth.outcome_rows_messy)


def test_a_second_run_keeps_what_the_consultant_edited(detected: tuple[Path, Truth], tmp_path: Path) -> None:
    root, _ = detected
    assessment = root / "assessment.yml"
    before = assessment.read_text()
    edited = before.replace("qid10:", "usefulness:", 1).replace(
        "IT Service Desk: service_desk", "IT Service Desk: other", 1
    )
    assert edited != before
    assessment.write_text(edited)
    outcome = detect_client(root)
    assert assessment.read_text() == edited
    assert {"exports.tickets", "survey"} <= set(outcome.written.kept)
    assessment.write_text(before)

"""Which tables a chapter can use: a table not supplied and one supplied without rows are both unavailable, each
with its reason, what it would show and how to supply it; the notice a chapter shows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scalegap.canonical import SCHEMAS, conform
from scalegap.models import availability as av
from scalegap.package import PreparedPackage
from scalegap.settings import load_settings

OPTIONAL = ("survey", "usage", "org_usage", "seats", "outcomes", "tickets", "governance")


def roster() -> pd.DataFrame:
    """Twelve people in two departments, five of them in the pilot (three volunteers), as prepare writes it."""
    frame = pd.DataFrame(
        {
            "person_id": [f"E{i}" for i in range(12)],
            "department": ["Finance"] * 6 + ["Legal"] * 6,
            "in_pilot": [True] * 5 + [False] * 7,
            "volunteered": [True] * 3 + [False] * 9,
        }
    )
    return conform("roster", frame).assign(tenure_years=float("nan"), tenure_band=None)


def empty_table(table: str) -> pd.DataFrame:
    """The table's canonical columns, without a row (what a header-only export prepares to)."""
    return conform(table, pd.DataFrame({column.name: [] for column in SCHEMAS[table] if column.required}))


def write_package(root: Path, empty: tuple[str, ...] = (), inputs: list[dict] | None = None) -> PreparedPackage:
    """A prepared package of the roster and a 0-row parquet file for each of ``empty``, in ``root/prepared`` (so that
    its results folder, ``root/results``, is this test's own)."""
    root = root / "prepared"
    root.mkdir(parents=True, exist_ok=True)
    roster().to_parquet(root / "roster.parquet", index=False)
    for table in empty:
        empty_table(table).to_parquet(root / f"{table}.parquet", index=False)
    manifest = {
        "settings": load_settings(None).model_dump(mode="json"),
        "reference_date": "2026-09-30",
        "inputs": inputs or [],
        "scalegap_version": "test",
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    return PreparedPackage(root)


def read(table: str, file: str, rows_read: int, rejected: int) -> dict:
    return {
        "table": table,
        "file": file,
        "format": "x",
        "sha256": "0",
        "rows_read": rows_read,
        "rows_accepted": rows_read - rejected,
        "rows_rejected": rejected,
    }


@pytest.fixture
def roster_only(tmp_path: Path) -> PreparedPackage:
    return write_package(tmp_path / "roster-only")


@pytest.fixture
def header_only(tmp_path: Path) -> PreparedPackage:
    inputs = [read(table, f"exports/{table}.csv", 0, 0) for table in OPTIONAL if table != "tickets"]
    return write_package(tmp_path / "empty", OPTIONAL, inputs + [read("tickets", "exports/tickets.csv", 3, 3)])


def test_the_roster_is_available(roster_only: PreparedPackage) -> None:
    status = av.table_status(roster_only, "roster")
    assert status.available and status.rows == 12 and status.reason is None and status.not_assessed == ""


def test_a_table_not_supplied_says_what_it_would_show_and_how_to_supply_it(roster_only: PreparedPackage) -> None:
    status = av.table_status(roster_only, "tickets")
    assert (status.available, status.rows) == (False, None)
    assert status.reason == "no support tickets were supplied"
    assert status.not_assessed == "not assessed: no support tickets were supplied"
    assert status.how_to_supply == (
        "add exports.tickets to assessment.yml: a Jira, ServiceNow, Zendesk or generic ticket CSV"
    )
    assert "ticket projection" in status.what_it_would_show
    assert not any(av.usable(roster_only, table) for table in OPTIONAL)


def test_a_header_only_export_counts_as_not_supplied_and_says_so(header_only: PreparedPackage) -> None:
    status = av.table_status(header_only, "outcomes")
    assert (status.available, status.rows) == (False, 0)
    assert status.reason == "the outcome records export (exports/outcomes.csv) has no data rows, only its header"
    assert "exports.outcomes" in status.how_to_supply
    assert av.unavailable(header_only, OPTIONAL) == tuple(av.table_status(header_only, t) for t in OPTIONAL)


def test_an_export_whose_rows_were_all_rejected_points_to_the_rejects(header_only: PreparedPackage) -> None:
    status = av.table_status(header_only, "tickets")
    assert status.reason == "none of the 3 rows of the support tickets export (exports/tickets.csv) could be used"
    assert "_build/rejects/tickets.csv" in status.how_to_supply


def test_many_files_are_named_by_the_first_and_a_count(tmp_path: Path) -> None:
    inputs = [read("seats", f"exports/seats-{week}.csv", 0, 0) for week in range(5)]
    package = write_package(tmp_path, ("seats",), inputs)
    assert "(exports/seats-0.csv and 4 more files)" in av.table_status(package, "seats").reason


def test_a_stand_in_package_is_counted_from_its_table() -> None:
    class StandIn:
        def has(self, table: str) -> bool:
            return table == "outcomes"

        def table(self, table: str) -> pd.DataFrame:
            return empty_table(table)

    assert av.table_status(StandIn(), "outcomes").rows == 0 and not av.usable(StandIn(), "survey")


def test_reasons_for_a_chapter_and_for_a_figure(roster_only: PreparedPackage) -> None:
    sentence = av.reason_for(roster_only, "outcomes", "usage", subject="The conversion rate")
    assert sentence == (
        "The conversion rate is not assessed: no outcome records were supplied; no usage telemetry was supplied."
    )
    assert av.not_assessed_reason(roster_only, "outcomes") == "not assessed: no outcome records were supplied"
    assert av.figure_reason(sentence) == (
        "not assessed: no outcome records were supplied; no usage telemetry was supplied"
    )
    assert av.figure_reason("Fewer than 5 people answered.") == "not assessed: fewer than 5 people answered"
    assert av.reason_for(roster_only, "roster") is None and av.not_assessed_reason(roster_only, "roster") is None


def test_a_chapter_without_a_required_table_is_not_assessed(roster_only: PreparedPackage) -> None:
    notice = av.chapter_notice(roster_only, "support")
    assert not notice.assessed and notice.title == "Not assessed: support tickets"
    assert notice.lines[0].startswith(
        "This chapter is not assessed: no support tickets were supplied. It would have shown tickets per active user"
    )
    assert (
        "To assess it, add exports.tickets to assessment.yml: a Jira, ServiceNow, Zendesk or generic ticket CSV."
    ) in notice.lines
    assert any(
        line.startswith("Left out: ticket rates by readiness, because no survey responses were supplied")
        for line in notice.lines
    )


def test_a_chapter_without_an_optional_table_is_partly_assessed(roster_only: PreparedPackage) -> None:
    notice = av.chapter_notice(roster_only, "pilot_validity")
    assert notice.assessed and notice.title.startswith("Partly assessed: without the survey responses")
    assert len(notice.lines) == 3 and all(line.startswith("Left out: ") for line in notice.lines)


def test_no_notice_when_every_table_is_usable(tmp_path: Path) -> None:
    package = write_package(tmp_path)
    assert av.chapter_notice(package, "integration") is not None  # the survey is optional there
    pd.DataFrame({"response_id": ["R1"]}).to_parquet(package.path / "survey.parquet", index=False)
    assert av.chapter_notice(package, "integration") is None


@pytest.mark.parametrize("chapter", sorted(av.CHAPTERS))
def test_every_chapter_names_known_tables(chapter: str) -> None:
    needs = av.CHAPTERS[chapter]
    assert set(needs.required) | set(needs.optional) <= set(av.TABLES) - {"roster"}
    assert not set(needs.required) & set(needs.optional)

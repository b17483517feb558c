"""What every adapter shares: the row ledger, and the note on files cut at a usual export limit."""

from pathlib import Path

import pytest

from scalegap.ingest.base import export_cap_note
from scalegap.ingest.tickets_generic import GenericTicketsAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write


@pytest.mark.parametrize(
    "records, words",
    [
        (1_000, "a limit export tools often stop at"),
        (10_000, "a limit export tools often stop at"),
        (65_535, "an .xls sheet's last row"),
        (1_048_575, "an Excel sheet's last row"),
    ],
)
def test_a_file_with_exactly_a_usual_limit_of_rows_is_noted(records: int, words: str) -> None:
    note = export_cap_note(records)
    assert note is not None and f"exactly {records:,} data rows" in note and words in note


@pytest.mark.parametrize("records", [0, 999, 1_001, 9_999, 12_345, 1_048_576])
def test_other_row_counts_are_not(records: int) -> None:
    assert export_cap_note(records) is None


def test_an_export_stopped_at_a_thousand_rows_says_so(tmp_path: Path, template_settings: Settings) -> None:
    rows = [f"T-{n},E{n},2026-03-24T09:15:00Z,,Desk" for n in range(1_000)]
    path = write(
        tmp_path / "tickets.csv", "\n".join(["Ticket_ID,Person_ID,Created_At,Resolved_At,Channel", *rows]) + "\n"
    )
    export = ExportSettings(file="t", values={"channel": {"desk": "service_desk"}})
    result = GenericTicketsAdapter().read(path, export, template_settings)
    assert result.rows_read == 1_000
    assert any("exactly 1,000 data rows" in warning for warning in result.warnings)
    write(path, "\n".join(["Ticket_ID,Person_ID,Created_At,Resolved_At,Channel", *rows[:-1]]) + "\n")
    assert not any(
        "data rows" in warning for warning in GenericTicketsAdapter().read(path, export, template_settings).warnings
    )

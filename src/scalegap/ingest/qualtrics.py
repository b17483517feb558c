"""Qualtrics CSV exports: the current format (three header rows) and the legacy format.

Current format (``qualtrics_csv``): row 1 holds column ids (``ResponseId``,
``Q1_1`` ...), row 2 the question text (matrix items as ``"<prompt> - <statement>"``),
row 3 ``{"ImportId": ...}`` JSON.  Both the "choice text" export (``Status`` ``IP
Address``, ``Finished`` ``True``, answers as scale labels) and the "numeric values"
export (``Status`` ``0``, ``Finished`` ``1``, answers as numbers) are read.

Legacy format (``qualtrics_legacy_csv``, exports made before 2017 or with "use legacy
exporter"): row 1 holds ``V1`` .. ``V10`` then question ids (``Q1``, ``Q2`` ...), row 2
the labels (``ResponseID``, ``ResponseSet``, ``Name``, ``ExternalDataReference``,
``EmailAddress``, ``IPAddress``, ``Status``, ``StartDate``, ``EndDate``, ``Finished``)
then the question texts; every line ends with a comma (an empty last column, dropped);
there is no Progress or RecordedDate column (``EndDate`` is when it was recorded).

In both, columns are named by their row-1 id; row-2 labels and question texts work
as names in the column mapping too.  Dates are ``YYYY-MM-DD HH:MM:SS``.  Survey
previews, tests and spam (``Status``) are rejected.  Both files usually start with a
byte-order mark.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.errors import InputError
from scalegap.ingest.survey_common import SurveyAdapter, SurveyTable, head_rows, unique_aliases
from scalegap.ingest.text import RawTable, read_delimited, unique_names
from scalegap.settings import ExportSettings

#: Qualtrics response types that are not real responses (numeric and text exports)
NOT_RESPONSES = frozenset(
    {
        "1",
        "2",
        "8",
        "9",
        "12",
        "17",
        "survey preview",
        "survey test",
        "spam",
        "preview spam",
        "imported spam",
        "offline survey preview",
    }
)
QUALTRICS_DATES = "%Y-%m-%d %H:%M:%S"
LEGACY_IDS = [f"V{number}" for number in range(1, 11)]


def renamed_by_first_row(raw: RawTable) -> SurveyTable:
    """Columns named by their row-1 id; row-2 labels and texts kept as aliases."""
    ids = unique_names(raw.header_rows[0])
    frame = raw.frame.copy()
    frame.columns = ids
    table = RawTable(
        raw.path, raw.header_rows[:1], frame, raw.first_row, raw.encoding, raw.delimiter, raw.malformed, raw.row_numbers
    )
    return SurveyTable(table, unique_aliases(list(zip(raw.header_rows[1], ids))))


def is_legacy_header(rows: list[list[str]]) -> bool:
    return (
        len(rows) >= 2
        and rows[0][: len(LEGACY_IDS)] == LEGACY_IDS
        and "ResponseID" in rows[1]
        and "ResponseSet" in rows[1]
    )


class QualtricsAdapter(SurveyAdapter):
    name = "qualtrics_csv"
    label = "Qualtrics CSV export"
    default_columns = {
        "response_id": "ResponseId",
        "person_ref": "ExternalReference",
        "email": "RecipientEmail",
        "recorded_at": "RecordedDate",
        "finished": "Finished",
        "progress": "Progress",
        "status": "Status",
    }
    date_format = QUALTRICS_DATES
    not_responses = NOT_RESPONSES

    def sniff(self, path: Path) -> bool:
        rows = head_rows(path, 3)
        return len(rows) == 3 and any(cell.startswith("{") and "ImportId" in cell for cell in rows[2])

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        raw = read_delimited(path, header_rows=3)
        if not any(cell.startswith("{") and "ImportId" in cell for cell in raw.header_rows[2]):
            legacy = is_legacy_header(raw.header_rows)
            raise InputError(
                "this does not look like a Qualtrics export: row 3 has no ImportId entries",
                file=path,
                row=3,
                hint="this is the legacy export: set format: qualtrics_legacy_csv"
                if legacy
                else "export from Qualtrics as CSV, or set the right format in assessment.yml",
            )
        return renamed_by_first_row(raw)


class QualtricsLegacyAdapter(SurveyAdapter):
    name = "qualtrics_legacy_csv"
    label = "Qualtrics legacy CSV export"
    default_columns = {
        "response_id": "ResponseID",
        "person_ref": "ExternalDataReference",
        "email": "EmailAddress",
        "recorded_at": "EndDate",
        "finished": "Finished",
        "status": "Status",
    }
    date_format = QUALTRICS_DATES
    not_responses = NOT_RESPONSES

    def sniff(self, path: Path) -> bool:
        return is_legacy_header(head_rows(path, 2))

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        raw = read_delimited(path, header_rows=2)
        if not is_legacy_header(raw.header_rows):
            raise InputError(
                "this does not look like a Qualtrics legacy export: row 1 does not start "
                "with V1..V10 and row 2 has no ResponseID / ResponseSet",
                file=path,
                row=1,
                hint="export with Qualtrics' legacy exporter, or set the right format in "
                "assessment.yml (qualtrics_csv for the current three-header-row export)",
            )
        return renamed_by_first_row(raw)

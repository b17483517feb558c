"""Qualtrics CSV export (current format: three header rows).

Row 1 holds column ids (``ResponseId``, ``Q1_1`` ...), row 2 the question
text, row 3 ``{"ImportId": ...}`` JSON.  Both the "choice text" and the
"numeric values" exports are read: an answer is either one of the scale
labels declared in assessment.yml or a number on the scale.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger, missing_column_error
from scalegap.ingest.likert import likert_scores
from scalegap.ingest.text import RawTable, read_delimited, unique_names
from scalegap.settings import ExportSettings, Settings, SurveySettings

#: Qualtrics response types that are not real responses (numeric and text exports)
NOT_RESPONSES = {"1", "2", "8", "9", "12", "17", "survey preview", "survey test", "spam", "preview spam",
                 "imported spam", "offline survey preview"}


class QualtricsAdapter(ExportAdapter):
    name = "qualtrics_csv"
    table = "survey"
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
    required_columns = ("response_id", "recorded_at")

    def sniff(self, path: Path) -> bool:
        try:
            head = path.read_bytes()[:8192].decode("utf-8-sig", errors="replace")
        except OSError:
            return False
        return '{""ImportId""' in head or '{"ImportId"' in head

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = self._read_three_header_rows(path)
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame({"response_id": values.text(frame[columns["response_id"]])})
        ledger.reject(table["response_id"].isna(), "response id is empty", columns["response_id"])
        table["recorded_at"] = self._recorded_at(frame, columns, export, ledger)
        table["person_ref"] = values.text(frame[columns["person_ref"]]) if "person_ref" in columns else None
        table["email"] = self._email(frame, columns)
        table["finished"], table["progress"] = self._completion(frame, columns)
        if "status" in columns:
            status = frame[columns["status"]].fillna("").astype(str).str.strip().str.lower()
            ledger.reject(status.isin(NOT_RESPONSES), "survey preview, test or spam response", columns["status"])
        for item in settings.survey.item_ids():
            table[item] = self._likert(frame, raw, item, settings.survey, ledger)
        for question in settings.survey.free_text:
            if question not in frame.columns:
                raise missing_column_error(question, raw.header, path,
                                           "fix the question id under survey.free_text in assessment.yml")
            table[question] = values.text(frame[question])
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _read_three_header_rows(path: Path) -> RawTable:
        raw = read_delimited(path, header_rows=3)
        if not any(cell.startswith("{") and "ImportId" in cell for cell in raw.header_rows[2]):
            raise InputError("this does not look like a Qualtrics export: row 3 has no ImportId entries",
                             file=path, row=3,
                             hint="export from Qualtrics as CSV (not the legacy format), or set the format")
        frame = raw.frame.copy()
        frame.columns = unique_names(raw.header_rows[0])
        return RawTable(raw.path, raw.header_rows[:1], frame, raw.first_row, raw.encoding, raw.delimiter,
                        raw.malformed)

    @staticmethod
    def _recorded_at(frame: pd.DataFrame, columns: dict[str, str], export: ExportSettings,
                     ledger: RowLedger) -> pd.Series:
        column = columns["recorded_at"]
        parsed, bad = values.dates(frame[column], export.date_format or "%Y-%m-%d %H:%M:%S")
        ledger.reject(bad, "value is not a date like 2026-03-02 14:05:00", column)
        return parsed

    @staticmethod
    def _email(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
        if "email" not in columns:
            return pd.Series([None] * len(frame), dtype="object")
        parsed, _ = values.email(frame[columns["email"]])
        return parsed

    @staticmethod
    def _completion(frame: pd.DataFrame, columns: dict[str, str]) -> tuple[pd.Series, pd.Series]:
        finished = (values.flag(frame[columns["finished"]])[0] if "finished" in columns
                    else pd.Series(True, index=frame.index))
        progress = (values.number(frame[columns["progress"]])[0] if "progress" in columns
                    else pd.Series(float("nan"), index=frame.index))
        return finished, progress

    @staticmethod
    def _likert(frame: pd.DataFrame, raw: RawTable, item: str, survey: SurveySettings,
                ledger: RowLedger) -> pd.Series:
        if item not in frame.columns:
            raise missing_column_error(item, raw.header, raw.path,
                                       "fix the item id under survey.constructs in assessment.yml")
        return likert_scores(frame[item], survey, ledger, item)

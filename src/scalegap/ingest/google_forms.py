"""Google Forms responses, as downloaded from Forms (CSV) or from the linked Sheet (CSV or XLSX).

One header row: ``Timestamp``, then ``Email Address`` (older forms) or ``Email
address`` when the form collects addresses (``Score`` in quizzes), then one column per
question headed by its full text.  Grid questions have one column per row, headed
``Question [Row]``; checkbox answers are joined with ``", "`` in one cell.  Map each
item to its header, e.g. ``columns: {Q1_1: "How much do you agree? [It improves my work]"}``.

The timestamp depends on where it was downloaded and the locale: Forms' own CSV
writes ``2026/03/02 10:15:32 AM GMT+1`` (the offset is applied: times become UTC, as
everywhere in scalegap), a Sheet ``3/2/2026 10:15:32`` or ``02/03/2026 10:15:32``
(local time of the Sheet; the day/month order is decided from the data, or set
``date_format``).

Google Forms keeps no response id: each response gets ``GF-<row>``, the row number a
spreadsheet shows for it (``GF-2`` for the first response), so ids are stable as long
as the file's rows are not re-sorted or deleted.  Map ``response_id`` to a column if
the Sheet has one.  Only submitted responses are recorded, so every row is finished.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.ingest import values
from scalegap.ingest.base import RowLedger
from scalegap.ingest.survey_common import SurveyAdapter, SurveyTable, head_rows, starts_with
from scalegap.ingest.text import RawTable, read_any
from scalegap.settings import ExportSettings

#: how Forms' own download writes the timestamp (after the GMT offset is split off)
FORMS_DOWNLOAD_FORMATS = ("%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S")
GMT_OFFSET = r"^(?P<stamp>.*?)\s*(?:GMT|UTC)(?:(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?\s*$"


def split_gmt_offset(stamps: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(stamp without its ``GMT+1`` suffix, offset east of UTC) per value; no suffix: offset 0."""
    text = stamps.fillna("").astype(str).str.strip()
    parts = text.str.extract(GMT_OFFSET)
    has_offset = parts["stamp"].notna()
    sign = np.where(parts["sign"].eq("-"), -1, 1)
    hours = pd.to_numeric(parts["hours"], errors="coerce").fillna(0)
    minutes = pd.to_numeric(parts["minutes"], errors="coerce").fillna(0)
    offset = pd.to_timedelta(sign * (hours * 60 + minutes), unit="min").where(has_offset, pd.Timedelta(0))
    return parts["stamp"].where(has_offset, text), offset


class GoogleFormsAdapter(SurveyAdapter):
    name = "google_forms"
    label = "Google Forms responses (CSV or XLSX)"
    default_columns = {"recorded_at": "Timestamp", "email": "Email Address"}
    required_columns = ("recorded_at",)
    only_submitted = True

    def sniff(self, path: Path) -> bool:
        rows = head_rows(path, 1)
        return bool(rows) and starts_with(rows[0], ["Timestamp"])

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        return SurveyTable(read_any(path, export.sheet, header_rows=1))

    def response_ids(self, raw: RawTable, columns: dict[str, str], ledger: RowLedger) -> pd.Series:
        if "response_id" in columns:
            return super().response_ids(raw, columns, ledger)
        rows = np.arange(len(raw.frame)) + raw.first_row
        return pd.Series([f"GF-{row}" for row in rows], dtype="object")

    def parse_recorded_at(
        self, answers: pd.Series, export: ExportSettings, notes: list[str]
    ) -> tuple[pd.Series, pd.Series]:
        stamps, offset = split_gmt_offset(answers)
        formats = (export.date_format,) if export.date_format else FORMS_DOWNLOAD_FORMATS
        candidates: list[tuple[pd.Series, pd.Series, list[str]]] = [(*values.dates(stamps, fmt), []) for fmt in formats]
        if not export.date_format:
            decided_notes: list[str] = []
            candidates.append((*values.dates(stamps, None, decided_notes), decided_notes))
        parsed, bad, chosen_notes = min(candidates, key=lambda candidate: int(candidate[1].sum()))
        notes.extend(chosen_notes)
        return (parsed - offset).astype("datetime64[ns]"), bad

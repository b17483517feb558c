"""Generic AI-usage telemetry: one row per person per active day (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings


class UsageDailyAdapter(ExportAdapter):
    name = "usage_daily"
    table = "usage"
    label = "per-person-per-day usage CSV"
    default_columns = {
        "person_id": "person_id",
        "email": "email",
        "date": "date",
        "interactions": "interactions",
        "active_minutes": "active_minutes",
    }
    required_columns = ("date",)

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        columns = self.column_map(raw.header, export, path)
        if "person_id" not in columns and "email" not in columns:
            raise InputError("neither a person id nor an e-mail column is present", file=path,
                             hint="map one of them in assessment.yml under columns: {person_id: ..} or {email: ..}")
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame(index=frame.index)
        table["person_id"] = values.text(frame[columns["person_id"]]) if "person_id" in columns else None
        if "email" in columns:
            table["email"], bad = values.email(frame[columns["email"]])
            ledger.reject(bad, "value is not an e-mail address", columns["email"])
        else:
            table["email"] = None
        ledger.reject(table["person_id"].isna() & table["email"].isna(), "no person id or e-mail",
                      columns.get("person_id", columns.get("email")))
        table["date"], bad = values.dates(frame[columns["date"]], export.date_format, ledger.notes)
        ledger.reject(bad, "value is not a date", columns["date"])
        ledger.reject(table["date"].isna(), "date is empty", columns["date"])
        for measure in ("interactions", "active_minutes"):
            table[measure] = self._count(frame, columns, measure, ledger)
        table["source"] = self.name
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _count(frame: pd.DataFrame, columns: dict[str, str], measure: str, ledger: RowLedger) -> pd.Series:
        if measure not in columns:
            return pd.Series(float("nan"), index=frame.index)
        column = columns[measure]
        parsed, bad = values.number(frame[column])
        ledger.reject(bad, "value is not a number", column)
        ledger.reject(parsed < 0, f"{measure} is negative", column)
        return parsed

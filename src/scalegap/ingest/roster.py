"""HR roster: one row per employee, CSV or XLSX, columns mapped in assessment.yml."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings


class RosterAdapter(ExportAdapter):
    name = "roster"
    table = "roster"
    label = "HR roster (CSV or XLSX)"
    default_columns = {
        "person_id": "Employee ID",
        "email": "Email",
        "login": "Login",
        "department": "Department",
        "role": "Role",
        "location": "Location",
        "team": "Team",
        "hire_date": "Hire Date",
        "in_pilot": "Pilot",
        "volunteered": "Volunteered",
    }
    required_columns = ("person_id", "department", "in_pilot")

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        person_id = values.text(frame[columns["person_id"]])
        ledger.reject(person_id.isna(), "employee ID is empty", columns["person_id"])
        duplicate = person_id.notna() & person_id.duplicated(keep="first")
        ledger.reject(duplicate, "employee ID repeats an earlier row (the first is kept)", columns["person_id"])
        department = values.text(frame[columns["department"]])
        ledger.reject(department.isna(), "department is empty", columns["department"])
        in_pilot, bad_pilot = values.flag(frame[columns["in_pilot"]])
        ledger.reject(bad_pilot, "value is not a yes/no value", columns["in_pilot"])
        table = pd.DataFrame({"person_id": person_id, "department": department, "in_pilot": in_pilot})
        table["email"] = self._email(frame, columns, ledger)
        table["login"] = (values.text(frame[columns["login"]]).str.lower() if "login" in columns
                          else pd.Series([None] * len(frame), dtype="object"))
        for optional in ("role", "location", "team"):
            table[optional] = values.text(frame[columns[optional]]) if optional in columns else None
        table["hire_date"] = self._hire_date(frame, columns, export, ledger)
        table["volunteered"] = self._volunteered(frame, columns, ledger)
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _email(frame: pd.DataFrame, columns: dict[str, str], ledger: RowLedger) -> pd.Series:
        if "email" not in columns:
            return pd.Series([None] * len(frame), dtype="object")
        parsed, bad = values.email(frame[columns["email"]])
        ledger.reject(bad, "value is not an e-mail address", columns["email"])
        return parsed

    @staticmethod
    def _hire_date(frame: pd.DataFrame, columns: dict[str, str], export: ExportSettings,
                   ledger: RowLedger) -> pd.Series:
        if "hire_date" not in columns:
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        parsed, bad = values.dates(frame[columns["hire_date"]], export.date_format, ledger.notes)
        what = f"a date in the format {export.date_format}" if export.date_format else "an ISO date"
        ledger.reject(bad, f"value is not {what}", columns["hire_date"])
        return parsed

    @staticmethod
    def _volunteered(frame: pd.DataFrame, columns: dict[str, str], ledger: RowLedger) -> pd.Series:
        if "volunteered" not in columns:
            return pd.Series([pd.NA] * len(frame), dtype="boolean")
        parsed, bad = values.flag(frame[columns["volunteered"]])
        ledger.reject(bad, "value is not a yes/no value", columns["volunteered"])
        return parsed.astype("boolean")

"""HR roster: one row per employee, CSV or XLSX, columns mapped in assessment.yml."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.mapped import MappedColumns
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
        "name": "Name",
        "given_name": "First Name",
        "family_name": "Last Name",
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
        ledger = RowLedger.of(raw)
        cells = MappedColumns(
            raw.frame, self.column_map(raw.header, export, path, raw.frame), ledger, self.table, export
        )
        person_id = cells.require(cells.text("person_id"), "person_id", "employee ID is empty")
        ledger.reject(
            person_id.notna() & person_id.duplicated(keep="first"),
            "employee ID repeats an earlier row (the first is kept)",
            cells.columns["person_id"],
        )
        table = pd.DataFrame(
            {
                "person_id": person_id,
                "department": cells.require(cells.text("department"), "department", "department is empty"),
                "in_pilot": cells.flag("in_pilot").fillna(False).astype(bool),
                "email": cells.email(),
                "login": cells.text("login", lower=True),
                "name": full_names(cells),
                "given_name": cells.text("given_name"),
                "family_name": cells.text("family_name"),
                "role": cells.text("role"),
                "location": cells.text("location"),
                "team": cells.text("team"),
                "hire_date": cells.date("hire_date", export.date_format),
                "volunteered": cells.flag("volunteered"),
            }
        )
        return ledger.result(self.table, path, self.name, table)


def full_names(cells: MappedColumns) -> pd.Series:
    """The name column, else given and family name joined (used to link people named by display name)."""
    name = cells.text("name")
    joined = (cells.text("given_name").fillna("") + " " + cells.text("family_name").fillna("")).str.strip()
    return name.fillna(joined.where(joined.ne(""), None)).astype("object")

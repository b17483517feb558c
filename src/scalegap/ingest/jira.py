"""Jira CSV export (Jira Cloud / Data Center "Export Excel CSV (all fields)").

Quirks handled: multi-value fields (``Labels``, ``Component/s``) appear as
repeated columns with the same name; dates use Jira's default
``dd/MMM/yy h:mm a`` (``24/Mar/26 9:15 AM``); custom fields are named
``Custom field (Name)``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import RawTable, read_any
from scalegap.settings import ExportSettings, Settings

JIRA_DATE_FORMAT = "%d/%b/%y %I:%M %p"
CHANNELS = ("build_team", "service_desk", "other")


class JiraAdapter(ExportAdapter):
    name = "jira_csv"
    table = "tickets"
    label = "Jira CSV export"
    default_columns = {
        "ticket_id": "Issue key",
        "person_id": "Reporter",
        "created_at": "Created",
        "first_response_at": "Custom field (First response)",
        "resolved_at": "Resolved",
        "status": "Status",
        "priority": "Priority",
        "category": "Issue Type",
        "channel": "Custom field (Request channel)",
    }
    required_columns = ("ticket_id", "created_at")

    def sniff(self, path: Path) -> bool:
        try:
            head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
        except OSError:
            return False
        return "Issue key" in head and "Issue id" in head

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame({"ticket_id": values.text(frame[columns["ticket_id"]])})
        ledger.reject(table["ticket_id"].isna(), "issue key is empty", columns["ticket_id"])
        for label in ("person_id", "status", "priority", "category"):
            table[label] = values.text(frame[columns[label]]) if label in columns else None
        fmt = export.date_format or JIRA_DATE_FORMAT
        for stamp in ("created_at", "first_response_at", "resolved_at"):
            table[stamp] = self._stamp(frame, columns, stamp, fmt, ledger)
        ledger.reject(table["created_at"].isna(), "created date is empty", columns["created_at"])
        late = table["resolved_at"] < table["created_at"]
        ledger.reject(late, "resolved before it was created", columns.get("resolved_at"))
        table["channel"], unmapped = self._channel(frame, columns, export)
        table["labels"] = multi_value(raw, "Labels")
        table["components"] = multi_value(raw, "Component/s")
        warnings = (f"channel values not mapped in assessment.yml, counted as 'other': {', '.join(unmapped)}",) \
            if unmapped else ()
        return ledger.result(self.table, path, self.name, table, warnings)

    @staticmethod
    def _stamp(frame: pd.DataFrame, columns: dict[str, str], stamp: str, fmt: str,
               ledger: RowLedger) -> pd.Series:
        if stamp not in columns:
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        parsed, bad = values.dates(frame[columns[stamp]], fmt)
        ledger.reject(bad, "value is not a Jira date like 24/Mar/26 9:15 AM", columns[stamp])
        return parsed

    @staticmethod
    def _channel(frame: pd.DataFrame, columns: dict[str, str],
                 export: ExportSettings) -> tuple[pd.Series, list[str]]:
        if "channel" not in columns:
            return pd.Series("other", index=frame.index, dtype="object"), []
        raw_values = values.text(frame[columns["channel"]]).fillna("")
        mapping = {key.strip().lower(): value for key, value in export.values.get("channel", {}).items()}
        mapped = raw_values.str.lower().map(mapping)
        unmapped = sorted(set(raw_values[mapped.isna() & raw_values.ne("")]))
        return mapped.fillna("other").astype("object"), unmapped


def multi_value(raw: RawTable, name: str) -> pd.Series:
    """Join a Jira multi-value field's repeated columns into one ``a; b`` cell."""
    repeated = [column for column, header in zip(raw.frame.columns, raw.header) if header == name]
    if not repeated:
        return pd.Series([None] * len(raw.frame), dtype="object")
    cells = raw.frame[repeated].fillna("").astype(str).apply(lambda col: col.str.strip())
    joined = cells.apply(lambda row: "; ".join(value for value in row if value), axis=1)
    return joined.where(joined.ne(""), None).astype("object")

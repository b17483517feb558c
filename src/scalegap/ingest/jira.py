"""Jira CSV export (Jira Cloud / Data Center "Export Excel CSV (all fields)").

Quirks handled: multi-value fields (``Labels``, ``Component/s``) appear as
repeated columns with the same name; dates use Jira's default
``dd/MMM/yy h:mm a`` (``24/Mar/26 9:15 AM``); custom fields are named
``Custom field (Name)``.  The request channel, the date checks and the
warning about unmapped channel values are shared with the other ticket
adapters (:mod:`scalegap.ingest.tickets_common`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.ingest import tickets_common as tickets
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import RawTable, read_any
from scalegap.settings import ExportSettings, Settings

JIRA_DATE_FORMAT = "%d/%b/%y %I:%M %p"


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
        reason = None if export.date_format else "value is not a Jira date like 24/Mar/26 9:15 AM"
        stamps = tickets.timestamps(frame, columns, tickets.TIMESTAMPS, ledger, fmt, reason)
        for stamp, parsed in stamps.items():
            table[stamp] = parsed
        ledger.reject(table["created_at"].isna(), "created date is empty", columns["created_at"])
        tickets.reject_out_of_order(table, columns, ledger)
        table["channel"], unmapped = tickets.channels(frame, columns, export)
        table["labels"] = multi_value(raw, "Labels")
        table["components"] = multi_value(raw, "Component/s")
        warnings = tickets.channel_warnings(unmapped, columns.get("channel"))
        return ledger.result(self.table, path, self.name, table, warnings)


def multi_value(raw: RawTable, name: str) -> pd.Series:
    """Join a Jira multi-value field's repeated columns into one ``a; b`` cell."""
    repeated = [column for column, header in zip(raw.frame.columns, raw.header) if header == name]
    if not repeated or raw.frame.empty:  # (apply on no rows gives a frame, not a column)
        return pd.Series([None] * len(raw.frame), dtype="object")
    cells = raw.frame[repeated].fillna("").astype(str).apply(lambda col: col.str.strip())
    joined = cells.apply(lambda row: "; ".join(value for value in row if value), axis=1)
    return joined.where(joined.ne(""), None).astype("object")

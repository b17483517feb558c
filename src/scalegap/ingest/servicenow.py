"""ServiceNow incident list export (List > Export > CSV, or Excel .xlsx).

Quirks handled:

* Headers are field names (``number, opened_at, caller_id``) in a CSV export
  and field labels (``Number, Opened, Caller``) in an Excel export or when
  ``glide.export.csv.column_header_label`` is set: both are recognised.
* Values are display values by default: priority ``1 - Critical``, state
  ``Resolved``, caller and assignment group as names.  A raw-value export
  gives numbers and sys_ids instead; they are kept as given.
* Dates are in the exporting user's personal format and time zone
  (``2026-03-24 09:15:00``, ``24-03-2026 09:15:00``, ``03/24/2026 09:15:00 AM``):
  the day/month order is decided once per file unless ``date_format`` is set.
* The creation time is ``opened_at`` (``sys_created_on`` when that is not
  exported); the resolution time is ``resolved_at`` (``closed_at`` when that
  is not exported).  First response is rarely exported: it is used only when
  mapped under ``columns: {first_response_at: ...}``.
* The requester is ``caller_id``, a display name by default, linked to the
  roster's names where exactly one person has it.  A dot-walked column
  (``caller_id.employee_number``, ``caller_id.email``, ``caller_id.user_name``)
  is used instead when the list has one, since it links everyone.
* Exports stop at the instance's export limit (10,000 rows by default): a file
  with exactly that many rows gets a warning.  An Excel export cut at its cell
  limit ends with the row "Export stopped due to excessive size" and is refused.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.errors import InputError
from scalegap.ingest import tickets_common as tickets
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import RawTable, read_any
from scalegap.settings import ExportSettings, Settings

DEFAULT_EXPORT_LIMIT = 10_000
TRUNCATED_MARK = "export stopped due to excessive size"
SNIFF_FIELDS = {"opened_at", "caller_id", "assignment_group", "sys_created_on", "incident_state"}
SNIFF_LABELS = {"opened", "caller", "assignment group", "incident state"}


class ServiceNowAdapter(ExportAdapter):
    name = "servicenow_csv"
    table = "tickets"
    label = "ServiceNow incident export (CSV or XLSX)"
    #: field name first, then the label an Excel export uses
    candidates: tickets.Candidates = {
        "ticket_id": ("number", "Number"),
        # a dot-walked employee number or e-mail links best; the caller's display name links when unique
        "person_id": (
            "caller_id.employee_number",
            "Caller.Employee number",
            "caller_id.email",
            "Caller.Email",
            "caller_id.user_name",
            "Caller.User ID",
            "caller_id",
            "Caller",
        ),
        "created_at": ("opened_at", "Opened", "sys_created_on", "Created"),
        "resolved_at": ("resolved_at", "Resolved", "closed_at", "Closed"),
        "status": ("state", "State", "incident_state", "Incident state"),
        "priority": ("priority", "Priority"),
        "category": ("category", "Category"),
        "channel": ("assignment_group", "Assignment group"),
        "reopen_count": ("reopen_count", "Reopen count"),
    }
    default_columns = {field: names[0] for field, names in candidates.items()}
    required_columns = ("ticket_id", "created_at")

    def sniff(self, path: Path) -> bool:
        names = tickets.header_names(path)
        return "number" in names and bool(names & (SNIFF_FIELDS | SNIFF_LABELS))

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        refuse_truncated_workbook(raw)
        columns = tickets.find_columns(
            list(raw.frame.columns), self.candidates, export, path, self.required_columns, self.label
        )
        ledger = RowLedger.of(raw)
        table, warnings = tickets.common_fields(raw.frame, columns, export, ledger)
        tickets.reject_out_of_order(table, columns, ledger)
        if len(raw.frame) == DEFAULT_EXPORT_LIMIT:
            warnings += (
                f"the export has exactly {DEFAULT_EXPORT_LIMIT:,} rows, ServiceNow's default export "
                "limit: it may be cut short — export in date ranges and list the files with a glob",
            )
        return ledger.result(self.table, path, self.name, table, warnings)


def refuse_truncated_workbook(raw: RawTable) -> None:
    """ServiceNow ends an Excel export cut at its cell limit with a message row."""
    if not len(raw.frame):
        return
    last = " ".join(str(cell) for cell in raw.frame.iloc[-1]).lower()
    if TRUNCATED_MARK in last:
        raise InputError(
            "ServiceNow stopped this Excel export before the end (too many cells)",
            file=raw.path,
            row=raw.first_row + len(raw.frame) - 1,
            hint="export the list as CSV instead",
        )

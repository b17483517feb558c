"""Generic ticket list, CSV or XLSX: one header row, one ticket per row.

For help desks without an adapter of their own.  Columns are found under the
canonical names (``ticket_id``, ``created_at`` …, compared without regard to
case) or under the headers mapped in assessment.yml; ``ticket_id`` and
``created_at`` are required.  Dates are ISO 8601 or day/month-ordered dates
whose order is decided once per file, unless ``date_format`` is set; Excel
date cells are read as ISO text.  ``labels`` and ``components`` may hold
several values separated by ``;``, ``,`` or ``|``.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.ingest import tickets_common as tickets
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings

LIST_SEPARATORS = r"[;,|]"


class GenericTicketsAdapter(ExportAdapter):
    name = "tickets_generic"
    table = "tickets"
    label = "generic ticket list (CSV or XLSX)"
    candidates: tickets.Candidates = {field: (field,) for field in tickets.TICKET_FIELDS}
    default_columns = {field: field for field in tickets.TICKET_FIELDS}
    required_columns = ("ticket_id", "created_at")

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        columns = tickets.find_columns(
            list(raw.frame.columns), self.candidates, export, path, self.required_columns, self.label
        )
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table, warnings = tickets.common_fields(frame, columns, export, ledger)
        for field in ("labels", "components"):
            table[field] = tickets.split_list(frame[columns[field]], LIST_SEPARATORS) if field in columns else None
        tickets.reject_out_of_order(table, columns, ledger)
        return ledger.result(self.table, path, self.name, table, warnings)

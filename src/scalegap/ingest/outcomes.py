"""Task-level outcome records (CSV or XLSX): minutes taken and/or a quality score per task.

Each record is tiered by data quality.  Where the export has a record-quality
column, it is mapped as ``data_tier`` and its values through ``values:``
(``{ok: clean, partial: messy, scanned: messy}``; a blank cell is ``unknown``).
Otherwise the tier is *clean* when the record completeness is at least
``outcomes.clean_completeness_threshold`` and it carries no exception flag,
*messy* if not, and ``unknown`` when the export has neither field.

The optional ``configuration`` (the prompt or workflow variant the task was done
with) is read from a column named in ``columns:``, else from the first header
among ``CONFIGURATION_HEADERS`` (compared without case, spaces or hyphens).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.mapped import MappedColumns
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings

CONFIGURATION_HEADERS = (
    "configuration",
    "config",
    "prompt_version",
    "prompt_pack",
    "prompt_variant",
    "workflow_variant",
    "workflow_version",
)


class OutcomeRecordsAdapter(ExportAdapter):
    name = "outcome_records"
    table = "outcomes"
    label = "task-level outcome records"
    default_columns = {
        "record_id": "record_id",
        "person_id": "person_id",
        "team": "team",
        "task_type": "task_type",
        "configuration": "configuration",
        "completed_on": "completed_on",
        "assisted": "assisted",
        "minutes_taken": "minutes_taken",
        "quality_score": "quality_score",
        "record_completeness": "record_completeness",
        "exception_flag": "exception_flag",
        "data_tier": "data_tier",
    }
    required_columns = ("person_id", "assisted")

    def column_map(
        self, header: list[str], export: ExportSettings, path: Path, sample: pd.DataFrame | None = None
    ) -> dict[str, str]:
        """The base mapping, plus the configuration column under one of its usual names when not mapped."""
        present = super().column_map(header, export, path, sample)
        if "configuration" not in present and "configuration" not in export.columns:
            by_key = {header_key(column): column for column in reversed(header)}
            found = next((by_key[name] for name in CONFIGURATION_HEADERS if name in by_key), None)
            if found is not None:
                present["configuration"] = found
        return present

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        ledger = RowLedger.of(raw)
        cells = MappedColumns(
            raw.frame, self.column_map(raw.header, export, path, raw.frame), ledger, self.table, export
        )
        record_id = cells.text("record_id")
        ledger.reject(
            record_id.notna() & record_id.duplicated(keep="first"),
            "record id repeats an earlier row (the first is kept)",
            cells.columns.get("record_id"),
        )
        table = pd.DataFrame(
            {
                "record_id": record_id,
                "person_id": cells.require(cells.text("person_id"), "person_id", "person id is empty"),
                "team": cells.text("team"),
                "task_type": cells.text("task_type"),
                "configuration": cells.text("configuration"),
                "assisted": cells.flag("assisted").fillna(False).astype(bool),
                "completed_on": cells.date("completed_on", export.date_format),
                "minutes_taken": cells.number("minutes_taken", non_negative=True),
                "quality_score": cells.number("quality_score"),
                "record_completeness": cells.number("record_completeness"),
                "exception_flag": cells.flag("exception_flag", "0/1 or yes/no"),
            }
        )
        completeness = table["record_completeness"]
        ledger.reject(
            ~completeness.between(0, 1) & completeness.notna(),
            "record completeness is outside 0..1",
            cells.columns.get("record_completeness"),
        )
        ledger.reject(
            table["minutes_taken"].isna() & table["quality_score"].isna(),
            "neither minutes taken nor a quality score",
            cells.columns.get("minutes_taken"),
        )
        tiers = data_tier(table, settings.outcomes.clean_completeness_threshold)
        if cells.has("data_tier"):  # a record-quality column, mapped to clean / messy under values:
            tiers = cells.category("data_tier", "a data tier (clean, messy or unknown)").fillna("unknown")
        table["data_tier"] = tiers
        return ledger.result(self.table, path, self.name, table)


def header_key(column: str) -> str:
    """A header compared without case, surrounding spaces, inner spaces or hyphens: ``Prompt Version``
    -> ``prompt_version``."""
    return "_".join(str(column).strip().lower().replace("-", " ").replace("_", " ").split())


def data_tier(table: pd.DataFrame, threshold: float) -> pd.Series:
    completeness = table["record_completeness"]
    exception = table["exception_flag"].fillna(False).astype(bool)
    known = completeness.notna() | table["exception_flag"].notna()
    messy = (completeness < threshold).fillna(False) | exception
    return pd.Series(np.where(~known, "unknown", np.where(messy, "messy", "clean")), index=table.index)

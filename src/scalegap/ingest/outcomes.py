"""Task-level outcome records (CSV or XLSX): minutes taken and/or a quality score per task.

Each record is tiered by data quality: *clean* when its record completeness is
at least ``outcomes.clean_completeness_threshold`` and it carries no exception
flag, otherwise *messy*; ``unknown`` when the export has neither field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.mapped import MappedColumns
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings


class OutcomeRecordsAdapter(ExportAdapter):
    name = "outcome_records"
    table = "outcomes"
    label = "task-level outcome records"
    default_columns = {
        "record_id": "record_id",
        "person_id": "person_id",
        "team": "team",
        "task_type": "task_type",
        "completed_on": "completed_on",
        "assisted": "assisted",
        "minutes_taken": "minutes_taken",
        "quality_score": "quality_score",
        "record_completeness": "record_completeness",
        "exception_flag": "exception_flag",
    }
    required_columns = ("person_id", "assisted")

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_any(path, export.sheet)
        ledger = RowLedger.of(raw)
        cells = MappedColumns(raw.frame, self.column_map(raw.header, export, path), ledger)
        table = pd.DataFrame({
            "record_id": cells.text("record_id"),
            "person_id": cells.require(cells.text("person_id"), "person_id", "person id is empty"),
            "team": cells.text("team"),
            "task_type": cells.text("task_type"),
            "assisted": cells.flag("assisted").fillna(False).astype(bool),
            "completed_on": cells.date("completed_on", export.date_format),
            "minutes_taken": cells.number("minutes_taken", non_negative=True),
            "quality_score": cells.number("quality_score"),
            "record_completeness": cells.number("record_completeness"),
            "exception_flag": cells.flag("exception_flag", "0/1 or yes/no"),
        })
        completeness = table["record_completeness"]
        ledger.reject(~completeness.between(0, 1) & completeness.notna(),
                      "record completeness is outside 0..1", cells.columns.get("record_completeness"))
        ledger.reject(table["minutes_taken"].isna() & table["quality_score"].isna(),
                      "neither minutes taken nor a quality score", cells.columns.get("minutes_taken"))
        table["data_tier"] = data_tier(table, settings.outcomes.clean_completeness_threshold)
        return ledger.result(self.table, path, self.name, table)


def data_tier(table: pd.DataFrame, threshold: float) -> pd.Series:
    completeness = table["record_completeness"]
    exception = table["exception_flag"].fillna(False).astype(bool)
    known = completeness.notna() | table["exception_flag"].notna()
    messy = (completeness < threshold).fillna(False) | exception
    return pd.Series(np.where(~known, "unknown", np.where(messy, "messy", "clean")), index=table.index)

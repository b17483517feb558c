"""Task-level outcome records (CSV or XLSX): minutes taken and/or a quality score per task.

Each record is tiered by data quality: *clean* when its record completeness is
at least ``outcomes.clean_completeness_threshold`` and it carries no exception
flag, otherwise *messy*; ``unknown`` when the export has neither field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
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
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame(index=frame.index)
        for label in ("record_id", "person_id", "team", "task_type"):
            table[label] = values.text(frame[columns[label]]) if label in columns else None
        ledger.reject(table["person_id"].isna(), "person id is empty", columns["person_id"])
        table["assisted"], bad = values.flag(frame[columns["assisted"]])
        ledger.reject(bad, "value is not a yes/no value", columns["assisted"])
        table["completed_on"] = self._date(frame, columns, export, ledger)
        for measure in ("minutes_taken", "quality_score", "record_completeness"):
            table[measure] = self._measure(frame, columns, measure, ledger)
        ledger.reject(table["minutes_taken"] < 0, "minutes taken is negative", columns.get("minutes_taken"))
        ledger.reject(~table["record_completeness"].between(0, 1) & table["record_completeness"].notna(),
                      "record completeness is outside 0..1", columns.get("record_completeness"))
        ledger.reject(table["minutes_taken"].isna() & table["quality_score"].isna(),
                      "neither minutes taken nor a quality score", columns.get("minutes_taken"))
        table["exception_flag"] = self._exception(frame, columns, ledger)
        table["data_tier"] = data_tier(table, settings.outcomes.clean_completeness_threshold)
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _date(frame: pd.DataFrame, columns: dict[str, str], export: ExportSettings,
              ledger: RowLedger) -> pd.Series:
        if "completed_on" not in columns:
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        parsed, bad = values.dates(frame[columns["completed_on"]], export.date_format, ledger.notes)
        ledger.reject(bad, "value is not a date", columns["completed_on"])
        return parsed

    @staticmethod
    def _measure(frame: pd.DataFrame, columns: dict[str, str], measure: str, ledger: RowLedger) -> pd.Series:
        if measure not in columns:
            return pd.Series(float("nan"), index=frame.index)
        parsed, bad = values.number(frame[columns[measure]])
        ledger.reject(bad, "value is not a number", columns[measure])
        return parsed

    @staticmethod
    def _exception(frame: pd.DataFrame, columns: dict[str, str], ledger: RowLedger) -> pd.Series:
        if "exception_flag" not in columns:
            return pd.Series([pd.NA] * len(frame), dtype="boolean")
        parsed, bad = values.flag(frame[columns["exception_flag"]])
        ledger.reject(bad, "value is not 0/1 or yes/no", columns["exception_flag"])
        return parsed.astype("boolean")


def data_tier(table: pd.DataFrame, threshold: float) -> pd.Series:
    completeness = table["record_completeness"]
    exception = table["exception_flag"].fillna(False).astype(bool)
    known = completeness.notna() | table["exception_flag"].notna()
    messy = (completeness < threshold).fillna(False) | exception
    return pd.Series(np.where(~known, "unknown", np.where(messy, "messy", "clean")), index=table.index)

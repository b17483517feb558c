"""Reading the mapped columns of one export: parse each into its canonical type, reject what does not parse.

Adapters say *which* canonical column to read and *what* it should hold;
this class does the parsing and the rejection bookkeeping the same way for
every format.  A canonical column the file does not have comes back all
missing (the schema says which columns are optional).
"""

from __future__ import annotations

import pandas as pd

from scalegap.canonical import field_of
from scalegap.ingest import values, vocabulary
from scalegap.ingest.base import RowLedger
from scalegap.settings import ExportSettings


class MappedColumns:
    """The mapped columns of one file of ``table``; ``export`` brings the ``values:`` mappings of its fields."""

    def __init__(
        self, frame: pd.DataFrame, columns: dict[str, str], ledger: RowLedger, table: str, export: ExportSettings
    ) -> None:
        self.frame = frame
        self.columns = columns
        self.ledger = ledger
        self.table = table
        self.export = export

    def has(self, name: str) -> bool:
        return name in self.columns

    def raw(self, name: str) -> pd.Series:
        return self.frame[self.columns[name]]

    def text(self, name: str, lower: bool = False) -> pd.Series:
        if not self.has(name):
            return pd.Series([None] * len(self.frame), dtype="object")
        parsed = values.text(self.raw(name))
        return parsed.map(lambda value: value.lower() if isinstance(value, str) else value) if lower else parsed

    def email(self, name: str = "email") -> pd.Series:
        if not self.has(name):
            return pd.Series([None] * len(self.frame), dtype="object")
        parsed, bad = values.email(self.raw(name))
        self.ledger.reject(bad, "value is not an e-mail address", self.columns[name])
        return parsed

    def flag(self, name: str, what: str = "a yes/no value") -> pd.Series:
        if not self.has(name):
            return pd.Series([pd.NA] * len(self.frame), dtype="boolean")
        parsed, bad = values.flag(self.raw(name), vocabulary.value_map(self.table, name, self.export))
        self.ledger.reject(bad, f"value is not {what}", self.columns[name])
        self._note_unmapped(name, bad)
        return parsed.astype("boolean")

    def category(self, name: str, what: str) -> pd.Series:
        """A category field (``data_tier``, ``channel`` ...) through its ``values:`` mapping; others rejected."""
        if not self.has(name):
            return pd.Series([None] * len(self.frame), dtype="object")
        column = field_of(self.table, name)
        accepted = column.accepted if column is not None else ()
        parsed, bad = vocabulary.read_categories(
            self.raw(name), vocabulary.value_map(self.table, name, self.export), accepted
        )
        self.ledger.reject(bad, f"value is not {what}", self.columns[name])
        self._note_unmapped(name, bad)
        return parsed

    def _note_unmapped(self, name: str, bad: pd.Series) -> None:
        if bad.any():
            self.ledger.notes.append(
                vocabulary.unmapped_values_note(self.table, name, self.columns[name], self.raw(name), bad)
            )

    def number(self, name: str, non_negative: bool = False) -> pd.Series:
        if not self.has(name):
            return pd.Series(float("nan"), index=self.frame.index)
        parsed, bad = values.number(self.raw(name))
        self.ledger.reject(bad, "value is not a number", self.columns[name])
        if non_negative:
            self.ledger.reject(parsed < 0, f"{name.replace('_', ' ')} is negative", self.columns[name])
        return parsed

    def date(self, name: str, fmt: str | None = None, what: str | None = None) -> pd.Series:
        if not self.has(name):
            return pd.Series(pd.NaT, index=self.frame.index, dtype="datetime64[ns]")
        parsed, bad = values.dates(self.raw(name), fmt, self.ledger.notes)
        described = what or (f"a date in the format {fmt}" if fmt else "a date")
        self.ledger.reject(bad, f"value is not {described}", self.columns[name])
        return parsed

    def require(self, series: pd.Series, name: str, reason: str) -> pd.Series:
        """Reject rows where ``series`` (a required value) is missing."""
        self.ledger.reject(series.isna(), reason, self.columns.get(name))
        return series

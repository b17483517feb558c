"""The small base every export adapter builds on.

An adapter reads one export format into one canonical table.  It never
modifies the file it reads.  Every data row it reads ends up either in
``accepted`` or in ``rejected`` (with the reason and the row number a
spreadsheet user would see), so that ``rows_read == accepted + rejected``.
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from scalegap.canonical import conform, field_of, header_key
from scalegap.errors import InputError, ScalegapError, raise_all
from scalegap.ingest.staged import Stage, StagedRows
from scalegap.ingest.text import RawTable
from scalegap.settings import ExportSettings, Settings

REJECT_COLUMNS = ["source_row", "reason", "column"]


@dataclass(frozen=True)
class IngestResult:
    """What one adapter made of one export file."""

    table: str
    #: the file read (a warehouse table: its name and redacted URL)
    source: Path | str
    format: str
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    warnings: tuple[str, ...] = ()
    #: the accepted rows when they stay in DuckDB (``accepted`` is then empty, with their columns)
    staged: StagedRows | None = None
    #: rows summed into an accepted row (a warehouse's events into person-days): read, neither accepted nor lost
    merged: int = 0
    #: rejected rows counted but not listed in ``rejected`` (a warehouse's beyond its sample): (column, reason, rows)
    unlisted: tuple[tuple[str, str, int], ...] = ()

    def __post_init__(self) -> None:
        unlisted = sum(rows for _, _, rows in self.unlisted)
        if self.accepted_rows + self.merged + len(self.rejected) + unlisted != self.rows_read:
            raise AssertionError(
                f"row accounting broken for {self.source}: {self.rows_read} read, {self.accepted_rows} accepted, "
                f"{self.merged} merged, {len(self.rejected)} + {unlisted} rejected"
            )

    @property
    def accepted_rows(self) -> int:
        return self.staged.rows if self.staged is not None else len(self.accepted)

    def in_memory(self) -> IngestResult:
        """This result with its accepted rows in pandas (staged ones fetched from DuckDB)."""
        if self.staged is None:
            return self
        return replace(self, accepted=self.staged.frame(), staged=None)


#: row counts at which exports are often cut: spreadsheet sheets' last rows (one header row above the data) and
#: the round limits export tools and pages stop at
SHEET_LIMITS = {65_535: "an .xls sheet's last row", 1_048_575: "an Excel sheet's last row"}
ROUND_LIMITS = (1_000, 2_000, 5_000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)


def export_cap_note(records: int) -> str | None:
    """A note when a file has exactly as many data rows as a limit exports are often cut at."""
    if records in SHEET_LIMITS:
        return (
            f"the file has exactly {records:,} data rows, {SHEET_LIMITS[records]}: rows past it were "
            "probably cut off — export the data as CSV, or in parts"
        )
    if records in ROUND_LIMITS:
        return (
            f"the file has exactly {records:,} data rows, a limit export tools often stop at: check that "
            "the source system exported every row (or export in parts)"
        )
    return None


class RowLedger:
    """Tracks, per data row, whether it is usable and why not.

    ``raw`` is the frame of the file's data rows as text; ``first_row`` is the
    1-based line in the file of its first data row.  The first reason given
    for a row is the one reported.
    """

    def __init__(
        self,
        raw: pd.DataFrame,
        first_row: int,
        malformed: dict[int, str] | None = None,
        row_numbers: Sequence[int] | None = None,
    ) -> None:
        self.raw = raw.reset_index(drop=True)
        self.first_row = first_row
        numbers = row_numbers if row_numbers is not None else range(first_row, first_row + len(self.raw))
        self.row_numbers = np.asarray(numbers, dtype="int64")
        #: per row, the index in ``_reasons`` of why it is rejected (-1: not rejected); an array, not a column of
        #: strings, so a usage export's millions of rows cost two bytes each
        self._code = np.full(len(self.raw), -1, dtype="int32")
        self._reasons: list[tuple[str, str | None]] = []
        #: file-level notes (e.g. an assumed date order), reported as warnings
        self.notes: list[str] = []
        for position, reason in (malformed or {}).items():
            self._code[position] = self._reason_code(reason, None)

    def _reason_code(self, reason: str, column: str | None) -> int:
        self._reasons.append((reason, column))
        return len(self._reasons) - 1

    @classmethod
    def of(cls, table: RawTable) -> RowLedger:
        ledger = cls(table.frame, table.first_row, table.malformed, table.row_numbers)
        ledger.notes.extend(table.notes)
        cap = export_cap_note(len(table.frame))
        if cap:
            ledger.notes.append(cap)
        return ledger

    def reject(self, mask: pd.Series | np.ndarray, reason: str, column: str | None = None) -> None:
        fresh = np.asarray(mask, dtype=bool) & (self._code < 0)
        if fresh.any():
            self._code[fresh] = self._reason_code(reason, column)

    @property
    def ok(self) -> pd.Series:
        return pd.Series(self._code < 0)

    def rejected(self) -> pd.DataFrame:
        bad = self._code >= 0
        codes = self._code[bad]
        frame = self.raw[bad].copy()
        frame.insert(0, "column", np.array([self._reasons[code][1] for code in codes.tolist()], dtype=object))
        frame.insert(0, "reason", np.array([self._reasons[code][0] for code in codes.tolist()], dtype=object))
        frame.insert(0, "source_row", self.row_numbers[bad])
        return frame.reset_index(drop=True)

    def result(
        self, table: str, source: Path, fmt: str, accepted: pd.DataFrame, warnings: tuple[str, ...] = ()
    ) -> IngestResult:
        ok = self._code < 0
        if len(accepted) != len(self.raw):
            raise AssertionError("accepted must be built row-aligned with the raw rows")
        kept = conform(table, accepted.reset_index(drop=True))
        if not ok.all():
            kept = kept[ok].reset_index(drop=True)
        kept.insert(0, "source_row", self.row_numbers[ok])
        return IngestResult(
            table, source, fmt, kept, self.rejected(), len(self.raw), tuple(warnings) + tuple(self.notes)
        )


class ExportAdapter(ABC):
    """Reads one export format into one canonical table."""

    name: ClassVar[str]
    table: ClassVar[str]
    label: ClassVar[str]
    #: canonical column -> the header the vendor's export uses by default
    default_columns: ClassVar[dict[str, str]] = {}
    #: canonical columns that must be present
    required_columns: ClassVar[tuple[str, ...]] = ()
    #: does :meth:`read_into` keep (some files') accepted rows in DuckDB?
    stages: ClassVar[bool] = False

    def sniff(self, path: Path) -> bool:
        """Does this file look like this adapter's format? (auto-detection)"""
        return False

    @abstractmethod
    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        """Read ``path`` (never writing to it) into an :class:`IngestResult`."""

    def read_into(self, path: Path, export: ExportSettings, settings: Settings, stage: Stage) -> IngestResult:
        """:meth:`read`, the accepted rows left in ``stage`` where the adapter can (:attr:`stages`)."""
        return self.read(path, export, settings)

    def column_map(
        self, header: list[str], export: ExportSettings, path: Path, sample: pd.DataFrame | None = None
    ) -> dict[str, str]:
        """Canonical column -> header in the file, from defaults and the mapping in assessment.yml.

        Headers are compared as :func:`~scalegap.canonical.header_key` compares them.  A column mapped in
        assessment.yml must be in the file; a required one must be found.  Every missing column is reported
        at once, with the header most likely meant: by its name, else (given the file's rows as ``sample``) by
        its values.
        """
        unknown = set(export.columns) - set(self.default_columns)
        if unknown:
            raise InputError(
                f"column mapping names unknown field(s) {sorted(unknown)} for {self.label}",
                file=path,
                hint=f"known fields: {', '.join(self.default_columns)}",
            )
        by_key: dict[str, str] = {}
        for column in header:
            by_key.setdefault(header_key(column), column)
        present: dict[str, str] = {}
        errors: list[ScalegapError] = []
        for canonical, wanted in {**self.default_columns, **export.columns}.items():
            found = by_key.get(header_key(wanted))
            if found is not None:
                present[canonical] = found
            elif canonical in export.columns:
                errors.append(
                    missing_column_error(
                        wanted,
                        header,
                        path,
                        f"fix columns: {{{canonical}: ...}} under exports.{self.table} in assessment.yml, or remove it",
                        self.table,
                        canonical,
                        mapped=True,
                    )
                )
            elif canonical in self.required_columns:
                errors.append(
                    missing_column_error(
                        wanted,
                        header,
                        path,
                        f"map it in assessment.yml under exports.{self.table}: columns: {{{canonical}: <header>}}",
                        self.table,
                        canonical,
                        sample=sample,
                    )
                )
        raise_all(errors)
        return present


def missing_column_error(
    column: str,
    header: list[str],
    path: Path,
    fix: str,
    table: str | None = None,
    field: str | None = None,
    mapped: bool = False,
    sample: pd.DataFrame | None = None,
) -> InputError:
    """A missing column, with the header most likely meant: a known name of the field, values that look like
    it, else the closest spelling."""
    likely = likely_header(table, field, header) if table and field else None
    by_values = likely_by_values(table, field, sample) if table and field and likely is None else None
    if likely is not None:
        hint = f"{likely!r} is a usual name for {field}; {fix}"
    elif by_values is not None:
        hint = f"{by_values[0]!r} {by_values[1]}, as {field} would; {fix}"
    else:
        close = difflib.get_close_matches(column, header, n=1, cutoff=0.5)
        hint = f"the closest header is {close[0]!r}; {fix}" if close else fix
    message = f"mapped column {column!r} is not in the file" if mapped else f"required column {column!r} is missing"
    return InputError(message, file=path, column=column, hint=hint)


def likely_header(table: str, field: str, header: list[str]) -> str | None:
    """The file's header that is one of the field's known names (:data:`scalegap.canonical.SCHEMAS` synonyms)."""
    column = field_of(table, field)
    if column is None:
        return None
    names = {header_key(name) for name in (field, *column.synonyms)}
    return next((name for name in header if header_key(name) in names), None)


def likely_by_values(table: str, field: str, sample: pd.DataFrame | None) -> tuple[str, str] | None:
    """(column, what its values are) for a column whose values look like the field's: yes/no words for a
    yes/no field, e-mail addresses for an e-mail, dates for a date."""
    column = field_of(table, field)
    if column is None or sample is None or sample.empty:
        return None
    from scalegap.ingest import values, vocabulary  # the parsers sit above this base module

    for name in sample.columns:
        given = sample[name].fillna("").astype(str).str.strip()
        given = given[given.ne("")].head(500)
        if given.empty:
            continue
        if (
            column.kind == "flag"
            and given.nunique() <= 4
            and all(vocabulary.yes_no(v) is not None for v in given.unique())
        ):
            return name, "holds yes/no values"
        if field == "email" and given.str.match(values.EMAIL).mean() >= 0.8:
            return name, "holds e-mail addresses"
        if column.kind == "timestamp" and values.dates(given)[0].notna().mean() >= 0.8:
            return name, "holds dates"
    return None

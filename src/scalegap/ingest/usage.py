"""Generic AI-usage telemetry: one row per person per active day (CSV or XLSX).

Usage tables are the large ones (a million rows is a mid-size client's half
year), so a CSV is read by DuckDB's columnar CSV reader rather than Python's
``csv`` module, with the same result as :func:`scalegap.ingest.text.read_delimited`:
the same encoding and delimiter detection, every cell as text, blank rows
skipped, the header trimmed and made unique, short rows padded, and the same
row numbers.  Where the fast path cannot be sure to agree with the text
reader, the file is read by the text reader instead (slower, same result):

* an encoding other than UTF-8 (with or without BOM): cp1252, UTF-16;
* quotes other than around whole values: an odd number of them (a broken or
  unterminated quote, which the text reader reports with its line), a space
  beside a quote (DuckDB trims spaces around quoted values, Python keeps
  them), or quotes inside a value (``ab"c``, ``"x"y``, an escaped ``""``),
  which the two parsers resolve differently;
* an empty line between rows (DuckDB skips it, so the row numbers a
  spreadsheet shows could not be given), or mixed line endings;
* anything DuckDB refuses: a row with more values than the header, a lone
  carriage return inside a value, invalid UTF-8 after the first 64 KB;
* a first record that does not fit in the first 64 KB.

XLSX workbooks are read by the workbook reader.  Rows are then checked
exactly as before: rows rejected with reasons and spreadsheet row numbers,
columns mapped in assessment.yml, a missing column named with the closest
header.

On the fast path the rows never reach pandas: DuckDB puts the file's cells into
a :class:`~scalegap.ingest.staged.Stage`, each distinct value of a column is
parsed once by the same parsers and joined back, and each row's first failing
check becomes its reason (:data:`CHECKS`, in the order the pandas path checks).
Only the rejected rows come back; the accepted ones are handed over as
:class:`~scalegap.ingest.staged.StagedRows` (``read`` fetches them into pandas;
prepare links and writes them in DuckDB).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger, export_cap_note
from scalegap.ingest.staged import Stage, StagedRows, literal, quoted
from scalegap.ingest.text import RawTable, read_any
from scalegap.ingest.usage_csv import StagedCells, fast_path, read_columnar, stage_cells
from scalegap.settings import ExportSettings, Settings

__all__ = ["UsageDailyAdapter", "dates_per_distinct", "per_distinct", "read_columnar", "read_usage_table"]

#: the checks of a usage row, in the order a row's first failing one is reported: canonical column, SQL over the
#: parsed columns (``<column>``, ``<column>_bad``) that rejects the row, reason
CHECKS = (
    ("email", "email_bad", "value is not an e-mail address"),
    ("person", "person_id IS NULL AND email IS NULL", "no person id or e-mail"),
    ("date", "date_bad", "value is not a date"),
    ("date", "date IS NULL", "date is empty"),
    ("interactions", "interactions_bad", "value is not a number"),
    ("interactions", "interactions < 0", "interactions is negative"),
    ("active_minutes", "active_minutes_bad", "value is not a number"),
    ("active_minutes", "active_minutes < 0", "active_minutes is negative"),
)


def read_usage_table(path: Path, sheet: str | None = None) -> RawTable:
    """The file's rows as text: DuckDB for CSV it can read exactly, else the text or workbook reader."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        table = read_columnar(path)
        if table is not None:
            return table
    return read_any(path, sheet)


Parser = Callable[[pd.Series], tuple[pd.Series, pd.Series]]


def per_distinct(parse: Parser, series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``parse`` run once per distinct value and spread back to the rows.

    Exact for the element-wise parsers (``values.email``, ``values.number``,
    ``values.text``), and much faster on usage columns, where a million rows
    hold a few thousand e-mails and a few hundred counts.  Not for
    ``values.dates``, which decides the date format from the whole column
    (:func:`dates_per_distinct` weighs each distinct value by its rows).
    """
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    parsed, bad = parse(pd.Series(distinct, dtype=series.dtype))
    return spread(parsed, codes, series.index), pd.Series(bad.to_numpy()[codes], index=series.index, dtype=bool)


def spread(parsed: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The distinct values' parsed ``parsed`` taken back to the rows (``codes``); text held by Arrow, not as
    one Python object per row, so that millions of rows are compared, hashed and written as one array each."""
    if parsed.dtype == object and parsed.notna().any() and all(isinstance(v, str) for v in parsed.dropna()):
        text = pd.array(parsed.to_numpy(), dtype="str")
        return pd.Series(text.take(codes), index=index)
    return pd.Series(parsed.to_numpy()[codes], index=index, dtype=parsed.dtype)


def dates_per_distinct(series: pd.Series, fmt: str | None, notes: list[str] | None) -> tuple[pd.Series, pd.Series]:
    """``values.dates`` run once per distinct value, each weighted by its rows (so the format is decided as on
    the whole column), and spread back to the rows: a usage export has a few hundred distinct days."""
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    parsed, bad = values.dates(
        pd.Series(distinct, dtype=series.dtype), fmt, notes, np.bincount(codes, minlength=len(distinct))
    )
    return spread(parsed, codes, series.index), pd.Series(bad.to_numpy()[codes], index=series.index, dtype=bool)


def _text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    return values.text(series), pd.Series(False, index=series.index)


class UsageDailyAdapter(ExportAdapter):
    name = "usage_daily"
    table = "usage"
    label = "per-person-per-day usage CSV"
    default_columns = {
        "person_id": "person_id",
        "email": "email",
        "date": "date",
        "interactions": "interactions",
        "active_minutes": "active_minutes",
    }
    required_columns = ("date",)
    stages = True

    def load_rows(self, path: Path, export: ExportSettings) -> RawTable:
        """The file's header and rows as text (the columnar fast path where it applies)."""
        return read_usage_table(path, export.sheet)

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        stage = Stage()
        try:
            return self.read_into(path, export, settings, stage).in_memory()
        finally:
            stage.close()

    def read_into(self, path: Path, export: ExportSettings, settings: Settings, stage: Stage) -> IngestResult:
        """A CSV DuckDB reads exactly is checked in ``stage`` and its accepted rows stay there; another file is
        read into pandas (the text or workbook reader), with the same checks."""
        if path.suffix.lower() not in {".xlsx", ".xlsm"}:
            fast = fast_path(path)
            cells = stage_cells(stage, path, fast) if fast is not None else None
            if cells is not None:
                return self._read_staged(cells, path, export)
        return self._read_frame(read_any(path, export.sheet), path, export)

    def _columns(self, header: list[str], export: ExportSettings, path: Path) -> dict[str, str]:
        columns = self.column_map(header, export, path)
        if "person_id" not in columns and "email" not in columns:
            raise InputError(
                "neither a person id nor an e-mail column is present",
                file=path,
                hint="map one of them in assessment.yml under columns: {person_id: ..} or {email: ..}",
            )
        return columns

    def _read_frame(self, raw: RawTable, path: Path, export: ExportSettings) -> IngestResult:
        columns = self._columns(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame(index=frame.index)
        table["person_id"] = per_distinct(_text, frame[columns["person_id"]])[0] if "person_id" in columns else None
        if "email" in columns:
            table["email"], bad = per_distinct(values.email, frame[columns["email"]])
            ledger.reject(bad, "value is not an e-mail address", columns["email"])
        else:
            table["email"] = None
        ledger.reject(
            table["person_id"].isna() & table["email"].isna(),
            "no person id or e-mail",
            columns.get("person_id", columns.get("email")),
        )
        table["date"], bad = dates_per_distinct(frame[columns["date"]], export.date_format, ledger.notes)
        ledger.reject(bad, "value is not a date", columns["date"])
        ledger.reject(table["date"].isna(), "date is empty", columns["date"])
        for measure in ("interactions", "active_minutes"):
            table[measure] = self._count(frame, columns, measure, ledger)
        table["source"] = self.name
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _count(frame: pd.DataFrame, columns: dict[str, str], measure: str, ledger: RowLedger) -> pd.Series:
        if measure not in columns:
            return pd.Series(float("nan"), index=frame.index)
        column = columns[measure]
        parsed, bad = per_distinct(values.number, frame[column])
        ledger.reject(bad, "value is not a number", column)
        ledger.reject(parsed < 0, f"{measure} is negative", column)
        return parsed

    def _read_staged(self, cells: StagedCells, path: Path, export: ExportSettings) -> IngestResult:
        """The checks of :meth:`_read_frame` in DuckDB: each distinct value parsed once in Python (by the same
        parsers), the answers joined back to the rows, each row's first failing check its reason."""
        columns = self._columns(cells.header, export, path)
        stage = cells.stage
        cap = export_cap_note(cells.count)
        notes: list[str] = [cap] if cap else []
        parsers: dict[str, Parser] = {
            "person_id": _text,
            "email": values.email,
            "date": lambda series: (series, series),  # replaced below: dates need the weights
            "interactions": values.number,
            "active_minutes": values.number,
        }
        joins, parsed, missing = [], {}, set()
        for canonical, parse in parsers.items():
            if canonical not in columns:
                continue
            cell = cells.cell_of[columns[canonical]]
            counted = stage.sql(
                f"SELECT {cell} AS value, count(*) AS n FROM {cells.plain} GROUP BY {cell} ORDER BY min(pos)"
            )
            distinct = counted.to_arrow_table().to_pandas()
            given = distinct["value"]
            if canonical == "date":
                answer, bad = values.dates(given, export.date_format, notes, distinct["n"].to_numpy())
            else:
                answer, bad = parse(given)
                if not answer.notna().any():
                    missing.add(canonical)  # text empty on every row: an empty column, as in pandas
            table = stage.table_from(pd.DataFrame({"value": given, "parsed": answer, "bad": bad.astype(bool)}), "map")
            joins.append(f"LEFT JOIN {table} AS m_{canonical} ON r.{cell} = m_{canonical}.value")
            kind = {"date": "TIMESTAMP_NS", "interactions": "DOUBLE", "active_minutes": "DOUBLE"}.get(
                canonical, "VARCHAR"
            )
            parsed[canonical] = f"CAST(m_{canonical}.parsed AS {kind})"
            parsed[f"{canonical}_bad"] = f"coalesce(m_{canonical}.bad, FALSE)"
        for canonical in ("person_id", "email"):
            parsed.setdefault(canonical, "NULL::VARCHAR")
        checks = [("malformed", "r.malformed IS NOT NULL", "r.malformed", "NULL")]
        for canonical, test, reason in CHECKS:
            column = columns.get("person_id", columns.get("email")) if canonical == "person" else columns.get(canonical)
            if column is None:
                continue
            sql = " ".join(f"({parsed[token]})" if token in parsed else token for token in test.split())
            checks.append((canonical, sql, literal(reason), literal(column)))
        given = {name: name for name in parsed if not name.endswith("_bad")}
        for name in ("person_id", "email"):
            if name not in columns or name in missing:
                del given[name]  # not stored: an empty column is written as one (StagedRows.of)
        # each row's first failing check by its number: the reasons' text is spelled out for the rejected rows only
        failing = "CASE " + " ".join(f"WHEN {test} THEN {number}" for number, (_, test, _, _) in enumerate(checks))
        typed = ", ".join(f"{parsed[name]} AS {name}" for name in given)
        table = stage.name("parsed")
        stage.execute(
            f"CREATE TABLE {table} AS SELECT r.pos AS _order, ({failing} END)::TINYINT AS _check, {typed} "
            f"FROM {cells.rows} AS r {' '.join(joins)}"
        )
        reason = "CASE p._check " + " ".join(
            f"WHEN {number} THEN {text}" for number, (_, _, text, _) in enumerate(checks)
        )
        column = "CASE p._check " + " ".join(
            f"WHEN {number} THEN {name}" for number, (_, _, _, name) in enumerate(checks)
        )
        raw = ", ".join(f"c.{cell} AS {quoted(name)}" for name, cell in cells.cell_of.items())
        found = stage.sql(
            f'SELECT p._order + 1 AS source_row, {reason} END AS reason, {column} END AS "column", {raw} FROM {table} '
            f"AS p JOIN {cells.cells} AS c ON c.rowid = p._order LEFT JOIN {cells.duplicates} AS r ON r.pos = p._order "
            "WHERE p._check IS NOT NULL ORDER BY p._order"
        ).to_arrow_table()
        rejected = found.drop_columns(["reason", "column"]).to_pandas()
        cells.drop()  # every later step reads the parsed table
        for position, name in ((1, "reason"), (2, "column")):  # as RowLedger.rejected makes them
            rejected.insert(position, name, np.array(found.column(name).to_pylist(), dtype=object))
        given["source"] = literal(self.name)
        source = f"(SELECT *, _order + 1 AS source_row FROM {table} WHERE _check IS NULL) AS accepted"
        staged = StagedRows.of(stage, source, self.table, given, cells.count - len(rejected))
        accepted = pd.DataFrame(columns=staged.names)
        return IngestResult(self.table, path, self.name, accepted, rejected, cells.count, tuple(notes), staged)

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
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import (
    RawTable,
    RowNumbers,
    decide_encoding,
    detect_delimiter,
    duplicate_rows,
    read_any,
    refuse_non_text,
    unique_names,
)
from scalegap.settings import ExportSettings, Settings

_SNIFF_BYTES = 64 * 1024  # as the text reader: encoding and delimiter are decided on the first 64 KB
FAST_ENCODINGS = ("utf-8", "utf-8-sig")


def read_usage_table(path: Path, sheet: str | None = None) -> RawTable:
    """The file's rows as text: DuckDB for CSV it can read exactly, else the text or workbook reader."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        table = read_columnar(path)
        if table is not None:
            return table
    return read_any(path, sheet)


def read_columnar(path: Path) -> RawTable | None:
    """What ``read_delimited(path)`` returns, read by DuckDB; None where they might disagree."""
    try:
        data = path.read_bytes()
    except OSError:
        return None  # the text reader reports it
    head = data[:_SNIFF_BYTES]
    refuse_non_text(path, head)
    encoding, stray_bytes = decide_encoding(data)
    if encoding not in FAST_ENCODINGS or stray_bytes or not data.endswith((b"\n", b"\r")):
        return None  # the text reader notes stray bytes and refuses a file cut in its last row
    delimiter = detect_delimiter(data[: 4 * _SNIFF_BYTES].decode(encoding, errors="replace")[:_SNIFF_BYTES])
    if not _plain_quoting(data, delimiter) or not _plain_lines(data):
        return None
    width = _header_width(data, encoding, delimiter)
    del data  # DuckDB reads the file itself: the bytes need not stay in memory meanwhile
    if width is None:
        return None
    cells = _duckdb_cells(path, delimiter, width)
    return None if cells is None else _raw_table(path, *cells, encoding, delimiter)


def _plain_quoting(data: bytes, delimiter: str) -> bool:
    """Every quote opens or closes a whole value, or doubles a quote inside one (RFC 4180).

    Python's csv and DuckDB agree on such files.  Quotes elsewhere (``ab"c``,
    ``"x"y``, a space before an opening or after a closing quote, an odd
    number of them) they resolve differently, so those files go to the text reader.
    """
    return b'"' not in data or _rfc4180(delimiter).fullmatch(data) is not None


@functools.cache
def _rfc4180(delimiter: str) -> re.Pattern[bytes]:
    inside = re.escape(delimiter.encode())
    value = rb'(?:"(?:[^"]++|"")*+"|[^"' + inside + rb"\r\n]*+)"
    record = value + rb"(?:" + inside + value + rb")*+"
    return re.compile(rb"(?:" + record + rb"(?:\r\n|\n|\r))*+(?:" + record + rb")?")


def _plain_lines(data: bytes) -> bool:
    """One kind of line ending and no empty line before the last row (DuckDB skips empty lines, so
    the row numbers would shift; mixed endings it can split differently from Python)."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    end = len(data)
    while end > start and data[end - 1] in b"\r\n":
        end -= 1  # the line ends after the last row (the body is not copied: a usage file can be large)
    returns, feeds = data.count(b"\r", start, end), data.count(b"\n", start, end)
    one_kind = not returns or not feeds or returns == feeds == data.count(b"\r\n", start, end)
    empty_line = data.startswith((b"\r", b"\n"), start, end) or any(
        data.find(pair, start, end) >= 0 for pair in (b"\n\n", b"\r\r", b"\n\r")
    )
    return one_kind and not empty_line


def _header_width(data: bytes, encoding: str, delimiter: str) -> int | None:
    """Number of values in the first non-blank record, if it ends within the first 64 KB."""
    text = data[:_SNIFF_BYTES].decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = (row for row in reader if any(cell.strip() for cell in row))
        first = next(records, None)
        complete = len(data) <= _SNIFF_BYTES or next(records, None) is not None
    except csv.Error:
        return None
    return len(first) if first and complete else None


def _duckdb_cells(path: Path, delimiter: str, width: int) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Every non-blank record as text cells (empty for missing), and each one's position in the file from 0
    (blank records counted); None if DuckDB refuses."""
    names = [f"c{index}" for index in range(width)]
    cells = ", ".join(f"coalesce({name}, '') AS {name}" for name in names)
    # a cell with a printable ASCII character other than a space is not blank; the others are checked below
    printable = " OR ".join(f"regexp_matches(coalesce({name}, ''), '[!-~]')" for name in names)
    query = (
        f"SELECT {cells}, NOT ({printable}) AS maybe_blank FROM read_csv($path, header = false, "
        "auto_detect = false, columns = $columns, delim = $delimiter, quote = '\"', escape = '\"', "
        "null_padding = true, parallel = false, strict_mode = true)"
    )
    try:
        with duckdb.connect() as connection:
            connection.execute("SET enable_progress_bar = false")
            table = connection.sql(
                query,
                params={"path": str(path), "columns": dict.fromkeys(names, "VARCHAR"), "delimiter": delimiter},
            ).to_arrow_table()
    except duckdb.Error:
        return None
    candidates = np.flatnonzero(table.column("maybe_blank").to_numpy(zero_copy_only=False))
    frame = table.drop_columns(["maybe_blank"]).to_pandas()
    del table
    blank = np.zeros(len(frame), dtype=bool)
    if len(candidates):
        blank[candidates] = _blank_rows(frame.iloc[candidates])
    if not blank.any():
        return frame, np.arange(len(frame))
    return frame[~blank], np.flatnonzero(~blank)


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or whitespace (the text reader skips them)."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        candidates = np.flatnonzero(blank)
        if not len(candidates):
            break
        blank[candidates] = frame[column].iloc[candidates].str.strip().eq("").to_numpy()
    return blank


def _raw_table(path: Path, grid: pd.DataFrame, positions: np.ndarray, encoding: str, delimiter: str) -> RawTable | None:
    """Header and data rows as ``text._to_raw_table`` makes them (one header row)."""
    if grid.empty:
        return None  # no header: the text reader says so
    raw_header = grid.iloc[0].tolist()
    width = len(raw_header)
    # a trailing delimiter on every line makes an empty last column
    while width and not raw_header[width - 1].strip() and grid.iloc[:, width - 1].eq("").all():
        width -= 1
    header = [cell.strip() for cell in raw_header[:width]]
    frame = grid.iloc[1:, :width].reset_index(drop=True)
    frame.columns = unique_names(header)
    numbers = RowNumbers(positions[1:] + 1)  # spreadsheet rows count blank ones too
    return RawTable(path, [header], frame, 2, encoding, delimiter, duplicate_rows(frame, numbers), numbers)


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

    def load_rows(self, path: Path, export: ExportSettings) -> RawTable:
        """The file's header and rows as text (the columnar fast path where it applies)."""
        return read_usage_table(path, export.sheet)

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = self.load_rows(path, export)
        columns = self.column_map(raw.header, export, path)
        if "person_id" not in columns and "email" not in columns:
            raise InputError(
                "neither a person id nor an e-mail column is present",
                file=path,
                hint="map one of them in assessment.yml under columns: {person_id: ..} or {email: ..}",
            )
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

"""The usage CSV fast path: when DuckDB reads a CSV exactly as :func:`scalegap.ingest.text.read_delimited` would
(see :mod:`scalegap.ingest.usage` for when it does), and DuckDB's reading of it, into pandas
(:func:`read_columnar`) or into a :class:`~scalegap.ingest.staged.Stage` (:func:`stage_cells`)."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scalegap.ingest.staged import Stage
from scalegap.ingest.text import (
    RawTable,
    RowNumbers,
    decide_encoding,
    detect_delimiter,
    duplicate_rows,
    refuse_non_text,
    unique_names,
)

_SNIFF_BYTES = 64 * 1024  # as the text reader: encoding and delimiter are decided on the first 64 KB
FAST_ENCODINGS = ("utf-8", "utf-8-sig")


@dataclass(frozen=True)
class FastPath:
    """How DuckDB can read a CSV exactly as the text reader would: its encoding, delimiter and header width, and
    whether its reader may split the file between threads (``parallel``: no quoted value holds a line break, so
    every line break ends a record; DuckDB's parallel reader refuses quoted line breaks with padded short rows)."""

    encoding: str
    delimiter: str
    width: int
    parallel: bool = False


def fast_path(path: Path) -> FastPath | None:
    """How to read ``path`` with DuckDB, if it gives what ``read_delimited(path)`` gives; None where they might
    disagree (or where the file cannot be opened: the text reader reports it).  The file's bytes are read once."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = data[:_SNIFF_BYTES]
    refuse_non_text(path, head)
    encoding, stray_bytes = decide_encoding(data)
    if encoding not in FAST_ENCODINGS or stray_bytes or not data.endswith((b"\n", b"\r")):
        return None  # the text reader notes stray bytes and refuses a file cut in its last row
    delimiter = detect_delimiter(data[: 4 * _SNIFF_BYTES].decode(encoding, errors="replace")[:_SNIFF_BYTES])
    parallel = _quoting(data, delimiter)
    if parallel is None or not _plain_lines(data):
        return None
    width = _header_width(data, encoding, delimiter)
    return None if width is None else FastPath(encoding, delimiter, width, parallel)


def read_columnar(path: Path) -> RawTable | None:
    """What ``read_delimited(path)`` returns, read by DuckDB into pandas; None where they might disagree."""
    fast = fast_path(path)
    if fast is None:
        return None
    cells = _duckdb_cells(path, fast)
    return None if cells is None else _raw_table(path, *cells, fast.encoding, fast.delimiter)


def _quoting(data: bytes, delimiter: str) -> bool | None:
    """None unless :func:`_plain_quoting`; else whether no quoted value holds a line break (DuckDB may then cut
    the file between threads).  One pass over the file where none does: that it reads as plain quoting with no
    line break inside quotes answers both (the grammar is unambiguous, so it is the file's one reading)."""
    if b'"' not in data:
        return True
    if _rfc4180(delimiter, quoted_line_breaks=False).fullmatch(data) is not None:
        return True
    return False if _plain_quoting(data, delimiter) else None


def _plain_quoting(data: bytes, delimiter: str) -> bool:
    """Every quote opens or closes a whole value, or doubles a quote inside one (RFC 4180).

    Python's csv and DuckDB agree on such files.  Quotes elsewhere (``ab"c``,
    ``"x"y``, a space before an opening or after a closing quote, an odd
    number of them) they resolve differently, so those files go to the text reader.
    """
    return b'"' not in data or _rfc4180(delimiter).fullmatch(data) is not None


@functools.cache
def _rfc4180(delimiter: str, quoted_line_breaks: bool = True) -> re.Pattern[bytes]:
    inside = re.escape(delimiter.encode())
    quoted = rb'[^"]++' if quoted_line_breaks else rb'[^"\r\n]++'
    value = rb'(?:"(?:' + quoted + rb'|"")*+"|[^"' + inside + rb"\r\n]*+)"
    record = value + rb"(?:" + inside + value + rb")*+"
    return re.compile(rb"(?:" + record + rb"(?:\r\n|\n|\r))*+(?:" + record + rb")?")


#: bytes looked at together when scanning a file's line breaks (a view of the file, not a copy, plus masks)
_CHUNK = 1 << 24
_CR, _LF = 13, 10


def _plain_lines(data: bytes) -> bool:
    """One kind of line ending and no empty line before the last row (DuckDB skips empty lines, so
    the row numbers would shift; mixed endings it can split differently from Python)."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    end = len(data)
    while end > start and data[end - 1] in b"\r\n":
        end -= 1  # the line ends after the last row (the body is not copied: a usage file can be large)
    if data.startswith((b"\r", b"\n"), start, end):
        return False
    returns, feeds, pairs, empty_line = _line_breaks(np.frombuffer(data, dtype=np.uint8)[start:end])
    one_kind = not returns or not feeds or returns == feeds == pairs
    return one_kind and not empty_line


def _line_breaks(body: np.ndarray, chunk: int = _CHUNK) -> tuple[int, int, int, bool]:
    """In ``body``: carriage returns, line feeds, CR LF pairs, and whether an empty line shows (LF LF, CR CR or
    LF CR), counted a chunk at a time (each pair once: a chunk's window reaches one byte into the next)."""
    returns = feeds = pairs = 0
    empty_line = False
    for at in range(0, len(body), chunk):
        window = body[at : at + chunk + 1]
        lf, cr = window == _LF, window == _CR
        inner = min(chunk, len(window))
        feeds += int(np.count_nonzero(lf[:inner]))
        chunk_returns = int(np.count_nonzero(cr[:inner]))
        returns += chunk_returns
        empty_line = empty_line or bool((lf[1:] & lf[:-1]).any())
        if chunk_returns or cr[inner:].any():
            pairs += int(np.count_nonzero(cr[:-1] & lf[1:]))
            empty_line = empty_line or bool((cr[1:] & cr[:-1]).any() or (lf[:-1] & cr[1:]).any())
    return returns, feeds, pairs, empty_line


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


def _cells_query(path: Path, fast: FastPath, blank_test: bool = True) -> tuple[str, dict[str, object]]:
    """Every record as text cells ``c0``, ``c1``, ... (empty for missing), in file order; with ``maybe_blank``
    unless ``blank_test`` is false (the stage looks for blank rows among the stored cells instead)."""
    names = [f"c{index}" for index in range(fast.width)]
    cells = ", ".join(f"coalesce({name}, '') AS {name}" for name in names)
    if blank_test:
        cells += f", {_maybe_blank(names)} AS maybe_blank"
    query = (
        f"SELECT {cells} FROM read_csv($path, header = false, auto_detect = false, columns = $columns, "
        "delim = $delimiter, quote = '\"', escape = '\"', null_padding = true, "
        f"parallel = {str(fast.parallel).lower()}, strict_mode = true)"
    )
    return query, {"path": str(path), "columns": dict.fromkeys(names, "VARCHAR"), "delimiter": fast.delimiter}


def _maybe_blank(names: list[str]) -> str:
    """SQL: no cell has a printable ASCII character other than a space (the others are checked in Python)."""
    return " AND ".join(f"NOT regexp_matches(coalesce({name}, ''), '[!-~]')" for name in names)


def _duckdb_cells(path: Path, fast: FastPath) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Every non-blank record as text cells (empty for missing), and each one's position in the file from 0
    (blank records counted); None if DuckDB refuses."""
    query, params = _cells_query(path, fast)
    try:
        with duckdb.connect() as connection:
            connection.execute("SET enable_progress_bar = false")
            table = connection.sql(query, params=params).to_arrow_table()
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


@dataclass(frozen=True)
class StagedCells:
    """A CSV's data rows in a :class:`~scalegap.ingest.staged.Stage`, as :func:`read_columnar` reads them.

    ``cells`` is the table of every record (``rowid``: its place in the file from 0, blank records counted);
    ``plain`` the view of the data rows: ``pos`` (that place), ``source_row`` (the spreadsheet row) and the cells
    by their header (``cell_of``); ``rows`` adds ``malformed`` (why the whole row is rejected: it repeats an
    earlier row).
    """

    stage: Stage
    cells: str
    plain: str
    rows: str
    header: list[str]
    cell_of: dict[str, str]
    count: int
    duplicates: str = ""

    def drop(self) -> None:
        """The cells gone from the stage once the rows are parsed: the memory is the sort's, when the rows are
        written in order (an in-memory table DuckDB cannot simply let go of: it would write it to disk)."""
        for kind, name in (
            ("VIEW", self.rows),
            ("VIEW", self.plain),
            ("TABLE", self.duplicates),
            ("TABLE", self.cells),
        ):
            if name:
                self.stage.execute(f"DROP {kind} IF EXISTS {name}")


def stage_cells(stage: Stage, path: Path, fast: FastPath) -> StagedCells | None:
    """The CSV's data rows put into ``stage`` by DuckDB; None if DuckDB refuses it (the text reader reads it)."""
    query, params = _cells_query(path, fast, blank_test=False)
    cells = stage.name("cells")
    try:
        stage.execute(f"CREATE TABLE {cells} AS {query}", params)
    except duckdb.Error:
        stage.execute(f"DROP TABLE IF EXISTS {cells}")
        return None
    names = [f"c{index}" for index in range(fast.width)]
    # a conjunction: the later cells are tested only on the rows whose earlier cells might be blank
    found = stage.sql(f"SELECT rowid AS pos, {', '.join(names)} FROM {cells} WHERE {_maybe_blank(names)} ORDER BY pos")
    candidates = found.to_arrow_table().to_pandas()
    filled = "TRUE"
    if len(candidates):
        blank = candidates[["pos"]][_blank_rows(candidates[names])]
        if len(blank):
            filled = f"rowid NOT IN (SELECT pos FROM {stage.table_from(blank, 'blank')})"
    first = stage.value(f"SELECT min(rowid) FROM {cells} WHERE {filled}")
    if first is None:
        return None  # no header: the text reader says so
    header_at = int(first)
    raw_header = [
        str(cell) for cell in stage.fetch(f"SELECT {', '.join(names)} FROM {cells} WHERE rowid = {header_at}")[0]
    ]
    width = len(raw_header)
    # a trailing delimiter on every line makes an empty last column
    while width and not raw_header[width - 1].strip():
        if not stage.value(f"SELECT bool_and(c{width - 1} = '') FROM {cells} WHERE {filled}"):
            break
        width -= 1
    if not width:
        return None
    header = [cell.strip() for cell in raw_header[:width]]
    kept = names[:width]
    every = ", ".join(kept)
    plain, dups, rows = stage.name("plain"), stage.name("duplicates"), stage.name("rows")
    stage.execute(
        f"CREATE VIEW {plain} AS SELECT rowid AS pos, rowid + 1 AS source_row, {every} FROM {cells} "
        f"WHERE rowid > {header_at} AND {filled}"
    )
    # rows whose every cell repeats an earlier row's: among the few rows whose cells hash alike, by a window
    stage.execute(
        f"CREATE TABLE {dups} AS SELECT pos, 'duplicate of row ' || (first + 1) AS malformed FROM (SELECT pos, "
        f"min(pos) OVER (PARTITION BY {every}) AS first FROM {plain} WHERE hash({every}) IN "
        f"(SELECT hash({every}) FROM {plain} GROUP BY ALL HAVING count(*) > 1)) WHERE pos > first"
    )
    stage.execute(
        f"CREATE VIEW {rows} AS SELECT r.*, d.malformed FROM {plain} AS r LEFT JOIN {dups} AS d ON r.pos = d.pos"
    )
    count = int(stage.value(f"SELECT count(*) FROM {plain}"))
    cell_of = dict(zip(unique_names(header), kept, strict=True))
    return StagedCells(stage, cells, plain, rows, header, cell_of, count, dups)

"""Reading delimited text and workbooks as the vendors' tools write them.

Everything is read as text first (no type guessing), so that each adapter
decides how a value is parsed and can reject a row with a reason instead of
letting a parser coerce it silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd

from scalegap.errors import InputError

DELIMITERS = [",", ";", "\t", "|"]
_SNIFF_BYTES = 64 * 1024
_FIELD_LIMIT = 2**31 - 1


class RowNumbers(Sequence[int]):
    """Spreadsheet row numbers held as one int64 array (a large export's millions of rows as Python ints would
    take ten times the memory); equal to a tuple or list of the same numbers."""

    def __init__(self, numbers: np.ndarray) -> None:
        self.array = np.asarray(numbers, dtype="int64")

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> RowNumbers: ...
    def __getitem__(self, index: int | slice) -> int | RowNumbers:
        if isinstance(index, slice):
            return RowNumbers(self.array[index])
        return int(self.array[index])

    def __iter__(self) -> Iterator[int]:
        return iter(self.array.tolist())

    def __array__(self, dtype: np.dtype | None = None, copy: bool | None = None) -> np.ndarray:
        return self.array if dtype is None else self.array.astype(dtype)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowNumbers):
            return bool(np.array_equal(self.array, other.array))
        if isinstance(other, (tuple, list)):
            return len(other) == len(self.array) and bool(np.array_equal(self.array, np.asarray(other)))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowNumbers({self.array.tolist()!r})" if len(self.array) <= 10 else f"RowNumbers({len(self)} rows)"


@dataclass(frozen=True)
class RawTable:
    """A file's header rows and its data rows, all as text.

    ``frame`` columns are the last header row's names, made unique by
    suffixing repeats (``Labels``, ``Labels [2]``, ...).  ``first_row`` is the
    1-based row of the first data row as a spreadsheet shows it.
    ``malformed`` maps a data row's position to why it cannot be used;
    ``row_numbers`` gives each data row's row as a spreadsheet shows it (blank
    rows are skipped but still counted, as a spreadsheet counts them).
    """

    path: Path
    header_rows: list[list[str]]
    frame: pd.DataFrame
    first_row: int
    encoding: str
    delimiter: str
    malformed: dict[int, str] = field(default_factory=dict)
    row_numbers: Sequence[int] | None = None
    #: file-level notes (bytes that are not text in the file's encoding), reported as warnings
    notes: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        return self.header_rows[-1]


def unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return result


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sniffing window is still UTF-8
        if exc.start >= len(head) - 3 and len(head) >= _SNIFF_BYTES:
            return "utf-8"
        return "cp1252"


_VALID_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decide_encoding(raw: bytes) -> tuple[str, str | None]:
    """The encoding of a whole file, and a note when a few of its bytes do not fit it.

    A byte-order mark decides; else UTF-8 when every byte reads as UTF-8.  When some do not, the file is
    still UTF-8 if it has at least as many valid multi-byte UTF-8 characters as bytes that break UTF-8 (a few
    stray bytes: they read as U+FFFD and the note says where); otherwise it is cp1252 (Windows Western).
    """
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    else:
        encoding = "utf-8"
    if raw.isascii():
        return encoding, None  # every byte is text in UTF-8, without decoding a copy of the file
    try:
        raw.decode(encoding)
        return encoding, None
    except UnicodeDecodeError as exc:
        first = exc.start
    bad = len(raw.decode(encoding, errors="replace").encode("utf-8")) - len(raw)  # grows by 2 per bad byte, roughly
    invalid = max(1, bad // 2)
    valid = len(_VALID_MULTIBYTE.findall(raw))
    if valid < invalid:
        return "cp1252", None
    line = raw.count(b"\n", 0, first) + 1
    return encoding, (
        f"{invalid} byte(s) are not valid UTF-8, the first on line {line}: they read as '\ufffd' "
        "(the rest of the file is UTF-8) — export the file again as UTF-8 if those cells matter"
    )


def refuse_non_text(path: Path, head: bytes) -> None:
    """Clear errors for the usual wrong files given as CSV."""
    if not head.strip():
        raise InputError("the file is empty", file=path, hint="export it again from the source system")
    if head.startswith(b"PK\x03\x04"):
        raise InputError("this is an Excel/zip file, not CSV text", file=path, hint="save it as CSV, or name it .xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "this is an old-style or password-protected Office file",
            file=path,
            hint="remove the password and save it as CSV or .xlsx",
        )
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(
            "this is a web page (HTML), not an export",
            file=path,
            hint="download the export itself, not the page around it",
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("the file is binary, not text", file=path, hint="export it again as CSV")


def detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        return max(counts, key=counts.__getitem__) if max(counts.values()) else ","


def read_delimited(path: Path, header_rows: int = 1) -> RawTable:
    """Read a delimited text export: encoding and delimiter detected, quoted newlines kept."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read the file ({exc.strerror})", file=path, hint="check the file exists and is readable"
        ) from None
    refuse_non_text(path, raw[:_SNIFF_BYTES])
    encoding, note = decide_encoding(raw)
    text = raw.decode(encoding, errors="replace")
    delimiter = detect_delimiter(text[:_SNIFF_BYTES])
    records = parse_records(path, text, delimiter)
    if len(records) < header_rows:
        raise InputError(
            f"expected {header_rows} header row(s) but the file has {len(records)} row(s)",
            file=path,
            hint="export it again with headers",
        )
    refuse_cut_last_row(path, records, header_rows, text)
    table = _to_raw_table(path, records, header_rows, encoding, delimiter)
    return replace(table, notes=(note,)) if note else table


def refuse_cut_last_row(path: Path, records: list[tuple[int, list[str]]], header_rows: int, text: str) -> None:
    """A file that ends in the middle of its last row (fewer values than the header, no line end) was cut."""
    if len(records) <= header_rows or text.endswith(("\n", "\r")):
        return
    width = len(records[header_rows - 1][1])
    row, last = records[-1]
    if len(last) < width:
        good = records[-2][0] if len(records) > header_rows + 1 else None
        raise InputError(
            f"the file ends in the middle of row {row} ({len(last)} of {width} values, no line end): "
            f"a truncated export" + (f"; the last complete row is row {good}" if good else ""),
            file=path,
            row=row,
            hint="export the file again, whole",
        )


def parse_records(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Split delimited text into (spreadsheet row, record) pairs, blank records left out.

    A broken quote is an error with its line, not a silent merge.
    """
    csv.field_size_limit(_FIELD_LIMIT)  # free text of any length
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                records.append((number, row))
        return records
    except csv.Error as exc:
        ending = (
            "the file ends inside a quoted value (a truncated export?)"
            if "end of data" in str(exc)
            else f"the file's quoting is broken ({exc})"
        )
        good = f"; the last complete row is row {records[-1][0]}" if records else ""
        raise InputError(
            ending + good, file=path, row=reader.line_num, hint="export the file again; do not edit it in a text editor"
        ) from None


def _to_raw_table(
    path: Path, numbered: list[tuple[int, list[str]]], header_rows: int, encoding: str, delimiter: str
) -> RawTable:
    records = [record for _, record in numbered]
    headers = [[cell.strip() for cell in row] for row in records[:header_rows]]
    width = len(headers[-1])
    # a trailing delimiter on every line (Qualtrics legacy) makes an empty last column
    while width and not headers[-1][width - 1] and all(len(r) < width or not r[width - 1] for r in records):
        width -= 1
    headers = [row[:width] + [""] * (width - len(row)) for row in headers]
    malformed: dict[int, str] = {}
    rows = []
    numbers = [number for number, _ in numbered[header_rows:]]
    for index, record in enumerate(records[header_rows:]):
        extra = [cell for cell in record[width:] if cell.strip()]
        if extra:
            malformed[index] = (
                f"row has {width + len(extra)} values but the header has {width} columns "
                "(a delimiter inside an unquoted value?)"
            )
        rows.append(record[:width] + [""] * (width - len(record)))
    frame = pd.DataFrame(rows, columns=unique_names(headers[-1]), dtype="object")
    if not len(rows):
        frame = pd.DataFrame({name: pd.Series([], dtype="object") for name in unique_names(headers[-1])})
    for index, reason in duplicate_rows(frame, numbers).items():
        malformed.setdefault(index, reason)
    return RawTable(path, headers, frame, header_rows + 1, encoding, delimiter, malformed, tuple(numbers))


def duplicate_rows(frame: pd.DataFrame, numbers: Sequence[int]) -> dict[int, str]:
    """Position -> "duplicate of row N" for every data row whose every cell repeats an earlier row's."""
    if frame.empty:
        return {}
    keys = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    codes, _ = pd.factorize(keys)  # numbered in the order rows first appear
    repeat = pd.Series(codes).duplicated().to_numpy()
    first = np.flatnonzero(~repeat)  # first[code]: where that row first appears
    return {
        int(position): f"duplicate of row {numbers[int(first[codes[position]])]}" for position in np.flatnonzero(repeat)
    }


def read_workbook(path: Path, sheet: str | None = None, header_rows: int = 1) -> RawTable:
    """Read an .xlsx sheet as text, refusing the usual fakes with a clear error."""
    try:
        head = path.read_bytes()[:_SNIFF_BYTES]
    except OSError as exc:
        raise InputError(
            f"cannot read the file ({exc.strerror})", file=path, hint="check the file exists and is readable"
        ) from None
    if not head.startswith(b"PK\x03\x04"):
        refuse_non_text(path, head)
        raise InputError(
            "the file is named .xlsx but is not an Excel workbook",
            file=path,
            hint="open it in Excel and save it as .xlsx, or export CSV instead",
        )
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(
            f"the workbook cannot be read ({type(exc).__name__})",
            file=path,
            hint="open and re-save it in Excel; a truncated download cannot be read",
        ) from None
    name = sheet or next(iter(sheets))
    if name not in sheets:
        raise InputError(f"sheet {name!r} not found", file=path, hint=f"sheets in the file: {', '.join(sheets)}")
    grid = sheets[name].fillna("")
    records = [
        (number, [str(cell) for cell in row])
        for number, row in enumerate(grid.itertuples(index=False), start=1)
        if any(str(cell).strip() for cell in row)
    ]
    if len(records) < header_rows:
        raise InputError("the sheet is empty", file=path, hint="export it again with headers")
    return _to_raw_table(path, records, header_rows, "xlsx", "")


def read_any(path: Path, sheet: str | None = None, header_rows: int = 1) -> RawTable:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_workbook(path, sheet, header_rows)
    return read_delimited(path, header_rows)

"""Reading JSON exports as the vendors' tools and consultants' scripts save them.

A file may hold one JSON document, JSON Lines (NDJSON: one document per line,
as GitHub's usage-metrics report downloads are), or several documents back to
back (``gh api --paginate`` without ``--slurp`` writes one per page).  Text is
UTF-8 with or without a BOM, or UTF-16 with a BOM (Windows PowerShell's
``Out-File``).  An empty file, an HTML page, a zip/Excel file and broken JSON
become an :class:`InputError` naming the file and the line, never a traceback.

JSON records become a frame of *text* cells (``records_frame``), so adapters
parse them with :mod:`scalegap.ingest.values` exactly as they parse CSV cells
and reject a row with a reason when a value is of the wrong kind.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest.text import refuse_non_text

_HEAD_BYTES = 64 * 1024
_WHITESPACE = " \t\r\n"


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read the file ({exc.strerror})", file=path, hint="check the file exists and is readable"
        ) from None


def decode_json_text(path: Path, raw: bytes) -> str:
    """The file's text: BOM-marked UTF-8 or UTF-16, else UTF-8."""
    refuse_non_text(path, raw[:_HEAD_BYTES])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read)",
            file=path,
            hint="export or save it again as UTF-8 JSON",
        ) from None


def read_json_documents(path: Path) -> list[Any]:
    """Every JSON document in the file, in order (one, JSON Lines, or back to back)."""
    text = decode_json_text(path, read_bytes(path))
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = _skip_space(text, 0)
    while position < len(text):
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise _broken_json(path, exc) from None
        documents.append(document)
        position = _skip_space(text, position)
    if not documents:
        raise InputError("the file is empty", file=path, hint="export it again from the source system")
    return documents


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _broken_json(path: Path, exc: json.JSONDecodeError) -> InputError:
    truncated = exc.pos >= len(exc.doc.rstrip()) - 1
    what = (
        "the file ends in the middle of a JSON value (a truncated download?)"
        if truncated
        else f"the file is not valid JSON ({exc.msg}, column {exc.colno})"
    )
    return InputError(what, file=path, row=exc.lineno, hint="download or export it again; do not edit it by hand")


def head_text(path: Path) -> str:
    """The first 64 KB as text, for format sniffing (never raises)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    return head.decode("utf-8-sig", errors="replace")


def looks_like_json(path: Path) -> bool:
    return head_text(path).lstrip()[:1] in ("{", "[")


def scalar_text(value: Any) -> str:
    """A JSON value as the text a CSV cell would hold: '' for null, JSON for objects and lists."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def flatten(record: Any) -> Any:
    """Nested objects one level down as dotted keys (``assignee.login``); anything else unchanged."""
    if not isinstance(record, dict):
        return record
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": item for inner, item in value.items()})
        else:
            flat[key] = value
    return flat


def record_fields(records: Iterable[Any]) -> list[str]:
    """Every top-level key of the records that are objects, in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            seen.update(dict.fromkeys(record))
    return list(seen)


def records_frame(records: list[Any], fields: list[str]) -> pd.DataFrame:
    """One text column per field, one row per record; a record that is not an object has empty cells."""
    columns = {
        field: [scalar_text(record.get(field)) if isinstance(record, dict) else "" for record in records]
        for field in fields
    }
    return pd.DataFrame(columns, index=range(len(records)), dtype="object")


def not_an_object(records: list[Any]) -> pd.Series:
    return pd.Series([not isinstance(record, dict) for record in records], dtype=bool)

"""What every support-ticket export has in common, shared by the ticket adapters.

* Columns are found by any of the names a vendor uses for them (ServiceNow
  writes field names or labels depending on the export option), compared
  without regard to case or repeated spaces; a column named in assessment.yml
  (``columns: {channel: Assignment group}``) wins and must exist in the file.
* The request channel says whether a ticket went straight to the pilot's build
  team or through the service desk.  The export's value is mapped through
  ``values: {channel: {"<value>": build_team|service_desk|other}}``, without
  regard to case; values the mapping does not name become ``other`` and are
  listed in one file-level warning.
* All timestamp columns of a file are parsed together, so one day/month order
  is decided per file (``values.dates``) and never differs between the
  created and the resolved column.
* Every ticket needs an id (once per file) and a creation time; it cannot be
  resolved or answered before it was created; a reopen count is a
  non-negative whole number.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from scalegap.canonical import column_names
from scalegap.errors import InputError, ScalegapError, raise_all
from scalegap.ingest import values, vocabulary
from scalegap.ingest.base import RowLedger, missing_column_error
from scalegap.settings import ExportSettings

CHANNELS = ("build_team", "service_desk", "other")
TICKET_FIELDS = tuple(column_names("tickets"))
TIMESTAMPS = ("created_at", "first_response_at", "resolved_at")
TEXT_FIELDS = ("person_id", "status", "priority", "category", "satisfaction")

#: canonical field -> the headers a format may use for it, most specific first
Candidates = dict[str, tuple[str, ...]]


def header_key(name: str) -> str:
    """How headers are compared: case-insensitive, spaces collapsed."""
    return " ".join(str(name).split()).casefold()


def header_names(path: Path) -> set[str]:
    """The comparable names in a CSV file's first line (empty when unreadable), for ``sniff``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return set()
    first_line = next(csv.reader(io.StringIO(head)), [])
    return {header_key(name) for name in first_line}


def find_columns(
    columns: list[str],
    candidates: Candidates,
    export: ExportSettings,
    path: Path,
    required: tuple[str, ...],
    label: str,
) -> dict[str, str]:
    """Canonical field -> the file's column, from assessment.yml's mapping, else the format's names."""
    unknown = sorted(set(export.columns) - set(TICKET_FIELDS))
    if unknown:
        raise InputError(
            f"column mapping names unknown field(s) {unknown} for {label}",
            file=path,
            hint=f"known fields: {', '.join(TICKET_FIELDS)}",
        )
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(header_key(column), column)
    found: dict[str, str] = {}
    errors: list[ScalegapError] = []
    for field, header in export.columns.items():
        if header_key(header) not in by_key:
            errors.append(
                missing_column_error(
                    header,
                    columns,
                    path,
                    f"fix columns: {{{field}: ...}} under exports.tickets in assessment.yml",
                    "tickets",
                    field,
                    mapped=True,
                )
            )
        else:
            found[field] = by_key[header_key(header)]
    for field, names in candidates.items():
        match = next((by_key[header_key(name)] for name in names if header_key(name) in by_key), None)
        if match is not None:
            found.setdefault(field, match)
    for field in required:
        if field not in found and field not in export.columns:
            errors.append(
                missing_column_error(
                    candidates.get(field, (field,))[0],
                    columns,
                    path,
                    f"map it in assessment.yml under exports.tickets: columns: {{{field}: <header>}}",
                    "tickets",
                    field,
                )
            )
    raise_all(errors)
    return found


def channel_mapping(export: ExportSettings) -> dict[str, str]:
    """``values.channel`` from assessment.yml (checked by :func:`vocabulary.check_value_maps`)."""
    vocabulary.check_value_maps("tickets", export)
    return vocabulary.value_map("tickets", "channel", export)


def channels(frame: pd.DataFrame, columns: dict[str, str], export: ExportSettings) -> tuple[pd.Series, list[str]]:
    """The mapped channel of each ticket, and the export's values the mapping does not name."""
    mapping = channel_mapping(export)
    if "channel" not in columns:
        return pd.Series("other", index=frame.index, dtype="object"), []
    given = values.text(frame[columns["channel"]]).fillna("")
    mapped = given.map(vocabulary.value_key).map(mapping)
    unmapped = sorted(set(given[mapped.isna() & given.ne("")]), key=str.casefold)
    return mapped.astype("object").fillna("other"), unmapped


def channel_warnings(unmapped: list[str], column: str | None) -> tuple[str, ...]:
    if not unmapped:
        return ()
    return (
        f"channel values of column {column!r} not mapped in assessment.yml, counted as 'other': "
        f"{', '.join(unmapped)} — map them under values: {{channel: {{<value>: build_team|service_desk}}}}",
    )


def timestamps(
    frame: pd.DataFrame,
    columns: dict[str, str],
    fields: tuple[str, ...],
    ledger: RowLedger,
    fmt: str | None = None,
    reason: str | None = None,
) -> dict[str, pd.Series]:
    """Parse the timestamp columns of one file together (one date order per file)."""
    present = [field for field in fields if field in columns]
    parsed: dict[str, pd.Series] = {
        field: pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]") for field in fields
    }
    if not present:
        return parsed
    stacked = pd.concat([frame[columns[field]] for field in present], ignore_index=True)
    stamps, bad = values.dates(stacked, fmt, ledger.notes)
    reason = reason or (f"value is not a date in the format {fmt}" if fmt else "value is not a date")
    for index, field in enumerate(present):
        part = slice(index * len(frame), (index + 1) * len(frame))
        ledger.reject(bad.iloc[part].to_numpy(), reason, columns[field])
        parsed[field] = pd.Series(stamps.iloc[part].to_numpy(), index=frame.index, dtype="datetime64[ns]")
    return parsed


def ticket_ids(frame: pd.DataFrame, column: str, ledger: RowLedger) -> pd.Series:
    ids = values.text(frame[column])
    ledger.reject(ids.isna(), "ticket id is empty", column)
    ledger.reject(ids.notna() & ids.duplicated(), "ticket id repeats an earlier row (the first is kept)", column)
    return ids


def non_negative(
    frame: pd.DataFrame, column: str | None, ledger: RowLedger, what: str, whole: bool = False
) -> pd.Series:
    """A count or a duration: a number, not negative (and whole for a count); missing where empty."""
    if column is None:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    parsed, bad = values.number(frame[column])
    ledger.reject(bad, "value is not a number", column)
    ledger.reject(parsed < 0, f"{what} is negative", column)
    if whole:
        ledger.reject(parsed.notna() & (parsed % 1 != 0), f"{what} is not a whole number", column)
    return parsed


def split_list(series: pd.Series, separators: str) -> pd.Series:
    """A multi-value cell (``a b`` or ``a, b``) as ``a; b``; missing where empty."""
    pattern = re.compile(separators)
    cells = series.fillna("").astype(str)
    joined = cells.map(lambda cell: "; ".join(part.strip() for part in pattern.split(cell) if part.strip()))
    return joined.astype("object").where(joined.ne(""), None)


def common_fields(
    frame: pd.DataFrame,
    columns: dict[str, str],
    export: ExportSettings,
    ledger: RowLedger,
    stamps: tuple[str, ...] = TIMESTAMPS,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The ticket columns every format fills the same way, and the file-level warnings.

    ``stamps`` are the timestamp columns read as dates (``date_format`` if set, else decided per file).
    """
    table = pd.DataFrame({"ticket_id": ticket_ids(frame, columns["ticket_id"], ledger)}, index=frame.index)
    for field in TEXT_FIELDS:
        table[field] = values.text(frame[columns[field]]) if field in columns else None
    for field, parsed in timestamps(frame, columns, stamps, ledger, export.date_format).items():
        table[field] = parsed
    ledger.reject(table["created_at"].isna(), "created date is empty", columns["created_at"])
    table["reopen_count"] = non_negative(frame, columns.get("reopen_count"), ledger, "reopen count", whole=True)
    table["channel"], unmapped = channels(frame, columns, export)
    return table, channel_warnings(unmapped, columns.get("channel")) + coverage_notes(table, columns)


def coverage_notes(table: pd.DataFrame, columns: dict[str, str]) -> tuple[str, ...]:
    """Say so when no ticket can be linked to a person, or none has a resolution time."""
    notes: list[str] = []
    if "person_id" not in columns:
        notes.append(
            "no requester column, so no ticket can be linked to the roster — map one under "
            "columns: {person_id: <header>}"
        )
    elif len(table) and table["person_id"].isna().all():
        notes.append(
            f"the requester column {columns['person_id']!r} is empty in every row, so no ticket can "
            "be linked to the roster — map another one under columns: {person_id: <header>}"
        )
    if "resolved_at" not in columns:
        notes.append(
            "no resolution time column, so resolution times cannot be measured — add it to the export "
            "or map it under columns: {resolved_at: <header>}"
        )
    return tuple(notes)


def reject_out_of_order(table: pd.DataFrame, columns: dict[str, str], ledger: RowLedger) -> None:
    """A ticket cannot be resolved or first answered before it was created."""
    ledger.reject(
        table["resolved_at"] < table["created_at"], "resolved before it was created", columns.get("resolved_at")
    )
    ledger.reject(
        table["first_response_at"] < table["created_at"],
        "first response before it was created",
        columns.get("first_response_at"),
    )

"""Usage telemetry kept in a warehouse table (``exports.usage: {warehouse: <URL>, table: <name>}``).

A warehouse table holds raw events, possibly billions of them, so they never come here: one Ibis query, compiled
to the warehouse's SQL, checks each row as :data:`scalegap.ingest.usage.CHECKS` does a file's (where SQL can say
it) and sums the usable rows to the canonical grain, one row per person reference (``person_id`` or ``email``),
day and source; only those person-days come back (``to_pyarrow``).  Two small queries more count the unusable rows
per reason and fetch a bounded sample of them (the first :data:`SAMPLE` of each reason, ordered by their values) for the
rejects file.  A warehouse row has no row number (a table has no order): a rejected row's ``source_row`` is empty
and its values say which it is.

Rows read = person-days kept + rows merged into a kept person-day + rejected rows (those listed and those only
counted), so the manifest's accounting still adds up.  The fingerprint is a digest of what came back, so a changed
warehouse re-runs the chapters; the URL is recorded without its password.

A text date must be ISO (``2027-01-31``, a time after it is ignored); a typed date or timestamp is read as is.
A text that looks ISO but is no day (``2027-02-30``) is not caught by the check: DuckDB then refuses the query
(one error line), SQLite reads it as the next month's day.  Counts must be numeric columns.  A person given by id
on some rows and by e-mail on others gives two person-days per day until linking; the second is then rejected as
a repeat, as a file's would be.  Ibis is imported inside the functions, never when this module is imported.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from scalegap.canonical import conform, header_key
from scalegap.errors import ConfigurationError, InputError
from scalegap.ingest.base import IngestResult
from scalegap.ingest.usage import CHECKS
from scalegap.ingest.values import EMAIL
from scalegap.settings_exports import ENV_VARIABLE, WarehouseExportSettings

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: the format a warehouse table is recorded under, and its rows' ``source`` when the table has no source column
FORMAT = "usage_warehouse"
#: rejected rows fetched per reason for the rejects file (the first in the order of their values); the rest are
#: counted in the warehouse
SAMPLE = 1_000
#: canonical usage field -> the table's column when ``columns`` does not name one
DEFAULT_COLUMNS = {
    "person_id": "person_id",
    "email": "email",
    "date": "date",
    "interactions": "interactions",
    "active_minutes": "active_minutes",
    "source": "source",
}
#: a text date the warehouse can read: ISO year-month-day, then nothing, or a time
ISO_DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ].*)?$"
INSTALL = "pip install 'scalegap[warehouse]' (and the Ibis extra of the warehouse, e.g. 'ibis-framework[postgres]')"
FILE_BACKENDS = ("duckdb", "sqlite")


@dataclass(frozen=True)
class WarehouseRead:
    """What a warehouse table gave: the ingest result, the table as named in the manifest, a digest of it."""

    result: IngestResult
    label: str
    digest: str


def expanded_url(url: str) -> str:
    """``url`` with each ``${NAME}`` read from the environment."""

    def value(match: Any) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigurationError(
                f"environment variable {name} is not set",
                file="exports.usage.warehouse",
                hint=f"set {name} before running scalegap (the warehouse URL reads it)",
            )
        return os.environ[name]

    return ENV_VARIABLE.sub(value, url)


def redacted_url(url: str) -> str:
    """``url`` without its password (``postgres://ann:***@host/db``): what the manifest, logs and book show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def database_file(url: str, root: Path) -> Path | None:
    """The database file of a ``duckdb://`` or ``sqlite://`` URL (three slashes: relative to ``root``)."""
    parts = urlsplit(url)
    if parts.scheme not in FILE_BACKENDS or not parts.path.strip("/"):
        return None
    path = Path(parts.path[1:])
    return path if path.is_absolute() else root / path


def connect(url: str, root: Path) -> Any:
    """An Ibis backend for ``url``; one line naming the setting when it cannot be reached."""
    try:
        import ibis
    except ImportError:
        raise ConfigurationError("Ibis is not installed", file="exports.usage.warehouse", hint=INSTALL) from None
    path = database_file(url, root)
    if path is not None and not path.is_file():
        raise InputError(
            "warehouse database not found", file=path, hint="fix exports.usage.warehouse in assessment.yml"
        )
    try:
        if path is not None:
            scheme = urlsplit(url).scheme
            return ibis.duckdb.connect(path, read_only=True) if scheme == "duckdb" else ibis.sqlite.connect(path)
        return ibis.connect(url)
    except ImportError:
        raise ConfigurationError(
            f"the Ibis backend for {urlsplit(url).scheme}:// is not installed",
            file="exports.usage.warehouse",
            hint=INSTALL,
        ) from None
    except Exception as exc:  # every driver raises its own errors
        raise ConfigurationError(
            f"cannot reach the warehouse {redacted_url(url)} ({type(exc).__name__})",
            file="exports.usage.warehouse",
            hint="check the URL, the network and the credentials (given as ${VARIABLE}s)",
        ) from None


def open_table(backend: Any, name: str) -> ir.Table:
    """The table ``name`` (``schema.table``, or ``catalog.schema.table``)."""
    *database, table = name.split(".")
    where = tuple(database) if len(database) > 1 else (database[0] if database else None)
    try:
        return backend.table(table, database=where)
    except Exception as exc:
        raise InputError(
            f"the warehouse has no table {name!r} ({type(exc).__name__})",
            file="exports.usage.table",
            hint="fix exports.usage.table in assessment.yml (schema.table where the warehouse has schemas)",
        ) from None


def column_map(raw: ir.Table, export: WarehouseExportSettings) -> dict[str, str]:
    """Canonical field -> the table's column: those ``columns`` names must exist; defaults are taken if present."""
    unknown = sorted(set(export.columns) - set(DEFAULT_COLUMNS))
    if unknown:
        raise ConfigurationError(
            f"exports.usage.columns names unknown field(s) {unknown}",
            file="exports.usage.columns",
            hint=f"known fields: {', '.join(DEFAULT_COLUMNS)}",
        )
    by_key = {header_key(column): column for column in raw.columns}
    found: dict[str, str] = {}
    for field, default in DEFAULT_COLUMNS.items():
        wanted = export.columns.get(field, default)
        if wanted in raw.columns or header_key(wanted) in by_key:
            found[field] = wanted if wanted in raw.columns else by_key[header_key(wanted)]
        elif field in export.columns or field == "date":
            raise InputError(
                f"the table {export.table!r} has no column {wanted!r}",
                file=f"exports.usage.columns.{field}",
                hint=f"its columns: {', '.join(raw.columns)}; fix exports.usage.columns.{field} in assessment.yml",
            )
    if "person_id" not in found and "email" not in found:
        raise InputError(
            f"the table {export.table!r} has neither a person id nor an e-mail column",
            file="exports.usage.columns",
            hint="map one of them in assessment.yml under exports.usage.columns: {person_id: ..} or {email: ..}",
        )
    return found


def checked_rows(raw: ir.Table, columns: dict[str, str]) -> ir.Table:
    """Each raw row's canonical values and its first failing check (``reason``, ``column``; empty when usable)."""
    import ibis

    def text(field: str, lower: bool = False) -> ir.StringValue:
        if field not in columns:
            return ibis.null("string")
        value = raw[columns[field]].cast("string").strip()
        return (value.lower() if lower else value).nullif("")

    values: dict[str, Any] = {"person_id": text("person_id"), "email": text("email", lower=True)}
    values["email_bad"] = values["email"].notnull() & ~values["email"].re_search(EMAIL.pattern)
    values["date"], values["date_bad"] = _day(raw, columns["date"])
    for measure in ("interactions", "active_minutes"):
        values[measure] = _count(raw, columns, measure)
    values["source"] = text("source").fill_null(FORMAT) if "source" in columns else ibis.literal(FORMAT)
    person = columns.get("person_id", columns.get("email"))
    tests = []
    for field, test, reason in CHECKS:
        column = person if field == "person" else columns.get(field)
        if column is None or test.endswith("_bad") and test not in values:
            continue
        tests.append((_check(values, test), reason, column))
    reason = ibis.cases(*[(test, ibis.literal(why)) for test, why, _ in tests], else_=ibis.null("string"))
    where = ibis.cases(*[(test, ibis.literal(column)) for test, _, column in tests], else_=ibis.null("string"))
    kept = ("person_id", "email", "date", "interactions", "active_minutes", "source")
    return raw.mutate(**{f"_{name}": values[name] for name in kept}, _reason=reason, _column=where)


def _day(raw: ir.Table, column: str) -> tuple[Any, Any]:
    """The day of a date, timestamp or ISO text column, and whether a given text is no date."""
    import ibis

    value = raw[column]
    kind = value.type()
    if kind.is_timestamp():
        return value.date(), ibis.literal(False)
    if kind.is_date():
        return value, ibis.literal(False)
    if not kind.is_string():
        raise InputError(
            f"the date column {column!r} is of type {kind}, not a date, a timestamp or text",
            file="exports.usage.columns.date",
            hint="map a date column under exports.usage.columns.date",
        )
    given = value.strip().nullif("")
    iso = given.re_search(ISO_DAY)
    return iso.ifelse(given.substr(0, 10).cast("date"), ibis.null("date")), given.notnull() & ~iso


def _count(raw: ir.Table, columns: dict[str, str], measure: str) -> Any:
    import ibis

    if measure not in columns:
        return ibis.null("float64")
    value = raw[columns[measure]]
    if not value.type().is_numeric():
        raise InputError(
            f"the column {columns[measure]!r} is of type {value.type()}, not a number",
            file=f"exports.usage.columns.{measure}",
            hint="map a numeric column, or cast it in a view of the table",
        )
    return value.cast("float64")


def _check(values: dict[str, Any], test: str) -> Any:
    """One of :data:`CHECKS`' SQL tests as an Ibis expression (the tests are simple: ``x_bad``, ``x IS NULL``,
    ``x < 0``, ``a IS NULL AND b IS NULL``)."""
    if test.endswith("_bad"):
        return values[test]
    if " AND " in test:
        left, right = test.split(" AND ")
        return _check(values, left) & _check(values, right)
    name, _, rest = test.partition(" ")
    return values[name].isnull() if rest == "IS NULL" else values[name] < 0


def read_warehouse(export: WarehouseExportSettings, root: Path) -> WarehouseRead:
    """The person-days of a warehouse table, its rejected rows (a sample; the rest counted) and its digest."""
    url = expanded_url(export.warehouse)
    label = f"{export.table} in {redacted_url(export.warehouse if database_file(url, root) else url)}"
    raw = open_table(connect(url, root), export.table)
    columns = column_map(raw, export)
    rows = checked_rows(raw, columns)
    try:
        days, counts, sample = _fetch(rows, columns)
    except Exception as exc:  # the warehouse's own error, in one line
        raise InputError(
            f"the warehouse cannot run the usage query ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})",
            file=label,
            hint="check exports.usage.table and exports.usage.columns in assessment.yml",
        ) from None
    return _result(days, counts, sample, label)


def _fetch(rows: ir.Table, columns: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three queries: the usable rows summed per person-day, the rows per reason, a sample of the rejected."""
    import ibis

    usable = rows.filter(rows._reason.isnull())
    keys = {name: usable[f"_{name}"] for name in ("person_id", "email", "date", "source")}
    days = usable.group_by(**keys).aggregate(
        interactions=usable._interactions.sum(), active_minutes=usable._active_minutes.sum(), _rows=ibis._.count()
    )
    counts = rows.group_by(column=rows._column, reason=rows._reason).aggregate(rows=ibis._.count())
    given = list(dict.fromkeys(columns.values()))
    bad = rows.filter(rows._reason.notnull())
    order = [bad[name].cast("string").fill_null("") for name in given]
    rank = ibis.row_number().over(group_by=bad._reason, order_by=order)
    ranked = bad.mutate(_rank=rank)
    sample = ranked.filter(ranked._rank < SAMPLE)  # Ibis numbers rows from 0
    sample = sample.select(reason=sample._reason, column=sample._column, **{n: sample[n].cast("string") for n in given})
    return (days.to_pyarrow().to_pandas(), counts.to_pyarrow().to_pandas(), sample.to_pyarrow().to_pandas())


def _result(days: pd.DataFrame, counts: pd.DataFrame, sample: pd.DataFrame, label: str) -> WarehouseRead:
    """The person-days as canonical usage rows, the accounting and the digest of what came back."""
    days = days.sort_values(["date", "person_id", "email", "source"], na_position="last", kind="stable")
    days = days.reset_index(drop=True).assign(date=lambda frame: pd.to_datetime(frame["date"]).astype("datetime64[ns]"))
    for measure in ("interactions", "active_minutes"):
        days[measure] = days[measure].astype("float64")
    accepted = conform("usage", days.drop(columns="_rows"))
    accepted.insert(0, "source_row", pd.array([None] * len(accepted), dtype="Int64"))  # no row numbers
    sample = sample.sort_values(list(sample.columns), na_position="last", kind="stable").reset_index(drop=True)
    rejected = sample.astype("object").where(sample.notna(), None)
    rejected.insert(0, "source_row", None)
    counted = counts[counts["reason"].notna()].sort_values(["column", "reason"]).reset_index(drop=True)
    listed = sample.groupby(["column", "reason"]).size()
    unlisted = tuple(
        (str(row.column), str(row.reason), max(0, int(row.rows) - int(listed.get((row.column, row.reason), 0))))
        for row in counted.itertuples()
    )
    used = int(days["_rows"].sum())
    # the rows read as the three queries saw them, so the accounting adds up even if the table changed meanwhile
    rows_read = used + len(rejected) + sum(rows for _, _, rows in unlisted)
    warnings: tuple[str, ...] = ()
    if rows_read != int(counts["rows"].sum()):
        warnings = (
            f"the warehouse table changed while it was read ({int(counts['rows'].sum()):,} rows, then "
            f"{rows_read:,}): run again when it is not being loaded",
        )
    result = IngestResult(
        "usage", label, FORMAT, accepted, rejected, rows_read, warnings, merged=used - len(days), unlisted=unlisted
    )
    return WarehouseRead(result, label, digest_of(accepted, rejected, counted))


def digest_of(*frames: pd.DataFrame) -> str:
    """SHA-256 of what the warehouse gave (rows in their order), for the run's content-keyed cache."""
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes())
    return digest.hexdigest()

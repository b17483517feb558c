"""Activity in the usage table: the queries of :mod:`scalegap.models.activity_queries`, run where the rows are.

The usage table (one row per person per active day and telemetry source) is
the large one, so its aggregations are written once as Ibis expressions over
two tables, ``usage`` (``person_id``, ``date``, ``source``) and ``roster``
(``person_id`` and the segment columns), and run by the backend that holds
them: an embedded DuckDB over the prepared parquet files by default, or a
warehouse (any Ibis backend) where a big client's telemetry lives.  No usage
row is ever loaded into pandas; only the aggregates come back, as DataFrames.
Ibis is imported inside the functions that run a query, never when a chapter
imports this module.

Conventions, the same in every query:

* a person is active on a day when any telemetry source reports them that
  day; two sources reporting the same person-day count once;
* only days, weeks and people with activity have rows (a day nobody used the
  tool has none);
* weeks are ISO 8601 weeks: Monday to Sunday, numbered within their ISO year,
  which differs from the calendar year around New Year (2027-01-01 is in
  week 53 of 2026); ``week_start`` is the Monday;
* ``segment`` is one of the roster's segment columns (department, role,
  location, tenure_band); people missing from the roster have no segment.

Counts are not suppressed here: a chapter applies
:func:`scalegap.privacy.suppress_small_groups` before showing them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Union
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from scalegap.errors import ConfigurationError, InputError
from scalegap.models.activity_warehouse import Build, Frames, WarehouseTable
from scalegap.models.segments import SEGMENT_COLUMNS
from scalegap.package import PreparedPackage

if TYPE_CHECKING:  # imported where a query runs, never when a chapter imports this module
    import ibis.expr.types as ir

PathLike = str | Path
#: what the functions read: a PreparedPackage, usage parquet path(s), a warehouse table, or an ActivityData
UsageData = Union["ActivityData", "WarehouseTable", PreparedPackage, PathLike, Sequence[PathLike]]
#: the usage table's columns as the queries read them (``date`` may hold a date or a timestamp)
USAGE_SCHEMA = {"person_id": "string", "date": "timestamp", "source": "string"}


@dataclass(frozen=True)
class ActivityData:
    """Where the usage rows (one or more parquet files, or a warehouse table) and the roster are."""

    usage: tuple[str, ...]
    roster: str | None = None
    warehouse: WarehouseTable | None = None

    @classmethod
    def of(cls, data: UsageData, roster: PathLike | None = None) -> ActivityData:
        if isinstance(data, ActivityData):
            return data if roster is None else cls(data.usage, str(roster), data.warehouse)
        if isinstance(data, WarehouseTable):
            if roster is not None and not Path(roster).is_file():
                raise InputError("roster parquet file not found", file=roster, hint="pass the prepared roster.parquet")
            return cls((), str(roster) if roster else None, data)
        if isinstance(data, PreparedPackage):
            if not data.has("usage"):
                raise InputError(
                    "the prepared package has no usage table",
                    file=data.path,
                    hint="configure exports.usage in assessment.yml",
                )
            data.has("roster")  # recorded as read: the queries join it by path
            return cls((str(data.path / "usage.parquet"),), str(data.path / "roster.parquet"))
        paths = [data] if isinstance(data, (str, Path)) else list(data)
        missing = [str(path) for path in [*paths, *([roster] if roster else [])] if not Path(path).is_file()]
        if missing or not paths:
            raise InputError(
                "usage parquet file not found",
                file=missing[0] if missing else None,
                hint="run `scalegap run DIR` first, or pass the prepared usage.parquet",
            )
        return cls(tuple(str(path) for path in paths), str(roster) if roster else None)

    @property
    def where(self) -> str:
        """The usage table's place, for an error message."""
        return f"{self.warehouse.url} {self.warehouse.table}" if self.warehouse else self.usage[0]


def daily_active_users(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per day (and segment): ``date``, [segment], ``active_users``."""
    return _run("daily_active_users", ActivityData.of(data, roster), segment, sources)


def weekly_active_users(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per ISO week (and segment): ``iso_year``, ``iso_week``, ``week_start``, [segment], ``active_users``."""
    return _run("weekly_active_users", ActivityData.of(data, roster), segment, sources)


def active_days_per_week(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per person and ISO week with activity: ``person_id``, the week, [segment], ``active_days`` (1..7)."""
    return _run("active_days_per_week", ActivityData.of(data, roster), segment, sources)


def first_last_active(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per person: ``person_id``, [segment], ``first_active``, ``last_active``, ``active_days``."""
    return _run("first_last_active", ActivityData.of(data, roster), segment, sources)


def usage_sources(source: ActivityData) -> set[str]:
    """The telemetry sources (adapter names) the usage table's rows come from."""
    from scalegap.models import activity_queries

    found = _execute(lambda usage, _, __: activity_queries.usage_sources(usage), source, key=("usage_sources",))
    return {str(value) for value in found["source"]}


def person_weeks(source: ActivityData, access: pd.DataFrame) -> pd.DataFrame:
    """Per person in ``access`` (``person_id``, ``access_start``) and ISO week with activity from that day on:
    :func:`scalegap.models.activity_queries.person_weeks`; only ``access`` (one row per person) is sent."""
    from scalegap.models import activity_queries

    starts = pd.to_datetime(access["access_start"]).dt.normalize()
    days = pd.DataFrame(
        {
            "person_id": access["person_id"].astype(str),
            "access_day": starts.astype("datetime64[us]"),
            "access_week": (starts - pd.to_timedelta(starts.dt.day_of_week, unit="D")).astype("datetime64[us]"),
        }
    )
    schema = {"person_id": "string", "access_day": "date", "access_week": "date"}
    return _execute(
        lambda usage, _, tables: activity_queries.person_weeks(usage, tables["access"]),
        source,
        frames={"access": (days, schema)},
        key=("person_weeks",),
    )


def statement(query: str, segment: str | None = None) -> str:
    """The DuckDB SQL that ``query`` (a name in :mod:`scalegap.models.activity_queries`) compiles to, over the
    relations ``usage`` and ``roster``."""
    import ibis

    return str(ibis.to_sql(_query(query)(_usage_table(), _roster_table(segment), segment), dialect="duckdb"))


def _query(name: str) -> Callable[..., ir.Table]:
    from scalegap.models import activity_queries

    query: Callable[..., ir.Table] = getattr(activity_queries, name)
    return query


def _run(query: str, source: ActivityData, segment: str | None, sources: Sequence[str] | None) -> pd.DataFrame:
    _check_segment(segment, source)
    key = (query, segment, None if sources is None else tuple(sources))
    return _execute(lambda usage, roster, _: _query(query)(usage, roster, segment, sources), source, segment, key=key)


#: the DuckDB SQL of each query already compiled in this process, by its key (see :func:`_execute`)
_COMPILED: dict[Hashable, str] = {}


def _execute(
    build: Build,
    source: ActivityData,
    segment: str | None = None,
    frames: Frames | None = None,
    key: Hashable | None = None,
) -> pd.DataFrame:
    """Run the query where the usage rows are; only its aggregates come back.  ``key``: what the query's SQL
    depends on besides the tables (its name, segment, sources), under which its DuckDB SQL is compiled once per
    process (None: compiled every time)."""
    if source.warehouse is not None and not source.warehouse.url.startswith("duckdb://"):
        from scalegap.models.activity_warehouse import in_warehouse

        try:
            return in_warehouse(build, source.warehouse, source.roster, segment, frames or {})
        except Exception as exc:  # a warehouse's driver raises its own errors: each becomes one line
            raise _unreadable(exc, source) from None
    sql = _COMPILED.get(key) if key is not None else None
    if sql is None:
        sql = _duckdb_sql(build, segment, frames)
        if key is not None:
            _COMPILED[key] = sql
    try:
        with duckdb.connect() as connection:
            _usage_view(connection, source)
            if segment is not None and source.roster is not None:
                connection.read_parquet(source.roster).create_view("roster")
            for name, (frame, _) in (frames or {}).items():
                connection.register(name, frame)
            return connection.sql(sql).df()
    except duckdb.Error as exc:  # a parquet file that is not a prepared usage or roster table
        raise _unreadable(exc, source) from None


def _duckdb_sql(build: Build, segment: str | None, frames: Frames | None) -> str:
    """The DuckDB SQL the query ``build`` makes compiles to, over the relations ``usage``, ``roster`` and
    ``frames``."""
    import ibis

    tables = {name: ibis.table(schema, name=name) for name, (_, schema) in (frames or {}).items()}
    return str(ibis.to_sql(build(_usage_table(), _roster_table(segment), tables), dialect="duckdb"))


def _usage_view(connection: duckdb.DuckDBPyConnection, source: ActivityData) -> None:
    """The view ``usage`` (``person_id``, ``date``, ``source``): of the parquet files, or of a DuckDB database's
    table, attached read-only.

    Queries on DuckDB are compiled by Ibis and run here rather than by Ibis's DuckDB backend: Ibis 12.0's backend
    reads a table's schema with ``fetch_arrow_table``, which DuckDB 2 removed (ibis-project/ibis#12001)."""
    warehouse = source.warehouse
    if warehouse is None:
        connection.read_parquet(list(source.usage)).create_view("usage")
        return
    parts = urlsplit(warehouse.url)
    path = "'" + (parts.netloc + parts.path).replace("'", "''") + "'"
    connection.execute(f"ATTACH {path} AS warehouse (READ_ONLY)")
    table = connection.table(f"warehouse.{warehouse.table}")
    named = [duckdb.ColumnExpression(warehouse.column(name)).alias(name) for name in USAGE_SCHEMA]
    table.select(*named).create_view("usage")


def _usage_table() -> ir.Table:
    """The usage table as the queries see it, unbound: named ``usage``, bound by name where it runs."""
    import ibis

    return ibis.table(USAGE_SCHEMA, name="usage")


def _roster_table(segment: str | None) -> ir.Table | None:
    import ibis

    return ibis.table({"person_id": "string", segment: "string"}, name="roster") if segment else None


def _unreadable(exc: Exception, source: ActivityData) -> InputError:
    """The one-line error of a usage table the query cannot read."""
    if source.warehouse is not None:
        return InputError(
            f"the warehouse cannot run the activity query ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})",
            file=source.where,
            hint="check the warehouse table: its connection URL, its name, and its person_id, date and source columns",
        )
    return InputError(
        f"the activity query cannot read the prepared tables ({type(exc).__name__})",
        file=source.usage[0],
        hint="run the assessment again (`scalegap run DIR`)",
    )


def _check_segment(segment: str | None, source: ActivityData) -> None:
    if segment is None:
        return
    if segment not in SEGMENT_COLUMNS:  # only known column names reach a query
        raise ConfigurationError(f"unknown segment {segment!r}", hint=f"segments: {', '.join(SEGMENT_COLUMNS)}")
    if source.roster is None:
        raise ConfigurationError(
            f"grouping by {segment!r} needs the roster",
            hint="pass roster=<prepared roster.parquet>, or a PreparedPackage",
        )

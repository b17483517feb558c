"""Activity in the usage table, as DuckDB SQL over the prepared parquet files.

The usage table (one row per person per active day and telemetry source) is
the large one, so its aggregations are plain SQL SELECTs over two relations,
``usage`` (``person_id``, ``date``, ``source``) and ``roster`` (``person_id``
and the segment columns): the same statements can run where a big client's
telemetry lives (a warehouse, Spark SQL) without a rewrite, and no usage row
is ever loaded into pandas.  Only the aggregates come back, as DataFrames.

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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import duckdb
import pandas as pd

from scalegap.errors import ConfigurationError, InputError
from scalegap.models.segments import SEGMENT_COLUMNS
from scalegap.package import PreparedPackage

PathLike = str | Path
#: what the functions read: a PreparedPackage, usage parquet path(s), or an ActivityData
UsageData = Union["ActivityData", PreparedPackage, PathLike, Sequence[PathLike]]

ACTIVE_DAYS = """
    SELECT DISTINCT person_id, CAST(date AS DATE) AS day
    FROM read_parquet($usage)
    WHERE person_id IS NOT NULL AND date IS NOT NULL
      AND ($sources IS NULL OR list_contains($sources, source))
"""


@dataclass(frozen=True)
class ActivityData:
    """Where the usage rows (one or more parquet files) and the roster are."""

    usage: tuple[str, ...]
    roster: str | None = None

    @classmethod
    def of(cls, data: UsageData, roster: PathLike | None = None) -> ActivityData:
        if isinstance(data, ActivityData):
            return data if roster is None else cls(data.usage, str(roster))
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


def daily_active_users(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per day (and segment): ``date``, [segment], ``active_users``."""
    return _run(
        ActivityData.of(data, roster),
        segment,
        sources,
        select="active.day AS date",
        group="active.day",
        measures="count(*) AS active_users",
        order="date",
    )


def weekly_active_users(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per ISO week (and segment): ``iso_year``, ``iso_week``, ``week_start``, [segment], ``active_users``."""
    return _run(
        ActivityData.of(data, roster),
        segment,
        sources,
        select=_WEEK,
        group=_WEEK_GROUP,
        measures="count(DISTINCT active.person_id) AS active_users",
        order="week_start",
    )


def active_days_per_week(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per person and ISO week with activity: ``person_id``, [segment], the week, ``active_days`` (1..7)."""
    return _run(
        ActivityData.of(data, roster),
        segment,
        sources,
        select=f"active.person_id AS person_id, {_WEEK}",
        group=f"active.person_id, {_WEEK_GROUP}",
        measures="count(*) AS active_days",
        order="person_id, week_start",
    )


def first_last_active(
    data: UsageData, segment: str | None = None, *, roster: PathLike | None = None, sources: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per person: ``person_id``, [segment], ``first_active``, ``last_active``, ``active_days``."""
    return _run(
        ActivityData.of(data, roster),
        segment,
        sources,
        select="active.person_id AS person_id",
        group="active.person_id",
        order="person_id",
        measures="min(active.day) AS first_active, max(active.day) AS last_active, count(*) AS active_days",
    )


_WEEK = (
    "isoyear(active.day) AS iso_year, week(active.day) AS iso_week, "
    "CAST(date_trunc('week', active.day) AS DATE) AS week_start"
)
_WEEK_GROUP = "isoyear(active.day), week(active.day), date_trunc('week', active.day)"


def activity_sql(select: str, group: str, measures: str, order: str, segment: str | None) -> str:
    """The statement: active person-days, joined to the roster when grouped by a segment."""
    join = "LEFT JOIN read_parquet($roster) AS people ON people.person_id = active.person_id" if segment else ""
    by_segment = f", people.{segment}" if segment else ""
    shown_segment = f", people.{segment} AS {segment}" if segment else ""
    return (
        f"WITH active AS ({ACTIVE_DAYS})\n"
        f"SELECT {select}{shown_segment}, {measures}\n"
        f"FROM active {join}\n"
        f"GROUP BY {group}{by_segment}\n"
        f"ORDER BY {order}{f', {segment} NULLS LAST' if segment else ''}"
    )


def _run(
    source: ActivityData,
    segment: str | None,
    sources: Sequence[str] | None,
    *,
    select: str,
    group: str,
    measures: str,
    order: str,
) -> pd.DataFrame:
    _check_segment(segment, source)
    params: dict[str, object] = {"usage": list(source.usage), "sources": list(sources) if sources else None}
    if segment:
        params["roster"] = source.roster
    sql = activity_sql(select, group, measures, order, segment)
    try:
        with duckdb.connect() as connection:
            return connection.sql(sql, params=params).df()
    except duckdb.Error as exc:  # a parquet file that is not a prepared usage or roster table
        raise InputError(
            f"the activity query cannot read the prepared tables ({type(exc).__name__})",
            file=source.usage[0],
            hint="run the assessment again (`scalegap run DIR`)",
        ) from None


def _check_segment(segment: str | None, source: ActivityData) -> None:
    if segment is None:
        return
    if segment not in SEGMENT_COLUMNS:  # also keeps the SQL free of anything but known column names
        raise ConfigurationError(f"unknown segment {segment!r}", hint=f"segments: {', '.join(SEGMENT_COLUMNS)}")
    if source.roster is None:
        raise ConfigurationError(
            f"grouping by {segment!r} needs the roster",
            hint="pass roster=<prepared roster.parquet>, or a PreparedPackage",
        )


def usage_sources(source: ActivityData) -> set[str]:
    """The telemetry sources (adapter names) the usage table's rows come from."""
    with duckdb.connect() as connection:
        rows = connection.sql(
            "SELECT DISTINCT source FROM read_parquet($usage) WHERE source IS NOT NULL",
            params={"usage": list(source.usage)},
        ).fetchall()
    return {str(row[0]) for row in rows}

"""The activity queries, written once as Ibis expressions: any Ibis backend runs them.

Each function takes two Ibis tables, ``usage`` (``person_id``, ``date``, ``source``) and ``roster``
(``person_id`` and the segment columns), wherever they live: the prepared parquet files in an embedded
DuckDB (the default, :mod:`scalegap.models.activity`), a warehouse table, or any other backend.  Each returns
an unexecuted Ibis table of aggregates, so that the backend computes them where the rows are and only the
aggregates come back.  The conventions (one count per person-day, ISO weeks, people missing from the roster
without a segment) are :mod:`scalegap.models.activity`'s docstring's.

ISO weeks are Ibis's ``iso_year``, ``week_of_year`` and ``truncate("W")`` (the Monday), which every backend
that compiles them computes by ISO 8601 (a test compares DuckDB's and Polars's answers across a New Year).

This module imports Ibis at its top, so nothing a chapter imports at its top imports it:
:mod:`scalegap.models.activity` imports it inside the functions that run a query.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir


def active_days(usage: ir.Table, sources: Sequence[str] | None = None) -> ir.Table:
    """One row per person and day with activity in any of ``sources`` (all: None): ``person_id``, ``day``."""
    rows = usage.filter(usage.person_id.notnull(), usage.date.notnull())
    if sources:
        rows = rows.filter(rows.source.isin(list(sources)))
    return rows.select(person_id=rows.person_id, day=rows.date.cast("date")).distinct()


def with_segment(active: ir.Table, roster: ir.Table | None, segment: str | None) -> ir.Table:
    """``active`` with the roster's ``segment`` column (null for people missing from the roster)."""
    if segment is None:
        return active
    if roster is None:
        raise ValueError(f"grouping by {segment!r} needs the roster")
    people = roster.select(roster.person_id.name("roster_person_id"), roster[segment])
    joined = active.left_join(people, active.person_id == people.roster_person_id)
    return joined.select(*active.columns, segment)


def iso_week(day: ir.DateValue) -> dict[str, ir.Value]:
    """The ISO 8601 week of ``day``: ``iso_year``, ``iso_week`` (1..53) and ``week_start`` (the Monday)."""
    return {
        "iso_year": day.iso_year().cast("int64"),
        "iso_week": day.week_of_year().cast("int64"),
        "week_start": day.truncate("W").cast("date"),
    }


def daily_active_users(
    usage: ir.Table, roster: ir.Table | None = None, segment: str | None = None, sources: Sequence[str] | None = None
) -> ir.Table:
    """Per day (and segment): ``date``, [segment], ``active_users``."""
    active = with_segment(active_days(usage, sources), roster, segment)
    keys = {"date": active.day, **_segment_key(active, segment)}
    counted = active.group_by(**keys).aggregate(active_users=active.count().cast("int64"))
    return _ordered(counted, ["date"], segment)


def weekly_active_users(
    usage: ir.Table, roster: ir.Table | None = None, segment: str | None = None, sources: Sequence[str] | None = None
) -> ir.Table:
    """Per ISO week (and segment): ``iso_year``, ``iso_week``, ``week_start``, [segment], ``active_users``."""
    active = with_segment(active_days(usage, sources), roster, segment)
    keys = {**iso_week(active.day), **_segment_key(active, segment)}
    counted = active.group_by(**keys).aggregate(active_users=active.person_id.nunique().cast("int64"))
    return _ordered(counted, ["week_start"], segment)


def active_days_per_week(
    usage: ir.Table, roster: ir.Table | None = None, segment: str | None = None, sources: Sequence[str] | None = None
) -> ir.Table:
    """Per person and ISO week with activity: ``person_id``, the week, [segment], ``active_days`` (1..7)."""
    active = with_segment(active_days(usage, sources), roster, segment)
    keys = {"person_id": active.person_id, **iso_week(active.day), **_segment_key(active, segment)}
    counted = active.group_by(**keys).aggregate(active_days=active.count().cast("int64"))
    return _ordered(counted, ["person_id", "week_start"], segment)


def first_last_active(
    usage: ir.Table, roster: ir.Table | None = None, segment: str | None = None, sources: Sequence[str] | None = None
) -> ir.Table:
    """Per person: ``person_id``, [segment], ``first_active``, ``last_active``, ``active_days``."""
    active = with_segment(active_days(usage, sources), roster, segment)
    keys = {"person_id": active.person_id, **_segment_key(active, segment)}
    counted = active.group_by(**keys).aggregate(
        first_active=active.day.min(), last_active=active.day.max(), active_days=active.count().cast("int64")
    )
    return _ordered(counted, ["person_id"], segment)


def person_weeks(usage: ir.Table, access: ir.Table) -> ir.Table:
    """Per person with access and ISO week with activity from the access day on: ``person_id``, ``week`` since
    access (1: the week access began), ``week_start``, ``active_days``, ``first_day``.

    ``access`` has ``person_id``, ``access_day`` (the day access began) and ``access_week`` (its Monday)."""
    active = active_days(usage)
    starts = access.select(
        access_person_id=access.person_id, access_day=access.access_day, access_week=access.access_week
    )
    joined = active.inner_join(starts, active.person_id == starts.access_person_id)
    joined = joined.filter(joined.day >= joined.access_day)
    week_start = joined.day.truncate("W").cast("date")
    week = (week_start.delta(joined.access_week, unit="day") // 7 + 1).cast("int32")
    counted = joined.group_by(person_id=joined.person_id, week=week, week_start=week_start).aggregate(
        active_days=joined.count().cast("int64"), first_day=joined.day.min()
    )
    return counted.order_by("person_id", "week")


def usage_sources(usage: ir.Table) -> ir.Table:
    """The distinct telemetry sources (adapter names) of the usage rows: ``source``."""
    return usage.filter(usage.source.notnull()).select("source").distinct().order_by("source")


def _segment_key(active: ir.Table, segment: str | None) -> dict[str, ir.Value]:
    return {segment: active[segment]} if segment else {}


def _ordered(table: ir.Table, keys: list[str], segment: str | None) -> ir.Table:
    """Sorted by ``keys``, then by the segment with people missing from the roster last."""
    return table.order_by(*keys, *([ibis.asc(segment, nulls_first=False)] if segment else []))

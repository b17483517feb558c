"""Where a big client's usage telemetry lives: a warehouse table, and the activity queries run there.

:class:`WarehouseTable` names the table (an Ibis connection URL and a table name).  A DuckDB database
(``duckdb://``) is read by :mod:`scalegap.models.activity` itself; any other warehouse is reached here through the
Ibis backend its URL names.  The usage rows stay in the warehouse: the query is compiled to the warehouse's SQL and
only its aggregates come back.  The roster's two columns a query needs (``person_id`` and the segment) and the
other small tables (one row per person) are sent to the warehouse as Ibis memtables.

Ibis is imported inside the functions, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

#: a query over the usage table, the roster (None: not joined) and the small tables by name
Build = Callable[["ir.Table", "ir.Table | None", dict[str, "ir.Table"]], "ir.Table"]
#: the small local tables a query joins: name -> (frame, Ibis schema)
Frames = dict[str, tuple[pd.DataFrame, dict[str, str]]]


@dataclass(frozen=True)
class WarehouseTable:
    """A usage table kept where the client's telemetry lives: an Ibis connection URL (``duckdb:///path/to.db``,
    ``postgres://...``, ``snowflake://...``) and a table name (``schema.table`` where the warehouse has schemas);
    ``columns`` names the table's own columns for ``person_id``, ``date`` and ``source`` where they differ."""

    url: str
    table: str
    columns: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> str:
        return dict(self.columns).get(name, name)


def in_warehouse(
    build: Build, warehouse: WarehouseTable, roster: str | None, segment: str | None, frames: Frames
) -> pd.DataFrame:
    """Run ``build`` over the warehouse's usage table; the aggregates with the dtypes of the DuckDB path."""
    import ibis

    people = None
    if segment is not None and roster is not None:
        people = ibis.memtable(pd.read_parquet(roster, columns=["person_id", segment]))
    tables = {name: ibis.memtable(frame, schema=schema) for name, (frame, schema) in frames.items()}
    return frame_of(build(warehouse_usage(warehouse), people, tables).to_pyarrow())


def warehouse_usage(warehouse: WarehouseTable) -> ir.Table:
    """The warehouse's usage table with the columns ``person_id``, ``date`` and ``source``."""
    import ibis

    backend = ibis.connect(warehouse.url)
    *database, name = warehouse.table.split(".")
    raw = backend.table(name, database=tuple(database) if len(database) > 1 else (database[0] if database else None))
    return raw.select(
        person_id=raw[warehouse.column("person_id")].cast("string"),
        date=raw[warehouse.column("date")],
        source=raw[warehouse.column("source")].cast("string"),
    )


def frame_of(arrow: pa.Table) -> pd.DataFrame:
    """Aggregates from Arrow as the DuckDB path gives them: days as ``datetime64[us]``, counts as ``int64``."""
    import pyarrow as pa

    frame = arrow.to_pandas(date_as_object=False)
    for field in arrow.schema:
        if pa.types.is_date(field.type) or pa.types.is_timestamp(field.type):
            frame[field.name] = frame[field.name].astype("datetime64[us]")
        elif pa.types.is_integer(field.type) and not frame[field.name].isna().any():
            frame[field.name] = frame[field.name].astype("int32" if field.name == "week" else "int64")
    return frame

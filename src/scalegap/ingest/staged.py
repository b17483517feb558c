"""Rows held by DuckDB rather than by pandas: a large export's accepted rows, from its CSV to the prepared parquet.

A usage export runs to millions of rows; held in pandas, every stage of prepare (parse, conform, link, reject
repeats, write) would copy them, on one core.  An adapter that can instead puts the rows into a :class:`Stage`
(a DuckDB database held in memory up to a limit, spilling to a temporary folder beyond it) and hands over
:class:`StagedRows`: a query over it, how many rows it yields, and in which order.  Only rejected rows (usually
few) and counts come back to Python; the accepted rows go to ``<table>.parquet`` by DuckDB's ``COPY``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from scalegap.canonical import SCHEMAS

#: DuckDB's buffer memory while staging (it spills to the stage's folder beyond it); Python's share comes on top
MEMORY_LIMIT = "1GB"
#: how an absent canonical column is written (as :func:`scalegap.canonical.conform` adds it)
EMPTY = {"timestamp": "NULL::TIMESTAMP_NS", "number": "NULL::DOUBLE", "flag": "NULL::BOOLEAN", "text": "NULL"}


def threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Stage:
    """A DuckDB database in memory (made when first used) that spills to a temporary folder of its own beyond
    :data:`MEMORY_LIMIT`, both gone when the stage is closed or forgotten.  Not a database file: a table written
    to a file is compressed and checkpointed, which costs more than the stage's few passes over it gain."""

    def __init__(self) -> None:
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._names = itertools.count()
        self._finalizer: weakref.finalize[[duckdb.DuckDBPyConnection, Path], Stage] | None = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            folder = Path(tempfile.mkdtemp(prefix="scalegap-stage-"))
            connection = duckdb.connect(":memory:")  # its tables spill to temp_directory as its buffers do
            self._finalizer = weakref.finalize(self, _remove, connection, folder)
            for setting, value in (
                ("memory_limit", MEMORY_LIMIT),
                ("threads", threads()),
                ("temp_directory", str(folder / "spill")),
                ("preserve_insertion_order", True),
                ("enable_progress_bar", False),
            ):
                connection.execute(f"SET {setting} = $value", {"value": value})
            self._connection = connection
        return self._connection

    def name(self, prefix: str) -> str:
        """A table name not used before in this stage."""
        return f"{prefix}_{next(self._names)}"

    def sql(self, query: str, params: dict[str, object] | None = None) -> duckdb.DuckDBPyRelation:
        return self.connection.sql(query, params=params)

    def execute(self, query: str, params: dict[str, object] | None = None) -> None:
        self.connection.execute(query, params)

    def fetch(self, query: str) -> list[tuple[Any, ...]]:
        """The rows ``query`` gives."""
        return self.connection.execute(query).fetchall()

    def value(self, query: str) -> Any:
        """The first value of the first row ``query`` gives (None: no row)."""
        rows = self.fetch(query)
        return rows[0][0] if rows else None

    def table_from(self, frame: pd.DataFrame, prefix: str) -> str:
        """``frame`` copied into a new table of the stage; its name."""
        name, view = self.name(prefix), self.name("frame")
        self.connection.register(view, frame)
        try:
            self.execute(f"CREATE TABLE {name} AS SELECT * FROM {view}")
        finally:
            self.connection.unregister(view)
        return name

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._connection = None


def _remove(connection: duckdb.DuckDBPyConnection, folder: Path) -> None:
    connection.close()
    shutil.rmtree(folder, ignore_errors=True)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class StagedRows:
    """Rows of one canonical table held in a :class:`Stage`.

    ``source`` is a table or view of the stage; ``columns`` are the table's columns in order, each the SQL that
    gives it from ``source``; ``order`` sorts the rows as the export had them (``_file``, ``_order``), or is empty
    where ``source`` is a table made in that order (DuckDB keeps a table's order when it scans it:
    ``preserve_insertion_order``).
    """

    stage: Stage
    source: str
    columns: tuple[tuple[str, str], ...]
    rows: int
    order: tuple[str, ...] = ("_order",)
    _counts: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, stage: Stage, source: str, table: str, given: dict[str, str], rows: int) -> StagedRows:
        """The canonical ``table``'s columns from ``given`` (name -> SQL), the absent ones empty, ``source_row``
        first and any extra ones last (as :meth:`scalegap.ingest.base.RowLedger.result` orders them)."""
        names = [column.name for column in SCHEMAS[table]]
        columns = [("source_row", "source_row")]
        columns += [(column.name, given.get(column.name, EMPTY.get(column.kind, "NULL"))) for column in SCHEMAS[table]]
        columns += [(name, sql) for name, sql in given.items() if name not in names and name != "source_row"]
        return cls(stage, source, tuple(columns), rows)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def select(self, where: str = "") -> str:
        """The query of the rows (those ``where`` selects), in order."""
        listed = ", ".join(f"{sql} AS {quoted(name)}" for name, sql in self.columns)
        sort = f" ORDER BY {', '.join(self.order)}" if self.order else ""
        return f"SELECT {listed} FROM {self.source}{f' WHERE {where}' if where else ''}{sort}"

    def frame(self) -> pd.DataFrame:
        """The rows as a pandas frame (strings held by Arrow), as an adapter reading into pandas makes them."""
        return self.stage.sql(self.select()).to_arrow_table().to_pandas()

    def count_by(self, column: str) -> dict[str, int]:
        """Rows per value of ``column`` (for ``source_file``: the accepted rows of each file)."""
        if column not in self._counts:
            sql = dict(self.columns)[column]
            found = self.stage.fetch(f"SELECT {sql} AS key, count(*) FROM {self.source} GROUP BY ALL")
            self._counts[column] = {str(key): int(count) for key, count in found}
        return self._counts[column]

    def last(self, column: str) -> pd.Timestamp | None:
        """The largest value of a timestamp column (None: empty everywhere)."""
        found = self.stage.value(f"SELECT max({dict(self.columns)[column]}) FROM {self.source}")
        return None if found is None else pd.Timestamp(found)

    def write_parquet(self, path: Path) -> None:
        """The rows, in order, to ``path`` (DuckDB's ``COPY``: same rows in, same bytes out)."""
        self.stage.execute(f"COPY ({self.select()}) TO {literal(str(path))} (FORMAT parquet)")

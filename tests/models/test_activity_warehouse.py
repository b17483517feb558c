"""The activity queries on a usage table kept in a warehouse: a DuckDB database and an SQLite one stand in."""

import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.models import activity
from scalegap.models.activity_warehouse import WarehouseTable
from tests.models.test_activity_queries import QUERIES, as_text

#: the warehouse's own column names
COLUMNS = (("person_id", "user_id"), ("date", "activity_day"), ("source", "tool"))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared usage and roster (the parquet path) across New Year 2027, one person missing from the roster."""
    folder = tmp_path_factory.mktemp("prepared")
    pd.DataFrame(
        {
            "person_id": ["ann", "ann", "bob", "ann", "cy", "ann", None],
            "date": pd.to_datetime(
                [
                    "2026-12-31",
                    "2027-01-01",
                    "2027-01-01",
                    "2027-01-04",
                    "2027-01-05",
                    "2027-01-01T09:30",
                    "2027-01-04",
                ],
                format="ISO8601",
            ),
            "source": ["github_copilot_users"] * 5 + ["m365_copilot_usage"] * 2,
        }
    ).to_parquet(folder / "usage.parquet")
    roster = {"person_id": ["ann", "bob"], "department": ["Finance", "Legal"], "tenure_band": ["<1 year", "<1 year"]}
    pd.DataFrame(roster).to_parquet(folder / "roster.parquet")
    return folder


def events(prepared: Path) -> pd.DataFrame:
    usage = pd.read_parquet(prepared / "usage.parquet")
    return usage.rename(columns={canonical: own for canonical, own in COLUMNS})


@pytest.fixture(scope="module")
def duckdb_warehouse(prepared: Path) -> WarehouseTable:
    path = prepared / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.register("rows", events(prepared))
        connection.execute("CREATE SCHEMA telemetry; CREATE TABLE telemetry.events AS SELECT * FROM rows")
    return WarehouseTable(f"duckdb:///{path}", "telemetry.events", COLUMNS)


@pytest.fixture(scope="module")
def sqlite_warehouse(prepared: Path) -> WarehouseTable:
    """A warehouse reached through Ibis's own backend (SQLite: no ISO weeks)."""
    path = prepared / "warehouse.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE events (user_id TEXT, activity_day TIMESTAMP, tool TEXT)")
        rows = [(user, None if pd.isna(day) else str(day), tool) for user, day, tool in events(prepared).values]
        connection.executemany("INSERT INTO events VALUES (?, ?, ?)", rows)
    return WarehouseTable(f"sqlite:///{path}", "events", COLUMNS)


@pytest.mark.parametrize("segment", [None, "department"])
@pytest.mark.parametrize("query", QUERIES)
def test_a_duckdb_warehouse_gives_the_prepared_files_aggregates(
    query: str, segment: str | None, prepared: Path, duckdb_warehouse: WarehouseTable
) -> None:
    roster = prepared / "roster.parquet"
    in_files = getattr(activity, query)(prepared / "usage.parquet", segment, roster=roster)
    in_warehouse = getattr(activity, query)(duckdb_warehouse, segment, roster=roster)
    pd.testing.assert_frame_equal(in_warehouse, in_files)
    assert len(in_files) >= 2


def test_the_weeks_in_a_duckdb_warehouse(prepared: Path, duckdb_warehouse: WarehouseTable) -> None:
    weekly = activity.weekly_active_users(duckdb_warehouse, "department", roster=prepared / "roster.parquet")
    assert as_text(weekly) == [
        [2026, 53, "2026-12-28", "Finance", 1],
        [2026, 53, "2026-12-28", "Legal", 1],
        [2027, 1, "2027-01-04", "Finance", 1],
        [2027, 1, "2027-01-04", None, 1],
    ]
    assert activity.usage_sources(activity.ActivityData.of(duckdb_warehouse)) == {
        "github_copilot_users",
        "m365_copilot_usage",
    }


def test_weeks_since_access_in_a_duckdb_warehouse(prepared: Path, duckdb_warehouse: WarehouseTable) -> None:
    access = pd.DataFrame({"person_id": ["ann", "cy"], "access_start": pd.to_datetime(["2027-01-01", "2026-12-20"])})
    in_files = activity.person_weeks(activity.ActivityData.of(prepared / "usage.parquet"), access)
    in_warehouse = activity.person_weeks(activity.ActivityData.of(duckdb_warehouse), access)
    pd.testing.assert_frame_equal(in_warehouse, in_files)
    assert as_text(in_warehouse) == [
        ["ann", 1, "2026-12-28", 1, "2027-01-01"],
        ["ann", 2, "2027-01-04", 1, "2027-01-04"],
        ["cy", 4, "2027-01-04", 1, "2027-01-05"],  # access on Sunday 2026-12-20: week 1 began 2026-12-14
    ]


@pytest.mark.parametrize("query", ["daily_active_users", "first_last_active"])
def test_another_ibis_backend_as_the_warehouse(query: str, prepared: Path, sqlite_warehouse: WarehouseTable) -> None:
    roster = prepared / "roster.parquet"
    in_files = getattr(activity, query)(prepared / "usage.parquet", "department", roster=roster)
    pd.testing.assert_frame_equal(getattr(activity, query)(sqlite_warehouse, "department", roster=roster), in_files)


def test_what_a_warehouse_cannot_do_is_one_error(prepared: Path, sqlite_warehouse: WarehouseTable) -> None:
    with pytest.raises(InputError, match="the warehouse cannot run the activity query .*ExtractIsoYear"):
        activity.weekly_active_users(sqlite_warehouse)
    missing = WarehouseTable(sqlite_warehouse.url, "no_such_table", COLUMNS)
    with pytest.raises(InputError, match="the warehouse cannot run the activity query") as raised:
        activity.daily_active_users(missing)
    assert raised.value.file == f"{sqlite_warehouse.url} no_such_table"
    with pytest.raises(InputError, match="the warehouse cannot run the activity query"):
        activity.daily_active_users(WarehouseTable(f"duckdb:///{prepared / 'nope.duckdb'}", "events"))

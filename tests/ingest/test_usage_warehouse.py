"""A usage table in a warehouse, read by one Ibis query: its URL (environment variables, no password shown, a
database file relative to the client), the checks of a usage file's rows, a bounded sample of the rejected rows
with the rest counted, and one line naming the setting for each thing that can be wrong."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scalegap.errors import ConfigurationError, InputError, ScalegapError
from scalegap.ingest import usage_warehouse
from scalegap.ingest.usage_warehouse import database_file, expanded_url, read_warehouse, redacted_url
from scalegap.settings import WarehouseExportSettings

EVENTS = [
    ("E1", "2027-01-01", 2),
    ("E1", "2027-01-01 18:00", 3),
    ("E2", "01/02/2027", 1),  # not ISO: not a date the warehouse reads
    ("E2", "2027-13-01", 1),  # no 13th month
    ("E3", "2027-01-02", -4),
    ("E4", "2027-01-03", -1),
    ("E5", "yesterday", 1),
]


def sqlite_table(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE events (uid TEXT, day TEXT, n INTEGER)")
        connection.executemany("INSERT INTO events VALUES (?, ?, ?)", EVENTS)
    connection.close()
    return path


def export(url: str, table: str = "events", **columns: str) -> WarehouseExportSettings:
    mapped = {"person_id": "uid", "date": "day", "interactions": "n", **columns}
    return WarehouseExportSettings(warehouse=url, table=table, columns=mapped)


def test_environment_variables_are_read_when_the_table_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALEGAP_PW", "s3cret")
    assert expanded_url("postgres://ann:${SCALEGAP_PW}@host/db") == "postgres://ann:s3cret@host/db"
    monkeypatch.delenv("SCALEGAP_PW")
    with pytest.raises(ConfigurationError) as raised:
        expanded_url("postgres://ann:${SCALEGAP_PW}@host/db")
    assert "SCALEGAP_PW is not set" in raised.value.one_line()
    assert "exports.usage.warehouse" in raised.value.one_line()


def test_the_url_is_shown_without_its_password() -> None:
    assert redacted_url("postgres://ann:s3cret@db.example:5432/dwh") == "postgres://ann:***@db.example:5432/dwh"
    assert redacted_url("snowflake://ann@account/db/schema") == "snowflake://ann@account/db/schema"
    assert redacted_url("duckdb:///telemetry.db") == "duckdb:///telemetry.db"


def test_a_database_file_is_relative_to_the_client_with_three_slashes(tmp_path: Path) -> None:
    assert database_file("duckdb:///data/telemetry.db", tmp_path) == tmp_path / "data" / "telemetry.db"
    assert database_file("sqlite:////srv/telemetry.db", tmp_path) == Path("/srv/telemetry.db")
    assert database_file("postgres://host/db", tmp_path) is None


def test_rejected_rows_are_sampled_per_reason_and_the_rest_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_table(tmp_path / "w.sqlite")
    monkeypatch.setattr(usage_warehouse, "SAMPLE", 1)
    found = read_warehouse(export("sqlite:///w.sqlite"), tmp_path)
    result = found.result
    assert result.rows_read == 7 and result.merged == 1 and len(result.accepted) == 1
    assert result.accepted[["person_id", "interactions"]].values.tolist() == [["E1", 5.0]]
    assert result.rejected[["reason", "uid", "day"]].values.tolist() == [
        ["interactions is negative", "E3", "2027-01-02"],
        ["value is not a date", "E2", "01/02/2027"],
    ]
    assert result.unlisted == (("day", "value is not a date", 2), ("n", "interactions is negative", 1))
    assert found.label == "events in sqlite:///w.sqlite" and len(found.digest) == 64


def test_a_timestamp_column_is_summed_per_day(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        connection.execute(
            "CREATE TABLE events AS SELECT * FROM (VALUES ('E1', TIMESTAMP '2026-12-31 23:59', 2),"
            " ('E1', TIMESTAMP '2026-12-31 08:00', 1), ('E1', TIMESTAMP '2027-01-01 00:01', 4),"
            " ('E2', NULL, 1)) AS t(uid, day, n)"
        )
    result = read_warehouse(export("duckdb:///w.duckdb"), tmp_path).result
    days = result.accepted[["date", "interactions"]]
    assert days.values.tolist() == [[pd.Timestamp("2026-12-31"), 3.0], [pd.Timestamp("2027-01-01"), 4.0]]
    assert result.rejected["reason"].tolist() == ["date is empty"]


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        (export("sqlite:///w.sqlite", table="evnts"), "exports.usage.table"),
        (export("sqlite:///w.sqlite", date="when"), "exports.usage.columns.date"),
        (export("sqlite:///w.sqlite", interactions="day"), "not a number"),
        (export("sqlite:///w.sqlite", seats="n"), "unknown field(s) ['seats']"),
        (export("sqlite:///missing.sqlite"), "warehouse database not found"),
    ],
)
def test_what_is_wrong_is_one_line_naming_the_setting(
    tmp_path: Path, setting: WarehouseExportSettings, fragment: str
) -> None:
    sqlite_table(tmp_path / "w.sqlite")
    with pytest.raises(ScalegapError) as raised:
        read_warehouse(setting, tmp_path)
    assert fragment in raised.value.one_line()
    assert not (tmp_path / "missing.sqlite").exists()  # never created by looking for it


def test_no_ibis_is_one_line_with_the_extra_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_table(tmp_path / "w.sqlite")
    monkeypatch.setitem(sys.modules, "ibis", None)  # as if the package were not installed
    with pytest.raises(ConfigurationError) as raised:
        read_warehouse(export("sqlite:///w.sqlite"), tmp_path)
    assert "pip install 'scalegap[warehouse]'" in raised.value.one_line()


def test_a_warehouse_out_of_reach_is_one_line_without_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALEGAP_PW", "s3cret")
    with pytest.raises(ScalegapError) as raised:
        read_warehouse(export("postgres://ann:${SCALEGAP_PW}@127.0.0.1:1/dwh"), Path("."))
    line = raised.value.one_line()
    assert "exports.usage.warehouse" in line and "s3cret" not in line
    assert isinstance(raised.value, ConfigurationError | InputError)

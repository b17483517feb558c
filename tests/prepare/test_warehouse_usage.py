"""``exports.usage`` naming a warehouse table: prepare sums the raw events to person-days in the warehouse and
gives the same usage.parquet from a DuckDB database and from an SQLite one (Ibis's own backend), the same
person-days as a CSV export of them, and an accounting that adds up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError
from scalegap.prepare import check, prepare
from scalegap.settings import load_settings
from tests.support import tiny_client, write

#: raw events as a warehouse keeps them: several per person-day, two tools, a year boundary
EVENTS = [
    ("E1", None, "2026-12-31 09:00:00", "chat", 2, 1.5),
    ("E1", None, "2026-12-31 17:00:00", "chat", 3, 2.0),  # the same person-day: summed with the row above
    ("E1", None, "2027-01-01T08:00", "chat", 1, 1.0),
    ("E1", None, "2027-01-01", "code", 4, 0.5),  # the same day in the other tool: a person-day of its own
    (None, " P2@Acme.example ", "2027-01-01 10:00:00", "chat", 1, 1.0),
    (None, "p2@acme.example", "2027-01-01 11:00:00", "chat", 2, 1.0),
    ("E3", None, "not a date", "chat", 1, 1.0),  # rejected in the warehouse
    (None, None, "2027-01-02", "chat", 1, 1.0),  # no person
    ("E99", None, "2027-01-02", "chat", 7, 3.0),  # not in the roster: rejected when linked
    ("E4", None, "", "chat", 1, 1.0),  # date is empty
    ("E5", None, "2027-01-02", "code", -1, 1.0),  # a negative count
    (None, "not-an-address", "2027-01-02", "chat", 1, 1.0),
    ("E6", None, "2027-01-02", None, 2, 1.0),  # no tool: the warehouse's default source
]
COLUMNS = (
    "{person_id: user_id, email: mail, date: event_time, source: tool, interactions: prompts, active_minutes: minutes}"
)
#: the chat person-days a CSV export would give, one row each
CHAT_DAYS = (
    "person_id,email,date,interactions,active_minutes\n"
    "E1,,2026-12-31,5,3.5\nE1,,2027-01-01,1,1\n,p2@acme.example,2027-01-01,3,2\n"
)


def duckdb_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE SCHEMA telemetry; CREATE TABLE telemetry.events (user_id VARCHAR, mail VARCHAR, "
            "event_time VARCHAR, tool VARCHAR, prompts BIGINT, minutes DOUBLE)"
        )
        connection.executemany("INSERT INTO telemetry.events VALUES (?, ?, ?, ?, ?, ?)", EVENTS)
    return path


def sqlite_warehouse(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (user_id TEXT, mail TEXT, event_time TEXT, tool TEXT, prompts INTEGER, minutes REAL)"
        )
        connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", EVENTS)
    connection.close()
    return path


def warehouse_client(root: Path, url: str, table: str) -> ClientFolder:
    """The tiny client with its usage in a warehouse table instead of usage.csv."""
    client = tiny_client(root)
    text = (
        (client / "assessment.yml")
        .read_text()
        .replace("usage: {file: usage.csv}", f"usage: {{warehouse: '{url}', table: {table}, columns: {COLUMNS}}}")
    )
    write(client / "assessment.yml", text)
    return ClientFolder(client)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientFolder]:
    """The same events prepared from a DuckDB database (relative to the client) and an SQLite file (absolute)."""
    in_duckdb = warehouse_client(tmp_path_factory.mktemp("duckdb"), "duckdb:///warehouse.duckdb", "telemetry.events")
    duckdb_warehouse(in_duckdb.root / "warehouse.duckdb")
    sqlite = sqlite_warehouse(tmp_path_factory.mktemp("warehouse") / "telemetry.sqlite")
    in_sqlite = warehouse_client(tmp_path_factory.mktemp("sqlite"), f"sqlite:///{sqlite}", "events")
    for client in (in_duckdb, in_sqlite):
        prepare(client, load_settings(client.assessment))
    return {"duckdb": in_duckdb, "sqlite": in_sqlite}


def usage_of(client: ClientFolder) -> pd.DataFrame:
    return pd.read_parquet(client.prepared / "usage.parquet").drop(columns="source_file")


def test_both_warehouses_give_the_same_usage_table(prepared: dict[str, ClientFolder]) -> None:
    from_duckdb, from_sqlite = usage_of(prepared["duckdb"]), usage_of(prepared["sqlite"])
    pd.testing.assert_frame_equal(from_duckdb, from_sqlite)
    days = from_duckdb[["person_id", "date", "source", "interactions", "active_minutes"]]
    assert days.astype(str).values.tolist() == [
        ["E1", "2026-12-31", "chat", "5.0", "3.5"],
        ["E1", "2027-01-01", "chat", "1.0", "1.0"],
        ["E1", "2027-01-01", "code", "4.0", "0.5"],
        ["E2", "2027-01-01", "chat", "3.0", "2.0"],
        ["E6", "2027-01-02", "usage_warehouse", "2.0", "1.0"],
    ]


def test_the_person_days_are_those_of_a_csv_export(prepared: dict[str, ClientFolder], tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    write(client.exports / "usage.csv", CHAT_DAYS)
    prepare(client, load_settings(client.assessment))
    fields = ["person_id", "date", "interactions", "active_minutes"]
    from_csv = pd.read_parquet(client.prepared / "usage.parquet")[fields]
    warehouse = usage_of(prepared["duckdb"])
    chat = warehouse[warehouse["source"].eq("chat")][fields].reset_index(drop=True)
    pd.testing.assert_frame_equal(chat, from_csv.astype(chat.dtypes.to_dict()))


def test_the_accounting_adds_up_and_names_the_table_without_a_file(prepared: dict[str, ClientFolder]) -> None:
    for name, client in prepared.items():
        manifest = json.loads((client.prepared / "manifest.json").read_text())
        usage = next(item for item in manifest["inputs"] if item["table"] == "usage")
        assert usage["format"] == "usage_warehouse"
        named = "telemetry.events in duckdb:///warehouse.duckdb" if name == "duckdb" else "events in sqlite:///"
        assert usage["file"].startswith(named)
        assert usage["rows_read"] == len(EVENTS) == 13
        # 6 person-days from 8 usable events (2 summed into another), one of them nobody in the roster; 5 rows
        # rejected in the warehouse
        assert (usage["rows_accepted"], usage["rows_merged"], usage["rows_rejected"]) == (5, 2, 6)
        lost = {item["reason"]: item["rows"] for item in manifest["rejections"]["usage"]}
        assert lost == {
            "value is not a date": 1,
            "no person id or e-mail": 1,
            "person is not in the roster (check the ID or e-mail)": 1,
            "date is empty": 1,
            "interactions is negative": 1,
            "value is not an e-mail address": 1,
        }
        rejects = pd.read_csv(client.rejects / "usage.csv")
        assert rejects["source_row"].isna().all() and len(rejects) == 6


def test_the_fingerprint_follows_the_warehouses_data(prepared: dict[str, ClientFolder], tmp_path: Path) -> None:
    client = warehouse_client(tmp_path, "duckdb:///warehouse.duckdb", "telemetry.events")
    path = duckdb_warehouse(client.root / "warehouse.duckdb")
    digest = check(client, load_settings(client.assessment)).report.intakes
    before = next(item.sha256 for item in digest if item.table == "usage")
    assert before == next(
        item.sha256
        for item in check(prepared["duckdb"], load_settings(prepared["duckdb"].assessment)).report.intakes
        if item.table == "usage"
    )
    with duckdb.connect(str(path)) as connection:
        connection.execute("UPDATE telemetry.events SET prompts = prompts + 1 WHERE user_id = 'E1'")
    after = check(client, load_settings(client.assessment)).report.intakes
    assert before != next(item.sha256 for item in after if item.table == "usage")


@pytest.mark.parametrize(
    ("url", "table", "fragment"),
    [
        ("duckdb:///warehouse.duckdb", "telemetry.evnts", "exports.usage.table"),
        ("duckdb:///elsewhere.duckdb", "telemetry.events", "warehouse database not found"),
        ("duckdb:///${SCALEGAP_TEST_UNSET}.duckdb", "telemetry.events", "SCALEGAP_TEST_UNSET is not set"),
    ],
)
def test_a_wrong_table_or_url_is_one_error_naming_the_setting(
    tmp_path: Path, url: str, table: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCALEGAP_TEST_UNSET", raising=False)
    client = warehouse_client(tmp_path, url, table)
    duckdb_warehouse(client.root / "warehouse.duckdb")
    with pytest.raises(ScalegapError) as raised:
        prepare(client, load_settings(client.assessment))
    assert fragment in raised.value.one_line() and "Traceback" not in raised.value.one_line()


def test_a_warehouse_table_is_read_again_every_run(prepared: dict[str, ClientFolder]) -> None:
    """Only reading the table tells whether it changed: a package prepared from one is never copied as it was."""
    from scalegap.prepare import reuse

    client = prepared["duckdb"]
    assert reuse.prepared_key(client, load_settings(client.assessment)) is None

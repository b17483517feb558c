"""The reader of a prepared package: each table read from disk once, every caller with a frame of its own,
and no ingest loaded to read it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.support import tiny_client


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_a_table_is_read_from_disk_once(package: PreparedPackage) -> None:
    first = package.table("roster")
    (package.path / "roster.parquet").unlink()
    assert package.has("roster") is False
    assert package.table("roster").equals(first)  # the second call did not go back to the file


def test_a_callers_change_does_not_reach_the_next_caller(package: PreparedPackage) -> None:
    mine = package.table("roster")
    before = mine.copy()
    mine["department"] = "changed"
    mine.iloc[0, mine.columns.get_loc("person_id")] = "someone else"
    assert package.table("roster").equals(before)


def test_a_missing_table_says_how_to_get_it(package: PreparedPackage) -> None:
    with pytest.raises(InputError, match="no tickets table") as raised:
        package.table("tickets")
    assert "exports.tickets" in (raised.value.hint or "")


def test_reading_a_package_loads_no_export_adapter(package: PreparedPackage) -> None:
    """A chapter kernel reads the package without the ingest stage (its adapters, openpyxl)."""
    script = (
        "import sys; from scalegap.package import PreparedPackage; "
        f"PreparedPackage({str(package.path)!r}).table('roster'); "
        "print(sorted(m for m in sys.modules if m.startswith(('scalegap.ingest', 'scalegap.prepare', "
        "'openpyxl'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"

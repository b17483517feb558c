import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.support import folder_digest, tiny_client


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[ClientFolder, PreparedPackage]:
    client = ClientFolder(tiny_client(tmp_path))
    return client, PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_the_package_holds_tables_manifest_and_rejects(prepared) -> None:
    client, package = prepared
    assert sorted(p.name for p in client.prepared.iterdir()) == [
        "manifest.json",
        "roster.parquet",
        "survey.parquet",
        "usage.parquet",
    ]
    assert sorted(p.name for p in client.rejects.iterdir()) == ["survey.csv", "usage.csv"]
    rejects = pd.read_csv(client.rejects / "usage.csv")
    assert list(rejects.columns[:4]) == ["source_file", "source_row", "reason", "column"]
    assert package.table("roster")["person_id"].tolist()[:2] == ["E1", "E2"]


def test_the_manifest_records_input_hashes_and_row_accounting(prepared) -> None:
    client, package = prepared
    inputs = {item["table"]: item for item in package.manifest["inputs"]}
    expected = hashlib.sha256((client.exports / "hr.csv").read_bytes()).hexdigest()
    assert inputs["roster"]["sha256"] == expected
    survey = inputs["survey"]
    assert (survey["rows_read"], survey["rows_accepted"], survey["rows_superseded"], survey["rows_rejected"]) == (
        6,
        4,
        1,
        1,
    )
    # the earlier of one person's two responses is counted apart from the rows that could not be used
    manifest = package.manifest
    assert [entry["rows"] for entry in manifest["superseded"]["survey"]] == [1]
    assert not any("superseded" in entry["reason"] for entry in manifest["rejections"]["survey"])
    assert sum(entry["rows"] for entry in manifest["rejections"]["survey"]) == survey["rows_rejected"]
    assert package.settings.client.name == "Acme <Tiny> & Co"
    assert json.loads((client.prepared / "manifest.json").read_text())["reference_date"] == "2026-03-03"


def test_exports_are_never_modified(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    before = folder_digest(client.exports)
    prepare(client, load_settings(client.assessment))
    assert folder_digest(client.exports) == before


def test_the_same_inputs_give_the_same_tables(tmp_path: Path) -> None:
    first = ClientFolder(tiny_client(tmp_path / "a"))
    second = ClientFolder(tiny_client(tmp_path / "b"))
    one = PreparedPackage(prepare(first, load_settings(first.assessment)))
    two = PreparedPackage(prepare(second, load_settings(second.assessment)))
    for table in ("roster", "survey", "usage"):
        pd.testing.assert_frame_equal(one.table(table), two.table(table))


def test_a_blocking_problem_stops_prepare_with_its_location(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    (client.exports / "hr.csv").write_text("Staff,Dept\nE1,Finance\n")
    with pytest.raises(InputError) as caught:
        prepare(client, load_settings(client.assessment))
    assert "Employee ID" in caught.value.one_line() and "hr.csv" in caught.value.one_line()
    assert not client.prepared.exists()

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.models.results import (
    figure,
    read_results,
    results_block,
    results_path,
    schema_path,
    schema_problems,
    write_document,
)
from scalegap.models.summary import load_results, write_results
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.support import tiny_client

ENTRY_KEYS = ["headcount", "pilot_members", "pilot_adoption", "forecast", "low", "high", "method", "suppressed"]


def prepared(root: Path, without_usage: bool = False) -> PreparedPackage:
    root = tiny_client(root)
    if without_usage:
        text = (root / "assessment.yml").read_text(encoding="utf-8").replace("  usage: {file: usage.csv}\n", "")
        (root / "assessment.yml").write_text(text, encoding="utf-8")
    client = ClientFolder(root)
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    package = prepared(tmp_path)
    path = write_results(package, "2026-11-25T00:00:00+00:00")
    assert path == results_path(package)
    assert read_results(package) == json.loads(path.read_text(encoding="utf-8")) == load_results(package)
    write_document(package, {"client": "X"})
    assert read_results(package) == {"client": "X"}


def test_a_missing_results_json_or_block_is_an_error_naming_it(tmp_path: Path) -> None:
    package = prepared(tmp_path)
    with pytest.raises(InputError, match="no results.json"):
        read_results(package)
    assert load_results(package)["headline"]["headcount"] == 12  # the summary chapter computes it instead
    with pytest.raises(InputError, match="'rollout' block") as caught:
        results_block({}, "rollout", package)
    assert caught.value.file == str(results_path(package))


def test_adoption_by_department_on_the_tiny_client_is_suppressed_as_in_the_chapter(tmp_path: Path) -> None:
    write_results(package := prepared(tmp_path), "")
    block = read_results(package)["adoption_by_department"]
    assert list(block) == ["Finance", "Legal"]
    assert all(list(entry) == ENTRY_KEYS for entry in block.values())
    # Finance: 8 people shown; its 3 pilot members (and their adoption) hidden; too few with access to model
    assert block["Finance"] == {
        "headcount": 8,
        "pilot_members": None,
        "pilot_adoption": None,
        "forecast": None,
        "low": None,
        "high": None,
        "method": None,
        "suppressed": True,
    }
    # Legal: 4 people, below the minimum group size of 5: every figure hidden
    assert block["Legal"]["headcount"] is None and block["Legal"]["suppressed"]


def test_without_usage_the_block_is_empty(tmp_path: Path) -> None:
    write_results(package := prepared(tmp_path, without_usage=True), "")
    assert read_results(package)["adoption_by_department"] == {}


def test_reading_results_imports_no_chapter() -> None:
    code = (
        "import sys, scalegap.models.results; print(sorted(m for m in sys.modules "
        "if m.startswith('scalegap.models.') and m != 'scalegap.models.results'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_figure_is_rounded_and_nothing_is_none() -> None:
    assert figure(0.123456789) == 0.123457 and figure(12.345, 1) == 12.3 and figure(3) == 3.0
    assert [figure(v) for v in (None, float("nan"), pd.NA, float("inf"), -np.inf)] == [None] * 5


def strict_loads(text: str) -> dict:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_results_json_is_strict_json_that_conforms_to_the_published_schema(tmp_path: Path) -> None:
    package = prepared(tmp_path)
    document = strict_loads(write_results(package, "2026-11-25T00:00:00+00:00").read_text(encoding="utf-8"))
    assert schema_problems(document) == []
    assert schema_path().name == "results.schema.json" and schema_path().is_file()


def test_the_schema_refuses_a_document_that_breaks_the_contract(tmp_path: Path) -> None:
    document = strict_loads(write_results(prepared(tmp_path), "").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(document))
    del broken["headline"]["headcount"]
    broken["conversion_rate"] = "0.4"
    broken["not_assessed"] = {"adoption.pilot_adoption": "because"}
    problems = schema_problems(broken)
    assert any(
        problem.startswith("headline:") and "'headcount' is a required property" in problem for problem in problems
    )
    assert any(problem.startswith("conversion_rate:") for problem in problems)
    assert any(problem.startswith("not_assessed.adoption.pilot_adoption:") for problem in problems)


def test_a_figure_that_is_not_a_number_is_written_as_null(tmp_path: Path) -> None:
    package = prepared(tmp_path)
    write_document(package, {"a": float("nan"), "b": [float("inf"), 1.0], "c": {"d": np.float64("nan")}})
    assert strict_loads(results_path(package).read_text(encoding="utf-8")) == {
        "a": None,
        "b": [None, 1.0],
        "c": {"d": None},
    }

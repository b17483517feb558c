"""The run record: what a run read, with what software, when, and what each chapter was given."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scalegap import run_record
from scalegap.cache import keys_for
from scalegap.fingerprint import ReadContents
from scalegap.run_record import run_record_markdown, shown_parameters

MANIFEST = {
    "inputs": [
        {"table": "roster", "file": "exports/hr.csv", "sha256": "a" * 64, "rows_read": 12},
        {"table": "survey", "file": "exports/s`ur|vey.csv", "sha256": "b" * 64, "rows_read": 6},
    ],
    "settings": {"client": {"name": "Acme"}, "privacy": {"min_group_size": 5}},
    "reference_date": "2026-11-30",
}


@pytest.fixture
def client(tmp_path: Path) -> Path:
    (tmp_path / "assessment.yml").write_text(
        "client: {name: Acme}\n# ask jo.bloggs@acme.example\n# ```\nexports: {}\n", encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def chapters(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("10_intake", "20_readiness"):
        (folder / f"{name}.ipynb").write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
    return sorted(folder.glob("*.ipynb"))


def record(client: Path, chapters: list[Path], manifest: dict = MANIFEST, **changes) -> run_record.RunRecord:
    build = client / "_build.partial-20261203T120000-1"
    return run_record.run_record(
        manifest,
        keys_for(chapters, client / "_build", ReadContents(manifest, build / "prepared", build / "results")),
        client / "assessment.yml",
        changes.get("overrides", {}),
        chapters,
        {"prepared_dir": str(build / "prepared")},
        client,
        build,
        "2026-12-03T12:00:00+00:00",
        "2026-12-03T12:05:00+00:00",
        redact=changes.get("redact", lambda text: text),
    )


def test_parameters_are_shown_as_they_are_once_the_build_is_in_place(tmp_path: Path) -> None:
    build = tmp_path / "_build.partial-x"
    shown = shown_parameters(
        {
            "prepared_dir": str(build / "prepared"),
            "notes": str(tmp_path / "notes"),
            "elsewhere": "/opt/data",
            "label": "pilot",
        },
        tmp_path,
        build,
    )
    assert shown == {"prepared_dir": "_build/prepared", "notes": "notes", "elsewhere": "/opt/data", "label": "pilot"}


def test_the_same_inputs_give_the_same_cache_keys_and_each_input_changes_them(client, chapters) -> None:
    first, again = record(client, chapters), record(client, chapters)
    keys = [chapter.cache_key for chapter in first.chapters]
    assert keys == [chapter.cache_key for chapter in again.chapters]
    assert len(set(keys)) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    other_input = {**MANIFEST, "inputs": [{**MANIFEST["inputs"][0], "sha256": "c" * 64}, MANIFEST["inputs"][1]]}
    other_settings = {**MANIFEST, "settings": {**MANIFEST["settings"], "privacy": {"min_group_size": 10}}}
    other_date = {**MANIFEST, "reference_date": "2026-12-01"}
    for manifest in (other_input, other_settings, other_date):
        changed = [chapter.cache_key for chapter in record(client, chapters, manifest).chapters]
        assert not set(changed) & set(keys)
    chapters[0].write_text(chapters[0].read_text() + " ", encoding="utf-8")
    edited = [chapter.cache_key for chapter in record(client, chapters).chapters]
    assert edited[0] != keys[0] and edited[1] == keys[1]


def test_the_record_names_the_installed_packages_and_the_commit() -> None:
    from importlib import metadata

    versions = run_record.package_versions()
    assert versions["pandas"] == metadata.version("pandas") and "papermill" in versions
    assert "pytest" not in versions  # a test extra, not what the book is computed with
    assert re.match(r"[0-9a-f]{40}( \+ local changes)?$|not known", run_record.source_commit())


def test_the_assessment_text_passes_through_the_redaction(client, chapters) -> None:
    redacted = record(client, chapters, redact=lambda text: text.replace("jo.bloggs@acme.example", "[e-mail]"))
    assert "jo.bloggs" not in redacted.assessment_text and "[e-mail]" in redacted.assessment_text


def test_the_page_keeps_client_text_inside_code(client, chapters) -> None:
    page = run_record_markdown(record(client, chapters, overrides={"execution": {"workers": 1}}))
    assert page.startswith("---\nnosearch: true\n---")  # the one page two runs differ in stays out of search
    survey_row = next(line for line in page.splitlines() if line.startswith("| survey"))
    assert survey_row.count(" | ") == 3  # the pipe in the file name did not add a column
    assert "``exports/s`ur\\|vey.csv``" in survey_row
    block = page[page.index("````yaml") :]
    assert block.index("# ```") < block.index("\n````\n")  # the file's own ``` cannot close the block
    assert "execution:\n  workers: 1" in page
    assert "| 10_intake | `prepared_dir=_build/prepared` |" in page
    assert "Run started: 2026-12-03T12:00:00+00:00" in page


def test_run_json_carries_when_the_whole_run_finished(client, chapters) -> None:
    document = json.loads(record(client, chapters).to_json(finished_at="2026-12-03T12:06:00+00:00"))
    assert document["finished_at"] == "2026-12-03T12:06:00+00:00"
    assert document["inputs"][0] == {"table": "roster", "file": "exports/hr.csv", "sha256": "a" * 64, "rows": 12}
    assert "finished_at" not in json.loads(record(client, chapters).to_json())

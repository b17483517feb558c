"""What a chapter reads: recorded once per name into the log its runner names, declared in its notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalegap import reads
from scalegap.package import PreparedPackage
from scalegap.settings import Settings


def test_nothing_is_recorded_without_a_log_and_each_read_once_with_one(tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "reads.tsv"
    reads.record("tables", "roster")
    assert not log.exists()
    monkeypatch.setenv(reads.LOG_VARIABLE, str(log))
    for _ in range(3):
        reads.record("tables", "roster")
    reads.record("settings", "privacy")
    with reads.paused():
        reads.record("tables", "survey")
    assert log.read_text(encoding="utf-8") == "tables\troster\nsettings\tprivacy\n"
    assert reads.recorded(log) == reads.Reads(tables=frozenset({"roster"}), settings=frozenset({"privacy"}))


def test_a_recorded_dict_records_each_key_read(tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "reads.tsv"
    monkeypatch.setenv(reads.LOG_VARIABLE, str(log))
    document = reads.RecordedDict("results", {"headline": 1, "adoption": 2, "support": 3})
    assert document["headline"] == 1 and document.get("adoption") == 2 and "gaps" not in document
    assert reads.recorded(log).results == {"headline", "adoption", "gaps"}  # asking whether it is there is a read


def test_the_settings_and_the_package_record_sections_and_tables(template_settings: Settings, tmp_path, monkeypatch):
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    manifest = {"settings": template_settings.model_dump(mode="json"), "reference_date": "2026-11-30"}
    (prepared / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    log = tmp_path / "reads.tsv"
    monkeypatch.setenv(reads.LOG_VARIABLE, str(log))
    package = PreparedPackage(prepared)
    assert (
        package.settings.privacy.min_group_size > 0
    )  # validating the settings reads rollout and privacy: not recorded
    assert not package.has("tickets") and package.reference_date.year == 2026
    assert reads.recorded(log) == reads.Reads(
        tables=frozenset({"tickets"}), settings=frozenset({"privacy"}), manifest=frozenset({"reference_date"})
    )


def test_a_declaration_is_read_from_the_notebook_and_compared(tmp_path: Path) -> None:
    notebook = tmp_path / "20_readiness.ipynb"
    notebook.write_text(json.dumps({"metadata": {"scalegap": {"reads": {"tables": ["survey"]}}}}), "utf-8")
    declared = reads.declared(notebook)
    assert declared == reads.Reads(tables=frozenset({"survey"}))
    done = reads.Reads(tables=frozenset({"survey", "roster"}), settings=frozenset({"privacy"}))
    assert reads.undeclared(done, declared) == ["tables: roster", "settings: privacy"]
    assert reads.log_path(tmp_path / "_build" / "notebooks" / "20_readiness.ipynb") == (
        tmp_path / "_build" / "reads" / "20_readiness.tsv"
    )
    notebook.write_text(json.dumps({"metadata": {}}), encoding="utf-8")
    assert reads.declared(notebook) is None
    with pytest.raises(ValueError, match="unknown kinds of read: files"):
        reads.Reads.of({"files": ["x"]})


def test_the_chapters_that_read_nothing_the_summarise_step_writes_can_run_beside_it(tmp_path: Path) -> None:
    declarations = {
        "10_intake": {"tables": ["roster"], "manifest": ["inputs"]},
        "30_adoption": {"tables": ["usage"], "studies": ["adoption"]},
        "00_summary": {"results": ["headline"]},
        "99_custom": None,  # declares nothing: it might read anything, so it waits
    }
    chapters = []
    for name, declared in declarations.items():
        metadata = {"scalegap": {"reads": declared}} if declared else {}
        (tmp_path / f"{name}.ipynb").write_text(json.dumps({"metadata": metadata}), encoding="utf-8")
        chapters.append(tmp_path / f"{name}.ipynb")
    first, second = reads.after_the_summary(chapters)
    assert [c.stem for c in first] == ["10_intake"]
    assert [c.stem for c in second] == ["30_adoption", "00_summary", "99_custom"]

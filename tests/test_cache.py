"""Reusing the last good build: by content, with the reason for every part that runs again."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from scalegap import cache
from scalegap.fingerprint import ReadContents

MANIFEST = {
    "generated_at": "2026-12-07T10:00:00+00:00",
    "inputs": [{"table": "roster", "file": "exports/roster.csv", "format": "roster", "sha256": "ab"}],
    "settings": {"conversion": {"currency": "GBP"}, "execution": {"workers": 2}},
}


BUILD = Path("/clients/acme/_build")
NOWHERE = Path("/nowhere/prepared")


def chapters(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("10_intake.ipynb", "20_readiness.ipynb"):
        (folder / name).write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
    return sorted(folder.glob("*.ipynb"))


def keys_of(manifest: dict[str, Any], notebooks: list[Path], build: Path, prepared: Path = NOWHERE) -> cache.Keys:
    """The keys of chapters declaring what they read in ``prepared`` and its results folder beside it, or (these
    test chapters without a declaration) keyed on every export and setting."""
    return cache.keys_for(notebooks, build, ReadContents(manifest, prepared, prepared.parent / "results"))


def last_build(folder: Path, keys: cache.Keys) -> cache.LastBuild:
    (folder / "notebooks").mkdir(parents=True)
    (folder / "results").mkdir()
    for name in keys.chapters:
        (folder / "notebooks" / name).write_text(f'{{"prepared_dir": "{keys.build}/prepared"}}', encoding="utf-8")
    cache.write_keys(folder, keys)
    found = cache.LastBuild.of(folder)
    assert found is not None
    return found


def test_nothing_changed_reuses_everything(tmp_path: Path) -> None:
    keys = keys_of(MANIFEST, chapters(tmp_path / "chapters"), tmp_path / "_build")
    plan = cache.plan(keys, last_build(tmp_path / "_build", keys), force=False)
    assert plan.summary.reuse and all(decision.reuse for decision in plan.chapters.values())
    assert plan.lines()[0] == "reuse  summarise: nothing it reads changed"


def test_each_change_names_its_reason(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    last = last_build(tmp_path / "_build", keys_of(MANIFEST, notebooks, BUILD))
    setting = json.loads(json.dumps(MANIFEST))
    setting["settings"]["conversion"]["currency"] = "EUR"
    assert cache.plan(keys_of(setting, notebooks, BUILD), last, False).summary.why == ("an export or a setting changed")
    notebooks[1].write_text(notebooks[1].read_text(encoding="utf-8") + " ", encoding="utf-8")
    plan = cache.plan(keys_of(MANIFEST, notebooks, BUILD), last, False)
    assert plan.summary.reuse and plan.chapters["10_intake.ipynb"].reuse
    assert plan.chapters["20_readiness.ipynb"] == cache.Decision(False, "its notebook changed")
    assert not cache.plan(keys_of(MANIFEST, notebooks, BUILD), last, True).summary.reuse  # --force
    workers = json.loads(json.dumps(MANIFEST))
    workers["settings"]["execution"]["workers"] = 1  # how chapters run, not what they compute
    assert cache.plan(keys_of(workers, notebooks, BUILD), last, False).summary.reuse


def test_no_last_build_or_a_missing_part_runs_again(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    keys = keys_of(MANIFEST, notebooks, BUILD)
    assert cache.plan(keys, None, False).summary.why == "not in the last good build"
    last = last_build(tmp_path / "_build", keys)
    (last.path / "notebooks" / "10_intake.ipynb").unlink()
    assert not cache.plan(keys, last, False).chapters["10_intake.ipynb"].reuse
    (last.path / cache.CACHE).write_text('{"format": "something else"}', encoding="utf-8")
    assert cache.read_keys(last.path) is None and cache.LastBuild.of(last.path) is None


def test_a_reused_chapter_names_the_new_build_even_when_the_client_moved(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    keys = keys_of(MANIFEST, notebooks, BUILD)  # the build was put in place under /clients/acme
    last = last_build(tmp_path / "moved" / "_build", keys)  # and the client folder has moved since
    target = tmp_path / "moved" / "_build.partial-2"
    (target / "notebooks").mkdir(parents=True)
    reused = cache.reuse_chapters(cache.plan(keys, last, False), last, target)
    assert reused == ["10_intake.ipynb", "20_readiness.ipynb"]
    text = (target / "notebooks" / "20_readiness.ipynb").read_text(encoding="utf-8")
    assert text == f'{{"prepared_dir": "{target.resolve()}/prepared"}}'
    assert cache.reuse_chapters(cache.plan(keys, None, False), None, target) == []


def test_the_book_key_does_not_depend_on_where_the_build_is_and_ignores_the_run_record(tmp_path: Path) -> None:
    source = tmp_path / "book"
    source.mkdir()
    first_build, second_build = tmp_path / "_build.partial-1", tmp_path / "_build.partial-2"
    (source / "20_readiness.ipynb").write_text(f'{{"prepared_dir": "{first_build.resolve()}/prepared"}}', "utf-8")
    (source / "run-record.md").write_text("Run started: 10:00", encoding="utf-8")
    first = cache.book_key(source, first_build)
    (source / "20_readiness.ipynb").write_text(f'{{"prepared_dir": "{second_build.resolve()}/prepared"}}', "utf-8")
    (source / "run-record.md").write_text("Run started: 11:00", encoding="utf-8")
    assert cache.book_key(source, second_build) == first
    (source / "notes.md").write_text("# A note", encoding="utf-8")
    assert cache.book_key(source, second_build) != first


def declared_chapters(folder: Path) -> list[Path]:
    """Two chapters declaring their reads: one the conversion settings and a persisted study, one the roster."""
    folder.mkdir(parents=True, exist_ok=True)
    declarations = {
        "68_conversion_rate.ipynb": {"settings": ["conversion"], "studies": ["conversion"], "results": ["headline"]},
        "20_readiness.ipynb": {"tables": ["roster"], "settings": ["privacy"], "manifest": ["reference_date"]},
    }
    for name, reads in declarations.items():
        notebook = {"cells": [], "metadata": {"scalegap": {"reads": reads}}}
        (folder / name).write_text(json.dumps(notebook), encoding="utf-8")
    return sorted(folder.glob("*.ipynb"))


def prepared_package(build: Path, manifest: dict[str, Any]) -> Path:
    prepared, results = build / "prepared", build / "results"
    (results / "conversion" / "frames").mkdir(parents=True, exist_ok=True)
    prepared.mkdir(exist_ok=True)
    (prepared / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (prepared / "roster.parquet").write_bytes(b"roster v1")
    (results / "results.json").write_text(json.dumps({"headline": {"rate": 0.4}, "generated_at": "1"}), "utf-8")
    study = {"format": "scalegap-study", "key": "inputs-1", "root": {"float": "nan"}}
    (results / "conversion" / "study.json").write_text(json.dumps(study), encoding="utf-8")
    (results / "conversion" / "frames" / "0.parquet").write_bytes(b"frame v1")
    return prepared


def test_a_declaring_chapter_runs_again_only_when_what_it_reads_changed_and_says_what(tmp_path: Path) -> None:
    notebooks = declared_chapters(tmp_path / "chapters")
    manifest = {**MANIFEST, "reference_date": "2026-11-30", "settings": {**MANIFEST["settings"], "privacy": {}}}
    prepared = prepared_package(tmp_path / "one", manifest)
    last = last_build(tmp_path / "_build", keys_of(manifest, notebooks, BUILD, prepared))

    def decisions(changed: dict[str, Any]) -> dict[str, cache.Decision]:
        return cache.plan(keys_of(changed, notebooks, BUILD, prepared), last, False).chapters

    # another time of writing, another key of the persisted study, another block of results.json: nothing read
    later = {**manifest, "generated_at": "2026-12-08T10:00:00+00:00"}
    study = prepared.parent / "results" / "conversion" / "study.json"
    study.write_text(study.read_text(encoding="utf-8").replace("inputs-1", "inputs-2"), encoding="utf-8")
    document = prepared.parent / "results" / "results.json"
    document.write_text(json.dumps({"headline": {"rate": 0.4}, "generated_at": "2"}), encoding="utf-8")
    assert all(decision.reuse for decision in decisions(later).values())

    setting = json.loads(json.dumps(manifest))
    setting["settings"]["conversion"]["currency"] = "EUR"
    assert decisions(setting)["20_readiness.ipynb"].reuse
    assert decisions(setting)["68_conversion_rate.ipynb"] == cache.Decision(
        False, "a table, setting or result it reads changed (settings: conversion)"
    )
    (prepared / "roster.parquet").write_bytes(b"roster v2")
    frame = prepared.parent / "results" / "conversion" / "frames" / "0.parquet"
    frame.write_bytes(b"frame v2")
    changed = decisions(manifest)
    assert changed["20_readiness.ipynb"].why.endswith("(tables: roster)")
    assert changed["68_conversion_rate.ipynb"].why.endswith("(studies: conversion)")


def test_a_chapter_that_read_what_it_does_not_declare_runs_again_and_says_what_to_declare(tmp_path: Path) -> None:
    notebooks = declared_chapters(tmp_path / "chapters")
    manifest = {**MANIFEST, "reference_date": "2026-11-30"}
    prepared = prepared_package(tmp_path / "_build", manifest)
    keys = keys_of(manifest, notebooks, BUILD, prepared)
    log = tmp_path / "_build" / "reads" / "20_readiness.tsv"
    log.parent.mkdir()
    log.write_text("tables\troster\ntables\tsurvey\nsettings\tprivacy\n", encoding="utf-8")  # survey: undeclared
    (tmp_path / "_build" / "reads" / "68_conversion_rate.tsv").write_text("settings\tconversion\n", "utf-8")
    marked = cache.with_undeclared_reads(keys, notebooks, tmp_path / "_build")
    assert marked.chapters["68_conversion_rate.ipynb"] == keys.chapters["68_conversion_rate.ipynb"]
    last = last_build(tmp_path / "last", marked)
    decision = cache.plan(keys, last, False).chapters["20_readiness.ipynb"]
    assert not decision.reuse and "tables: survey" in decision.why and "scalegap.reads" in decision.why


def test_a_chapter_saved_since_its_run_runs_again_instead_of_reaching_the_next_book(tmp_path: Path) -> None:
    """An executed chapter opened in JupyterLab (scalegap lab) and saved is not the run's: it is not reused."""
    keys = keys_of(MANIFEST, chapters(tmp_path / "chapters"), BUILD)
    partial = tmp_path / "_build.partial-1"
    (partial / "notebooks").mkdir(parents=True)
    for name in keys.chapters:  # as the run writes them: naming the partial build, put in place under BUILD later
        (partial / "notebooks" / name).write_text(f'{{"prepared_dir": "{partial.resolve()}/prepared"}}', "utf-8")
    written = cache.executed_digests(sorted((partial / "notebooks").glob("*.ipynb")), partial)
    last = last_build(tmp_path / "_build", dataclasses.replace(keys, executed=written))
    assert all(decision.reuse for decision in cache.plan(keys, last, False).chapters.values())  # relocated: intact
    saved = last.path / "notebooks" / "20_readiness.ipynb"
    saved.write_text(saved.read_text(encoding="utf-8").replace("}", ', "scenario": "moved a slider"}'), "utf-8")
    plan = cache.plan(keys, last, False)
    assert plan.chapters["10_intake.ipynb"].reuse
    assert plan.chapters["20_readiness.ipynb"] == cache.Decision(False, cache.EDITED)
    assert cache.read_keys(last.path) == last.keys and last.keys.executed == written

"""Reusing the last good build: by content, with the reason for every part that runs again."""

from __future__ import annotations

import json
from pathlib import Path

from scalegap import cache

MANIFEST = {
    "generated_at": "2026-12-07T10:00:00+00:00",
    "inputs": [{"table": "roster", "file": "exports/roster.csv", "format": "roster", "sha256": "ab"}],
    "settings": {"conversion": {"currency": "GBP"}, "execution": {"workers": 2}},
}


BUILD = Path("/clients/acme/_build")


def chapters(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("10_intake.ipynb", "20_readiness.ipynb"):
        (folder / name).write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
    return sorted(folder.glob("*.ipynb"))


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
    keys = cache.keys_for(MANIFEST, chapters(tmp_path / "chapters"), tmp_path / "_build")
    plan = cache.plan(keys, last_build(tmp_path / "_build", keys), force=False)
    assert plan.summary.reuse and all(decision.reuse for decision in plan.chapters.values())
    assert plan.lines()[0] == "reuse  summarise: nothing it reads changed"


def test_each_change_names_its_reason(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    last = last_build(tmp_path / "_build", cache.keys_for(MANIFEST, notebooks, BUILD))
    setting = json.loads(json.dumps(MANIFEST))
    setting["settings"]["conversion"]["currency"] = "EUR"
    assert cache.plan(cache.keys_for(setting, notebooks, BUILD), last, False).summary.why == (
        "an export or a setting changed"
    )
    notebooks[1].write_text(notebooks[1].read_text(encoding="utf-8") + " ", encoding="utf-8")
    plan = cache.plan(cache.keys_for(MANIFEST, notebooks, BUILD), last, False)
    assert plan.summary.reuse and plan.chapters["10_intake.ipynb"].reuse
    assert plan.chapters["20_readiness.ipynb"] == cache.Decision(False, "its notebook changed")
    assert not cache.plan(cache.keys_for(MANIFEST, notebooks, BUILD), last, True).summary.reuse  # --force
    workers = json.loads(json.dumps(MANIFEST))
    workers["settings"]["execution"]["workers"] = 1  # how chapters run, not what they compute
    assert cache.plan(cache.keys_for(workers, notebooks, BUILD), last, False).summary.reuse


def test_no_last_build_or_a_missing_part_runs_again(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    keys = cache.keys_for(MANIFEST, notebooks, BUILD)
    assert cache.plan(keys, None, False).summary.why == "not in the last good build"
    last = last_build(tmp_path / "_build", keys)
    (last.path / "notebooks" / "10_intake.ipynb").unlink()
    assert not cache.plan(keys, last, False).chapters["10_intake.ipynb"].reuse
    (last.path / cache.CACHE).write_text('{"format": "something else"}', encoding="utf-8")
    assert cache.read_keys(last.path) is None and cache.LastBuild.of(last.path) is None


def test_a_reused_chapter_names_the_new_build_even_when_the_client_moved(tmp_path: Path) -> None:
    notebooks = chapters(tmp_path / "chapters")
    keys = cache.keys_for(MANIFEST, notebooks, BUILD)  # the build was put in place under /clients/acme
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

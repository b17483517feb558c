"""`scalegap run` on a small hand-made client: escaping, notes pages, rejects."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.integration.conftest import Run, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("tiny")]


@pytest.fixture(scope="module")
def forced_again(tiny_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The tiny client, its last good build with it, copied to another folder and run again with ``--force``:
    every step runs again from the same inputs (one whole run, which the tests below read)."""
    assert tiny_run.returncode == 0, tiny_run.transcript
    again = tmp_path_factory.mktemp("forced") / "again"
    shutil.copytree(tiny_run.client, again, ignore=shutil.ignore_patterns("_build.*"))
    done = run_cli("run", str(again), "--force")
    return Run(again, done.stdout, done.stderr, done.returncode)


def test_run_succeeds(tiny_run) -> None:
    assert tiny_run.returncode == 0, tiny_run.transcript
    for step in ("prepare", "execute", "build", "publish"):
        assert step in tiny_run.stdout
    assert "10_intake.ipynb" in tiny_run.stdout


def test_the_client_name_is_escaped_everywhere(tiny_run) -> None:
    for page in tiny_run.html.glob("*.html"):
        assert "Acme <Tiny>" not in page.read_text(), page.name
    assert "Acme &lt;Tiny&gt; &amp; Co" in (tiny_run.html / "00_summary.html").read_text()


def test_consultant_notes_become_pages_and_empty_ones_do_not(tiny_run) -> None:
    assert (tiny_run.html / "notes" / "10_context.html").is_file()
    assert "The CFO sponsors it." in (tiny_run.html / "notes" / "10_context.html").read_text()
    assert not (tiny_run.html / "notes" / "20_empty.html").exists()


def test_small_departments_are_suppressed_in_the_intake_chapter(tiny_run) -> None:
    page = (tiny_run.html / "10_intake.html").read_text()
    assert "Legal" in page  # 4 people: shown as a label, figures blank
    assert "fewer than 5 people are suppressed" in page


def test_the_book_has_the_formats_reference_and_the_linking_table(tiny_run) -> None:
    formats = (tiny_run.html / "formats.html").read_text()
    assert "Export formats and fields" in formats and "data_tier" in formats and "servicenow_csv" in formats
    intake = (tiny_run.html / "10_intake.html").read_text()
    assert "Rows linked to the roster, per table" in intake


def test_force_runs_every_chapter_again(forced_again: Run) -> None:
    assert forced_again.returncode == 0, forced_again.stderr
    chapters = sorted(path.name for path in (forced_again.client / "_build" / "notebooks").glob("*.ipynb"))
    assert chapters and all(f"done  {name}" in forced_again.stdout for name in chapters)
    assert "reused" not in forced_again.stdout


def test_a_second_run_publishes_byte_identical_pages_and_figures(tiny_run: Run, forced_again: Run) -> None:
    """The same inputs give the same HTML: seeded statistics, no random error bars or jitter, no run paths.
    The second run is the ``--force`` run of a copy in another folder: every chapter executed and the book built
    again (none of it reused, as the test above checks).

    The run record says when each run started and executed its chapters: those two times are its only
    difference (it is kept out of the search index, so that stays identical too)."""
    import filecmp
    import re

    assert forced_again.returncode == 0, forced_again.stderr
    assert "reused" not in forced_again.stdout
    first, second = tiny_run.html, forced_again.html
    files = sorted(str(path.relative_to(first)) for path in first.rglob("*") if path.is_file())
    assert files == sorted(str(path.relative_to(second)) for path in second.rglob("*") if path.is_file())
    _, differ, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert set(differ) <= {"run-record.html"} and errors == []
    times = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
    pages = [times.sub("TIME", (html / "run-record.html").read_text(encoding="utf-8")) for html in (first, second)]
    assert pages[0] == pages[1] and pages[0].count("TIME") == 2
    keys = [
        [chapter["cache_key"] for chapter in json.loads((html.parent / "run.json").read_text())["chapters"]]
        for html in (first, second)
    ]
    assert keys[0] == keys[1] and len(keys[0]) == len(list((first.parent / "notebooks").glob("*.ipynb")))


def test_the_run_record_page_shows_what_the_book_was_computed_from(tiny_run) -> None:
    import hashlib

    page = (tiny_run.html / "run-record.html").read_text(encoding="utf-8")
    record = json.loads((tiny_run.client / "_build" / "run.json").read_text(encoding="utf-8"))
    assert record["started_at"] <= record["executed_at"] <= record["finished_at"]
    for item in record["inputs"]:
        assert item["sha256"] == hashlib.sha256((tiny_run.client / item["file"]).read_bytes()).hexdigest()
        assert item["sha256"] in page
    assert hashlib.sha256((tiny_run.client / "assessment.yml").read_bytes()).hexdigest() in page
    assert f"pandas {record['packages']['pandas']}" in page and record["commit"].split()[0] in page
    for chapter in record["chapters"]:
        assert chapter["parameters"] == {"prepared_dir": "_build/prepared"} and chapter["cache_key"] in page
    assert str(tiny_run.client) not in page  # no absolute path of the consultant's machine


def test_a_rerun_reuses_what_did_not_change_and_runs_what_did(tiny_run: Run, tmp_path) -> None:
    """Nothing changed: no chapter runs and the book is the last one, byte for byte.  A note: the book alone is
    built again.  A setting: the summarise step and the chapters that read it, or what it changed, run again.
    (--force: everything runs, in test_force_runs_every_chapter_again.)"""
    again = tmp_path / "again"
    shutil.copytree(tiny_run.client, again, ignore=shutil.ignore_patterns("_build.*"))
    chapters = sorted(path.name for path in (again / "_build" / "notebooks").glob("*.ipynb"))
    before = {path.name: path.read_bytes() for path in (again / "_build" / "html").glob("*.html")}

    same = run_cli("run", str(again))
    assert same.returncode == 0, same.stderr
    assert all(f"reused  {name}" in same.stdout and f"running  {name}" not in same.stdout for name in chapters)
    assert "summarise  reused" in same.stdout and "build  reused" in same.stdout
    assert "prepare  reused" in same.stdout  # the exports were not read again
    after = {path.name: path.read_bytes() for path in (again / "_build" / "html").glob("*.html")}
    assert after == before  # the run-record page too: it names the run that built this book

    (again / "notes" / "30_next.md").write_text("# Next steps\n\nA steering group in March.\n", encoding="utf-8")
    # a note named after a chapter goes inside it, and cites the chapter's glued figures
    (again / "notes" / "summary.md").write_text("# Our view\n\nThe verdict: {glue:text}`verdict`.\n", encoding="utf-8")
    noted = run_cli("run", str(again))
    assert noted.returncode == 0, noted.stderr
    assert not any(f"running  {name}" in noted.stdout for name in chapters)
    assert "building the HTML book" in noted.stdout and "prepare  reused" in noted.stdout
    assert "A steering group in March." in (again / "_build" / "html" / "notes" / "30_next.html").read_text()
    assert not (again / "_build" / "html" / "notes" / "summary.html").exists()
    verdict = json.loads((again / "_build" / "results.json").read_text())["recommendation"]["verdict"]
    summary = (again / "_build" / "html" / "00_summary.html").read_text()
    assert (
        '<p class="admonition-title">Consultant’s commentary</p>' in summary and "<strong>Our view</strong>" in summary
    )
    assert f'The verdict: <span class="pasted-text">{verdict}</span>.' in summary and "{glue" not in summary
    for name in chapters:  # copied, not executed again: the same but for the client folder, which moved
        copied = (again / "_build" / "notebooks" / name).read_text(encoding="utf-8")
        first = (tiny_run.client / "_build" / "notebooks" / name).read_text(encoding="utf-8")
        assert copied == first.replace(str(tiny_run.client.resolve()), str(again.resolve())), name

    explained = run_cli("run", str(again), "--set", "conversion.loaded_hourly_cost=60", "--explain")
    assert explained.returncode == 0, explained.stderr
    assert "run  summarise: an export or a setting changed" in explained.stdout
    # only the chapters that read the conversion settings, or a result computed from them, would run
    assert "run  68_conversion_rate.ipynb: a table, setting or result it reads changed (" in explained.stdout
    assert "settings: conversion" in explained.stdout
    assert "reuse  10_intake.ipynb: nothing it reads changed" in explained.stdout
    assert "reuse  60_governance.ipynb: nothing it reads changed" in explained.stdout
    assert not list(again.glob("_build.partial-*"))  # --explain leaves nothing behind

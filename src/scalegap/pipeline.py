"""The assessment pipeline as a short list of named steps: prepare, execute, build, publish.

Usable without the CLI::

    from scalegap.pipeline import run_assessment
    outcome = run_assessment(Path("clients/acme"))
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from scalegap import book, builds, cache, reads, run_record, runner
from scalegap.background import InBackground
from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError, ScalegapErrors
from scalegap.fingerprint import ReadContents
from scalegap.models.results import SCHEMA, results_path, schema_path
from scalegap.package import PreparedPackage
from scalegap.prepare import Intake, check, reuse
from scalegap.privacy import Redactor
from scalegap.resources import chapter_notebooks
from scalegap.settings import Settings, load_settings

T = TypeVar("T")


class Progress(Protocol):
    def started(self, step: str, detail: str = "") -> None: ...

    def finished(self, step: str, seconds: float) -> None: ...

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        """A chapter is "queued", "running", "done" or "failed" (with its seconds), or "reused" from the last good
        build."""


class Silent:
    def started(self, step: str, detail: str = "") -> None:
        pass

    def finished(self, step: str, seconds: float) -> None:
        pass

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        pass


@dataclass(frozen=True)
class RunOutcome:
    index_html: Path
    results: Path
    #: each step's seconds (the summarise step runs beside the first chapters: they overlap)
    seconds: dict[str, float] = field(default_factory=dict)
    #: the book is the last good build's (its chapters, notes and pages did not change)
    book_reused: bool = False
    #: the run's own seconds, start to end
    wall_seconds: float = 0.0


def load_client(root: Path, overrides: dict[str, Any] | None = None) -> tuple[ClientFolder, Settings]:
    client = ClientFolder(root).require()
    return client, load_settings(client.assessment, overrides)


def validate_client(root: Path, overrides: dict[str, Any] | None = None) -> Intake:
    """Read and check every export without writing anything (``scalegap validate``)."""
    client, settings = load_client(root, overrides)
    book.logo_file(client, settings)
    return check(client, settings)


def run_assessment(
    root: Path,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
    keep: int = 1,
    force: bool = False,
) -> RunOutcome:
    """Prepare, execute and build into a new folder; put it in place of ``_build/`` only when all succeeded.

    A failure or an interrupt leaves the last good build untouched (:mod:`scalegap.builds`); the error says
    where this run's partial build is.  ``keep`` previous builds are kept beside it.  The summarise step and
    every chapter whose inputs, code and notebook are those of the last good build are reused from it
    (:mod:`scalegap.cache`), unless ``force``.
    """
    progress = progress or Silent()
    client, settings = load_client(root, overrides)
    book.logo_file(client, settings)  # a missing logo is refused before the run, not after the chapters
    when, began = builds.stamp(), time.perf_counter()
    work = builds.staging(client, when)
    last = cache.LastBuild.of(client.build)
    try:
        seconds, book_reused = build_steps(work, settings, progress, overrides or {}, last, force, client.build)
    except ScalegapError as error:
        if not any(work.build.iterdir()):  # refused before anything was written: nothing to inspect
            work.build.rmdir()
        else:
            point_at_partial(error, work)
        raise
    builds.promote(client, work, when, keep)
    wall = round(time.perf_counter() - began, 1)
    return RunOutcome(client.html / "index.html", client.results, seconds, book_reused, wall)


def explain_run(root: Path, overrides: dict[str, Any] | None = None, force: bool = False) -> cache.Plan:
    """What ``scalegap run`` would reuse from the last good build and what it would run again, and why: the
    exports are read and prepared into a scratch folder (removed afterwards), and summarised there unless the
    last good build's results can be reused (a chapter is keyed on the results it reads); no chapter is run."""
    client, settings = load_client(root, overrides)
    work = builds.staging(client, builds.stamp())
    last = cache.LastBuild.of(client.build)
    try:
        package = PreparedPackage(preparation(work, settings, last, force)[1]())
        summarising(package, reusable_summary(package, last, force))()
        keys = cache.keys_for(chapter_notebooks(), client.build, contents_of(package))
        return cache.plan(keys, last, force)
    finally:
        shutil.rmtree(work.build, ignore_errors=True)


def build_steps(
    client: ClientFolder,
    settings: Settings,
    progress: Progress,
    overrides: dict[str, Any],
    last: cache.LastBuild | None = None,
    force: bool = False,
    final: Path | None = None,
) -> tuple[dict[str, float], bool]:
    """The named steps, into ``client``'s build folder (``final`` once in place); their seconds, and whether the
    book was reused.  Parts made from
    the same inputs, code and notebook as in the last good build ``last`` are copied from it
    (:mod:`scalegap.cache`)."""
    seconds: dict[str, float] = {}

    def step(name: str, detail: str, action: Callable[[], T]) -> T:
        progress.started(name, detail)
        began = time.perf_counter()
        value = action()
        took = time.perf_counter() - began
        seconds[name] = round(seconds.get(name, 0.0) + took, 2)  # the execute step comes in two parts
        progress.finished(name, round(took, 2))
        return value

    started_at = run_record.now()
    detail, make = preparation(client, settings, last, force)
    package = step("prepare", detail, lambda: PreparedPackage(make()))
    reuse_from = reusable_summary(package, last, force)
    detail = "reused: nothing it reads changed" if reuse_from else "computing the headline figures"
    progress.started("summarise", detail)
    summary = InBackground(summarising(package, reuse_from), name="summarise")
    # the chapters that read no headline figure start at once, beside the summarise step; those that read them
    # as soon as it has ended and a core is free
    chapters = chapter_notebooks()
    first, second = reads.after_the_summary(chapters)
    workers = settings.execution.workers or runner.default_workers()
    contents, build = contents_of(package), final or client.build
    early = cache.keys_for(first, build, contents)
    planned = [(early, cache.plan(early, last, force))]  # then the whole run's keys and plan, once released

    def release() -> list[Path] | None:
        if summary.running():
            return None
        seconds["summarise"] = summary.result()
        progress.finished("summarise", seconds["summarise"])
        later = cache.keys_for(second, build, contents)  # the first chapters' keys stand: they read no result
        both = {**early.chapters, **later.chapters}
        keys = dataclasses.replace(later, chapters={chapter.name: both[chapter.name] for chapter in chapters})
        planned.append((keys, cache.plan(keys, last, force)))
        return unless_reused(client, progress, planned[-1][1], last, second)

    try:
        step(
            "execute",
            "running the chapter notebooks (those that read the headline figures once they are computed)",
            lambda: execute(
                client, package, settings, progress, planned[0][1], last, first, workers, runner.Waiting(release)
            ),
        )
    except ScalegapError:  # a chapter failed: the summarise step ends before the partial build is named
        summary.wait()
        raise
    keys, plan = planned[-1]
    executed = [client.notebooks / chapter.name for chapter in chapters]
    ran = [chapter for chapter in chapters if not plan.chapters[chapter.name].reuse]
    keys = cache.with_undeclared_reads(keys, ran, client.build)
    record = record_run(client, package, overrides, started_at, keys)
    reusable_build = last.path if last is not None and not force else None
    step(
        "assemble",
        "assembling the book source",
        lambda: book.assemble(client, settings, executed, record, reusable_build),
    )
    keys = dataclasses.replace(keys, book=cache.book_key(client.book_source, client.build))
    decision = cache.book_decision(keys.book, last, force)
    if decision.reuse and last is not None:
        step(
            "build",
            "reused: the book's chapters, notes and pages did not change",
            lambda: reuse_book(last.path, client),
        )
    else:
        step("build", "building the HTML book", lambda: book.build_html(client))
    keys = dataclasses.replace(keys, executed=cache.executed_digests(executed, client.build))
    cache.write_keys(client.build, keys)
    step("publish", "writing results.json", lambda: publish(client, package, record, decision.reuse))
    return seconds, decision.reuse


def preparation(
    client: ClientFolder, settings: Settings, last: cache.LastBuild | None, force: bool
) -> tuple[str, Callable[[], Path]]:
    """What the prepare step will do, said as its progress detail, and the action that does it: the last good
    build's package copied when it was prepared from the same export files, settings and code
    (:mod:`scalegap.prepare.reuse`), else the exports read again."""
    key = reuse.prepared_key(client, settings)
    if last is not None and not force and key is not None and reuse.prepared_with(last.path, client) == key:
        build = last.path
        return "reused: no export, setting or code changed", lambda: reuse.copy_package(build, client)
    return "reading and validating the exports", lambda: reuse.prepare_keyed(client, settings, key)


def record_run(
    client: ClientFolder, package: PreparedPackage, overrides: dict[str, Any], started_at: str, keys: cache.Keys
) -> run_record.RunRecord:
    """The run record (the book's last appendix page; ``_build/run.json`` when published), with the chapters'
    keys the run was planned by."""
    return run_record.run_record(
        package.manifest,
        keys,
        client.assessment,
        overrides,
        chapter_notebooks(),
        runner.notebook_parameters(package.path),
        client.root,
        client.build,
        started_at,
        run_record.now(),
        redact=Redactor.of(package).redact,
    )


def point_at_partial(error: ScalegapError, work: ClientFolder) -> None:
    """Say in the error's last line where the partial build is, and that the last good book is untouched."""
    last = error.errors[-1] if isinstance(error, ScalegapErrors) else error
    where = f"this run's partial build is in {work.build}; the last good book in _build/ is untouched"
    last.hint = f"{last.hint}; {where}" if last.hint else where


def reusable_summary(package: PreparedPackage, last: cache.LastBuild | None, force: bool) -> Path | None:
    """The last good build, when its results were made from the same exports, settings and code; else None."""
    key = cache.summary_key(package.raw_manifest)
    return last.path if last is not None and cache.summary_decision(key, last, force).reuse else None


def summarising(package: PreparedPackage, reuse_from: Path | None) -> Callable[[], Path]:
    """The summarise step, to run (in the background): its results copied from the build ``reuse_from``, or
    (None) computed; it returns the path of results.json.  The models are imported here, before the step runs
    and in the caller's thread, and only when it computes: an import still under way in a background thread when
    Ctrl-C ends the run aborts the interpreter."""
    if reuse_from:
        return lambda: reuse_results(reuse_from, package)
    from scalegap.models.summary import write_results  # the models' libraries: seconds to import

    return lambda: write_results(package, run_record.now())


def contents_of(package: PreparedPackage) -> ReadContents:
    """What the chapters read in this package and its results folder, each digested once a run."""
    return ReadContents(package.raw_manifest, package.path, results_path(package).parent)


def reuse_results(last: Path, package: PreparedPackage) -> Path:
    """The last good build's persisted studies and results.json, copied into this build (they were made from
    the same inputs and code: their keys still match, and their paths are relative to the build)."""
    target = results_path(package).parent
    shutil.copytree(last / target.name, target, dirs_exist_ok=True)
    return results_path(package)


def execute(
    client: ClientFolder,
    package: PreparedPackage,
    settings: Settings,
    progress: Progress,
    plan: cache.Plan,
    last: cache.LastBuild | None,
    chapters: list[Path],
    workers: int,
    waiting: runner.Waiting | None = None,
) -> list[Path]:
    """Execute ``chapters`` but those the plan reuses, and then those ``waiting`` releases, ``workers`` at a
    time; copy the reused ones from the last good build."""
    client.notebooks.mkdir(parents=True, exist_ok=True)
    return runner.execute_chapters(
        unless_reused(client, progress, plan, last, chapters),
        client.notebooks,
        runner.notebook_parameters(package.path),
        on_event=lambda chapter, state, seconds: progress.chapter(chapter.name, state, seconds),
        workers=workers,
        cell_timeout_seconds=settings.execution.cell_timeout_minutes * 60,
        chapter_timeout_seconds=settings.execution.chapter_timeout_minutes * 60,
        waiting=waiting,
    )


def unless_reused(
    client: ClientFolder, progress: Progress, plan: cache.Plan, last: cache.LastBuild | None, chapters: list[Path]
) -> list[Path]:
    """The ``chapters`` to execute: those the plan reuses are copied from the last good build."""
    plan = dataclasses.replace(plan, chapters={c.name: plan.chapters[c.name] for c in chapters})
    reused = cache.reuse_chapters(plan, last, client.build)
    for name in reused:
        progress.chapter(name, "reused")
    return [c for c in chapters if c.name not in reused]


def reuse_book(last: Path, client: ClientFolder) -> Path:
    """The last good book, copied into this build: it was built from the same source with the same code.  Its
    run record (the book's last page, and run.json) comes with it: it says which run built the book."""
    shutil.copytree(last / "html", client.html)
    shutil.copy2(last / run_record.RUN_RECORD, client.build / run_record.RUN_RECORD)
    return client.html / "index.html"


def publish(
    client: ClientFolder, package: PreparedPackage, record: run_record.RunRecord, book_reused: bool = False
) -> Path:
    """results.json beside the book (the same document the executive summary was built from) with its JSON
    Schema, and run.json with the time the run finished (a reused book keeps the record its run-record page
    shows: the run that built it)."""
    shutil.copyfile(results_path(package), client.results)
    shutil.copyfile(schema_path(), client.results.with_name(SCHEMA))
    record_json = client.build / run_record.RUN_RECORD
    if not book_reused:
        record_json.write_text(record.to_json(finished_at=run_record.now()), encoding="utf-8")
    return client.results

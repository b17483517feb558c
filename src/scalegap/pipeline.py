"""The assessment pipeline as a short list of named steps: prepare, execute, build, publish.

Usable without the CLI::

    from scalegap.pipeline import run_assessment
    outcome = run_assessment(Path("clients/acme"))
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from scalegap import book, builds, run_record, runner
from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError, ScalegapErrors
from scalegap.models.results import SCHEMA, results_path, schema_path
from scalegap.models.summary import write_results
from scalegap.package import PreparedPackage
from scalegap.prepare import Intake, check, prepare
from scalegap.privacy import Redactor
from scalegap.resources import chapter_notebooks
from scalegap.settings import Settings, load_settings

T = TypeVar("T")


class Progress(Protocol):
    def started(self, step: str, detail: str = "") -> None: ...

    def finished(self, step: str, seconds: float) -> None: ...


class Silent:
    def started(self, step: str, detail: str = "") -> None:
        pass

    def finished(self, step: str, seconds: float) -> None:
        pass


@dataclass(frozen=True)
class RunOutcome:
    index_html: Path
    results: Path
    seconds: dict[str, float] = field(default_factory=dict)


def load_client(root: Path, overrides: dict[str, Any] | None = None) -> tuple[ClientFolder, Settings]:
    client = ClientFolder(root).require()
    return client, load_settings(client.assessment, overrides)


def validate_client(root: Path, overrides: dict[str, Any] | None = None) -> Intake:
    """Read and check every export without writing anything (``scalegap validate``)."""
    client, settings = load_client(root, overrides)
    return check(client, settings)


def run_assessment(
    root: Path, overrides: dict[str, Any] | None = None, progress: Progress | None = None, keep: int = 1
) -> RunOutcome:
    """Prepare, execute and build into a new folder; put it in place of ``_build/`` only when all succeeded.

    A failure or an interrupt leaves the last good build untouched (:mod:`scalegap.builds`); the error says
    where this run's partial build is.  ``keep`` previous builds are kept beside it.
    """
    progress = progress or Silent()
    client, settings = load_client(root, overrides)
    when = builds.stamp()
    work = builds.staging(client, when)
    try:
        seconds = build_steps(work, settings, progress, overrides or {})
    except ScalegapError as error:
        if not any(work.build.iterdir()):  # refused before anything was written: nothing to inspect
            work.build.rmdir()
        else:
            point_at_partial(error, work)
        raise
    builds.promote(client, work, when, keep)
    return RunOutcome(client.html / "index.html", client.results, seconds)


def build_steps(
    client: ClientFolder, settings: Settings, progress: Progress, overrides: dict[str, Any]
) -> dict[str, float]:
    """The named steps, into ``client``'s build folder; their seconds."""
    seconds: dict[str, float] = {}

    def step(name: str, detail: str, action: Callable[[], T]) -> T:
        progress.started(name, detail)
        began = time.perf_counter()
        value = action()
        seconds[name] = round(time.perf_counter() - began, 2)
        progress.finished(name, seconds[name])
        return value

    started_at = run_record.now()
    package = step("prepare", "reading and validating the exports", lambda: PreparedPackage(prepare(client, settings)))
    step("summarise", "computing the headline figures", lambda: write_results(package, run_record.now()))
    executed = step("execute", "running the chapter notebooks", lambda: execute(client, package, settings, progress))
    record = record_run(client, package, overrides, started_at)
    step("assemble", "assembling the book source", lambda: book.assemble(client, settings, executed, record))
    step("build", "building the HTML book", lambda: book.build_html(client))
    step("publish", "writing results.json", lambda: publish(client, package, record))
    return seconds


def record_run(
    client: ClientFolder, package: PreparedPackage, overrides: dict[str, Any], started_at: str
) -> run_record.RunRecord:
    """The run record (the book's last appendix page; ``_build/run.json`` when published)."""
    return run_record.run_record(
        package.manifest,
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


def execute(client: ClientFolder, package: PreparedPackage, settings: Settings, progress: Progress) -> list[Path]:
    parameters = runner.notebook_parameters(package.path)
    return runner.execute_chapters(
        chapter_notebooks(),
        client.notebooks,
        parameters,
        on_start=lambda chapter: progress.started("execute", chapter.name),
        workers=settings.execution.workers,
        cell_timeout_seconds=settings.execution.cell_timeout_minutes * 60,
        chapter_timeout_seconds=settings.execution.chapter_timeout_minutes * 60,
    )


def publish(client: ClientFolder, package: PreparedPackage, record: run_record.RunRecord) -> Path:
    """results.json beside the book (the same document the executive summary was built from) with its JSON
    Schema, and run.json with the time the run finished."""
    shutil.copyfile(results_path(package), client.results)
    shutil.copyfile(schema_path(), client.results.with_name(SCHEMA))
    (client.build / run_record.RUN_RECORD).write_text(record.to_json(finished_at=run_record.now()), encoding="utf-8")
    return client.results

"""The assessment pipeline as a short list of named steps: prepare, execute, build, publish.

Usable without the CLI::

    from scalegap.pipeline import run_assessment
    outcome = run_assessment(Path("clients/acme"))
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from scalegap import book, runner
from scalegap.client import ClientFolder
from scalegap.models.results import RESULTS
from scalegap.models.summary import write_results
from scalegap.prepare import Intake, PreparedPackage, check, prepare
from scalegap.resources import chapter_notebooks
from scalegap.settings import Settings, load_settings


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


def run_assessment(root: Path, overrides: dict[str, Any] | None = None,
                   progress: Progress | None = None) -> RunOutcome:
    progress = progress or Silent()
    client, settings = load_client(root, overrides)
    seconds: dict[str, float] = {}

    def step(name: str, detail: str, action):
        progress.started(name, detail)
        began = time.perf_counter()
        value = action()
        seconds[name] = round(time.perf_counter() - began, 2)
        progress.finished(name, seconds[name])
        return value

    package = step("prepare", "reading and validating the exports", lambda: prepare(client, settings))
    generated_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    step("summarise", "computing the headline figures", lambda: write_results(package, generated_at))
    executed = step("execute", "running the chapter notebooks",
                    lambda: execute(client, package, settings, progress))
    step("assemble", "assembling the book source", lambda: book.assemble(client, settings, executed))
    index = step("build", "building the HTML book", lambda: book.build_html(client))
    results = step("publish", "writing results.json", lambda: publish(client, package))
    return RunOutcome(index, results, seconds)


def execute(client: ClientFolder, package: PreparedPackage, settings: Settings, progress: Progress) -> list[Path]:
    parameters = runner.notebook_parameters(package.path)
    return runner.execute_chapters(chapter_notebooks(), client.notebooks, parameters,
                                   on_start=lambda chapter: progress.started("execute", chapter.name),
                                   workers=settings.execution.workers,
                                   cell_timeout_seconds=settings.execution.cell_timeout_minutes * 60)


def publish(client: ClientFolder, package: PreparedPackage) -> Path:
    """results.json beside the book: the same document the executive summary was built from."""
    shutil.copyfile(package.path / RESULTS, client.results)
    return client.results

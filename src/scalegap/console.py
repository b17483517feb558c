"""What the CLI prints: the step display (plain lines, or a live table on a terminal) and the tables (rich)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scalegap.cache import Plan
from scalegap.pipeline import RunOutcome

if TYPE_CHECKING:
    from scalegap.detect import DetectOutcome
from scalegap.prepare.problems import ValidationReport

console = Console(highlight=False)


#: how each state is shown, in the plain lines and the live table alike
STYLES = {"done": "green", "reused": "cyan", "failed": "red", "stopped": "red", "running": "bold"}


class StepDisplay:
    """One line per step and per notebook, with timings (what a run prints where the console is no terminal: CI,
    a pipe, a file)."""

    def __init__(self, on: Console | None = None) -> None:
        self.on = on or console

    def started(self, step: str, detail: str = "") -> None:
        self.on.print(f"[bold]{step:>9}[/bold]  {detail}")

    def finished(self, step: str, seconds: float) -> None:
        self.on.print(f"[green]{'done':>9}[/green]  {step} in {seconds:.1f} s")

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        """A chapter queued, running (its worker took it), done or failed with its seconds, or reused from the last
        build."""
        took = f" in {seconds:.1f} s" if seconds is not None else ""
        style = STYLES.get(state, "default")
        self.on.print(f"[{style}]{state:>9}[/{style}]  {escape(name)}{took}")


@dataclass
class _Part:
    """A step or a chapter as the live table shows it."""

    state: str
    detail: str = ""
    seconds: float | None = None
    began: float = field(default_factory=time.monotonic)
    chapter: bool = False


class LiveDisplay:
    """On a terminal: every step and every chapter in one table, redrawn in place, each queued, running (with
    its seconds so far), done with its seconds, reused or failed: what :class:`StepDisplay` prints as lines."""

    def __init__(self, on: Console) -> None:
        self.parts: dict[str, _Part] = {}
        self.live = Live(console=on, get_renderable=self.table, refresh_per_second=4, vertical_overflow="visible")

    def started(self, step: str, detail: str = "") -> None:
        self.parts[step] = _Part("running", detail)

    def finished(self, step: str, seconds: float) -> None:
        part = self.parts.setdefault(step, _Part("running"))
        part.state, part.seconds = "reused" if part.detail.startswith("reused") else "done", seconds

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        part = self.parts.setdefault(name, _Part(state, chapter=True))
        if state == "running":
            part.began = time.monotonic()
        part.state, part.seconds = state, seconds

    def table(self) -> Table:
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column("state", justify="right", min_width=7)
        table.add_column("part")
        table.add_column("seconds", justify="right")
        table.add_column("detail", overflow="ellipsis", no_wrap=True)
        now = time.monotonic()
        for name, part in self.parts.items():
            if part.state == "running":
                took = f"{now - part.began:.1f} s…"
            else:
                took = "" if part.seconds is None else f"{part.seconds:.1f} s"
            table.add_row(
                Text(part.state, style=STYLES.get(part.state, "default")),
                Text(f"  {name}" if part.chapter else name),
                took,
                Text(part.detail, style="dim"),
            )
        return table

    def __enter__(self) -> LiveDisplay:
        self.live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> None:
        """What was running when the run stopped shows as failed (an error) or stopped (Ctrl-C, SIGTERM)."""
        if kind is not None:
            for part in self.parts.values():
                if part.state == "running":
                    part.state = "stopped" if issubclass(kind, KeyboardInterrupt) else "failed"
                    part.seconds = time.monotonic() - part.began
        self.live.stop()


@contextmanager
def step_display(on: Console | None = None) -> Iterator[StepDisplay | LiveDisplay]:
    """The live table on an interactive terminal, plain lines elsewhere (CI, a pipe, a file, TERM=dumb)."""
    on = on or console
    if not on.is_terminal or on.is_dumb_terminal:
        yield StepDisplay(on)
        return
    with LiveDisplay(on) as display:
        yield display


def print_plan(plan: Plan) -> None:
    """``scalegap run --explain``: each part reused or run again, and why."""
    for line in plan.lines():
        console.print(escape(line), soft_wrap=True)
    again = sum(not decision.reuse for decision in plan.chapters.values())
    console.print(
        f"{again} of {len(plan.chapters)} chapters would run; the book is built again unless its chapters, notes "
        "and pages are unchanged"
    )


def print_validation(report: ValidationReport) -> None:
    table = Table(title="Exports", show_lines=False)
    for column in ("table", "file", "format", "rows read", "accepted", "rejected"):
        table.add_column(
            column, justify="right" if column in {"rows read", "accepted", "rejected"} else "left", overflow="fold"
        )
    for intake in report.intakes:
        table.add_row(
            intake.table,
            escape(intake.file),
            intake.format,
            f"{intake.rows_read:,}",
            f"{intake.rows_accepted:,}",
            f"{intake.rows_rejected:,}",
        )
    Console(highlight=False, width=max(console.width, 132)).print(table)
    for link in report.links:
        console.print(escape(f"linked: {link.summary()}"), soft_wrap=True)
    for problem in report.problems:
        style = "red" if problem.severity == "blocking" else "yellow"
        console.print(escape(problem.one_line()), style=style, soft_wrap=True)
    verdict = "nothing blocks the assessment" if report.ok else f"{len(report.blocking)} blocking problem(s)"
    console.print(f"{len(report.problems)} problem(s); {verdict}")


def print_outcome(outcome: RunOutcome) -> None:
    total = sum(outcome.seconds.values())
    console.print(f"results: {outcome.results}")
    console.print(f"book built in {total:.0f} s: {outcome.index_html.resolve()}")


def print_detection(outcome: DetectOutcome) -> None:
    """What init --detect recognised, what it wrote, what it kept, and the TODOs left."""
    detection = outcome.detection
    table = Table(title="Recognised exports")
    for column in ("table", "file", "format", "based on"):
        table.add_column(column, overflow="fold")
    for proposal in detection.exports:
        table.add_row(proposal.table, escape(proposal.file), proposal.format, escape(proposal.why))
    Console(highlight=False, width=max(console.width, 132)).print(table)
    for unused in detection.unused:
        console.print(escape(f"not used: exports/{unused.file}: {unused.why}"), soft_wrap=True)
    for kept in outcome.written.kept:
        console.print(escape(f"kept your {kept} (init --detect never overwrites what you edited)"), soft_wrap=True)
    verb = "created" if outcome.created else "updated"
    console.print(
        escape(
            f"{verb} {outcome.folder.assessment}: {outcome.written.todos} TODO(s) to look at; then "
            f"run `scalegap validate {outcome.folder.root}`"
        ),
        soft_wrap=True,
    )

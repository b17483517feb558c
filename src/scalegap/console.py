"""What the CLI prints: the step display (plain lines, or a live table on a terminal) and the tables (rich)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scalegap.batch import ClientRun
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


def seconds_cell(state: str, began: float, seconds: float | None, digits: int) -> str:
    """A live table's seconds: so far ("12.3 s…") while running, else the seconds it took (none: blank)."""
    if state == "running":
        return f"{time.monotonic() - began:.{digits}f} s…"
    return "" if seconds is None else f"{seconds:.{digits}f} s"


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
        # the last column alone gives way, cut short, when the terminal is narrow
        table.add_column("state", justify="right", min_width=7, no_wrap=True)
        table.add_column("part", no_wrap=True)
        table.add_column("seconds", justify="right", no_wrap=True)
        table.add_column("detail")
        for name, part in self.parts.items():
            table.add_row(
                Text(part.state, style=STYLES.get(part.state, "default")),
                Text(f"  {name}" if part.chapter else name),
                seconds_cell(part.state, part.began, part.seconds, digits=1),
                Text(part.detail, style="dim", no_wrap=True, overflow="ellipsis"),
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


#: a chapter's line in a client's log, as :class:`StepDisplay` printed it
_CHAPTER_LINE = re.compile(r"^\s*(queued|running|done|reused|failed)\s+(\S+\.ipynb)\b")


class ClientsLines:
    """Several clients, off a terminal: every line each client's run prints, after the client's name, and the
    clients' own states (queued, running, built, reused, failed)."""

    def __init__(self, on: Console | None = None) -> None:
        self.on = on or console
        self.runs: list[ClientRun] = []

    def queued(self, name: str) -> None:
        self.on.print(escape(f"{name}: queued"), soft_wrap=True)

    def started(self, name: str, log: Path | None) -> None:
        self.on.print(escape(f"{name}: running" + (f" (log: {log})" if log else "")), soft_wrap=True)

    def line(self, name: str, text: str) -> None:
        if text.strip():
            self.on.print(escape(f"{name}: {text.strip()}"), soft_wrap=True)

    def finished(self, run: ClientRun) -> None:
        self.runs.append(run)
        self.on.print(escape(f"{run.name}: {run.status} in {run.seconds:.1f} s"), soft_wrap=True)

    def __enter__(self) -> ClientsLines:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> None:
        pass


@dataclass
class _Client:
    state: str = "queued"
    began: float = 0.0
    seconds: float | None = None
    now: str = ""
    chapters: dict[str, str] = field(default_factory=dict)


class ClientsLive:
    """Several clients, on a terminal: one row each, redrawn in place: its state, its seconds, its chapters done
    or reused so far, and the last line its run printed."""

    def __init__(self, on: Console) -> None:
        self.runs: list[ClientRun] = []
        self.clients: dict[str, _Client] = {}
        self.live = Live(console=on, get_renderable=self.table, refresh_per_second=4, vertical_overflow="visible")

    def queued(self, name: str) -> None:
        self.clients[name] = _Client()

    def started(self, name: str, log: Path | None) -> None:
        self.clients[name] = _Client("running", time.monotonic())

    def line(self, name: str, text: str) -> None:
        client = self.clients.setdefault(name, _Client("running", time.monotonic()))
        if text.strip():
            client.now = " ".join(text.split())
        chapter = _CHAPTER_LINE.match(text)
        if chapter:
            client.chapters[chapter.group(2)] = chapter.group(1)

    def finished(self, run: ClientRun) -> None:
        self.runs.append(run)
        client = self.clients.setdefault(run.name, _Client())
        client.state, client.seconds = run.status, run.seconds
        client.now = run.reasons[0] if run.reasons else ""

    def table(self) -> Table:
        table = Table(box=None, pad_edge=False)
        # the last column alone gives way, cut short, when the terminal is narrow
        table.add_column("client", no_wrap=True)
        table.add_column("state", no_wrap=True)
        table.add_column("seconds", justify="right", no_wrap=True)
        table.add_column("chapters", justify="right", no_wrap=True)
        table.add_column("now")
        for name, client in self.clients.items():
            states = list(client.chapters.values())
            finished = sum(state in {"done", "reused"} for state in states)
            table.add_row(
                escape(name),
                Text(client.state, style={**STYLES, **STATUS_STYLES}.get(client.state, "default")),
                seconds_cell(client.state, client.began, client.seconds, digits=0),
                f"{finished}/{len(states)}" if states else "",
                Text(client.now, style="dim", no_wrap=True, overflow="ellipsis"),
            )
        return table

    def __enter__(self) -> ClientsLive:
        self.live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: object) -> None:
        self.live.stop()


def clients_display(on: Console | None = None) -> ClientsLines | ClientsLive:
    """The clients' live table on an interactive terminal, their lines elsewhere (each shows while it is
    entered, as a context manager, and keeps the runs that ended)."""
    on = on or console
    return ClientsLines(on) if not on.is_terminal or on.is_dumb_terminal else ClientsLive(on)


#: a client's status in the summary
STATUS_STYLES = {"built": "green", "reused": "cyan", "failed": "red", "interrupted": "red"}


def print_clients(runs: list[ClientRun], on: Console | None = None) -> None:
    """The table at the end of a run of several clients: each one's status (the error's first line when it
    failed), seconds and book (a failed run's is the last good one, left in place); then each failure's lines
    on standard error, after the client's name."""
    on = on or console
    table = Table(title="Clients")
    # the status (an error) wraps; the names and paths stay whole, to copy
    table.add_column("client", no_wrap=True)
    table.add_column("status", overflow="fold")
    table.add_column("seconds", justify="right", no_wrap=True)
    table.add_column("book", no_wrap=True)
    books: list[str] = []
    for run in runs:
        status = run.status
        if run.reasons and run.status not in {"built", "reused"}:
            more = f" (and {len(run.reasons) - 1} more)" if len(run.reasons) > 1 else ""
            status = f"{run.status}: {run.reasons[0]}{more}"
        book = "" if run.book is None else str(run.book)
        if book and run.status not in {"built", "reused"}:
            book += " (the last good book)"
        books.append(book)
        table.add_row(
            escape(run.name), Text(status, style=STATUS_STYLES.get(run.status, "default")), f"{run.seconds:.0f}", book
        )
    whole = max((len(run.name) for run in runs), default=0) + max(map(len, books), default=0) + 70
    Console(highlight=False, width=max(on.width, 160, whole), file=on.file, force_terminal=on.is_terminal).print(table)
    succeeded = sum(run.status in {"built", "reused"} for run in runs)
    counts = {status: sum(run.status == status for run in runs) for status in ("failed", "interrupted")}
    others = [f"{count} {status}" for status, count in counts.items() if count]
    on.print(", ".join([f"{succeeded} of {len(runs)} clients succeeded", *others]))
    errors = Console(highlight=False, stderr=True, soft_wrap=True)
    for run in runs:
        if run.status == "failed":
            for line in run.reasons:
                errors.print(escape(f"{run.name}: {line}"), style="red")
            if run.log is not None:
                errors.print(escape(f"{run.name}: its run's output is in {run.log}"))


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
    counts = ("rows read", "accepted", "superseded", "rejected")
    for column in ("table", "file", "format", *counts):
        table.add_column(column, justify="right" if column in counts else "left", overflow="fold")
    for intake in report.intakes:
        table.add_row(
            intake.table,
            escape(intake.file),
            intake.format,
            f"{intake.rows_read:,}",
            f"{intake.rows_accepted:,}",
            f"{intake.rows_superseded:,}",
            f"{intake.rows_rejected:,}",
        )
    Console(highlight=False, width=max(console.width, 132)).print(table)
    for intake in report.intakes:
        if intake.rows_merged:  # a warehouse table's events, summed into the person-days accepted
            console.print(
                escape(f"merged: {intake.table}: {intake.rows_merged:,} rows summed into the accepted person-days"),
                soft_wrap=True,
            )
    for link in report.links:
        console.print(escape(f"linked: {link.summary()}"), soft_wrap=True)
    for problem in report.problems:
        style = "red" if problem.severity == "blocking" else "yellow"
        console.print(escape(problem.one_line()), style=style, soft_wrap=True)
    verdict = "nothing blocks the assessment" if report.ok else f"{len(report.blocking)} blocking problem(s)"
    console.print(f"{len(report.problems)} problem(s); {verdict}")


def print_outcome(outcome: RunOutcome) -> None:
    total = outcome.wall_seconds
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

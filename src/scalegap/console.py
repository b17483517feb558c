"""What the CLI prints: the step display and the validation table (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scalegap.cache import Plan
from scalegap.pipeline import RunOutcome

if TYPE_CHECKING:
    from scalegap.detect import DetectOutcome
from scalegap.prepare.problems import ValidationReport

console = Console(highlight=False)


class StepDisplay:
    """One line per step and per notebook, with timings."""

    def started(self, step: str, detail: str = "") -> None:
        console.print(f"[bold]{step:>9}[/bold]  {detail}")

    def finished(self, step: str, seconds: float) -> None:
        console.print(f"[green]{'done':>9}[/green]  {step} in {seconds:.1f} s")

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        """A chapter queued, running (its worker took it), done or failed with its seconds, or reused from the last
        build."""
        took = f" in {seconds:.1f} s" if seconds is not None else ""
        style = {"done": "green", "reused": "cyan", "failed": "red"}.get(state, "default")
        console.print(f"[{style}]{state:>9}[/{style}]  {escape(name)}{took}")


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

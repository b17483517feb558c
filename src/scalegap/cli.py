"""The ``scalegap`` command: parses arguments and calls one library function per command.

Errors from the library (:class:`~scalegap.errors.ScalegapError`) are caught
here, once, and printed as one line with exit code 2.  Heavy imports happen
inside the commands so ``scalegap --help`` is instant.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from scalegap.errors import EXIT_USER_ERROR, ConfigurationError, ScalegapError


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the same orderly stop as Ctrl-C (exit code 143)."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


def leave(code: int) -> NoReturn:
    """End the command with exit code ``code``.  When a stopped run left work in the background (its summarise
    step, still computing), the process ends at once, its output flushed, rather than finalising the interpreter:
    finalising would stop that thread wherever it is, and inside DuckDB's C++ code the process aborts (SIGABRT)
    instead of exiting with ``code``.  The run has already stopped its workers and kernels and kept the last good
    book; the thread's work is not wanted."""
    from scalegap.background import still_running

    if still_running():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


class ScalegapGroup(click.Group):
    """Turns any scalegap error into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScalegapError as error:
            for line in error.lines():
                click.echo(line, err=True)
            leave(EXIT_USER_ERROR)
        except KeyboardInterrupt as interrupt:
            click.echo("interrupted: the last good book in _build/ is untouched", err=True)
            leave(143 if isinstance(interrupt, Terminated) else 130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception as error:  # a bug: still one line, unless debugging
            if os.environ.get("SCALEGAP_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error} — please report it; "
                "rerun with SCALEGAP_DEBUG=1 for details",
                err=True,
            )
            leave(1)


def overrides_of(assignments: tuple[str, ...]) -> dict[str, Any]:
    from scalegap.settings import merge, parse_override

    merged: dict[str, Any] = {}
    for assignment in assignments:
        merged = merge(merged, parse_override(assignment))
    return merged


set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY.PATH=VALUE",
    help="Override a setting of assessment.yml for this run (repeatable).",
)
client_argument = click.argument("client_dir", type=click.Path(path_type=Path, file_okay=False))


#: the models make many small fits; one BLAS thread per process avoids oversubscribing the cores
#: when chapters run in parallel (a user's own setting wins)
SINGLE_THREADED_MATH = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@click.group(cls=ScalegapGroup)
@click.version_option(package_name="scalegap")
def main() -> None:
    """Assess whether an AI pilot will hold up in production, and publish the evidence as a book."""
    signal.signal(signal.SIGTERM, _terminate)
    # Ctrl-C stops a run with 130 even when the parent started scalegap with SIGINT ignored (a background job
    # of a script, a test runner's worker): an ignored SIGINT is inherited, and Python then keeps it ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for variable in SINGLE_THREADED_MATH:
        os.environ.setdefault(variable, "1")


@main.command()
@client_argument
@click.option("--client-name", help="The client's name, written into assessment.yml.")
@click.option(
    "--detect",
    is_flag=True,
    help="Recognise the files already in CLIENT_DIR/exports/ and propose their mappings in assessment.yml "
    "(run it again at any time: what you edited is kept).",
)
def init(client_dir: Path, client_name: str | None, detect: bool) -> None:
    """Create a client folder from the template, or (--detect) propose its assessment.yml from its exports."""
    if detect:
        from scalegap.console import print_detection
        from scalegap.detect import detect_client

        print_detection(detect_client(client_dir, client_name))
        return
    from scalegap.client import init_client

    folder = init_client(client_dir, client_name)
    click.echo(
        f"created {folder.root}: put the client's exports in {folder.exports}/, then run "
        f"`scalegap init --detect {folder.root}` (or edit {folder.assessment})"
    )


@main.command()
@client_argument
@set_option
def validate(client_dir: Path, assignments: tuple[str, ...]) -> None:
    """Check every export and print every problem, without building anything."""
    from scalegap.console import print_validation
    from scalegap.pipeline import validate_client

    intake = validate_client(client_dir, overrides_of(assignments))
    print_validation(intake.report)
    if not intake.report.ok:
        sys.exit(EXIT_USER_ERROR)


@main.command()
@click.argument("client_dirs", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False))
@set_option
@click.option(
    "--keep",
    type=click.IntRange(0, 100),
    default=1,
    show_default=True,
    help="Previous builds to keep beside _build/ (as _build.previous-<time>/).",
)
@click.option("--force", is_flag=True, help="Run every chapter again, even those the last good build can give.")
@click.option(
    "--explain", is_flag=True, help="Say what a run would reuse from the last good build and what it would run again."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="With several clients: how many run at once (default: one per core); the cores are shared out among "
    "them for their chapters.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run the clients on the Dask cluster whose scheduler is at ADDRESS (such as tcp://host:8786), one task "
    "each, instead of in processes here. Its workers must have scalegap installed and see the client folders at "
    "the same paths as this machine (a shared file system). Needs pip install 'scalegap[dask]'.",
)
@click.option("--outcome", type=click.Path(path_type=Path, dir_okay=False), hidden=True)
def run(
    client_dirs: tuple[Path, ...],
    assignments: tuple[str, ...],
    keep: int,
    force: bool,
    explain: bool,
    jobs: int | None,
    scheduler: str | None,
    outcome: Path | None,
) -> None:
    """Prepare the data, execute the chapter notebooks and build the book (in place only if all succeeds).

    The summarise step and every chapter made from the same exports, settings, scalegap code and notebook as in
    the last good build are reused from it, and the book too when its chapters, notes and pages are unchanged.

    Several CLIENT_DIRS (or a glob, such as 'clients/*'): each client runs in a process of its own, several at
    once, its output in CLIENT_DIR/_run.log; a table at the end gives each one's status, seconds and book.  One
    that fails stops no other; the exit code is 0 when all succeeded, 2 when those that failed did on their
    input or settings, 1 otherwise.  With --scheduler, each client (one too) is a task on a Dask cluster's
    workers, with the same logs, table and exit code."""
    from scalegap.batch import client_dirs as named

    roots = named(client_dirs)
    if scheduler is not None and jobs is not None:
        raise ConfigurationError("--jobs is for clients run here; with --scheduler, the Dask workers' threads decide")
    if explain:
        explain_clients(roots, assignments, force)
    elif len(roots) == 1 and scheduler is None:
        run_client(roots[0], assignments, keep, force, outcome)
    else:
        run_clients(roots, assignments, keep, force, jobs, scheduler)


def run_client(root: Path, assignments: tuple[str, ...], keep: int, force: bool, outcome: Path | None) -> None:
    """One client, in this process; ``outcome``: where to say how it ended (for :func:`run_clients`)."""
    from scalegap.batch import write_outcome
    from scalegap.console import print_outcome, step_display
    from scalegap.pipeline import run_assessment

    try:
        with step_display() as progress:
            done = run_assessment(root, overrides_of(assignments), progress, keep, force)
    except ScalegapError as error:
        if outcome:
            write_outcome(outcome, "failed", error.lines())
        raise
    if outcome:
        write_outcome(outcome, "reused" if done.book_reused else "built")
    print_outcome(done)


def run_clients(
    roots: list[Path], assignments: tuple[str, ...], keep: int, force: bool, jobs: int | None, scheduler: str | None
) -> None:
    """Several clients, each in a process of its own, here or (``scheduler``) on a Dask cluster's workers; the
    table of how each ended, also when interrupted."""
    from scalegap.batch import Executor, exit_code, local_executor
    from scalegap.console import clients_display, print_clients

    overrides_of(assignments)  # a malformed --set is one error, not one per client
    arguments = [*(f"--set={assignment}" for assignment in assignments), f"--keep={keep}", *(["--force"] * force)]
    execute: Executor = local_executor(jobs)
    if scheduler is not None:
        from scalegap.batch_dask import dask_executor

        execute = dask_executor(scheduler)
    progress = clients_display()
    try:
        with progress:
            runs = execute(roots, arguments, progress)
    finally:  # interrupted too: what ended, and how
        print_clients(sorted(progress.runs, key=lambda run: roots.index(run.root)))
    code = exit_code(runs)
    if code:
        sys.exit(code)


def explain_clients(roots: list[Path], assignments: tuple[str, ...], force: bool) -> None:
    """``--explain`` for each client in turn (one client: as it always was)."""
    from scalegap.console import print_plan
    from scalegap.pipeline import explain_run

    if len(roots) == 1:
        print_plan(explain_run(roots[0], overrides_of(assignments), force))
        return
    failed = False
    for root in roots:
        click.echo(f"{root}:")
        try:
            print_plan(explain_run(root, overrides_of(assignments), force))
        except ScalegapError as error:
            failed = True
            for line in error.lines():
                click.echo(f"{root}: {line}", err=True)
    if failed:
        sys.exit(EXIT_USER_ERROR)


@main.command()
@click.argument("client_dir", type=click.Path(path_type=Path, file_okay=False), default="demo-client")
@click.option("--seed", type=int, default=None, help="Seed of the simulated client (default: the built-in one).")
@set_option
def demo(client_dir: Path, seed: int | None, assignments: tuple[str, ...]) -> None:
    """Generate the built-in example client into CLIENT_DIR (default demo-client/) and run it."""
    from scalegap.console import print_outcome, step_display
    from scalegap.demo import create_demo_client
    from scalegap.pipeline import run_assessment

    create_demo_client(client_dir, seed)
    click.echo(f"example client written to {client_dir}")
    with step_display() as progress:
        outcome = run_assessment(client_dir, overrides_of(assignments), progress)
    print_outcome(outcome)


@main.command()
@client_argument
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The local port to serve on."
)
def serve(client_dir: Path, port: int) -> None:
    """Serve the built book on http://127.0.0.1:PORT (Ctrl-C to stop)."""
    from scalegap.serve import serve_book

    serve_book(client_dir, port)


@main.command()
@client_argument
def pdf(client_dir: Path) -> None:
    """Print the built book into one PDF (CLIENT_DIR/_build/book.pdf), offline, through Chromium."""
    from scalegap.pdf import write_pdf

    click.echo(f"wrote {write_pdf(client_dir)}")


@main.command()
@client_argument
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="The local port (default: JupyterLab's, 8888)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser (open the address JupyterLab prints).")
def lab(client_dir: Path, port: int | None, no_browser: bool) -> None:
    """Open JupyterLab on the executed chapter notebooks (CLIENT_DIR/_build/notebooks/), parameters in place.

    The what-if sliders of the conversion-rate chapter work live there.  Needs the optional extra:
    pip install 'scalegap[lab]'."""
    from scalegap.lab import open_lab

    open_lab(client_dir, port, browser=not no_browser)


@main.command()
@click.argument("client_dirs", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("portfolio.html"),
    show_default=True,
    help="The page to write (one self-contained HTML file).",
)
@click.option(
    "--names",
    is_flag=True,
    help="Show the real name of each client whose assessment.yml allows it (privacy.name_in_portfolios: true); "
    "default: Client A, Client B, … in order.",
)
def compare(client_dirs: tuple[Path, ...], out: Path, names: bool) -> None:
    """Put several clients' last good results side by side on one offline HTML page: readiness, conversion rate
    and its factors, verdict and net value per seat.

    CLIENT_DIRS may be a glob, such as 'clients/*'.  Clients are anonymised unless --names is given; a client
    that was never run stops the comparison (one line each)."""
    from scalegap.batch import client_dirs as named
    from scalegap.present.portfolio import write_portfolio

    click.echo(f"wrote {write_portfolio(named(client_dirs), out, names)}")


@main.command()
@client_argument
@set_option
def config(client_dir: Path, assignments: tuple[str, ...]) -> None:
    """Print the resolved settings (defaults < assessment.yml < --set), each value's origin as a comment."""
    from scalegap.client import ClientFolder
    from scalegap.settings import settings_with_origins

    assessment = ClientFolder(client_dir).require().assessment
    click.echo(settings_with_origins(assessment, overrides_of(assignments)), nl=False)


@main.command()
def formats() -> None:
    """Print every table's fields, accepted values, known header names and export formats (Markdown)."""
    from scalegap.formats import formats_markdown

    click.echo(formats_markdown(), nl=False)

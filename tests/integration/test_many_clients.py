"""``scalegap run`` with several clients: each runs apart, one that fails stops no other, one table says how each
ended, and the exit code whether any failed.  And what one run prints off a terminal: a plain line per state."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import Run, run_cli
from tests.support import folder_digest as digest
from tests.support import write

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("tiny")]


def copies_of(run: Run, folder: Path, *names: str) -> list[Path]:
    """Copies of ``run``'s client (its last good build with it) in ``folder``, one per name."""
    copies = [folder / name for name in names]
    for copy in copies:
        shutil.copytree(run.client, copy, ignore=shutil.ignore_patterns("_build.*"))
    return copies


#: wide enough that no row of the summary table is folded
WIDE = {"COLUMNS": "200"}


def terminated_and_told(process: subprocess.Popen[str], copies: list[Path], before: dict[str, str]) -> None:
    """SIGTERM to a batch run of ``copies``: exit 143, every client interrupted in the table, and the first copy's
    last good build (``before``, its digest) untouched; then a second for its processes to end."""
    process.terminate()
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 143, errors
    assert "Traceback" not in rest + errors
    table = rest[rest.index("Clients") :]
    for copy in copies:
        assert "interrupted" in row(table, str(copy)) and "(the last good book)" in row(table, str(copy))
    assert "0 of 2 clients succeeded, 2 interrupted" in rest
    assert errors.strip().endswith("interrupted: the last good book in _build/ is untouched")
    assert digest(copies[0] / "_build") == before
    time.sleep(1)


def row(table: str, client: str) -> str:
    """The summary table's row of ``client`` (its first line, and the lines its cells folded onto)."""
    lines = table.splitlines()
    first = next(number for number, line in enumerate(lines) if line.startswith(f"│ {client} "))
    rest = []
    for line in lines[first + 1 :]:
        if not line.startswith("│  "):
            break
        rest.append(line)
    return " ".join([lines[first], *rest])


def test_two_clients_one_broken_run_apart_and_the_table_says_how_each_ended(tiny_run: Run, tmp_path: Path) -> None:
    assert tiny_run.returncode == 0, tiny_run.transcript
    clients = tmp_path / "clients"
    copies_of(tiny_run, clients, "good", "broken")
    before = digest(clients / "broken" / "_build")
    write(clients / "broken" / "exports" / "hr.csv", "Employee ID,Department,Pilot\n")  # columns missing

    # the glob quoted, as a shell that does not expand it would pass it
    done = run_cli("run", "*", cwd=clients, env=WIDE)

    assert done.returncode == 2, done.stdout + done.stderr  # a client failed on its input
    assert "Traceback" not in done.stdout + done.stderr
    table = done.stdout[done.stdout.index("Clients") :]
    broken, good = row(table, "broken"), row(table, "good")
    assert table.index("│ broken ") < table.index("│ good ")  # in the order named
    assert "reused" in good and str((clients / "good" / "_build" / "html" / "index.html").resolve()) in good
    assert "failed: input error:" in broken and "hr.csv" in broken and "(the last good book)" in broken
    assert "1 of 2 clients succeeded, 1 failed" in done.stdout
    assert (clients / "good" / "_build" / "html" / "index.html").is_file()
    assert digest(clients / "broken" / "_build") == before  # the failed client keeps its last good build
    # each line of a client's run after its name, off a terminal; the log in its folder
    assert "good: summarise  reused: nothing it reads changed" in done.stdout
    assert "good: reused  00_summary.ipynb" in done.stdout and "good: reused in " in done.stdout
    assert "broken: failed in " in done.stdout
    assert "reused  00_summary.ipynb" in (clients / "good" / "_run.log").read_text()
    errors = done.stderr.splitlines()
    assert errors[0].startswith("broken: input error:") and "hr.csv" in errors[0]
    assert f"broken: its run's output is in {Path('broken') / '_run.log'}" in errors


def test_when_every_client_succeeds_the_exit_code_is_0(tiny_run: Run, tmp_path: Path) -> None:
    assert tiny_run.returncode == 0, tiny_run.transcript
    copies = copies_of(tiny_run, tmp_path, "a", "b")
    done = run_cli("run", *map(str, copies), "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 of 2 clients succeeded" in done.stdout and done.stderr == ""


def test_off_a_terminal_a_run_prints_a_plain_line_for_each_state(tiny_run: Run) -> None:
    """The tiny client's first run, its output captured (no terminal): every chapter queued, running and done
    with its seconds, one plain line each, with no colour or cursor movement."""
    assert tiny_run.returncode == 0, tiny_run.transcript
    lines = tiny_run.stdout.splitlines()
    chapters = sorted(path.name for path in (tiny_run.client / "_build" / "notebooks").glob("*.ipynb"))
    for name in chapters:
        assert f"   queued  {name}" in lines and f"  running  {name}" in lines
        assert any(line.startswith(f"     done  {name} in ") and line.endswith(" s") for line in lines)
    assert "  prepare  reading and validating the exports" in lines
    assert "\x1b[" not in tiny_run.stdout


def test_sigterm_stops_every_client_and_the_table_says_so(tiny_run: Run, tmp_path: Path) -> None:
    """SIGTERM to the command alone: it stops each client's run (which stops its workers and kernels), shows
    each as interrupted with its last good book, and ends with 143; no process it started outlives it."""

    import psutil

    assert tiny_run.returncode == 0, tiny_run.transcript
    copies = copies_of(tiny_run, tmp_path, "a", "b")
    before = digest(copies[0] / "_build")
    process = subprocess.Popen(
        [sys.executable, "-m", "scalegap", "run", *map(str, copies), "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    began = time.monotonic()
    for line in process.stdout:  # a chapter of a client is running
        if ": running  " in line or time.monotonic() - began > 120:
            break
    started = psutil.Process(process.pid).children(recursive=True)
    terminated_and_told(process, copies, before)
    alive = [child for child in started if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [child.cmdline() for child in alive]


def test_on_a_dask_cluster_each_client_is_a_task_and_the_table_says_how_each_ended(
    tiny_run: Run, dask_scheduler: str, tmp_path: Path
) -> None:
    """``--scheduler``: the same clients as tasks on a Dask cluster on this machine (two workers), one whose
    settings are wrong and one that succeeds (its last good book reused): the same table, logs and exit code."""
    assert tiny_run.returncode == 0, tiny_run.transcript
    clients = tmp_path / "clients"
    copies_of(tiny_run, clients, "good", "broken")
    before = digest(clients / "broken" / "_build")
    with (clients / "broken" / "assessment.yml").open("a") as settings:
        settings.write("privcy:\n  min_group_size: 5\n")  # a misspelled key

    done = run_cli("run", "good", "broken", "--scheduler", dask_scheduler, cwd=clients, env=WIDE)

    assert done.returncode == 2, done.stdout + done.stderr  # a client failed on its settings
    assert "Traceback" not in done.stdout + done.stderr
    table = done.stdout[done.stdout.index("Clients") :]
    broken, good = row(table, "broken"), row(table, "good")
    assert table.index("│ good ") < table.index("│ broken ")  # in the order named
    assert "reused" in good and str((clients / "good" / "_build" / "html" / "index.html").resolve()) in good
    assert "failed: configuration error:" in broken and "(the last good book)" in broken
    assert "1 of 2 clients succeeded, 1 failed" in done.stdout
    assert (clients / "good" / "_build" / "html" / "index.html").is_file()
    assert digest(clients / "broken" / "_build") == before  # the failed client keeps its last good build
    # each client queued, then running, then how it ended; the lines of its run (read from its log) between
    lines = done.stdout.splitlines()
    assert lines.index("good: queued") < lines.index("good: running (log: good/_run.log)")
    assert "good: reused  00_summary.ipynb" in lines and any(line.startswith("good: reused in ") for line in lines)
    assert any(line.startswith("broken: failed in ") for line in lines)
    assert "reused  00_summary.ipynb" in (clients / "good" / "_run.log").read_text()
    assert done.stderr.splitlines()[0].startswith("broken: configuration error:")


def test_on_a_dask_cluster_sigterm_stops_every_client_and_the_table_says_so(
    tiny_run: Run, dask_scheduler: str, tmp_path: Path
) -> None:
    """SIGTERM to the command while its clients run on the workers: each task stops its client's run, the
    table shows each as interrupted with its last good book, the command ends with 143 and no client's run
    outlives it on the workers."""

    import psutil

    assert tiny_run.returncode == 0, tiny_run.transcript
    copies = copies_of(tiny_run, tmp_path, "a", "b")
    before = digest(copies[0] / "_build")
    process = subprocess.Popen(
        [sys.executable, "-m", "scalegap", "run", *map(str, copies), "--force", "--scheduler", dask_scheduler],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    began = time.monotonic()
    for line in process.stdout:  # a chapter of a client is running, on a worker
        if ": running  " in line or time.monotonic() - began > 120:
            break

    def runs_of_the_copies() -> list[psutil.Process]:
        """The clients' runs the workers started (not the command itself, which names the copies too)."""
        found = []
        for child in psutil.process_iter(["cmdline", "status"]):
            command = child.info["cmdline"] or []
            running = child.info["status"] != psutil.STATUS_ZOMBIE and child.pid != process.pid
            if running and any(str(copy) in command for copy in copies):
                found.append(child)
        return found

    assert runs_of_the_copies(), "a client's run is going on a worker"
    terminated_and_told(process, copies, before)
    assert not runs_of_the_copies()

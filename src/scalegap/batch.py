"""Several clients at once (``scalegap run DIR1 DIR2 ...``), each in a process of its own, bounded by the cores.

Each client runs as ``python -m scalegap run DIR``: the same run, with the same one-line errors, exit codes and
handling of Ctrl-C and SIGTERM, isolated from the others (a client that fails, or crashes, stops no other).
:func:`shares` splits the cores: as many clients at once as there are cores (or clients, or ``--jobs``), and
the cores left to each for its chapter workers (``execution.workers``, which the cache does not key on, so a
client's last good build is still reused).  A client's output goes to ``DIR/_run.log`` (beside ``_build/``, which
a failed run leaves as it was); it is read as it is written, for the display.  The child says how its run ended
in a small JSON document (:func:`write_outcome`): built, the last good book reused, or failed with its error lines.

Where the clients run is an :class:`Executor`: :func:`local_executor` (the processes above, the default) or
:mod:`scalegap.batch_dask`'s (each client a task on a Dask cluster's workers); either says how each run went to
the same :class:`BatchProgress` and returns the same :class:`ClientRun` for each.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from scalegap.errors import EXIT_USER_ERROR
from scalegap.runner import DEFAULT_WORKERS_AT_MOST, available_cores

#: each client's output, in its folder (a run, failed or not, writes it again)
LOG = "_run.log"
#: how often the clients' processes and logs are looked at
POLL_SECONDS = 0.2
#: seconds the clients have to stop by themselves after Ctrl-C (the terminal sent it to them too), then after
#: SIGTERM, before they are killed
STOP_GRACE_SECONDS = 3
STOP_SECONDS = 20
#: exit codes of a run stopped by Ctrl-C or SIGTERM (cli.py)
INTERRUPTED = (130, 143, -signal.SIGINT, -signal.SIGTERM)


def client_dirs(arguments: Sequence[str | Path]) -> list[Path]:
    """The client folders named, in order, each once: an argument as it is, or, when it names nothing and holds
    a glob's ``*``, ``?`` or ``[`` (a shell that does not expand them, or quoted), the folders it matches."""
    found: list[Path] = []
    for argument in arguments:
        text = str(argument)
        matches = sorted(glob.glob(text)) if not Path(text).exists() and glob.has_magic(text) else []
        folders = [Path(match) for match in matches if Path(match).is_dir()]
        for path in folders or [Path(text)]:
            if path.resolve() not in {known.resolve() for known in found}:
                found.append(path)
    return found


def shares(clients: int, cores: int | None = None, jobs: int | None = None) -> tuple[int, int]:
    """How many clients run at once and how many chapter workers each has, so that together they use the
    cores without oversubscribing them: ``min(clients, jobs or cores)`` at once, ``cores // that`` each (at most
    what one client alone would have)."""
    cores = cores or available_cores()
    at_once = max(1, min(clients, jobs or cores))
    return at_once, max(1, min(DEFAULT_WORKERS_AT_MOST, cores // at_once))


@dataclass(frozen=True)
class ClientRun:
    """How one client's run ended."""

    root: Path
    #: "built", "reused" (the last good book: nothing it is made from changed), "failed" or "interrupted"
    status: str
    seconds: float
    exit_code: int
    #: the error, one line per problem (failed)
    reasons: tuple[str, ...] = ()
    #: the run's output (None when the client folder does not exist)
    log: Path | None = None

    @property
    def name(self) -> str:
        return str(self.root)

    @property
    def book(self) -> Path | None:
        """The client's book: this run's, or the last good one a failed run left in place; None without one."""
        index = self.root / "_build" / "html" / "index.html"
        return index.resolve() if index.is_file() else None


def exit_code(runs: Sequence[ClientRun]) -> int:
    """0 when every client succeeded; 2 when those that failed all failed on their input or settings (a
    :class:`~scalegap.errors.ScalegapError`); 1 when any failed otherwise."""
    failed = [run for run in runs if run.status != "built" and run.status != "reused"]
    if not failed:
        return 0
    return EXIT_USER_ERROR if all(run.exit_code == EXIT_USER_ERROR for run in failed) else 1


class BatchProgress(Protocol):
    def queued(self, name: str) -> None: ...

    def started(self, name: str, log: Path | None) -> None: ...

    def line(self, name: str, text: str) -> None:
        """A line the client's run printed (its steps and chapters, its error)."""

    def finished(self, run: ClientRun) -> None: ...


class Executor(Protocol):
    def __call__(self, roots: Sequence[Path], arguments: Sequence[str], progress: BatchProgress) -> list[ClientRun]:
        """Run each client (``scalegap run ROOT *arguments``), tell ``progress`` how each goes, and return how each
        ended, in the order given."""
        ...


def local_executor(jobs: int | None = None, cores: int | None = None) -> Executor:
    """The clients in processes of this machine's, several at once (:func:`run_clients`)."""

    def execute(roots: Sequence[Path], arguments: Sequence[str], progress: BatchProgress) -> list[ClientRun]:
        return run_clients(roots, arguments, progress, jobs, cores)

    return execute


def write_outcome(path: Path, status: str, reasons: Sequence[str] = ()) -> None:
    """What the child writes for :func:`run_clients`: "built", "reused" or "failed" with the error's lines."""
    path.write_text(json.dumps({"status": status, "reasons": list(reasons)}), encoding="utf-8")


def read_outcome(path: Path) -> tuple[str, tuple[str, ...]] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return str(document["status"]), tuple(str(line) for line in document["reasons"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the child ended before it could say (an internal error, a crash)


#: what each client's run is started with besides the environment: unbuffered, so the log is written as the run
#: goes; wide enough that no line of it is wrapped
CHILD_ENVIRONMENT = {"PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def child_command(root: Path, outcome: Path, arguments: Sequence[str]) -> list[str]:
    """The command that runs one client: ``python -m scalegap run ROOT --outcome OUTCOME *arguments``."""
    return [sys.executable, "-m", "scalegap", "run", str(root), "--outcome", str(outcome), *arguments]


def start_child(root: Path, outcome: Path, arguments: Sequence[str], log: Path) -> subprocess.Popen[bytes]:
    """One client's run started (:func:`child_command`), its output written to ``log`` (emptied first)."""
    with log.open("wb") as sink:
        return subprocess.Popen(
            child_command(root, outcome, arguments),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **CHILD_ENVIRONMENT},
        )


def with_workers(arguments: Sequence[str], workers: int) -> list[str]:
    """``arguments`` with each client's chapter workers set, unless the user set them (the user's own wins)."""
    if any("execution.workers=" in argument for argument in arguments):
        return list(arguments)
    return [f"--set=execution.workers={workers}", *arguments]


class LogTail:
    """A client's log as read so far: the whole lines written since the last look, and its last non-blank one."""

    def __init__(self, path: Path) -> None:
        self.reader: IO[bytes] = path.open("rb")
        self.pending = b""
        self.last_line = ""

    def new_lines(self) -> list[str]:
        """The whole lines written since the last look."""
        self.pending += self.reader.read()
        *lines, self.pending = self.pending.split(b"\n")
        text = [line.decode("utf-8", errors="replace").rstrip() for line in lines]
        self.last_line = next((line for line in reversed(text) if line.strip()), self.last_line)
        return text

    def close(self) -> None:
        self.reader.close()


def ended_run(
    root: Path, code: int, seconds: float, outcome: Path, last_line: str, log: Path | None, interrupted: bool = False
) -> ClientRun:
    """How a client's run ended, from its exit code and the outcome it wrote (none: it ended before it could
    say, and its last line says why); ``interrupted``: the batch was stopped while it ran."""
    told = read_outcome(outcome)
    if code in INTERRUPTED or (interrupted and code != 0):
        return ClientRun(root, "interrupted", seconds, code, (), log)
    if told is not None and (code == 0) == (told[0] != "failed"):
        return ClientRun(root, told[0], seconds, code, told[1], log)
    reason = last_line if code > 0 else f"stopped by signal {-code}"
    return ClientRun(root, "failed", seconds, code, (reason or f"exit code {code}",), log)


class _Client:
    """One client's run, in its own process, and its log as read so far."""

    def __init__(self, root: Path, arguments: list[str], scratch: Path, number: int) -> None:
        self.root = root
        self.outcome = scratch / f"{number}.json"
        self.log = root / LOG if root.is_dir() else None
        written = self.log or scratch / f"{number}.log"
        self.began = time.monotonic()
        self.process = start_child(root, self.outcome, arguments, written)
        self.tail = LogTail(written)

    def ended(self, interrupted: bool = False) -> ClientRun:
        code = self.process.wait()
        seconds = round(time.monotonic() - self.began, 1)
        self.tail.close()
        return ended_run(self.root, code, seconds, self.outcome, self.tail.last_line, self.log, interrupted)


def run_clients(
    roots: Sequence[Path],
    arguments: Sequence[str],
    progress: BatchProgress,
    jobs: int | None = None,
    cores: int | None = None,
) -> list[ClientRun]:
    """Run each client (``scalegap run ROOT *arguments``), several at once (:func:`shares`); how each ended, in
    the order given.  Ctrl-C or SIGTERM stops every client's run (each keeps its last good book) and is raised
    again once they have ended."""
    at_once, workers = shares(len(roots), cores, jobs)
    arguments = with_workers(arguments, workers)
    waiting = deque(enumerate(roots))
    for root in roots:
        progress.queued(str(root))
    running: dict[int, _Client] = {}
    ended: dict[int, ClientRun] = {}
    scratch = Path(tempfile.mkdtemp(prefix="scalegap-clients-"))
    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                number, root = waiting.popleft()
                running[number] = client = _Client(root, list(arguments), scratch, number)
                progress.started(str(root), client.log)
            for number, client in list(running.items()):
                finished = client.process.poll() is not None
                for line in client.tail.new_lines():
                    progress.line(str(client.root), line)
                if finished:
                    ended[number] = client.ended()
                    del running[number]
                    progress.finished(ended[number])
            time.sleep(POLL_SECONDS)
    except BaseException:  # Ctrl-C, SIGTERM: every client stops as a single run would, and keeps its last book
        stop_processes([client.process for client in running.values()])
        for number, client in running.items():
            ended[number] = client.ended(interrupted=True)
            progress.finished(ended[number])
        for number, root in waiting:
            ended[number] = ClientRun(root, "interrupted", 0.0, 130, ("not started",))
            progress.finished(ended[number])
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [ended[number] for number in sorted(ended)]


def stop_processes(processes: list[subprocess.Popen[bytes]]) -> None:
    """Give the clients' runs a moment to stop by themselves (a terminal's Ctrl-C reached them too), then
    SIGTERM (each stops its workers and kernels), then kill what is left."""
    for signal_to_send in (None, signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + (STOP_GRACE_SECONDS if signal_to_send is None else STOP_SECONDS)
        alive = [process for process in processes if process.poll() is None]
        for process in alive:
            if signal_to_send is not None:
                process.send_signal(signal_to_send)
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [process for process in alive if process.poll() is None]
        if not alive:
            return

"""The real pipeline, run once per test session: `scalegap demo` and `scalegap run` as subprocesses.

Once per session, not once per xdist worker: the tests that read a run are
grouped onto one worker (``xdist_group``), and in case the grouping fails (it
silently did with pytest 9.2, pytest-dev/pytest-xdist#1386) the run is also
guarded by a lock in the session's shared temporary folder, so a second worker
waits for the first one's run and reads it instead of starting its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from scalegap.counting import COUNT_FILE
from tests.support import tiny_client


@dataclass(frozen=True)
class Run:
    client: Path
    stdout: str
    stderr: str
    returncode: int

    @property
    def html(self) -> Path:
        return self.client / "_build" / "html"

    @property
    def transcript(self) -> str:
        """The end of what the run printed: the steps it reached, then its error."""
        return (self.stdout[-1500:] + "\n" + self.stderr[-1500:]).strip()


#: where a demo run records its expensive computations (:mod:`scalegap.counting`), beside its client folder
COUNTS = "counted.log"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scalegap", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )


def run_once_per_session(tmp_path_factory: pytest.TempPathFactory, name: str, start: Callable[[Path], Run]) -> Run:
    """``start(folder)`` in the first worker that asks; every other worker waits for it and reads its record."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, above each worker's own
    record = shared / f"{name}-run.json"
    with (shared / f"{name}-run.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.is_file():
            fields = json.loads(record.read_text())
            return Run(**{**fields, "client": Path(fields["client"])})
        folder = shared / f"{name}-run"
        folder.mkdir()
        run = start(folder)
        record.write_text(json.dumps({**asdict(run), "client": str(run.client)}))
        return run


def run_demo(folder: Path) -> Run:
    client = folder / "demo-client"
    try:
        # a cell that stalls is retried within the subprocess's 15 minutes, not after them
        done = run_cli(
            "demo", str(client), "--set", "execution.cell_timeout_minutes=4", env={COUNT_FILE: str(folder / COUNTS)}
        )
    except subprocess.TimeoutExpired as timeout:  # keep what it printed: the steps show where it stopped
        return Run(client, _text(timeout.stdout), _text(timeout.stderr) + "\ntimed out", -1)
    return Run(client, done.stdout, done.stderr, done.returncode)


def run_tiny(folder: Path) -> Run:
    client = tiny_client(folder / "tiny-client")
    (client / "notes").mkdir()
    (client / "notes" / "10_context.md").write_text("# Context from the engagement\n\nThe CFO sponsors it.\n")
    (client / "notes" / "20_empty.md").write_text("\n")
    done = run_cli("run", str(client))
    return Run(client, done.stdout, done.stderr, done.returncode)


def _text(output: bytes | str | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else (output or "")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_once_per_session(tmp_path_factory, "demo", run_demo)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_once_per_session(tmp_path_factory, "tiny", run_tiny)

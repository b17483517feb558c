"""The real pipeline, run once per test session: `scalegap demo` and `scalegap run` as subprocesses.

The demo runs as a user who installed scalegap from a wheel would run it: the checkout is built into a wheel,
installed into a fresh virtual environment outside the checkout, and that environment's ``scalegap demo`` runs
from a folder outside the checkout (its chapters, book pages and template come from the installed package data).

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
import shutil
import subprocess
import sys
import sysconfig
import venv
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


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``scalegap ARGS`` in a process of its own (in ``cwd``), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "scalegap", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
        cwd=cwd,
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


#: the checkout, which the wheel is built from
CHECKOUT = Path(__file__).resolve().parents[2]
#: what the installed package reports of itself, beside the demo's client folder
INSTALLED = "installed.json"


def installed_from_wheel(folder: Path) -> Path:
    """Build scalegap's wheel from a copy of the checkout's sources, install it into a new virtual environment in
    ``folder`` and return that environment's ``scalegap`` command.

    The wheel is built with pip's build isolation, as any user's pip builds it. Only scalegap comes from the wheel
    (``--no-deps --no-index``): its dependencies are this environment's, reached through a ``.pth`` line, so the test
    downloads nothing but the build backend and checks what a wheel carries, not what PyPI serves today.
    """
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copytree(CHECKOUT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, source / name)
    wheels = folder / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(source)], check=True, timeout=600)
    environment = folder / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    (wheel,) = wheels.glob("scalegap-*.whl")
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], check=True)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "zz_scalegap_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    report = (
        "import json, scalegap, scalegap.resources as r; "
        "print(json.dumps({'package': scalegap.__file__, 'assets': str(r.project_home())}))"
    )
    where = subprocess.run([str(python), "-c", report], capture_output=True, text=True, check=True, cwd=folder)
    (folder / INSTALLED).write_text(where.stdout)
    return environment / "bin" / "scalegap"


def run_demo(folder: Path) -> Run:
    client = folder / "demo-client"
    try:
        scalegap = installed_from_wheel(folder / "installed")
        # a cell that stalls is retried within the subprocess's 15 minutes, not after them
        done = subprocess.run(
            [str(scalegap), "demo", str(client), "--set", "execution.cell_timeout_minutes=4"],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=folder,
            env={**{k: v for k, v in os.environ.items() if k != "SCALEGAP_HOME"}, COUNT_FILE: str(folder / COUNTS)},
        )
    except subprocess.CalledProcessError as failed:
        return Run(client, _text(failed.stdout), f"installing the wheel failed: {failed}\n{_text(failed.stderr)}", -1)
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

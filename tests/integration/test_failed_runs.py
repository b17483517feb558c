"""A failed run never harms the last good book: bad input, a failing chapter, a failing build, Ctrl-C and
SIGTERM during execute (which stop every worker and kernel within seconds, and leave no connection file), and
Ctrl-C during the book build.

Each case starts from a copy of the tiny client's finished build and checks, after the fault, that ``_build/`` is
byte-identical to what it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from scalegap.resources import project_home
from tests.integration.conftest import Run, run_cli
from tests.support import folder_digest as digest
from tests.support import write

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("tiny")]


@pytest.fixture
def built(tiny_run: Run, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    assert tiny_run.returncode == 0, tiny_run.transcript
    client = tmp_path / "client"
    shutil.copytree(tiny_run.client, client)
    return client, digest(client / "_build")


def test_bad_input_leaves_the_last_good_build_as_it_was(built: tuple[Path, dict[str, str]]) -> None:
    client, before = built
    write(client / "exports" / "hr.csv", "Employee ID,Department,Pilot\n")
    done = run_cli("run", str(client))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert digest(client / "_build") == before
    assert not list(client.glob("_build.partial-*"))  # refused before anything was written


def test_a_failing_book_build_keeps_the_old_book_and_names_the_partial_one(built: tuple[Path, dict[str, str]]) -> None:
    client, before = built
    write(client / "notes" / "30_broken.md", "# Broken note\n\n```{figure} no-such-image.png\n```\n")
    done = run_cli("run", str(client))
    assert done.returncode == 2, done.stderr
    assert digest(client / "_build") == before
    partial = list(client.glob("_build.partial-*"))
    assert len(partial) == 1 and str(partial[0]) in done.stderr and "untouched" in done.stderr


def test_a_failing_chapter_keeps_the_old_book_and_names_the_saved_notebook(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    client, before = built
    home = tmp_path / "home"  # the project's files, with one chapter that fails
    for name in ("notebooks", "book", "templates"):
        shutil.copytree(project_home() / name, home / name)
    shutil.copy2(project_home() / "_config.yml", home / "_config.yml")
    notebook = nbformat.read(home / "notebooks" / "20_readiness.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"))
    nbformat.write(notebook, home / "notebooks" / "20_readiness.ipynb")
    done = subprocess.run(
        [sys.executable, "-m", "scalegap", "run", str(client)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SCALEGAP_HOME": str(home)},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "RuntimeError: planted failure" in done.stderr and "20_readiness.ipynb" in done.stderr
    # the chapter, the cell (its number, id, In [n] and code) and the executed notebook with the traceback
    assert "chapter 20_readiness.ipynb failed at cell " in done.stderr
    assert "raise RuntimeError('planted failure')) with RuntimeError: planted failure" in done.stderr
    assert digest(client / "_build") == before
    partial = list(client.glob("_build.partial-*"))
    assert len(partial) == 1 and str(partial[0]) in done.stderr
    assert done.stderr.startswith(f"execution error: {partial[0] / 'notebooks' / '20_readiness.ipynb'}: ")
    assert (partial[0] / "notebooks" / "20_readiness.ipynb").is_file()  # saved, with the error, to open
    assert not list(partial[0].rglob(".kernels-*"))


def start_run(client: Path, until: str, *options: str) -> subprocess.Popen:
    """``scalegap run OPTIONS``, once it has printed ``until``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scalegap", "run", str(client), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    began = time.monotonic()
    for line in process.stdout:
        if until in line or time.monotonic() - began > 120:
            break
    return process


def connection_files(processes: list[psutil.Process]) -> list[Path]:
    """The connection files of the kernels among ``processes`` (``ipykernel_launcher -f FILE``, or the warm
    kernels' launcher, ``scalegap.warm_kernel_launcher ADDRESS -f FILE``)."""
    files = []
    for process in processes:
        try:
            command = process.cmdline()
        except psutil.Error:
            continue
        if "-f" in command and any("ipykernel" in part or "warm_kernel_launcher" in part for part in command):
            files.append(Path(command[command.index("-f") + 1]))
    return files


@pytest.mark.parametrize("stop, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_execute_stops_everything_and_keeps_the_old_book(
    built: tuple[Path, dict[str, str]], stop: signal.Signals, code: int
) -> None:
    client, before = built
    # --force: every chapter runs, nothing is reused from the last good build
    process = start_run(client, "running the chapter notebooks", "--force")
    deadline = time.monotonic() + 60  # a worker and its kernel are up (a loaded machine takes longer to spawn them)
    kernels: list[Path] = []
    while not kernels and time.monotonic() < deadline:
        time.sleep(0.5)
        kernels = connection_files(psutil.Process(process.pid).children(recursive=True))
    time.sleep(1)  # the kernel has written its connection file
    descendants = psutil.Process(process.pid).children(recursive=True)
    kernels = connection_files(descendants)
    assert kernels and all(path.is_file() for path in kernels), "the run had started no kernel"
    process.send_signal(stop)
    sent = time.monotonic()
    try:
        process.wait(timeout=30)
    finally:
        process.kill()
    assert time.monotonic() - sent < 10 and process.returncode == code
    _, alive = psutil.wait_procs(descendants, timeout=2)
    assert alive == [], f"processes outlived the run: {[child.pid for child in alive]}"
    assert digest(client / "_build") == before
    assert not [path for path in kernels if path.exists()], "kernel connection files outlived the run"


def test_ctrl_c_during_the_book_build_keeps_the_old_book(built: tuple[Path, dict[str, str]]) -> None:
    client, before = built
    # a new note: every chapter is reused and the book alone is built again (the rerun test checks that)
    write(client / "notes" / "30_next.md", "# Next steps\n\nA steering group in March.\n")
    process = start_run(client, "building the HTML book")
    time.sleep(0.5)  # Sphinx is reading the sources
    descendants = psutil.Process(process.pid).children(recursive=True)
    assert descendants, "the book build had not started"
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    _, alive = psutil.wait_procs(descendants, timeout=5)
    assert alive == [], f"processes outlived the run: {[child.pid for child in alive]}"
    assert digest(client / "_build") == before

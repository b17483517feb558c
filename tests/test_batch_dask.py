"""Several clients on a Dask cluster (``scalegap run … --scheduler``): a real cluster on this machine, the error
without the optional extra and the error for a scheduler that does not answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scalegap.batch_dask import connect
from scalegap.errors import ConfigurationError
from tests.support import write
from tests.test_cli import assert_one_line_error, scalegap


def unused_address() -> str:
    """A local address nothing listens on (a port the system gave out, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def test_each_client_is_a_task_and_one_that_fails_stops_no_other(dask_scheduler: str, tmp_path: Path) -> None:
    """Two clients that fail at once on their settings (a misspelled key; a folder that does not exist), each on
    a worker of its own: each one's state off a terminal, the table, the errors and exit code 2."""
    write(tmp_path / "misspelled" / "assessment.yml", "privcy:\n  min_group_size: 5\n")
    done = subprocess.run(
        [sys.executable, "-m", "scalegap", "run", "misspelled", "nowhere", "--scheduler", dask_scheduler],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for client in ("misspelled", "nowhere"):
        states = [line.split(": ", 1)[1].split(" ")[0] for line in lines if line.startswith(f"{client}: ")]
        assert [state for state in states if state in {"queued", "running", "failed"}] == [
            "queued",
            "running",
            "failed",
        ], done.stdout
    assert "misspelled: running (log: misspelled/_run.log)" in lines
    assert "unknown setting 'privcy'" in (tmp_path / "misspelled" / "_run.log").read_text()
    table = done.stdout[done.stdout.index("Clients") :]
    assert table.index("│ misspelled ") < table.index("│ nowhere ")  # in the order named
    assert "failed: configuration error:" in table and "client folder not found" in table
    assert "0 of 2 clients succeeded, 2 failed" in done.stdout
    errors = done.stderr.splitlines()
    assert errors[0].startswith("misspelled: configuration error:") and "unknown setting 'privcy'" in errors[0]
    assert any(line.startswith("nowhere: configuration error:") and "not found" in line for line in errors)


def test_without_distributed_the_scheduler_option_is_one_line_with_exit_2(tmp_path: Path) -> None:
    """An interpreter that cannot import distributed: the child blocks it as Python itself does (``None`` in
    ``sys.modules``), then runs the command."""
    hide = "import sys; sys.modules['distributed'] = None; from scalegap.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide, "run", str(tmp_path / "a"), str(tmp_path / "b"), "--scheduler", "tcp://x:1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_line_error(done, "needs Dask distributed", "pip install 'scalegap[dask]'")


def test_a_scheduler_that_does_not_answer_is_one_line_naming_it_with_exit_2(tmp_path: Path) -> None:
    address = unused_address()
    began = time.monotonic()
    done = scalegap("run", str(tmp_path / "a"), str(tmp_path / "b"), "--scheduler", address)
    assert_one_line_error(done, f"cannot reach the Dask scheduler at {address} within 5 s")
    assert time.monotonic() - began < 30
    assert not (tmp_path / "a").exists()  # nothing ran


@pytest.mark.parametrize("address", ["nonsense", "foo://host:8786"])
def test_a_malformed_address_is_an_error_naming_it(address: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        connect(address, seconds=1)
    assert f"cannot reach the Dask scheduler at {address}" in raised.value.one_line()


def test_jobs_and_a_scheduler_together_are_an_error(tmp_path: Path) -> None:
    done = scalegap("run", str(tmp_path / "a"), "--scheduler", unused_address(), "--jobs", "2")
    assert_one_line_error(done, "--jobs is for clients run here")

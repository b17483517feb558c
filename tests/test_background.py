"""Work in the background of a run, and a command that ends while it is still going."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from scalegap.background import InBackground, still_running
from scalegap.errors import InputError


def test_the_summarise_step_in_the_background_gives_its_seconds_and_raises_what_it_raised() -> None:
    done = InBackground(lambda: time.sleep(0.05))
    assert done.result() >= 0.05
    failed = InBackground(lambda: (_ for _ in ()).throw(InputError("no survey", hint="map exports.survey")))
    with pytest.raises(InputError, match="no survey"):
        failed.result()


def test_still_running_is_true_only_while_background_work_is_going() -> None:
    release = threading.Event()
    work = InBackground(release.wait)
    assert still_running()
    release.set()
    work.wait()
    assert not still_running()


#: a stopped run's summarise step, still in DuckDB, when the command ends with 143 (SIGTERM)
STOPPED_WHILE_IN_DUCKDB = """
import time, duckdb
from scalegap.background import InBackground
from scalegap.cli import leave

def summarise():
    while True:
        with duckdb.connect() as connection:
            connection.sql("SELECT 1").fetchall()

InBackground(summarise, name="summarise")
time.sleep(0.3)
print("interrupted", flush=False)
leave(143)
"""


@pytest.mark.parametrize("attempt", range(3))
def test_a_command_ending_while_background_work_is_in_duckdb_exits_with_its_code(attempt: int) -> None:
    """Finalising the interpreter would stop the thread inside DuckDB's C++ code and abort the process (SIGABRT,
    exit -6): the command ends with its own code, its output written."""
    done = subprocess.run([sys.executable, "-c", STOPPED_WHILE_IN_DUCKDB], capture_output=True, text=True, timeout=60)
    assert done.returncode == 143, done.stderr[-2000:]
    assert done.stdout == "interrupted\n"
    assert "terminate called" not in done.stderr

"""`scalegap lab`: the command line JupyterLab is started with, its two one-line errors, and JupyterLab itself
answering on a free port (make install installs the `lab` extra, so this test runs wherever `make test` does)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scalegap.errors import ConfigurationError
from scalegap.lab import lab_command, require_jupyterlab
from tests.support import write
from tests.test_cli import assert_one_line_error, scalegap


def test_the_command_roots_jupyterlab_at_the_notebooks_and_passes_the_options_through(tmp_path: Path) -> None:
    notebooks = tmp_path / "acme" / "_build" / "notebooks"
    assert lab_command(notebooks, 8899, browser=False, as_root=True, python="/venv/bin/python") == [
        "/venv/bin/python",
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={notebooks.resolve()}",
        "--port=8899",
        "--no-browser",
        "--allow-root",
    ]
    assert lab_command(notebooks, python="py") == ["py", "-m", "jupyterlab", f"--ServerApp.root_dir={notebooks}"]


def test_a_missing_jupyterlab_is_an_error_saying_how_to_install_it() -> None:
    require_jupyterlab("json")  # importable: nothing
    with pytest.raises(ConfigurationError) as raised:
        require_jupyterlab("scalegap_no_such_module_anywhere")
    assert "not installed" in raised.value.one_line() and "pip install 'scalegap[lab]'" in raised.value.one_line()


def test_without_jupyterlab_the_command_is_one_line_with_exit_2(tmp_path: Path) -> None:
    """An interpreter that cannot import jupyterlab: the child blocks it as Python itself does (``None`` in
    ``sys.modules``: importing it fails, ``importlib.util.find_spec`` finds nothing), then runs the command."""
    client = tmp_path / "acme"
    write(client / "_build" / "notebooks" / "10_intake.ipynb", "{}")
    hide = "import sys; sys.modules['jupyterlab'] = None; from scalegap.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", hide, "lab", str(client), "--no-browser"], capture_output=True, text=True, timeout=60
    )
    assert_one_line_error(done, "JupyterLab is not installed", "pip install 'scalegap[lab]'")


def test_a_client_never_run_is_one_line_with_the_hint(tmp_path: Path) -> None:
    client = tmp_path / "acme"
    write(client / "assessment.yml", "client: {name: Acme}\n")
    assert_one_line_error(scalegap("lab", str(client)), "no executed notebooks", f"scalegap run {client}")
    assert_one_line_error(scalegap("lab", str(tmp_path / "nowhere")), "client folder not found")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_jupyterlab_starts_on_the_notebooks_and_answers_over_http(tmp_path: Path) -> None:
    client = tmp_path / "acme"
    write(client / "_build" / "notebooks" / "10_intake.ipynb", "{}")
    port = free_port()
    environment = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path)}
    lab = subprocess.Popen(
        [sys.executable, "-m", "scalegap", "lab", str(client), "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    try:
        answer = None
        deadline = time.monotonic() + 90
        while answer is None and time.monotonic() < deadline and lab.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as response:
                    answer = response.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert answer is not None and '"version"' in answer, lab.stdout.read().decode() if lab.poll() else "no answer"
    finally:
        lab.send_signal(signal.SIGTERM)
        output = lab.communicate(timeout=30)[0].decode("utf-8", errors="replace")
    assert f"opening JupyterLab on {(client / '_build' / 'notebooks').resolve()}" in output
    assert str((client / "_build" / "notebooks").resolve()) in output.split("opening", 1)[1]

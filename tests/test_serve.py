"""`scalegap serve` when the port is taken: one line, exit code 2, and the option to choose another."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.support import write
from tests.test_cli import assert_one_line_error, scalegap


def test_a_port_already_in_use_is_one_line_offering_another(tmp_path: Path) -> None:
    client = tmp_path / "acme"
    write(client / "_build" / "html" / "index.html", "<html></html>")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = scalegap("serve", str(client), "--port", str(port))
    assert_one_line_error(done, f"port {port} is already in use", f"--port {port + 1}")
    assert "internal error" not in done.stderr


def test_serve_without_a_built_book_says_to_run_first(tmp_path: Path) -> None:
    assert_one_line_error(scalegap("serve", str(tmp_path / "acme")), "no built book", "scalegap run")

"""``scalegap serve``: the built book on a local web server (loopback only)."""

from __future__ import annotations

import errno
import functools
import http.server
from pathlib import Path

from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError


def serve_book(root: Path, port: int) -> None:
    html = ClientFolder(root).html
    if not (html / "index.html").is_file():
        raise ConfigurationError("no built book in this client folder", file=html, hint="run `scalegap run DIR` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise _refused(root, port, error) from None
    with server:
        print(f"serving {html} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        server.serve_forever()


def _refused(root: Path, port: int, error: OSError) -> ConfigurationError:
    """The port could not be had: already taken (another server, another `scalegap serve`), or not ours to take."""
    if error.errno == errno.EADDRINUSE:
        return ConfigurationError(
            f"port {port} is already in use", hint=f"serve on another one: scalegap serve {root} --port {port + 1}"
        )
    return ConfigurationError(
        f"cannot serve on port {port}: {error.strerror or error}", hint="choose another with --port (1024-65535)"
    )

"""``scalegap serve``: the built book on a local web server (loopback only)."""

from __future__ import annotations

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
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {html} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        server.serve_forever()

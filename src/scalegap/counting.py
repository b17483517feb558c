"""Counting the expensive computations of a run, across its processes (the summarise step and every chapter's
kernel): when the environment variable ``SCALEGAP_COUNT_FILE`` names a file, each :func:`count` appends one
line to it.  Tests read it to check that a study is computed once per run; nothing is written otherwise."""

from __future__ import annotations

import os
from pathlib import Path

COUNT_FILE = "SCALEGAP_COUNT_FILE"


def count(event: str) -> None:
    """Record that ``event`` happened (one line, appended; a no-op unless ``SCALEGAP_COUNT_FILE`` is set)."""
    target = os.environ.get(COUNT_FILE)
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            file.write(f"{event}\t{os.getpid()}\n")


def counts(path: Path) -> dict[str, int]:
    """How many times each event was recorded in ``path``."""
    found: dict[str, int] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            event = line.split("\t", 1)[0]
            found[event] = found.get(event, 0) + 1
    return found

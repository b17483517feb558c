"""A run builds into a new folder and replaces the book only when everything succeeded.

``scalegap run`` writes the prepared data, the executed notebooks, the HTML and results.json into
``_build.partial-<stamp>/``.  When every step has succeeded, :func:`promote` moves the current ``_build/`` aside
as ``_build.previous-<stamp>/`` and renames the new folder to ``_build/`` (two renames on one file system), then
keeps the ``keep`` most recent previous builds.  A run that fails or is interrupted leaves ``_build/``, and so
the last good book, exactly as it was; its partial folder stays for inspection until the next run starts.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from scalegap.client import ClientFolder

PARTIAL = "_build.partial-"
PREVIOUS = "_build.previous-"


def stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"


def staging(client: ClientFolder, when: str) -> ClientFolder:
    """The client folder as a run sees it: everything generated goes to a fresh partial folder.

    Partial folders of earlier failed runs are removed first (they were reported when they failed).
    """
    for old in client.root.glob(PARTIAL + "*"):
        shutil.rmtree(old, ignore_errors=True)
    folder = client.root / f"{PARTIAL}{when}"
    folder.mkdir(parents=True)
    return replace(client, build_dir=folder)


def promote(client: ClientFolder, work: ClientFolder, when: str, keep: int = 1) -> None:
    """Put the finished build in place of ``_build/``; keep the ``keep`` latest previous builds."""
    final = client.build
    relocate_notebooks(work, final)
    if final.exists():
        final.rename(client.root / f"{PREVIOUS}{when}")
    work.build.rename(final)
    previous = sorted(client.root.glob(PREVIOUS + "*"), key=lambda path: path.name)
    for old in previous[: max(0, len(previous) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def relocate_notebooks(work: ClientFolder, final: Path) -> None:
    """The executed notebooks name the prepared package by its absolute path: make it the final one, so they
    still run as they are in JupyterLab once the build is in place."""
    before, after = str(work.build.resolve()), str(final.resolve())
    for notebook in work.notebooks.glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        if before in text:
            notebook.write_text(text.replace(before, after), encoding="utf-8")

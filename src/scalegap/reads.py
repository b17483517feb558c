"""What a chapter reads: declared in its notebook, recorded while it runs, compared after.

A chapter is reused from the last good build when nothing it reads changed (:mod:`scalegap.cache`).  What it
reads is declared in the notebook's metadata::

    "metadata": {"scalegap": {"reads": {
        "tables": ["roster", "survey"],           # prepared tables (their parquet files)
        "settings": ["privacy", "readiness"],     # sections of the resolved settings
        "manifest": ["reference_date"],           # entries of the prepared package's manifest
        "results": ["headline"],                  # blocks of results.json
        "studies": ["readiness"]}}}               # studies the summarise step persisted

and recorded as the chapter runs: the prepared package, the settings, results.json and the persisted studies
call :func:`record` on every read, which appends to the file named by ``$SCALEGAP_READS_LOG`` (the runner sets it
for each chapter's kernel; unset, nothing is recorded).  A chapter that read what it does not declare is run
again next time whatever changed, and the run says what to declare (:func:`undeclared`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

#: the environment variable naming the file a kernel records its reads in
LOG_VARIABLE = "SCALEGAP_READS_LOG"
#: the environment variable set ("1") in the kernels `scalegap run` executes chapters in: no browser is attached
HEADLESS_VARIABLE = "SCALEGAP_HEADLESS"
#: the folder of the build that holds each executed chapter's recorded reads
READS_FOLDER = "reads"

_recorded: set[tuple[str, str, str]] = set()
_paused = 0


def record(kind: str, name: str) -> None:
    """Note that ``name`` of ``kind`` (a field of :class:`Reads`) was read, once per log file."""
    path = os.environ.get(LOG_VARIABLE)
    if not path or _paused or (path, kind, name) in _recorded:
        return
    _recorded.add((path, kind, name))
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"{kind}\t{name}\n")


@contextmanager
def paused() -> Iterator[None]:
    """Reads inside are not recorded (a check the reader makes for itself, not one its chapter asked for)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


class RecordedDict(dict[str, Any]):
    """A dict that records each key read from it as ``kind``."""

    def __init__(self, kind: str, items: dict[str, Any]) -> None:
        super().__init__(items)
        self.kind = kind

    def __getitem__(self, key: str) -> Any:
        record(self.kind, key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        record(self.kind, key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        record(self.kind, str(key))
        return super().__contains__(key)


@dataclass(frozen=True)
class Reads:
    """What a chapter reads, by kind (see the module's docstring)."""

    tables: frozenset[str] = frozenset()
    settings: frozenset[str] = frozenset()
    manifest: frozenset[str] = frozenset()
    results: frozenset[str] = frozenset()
    studies: frozenset[str] = frozenset()

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    @classmethod
    def of(cls, by_kind: dict[str, Any]) -> Reads:
        unknown = set(by_kind) - set(cls.kinds())
        if unknown:
            raise ValueError(f"unknown kinds of read: {', '.join(sorted(unknown))}")
        return cls(**{kind: frozenset(str(name) for name in names) for kind, names in by_kind.items()})

    def as_dict(self) -> dict[str, list[str]]:
        return {kind: sorted(getattr(self, kind)) for kind in self.kinds()}

    def items(self) -> Iterator[tuple[str, str]]:
        for kind in self.kinds():
            for name in sorted(getattr(self, kind)):
                yield kind, name


def declared(notebook: Path) -> Reads | None:
    """The reads a chapter notebook declares in its metadata; None when it declares none."""
    metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    declaration = metadata.get("scalegap", {}).get("reads")
    return Reads.of(declaration) if isinstance(declaration, dict) else None


def after_the_summary(chapters: list[Path]) -> tuple[list[Path], list[Path]]:
    """``chapters`` in two: those that read nothing the summarise step writes (no block of results.json, no
    persisted study: they can run beside it), and the rest (they run after it).  A chapter declaring nothing is
    in the rest."""
    first: list[Path] = []
    second: list[Path] = []
    for chapter in chapters:
        reads = declared(chapter)
        independent = reads is not None and not reads.results and not reads.studies
        (first if independent else second).append(chapter)
    return first, second


def log_path(executed: Path) -> Path:
    """Where the chapter executed into ``executed`` (``_build/notebooks/<name>.ipynb``) records its reads."""
    return executed.parent.parent / READS_FOLDER / f"{executed.stem}.tsv"


def recorded(log: Path) -> Reads:
    """The reads a kernel recorded in ``log`` (none when it recorded nothing)."""
    by_kind: dict[str, set[str]] = {kind: set() for kind in Reads.kinds()}
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            kind, _, name = line.partition("\t")
            by_kind.setdefault(kind, set()).add(name)
    return Reads.of(by_kind)


def undeclared(done: Reads, declaration: Reads | None) -> list[str]:
    """What the chapter read and does not declare, as ``kind: name`` (all it read when it declares nothing)."""
    declaration = declaration or Reads()
    return [f"{kind}: {name}" for kind, name in done.items() if name not in getattr(declaration, kind)]

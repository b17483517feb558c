"""Reusing the last good build's work when nothing it was made from has changed.

Every run writes ``_build/cache.json``: for the summarise step and for each chapter, the digests of what it was
made from (:mod:`scalegap.fingerprint`).  The next run computes the same digests and reuses, from the last good
build, every part whose digests are all equal: the persisted studies and results.json, and the executed
notebooks.  The summarise step is keyed on every export and setting (other than ``execution``); a chapter on
just what its notebook declares it reads (:mod:`scalegap.reads`: prepared tables, settings sections, manifest
entries, blocks of results.json, persisted studies), by content, so a changed ``conversion.*`` setting runs again
only the chapters whose reads it changed.  Scalegap's code or a computing package, or the chapter's own notebook,
changing runs it again too, and :func:`decide` says which digest differed.  A chapter that declares nothing is
keyed on every export and setting; one that read, as it ran, what it does not declare is run again next time
whatever changed, and ``--explain`` says what to declare.
The book is reused when its assembled source (the executed chapters, the consultant's notes, the book's
pages and configuration; not the run record, which only says when) is the one the last good book was built
from, with the same code: a note edited in ``notes/`` builds the book again and runs no chapter.
An executed chapter saved since its run wrote it (opened with ``scalegap lab`` and saved) is run again rather
than copied into the next book: the run records each executed chapter's digest (``executed``).

The document::

    {"format": "scalegap-cache", "version": 1,
     "summary": {"inputs": ..., "code": ...},
     "chapters": {"20_readiness.ipynb": {"reads": ..., "code": ..., "notebook": ...}, ...},
     "book": {"source": ..., "code": ...}, "build": "/path/to/client/_build",
     "executed": {"20_readiness.ipynb": ..., ...}}
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scalegap import reads
from scalegap.fingerprint import ReadContents, code_digest, digest, file_digest, inputs_digest

CACHE = "cache.json"
FORMAT = "scalegap-cache"
VERSION = 2
#: why a part runs again, by the digest that differed (in this order: the first that differs is named)
REASONS = {
    "notebook": "its notebook changed",
    "code": "scalegap or a package it computes with changed",
    "inputs": "an export or a setting changed",
    "reads": "a table, setting or result it reads changed",
    "source": "a chapter, a note or a page of the book changed",
}
#: the start of the key of each thing a chapter reads (``"read settings: conversion"``), named when it changed
READ = "read "
#: the start of a chapter's "reads" key when, as it ran, it read what its notebook does not declare
UNDECLARED = "undeclared: "
#: the book-source file that changes on every run without changing the book's content (it says when)
RUN_RECORD_PAGE = "run-record.md"


@dataclass(frozen=True)
class Decision:
    """Whether a part of the build is reused from the last good build, and why (or why not)."""

    reuse: bool
    why: str


@dataclass(frozen=True)
class Keys:
    """What this run's summarise step and chapters are made from."""

    summary: dict[str, str]
    chapters: dict[str, dict[str, str]]
    #: where the build is put once it is in place (its executed chapters name it)
    build: str
    #: the book's key, known once its source is assembled
    book: dict[str, str] = field(default_factory=dict)
    #: each executed chapter's digest as the run wrote it (:func:`executed_digest`), known once the chapters ran
    executed: dict[str, str] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "summary": self.summary,
            "chapters": self.chapters,
            "book": self.book,
            "build": self.build,
            "executed": self.executed,
        }


def summary_key(manifest: dict[str, Any]) -> dict[str, str]:
    """What the summarise step is made from: every export and setting (the prepared package's manifest), the code."""
    return {"inputs": inputs_digest(manifest), "code": code_digest()}


def chapter_key(chapter: Path, contents: ReadContents) -> dict[str, str]:
    """What a chapter is made from: its notebook, the code, and the content of what it declares it reads
    (every export and setting when it declares nothing)."""
    declared = reads.declared(chapter)
    made_from = {"notebook": file_digest(chapter), "code": code_digest()}
    if declared is None:
        return {**made_from, "inputs": inputs_digest(contents.manifest)}
    each = contents.digests(declared)
    return {**made_from, "reads": digest(each), **{READ + name: value for name, value in each.items()}}


def keys_for(chapters: list[Path], build: Path, contents: ReadContents) -> Keys:
    """The digests of the summarise step and of ``chapters``, from what they read (``contents``: the prepared
    package, its manifest, and the results the summarise step wrote); ``build`` is where the build will be once
    in place."""
    chapter_keys = {chapter.name: chapter_key(chapter, contents) for chapter in chapters}
    return Keys(summary_key(contents.manifest), chapter_keys, str(build.resolve()))


def with_undeclared_reads(keys: Keys, chapters: list[Path], build: Path) -> Keys:
    """``keys`` with each executed chapter that read, as it ran, what its notebook does not declare marked so:
    the next run runs it again whatever changed, and says what to declare."""
    marked = dict(keys.chapters)
    for chapter in chapters:
        declared = reads.declared(chapter)
        if declared is None:  # keyed on every export and setting already
            continue
        missed = reads.undeclared(reads.recorded(reads.log_path(build / "notebooks" / chapter.name)), declared)
        if missed:
            marked[chapter.name] = {**marked[chapter.name], "reads": UNDECLARED + "; ".join(missed)}
    return dataclasses.replace(keys, chapters=marked)


def read_keys(build: Path) -> Keys | None:
    """The keys the build in ``build`` was made with; None without one (no build yet, or one from before)."""
    path = build / CACHE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        return None
    return Keys(
        document.get("summary") or {},
        document.get("chapters") or {},
        str(document.get("build") or build.resolve()),  # a build moved into place where it was made
        document.get("book") or {},
        document.get("executed") or {},
    )


@dataclass(frozen=True)
class LastBuild:
    """The last good build, with the keys it was made with (read once)."""

    path: Path
    keys: Keys

    @classmethod
    def of(cls, build: Path) -> LastBuild | None:
        """The build in ``build``; None when there is none, or it has no keys (then nothing is reused)."""
        keys = read_keys(build) if build.is_dir() else None
        return cls(build, keys) if keys is not None else None


def write_keys(build: Path, keys: Keys) -> Path:
    path = build / CACHE
    path.write_text(json.dumps(keys.document(), indent=1, sort_keys=True), encoding="utf-8")
    return path


def decide(now: dict[str, str], before: dict[str, str] | None, present: bool, force: bool) -> Decision:
    """Reuse a part when the last good build has it (``present``) and made it from the same digests."""
    if force:
        return Decision(False, "--force")
    if before is None or not present:
        return Decision(False, "not in the last good build")
    if str(before.get("reads", "")).startswith(UNDECLARED):
        missed = str(before["reads"]).removeprefix(UNDECLARED)
        return Decision(
            False,
            f"last time it read what its notebook does not declare ({missed}): add it to the "
            "notebook's metadata, scalegap.reads",
        )
    for name, reason in REASONS.items():
        if now.get(name) != before.get(name):
            changed = [key.removeprefix(READ) for key in now if key.startswith(READ) and now[key] != before.get(key)]
            return Decision(False, f"{reason} ({'; '.join(changed)})" if name == "reads" and changed else reason)
    return Decision(True, "nothing it reads changed")


@dataclass(frozen=True)
class Plan:
    """What a run reuses and what it runs again, with the reasons (``scalegap run --explain``)."""

    summary: Decision
    chapters: dict[str, Decision]

    def lines(self) -> list[str]:
        parts = [("summarise", self.summary), *self.chapters.items()]
        return [f"{'reuse' if d.reuse else 'run':>5}  {name}: {d.why}" for name, d in parts]


def summary_decision(key: dict[str, str], last: LastBuild | None, force: bool) -> Decision:
    """Whether the summarise step's results are reused from the last good build (None: there is none)."""
    present = last is not None and (last.path / "results").is_dir()
    return decide(key, last.keys.summary if last else None, present, force)


def plan(keys: Keys, last: LastBuild | None, force: bool) -> Plan:
    """Decide every part of this run against the last good build (None: there is none)."""

    def present(part: str) -> bool:
        return last is not None and (last.path / part).exists()

    summary = summary_decision(keys.summary, last, force)
    chapters = {
        name: decide(key, last.keys.chapters.get(name) if last else None, present(f"notebooks/{name}"), force)
        for name, key in keys.chapters.items()
    }
    for name, decision in chapters.items():
        if decision.reuse and last is not None and not executed_as_written(last, name):
            chapters[name] = Decision(False, EDITED)
    return Plan(summary, chapters)


#: why a chapter runs again whose executed notebook was saved since its run wrote it
EDITED = "its executed notebook was changed since the run (saved from JupyterLab?)"


def executed_digest(notebook: Path, build: str) -> str:
    """An executed chapter's content, the build it names (``build``, which moves when put in place) read as a
    placeholder."""
    return hashlib.sha256(notebook.read_bytes().replace(build.encode(), b"<build>")).hexdigest()


def executed_digests(notebooks: list[Path], build: Path) -> dict[str, str]:
    """:func:`executed_digest` of each of this run's executed chapters, which name ``build``."""
    return {notebook.name: executed_digest(notebook, str(build.resolve())) for notebook in notebooks}


def executed_as_written(last: LastBuild, name: str) -> bool:
    """Whether the last good build's executed chapter ``name`` is still as its run wrote it (a chapter opened in
    JupyterLab, ``scalegap lab``, and saved is not: it is run again rather than copied into the next book);
    true for a build whose keys predate the digest."""
    written = last.keys.executed.get(name)
    return written is None or executed_digest(last.path / "notebooks" / name, last.keys.build) == written


def book_key(source: Path, build: Path) -> dict[str, str]:
    """What the book is built from: every file of its assembled source but the run record, and the code.  The
    executed chapters name the build they ran in, ``build`` (a reused chapter was copied naming it too:
    :func:`reuse_chapters`): it is read as a placeholder, so that the key does not depend on where it is."""
    name = str(build.resolve())
    contents = {
        path.relative_to(source).as_posix(): executed_digest(path, name)
        for path in sorted(p for p in source.rglob("*") if p.is_file() and p.name != RUN_RECORD_PAGE)
    }
    return {"source": digest(contents), "code": code_digest()}


def book_decision(key: dict[str, str], last: LastBuild | None, force: bool) -> Decision:
    """Reuse the last good book when it was built from the same source with the same code."""
    present = last is not None and (last.path / "html" / "index.html").is_file() and (last.path / "run.json").is_file()
    return decide(key, last.keys.book if last else None, present, force)


def reuse_chapters(plan: Plan, last: LastBuild | None, target: Path) -> list[str]:
    """Copy the executed chapters the plan reuses from the last good build into ``target`` (this run's build
    folder), naming this build where they named the last one, even if the client folder has moved since; their
    names."""
    if last is None:
        return []
    reused = [name for name, decision in plan.chapters.items() if decision.reuse]
    for name in reused:
        text = (last.path / "notebooks" / name).read_text(encoding="utf-8")
        (target / "notebooks" / name).write_text(text.replace(last.keys.build, str(target.resolve())), "utf-8")
    return reused

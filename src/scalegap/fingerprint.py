"""What a computation was made from, as digests of content, never of timestamps.

A persisted study, the summarise step and each executed chapter are reused only when what they were made from is
the same, byte for byte:

* :func:`inputs_digest`: the client's side, read from the prepared package's manifest: every export file's
  SHA-256 (with its table and format) and the resolved settings, less the ``execution`` section (how chapters are
  run, not what they compute) and less the time the package was written;
* :class:`ReadContents`: the content of just what one chapter reads (:mod:`scalegap.reads`): its prepared tables'
  files, its settings sections and manifest entries, its blocks of results.json and its persisted studies (less
  the key they were checked by), so that a changed setting runs again only the chapters that read it;
* :func:`code_digest`: scalegap's side: every module of the package and its shipped data (not the chapter
  notebooks or the book's pages, which are keyed where they are used), and the installed version of every
  package scalegap declares it needs (:func:`package_versions`).

jupyter-cache keys a notebook on its code cells alone and Quarto's freeze ignores the files a document reads;
both miss a changed data file.  Here the data and the settings are part of every key.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from scalegap.persist import FRAMES, STUDY
from scalegap.reads import Reads
from scalegap.vocabulary import RESULTS

#: manifest fields that change on every run without changing what was computed
VOLATILE = ("generated_at", "prepared_key")
#: settings that say how the chapters are run, not what they compute
HOW_TO_RUN = ("execution",)
#: the parts of the package that are not code: keyed where they are used (notebooks per chapter, book pages by
#: the book build), so editing one does not invalidate the rest
KEYED_ELSEWHERE = ("assets", "__pycache__")


def digest(value: Any) -> str:
    """SHA-256 of ``value`` as canonical JSON (keys sorted)."""
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inputs_digest(manifest: dict[str, Any]) -> str:
    """The client's exports and settings, as the prepared package's manifest records them."""
    kept = {key: value for key, value in manifest.items() if key not in VOLATILE}
    settings = kept.get("settings")
    if isinstance(settings, dict):
        kept["settings"] = {key: value for key, value in settings.items() if key not in HOW_TO_RUN}
    return digest(kept)


class ReadContents:
    """The content of what chapters read, in the prepared package ``prepared`` (its ``manifest``) and in the
    results folder ``results`` (results.json and the persisted studies), each thing digested once however many
    chapters read it (a usage table of millions of rows is hashed once a run).  results.json is read when a
    chapter first asks for a block of it, so the chapters that read none can be keyed before the summarise step
    has written it.  What is absent counts as absent."""

    def __init__(self, manifest: dict[str, Any], prepared: Path, results: Path) -> None:
        self.manifest, self.prepared, self.results = manifest, prepared, results
        self._digests: dict[tuple[str, str], str] = {}

    def digests(self, declared: Reads) -> dict[str, str]:
        """Each thing ``declared`` names (``"settings: conversion"``) and the digest of its content."""
        return {f"{kind}: {name}": self.digest_of(kind, name) for kind, name in declared.items()}

    def digest_of(self, kind: str, name: str) -> str:
        if (kind, name) not in self._digests:
            self._digests[kind, name] = digest(self._content(kind, name))
        return self._digests[kind, name]

    def _content(self, kind: str, name: str) -> Any:
        if kind == "tables":
            table = self.prepared / f"{name}.parquet"
            return file_digest(table) if table.is_file() else None
        if kind == "settings":
            return self.manifest.get("settings", {}).get(name)
        if kind == "manifest":
            return self.manifest.get(name)
        if kind == "results":
            return self.document.get(name)
        return study_digest(self.results / name)

    @cached_property
    def document(self) -> dict[str, Any]:
        path = self.results / RESULTS
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return loaded


def study_digest(folder: Path) -> str | None:
    """A persisted study's content: its values and frames, not the key it was checked by; None without one."""
    path = folder / STUDY
    if not path.is_file():
        return None
    values = {key: value for key, value in json.loads(path.read_text(encoding="utf-8")).items() if key != "key"}
    frames = {p.name: file_digest(p) for p in sorted((folder / FRAMES).glob("*")) if p.is_file()}
    return digest({"values": values, "frames": frames})


@lru_cache(maxsize=1)
def code_digest() -> str:
    """scalegap's modules and data, and the packages it computes and draws with (once per process)."""
    return code_fingerprint(module_digests(), package_versions())


def code_fingerprint(modules: dict[str, str], packages: dict[str, str]) -> str:
    return digest({"modules": modules, "packages": packages})


def module_digests() -> dict[str, str]:
    """SHA-256 of each of scalegap's own files, by path, but the ones keyed elsewhere (:data:`KEYED_ELSEWHERE`)."""
    package = Path(__file__).resolve().parent
    files = sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and not set(path.relative_to(package).parts) & set(KEYED_ELSEWHERE)
    )
    return {path.relative_to(package).as_posix(): file_digest(path) for path in files}


def requirement_name(requirement: str) -> str:
    """``pandas>=3.1,<4; extra == 'x'`` → ``pandas``."""
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """The installed version of every package scalegap declares it needs (not the test extras), by name."""
    declared = metadata.requires("scalegap") or []
    names = sorted({requirement_name(item) for item in declared if "extra ==" not in item}, key=str.casefold)
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions

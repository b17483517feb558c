"""What a computation was made from, as digests of content, never of timestamps.

A persisted study, the summarise step and each executed chapter are reused only when what they were made from is
the same, byte for byte:

* :func:`inputs_digest`: the client's side, read from the prepared package's manifest: every export file's
  SHA-256 (with its table and format) and the resolved settings, less the ``execution`` section (how chapters are
  run, not what they compute) and less the time the package was written;
* :func:`reads_digests`: the content of just what one chapter reads (:mod:`scalegap.reads`): its prepared tables'
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
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from scalegap.persist import FRAMES, STUDY
from scalegap.reads import Reads
from scalegap.vocabulary import RESULTS

#: manifest fields that change on every run without changing what was computed
VOLATILE = ("generated_at",)
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


def reads_digests(declared: Reads, manifest: dict[str, Any], prepared: Path, results: Path) -> dict[str, str]:
    """The content of each thing a chapter declares it reads (``"settings: conversion"``: its digest), in the
    prepared package ``prepared`` (its ``manifest``) and in the results folder ``results`` (results.json and the
    persisted studies); what is absent counts as absent."""
    document_path = results / RESULTS
    document = json.loads(document_path.read_text(encoding="utf-8")) if document_path.is_file() else {}
    content: dict[str, Any] = {
        "tables": lambda name: _optional_file(prepared / f"{name}.parquet"),
        "settings": lambda name: manifest.get("settings", {}).get(name),
        "manifest": lambda name: manifest.get(name),
        "results": lambda name: document.get(name),
        "studies": lambda name: study_digest(results / name),
    }
    return {f"{kind}: {name}": digest(content[kind](name)) for kind, name in declared.items()}


def _optional_file(path: Path) -> str | None:
    return file_digest(path) if path.is_file() else None


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

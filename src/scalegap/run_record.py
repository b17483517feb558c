"""The run record: what one run read, with what software, when, and what each chapter was given.

``scalegap run`` writes it as ``_build/run.json`` and the book shows it as its last appendix page.  It holds:

- the input files with their SHA-256 (the same digests as the prepared package's manifest);
- the assessment.yml used, as the file's text and its SHA-256;
- the versions of scalegap (and its git commit, when run from a checkout) and of every package it depends on;
- when the run started and when its chapters had finished executing (``run.json`` also has when the whole run
  finished, which the book cannot know while it is being built);
- per chapter, its parameters and its cache key.

A chapter's cache key is the SHA-256 of everything its result depends on: the notebook's own bytes, the input
files' digests, the resolved settings, the reference date, the software versions and scalegap's own files.  Two
runs whose chapter has the same key compute the same chapter.  Parameters are shown relative to the client folder: the
absolute path of a run's staging folder says nothing about the result (and may name the consultant's account).

Everything but the two times is the same for the same inputs, so two runs of one client differ in those two
lines of the book only.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scalegap import __version__
from scalegap.cache import Keys
from scalegap.fingerprint import digest, package_versions
from scalegap.markdown import code, code_block

RUN_RECORD = "run.json"
PAGE = "run-record"


@dataclass(frozen=True)
class InputFile:
    table: str
    file: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class ChapterRun:
    chapter: str
    parameters: dict[str, str]
    cache_key: str


@dataclass(frozen=True)
class RunRecord:
    scalegap_version: str
    commit: str
    packages: dict[str, str]
    started_at: str
    executed_at: str
    inputs: tuple[InputFile, ...]
    assessment_sha256: str
    assessment_text: str
    #: the settings given with ``--set`` for this run, as YAML ("" when none)
    overrides: str
    chapters: tuple[ChapterRun, ...]

    def to_json(self, finished_at: str | None = None) -> str:
        """The record as ``run.json``; ``finished_at``, when the whole run (the book included) had finished."""
        document = asdict(self) | ({"finished_at": finished_at} if finished_at else {})
        return json.dumps(document, indent=2) + "\n"


def now() -> str:
    """The current time, in UTC, to the second (the format of every time in the record)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def source_commit() -> str:
    """The git commit scalegap runs from (``+ local changes`` when its tracked files differ from it), or why it
    is not known.  Only the checkout scalegap's own source is in counts (not a repository it is installed into)."""
    here = Path(__file__).resolve().parent

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", "-C", str(here), *arguments], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() / "src" / "scalegap" != here:
            raise subprocess.SubprocessError("scalegap is installed inside another repository")
        commit = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "not known (scalegap is not run from its git checkout)"
    return f"{commit} + local changes" if changed else commit


def shown_parameters(parameters: dict[str, Any], client_root: Path, build: Path) -> dict[str, str]:
    """The parameters as the book shows them: paths inside the run's build folder relative to the client
    folder, as they are once the build is in place (``_build/...``)."""
    shown = {}
    for name, value in parameters.items():
        text = str(value)
        if not Path(text).is_absolute():
            shown[name] = text
            continue
        try:
            inside = Path(text).resolve().relative_to(build.resolve())
            text = str(Path("_build") / inside)
        except ValueError:
            try:
                text = str(Path(text).resolve().relative_to(client_root.resolve()))
            except ValueError:
                pass
        shown[name] = text
    return shown


def run_record(
    manifest: dict[str, Any],
    keys: Keys,
    assessment: Path,
    overrides: dict[str, Any],
    chapters: list[Path],
    parameters: dict[str, Any],
    client_root: Path,
    build: Path,
    started_at: str,
    executed_at: str,
    redact: Callable[[str], str | None] = lambda text: text,
) -> RunRecord:
    """The record of a run whose prepared package has ``manifest``, whose chapters ran with ``parameters`` and
    were planned by ``keys`` (:mod:`scalegap.cache`: each chapter's key is shown as one digest).

    The assessment.yml text passes through ``redact`` (the book's one redaction of free text): a consultant's
    comment in it may name a person."""
    commit, packages = source_commit(), package_versions()
    shown = shown_parameters(parameters, client_root, build)
    text = redact(assessment.read_text(encoding="utf-8")) or ""
    return RunRecord(
        scalegap_version=__version__,
        commit=commit,
        packages=packages,
        started_at=started_at,
        executed_at=executed_at,
        inputs=tuple(
            InputFile(item["table"], item["file"], item["sha256"], item["rows_read"]) for item in manifest["inputs"]
        ),
        assessment_sha256=hashlib.sha256(assessment.read_bytes()).hexdigest(),
        assessment_text=text,
        overrides=yaml.safe_dump(overrides, sort_keys=True) if overrides else "",
        chapters=tuple(ChapterRun(chapter.stem, shown, digest(keys.chapters[chapter.name])) for chapter in chapters),
    )


def run_record_markdown(record: RunRecord) -> str:
    """The appendix page (MyST-safe: every value from the client is in a table cell's code span or a code
    block, so none of it is read as markup)."""
    software = " · ".join(f"{name} {version}" for name, version in record.packages.items())
    inputs = ["| table | file | rows read | SHA-256 |", "| --- | --- | --- | --- |"]
    inputs += [f"| {item.table} | {code(item.file)} | {item.rows:,} | `{item.sha256}` |" for item in record.inputs]
    chapters = ["| chapter | parameters | cache key |", "| --- | --- | --- |"]
    chapters += [
        f"| {item.chapter} | {code(parameter_text(item.parameters))} | `{item.cache_key}` |" for item in record.chapters
    ]
    parts = [
        # kept out of the search index: it is the one page that differs between two runs (by its two times)
        "---\nnosearch: true\n---",
        "# Run record",
        "What this book was computed from, with what, and when: enough to reproduce it or to tell two books "
        "apart. `_build/run.json` holds the same record. A chapter's cache key is the SHA-256 of its notebook, "
        "its parameters, the input files, the settings and the software versions below: two runs that give a "
        "chapter the same key compute the same chapter.",
        "## When",
        f"- Run started: {record.started_at} (UTC)\n- Chapters executed by: {record.executed_at} (UTC)",
        "## Software",
        f"scalegap {record.scalegap_version}, commit `{record.commit}`.",
        f"The packages it depends on, as installed: {software}.",
        "## Input files",
        "\n".join(inputs),
        "## Settings",
        f"The assessment.yml used (SHA-256 `{record.assessment_sha256}`):",
        code_block(record.assessment_text, "yaml"),
        *(
            ["Settings given with `--set` for this run, over the file's:", code_block(record.overrides, "yaml")]
            if record.overrides
            else []
        ),
        "## Chapters",
        "\n".join(chapters),
    ]
    return "\n\n".join(parts) + "\n"


def parameter_text(parameters: dict[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in parameters.items())

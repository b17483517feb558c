"""What assembling the book's source made last time, to copy rather than make again.

Assembling the book source runs every run, also when no chapter ran: its digest decides whether the book is built
again.  Two of its parts cost more than the rest together and rarely change between re-runs: each chapter's static
copy (the executed notebook without widget state, each of its tables written as CSV and as an Excel workbook) and
the theme's colours (the palette is resolved by seaborn, a slow import).  A build keeps, in ``_build/`` beside the
book source, what each part was made from (:data:`MEMO`): a chapter's executed notebook and commentary and
scalegap's code, and the palette setting.  The next run copies a part from the last good build when what it is made
from is the same, and makes it otherwise.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scalegap.cache import executed_digest
from scalegap.downloads import FOLDER, Download
from scalegap.fingerprint import code_digest, digest

#: the file, in a build folder, that says what its book source's parts were made from
MEMO = "book-source.json"


@dataclass(frozen=True)
class Made:
    """A part of the book source and what it was made from: ``key`` digests the inputs, ``value`` is what the
    part's maker returned (a chapter's tables, the theme's CSS)."""

    key: str
    value: Any


@dataclass
class Memo:
    """The parts the last good build made (``before``; read from its folder) and those this run made (``now``).
    The executed chapters name the build folder they ran in: ``named`` is the one the last build's parts name."""

    last_source: Path | None
    named: str = ""
    before: dict[str, Made] = field(default_factory=dict)
    now: dict[str, Made] = field(default_factory=dict)

    @classmethod
    def of(cls, last_build: Path | None) -> Memo:
        """The memo of the build folder ``last_build`` (empty when there is none, or it has no memo)."""
        if last_build is None:
            return cls(None)
        try:
            document = json.loads((last_build / MEMO).read_text(encoding="utf-8"))
            named = str(document["build"])
            before = {name: Made(entry["key"], entry["value"]) for name, entry in document["parts"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(None)
        return cls(last_build / "book", named, before)

    def reusable(self, part: str, key: str) -> Any | None:
        """What the last build's ``part`` was, when it was made from ``key``; else None."""
        made = self.before.get(part)
        return made.value if made is not None and made.key == key and self.last_source is not None else None

    def made(self, part: str, key: str, value: Any) -> None:
        self.now[part] = Made(key, value)

    def write(self, build: Path) -> None:
        """The memo of this run's parts, in its build folder ``build`` (which its executed chapters name)."""
        parts = {name: dataclasses.asdict(made) for name, made in sorted(self.now.items())}
        document = {"build": str(build.resolve()), "parts": parts}
        (build / MEMO).write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")


def chapter_key(notebook: Path, commentary: str | None, build: Path) -> str:
    """What a chapter's static copy is made from: its executed notebook (the build folder ``build`` it names read
    as a placeholder, so that the key does not depend on where the build is), its commentary and scalegap's
    code."""
    notebook_digest = executed_digest(notebook, str(build.resolve()))
    return digest({"notebook": notebook_digest, "commentary": commentary or "", "code": code_digest()})


def copy_chapter(memo: Memo, chapter: str, key: str, target: Path, extra: Path, build: Path) -> list[Download] | None:
    """The last build's static copy of ``chapter`` (naming this run's build folder ``build`` where it named the
    last one's) and its tables' files copied to ``target`` and ``extra`` when it was made from ``key``; its
    tables, or None (then it is to be made)."""
    tables = memo.reusable(chapter, key)
    if tables is None or memo.last_source is None:
        return None
    before = memo.last_source
    files = before / extra.name / FOLDER / chapter
    if not (before / target.name).is_file() or (tables and not files.is_dir()):
        return None
    text = (before / target.name).read_text(encoding="utf-8")
    target.write_text(text.replace(memo.named, str(build.resolve())) if memo.named else text, encoding="utf-8")
    if tables:
        shutil.copytree(files, extra / FOLDER / chapter)
    downloads = [Download(**table) for table in tables]
    memo.made(chapter, key, tables)
    return downloads


def remember_chapter(memo: Memo, chapter: str, key: str, tables: list[Download]) -> None:
    memo.made(chapter, key, [dataclasses.asdict(table) for table in tables])

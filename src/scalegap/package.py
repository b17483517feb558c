"""The reader of a prepared data package: what every chapter, study and notebook loads.

It reads what the prepare stage wrote (:mod:`scalegap.prepare.write`) and nothing else: no export adapter,
no ingest.  Each table is read from its parquet file once per package object; callers get their own frame
(pandas' copy-on-write makes the copy lazy), so no caller's change reaches another's.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap import reads
from scalegap.errors import InputError
from scalegap.settings import Settings
from scalegap.vocabulary import MANIFEST


class PreparedPackage:
    """Read access to a prepared data package (what the chapter notebooks load)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not (self.path / MANIFEST).is_file():
            raise InputError("no prepared data package here", file=self.path, hint="run `scalegap run DIR` first")
        self._tables: dict[str, pd.DataFrame] = {}

    @cached_property
    def raw_manifest(self) -> dict[str, Any]:
        """The manifest, its reads not recorded: for what the package itself derives from it."""
        loaded: dict[str, Any] = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        return loaded

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """The manifest; each entry a chapter reads is recorded (:mod:`scalegap.reads`)."""
        return reads.RecordedDict("manifest", self.raw_manifest)

    @cached_property
    def settings(self) -> Settings:
        """The resolved settings; each section a chapter reads is recorded (:mod:`scalegap.reads`)."""
        with reads.paused():
            return Settings.model_validate(self.raw_manifest["settings"])

    @property
    def written_at(self) -> str:
        """When the package was written: tells two packages in one folder apart (not recorded as a read)."""
        return str(self.raw_manifest.get("generated_at", ""))

    def has(self, table: str) -> bool:
        reads.record("tables", table)
        return (self.path / f"{table}.parquet").is_file()

    def table(self, table: str) -> pd.DataFrame:
        """The prepared table, read once; each call returns a frame of its own."""
        reads.record("tables", table)
        if table not in self._tables:
            if not self.has(table):
                raise InputError(
                    f"the prepared package has no {table} table",
                    file=self.path,
                    hint=f"configure exports.{table} in assessment.yml",
                )
            self._tables[table] = pd.read_parquet(self.path / f"{table}.parquet")
        return self._tables[table].copy(deep=False)

    @property
    def reference_date(self) -> date:
        return date.fromisoformat(self.manifest["reference_date"])

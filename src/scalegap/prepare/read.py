"""Reading a client's exports: each configured file through its adapter, stacked into one canonical table per
name, with each file's fingerprint and row accounting.  The client's exports are only ever opened for reading."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scalegap.client import ClientFolder
from scalegap.errors import InputError, ScalegapError
from scalegap.ingest import IngestResult, adapter_named, detect_adapter
from scalegap.ingest.vocabulary import check_value_maps
from scalegap.prepare.people import LinkReport
from scalegap.settings import ExportSettings, Settings


@dataclass(frozen=True)
class FileRead:
    """One export file as read: where it is, what it is, and its fingerprint."""

    table: str
    file: str
    format: str
    sha256: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableIntake:
    """Row accounting of one export file."""

    table: str
    file: str
    format: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int


@dataclass(frozen=True)
class TableData:
    """One canonical table, stacked from every file that feeds it.

    ``accepted`` and ``rejected`` carry ``source_file`` and ``source_row``, so
    row accounting holds per file: rows read = accepted + rejected.
    """

    table: str
    files: tuple[FileRead, ...]
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    #: what linking its people to the roster achieved (None: the table names no people, or no roster)
    linking: LinkReport | None = None

    @classmethod
    def stack(cls, table: str, reads: list[tuple[FileRead, IngestResult]]) -> TableData:
        accepted = pd.concat(
            [result.accepted.assign(source_file=read.file) for read, result in reads], ignore_index=True
        )
        rejected = pd.concat(
            [result.rejected.assign(source_file=read.file).astype("object") for read, result in reads],
            ignore_index=True,
        )
        return cls(table, tuple(read for read, _ in reads), accepted, rejected)

    def intake(self, read: FileRead) -> TableIntake:
        accepted = int(self.accepted["source_file"].eq(read.file).sum())
        rejected = int(self.rejected["source_file"].eq(read.file).sum()) if len(self.rejected) else 0
        return TableIntake(self.table, read.file, read.format, read.sha256, accepted + rejected, accepted, rejected)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_files(client: ClientFolder, table: str, export: ExportSettings) -> list[Path]:
    """The files an export entry names: one file, or every match of a glob pattern, by name."""
    if any(char in export.file for char in "*?["):
        matches = sorted(path for path in client.exports.glob(export.file) if path.is_file())
        if not matches:
            raise InputError(
                f"no file in exports/ matches {export.file!r}",
                file=client.exports,
                hint=f"fix exports.{table}.file in assessment.yml",
            )
        return matches
    path = client.exports / export.file
    if not path.is_file():
        raise InputError(
            "export file not found",
            file=path,
            hint=f"put it in {client.exports} or fix exports.{table}.file in assessment.yml",
        )
    return [path]


def read_export(
    client: ClientFolder, table: str, export: ExportSettings, path: Path, settings: Settings
) -> tuple[FileRead, IngestResult]:
    adapter = adapter_named(export.format, table) if export.format else detect_adapter(table, path)
    check_value_maps(table, export)
    result = adapter.read(path, export, settings)
    read = FileRead(table, display_name(client, path), result.format, sha256_of(path), result.warnings)
    return read, result


def read_table(client: ClientFolder, table: str, settings: Settings, errors: list[ScalegapError]) -> TableData | None:
    """Every file the table's exports name, stacked (None: none could be read); each file's error is added to
    ``errors`` and the other files are still read."""
    reads = []
    for export in settings.exports_of(table):
        try:
            for path in export_files(client, table, export):
                reads.append(read_export(client, table, export, path, settings))
        except ScalegapError as error:
            errors.append(error)
    return TableData.stack(table, reads) if reads else None


def display_name(client: ClientFolder, path: Path) -> str:
    try:
        return str(path.relative_to(client.root))
    except ValueError:
        return str(path)

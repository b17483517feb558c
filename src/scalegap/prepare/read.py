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
from scalegap.ingest.staged import Stage, StagedRows, literal, quoted
from scalegap.ingest.usage_warehouse import read_warehouse
from scalegap.ingest.vocabulary import check_value_maps
from scalegap.prepare.people import LinkReport
from scalegap.settings import ExportSettings, Settings, WarehouseExportSettings

#: reasons of rows set aside because a later row replaces them (:mod:`scalegap.prepare.link`): not rejections, and
#: not counted as a loss; row accounting keeps them apart (rows read = accepted + superseded + rejected)
SUPERSEDED_RESPONSE = "superseded by a later response from the same person"
SUPERSEDED_SEAT = "an earlier view of a licence listed again in a later report (the latest is kept)"
SUPERSEDED_REASONS = frozenset({SUPERSEDED_RESPONSE, SUPERSEDED_SEAT})


def superseded_mask(rejected: pd.DataFrame) -> pd.Series:
    """True for the set-aside rows a later row supersedes (an earlier response, an earlier view of a licence)."""
    if rejected.empty or "reason" not in rejected:
        return pd.Series(False, index=rejected.index)
    return rejected["reason"].isin(SUPERSEDED_REASONS)


@dataclass(frozen=True)
class FileRead:
    """One export file (or warehouse table) as read: where it is, what it is, and its fingerprint."""

    table: str
    file: str
    format: str
    sha256: str
    warnings: tuple[str, ...] = ()
    #: a warehouse table's rows summed into person-days, and its rejected rows counted but not listed
    merged: int = 0
    unlisted: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class TableIntake:
    """Row accounting of one export file: rows read = accepted + superseded + rejected + merged."""

    table: str
    file: str
    format: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    #: rows a later row replaces (an earlier weekly licence report, an earlier survey response): not a loss
    rows_superseded: int = 0
    #: a warehouse table's rows summed into the accepted person-days (:mod:`scalegap.ingest.usage_warehouse`)
    rows_merged: int = 0


@dataclass(frozen=True)
class TableData:
    """One canonical table, stacked from every file that feeds it.

    ``accepted`` and ``rejected`` carry ``source_file`` and ``source_row``, so
    row accounting holds per file: rows read = accepted + rejected.  When every file's accepted rows stayed in
    DuckDB (a large usage export), they are ``staged`` and ``accepted`` is empty (with their columns).
    """

    table: str
    files: tuple[FileRead, ...]
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    #: what linking its people to the roster achieved (None: the table names no people, or no roster)
    linking: LinkReport | None = None
    staged: StagedRows | None = None

    @property
    def accepted_rows(self) -> int:
        return self.staged.rows if self.staged is not None else len(self.accepted)

    @classmethod
    def stack(cls, table: str, reads: list[tuple[FileRead, IngestResult]]) -> TableData:
        if all(result.staged is not None for _, result in reads):
            return cls.stack_staged(table, reads)
        reads = [(read, result.in_memory()) for read, result in reads]
        accepted = pd.concat(
            [result.accepted.assign(source_file=read.file) for read, result in reads], ignore_index=True
        )
        rejected = pd.concat(
            [result.rejected.assign(source_file=read.file).astype("object") for read, result in reads],
            ignore_index=True,
        )
        return cls(table, tuple(read for read, _ in reads), accepted, rejected)

    @classmethod
    def stack_staged(cls, table: str, reads: list[tuple[FileRead, IngestResult]]) -> TableData:
        """Files whose accepted rows stayed in DuckDB, stacked there (a view: nothing is copied)."""
        parts, names, stage = [], [], None
        for number, (read, result) in enumerate(reads):
            staged = result.staged
            assert staged is not None
            stage = staged.stage
            names += [name for name in staged.names if name not in names]
            listed = ", ".join(f"{sql} AS {quoted(name)}" for name, sql in staged.columns)
            parts.append(
                f"SELECT {listed}, {literal(read.file)} AS source_file, {number} AS _file, _order FROM {staged.source}"
            )
        assert stage is not None
        view = stage.name("stacked")
        stage.execute(f"CREATE VIEW {view} AS {' UNION ALL BY NAME '.join(parts)}")
        empty = {
            name for name in names if all(dict(r.staged.columns).get(name) == "NULL" for _, r in reads if r.staged)
        }
        columns = tuple((name, "NULL" if name in empty else quoted(name)) for name in [*names, "source_file"])
        rows = sum(result.accepted_rows for _, result in reads)
        per_file: dict[str, int] = {}
        for read, result in reads:
            per_file[read.file] = per_file.get(read.file, 0) + result.accepted_rows
        staged = StagedRows(stage, view, columns, rows, ("_file", "_order"), {"source_file": per_file})
        rejected = pd.concat(
            [result.rejected.assign(source_file=read.file).astype("object") for read, result in reads],
            ignore_index=True,
        )
        return cls(table, tuple(read for read, _ in reads), pd.DataFrame(columns=staged.names), rejected, None, staged)

    def intake(self, read: FileRead) -> TableIntake:
        if self.staged is not None:
            accepted = self.staged.count_by("source_file").get(read.file, 0)
        else:
            accepted = int(self.accepted["source_file"].eq(read.file).sum())
        mine = self.rejected[self.rejected["source_file"].eq(read.file)] if len(self.rejected) else self.rejected
        superseded = int(superseded_mask(mine).sum())
        rejected = len(mine) - superseded + sum(rows for _, _, rows in read.unlisted)
        read_rows = accepted + superseded + rejected + read.merged
        return TableIntake(
            self.table, read.file, read.format, read.sha256, read_rows, accepted, rejected, superseded, read.merged
        )

    @property
    def merged(self) -> int:
        """Rows summed into accepted rows (a warehouse table's events into person-days)."""
        return sum(read.merged for read in self.files)

    def unlisted(self) -> pd.DataFrame:
        """Rejected rows counted but not listed (beyond a warehouse table's sample): source_file, column, reason,
        rows."""
        counted = [(read.file, *item) for read in self.files for item in read.unlisted if item[2]]
        return pd.DataFrame(counted, columns=["source_file", "column", "reason", "rows"])


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
    client: ClientFolder, table: str, export: ExportSettings, path: Path, settings: Settings, stage: Stage
) -> tuple[FileRead, IngestResult]:
    adapter = adapter_named(export.format, table) if export.format else detect_adapter(table, path)
    check_value_maps(table, export)
    result = adapter.read_into(path, export, settings, stage)
    read = FileRead(table, display_name(client, path), result.format, sha256_of(path), result.warnings)
    return read, result


def read_warehouse_export(client: ClientFolder, export: WarehouseExportSettings) -> tuple[FileRead, IngestResult]:
    """A usage table kept in a warehouse: its person-days and rejected rows, fingerprinted by what came back."""
    found = read_warehouse(export, client.root)
    result = found.result
    merged, unlisted = result.merged, result.unlisted
    return FileRead("usage", found.label, result.format, found.digest, result.warnings, merged, unlisted), result


def read_table(client: ClientFolder, table: str, settings: Settings, errors: list[ScalegapError]) -> TableData | None:
    """Every file the table's exports name, stacked (None: none could be read); each file's error is added to
    ``errors`` and the other files are still read."""
    reads = []
    stage = Stage()  # a DuckDB database for the accepted rows of the adapters that keep them there
    for export in settings.exports_of(table):
        try:
            if isinstance(export, WarehouseExportSettings):
                reads.append(read_warehouse_export(client, export))
                continue
            for path in export_files(client, table, export):
                reads.append(read_export(client, table, export, path, settings, stage))
        except ScalegapError as error:
            errors.append(error)
    return TableData.stack(table, reads) if reads else None


def display_name(client: ClientFolder, path: Path) -> str:
    try:
        return str(path.relative_to(client.root))
    except ValueError:
        return str(path)

"""The prepare step: exports -> canonical tables -> a prepared data package.

``check`` reads every configured export with its adapter, matches people to
the roster and returns the tables with a :class:`ValidationReport`.
``prepare`` additionally writes the package that notebooks read:

    _build/prepared/<table>.parquet   canonical tables (accepted rows)
    _build/prepared/manifest.json     inputs with SHA-256, row accounting, resolved settings
    _build/rejects/<table>.csv        rejected rows with their reasons

The client's exports are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap import __version__
from scalegap.client import ClientFolder
from scalegap.errors import InputError, ScalegapError, raise_all
from scalegap.ingest import IngestResult, adapter_named, detect_adapter
from scalegap.ingest.vocabulary import check_value_maps
from scalegap.settings import TABLES, ExportSettings, Settings
from scalegap.linking import LinkReport, PeopleIndex
from scalegap.validate import (SUPERSEDED_SEAT, Problem, by_reason, empty_export_warnings, TableIntake, ValidationReport, link_people, link_problems,
                               link_tickets, link_warnings, loss_problems, match_respondents, move_to_rejects,
                               roster_problems, rejection_warnings, reject_repeats)

REQUIRED_TABLES = ("roster",)
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FileRead:
    """One export file as read: where it is, what it is, and its fingerprint."""

    table: str
    file: str
    format: str
    sha256: str
    warnings: tuple[str, ...] = ()


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
    def stack(cls, table: str, reads: list[tuple[FileRead, IngestResult]]) -> "TableData":
        accepted = pd.concat([result.accepted.assign(source_file=read.file) for read, result in reads],
                             ignore_index=True)
        rejected = pd.concat([result.rejected.assign(source_file=read.file).astype("object")
                              for read, result in reads], ignore_index=True)
        return cls(table, tuple(read for read, _ in reads), accepted, rejected)

    def intake(self, read: FileRead) -> TableIntake:
        accepted = int(self.accepted["source_file"].eq(read.file).sum())
        rejected = int(self.rejected["source_file"].eq(read.file).sum()) if len(self.rejected) else 0
        return TableIntake(self.table, read.file, read.format, read.sha256, accepted + rejected, accepted,
                           rejected)


@dataclass(frozen=True)
class Intake:
    """Everything read from a client's exports, before anything is written."""

    tables: dict[str, TableData]
    report: ValidationReport


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
            raise InputError(f"no file in exports/ matches {export.file!r}", file=client.exports,
                             hint=f"fix exports.{table}.file in assessment.yml")
        return matches
    path = client.exports / export.file
    if not path.is_file():
        raise InputError("export file not found", file=path,
                         hint=f"put it in {client.exports} or fix exports.{table}.file in assessment.yml")
    return [path]


def read_export(client: ClientFolder, table: str, export: ExportSettings, path: Path,
                settings: Settings) -> tuple[FileRead, IngestResult]:
    adapter = adapter_named(export.format, table) if export.format else detect_adapter(table, path)
    check_value_maps(table, export)
    result = adapter.read(path, export, settings)
    read = FileRead(table, display_name(client, path), result.format, sha256_of(path), result.warnings)
    return read, result


def read_table(client: ClientFolder, table: str, settings: Settings,
               problems: list[Problem]) -> TableData | None:
    reads = []
    for export in settings.exports_of(table):
        try:
            for path in export_files(client, table, export):
                reads.append(read_export(client, table, export, path, settings))
        except ScalegapError as error:
            problems.extend(Problem.all_from(error))
    return TableData.stack(table, reads) if reads else None


def check(client: ClientFolder, settings: Settings) -> Intake:
    """Read and validate every export; collect every problem rather than stopping at the first."""
    problems: list[Problem] = []
    tables: dict[str, TableData] = {}
    for table in TABLES:
        if not settings.exports_of(table) and table in REQUIRED_TABLES:
            problems.append(Problem("blocking", f"no {table} export is configured", str(client.assessment),
                                    column=f"exports.{table}", hint=f"add exports: {table}: file: <name>"))
        data = read_table(client, table, settings, problems)
        if data is not None:
            tables[table] = data
    tables = link_tables(tables)
    problems.extend(table_problems(tables, settings))
    problems.extend(matching_warnings(tables))
    intakes = tuple(data.intake(read) for data in tables.values() for read in data.files)
    links = tuple(data.linking for data in tables.values() if data.linking is not None)
    return Intake(tables, ValidationReport(intakes, tuple(problems), links))


def table_problems(tables: dict[str, TableData], settings: Settings) -> list[Problem]:
    """Per table: blocking losses, pilot and linking, then the warnings (rejections, file notes, linking)."""
    blocking: list[Problem] = roster_problems(tables["roster"]) if "roster" in tables else []
    warnings: list[Problem] = []
    for data in tables.values():
        blocking.extend(loss_problems(data, settings.validation.max_rejected_share))
        blocking.extend(link_problems(data, settings.validation.min_linked_share))
        warnings.extend(empty_export_warnings(data))
        warnings.extend(rejection_warnings(data))
        warnings.extend(Problem("warning", text, read.file) for read in data.files for text in read.warnings)
        warnings.extend(link_warnings(data))
    return blocking + warnings


def link_tables(tables: dict[str, TableData]) -> dict[str, TableData]:
    """Link every table's people to the roster (:mod:`scalegap.linking`), keeping what linking achieved."""
    if "roster" not in tables or tables["roster"].accepted.empty:
        return tables  # nothing to link to: the roster's own problem blocks the run
    index = PeopleIndex.of(tables["roster"].accepted)
    linked = dict(tables)
    steps = {
        "survey": lambda data: match_respondents(data, index),
        "usage": lambda data: link_people(reject_repeats(data, ["source", "organisation", "email", "login",
                                                                 "person_id", "date"], "person and day"),
                                          index, "usage", "person"),
        "seats": lambda data: link_people(latest_seat_per_person(data), index, "seats", "assignee"),
        "outcomes": lambda data: link_people(data, index, "outcomes", "person_id"),
        "tickets": lambda data: link_tickets(data, index),
    }
    for table, step in steps.items():
        if table in linked:
            data, report = step(linked[table])
            linked[table] = replace(data, linking=report)
    if "usage" in linked:
        linked["usage"] = reject_repeats(linked["usage"], ["person_id", "date", "source", "organisation"],
                                         "person and day")
    if "org_usage" in linked:
        linked["org_usage"] = reject_repeats(linked["org_usage"], ["source", "organisation", "date"],
                                             "organisation and day")
    return linked


def latest_seat_per_person(seats: TableData) -> TableData:
    """Stacked licence snapshots list a person once per file: keep the latest view of each seat."""
    accepted = seats.accepted
    order = accepted.sort_values(["last_activity_at", "source_file", "source_row"], ascending=False,
                                 na_position="last", kind="stable")
    earlier = order.duplicated(["source", "email", "login", "person_id"], keep="first")
    return move_to_rejects(seats, earlier.reindex(accepted.index), SUPERSEDED_SEAT, "assignee")


def matching_warnings(tables: dict[str, TableData]) -> list[Problem]:
    if "survey" not in tables or tables["survey"].linking is None:
        return []
    survey = tables["survey"]
    unmatched = int(survey.accepted["matched_by"].eq("unmatched").sum())
    if not unmatched:
        return []
    return [Problem("warning", f"{unmatched} survey respondent(s) are not in the roster; they are kept and "
                    "reported as unmatched", ", ".join(read.file for read in survey.files),
                    column="employee ID / e-mail", hint="add them to the roster if they are employees")]


def display_name(client: ClientFolder, path: Path) -> str:
    try:
        return str(path.relative_to(client.root))
    except ValueError:
        return str(path)


def reference_date(settings: Settings, tables: dict[str, TableData]) -> date:
    """The date tenure and 'as of' figures refer to: assessment_date, else the last usage day."""
    if settings.client.assessment_date:
        return settings.client.assessment_date
    for table, column in (("usage", "date"), ("org_usage", "date"), ("outcomes", "completed_on"),
                          ("tickets", "created_at"), ("survey", "recorded_at")):
        if table in tables and tables[table].accepted[column].notna().any():
            return tables[table].accepted[column].max().date()
    return date(2000, 1, 1)


def prepare(client: ClientFolder, settings: Settings) -> "PreparedPackage":
    """Validate, then write the prepared data package; raise every blocking problem together, if any."""
    intake = check(client, settings)
    raise_all([InputError(problem.message, file=problem.file, row=problem.row, column=problem.column,
                          hint=problem.hint) for problem in intake.report.blocking])
    as_of = reference_date(settings, intake.tables)
    for directory in (client.prepared, client.rejects):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    for table, data in intake.tables.items():
        accepted = add_tenure(data.accepted, as_of) if table == "roster" else data.accepted
        accepted.to_parquet(client.prepared / f"{table}.parquet", index=False)
        if len(data.rejected):
            rejects_file(data.rejected).to_csv(client.rejects / f"{table}.csv", index=False)
    manifest = build_manifest(client, settings, intake, as_of)
    (client.prepared / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    return PreparedPackage(client.prepared)


def rejects_file(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows for the consultant: where, why, then the row's values."""
    first = ["source_file", "source_row", "reason", "column"]
    return rejected[first + [c for c in rejected.columns if c not in first]]


def add_tenure(roster: pd.DataFrame, as_of: date) -> pd.DataFrame:
    years = (pd.Timestamp(as_of) - roster["hire_date"]).dt.days / 365.25
    bands = pd.cut(years, [-1, 1, 3, 5, 10, 200], labels=["<1 year", "1-3 years", "3-5 years", "5-10 years",
                                                           "10+ years"], right=False)
    return roster.assign(tenure_years=years.round(2), tenure_band=bands.astype("object"))


def link_record(report: LinkReport) -> dict[str, Any]:
    """What linking achieved for a table, as counts only: the examples stay on the console."""
    return {"table": report.table, "rows": report.rows, "linked": report.linked, "by_key": report.by_key,
            "ambiguous": report.ambiguous, "unmatched": report.unmatched}


def build_manifest(client: ClientFolder, settings: Settings, intake: Intake, as_of: date) -> dict[str, Any]:
    rejections = {
        table: (by_reason(data.rejected).groupby(["column", "reason"]).size()
                .reset_index(name="rows").to_dict(orient="records")) if len(data.rejected) else []
        for table, data in intake.tables.items()
    }
    return {
        "scalegap_version": __version__,
        "client": settings.client.name,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "reference_date": as_of.isoformat(),
        "inputs": [asdict(intake_record) for intake_record in intake.report.intakes],
        "rejections": rejections,
        "problems": [asdict(problem) for problem in intake.report.problems],
        "linking": [link_record(report) for report in intake.report.links],
        "settings": settings.model_dump(mode="json"),
    }


class PreparedPackage:
    """Read access to a prepared data package (what the chapter notebooks load)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not (self.path / MANIFEST).is_file():
            raise InputError("no prepared data package here", file=self.path,
                             hint="run `scalegap run DIR` (or `scalegap prepare DIR`) first")

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    @cached_property
    def settings(self) -> Settings:
        return Settings.model_validate(self.manifest["settings"])

    def has(self, table: str) -> bool:
        return (self.path / f"{table}.parquet").is_file()

    def table(self, table: str) -> pd.DataFrame:
        if not self.has(table):
            raise InputError(f"the prepared package has no {table} table", file=self.path,
                             hint=f"configure exports.{table} in assessment.yml")
        return pd.read_parquet(self.path / f"{table}.parquet")

    @property
    def reference_date(self) -> date:
        return date.fromisoformat(self.manifest["reference_date"])

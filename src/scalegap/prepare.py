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
from scalegap.errors import InputError, ScalegapError
from scalegap.ingest import IngestResult, adapter_named, detect_adapter
from scalegap.settings import TABLES, Settings
from scalegap.validate import (Problem, TableIntake, ValidationReport, link_people, match_respondents,
                               rejection_warnings, reject_repeats)

REQUIRED_TABLES = ("roster",)
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Intake:
    """Everything read from a client's exports, before anything is written."""

    results: dict[str, IngestResult]
    hashes: dict[str, str]
    report: ValidationReport


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(client: ClientFolder, settings: Settings) -> Intake:
    """Read and validate every export; collect every problem rather than stopping at the first."""
    results: dict[str, IngestResult] = {}
    hashes: dict[str, str] = {}
    problems: list[Problem] = []
    for table in TABLES:
        export = settings.export(table)
        if export is None:
            if table in REQUIRED_TABLES:
                problems.append(Problem("blocking", f"no {table} export is configured", str(client.assessment),
                                        column=f"exports.{table}", hint=f"add exports: {table}: file: <name>"))
            continue
        path = client.exports / export.file
        try:
            if not path.is_file():
                raise InputError("export file not found", file=path,
                                 hint=f"put it in {client.exports} or fix exports.{table}.file in assessment.yml")
            adapter = adapter_named(export.format, table) if export.format else detect_adapter(table, path)
            hashes[table] = sha256_of(path)
            results[table] = adapter.read(path, export, settings)
        except ScalegapError as error:
            problems.append(Problem.from_error(error))
    results = link_tables(results)
    for table, result in results.items():
        problems.extend(rejection_warnings(result, display_name(client, result.source)))
        problems.extend(Problem("warning", text, display_name(client, result.source)) for text in result.warnings)
    problems.extend(matching_warnings(client, results))
    intakes = tuple(intake_of(client, result, hashes[table]) for table, result in results.items())
    return Intake(results, hashes, ValidationReport(intakes, tuple(problems)))


def link_tables(results: dict[str, IngestResult]) -> dict[str, IngestResult]:
    """Match every table's people to the roster (see :mod:`scalegap.validate`)."""
    if "roster" not in results:
        return results
    roster = results["roster"].accepted
    linked = dict(results)
    if "survey" in linked:
        linked["survey"] = match_respondents(linked["survey"], roster)
    if "usage" in linked:
        usage = link_people(linked["usage"], roster, "person")
        linked["usage"] = reject_repeats(usage, ["person_id", "date"], "person and day")
    if "outcomes" in linked:
        linked["outcomes"] = link_people(linked["outcomes"], roster, "person_id")
    if "tickets" in linked:
        tickets = linked["tickets"].accepted
        linked["tickets"] = replace(linked["tickets"], accepted=tickets.assign(
            reporter_in_roster=tickets["person_id"].isin(set(roster["person_id"]))))
    return linked


def matching_warnings(client: ClientFolder, results: dict[str, IngestResult]) -> list[Problem]:
    if "survey" not in results or "roster" not in results:
        return []
    unmatched = int(results["survey"].accepted["matched_by"].eq("unmatched").sum())
    if not unmatched:
        return []
    return [Problem("warning", f"{unmatched} survey respondent(s) are not in the roster; they are kept and "
                    "reported as unmatched", display_name(client, results["survey"].source),
                    column="ExternalReference / RecipientEmail",
                    hint="add them to the roster if they are employees")]


def display_name(client: ClientFolder, path: Path) -> str:
    try:
        return str(path.relative_to(client.root))
    except ValueError:
        return str(path)


def intake_of(client: ClientFolder, result: IngestResult, digest: str) -> TableIntake:
    return TableIntake(result.table, display_name(client, result.source), result.format, digest,
                       result.rows_read, len(result.accepted), len(result.rejected))


def reference_date(settings: Settings, results: dict[str, IngestResult]) -> date:
    """The date tenure and 'as of' figures refer to: assessment_date, else the last usage day."""
    if settings.client.assessment_date:
        return settings.client.assessment_date
    for table, column in (("usage", "date"), ("outcomes", "completed_on"), ("tickets", "created_at"),
                          ("survey", "recorded_at")):
        if table in results and results[table].accepted[column].notna().any():
            return results[table].accepted[column].max().date()
    return date(2000, 1, 1)


def prepare(client: ClientFolder, settings: Settings) -> "PreparedPackage":
    """Validate, then write the prepared data package; raise on the first blocking problem."""
    intake = check(client, settings)
    if not intake.report.ok:
        first = intake.report.blocking[0]
        raise InputError(first.message, file=first.file, row=first.row, column=first.column, hint=first.hint)
    as_of = reference_date(settings, intake.results)
    for directory in (client.prepared, client.rejects):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    for table, result in intake.results.items():
        accepted = add_tenure(result.accepted, as_of) if table == "roster" else result.accepted
        accepted.to_parquet(client.prepared / f"{table}.parquet", index=False)
        if len(result.rejected):
            result.rejected.to_csv(client.rejects / f"{table}.csv", index=False)
    manifest = build_manifest(client, settings, intake, as_of)
    (client.prepared / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    return PreparedPackage(client.prepared)


def add_tenure(roster: pd.DataFrame, as_of: date) -> pd.DataFrame:
    years = (pd.Timestamp(as_of) - roster["hire_date"]).dt.days / 365.25
    bands = pd.cut(years, [-1, 1, 3, 5, 10, 200], labels=["<1 year", "1-3 years", "3-5 years", "5-10 years",
                                                           "10+ years"], right=False)
    return roster.assign(tenure_years=years.round(2), tenure_band=bands.astype("object"))


def build_manifest(client: ClientFolder, settings: Settings, intake: Intake, as_of: date) -> dict[str, Any]:
    rejections = {
        table: (result.rejected.fillna({"column": ""}).groupby(["column", "reason"]).size()
                .reset_index(name="rows").to_dict(orient="records"))
        for table, result in intake.results.items()
    }
    return {
        "scalegap_version": __version__,
        "client": settings.client.name,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "reference_date": as_of.isoformat(),
        "inputs": [asdict(intake_record) for intake_record in intake.report.intakes],
        "rejections": rejections,
        "problems": [asdict(problem) for problem in intake.report.problems],
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

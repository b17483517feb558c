"""Writing the prepared data package that the chapters read (:class:`scalegap.package.PreparedPackage`):

_build/prepared/<table>.parquet   canonical tables (accepted rows)
_build/prepared/manifest.json     inputs with SHA-256, row accounting (read = accepted + superseded + rejected),
                                  resolved settings
_build/rejects/<table>.csv        rejected rows with their reasons (and superseded rows, with theirs)
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap import __version__
from scalegap.client import ClientFolder
from scalegap.errors import InputError, raise_all
from scalegap.prepare.check import Intake, check
from scalegap.prepare.people import LinkReport
from scalegap.prepare.problems import by_reason, lost_by_reason
from scalegap.prepare.read import TableData, superseded_mask
from scalegap.settings import Settings
from scalegap.vocabulary import MANIFEST


def reference_date(settings: Settings, tables: dict[str, TableData]) -> date:
    """The date tenure and 'as of' figures refer to: assessment_date, else the last usage day."""
    if settings.client.assessment_date:
        return settings.client.assessment_date
    for table, column in (
        ("usage", "date"),
        ("org_usage", "date"),
        ("outcomes", "completed_on"),
        ("tickets", "created_at"),
        ("survey", "recorded_at"),
    ):
        staged = tables[table].staged if table in tables else None
        if staged is not None:
            found = staged.last(column)
            if found is not None:
                day: date = found.date()
                return day
        elif table in tables and tables[table].accepted[column].notna().any():
            last: date = tables[table].accepted[column].max().date()
            return last
    return date(2000, 1, 1)


def prepare(client: ClientFolder, settings: Settings) -> Path:
    """Validate, then write the prepared data package; raise every blocking problem together, if any.  Returns
    the package's folder, for :class:`scalegap.package.PreparedPackage` to read."""
    intake = check(client, settings)
    raise_all(
        [
            InputError(problem.message, file=problem.file, row=problem.row, column=problem.column, hint=problem.hint)
            for problem in intake.report.blocking
        ]
    )
    as_of = reference_date(settings, intake.tables)
    for directory in (client.prepared, client.rejects):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    for table, data in intake.tables.items():
        if data.staged is not None:  # the rows stayed in DuckDB: it writes them, and the stage is removed
            data.staged.write_parquet(client.prepared / f"{table}.parquet")
            data.staged.stage.close()
        else:
            accepted = add_tenure(data.accepted, as_of) if table == "roster" else data.accepted
            accepted.to_parquet(client.prepared / f"{table}.parquet", index=False)
        if len(data.rejected):
            rejects_file(data.rejected).to_csv(client.rejects / f"{table}.csv", index=False)
    manifest = build_manifest(client, settings, intake, as_of)
    (client.prepared / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")
    return client.prepared


def rejects_file(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows for the consultant: where, why, then the row's values."""
    first = ["source_file", "source_row", "reason", "column"]
    return rejected[first + [c for c in rejected.columns if c not in first]]


def add_tenure(roster: pd.DataFrame, as_of: date) -> pd.DataFrame:
    years = (pd.Timestamp(as_of) - roster["hire_date"]).dt.days / 365.25
    bands = pd.cut(
        years,
        [-1, 1, 3, 5, 10, 200],
        labels=["<1 year", "1-3 years", "3-5 years", "5-10 years", "10+ years"],
        right=False,
    )
    return roster.assign(tenure_years=years.round(2), tenure_band=bands.astype("object"))


def link_record(report: LinkReport) -> dict[str, Any]:
    """What linking achieved for a table, as counts only: the examples stay on the console."""
    return {
        "table": report.table,
        "rows": report.rows,
        "linked": report.linked,
        "by_key": report.by_key,
        "ambiguous": report.ambiguous,
        "unmatched": report.unmatched,
    }


def reason_counts(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows per column and kind of reason."""
    if rows.empty:
        return []
    counts = by_reason(rows).groupby(["column", "reason"]).size().reset_index(name="rows")
    records: list[dict[str, Any]] = counts.to_dict(orient="records")
    return records


def lost_counts(data: TableData) -> list[dict[str, Any]]:
    """Rows lost per column and kind of reason, those only counted (a warehouse table's) included."""
    counts = lost_by_reason(data).sort_index()
    return [{"column": column, "reason": reason, "rows": int(rows)} for (column, reason), rows in counts.items()]


def build_manifest(client: ClientFolder, settings: Settings, intake: Intake, as_of: date) -> dict[str, Any]:
    """``rejections`` counts the rows that could not be used, ``superseded`` those a later row replaces (an
    earlier licence report, an earlier response): both per table, column and reason."""
    set_aside = {table: superseded_mask(data.rejected) for table, data in intake.tables.items()}
    rejections = {table: lost_counts(data) for table, data in intake.tables.items()}
    superseded = {table: reason_counts(data.rejected[set_aside[table]]) for table, data in intake.tables.items()}
    return {
        "scalegap_version": __version__,
        "client": settings.client.name,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reference_date": as_of.isoformat(),
        "inputs": [asdict(intake_record) for intake_record in intake.report.intakes],
        "rejections": rejections,
        "superseded": superseded,
        "problems": [asdict(problem) for problem in intake.report.problems],
        "linking": [link_record(report) for report in intake.report.links],
        "settings": settings.model_dump(mode="json"),
    }

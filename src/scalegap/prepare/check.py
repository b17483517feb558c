"""Checking a client's exports without writing anything (``scalegap validate``): read every export, link its
people to the roster, and collect every problem rather than stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass

from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError
from scalegap.prepare.link import link_tables
from scalegap.prepare.problems import Problem, ValidationReport, matching_warnings, table_problems
from scalegap.prepare.read import TableData, read_table
from scalegap.settings import Settings
from scalegap.vocabulary import TABLES

REQUIRED_TABLES = ("roster",)


@dataclass(frozen=True)
class Intake:
    """Everything read from a client's exports, before anything is written."""

    tables: dict[str, TableData]
    report: ValidationReport


def check(client: ClientFolder, settings: Settings) -> Intake:
    """Read and validate every export; collect every problem rather than stopping at the first."""
    problems: list[Problem] = []
    tables: dict[str, TableData] = {}
    for table in TABLES:
        if not settings.exports_of(table) and table in REQUIRED_TABLES:
            problems.append(
                Problem(
                    "blocking",
                    f"no {table} export is configured",
                    str(client.assessment),
                    column=f"exports.{table}",
                    hint=f"add exports: {table}: file: <name>",
                )
            )
        errors: list[ScalegapError] = []
        data = read_table(client, table, settings, errors)
        problems.extend(problem for error in errors for problem in Problem.all_from(error))
        if data is not None:
            tables[table] = data
    tables = link_tables(tables)
    problems.extend(table_problems(tables, settings))
    problems.extend(matching_warnings(tables))
    intakes = tuple(data.intake(read) for data in tables.values() for read in data.files)
    links = tuple(data.linking for data in tables.values() if data.linking is not None)
    return Intake(tables, ValidationReport(intakes, tuple(problems), links))

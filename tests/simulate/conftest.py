"""Shared fixtures: the default Northwind deployment, simulated and written once."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scalegap.simulate import SimulatedDeployment, simulate_deployment, write_exports


@pytest.fixture(scope="session")
def deployment() -> SimulatedDeployment:
    """The default simulated client."""
    return simulate_deployment()


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory, deployment: SimulatedDeployment) -> dict[str, Path]:
    """The default client's files, written to a fresh client folder."""
    return write_exports(deployment, tmp_path_factory.mktemp("northwind"))


def read_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    """All CSV rows of a file, parsed with the csv module."""
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def read_sheet(path: Path) -> list[list[Any]]:
    """All rows of the roster workbook's only sheet, cell values as openpyxl gives them."""
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook["Employees"].iter_rows(values_only=True)]


@pytest.fixture(scope="session")
def roster_cells(written: dict[str, Path]) -> list[list[Any]]:
    """The roster workbook's rows, typed: date cells as datetimes, empty cells as None."""
    return read_sheet(written["hr_roster"])


@pytest.fixture(scope="session")
def roster_rows(roster_cells: list[list[Any]]) -> list[list[str]]:
    """The roster as text, as the CSV roster was: dates ``DD/MM/YYYY``, empty cells ``""``."""
    return [
        [value.strftime("%d/%m/%Y") if isinstance(value, datetime) else "" if value is None else value for value in row]
        for row in roster_cells
    ]


@pytest.fixture(scope="session")
def m365_paths(written: dict[str, Path]) -> dict[str, Path]:
    """The weekly Microsoft 365 Copilot usage reports, {file stem: path}."""
    return {name: path for name, path in written.items() if name.startswith("m365_copilot_usage_")}


@pytest.fixture(scope="session")
def survey_rows(written: dict[str, Path]) -> list[list[str]]:
    return read_rows(written["survey"], encoding="utf-8-sig")


@pytest.fixture(scope="session")
def usage_rows(written: dict[str, Path]) -> list[list[str]]:
    return read_rows(written["usage"])


@pytest.fixture(scope="session")
def outcome_rows(written: dict[str, Path]) -> list[list[str]]:
    return read_rows(written["outcomes"])


@pytest.fixture(scope="session")
def ticket_rows(written: dict[str, Path]) -> list[list[str]]:
    return read_rows(written["tickets"])

"""Shared fixtures: the default Northwind deployment, simulated and written once."""

from __future__ import annotations

import csv
from pathlib import Path

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


@pytest.fixture(scope="session")
def roster_rows(written: dict[str, Path]) -> list[list[str]]:
    return read_rows(written["hr_roster"])


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

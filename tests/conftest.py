"""Shared fixtures: small settings and files built in memory, the shared vendor samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scalegap.settings import Settings, load_settings
from tests.support import SAMPLES, TEMPLATE


@pytest.fixture
def template_settings() -> Settings:
    """The client template's settings (survey instrument Q1_1..Q7)."""
    return load_settings(TEMPLATE / "assessment.yml")


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"the shared vendor samples are missing: {SAMPLES}")
    return SAMPLES


@pytest.fixture(scope="session")
def dask_scheduler() -> Iterator[str]:
    """The address of a Dask cluster on this machine (scalegap run --scheduler): two worker processes of one
    thread each, as a cluster of two machines would have; its dashboard on a free port."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address

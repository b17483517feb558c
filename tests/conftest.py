"""Shared fixtures: small settings and files built in memory, the shared vendor samples."""

from __future__ import annotations

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

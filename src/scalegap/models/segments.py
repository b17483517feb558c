"""Segments: the roster attributes that group people (department, role, location, tenure band)."""

from __future__ import annotations

import pandas as pd

SEGMENT_COLUMNS = ("department", "role", "location", "tenure_band")
LABELS = {"department": "Department", "role": "Role", "location": "Location", "tenure_band": "Tenure band"}


def available_segments(roster: pd.DataFrame) -> list[str]:
    """The segment columns this client's roster actually has values for, in the standard order."""
    return [column for column in SEGMENT_COLUMNS if column in roster and roster[column].notna().any()]


def label(segment: str) -> str:
    return LABELS.get(segment, segment.replace("_", " ").capitalize())

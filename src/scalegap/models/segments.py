"""Segments: the roster attributes that group people (department, role, location, tenure band)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

SEGMENT_COLUMNS = ("department", "role", "location", "tenure_band")
LABELS = {"department": "Department", "role": "Role", "location": "Location", "tenure_band": "Tenure band"}


def available_segments(roster: pd.DataFrame) -> list[str]:
    """The segment columns this client's roster actually has values for, in the standard order."""
    return [column for column in SEGMENT_COLUMNS if column in roster and roster[column].notna().any()]


def label(segment: str) -> str:
    return LABELS.get(segment, segment.replace("_", " ").capitalize())


#: a band label's lower bound: "<1 year", "1-3 years", "10+ years", "0–10", "under 25"
_BAND = re.compile(r"^\s*(<|≤|under\s+|less than\s+|below\s+)?(-?\d+(?:\.\d+)?)", re.IGNORECASE)


def band_key(value: object) -> tuple[float, int] | None:
    """Where a band label sorts: by its lower bound ("<1" before "1-3"); None for a label that is no band."""
    match = _BAND.match(str(value))
    if match is None:
        return None
    return (float(match.group(2)), 0 if match.group(1) else 1)


def in_natural_order(values: Iterable[Any]) -> list[Any]:
    """Segment values in reading order: bands by their lower bound ("<1, 1-3, 3-5, 5-10, 10+") when every
    value is a band, other labels alphabetically; "(not recorded)" and missing values last."""
    distinct = list(dict.fromkeys(v for v in values if not (v is None or (isinstance(v, float) and pd.isna(v)))))
    unrecorded = [v for v in distinct if str(v).strip("()").lower() == "not recorded"]
    known = [v for v in distinct if v not in unrecorded]
    keys = {v: band_key(v) for v in known}
    if known and all(key is not None for key in keys.values()):
        return sorted(known, key=lambda v: (keys[v], str(v))) + unrecorded
    return sorted(known, key=str) + unrecorded


def rows_in_natural_order(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame``'s rows with ``column`` in :func:`in_natural_order` (rows of one value keep their order)."""
    rank = {value: i for i, value in enumerate(in_natural_order(frame[column]))}
    order = frame[column].map(rank).fillna(len(rank))
    result = frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    result.attrs = frame.attrs
    return result

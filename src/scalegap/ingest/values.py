"""Vectorised parsing of text cells into typed values.

Each parser returns the parsed series and a mask of cells that were given
but could not be parsed, so the adapter can reject those rows with a reason.
Empty cells are missing values, not errors.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

TRUE_WORDS = {"y", "yes", "true", "1", "x", "ja", "oui"}
FALSE_WORDS = {"n", "no", "false", "0", ""}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def blank(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip().eq("")


def text(series: pd.Series) -> pd.Series:
    """Trimmed text, missing where empty."""
    cleaned = series.fillna("").astype(str).str.strip()
    return cleaned.where(cleaned.ne(""), None).astype("object")


def email(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Trimmed, lower-cased addresses; bad = given but not an address."""
    cleaned = series.fillna("").astype(str).str.strip().str.lower()
    bad = cleaned.ne("") & ~cleaned.str.match(EMAIL)
    return cleaned.where(cleaned.ne("") & ~bad, None).astype("object"), bad


def number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    cleaned = series.fillna("").astype(str).str.strip().str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(cleaned.where(cleaned.ne(""), None), errors="coerce").astype("float64")
    bad = cleaned.ne("") & parsed.isna()
    return parsed, bad


def flag(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    cleaned = series.fillna("").astype(str).str.strip().str.lower()
    parsed = cleaned.isin(TRUE_WORDS)
    bad = ~(cleaned.isin(TRUE_WORDS) | cleaned.isin(FALSE_WORDS))
    return parsed.astype(bool), bad


def dates(series: pd.Series, fmt: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse dates with an explicit format, or ISO 8601 when none is given.

    Time zones, where given, are converted to UTC and dropped so every table
    holds naive UTC (or local, where the export gives no zone) timestamps.
    """
    cleaned = series.fillna("").astype(str).str.strip()
    given = cleaned.ne("")
    values = cleaned.where(given, None)
    if fmt:
        parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    else:
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.dt.tz_localize(None)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    parsed = parsed.astype("datetime64[ns]")
    bad = given & parsed.isna()
    return parsed, bad

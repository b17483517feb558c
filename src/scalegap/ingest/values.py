"""Vectorised parsing of text cells into typed values.

Each parser returns the parsed series and a mask of cells that were given
but could not be parsed, so the adapter can reject those rows with a reason.
Empty cells are missing values, not errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from scalegap.ingest import vocabulary

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def blank(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip().eq("")


def text(series: pd.Series) -> pd.Series:
    """Trimmed text, missing where empty."""
    cleaned = series.fillna("").astype(str).str.strip().astype("object")
    return cleaned.where(cleaned.ne(""), None)


def email(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Trimmed, lower-cased addresses; bad = given but not an address."""
    cleaned = series.fillna("").astype(str).str.strip().str.lower().astype("object")
    bad = cleaned.ne("") & ~cleaned.str.match(EMAIL).astype(bool)
    return cleaned.where(cleaned.ne("") & ~bad, None), bad


def number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    cleaned = series.fillna("").astype(str).str.strip().str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(cleaned.where(cleaned.ne(""), None), errors="coerce").astype("float64")
    bad = cleaned.ne("") & parsed.isna()
    return parsed, bad


def flag(series: pd.Series, mapping: Mapping[str, bool] | None = None) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells: ``mapping`` (from assessment.yml's ``values:``) first, then the built-in words in many
    languages (:data:`scalegap.ingest.vocabulary.YES_NO`); a blank cell is no."""
    return vocabulary.read_flags(series, mapping or {})


DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")
MONTH_FIRST = ("%m/%d/%Y", "%m/%d/%y", "%m.%d.%Y", "%m-%d-%Y")
TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")


def _parse(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values, format=fmt, errors="coerce")


def _iso(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    return parsed.dt.tz_localize(None)


def _best_format(values: pd.Series, formats: tuple[str, ...], weights: np.ndarray) -> tuple[str, int]:
    scored = [
        (fmt + time, int(weights[_parse(values, fmt + time).notna().to_numpy()].sum()))
        for fmt in formats
        for time in TIMES
    ]
    return max(scored, key=lambda pair: pair[1])


def dates(
    series: pd.Series, fmt: str | None = None, notes: list[str] | None = None, weights: np.ndarray | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse dates with an explicit format, else decide the format from the data.

    Without a format: ISO 8601 (time zones converted to UTC, then dropped)
    when it reads every value; otherwise the day-first or month-first format
    that reads the most values.  When both orders read every value (no day
    above 12), day-first is assumed and a note says so, for the adapter to
    report.  ``weights`` (default: 1 each) counts each value as that many rows, so that the distinct values
    of a large column can be parsed in its stead with the same decision.
    """
    cleaned = series.fillna("").astype(str).str.strip()
    given = cleaned.ne("")
    values = cleaned.where(given, None)
    weight = np.ones(len(series), dtype="int64") if weights is None else np.asarray(weights, dtype="int64")
    if fmt:
        parsed = _parse(values, fmt)
    else:
        parsed = _iso(values)
        given_rows = int(weight[given.to_numpy()].sum())
        if given_rows and weight[(given & parsed.isna()).to_numpy()].sum() / given_rows > 0.5:
            parsed = _by_order(values, given_rows, notes, weight)
    parsed = parsed.astype("datetime64[ns]")
    bad = given & parsed.isna()
    return parsed, bad


def _by_order(values: pd.Series, given: int, notes: list[str] | None, weights: np.ndarray) -> pd.Series:
    day_format, day_score = _best_format(values, DAY_FIRST, weights)
    month_format, month_score = _best_format(values, MONTH_FIRST, weights)
    if day_score == month_score == given and notes is not None:
        notes.append(
            f"day and month order cannot be told apart from the data (no day above 12); read as "
            f"{day_format} — set date_format in assessment.yml if that is wrong"
        )
    chosen = day_format if day_score >= month_score else month_format
    return _parse(values, chosen)

"""Privacy rules applied to everything the book shows.

* no respondent-level identifiers (tables are aggregates by segment);
* any group smaller than the minimum group size is suppressed, and said so;
* e-mail addresses and phone numbers in quoted free text are redacted.
"""

from __future__ import annotations

import re

import pandas as pd

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{7,}\d(?!\w)")
SUPPRESSED = "suppressed"


def redact(text: str | None, names: frozenset[str] = frozenset()) -> str | None:
    """Replace e-mail addresses, phone numbers and the given personal names with placeholders."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    cleaned = PHONE.sub("[phone]", EMAIL.sub("[e-mail]", str(text)))
    if names:
        cleaned = _names_pattern(names).sub("[name]", cleaned)
    return cleaned


def person_names(roster: pd.DataFrame) -> frozenset[str]:
    """First and last names of the people in the roster, as their work e-mail addresses spell them.

    ``priya.shah@…`` gives ``priya`` and ``shah``; parts shorter than three letters are left out so that
    initials do not blank ordinary words.
    """
    if "email" not in roster:
        return frozenset()
    local = roster["email"].dropna().astype(str).str.split("@").str[0]
    parts = local.str.split(r"[._\-]+", regex=True).explode().dropna()
    return frozenset(part.lower() for part in parts if len(part) >= 3 and part.isalpha())


def _names_pattern(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def suppress_small_groups(frame: pd.DataFrame, size_column: str, min_group_size: int,
                          columns: list[str] | None = None) -> pd.DataFrame:
    """Blank every figure of rows whose group has fewer than ``min_group_size`` people.

    The group's label stays (it is not personal); its figures become missing
    and the ``suppressed`` column says why.  ``columns`` defaults to every
    numeric column, the group size included.
    """
    result = frame.copy()
    small = result[size_column] < min_group_size
    figures = columns or [c for c in result.columns if pd.api.types.is_numeric_dtype(result[c])]
    for column in figures:
        result[column] = result[column].astype("float64").where(~small)
    result[SUPPRESSED] = small.to_numpy()
    return result


def suppress_small_counts(frame: pd.DataFrame, count_column: str, min_group_size: int,
                          derived: list[str] | None = None) -> pd.DataFrame:
    """Blank a count of people (and figures derived from it) where it is 1..min_group_size-1.

    A zero is kept: it identifies no one.
    """
    result = frame.copy()
    small = (result[count_column] > 0) & (result[count_column] < min_group_size)
    for column in [count_column, *(derived or [])]:
        result[column] = result[column].astype("float64").where(~small)
    result[SUPPRESSED] = (result[SUPPRESSED] if SUPPRESSED in result else False) | small.to_numpy()
    return result


def suppression_note(frame: pd.DataFrame, min_group_size: int) -> str:
    count = int(frame[SUPPRESSED].sum()) if SUPPRESSED in frame else 0
    if count == 0:
        return f"No figure in this table describes fewer than {min_group_size} people (the minimum group size)."
    return (f"Figures describing fewer than {min_group_size} people are suppressed (left blank) "
            f"in {count} row(s).")

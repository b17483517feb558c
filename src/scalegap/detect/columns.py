"""Proposing a column mapping from a file's headers and a sample of its values, and value vocabularies.

A header matches a field when it is the field's name or one of its known names
(:data:`scalegap.canonical.SCHEMAS` synonyms), compared without case, spacing,
punctuation or a unit in brackets (``Bearbeitungsdauer (Min)`` is ``bearbeitungsdauer``).
Where no header matches, a column whose values look like the field is proposed:
e-mail addresses for ``email``, the roster's employee ids for ``person_id``.
"""

from __future__ import annotations

import re

import pandas as pd

from scalegap.canonical import SCHEMAS, Column, header_key
from scalegap.detect.model import Guess
from scalegap.ingest.values import EMAIL
from scalegap.ingest.vocabulary import value_key, yes_no

#: fields scalegap fills itself
NOT_MAPPED = {"source"}
#: share of a sample's non-empty values that must look like a field for a value-based guess
VALUE_SHARE = 0.8

CLEAN_WORDS = (
    "ok",
    "okay",
    "clean",
    "good",
    "complete",
    "completed",
    "full",
    "high",
    "valid",
    "sauber",
    "vollständig",
    "gut",
    "propre",
    "complet",
    "limpio",
    "completo",
    "bueno",
    "schoon",
    "ren",
    "hel",
)
MESSY_WORDS = (
    "partial",
    "partly",
    "scanned",
    "scan",
    "incomplete",
    "poor",
    "messy",
    "missing",
    "low",
    "bad",
    "handwritten",
    "fax",
    "ocr",
    "exception",
    "dirty",
    "unvollständig",
    "gescannt",
    "teilweise",
    "unleserlich",
    "fehlerhaft",
    "partiel",
    "incomplet",
    "parcial",
    "incompleto",
    "onvolledig",
)
BUILD_TEAM_WORDS = (
    "pilot",
    "build",
    "ki",
    "ai",
    "copilot",
    "genai",
    "product team",
    "projekt",
    "project",
    "innovation",
    "lab",
    "champion",
)
SERVICE_DESK_WORDS = (
    "desk",
    "service",
    "helpdesk",
    "help desk",
    "support",
    "it ",
    "servicedesk",
    "hotline",
    "1st level",
    "first line",
    "l1",
)


def loose_key(name: object) -> str:
    """A header or known name as detection compares them: a unit in brackets and punctuation dropped."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(name))
    text = re.sub(r"[^\w.@ ]+", " ", header_key(text))
    return " ".join(text.split())


def header_matches(table: str, header: list[str], exclude: set[str] | None = None) -> dict[str, Guess]:
    """Field -> header for every field a header names (each header used once, the field's own name first)."""
    taken: set[str] = set(exclude or ())
    found: dict[str, Guess] = {}
    by_key: dict[str, str] = {}
    for heading in header:
        by_key.setdefault(loose_key(heading), heading)
    for column in SCHEMAS[table]:
        if column.name in NOT_MAPPED:
            continue
        for name in (column.name, *column.synonyms):
            match = by_key.get(loose_key(name))
            if match is not None and match not in taken:
                why = "the header is the field's name" if name == column.name else f"{name!r} is a usual header for it"
                found[column.name] = Guess(match, why)
                taken.add(match)
                break
    return found


def email_column(sample: pd.DataFrame, taken: set[str]) -> Guess | None:
    for column in sample.columns:
        if column in taken:
            continue
        values = _given(sample[column])
        if len(values) and values.str.match(EMAIL).mean() >= VALUE_SHARE:
            return Guess(column, f"{values.str.match(EMAIL).mean():.0%} of its values are e-mail addresses")
    return None


def person_column(sample: pd.DataFrame, taken: set[str], known: dict[str, set[str]]) -> Guess | None:
    """A column whose values are the roster's ids, e-mail addresses, logins or names."""
    for kind, values_known in known.items():
        if not values_known:
            continue
        for column in sample.columns:
            if column in taken:
                continue
            values = _given(sample[column]).str.casefold()
            share = values.isin(values_known).mean() if len(values) else 0.0
            if share >= VALUE_SHARE:
                return Guess(column, f"{share:.0%} of its values are roster {kind}")
    return None


def _given(series: pd.Series) -> pd.Series:
    cleaned = series.fillna("").astype(str).str.strip()
    return cleaned[cleaned.ne("")]


def distinct_values(series: pd.Series, limit: int = 50) -> list[str]:
    """The column's distinct non-empty values, most frequent first."""
    return list(_given(series).value_counts().head(limit).index)


def flag_values(column: str, series: pd.Series) -> tuple[dict[str, Guess], str | None]:
    """(mappings for values the built-in yes/no words do not read, a TODO when some cannot be guessed)."""
    unknown = [value for value in distinct_values(series) if yes_no(value) is None]
    if not unknown:
        return {}, None
    return {}, (
        f"the values {', '.join(repr(v) for v in unknown[:8])} of column {column!r} are not yes/no words: "
        "map each to yes or no here"
    )


def category_values(column: Column, header: str, series: pd.Series) -> tuple[dict[str, Guess], str | None]:
    """Guessed mappings for a category column's values (clean / messy, build_team / service_desk)."""
    words = {
        "data_tier": (("clean", CLEAN_WORDS), ("messy", MESSY_WORDS)),
        "channel": (("build_team", BUILD_TEAM_WORDS), ("service_desk", SERVICE_DESK_WORDS)),
    }.get(column.name, ())
    guesses: dict[str, Guess] = {}
    unsure: list[str] = []
    for value in distinct_values(series):
        if value_key(value) in {value_key(accepted) for accepted in column.accepted}:
            continue
        target = _by_words(value, words)
        if target is None:
            unsure.append(value)
        else:
            guesses[value] = Guess(target, f"guessed from the word {target[1]!r}")
    mapped = {value: Guess(guess.value[0], guess.why) for value, guess in guesses.items()}
    todo = None
    if unsure:
        todo = (
            f"the values {', '.join(repr(v) for v in unsure[:8])} of column {header!r} could not be placed: map "
            f"each to {' | '.join(column.accepted)}"
        )
    return mapped, todo


def _by_words(value: str, words: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, str] | None:
    padded = f" {value_key(value)} "
    hits = [
        (target, word)
        for target, vocabulary in words
        for word in vocabulary
        if re.search(rf"(?<![\w]){re.escape(word.strip())}(?![\w])", padded)
    ]
    targets = {target for target, _ in hits}
    return hits[0] if len(targets) == 1 else None

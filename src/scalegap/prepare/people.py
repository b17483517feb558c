"""Linking people to the roster the way exports name them, in one place for every table.

An export names a person by an employee id, an e-mail address (any letter case),
a tool login, or a display name ("Anna Berg", "Berg, Anna").  :class:`PeopleIndex`
looks each reference up in that order against the roster's ``person_id``,
``email``, ``login`` and ``name`` columns.  A display name links only when it
matches exactly one roster person; a name shared by several people is
*ambiguous* and links to nobody.  :func:`link` returns each row's
``person_id`` with how it was linked, and a :class:`LinkReport` of what linking
achieved for the table (shown by ``scalegap validate`` and in the intake chapter;
its examples are for the consultant's console only, never for the book).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: how a row was linked, in the order references are tried
KEYS = ("person_id", "email", "login", "name")
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
_EXAMPLES = 3


def name_key(name: object) -> str | None:
    """A display name as compared: letter case and spacing ignored, ``Family, Given`` turned round."""
    if not isinstance(name, str) or not name.strip():
        return None
    text = name.strip()
    if text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        text = f"{given} {family}"
    return " ".join(re.sub(r"[\"'()]", " ", text).split()).casefold() or None


def _plain_key(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().casefold()


@dataclass(frozen=True)
class LinkReport:
    """What linking achieved for one table: rows, how many linked by each key, ambiguous, unmatched."""

    table: str
    rows: int
    by_key: dict[str, int]
    ambiguous: int
    unmatched: int
    ambiguous_examples: tuple[str, ...] = ()
    unmatched_examples: tuple[str, ...] = ()

    @property
    def linked(self) -> int:
        return sum(self.by_key.values())

    @property
    def linked_share(self) -> float | None:
        return self.linked / self.rows if self.rows else None

    def summary(self, examples: bool = True) -> str:
        """One line: shares, and with ``examples`` some of the references (personal data: the console only, never
        the manifest or the book)."""
        if not self.rows:
            return f"{self.table}: no rows to link"
        how = ", ".join(f"{count:,} by {key.replace('_', ' ')}" for key, count in self.by_key.items() if count)
        text = (
            f"{self.table}: {self.linked:,} of {self.rows:,} rows linked to the roster "
            f"({self.linked_share:.0%}{'; ' + how if how else ''})"
        )
        if self.ambiguous:
            text += f"; {self.ambiguous:,} ambiguous (a name shared by several people" + (
                f", e.g. {', '.join(self.ambiguous_examples)})" if examples else ")"
            )
        if self.unmatched:
            text += f"; {self.unmatched:,} not in the roster" + (
                f" (e.g. {', '.join(self.unmatched_examples)})" if examples else ""
            )
        return text


@dataclass(frozen=True)
class PeopleIndex:
    """The roster's people by each key a reference can be looked up by."""

    ids: frozenset[str]
    by_email: dict[str, str] = field(default_factory=dict)
    by_login: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    shared_names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, roster: pd.DataFrame) -> PeopleIndex:
        ids = frozenset(roster["person_id"].dropna().astype(str))
        names = _keyed(roster, "name", name_key)
        counts = names.value_counts()
        unique = names[names.map(counts).eq(1)]
        return cls(
            ids,
            _lookup(roster, "email"),
            _lookup(roster, "login"),
            dict(zip(unique, roster.loc[unique.index, "person_id"])),
            frozenset(counts[counts > 1].index),
        )

    def resolve(self, reference: object) -> tuple[str | None, str]:
        """(person_id, how) for one reference: how is a key of :data:`KEYS`, ``ambiguous`` or ``unmatched``."""
        if not isinstance(reference, str) or not reference.strip():
            return None, UNMATCHED
        text = reference.strip()
        if text in self.ids:
            return text, "person_id"
        plain = text.casefold()
        for how, lookup in (("email", self.by_email), ("login", self.by_login)):
            if plain in lookup:
                return lookup[plain], how
        key = name_key(text)
        if key in self.by_name:
            return self.by_name[key], "name"
        return None, AMBIGUOUS if key in self.shared_names else UNMATCHED


def _keyed(roster: pd.DataFrame, column: str, key: Callable[[object], str | None]) -> pd.Series:
    if column not in roster:
        return pd.Series([], dtype="object")
    return roster[column].map(key).dropna()


def _lookup(roster: pd.DataFrame, column: str) -> dict[str, str]:
    keys = _keyed(roster, column, _plain_key)
    keys = keys[~keys.duplicated(keep=False)]
    return dict(zip(keys, roster.loc[keys.index, "person_id"]))


@dataclass(frozen=True)
class Links:
    """What :func:`link_codes` found for each row, as arrays: ``person`` indexes ``ids`` (-1: nobody)."""

    ids: list[str]
    person: np.ndarray
    how: np.ndarray
    report: LinkReport

    def person_ids(self, index: pd.Index) -> pd.Series:
        """Each row's person id, missing (None) where it links to nobody."""
        return pd.Series(np.array([*self.ids, None], dtype=object)[self.person], index=index, dtype="object")


def link(
    frame: pd.DataFrame, index: PeopleIndex, table: str, references: Sequence[str] = ("person_id", "email", "login")
) -> tuple[pd.DataFrame, LinkReport]:
    """Each row's ``person_id`` from the first of its ``references`` columns that links; ``linked_by`` says how."""
    found = link_codes(frame, index, table, references)
    linked = frame.assign(person_id=found.person_ids(frame.index), linked_by=found.how)
    return linked, found.report


def link_codes(
    frame: pd.DataFrame, index: PeopleIndex, table: str, references: Sequence[str] = ("person_id", "email", "login")
) -> Links:
    """:func:`link` as arrays: each distinct reference is resolved once, and the answer spread back to its rows
    by code (a usage table's millions of rows name a few thousand people)."""
    person = np.full(len(frame), -1, dtype="int64")
    ids: dict[str, int] = {}
    how = np.full(len(frame), UNMATCHED, dtype=object)
    shown = np.full(len(frame), None, dtype=object)
    for column in (name for name in references if name in frame):
        given = frame[column]
        open_rows = np.flatnonzero((person < 0) & given.notna().to_numpy())
        if not len(open_rows):
            continue
        codes, distinct = pd.factorize(given.iloc[open_rows], use_na_sentinel=False)
        resolved = [index.resolve(value) for value in distinct.tolist()]
        found = np.array([-1 if pid is None else ids.setdefault(pid, len(ids)) for pid, _ in resolved])[codes]
        kind = np.array([way for _, way in resolved], dtype=object)[codes]
        hit = found >= 0
        person[open_rows[hit]] = found[hit]
        how[open_rows[hit]] = kind[hit]
        how[open_rows[~hit & (kind == AMBIGUOUS)]] = AMBIGUOUS
        first = open_rows[pd.isna(shown[open_rows])]
        shown[first] = given.iloc[first].to_numpy(dtype=object)
    report = report_of(table, pd.Series(how, dtype="object"), pd.Series(shown, dtype="object"))
    return Links(list(ids), person, how, report)


def report_of(table: str, how: pd.Series, references: pd.Series) -> LinkReport:
    counts = how.value_counts()
    return LinkReport(
        table,
        len(how),
        {key: int(counts.get(key, 0)) for key in KEYS},
        int(counts.get(AMBIGUOUS, 0)),
        int(counts.get(UNMATCHED, 0)),
        _examples(references[how.eq(AMBIGUOUS)]),
        _examples(references[how.eq(UNMATCHED)]),
    )


def _examples(references: pd.Series) -> tuple[str, ...]:
    distinct = references.dropna().astype(str).str.strip()
    return tuple(repr(value) for value in distinct[distinct.ne("")].drop_duplicates().head(_EXAMPLES))


def pseudonym(reference: object) -> str | None:
    """A stable stand-in for a reference that links to nobody: counts of distinct people stay right, and no
    name or address of someone outside the roster reaches the prepared data."""
    if not isinstance(reference, str) or not reference.strip():
        return None
    return "unlinked-" + hashlib.sha256(reference.strip().casefold().encode()).hexdigest()[:10]

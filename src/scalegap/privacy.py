"""Privacy rules applied to everything the book shows.

* no respondent-level identifiers (tables are aggregates by segment);
* any group smaller than the minimum group size is suppressed, and said so;
* free text (survey answers, governance evidence, ticket text) passes through one redaction,
  :meth:`Redactor.redact`, built once per prepared package with :meth:`Redactor.of`; it is quoted only when
  the respondents it is drawn from are at least the minimum group size (:func:`quotable`), and not at all
  when ``privacy.redact_free_text`` is false (:attr:`Redactor.withheld`).

What is redacted, each replaced by a placeholder: every identifier value in the prepared tables (roster
ids, e-mails, logins and names, survey response ids, person references and e-mails, usage and seat logins and
e-mails, ticket and outcome person ids; ``[id]``, ``[e-mail]``, ``[name]``) and tokens shaped like the roster's
ids or like Qualtrics ResponseIds (``[id]``); any e-mail address (``[e-mail]``), telephone number
(``[phone]``), IPv4 / IPv6 address (``[address]``), URL with a query string (``[link]``), ``DOMAIN\\user``
logon name or ``@handle`` (``[id]``); and person names by pattern: a capitalised given name from
``data/given_names.txt`` followed by a capitalised surname (``[name]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from scalegap.names import PARTICLES, WORD, fold, given_names, person_by_pattern, sentence_start

SUPPRESSED = "suppressed"
#: what a reader sees in place of a figure suppressed for privacy (and nothing beside it)
SUPPRESSED_MARK = "suppressed"
WITHHELD = (
    "Free text is withheld: privacy.redact_free_text is false in assessment.yml, so no quotation or "
    "evidence text is published."
)

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]]+", re.IGNORECASE)
_IPV4 = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w]|\.\d)")
_HEX = r"[0-9A-Fa-f]{1,4}"
_IPV6 = re.compile(
    rf"(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX}:){{1,7}}:(?:{_HEX}(?::{_HEX}){{0,6}})?"
    rf"|::{_HEX}(?::{_HEX}){{0,6}})(?![\w:])"
)
_RESPONSE_ID = re.compile(r"(?<![\w])R_[A-Za-z0-9]{10,20}(?![\w])")
_LOGON = re.compile(r"(?<![\w\\])[A-Za-z][A-Za-z0-9-]{1,14}\\[A-Za-z0-9._-]{2,}")
_HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9][A-Za-z0-9_-]{1,38}(?![\w@])")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ()./-]{6,}\d(?![\w])")
_DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_ID_TOKEN = re.compile(r"[^\s,;()\[\]{}<>\"“”‘’'!?|/]+")
_PLACEHOLDER = re.compile(r"\[(?:id|e-mail|name|phone|address|link)\]")
#: the prepared tables' columns that identify people (``name`` ... only as names, never as single tokens)
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("person_id", "email", "login", "name", "given_name", "family_name"),
    "survey": ("response_id", "person_ref", "email"),
    "usage": ("person_id", "email", "login"),
    "seats": ("person_id", "email", "login"),
    "tickets": ("person_id",),
    "outcomes": ("person_id",),
}
_NAME_COLUMNS = frozenset({"name", "given_name", "family_name"})
#: logins of service accounts and bots that are also ordinary words: never matched as identifiers
_SERVICE_WORDS = frozenset(
    "admin administrator support service system tester testing guest users copilot github "
    "helpdesk noreply anonymous unknown training external contractor pilot".split()
)
_NAME_GAP = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]+")


@dataclass(frozen=True)
class Redactor:
    """Removes personal data from free text; built once per prepared package with :meth:`of`.

    ``identifiers`` are single tokens (ids, e-mails, logins), ``full_names`` are names of two or more words
    (both orders, commas dropped), ``name_parts`` single given and family names, all case-folded;
    ``id_shape`` matches tokens shaped like the package's ids.  ``withheld``: ``privacy.redact_free_text``
    is false, so no free text is published at all (see :meth:`publish`).
    """

    identifiers: frozenset[str] = frozenset()
    full_names: frozenset[str] = frozenset()
    name_parts: frozenset[str] = frozenset()
    id_shape: re.Pattern[str] | None = None
    withheld: bool = False

    @classmethod
    def of(cls, package: Any) -> Redactor:
        """The redactor of a prepared package (or anything with ``has``, ``table`` and ``settings``)."""
        withheld = not bool(getattr(package.settings.privacy, "redact_free_text", True))
        path = getattr(package, "path", None)
        if path is not None and (Path(path) / "manifest.json").is_file():
            stamp = (Path(path) / "manifest.json").stat().st_mtime_ns
            return _cached(str(Path(path).resolve()), stamp, withheld)
        return cls.from_tables(lambda table, columns: _columns_of(package, table, columns), withheld)

    @classmethod
    def from_tables(cls, read: Any, withheld: bool = False) -> Redactor:
        """``read(table, columns)`` gives the distinct rows of those of ``columns`` the table has, as text."""
        frames = {table: read(table, columns) for table, columns in ID_COLUMNS.items()}
        tickets = frames["tickets"]
        if "person_id" in tickets:
            frames["tickets"] = tickets[~tickets["person_id"].fillna("").str.startswith("unlinked-")]
        values = {
            value
            for table, frame in frames.items()
            for column in frame.columns
            if column in ID_COLUMNS[table] and column not in _NAME_COLUMNS
            for value in frame[column].dropna()
        }
        full, parts = _roster_names(frames["roster"])
        for local in {value.split("@")[0] for value in values if "@" in value}:
            keys, pieces = _email_names(local)
            full, parts = full | keys, parts | pieces
            if re.search(r"[\d._-]", local):
                values.add(local)
        shapes = [
            value
            for table, column in (("roster", "person_id"), ("survey", "person_ref"), ("survey", "response_id"))
            if column in frames[table]
            for value in frames[table][column].dropna()
        ]
        return cls(
            frozenset(v.casefold() for v in values if _identifier_worth_matching(v)),
            frozenset(full),
            frozenset(parts),
            id_shape_pattern(shapes),
            withheld,
        )

    def redact(self, text: Any) -> str | None:
        """The text with every kind of personal data above replaced by its placeholder; None stays None."""
        if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
            return None
        cleaned = _URL.sub(_url, str(text))
        cleaned = EMAIL.sub("[e-mail]", cleaned)
        cleaned = _LOGON.sub("[id]", cleaned)
        cleaned = _IPV6.sub("[address]", _IPV4.sub("[address]", cleaned))
        cleaned = _RESPONSE_ID.sub("[id]", cleaned)
        if self.id_shape is not None:
            cleaned = self.id_shape.sub("[id]", cleaned)
        cleaned = _HANDLE.sub("[id]", _PHONE.sub(_phone, cleaned))
        if self.identifiers:
            cleaned = _ID_TOKEN.sub(self._identifier, cleaned)
        return self._names(cleaned)

    def publish(self, text: Any) -> str | None:
        """:meth:`redact`, or None when free text is withheld (``privacy.redact_free_text`` false)."""
        return None if self.withheld else self.redact(text)

    def _identifier(self, match: re.Match[str]) -> str:
        token = match.group(0)
        core = token.rstrip(".:").lstrip("@#")
        if _PLACEHOLDER.match(match.string, max(match.start() - 1, 0)) or core.casefold() not in self.identifiers:
            return token
        return token.replace(core, "[e-mail]" if "@" in core else "[id]", 1)

    def _names(self, text: str) -> str:
        words = [m for m in WORD.finditer(text) if not _inside_placeholder(text, m)]
        spans: list[tuple[int, int]] = []
        index = 0
        while index < len(words):
            end = self._full_name(text, words, index) or person_by_pattern(text, words, index)
            if end is None and self._name_part(text, words[index]):
                end = index + 1
            if end is None:
                index += 1
                continue
            spans.append((words[index].start(), words[end - 1].end()))
            index = end
        for start, stop in reversed(spans):
            text = text[:start] + "[name]" + text[stop:]
        return text

    def _full_name(self, text: str, words: list[re.Match[str]], index: int) -> int | None:
        """The end of the longest roster full name starting at ``words[index]`` (any case, comma allowed)."""
        for length in (4, 3, 2):
            chunk = words[index : index + length]
            if len(chunk) < length or not all(
                _NAME_GAP.fullmatch(text[a.end() : b.start()]) for a, b in zip(chunk, chunk[1:])
            ):
                continue
            if " ".join(fold(w.group(0)) for w in chunk) in self.full_names:
                return index + length
        return None

    def _name_part(self, text: str, word: re.Match[str]) -> bool:
        """A roster given or family name written as a name: capitalised, and at a sentence's start only when it
        is also a common given name (so that 'Price is too high' keeps its first word)."""
        token = word.group(0)
        if not token[0].isupper() or fold(token) not in self.name_parts:
            return False
        return not sentence_start(text, word.start()) or fold(token) in given_names()


@lru_cache(maxsize=8)
def _cached(path: str, stamp: int, withheld: bool) -> Redactor:
    return Redactor.from_tables(lambda table, columns: _parquet_columns(Path(path), table, columns), withheld)


def _parquet_columns(path: Path, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
    file = path / f"{table}.parquet"
    if not file.is_file():
        return pd.DataFrame()
    present = [c for c in columns if c in set(pq.read_schema(file).names)]
    return _as_text(pd.read_parquet(file, columns=present)) if present else pd.DataFrame()


def _columns_of(package: Any, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
    if not package.has(table):
        return pd.DataFrame()
    frame = package.table(table)
    return _as_text(frame[[c for c in columns if c in frame]])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The distinct rows, every value trimmed text or None."""
    if frame.columns.empty:
        return pd.DataFrame()
    text = frame.drop_duplicates().apply(lambda column: column.map(_text)) if len(frame) else frame.astype(object)
    return text.drop_duplicates().reset_index(drop=True)


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _identifier_worth_matching(value: str) -> bool:
    """Single-token values that do not blank ordinary words: 2+ characters with a digit, '@', '.' or '_' (4+
    digits when only digits); letters only, 5+ and not a service account's word ('support', 'admin' ...)."""
    if not value or any(char.isspace() for char in value):
        return False
    if value.isdigit():
        return len(value) >= 4  # shorter numbers are ordinary numbers
    if re.search(r"[\d@._]", value):
        return len(value) >= 2
    return len(value) >= 5 and value.casefold() not in _SERVICE_WORDS


def _roster_names(roster: pd.DataFrame) -> tuple[set[str], set[str]]:
    """(full names in both orders, single name parts) from the roster's name, given_name and family_name:
    'Shah, Priya' is family, given; 'Priya Shah' given (the first word), family."""
    full: set[str] = set()
    parts: set[str] = set()
    for row in roster.reindex(columns=sorted(_NAME_COLUMNS)).itertuples(index=False):
        name, given_name, family_name = (_text(value) or "" for value in (row.name, row.given_name, row.family_name))
        pairs = [(given_name.split(), family_name.split())]
        if name:
            family, comma, given = name.partition(",")
            words = name.split()
            pairs.append((given.split(), family.split()) if comma else (words[:1], words[1:]))
        for given_words, family_words in pairs:
            if given_words and family_words:
                full |= {
                    " ".join(fold(w) for w in given_words + family_words),
                    " ".join(fold(w) for w in family_words + given_words),
                }
            parts |= {fold(w) for w in given_words + family_words if _name_part_worth_matching(w)}
    return full, parts


def _email_names(local: str) -> tuple[set[str], set[str]]:
    """'priya.shah' -> ({'priya shah', 'shah priya'}, {'priya', 'shah'}): only when one end of a two- or
    three-part address is a common given name, so 'ai.pilot.test' or 'svc.gateway' give nothing."""
    pieces = [p for p in re.split(r"[._-]+", local) if p]
    if (
        not 2 <= len(pieces) <= 3
        or not all(p.isalpha() for p in pieces)
        or not {fold(pieces[0]), fold(pieces[-1])} & given_names()
    ):
        return set(), set()
    keys = {" ".join(fold(p) for p in pieces), " ".join(fold(p) for p in pieces[1:] + pieces[:1])}
    return keys, {fold(p) for p in pieces if _name_part_worth_matching(p)}


def _name_part_worth_matching(word: str) -> bool:
    return len(word) >= 3 and word.casefold() not in PARTICLES and any(char.isalpha() for char in word)


def _digit_run(fewest: int, most: int) -> str:
    """A regular expression for ``fewest`` to ``most`` digits."""
    return rf"\d{{{fewest},{most}}}"


def id_shape_pattern(ids: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for tokens shaped like most of ``ids``: letters and separators as they are, digit runs of the
    lengths seen (one more allowed).  'E10001' ... 'E10412' give ``E\\d{5,6}``.  Shapes that fewer than a tenth
    of the ids (or fewer than 3) share are left out; so are digit runs under 3 and numbers without letters under 5
    digits, which would blank ordinary numbers."""
    shapes: dict[tuple[str, ...], list[list[int]]] = {}
    values = [str(value).strip() for value in ids if str(value).strip()]
    for value in values:
        runs = re.findall(r"\d+|\D+", value)
        key = tuple("#" if run.isdigit() else run.upper() for run in runs)
        shapes.setdefault(key, []).append([len(run) for run in runs if run.isdigit()])
    alternatives = []
    for key, lengths in sorted(shapes.items(), key=lambda item: -len(item[1]))[:5]:
        if len(lengths) < max(3, len(values) / 10) or "#" not in key:
            continue
        low, high = [min(col) for col in zip(*lengths)], [max(col) + 1 for col in zip(*lengths)]
        lettered = any(part != "#" and re.search(r"[^\W\d_]", part) for part in key)
        if min(low) < 3 or (not lettered and min(low) < 5):
            continue
        digits = iter(zip(low, high))
        alternatives.append("".join(_digit_run(*next(digits)) if part == "#" else re.escape(part) for part in key))
    if not alternatives:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.IGNORECASE)


def _inside_placeholder(text: str, word: re.Match[str]) -> bool:
    return text[word.start() - 1 : word.start()] == "[" and _PLACEHOLDER.match(text, word.start() - 1) is not None


def _url(match: re.Match[str]) -> str:
    """A URL with a query string (or user name) becomes ``[link]``; others stay (trailing punctuation kept)."""
    url = match.group(0)
    core = url.rstrip(".,;:!?)")
    query = core.partition("?")[2]
    return ("[link]" + url[len(core) :]) if query or "@" in core else url


def _phone(match: re.Match[str]) -> str:
    """8 to 15 digits (E.164 allows 15) in a run that is not a date: a telephone number."""
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if not 8 <= digits <= 15 or _DATE_LIKE.search(text):
        return text
    return "[phone]"


def quotable(respondents: pd.Series, min_group_size: int) -> bool:
    """May text drawn from these respondents be quoted?  Only when they are at least ``min_group_size`` people
    (the one minimum-group-size rule for free text, as for every figure)."""
    return int(pd.Series(respondents).dropna().nunique()) >= min_group_size


def respondent_keys(survey: pd.DataFrame) -> pd.Series:
    """Who gave each survey response: the linked person, else the e-mail, the person reference or the response
    id (one per response when the survey has none of them)."""
    key = pd.Series([None] * len(survey), index=survey.index, dtype="object")
    for column in ("person_id", "email", "person_ref", "response_id"):
        if column in survey:
            values = survey[column].astype("string").str.strip().str.casefold()
            key = key.fillna(values.where(values.fillna("").ne("")).astype("object"))
    return key.fillna(pd.Series(survey.index.astype(str), index=survey.index).radd("row-"))


#: where a suppressed table carries the minimum group size it was suppressed with (in pandas' ``DataFrame.attrs``,
#: which copies, selections and renames keep), so the note beside it states the rule without being told again
MINIMUM = "min_group_size"


def minimum_of(frame: pd.DataFrame) -> int | None:
    """The minimum group size ``frame`` was suppressed with (None: it was not suppressed here)."""
    value = frame.attrs.get(MINIMUM)
    return int(value) if value is not None else None


def keep_minimum(frame: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """``frame``, built anew from the suppressed ``source``, carrying the same minimum group size."""
    if MINIMUM in source.attrs:
        frame.attrs[MINIMUM] = source.attrs[MINIMUM]
    return frame


def suppress_small_groups(
    frame: pd.DataFrame, size_column: str, min_group_size: int, columns: list[str] | None = None
) -> pd.DataFrame:
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
    result.attrs[MINIMUM] = min_group_size
    return result


def suppress_small_counts(
    frame: pd.DataFrame, count_column: str, min_group_size: int, derived: list[str] | None = None
) -> pd.DataFrame:
    """Blank a count of people (and figures derived from it) where it is 1..min_group_size-1.

    A zero is kept: it identifies no one.
    """
    result = frame.copy()
    small = (result[count_column] > 0) & (result[count_column] < min_group_size)
    for column in [count_column, *(derived or [])]:
        result[column] = result[column].astype("float64").where(~small)
    mark_suppressed(result, small.to_numpy())
    result.attrs[MINIMUM] = min_group_size
    return result


def mark_suppressed(frame: pd.DataFrame, rows: Any) -> None:
    """Mark ``rows`` (a boolean array) of ``frame`` ``suppressed``, keeping the rows marked before."""
    before = frame[SUPPRESSED].to_numpy(dtype=bool) if SUPPRESSED in frame else False
    frame[SUPPRESSED] = before | np.asarray(rows, dtype=bool)


def suppression_note(frame: pd.DataFrame, min_group_size: int) -> str:
    count = int(frame[SUPPRESSED].sum()) if SUPPRESSED in frame else 0
    if count == 0:
        return f"No figure in this table describes fewer than {min_group_size} people (the minimum group size)."
    rows = "1 row" if count == 1 else f"{count:,} rows"
    return (
        f"Figures describing fewer than {min_group_size} people are suppressed (shown as “{SUPPRESSED_MARK}”) in "
        f"{rows}, so that no one can be recognised from them; {min_group_size} is the minimum group size."
    )


# --- complementary suppression: the one rule for groups whose total is shown -------------------------------


def complement_to_hide(counts: pd.Series, hidden: pd.Series, minimum: int) -> pd.Series:
    """The cells to hide among groups that add up to a total shown elsewhere, given the people behind each
    (``counts``, before suppression) and the cells already hidden (``hidden``).

    While the hidden cells hold 1..minimum − 1 people together, the total minus the shown cells would reveal
    them: the smallest shown non-empty cell is hidden too, until the hidden cells hold nobody or at least
    ``minimum`` people (or nothing is left to hide).  Counts [2, 2, 9] with minimum 5: all three are hidden.
    """
    values = pd.Series(counts, copy=True).fillna(0).astype(float)
    hide = pd.Series(hidden, index=values.index).fillna(False).astype(bool)
    while 0 < values[hide].sum() < minimum and ((values > 0) & ~hide).any():
        hide[values.where((values > 0) & ~hide).idxmin()] = True
    return hide


def cells_to_hide(counts: pd.Series, minimum: int) -> pd.Series:
    """Primary and complementary suppression of counts of people that add up to a shown total: the cells of
    1..minimum − 1 people, and then their complement (:func:`complement_to_hide`).  Once any cell is hidden, its
    empty cells are hidden too: a reader sees the suppressed mark alone, never a "0" beside it."""
    values = pd.Series(counts).fillna(0).astype(float)
    hide = complement_to_hide(values, (values > 0) & (values < minimum), minimum)
    return hide | (values == 0) if hide.any() else hide


def hide_complement(
    frame: pd.DataFrame, counts: pd.Series, hidden: pd.Series, columns: list[str], minimum: int
) -> pd.DataFrame:
    """Blank ``columns`` of the rows :func:`complement_to_hide` adds to the ``hidden`` rows of ``frame``, and
    mark them ``suppressed``."""
    hide = complement_to_hide(counts, hidden, minimum).to_numpy()
    result = frame.copy()
    for column in columns:
        result[column] = result[column].astype("float64").where(~hide)
    mark_suppressed(result, hide)
    result.attrs[MINIMUM] = minimum
    return result


def hide_cells(
    frame: pd.DataFrame,
    columns: list[str],
    minimum: int,
    derived: dict[str, list[str]] | None = None,
    by_row: bool = True,
) -> pd.DataFrame:
    """Apply :func:`cells_to_hide` to ``columns`` of every row (or down every column), blanking the hidden
    counts and the figures ``derived`` from each; rows with a hidden cell are marked ``suppressed``."""
    result = frame.copy()
    counts = result[columns].astype("float64")
    mask = (
        counts.apply(lambda row: cells_to_hide(row, minimum), axis=1)
        if by_row
        else counts.apply(lambda column: cells_to_hide(column, minimum), axis=0)
    )
    for column in columns:
        for target in [column, *(derived or {}).get(column, [])]:
            result[target] = result[target].astype("float64").where(~mask[column])
    flagged = mask.any(axis=1).to_numpy()
    mark_suppressed(result, flagged)
    result.attrs[MINIMUM] = minimum
    return result

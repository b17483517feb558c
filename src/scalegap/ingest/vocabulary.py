"""What export values mean: the built-in yes/no words, and the ``values:`` mappings of assessment.yml.

Every yes/no (``flag``) and category field of every table can be mapped under
``exports.<table>.values``::

    exports:
      roster:
        values:
          in_pilot: {"Welle 1": yes, "Welle 2": no}
      outcomes:
        columns: {data_tier: Aktenqualität}
        values:
          data_tier: {ok: clean, partial: messy, scanned: messy}

Export values are compared trimmed and without letter case.  A yes/no field
reads the mapping first, then the built-in words of :data:`YES_NO` (English,
German, French, Spanish, Portuguese, Italian, Dutch, the Nordic languages,
true/false, 1/0, y/n, x/blank).  A value neither knows is reported with the
distinct values seen and the YAML line to add (:func:`unmapped_values_note`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from scalegap.canonical import SCHEMAS, field_of
from scalegap.errors import ConfigurationError, ScalegapError, raise_all
from scalegap.settings import ExportSettings

#: language -> (words for yes, words for no), compared without letter case
YES_NO: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "symbols": (
        ("true", "t", "1", "y", "x", "✓", "✔", "+", "on", "1.0"),
        ("false", "f", "0", "n", "", "-", "off", "0.0"),
    ),
    "en": (("yes",), ("no",)),
    "de": (("ja", "j", "wahr"), ("nein", "falsch")),
    "fr": (("oui", "o", "vrai"), ("non", "faux")),
    "es": (("sí", "si", "s", "verdadero"), ("no", "falso")),
    "pt": (("sim", "s", "verdadeiro"), ("não", "nao", "falso")),
    "it": (("sì", "si", "vero"), ("no", "falso")),
    "nl": (("ja", "j", "waar"), ("nee", "onwaar")),
    "sv": (("ja", "j", "sant"), ("nej", "falskt")),
    "da": (("ja", "j", "sand"), ("nej", "falsk")),
    "nb": (("ja", "j", "sann"), ("nei", "usann")),
    "fi": (("kyllä", "k", "tosi"), ("ei", "epätosi")),
    "is": (("já",), ("nei",)),
}
TRUE_WORDS = frozenset(word for yes, _ in YES_NO.values() for word in yes)
FALSE_WORDS = frozenset(word for _, no in YES_NO.values() for word in no)
#: how a mapping's target may say yes or no (YAML's own booleans arrive as True / False)
_TARGET_YES = frozenset({"yes", "true", "y", "1"})
_TARGET_NO = frozenset({"no", "false", "n", "0"})


def value_key(value: Any) -> str:
    """How an export value is compared: trimmed, without letter case."""
    return str(value).strip().casefold()


def yes_no(word: str) -> bool | None:
    """The built-in reading of a yes/no word; None when it is not one."""
    key = value_key(word)
    return True if key in TRUE_WORDS else False if key in FALSE_WORDS else None


def values_field(table: str, name: str) -> str:
    return f"exports.{table}.values.{name}"


def check_value_maps(table: str, export: ExportSettings) -> None:
    """Every ``values:`` entry names a yes/no or category field of the table and maps to what it accepts."""
    errors: list[ScalegapError] = []
    mappable = [column.name for column in SCHEMAS[table] if column.takes_values]
    for name, mapping in export.values.items():
        column = field_of(table, name)
        if column is None or not column.takes_values:
            errors.append(
                ConfigurationError(
                    f"unknown value mapping {name!r} for {table}",
                    column=f"exports.{table}.values",
                    hint=f"fields of {table} that take values: {', '.join(mappable) or 'none'}",
                )
            )
            continue
        for raw, target in (mapping or {}).items():
            if _target(column.kind, column.accepted, target) is None:
                wanted = "yes or no" if column.kind == "flag" else " | ".join(column.accepted)
                errors.append(
                    ConfigurationError(
                        f"{name} value {raw!r} is mapped to {target!r}",
                        column=values_field(table, name),
                        hint=f"map each value to {wanted}",
                    )
                )
    raise_all(errors)


def _target(kind: str, accepted: tuple[str, ...], target: Any) -> bool | str | None:
    if kind == "flag":
        if isinstance(target, bool):
            return target
        key = value_key(target)
        return True if key in _TARGET_YES else False if key in _TARGET_NO else None
    by_key = {value_key(value): value for value in accepted}
    return by_key.get(value_key(target)) if target is not None else None


def value_map(table: str, name: str, export: ExportSettings) -> dict[str, Any]:
    """``values.<name>`` with keys compared as :func:`value_key` and targets as the field stores them.

    A key YAML read as a boolean (an unquoted ``yes`` or ``no``) arrives from the settings as ``yes`` or ``no``.
    """
    column = field_of(table, name)
    mapping: Mapping[Any, Any] = export.values.get(name) or {}
    if column is None:
        return {}
    result: dict[str, Any] = {}
    for raw, target in mapping.items():
        value = _target(column.kind, column.accepted, target)
        result.setdefault(value_key(raw), value)
    return result


def read_flags(series: pd.Series, mapping: Mapping[str, bool]) -> tuple[pd.Series, pd.Series]:
    """(parsed booleans, mask of values that are neither mapped nor a built-in yes/no word)."""
    keys = series.fillna("").astype(str).map(value_key)
    words = {**{word: True for word in TRUE_WORDS}, **{word: False for word in FALSE_WORDS}, **mapping}
    parsed = keys.map(words)
    bad = parsed.isna()
    return parsed.where(~bad, False).astype(bool), bad


def read_categories(
    series: pd.Series, mapping: Mapping[str, str], accepted: tuple[str, ...]
) -> tuple[pd.Series, pd.Series]:
    """(canonical values, mask of given values the mapping does not name); accepted values read as themselves."""
    keys = series.fillna("").astype(str).map(value_key)
    words = {**{value_key(value): value for value in accepted}, **mapping}
    parsed = keys.map(words).astype("object")
    bad = parsed.isna() & keys.ne("")
    return parsed.where(parsed.notna(), None), bad


def unmapped_values_note(table: str, name: str, column: str, given: pd.Series, bad: pd.Series) -> str:
    """The distinct unreadable values of a column, and the exact YAML that maps them."""
    counts = given[bad.to_numpy()].fillna("").astype(str).str.strip().value_counts()
    shown = ", ".join(f"{value!r} ({count} rows)" for value, count in counts.head(8).items())
    more = f" and {len(counts) - 8} more" if len(counts) > 8 else ""
    field = field_of(table, name)
    target = "yes|no" if field is None or field.kind == "flag" else "|".join(field.accepted)
    entries = ", ".join(f"{_yaml_key(value)}: {target}" for value in counts.head(8).index)
    return (
        f"column {column!r} ({name}) has values scalegap cannot read: {shown}{more} — add to assessment.yml "
        f"under exports.{table}: values: {{{name}: {{{entries}}}}}"
    )


def _yaml_key(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

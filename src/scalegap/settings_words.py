"""The settings as a user reads them: each of pydantic's errors in scalegap's words, blamed on where the value came
from (the shipped defaults, the client's assessment.yml with its row, or ``--set``), and the resolved settings
with the origin of every value.

The one place for the wording of a settings error: :func:`explain`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from scalegap.errors import ConfigurationError
from scalegap.vocabulary import TABLES

#: where a value came from, lowest precedence first
DEFAULT, FILE, SET = "default", "assessment.yml", "--set"


@dataclass(frozen=True)
class Sources:
    """The three layers merged into the settings: the defaults, the client's file (and its text), the overrides."""

    defaults: dict[str, Any]
    client: dict[str, Any]
    overrides: dict[str, Any]
    path: Path | None = None
    text: str = ""

    def origin(self, keys: list[str]) -> str:
        """Which layer gave the value at ``keys``: the highest that has it."""
        if _holds(self.overrides, keys):
            return SET
        if _holds(self.client, keys):
            return FILE
        return DEFAULT

    def default(self, keys: list[str]) -> Any:
        node: Any = self.defaults
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node


def _holds(data: dict[str, Any], keys: list[str]) -> bool:
    node: Any = data
    for key in keys:
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return False
    return True


def dotted(keys: list[str]) -> str:
    """A setting's name as written in the docs: ``integration.workflows[0].mode``."""
    return "".join(f"[{key}]" if key.isdigit() else f".{key}" for key in keys).removeprefix(".")


def explain(errors: Sequence[Mapping[str, Any]], sources: Sources, model: type[BaseModel]) -> list[ConfigurationError]:
    """pydantic's errors of ``model`` as scalegap's, one per setting, each blamed on its origin."""
    kept = _without_union_echoes(errors)
    explained = [_explain(error, sources, model) for error in kept]
    unique: dict[str, ConfigurationError] = {}
    for error in explained:
        unique.setdefault(error.one_line(), error)
    return list(unique.values())


def _is_union_branch(part: str) -> bool:
    """pydantic puts the union member's type name in an error's location; users never wrote it."""
    return part in {"[key]", "ExportSettings", "WarehouseExportSettings", "export-files"} or part.startswith("list[")


def _keys(error: Mapping[str, Any]) -> list[str]:
    return [str(part) for part in error["loc"] if not _is_union_branch(str(part))]


def _without_union_echoes(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Of a value that fits no member of a union (one export, or a list of them), the errors of the member the user
    meant: the one that got deeper into the value (a mapping with a bad field, not "must be a list")."""
    deepest: dict[tuple[str, ...], int] = {}
    for error in errors:
        prefix = _union_prefix(error["loc"])
        if prefix is not None:
            deepest[prefix] = max(deepest.get(prefix, 0), len(error["loc"]))
    return [
        error
        for error in errors
        if (prefix := _union_prefix(error["loc"])) is None or len(error["loc"]) == deepest[prefix]
    ]


def _union_prefix(loc: tuple[Any, ...]) -> tuple[str, ...] | None:
    for index, part in enumerate(loc):
        if _is_union_branch(str(part)) and str(part) != "[key]":
            return tuple(str(p) for p in loc[:index])
    return None


def _explain(error: Mapping[str, Any], sources: Sources, model: type[BaseModel]) -> ConfigurationError:
    keys = _keys(error)
    field = dotted(keys)
    origin = sources.origin(keys) if keys else FILE
    where: dict[str, Any] = {"file": SET} if origin == SET else {"file": sources.path}
    if origin != SET and sources.text and keys:
        where["row"] = _line_of(sources.text, keys)
    if error["type"] == "extra_forbidden":
        branches = [str(part) for part in error["loc"] if _is_union_branch(str(part))]
        return _unknown(keys, model, where, branches)
    if error["type"] == "literal_error" and keys[:1] == ["exports"]:
        table = keys[1] if len(keys) > 1 else "?"
        return ConfigurationError(
            f"unknown table {table!r} under exports", hint=f"allowed tables: {', '.join(TABLES)}", **where
        )
    if error["type"] in WHOLE and field:
        return ConfigurationError(
            f"setting {field!r} {WHOLE[error['type']]}", hint=_hint(field, origin, sources.default(keys)), **where
        )
    expected = expectation(error)
    if expected is None or not field:
        message = error["msg"].removeprefix("Value error, ")
        return ConfigurationError(f"setting {field!r}: {message}" if field else message, **where)
    return ConfigurationError(
        f"setting {field!r} must be {expected}, got {shown(error.get('input'))}",
        hint=_hint(field, origin, sources.default(keys)),
        **where,
    )


def _unknown(
    keys: list[str], model: type[BaseModel], where: dict[str, Any], branches: Sequence[str] = ()
) -> ConfigurationError:
    field = dotted(keys)
    allowed = _allowed_keys(model, keys[:-1], branches)
    close = difflib.get_close_matches(keys[-1], allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    hint += f"allowed here: {', '.join(sorted(allowed))}" if allowed else ""
    return ConfigurationError(f"unknown setting {field!r}", hint=hint or None, **where)


def _hint(field: str, origin: str, default: Any) -> str:
    scalars = isinstance(default, list) and not any(isinstance(item, dict | list) for item in default)
    example = (
        shown(default, quote=False) if default is not None and (scalars or not isinstance(default, dict | list)) else ""
    )
    if origin == SET:
        assignment = f"{field}={example}"
        return (
            f"e.g. --set {assignment if ' ' not in assignment else repr(assignment)}"
            if example
            else "correct the --set value"
        )
    if example:
        return f"correct it in assessment.yml (the default is {example}), or delete the line to use the default"
    return "correct it in assessment.yml"


#: pydantic's error types, as what a setting must be, in plain words
TYPES: dict[str, str] = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date without a time",
    "string_type": "text",
    "list_type": "a list, such as [a, b]",
    "dict_type": "a mapping of names to values",
    "model_type": "a mapping of settings",
    "model_attributes_type": "a mapping of settings",
}

#: pydantic's error types that say all there is to say without the value given
WHOLE: dict[str, str] = {"missing": "is missing", "string_too_short": "must not be empty"}

#: pydantic's error types that carry a bound (in ``ctx``), as what a setting must be
BOUNDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "greater_than_equal": lambda ctx: f"at least {shown(ctx['ge'], quote=False)}",
    "greater_than": lambda ctx: f"more than {shown(ctx['gt'], quote=False)}",
    "less_than_equal": lambda ctx: f"at most {shown(ctx['le'], quote=False)}",
    "less_than": lambda ctx: f"less than {shown(ctx['lt'], quote=False)}",
    "literal_error": lambda ctx: f"one of {ctx['expected']}",
    "too_short": lambda ctx: f"a list of at least {_items(ctx['min_length'])}",
    "too_long": lambda ctx: f"a list of at most {_items(ctx['max_length'])}",
}


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def expectation(error: Mapping[str, Any]) -> str | None:
    """What the setting must be, in plain words (None: an error of scalegap's own rules, already worded)."""
    if error["type"] in TYPES:
        return TYPES[error["type"]]
    if error["type"] in BOUNDS:
        return BOUNDS[error["type"]](error.get("ctx", {}))
    return None


def shown(value: Any, quote: bool = True) -> str:
    """A value as the user wrote it in YAML: text quoted, true / false, dates and lists as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value) if quote else value
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int | date):
        return str(value)
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()


def _allowed_keys(model: type[BaseModel], parent: list[str], branches: Sequence[str] = ()) -> list[str]:
    """The keys allowed under ``parent``; in a union, those of the member named in ``branches`` (pydantic's tag of
    the member the value was checked against, e.g. ``WarehouseExportSettings``), else of its last member."""
    current: Any = model
    for key in parent:
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if key in fields:
            current = _model_of(fields[key].annotation, branches)
        # else: a free key inside a dict[str, Model]: the model stays
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_of(annotation: Any, branches: Sequence[str] = ()) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if args:
        members = [_model_of(arg, branches) for arg in args]
        named = [member for member in members if getattr(member, "__name__", None) in branches]
        return named[0] if named else members[-1]
    return None


def _line_of(text: str, keys: list[str]) -> int | None:
    """1-based line of the deepest key of ``keys`` that exists in the YAML text."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next(((k, v) for k, v in node.value if k.value == key), None)
        if match is None:
            break
        line = match[0].start_mark.line + 1
        node = match[1]
    return line


def with_origins(resolved: dict[str, Any], sources: Sources) -> str:
    """The resolved settings as YAML, each value followed by the comment ``# default``, ``# assessment.yml`` or
    ``# --set``; the text loads back (any YAML reader) to the same settings."""
    lines: list[str] = []
    _write(resolved, [], sources, lines, 0)
    return "\n".join(lines) + "\n"


def _write(mapping: dict[str, Any], keys: list[str], sources: Sources, lines: list[str], depth: int) -> None:
    indent = "  " * depth
    for key, value in mapping.items():
        path = [*keys, str(key)]
        name = _scalar(key)
        if isinstance(value, dict) and value:
            lines.append(f"{indent}{name}:")
            _write(value, path, sources, lines, depth + 1)
            continue
        origin = sources.origin(path)
        if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            lines.append(f"{indent}{name}:  # {origin}")
            block = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=10_000)
            lines.extend(f"{indent}  {line}" for line in block.splitlines())
        else:
            lines.append(f"{indent}{name}: {_scalar(value)}  # {origin}")


def _scalar(value: Any) -> str:
    """One value in YAML's flow style, on one line."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()

"""results.json in the prepared package: the headline figures the summarise step writes and the chapters read.

Reading and writing only.  What goes in it is :func:`scalegap.models.summary.results_document`; this module
imports no chapter, so any chapter can read results.json without an import cycle.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap.errors import InputError
from scalegap.package import PreparedPackage

RESULTS = "results.json"
#: the published JSON Schema of results.json (package data; a run puts a copy beside results.json)
SCHEMA = "results.schema.json"
RERUN = "run `scalegap run` on the client folder again: its summarise step writes results.json"


def figure(value: Any, digits: int = 6) -> float | None:
    """A number as results.json holds it: rounded to ``digits``; None where there is none (missing, NaN, infinite)."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def schema_path() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / SCHEMA


def schema_problems(document: Any) -> list[str]:
    """Where ``document`` departs from the published schema ("path: message"), none when it conforms."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))
    return [
        f"{'.'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def results_path(package: PreparedPackage) -> Path:
    return package.path / RESULTS


def strict(value: Any) -> Any:
    """``value`` with every NaN or infinite number replaced by None, so that it is strict JSON."""
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_document(package: PreparedPackage, document: dict[str, Any]) -> Path:
    """results.json as strict JSON (no NaN or Infinity, which JSON does not have and strict parsers reject)."""
    path = results_path(package)
    path.write_text(json.dumps(strict(document), indent=2, allow_nan=False), encoding="utf-8")
    return path


def read_results(package: PreparedPackage) -> dict[str, Any]:
    """The headline figures the summarise step wrote into the package; an error saying so when there are none."""
    path = results_path(package)
    if not path.is_file():
        raise InputError("the prepared data package has no results.json", file=path, hint=RERUN)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def results_block(results: dict[str, Any], key: str, package: PreparedPackage) -> Any:
    """One block of results.json; an error naming it when results.json was written without it (older scalegap)."""
    if key not in results:
        raise InputError(
            f"results.json has no {key!r} block: it was written by an older scalegap",
            file=results_path(package),
            hint=RERUN,
        )
    return results[key]

"""The results folder (``_build/results/``, beside the prepared package): results.json, the headline figures the
summarise step writes and the chapters read, and each chapter's study, computed once by the summarise step and
persisted (:mod:`scalegap.persist`) for the chapter's notebook.

Reading and writing only.  What goes in it is :func:`scalegap.models.summary.results_document`; this module
imports no chapter, so any chapter can read results.json without an import cycle.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap import reads
from scalegap.errors import InputError
from scalegap.fingerprint import code_digest, digest, inputs_digest
from scalegap.package import PreparedPackage
from scalegap.persist import Persisted, read_study, write_study
from scalegap.vocabulary import RESULTS

#: the folder beside the prepared package that holds results.json and the persisted studies
RESULTS_FOLDER = "results"
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


def results_folder(package: PreparedPackage) -> Path:
    return package.path.parent / RESULTS_FOLDER


def results_path(package: PreparedPackage) -> Path:
    return results_folder(package) / RESULTS


def study_key(package: PreparedPackage) -> str:
    """What a persisted study was computed from (:mod:`scalegap.fingerprint`): the client's exports and settings
    as the package's manifest records them, and scalegap's own code; not when the package was written."""
    return digest({"inputs": inputs_digest(package.raw_manifest), "code": code_digest()})


def persisted_study(package: PreparedPackage, name: str) -> Persisted | None:
    """The study ``name`` the summarise step persisted for this package, or None (none, or from other data)."""
    reads.record("studies", name)
    return read_study(results_folder(package) / name, study_key(package), package.path.parent)


def persist_study(package: PreparedPackage, name: str, study: object) -> Path:
    """Write the study ``name`` computed from this package into the results folder."""
    return write_study(results_folder(package) / name, name, study_key(package), study, package.path.parent)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(strict(document), indent=2, allow_nan=False), encoding="utf-8")
    return path


def read_results(package: PreparedPackage) -> dict[str, Any]:
    """The headline figures the summarise step wrote into the package; an error saying so when there are none."""
    path = results_path(package)
    if not path.is_file():
        raise InputError("the prepared data package has no results.json", file=path, hint=RERUN)
    return reads.RecordedDict("results", json.loads(path.read_text(encoding="utf-8")))


def results_block(results: dict[str, Any], key: str, package: PreparedPackage) -> Any:
    """One block of results.json; an error naming it when results.json was written without it (older scalegap)."""
    if key not in results:
        raise InputError(
            f"results.json has no {key!r} block: it was written by an older scalegap",
            file=results_path(package),
            hint=RERUN,
        )
    return results[key]

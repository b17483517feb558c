"""The persisted-study format: a chapter's study, computed once by the summarise step, on disk for its notebook.

A study is a frozen dataclass of numbers, text, numpy arrays, DataFrames and other such dataclasses.  It is
written to a folder as ``study.json`` (the tree of values) with one parquet file per DataFrame or Series beside
it, under ``frames/``.  Never pickle: the files are readable by any JSON and parquet reader, and reading them
runs no code.  ``study.json`` holds::

    {"format": "scalegap-study", "version": 2, "name": ..., "key": ..., "root": <value>}

where a value is JSON's own (null, true/false, a string, a finite number, a list) or one tagged object:

* ``{"dataclass": "scalegap.models.adoption.AdoptionStudy", "fields": {...}}``: only classes of scalegap's own
  modules are rebuilt, by their field names;
* ``{"settings": "scalegap.settings.AdoptionSettings", "values": {...}}``, ``{"enum": path, "value": ...}``;
* ``{"tuple": [...]}``, ``{"set": [...]}``, ``{"dict": [[key, value], ...]}`` (keys of any such type);
* ``{"float": "nan" | "inf" | "-inf"}``, ``{"int64" | "float64" | "bool": value}`` (numpy scalars),
  ``{"timestamp": "ISO 8601"}``, ``{"date": "ISO 8601"}``;
* ``{"array": [...], "dtype": "float64", "shape": [..]}``;
* ``{"frame": "frames/3.parquet"}`` and ``{"series": "frames/4.parquet", "name": ...}``;
* ``{"in_build": "prepared/usage.parquet"}``: a path inside the build the study was computed in, kept relative
  to it, so the study still reads its tables once the build is moved into place, or reused by the next run
  (version 2; version 1 kept absolute paths).

``key`` says what the study was computed from (the prepared package's inputs and settings): a reader takes the
study only when its key matches, and computes it afresh otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pydantic

from scalegap.errors import InputError

FORMAT = "scalegap-study"
VERSION = 2
STUDY = "study.json"
FRAMES = "frames"
SERIES_COLUMN = "values"


class _Writer:
    def __init__(self, folder: Path, build: Path | None) -> None:
        self.folder = folder
        self.frames = 0
        #: the build folder, as text (both as given and resolved) followed by a separator
        self.builds = tuple({f"{path}{os.sep}" for path in (build, build.resolve())}) if build else ()

    def frame_file(self) -> str:
        name = f"{FRAMES}/{self.frames}.parquet"
        self.frames += 1
        return name

    def encode(self, value: Any) -> Any:
        if isinstance(value, str):
            inside = next((value[len(build) :] for build in self.builds if value.startswith(build)), None)
            return {"in_build": inside} if inside is not None else value
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, np.generic):
            return _number(value)
        if isinstance(value, np.generic):
            return {value.dtype.name: _number(value.item()) if value.dtype.kind in "fiu" else value.item()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.dataclass(value)
        if isinstance(value, pydantic.BaseModel):
            return {"settings": _class_path(type(value)), "values": value.model_dump(mode="json")}
        if isinstance(value, enum.Enum):
            return {"enum": _class_path(type(value)), "value": self.encode(value.value)}
        if isinstance(value, pd.DataFrame):
            return {"frame": self.parquet(value)}
        if isinstance(value, pd.Series):
            return {"series": self.parquet(value.to_frame(SERIES_COLUMN)), "name": self.encode(value.name)}
        if isinstance(value, np.ndarray):
            return self.array(value)
        if isinstance(value, pd.Timestamp):
            return {"timestamp": value.isoformat()}
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        if isinstance(value, tuple):
            return {"tuple": [self.encode(item) for item in value]}
        if isinstance(value, list):
            return [self.encode(item) for item in value]
        if isinstance(value, (set, frozenset)):
            return {"set": [self.encode(item) for item in sorted(value, key=repr)]}
        if isinstance(value, dict):
            return {"dict": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        raise TypeError(f"a study cannot hold a {type(value).__qualname__}: only numbers, text, arrays and frames")

    def dataclass(self, value: Any) -> dict[str, Any]:
        fields = {field.name: self.encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {"dataclass": _class_path(type(value)), "fields": fields}

    def array(self, value: np.ndarray) -> dict[str, Any]:
        if value.dtype.kind not in "biufUO":
            raise TypeError(f"a study cannot hold an array of {value.dtype}")
        items = [self.encode(item) for item in value.ravel().tolist()]
        return {
            "array": items,
            "dtype": value.dtype.str if value.dtype.kind == "U" else value.dtype.name,
            "shape": list(value.shape),
        }

    def parquet(self, frame: pd.DataFrame) -> str:
        name = self.frame_file()
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not all(isinstance(column, str) for column in frame.columns):
            raise TypeError(f"a study's table needs text column names, not {list(frame.columns)}")
        frame.to_parquet(path, index=True)
        return name


def _class_path(kind: type) -> str:
    if not kind.__module__.startswith("scalegap."):
        raise TypeError(f"a study holds only scalegap's own classes, not {kind.__qualname__}")
    return f"{kind.__module__}.{kind.__qualname__}"


def _scalegap_class(path: str) -> Any:
    """The class ``path`` names, when it is one of scalegap's (no other module is imported)."""
    module, _, name = path.rpartition(".")
    if not module.startswith("scalegap."):
        raise ValueError(f"not one of scalegap's classes: {path}")
    kind: Any = importlib.import_module(module)
    for part in name.split("."):
        kind = getattr(kind, part)
    if not isinstance(kind, type):
        raise ValueError(f"not one of scalegap's classes: {path}")
    return kind


def _number(value: float | int) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    return value


class _Reader:
    def __init__(self, folder: Path, build: Path | None) -> None:
        self.folder = folder
        self.build = build

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        if not isinstance(value, dict):
            return value
        tag, content = next(iter(value.items()))
        if tag == "dataclass":
            return self.dataclass(_scalegap_class(content), value["fields"])
        if tag == "settings":
            return _scalegap_class(content).model_validate(value["values"])
        if tag == "enum":
            return _scalegap_class(content)(self.decode(value["value"]))
        if tag == "frame":
            return pd.read_parquet(self.folder / content)
        if tag == "series":
            return pd.read_parquet(self.folder / content)[SERIES_COLUMN].rename(self.decode(value["name"]))
        if tag == "array":
            items = [self.decode(item) for item in content]
            return np.array(items, dtype=value["dtype"]).reshape(value["shape"])
        if tag == "tuple":
            return tuple(self.decode(item) for item in content)
        if tag == "set":
            return {self.decode(item) for item in content}
        if tag == "dict":
            return {self.decode(k): self.decode(v) for k, v in content}
        if tag == "in_build":
            if self.build is None:
                raise ValueError("a study with paths inside its build needs the build folder to be read")
            return str(self.build / content)
        if tag == "float":
            return float(content)
        if tag == "timestamp":
            return pd.Timestamp(content)
        if tag == "date":
            return dt.date.fromisoformat(content)
        return np.dtype(tag).type(self.decode(content))  # a numpy scalar

    def dataclass(self, kind: Any, fields: dict[str, Any]) -> Any:
        if not dataclasses.is_dataclass(kind):
            raise ValueError(f"not a dataclass: {kind.__qualname__}")
        values = {key: self.decode(item) for key, item in fields.items()}
        init = {f.name for f in dataclasses.fields(kind) if f.init}
        build: Any = kind
        made = build(**{key: item for key, item in values.items() if key in init})
        for key, item in values.items():  # fields set after __init__ (init=False)
            if key not in init:
                object.__setattr__(made, key, item)
        return made


def write_study(folder: Path, name: str, key: str, study: Any, build: Path | None = None) -> Path:
    """Write ``study`` into ``folder`` (replacing what was there); the path of its study.json.  Paths inside
    ``build`` are kept relative to it."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "key": key,
        "root": _Writer(folder, build).encode(study),
    }
    path = folder / STUDY
    path.write_text(json.dumps(document, indent=1, allow_nan=False), encoding="utf-8")
    return path


@dataclasses.dataclass(frozen=True)
class Persisted:
    """A study read back from disk (``study`` may itself be None: the data allowed no study)."""

    study: Any


def read_study(folder: Path, key: str, build: Path | None = None) -> Persisted | None:
    """The study persisted in ``folder`` when it was computed from ``key``; None when there is none, or when it
    was computed from other inputs or by another version of the format.  Its paths inside a build are read as
    inside ``build``."""
    path = folder / STUDY
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(
            f"a persisted study is not valid JSON ({error.msg})",
            file=path,
            hint="run `scalegap run` again: its summarise step rewrites it",
        ) from None
    if document.get("format") != FORMAT or document.get("version") != VERSION or document.get("key") != key:
        return None
    return Persisted(_Reader(folder, build).decode(document["root"]))

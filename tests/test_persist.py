"""The persisted-study format: what goes in comes back, equal, and nothing but scalegap's own data is read."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.models.production_scaling import Sustainment
from scalegap.persist import FORMAT, STUDY, VERSION, Persisted, read_study, write_study


def a_study() -> Persisted:
    frame = pd.DataFrame(
        {"person": ["a", "b", None], "share": [0.25, float("nan"), 1.0], "week": pd.to_datetime(["2026-01-05"] * 3)},
        index=pd.Index(["x", "y", "z"], name="id"),
    )
    return Persisted(
        {
            "frame": frame,
            "series": pd.Series([1, 2, 3], index=[10, 20, 30], name="count"),
            "array": np.array([[0.1, np.nan], [np.inf, -2.5]]),
            "codes": np.array([1, 2, 3], dtype=np.int64),
            "levels": ("Ops", "Sales"),
            "seen": {"a", "b"},
            ("pilot", 1): [np.float64(0.5), np.int64(7), np.bool_(True), float("-inf")],
            "when": pd.Timestamp("2026-03-01"),
            "sustainment": Sustainment(0.9, 0.8, 0.95),
            "none": None,
        }
    )


def test_a_study_comes_back_equal(tmp_path: Path) -> None:
    write_study(tmp_path / "s", "example", "key-1", a_study())
    found = read_study(tmp_path / "s", "key-1")
    assert found is not None
    back, original = found.study.study, a_study().study
    pd.testing.assert_frame_equal(back["frame"], original["frame"])
    pd.testing.assert_series_equal(back["series"], original["series"])
    np.testing.assert_array_equal(back["array"], original["array"])
    assert back["codes"].dtype == np.int64 and back["codes"].tolist() == [1, 2, 3]
    assert back["levels"] == ("Ops", "Sales") and back["seen"] == {"a", "b"}
    values = back[("pilot", 1)]
    assert [type(v) for v in values] == [np.float64, np.int64, np.bool_, float] and values[3] == float("-inf")
    assert back["when"] == pd.Timestamp("2026-03-01") and back["none"] is None
    assert back["sustainment"] == Sustainment(0.9, 0.8, 0.95)


def test_the_files_are_strict_json_and_parquet_never_pickle(tmp_path: Path) -> None:
    path = write_study(tmp_path / "s", "example", "k", a_study())
    document = json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda name: pytest.fail(name))
    assert (document["format"], document["version"], document["name"]) == (FORMAT, VERSION, "example")
    files = sorted(p.relative_to(tmp_path / "s").as_posix() for p in (tmp_path / "s").rglob("*") if p.is_file())
    assert files == ["frames/0.parquet", "frames/1.parquet", STUDY]


def test_writing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first = write_study(tmp_path / "a", "example", "k", a_study()).read_bytes()
    second = write_study(tmp_path / "b", "example", "k", a_study()).read_bytes()
    assert first == second


def test_a_study_from_other_inputs_is_not_read(tmp_path: Path) -> None:
    write_study(tmp_path / "s", "example", "key-1", a_study())
    assert read_study(tmp_path / "s", "key-2") is None
    assert read_study(tmp_path / "missing", "key-1") is None


def test_a_study_that_is_none_is_told_apart_from_no_study(tmp_path: Path) -> None:
    write_study(tmp_path / "s", "example", "k", None)
    found = read_study(tmp_path / "s", "k")
    assert found is not None and found.study is None


def test_only_scalegap_classes_are_rebuilt(tmp_path: Path) -> None:
    path = write_study(tmp_path / "s", "example", "k", Sustainment())
    document = json.loads(path.read_text(encoding="utf-8"))
    document["root"]["dataclass"] = "subprocess.Popen"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="not one of scalegap's classes"):
        read_study(tmp_path / "s", "k")


def test_what_a_study_cannot_hold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot hold a object"):
        write_study(tmp_path / "s", "example", "k", Persisted(object()))
    with pytest.raises(TypeError, match="text column names"):
        write_study(tmp_path / "t", "example", "k", Persisted(pd.DataFrame({0: [1]})))


def test_a_damaged_study_file_is_one_clear_error(tmp_path: Path) -> None:
    write_study(tmp_path / "s", "example", "k", Sustainment())
    (tmp_path / "s" / STUDY).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON") as error:
        read_study(tmp_path / "s", "k")
    assert "scalegap run" in (error.value.hint or "")


def test_paths_inside_the_build_follow_the_build_when_it_moves(tmp_path: Path) -> None:
    """A study read after its build was renamed into place (or reused by the next run) reads that build's files."""
    staging, final = tmp_path / "_build.partial-1", tmp_path / "_build"
    outside = str(tmp_path / "elsewhere" / "notes.md")
    study = Persisted({"usage": (str(staging / "prepared" / "usage.parquet"),), "other": outside})
    path = write_study(staging / "results" / "s", "example", "k", study, staging)
    assert str(staging) not in path.read_text(encoding="utf-8")  # kept relative to the build
    staging.rename(final)
    found = read_study(final / "results" / "s", "k", final)
    assert found is not None
    assert found.study.study == {"usage": (str(final / "prepared" / "usage.parquet"),), "other": outside}
    with pytest.raises(ValueError, match="needs the build folder"):
        read_study(final / "results" / "s", "k")

"""Digests of content: the same inputs give the same key, and a change that matters gives another."""

from __future__ import annotations

import copy

from scalegap import fingerprint

MANIFEST = {
    "scalegap_version": "0.1.0",
    "generated_at": "2026-12-07T10:00:00+00:00",
    "inputs": [{"table": "roster", "file": "exports/roster.csv", "format": "roster", "sha256": "ab"}],
    "settings": {"conversion": {"currency": "GBP"}, "execution": {"workers": 2}},
}


def changed(path: tuple[str, ...], value: object) -> dict:
    manifest = copy.deepcopy(MANIFEST)
    target = manifest
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return manifest


def test_the_time_a_package_was_written_and_how_chapters_run_do_not_count() -> None:
    key = fingerprint.inputs_digest(MANIFEST)
    assert fingerprint.inputs_digest(changed(("generated_at",), "2027-01-01")) == key
    assert fingerprint.inputs_digest(changed(("settings", "execution", "workers"), 1)) == key


def test_an_export_or_a_setting_that_changed_does() -> None:
    key = fingerprint.inputs_digest(MANIFEST)
    assert fingerprint.inputs_digest(changed(("settings", "conversion", "currency"), "EUR")) != key
    other = copy.deepcopy(MANIFEST)
    other["inputs"][0]["sha256"] = "cd"
    assert fingerprint.inputs_digest(other) != key


def test_the_code_digest_follows_the_modules_and_the_software_versions() -> None:
    modules, packages = {"models/adoption/forecast.py": "aa"}, {"pandas": "3.1.1"}
    key = fingerprint.code_fingerprint(modules, packages)
    assert fingerprint.code_fingerprint(modules, {"pandas": "3.1.2"}) != key
    assert fingerprint.code_fingerprint({"models/adoption/forecast.py": "ab"}, packages) != key
    assert fingerprint.code_fingerprint(dict(modules), dict(packages)) == key


def test_the_code_digest_reads_the_package_but_not_its_notebooks_and_pages() -> None:
    names = fingerprint.module_digests()
    assert "models/adoption/forecast.py" in names and "defaults/assessment.yml" in names
    assert not any(name.startswith("assets/") for name in names)
    assert fingerprint.package_versions()["pandas"] and "pytest" not in fingerprint.package_versions()


def test_what_chapters_read_is_digested_once_a_run_and_results_json_when_first_asked_for(tmp_path) -> None:
    from scalegap.fingerprint import ReadContents
    from scalegap.reads import Reads

    prepared, results = tmp_path / "prepared", tmp_path / "results"
    prepared.mkdir()
    (prepared / "usage.parquet").write_bytes(b"ten million rows")
    contents = ReadContents({"settings": {"privacy": {"min_group_size": 5}}}, prepared, results)
    first = contents.digests(Reads(tables=frozenset({"usage"}), settings=frozenset({"privacy"})))
    (prepared / "usage.parquet").write_bytes(b"changed under a run")  # not read again: one digest a run
    assert contents.digests(Reads(tables=frozenset({"usage"}))) == {"tables: usage": first["tables: usage"]}
    results.mkdir()  # the summarise step writes results.json after the first chapters were keyed
    (results / "results.json").write_text('{"headline": {"rate": 0.4}}', encoding="utf-8")
    later = contents.digests(Reads(results=frozenset({"headline"})))
    assert later["results: headline"] == fingerprint.digest({"rate": 0.4})
    assert ReadContents({}, prepared, results).digest_of("tables", "usage") != first["tables: usage"]

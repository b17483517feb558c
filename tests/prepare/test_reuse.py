"""Preparing again only when an export file, a setting or the code changed (``scalegap.prepare.reuse``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scalegap.client import ClientFolder
from scalegap.prepare import reuse
from scalegap.settings import load_settings
from scalegap.vocabulary import MANIFEST
from tests.support import folder_digest, tiny_client


def prepared_build(root: Path, name: str) -> ClientFolder:
    """The tiny client's package prepared into the build folder ``name``, stamped with its key."""
    client = ClientFolder(root, build_dir=root / name)
    settings = load_settings(client.assessment)
    reuse.prepare_keyed(client, settings, reuse.prepared_key(client, settings))
    return client


def test_the_key_changes_with_a_byte_of_an_export_or_a_setting(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    settings = load_settings(client.assessment)
    key = reuse.prepared_key(client, settings)
    assert key is not None and key == reuse.prepared_key(client, settings)
    assert (
        reuse.prepared_key(client, load_settings(client.assessment, {"conversion": {"loaded_hourly_cost": 61}})) != key
    )
    roster = client.exports / "hr.csv"
    text = roster.read_bytes()
    roster.write_bytes(text.replace(b"E1", b"E9", 1))
    assert reuse.prepared_key(client, settings) not in {key, None}
    roster.write_bytes(text)
    assert reuse.prepared_key(client, settings) == key


def test_no_key_when_an_export_is_missing_so_preparing_again_gives_the_error(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    settings = load_settings(client.assessment)
    (client.exports / "hr.csv").unlink()
    assert reuse.prepared_key(client, settings) is None


def test_a_package_copied_from_the_last_build_is_the_one_prepared_again(tmp_path: Path) -> None:
    root = tiny_client(tmp_path)
    last = prepared_build(root, "_build")
    key = reuse.prepared_with(last.build, last)
    assert key is not None and key == reuse.prepared_key(last, load_settings(last.assessment))

    fresh = prepared_build(root, "fresh")
    copy = ClientFolder(root, build_dir=root / "copy")
    reuse.copy_package(last.build, copy)
    for table in ("roster", "survey", "usage"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(copy.prepared / f"{table}.parquet"), pd.read_parquet(fresh.prepared / f"{table}.parquet")
        )
    assert folder_digest(copy.rejects) == folder_digest(fresh.rejects)
    copied, again = (json.loads((b.prepared / MANIFEST).read_text()) for b in (copy, fresh))
    assert {k: v for k, v in copied.items() if k != "generated_at"} == {
        k: v for k, v in again.items() if k != "generated_at"
    }
    assert reuse.prepared_with(copy.build, copy) == key


def test_a_build_without_a_key_or_a_package_has_none(tmp_path: Path) -> None:
    root = tiny_client(tmp_path)
    client = ClientFolder(root)
    assert reuse.prepared_with(root / "nowhere", client) is None
    unkeyed = ClientFolder(root, build_dir=root / "unkeyed")
    reuse.prepare_keyed(unkeyed, load_settings(unkeyed.assessment), None)
    assert reuse.prepared_with(unkeyed.build, unkeyed) is None

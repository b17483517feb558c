"""Preparing again only when something prepare reads has changed.

A consultant re-runs a client dozens of times while editing notes, notebooks and assumptions; the exports rarely
change between those runs, and reading them again is most of a re-run's own time.  :func:`prepared_key` digests
everything :func:`scalegap.prepare.prepare` reads: the bytes of every export file (each file a glob matches, by
name), the resolved settings, and scalegap's code and the versions of the packages it reads with.  The key is kept
in the package's manifest.  When the last good build's package was made with the same key, its prepared tables,
rejects and manifest are copied (the manifest's ``generated_at`` set anew, as preparing again would), and nothing
is read but the export files' bytes.  Any doubt (a file missing or unreadable, an export that is not a file, no
key in the last build, a usage table kept in a warehouse) prepares again: that path gives every error its own message.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError
from scalegap.fingerprint import code_digest, digest
from scalegap.prepare.read import export_files, sha256_of
from scalegap.prepare.write import prepare
from scalegap.settings import ExportSettings, Settings
from scalegap.vocabulary import MANIFEST, TABLES

#: the manifest's entry that holds the key the package was prepared with
PREPARED_KEY = "prepared_key"


def prepared_key(client: ClientFolder, settings: Settings) -> str | None:
    """The digest of what preparing ``client`` reads; None when an export cannot be digested here."""
    exports: dict[str, list[tuple[str, str]]] = {}
    try:
        for table in TABLES:
            for export in settings.exports_of(table):
                if not isinstance(export, ExportSettings):  # a warehouse table: only reading it tells what it holds
                    return None
                files = export_files(client, table, export)
                exports.setdefault(table, []).extend(
                    (str(path.relative_to(client.exports)), sha256_of(path)) for path in files
                )
    except (ScalegapError, OSError, ValueError):
        return None
    return digest({"exports": exports, "settings": settings.model_dump(mode="json"), "code": code_digest()})


def prepared_with(build: Path, client: ClientFolder) -> str | None:
    """The key the package in the build folder ``build`` (of ``client``) was prepared with; None without one."""
    try:
        manifest = json.loads((ClientFolder(client.root, build_dir=build).prepared / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    key = manifest.get(PREPARED_KEY) if isinstance(manifest, dict) else None
    return key if isinstance(key, str) else None


def copy_package(last_build: Path, client: ClientFolder) -> Path:
    """The package of the build folder ``last_build`` (its tables, rejects and manifest) copied into ``client``'s
    build folder, its manifest's ``generated_at`` set anew as preparing again would; the package's folder."""
    before = ClientFolder(client.root, build_dir=last_build)
    for source, target in ((before.prepared, client.prepared), (before.rejects, client.rejects)):
        shutil.rmtree(target, ignore_errors=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.mkdir(parents=True)
    rewrite_manifest(client.prepared / MANIFEST, generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    return client.prepared


def prepare_keyed(client: ClientFolder, settings: Settings, key: str | None) -> Path:
    """:func:`scalegap.prepare.prepare`, the package's manifest holding ``key`` (when there is one)."""
    folder = prepare(client, settings)
    if key is not None:
        rewrite_manifest(folder / MANIFEST, **{PREPARED_KEY: key})
    return folder


def rewrite_manifest(path: Path, **entries: str) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(entries)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False), encoding="utf-8")

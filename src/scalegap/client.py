"""A client folder: assessment.yml, exports/ (read-only), notes/, and _build/ (everything generated)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from scalegap.errors import ConfigurationError
from scalegap.resources import client_template_dir


@dataclass(frozen=True)
class ClientFolder:
    """The folder's paths.  ``build_dir`` redirects everything generated (a run builds into a staging folder
    and moves it into place only when every step succeeded: :mod:`scalegap.builds`)."""

    root: Path
    build_dir: Path | None = None

    @property
    def assessment(self) -> Path:
        return self.root / "assessment.yml"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def notes(self) -> Path:
        return self.root / "notes"

    @property
    def build(self) -> Path:
        return self.build_dir if self.build_dir is not None else self.root / "_build"

    @property
    def prepared(self) -> Path:
        return self.build / "prepared"

    @property
    def rejects(self) -> Path:
        return self.build / "rejects"

    @property
    def notebooks(self) -> Path:
        return self.build / "notebooks"

    @property
    def book_source(self) -> Path:
        return self.build / "book"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def results(self) -> Path:
        return self.build / "results.json"

    def require(self) -> ClientFolder:
        if not self.root.is_dir():
            raise ConfigurationError(
                "client folder not found", file=self.root, hint="create it with `scalegap init DIR`"
            )
        if not self.assessment.is_file():
            raise ConfigurationError(
                "no assessment.yml in the client folder",
                file=self.root,
                hint="create the folder with `scalegap init DIR`, or add assessment.yml",
            )
        return self


def init_client(root: Path, client_name: str | None = None, with_example_exports: bool = True) -> ClientFolder:
    """Create a client folder from the packaged template, ``assets/templates/client`` (refuses to overwrite an
    existing assessment.yml).

    ``with_example_exports=False`` leaves exports/ as it is (the client's files are already there): the blank
    governance checklist and the read-me go beside assessment.yml instead.
    """
    folder = ClientFolder(root)
    if folder.assessment.exists():
        raise ConfigurationError(
            "the folder already has an assessment.yml",
            file=folder.assessment,
            hint="choose a new folder, or edit the existing one",
        )
    template = client_template_dir()
    if with_example_exports:
        shutil.copytree(template, root, dirs_exist_ok=True)
    else:
        shutil.copytree(
            template,
            root,
            dirs_exist_ok=True,
            ignore=lambda folder_, names: names if Path(folder_) == template / "exports" else [],
        )
        shutil.copy2(template / "exports" / "governance_checklist.yml", root / "governance_checklist.template.yml")
    folder.exports.mkdir(exist_ok=True)
    folder.notes.mkdir(exist_ok=True)
    if client_name:
        text = folder.assessment.read_text(encoding="utf-8")
        folder.assessment.write_text(
            text.replace("name: Client name", f"name: {json.dumps(client_name)}", 1), encoding="utf-8"
        )
    return folder

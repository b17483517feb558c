"""Where scalegap's own files are: chapter notebooks, book pages, client template, jupyter-book configuration.

They are package data, in ``scalegap/assets/`` (``notebooks/``, ``book/``, ``templates/``, ``_config.yml``), so
an installed wheel finds them as an editable checkout does; ``SCALEGAP_HOME`` points elsewhere when needed (a
folder with the same four).
"""

from __future__ import annotations

import os
from pathlib import Path

from scalegap.errors import ConfigurationError


def project_home() -> Path:
    configured = os.environ.get("SCALEGAP_HOME")
    home = Path(configured) if configured else Path(__file__).resolve().parent / "assets"
    if not (home / "notebooks").is_dir() or not (home / "_config.yml").is_file():
        raise ConfigurationError(
            f"scalegap's own files (notebooks/, book/, templates/, _config.yml) are not in {home}",
            hint="reinstall scalegap (`pip install scalegap`), or set SCALEGAP_HOME to a folder that has them",
        )
    return home


def notebooks_dir() -> Path:
    return project_home() / "notebooks"


def book_dir() -> Path:
    return project_home() / "book"


def client_template_dir() -> Path:
    return project_home() / "templates" / "client"


def book_config() -> Path:
    return project_home() / "_config.yml"


def chapter_notebooks() -> list[Path]:
    """The chapter notebooks in book order (their names start with the chapter number)."""
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))

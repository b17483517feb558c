"""Where the project's shared files are: chapter notebooks, book skeleton, client template.

They live at the top of the source checkout (``notebooks/``, ``book/``,
``templates/``, ``_config.yml``) and the package is installed from it in
editable mode; ``SCALEGAP_HOME`` points elsewhere when needed.
"""

from __future__ import annotations

import os
from pathlib import Path

from scalegap.errors import ConfigurationError


def project_home() -> Path:
    configured = os.environ.get("SCALEGAP_HOME")
    home = Path(configured) if configured else Path(__file__).resolve().parents[2]
    if not (home / "notebooks").is_dir() or not (home / "_config.yml").is_file():
        raise ConfigurationError(
            f"the scalegap project files (notebooks/, book/, templates/, _config.yml) are not in {home}",
            hint="install scalegap with `pip install -e .` from its checkout, or set SCALEGAP_HOME to it",
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

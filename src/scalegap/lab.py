"""``scalegap lab``: JupyterLab on the client's executed notebooks (``_build/notebooks/``), parameters in place.

Each executed notebook names its prepared package by the absolute path papermill injected, made the final
``_build/``'s when the run was promoted (:func:`scalegap.builds.relocate_notebooks`), and its kernel's working
folder in JupyterLab is the notebook's own folder, as it was under papermill: a notebook re-runs as it is.
JupyterLab is an optional extra (``pip install scalegap[lab]``); without it, one line says how to install it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError

#: the module JupyterLab is started from (``python -m jupyterlab``)
JUPYTERLAB = "jupyterlab"
INSTALL_HINT = "install it with `pip install 'scalegap[lab]'` (or `pip install 'jupyterlab>=4,<5'`)"


def require_jupyterlab(module: str = JUPYTERLAB) -> None:
    """Nothing when ``module`` (JupyterLab) can be imported by this interpreter; else the error saying how to
    install it."""
    if importlib.util.find_spec(module) is None:
        raise ConfigurationError("JupyterLab is not installed (it is an optional extra)", hint=INSTALL_HINT)


def executed_notebooks(root: Path) -> Path:
    """The folder of the client's executed notebooks; an error with a hint when the client has none (never run)."""
    folder = ClientFolder(root)
    if not root.is_dir():
        raise ConfigurationError("client folder not found", file=root, hint="create it with `scalegap init DIR`")
    if not any(folder.notebooks.glob("*.ipynb")):
        raise ConfigurationError(
            "no executed notebooks in this client folder",
            file=folder.notebooks,
            hint=f"run `scalegap run {root}` first",
        )
    return folder.notebooks


def lab_command(
    notebooks: Path,
    port: int | None = None,
    browser: bool = True,
    as_root: bool = False,
    python: str = sys.executable,
) -> list[str]:
    """The command line JupyterLab is started with: rooted at ``notebooks`` (each kernel's working folder is its
    notebook's, as under papermill), on ``port`` (JupyterLab's own default when None), without opening a browser
    when ``browser`` is False; ``as_root``: the user is root (a container), which JupyterLab refuses unless told."""
    command = [python, "-m", JUPYTERLAB, f"--ServerApp.root_dir={notebooks.resolve()}"]
    if port is not None:
        command.append(f"--port={port}")
    if not browser:
        command.append("--no-browser")
    if as_root:
        command.append("--allow-root")
    return command


def open_lab(root: Path, port: int | None = None, browser: bool = True) -> None:
    """Replace this process by JupyterLab on the client's executed notebooks (it handles Ctrl-C itself)."""
    notebooks = executed_notebooks(root)
    require_jupyterlab()
    command = lab_command(notebooks, port, browser, as_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    print(f"opening JupyterLab on {notebooks} (Ctrl-C to stop)", flush=True)
    os.execv(command[0], command)

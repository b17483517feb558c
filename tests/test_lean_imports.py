"""Libraries scalegap never uses stay out of its processes, and nothing it does misses them."""

from __future__ import annotations

import subprocess
import sys

from scalegap import lean_imports
from scalegap.book import jupyter_book_command
from scalegap.resources import chapter_notebooks


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_a_scalegap_process_reads_and_validates_notebooks_without_the_iri_grammars() -> None:
    printed = _python(
        "import scalegap, nbformat, sys\n"
        f"for path in {[str(path) for path in chapter_notebooks()]!r}:\n"
        "    nbformat.validate(nbformat.read(path, as_version=4))\n"
        "print(sorted(name for name in scalegap.lean_imports.NEVER_USED if sys.modules.get(name) is not None))"
    )
    assert printed == "[]"


def test_the_book_build_runs_without_them_too() -> None:
    command = jupyter_book_command()
    assert command[:2] == [sys.executable, "-c"] and command[2].startswith(lean_imports.PRELUDE)
    code = f"{lean_imports.PRELUDE}; import jsonschema, sys; print(sys.modules['rfc3987_syntax'])"
    assert _python(code) == "None"
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert "Jupyter Book" in version.stdout

"""Optional libraries that scalegap's processes never use, kept from loading.

jsonschema, which nbformat, papermill and jupyter-book import, checks the ``iri`` string formats with
``rfc3987-syntax`` when that is installed (JupyterLab brings it, through jupyter-events): importing it compiles
39 Lark grammars, about 3.4 s of CPU in every process that imports nbformat: the run itself, each chapter worker,
the book build.  Nothing scalegap runs validates those formats (nbformat's schemas use none and no format checker),
so scalegap's processes do without it: jsonschema then leaves the two formats unchecked, as it does wherever the
library is not installed.  A process that imported it before scalegap keeps it.
"""

from __future__ import annotations

import sys

#: modules that are never imported in a scalegap process
NEVER_USED = ("rfc3987_syntax",)

#: the same, as Python code run first in a subprocess scalegap starts (the book build)
PRELUDE = f"import sys; [sys.modules.setdefault(name, None) for name in {NEVER_USED!r}]"


def keep_unused_libraries_out() -> None:
    """Make an import of any of :data:`NEVER_USED` fail as if it were not installed (unless already imported)."""
    for name in NEVER_USED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None in sys.modules: "not installed"

"""Writing generated book pages as Markdown that MyST reads as plain text: table cells, code spans, code blocks.

Every page scalegap generates (the formats reference, the run record) puts text it did not write itself into one
of these, so a ``|``, a backtick or a line break in a file name or a setting cannot change the page's structure.
"""

from __future__ import annotations

import re


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def code(text: str) -> str:
    """``text`` as an inline code span in a table cell (delimited by more backticks than it holds)."""
    marks = "`" * (longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{marks}{pad}{cell(text)}{pad}{marks}"


def code_block(text: str, language: str = "") -> str:
    """``text`` as a fenced code block whose fence is longer than any run of backticks in it."""
    marks = "`" * max(3, longest_backticks(text) + 1)
    return f"{marks}{language}\n{text.rstrip()}\n{marks}"

"""Checks any built book must pass: no estimated figure with an interval of width zero."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

NUMBER = r"[-−]?(?:[A-Z]{3} )?[£$€]?\d[\d,]*(?:\.\d+)?\s?%?"
RANGE = re.compile(rf"(?<![\w.\-/:])({NUMBER})\s?(?:to|–)\s?({NUMBER})(?![\w.\-/:])")


def page_text(path: Path) -> str:
    """The text a reader sees on a page (no scripts or styles), whitespace collapsed."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def zero_width_ranges(html_dir: Path) -> list[str]:
    """Every "a to b" (or "a–b") on the book's pages whose two ends read the same, with its context."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        text = page_text(page)
        for match in RANGE.finditer(text):
            low, high = (end.replace(" ", "") for end in match.groups())
            if low == high:
                found.append(f"{page.name}: …{text[max(0, match.start() - 80) : match.end() + 10]}…")
    return found


def zero_width_intervals(document: Any, path: str = "") -> list[str]:
    """Every interval in results.json of width zero: ``x_low``/``x_high`` pairs, ``low``/``high`` of one
    figure, ``*_interval`` pairs."""
    found = []
    if isinstance(document, dict):
        low, high = document.get("low"), document.get("high")
        if all(isinstance(end, (int, float)) and not isinstance(end, bool) for end in (low, high)) and not high > low:
            found.append(f"{path}: {low} to {high}")
        for key, value in document.items():
            where = f"{path}.{key}" if path else key
            if key.endswith("_low") and isinstance(value, (int, float)):
                high = document.get(key[:-4] + "_high")
                if isinstance(high, (int, float)) and not high > value:
                    found.append(f"{where}: {value} to {high}")
            if (
                key.endswith("interval")
                and isinstance(value, list)
                and len(value) == 2
                and all(isinstance(end, (int, float)) for end in value)
                and not value[1] > value[0]
            ):
                found.append(f"{where}: {value[0]} to {value[1]}")
            found += zero_width_intervals(value, where)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += zero_width_intervals(value, f"{path}[{index}]")
    return found


def refuse_constant(name: str) -> None:
    raise ValueError(f"results.json holds {name}: not strict JSON")


def published_problems(build: Path) -> list[str]:
    """What is wrong with a published build: results.json not strict JSON or not as its published schema (which
    the build carries beside it), an interval of width zero in results.json or on any page."""
    import json

    from scalegap.models.results import schema_path, schema_problems

    document = json.loads((build / "results.json").read_text(encoding="utf-8"), parse_constant=refuse_constant)
    problems = [f"schema: {problem}" for problem in schema_problems(document)]
    if (build / "results.schema.json").read_bytes() != schema_path().read_bytes():
        problems.append("the build's results.schema.json is not the published schema")
    problems += [f"results.json: {found}" for found in zero_width_intervals(document)]
    return problems + [f"page: {found}" for found in zero_width_ranges(build / "html")]


IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT = re.compile(r"""\balt=(["'])(.*?)\1""", re.IGNORECASE | re.S)
FILE_NAME = re.compile(r"^\S+\.(?:png|jpe?g|svg|gif)$", re.IGNORECASE)


def images_without_meaningful_alt(html_dir: Path) -> list[str]:
    """Every <img> of the book's pages (the theme's logo aside) whose alt text is missing, too short to say
    anything, or a file name ("_images/a9cd….png")."""
    found = []
    for page in sorted(html_dir.glob("*.html")):
        for tag in IMG.findall(page.read_text(encoding="utf-8")):
            if "logo" in tag:
                continue
            alt = ALT.search(tag)
            text = html.unescape(alt.group(2)).strip() if alt else ""
            if len(text) < 20 or FILE_NAME.match(text):
                found.append(f"{page.name}: {tag[:120]}")
    return found

"""One figure, one value: every built page of the demo book and results.json agree on each glossary figure.

Each glossary figure below is found wherever a page writes it as "<its name> <value>" (a tile, a table row, a
sentence), for the whole organisation; every such value must be one and the same, and the one results.json
holds, rounded as shown. A second value for the same figure (production adoption 45.1 % on one page and 39 % on
another; "people with access" 134 in one chapter and 118 in another) fails here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"

#: glossary figure -> (how pages write it, its value in results.json in the unit the pages show it in)
FIGURES: dict[str, tuple[str, Callable[[dict[str, Any]], float]]] = {
    "production adoption": (
        rf"[Pp]roduction adoption(?: \((?:eventual|estimated)\))?:? {NUMBER} ?%",
        lambda results: 100 * results["conversion"]["production_adoption"]["estimate"],
    ),
    "conversion rate": (
        rf"[Cc]onversion rate:? {NUMBER} ?%",
        lambda results: 100 * results["conversion"]["conversion_rate"],
    ),
    "net value per seat": (
        rf"[Nn]et value per seat(?: per year)?:? (?:a year,? )?(?:GBP|EUR|USD|£|€|\$) ?{NUMBER}",
        lambda results: results["conversion"]["money"]["net_value_per_seat_per_year"]["estimate"],
    ),
}

#: figures counted per group: each (group, figure) pair must have one value across the book
PER_GROUP = re.compile(
    rf"{NUMBER} (?:people|employees) with access in (?:the group )?['‘’\"]?(Everyone else|Pilot members)"
)


def page_text(page: Path) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def chapter_pages(demo_run) -> dict[str, str]:
    """The chapters' pages (the methodology and the glossary quote the calibration study's figures, not this
    client's)."""
    return {page.name: page_text(page) for page in sorted(demo_run.html.glob("[0-9]*.html"))}


def as_number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("figure", sorted(FIGURES))
def test_each_glossary_figure_has_one_value_across_the_book_and_results_json(demo_run, figure: str) -> None:
    pattern, expected = FIGURES[figure]
    results = json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for name, text in chapter_pages(demo_run).items():
        for match in re.finditer(pattern, text):
            found.setdefault(match.group(1), []).append(name)
    assert found, f"no page writes the {figure}: the pattern no longer matches the book's wording"
    values = {as_number(shown) for shown in found}
    assert len(values) == 1, f"the {figure} has {len(values)} values in the book: {found}"
    shown = found.popitem()[0]
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    assert as_number(shown) == pytest.approx(round(expected(results), decimals), abs=10**-decimals / 2 + 1e-9)


def test_people_with_access_in_a_group_is_the_adoption_chapters_count(demo_run) -> None:
    """ "People with access" is the adoption chapter's count (results.json's ``adoption`` block): a page that
    counts another group of people (e.g. everyone holding a licence) names it otherwise."""
    adoption = json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))["adoption"]
    expected = {
        "Pilot members": adoption["pilot_members_with_access"],
        "Everyone else": adoption["people_with_access"] - adoption["pilot_members_with_access"],
    }
    wrong = [
        (name, match.group(0))
        for name, text in chapter_pages(demo_run).items()
        for match in PER_GROUP.finditer(text)
        if as_number(match.group(1)) != expected[match.group(2)]
    ]
    assert wrong == [], f"people with access counted otherwise than the adoption chapter: {wrong}"


def test_the_check_fails_on_a_second_value() -> None:
    """The patterns catch the defects the issue names (so the tests above can fail)."""
    pattern = FIGURES["production adoption"][0]
    pages = ["Production adoption 45.1 % of employees", "production adoption (estimated) 39 % (28 % to 53 %)"]
    assert {as_number(m.group(1)) for page in pages for m in re.finditer(pattern, page)} == {45.1, 39.0}
    text = "the 134 people with access in the group 'Everyone else' … 118 people with access in Everyone else"
    assert {m.group(1) for m in PER_GROUP.finditer(text)} == {"134", "118"}

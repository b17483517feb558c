"""The demo book as a client executive opens it: the summary first, its tiles and waterfall, the branding."""

from __future__ import annotations

import html
import json
import re

import pytest

from scalegap.present.summary import headline_texts

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]


def summary_page(demo_run) -> str:
    assert demo_run.returncode == 0, demo_run.transcript
    return (demo_run.html / "00_summary.html").read_text(encoding="utf-8")


def test_the_landing_page_opens_on_the_executive_summary(demo_run) -> None:
    index = (demo_run.html / "index.html").read_text(encoding="utf-8")
    assert 'url=00_summary.html"' in index
    navigation = re.findall(r'<a class="reference internal" href="([^"#]+)"', summary_page(demo_run))
    assert navigation.index("intro.html") < navigation.index("10_intake.html")  # the introduction follows it


def test_the_tiles_show_the_values_results_json_holds_before_the_waterfall(demo_run) -> None:
    page = summary_page(demo_run)
    document = json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))
    values = [html.unescape(v) for v in re.findall(r'<div class="scalegap-tile-value">([^<]*)</div>', page)]
    texts = headline_texts(document["conversion"])
    expected = [document["recommendation"]["verdict"], texts["conversion_rate"], texts["net_value_per_seat"]]
    assert values == [*expected, texts["production_adoption"]]
    assert texts["interval_level"] + " interval " + texts["conversion_rate_interval"] in html.unescape(page)
    tiles, waterfall, gaps = (
        page.find("scalegap-tiles"),
        page.find("<img", page.find("scalegap-tiles")),
        page.find('id="the-three-largest-gaps"'),
    )
    assert 0 < tiles < waterfall < gaps < page.find('id="the-recommendation"')
    assert 'alt="' in page[waterfall : waterfall + 300]


def test_the_conditions_are_plain_words_linked_to_their_chapter(demo_run) -> None:
    page = summary_page(demo_run)
    table = page[page.find('class="scalegap-table scalegap-conditions"') :]
    assert "<th>What must change</th><th>Suggested owner</th><th>By when</th>" in table
    assert '<a href="65_scorecard.html"' in table and (demo_run.html / "65_scorecard.html").is_file()


def test_every_page_carries_the_logo_the_title_and_the_footer(demo_run) -> None:
    assert (demo_run.html / "_static" / "logo.svg").is_file()
    for page in ("00_summary.html", "68_conversion_rate.html", "glossary.html"):
        text = (demo_run.html / page).read_text(encoding="utf-8")
        assert 'src="_static/logo.svg"' in text, page
        assert "Prepared by Example Advisory for Northwind Logistics (example client) as of 30 September 2026." in text
        assert "Confidential: prepared for the client named on the cover" in text
    assert "Prepared by Alex Morgan, Example Advisory" in summary_page(demo_run)
    theme = (demo_run.html / "_static" / "branding.css").read_text(encoding="utf-8")
    assert "--pst-color-primary: #0173b2;" in theme  # the colour-blind-safe default palette
    assert "branding.css" in summary_page(demo_run)

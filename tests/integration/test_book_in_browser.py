"""The demo book as a reader sees it, in a real browser (headless Chromium driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import sync_playwright

from scalegap.pdf import BROWSER_ARGS
from scalegap.resources import chapter_notebooks

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

PAGES = ["intro.html", "methodology.html", "formats.html", "glossary.html", "data.html", "run-record.html"] + [
    notebook.stem + ".html" for notebook in chapter_notebooks()
]
ARGS = list(BROWSER_ARGS)  # what `scalegap pdf` launches Chromium with: headless and offline


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        yield launched
        launched.close()


def visit(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = {"requests": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_with_its_images_and_no_script_errors(demo_run, browser, name: str) -> None:
    page, seen = visit(browser, (demo_run.html / name).as_uri())
    outside = [url for url in seen["requests"] if not url.startswith(("file:", "data:", "blob:"))]
    assert outside == [], f"{name} requests the network: {outside[:3]}"
    assert seen["errors"] == []
    broken = page.eval_on_selector_all(
        "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0).map(e => e.getAttribute('src'))"
    )
    assert broken == []
    assert page.locator("article h1").first.is_visible()
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    missing = sorted(
        {
            link.split("#")[0]
            for link in links
            if link.startswith("file:") and not Path(unquote(urlparse(link).path)).exists()
        }
    )
    assert missing == [], f"{name} links to pages or files that are not there: {missing[:3]}"
    overflowing = page.eval_on_selector_all(
        "article table",
        "els => els.filter(e => e.getBoundingClientRect().right > "
        "document.querySelector('article').getBoundingClientRect().right + 1)"
        ".map(e => e.caption?.innerText || e.rows[0]?.innerText)",
    )
    assert overflowing == [], f"{name}: tables wider than the page: {overflowing}"
    page.close()


def test_index_leads_to_the_executive_summary(demo_run, browser) -> None:
    page, _ = visit(browser, (demo_run.html / "index.html").as_uri())
    page.wait_for_url("**/00_summary.html")
    assert page.locator("article h1").first.inner_text().startswith("Executive summary")
    assert page.locator(".scalegap-tile").count() == 4 and page.locator(".scalegap-tile").first.is_visible()
    page.close()


def test_a_reader_sees_the_headline_table_and_the_intake_figures(demo_run, browser, tmp_path) -> None:
    page, _ = visit(browser, (demo_run.html / "00_summary.html").as_uri())
    table = page.locator("table.scalegap-headline")
    assert table.is_visible()
    assert "Headcount" in table.inner_text()
    page.close()
    page, _ = visit(browser, (demo_run.html / "10_intake.html").as_uri())
    widths = page.eval_on_selector_all("article img", "els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) >= 3 and min(widths) > 300  # figures are drawn at a readable size
    shot = tmp_path / "intake.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 100_000
    page.close()


def test_the_scorecard_shows_status_colours_and_every_figure_its_alt_text(demo_run, browser) -> None:
    page, _ = visit(browser, (demo_run.html / "65_scorecard.html").as_uri())
    badges = page.eval_on_selector_all(
        ".scalegap-status",
        "els => els.map(e => [e.className, e.innerText.trim(), getComputedStyle(e).backgroundColor])",
    )
    colours = {name.split("scalegap-status-")[-1]: colour for name, _, colour in badges}
    assert colours.get("red") == "rgb(248, 215, 208)" and colours.get("green") == "rgb(216, 239, 228)"
    assert {text for _, text, _ in badges} >= {"✖ Red", "✔ Green"}
    alts = page.eval_on_selector_all("article img", "els => els.map(e => e.alt)")
    assert alts and all(alt.startswith("Chart of") for alt in alts)
    page.close()


def test_the_navigation_lists_every_chapter(demo_run, browser) -> None:
    page, _ = visit(browser, (demo_run.html / "glossary.html").as_uri())  # no chapter is the current page
    listed = page.eval_on_selector_all(".bd-sidebar-primary a[href]", "els => els.map(e => e.getAttribute('href'))")
    page.close()
    chapters = [notebook.stem for notebook in chapter_notebooks()]
    absent = [c for c in chapters if not any(href.split("#")[0].endswith(f"{c}.html") for href in listed)]
    if "00_summary" in absent and any(href.split("#")[0].endswith("index.html") for href in listed):
        absent.remove("00_summary")  # the root page is listed as the book's home
    assert absent == [], f"the navigation leaves out {absent}"


@pytest.mark.parametrize("name", ["00_summary", "68_conversion_rate"])
def test_screenshots_of_the_summary_and_the_conversion_chapter_are_kept_in_the_build(
    demo_run, browser, name: str
) -> None:
    page, _ = visit(browser, (demo_run.html / f"{name}.html").as_uri())
    shot = demo_run.client / "_build" / "screenshots" / f"{name}.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    assert shot.stat().st_size > 100_000

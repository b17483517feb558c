"""`scalegap demo` end to end: the example client becomes a complete, offline, private book."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scalegap.models.summary import HeadlineFigures, summary_rows
from scalegap.models.summary.page_rows import headline_rows
from scalegap.present.tables import level_named_once
from scalegap.resources import chapter_notebooks
from scalegap.simulate import write_example_client
from tests.integration.book_checks import images_without_meaningful_alt, page_text, published_problems

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

CHAPTERS = [notebook.name for notebook in chapter_notebooks()]
PAGES = {"intro.html", "methodology.html", "formats.html", "glossary.html", "data.html", "run-record.html"} | {
    name.replace(".ipynb", ".html") for name in CHAPTERS
}
EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|link|source|embed)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE
)
CSS_EXTERNAL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


class HeadlineTable(HTMLParser):
    """Collects the (th, td) pairs of the executive summary's headline table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._in = None
        self._th = ""
        self._active = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "scalegap-headline" in dict(attrs).get("class", ""):
            self._active = True
        if self._active and tag in {"th", "td"}:
            self._in, self._text = tag, ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._active = False
        if self._active and tag == self._in:
            if tag == "th":
                self._th = self._text
            else:
                self.rows.append((self._th, self._text))
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text += data


def test_demo_exits_0_and_prints_the_index(demo_run) -> None:
    assert demo_run.returncode == 0, demo_run.transcript
    index = demo_run.html / "index.html"
    assert index.is_file()
    assert str(index.resolve()) in demo_run.stdout.replace("\n", "")


def test_every_chapter_page_exists(demo_run) -> None:
    published = {path.name for path in demo_run.html.glob("*.html")}
    assert PAGES <= published, PAGES - published


def test_published_pages_are_exactly_the_book(demo_run) -> None:
    """Snapshot of what a build publishes: no stray pages, no notebook copies, no sources."""
    pages = {
        path.relative_to(demo_run.html).as_posix()
        for path in demo_run.html.rglob("*.html")
        if "_static" not in path.parts
    }
    assert pages == PAGES | {"index.html", "genindex.html", "search.html"}
    assert not list(demo_run.html.rglob("*.ipynb"))
    assert not (demo_run.html / "_sources").exists()


def test_figures_are_embedded_as_images_in_the_book(demo_run) -> None:
    page = (demo_run.html / "10_intake.html").read_text()
    images = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 3
    for image in images:
        assert len(base64.b64decode(image)) > 5_000


def test_every_figure_has_alt_text_that_says_what_it_shows(demo_run) -> None:
    assert images_without_meaningful_alt(demo_run.html) == []
    page = (demo_run.html / "30_adoption.html").read_text()
    assert re.search(r'alt="Line chart of weekly active users[^"]*; in the last week, Pilot: \d+ active of', page)


def test_the_intake_chapter_counts_earlier_licence_reports_as_superseded(demo_run) -> None:
    text = page_text(demo_run.html / "10_intake.html")
    assert "rejection share (100" not in text and "The seats" not in text
    rows = re.search(
        r"Licence reports 26 files \(\S+ … \S+\) m365_copilot_seats ([\d,]+) ([\d,]+) ([\d,]+) ([\d,]+)", text
    )
    assert rows, "the licence reports are one row of the table"
    read, accepted, superseded, rejected = (int(value.replace(",", "")) for value in rows.groups())
    assert read == accepted + superseded + rejected and superseded > 10 * rejected
    assert text.count("last_activity_at") <= 2  # once in the gaps table, at most once more: not once per report
    assert "seats · login, seats" not in text


def test_the_scorecard_shows_each_status_at_a_glance(demo_run) -> None:
    page = (demo_run.html / "65_scorecard.html").read_text()
    assert "<td>red</td>" not in page and "<td>green</td>" not in page
    badges = re.findall(r'<span class="scalegap-status scalegap-status-([a-z-]+)">', page)
    assert {"red", "green"} <= set(badges)
    assert "✖</span> Red" in page and "✔</span> Green" in page
    assert re.search(r'<img class="scalegap-figure" alt="Chart of \d+ scorecard metrics', page)
    css = (demo_run.html / "_static" / "scalegap.css").read_text()
    assert ".scalegap-status-red {" in css


def test_results_json_agrees_with_the_summary_page(demo_run) -> None:
    results = json.loads((demo_run.client / "_build" / "results.json").read_text())
    assert results["client"] == "Northwind Logistics (example client)"
    assert {entry["table"] for entry in results["inputs"]} == {
        "roster",
        "survey",
        "usage",
        "seats",
        "outcomes",
        "tickets",
        "governance",
    }
    assert len({entry["file"] for entry in results["inputs"]}) == len(results["inputs"])
    for entry in results["inputs"]:
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
    parser = HeadlineTable()
    parser.feed((demo_run.html / "00_summary.html").read_text())
    assert parser.rows == level_named_once(summary_rows(results), "")[0]  # the level is named in the caption
    assert len(parser.rows) > len(headline_rows(HeadlineFigures(**results["headline"])))
    assert results["headline"]["headcount"] > 1900
    assert 50 <= results["headline"]["pilot_members"] <= 70


def test_the_book_loads_nothing_from_the_network(demo_run) -> None:
    offenders = []
    for path in list(demo_run.html.rglob("*.html")) + list(demo_run.html.rglob("*.css")):
        text = path.read_text(errors="replace")
        offenders += [f"{path.name}: {m.group(0)[:80]}" for m in EXTERNAL.finditer(text)]
        offenders += [f"{path.name}: {m.group(0)[:80]}" for m in CSS_EXTERNAL.finditer(text)]
        if path.suffix == ".html" and ("THEBE_JS_URL" in text or "require.config" in text):
            offenders.append(f"{path.name}: thebe or require.js loader")
    assert offenders == []


def test_pages_show_no_code_no_errors_and_no_identifiers(demo_run) -> None:
    for page in PAGES:
        text = (demo_run.html / page).read_text()
        assert "Traceback" not in text and "Error:" not in text, page
        assert "PreparedPackage(" not in text, f"{page} shows notebook code"
        assert not re.search(r"\bE1\d{4}\b", text), f"{page} shows an employee ID"
        assert not re.search(r"[\w.]+@northwind\.example", text), f"{page} shows an e-mail address"


def test_exports_are_unchanged_by_the_run(demo_run, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    write_example_client(fresh)
    written = sorted(path.name for path in (fresh / "exports").iterdir())
    assert len(written) > 6 and "hr_roster.xlsx" in written
    for name in written:
        after_run = hashlib.sha256((demo_run.client / "exports" / name).read_bytes()).hexdigest()
        assert after_run == hashlib.sha256((fresh / "exports" / name).read_bytes()).hexdigest(), name


def test_executed_notebooks_run_top_to_bottom_as_they_are_under_nbval(demo_run) -> None:
    notebooks = sorted((demo_run.client / "_build" / "notebooks").glob("*.ipynb"))
    assert [p.name for p in notebooks] == CHAPTERS and len(CHAPTERS) >= 4
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", *map(str, notebooks)],
        capture_output=True,
        text=True,
        cwd=notebooks[0].parent,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"\b\d+ passed\b", done.stdout)


def test_results_are_strict_json_as_published_and_no_interval_has_zero_width(demo_run) -> None:
    assert demo_run.returncode == 0, demo_run.transcript
    assert published_problems(demo_run.client / "_build") == []


def test_the_demo_ran_from_an_installed_wheel_outside_the_checkout(demo_run) -> None:
    """The demo's scalegap and its assets (chapters, book pages, template) came from the wheel's package data."""
    checkout = Path(__file__).resolve().parents[2]
    installed = json.loads((demo_run.client.parent / "installed" / "installed.json").read_text())
    package, assets = Path(installed["package"]), Path(installed["assets"])
    assert "site-packages" in package.parts and not package.is_relative_to(checkout)
    assert assets.is_relative_to(package.parent) and not assets.is_relative_to(checkout)
    assert {path.name for path in (assets / "notebooks").glob("*.ipynb")} == set(CHAPTERS)
    assert (assets / "templates" / "client" / "assessment.yml").is_file()
    assert demo_run.returncode == 0, demo_run.transcript

"""`scalegap pdf` on the demo book: one PDF of the whole book, printed offline by Chromium, read back with poppler."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from scalegap.pdf import PDF_NAME, book_order
from tests.integration.conftest import Run, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is not installed: `make test` installs it (apt-get install poppler-utils)")
    return found


@pytest.fixture(scope="module")
def demo_pdf(demo_run: Run) -> Path:
    assert demo_run.returncode == 0, demo_run.transcript
    done = run_cli("pdf", str(demo_run.client))
    assert done.returncode == 0, done.stderr
    pdf = demo_run.client / "_build" / PDF_NAME
    assert done.stdout.strip() == f"wrote {pdf}"
    return pdf


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run([poppler("pdftotext"), *pages, str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def page_count(pdf: Path) -> int:
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def printed_conversion_rate(summary: Path) -> str:
    """The conversion rate as the executive summary prints it: the figure after its label, with its interval."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", summary.read_text(encoding="utf-8"))).split())
    found = re.search(r"Conversion rate (\d+(?:\.\d+)? ?% \([^)]*\))", text)
    assert found, "the executive summary prints no conversion rate with its interval"
    return found.group(1)


def first_heading(page: Path) -> str:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.DOTALL)
    assert heading, f"{page.name} has no title"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", heading.group(1))).replace("#", " ").split())


def test_the_pdf_holds_every_page_of_the_book_in_order(demo_run: Run, demo_pdf: Path) -> None:
    pages = book_order(demo_run.html)
    chapters = [page for page in pages if re.match(r"\d\d_", page.name)]
    assert len(chapters) >= 10 and pages[0].name == "00_summary.html" and pages[-1].name == "run-record.html"
    assert page_count(demo_pdf) > len(pages)  # every page of the book takes at least one sheet, the long ones more
    bookmarks = [item.title for item in PdfReader(demo_pdf).outline]
    assert bookmarks == [first_heading(page) for page in pages]
    assert bookmarks.index("Executive summary") < bookmarks.index("Conversion rate") < bookmarks.index("Methodology")
    results = json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))
    assert results["client"] in PdfReader(demo_pdf).metadata.title  # the book's title, not its first page's


def test_each_page_of_the_book_starts_a_sheet_of_its_own_with_a_bookmark(demo_run: Run, demo_pdf: Path) -> None:
    reader = PdfReader(demo_pdf)
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert len(starts) == len(book_order(demo_run.html)) and starts == sorted(set(starts))
    for item, start in zip(reader.outline, starts):
        assert pdf_text(demo_pdf, start + 1, start + 1).startswith(item.title)


def test_links_between_pages_stay_inside_the_pdf_and_name_no_local_folder(demo_pdf: Path) -> None:
    reader = PdfReader(demo_pdf)
    actions = [
        annotation.get_object()["/A"].get_object()
        for sheet in reader.pages
        for annotation in sheet.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert [str(action["/URI"]) for action in actions if str(action.get("/URI", "")).startswith("file:")] == []
    targets = {reader.get_page_number(action["/D"][0].get_object()) for action in actions if action["/S"] == "/GoTo"}
    starts = {reader.get_destination_page_number(item) for item in reader.outline}
    assert len(targets) > 5 and targets <= starts  # e.g. the glossary's terms, linked from every chapter


def test_the_pdf_prints_the_summary_headline_conversion_rate(demo_run: Run, demo_pdf: Path) -> None:
    printed = printed_conversion_rate(demo_run.html / "00_summary.html")
    results = json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))
    assert re.match(r"(\d+) ?%", printed).group(1) == str(round(100 * results["conversion_rate"]))
    assert printed in pdf_text(demo_pdf)


def test_the_pdf_has_no_navigation_chrome(demo_run: Run, demo_pdf: Path) -> None:
    """What the data intake page shows around its article on screen (sidebar, header, previous / next links)."""
    on_screen = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (demo_run.html / "10_intake.html").read_text())).split())
    chrome = [
        "Skip to main content",
        "Back to top",
        "Ctrl + K",
        "previous Will the pilot hold up at scale?",
        "next Readiness",
    ]
    assert all(words in on_screen for words in chrome)
    text = pdf_text(demo_pdf)
    assert [words for words in chrome if words in text] == []


def test_page_one_renders_as_a_picture(demo_run: Run, demo_pdf: Path) -> None:
    stem = demo_run.client / "_build" / "book-page"
    subprocess.run(
        [poppler("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(demo_pdf), str(stem)],
        check=True,
    )
    picture = stem.with_suffix(".png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000

"""``scalegap pdf``: the built book as one PDF, for a client who reads on paper or in a mail attachment.

Each page of the book is printed by Chromium (Debian's, driven by Playwright; Playwright's own browser download
is not used), in the book's order, with the print styles of ``_static/scalegap-print.css``, and the pages' PDFs are
joined into one, with a bookmark per page; a link to another page of the book leads to that page's first sheet.
The book's order is the chain of its "next" links from the page ``index.html`` opens, which is the order of its
table of contents.  Nothing is fetched from the network: the browser resolves no host name, and any request that
is not a local file is refused.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError, ExecutionError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route
    from pypdf import PdfWriter

#: the PDF, beside the HTML book in the client's _build/
PDF_NAME = "book.pdf"
#: another Chromium than the one on the PATH (a path to its executable)
CHROMIUM_VARIABLE = "SCALEGAP_CHROMIUM"
#: headless, offline (no host name resolves), no first-run or update traffic
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
LOCAL = ("file:", "data:", "blob:", "about:")
#: A4 with the margins of the print styles; the page number and the chapter at the foot of each page
PAPER: dict[str, Any] = {
    "format": "A4",
    "print_background": True,
    "prefer_css_page_size": True,
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": (
        '<div style="font-size:8px;width:100%;padding:0 14mm;color:#666;display:flex;justify-content:space-between">'
        '<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span>'
        "</div>"
    ),
}


@dataclass(frozen=True)
class PrintedPage:
    """One page of the book, printed: its title (the PDF's bookmark) and its PDF."""

    title: str
    pdf: Path
    source: Path
    #: the book's title, as each page's document title ends ("Data intake — Acme: AI rollout assessment")
    book: str


def write_pdf(root: Path) -> Path:
    """Print the client's built book into ``_build/book.pdf`` and return its path."""
    client = ClientFolder(root)
    html = client.html
    if not (html / "index.html").is_file():
        raise ConfigurationError("no built book in this client folder", file=html, hint="run `scalegap run DIR` first")
    pages = book_order(html)
    target = client.build / PDF_NAME
    with tempfile.TemporaryDirectory(prefix="scalegap-pdf-") as scratch, browser() as chromium:
        printed = [print_page(chromium, page, Path(scratch) / f"{number:03d}.pdf") for number, page in enumerate(pages)]
        join(printed, target)
    return target


def book_order(html: Path) -> list[Path]:
    """The book's pages in the order of its table of contents: from the page index.html opens, each "next" link."""
    first = html / (_links(html / "index.html").refresh or "index.html")
    pages: list[Path] = []
    page: Path | None = first.resolve()
    while page is not None and page.is_file() and page not in pages:
        pages.append(page)
        following = _links(page).next
        page = (page.parent / following).resolve() if following else None
    return pages


class _Links(HTMLParser):
    """The two links of a page that give the book's order: a redirect (index.html) and rel="next"."""

    def __init__(self) -> None:
        super().__init__()
        self.refresh: str | None = None
        self.next: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "next" and self.next is None:
            self.next = (found.get("href") or "").split("#")[0] or None
        elif tag == "meta" and (found.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url=([^;#]+)", found.get("content") or "", re.IGNORECASE)
            self.refresh = match.group(1).strip() if match else None


def _links(page: Path) -> _Links:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8", errors="replace"))
    return links


def chromium_path() -> str:
    """Debian's Chromium (or the one ``$SCALEGAP_CHROMIUM`` names)."""
    named = os.environ.get(CHROMIUM_VARIABLE) or shutil.which("chromium") or shutil.which("chromium-browser")
    if not named or not Path(named).is_file():
        raise ExecutionError(
            "Chromium is not installed: the PDF is printed by it",
            hint=f"install it (`apt-get install chromium`) or set {CHROMIUM_VARIABLE} to its executable",
        )
    return named


@contextmanager
def browser() -> Iterator[Browser]:
    """A headless Chromium that reaches no network, closed on the way out."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ExecutionError(
            "Playwright is not installed: the PDF is printed through it", hint="pip install playwright"
        ) from None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(BROWSER_ARGS))
        try:
            yield launched
        finally:
            launched.close()


def _local_only(route: Route) -> None:
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.abort()


def print_page(chromium: Browser, page: Path, target: Path) -> PrintedPage:
    """One page of the book as a PDF, printed with its print styles once its images have loaded."""
    tab = chromium.new_page()
    try:
        tab.route("**/*", _local_only)
        tab.goto(page.as_uri(), wait_until="load")
        tab.emulate_media(media="print")
        title = tab.locator("article h1").first.inner_text() if tab.locator("article h1").count() else tab.title()
        book = tab.title().rsplit(" — ", 1)[-1]
        tab.pdf(path=str(target), **PAPER)
    finally:
        tab.close()
    return PrintedPage(" ".join(title.replace("#", " ").split()), target, page.resolve(), book)


def join(printed: list[PrintedPage], target: Path) -> None:
    """The pages' PDFs as one, each page a bookmark; written beside, then moved in place (never half a PDF)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    starts: dict[Path, int] = {}
    for page in printed:
        starts[page.source] = len(writer.pages)
        writer.append(PdfReader(page.pdf), outline_item=page.title)
    book_links(writer, starts)
    if printed:
        writer.add_metadata({"/Title": printed[0].book})
    partial = target.with_suffix(".pdf.partial")
    with partial.open("wb") as handle:
        writer.write(handle)
    partial.replace(target)


def book_links(writer: PdfWriter, starts: dict[Path, int]) -> None:
    """Links between the book's pages lead to the first sheet of the page they name; any other link to a local file
    is taken out (it would lead nowhere on the reader's computer, and it would name the consultant's folders)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    for sheet in writer.pages:
        annotations = sheet.get("/Annots")
        if not annotations:
            continue
        kept = ArrayObject()
        for reference in annotations.get_object():
            annotation = reference.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI") or "") if action is not None else ""
            if not uri.startswith("file:"):
                kept.append(reference)
                continue
            start = starts.get(Path(url2pathname(urlparse(uri).path)).resolve())
            if start is not None:
                first = writer.pages[start].indirect_reference
                goto = {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([first, NameObject("/Fit")]),
                }
                annotation[NameObject("/A")] = DictionaryObject(goto)
                kept.append(reference)
        sheet[NameObject("/Annots")] = kept

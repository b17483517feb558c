"""`scalegap pdf` without a browser: the book's order, and the one-line errors before anything is printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalegap.errors import ExecutionError
from scalegap.pdf import CHROMIUM_VARIABLE, book_order, chromium_path
from tests.support import write
from tests.test_cli import assert_one_line_error, scalegap


def page(html: Path, name: str, following: str | None) -> None:
    link = f'<link rel="next" title="n" href="{following}#top" />' if following else ""
    write(html / name, f"<html><head>{link}</head><body><article><h1>{name}</h1></article></body></html>")


def test_the_book_order_follows_the_next_links_from_the_page_index_opens(tmp_path: Path) -> None:
    html = tmp_path / "_build" / "html"
    write(html / "index.html", '<meta http-equiv="Refresh" content="0; url=intro.html" />')
    page(html, "intro.html", "00_summary.html")
    page(html, "00_summary.html", "notes/10_context.html")
    page(html / "notes", "10_context.html", "../methodology.html")
    page(html, "methodology.html", None)
    page(html, "a_orphan.html", "intro.html")  # in the folder, not in the book's order: left out
    names = [path.relative_to(html.resolve()).as_posix() for path in book_order(html)]
    assert names == ["intro.html", "00_summary.html", "notes/10_context.html", "methodology.html"]


def test_a_next_link_back_to_an_earlier_page_ends_the_order(tmp_path: Path) -> None:
    html = tmp_path / "html"
    page(html, "index.html", "b.html")
    page(html, "b.html", "index.html")
    assert [path.name for path in book_order(html)] == ["index.html", "b.html"]


def test_a_book_never_built_is_one_line_with_a_hint_and_exit_2(tmp_path: Path) -> None:
    scalegap("init", str(tmp_path / "acme"))
    assert_one_line_error(scalegap("pdf", str(tmp_path / "acme")), "no built book", "run `scalegap run DIR` first")


def test_a_missing_chromium_is_named_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "no-chromium"))
    with pytest.raises(ExecutionError, match="Chromium is not installed") as caught:
        chromium_path()
    assert "apt-get install chromium" in caught.value.hint

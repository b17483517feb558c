"""Every table of the book to download, as CSV and XLSX, exactly as it is shown.

The files are made from the tables the chapters show (the HTML of :mod:`scalegap.present.tables`, read back from
the executed notebooks), so they hold what a reader sees: the same rows and columns, a suppressed figure as
the suppressed mark, and each figure at the precision shown, written as a number where it is one ("1,598" is
1598, "38 %" is 0.38, formatted as a percentage in the workbook).

A table's files are named after its caption (lower case, words joined by hyphens, at most 60 characters; a
second table of the same caption in a chapter gets "-2"), under its chapter:
``_downloads/<chapter>/<caption>.csv`` and ``.xlsx`` beside the book's pages, linked relatively under each table
and from the book's "Data" page, so the book works offline and as an e-mailed folder.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from scalegap import number_format as nf
from scalegap.present.tables import LEVEL_IN_CAPTION

#: the folder, beside the book's pages, that holds every table's files
FOLDER = "_downloads"
#: the appendix page that lists every table with its files
PAGE = "data"
LINKS_CLASS = "scalegap-downloads"
_TABLE = re.compile(r'<table class="scalegap-table[^"]*">.*?</table>(?:<p class="scalegap-note">.*?</p>)?', re.DOTALL)
_STAMP = (2000, 1, 1, 0, 0, 0)  # every file in a workbook's zip gets one date: the same table, the same bytes


@dataclass(frozen=True)
class ShownTable:
    """A table as the book shows it: its caption, its header (empty for a table of labelled rows) and its rows
    of cell texts."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Download:
    """One table's files: the chapter (its page's name) and title, the table's caption and its file stem."""

    chapter: str
    chapter_title: str
    caption: str
    stem: str

    def path(self, extension: str) -> str:
        """The file's path relative to the book's pages."""
        return f"{FOLDER}/{self.chapter}/{self.stem}.{extension}"


class _TableReader(HTMLParser):
    """Reads the scalegap tables of a piece of HTML: caption, header cells, body rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ShownTable] = []
        self._inside = False
        self._caption: str | None = None
        self._cell: str | None = None
        self._row: list[str] | None = None
        self._header: tuple[str, ...] = ()
        self._rows: list[tuple[str, ...]] = []
        self._in_head = False
        self._title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "scalegap-table" in (dict(attrs).get("class") or ""):
            self._inside, self._header, self._rows, self._title = True, (), [], ""
        elif not self._inside:
            return
        elif tag == "caption":
            self._caption = ""
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if not self._inside:
            return
        if tag == "caption" and self._caption is not None:
            self._title, self._caption = self._caption.strip(), None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self._header = tuple(self._row)
            else:
                self._rows.append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self.tables.append(ShownTable(self._title, self._header, tuple(self._rows)))
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell += data
        elif self._caption is not None:
            self._caption += data


def tables_in(page: str) -> list[ShownTable]:
    """The scalegap tables of ``page`` (HTML), in order, as shown."""
    reader = _TableReader()
    reader.feed(page)
    reader.close()
    return reader.tables


def file_stem(caption: str, taken: set[str]) -> str:
    """A readable, stable file name from a table's caption, not in ``taken`` (which it joins)."""
    plain = LEVEL_IN_CAPTION.sub("", caption)  # the same table keeps its name whatever the interval level
    letters = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", "-", letters).strip("-")[:60].rstrip("-") or "table"
    stem, number = words, 2
    while stem in taken:
        stem, number = f"{words}-{number}", number + 1
    taken.add(stem)
    return stem


def values_of(table: ShownTable) -> list[list[Any]]:
    """The table's rows (its header first, when it has one) with every figure read back as a number."""
    rows: list[list[Any]] = [list(table.header)] if table.header else []
    return rows + [[nf.value_of(text) for text in row] for row in table.rows]


def write_csv(table: ShownTable, path: Path) -> None:
    """The table as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads its dashes and accents)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in values_of(table):
            writer.writerow(["" if v is None else _plain(v) for v in row])


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def number_format_of(shown: str) -> str:
    """The spreadsheet format that shows a figure as the book does: ``38 %`` → ``0%``, ``1,598`` → ``#,##0``."""
    digits = shown.removesuffix("%").removesuffix(" h").strip()
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    fraction = "." + "0" * decimals if decimals else ""
    if shown.endswith("%"):
        return f"0{fraction}%"
    return f"#,##0{fraction}" + (' "h"' if shown.endswith(" h") else "")


def write_xlsx(table: ShownTable, path: Path) -> None:
    """The table as a workbook of one sheet: the caption as its title row is left out (the file is named after
    it); figures are numbers formatted as shown."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "Table"
    texts = ([list(table.header)] if table.header else []) + [list(row) for row in table.rows]
    for r, (shown_row, row) in enumerate(zip(texts, values_of(table), strict=True), start=1):
        for c, (shown, value) in enumerate(zip(shown_row, row, strict=True), start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, float):
                cell.number_format = number_format_of(shown)
            if table.header and r == 1:
                cell.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _stamp(path)


def _stamp(path: Path) -> None:
    """Rewrite a workbook with one date on every part, so the same table makes the same bytes."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, date_time=_STAMP), data, zipfile.ZIP_DEFLATED)


def links(download: Download) -> str:
    """The links under a table to its files (relative to the chapter's page)."""
    return (
        f'<p class="{LINKS_CLASS}">Download this table: '
        f'<a href="{html.escape(download.path("csv"))}" download>CSV</a> · '
        f'<a href="{html.escape(download.path("xlsx"))}" download>XLSX</a></p>'
    )


def with_downloads(
    page: str, chapter: str, chapter_title: str, folder: Path, taken: set[str]
) -> tuple[str, list[Download]]:
    """``page`` (a chapter output's HTML) with the links under each table, after writing each table's files
    into ``folder``/``chapter``; the stems already used in the chapter are ``taken``."""
    made: list[Download] = []

    def linked(match: re.Match[str]) -> str:
        found = tables_in(match.group(0))
        if not found:
            return match.group(0)
        table = found[0]
        download = Download(chapter, chapter_title, table.caption, file_stem(table.caption, taken))
        write_csv(table, folder / download.path("csv"))
        write_xlsx(table, folder / download.path("xlsx"))
        made.append(download)
        return match.group(0) + links(download)

    return _TABLE.sub(linked, page), made


def data_page(downloads: list[Download]) -> str:
    """The "Data" appendix page: every table of the book, by chapter, with its files."""
    lines = [
        "# Data",
        "",
        "Every table of this book, to download as CSV or as an Excel workbook. Each file holds exactly what the "
        "table shows: the same rows and columns, figures at the precision shown (written as numbers), and figures "
        "suppressed for privacy shown as suppressed.",
        "",
    ]
    if not downloads:
        return "\n".join([*lines, "The chapters of this book show no tables.", ""])
    chapter = None
    for download in downloads:
        if download.chapter != chapter:
            chapter = download.chapter
            lines += ["", f"## {_markdown_text(download.chapter_title)}", ""]
        lines.append(
            f"- {_markdown_text(download.caption)}: "
            f'<a href="{html.escape(download.path("csv"))}" download>CSV</a> · '
            f'<a href="{html.escape(download.path("xlsx"))}" download>XLSX</a>'
        )
    return "\n".join(lines) + "\n"


def _markdown_text(text: str) -> str:
    """Text that Markdown shows as it is: HTML escaped, Markdown's marks backslashed."""
    return re.sub(r"([\\`*_\[\]{}<>#|!])", r"\\\1", text).replace("&", "&amp;")

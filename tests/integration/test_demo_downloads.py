"""Every table of the demo book can be downloaded, and each file holds exactly the table shown."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scalegap import downloads
from scalegap import number_format as nf

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

LINKS = re.compile(r'<p class="scalegap-downloads">.*?</p>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


def shown_tables_and_links(page: str) -> list[tuple[downloads.ShownTable, list[str]]]:
    """Each scalegap table of a built page with the links that follow it (before the next table)."""
    pieces = re.split(r'(?=<table class="scalegap-table)', page)[1:]
    found = []
    for piece in pieces:
        table = downloads.tables_in(piece)[0]
        block = LINKS.search(piece)
        found.append((table, HREF.findall(block.group(0)) if block else []))
    return found


def expected(table: downloads.ShownTable) -> list[list[object]]:
    rows = [list(table.header)] if table.header else []
    return rows + [[nf.value_of(text) for text in row] for row in table.rows]


def from_csv(path: Path) -> list[list[object]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [[nf.value_of(text) if text else None for text in row] for row in csv.reader(handle)]


def from_xlsx(path: Path) -> list[list[object]]:
    sheet = load_workbook(path).active
    return [
        [None if v is None else float(v) if isinstance(v, int) else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def download_problems(html: Path) -> tuple[int, list[str]]:
    """How many tables the book's chapters show, and what is wrong with their files."""
    problems, count = [], 0
    for page in sorted(html.glob("[0-9]*.html")):
        for table, links in shown_tables_and_links(page.read_text(encoding="utf-8")):
            count += 1
            where = f"{page.name}: {table.caption!r}"
            if sorted(Path(link).suffix for link in links) != [".csv", ".xlsx"]:
                problems.append(f"{where} has links {links}")
                continue
            for link in links:
                file = html / link
                if not file.is_file():
                    problems.append(f"{where}: {link} is missing")
                    continue
                header = [list(table.header)] if table.header else []
                read = from_csv(file) if file.suffix == ".csv" else from_xlsx(file)
                shown = expected(table)
                if file.suffix == ".csv" and header:  # a header cell that reads as a number is a number in CSV
                    read[0] = list(table.header)
                if read != shown:
                    problems.append(f"{where}: {link} differs from the table shown")
    return count, problems


def test_every_table_has_files_that_hold_what_it_shows(demo_run) -> None:
    count, problems = download_problems(demo_run.html)
    assert count > 50 and not problems, problems


def test_the_data_page_links_every_file(demo_run) -> None:
    page = (demo_run.html / "data.html").read_text(encoding="utf-8")
    listed = {link for link in HREF.findall(page) if link.startswith(f"{downloads.FOLDER}/")}
    published = {p.relative_to(demo_run.html).as_posix() for p in (demo_run.html / downloads.FOLDER).rglob("*.*")}
    assert published and listed == published

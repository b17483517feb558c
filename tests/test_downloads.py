from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from scalegap import downloads
from scalegap.present.tables import html_table, key_value_table
from scalegap.privacy import suppress_small_counts


def shown_page() -> str:
    frame = pd.DataFrame(
        {"Team": ["Sales & <Ops>", "Legal"], "People": [1598, 3], "Share": [0.382, 0.045], "Note": ["", ""]}
    )
    table = html_table(suppress_small_counts(frame, "People", 5, derived=["Share"]), "People by team", ("Share",))
    return "<p>before</p>" + table + key_value_table([("Conversion rate", "38 %")], "Headline")


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path: Path) -> list[list[object]]:
    sheet = load_workbook(path).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_tables_are_read_back_as_shown() -> None:
    first, second = downloads.tables_in(shown_page())
    assert first.caption == "People by team" and first.header == ("Team", "People", "Share")
    assert first.rows == (("Sales & <Ops>", "1,598", "38 %"), ("Legal", "suppressed", "suppressed"))
    assert second.header == () and second.rows == (("Conversion rate", "38 %"),)


def test_each_table_gets_its_files_and_links_and_the_files_hold_what_is_shown(tmp_path: Path) -> None:
    page, made = downloads.with_downloads(shown_page(), "20_readiness", "Readiness", tmp_path, set())
    assert [d.stem for d in made] == ["people-by-team", "headline"]
    assert page.count(f'class="{downloads.LINKS_CLASS}"') == 2
    assert 'href="_downloads/20_readiness/people-by-team.csv"' in page
    assert 'href="_downloads/20_readiness/headline.xlsx"' in page
    csv_rows = read_csv(tmp_path / "_downloads/20_readiness/people-by-team.csv")
    assert csv_rows == [
        ["Team", "People", "Share"],
        ["Sales & <Ops>", "1598", "0.38"],
        ["Legal", "suppressed", "suppressed"],
    ]
    workbook = tmp_path / "_downloads/20_readiness/people-by-team.xlsx"
    assert read_xlsx(workbook) == [
        ["Team", "People", "Share"],
        ["Sales & <Ops>", 1598, 0.38],
        ["Legal", "suppressed", "suppressed"],
    ]
    sheet = load_workbook(workbook).active
    assert sheet["B2"].number_format == "#,##0" and sheet["C2"].number_format == "0%"
    assert read_xlsx(tmp_path / "_downloads/20_readiness/headline.xlsx") == [["Conversion rate", 0.38]]


def test_the_same_table_makes_the_same_bytes(tmp_path: Path) -> None:
    downloads.with_downloads(shown_page(), "c", "C", tmp_path / "a", set())
    downloads.with_downloads(shown_page(), "c", "C", tmp_path / "b", set())
    for name in ("people-by-team.csv", "people-by-team.xlsx"):
        assert (tmp_path / "a/_downloads/c" / name).read_bytes() == (tmp_path / "b/_downloads/c" / name).read_bytes()


def test_file_names_are_readable_stable_and_distinct() -> None:
    taken: set[str] = set()
    assert downloads.file_stem("Readiness index (0–100): pilot members", taken) == "readiness-index-0-100-pilot-members"
    assert (
        downloads.file_stem("Readiness index (0–100): pilot members", taken) == "readiness-index-0-100-pilot-members-2"
    )
    assert downloads.file_stem("Équipe «x»", taken) == "equipe-x"
    assert downloads.file_stem("—", taken) == "table"
    assert downloads.file_stem("Headline (in brackets: 95 % intervals)", taken) == "headline"
    assert len(downloads.file_stem("x" * 200, taken)) == 60


def test_the_data_page_lists_every_table_by_chapter_with_its_links() -> None:
    made = [
        downloads.Download("10_intake", "Data intake", "Rows <per> export", "rows-per-export"),
        downloads.Download("20_readiness", "Readiness", "By team", "by-team"),
    ]
    page = downloads.data_page(made)
    assert page.startswith("# Data") and "## Data intake" in page and "## Readiness" in page
    assert r"Rows \<per\> export" in page
    assert '<a href="_downloads/20_readiness/by-team.xlsx" download>XLSX</a>' in page
    assert "show no tables" in downloads.data_page([])


def test_a_shown_figure_keeps_its_format_in_the_workbook() -> None:
    assert downloads.number_format_of("4.5 %") == "0.0%"
    assert downloads.number_format_of("62.3") == "#,##0.0"
    assert downloads.number_format_of("1,598 h") == '#,##0 "h"'

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd

from scalegap import book, downloads
from scalegap.present.tables import html_table


def executed_chapter(path: Path) -> Path:
    table = html_table(pd.DataFrame({"Team": ["a", "b"], "People": [12, 30]}), "People by team")
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": table, "text/plain": "<HTML>"})]
    document = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Readiness\n\nText."), cell])
    nbformat.write(document, path)
    return path


def test_the_static_copy_links_each_table_to_its_files(tmp_path: Path) -> None:
    chapter = executed_chapter(tmp_path / "20_readiness.ipynb")
    made = book.write_static_copy(chapter, tmp_path / "copy.ipynb", tmp_path / "extra")
    assert made == [downloads.Download("20_readiness", "Readiness", "People by team", "people-by-team")]
    shown = nbformat.read(tmp_path / "copy.ipynb", as_version=4).cells[1].outputs[0]["data"]["text/html"]
    assert 'href="_downloads/20_readiness/people-by-team.csv"' in shown
    assert (tmp_path / "extra/_downloads/20_readiness/people-by-team.xlsx").is_file()


def test_the_data_page_is_in_the_appendix_and_the_files_are_published_beside_the_pages(template_settings) -> None:
    toc = book.table_of_contents(["20_readiness"], [])
    appendix = next(part for part in toc["parts"] if part["caption"] == "Appendix")
    assert {"file": downloads.PAGE} in appendix["chapters"]
    assert book.book_settings(template_settings)["sphinx"]["config"]["html_extra_path"] == [book.EXTRA]

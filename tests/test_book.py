"""The book's assembly: the summary as root page, branding in its configuration, notes inside their chapter, and
each table's download links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from scalegap import book, downloads
from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError
from scalegap.present.tables import html_table
from scalegap.settings import load_settings


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


CHAPTERS = ["00_summary", "10_intake", "68_conversion_rate"]


def test_the_executive_summary_is_the_root_page_and_the_introduction_follows_it() -> None:
    toc = book.table_of_contents(CHAPTERS, ["99_next_steps"])
    assert toc["root"] == "00_summary"
    assert [entry["file"] for entry in toc["parts"][0]["chapters"]] == ["intro", "10_intake", "68_conversion_rate"]
    assert toc["parts"][1]["chapters"] == [{"file": "notes/99_next_steps"}]
    assert book.table_of_contents(["10_intake"], [])["root"] == "intro"


def test_a_note_belongs_in_the_chapter_it_is_named_after() -> None:
    assert book.chapter_of(Path("notes/68_conversion_rate.md"), CHAPTERS) == "68_conversion_rate"
    assert book.chapter_of(Path("notes/conversion_rate.md"), CHAPTERS) == "68_conversion_rate"
    assert book.chapter_of(Path("notes/summary.md"), CHAPTERS) == "00_summary"
    assert book.chapter_of(Path("notes/10_context.md"), CHAPTERS) is None


def test_commentary_is_an_admonition_whose_headings_are_bold_lines() -> None:
    cell = book.commentary_cell("# Our view\n\nThe rate is {glue:text}`conversion_rate`.\n\n```\ncode\n```\n")
    source = cell["source"]
    assert source.startswith("````{admonition} Consultant's commentary\n:class: scalegap-commentary\n")
    assert "**Our view**" in source and "# Our view" not in source
    assert "{glue:text}`conversion_rate`" in source and source.rstrip().endswith("````")


def test_title_footer_and_logo_follow_branding_and_are_escaped() -> None:
    settings = load_settings(
        None,
        {
            "client": {"name": "Acme <Ltd>", "assessment_date": "2026-09-30"},
            "branding": {"consultancy": "Smith & Co", "confidentiality": "Strictly <private>."},
        },
    )
    config = book.book_settings(settings, "_static/logo.svg")
    assert config["title"] == "Acme ‹Ltd›: AI rollout assessment" and config["logo"] == "_static/logo.svg"
    assert config["sphinx"]["config"]["html_theme_options"]["logo"] == {"text": "Acme ‹Ltd›: AI rollout assessment"}
    footer = config["sphinx"]["config"]["html_theme_options"]["extra_footer"]
    assert footer == (
        '<p class="scalegap-footer">Prepared by Smith &amp; Co for Acme &lt;Ltd&gt; as of 30 September 2026. '
        "Strictly &lt;private&gt;.</p>"
    )
    titled = load_settings(None, {"branding": {"title": "Readiness review"}})
    assert book.book_settings(titled)["title"] == "Readiness review" and book.book_settings(titled)["logo"] == ""
    assert date(2026, 9, 30) == settings.client.assessment_date


def test_a_missing_logo_is_one_error_naming_the_file(tmp_path: Path) -> None:
    settings = load_settings(None, {"branding": {"logo": "brand/logo.png"}})
    with pytest.raises(ConfigurationError) as caught:
        book.logo_file(ClientFolder(tmp_path), settings)
    line = caught.value.one_line()
    assert str(tmp_path / "brand" / "logo.png") in line and "branding.logo" in line and "\n" not in line
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(b"\x89PNG")
    assert book.logo_file(ClientFolder(tmp_path), settings) == tmp_path / "brand" / "logo.png"


def test_the_theme_takes_its_colours_from_the_palette() -> None:
    css = book.theme_css(load_settings(None))
    assert "--pst-color-primary: #0173b2;" in css  # seaborn's colorblind palette, the default
    own = load_settings(None, {"branding": {"palette": ["#112233", "#445566", "#778899", "#aabbcc"]}})
    assert "--pst-color-primary: #112233;" in book.theme_css(own) and "#aabbcc" in book.theme_css(own)

"""The parts of the book's source copied from the last good build when made from the same inputs
(``scalegap.static_copies``, used by ``scalegap.book.assemble``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd

from scalegap import book, static_copies
from scalegap.present.tables import html_table
from scalegap.settings import Settings
from tests.support import folder_digest


def executed_in(build: Path, name: str = "20_readiness") -> Path:
    """An executed chapter in ``build``'s notebooks, naming ``build`` as papermill's parameters do."""
    table = html_table(pd.DataFrame({"Team": ["a", "b"], "People": [12, 30]}), "People by team")
    parameters = nbformat.v4.new_code_cell(f'prepared_dir = "{build.resolve()}/prepared"')
    shown = nbformat.v4.new_code_cell("show()")
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/html": table, "text/plain": "<HTML>"})]
    document = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Readiness"), parameters, shown])
    for number, cell in enumerate(document.cells):  # as papermill's: the same notebook, the same ids
        cell["id"] = f"cell-{number}"
    (build / "notebooks").mkdir(parents=True, exist_ok=True)
    (build / "book").mkdir(exist_ok=True)
    nbformat.write(document, build / "notebooks" / f"{name}.ipynb")
    return build / "notebooks" / f"{name}.ipynb"


def copy_made(build: Path, last: Path | None, commentary: str | None = None) -> tuple[list, static_copies.Memo]:
    """The static copy of the chapter executed in ``build``, with the memo of the build ``last``."""
    memo = static_copies.Memo.of(last)
    tables = book.static_copy(memo, executed_in(build), build / "book", commentary)
    memo.write(build)
    return tables, memo


def test_a_chapter_made_from_the_same_notebook_is_copied_naming_the_new_build(tmp_path: Path) -> None:
    first, _ = copy_made(tmp_path / "first", None)
    fresh, _ = copy_made(tmp_path / "fresh", None)
    copied, memo = copy_made(tmp_path / "second", tmp_path / "first")
    assert memo.before and copied == first == fresh  # the same tables, listed for the data page
    assert (tmp_path / "second/book/20_readiness.ipynb").read_text() == (
        (tmp_path / "fresh/book/20_readiness.ipynb")
        .read_text()
        .replace(str((tmp_path / "fresh").resolve()), str((tmp_path / "second").resolve()))
    )
    assert str((tmp_path / "first").resolve()) not in (tmp_path / "second/book/20_readiness.ipynb").read_text()
    assert folder_digest(tmp_path / "second/book/_extra") == folder_digest(tmp_path / "fresh/book/_extra")
    # and the copy is remembered in turn, for the run after
    assert static_copies.Memo.of(tmp_path / "second").before == memo.now


def test_a_chapter_whose_commentary_changed_is_made_again(tmp_path: Path) -> None:
    copy_made(tmp_path / "first", None)
    copy_made(tmp_path / "second", tmp_path / "first", commentary="# Our view\n\nA steering group in March.")
    assert "A steering group in March." in (tmp_path / "second/book/20_readiness.ipynb").read_text()


def test_a_build_without_its_files_or_memo_copies_nothing(tmp_path: Path) -> None:
    copy_made(tmp_path / "first", None)
    (tmp_path / "first/book/20_readiness.ipynb").unlink()
    copy_made(tmp_path / "second", tmp_path / "first")
    assert (tmp_path / "second/book/_extra/_downloads/20_readiness/people-by-team.xlsx").is_file()
    assert static_copies.Memo.of(tmp_path / "nowhere").before == {}
    (tmp_path / "first" / static_copies.MEMO).write_text("[1, 2]")
    assert static_copies.Memo.of(tmp_path / "first").before == {}


def test_the_theme_is_resolved_again_only_when_the_palette_changed(template_settings: Settings, tmp_path: Path) -> None:
    memo = static_copies.Memo.of(None)
    css = book.branding_css(memo, template_settings)
    assert css == book.theme_css(template_settings)
    (tmp_path / "book").mkdir()
    memo.write(tmp_path)
    again = static_copies.Memo.of(tmp_path)
    key = again.before["branding"].key
    assert book.branding_css(again, template_settings) == css and again.reusable("branding", key) == css
    other = template_settings.model_copy(
        update={"branding": template_settings.branding.model_copy(update={"palette": "dark"})}
    )
    assert book.branding_css(again, other) == book.theme_css(other) != css


def test_the_copy_is_the_last_builds_files_not_made_again(tmp_path: Path) -> None:
    copy_made(tmp_path / "first", None)
    table = Path("book/_extra/_downloads/20_readiness/people-by-team.csv")
    (tmp_path / "first" / table).write_text("as the last build wrote it\n")
    copy_made(tmp_path / "second", tmp_path / "first")
    assert (tmp_path / "second" / table).read_text() == "as the last build wrote it\n"

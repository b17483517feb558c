"""The shared chapter notebooks: committed clean, numbered, parameterised, thin."""

import json

import pytest

from scalegap.resources import chapter_notebooks

NOTEBOOKS = chapter_notebooks()


def test_there_are_chapter_notebooks() -> None:
    assert [path.name for path in NOTEBOOKS][:2] == ["00_summary.ipynb", "10_intake.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path) -> None:
    cells = json.loads(path.read_text())["cells"]
    dirty = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_naming_the_prepared_package(path) -> None:
    cells = json.loads(path.read_text())["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and "prepared_dir" in "".join(tagged[0]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_its_chapter_title_and_stays_thin(path) -> None:
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            assert len(source.splitlines()) <= 12, f"{path.name}: a code cell this long belongs in src/scalegap"
            assert "def " not in source and "class " not in source

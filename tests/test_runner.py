"""Executing chapters with papermill (for real): parameters injected, failures saved and named."""

from pathlib import Path

import nbformat
import pytest

from scalegap.errors import ExecutionError
from scalegap.runner import execute_chapters, notebook_parameters


def chapter(path: Path, body: str) -> Path:
    document = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('prepared_dir = "../prepared"')
    parameters.metadata["tags"] = ["parameters"]
    document.cells = [parameters, nbformat.v4.new_code_cell(body)]
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(document, path)
    return path


def test_parameters_are_injected_and_a_failing_chapter_is_saved_and_named(tmp_path: Path) -> None:
    good = chapter(tmp_path / "10_good.ipynb", "print(prepared_dir)")
    bad = chapter(tmp_path / "20_bad.ipynb", "raise ValueError('no such segment')")
    started = []
    with pytest.raises(ExecutionError) as caught:
        execute_chapters([good, bad], tmp_path / "out", notebook_parameters(tmp_path / "prepared"),
                         on_start=started.append, workers=2)
    assert started == [good, bad]
    assert caught.value.file == str(tmp_path / "out" / "20_bad.ipynb")
    assert "ValueError: no such segment" in caught.value.one_line()
    saved = nbformat.read(tmp_path / "out" / "20_bad.ipynb", as_version=4)
    assert any(output.get("ename") == "ValueError" for cell in saved.cells for output in cell.get("outputs", []))
    executed = nbformat.read(tmp_path / "out" / "10_good.ipynb", as_version=4)
    printed = "".join(output.get("text", "") for cell in executed.cells for output in cell.get("outputs", []))
    assert str((tmp_path / "prepared").resolve()) in printed

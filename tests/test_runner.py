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


def test_a_chapter_that_stops_answering_once_is_run_again(tmp_path: Path) -> None:
    """The first run outlives the cell timeout (a kernel that stopped answering); the second completes."""
    marker = tmp_path / "first-run"
    stalls_once = chapter(tmp_path / "30_stalls_once.ipynb", (
        "import pathlib, time\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.write_text('started')\n"
        "    time.sleep(60)\n"
        "print('finished')"))
    [executed] = execute_chapters([stalls_once], tmp_path / "out", notebook_parameters(tmp_path / "prepared"),
                                  workers=1, cell_timeout_seconds=6)
    printed = "".join(output.get("text", "") for cell in nbformat.read(executed, as_version=4).cells
                      for output in cell.get("outputs", []))
    assert "finished" in printed


def test_a_cell_that_always_outruns_the_timeout_is_named_after_a_second_try(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    too_slow = chapter(tmp_path / "40_too_slow.ipynb", (
        f"with open({str(runs)!r}, 'a') as log: log.write('run\\n')\n"
        "import time; time.sleep(60)"))
    with pytest.raises(ExecutionError) as caught:
        execute_chapters([too_slow], tmp_path / "out", notebook_parameters(tmp_path / "prepared"),
                         workers=1, cell_timeout_seconds=6)
    assert runs.read_text().splitlines() == ["run", "run"]
    assert caught.value.file == str(tmp_path / "out" / "40_too_slow.ipynb")
    assert "ran longer than 0.1 minutes, 2 times" in caught.value.one_line()
    assert "execution.cell_timeout_minutes" in caught.value.one_line()


def test_a_chapter_past_its_wall_clock_limit_is_stopped_and_named(tmp_path: Path) -> None:
    """However its time is spent (a cell, a kernel that never answers), a chapter ends at its limit."""
    endless = chapter(tmp_path / "50_endless.ipynb", "import time; time.sleep(120)")
    with pytest.raises(ExecutionError) as caught:
        execute_chapters([endless], tmp_path / "out", notebook_parameters(tmp_path / "prepared"),
                         workers=1, cell_timeout_seconds=600, chapter_timeout_seconds=8)
    assert "ran longer than 0.133333 minutes in all" in caught.value.one_line()
    assert "execution.chapter_timeout_minutes" in caught.value.one_line()

"""Executing chapters with papermill (for real): parameters injected, failures saved and named."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from scalegap import reads, runner
from scalegap.errors import ExecutionError
from scalegap.runner import execute_chapter, execute_chapters, notebook_parameters, signals_deferred, wait_ended


def chapter(path: Path, body: str) -> Path:
    document = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('prepared_dir = "../prepared"')
    parameters.metadata["tags"] = ["parameters"]
    document.cells = [parameters, nbformat.v4.new_code_cell(body)]
    document.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(document, path)
    return path


def test_parameters_are_injected_and_a_failing_chapter_is_saved_and_named(tmp_path: Path) -> None:
    good = chapter(tmp_path / "10_good.ipynb", "import os\nprint(prepared_dir, os.environ.get('SCALEGAP_HEADLESS'))")
    bad = chapter(tmp_path / "20_bad.ipynb", "raise ValueError('no such segment')")
    events: list[tuple[str, str]] = []
    with pytest.raises(ExecutionError) as caught:
        execute_chapters(
            [good, bad],
            tmp_path / "out",
            notebook_parameters(tmp_path / "prepared"),
            on_event=lambda chapter, state, seconds: events.append((chapter.name, state)),
            workers=2,
        )
    assert [e for e in events if e[1] == "queued"] == [("10_good.ipynb", "queued"), ("20_bad.ipynb", "queued")]
    assert ("10_good.ipynb", "running") in events and ("20_bad.ipynb", "running") in events
    assert ("10_good.ipynb", "done") in events and ("20_bad.ipynb", "failed") in events
    assert ("20_bad.ipynb", "done") not in events
    assert caught.value.file == str(tmp_path / "out" / "20_bad.ipynb")
    assert "ValueError: no such segment" in caught.value.one_line()
    saved = nbformat.read(tmp_path / "out" / "20_bad.ipynb", as_version=4)
    assert any(output.get("ename") == "ValueError" for cell in saved.cells for output in cell.get("outputs", []))
    executed = nbformat.read(tmp_path / "out" / "10_good.ipynb", as_version=4)
    printed = "".join(output.get("text", "") for cell in executed.cells for output in cell.get("outputs", []))
    assert f"{(tmp_path / 'prepared').resolve()} 1" in printed  # the kernel was told no browser is attached
    assert "SCALEGAP_HEADLESS" not in os.environ


def test_a_failing_cell_is_named_by_its_chapter_number_code_and_executed_notebook(tmp_path: Path) -> None:
    """The one line names the chapter, the cell (its place in the executed notebook, its In [n] and its first
    line of code) and the exception; the executed notebook it names holds the traceback."""
    failing = chapter(tmp_path / "30_failing.ipynb", "print('fine')")
    document = nbformat.read(failing, as_version=4)
    document.cells.append(nbformat.v4.new_code_cell("\n# the segment\nsegments = {}\nsegments['Legal'] + 1"))
    nbformat.write(document, failing)
    output = tmp_path / "out" / "30_failing.ipynb"
    events: list[tuple[str, str]] = []
    with pytest.raises(ExecutionError) as caught:
        execute_chapters(
            [failing],
            tmp_path / "out",
            notebook_parameters(tmp_path / "prepared"),
            on_event=lambda chapter, state, seconds: events.append((chapter.name, state)),
            workers=1,
        )
    line = caught.value.one_line()
    # in the saved notebook papermill put its injected parameters after the tagged cell, a banner at the top and
    # one above the failing cell: that cell is the 6th
    saved = nbformat.read(output, as_version=4)
    failed = saved.cells[5]
    assert any(output.get("ename") == "KeyError" for output in failed.get("outputs", []))
    assert line.startswith(
        f"execution error: {output}: chapter 30_failing.ipynb failed at cell 6 (id {failed.id}, In [4]: # the segment)"
        " with KeyError: 'Legal' — the traceback is in this executed notebook"
    )
    assert "\n" not in line
    assert events == [("30_failing.ipynb", "running"), ("30_failing.ipynb", "failed")]


def test_a_long_first_line_of_code_is_cut_short(tmp_path: Path) -> None:
    from papermill.exceptions import PapermillExecutionError

    from scalegap.runner import cell_failure

    error = PapermillExecutionError(0, None, "x = " + "1 + " * 40 + "None", "TypeError", "unsupported", [])
    line = cell_failure(error, tmp_path / "40_long.ipynb").one_line()
    # not saved: its number in the notebook run
    assert "failed at cell 1 (x = 1 + 1 + " in line and "…) with TypeError: unsupported" in line
    assert "In [" not in line


def test_a_chapter_is_reported_running_when_a_worker_takes_it_not_when_it_is_queued(tmp_path: Path) -> None:
    """One worker, two chapters: the second is queued at once, but runs only once the first is done."""
    first = chapter(tmp_path / "10_first.ipynb", "import time\ntime.sleep(2)")
    second = chapter(tmp_path / "20_second.ipynb", "print('second')")
    events: list[tuple[str, str, float | None]] = []
    execute_chapters(
        [first, second],
        tmp_path / "out",
        notebook_parameters(tmp_path / "prepared"),
        on_event=lambda chapter, state, seconds: events.append((chapter.name, state, seconds)),
        workers=1,
        chapter_timeout_seconds=300,  # the pool, with its queue, even with one worker
    )
    order = [(name, state) for name, state, _ in events]
    assert order.index(("20_second.ipynb", "queued")) < order.index(("10_first.ipynb", "done"))
    assert order.index(("10_first.ipynb", "done")) < order.index(("20_second.ipynb", "running"))
    took = {name: seconds for name, state, seconds in events if state == "done"}
    assert took["10_first.ipynb"] is not None and took["10_first.ipynb"] >= 2


def test_what_a_kernel_writes_to_its_standard_error_stays_off_the_terminal(tmp_path: Path, capfd, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the run's temporary folder (execute_chapters: TMPDIR)
    noisy = chapter(
        tmp_path / "10_noisy.ipynb", "import os\nos.write(2, b'Traceback (most recent call last): planted')"
    )
    execute_chapter(noisy, tmp_path / "out" / "10_noisy.ipynb", notebook_parameters(tmp_path / "prepared"), 60)
    assert "planted" not in capfd.readouterr().err
    logs = list(tmp_path.glob("kernel-stderr-*.log"))
    assert len(logs) == 1 and b"planted" in logs[0].read_bytes()
    os.write(2, b"still ours")
    assert "still ours" in capfd.readouterr().err  # standard error is this process's again


def test_a_chapter_that_stops_answering_once_is_run_again(tmp_path: Path) -> None:
    """The first run outlives the cell timeout (a kernel that stopped answering); the second completes."""
    marker = tmp_path / "first-run"
    stalls_once = chapter(
        tmp_path / "30_stalls_once.ipynb",
        (
            "import pathlib, time\n"
            f"marker = pathlib.Path({str(marker)!r})\n"
            "if not marker.exists():\n"
            "    marker.write_text('started')\n"
            "    time.sleep(60)\n"
            "print('finished')"
        ),
    )
    [executed] = execute_chapters(
        [stalls_once], tmp_path / "out", notebook_parameters(tmp_path / "prepared"), workers=1, cell_timeout_seconds=6
    )
    printed = "".join(
        output.get("text", "")
        for cell in nbformat.read(executed, as_version=4).cells
        for output in cell.get("outputs", [])
    )
    assert "finished" in printed


def test_a_cell_that_always_outruns_the_timeout_is_named_after_a_second_try(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    too_slow = chapter(
        tmp_path / "40_too_slow.ipynb",
        (f"with open({str(runs)!r}, 'a') as log: log.write('run\\n')\nimport time; time.sleep(60)"),
    )
    with pytest.raises(ExecutionError) as caught:
        execute_chapters(
            [too_slow], tmp_path / "out", notebook_parameters(tmp_path / "prepared"), workers=1, cell_timeout_seconds=6
        )
    assert runs.read_text().splitlines() == ["run", "run"]
    assert caught.value.file == str(tmp_path / "out" / "40_too_slow.ipynb")
    assert "ran longer than 0.1 minutes, 2 times" in caught.value.one_line()
    assert "execution.cell_timeout_minutes" in caught.value.one_line()


def test_kernel_connection_files_go_to_a_folder_of_the_run_that_is_removed_after_it(tmp_path: Path) -> None:
    looks = chapter(
        tmp_path / "10_looks.ipynb", "import ipykernel.connect\nprint(ipykernel.connect.get_connection_file())"
    )
    before = {name: os.environ.get(name) for name in ("TMPDIR", "JUPYTER_RUNTIME_DIR")}
    execute_chapters([looks], tmp_path / "out", notebook_parameters(tmp_path / "prepared"), workers=1)
    executed = nbformat.read(tmp_path / "out" / "10_looks.ipynb", as_version=4)
    connection = Path(executed.cells[-1].outputs[0]["text"].strip())
    assert connection.parent.parent == tmp_path and connection.parent.name.startswith(".kernels-")
    assert not connection.parent.exists()
    assert before == {name: os.environ.get(name) for name in ("TMPDIR", "JUPYTER_RUNTIME_DIR")}


def test_a_chapter_past_its_wall_clock_limit_is_stopped_and_named(tmp_path: Path) -> None:
    """However its time is spent (a cell, a kernel that never answers), a chapter ends at its limit; the
    stopped kernel's connection file goes with it."""
    endless = chapter(tmp_path / "50_endless.ipynb", "import time; time.sleep(120)")
    with pytest.raises(ExecutionError) as caught:
        execute_chapters(
            [endless],
            tmp_path / "out",
            notebook_parameters(tmp_path / "prepared"),
            workers=1,
            cell_timeout_seconds=600,
            chapter_timeout_seconds=8,
        )
    assert "ran longer than 0.133333 minutes in all" in caught.value.one_line()
    assert "execution.chapter_timeout_minutes" in caught.value.one_line()
    assert not list(tmp_path.glob(".kernels-*")) and not list(tmp_path.rglob("*.json"))


@pytest.fixture
def ctrl_c_interrupts():
    """SIGINT raising KeyboardInterrupt, as in a terminal (a test worker may run with it ignored)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_stop_signals_take_effect_only_where_the_waiting_loop_takes_them(ctrl_c_interrupts) -> None:
    reached = False
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred() as take_signal:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
            reached = True  # not interrupted here ...
            take_signal()  # ... but here
            pytest.fail("the signal was not taken")
    assert reached and signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is back


def test_a_stop_signal_noted_at_the_end_of_the_wait_is_not_lost(ctrl_c_interrupts) -> None:
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)


def test_a_stop_signal_stops_the_wait_even_where_sigint_was_ignored() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(KeyboardInterrupt):
            with signals_deferred() as take_signal:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.2)
                take_signal()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_waiting_for_stopped_children_leaves_them_to_their_owner() -> None:
    """The stopped child is not reaped here: its owner (here subprocess, for workers the process pool) still
    sees how it ended (a reaped child looks alive to multiprocessing for good)."""
    import psutil

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process = psutil.Process(child.pid)
    process.terminate()
    assert wait_ended([process], timeout=10) == []
    assert child.wait(timeout=10) == -signal.SIGTERM


def test_the_queue_keeps_a_core_for_what_is_waiting_then_starts_what_it_releases(tmp_path: Path) -> None:
    """While the summarise step holds one of two cores, one chapter runs at a time; the chapters it releases
    start as soon as a worker is free, and the results come back in book order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from scalegap.runner import Queue, Waiting

    lock, running, most = threading.Lock(), [0], [0]
    summary_done = threading.Event()

    def work(chapter: Path) -> Path:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0]) if summary_done.is_set() else most[0]
            alone = running[0] if not summary_done.is_set() else 1
        assert alone == 1, "two chapters ran beside the summarise step on two cores"
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return chapter

    first = [tmp_path / f"{n}_first.ipynb" for n in (10, 20, 30, 40)]
    later = [tmp_path / f"{n}_later.ipynb" for n in (5, 50, 60)]
    looks = [0]

    def release() -> list[Path] | None:
        looks[0] += 1
        if looks[0] < 4:
            return None
        summary_done.set()
        return later

    events: list[tuple[str, str]] = []
    queue = Queue(first, Waiting(release), 2, lambda chapter, state, seconds: events.append((chapter.name, state)))
    with ThreadPoolExecutor(max_workers=2) as pool:
        queue.top_up(lambda chapter: pool.submit(work, chapter))
        while not queue.over():
            time.sleep(0.02)
            queue.top_up()
        results = [future.result() for future in queue.in_book_order()]
    assert results == first + later
    assert most[0] == 2  # both cores were used once the summarise step had ended
    assert [name for name, state in events if state == "queued"] == [c.name for c in first + later]


def test_after_a_failed_chapter_the_queue_starts_nothing_more(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from scalegap.runner import Queue, Waiting

    def work(chapter: Path) -> Path:
        if "bad" in chapter.name:
            raise ValueError("no such segment")
        time.sleep(0.05)
        return chapter

    chapters = [tmp_path / "10_bad.ipynb", tmp_path / "20_good.ipynb", tmp_path / "30_good.ipynb"]
    released: list[bool] = []

    def release() -> list[Path] | None:
        released.append(True)
        return None  # never ready: a failure must end the wait

    queue = Queue(chapters, Waiting(release), 2, lambda chapter, state, seconds: None)
    with ThreadPoolExecutor(max_workers=2) as pool:
        queue.top_up(lambda chapter: pool.submit(work, chapter))
        deadline = time.monotonic() + 10
        while not queue.over() and time.monotonic() < deadline:
            time.sleep(0.02)
            queue.top_up()
    assert queue.over()
    assert [chapter.name for chapter in queue.running.values()] == ["10_bad.ipynb"]


def test_a_kernel_is_told_where_to_record_its_reads_as_an_absolute_path(tmp_path: Path, monkeypatch) -> None:
    """The kernel runs in its notebook's folder: a client named by a relative path must still find its log."""
    monkeypatch.chdir(tmp_path)
    with runner.reads_recorded(Path("client/_build/reads/10_intake.tsv")) as log:
        told = Path(os.environ[reads.LOG_VARIABLE])
    assert told.is_absolute() and told == tmp_path / "client/_build/reads/10_intake.tsv" == log

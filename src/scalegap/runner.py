"""Executing the chapter notebooks with papermill.

Each chapter notebook is executed against the client's prepared package and
saved to ``_build/notebooks/``.  A notebook that fails is saved with the error
visible (papermill writes the output before raising), and the error names it
so the consultant can open it in JupyterLab.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalegap import reads, warm_kernels
from scalegap.errors import ExecutionError

KERNEL = "python3"
#: where the workers, the kernels and jupyter_client put temporary and runtime files (see private_temporary_dir)
TEMPORARY_VARIABLES = ("TMPDIR", "JUPYTER_RUNTIME_DIR")


def notebook_parameters(prepared_dir: Path) -> dict[str, Any]:
    """What papermill injects: absolute paths, so the notebook runs as it is from anywhere."""
    return {"prepared_dir": str(prepared_dir.resolve())}


#: a kernel that fails to start (e.g. two kernels started at once picked the same free port) is started again
KERNEL_START_ATTEMPTS = 3

#: a chapter whose cell outran the timeout is run once more before the run stops: a kernel that stopped
#: answering mid-notebook is the likely cause (ipykernel 7 does this now and then), not the chapter's work
TIMEOUT_ATTEMPTS = 2


#: chapters run at once unless ``execution.workers`` says otherwise: one per core, at most this many
DEFAULT_WORKERS_AT_MOST = 4

#: seconds a kernel has to start and answer before the start counts as failed (and is tried again)
KERNEL_START_SECONDS = 60


#: what a chapter's progress is reported as: (the chapter, "queued" | "running" | "done" | "failed", seconds when
#: done or failed)
ChapterEvent = Callable[[Path, str, "float | None"], None]


def _ignore(chapter: Path, state: str, seconds: float | None) -> None:
    pass


@dataclass(frozen=True)
class Waiting:
    """Chapters that may start only once something running beside them has ended (the summarise step, whose
    figures they read): ``release`` gives them when they may start, ``None`` until then, and raises what that
    work raised; meanwhile it keeps ``holds`` of the workers' cores busy."""

    release: Callable[[], list[Path] | None]
    holds: int = 1


def started_marker(chapter: Path) -> Path:
    """The file a worker writes when it starts ``chapter``, in the run's private temporary folder: a pool's
    future counts as running as soon as it is handed to a worker's queue, before the worker takes it."""
    return Path(tempfile.gettempdir()) / f"started-{chapter.name}"


def execute_chapter(source: Path, output: Path, parameters: dict[str, Any], cell_timeout_seconds: float) -> Path:
    """One chapter, with its retries (see :data:`KERNEL_START_ATTEMPTS` and :data:`TIMEOUT_ATTEMPTS`)."""
    started_marker(source).write_text(f"{time.time()}", encoding="utf-8")
    # the kernel is told that no browser is attached: a chapter shows no live widget then (see
    # scalegap.present.widgets.show_what_if)
    with kernel_stderr_aside(), reads_recorded(reads.log_path(output)), variables_set({reads.HEADLESS_VARIABLE: "1"}):
        return _attempts(source, output, parameters, cell_timeout_seconds)


@contextmanager
def reads_recorded(log: Path) -> Iterator[Path]:
    """The chapter's kernel records what it reads into ``log`` (:mod:`scalegap.reads`), started empty.  The
    kernel runs in another folder (its notebook's), so it is told the log's absolute path."""
    log = log.resolve()
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    with variables_set({reads.LOG_VARIABLE: str(log)}):
        yield log


@contextmanager
def variables_set(values: dict[str, str]) -> Iterator[None]:
    """The environment variables ``values`` names set in this process (and so in the kernels it starts) for the
    duration, each as it was afterwards."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def kernel_stderr_aside() -> Iterator[Path]:
    """Point this process's standard error, which the kernels it starts inherit, at a file in the temporary folder
    while a chapter runs: a kernel shut down mid-message logs a library traceback there (tornado's ZMQStream
    callback), which would otherwise break the CLI's one-line error.  The notebook keeps the chapter's own
    errors; the file goes with the run's temporary folder."""
    log = Path(tempfile.gettempdir()) / f"kernel-stderr-{os.getpid()}.log"
    saved = os.dup(2)
    try:
        with log.open("ab") as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield log
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _attempts(source: Path, output: Path, parameters: dict[str, Any], cell_timeout_seconds: float) -> Path:
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    kernel_failures = timeouts = 0
    while True:
        try:
            return _papermill(source, output, parameters, cell_timeout_seconds)
        except PapermillExecutionError as exc:
            raise cell_failure(exc, output) from None
        except CellTimeoutError:
            timeouts += 1
            if timeouts == TIMEOUT_ATTEMPTS:
                raise ExecutionError(
                    f"a cell ran longer than {cell_timeout_seconds / 60:g} minutes, {TIMEOUT_ATTEMPTS} times",
                    file=output,
                    hint="open the saved notebook in JupyterLab to see which cell; if the client's "
                    "data is that large, raise execution.cell_timeout_minutes in assessment.yml",
                ) from None
        except Exception as exc:  # kernel died or did not start, notebook unreadable, ...
            kernel_failures += 1
            if kernel_failures == KERNEL_START_ATTEMPTS or not _kernel_failed(exc):
                raise ExecutionError(
                    f"could not execute the notebook ({type(exc).__name__}: {exc})",
                    file=source,
                    hint="check the notebook opens in JupyterLab",
                ) from None
            time.sleep(kernel_failures * (0.5 + (os.getpid() % 10) / 10))  # processes retry at different times


def cell_failure(error: Any, output: Path) -> ExecutionError:
    """A cell that raised (papermill's ``PapermillExecutionError``), as one line: the chapter, the cell (its
    number and id in the executed notebook, its ``In [n]`` and its first line of code), the exception, and the
    executed notebook that holds the traceback."""
    lines = [line.strip() for line in str(error.source or "").splitlines() if line.strip()]
    first = lines[0] if lines else ""
    code = first if len(first) <= SOURCE_SHOWN else first[: SOURCE_SHOWN - 1] + "…"
    number, cell_id = _saved_cell(output, error.ename, error.cell_index)
    prompt = f"In [{error.exec_count}]" if error.exec_count is not None else ""
    about = ", ".join(part for part in (f"id {cell_id}" if cell_id else "", prompt) if part)
    shown = ": ".join(part for part in (about, code) if part)
    cell = f"cell {number}" + (f" ({shown})" if shown else "")
    return ExecutionError(
        f"chapter {output.name} failed at {cell} with {error.ename}: {error.evalue}",
        file=output,
        hint="the traceback is in this executed notebook: open it in JupyterLab",
    )


def _saved_cell(output: Path, ename: str, cell_index: int) -> tuple[int, str]:
    """The failing cell's number (from 1) and id in the saved notebook, where papermill put a banner above it (and
    one at the top); its number in the notebook run, and no id, when the saved one cannot be read."""
    import nbformat

    try:
        cells = nbformat.read(output, as_version=4).cells  # type: ignore[no-untyped-call]  # nbformat has no hints
    except Exception:  # not saved, or unreadable: the error still names the cell by its number
        return cell_index + 1, ""
    for number, cell in enumerate(cells, start=1):
        if any(out.get("output_type") == "error" and out.get("ename") == ename for out in cell.get("outputs", [])):
            return number, str(cell.get("id") or "")
    return cell_index + 1, ""


#: characters of the failing cell's first line shown in the error
SOURCE_SHOWN = 60


def _papermill(source: Path, output: Path, parameters: dict[str, Any], cell_timeout_seconds: float) -> Path:
    import papermill

    papermill.execute_notebook(
        str(source),
        str(output),
        parameters=parameters,
        kernel_name=KERNEL,
        kernel_manager_class=warm_kernels.kernel_manager_class(),
        progress_bar=False,
        log_output=False,
        cwd=str(output.parent),
        execution_timeout=max(1, round(cell_timeout_seconds)),
        start_timeout=KERNEL_START_SECONDS,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    return output


def _kernel_failed(error: Exception) -> bool:
    """Did the kernel die or fail to start (rather than the notebook being broken)?"""
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in ("kernel", "dead", "timeout", "address already in use"))


def execute_chapters(
    chapters: list[Path],
    output_dir: Path,
    parameters: dict[str, Any],
    on_event: ChapterEvent = _ignore,
    workers: int | None = None,
    cell_timeout_seconds: float = 600,
    chapter_timeout_seconds: float | None = None,
    waiting: Waiting | None = None,
) -> list[Path]:
    """Execute the chapters, ``workers`` at a time (default: one per core, at most 4), reporting each as queued,
    running (when a worker has taken it), and done or failed with its seconds, to ``on_event``; then, or as soon
    as ``waiting`` releases them and a worker is free, the chapters it gives (none once a chapter has failed).

    Chapters only read the prepared package, so they run independently; the
    first failure in book order is raised once all have finished.  Workers are
    spawned, not forked: the parent has run DuckDB and BLAS by now, and a fork
    of a process with threads can inherit a lock held by a thread that the
    child does not have.
    """
    with private_temporary_dir(output_dir.parent) as folder, warm_kernels.warm_process(folder) as warm:
        executed = _execute_chapters(
            chapters,
            output_dir,
            parameters,
            on_event,
            workers or default_workers(),
            cell_timeout_seconds,
            chapter_timeout_seconds,
            waiting,
            warm.start,
        )
        report = warm.report()
        if report:
            print(f"note: {report}", file=sys.stderr)
        return executed


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Chapters run at a time unless ``execution.workers`` says: one per core, at most 4."""
    return min(DEFAULT_WORKERS_AT_MOST, available_cores())


@contextmanager
def private_temporary_dir(beside: Path) -> Iterator[Path]:
    """The workers' and kernels' temporary files go to a folder of this run's own beside ``beside``, removed
    when the run ends however it ends.  Among them are the kernels' connection files (jupyter_client writes
    them with :func:`tempfile.mkstemp`): a kernel stopped by a signal cannot remove its own."""
    beside.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".kernels-", dir=beside))
    cached, tempfile.tempdir = tempfile.tempdir, str(folder)  # chapters run in this process (one worker)
    try:
        with variables_set(dict.fromkeys(TEMPORARY_VARIABLES, str(folder))):
            yield folder
    finally:
        tempfile.tempdir = cached
        shutil.rmtree(folder, ignore_errors=True)


def _execute_chapters(
    chapters: list[Path],
    output_dir: Path,
    parameters: dict[str, Any],
    on_event: ChapterEvent,
    workers: int,
    cell_timeout_seconds: float,
    chapter_timeout_seconds: float | None,
    waiting: Waiting | None = None,
    before_a_chapter: Callable[[], None] = lambda: None,
) -> list[Path]:
    """(``before_a_chapter`` is called before each chapter is handed to a worker.)"""
    if (workers <= 1 or len(chapters) <= 1) and chapter_timeout_seconds is None and waiting is None:
        return _one_at_a_time(chapters, output_dir, parameters, on_event, cell_timeout_seconds, before_a_chapter)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    queue = Queue(chapters, waiting, workers, on_event)
    try:

        def submit(chapter: Path) -> Future[Path]:
            before_a_chapter()
            return pool.submit(execute_chapter, chapter, output_dir / chapter.name, parameters, cell_timeout_seconds)

        queue.top_up(submit)
        wait_within(queue, output_dir, chapter_timeout_seconds, on_event)
    except BaseException:  # Ctrl-C, SIGTERM: no queued chapter starts, no worker or kernel outlives the run
        pool.shutdown(wait=False, cancel_futures=True)
        stop_descendants()
        raise
    pool.shutdown(wait=True)
    return [future.result() for future in queue.in_book_order()]


def _one_at_a_time(
    chapters: list[Path],
    output_dir: Path,
    parameters: dict[str, Any],
    on_event: ChapterEvent,
    cell_timeout_seconds: float,
    before_a_chapter: Callable[[], None],
) -> list[Path]:
    executed = []
    try:
        for chapter in chapters:
            before_a_chapter()
            on_event(chapter, "running", None)
            began = time.monotonic()
            try:
                executed.append(execute_chapter(chapter, output_dir / chapter.name, parameters, cell_timeout_seconds))
            except ExecutionError:
                on_event(chapter, "failed", time.monotonic() - began)
                raise
            on_event(chapter, "done", time.monotonic() - began)
    except BaseException:
        stop_descendants()
        raise
    return executed


class Queue:
    """The chapters not yet handed to a worker, and those that were (``running``: future -> chapter).  A chapter
    is handed over only when a worker is free for it, so that what ``waiting`` releases starts as soon as a
    core is, ahead of nothing: chapters keep their order."""

    def __init__(self, chapters: list[Path], waiting: Waiting | None, workers: int, on_event: ChapterEvent) -> None:
        self.pending = list(chapters)
        self.order = list(chapters)
        self.waiting = waiting
        self.workers = workers
        self.on_event = on_event
        self.running: dict[Future[Any], Path] = {}
        self.submit: Callable[[Path], Future[Any]] | None = None
        for chapter in chapters:
            on_event(chapter, "queued", None)

    def top_up(self, submit: Callable[[Path], Future[Any]] | None = None) -> None:
        """Hand chapters to free workers (after taking what ``waiting`` released, if it has)."""
        self.submit = submit or self.submit
        assert self.submit is not None  # given by the first call
        failed = any(f.done() and f.exception() is not None for f in self.running)
        if failed:  # the run stops: nothing more starts, what runs ends
            self.pending.clear()
        if self.waiting is not None:
            released = None if failed else self.waiting.release()
            if failed or released is not None:
                self.waiting = None
                for chapter in released or []:
                    self.on_event(chapter, "queued", None)
                self.pending.extend(released or [])
                self.order.extend(released or [])
        free = max(1, self.workers - (self.waiting.holds if self.waiting else 0))  # one chapter runs, at least
        busy = sum(not future.done() for future in self.running)
        while self.pending and busy < free:
            chapter = self.pending.pop(0)
            self.running[self.submit(chapter)] = chapter
            busy += 1

    def over(self) -> bool:
        return self.waiting is None and not self.pending and all(future.done() for future in self.running)

    def in_book_order(self) -> list[Future[Any]]:
        by_chapter = {chapter: future for future, chapter in self.running.items()}
        return [by_chapter[chapter] for chapter in self.order if chapter in by_chapter]


def wait_within(queue: Queue, output_dir: Path, limit: float | None, on_event: ChapterEvent = _ignore) -> None:
    """Wait for every chapter, handing the queue's chapters to workers as they free up, reporting when each
    starts (its worker's :func:`started_marker`) and ends; stop at the first that has run longer than ``limit``
    seconds since it started.

    Ctrl-C and SIGTERM take effect between two looks at the futures (:func:`signals_deferred`), never inside
    one: an interrupt raised while a future's lock was held would leave it taken for good, and the pool's own
    shutdown would then wait on it forever."""
    started: dict[Future[Any], float] = {}
    reported: set[Future[Any]] = set()
    with signals_deferred() as take_signal:
        while True:
            queue.top_up()
            now = time.monotonic()
            for future, chapter in list(queue.running.items()):
                if future not in started and (started_marker(chapter).exists() or future.done()):
                    started[future] = now
                    on_event(chapter, "running", None)
                if future.done() and future not in reported:
                    reported.add(future)
                    state = "done" if future.exception() is None else "failed"
                    on_event(chapter, state, now - started[future])
                    continue
                if limit is not None and not future.done() and now - started.get(future, now) > limit:
                    raise ExecutionError(
                        f"the chapter ran longer than {limit / 60:g} minutes in all",
                        file=output_dir / chapter.name,
                        hint="raise execution.chapter_timeout_minutes in assessment.yml if the "
                        "client's data is that large; otherwise a kernel stopped answering: run "
                        "again",
                    )
            if queue.over() and len(reported) == len(queue.running):
                return
            time.sleep(POLL_SECONDS)
            take_signal()


#: how often the chapters' progress is looked at
POLL_SECONDS = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_deferred() -> Iterator[Callable[[], None]]:
    """Ctrl-C and SIGTERM are noted, not acted on, until the caller calls the function this gives: then the
    signal's own handler runs (KeyboardInterrupt, or the CLI's Terminated).  Outside the main thread, where
    handlers cannot be set, signals act as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    noted: list[int] = []
    previous = {number: signal.signal(number, lambda number, _frame: noted.append(number)) for number in STOP_SIGNALS}

    def take() -> None:
        if noted:
            number = noted[0]
            restore()
            handler = previous[signal.Signals(number)]
            if callable(handler):
                handler(number, None)
            raise KeyboardInterrupt  # SIG_DFL or SIG_IGN was set for it: stop all the same

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    try:
        yield take
    finally:
        restore()
        take()


#: seconds a worker or kernel is given to stop after SIGTERM before it is killed
STOP_GRACE_SECONDS = 3


def _resource_tracker(process: Any) -> bool:
    """multiprocessing's resource tracker: it ends by itself when this process does (and is needed until then)."""
    try:
        return "resource_tracker" in " ".join(process.cmdline())
    except Exception:  # the process is gone, or its command line cannot be read
        return False


def stop_descendants() -> None:
    """Terminate every process this one started (chapter workers and their kernels), then kill what is left."""
    import psutil

    children = [child for child in psutil.Process().children(recursive=True) if not _resource_tracker(child)]
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            continue
    for child in wait_ended(children, STOP_GRACE_SECONDS):
        try:
            child.kill()
        except psutil.NoSuchProcess:
            continue
    wait_ended(children, STOP_GRACE_SECONDS)


def wait_ended(processes: list[Any], timeout: float) -> list[Any]:
    """Wait up to ``timeout`` seconds for ``processes`` to end; those still running.

    An ended child of this process counts as ended while it is a zombie: it is *not* reaped here.  Its owner
    reaps it (a worker's process pool, a subprocess call); reaping it here would make multiprocessing's
    ``is_alive()`` answer True for good, and the pool's shutdown wait forever (psutil.wait_procs does reap).
    """
    import psutil

    def running(process: Any) -> bool:
        try:
            return bool(process.status() != psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + timeout
    alive = [process for process in processes if running(process)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [process for process in alive if running(process)]
    return alive

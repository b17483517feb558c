"""Several clients on a Dask cluster (``scalegap run DIR1 DIR2 … --scheduler tcp://host:8786``): one task each.

Each task runs on the worker that takes it the same ``python -m scalegap run DIR`` as :mod:`scalegap.batch` runs
here, its output in ``DIR/_run.log`` and its ending told by :func:`~scalegap.batch.write_outcome`, and returns
the client's :class:`~scalegap.batch.ClientRun`.  So the workers must have scalegap installed and see each client
folder at the same absolute path as this machine (a shared file system).  A task says when it starts (a Dask event
on the batch's topic): a client is queued until then, running until its future is done.  Its log is read here as
it is written, for the display.  Ctrl-C or SIGTERM sets the batch's stop event (each task stops its run as
:func:`~scalegap.batch.stop_processes` does), waits for the tasks to end, and cancels those that did not.
Dask distributed is an optional extra (``pip install 'scalegap[dask]'``).
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalegap.batch import (
    LOG,
    POLL_SECONDS,
    STOP_GRACE_SECONDS,
    STOP_SECONDS,
    BatchProgress,
    ClientRun,
    LogTail,
    ended_run,
    shares,
    start_child,
    stop_processes,
    with_workers,
)
from scalegap.errors import ConfigurationError

if TYPE_CHECKING:
    from distributed import Client, Future

#: how long the scheduler has to answer before ``--scheduler`` is an error
CONNECT_SECONDS = 5
INSTALL_HINT = "install it with `pip install 'scalegap[dask]'` (or `pip install 'distributed>=2025.1,<2027'`)"
#: how often a task looks whether the batch was stopped
STOP_POLL_SECONDS = 1.0


def connect(address: str, seconds: float = CONNECT_SECONDS) -> Client:
    """A client of the Dask scheduler at ``address``; an error when distributed is not installed, or when the
    scheduler does not answer within ``seconds``."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigurationError(
            "--scheduler needs Dask distributed, which is not installed (an optional extra)", hint=INSTALL_HINT
        ) from None
    try:  # a plain connection first: a Client that fails to start complains again when it is collected
        asyncio.run(_answers(address, seconds))
        return Client(address, timeout=seconds, set_as_default=False)
    except Exception as error:  # an unreachable address (OSError), a malformed one (ValueError), …
        raise ConfigurationError(
            f"cannot reach the Dask scheduler at {address} within {seconds:g} s ({type(error).__name__}: {error})",
            hint="check the address, and that `dask scheduler` and its workers are running",
        ) from None


async def _answers(address: str, seconds: float) -> None:
    from distributed.comm import connect

    comm = await connect(address, timeout=seconds)
    await comm.close()


def dask_executor(address: str) -> DaskExecutor:
    """The clients as tasks on the Dask cluster whose scheduler is at ``address`` (connected now: an error now)."""
    return DaskExecutor(connect(address))


def run_on_worker(root: Path, folder: Path, arguments: list[str], topic: str, number: int) -> ClientRun:
    """On a Dask worker: client ``number`` of the batch (``root`` as named, ``folder`` its absolute path), run as a
    process of its own, with the cores of this machine shared among the worker's threads; stopped when the
    batch's stop event is set."""
    from distributed import Event, get_worker

    worker = get_worker()
    arguments = with_workers(arguments, shares(worker.state.nthreads)[1])
    log = folder / LOG if folder.is_dir() else None
    with tempfile.TemporaryDirectory(prefix="scalegap-client-") as scratch:
        outcome, written = Path(scratch) / "outcome.json", log or Path(scratch) / "run.log"
        began = time.monotonic()
        process = start_child(folder, outcome, arguments, written)
        worker.log_event(topic, {"number": number})
        stop, interrupted = Event(f"{topic}-stop"), False
        while not _waited(process, STOP_POLL_SECONDS):
            if stop.is_set():
                interrupted = True
                stop_processes([process])
        tail = LogTail(written)
        tail.new_lines()
        tail.close()
        seconds = round(time.monotonic() - began, 1)
        return ended_run(
            root, process.returncode, seconds, outcome, tail.last_line, root / LOG if log else None, interrupted
        )


def _waited(process: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


class DaskExecutor:
    """Runs one batch of clients on the cluster :func:`connect` reached, then disconnects."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def __call__(self, roots: Sequence[Path], arguments: Sequence[str], progress: BatchProgress) -> list[ClientRun]:
        topic = f"scalegap-batch-{uuid.uuid4().hex}"
        for root in roots:
            progress.queued(str(root))
        futures = [
            self.client.submit(
                run_on_worker, root, root.resolve(), list(arguments), topic, number, key=f"{topic}-{number}"
            )
            for number, root in enumerate(roots)
        ]
        batch = _Batch(self.client, topic, list(roots), futures, progress)
        try:
            while not batch.over():
                batch.look()
                time.sleep(POLL_SECONDS)
        except BaseException:  # Ctrl-C, SIGTERM: every task stops its client's run, which keeps its last book
            batch.stop()
            raise
        finally:
            self.client.close()
        return batch.runs()


class _Batch:
    """The batch's futures as they go: started (the task's event), the lines of its log, how each ended."""

    def __init__(
        self, client: Client, topic: str, roots: list[Path], futures: list[Future], progress: BatchProgress
    ) -> None:
        self.client, self.topic, self.roots, self.futures, self.progress = client, topic, roots, futures, progress
        self.began: dict[int, float] = {}
        self.tails: dict[int, LogTail] = {}
        self.ended: dict[int, ClientRun] = {}

    def over(self) -> bool:
        return len(self.ended) == len(self.futures)

    def runs(self) -> list[ClientRun]:
        return [self.ended[number] for number in sorted(self.ended)]

    def look(self) -> None:
        """Tell the display which clients started, the lines their runs printed, and which ended."""
        for _, message in self.client.get_events(self.topic):
            self._started(int(message["number"]))
        for number, future in enumerate(self.futures):
            if number not in self.ended and future.done():
                self._started(number)  # its event may come after its result
                self._lines(number)
                self._finished(number, self._outcome(number, future))
        for number in list(self.tails):
            self._lines(number)

    def stop(self) -> None:
        """Ctrl-C, SIGTERM: each task stops its client's run; those that do not end in time are cancelled, and
        every client that did not end is shown as interrupted (also when the cluster no longer answers)."""
        from distributed import Event

        left = [future for number, future in enumerate(self.futures) if number not in self.ended]
        try:
            Event(f"{self.topic}-stop", client=self.client).set()
            deadline = time.monotonic() + STOP_GRACE_SECONDS + STOP_SECONDS + 5
            while not all(future.done() for future in left) and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
            self.look()
            self.client.cancel([future for future in left if not future.done()])
        finally:
            for number, root in enumerate(self.roots):
                if number not in self.ended:
                    why = () if number in self.began else ("not started",)
                    run = ClientRun(root, "interrupted", self._seconds(number), 130, why, self._log(number))
                    self._finished(number, run)

    def _started(self, number: int) -> None:
        if number in self.began:
            return
        self.began[number] = time.monotonic()
        log = self._log(number)
        self.progress.started(str(self.roots[number]), log)
        if log is not None and log.is_file():
            self.tails[number] = LogTail(log)

    def _lines(self, number: int) -> None:
        tail = self.tails.get(number)
        for line in tail.new_lines() if tail else []:
            self.progress.line(str(self.roots[number]), line)

    def _outcome(self, number: int, future: Future) -> ClientRun:
        """The task's :class:`ClientRun`, or a failed one saying why the task itself failed (its worker died,
        scalegap is not installed there, …)."""
        if future.status == "finished":
            run: ClientRun = future.result()
            return run
        error: Any = future.exception() if future.status == "error" else f"its task was {future.status}"
        reason = f"on the Dask cluster: {type(error).__name__}: {error}" if isinstance(error, BaseException) else error
        return ClientRun(self.roots[number], "failed", self._seconds(number), 1, (reason,), self._log(number))

    def _finished(self, number: int, run: ClientRun) -> None:
        tail = self.tails.pop(number, None)
        if tail is not None:
            tail.close()
        self.ended[number] = run
        self.progress.finished(run)

    def _seconds(self, number: int) -> float:
        return round(time.monotonic() - self.began[number], 1) if number in self.began else 0.0

    def _log(self, number: int) -> Path | None:
        root = self.roots[number]
        return root / LOG if root.is_dir() else None

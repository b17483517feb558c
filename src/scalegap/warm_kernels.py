"""Chapter kernels forked from one warm process that has imported the chapters' libraries once.

A chapter's kernel spends about 3 s of CPU before its first cell: Python starts, then imports ipykernel,
pandas, matplotlib, seaborn, statsmodels and scalegap.  With 13 chapters that is about 40 s of a cold run's
CPU, the same in every kernel.  So a run starts one *warm process* (:func:`warm_process`), which imports
:data:`PRELOADED` once and listens on a Unix socket; each chapter's kernel is then a fork of it.

The chapter's kernel manager (:func:`kernel_manager_class`) starts, instead of ``python -m ipykernel_launcher
...``, the small launcher :mod:`scalegap.warm_kernel_launcher` with the same arguments.  The launcher hands the
warm process its arguments, environment, working folder and standard streams; the warm process forks a
*supervisor*, which forks the kernel, relays the signals the kernel manager sends the launcher (interrupt,
terminate), kills the kernel if the launcher dies, and tells the launcher the kernel's exit code.  To Jupyter the
launcher is the kernel's process; to the chapter the kernel is an ordinary ipykernel whose modules happen to be
imported already.  Each kernel is a process of its own, as before: nothing a chapter does reaches another.

The warm process is an optimisation, never a condition: where it cannot run (no ``fork``, an import failed, it
ended) the kernel manager starts plain kernels, and the run reports that it did so (:func:`warm_start_report`).
"""

from __future__ import annotations

import functools
import importlib
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scalegap.warm_kernel_launcher import Messages, send

#: the environment variable naming the warm process's socket (set for the chapter workers, read by their
#: kernel managers)
ADDRESS_VARIABLE = "SCALEGAP_WARM_KERNELS"

#: what every chapter's kernel imports, imported once by the warm process (a test checks that it covers every
#: module the chapter notebooks import)
PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "matplotlib_inline.backend_inline",
    "IPython.display",
    "ipywidgets",
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "duckdb",
    "ibis",
    "ibis.backends.sql.compilers",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "scalegap.models",
    "scalegap.models.activity_queries",
    "scalegap.models.adoption",
    "scalegap.models.availability",
    "scalegap.models.conversion",
    "scalegap.models.data_reality",
    "scalegap.models.governance",
    "scalegap.models.integration",
    "scalegap.models.intake",
    "scalegap.models.population",
    "scalegap.models.portability",
    "scalegap.models.readiness",
    "scalegap.models.rollout",
    "scalegap.models.scorecard",
    "scalegap.models.segments",
    "scalegap.models.sensitivity",
    "scalegap.models.summary",
    "scalegap.models.summary_page",
    "scalegap.models.support",
    "scalegap.models.value",
    "scalegap.number_format",
    "scalegap.package",
    "scalegap.present",
    "scalegap.present.figures",
    "scalegap.present.figures.adoption",
    "scalegap.present.figures.conversion",
    "scalegap.present.figures.data_reality",
    "scalegap.present.figures.governance",
    "scalegap.present.figures.intake",
    "scalegap.present.figures.integration",
    "scalegap.present.figures.population",
    "scalegap.present.figures.portability",
    "scalegap.present.figures.readiness",
    "scalegap.present.figures.rollout",
    "scalegap.present.figures.scorecard",
    "scalegap.present.figures.support",
    "scalegap.present.summary",
    "scalegap.present.tables",
    "scalegap.present.widgets",
)

#: the matplotlib backend ipykernel gives its kernels; matplotlib reads it when imported, so the warm process
#: sets it before importing
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: libraries whose threads do not survive a fork (a kernel forked from a process that started them can wait
#: forever on a lock one of them held): statsmodels imports polars where it is installed (it came with Ibis's test
#: backends, and a chapter stopped in its cell); the warm process, and so every kernel forked from it, does without
#: them, as if they were not installed.  No chapter uses them.
NOT_FORK_SAFE = ("polars",)
#: the warm process's socket, in the run's folder (or a short private one: :func:`fits`)
SOCKET_NAME = "warm-kernels.sock"
#: the files beside the socket: written once the imports are done, or when they failed (with the reason)
READY, FAILED = ".ready", ".failed"
#: seconds a supervisor waits between looks at its kernel and its launcher
POLL_SECONDS = 0.5
#: the longest path a Unix socket may be bound at (its address holds 108 bytes on Linux and 104 on macOS, the
#: last a NUL): a client folder deep in a consultant's documents gives a longer one
SOCKET_PATH_LIMIT = 100
#: seconds a kernel whose launcher died has to stop after SIGTERM before it is killed
STOP_SECONDS = 3


def available() -> bool:
    """Can this platform fork a warm process (POSIX: ``fork`` and Unix sockets)?"""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


class WarmProcess:
    """The run's warm process, started by :meth:`start` when the first chapter is about to run (a run whose
    chapters are all reused starts none), with its socket in ``folder`` (the run's private temporary folder);
    :meth:`start` names the socket in :data:`ADDRESS_VARIABLE` for the chapter workers started after it.  The
    imports run in the background: a kernel started before they are done waits for them (its connection waits
    in the socket's queue)."""

    def __init__(self, folder: Path) -> None:
        self.own_folder = None if fits(folder) else Path(tempfile.mkdtemp(prefix="scalegap-", dir=short_temp()))
        self.address = (self.own_folder or folder) / SOCKET_NAME
        self.process: subprocess.Popen[bytes] | None = None
        self.wanted = False

    def start(self) -> None:
        if self.wanted:
            return
        self.wanted = True
        if not available():
            return
        with (self.address.parent / "warm-kernels.log").open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scalegap.warm_kernels", str(self.address)],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                env={**os.environ, "MPLBACKEND": os.environ.get("MPLBACKEND") or INLINE_BACKEND},
                start_new_session=True,  # Ctrl-C at the terminal reaches the run, which stops its descendants
            )
        os.environ[ADDRESS_VARIABLE] = str(self.address)

    def stop(self) -> None:
        """End the warm process: at once while it is still importing (it has forked no kernel yet), else by
        closing its standard input, which it waits on."""
        os.environ.pop(ADDRESS_VARIABLE, None)
        if self.process is None:
            self._remove_own_folder()
            return
        if not self.address.with_suffix(READY).exists():
            self.process.kill()
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._remove_own_folder()

    def _remove_own_folder(self) -> None:
        if self.own_folder is not None:
            shutil.rmtree(self.own_folder, ignore_errors=True)

    def report(self) -> str | None:
        """One line for the consultant when the chapters ran in plain kernels although a warm start was wanted."""
        if not self.wanted:
            return None
        if not available():
            return "chapters ran in plain kernels: this platform cannot fork a warm process"
        failed = self.address.with_suffix(FAILED)
        if failed.exists():
            reason = failed.read_text(encoding="utf-8").strip().splitlines()[-1:] or ["unknown reason"]
            return f"chapters ran in plain kernels: the warm process failed ({reason[0]})"
        return None


def fits(folder: Path) -> bool:
    """May the warm process's socket be bound in ``folder`` (its path short enough)?"""
    return len(os.fsencode(folder / SOCKET_NAME)) <= SOCKET_PATH_LIMIT


def short_temp() -> str | None:
    """Where a run whose own folder is too deep puts its socket: the system's temporary folder, named, because by
    then the run has pointed ``TMPDIR`` at its own folder (None: Python's choice)."""
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else None


@contextmanager
def warm_process(folder: Path) -> Iterator[WarmProcess]:
    """A :class:`WarmProcess` for the block, stopped when it ends however it ends."""
    warm = WarmProcess(folder)
    try:
        yield warm
    finally:
        warm.stop()


def ready(address: Path) -> bool:
    """May a kernel be forked from the warm process at ``address``: it is listening, and its imports have not
    failed (they may still be running: the kernel then waits)?"""
    return address.exists() and not address.with_suffix(FAILED).exists()


@functools.cache
def kernel_manager_class() -> type:
    """The kernel manager chapters are run with: jupyter_client's, launching kernels from the warm process
    named in :data:`ADDRESS_VARIABLE` when there is one that is :func:`ready`."""
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):  # type: ignore[misc]
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            command: list[str] = super().format_kernel_cmd(extra_arguments)
            return launcher_command(command, os.environ.get(ADDRESS_VARIABLE))

    return WarmKernelManager


def launcher_command(command: list[str], address: str | None) -> list[str]:
    """``command`` (the kernel spec's, formatted), or the launcher's that forks the same kernel from the warm
    process, when there is one and the command is this interpreter's ipykernel (``python [options] -m
    ipykernel_launcher ARGS``: the interpreter's options, such as ipykernel's ``-Xfrozen_modules=off`` for
    debuggers, were the warm process's to take, and are dropped)."""
    module = ["-m", "ipykernel_launcher"]
    at = next((i for i in range(1, len(command)) if command[i : i + 2] == module), None)
    if address is None or at is None or command[0] != sys.executable or not ready(Path(address)):
        return command
    return [sys.executable, "-m", "scalegap.warm_kernel_launcher", address, *command[at + 2 :]]


# --- the warm process --------------------------------------------------------------------------------------


def serve(address: Path) -> None:
    """Listen at ``address``, import :data:`PRELOADED`, then fork a supervisor for each launcher that connects,
    until standard input ends (the run is over, or gone)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for name in NOT_FORK_SAFE:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "not installed", to import
    try:
        listener.bind(str(address))
        listener.listen(64)
        for name in PRELOADED:
            importlib.import_module(name)
    except BaseException:
        address.with_suffix(FAILED).write_text(traceback.format_exc(), encoding="utf-8")
        raise
    address.with_suffix(READY).write_text("", encoding="utf-8")
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [], POLL_SECONDS)
        _reap()
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1024):
            _reap(wait=STOP_SECONDS)
            return
        if listener in readable:
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                _exit_with(supervise, connection)
            connection.close()


def _reap(wait: float = 0) -> None:
    """Collect the supervisors that have ended (waiting up to ``wait`` seconds for the others): so their CPU
    time, and their kernels', is counted in this process's children's, and in the run's."""
    deadline = time.monotonic() + wait
    while True:
        try:
            ended, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # none left
            return
        if not ended:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.05)


def _exit_with(work: Callable[..., int], *arguments: Any) -> None:
    """Run ``work(*arguments)`` in a forked child and end the child with its exit code (never returning).

    The child ends with :func:`os._exit`, as :mod:`multiprocessing` ends its forked children: the exit handlers
    registered in the warm process belong to it (with them a kernel took 2 s to end after its shutdown request,
    and was killed)."""
    code = 1
    try:
        code = work(*arguments)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def supervise(connection: socket.socket) -> int:
    """Fork the kernel the launcher on ``connection`` asks for, then relay: signals to the kernel, the kernel's
    exit code to the launcher; kill the kernel if the launcher goes."""
    received, streams, _, _ = socket.recv_fds(connection, 1 << 16, 3)  # the streams come with the first bytes
    messages = Messages(connection, received)
    request = messages.next()
    assert request is not None  # next() without a timeout waits for a message
    kernel = os.fork()
    if kernel == 0:
        connection.close()
        _exit_with(run_kernel, request, streams)
    for stream in streams:
        os.close(stream)
    send(connection, {"pid": kernel})
    ended = _ended_waker(kernel)
    while True:
        finished, status = os.waitpid(kernel, os.WNOHANG)
        if finished:
            send(connection, {"exit": os.waitstatus_to_exitcode(status)})
            return 0
        select.select([connection, *ended], [], [], POLL_SECONDS)
        try:
            message = messages.next(0)
        except EOFError:  # the launcher is gone: so is its kernel
            _stop(kernel)
            return 0
        if message is not None:
            os.kill(kernel, int(message["signal"]))


def _ended_waker(process: int) -> list[int]:
    """A file descriptor that becomes readable when ``process`` ends (Linux's pidfd), so its end is told at
    once; none elsewhere (its end is then seen within :data:`POLL_SECONDS`)."""
    try:
        return [os.pidfd_open(process)]
    except (AttributeError, OSError):
        return []


def _stop(kernel: int) -> None:
    os.kill(kernel, signal.SIGTERM)
    for _ in range(int(STOP_SECONDS / 0.05)):
        if os.waitpid(kernel, os.WNOHANG)[0]:
            return
        select.select([], [], [], 0.05)
    os.kill(kernel, signal.SIGKILL)
    os.waitpid(kernel, 0)


def run_kernel(request: dict[str, Any], streams: list[int]) -> int:
    """In the forked kernel: take on the launcher's environment, working folder and standard streams, then run
    ipykernel as ``python -m ipykernel_launcher`` would."""
    os.setsid()  # as jupyter_client starts kernels: a session of their own
    for target, stream in enumerate(streams):
        os.dup2(stream, target)
        os.close(stream)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    tempfile.tempdir = None  # found again from the launcher's TMPDIR
    sys.path[0] = request["cwd"]  # as for ``python -m``: the working folder first
    # ipykernel reads its parent's process id from the environment when imported (here: by the warm process),
    # so it is given again; with it the kernel ends when its parent does, and prints no console banner
    parent = request["env"].get("JPY_PARENT_PID")
    sys.argv = ["ipykernel_launcher", *request["argv"], *([f"--IPKernelApp.parent_handle={parent}"] if parent else [])]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    return 0


if __name__ == "__main__":
    serve(Path(sys.argv[1]))

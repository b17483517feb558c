"""Work a run does in a thread beside its main one (the summarise step, beside the chapters), and whether any is
still going when the command ends.

A thread cannot be stopped from outside.  When Ctrl-C or SIGTERM stops a run, its summarise step may still be
computing; if the interpreter were then finalised as usual, it would stop that thread wherever it is, and inside
DuckDB's C++ code that aborts the process ("terminate called after throwing an instance of ''", SIGABRT)
instead of exiting with 130 or 143.  :func:`still_running` tells the command line to end the process at once
instead (:func:`scalegap.cli.leave`).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

#: every piece of work started, while it exists (a finished one is dropped with its object)
_STARTED: weakref.WeakSet[InBackground] = weakref.WeakSet()


class InBackground:
    """``action`` in a thread of its own; :meth:`result` waits for it, gives its seconds, and raises what it
    raised."""

    def __init__(self, action: Callable[[], Any], name: str = "background") -> None:
        self.error: BaseException | None = None
        self.began = time.perf_counter()
        self.seconds = 0.0
        self.thread = threading.Thread(target=self._run, args=(action,), name=name, daemon=True)
        _STARTED.add(self)
        self.thread.start()

    def _run(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except BaseException as error:  # handed to the main thread by result()
            self.error = error
        self.seconds = round(time.perf_counter() - self.began, 2)

    def running(self) -> bool:
        return self.thread.is_alive()

    def wait(self) -> None:
        """Until it has ended, whatever it raised (the caller is already handling an error of its own)."""
        self.thread.join()

    def result(self) -> float:
        self.wait()
        if self.error is not None:
            raise self.error
        return self.seconds


def still_running() -> bool:
    """Whether work started in the background has not ended (its run was stopped before it could wait for it)."""
    return any(work.running() for work in list(_STARTED))

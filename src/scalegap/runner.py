"""Executing the chapter notebooks with papermill.

Each chapter notebook is executed against the client's prepared package and
saved to ``_build/notebooks/``.  A notebook that fails is saved with the error
visible (papermill writes the output before raising), and the error names it
so the consultant can open it in JupyterLab.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Callable

from scalegap.errors import ExecutionError

KERNEL = "python3"


def notebook_parameters(prepared_dir: Path) -> dict[str, Any]:
    """What papermill injects: absolute paths, so the notebook runs as it is from anywhere."""
    return {"prepared_dir": str(prepared_dir.resolve())}


#: a kernel that fails to start (e.g. two kernels started at once picked the same free port) is started again
KERNEL_START_ATTEMPTS = 3


def execute_chapter(source: Path, output: Path, parameters: dict[str, Any]) -> Path:
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return _papermill(source, output, parameters)
        except PapermillExecutionError as exc:
            raise ExecutionError(
                f"cell {exc.exec_count} failed with {exc.ename}: {exc.evalue}", file=output,
                hint="open the saved notebook in JupyterLab to see the failing cell",
            ) from None
        except Exception as exc:  # kernel died or did not start, notebook unreadable, ...
            if attempt == KERNEL_START_ATTEMPTS or not _kernel_failed(exc):
                raise ExecutionError(f"could not execute the notebook ({type(exc).__name__}: {exc})",
                                     file=source, hint="check the notebook opens in JupyterLab") from None
            time.sleep(attempt * (0.5 + (os.getpid() % 10) / 10))  # processes retry at different times
    raise AssertionError("unreachable")


def _papermill(source: Path, output: Path, parameters: dict[str, Any]) -> Path:
    import papermill

    papermill.execute_notebook(
        str(source), str(output), parameters=parameters, kernel_name=KERNEL,
        progress_bar=False, log_output=False, cwd=str(output.parent),
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    return output


def _kernel_failed(error: Exception) -> bool:
    """Did the kernel die or fail to start (rather than the notebook being broken)?"""
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in ("kernel", "dead", "timeout", "address already in use"))


def execute_chapters(chapters: list[Path], output_dir: Path, parameters: dict[str, Any],
                     on_start: Callable[[Path], None] = lambda _: None, workers: int | None = None) -> list[Path]:
    """Execute the chapters, ``workers`` at a time (default: one per core, at most 4).

    Chapters only read the prepared package, so they run independently; the
    first failure in book order is raised once all have finished.
    """
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(chapters) <= 1:
        executed = []
        for chapter in chapters:
            on_start(chapter)
            executed.append(execute_chapter(chapter, output_dir / chapter.name, parameters))
        return executed
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = []
        for chapter in chapters:
            on_start(chapter)
            futures.append(pool.submit(execute_chapter, chapter, output_dir / chapter.name, parameters))
        wait(futures)
    return [future.result() for future in futures]

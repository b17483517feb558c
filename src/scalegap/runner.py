"""Executing the chapter notebooks with papermill.

Each chapter notebook is executed against the client's prepared package and
saved to ``_build/notebooks/``.  A notebook that fails is saved with the error
visible (papermill writes the output before raising), and the error names it
so the consultant can open it in JupyterLab.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Callable

from scalegap.errors import ExecutionError

KERNEL = "python3"


def notebook_parameters(prepared_dir: Path) -> dict[str, Any]:
    """What papermill injects: absolute paths, so the notebook runs as it is from anywhere."""
    return {"prepared_dir": str(prepared_dir.resolve())}


def execute_chapter(source: Path, output: Path, parameters: dict[str, Any]) -> Path:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source), str(output), parameters=parameters, kernel_name=KERNEL,
            progress_bar=False, log_output=False, cwd=str(output.parent),
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        raise ExecutionError(
            f"cell {exc.exec_count} failed with {exc.ename}: {exc.evalue}", file=output,
            hint="open the saved notebook in JupyterLab to see the failing cell",
        ) from None
    except Exception as exc:  # kernel died, notebook unreadable, ...
        raise ExecutionError(f"could not execute the notebook ({type(exc).__name__}: {exc})", file=source,
                             hint="check the notebook opens in JupyterLab") from None
    return output


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

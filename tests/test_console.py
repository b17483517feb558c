"""What a run shows while it runs: plain lines where the console is no terminal, a live table on one; the same
states in both."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from scalegap.console import LiveDisplay, StepDisplay, step_display
from scalegap.pipeline import Progress


def report(progress: Progress) -> None:
    """A run's events: two steps, one reused; three chapters, one reused, one done, one still running."""
    progress.started("prepare", "reading and validating the exports")
    progress.finished("prepare", 1.25)
    progress.started("summarise", "reused: nothing it reads changed")
    progress.finished("summarise", 0.01)
    progress.started("execute", "running the chapter notebooks")
    progress.chapter("00_summary.ipynb", "reused")
    progress.chapter("10_intake.ipynb", "queued")
    progress.chapter("20_readiness.ipynb", "queued")
    progress.chapter("10_intake.ipynb", "running")
    progress.chapter("10_intake.ipynb", "done", 4.5)
    progress.chapter("20_readiness.ipynb", "running")


def test_off_a_terminal_each_event_is_one_plain_line() -> None:
    out = io.StringIO()
    with step_display(Console(file=out, force_terminal=False, width=100)) as progress:
        assert isinstance(progress, StepDisplay)
        report(progress)
    assert out.getvalue().splitlines() == [
        "  prepare  reading and validating the exports",
        "     done  prepare in 1.2 s",
        "summarise  reused: nothing it reads changed",
        "     done  summarise in 0.0 s",
        "  execute  running the chapter notebooks",
        "   reused  00_summary.ipynb",
        "   queued  10_intake.ipynb",
        "   queued  20_readiness.ipynb",
        "  running  10_intake.ipynb",
        "     done  10_intake.ipynb in 4.5 s",
        "  running  20_readiness.ipynb",
    ]
    assert "\x1b[" not in out.getvalue()  # no colour, no cursor movement


def final_table(out: io.StringIO) -> list[str]:
    """The live table's last drawing, without its escape sequences."""
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    return [line.rstrip() for line in text.splitlines()[-9:]]


def test_on_a_terminal_one_table_shows_the_same_states_in_place() -> None:
    out = io.StringIO()
    terminal = Console(file=out, force_terminal=True, width=100)
    with step_display(terminal) as progress:
        assert isinstance(progress, LiveDisplay)
        report(progress)
        progress.chapter("20_readiness.ipynb", "done", 6.0)
        progress.finished("execute", 11.0)
    lines = final_table(out)
    rows = {line.split()[1]: line.split() for line in lines if line.strip()}
    assert rows["prepare"][0] == "done" and rows["prepare"][2:4] == ["1.2", "s"]
    assert rows["summarise"][0] == "reused"
    assert rows["00_summary.ipynb"][0] == "reused"
    assert rows["10_intake.ipynb"][:4] == ["done", "10_intake.ipynb", "4.5", "s"]
    assert rows["20_readiness.ipynb"][:4] == ["done", "20_readiness.ipynb", "6.0", "s"]
    assert rows["execute"][0] == "done"
    assert len(rows) == 6  # a row each: three steps, three chapters


@pytest.mark.parametrize("stop, shown", [(RuntimeError, "failed"), (KeyboardInterrupt, "stopped")])
def test_what_was_running_when_a_run_stops_shows_failed_or_stopped(stop: type[BaseException], shown: str) -> None:
    out = io.StringIO()
    with pytest.raises(stop):
        with step_display(Console(file=out, force_terminal=True, width=100)) as progress:
            report(progress)
            raise stop()
    rows = {line.split()[1]: line.split()[0] for line in final_table(out) if line.strip()}
    assert rows["20_readiness.ipynb"] == shown and rows["execute"] == shown
    assert rows["10_intake.ipynb"] == "done"

"""An independently generated client, from dropped files to a book, with init --detect and nothing else.

The generator (tests/clients/independent.py) writes German-language, semicolon-separated cp1252 HR data,
a 7-point Qualtrics survey, GitHub Copilot per-user JSON, task timings with a categorical quality column
and ServiceNow incidents whose callers are display names, with no team column.  No manual edit of
assessment.yml is made: the client's name is given on the command line, and every TODO left is one a
consultant may confirm (construct names, tasks per week) without which the book is still right.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.clients.independent import write_independent_client
from tests.integration.book_checks import page_text, published_problems
from tests.integration.conftest import Run, run_cli, run_once_per_session

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("independent")]


def run_independent(folder: Path) -> Run:
    client = folder / "nordlicht"
    truth = write_independent_client(client)
    (folder / "truth.json").write_text(
        json.dumps(
            {
                "pilot_members": truth.pilot_members,
                "files": truth.files,
                "survey_linked": truth.survey_linked,
                "usage_rows": truth.usage_rows,
                "usage_linked_rows": truth.usage_linked_rows,
                "tickets": truth.tickets,
                "outcome_rows": truth.outcome_rows,
                "survey_responses": truth.survey_responses,
                "tickets_linked_unique": truth.tickets_linked_unique,
            }
        )
    )
    steps = []
    for args in (
        ("init", "--detect", str(client), "--client-name", "Nordlicht AG"),
        ("validate", str(client)),
        ("run", str(client), "--set", "execution.cell_timeout_minutes=4"),
    ):
        done = run_cli(*args)
        steps.append(f"$ scalegap {' '.join(args)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        if done.returncode:
            return Run(client, "\n".join(steps), done.stderr, done.returncode)
    return Run(client, "\n".join(steps), "", 0)


@pytest.fixture(scope="session")
def independent_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_once_per_session(tmp_path_factory, "independent", run_independent)


def test_detect_validate_and_run_succeed_without_editing_assessment_yml(independent_run: Run) -> None:
    assert independent_run.returncode == 0, independent_run.transcript
    assert "nothing blocks the assessment" in independent_run.stdout
    assert (independent_run.html / "index.html").is_file()


def test_the_intake_chapter_accounts_for_every_row(independent_run: Run) -> None:
    truth = json.loads((independent_run.client.parent / "truth.json").read_text())
    text = page_text(independent_run.html / "10_intake.html")
    for file, rows in (
        (truth["files"]["roster"], 400),
        (truth["files"]["survey"], truth["survey_responses"]),
        (truth["files"]["outcomes"], truth["outcome_rows"]),
        (truth["files"]["tickets"], truth["tickets"]),
    ):
        # read, accepted, superseded, rejected, share rejected
        assert re.search(rf"{re.escape(file)} \w+ {rows:,} {rows:,} 0 0 0(?:\.0)? %", text), file
    usage = truth["usage_rows"] - truth["usage_linked_rows"]
    assert f"{truth['usage_rows']:,} {truth['usage_linked_rows']:,} 0 {usage:,}" in text  # 0 superseded
    assert f"Support tickets {truth['tickets']} {truth['tickets_linked_unique']}" in text


def test_the_pilot_is_the_generators(independent_run: Run) -> None:
    truth = json.loads((independent_run.client.parent / "truth.json").read_text())
    manifest = json.loads((independent_run.client / "_build" / "prepared" / "manifest.json").read_text())
    assert manifest["client"] == "Nordlicht AG"
    roster = pd.read_parquet(independent_run.client / "_build" / "prepared" / "roster.parquet")
    assert int(roster["in_pilot"].sum()) == truth["pilot_members"]
    assert "Nordlicht AG" in page_text(independent_run.html / "00_summary.html")


def test_results_are_strict_json_as_published_and_no_interval_has_zero_width(independent_run) -> None:
    assert independent_run.returncode == 0, independent_run.transcript
    assert published_problems(independent_run.client / "_build") == []

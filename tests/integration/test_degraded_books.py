"""`scalegap run` on clients without the optional tables: one with only the roster, and one whose every optional
export is a file with its header but no data rows.  Both build a book; every chapter that lost a table says so on
its page, with what it would have shown and how to supply it; results.json is strict JSON with null and the reason
for every headline figure that depends on a missing table."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.book_checks import published_problems, refuse_constant
from tests.integration.conftest import Run, run_cli, run_once_per_session
from tests.support import LIKERT, tiny_client, write

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("degraded")]

OPTIONAL = ("survey", "usage", "org_usage", "seats", "outcomes", "tickets", "governance")
M365 = (
    "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,Copilot Chat Last Activity Date,"
    "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,Report Period"
)
#: table -> (file, format, content: the export's header rows and no data row)
HEADER_ONLY = {
    "survey": (
        "survey.csv",
        "qualtrics_csv",
        f"{LIKERT},Q1_1,Q1_2\r\n{LIKERT},Useful,Easy\r\n"
        + ",".join(
            f'"{{""ImportId"":""{name}""}}"'
            for name in (
                "startDate",
                "endDate",
                "status",
                "progress",
                "finished",
                "recordedDate",
                "_recordId",
                "recipientEmail",
                "externalDataReference",
                "QID1_1",
                "QID1_2",
            )
        )
        + "\r\n",
    ),
    "usage": ("usage.csv", "usage_daily", "email,date,interactions\n"),
    "org_usage": ("copilot_metrics.json", "github_copilot_metrics", "[]\n"),
    "seats": ("m365_copilot_usage.csv", "m365_copilot_seats", M365 + "\n"),
    "outcomes": (
        "outcomes.csv",
        "outcome_records",
        "record_id,person_id,team,task_type,completed_on,assisted,minutes_taken,record_completeness,exception_flag\n",
    ),
    "tickets": (
        "tickets.csv",
        "tickets_generic",
        "ticket_id,person_id,created_at,first_response_at,resolved_at,channel\n",
    ),
    "governance": ("governance_checklist.yml", "governance_yaml", "items: []\n"),
}

#: chapter page -> (title of its notice, the tables it names with exports.<table>)
NOT_ASSESSED = {
    "20_readiness": ("Not assessed: survey responses", ("survey",)),
    "30_adoption": ("Not assessed: usage telemetry", ("usage",)),
    "35_data_reality": ("Not assessed: outcome records", ("outcomes",)),
    "40_configuration_portability": ("Not assessed: outcome records", ("outcomes",)),
    "50_support": ("Not assessed: support tickets", ("tickets", "usage")),
    "60_governance": ("Not assessed: governance checklist", ("governance",)),
    "68_conversion_rate": ("Not assessed: outcome records, usage telemetry", ("outcomes", "usage", "tickets")),
    "25_pilot_validity": ("Partly assessed: without the survey responses", ("survey", "outcomes", "tickets")),
    "55_integration": ("Partly assessed: without the survey responses", ("survey",)),
    "65_scorecard": (
        "Partly assessed: without the outcome records",
        ("outcomes", "usage", "tickets", "governance", "survey"),
    ),
    "70_rollout": ("Partly assessed: without the usage telemetry", ("usage", "tickets", "governance")),
    "00_summary": (
        "Partly assessed: without the survey responses",
        ("survey", "usage", "outcomes", "tickets", "governance"),
    ),
}

#: headline figures of results.json that depend on an optional table (dotted: block.figure)
DEPENDENT = (
    "conversion_rate",
    "conversion_rate_interval",
    "headline.survey_response_rate",
    "headline.pilot_active_users",
    "headline.outcome_records",
    "headline.clean_record_share",
    "headline.tickets",
    "headline.governance_items",
    "readiness.organisation_index",
    "pilot_validity.clean_share_pilot",
    "pilot_validity.build_team_ticket_share",
    "adoption.pilot_adoption",
    "adoption.predicted_production_adoption",
    "adoption.licences",
    "support.tickets_per_week_full_rollout",
    "support.agents_needed_full_rollout",
    "support.sustainment_factor",
    "governance.items",
    "governance.before_rollout",
    "scorecard.minutes_saved_per_assisted_task",
    "scorecard.reliability_tickets_per_active_user",
    "rollout.expected_adopters",
    "first_wave.expected_adopters",
)


def assessment(exports: str) -> str:
    return (
        'client: {name: "Acme Degraded"}\nexports:\n  roster: {file: hr.csv}\n'
        + exports
        + "survey:\n  constructs:\n    usefulness: {items: [Q1_1, Q1_2]}\n"
    )


def roster_only_client(root: Path) -> Path:
    """The tiny client with every optional export removed from assessment.yml."""
    tiny_client(root)
    write(root / "assessment.yml", assessment(""))
    return root


def header_only_client(root: Path) -> Path:
    """The tiny client's roster, and every optional export a file with its header and no data row."""
    tiny_client(root)
    entries = ""
    for table, (name, adapter, content) in HEADER_ONLY.items():
        write(root / "exports" / name, content)
        entries += f"  {table}: {{file: {name}, format: {adapter}}}\n"
    write(root / "assessment.yml", assessment(entries))
    return root


def run(folder: Path, build: Callable[[Path], Path]) -> Run:
    client = build(folder / "client")
    try:
        done = run_cli("run", str(client), "--set", "execution.cell_timeout_minutes=4")
    except subprocess.TimeoutExpired as timeout:
        return Run(client, str(timeout.stdout or ""), str(timeout.stderr or "") + "\ntimed out", -1)
    return Run(client, done.stdout, done.stderr, done.returncode)


@pytest.fixture(scope="module", params=["roster-only", "header-only"])
def degraded_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    build = roster_only_client if request.param == "roster-only" else header_only_client
    return run_once_per_session(tmp_path_factory, request.param, lambda folder: run(folder, build))


def results(run: Run) -> dict:
    assert run.returncode == 0, run.transcript
    return json.loads(
        (run.client / "_build" / "results.json").read_text(encoding="utf-8"), parse_constant=refuse_constant
    )


def test_the_run_succeeds_and_builds_the_book(degraded_run: Run) -> None:
    assert degraded_run.returncode == 0, degraded_run.transcript
    assert (degraded_run.html / "index.html").is_file()


@pytest.mark.parametrize("chapter", sorted(NOT_ASSESSED))
def test_each_chapter_says_what_is_missing_and_how_to_supply_it(degraded_run: Run, chapter: str) -> None:
    assert degraded_run.returncode == 0, degraded_run.transcript
    page = (degraded_run.html / f"{chapter}.html").read_text(encoding="utf-8")
    title, tables = NOT_ASSESSED[chapter]
    assert "scalegap-not-assessed" in page and title in page, chapter
    for table in tables:
        assert (
            f"add exports.{table} to assessment.yml" in page
            or f"under exports.{table} in" in page
            or f"remove exports.{table} from" in page
        ), (chapter, table)
    if chapter.startswith("50_"):
        assert "a Jira, ServiceNow, Zendesk or generic ticket CSV" in page
    if degraded_run.client.joinpath("exports", "outcomes.csv").is_file() and chapter.startswith("35_"):
        assert "exports/outcomes.csv" in page  # the header-only file is named


def test_results_json_is_strict_and_gives_null_with_the_reason(degraded_run: Run) -> None:
    document = results(degraded_run)
    missing = document["not_assessed"]
    for path in DEPENDENT:
        block, _, key = path.rpartition(".")
        assert (document[block] if block else document)[key] is None, path
        assert missing[path].startswith("not assessed: "), path
    for path in missing:  # everything listed is null
        block, _, key = path.rpartition(".")
        assert (document[block] if block else document)[key] is None, path
    assert document["conversion"]["available"] is False and document["recommendation"]["verdict"] == "Not yet"
    assert document["adoption_by_department"] == {}


def test_the_executive_summary_states_the_figures_not_assessed(degraded_run: Run) -> None:
    document = results(degraded_run)
    page = (degraded_run.html / "00_summary.html").read_text(encoding="utf-8")
    assert document["not_assessed"]["conversion_rate"] in page
    assert document["not_assessed"]["headline.tickets"] in page


def test_results_are_strict_json_as_published_and_no_interval_has_zero_width(degraded_run) -> None:
    assert degraded_run.returncode == 0, degraded_run.transcript
    assert published_problems(degraded_run.client / "_build") == []

from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.models import scorecard as sc
from scalegap.models.summary import write_results
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings, merge, parse_override
from tests.models import test_availability as degraded
from tests.support import tiny_client

DEFAULTS = load_settings(None).scorecard


def prepared(root: Path, *overrides: str) -> PreparedPackage:
    """The tiny client prepared and summarised (results.json written), with ``--set`` style overrides."""
    client = ClientFolder(tiny_client(root))
    merged: dict = {}
    for assignment in overrides:
        merged = merge(merged, parse_override(assignment))
    package = PreparedPackage(prepare(client, load_settings(client.assessment, merged)))
    write_results(package, "2026-11-25T00:00:00+00:00")
    return package


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    return prepared(tmp_path)


@pytest.mark.parametrize(
    "value, status", [(5.0, "green"), (4.99, "amber"), (0.0, "amber"), (-0.01, "red"), (None, "not measured")]
)
def test_status_boundaries_higher_is_better(value: float | None, status: str) -> None:
    assert sc.status_for(value, green=5.0, amber=0.0) == status


@pytest.mark.parametrize("value, status", [(1.0, "green"), (1.01, "amber"), (1.5, "amber"), (1.51, "red")])
def test_status_boundaries_lower_is_better(value: float, status: str) -> None:
    assert sc.status_for(value, green=1.0, amber=1.5, higher_is_better=False) == status


def test_rule_text_states_thresholds() -> None:
    assert sc.rule_text(1.0, 1.5, False) == "green ≤ 1; amber ≤ 1.5; red otherwise"


def test_minutes_saved_is_difference_of_means() -> None:
    outcomes = pd.DataFrame(
        {"assisted": [True, True, False, False, False], "minutes_taken": [10.0, 14.0, 20.0, 22.0, None]}
    )
    assert sc.minutes_saved(outcomes) == pytest.approx(21.0 - 12.0)
    assert sc.minutes_saved(outcomes[outcomes["assisted"]]) is None


def test_reliability_tickets_match_category_or_labels() -> None:
    tickets = pd.DataFrame(
        {
            "category": ["Bug", "Question", "Question", None],
            "labels": [None, "outage; training", "training", "INCIDENT"],
        }
    )
    assert sc.reliability_tickets(tickets, DEFAULTS.reliability_words).tolist() == [True, True, False, True]
    assert sc.reliability_tickets(tickets, ["Training"]).tolist() == [False, True, True, False]


def test_words_are_taken_literally() -> None:
    tickets = pd.DataFrame({"category": ["C++ crash", "C crash"], "labels": [None, None]})
    assert sc.reliability_tickets(tickets, ["c++"]).tolist() == [True, False]


def test_compliance_items_by_area() -> None:
    governance = pd.DataFrame({"area": ["Data protection", "Incident response", "Ownership", None]})
    assert len(sc.compliance_items(governance, DEFAULTS.compliance_areas)) == 2


def test_production_rows_from_results() -> None:
    results = {
        "integration": {"workflows": 2, "production_manual_hours_per_week": 40.0, "first_to_break": "A"},
        "support": {
            "tickets": 10,
            "agents_needed_full_rollout": 3.0,
            "current_agents": 2.0,
            "tickets_per_week_full_rollout": 50.0,
            "capacity_break_share": 0.5,
        },
    }
    integration, support = sc.production_rows(results, DEFAULTS)
    assert integration.status == "green"
    assert support.status == "amber" and support.value.startswith("1.50")
    assert [r.status for r in sc.production_rows({}, DEFAULTS)] == ["not measured", "not measured"]


def test_tiny_client_scorecard_says_what_is_missing(package: PreparedPackage) -> None:
    card = sc.scorecard(package)
    statuses = {row.metric.split(":")[0]: row.status for row in card.rows}
    assert statuses["Outcome"] == "not measured" and statuses["Reliability"] == "not measured"
    headline = sc.scorecard_headline(package)
    assert headline.red == 0 and headline.metrics == len(card.rows)
    assert any(
        "Not assessed" in sentence and "no support tickets were supplied" in sentence
        for sentence in sc.scorecard_findings(package)
    )


def test_thresholds_come_from_the_settings_and_are_stated_beside_the_status(tmp_path: Path) -> None:
    default = {row.metric: row for row in sc.scorecard(prepared(tmp_path / "a")).rows}
    changed = {
        row.metric: row
        for row in sc.scorecard(
            prepared(tmp_path / "b", "scorecard.construct_score_green=10", "scorecard.construct_score_amber=5")
        ).rows
    }
    metric = next(name for name in default if name.startswith("User satisfaction: "))
    assert default[metric].rule == "green ≥ 60; amber ≥ 50; red otherwise"
    assert changed[metric].rule == "green ≥ 10; amber ≥ 5; red otherwise"


def test_without_results_json_the_error_says_to_run_again(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    with pytest.raises(InputError, match="no results.json") as caught:
        sc.scorecard(package)
    assert "scalegap run" in caught.value.hint


def test_tables_without_rows_are_not_measured_and_named(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, degraded.OPTIONAL)
    card = sc.scorecard(package, {})
    assert {row.status for row in card.rows} == {"not measured"}
    finding = sc.scorecard_findings(package, {})[-1]
    assert finding.startswith("Not assessed") and "support tickets (the support tickets export" in finding

from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.models import scorecard as sc
from scalegap.prepare import PreparedPackage, prepare
from scalegap.settings import load_settings

from tests.support import tiny_client


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return prepare(client, load_settings(client.assessment))


@pytest.mark.parametrize("value, status", [(5.0, "green"), (4.99, "amber"), (0.0, "amber"), (-0.01, "red"),
                                           (None, "not measured")])
def test_status_boundaries_higher_is_better(value: float | None, status: str) -> None:
    assert sc.status_for(value, green=5.0, amber=0.0) == status


@pytest.mark.parametrize("value, status", [(1.0, "green"), (1.01, "amber"), (1.5, "amber"), (1.51, "red")])
def test_status_boundaries_lower_is_better(value: float, status: str) -> None:
    assert sc.status_for(value, green=1.0, amber=1.5, higher_is_better=False) == status


def test_rule_text_states_thresholds() -> None:
    assert sc.rule_text(1.0, 1.5, False) == "green ≤ 1; amber ≤ 1.5; red otherwise"


def test_minutes_saved_is_difference_of_means() -> None:
    outcomes = pd.DataFrame({"assisted": [True, True, False, False, False],
                             "minutes_taken": [10.0, 14.0, 20.0, 22.0, None]})
    assert sc.minutes_saved(outcomes) == pytest.approx(21.0 - 12.0)
    assert sc.minutes_saved(outcomes[outcomes["assisted"]]) is None


def test_reliability_tickets_match_category_or_labels() -> None:
    tickets = pd.DataFrame({"category": ["Bug", "Question", "Question", None],
                            "labels": [None, "outage; training", "training", "INCIDENT"]})
    assert sc.reliability_tickets(tickets).tolist() == [True, True, False, True]


def test_compliance_items_by_area() -> None:
    governance = pd.DataFrame({"area": ["Data protection", "Incident response", "Ownership", None]})
    assert len(sc.compliance_items(governance)) == 2


def test_production_rows_from_results() -> None:
    results = {"integration": {"workflows": 2, "production_manual_hours_per_week": 40.0, "first_to_break": "A"},
               "support": {"tickets": 10, "agents_needed_full_rollout": 3.0, "current_agents": 2.0,
                           "tickets_per_week_full_rollout": 50.0, "capacity_break_share": 0.5}}
    integration, support = sc.production_rows(results, sc.DEFAULTS)
    assert integration.status == "green"
    assert support.status == "amber" and support.value.startswith("1.50")
    assert [r.status for r in sc.production_rows({}, sc.DEFAULTS)] == ["not measured", "not measured"]


def test_tiny_client_scorecard_says_what_is_missing(package: PreparedPackage) -> None:
    card = sc.scorecard(package)
    statuses = {row.metric.split(":")[0]: row.status for row in card.rows}
    assert statuses["Outcome"] == "not measured" and statuses["Reliability"] == "not measured"
    headline = sc.scorecard_headline(package)
    assert headline.red == 0 and headline.metrics == len(card.rows)
    assert any("Not provided" in sentence and "tickets" in sentence for sentence in sc.scorecard_findings(package))

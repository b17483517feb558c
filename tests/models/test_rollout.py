from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.models import adoption
from scalegap.models import rollout as ro
from scalegap.models.results import read_results, write_document
from scalegap.models.summary import write_results
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings, parse_override
from tests.models import test_availability as degraded
from tests.support import tiny_client


def prepared(root: Path, override: str | None = None) -> PreparedPackage:
    """The tiny client prepared and summarised (results.json written), with one ``--set`` style override."""
    client = ClientFolder(tiny_client(root))
    package = PreparedPackage(
        prepare(client, load_settings(client.assessment, parse_override(override) if override else None))
    )
    write_results(package, "2026-11-25T00:00:00+00:00")
    return package


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    return prepared(tmp_path)


def no_refit(*args, **kwargs):
    raise AssertionError("the rollout chapter must read the adoption forecast from results.json, not refit it")


def departments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": ["A", "B", "C", "D"],
            "headcount": [10, 10, 50, 40],
            "readiness": [60.0, 70.0, 50.0, 40.0],
            "adoption": [0.5, 0.5, 0.6, 0.4],
            "adoption_low": [0.3] * 4,
            "adoption_high": [0.7] * 4,
            "extrapolated": [False, False, False, True],
            "tickets_per_person": [0.1] * 4,
            "tickets_per_person_high": [0.2] * 4,
        }
    )


def test_order_own_estimate_first_then_adoption_then_readiness() -> None:
    assert ro.order_departments(departments())["department"].tolist() == ["C", "B", "A", "D"]


def test_sizing_keeps_each_cohort_within_capacity() -> None:
    # capacity 4 tickets a week, 0.2 per person at the upper bound: at most 20 people a cohort
    parts = ro.size_cohorts(ro.order_departments(departments()), capacity=4.0, test_group=20, minimum=5)
    assert parts["people"].tolist() == [20, 20, 10, 10, 10, 20, 20]
    assert parts["cohort"].tolist() == [1, 2, 3, 4, 4, 5, 6]
    assert parts["part"].tolist() == ["part 1", "part 2", "part 3", "", "", "test group", "part 1"]
    load = (parts["people"] * parts["tickets_per_person_high"]).groupby(parts["cohort"]).sum()
    assert (load <= 4.0 + 1e-9).all()


def test_parts_never_below_minimum() -> None:
    row = departments().iloc[2].copy()
    row["headcount"] = 42  # 20 + 20 + 2 would leave 2: the last two parts become 20 + 17 + 5
    assert ro.department_parts(row, 4.0, 20, 5) == [(20, "part 1"), (17, "part 2"), (5, "part 3")]


def test_without_capacity_each_department_is_a_cohort() -> None:
    parts = ro.size_cohorts(ro.order_departments(departments()), capacity=None, test_group=20, minimum=5)
    assert parts["cohort"].tolist() == [1, 2, 3, 4, 5]
    assert parts["people"].tolist() == [50, 10, 10, 20, 20]


def test_small_cohorts_join_a_neighbour() -> None:
    parts = pd.DataFrame({"cohort": [1, 2, 3], "people": [10, 3, 8]})
    assert ro.merge_small_cohorts(parts, 5)["cohort"].tolist() == [1, 1, 2]


def test_cohort_table_expected_adopters_and_weeks() -> None:
    parts = ro.size_cohorts(ro.order_departments(departments()), capacity=4.0, test_group=20, minimum=5)
    table = ro.cohort_table(parts, weeks_per_cohort=4).set_index("cohort")
    assert table.loc[4, "headcount"] == 20 and table.loc[4, "adopters"] == pytest.approx(10 * 0.5 + 10 * 0.5)
    assert table.loc[4, "adopters_high"] == pytest.approx(14.0)
    assert (table.loc[4, "start_week"], table.loc[4, "gate_week"]) == (12, 16)
    assert table.loc[4, "departments"] == "B, A"


def test_capacity_per_cohort_from_results() -> None:
    results = {"support": {"tickets": 5, "tickets_per_week_full_rollout": 200.0, "capacity_break_share": 0.1}}
    assert ro.capacity_per_cohort(results) == pytest.approx(20.0)
    results["support"]["capacity_break_share"] = None
    assert ro.capacity_per_cohort(results) == pytest.approx(200.0)
    assert ro.capacity_per_cohort({}) is None


def test_pool_small_departments() -> None:
    pooled = ro.pool_small(departments().assign(headcount=[10, 3, 50, 2]), minimum=5)
    assert pooled["department"].tolist() == ["A", "C", ro.POOLED]
    assert pooled.iloc[-1]["headcount"] == 5


def test_tiny_client_plan_says_what_is_missing(package: PreparedPackage, monkeypatch) -> None:
    monkeypatch.setattr(adoption, "production_forecasts", no_refit)
    monkeypatch.setattr(adoption, "adoption_study", no_refit)
    plan = ro.rollout_plan(package)
    headline = ro.rollout_headline(package, plan)
    assert headline.first_cohort == {"departments": f"Finance, {ro.POOLED}", "headcount": 12}
    assert headline.capacity_tickets_per_week is None and headline.expected_adopters is None
    findings = ro.rollout_findings(package)
    assert any("tickets" in sentence for sentence in findings)
    # no parenthesis after a department's own "(part 1)": "Start with Marketing (part 1): 132 people"
    assert findings[0].startswith(f"Start with Finance, {ro.POOLED}: 12 people; the plan has 1 wave and reaches")


def test_the_forecast_per_department_is_read_from_results_json(package: PreparedPackage, monkeypatch) -> None:
    monkeypatch.setattr(adoption, "production_forecasts", no_refit)
    monkeypatch.setattr(adoption, "adoption_study", no_refit)
    results = read_results(package)
    results["adoption_by_department"] = {
        "Finance": {
            "headcount": 8,
            "pilot_members": None,
            "pilot_adoption": None,
            "forecast": 0.4,
            "low": 0.2,
            "high": 0.6,
            "method": "extrapolation",
            "suppressed": True,
        },
        "Legal": {
            "headcount": None,
            "pilot_members": None,
            "pilot_adoption": None,
            "forecast": None,
            "low": None,
            "high": None,
            "method": "covariate model",
            "suppressed": True,
        },
    }
    table = ro.adoption_by_department(results, package).set_index("department")
    assert table.loc["Finance", ["adoption", "adoption_low", "adoption_high"]].tolist() == [0.4, 0.2, 0.6]
    assert table["extrapolated"].tolist() == [True, False] and pd.isna(table.loc["Legal", "adoption"])
    inputs = ro.segment_inputs(package, results).set_index("department")
    assert inputs.loc["Finance", "adoption"] == 0.4 and inputs.loc["Finance", "extrapolated"]
    assert ro.POOLED in inputs.index  # Legal, 4 people, pooled with its figures not shown


def test_results_json_without_the_block_is_a_clear_error(package: PreparedPackage) -> None:
    results = read_results(package)
    del results["adoption_by_department"]
    write_document(package, results)
    with pytest.raises(InputError, match="adoption_by_department") as caught:
        ro.rollout_plan(package)
    assert "scalegap run" in caught.value.hint and caught.value.file.endswith("results.json")


def test_pace_and_gates_come_from_the_settings(tmp_path: Path) -> None:
    plan = ro.rollout_plan(prepared(tmp_path, "rollout.weeks_per_cohort=2"))
    assert plan.weeks_per_cohort == 2 and plan.cohorts["gate_week"].iloc[0] == 2
    assert plan.gates[0].metric.endswith("after 2 weeks")
    gaps = ro.rollout_plan(prepared(tmp_path / "b", "rollout.governance_gaps_allowed=3")).gates[-1]
    assert gaps.threshold.startswith("at most 3 may be open")


def test_without_a_checklist_the_governance_gate_says_it_is_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("governance",))
    gate = ro.gates({}, package, package.settings.rollout)[-1]
    assert gate.threshold == (
        "none may be open (not assessed: the governance checklist export (exports.governance) has no "
        "data rows, only its header)"
    )


def test_the_governance_gate_reads_as_words() -> None:
    assert ro.governance_gate_text(0, 13, None) == "none may be open (13 are open now)"
    assert ro.governance_gate_text(2, 1, None) == "at most 2 may be open (1 is open now)"
    assert ro.governance_gate_text(0, None, None) == "none may be open"
    assert "≤" not in ro.governance_gate_text(0, 13, None) and "(now" not in ro.governance_gate_text(0, 13, None)

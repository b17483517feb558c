"""results.json of `scalegap demo`: the adoption forecast by department, and the rollout built from it."""

from __future__ import annotations

import json

import pytest

from scalegap import number_format as nf
from scalegap.counting import counts
from tests.integration.conftest import COUNTS

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

DEPARTMENTS = {"Customer Service", "Operations", "Sales", "Finance", "IT", "Marketing", "HR", "Legal"}


def results(demo_run) -> dict:
    assert demo_run.returncode == 0, demo_run.transcript
    return json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))


def test_adoption_by_department_has_every_department_with_interval_and_method(demo_run) -> None:
    block = results(demo_run)["adoption_by_department"]
    assert set(block) == DEPARTMENTS
    for name, entry in block.items():
        assert list(entry) == [
            "headcount",
            "pilot_members",
            "pilot_adoption",
            "forecast",
            "low",
            "high",
            "method",
            "suppressed",
        ], name
        assert entry["headcount"] >= 5 and 0 <= entry["low"] <= entry["forecast"] <= entry["high"] <= 1, name
        assert entry["method"] in {"rollout series", "covariate model", "extrapolation"}, name
        # a group of 1..4 pilot members is never shown, nor the adoption share derived from it
        assert entry["pilot_members"] is None or entry["pilot_members"] >= 5, name
        assert entry["pilot_adoption"] is None or entry["pilot_members"] is not None, name
        assert entry["suppressed"] == (entry["pilot_members"] is None), name
    assert block["Customer Service"]["method"] == "rollout series"


def test_the_rollout_plan_uses_the_forecast_in_results_json(demo_run) -> None:
    document = results(demo_run)
    block = document["adoption_by_department"]
    expected = sum(entry["headcount"] * entry["forecast"] for entry in block.values())
    assert document["rollout"]["expected_adopters"] == pytest.approx(expected, abs=0.1)
    organisation = document["adoption"]["predicted_production_adoption"]
    assert expected / sum(entry["headcount"] for entry in block.values()) == pytest.approx(organisation, abs=1e-4)


def test_one_production_adoption_across_the_book(demo_run) -> None:
    """The adoption chapter, the summary, the rollout plan and the conversion rate show the same figure."""
    from tests.integration.book_checks import page_text

    document = results(demo_run)
    adoption = document["adoption"]["predicted_production_adoption"]
    assert document["conversion"]["production_adoption"]["estimate"] == pytest.approx(adoption, abs=1e-6)
    shown = nf.share(adoption)
    assert f"Predicted production adoption (eventual) {shown} (" in page_text(demo_run.html / "30_adoption.html")
    assert f"Production adoption (estimated) {shown} (" in page_text(demo_run.html / "68_conversion_rate.html")
    assert f"Predicted production adoption {shown} (" in page_text(demo_run.html / "00_summary.html")


def test_each_study_is_computed_once_per_run(demo_run) -> None:
    """The summarise step bootstraps adoption once and persists the study; the adoption and conversion
    chapters' kernels read it (they would bootstrap again without it), and so does results.json."""
    assert demo_run.returncode == 0, demo_run.transcript
    counted = counts(demo_run.client.parent / COUNTS)
    assert counted.get("adoption bootstrap") == 1, counted
    persisted = demo_run.client / "_build" / "results"
    assert {p.name for p in persisted.iterdir() if p.is_dir()} >= {"adoption", "conversion"}
    assert (persisted / "results.json").read_bytes() == (demo_run.client / "_build" / "results.json").read_bytes()

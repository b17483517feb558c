"""results.json of `scalegap demo`: the conversion block, the gaps, the recommendation, and the executive summary
page built from them."""

from __future__ import annotations

import html
import json
import math
import re

import pytest

from scalegap.models import recommendation as rec

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]

FACTORS = {"adoption", "effect", "data_mix", "sustainment"}
DEPARTMENTS = {"Customer Service", "Operations", "Sales", "Finance", "IT", "Marketing", "HR", "Legal"}


def results(demo_run) -> dict:
    assert demo_run.returncode == 0, demo_run.transcript
    return json.loads((demo_run.client / "_build" / "results.json").read_text(encoding="utf-8"))


def ordered(span: dict) -> bool:
    return span["low"] <= span["estimate"] <= span["high"]


def test_the_conversion_block_has_the_rate_its_interval_and_the_factors(demo_run) -> None:
    document = results(demo_run)
    block = document["conversion"]
    assert block["available"] is True and block["interval"] == 0.9
    rate, (low, high) = block["conversion_rate"], block["conversion_rate_interval"]
    assert (document["conversion_rate"], document["conversion_rate_interval"]) == (rate, [low, high])
    assert 0.1 < low <= rate <= high < 1.2
    assert set(block["factors"]) == FACTORS
    assert all(ordered(span) and span["low"] > 0 for span in block["factors"].values())
    product = math.prod(span["estimate"] for span in block["factors"].values())
    assert product == pytest.approx(rate, rel=1e-4)  # the factors' product is the rate, up to rounding


def test_value_per_person_pilot_and_production_with_money(demo_run) -> None:
    block = results(demo_run)["conversion"]
    pilot, production = block["pilot_value_per_person"], block["production_value_per_person"]
    assert ordered(pilot) and ordered(production) and pilot["unit"] == "minutes saved per person per week"
    assert production["estimate"] / pilot["estimate"] == pytest.approx(block["conversion_rate"], rel=1e-4)
    money = block["money"]
    assert money["currency"] == "GBP"
    for key in (
        "pilot_value_per_person_per_year",
        "production_value_per_person_per_year",
        "net_value_per_seat_per_year",
    ):
        assert ordered(money[key]), key
    net = money["net_value_per_seat_per_year"]
    assert net["estimate"] == pytest.approx(
        money["production_value_per_person_per_year"]["estimate"] - money["licence_cost_per_seat_per_year"], abs=0.02
    )


def test_gaps_are_the_factors_below_1_ranked_by_their_effect(demo_run) -> None:
    document = results(demo_run)
    rate, factors = document["conversion_rate"], document["conversion"]["factors"]
    gaps = document["gaps"]
    assert {g["factor"] for g in gaps} == {f for f, span in factors.items() if span["estimate"] < 1}
    assert [g["effect"] for g in gaps] == sorted((g["effect"] for g in gaps), reverse=True)
    for gap in gaps:
        assert gap["effect"] == pytest.approx(rate / gap["factor_value"] - rate, abs=1e-5)
        assert gap["effect_low"] <= gap["effect_high"]
        assert gap["chapter"] in {"Adoption", "Configuration portability", "Data reality", "Support model"}
    assert gaps[0]["factor"] == "adoption"  # the simulated client's largest loss (truth: adoption factor 0.58)


def test_the_recommendation_follows_its_rule_from_the_document(demo_run) -> None:
    document = results(demo_run)
    advice = document["recommendation"]
    assert rec.recommend(document).as_dict() == advice
    assert advice["verdict"] in {rec.GO, rec.GO_WITH_CONDITIONS, rec.NOT_YET}
    if document["scorecard"]["red"]:
        assert advice["verdict"] != rec.GO
        assert len([c for c in advice["conditions"] if c.startswith("Bring ")]) == document["scorecard"]["red"]


def test_readiness_per_department_tickets_and_the_first_wave_are_there(demo_run) -> None:
    document = results(demo_run)
    by_department = document["readiness_by_department"]
    assert set(by_department) == DEPARTMENTS
    for name, entry in by_department.items():
        assert entry["headcount"] >= 5 and 0 <= entry["low"] <= entry["index"] <= entry["high"] <= 100, name
    assert document["support"]["tickets_per_week_full_rollout"] > 0
    wave, first = document["first_wave"], document["rollout"]["first_cohort"]
    assert (wave["departments"], wave["headcount"]) == (first["departments"], first["headcount"])
    assert wave["gate_week"] > wave["start_week"] == 0 and wave["gates"]


def test_the_summary_page_leads_with_the_verdict_and_names_the_gaps(demo_run) -> None:
    document = results(demo_run)
    page = (demo_run.html / "00_summary.html").read_text()
    verdict = re.search(r'class="scalegap-verdict"><strong[^>]*>([^<]*)</strong>', page)
    assert verdict and verdict.group(1) == f"{document['recommendation']['verdict']}."
    assert 0 < verdict.start() < page.find("<h2>What production keeps")  # the recommendation comes first
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Of the value per person the pilot showed, production is expected to keep about" in text
    assert "How the verdict is reached:" in text
    for gap in document["gaps"][: rec.GAPS_SHOWN]:
        assert gap["name"] in text
    assert f"Start with {document['first_wave']['departments']}" in text

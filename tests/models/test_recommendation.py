from types import SimpleNamespace

import numpy as np
import pytest

from scalegap.models import recommendation as rec
from scalegap.stats.estimation import percentile_interval

FACTORS = {"adoption": 0.5, "effect": 0.8, "data_mix": 0.75, "sustainment": 0.9}  # product 0.27


def span(estimate: float, low: float, high: float) -> dict:
    return {"estimate": estimate, "low": low, "high": high}


def conversion(
    net: tuple[float, float, float] | None = (1200.0, 300.0, 2500.0),
    rate: float = 0.27,
    interval: tuple[float, float] = (0.2, 0.4),
    factors: dict | None = None,
) -> dict:
    """A results.json ``conversion`` block, by hand: money when ``net`` is given, else a quality score."""
    money = None if net is None else {"currency": "GBP", "net_value_per_seat_per_year": span(*net)}
    return {
        "available": True,
        "conversion_rate": rate,
        "conversion_rate_interval": list(interval),
        "interval": 0.9,
        "factors": {name: span(value, value - 0.1, value + 0.05) for name, value in (factors or FACTORS).items()},
        "money": money,
        "notes": [],
    }


def document(
    block: dict, red: list[dict] | None = None, before: list[dict] | None = None, checklist: bool = True
) -> dict:
    before = before or []
    return {
        "conversion": block,
        "scorecard": {"metrics": 7, "red": len(red or []), "red_metrics": [r["metric"] for r in red or []]},
        "scorecard_red": red or [],
        "governance": {"items": 24 if checklist else None, "before_rollout": len(before) if checklist else None},
        "governance_before_rollout": before if checklist else [],
    }


RED = {
    "metric": "Reliability: tickets per active user",
    "value": "0.427",
    "rule": "green ≤ 0.05; amber ≤ 0.15; red otherwise",
}
BUILD = {
    "item": "GOV-10",
    "area": "Incident response",
    "question": "Is there an incident process?",
    "action": "Put it in place and name an owner",
}
OWNER = {
    "item": "GOV-06",
    "area": "Configuration management",
    "question": "Is there an inventory?",
    "action": "Name an owner",
}


# --- gaps ------------------------------------------------------------------------------------------------------


def test_closing_one_gap_divides_it_out_of_the_rate() -> None:
    assert np.prod(list(FACTORS.values())) == pytest.approx(0.27)
    assert rec.gap_effect(0.27, 0.5) == pytest.approx(0.27)  # 0.27 ÷ 0.5 = 0.54: +0.27
    assert rec.gap_effect(0.27, 0.8) == pytest.approx(0.0675)  # 0.3375 − 0.27
    assert rec.gap_effect(0.27, 0.75) == pytest.approx(0.09)  # 0.36 − 0.27
    assert rec.gap_effect(0.27, 0.9) == pytest.approx(0.03)  # 0.30 − 0.27
    assert rec.gap_effect(0.27, 1.0) == 0.0


def test_gaps_are_ranked_by_effect_and_named_with_their_lever_and_chapter() -> None:
    gaps = rec.ranked_gaps(conversion())
    assert [g.factor for g in gaps] == ["adoption", "data_mix", "effect", "sustainment"]
    assert [g.effect for g in gaps] == pytest.approx([0.27, 0.09, 0.0675, 0.03])
    first = gaps[0]
    assert (first.chapter, first.page) == ("Adoption", "30_adoption") and "did not volunteer" in first.lever
    assert gaps[1].chapter == "Data reality" and gaps[2].chapter == "Configuration portability"
    assert gaps[3].chapter == "Support model"
    assert first.effect_low is None  # no replicates given: no interval


def test_a_factor_at_or_above_1_is_not_a_gap_and_intervals_are_attached() -> None:
    factors = {"adoption": 0.5, "effect": 1.2, "data_mix": 1.0, "sustainment": 0.9}
    gaps = rec.ranked_gaps(conversion(rate=0.54, factors=factors), {"adoption": (0.3, 0.7), "sustainment": (0, 0.1)})
    assert [g.factor for g in gaps] == ["adoption", "sustainment"]
    assert (gaps[0].effect, gaps[0].effect_low, gaps[0].effect_high) == pytest.approx((0.54, 0.3, 0.7))
    assert gaps[0].as_dict()["effect"] == 0.54 and gaps[0].as_dict()["name"] == gaps[0].name


def test_effect_intervals_come_from_the_replicates() -> None:
    replicates = [
        SimpleNamespace(
            conversion_rate=r * a, factors={"adoption": a, "effect": 1.0, "data_mix": 1.0, "sustainment": 1.0}
        )
        for r, a in [(0.6, 0.5), (0.8, 0.4), (1.0, 0.6), (0.7, 0.5)]
    ]
    study = SimpleNamespace(interval_of=lambda pick: percentile_interval(np.array([pick(e) for e in replicates]), 0.9))
    intervals = rec.effect_intervals(study)
    # effect of adoption = rate ÷ a − rate = r × (1 − a): 0.3, 0.48, 0.4, 0.35
    assert intervals["adoption"] == pytest.approx(percentile_interval(np.array([0.3, 0.48, 0.4, 0.35]), 0.9))
    assert intervals["effect"] == (0.0, 0.0)


# --- the verdict ---------------------------------------------------------------------------------------------


def test_go_when_the_whole_interval_is_above_zero_and_nothing_is_open() -> None:
    advice = rec.recommend(document(conversion()))
    assert advice.verdict == rec.GO and advice.conditions == ()
    assert advice.reasons[0].startswith("At full rollout each seat is expected to return GBP 1,200 a year")
    assert "90 % interval GBP 300 to GBP 2,500" in advice.reasons[0]
    assert "whole 90 % interval of the net value per seat" in advice.rule and "Not yet when" in advice.rule


def test_go_with_conditions_lists_red_metrics_and_governance_items() -> None:
    advice = rec.recommend(document(conversion(), red=[RED], before=[BUILD, OWNER]))
    assert advice.verdict == rec.GO_WITH_CONDITIONS
    assert advice.reasons[0].endswith(
        "but 1 operational scorecard metric is red and 2 governance items must be settled before rollout."
    )
    red, build, owner = advice.conditions
    assert red == (
        "Bring reliability to green: tickets per active user, now 0.427; green needs ≤ 0.05 "
        "(Operational scorecard chapter)."
    )
    assert "1 governance item that must exist before rollout: incident response (GOV-10)" in build
    assert owner == "Name an owner for 1 more governance item that must have one before rollout: GOV-06."
    only_owner = rec.recommend(document(conversion(), before=[OWNER])).conditions
    assert only_owner == ("Name an owner for 1 governance item that must have one before rollout: GOV-06.",)


def test_go_with_conditions_when_only_the_interval_reaches_zero() -> None:
    advice = rec.recommend(document(conversion(net=(400.0, -150.0, 900.0))))
    assert advice.verdict == rec.GO_WITH_CONDITIONS
    assert len(advice.conditions) == 1 and "reaches −GBP 150" in advice.conditions[0]
    assert advice.reasons[0].endswith("but the interval reaches −GBP 150.")


def test_a_missing_governance_checklist_counts_as_open() -> None:
    advice = rec.recommend(document(conversion(), checklist=False))
    assert advice.verdict == rec.GO_WITH_CONDITIONS
    assert advice.conditions[0].startswith("Complete the governance checklist")
    assert "no governance checklist was provided" in advice.reasons[0]


def test_not_yet_when_the_estimate_is_zero_or_below_and_conditions_stay_listed() -> None:
    advice = rec.recommend(document(conversion(net=(0.0, -500.0, 400.0)), red=[RED]))
    assert advice.verdict == rec.NOT_YET
    assert "cost GBP 0 a year more than the time it saves is worth" in advice.reasons[0]
    assert len(advice.conditions) == 1  # the red metric; no interval condition for a not-yet
    assert rec.recommend(document(conversion(net=(-120.0, -300.0, 50.0)))).verdict == rec.NOT_YET


def test_not_yet_when_the_conversion_rate_cannot_be_estimated_says_what_is_missing() -> None:
    reason = "The client gave no outcome records, so the effect per task cannot be measured."
    advice = rec.recommend(document({"available": False, "reason": reason}, checklist=False))
    assert advice.verdict == rec.NOT_YET
    assert (
        advice.reasons[0].endswith(": the client gave no outcome records, so the effect per task cannot be measured.")
        and "cannot be estimated" in advice.reasons[0]
    )
    assert len(advice.conditions) == 1  # the missing checklist
    assert rec.recommend({}).verdict == rec.NOT_YET  # results.json without the blocks


def test_a_quality_score_is_judged_on_the_conversion_rate_against_the_threshold() -> None:
    assert rec.MIN_RATE_WITHOUT_MONEY == 0.5
    go = rec.recommend(document(conversion(net=None, rate=0.7, interval=(0.55, 0.8))))
    assert go.verdict == rec.GO and "keep 70 % of the pilot's gain per person" in go.reasons[0]
    assert "above 50 %" in go.rule and "net value" not in go.rule
    conditional = rec.recommend(document(conversion(net=None, rate=0.6, interval=(0.45, 0.8))))
    assert conditional.verdict == rec.GO_WITH_CONDITIONS and "reaches 45 %" in conditional.conditions[0]
    assert rec.recommend(document(conversion(net=None, rate=0.5, interval=(0.4, 0.6)))).verdict == rec.NOT_YET


def test_the_recommendation_round_trips_through_results_json() -> None:
    advice = rec.recommend(document(conversion(), red=[RED]))
    assert rec.Recommendation.from_dict(advice.as_dict()) == advice
    assert list(advice.as_dict()) == ["verdict", "rule", "reasons", "conditions"]


def test_drawn_quantities_are_named_as_a_second_reason_in_agreement_with_their_number() -> None:
    block = conversion() | {"notes": ["one", "two"]}
    assert (
        rec.recommend(document(block))
        .reasons[1]
        .startswith(
            "2 quantities behind the estimate could not be measured in the data and were drawn from stated ranges;"
        )
    )
    one = rec.recommend(document(conversion() | {"notes": ["one"]})).reasons[1]
    assert one.startswith(
        "1 quantity behind the estimate could not be measured in the data and was drawn from a stated range;"
    )


def test_green_rule_and_plural() -> None:
    assert rec.green_rule("green: all in place; amber: none absent; red: any absent") == "all in place"
    assert rec.green_rule("amber ≤ 1") is None and rec.green_rule(None) is None
    assert rec.plural(1, "item") == "1 item" and rec.plural(3, "item") == "3 items"
    assert rec.money_text(-1234.4, "EUR") == "−EUR 1,234"

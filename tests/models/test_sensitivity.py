"""The tornado, what would have to be true and the what-if levers, on a hand-built estimate.

The point estimate: pilot adoption 0.8, production adoption 0.36 after a sustainment factor of 0.9 (0.4 before:
adoption factor 0.5), value per active user 100 in the pilot and 80 in production (effect factor 0.8), messy-data
multiplier 0.5 with messy shares 0 and 0.5 (data mix 1 and 0.75: factor 0.75).  Conversion rate
0.5 × 0.8 × 0.75 × 0.9 = 0.27; pilot value 80 and production value 21.6 minutes per person per week.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest

from scalegap.models import sensitivity
from scalegap.models.conversion import ConversionStudy, Estimate
from scalegap.models.conversion.evidence import ConversionInputs
from scalegap.models.effect import MessyMultiplier
from scalegap.models.sensitivity import Levers, apply_levers
from scalegap.models.support import SustainmentFactor

POINT = Estimate(
    pilot_adoption=0.8,
    production_adoption=0.36,
    pilot_value_per_active=100.0,
    production_value_per_active=80.0,
    pilot_messy_share=0.0,
    production_messy_share=0.5,
    messy_multiplier=0.5,
    sustainment=0.9,
    pilot_conditions=1.0,
)
# five replicates; with a 50 % interval the ends are the 2nd and the 4th values of each factor:
# adoption 0.4 to 0.6, effect 0.7 to 0.9, data mix 0.7 to 0.8, sustainment 0.8 to 1.0
ADOPTION = (0.3, 0.4, 0.5, 0.6, 0.7)
EFFECT = (0.6, 0.7, 0.8, 0.9, 1.0)
MESSY = (0.7, 0.6, 0.5, 0.4, 0.3)
SUSTAINMENT = (0.7, 0.8, 0.9, 1.0, 1.0)
REPLICATES = tuple(
    replace(
        POINT,
        production_adoption=a * 0.8 * s,
        production_value_per_active=100.0 * e,
        production_messy_share=m,
        sustainment=s,
    )
    for a, e, m, s in zip(ADOPTION, EFFECT, MESSY, SUSTAINMENT)
)
PLANNED = SustainmentFactor(0.9, (0.8, 1.0), {"staffing_fte": 4.0}, "Planned staffing: 4.0 FTE.")
UNPROJECTED = SustainmentFactor(None, None, {}, "No ticket export.")


def hand_study(
    point: Estimate = POINT,
    sustainment: SustainmentFactor = PLANNED,
    measured: bool = True,
    has_rollout: bool = True,
    unmeasured: tuple[str, ...] = (),
) -> ConversionStudy:
    inputs = ConversionInputs(
        pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), ("Finance",), has_rollout, None, "minutes saved per task"
    )
    multiplier = MessyMultiplier(0.5, 20, 8.0, 4.0) if measured else MessyMultiplier(None, 2, None, None)
    return ConversionStudy(
        inputs=inputs,
        point=point,
        replicates=REPLICATES,
        interval=0.5,
        sustainment=sustainment,
        multiplier=multiplier,
        team_tuning_measured=measured,
        unmeasured_departments=unmeasured,
        forecasts=None,
    )


def test_the_hand_built_estimate_has_the_stated_factors() -> None:
    assert POINT.factors == pytest.approx({"adoption": 0.5, "effect": 0.8, "data_mix": 0.75, "sustainment": 0.9})
    assert POINT.conversion_rate == pytest.approx(0.27)
    assert hand_study().factor_interval("sustainment") == pytest.approx((0.8, 1.0))


def test_rate_with_one_factor_moved_is_proportional() -> None:
    assert sensitivity.rate_with(POINT, "adoption", 1.0) == pytest.approx(0.54)
    assert sensitivity.rate_with(POINT, "sustainment", 0.45) == pytest.approx(0.135)


def test_tornado_sorts_by_swing() -> None:
    table = sensitivity.tornado(hand_study())
    # swings: adoption 0.54 × 0.2, effect 0.3375 × 0.2, sustainment 0.3 × 0.2, data mix 0.36 × 0.1
    assert table["factor"].tolist() == ["adoption", "effect", "sustainment", "data_mix"]
    assert table["swing"].tolist() == pytest.approx([0.108, 0.0675, 0.06, 0.036])
    first = table.iloc[0]
    assert (first["rate_low"], first["rate_high"]) == pytest.approx((0.216, 0.324))


def test_what_would_have_to_be_true() -> None:
    needed = {r.factor: r for r in sensitivity.requirements(hand_study())}
    assert needed["adoption"].required == pytest.approx(0.5 / 0.27)
    assert needed["effect"].required == pytest.approx(0.8 / 0.27)
    # production adoption cannot pass 100 %: the adoption factor is at most 1 / 0.8
    assert needed["adoption"].ceiling == pytest.approx(1.25) and not needed["adoption"].possible
    assert needed["effect"].ceiling is None and needed["effect"].possible
    assert needed["data_mix"].ceiling == pytest.approx(1.0) and needed["sustainment"].ceiling == 1.0
    assert not any(r.within_interval for r in needed.values())
    assert sensitivity.Requirement("effect", 0.8, 0.7, 1.2, 1.1, None).within_interval


def test_requirement_table_says_what_is_possible() -> None:
    table = sensitivity.requirement_table(sensitivity.requirements(hand_study())).set_index("Factor")
    assert table.loc["Adoption", "Needed to match the pilot"] == "1.85"
    assert table.loc["Adoption", "Possible at all"] == "no (at most 1.25)"
    assert table.loc["Effect per active user", "Possible at all"] == "yes"


def test_baseline_levers_reproduce_the_estimate_exactly() -> None:
    for estimate in (POINT,) + REPLICATES:
        moved = apply_levers(estimate, Levers(support_fte=4.0), 1.0)
        assert moved == estimate
        assert moved.conversion_rate == estimate.conversion_rate


def test_remediation_cleans_a_share_of_production_messy_records() -> None:
    moved = apply_levers(POINT, Levers(messy_share_reduction=0.5))
    assert moved.production_messy_share == pytest.approx(0.25)
    assert moved.conversion_rate == pytest.approx(0.5 * 0.8 * 0.875 * 0.9)


def test_volunteers_adopt_and_gain_like_pilot_members() -> None:
    moved = apply_levers(POINT, Levers(volunteer_share=0.5))
    # before the loss: 0.5 × 0.4 + 0.5 × 0.8 = 0.6; value per person 0.5 × 0.4 × 80 + 0.5 × 0.8 × 100 = 56
    assert moved.production_adoption == pytest.approx(0.54)
    assert moved.production_value_per_active == pytest.approx(56 / 0.6)
    assert moved.conversion_rate == pytest.approx(56 * 0.9 * 0.75 / 80)
    everyone = apply_levers(POINT, Levers(volunteer_share=1.0))
    assert everyone.factors["adoption"] == pytest.approx(1.0) and everyone.factors["effect"] == pytest.approx(1.0)


def test_training_closes_half_the_gap_for_the_trained_share() -> None:
    moved = apply_levers(POINT, Levers(training_coverage=1.0))
    assert moved.factors["adoption"] == pytest.approx((0.4 + 0.5 * 0.4) / 0.8)
    assert moved.conversion_rate == pytest.approx(0.405)
    above = replace(POINT, production_adoption=0.9 * 0.9)
    assert apply_levers(above, Levers(training_coverage=1.0)).production_adoption == pytest.approx(0.81)


def test_staffing_scales_adoption_by_the_sustainment_ratio() -> None:
    moved = apply_levers(POINT, Levers(support_fte=2.0), sustainment_ratio=0.5)
    assert moved.factors["sustainment"] == pytest.approx(0.45)
    assert moved.factors["adoption"] == pytest.approx(0.5)
    assert moved.conversion_rate == pytest.approx(0.135)


def test_sustainment_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    package = SimpleNamespace(path="prepared")
    monkeypatch.setattr(sensitivity, "sustainment_at", lambda package, staffing: min(1.0, staffing / 5.0))
    assert sensitivity.sustainment_ratio(hand_study(), package, 4.0) == 1.0
    assert sensitivity.sustainment_ratio(hand_study(), package, 2.0) == pytest.approx(0.4 / 0.8)
    assert sensitivity.sustainment_ratio(hand_study(sustainment=UNPROJECTED), package, 2.0) == 1.0


def test_what_if_grid_moves_one_lever_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sensitivity, "sustainment_at", lambda package, staffing: min(1.0, staffing / 5.0))
    grid = sensitivity.what_if_grid(hand_study(), SimpleNamespace(path="prepared"))
    assert grid.groupby("lever").size().to_dict() == {
        "messy_share_reduction": 11,
        "support_fte": 12,
        "training_coverage": 11,
        "volunteer_share": 11,
    }
    staffing = grid[grid["lever"] == "support_fte"]["value"]
    assert (staffing.min(), staffing.max()) == pytest.approx((2.0, 8.0)) and 4.0 in staffing.tolist()
    at_baseline = grid[grid["value"] == grid["baseline"]]
    assert at_baseline["rate"].tolist() == pytest.approx([0.27] * 4)
    cleaned = grid[(grid["lever"] == "messy_share_reduction") & (grid["value"] == 1.0)].iloc[0]
    assert cleaned["rate"] == pytest.approx(0.36)
    # every replicate at messy share 0: rates 0.3·0.6·0.7, 0.4·0.7·0.8, 0.5·0.8·0.9, 0.6·0.9·1, 0.7·1·1
    assert (cleaned["low"], cleaned["high"]) == pytest.approx((0.224, 0.54))


def test_without_a_support_projection_staffing_has_no_range() -> None:
    grid = sensitivity.what_if_grid(hand_study(sustainment=UNPROJECTED), None)
    assert "support_fte" not in set(grid["lever"])
    ends = sensitivity.lever_ends(grid).set_index("Lever")
    assert ends.loc["Messy records made clean", "Conversion rate there"] == "36 % (22 % to 54 %)"


def test_scenario_table_sets_the_scenario_beside_the_baseline() -> None:
    table = sensitivity.scenario_table(
        hand_study(sustainment=UNPROJECTED), None, Levers(messy_share_reduction=1.0)
    ).set_index("Figure")
    assert table.loc["Conversion rate", "Today's plan"].startswith("27 % (")
    assert table.loc["Conversion rate", "Scenario"] == "36 % (22 % to 54 %)"
    assert table.loc["Data mix factor", "Scenario"] == "1.00"
    assert table.loc["Production value (minutes saved per person per week)", "Today's plan"] == "21.6"

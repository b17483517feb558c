"""Effect per task (scalegap.models.effect) on records small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalegap.models import effect


def records(rows: list[tuple]) -> pd.DataFrame:
    """(person, task type, tier, assisted, value) rows; value is already oriented (more is better)."""
    return pd.DataFrame(rows, columns=["person_id", "task_type", "data_tier", "assisted", "value"])


def test_usable_records_sets_apart_by_first_reason_and_orients_minutes() -> None:
    raw = pd.DataFrame(
        {
            "person_id": ["A", None, "B", "C", "D"],
            "assisted": [True, False, False, True, False],
            "minutes_taken": [10.0, 5.0, np.nan, -3.0, 8.0],
            "data_tier": ["clean"] * 5,
        }
    )
    usable = effect.usable_records(raw, "minutes_saved")
    assert usable.set_apart == {"no person": 1, "no minutes taken": 1, "negative minutes (a recording error)": 1}
    assert usable.records["person_id"].tolist() == ["A", "D"]
    assert usable.records["value"].tolist() == [-10.0, -8.0]  # fewer minutes is better
    assert usable.unit == "minutes saved per task"


def test_usable_records_for_quality_keep_the_score_as_it_is() -> None:
    raw = pd.DataFrame(
        {"person_id": ["A", "B"], "assisted": [1, 0], "quality_score": [4.0, np.nan], "data_tier": ["messy", "clean"]}
    )
    usable = effect.usable_records(raw, "quality_score")
    assert usable.records["value"].tolist() == [4.0]
    assert usable.records["assisted"].tolist() == [True]
    assert usable.set_apart["no quality score"] == 1


def test_task_adjustment_subtracts_the_unassisted_mean_of_task_and_tier() -> None:
    frame = records(
        [
            ("X", "A", "clean", False, -30.0),
            ("Y", "A", "clean", False, -10.0),
            ("X", "A", "clean", True, -15.0),
            ("Y", "B", "clean", False, -5.0),
            ("Y", "B", "clean", True, -4.0),
            ("X", "C", "clean", True, -8.0),
            ("X", "A", "messy", False, -40.0),
            ("X", "A", "messy", True, -38.0),
        ]
    )
    adjusted = effect.task_adjusted(frame)
    # task A clean baseline -20, task B -5, task C has no unassisted record: the clean tier's mean, -15
    assert adjusted.tolist() == pytest.approx([-10.0, 10.0, 5.0, 0.0, 1.0, 7.0, 0.0, 2.0])


def test_person_effects_are_within_person_differences_per_tier_with_counts() -> None:
    frame = records(
        [
            ("X", "A", "clean", False, -30.0),
            ("X", "A", "clean", True, -24.0),
            ("X", "B", "clean", False, -10.0),
            ("X", "B", "clean", True, -6.0),
            ("X", "A", "messy", True, -29.0),
            ("Y", "A", "clean", False, -20.0),
            ("Y", "A", "clean", True, -18.0),
            ("Y", "A", "messy", False, -36.0),
            ("Y", "A", "messy", True, -35.0),
            ("Z", "A", "unknown", True, -1.0),
        ]
    )
    effects = effect.person_effects(frame)
    assert list(effects.index) == ["X", "Y"]  # unknown-tier records are left out
    # X clean: task A baseline -25 -> +1 (assisted) and -5 (unassisted); B baseline -10 -> +4 and 0: (1+4)/2 - (-5+0)/2
    assert effects.loc["X", "clean"] == pytest.approx(5.0)
    assert effects.loc["Y", "clean"] == pytest.approx(2.0)
    assert np.isnan(effects.loc["X", "messy"])  # assisted messy records only
    assert effects.loc["Y", "messy"] == pytest.approx(1.0)
    assert effects.loc["X", ["clean_assisted", "clean_unassisted", "messy_assisted", "messy_unassisted"]].tolist() == [
        2,
        2,
        1,
        0,
    ]


def both_tiers(clean: list[float], messy: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"clean": clean, "messy": messy})


def test_messy_multiplier_follows_exact_data_with_a_narrow_interval() -> None:
    effects = both_tiers([4.0, 2.0, 6.0, 4.0, 4.0, 9.0], [2.0, 1.0, 3.0, 2.0, 2.0, np.nan])
    multiplier = effect.messy_multiplier(effects)
    assert multiplier.measured and multiplier.people == 5
    assert (multiplier.clean_effect, multiplier.messy_effect) == pytest.approx((4.0, 2.0))
    assert multiplier.value == pytest.approx(0.5, abs=0.01)  # every person's messy effect is half the clean one
    low, high = multiplier.interval
    assert low <= high and abs(low - 0.5) < 0.02 and abs(high - 0.5) < 0.02


def test_messy_multiplier_recovers_the_truth_from_many_noisy_people() -> None:
    rng = np.random.default_rng(4)
    clean = rng.normal(8.0, 3.0, 200)
    effects = both_tiers(list(clean), list(0.4 * clean + rng.normal(0.0, 3.0, 200)))
    multiplier = effect.messy_multiplier(effects)
    low, high = multiplier.interval
    assert low < 0.4 < high and high - low < 0.2 and abs(multiplier.value - 0.4) < 0.07


def test_thin_noisy_evidence_stays_in_range_and_widens_the_interval() -> None:
    """About 40 people with one or two messy records each: a ratio of means came out at −0.13 on such a
    client; the estimate stays positive, near the prior, and its interval says how little is known."""
    rng = np.random.default_rng(11)
    clean = rng.normal(8.0, 3.0, 40)
    messy = 0.5 * clean + rng.normal(0.0, 25.0, 40)  # one or two messy records: very noisy effects
    messy -= messy.mean() + 0.13 * clean.mean()  # their mean effect below zero, as on that client
    multiplier = effect.messy_multiplier(both_tiers(list(clean), list(messy)))
    assert multiplier.messy_effect < 0 < multiplier.value
    low, high = multiplier.interval
    assert 0 < low and high - low > 0.5  # wide: the evidence is thin
    quantiles = [multiplier.quantile(q) for q in (0.0, 0.05, 0.5, 0.95, 1.0)]
    assert quantiles == sorted(quantiles) and quantiles[2] == pytest.approx(multiplier.value)
    assert effect.MULTIPLIER_GRID[0] <= quantiles[0] and quantiles[-1] <= effect.MULTIPLIER_GRID[-1]


def test_messy_multiplier_is_not_measured_with_too_few_people_or_no_clean_effect() -> None:
    few = effect.messy_multiplier(both_tiers([4.0, 2.0, 6.0, 4.0], [2.0, 1.0, 3.0, 2.0]))
    assert not few.measured and few.people == 4 and few.clean_effect is None
    assert effect.MIN_MESSY_PEOPLE == 5
    negative = effect.messy_multiplier(both_tiers([-1.0] * 5, [1.0] * 5))
    assert not negative.measured and negative.clean_effect == pytest.approx(-1.0)
    assert effect.messy_multiplier(both_tiers([4.0] * 6, [2.0] * 6), minimum_people=7).value is None


def test_data_mix_and_messy_share() -> None:
    assert effect.data_mix(0.45, 0.35) == pytest.approx(0.7075)
    assert effect.data_mix(0.0, 0.2) == 1.0 and effect.data_mix(1.0, 0.2) == pytest.approx(0.2)
    tiers = pd.DataFrame({"data_tier": ["clean", "messy", "messy", "unknown"]})
    assert effect.messy_share(tiers) == pytest.approx(2 / 3)
    assert effect.messy_share(pd.DataFrame({"data_tier": ["unknown"]})) is None


def test_the_messy_share_weights_each_record_by_its_weight() -> None:
    records = pd.DataFrame({"person_id": ["A", "A", "B", "B"], "data_tier": ["messy", "clean", "clean", "unknown"]})
    # known tiers: A messy (weight 2), A clean (2), B clean (1) → 2 / 5
    assert effect.messy_share(records, pd.Series([2.0, 2.0, 1.0, 1.0])) == pytest.approx(0.4)
    assert effect.messy_share(records, pd.Series([0.0, 0.0, 0.0, 1.0])) is None

"""The constructs' weights in the forecast models' readiness score: chosen by who adopted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalegap.models.measurement_error import index_reliability
from scalegap.models.readiness_predictor import ConstructWeights, predictive_weights, weighted_index
from scalegap.settings import SurveySettings

CONSTRUCTS = ("useful", "easy", "trust", "fit")


def people(n: int, predictive: tuple[str, ...], seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    """Construct scores on 1..5 and adoption driven by the ``predictive`` constructs only."""
    rng = np.random.default_rng(seed)
    ids = [f"P{i}" for i in range(n)]
    latent = pd.DataFrame({c: rng.normal(0, 1, n) for c in CONSTRUCTS}, index=ids)
    scores = (3 + 0.8 * latent + rng.normal(0, 0.4, (n, len(CONSTRUCTS)))).clip(1, 5)
    drive = latent[list(predictive)].mean(axis=1) * 2.0
    adopted = pd.Series(rng.random(n) < 1 / (1 + np.exp(-drive)), index=ids)
    return scores, adopted


def test_the_construct_that_drives_adoption_gets_most_of_the_weight() -> None:
    scores, adopted = people(600, ("trust",))
    weights = predictive_weights(scores, adopted)
    assert weights.measured and weights.respondents == 600
    assert sum(weights.weights.values()) == pytest.approx(1.0)
    assert max(weights.weights, key=weights.weights.get) == "trust"
    assert weights.weights["trust"] > 0.5
    assert "trust" in weights.note()


def test_with_every_construct_predictive_the_weights_stay_near_equal() -> None:
    weights = predictive_weights(*people(600, CONSTRUCTS))
    assert all(0.12 < w < 0.4 for w in weights.weights.values()), weights


def test_too_few_adopters_or_non_adopters_keep_equal_weights() -> None:
    scores, adopted = people(600, ("trust",))
    adopted[:] = True
    adopted.iloc[:5] = False  # five non-adopters: fewer than MIN_EACH
    weights = predictive_weights(scores, adopted)
    assert not weights.measured and weights == ConstructWeights.equal(list(CONSTRUCTS), 600)
    assert "weighing the same" in weights.note()


def test_the_weighted_index_is_on_the_index_scale_and_shares_a_missing_constructs_weight() -> None:
    scores = pd.DataFrame({"useful": [1.0, 5.0, 3.0], "easy": [1.0, 5.0, np.nan]}, index=["a", "b", "c"])
    weights = ConstructWeights({"useful": 0.75, "easy": 0.25}, True)
    index = weighted_index(scores, weights, scale_points=5)
    assert index["a"] == 0.0 and index["b"] == 100.0
    assert index["c"] == 50.0  # useful alone carries 0.75 of the weight: enough, and it is the whole score
    only_easy = weighted_index(scores.assign(useful=np.nan), weights, scale_points=5)
    assert only_easy.empty  # a quarter of the weight answered is not enough


def test_the_reliability_of_a_weighted_score_counts_the_noise_of_the_weighted_constructs() -> None:
    instrument = SurveySettings.model_validate(
        {
            "scale_points": 11,
            "scale_labels": [str(p) for p in range(1, 12)],
            "constructs": {"clear": {"items": ["a1", "a2", "a3"]}, "noisy": {"items": ["b1", "b2", "b3"]}},
        }
    )
    rng = np.random.default_rng(1)
    truth = rng.normal(50, 10, 4000)
    survey = pd.DataFrame(
        {
            **{f"a{i}": truth + rng.normal(0, 5, 4000) for i in (1, 2, 3)},
            **{f"b{i}": truth + rng.normal(0, 20, 4000) for i in (1, 2, 3)},
        }
    )
    on_clear = index_reliability(survey, instrument, {"clear": 1.0, "noisy": 0.0})
    on_noisy = index_reliability(survey, instrument, {"clear": 0.0, "noisy": 1.0})
    assert on_clear == pytest.approx(100 / (100 + 25 / 3), abs=0.02)
    assert on_noisy == pytest.approx(100 / (100 + 400 / 3), abs=0.03)
    assert on_noisy < index_reliability(survey, instrument) < on_clear

"""The readiness index's reliability (stratified alpha) and the regression calibration the adoption model uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalegap.models.adoption import forecast
from scalegap.models.measurement_error import attenuation_note, calibrated, index_reliability
from scalegap.settings import SurveySettings


def instrument(items_per_construct: int = 4, constructs: int = 3) -> SurveySettings:
    return SurveySettings.model_validate(
        {
            "scale_points": 11,
            "scale_labels": [str(point) for point in range(1, 12)],
            "constructs": {
                f"c{j}": {"items": [f"q{j}_{i}" for i in range(items_per_construct)]} for j in range(constructs)
            },
        }
    )


def answers(noise: float, people: int = 3000, items_per_construct: int = 4, constructs: int = 3) -> pd.DataFrame:
    """Every item = true readiness (sd 10) + noise (sd ``noise``), unrounded (reliability needs no clipping)."""
    rng = np.random.default_rng(8)
    truth = rng.normal(50.0, 10.0, people)
    return pd.DataFrame(
        {
            f"q{j}_{i}": truth + rng.normal(0.0, noise, people)
            for j in range(constructs)
            for i in range(items_per_construct)
        }
    )


@pytest.mark.parametrize("noise", [10.0, 20.0, 40.0])
def test_the_reliability_is_the_true_share_of_the_index_variance(noise: float) -> None:
    expected = 100.0 / (100.0 + noise**2 / 12)  # the index averages 12 items: error variance noise² / 12
    assert index_reliability(answers(noise), instrument()) == pytest.approx(expected, abs=0.02)


def test_reliability_is_unknown_with_a_one_item_construct_or_too_few_responses() -> None:
    assert index_reliability(answers(10.0, items_per_construct=1), instrument(items_per_construct=1)) is None
    assert index_reliability(answers(10.0).head(2), instrument()) is None
    assert "cannot be computed" in attenuation_note(None)


def test_calibration_shrinks_each_answer_towards_the_mean_by_the_reliability() -> None:
    assert calibrated(np.array([40.0, 50.0, 80.0]), 50.0, 0.8) == pytest.approx([42.0, 50.0, 74.0])
    note = attenuation_note(0.8)
    assert "0.80" in note and "1.25 times" in note


def test_the_adoption_model_calibrates_respondents_and_keeps_department_means_for_the_others() -> None:
    frame = pd.DataFrame({"readiness": [40.0, 80.0, np.nan]})
    means, department = np.array([70.0]), np.array([0, 0, 0])
    imputed = forecast.imputed_readiness(frame, means, 60.0, department, reliability=0.5)
    assert imputed == pytest.approx([50.0, 70.0, 70.0])  # 60 + 0.5 × (40 − 60); 60 + 0.5 × 20; the mean as is


def test_a_calibrated_model_tells_the_less_ready_apart_more_steeply() -> None:
    """Fitted on noisy scores, the raw slope is flat; on the calibrated scores it is per point of true
    readiness, so a department whose (accurate) mean readiness is low gets a lower forecast."""
    rng = np.random.default_rng(2)
    truth = rng.normal(0.0, 1.0, 4000)
    observed = truth + rng.normal(0.0, 1.0, 4000)  # reliability 0.5
    adopted = (rng.random(4000) < 1 / (1 + np.exp(-(0.0 + 1.0 * truth)))).astype(float)
    X = np.column_stack([np.ones(4000), observed])
    import statsmodels.api as sm

    raw = sm.GLM(adopted, X, family=sm.families.Binomial()).fit().params[1]
    fixed = (
        sm.GLM(adopted, np.column_stack([np.ones(4000), calibrated(observed, 0.0, 0.5)]), family=sm.families.Binomial())
        .fit()
        .params[1]
    )
    assert raw < 0.6 and fixed == pytest.approx(2 * raw) and abs(fixed - 1.0) < abs(raw - 1.0)

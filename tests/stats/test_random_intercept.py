"""The closed-form REML fit of a random-intercept model against statsmodels' general fitter."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM

from scalegap.stats.random_intercept import reml_variance_components


def grouped_data(seed: int, group_sd: float, groups: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Uneven groups (1 to 6 members), an intercept, a binary and a continuous column."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, size=groups)
    labels = np.repeat(np.arange(groups), sizes)
    n = len(labels)
    X = np.column_stack([np.ones(n), rng.random(n) < 0.4, rng.normal(size=n)]).astype(float)
    y = X @ np.array([5.0, 1.5, -0.8]) + rng.normal(0, group_sd, groups)[labels] + rng.normal(0, 1.0, n)
    return y, X, labels


@pytest.mark.parametrize(("seed", "group_sd"), [(1, 1.5), (2, 0.7), (3, 2.5), (4, 1.0)])
def test_the_variance_components_agree_with_statsmodels_reml(seed: int, group_sd: float) -> None:
    y, X, labels = grouped_data(seed, group_sd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = MixedLM(y, X, groups=labels).fit(reml=True)
    found = reml_variance_components(y, X, labels)
    assert found is not None
    assert found.group_variance == pytest.approx(float(np.asarray(expected.cov_re)[0, 0]), rel=2e-3, abs=1e-4)
    assert found.residual_variance == pytest.approx(float(expected.scale), rel=2e-3)


def test_no_group_variation_gives_a_group_variance_at_the_boundary() -> None:
    rng = np.random.default_rng(5)
    labels = np.repeat(np.arange(60), 4)
    X = np.ones((len(labels), 1))
    y = 3.0 + rng.normal(size=len(labels))
    y = y - (np.bincount(labels, weights=y) / 4)[labels] + y.mean()  # the group means are all equal
    found = reml_variance_components(y, X, labels)
    assert found is not None
    assert found.group_variance == pytest.approx(0.0, abs=1e-6)
    assert found.residual_variance == pytest.approx(float(np.var(y, ddof=1)), rel=1e-6)


def test_a_model_with_no_more_rows_than_columns_is_not_fitted() -> None:
    X = np.column_stack([np.ones(3), [0.0, 1.0, 2.0], [1.0, 0.0, 1.0]])
    assert reml_variance_components(np.array([1.0, 2.0, 4.0]), X, np.array([0, 0, 1])) is None

"""The ridge-penalised GLMs: penalised Fisher scoring finds the optimum of statsmodels' own ridge objective."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from scalegap.stats.estimation import penalised_scoring, ridge_glm

LEVELS = 4


def segment_design(seed: int, n: int = 300) -> tuple[np.ndarray, np.random.Generator]:
    """Intercept, ``LEVELS`` segment indicators (the first segment is the reference), a continuous covariate."""
    rng = np.random.default_rng(seed)
    segment = rng.integers(0, LEVELS + 1, size=n)
    indicators = np.column_stack([segment == level for level in range(1, LEVELS + 1)]).astype(float)
    return np.column_stack([np.ones(n), indicators, rng.normal(size=n)]), rng


def statsmodels_ridge(
    y: np.ndarray, X: np.ndarray, family: sm.families.Family, offset: np.ndarray | None
) -> np.ndarray:
    penalty = np.zeros(X.shape[1])
    penalty[1 : LEVELS + 1] = 1.0 / (len(y) * 0.5**2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.GLM(y, X, family=family, offset=offset)
        fit = model.fit_regularized(method="elastic_net", alpha=penalty, L1_wt=0.0, opt_method="l-bfgs-b")
    return np.asarray(fit.params)


def outcomes(kind: str, seed: int) -> tuple[np.ndarray, np.ndarray, sm.families.Family, np.ndarray | None]:
    X, rng = segment_design(seed)
    truth = np.array([0.2, 0.8, -0.5, 0.3, 0.0, 0.6])
    eta = X @ truth
    if kind == "binomial":
        return (rng.random(len(eta)) < 1 / (1 + np.exp(-eta))).astype(float), X, sm.families.Binomial(), None
    if kind == "poisson":
        exposure = rng.uniform(1, 20, size=len(eta))
        y = rng.poisson(np.exp(eta - 2) * exposure).astype(float)
        return y, X, sm.families.Poisson(), np.log(exposure)
    y = np.exp(eta + 1.5) * rng.lognormal(0, 0.3, size=len(eta))
    return y, X, sm.families.Gaussian(sm.families.links.Log()), None


@pytest.mark.parametrize("kind", ["binomial", "poisson", "gaussian-log"])
@pytest.mark.parametrize("seed", [1, 2])
def test_scoring_reaches_the_optimum_statsmodels_converges_to(kind: str, seed: int) -> None:
    y, X, family, offset = outcomes(kind, seed)
    ours = ridge_glm(y, X, LEVELS, family, 0.5, offset=offset)
    theirs = statsmodels_ridge(y, X, family, offset)
    assert ours == pytest.approx(theirs, abs=2e-3)
    penalty = np.zeros(X.shape[1])
    penalty[1 : LEVELS + 1] = 1.0 / (len(y) * 0.5**2)
    assert penalised_scoring(y, X, family, penalty, offset) == pytest.approx(ours)


def test_a_segment_in_which_everyone_adopted_stays_finite() -> None:
    X, rng = segment_design(3, n=200)
    y = (rng.random(len(X)) < 0.4).astype(float)
    y[X[:, 1] == 1] = 1.0  # complete separation on the first indicator: only the penalty keeps it finite
    params = ridge_glm(y, X, LEVELS, sm.families.Binomial(), 0.3)
    assert np.all(np.isfinite(params))
    assert 0 < params[1] < 3


def test_scoring_that_cannot_converge_says_so() -> None:
    X, _ = segment_design(4, n=100)
    y = (X[:, -1] > 0).astype(float)  # an unpenalised covariate separates the outcome: the optimum is at infinity
    penalty = np.zeros(X.shape[1])
    assert penalised_scoring(y, X, sm.families.Binomial(), penalty, None) is None

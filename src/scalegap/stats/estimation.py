"""Estimation pieces several chapters share: percentile intervals and ridge-penalised GLMs.

Chapters fit many small models (adoption, ticket rates, pilot propensity) in
which a segment may hold few people; a weak normal prior on the segment
indicators (a ridge penalty) keeps such segments finite.  The fit itself is
statsmodels' ``GLM.fit_regularized`` with ``L1_wt=0``.
"""

from __future__ import annotations

import warnings

import numpy as np
import statsmodels.api as sm


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    """The central ``confidence`` percentile interval of the finite ``values`` (NaN, NaN when there are none);
    ``confidence`` is the book's interval level, ``statistics.interval``."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return (float("nan"), float("nan"))
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return (float(low), float(high))


def interval_label(level: float) -> str:
    """How the book names an interval of ``level`` (``statistics.interval``): "90% interval"."""
    return f"{level:.0%} interval"


def no_width(low: float, high: float) -> bool:
    """An interval whose ends are the same: every replicate gave one value, so the figure is an assumption (a
    stated value), not an estimate, and is shown as such rather than with an interval."""
    return high - low <= 1e-12


def ridge_glm(
    outcome: np.ndarray,
    X: np.ndarray,
    levels: int,
    family: sm.families.Family,
    prior_sd: float,
    offset: np.ndarray | None = None,
    opt_method: str | None = None,
    prior_mean: np.ndarray | None = None,
) -> np.ndarray:
    """GLM coefficients with a normal prior (sd ``prior_sd``) on the ``levels`` segment indicators.

    ``X`` holds an intercept, then the indicators (columns 1..levels), then unpenalised covariates; the
    penalty is ``1 ÷ (n·sd²)`` on the indicators only.  Unpenalised columns without variation are left out
    (their coefficient is 0).  ``prior_mean`` (one value per indicator; default 0) centres the prior elsewhere:
    drawn from the prior in a bootstrap replicate, it turns the replicate's fit into an approximate posterior
    draw (perturb-then-optimise), so the uncertainty the prior stands for reaches the interval.
    """
    keep = np.ones(X.shape[1], dtype=bool)
    keep[levels + 1 :] = X[:, levels + 1 :].std(axis=0) > 0
    penalty = np.zeros(X.shape[1])
    penalty[1 : levels + 1] = 1.0 / (len(outcome) * prior_sd**2)
    params = np.zeros(X.shape[1])
    options = {"opt_method": opt_method} if opt_method else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if prior_mean is not None:
            shift = X[:, 1 : levels + 1] @ prior_mean
            offset = shift if offset is None else offset + shift
        model = sm.GLM(outcome, X[:, keep], family=family, offset=offset)
        params[keep] = model.fit_regularized(method="elastic_net", alpha=penalty[keep], L1_wt=0.0, **options).params
    if prior_mean is not None:
        params[1 : levels + 1] += prior_mean
    return params

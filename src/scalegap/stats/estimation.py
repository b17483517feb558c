"""Estimation pieces several chapters share: percentile intervals and ridge-penalised GLMs.

Chapters fit many small models (adoption, ticket rates, pilot propensity) in
which a segment may hold few people; a weak normal prior on the segment
indicators (a ridge penalty) keeps such segments finite.  The fit maximises the
objective of statsmodels' ``GLM.fit_regularized`` with ``L1_wt=0`` by penalised
Fisher scoring (iteratively reweighted least squares, with step halving): a
bootstrap fits these models hundreds of times, and scoring converges in a few
steps where statsmodels' general-purpose quasi-Newton search takes dozens.  Should
scoring not converge, statsmodels' own fit is used: the same objective.
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
        scored = penalised_scoring(outcome, X[:, keep], family, penalty[keep], offset)
        if scored is None:
            model = sm.GLM(outcome, X[:, keep], family=family, offset=offset)
            scored = model.fit_regularized(method="elastic_net", alpha=penalty[keep], L1_wt=0.0, **options).params
        params[keep] = scored
    if prior_mean is not None:
        params[1 : levels + 1] += prior_mean
    return params


#: scoring stops when no coefficient moves by more than this (relative to the largest); a fit that has not by
#: then is handed to statsmodels
SCORING_TOLERANCE = 1e-9
SCORING_STEPS = 100


def penalised_scoring(
    y: np.ndarray, X: np.ndarray, family: sm.families.Family, penalty: np.ndarray, offset: np.ndarray | None
) -> np.ndarray | None:
    """The maximiser of ``loglike / n − Σ penalty·β² / 2`` (statsmodels' ridge objective; the Gaussian family's
    scale estimated as statsmodels does, Pearson's χ² ÷ residual degrees of freedom) by Fisher scoring, or None
    when it does not converge."""
    n, p = X.shape
    offset = np.zeros(n) if offset is None else np.asarray(offset, float)
    fixed_scale = isinstance(family, (sm.families.Binomial, sm.families.Poisson))
    beta = np.zeros(p)
    mu = family.starting_mu(y)
    eta = family.predict(mu)
    best = np.inf
    with np.errstate(all="ignore"):
        for _ in range(SCORING_STEPS):
            slope = family.link.inverse_deriv(eta)
            variance = family.variance(mu)
            weight = slope**2 / variance
            scale = 1.0 if fixed_scale else float(np.sum((y - mu) ** 2 / variance) / max(n - p, 1))
            working = eta - offset + (y - mu) / slope
            weighted = X.T * (weight / scale)
            try:
                proposal = np.linalg.solve(weighted @ X + n * np.diag(penalty), weighted @ working)
            except np.linalg.LinAlgError:
                return None
            step = proposal - beta
            for _halving in range(30):  # the objective never gets worse: halve the step until it does not
                candidate = beta + step
                objective = _ridge_objective(y, X, family, penalty, offset, candidate, fixed_scale)
                if np.isfinite(objective) and objective <= best + 1e-12 * max(1.0, abs(best)):
                    break
                step = step / 2
            else:
                return None
            best, beta = objective, candidate
            eta = X @ beta + offset
            mu = family.fitted(eta)
            if np.max(np.abs(step)) <= SCORING_TOLERANCE * max(1.0, float(np.max(np.abs(beta)))):
                return beta if np.all(np.isfinite(beta)) else None
    return None


def _ridge_objective(
    y: np.ndarray,
    X: np.ndarray,
    family: sm.families.Family,
    penalty: np.ndarray,
    offset: np.ndarray,
    beta: np.ndarray,
    fixed_scale: bool,
) -> float:
    """statsmodels' ridge objective, −loglike/n + Σ penalty·β²/2, at ``beta``."""
    mu = family.fitted(X @ beta + offset)
    n, p = X.shape
    scale = 1.0 if fixed_scale else float(np.sum((y - mu) ** 2 / family.variance(mu)) / max(n - p, 1))
    return float(-family.loglike(y, mu, scale=scale) / n + np.sum(penalty * beta**2) / 2)

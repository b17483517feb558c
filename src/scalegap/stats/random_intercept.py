"""REML variance components of a linear model with one random intercept per group.

``y = X β + u[group] + e``, ``u ~ N(0, τ²)``, ``e ~ N(0, σ²)``.  With ``λ = τ² / σ²`` each group's covariance is
``σ² (I + λ 1 1ᵀ)``, whose inverse and determinant have closed forms, so the REML likelihood profiled over β and
σ² is a function of λ alone, computed from per-group sums in O(n p²):

    -2 ℓ(λ) = Σ_g log(1 + λ n_g) + log |Xᵀ H⁻¹ X| + (n − p) log Q(λ)   (+ a constant)

with ``Xᵀ H⁻¹ X = XᵀX − Σ_g c_g s_g s_gᵀ``, ``c_g = λ / (1 + λ n_g)``, ``s_g`` the column sums of X in group g,
and ``Q`` the generalised residual sum of squares.  It is minimised over the intraclass correlation
``ρ = λ / (1 + λ)`` in [0, 1) with Brent's bounded method; σ² = Q / (n − p).

This is the model statsmodels' ``MixedLM(...).fit(reml=True)`` fits (the tests hold the two to each other); it
is here because a bootstrap fits it hundreds of times and the general fitter's gradient searches take 50-100 ms
a fit, this about 1 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

#: the largest intraclass correlation searched (a team variance 10⁶ times the residual one)
RHO_AT_MOST = 1 - 1e-6


@dataclass(frozen=True)
class VarianceComponents:
    """The REML estimates: between-group (``group_variance``, τ²) and residual (``residual_variance``, σ²)."""

    group_variance: float
    residual_variance: float


@dataclass(frozen=True)
class _Sums:
    XtX: np.ndarray
    Xty: np.ndarray
    yty: float
    S: np.ndarray  # per group: column sums of X
    t: np.ndarray  # per group: sum of y
    sizes: np.ndarray


def _sums(y: np.ndarray, X: np.ndarray, groups: np.ndarray) -> _Sums:
    _, index = np.unique(groups, return_inverse=True)
    count = int(index.max()) + 1
    S = np.zeros((count, X.shape[1]))
    np.add.at(S, index, X)
    return _Sums(
        X.T @ X,
        X.T @ y,
        float(y @ y),
        S,
        np.bincount(index, weights=y, minlength=count),
        np.bincount(index, minlength=count).astype(float),
    )


def _profile(rho: float, sums: _Sums, n: int, p: int) -> tuple[float, float]:
    """-2 × the profiled REML log likelihood at ``rho`` (up to a constant), and Q."""
    lam = rho / (1 - rho)
    c = lam / (1 + lam * sums.sizes)
    XtHX = sums.XtX - (sums.S * c[:, None]).T @ sums.S
    XtHy = sums.Xty - sums.S.T @ (c * sums.t)
    ytHy = sums.yty - float(c @ sums.t**2)
    sign, logdet = np.linalg.slogdet(XtHX)
    if sign <= 0:
        return float("inf"), float("nan")
    beta = np.linalg.solve(XtHX, XtHy)
    Q = ytHy - float(XtHy @ beta)
    if Q <= 0:
        return float("inf"), float("nan")
    return float(np.log1p(lam * sums.sizes).sum() + logdet + (n - p) * np.log(Q)), Q


def reml_variance_components(y: np.ndarray, X: np.ndarray, groups: np.ndarray) -> VarianceComponents | None:
    """REML estimates of τ² and σ² (``X`` of full column rank, with its intercept); None when the model cannot be
    fitted (no more rows than columns, or a residual of zero)."""
    y, X = np.asarray(y, float), np.asarray(X, float)
    n, p = X.shape
    if n <= p:
        return None
    sums = _sums(y, X, np.asarray(groups))
    found = minimize_scalar(
        lambda rho: _profile(rho, sums, n, p)[0],
        bounds=(0.0, RHO_AT_MOST),
        method="bounded",
        options={"xatol": 1e-7},
    )
    rho = float(found.x)
    at_zero, _ = _profile(0.0, sums, n, p)  # Brent's method never evaluates the boundary itself
    if at_zero <= float(found.fun):
        rho = 0.0
    objective, Q = _profile(rho, sums, n, p)
    if not np.isfinite(objective):
        return None
    residual = Q / (n - p)
    return VarianceComponents(residual * rho / (1 - rho), residual)

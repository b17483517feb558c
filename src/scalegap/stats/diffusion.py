"""The Bass diffusion model of adoption over time, fitted to a cohort's weekly new adopters.

Model (Bass 1969).  Of a cohort given access at week 0, a share ``F(t)`` of those who will ever adopt has
adopted by week ``t``:

    F(t) = (1 − e^(−(p+q)t)) ÷ (1 + (q/p)·e^(−(p+q)t))

``p`` (innovation) is the weekly rate at which people adopt on their own, ``q`` (imitation) the rate at which
they follow colleagues who already did, and ``m`` (market potential) the number who will eventually adopt.  The
new adopters of week ``t`` (the interval from ``t − 1`` to ``t``) are ``m·(F(t) − F(t − 1))``; adoption peaks
at week ``ln(q/p) ÷ (p + q)`` when ``q > p``.

Launch week.  Usage telemetry opens with a burst: nearly everyone tries the assistant in the first week, and
whoever goes on to adopt within a few weeks shows unbroken use *from* that week, so first sustained use piles
up in week 1 and the Bass curve (which starts at zero) cannot follow it.  With ``launch_week=True`` the first
week's adopters are set apart as immediate adopters and the Bass curve is fitted to the weeks after it, its
clock starting at the end of week 1, among the people left: eventual adopters = immediate + ``m``.  Without
the burst (a pure Bass series) use ``launch_week=False``.

Fit.  Non-linear least squares on the weekly new adopters (``scipy.optimize.curve_fit``, the usual
Srinivasan–Mason estimator), with ``m`` bounded below by the adopters already seen and above by the people who
could still adopt (nobody outside the cohort can), ``p`` in (0, 1] and ``q`` in [0, 5].  Quality: R² of the
weekly new adopters over the fitted weeks and the root-mean-square error in people per week.  Intervals: a
percentile bootstrap over people (each replicate redraws the cohort's members with replacement and refits),
seeded.

Assumptions: everyone in the cohort gets access at the same time (week 1 starts with the cohort); whoever
adopts keeps using (the curve counts first sustained use, not current use); the weeks after the last
observed one follow the same curve.  With a short series (the peak barely passed) ``m`` is poorly identified:
the bootstrap interval then widens towards the cohort's size, and says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

from scalegap.stats.estimation import percentile_interval

#: fewest adopters and weeks a Bass fit needs (three parameters, and a curve to bend)
MIN_ADOPTERS = 10
MIN_WEEKS = 5
#: fewest weeks (after the launch week) the two-parameter saturation curve needs
MIN_SATURATION_WEEKS = 3


def bass_share(weeks: np.ndarray | float, innovation: float, imitation: float) -> np.ndarray:
    """``F(t)``: the share of eventual adopters who have adopted by week ``t``."""
    t = np.asarray(weeks, dtype=float)
    decay = np.exp(-(innovation + imitation) * t)
    return (1.0 - decay) / (1.0 + (imitation / innovation) * decay)


def bass_new_adopters(weeks: np.ndarray, innovation: float, imitation: float, potential: float) -> np.ndarray:
    """New adopters in each week ``t`` (from ``t − 1`` to ``t``): ``m·(F(t) − F(t − 1))``."""
    t = np.asarray(weeks, dtype=float)
    return potential * (bass_share(t, innovation, imitation) - bass_share(t - 1.0, innovation, imitation))


@dataclass(frozen=True)
class BassFit:
    """A Bass model fitted to one cohort's weekly new adopters.

    ``potential`` (m) counts the adopters the Bass curve describes; ``immediate`` the first week's adopters
    set apart in a launch-week fit (0 otherwise), whose curve starts ``offset`` (1) week later.
    """

    innovation: float
    imitation: float
    potential: float
    people: int
    adopters_seen: int
    weeks: int
    r_squared: float
    rmse: float
    standard_errors: tuple[float, float, float]
    immediate: int = 0
    offset: int = 0

    @property
    def eventual_adopters(self) -> float:
        return self.immediate + self.potential

    @property
    def potential_share(self) -> float:
        """Eventual adopters as a share of the cohort."""
        return self.eventual_adopters / self.people

    @property
    def peak_week(self) -> float:
        """The week new adoption on the curve peaks (its start when it is highest at once, ``q ≤ p``)."""
        if self.imitation <= self.innovation:
            return float(self.offset)
        return self.offset + float(np.log(self.imitation / self.innovation) / (self.innovation + self.imitation))

    def share_by(self, week: float) -> float:
        """Share of the eventual adopters who have adopted by ``week``."""
        curve = float(bass_share(max(week - self.offset, 0.0), self.innovation, self.imitation))
        return (self.immediate + self.potential * curve) / self.eventual_adopters

    def cumulative(self, weeks: np.ndarray) -> np.ndarray:
        """Adopters by each of ``weeks`` (people), as the fitted curve has it."""
        curve = bass_share(
            np.maximum(np.asarray(weeks, dtype=float) - self.offset, 0.0), self.innovation, self.imitation
        )
        return self.immediate + self.potential * curve


def weekly_new_adopters(onset_weeks: np.ndarray, weeks: int) -> np.ndarray:
    """People whose adoption (first sustained use) fell in week 1, 2, …, ``weeks``; NaN = not adopted."""
    onset = np.asarray(onset_weeks, dtype=float)
    onset = onset[np.isfinite(onset) & (onset >= 1) & (onset <= weeks)].astype(int)
    return np.bincount(onset - 1, minlength=weeks)[:weeks].astype(float)


def saturation_new_adopters(weeks: np.ndarray, innovation: float, potential: float) -> np.ndarray:
    """New adopters of the saturation curve: the Bass curve without imitation, ``F(t) = 1 − e^(−pt)``."""
    return bass_new_adopters(weeks, innovation, 0.0, potential)


def fit_bass(
    new_adopters: np.ndarray, people: int, launch_week: bool = False, saturation: bool = False
) -> BassFit | None:
    """Least-squares Bass fit to weekly new adopters of a cohort of ``people``; None if it cannot be fitted.

    ``launch_week``: set the first week's adopters apart and fit the curve to the weeks after it.
    ``saturation``: imitation fixed at 0 (two parameters, ``p`` up to 5 a week), for a series of at least
    :data:`MIN_SATURATION_WEEKS` weeks, too short for the full curve: it says whether adoption has levelled off,
    not how it would have bent.
    """
    counts = np.asarray(new_adopters, dtype=float)
    immediate = int(counts[0]) if launch_week and len(counts) else 0
    curve = counts[1:] if launch_week else counts
    seen, room = float(curve.sum()), float(people - immediate)
    if (
        counts.sum() < MIN_ADOPTERS
        or len(curve) < (MIN_SATURATION_WEEKS if saturation else MIN_WEEKS)
        or seen < 1
        or room < seen
    ):
        return None
    weeks = np.arange(1, len(curve) + 1, dtype=float)
    upper = max(room, seen + 1e-6)
    potential = min(max(seen * 1.2, seen + 1e-3), upper - 1e-6)
    model, start, bounds = (
        (saturation_new_adopters, [0.3, potential], ([1e-4, seen], [5.0, upper]))
        if saturation
        else (bass_new_adopters, [0.05, 0.4, potential], ([1e-4, 0.0, seen], [1.0, 5.0, upper]))
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            params, covariance = curve_fit(model, weeks, curve, p0=start, method="trf", bounds=bounds, max_nfev=2000)
    except (RuntimeError, ValueError):
        return None
    residual = float(((curve - model(weeks, *params)) ** 2).sum())
    total = float(((curve - curve.mean()) ** 2).sum())
    errors = (
        np.sqrt(np.clip(np.diag(covariance), 0.0, None)) if np.all(np.isfinite(covariance)) else [np.nan] * len(params)
    )
    if saturation:
        params, errors = (params[0], 0.0, params[1]), (errors[0], 0.0, errors[1])
    return BassFit(
        float(params[0]),
        float(params[1]),
        float(params[2]),
        int(people),
        int(counts.sum()),
        len(counts),
        1.0 - residual / total if total > 0 else float("nan"),
        float(np.sqrt(residual / len(curve))),
        (float(errors[0]), float(errors[1]), float(errors[2])),
        immediate,
        1 if launch_week else 0,
    )


@dataclass(frozen=True)
class BassEstimate:
    """A Bass fit with percentile bootstrap intervals (over the cohort's people)."""

    fit: BassFit
    innovation_interval: tuple[float, float]
    imitation_interval: tuple[float, float]
    share_interval: tuple[float, float]
    replicates: int
    failed: int
    #: each replicate's fit (None where it could not be fitted), for shares at other weeks
    replicate_fits: tuple[BassFit | None, ...]

    def share_by(self, week: float) -> tuple[float, np.ndarray]:
        """The fitted share of eventual adopters who have adopted by ``week``, and the replicates' shares."""
        shares = np.array([f.share_by(week) for f in self.replicate_fits if f is not None], dtype=float)
        return self.fit.share_by(week), shares


def bootstrap_bass(
    onset_weeks: np.ndarray,
    weeks: int,
    replicates: int,
    seed: int,
    interval: float,
    launch_week: bool = False,
    saturation: bool = False,
) -> BassEstimate | None:
    """Fit a cohort's Bass model (``saturation``: its two-parameter case, see :func:`fit_bass`) and bootstrap it
    over people (``onset_weeks``: one per person, NaN = none); ``interval``: the level of the parameters' intervals."""
    onset = np.asarray(onset_weeks, dtype=float)
    fit = fit_bass(weekly_new_adopters(onset, weeks), len(onset), launch_week, saturation)
    if fit is None:
        return None
    rng = np.random.default_rng(seed)
    draws = np.full((replicates, 3), np.nan)
    fits: list[BassFit | None] = []
    for b in range(replicates):
        again = fit_bass(
            weekly_new_adopters(rng.choice(onset, size=len(onset)), weeks), len(onset), launch_week, saturation
        )
        fits.append(again)
        if again is not None:
            draws[b] = (again.innovation, again.imitation, again.potential_share)
    return BassEstimate(
        fit,
        percentile_interval(draws[:, 0], interval),
        percentile_interval(draws[:, 1], interval),
        percentile_interval(draws[:, 2], interval),
        replicates,
        int(np.isnan(draws[:, 2]).sum()),
        tuple(fits),
    )

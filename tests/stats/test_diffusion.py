import math

import numpy as np
import pytest

from scalegap.stats import diffusion, estimation


def test_bass_share_starts_at_zero_tends_to_one_and_peaks_where_the_formula_says() -> None:
    assert diffusion.bass_share(0.0, 0.03, 0.4) == pytest.approx(0.0)
    assert diffusion.bass_share(200.0, 0.03, 0.4) == pytest.approx(1.0)
    # with p = q the closed form gives F(t) = (1 - e^-2pt) / (1 + e^-2pt) = tanh(pt)
    assert diffusion.bass_share(3.0, 0.1, 0.1) == pytest.approx(math.tanh(0.3))
    weeks = np.arange(1, 40)
    new = diffusion.bass_new_adopters(weeks, 0.03, 0.4, 100.0)
    assert new.sum() == pytest.approx(100.0 * diffusion.bass_share(39.0, 0.03, 0.4))
    fit = diffusion.BassFit(0.03, 0.4, 100.0, 200, 0, 39, 1.0, 0.0, (0.0, 0.0, 0.0))
    assert fit.peak_week == pytest.approx(math.log(0.4 / 0.03) / 0.43)
    assert fit.potential_share == 0.5


def test_weekly_new_adopters_counts_weeks_one_to_n_and_ignores_the_rest() -> None:
    onsets = np.array([1, 1, 3, np.nan, 5, 9])
    assert diffusion.weekly_new_adopters(onsets, 5).tolist() == [2, 0, 1, 0, 1]


def test_a_noiseless_series_gives_back_its_parameters() -> None:
    weeks = np.arange(1, 15)
    fit = diffusion.fit_bass(diffusion.bass_new_adopters(weeks, 0.03, 0.35, 80.0), people=120)
    assert fit is not None
    assert (fit.innovation, fit.imitation, fit.potential) == pytest.approx((0.03, 0.35, 80.0), rel=1e-6)
    assert fit.r_squared == pytest.approx(1.0) and fit.rmse == pytest.approx(0.0, abs=1e-6)
    assert fit.share_by(1e6) == pytest.approx(1.0)


def test_a_launch_week_fit_sets_the_first_week_apart_and_fits_the_rest() -> None:
    # 12 immediate adopters, then a Bass curve (p 0.04, q 0.5, m 50) whose clock starts after week 1
    counts = np.concatenate([[12.0], diffusion.bass_new_adopters(np.arange(1, 13), 0.04, 0.5, 50.0)])
    fit = diffusion.fit_bass(counts, people=150, launch_week=True)
    assert fit is not None and fit.immediate == 12 and fit.offset == 1
    assert (fit.innovation, fit.imitation, fit.potential) == pytest.approx((0.04, 0.5, 50.0), rel=1e-6)
    assert fit.eventual_adopters == pytest.approx(62.0) and fit.potential_share == pytest.approx(62 / 150)
    assert fit.share_by(1.0) == pytest.approx(12 / 62)
    assert fit.cumulative(np.array([1.0, 2.0])) == pytest.approx(
        [12.0, 12.0 + 50.0 * diffusion.bass_share(1.0, 0.04, 0.5)]
    )


def bass_cohort(rng: np.random.Generator, people: int, adopters: int, p: float, q: float) -> np.ndarray:
    """Adoption weeks (1-based) of a cohort: Bass times by inverse CDF, NaN for non-adopters."""
    u = rng.random(adopters)
    times = -np.log((1.0 - u) / (1.0 + (q / p) * u)) / (p + q)
    return np.concatenate([np.floor(times) + 1.0, np.full(people - adopters, np.nan)])


def test_a_noisy_series_has_its_true_parameters_within_the_bootstrap_intervals() -> None:
    onsets = bass_cohort(np.random.default_rng(7), people=400, adopters=240, p=0.03, q=0.4)
    estimate = diffusion.bootstrap_bass(onsets, weeks=30, replicates=200, seed=11, interval=0.95)
    assert estimate is not None and estimate.failed < 10
    assert estimate.innovation_interval[0] <= 0.03 <= estimate.innovation_interval[1]
    assert estimate.imitation_interval[0] <= 0.4 <= estimate.imitation_interval[1]
    assert estimate.share_interval[0] <= 0.6 <= estimate.share_interval[1]
    assert estimate.share_interval[1] - estimate.share_interval[0] < 0.15
    again = diffusion.bootstrap_bass(onsets, weeks=30, replicates=200, seed=11, interval=0.95)
    assert again.share_interval == estimate.share_interval  # seeded: the same inputs give the same numbers


def test_too_few_adopters_or_weeks_give_no_fit() -> None:
    assert diffusion.fit_bass(np.array([1.0, 2, 1, 0, 1, 2]), people=50) is None  # 7 adopters
    assert diffusion.fit_bass(np.array([5.0, 9, 6]), people=50) is None  # 3 weeks
    assert diffusion.bootstrap_bass(np.full(30, np.nan), weeks=10, replicates=5, seed=1, interval=0.95) is None


def test_percentile_interval_ignores_missing_replicates() -> None:
    values = np.array([np.nan, *range(101)], dtype=float)
    assert estimation.percentile_interval(values, 0.95) == pytest.approx((2.5, 97.5))
    assert all(math.isnan(v) for v in estimation.percentile_interval(np.array([np.nan]), 0.95))


def test_a_series_too_short_for_the_bass_curve_still_says_whether_adoption_levelled_off() -> None:
    """Four weeks after the launch week: too few for three parameters, enough for the saturation curve."""
    counts = np.array([57.0, 36.0, 22.0, 9.0, 3.0])
    assert diffusion.fit_bass(counts, 300, launch_week=True) is None
    fit = diffusion.fit_bass(counts, 300, launch_week=True, saturation=True)
    assert fit is not None and fit.imitation == 0.0 and fit.standard_errors[1] == 0.0
    assert fit.share_by(5) > 0.9  # new adopters falling fast: nearly everyone who will adopt already has
    climbing = diffusion.fit_bass(np.array([20.0, 3.0, 5.0, 7.0, 9.0]), 300, launch_week=True, saturation=True)
    assert climbing is not None and climbing.share_by(5) < fit.share_by(5)
    assert diffusion.fit_bass(counts[:3], 300, launch_week=True, saturation=True) is None  # two weeks: not even that

import numpy as np
import pytest

from scalegap.models.production_scaling import (
    HORIZON_SHARE_FLOOR,
    HORIZON_SHARE_PRIOR,
    HorizonShare,
    Sustainment,
    horizon_note,
    horizon_share,
    production_notes,
)
from scalegap.stats.diffusion import bootstrap_bass


def onsets(weekly: list[int], people: int) -> np.ndarray:
    """One onset week per adopter (weeks 1, 2, …), NaN for everyone else in a cohort of ``people``."""
    weeks = np.repeat(np.arange(1, len(weekly) + 1, dtype=float), weekly)
    return np.concatenate([weeks, np.full(people - len(weeks), np.nan)])


def test_a_cohort_whose_adoption_levelled_off_is_taken_at_its_word() -> None:
    curve = bootstrap_bass(
        onsets([60, 35, 20, 9, 4, 2, 1, 0, 0, 0], 300), 10, 200, seed=7, interval=0.9, launch_week=True
    )
    share = horizon_share(curve, 10)
    assert share.curve is not None and share.curve > 0.97
    assert share.value > 0.95 and share.sd < 0.05  # the curve's precision outweighs the prior's
    assert share.value > HORIZON_SHARE_PRIOR[0]


def test_a_cohort_still_climbing_leaves_the_prior_in_charge() -> None:
    curve = bootstrap_bass(onsets([3, 2, 4, 5, 3, 2, 5, 3, 2, 3], 120), 10, 200, seed=7, interval=0.9, launch_week=True)
    share = horizon_share(curve, 10)
    assert share.curve_sd is not None and share.curve_sd > HORIZON_SHARE_PRIOR[1]  # the curve is the less sure
    assert abs(share.value - HORIZON_SHARE_PRIOR[0]) < abs(share.curve - HORIZON_SHARE_PRIOR[0])
    assert 0 < share.sd < HORIZON_SHARE_PRIOR[1]  # two pieces of evidence: narrower than either alone


def test_without_a_curve_the_stated_prior_applies_and_the_note_says_so() -> None:
    assert bootstrap_bass(onsets([2, 1, 1], 50), 3, 50, seed=7, interval=0.9, launch_week=True) is None
    share = horizon_share(None, 3)
    assert share == HorizonShare.prior() and share.curve is None
    assert horizon_note("3 weeks of access", share).startswith("Assumption: adoption is confirmed only within 3 weeks")


def test_replicate_draws_stay_between_the_floor_and_one() -> None:
    rng = np.random.default_rng(1)
    draws = np.array([HorizonShare(0.6, 0.3).draw(rng) for _ in range(2000)])
    assert draws.min() == pytest.approx(HORIZON_SHARE_FLOOR) and draws.max() == pytest.approx(1.0)
    assert 0.55 < np.median(draws) < 0.65


def test_the_note_gives_the_curve_the_prior_and_the_combination() -> None:
    note = horizon_note("8 weeks of access", HorizonShare(0.97, 0.02, 0.99, 0.02))
    assert "diffusion curve's 99 %" in note and "assumed 85 % ± 10 %" in note and "97 % ± 2.0 %" in note


def test_a_rollout_from_few_departments_is_named_as_the_limit() -> None:
    notes = production_notes(10, True, Sustainment(), confined_rollout=("Claims",))
    assert len(notes) == 2 and notes[1].startswith("The rollout cohort came from Claims only")
    assert "that department's adoption" in notes[1]
    assert len(production_notes(10, True, Sustainment())) == 1  # a cohort across departments: nothing to add
    assert len(production_notes(10, False, Sustainment(), confined_rollout=("Claims",))) == 3  # no rollout: n/a

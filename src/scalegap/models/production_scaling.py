"""From adoption within the weeks observed to production adoption: one rule, used by every chapter.

The adoption model estimates adoption within the confirmed horizon ``H`` (the weeks every cohort was observed
long enough to confirm sustained use).  **Production adoption**, the share of employees who will reach
sustained use once everyone has access under the production support model, is

    production adoption = min(1, adoption within H ÷ horizon share) × conditions × sustainment

* **horizon share**: the share of eventual adopters who adopt within ``H``.  The reference cohort's diffusion
  curve (its launch-week Bass fit, :mod:`scalegap.stats.diffusion`) measures it, but ten-odd weeks pin it down
  only when adoption has levelled off: where it is still climbing, fits on the same client swing between 0.25
  and 1.  So the curve's share is combined with a stated prior, :data:`HORIZON_SHARE_PRIOR` (normal, mean 0.85,
  standard deviation 0.1), each weighted by its precision (the curve's from its bootstrap spread): a cohort
  whose adoption has levelled off says ~1 with a narrow spread and is taken at its word, a cohort still
  climbing leaves the prior in charge.  Every bootstrap replicate draws the share from the combination (at
  least :data:`HORIZON_SHARE_FLOOR`, at most 1).  A series under 6 weeks, too short for the Bass curve, is read by
  its two-parameter saturation case (imitation 0), which still says whether adoption has levelled off.  Without
  a fit (fewer than 10 adopters, or under 4 weeks), the prior alone applies, and the chapters say which case
  applies.
* **conditions** and **sustainment** apply only without a rollout cohort.  A rollout cohort had the service
  desk and no pilot attention, so its adoption already shows both.  Without one, the forecast is adoption under
  pilot conditions, and the support chapter's sustainment factor (the adoption kept under the production
  support model) is drawn across its interval.  How much less people adopt who did not volunteer is measured
  where the pilot had enough assigned members besides its volunteers (the adoption model's volunteer
  indicator, set to 0 for production); the pilot's extra attention, which assigned members had too, is not, so
  a discount for it is drawn from :data:`PILOT_ATTENTION_RANGE`.  Where neither can be measured (volunteers
  only), one discount for both is drawn from :data:`PILOT_CONDITIONS_RANGE`.  The point estimate takes each
  range's middle.  Both ranges are calibrated on the calibration study's deployments of that structure, over
  both generators (:mod:`scalegap.studies.calibration`), with the horizon share measured as above: the truth ÷ the
  undiscounted estimate of production adoption had medians 0.77 and 0.92 on the two generators with assigned
  members (an attention effect; the spread around them, 0.56 to 1.38 from the 5th to the 95th percentile, is
  estimation noise, which the bootstrap carries), and medians 0.57 and 0.61 with volunteers only (0.46 to 0.80).

The adoption chapter, the executive summary, the rollout plan and the conversion rate all read production
adoption from the same forecasts, so the book shows one value of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from scalegap import number_format as nf
from scalegap.package import PreparedPackage
from scalegap.stats.diffusion import BassEstimate

#: assumption: mean and standard deviation of the share of eventual adopters seen within the horizon, before the
#: reference cohort's diffusion curve is heard (the calibration study's generators plant about 0.78 and about 1)
HORIZON_SHARE_PRIOR = (0.85, 0.10)
HORIZON_SHARE_FLOOR = 0.5
#: fewest replicate fits of the diffusion curve whose spread is trusted as its precision
MIN_CURVE_REPLICATES = 20
PILOT_CONDITIONS_RANGE = (0.3, 0.9)
PILOT_ATTENTION_RANGE = (0.7, 1.0)
#: volunteers and assigned members the pilot needs of each to measure the enthusiasm effect
MIN_ASSIGNED_PILOT = 10


@dataclass(frozen=True)
class Sustainment:
    """The support chapter's sustainment factor and its interval (1 and (1, 1): not projected)."""

    value: float = 1.0
    low: float = 1.0
    high: float = 1.0

    @classmethod
    def of(cls, factor: Any) -> Sustainment:
        """From the support chapter's :class:`~scalegap.models.support.SustainmentFactor` (none: not projected)."""
        if factor.value is None or factor.interval is None:
            return cls()
        return cls(float(factor.value), float(factor.interval[0]), float(factor.interval[1]))

    @property
    def projected(self) -> bool:
        return self.high > self.low or self.value != 1.0


@dataclass(frozen=True)
class HorizonShare:
    """The share of eventual adopters seen within the horizon: the combined estimate and its standard error,
    and the diffusion curve's own share and bootstrap spread (None: no curve could be fitted)."""

    value: float
    sd: float
    curve: float | None = None
    curve_sd: float | None = None

    @classmethod
    def prior(cls) -> HorizonShare:
        return cls(*HORIZON_SHARE_PRIOR)

    def draw(self, rng: np.random.Generator) -> float:
        """One replicate's share (always one draw, so the random stream does not depend on the case)."""
        return float(np.clip(rng.normal(self.value, self.sd), HORIZON_SHARE_FLOOR, 1.0))


def horizon_share(curve: BassEstimate | None, horizon: int) -> HorizonShare:
    """The diffusion curve's share by week ``horizon`` combined with :data:`HORIZON_SHARE_PRIOR`, each weighted by
    its precision (see the module's docstring); the prior alone without a curve."""
    if curve is None:
        return HorizonShare.prior()
    measured, replicates = curve.share_by(horizon)
    if len(replicates) < MIN_CURVE_REPLICATES:
        return HorizonShare.prior()
    mean, sd = HORIZON_SHARE_PRIOR
    spread = max(float(np.std(replicates)), 0.01)
    precision = sd**-2 + spread**-2
    value = (mean * sd**-2 + measured * spread**-2) / precision
    return HorizonShare(
        float(np.clip(value, HORIZON_SHARE_FLOOR, 1.0)), float(precision**-0.5), float(measured), spread
    )


@dataclass(frozen=True)
class Scaling:
    """What turns adoption within H into production adoption in one estimate (the point, or a replicate)."""

    horizon_share: float
    conditions: float
    sustainment: float

    def production(self, within: np.ndarray) -> np.ndarray:
        """Production adoption from adoption within H (per person or per group)."""
        return (
            np.minimum(1.0, np.asarray(within, dtype=float) / self.horizon_share) * self.conditions * self.sustainment
        )


def middle(range_: tuple[float, float]) -> float:
    return float(np.mean(range_))


def point_scaling(
    has_rollout: bool,
    sustainment: Sustainment,
    enthusiasm_measured: bool = False,
    share: HorizonShare = HorizonShare.prior(),
) -> Scaling:
    """The point estimate's scaling: the horizon share's estimate, the middle of each stated range, the
    sustainment factor's value."""
    if has_rollout:
        return Scaling(share.value, 1.0, 1.0)
    conditions = middle(PILOT_ATTENTION_RANGE if enthusiasm_measured else PILOT_CONDITIONS_RANGE)
    return Scaling(share.value, conditions, sustainment.value)


def drawn_scaling(
    rng: np.random.Generator,
    has_rollout: bool,
    sustainment: Sustainment,
    enthusiasm_measured: bool = False,
    share: HorizonShare = HorizonShare.prior(),
) -> Scaling:
    """A replicate's scaling: the horizon share drawn from its estimate, each unmeasured quantity drawn across its
    range (always three draws, so the random stream does not depend on which case applies)."""
    horizon = share.draw(rng)
    low, high = PILOT_ATTENTION_RANGE if enthusiasm_measured else PILOT_CONDITIONS_RANGE
    conditions = low + float(rng.uniform()) * (high - low)
    kept = float(rng.uniform(sustainment.low, sustainment.high))
    if has_rollout:
        return Scaling(horizon, 1.0, 1.0)
    return Scaling(horizon, conditions, kept)


def sustainment_without_rollout(package: PreparedPackage, has_rollout: bool) -> Sustainment:
    """The support chapter's sustainment factor when there is no rollout cohort (whose adoption already shows
    the support loss); none otherwise, or when the support load cannot be projected."""
    if has_rollout:
        return Sustainment()
    from scalegap.models import support  # the support model is only needed here, and is slow to build

    return Sustainment.of(support.sustainment_factor(package))


def horizon_note(weeks: str, share: HorizonShare) -> str:
    """How the share of eventual adopters already seen within ``weeks`` was set."""
    mean, sd = HORIZON_SHARE_PRIOR
    prior = f"an assumed {nf.share(mean)} ± {nf.share(sd)} (normal; mean ± standard deviation)"
    if share.curve is None:
        return (
            f"Assumption: adoption is confirmed only within {weeks}, and too few adopters or weeks were seen to "
            f"fit a diffusion curve reliably, so the share of eventual adopters already seen is {prior}, drawn in "
            f"every replicate (at least {nf.share(HORIZON_SHARE_FLOOR)})."
        )
    return (
        f"Adoption is confirmed only within {weeks}. The share of eventual adopters already seen is the "
        f"diffusion curve's {nf.share(share.curve)} (bootstrap standard deviation {nf.share(share.curve_sd)}) "
        "combined with "
        f"{prior}, each weighted by its precision: {nf.share(share.value)} ± {nf.share(share.sd)}, drawn in "
        "every replicate. "
        "A curve that has levelled off is taken at its word; one still climbing leaves the assumption in "
        "charge."
    )


def confined_rollout_note(departments: tuple[str, ...]) -> str:
    """Why a rollout cohort from a few departments leaves production adoption uncertain."""
    names = " and ".join(departments)
    whose = "that department's" if len(departments) == 1 else "their"
    return (
        f"The rollout cohort came from {names} only. How far {whose} adoption sits from the other departments', "
        "beyond readiness, cannot be told apart from the pilot's extra adoption except by the pilot members "
        "within; the interval carries this (each replicate draws the department effects from their prior), and "
        "a first cohort drawn across departments would narrow it."
    )


def production_notes(
    horizon: int | None,
    has_rollout: bool,
    sustainment: Sustainment,
    enthusiasm_measured: bool = False,
    share: HorizonShare = HorizonShare.prior(),
    confined_rollout: tuple[str, ...] = (),
) -> list[str]:
    """How adoption within the weeks observed (``horizon`` weeks of access) became production adoption: the
    stated assumptions, as every chapter that shows production adoption gives them (``confined_rollout``: the
    departments of a rollout cohort drawn from few of them)."""
    weeks = f"{horizon} weeks of access" if horizon else "the weeks observed"
    notes = [horizon_note(weeks, share)]
    if has_rollout and confined_rollout:
        notes.append(confined_rollout_note(confined_rollout))
    if not has_rollout and enthusiasm_measured:
        low, high = PILOT_ATTENTION_RANGE
        notes.append(
            "There was no rollout cohort, but the pilot had enough assigned members besides its "
            "volunteers to measure how much more volunteers adopt: the model sets that apart, and "
            "production adoption is that of people who did not volunteer. Assumption: the pilot's extra "
            "attention, which its assigned members had too, cannot be measured without a rollout cohort, "
            f"so production adoption is scaled by a factor drawn between {low:.2f} and {high:.2f} (the "
            f"estimate uses {nf.factor(middle(PILOT_ATTENTION_RANGE))}; the range is calibrated on simulated "
            "deployments with assigned pilot members)."
        )
    elif not has_rollout:
        low, high = PILOT_CONDITIONS_RANGE
        notes.append(
            "Assumption: there was no rollout cohort, and too few assigned pilot members (at least "
            f"{MIN_ASSIGNED_PILOT} are needed, beside {MIN_ASSIGNED_PILOT} volunteers), so how much "
            "less people adopt who did not volunteer, and without the pilot's attention, cannot be "
            f"measured: production adoption is scaled by a factor drawn between {low:.2f} and {high:.2f} "
            f"(the estimate uses {nf.factor(middle(PILOT_CONDITIONS_RANGE))}; the range is calibrated on "
            "simulated pilot-only deployments)."
        )
        notes.append(
            f"The support chapter's sustainment factor, {sustainment.value:.2f} ({sustainment.low:.2f} "
            f"to {sustainment.high:.2f}), is applied: the adoption kept under the production support model."
            if sustainment.projected
            else "Assumption: the support load could not be projected, so no "
            "adoption is taken to be lost to late support (which flatters production)."
        )
    return notes

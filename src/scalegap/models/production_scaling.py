"""From adoption within the weeks observed to production adoption: one rule, used by every chapter.

The adoption model estimates adoption within the confirmed horizon ``H`` (the weeks every cohort was observed
long enough to confirm sustained use).  **Production adoption**, the share of employees who will reach
sustained use once everyone has access under the production support model, is

    production adoption = min(1, adoption within H ÷ horizon share) × conditions × sustainment

* **horizon share**: the share of eventual adopters who adopt within ``H``.  Ten-odd weeks of data do not
  identify it (diffusion-curve fits on so short a series swing between 0.25 and 1 for the same client in the
  calibration study), so it is drawn from :data:`HORIZON_SHARE_RANGE` in every bootstrap replicate; the point
  estimate takes the middle.  This is an assumption, and the chapters say so.
* **conditions** and **sustainment** apply only without a rollout cohort.  A rollout cohort had the service
  desk and no pilot attention, so its adoption already shows both.  Without one, the forecast is adoption under
  pilot conditions, and the support chapter's sustainment factor (the adoption kept under the production
  support model) is drawn across its interval.  How much less people adopt who did not volunteer is measured
  where the pilot had enough assigned members besides its volunteers (the adoption model's volunteer
  indicator, set to 0 for production); the pilot's extra attention, which assigned members had too, is not, so
  a discount for it is drawn from :data:`PILOT_ATTENTION_RANGE`.  Where neither can be measured (volunteers
  only), one discount for both is drawn from :data:`PILOT_CONDITIONS_RANGE`.  The point estimate takes each
  range's middle.  Both ranges are calibrated on the calibration study's deployments of that structure, over
  both generators (:mod:`scalegap.calibration`): the truth ÷ the undiscounted estimate of production adoption
  ran from 0.51 to 1.04 (5th to 95th percentile; median 0.71 and 0.84 on the two generators) with assigned
  members, and the pilot-only ranges' middle left the estimate 17 to 23 % high.

The adoption chapter, the executive summary, the rollout plan and the conversion rate all read production
adoption from the same forecasts, so the book shows one value of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from scalegap.prepare import PreparedPackage

HORIZON_SHARE_RANGE = (0.8, 1.0)
PILOT_CONDITIONS_RANGE = (0.3, 0.9)
PILOT_ATTENTION_RANGE = (0.55, 1.0)
#: volunteers and assigned members the pilot needs of each to measure the enthusiasm effect
MIN_ASSIGNED_PILOT = 10


@dataclass(frozen=True)
class Sustainment:
    """The support chapter's sustainment factor and its interval (1 and (1, 1): not projected)."""

    value: float = 1.0
    low: float = 1.0
    high: float = 1.0

    @classmethod
    def of(cls, factor: Any) -> "Sustainment":
        """From the support chapter's :class:`~scalegap.models.support.SustainmentFactor` (none: not projected)."""
        if factor.value is None or factor.interval is None:
            return cls()
        return cls(float(factor.value), float(factor.interval[0]), float(factor.interval[1]))

    @property
    def projected(self) -> bool:
        return self.high > self.low or self.value != 1.0


@dataclass(frozen=True)
class Scaling:
    """What turns adoption within H into production adoption in one estimate (the point, or a replicate)."""

    horizon_share: float
    conditions: float
    sustainment: float

    def production(self, within: np.ndarray) -> np.ndarray:
        """Production adoption from adoption within H (per person or per group)."""
        return np.minimum(1.0, np.asarray(within, dtype=float) / self.horizon_share) * self.conditions * \
            self.sustainment


def middle(range_: tuple[float, float]) -> float:
    return float(np.mean(range_))


def point_scaling(has_rollout: bool, sustainment: Sustainment, enthusiasm_measured: bool = False) -> Scaling:
    """The point estimate's scaling: the middle of each stated range, the sustainment factor's value."""
    if has_rollout:
        return Scaling(middle(HORIZON_SHARE_RANGE), 1.0, 1.0)
    conditions = middle(PILOT_ATTENTION_RANGE if enthusiasm_measured else PILOT_CONDITIONS_RANGE)
    return Scaling(middle(HORIZON_SHARE_RANGE), conditions, sustainment.value)


def drawn_scaling(rng: np.random.Generator, has_rollout: bool, sustainment: Sustainment,
                  enthusiasm_measured: bool = False) -> Scaling:
    """A replicate's scaling: each unmeasured quantity drawn across its range (always three draws, so the
    random stream does not depend on which case applies)."""
    horizon = float(rng.uniform(*HORIZON_SHARE_RANGE))
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


def production_notes(horizon: int | None, has_rollout: bool, sustainment: Sustainment,
                     enthusiasm_measured: bool = False) -> list[str]:
    """How adoption within the weeks observed (``horizon`` weeks of access) became production adoption: the
    stated assumptions, as every chapter that shows production adoption gives them."""
    low, high = HORIZON_SHARE_RANGE
    weeks = f"{horizon} weeks of access" if horizon else "the weeks observed"
    notes = [f"Assumption: adoption is confirmed only within {weeks}; how many more will adopt later cannot be "
             "measured from so short a series, so the share of eventual adopters already seen is drawn between "
             f"{low:.0%} and {high:.0%} in every replicate (the estimate uses {middle(HORIZON_SHARE_RANGE):.0%})."]
    if not has_rollout and enthusiasm_measured:
        low, high = PILOT_ATTENTION_RANGE
        notes.append("There was no rollout cohort, but the pilot had enough assigned members besides its "
                     "volunteers to measure how much more volunteers adopt: the model sets that apart, and "
                     "production adoption is that of people who did not volunteer. Assumption: the pilot's extra "
                     "attention, which its assigned members had too, cannot be measured without a rollout cohort, "
                     f"so production adoption is scaled by a factor drawn between {low:.2f} and {high:.2f} (the "
                     f"estimate uses {middle(PILOT_ATTENTION_RANGE):.3f}; the range is calibrated on simulated "
                     "deployments with assigned pilot members).")
    elif not has_rollout:
        low, high = PILOT_CONDITIONS_RANGE
        notes.append("Assumption: there was no rollout cohort, and too few assigned pilot members (at least "
                     f"{MIN_ASSIGNED_PILOT} are needed, beside {MIN_ASSIGNED_PILOT} volunteers), so how much "
                     "less people adopt who did not volunteer, and without the pilot's attention, cannot be "
                     f"measured: production adoption is scaled by a factor drawn between {low:.2f} and {high:.2f} "
                     f"(the estimate uses {middle(PILOT_CONDITIONS_RANGE):.3f}; the range is calibrated on "
                     "simulated pilot-only deployments).")
        notes.append(f"The support chapter's sustainment factor, {sustainment.value:.2f} ({sustainment.low:.2f} "
                     f"to {sustainment.high:.2f}), is applied: the adoption kept under the production support model."
                     if sustainment.projected else "Assumption: the support load could not be projected, so no "
                     "adoption is taken to be lost to late support (which flatters production).")
    return notes

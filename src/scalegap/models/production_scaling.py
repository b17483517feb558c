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
  indicator, set to 0 for production): no discount is then drawn.  Otherwise it cannot be measured, and a
  discount is drawn from :data:`PILOT_CONDITIONS_RANGE` (point: the middle; the range is wide because the
  calibration study without rollout cohorts found a narrow one covering the truth in 30 % of deployments).

The adoption chapter, the executive summary, the rollout plan and the conversion rate all read production
adoption from the same forecasts, so the book shows one value of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HORIZON_SHARE_RANGE = (0.8, 1.0)
PILOT_CONDITIONS_RANGE = (0.35, 1.0)


@dataclass(frozen=True)
class Sustainment:
    """The support chapter's sustainment factor and its interval (1 and (1, 1): not projected)."""

    value: float = 1.0
    low: float = 1.0
    high: float = 1.0

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
    conditions = 1.0 if enthusiasm_measured else middle(PILOT_CONDITIONS_RANGE)
    return Scaling(middle(HORIZON_SHARE_RANGE), conditions, sustainment.value)


def drawn_scaling(rng: np.random.Generator, has_rollout: bool, sustainment: Sustainment,
                  enthusiasm_measured: bool = False) -> Scaling:
    """A replicate's scaling: each unmeasured quantity drawn across its range (always three draws, so the
    random stream does not depend on which case applies)."""
    horizon = float(rng.uniform(*HORIZON_SHARE_RANGE))
    conditions = float(rng.uniform(*PILOT_CONDITIONS_RANGE))
    kept = float(rng.uniform(sustainment.low, sustainment.high))
    if has_rollout:
        return Scaling(horizon, 1.0, 1.0)
    return Scaling(horizon, 1.0 if enthusiasm_measured else conditions, kept)

"""One estimate of the effect on clean and messy records, and the study that resamples people for its intervals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models import effect
from scalegap.models.data_reality.inputs import (
    DECLARED,
    GROUPS,
    OUTSIDE,
    OUTSIDE_GROUP,
    PILOT_GROUP,
    PILOT_ONLY,
    PeopleArrays,
    mean_or_nan,
    messy_shares,
    people_table,
    pilot_members,
    share_source,
    unavailable_reason,
)
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import percentile_interval

# --- one estimate ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What every estimate shares: the production share's source, the multiplier's minimum and whether it is
    measured at all."""

    source: str
    declared: float | None
    minimum_people: int
    multiplier_measured: bool


@dataclass(frozen=True)
class Estimate:
    """Every figure of the chapter from one set of people (the point estimate or a bootstrap replicate)."""

    effects: dict[tuple[str, str], float]
    shares: dict[str, float]
    production_share: float
    multiplier: float

    @property
    def pilot_clean(self) -> float:
        return self.effects[(PILOT_GROUP, effect.CLEAN)]

    @property
    def pilot_at_own_mix(self) -> float:
        return self.pilot_clean * effect.data_mix(self.shares[PILOT_GROUP], self.multiplier)

    @property
    def realistic(self) -> float:
        return self.pilot_clean * effect.data_mix(self.production_share, self.multiplier)


def one_estimate(
    people: PeopleArrays, rules: Rules, drawn_multiplier: float | None = None, quantile: float | None = None
) -> Estimate:
    """The figures from ``people`` (rows may repeat); ``drawn_multiplier`` stands in when it is not measured
    (the middle of the range when None); a measured one is its posterior's ``quantile`` (the median when
    None)."""
    effects = {
        (group, tier): mean_or_nan(people.effects[tier][people.members(group)])
        for group in GROUPS
        for tier in effect.TIERS
    }
    shares = messy_shares(people)
    production = {DECLARED: rules.declared, OUTSIDE: shares[OUTSIDE_GROUP], PILOT_ONLY: shares[PILOT_GROUP]}
    measured = effect.messy_multiplier(pd.DataFrame(people.effects), rules.minimum_people)
    fallback = drawn_multiplier if drawn_multiplier is not None else float(np.mean(effect.UNMEASURED_MULTIPLIER_RANGE))
    if rules.multiplier_measured and measured.value is not None:  # measured.measured, spelled out for mypy
        multiplier = float(measured.value) if quantile is None else measured.quantile(quantile)
    else:
        multiplier = fallback
    share = production[rules.source]
    assert share is not None  # share_source picks the declared share only when there is one
    return Estimate(effects, shares, float(share), multiplier)


# --- the study ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataRealityStudy:
    """The point estimate, its bootstrap replicates and what they rest on (``people`` is never shown)."""

    records: effect.OutcomeRecords
    people: pd.DataFrame
    threshold: float
    min_group_size: int
    rules: Rules
    measurement: effect.MessyMultiplier
    point: Estimate
    replicates: tuple[Estimate, ...]
    #: the level of the intervals (``statistics.interval``)
    interval: float

    @property
    def unit(self) -> str:
        return self.records.unit

    @property
    def digits(self) -> int:
        """Decimals of an effect per task: quality points are small numbers."""
        return 2 if self.records.metric == "quality_score" else 1

    def interval_of(self, pick: Callable[[Estimate], float]) -> tuple[float, float]:
        """The percentile interval (of level ``interval``) of ``pick(estimate)`` over the replicates."""
        return percentile_interval(np.array([pick(r) for r in self.replicates], dtype=float), self.interval)

    @property
    def multiplier_interval(self) -> tuple[float, float]:
        """The measured multiplier's interval, or the whole range it is drawn from."""
        if not self.rules.multiplier_measured:
            low, high = effect.UNMEASURED_MULTIPLIER_RANGE
            return float(low), float(high)
        return self.interval_of(lambda e: e.multiplier)


def resampled_rows(rng: np.random.Generator, groups: np.ndarray, replicates: int) -> np.ndarray:
    """(replicates × people) row numbers, each person redrawn with replacement within their group."""
    rows = np.empty((replicates, len(groups)), dtype=int)
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        rows[:, members] = rng.choice(members, size=(replicates, len(members)))
    return rows


def study_from(
    records: effect.OutcomeRecords,
    pilot_ids: set[str],
    declared: float | None,
    threshold: float,
    min_group_size: int,
    seed: int,
    replicates: int,
    interval: float,
) -> DataRealityStudy:
    """The study from usable records (the seam the tests use)."""
    people = people_table(records.records, pilot_ids)
    minimum_people = max(effect.MIN_MESSY_PEOPLE, min_group_size)
    measurement = effect.messy_multiplier(people, minimum_people)
    rules = Rules(share_source(declared, people), declared, minimum_people, measurement.measured)
    rng = np.random.default_rng(seed)
    rows = resampled_rows(rng, people["group"].to_numpy(), replicates)
    draws = rng.uniform(*effect.UNMEASURED_MULTIPLIER_RANGE, size=replicates)
    quantiles = rng.uniform(size=replicates)
    arrays = PeopleArrays.of(people)
    drawn = tuple(one_estimate(arrays.take(r), rules, float(d), float(q)) for r, d, q in zip(rows, draws, quantiles))
    return DataRealityStudy(
        records, people, threshold, min_group_size, rules, measurement, one_estimate(arrays, rules), drawn, interval
    )


def data_reality_study(package: PreparedPackage) -> DataRealityStudy | None:
    """The chapter's study, or None when the data cannot support it (see :func:`unavailable_reason`)."""
    if unavailable_reason(package) is not None:
        return None
    settings = package.settings
    outcome = effect.outcome_records(package)
    assert outcome is not None  # the outcome records are usable: unavailable_reason gave no reason
    return study_from(
        outcome,
        pilot_members(package),
        settings.conversion.production_messy_share,
        settings.outcomes.clean_completeness_threshold,
        settings.privacy.min_group_size,
        settings.statistics.seed,
        settings.statistics.replicates,
        settings.statistics.interval,
    )

"""Effect per task: how much the AI assistant changes the outcome metric of one task, by data-quality tier.

Method (the methodology appendix says the same in prose):

* **The metric.** ``conversion.value_metric`` names it: ``minutes_saved`` (the gain is unassisted minus
  assisted ``minutes_taken``) or ``quality_score`` (the gain is assisted minus unassisted ``quality_score``).
  Records without the metric, and records with negative minutes (a recording error), are set apart and
  counted, never used.
* **Task-adjusted value.** Each record's metric minus the mean of the *unassisted* records of the same task
  type and data-quality tier (over everyone).  This removes the task mix: a person who happened to do more
  long tasks with the assistant does not look like a bigger saver.
* **Effect of one person in one tier**: mean task-adjusted value of their unassisted records minus that of
  their assisted records (for minutes; the reverse for quality), for people with at least one assisted and
  one unassisted record of the tier.  A within-person difference: personal speed cancels out.
* **Effect of a group**: the mean of its members' effects, each person counting once (so that heavy users
  do not dominate).  Unknown-tier records are left out of the tier figures.
* **Messy-data multiplier** ``r``: the messy-tier effect as a share of the clean-tier effect, over the people
  with an effect in both tiers (``m_i ≈ r × c_i`` for person i's messy and clean effects).  It is estimated on
  the log scale, where its plausible range holds (it is positive: a mix of messy records cannot turn a saving
  into a loss on average, and it is at most ``MULTIPLIER_GRID``'s top, 2.5), as a posterior on a grid: the
  likelihood of the people's effects (person-level noise integrated out, ``∝ (Σ (m_i − r c_i)²)^(−n/2)``)
  times a weakly informative prior, log r ~ N(log 0.6, 0.6²) (median 0.6, 95 % between 0.18 and 1.95).  With
  many people and many messy records each, the data decide; with few, or noisy messy effects (one or two
  messy records a person), the likelihood is flat and the estimate is pulled to the prior, its interval as
  wide as the prior's: the interval says how thin the evidence is.  The value is the posterior median, and
  the bootstrap replicates draw from the posterior (:meth:`MessyMultiplier.quantile`).  When fewer than
  ``MIN_MESSY_PEOPLE`` people have both tiers, it is not measured: :class:`MessyMultiplier` says so, and
  estimators draw it from ``UNMEASURED_MULTIPLIER_RANGE`` instead of assuming a value.
* **Data mix**: ``M(s) = (1 − s) + s × multiplier``, the average effect of a record mix with messy share
  ``s`` relative to clean records.

Assumptions: a person's unassisted records (before access, or tasks done without the assistant) are a fair
baseline for their assisted ones of the same tier; the assistant's effect does not depend on the task type
beyond the tier; messy records are recognised by ``outcomes.clean_completeness_threshold`` and the
exception flag when the records are prepared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scalegap.models import availability
from scalegap.package import PreparedPackage

CLEAN, MESSY = "clean", "messy"
TIERS = (CLEAN, MESSY)
MIN_MESSY_PEOPLE = 5
UNMEASURED_MULTIPLIER_RANGE = (0.0, 1.0)
#: the messy-data multiplier's prior: log r ~ N(log MULTIPLIER_PRIOR[0], MULTIPLIER_PRIOR[1]²)
MULTIPLIER_PRIOR = (0.6, 0.6)
#: the values of r the posterior is computed on (log-spaced)
MULTIPLIER_GRID = np.exp(np.linspace(np.log(0.02), np.log(2.5), 2001))
METRIC_COLUMNS = {"minutes_saved": "minutes_taken", "quality_score": "quality_score"}
METRIC_UNITS = {"minutes_saved": "minutes saved per task", "quality_score": "quality points gained per task"}


@dataclass(frozen=True)
class OutcomeRecords:
    """The outcome records an effect can be measured on, and how many were set apart and why."""

    records: pd.DataFrame
    metric: str
    set_apart: dict[str, int]

    @property
    def unit(self) -> str:
        return METRIC_UNITS[self.metric]


def metric_of(package: PreparedPackage) -> str:
    """The outcome metric whose gain is the value (``conversion.value_metric``)."""
    return package.settings.conversion.value_metric


def usable_records(outcomes: pd.DataFrame, metric: str) -> OutcomeRecords:
    """Records with a person, a known assisted flag and a usable metric; the rest counted by reason.

    ``value`` is the metric oriented so that more is better for the client: minus the minutes taken, or the
    quality score.
    """
    column = METRIC_COLUMNS[metric]
    frame = outcomes.copy()
    raw = pd.to_numeric(frame[column], errors="coerce") if column in frame else pd.Series(np.nan, frame.index)
    reasons = {
        "no person": frame["person_id"].isna(),
        f"no {column.replace('_', ' ')}": raw.isna(),
        "negative minutes (a recording error)": (raw < 0) if column == "minutes_taken" else raw.lt(-np.inf),
    }
    set_apart: dict[str, int] = {}
    kept = pd.Series(True, index=frame.index)
    for reason, mask in reasons.items():
        newly = mask.fillna(False) & kept
        set_apart[reason] = int(newly.sum())
        kept &= ~newly
    frame = frame[kept].assign(value=(-raw[kept] if column == "minutes_taken" else raw[kept]))
    frame["assisted"] = frame["assisted"].astype(bool)
    return OutcomeRecords(frame.reset_index(drop=True), metric, set_apart)


def outcome_records(package: PreparedPackage) -> OutcomeRecords | None:
    """The package's usable outcome records, or None when the client gave no outcome records (no export, or an
    export without rows: see :mod:`scalegap.models.availability`)."""
    if not availability.usable(package, "outcomes"):
        return None
    return usable_records(package.table("outcomes"), metric_of(package))


def task_adjusted(records: pd.DataFrame) -> pd.Series:
    """Each record's value minus the mean unassisted value of its task type and tier.

    Task types without unassisted records in a tier fall back to the tier's unassisted mean.
    """
    task = records["task_type"].fillna("(no task type)")
    keys = [task, records["data_tier"]]
    unassisted = records["value"].where(~records["assisted"])
    baseline = unassisted.groupby(keys).transform("mean")
    tier_baseline = unassisted.groupby(records["data_tier"]).transform("mean")
    return records["value"] - baseline.fillna(tier_baseline)


def person_effects(records: pd.DataFrame) -> pd.DataFrame:
    """Per person (index ``person_id``): for each tier, the effect and the assisted and unassisted record counts.

    Columns ``clean``, ``messy`` (effect; NaN without both kinds of record), ``clean_assisted``,
    ``clean_unassisted``, ``messy_assisted``, ``messy_unassisted``.
    """
    frame = records[records["data_tier"].isin(TIERS)].assign(adjusted=task_adjusted(records))
    grouped = frame.groupby(["person_id", "data_tier", "assisted"])["adjusted"].agg(["mean", "size"])
    means = grouped["mean"].unstack(["data_tier", "assisted"])
    sizes = grouped["size"].unstack(["data_tier", "assisted"]).fillna(0).astype(int)
    result = pd.DataFrame(index=means.index)
    for tier in TIERS:
        assisted = means.get((tier, True), pd.Series(np.nan, means.index))
        unassisted = means.get((tier, False), pd.Series(np.nan, means.index))
        result[tier] = assisted - unassisted
        result[f"{tier}_assisted"] = sizes.get((tier, True), pd.Series(0, sizes.index))
        result[f"{tier}_unassisted"] = sizes.get((tier, False), pd.Series(0, sizes.index))
    return result


@dataclass(frozen=True)
class MessyMultiplier:
    """The messy-tier effect as a share of the clean-tier effect (the posterior median), or why it is not
    measured.  ``clean_effect`` and ``messy_effect`` are the people's mean effects; ``messy_records`` the mean
    number of messy records behind each person's messy effect; ``cdf`` the posterior on
    :data:`MULTIPLIER_GRID` (empty when not measured)."""

    value: float | None
    people: int
    clean_effect: float | None
    messy_effect: float | None
    messy_records: float | None = None
    cdf: tuple[float, ...] = field(default=(), repr=False)

    @property
    def measured(self) -> bool:
        return self.value is not None

    def quantile(self, q: float) -> float:
        """The posterior's ``q`` quantile (a bootstrap replicate draws ``q`` uniformly)."""
        return float(np.interp(q, np.asarray(self.cdf), MULTIPLIER_GRID))

    @property
    def interval(self) -> tuple[float, float] | None:
        """The posterior's central 90 % interval."""
        return (self.quantile(0.05), self.quantile(0.95)) if self.measured else None


def multiplier_posterior(clean: np.ndarray, messy: np.ndarray) -> np.ndarray:
    """The posterior CDF of r on :data:`MULTIPLIER_GRID` given people's clean and messy effects."""
    r = MULTIPLIER_GRID
    squares = (messy @ messy) - 2 * r * (messy @ clean) + r**2 * (clean @ clean)  # Σ (m_i − r c_i)²
    log_likelihood = -0.5 * len(clean) * np.log(np.maximum(squares, 1e-12 * (messy @ messy + 1.0)))
    centre, spread = np.log(MULTIPLIER_PRIOR[0]), MULTIPLIER_PRIOR[1]
    log_prior = -0.5 * ((np.log(MULTIPLIER_GRID) - centre) / spread) ** 2  # density in log r: a log-spaced grid
    log_posterior = log_likelihood + log_prior
    weights = np.exp(log_posterior - log_posterior.max()) + 1e-12  # strictly increasing, for the quantiles
    cdf = np.cumsum(weights)
    return (cdf - cdf[0]) / (cdf[-1] - cdf[0])


def measured_posterior(
    clean: np.ndarray, messy: np.ndarray, minimum_people: int = MIN_MESSY_PEOPLE
) -> np.ndarray | None:
    """The multiplier's posterior CDF (:func:`multiplier_posterior`) from the clean and messy effects of the
    people with both, or None when it is not measured: fewer than ``minimum_people`` of them, or a mean clean
    effect that is not positive."""
    if len(clean) < minimum_people or clean.mean() <= 0:
        return None
    return multiplier_posterior(clean, messy)


def messy_multiplier(effects: pd.DataFrame, minimum_people: int = MIN_MESSY_PEOPLE) -> MessyMultiplier:
    """The messy-data multiplier of the people with an effect in both tiers (see the module docstring)."""
    both = effects.dropna(subset=list(TIERS))
    if len(both) < minimum_people:
        return MessyMultiplier(None, len(both), None, None)
    clean, messy = both[CLEAN].to_numpy(float), both[MESSY].to_numpy(float)
    cdf = measured_posterior(clean, messy, minimum_people)
    if cdf is None:
        return MessyMultiplier(None, len(both), float(clean.mean()), float(messy.mean()))
    records = (
        float(both[f"{MESSY}_assisted"].add(both[f"{MESSY}_unassisted"]).mean())
        if f"{MESSY}_assisted" in both
        else None
    )
    median = float(np.interp(0.5, cdf, MULTIPLIER_GRID))
    return MessyMultiplier(
        median, len(both), float(clean.mean()), float(messy.mean()), records, tuple(float(v) for v in cdf)
    )


def data_mix(messy_share: float, multiplier: float) -> float:
    """Average effect of a record mix with ``messy_share`` messy records, relative to clean records."""
    return (1.0 - messy_share) + messy_share * multiplier


def messy_share(records: pd.DataFrame, weights: pd.Series | None = None) -> float | None:
    """Share of messy records among the records of known tier, each record counting its ``weights`` value (1
    without weights; a person drawn twice in a bootstrap counts twice); None without any such record."""
    known = records["data_tier"].isin(TIERS)
    weight = weights[known] if weights is not None else None
    if not known.any() or (weight is not None and weight.sum() == 0):
        return None
    return float(np.average(records.loc[known, "data_tier"] == MESSY, weights=weight))

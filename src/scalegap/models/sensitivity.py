"""Sensitivity of the conversion rate: the tornado, what would have to be true, and the what-if levers.

Method.  The conversion rate is the product of four factors (:mod:`scalegap.models.conversion`), so moving one
factor with the others held at their point estimates moves the rate in proportion:
``rate(f = x) = point rate × x ÷ point f``.

* **Tornado**: each factor at the low and the high end of its bootstrap interval, the others at the point
  estimate; factors sorted by the swing (high minus low rate), widest first.
* **What would have to be true**: for each factor alone, the value it would need for a conversion rate of 1
  (production delivers the pilot's value per person): ``point f ÷ point rate``.  It is set beside the factor's
  estimate and interval, and beside its ceiling where one exists: production adoption cannot exceed 100 %
  (adoption factor at most ``1 ÷ pilot adoption``), the data mix cannot beat all-clean (or all-messy, if messy
  records gain more) records, and the sustainment factor cannot exceed 1.
* **What-if levers** (:class:`Levers`), applied to one estimate (the point or a bootstrap replicate) with these
  stated assumptions:

  - *volunteer share* ``w``: a share ``w`` of the production population are volunteers who, before the support
    loss, adopt like pilot members and, once active, have the pilot's value per active user; adoption before
    the loss becomes ``(1 − w) × production + w × pilot``, and value per active user the mix weighted by each
    group's active users (so value per person is the ``w``-weighted mix); they meet the same service desk;
  - *data-quality remediation* ``r``: a share ``r`` of production's messy records is made clean
    (production messy share × (1 − r)); the messy-data multiplier is unchanged;
  - *support staffing* ``F`` full-time equivalents: production adoption is scaled by ``S(F) ÷ S(planned)``, with
    ``S`` the support chapter's sustainment factor (:func:`scalegap.models.support.sustainment_factor`);
  - *training coverage* ``c``: training closes ``TRAINING_GAP_CLOSED`` (half, an assumption) of the gap between
    production adoption (before the loss) and the pilot's adoption for the trained share ``c`` of the people who
    are not volunteers; newly trained adopters have production's value per active user.

  The baseline levers (0, 0, planned staffing, 0) reproduce the estimate exactly.  The what-if grid moves one
  lever over its range with the others at the baseline, and applies it to the point and to every replicate (the
  interval is the replicates' percentile interval).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import support
from scalegap.models.conversion import FACTOR_LABELS, FACTORS, ConversionStudy, Estimate
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import no_width, percentile_interval

TRAINING_GAP_CLOSED = 0.5
GRID_STEPS = 11
STAFFING_RANGE = (0.5, 2.0)
LEVERS = ("volunteer_share", "messy_share_reduction", "support_fte", "training_coverage")
LEVER_LABELS = {
    "volunteer_share": "Share of volunteers in the rollout",
    "messy_share_reduction": "Messy records made clean",
    "support_fte": "Service-desk staffing (FTE)",
    "training_coverage": "Training coverage",
}


# --- tornado and what would have to be true ---------------------------------------------------------------------------


def rate_with(estimate: Estimate, factor: str, value: float) -> float:
    """The conversion rate with ``factor`` set to ``value`` and the others as in ``estimate``."""
    return estimate.conversion_rate * value / estimate.factors[factor]


def tornado(study: ConversionStudy) -> pd.DataFrame:
    """Per factor: the rate at the low and the high end of its interval (others at the point), widest swing first.

    Columns ``factor``, ``Factor``, ``factor_low``, ``factor_high``, ``rate_low``, ``rate_high``, ``swing``.
    """
    point = study.point
    rows = []
    for factor in FACTORS:
        low, high = study.factor_interval(factor)
        rows.append(
            {
                "factor": factor,
                "Factor": FACTOR_LABELS[factor],
                "factor_low": low,
                "factor_high": high,
                "rate_low": rate_with(point, factor, low),
                "rate_high": rate_with(point, factor, high),
            }
        )
    table = pd.DataFrame(rows)
    table["swing"] = table["rate_high"] - table["rate_low"]
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def factor_ceiling(estimate: Estimate, factor: str) -> float | None:
    """The largest value the factor can take (None: no ceiling)."""
    if factor == "adoption":
        return 1.0 / estimate.pilot_adoption
    if factor == "data_mix":
        return max(1.0, estimate.messy_multiplier) / estimate.pilot_mix
    if factor == "sustainment":
        return 1.0
    return None


@dataclass(frozen=True)
class Requirement:
    """What one factor alone would have to be for production to deliver the pilot's value per person."""

    factor: str
    estimate: float
    low: float
    high: float
    required: float
    ceiling: float | None

    @property
    def within_interval(self) -> bool:
        return self.low <= self.required <= self.high

    @property
    def possible(self) -> bool:
        return self.ceiling is None or self.required <= self.ceiling


def requirements(study: ConversionStudy) -> list[Requirement]:
    """For each factor alone, the value it would need for a conversion rate of 1."""
    point = study.point
    result = []
    for factor in FACTORS:
        estimate = point.factors[factor]
        low, high = study.factor_interval(factor)
        result.append(
            Requirement(factor, estimate, low, high, estimate / point.conversion_rate, factor_ceiling(point, factor))
        )
    return result


def requirement_table(items: list[Requirement]) -> pd.DataFrame:
    """The requirements as the chapter shows them."""
    rows = [
        {
            "Factor": FACTOR_LABELS[r.factor],
            "Estimate": f"{r.estimate:.2f}",
            "Plausible range": "none: assumed" if no_width(r.low, r.high) else f"{r.low:.2f} to {r.high:.2f}",
            "Needed to match the pilot": f"{r.required:.2f}",
            "Within the plausible range": "yes" if r.within_interval else "no",
            "Possible at all": ("yes" if r.possible else f"no (at most {r.ceiling:.2f})"),
        }
        for r in items
    ]
    return pd.DataFrame(rows)


# --- what-if levers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Levers:
    """The what-if levers: shares are between 0 and 1, ``support_fte`` in full-time equivalents (None: planned)."""

    volunteer_share: float = 0.0
    messy_share_reduction: float = 0.0
    support_fte: float | None = None
    training_coverage: float = 0.0


def apply_levers(estimate: Estimate, levers: Levers, sustainment_ratio: float = 1.0) -> Estimate:
    """The estimate under the levers (see the module docstring); ``sustainment_ratio`` is ``S(F) ÷ S(planned)``."""
    pilot = estimate.pilot_adoption
    before_loss = estimate.production_adoption / estimate.sustainment
    trained = before_loss + levers.training_coverage * TRAINING_GAP_CLOSED * max(pilot - before_loss, 0.0)
    w = levers.volunteer_share
    mixed = (1.0 - w) * trained + w * pilot
    value = estimate.production_value_per_active
    per_active = value + w * pilot * (estimate.pilot_value_per_active - value) / mixed if w else value
    return replace(
        estimate,
        production_adoption=estimate.production_adoption * (mixed / before_loss) * sustainment_ratio,
        production_value_per_active=per_active,
        production_messy_share=estimate.production_messy_share * (1.0 - levers.messy_share_reduction),
        sustainment=estimate.sustainment * sustainment_ratio,
    )


def planned_staffing(study: ConversionStudy) -> float | None:
    """The support chapter's planned staffing (FTE), or None when the support load is not projected."""
    if study.sustainment.value is None:
        return None
    return float(study.sustainment.inputs["staffing_fte"])


def sustainment_at(package: PreparedPackage, staffing: float) -> float | None:
    """The support chapter's sustainment factor at ``staffing`` FTE (its projection is cached per package)."""
    return support.sustainment_factor(package, staffing=staffing).value


def sustainment_ratio(study: ConversionStudy, package: PreparedPackage, staffing: float | None) -> float:
    """``S(staffing) ÷ S(planned)``: 1 at the planned staffing, or when the support load is not projected."""
    planned = planned_staffing(study)
    if planned is None or staffing is None or staffing == planned:
        return 1.0
    at_planned, at_staffing = sustainment_at(package, planned), sustainment_at(package, float(staffing))
    return at_staffing / at_planned if at_planned and at_staffing is not None else 1.0


def scenario(study: ConversionStudy, package: PreparedPackage, levers: Levers) -> tuple[Estimate, tuple[float, float]]:
    """The point estimate under the levers, and the interval of its conversion rate over the replicates."""
    ratio = sustainment_ratio(study, package, levers.support_fte)
    rates = np.array([apply_levers(r, levers, ratio).conversion_rate for r in study.replicates], dtype=float)
    return apply_levers(study.point, levers, ratio), percentile_interval(rates, study.interval)


def lever_values(study: ConversionStudy) -> dict[str, np.ndarray]:
    """Each lever's range for the grid and the sliders (staffing from 0.5× to 2× planned; none unprojected)."""
    shares = np.linspace(0.0, 1.0, GRID_STEPS)
    planned = planned_staffing(study)
    staffing = (
        np.unique(np.append(np.linspace(STAFFING_RANGE[0] * planned, STAFFING_RANGE[1] * planned, GRID_STEPS), planned))
        if planned
        else np.array([])
    )
    return {
        "volunteer_share": shares,
        "messy_share_reduction": shares,
        "support_fte": staffing,
        "training_coverage": shares,
    }


def what_if_grid(study: ConversionStudy, package: PreparedPackage) -> pd.DataFrame:
    """Each lever over its range, the others at the baseline: the conversion rate and its interval.

    Columns ``lever``, ``Lever``, ``value``, ``rate``, ``low``, ``high``, ``baseline`` (the lever's baseline value).
    """
    baseline = Levers(support_fte=planned_staffing(study))
    rows = []
    for lever, values in lever_values(study).items():
        for value in values:
            estimate, (low, high) = scenario(study, package, replace(baseline, **{lever: float(value)}))
            rows.append(
                {
                    "lever": lever,
                    "Lever": LEVER_LABELS[lever],
                    "value": float(value),
                    "rate": estimate.conversion_rate,
                    "low": low,
                    "high": high,
                    "baseline": getattr(baseline, lever),
                }
            )
    return pd.DataFrame(rows, columns=["lever", "Lever", "value", "rate", "low", "high", "baseline"])


def lever_ends(grid: pd.DataFrame) -> pd.DataFrame:
    """Per lever: the conversion rate at the baseline and at the far end of its range, as the chapter shows it."""
    rows = []
    for lever, group in grid.groupby("lever", sort=False):
        base = group.iloc[(group["value"] - group["baseline"]).abs().argmin()]
        end = group.iloc[-1]
        rows.append(
            {
                "Lever": end["Lever"],
                "Today's plan": lever_text(lever, base["value"]),
                "Conversion rate with today's plan": f"{nf.share(base['rate'])}",
                "Far end of the range": lever_text(lever, end["value"]),
                "Conversion rate there": f"{nf.share(end['rate'])} ({nf.share(end['low'])} to {nf.share(end['high'])})",
            }
        )
    return pd.DataFrame(rows)


def lever_text(lever: str, value: float) -> str:
    return f"{value:.1f} FTE" if lever == "support_fte" else f"{nf.share(value)}"


# --- the live widgets (JupyterLab only; the book shows the grid) ------------------------------------------------------


def value_unit(study: ConversionStudy) -> str:
    """The unit of value per person: the metric's unit per task, per person per week."""
    return study.inputs.unit.replace(" per task", " per person per week")


def scenario_table(study: ConversionStudy, package: PreparedPackage, levers: Levers) -> pd.DataFrame:
    """The baseline and the scenario side by side: the conversion rate, its factors and production's value."""
    base, (base_low, base_high) = scenario(study, package, Levers(support_fte=planned_staffing(study)))
    moved, (low, high) = scenario(study, package, levers)
    rows = [
        (
            "Conversion rate",
            f"{nf.share(base.conversion_rate)} ({nf.share(base_low)} to {nf.share(base_high)})",
            f"{nf.share(moved.conversion_rate)} ({nf.share(low)} to {nf.share(high)})",
        )
    ]
    rows += [(f"{FACTOR_LABELS[f]} factor", f"{base.factors[f]:.2f}", f"{moved.factors[f]:.2f}") for f in FACTORS]
    rows.append(
        (
            f"Production value ({value_unit(study)})",
            f"{nf.number(base.production_value)}",
            f"{nf.number(moved.production_value)}",
        )
    )
    return pd.DataFrame(rows, columns=["Figure", "Today's plan", "Scenario"])

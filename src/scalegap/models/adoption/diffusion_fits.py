"""Diffusion fits per cohort (:mod:`scalegap.stats.diffusion`), for the chapter's table and curves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.adoption.access import MIN_MODEL_PEOPLE, PILOT, ROLLOUT, AdoptionData
from scalegap.models.adoption.forecast import cohort_onsets, confirmable_weeks, rollout_series_levels
from scalegap.number_format import interval_label
from scalegap.stats.diffusion import BassEstimate, bootstrap_bass

# --- diffusion fits -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortDiffusion:
    """A group given access together, its weekly adoption and its Bass fit (with bootstrap intervals)."""

    name: str
    people: int
    onsets: tuple[float, ...]
    weeks: int
    estimate: BassEstimate


def diffusion_groups(data: AdoptionData) -> dict[str, pd.DataFrame]:
    """The pilot, the rollout, and every segment value with a rollout series (when it is not the whole rollout)."""
    people = data.with_access
    groups = {c: people[people["cohort"] == c] for c in (PILOT, ROLLOUT) if (people["cohort"] == c).any()}
    rollout = groups.get(ROLLOUT, people.iloc[:0])
    for segment in data.segments:
        for level in rollout_series_levels(data.people, segment):
            members = rollout[rollout[segment].astype(str) == level]
            if len(members) < len(rollout):
                groups[f"{ROLLOUT}: {level}"] = members
    return groups


def diffusion_fits(
    data: AdoptionData, replicates: int, known: dict[str, BassEstimate] | None = None
) -> list[CohortDiffusion]:
    """Launch-week Bass fits, with bootstrap intervals, of every group of :func:`diffusion_groups` large enough
    (``known``: estimates already made, by group name, reused as they are)."""
    fits = []
    for name, group in diffusion_groups(data).items():
        weeks = confirmable_weeks(data.people, group["cohort"].iloc[0], data.rule.weeks)
        if len(group) < MIN_MODEL_PEOPLE or weeks < 1:
            continue
        onsets = cohort_onsets(group)
        estimate_ = (known or {}).get(name) or bootstrap_bass(
            onsets, weeks, replicates, data.statistics.seed, data.statistics.interval, launch_week=True
        )
        if estimate_ is not None:
            fits.append(CohortDiffusion(name, len(group), tuple(onsets.tolist()), weeks, estimate_))
    return fits


def diffusion_table(fits: list[CohortDiffusion], interval: float) -> pd.DataFrame:
    """One column per fitted cohort, one row per measure: people, adopters so far, p, q and the eventual share
    with intervals of level ``interval``, the peak week and the quality of the fit (R², root-mean-square error)."""
    columns = {}
    for d in fits:
        fit = d.estimate.fit
        columns[d.name] = [
            nf.count(d.people),
            f"{nf.count(fit.adopters_seen)} (of whom {nf.count(fit.immediate)} in week 1)",
            nf.count(d.weeks),
            nf.with_interval(fit.innovation, *d.estimate.innovation_interval, "factor"),
            nf.with_interval(fit.imitation, *d.estimate.imitation_interval, "factor"),
            nf.with_interval(fit.potential_share, *d.estimate.share_interval, "share"),
            nf.number(fit.peak_week),
            nf.factor(fit.r_squared),
            f"{fit.rmse:.1f}",
        ]
    if not columns:
        return pd.DataFrame()
    measures = [
        "People with access",
        "Adopters so far",
        "Weeks fitted",
        f"Innovation p ({interval_label(interval)})",
        f"Imitation q ({interval_label(interval)})",
        f"Eventual adoption ({interval_label(interval)})",
        "Peak of new adoption (week)",
        "R² (weekly new adopters)",
        "RMSE (people per week)",
    ]
    return pd.DataFrame({"Measure": measures, **columns})


def adoption_curves(fits: list[CohortDiffusion], weeks: int = 26) -> pd.DataFrame:
    """Per fitted group and week from its start: the observed cumulative adoption share (over the confirmable
    weeks) and the fitted curve's, to ``weeks`` (or the observed span, if longer)."""
    rows = []
    for d in fits:
        onsets, fit = np.asarray(d.onsets, dtype=float), d.estimate.fit
        for week in range(0, max(weeks, d.weeks) + 1):
            rows.append(
                {
                    "Cohort": d.name,
                    "Week": week,
                    "Observed": float(np.sum(onsets <= week)) / d.people if week <= d.weeks else np.nan,
                    "Fitted": float(fit.cumulative(np.array([week]))[0]) / d.people if week >= 1 else 0.0,
                }
            )
    return pd.DataFrame(rows, columns=["Cohort", "Week", "Observed", "Fitted"])

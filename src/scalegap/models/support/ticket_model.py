"""The ticket model: tickets per active user-week by readiness and segment (a Poisson GLM, bootstrapped)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scalegap.models import readiness
from scalegap.models.support.exposure import (
    NOT_RECORDED,
    PILOT,
    _key,
    segments,
    support_groups,
    ticket_exposure,
    unavailable_reason,
)
from scalegap.models.support.rates import ticket_rate
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import percentile_interval, ridge_glm

PRIOR_SD = 1.0


MIN_MODEL_PEOPLE = 10


READINESS_CENTRE, READINESS_STEP = 50.0, 10.0


# --- the ticket model -----------------------------------------------------------------------------------------


def roster_covariates(package: PreparedPackage, segment: str | None) -> pd.DataFrame:
    """Per roster person (indexed by ``person_id``): segment value, pilot flag, readiness index (imputed for
    people without one: their segment's respondent mean, else the organisation's) and ``no_response`` (0/1).
    Readiness columns are missing when the survey cannot be scored."""
    roster = package.table("roster")
    frame = pd.DataFrame({"in_pilot": support_groups(roster).eq(PILOT)})
    values = roster.set_index("person_id")[segment] if segment else pd.Series(NOT_RECORDED, index=frame.index)
    frame["segment"] = values.astype("object").where(values.notna(), NOT_RECORDED)
    if readiness.unavailable_reason(package):
        frame["readiness"], frame["no_response"] = np.nan, np.nan
        return frame
    scores = readiness.respondents(package).dropna(subset=[readiness.INDEX])
    own = frame.index.map(scores.drop_duplicates("person_id", keep="last").set_index("person_id")[readiness.INDEX])
    own = pd.Series(own, index=frame.index, dtype="float64")
    by_segment = own.groupby(frame["segment"]).transform("mean")
    frame["readiness"] = own.fillna(by_segment).fillna(own.mean())
    frame["no_response"] = own.isna().astype(float)
    return frame


def design_matrix(covariates: pd.DataFrame, levels: tuple[str, ...]) -> np.ndarray:
    """Columns: intercept, one indicator per segment value in ``levels``, then readiness ``(index − 50) ÷ 10``
    and the no-response indicator when readiness is known."""
    columns = [np.ones(len(covariates))]
    columns += [covariates["segment"].eq(level).to_numpy(dtype=float) for level in levels]
    if covariates["readiness"].notna().all() and len(covariates):
        columns += [
            ((covariates["readiness"] - READINESS_CENTRE) / READINESS_STEP).to_numpy(dtype=float),
            covariates["no_response"].to_numpy(dtype=float),
        ]
    return np.column_stack(columns)


def fit_ticket_rates(tickets: np.ndarray, active_weeks: np.ndarray, X: np.ndarray, levels: int) -> np.ndarray:
    """Poisson regression of tickets on ``X`` with offset log(active weeks); the ``levels`` segment indicators
    (columns 1..levels) carry a normal prior with standard deviation ``PRIOR_SD`` (see
    :func:`scalegap.stats.estimation.ridge_glm`)."""
    return ridge_glm(tickets, X, levels, sm.families.Poisson(), PRIOR_SD, offset=np.log(active_weeks))


def model_levels(people: pd.DataFrame, minimum: int) -> tuple[str, ...]:
    """Segment values with at least ``minimum`` people with use: they get their own indicator."""
    counts = people["segment"].value_counts()
    return tuple(sorted(str(value) for value in counts[counts >= minimum].index if value != NOT_RECORDED))


def stratified_resample(rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
    """Row indices drawn with replacement within each group, as many as the group has."""
    return np.concatenate(
        [rng.choice(np.flatnonzero(groups == group), size=int((groups == group).sum())) for group in np.unique(groups)]
    )


@dataclass(frozen=True)
class TicketProjection:
    """The fitted ticket model applied to the roster, with bootstrap replicates.

    ``production`` has one row per roster person (``segment``, ``in_pilot``, ``readiness``, ``no_response``,
    predicted ``rate`` per active week); ``replicate_rates`` one row per bootstrap replicate, in the same
    order; ``observed`` the observed rates of pilot members and everyone else, point and per replicate.
    """

    segment: str | None
    levels: tuple[str, ...]
    uses_readiness: bool
    production: pd.DataFrame
    replicate_rates: np.ndarray
    readiness_ratio: tuple[float, float, float] | None
    observed: dict[str, tuple[float, np.ndarray]]
    fitted_people: int
    fitted_tickets: int
    fitted_weeks: int


@dataclass(frozen=True)
class GroupCounts:
    """The tickets and active weeks of the people with use, and the number of each one's group in ``labels``
    (sorted; -1 without a group): read out of the table once for the observed rates of every replicate."""

    labels: tuple[str, ...]
    group: np.ndarray
    tickets: np.ndarray
    weeks: np.ndarray

    @classmethod
    def of(cls, fit: pd.DataFrame) -> GroupCounts:
        codes, labels = pd.factorize(fit["group"], sort=True)
        return cls(tuple(labels), np.asarray(codes), fit["tickets"].to_numpy(), fit["active_weeks"].to_numpy())

    def rates(self, rows: np.ndarray) -> dict[str, float]:
        """Per group among ``rows``: its tickets per active week (the missing values of a column left out)."""
        group = self.group[rows]
        return {
            self.labels[code]: ticket_rate(
                np.nansum(self.tickets[rows[group == code]]), np.nansum(self.weeks[rows[group == code]])
            )
            for code in np.unique(group[group >= 0])
        }


def observed_rates(fit: pd.DataFrame, rows: np.ndarray) -> dict[str, float]:
    """Per group of the people with use in ``rows``: tickets per active week."""
    return GroupCounts.of(fit).rates(rows)


def build_projection(package: PreparedPackage) -> TicketProjection | None:
    """Fit the ticket model on the people with use and predict every roster person's rate, with replicates."""
    exposure, minimum = ticket_exposure(package), package.settings.privacy.min_group_size
    if exposure is None or len(exposure.people) < MIN_MODEL_PEOPLE or exposure.people["tickets"].sum() == 0:
        return None
    names = segments(package)
    covariates = roster_covariates(package, names[0] if names else None)
    fit = exposure.people[["person_id", "group", "tickets", "active_weeks"]].join(covariates, on="person_id")
    levels = model_levels(fit, minimum)
    X_fit, X_all = design_matrix(fit, levels), design_matrix(covariates, levels)
    y, weeks = fit["tickets"].to_numpy(float), fit["active_weeks"].to_numpy(float)
    params = fit_ticket_rates(y, weeks, X_fit, len(levels))
    statistics = package.settings.statistics
    rng, groups, counts = np.random.default_rng(statistics.seed), fit["group"].to_numpy(), GroupCounts.of(fit)
    draws, observed = [], []
    for _ in range(statistics.replicates):
        rows = stratified_resample(rng, groups)
        draws.append(fit_ticket_rates(y[rows], weeks[rows], X_fit[rows], len(levels)))
        observed.append(counts.rates(rows))
    draws_array = np.array(draws)
    uses_readiness = X_fit.shape[1] > len(levels) + 1
    ratio = None
    if uses_readiness:
        slope = len(levels) + 1
        ratio = (math.exp(params[slope]), *percentile_interval(np.exp(draws_array[:, slope]), statistics.interval))
    point = observed_rates(fit, np.arange(len(fit)))
    return TicketProjection(
        names[0] if names else None,
        levels,
        uses_readiness,
        covariates.reset_index().assign(rate=np.exp(X_all @ params)),
        np.exp(draws_array @ X_all.T),
        ratio,
        {group: (point[group], np.array([draw.get(group, np.nan) for draw in observed])) for group in point},
        len(fit),
        int(y.sum()),
        int(weeks.sum()),
    )


def ticket_projection(package: PreparedPackage) -> TicketProjection | None:
    """:func:`build_projection`, computed once per prepared package."""
    return _projection(*_key(package))


@lru_cache(maxsize=8)
def _projection(path: str, _stamp: str) -> TicketProjection | None:
    return build_projection(PreparedPackage(path))


def projection_unavailable_reason(package: PreparedPackage) -> str | None:
    reason = unavailable_reason(package)
    if reason:
        return reason
    if ticket_projection(package) is None:
        return (
            f"Fewer than {MIN_MODEL_PEOPLE} people with use, or no ticket among them: too little to estimate "
            "ticket rates, so the support load at full rollout is not projected."
        )
    return None

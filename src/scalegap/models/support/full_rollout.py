"""Active users at full rollout (an assumption the adoption forecast replaces), and the tickets they raise."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import activity, availability, readiness
from scalegap.models.segments import label
from scalegap.models.support.exposure import (
    PILOT,
    REST,
    _key,
    in_window,
    support_groups,
    ticket_exposure,
    unavailable_reason,
)
from scalegap.models.support.rates import PER_100, RATE, suppress_partition
from scalegap.models.support.ticket_model import TicketProjection, projection_unavailable_reason, ticket_projection
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts, suppress_small_groups
from scalegap.stats.estimation import percentile_interval

STEADY_WEEKS = 4


PROJECTED_RATE = "Tickets per 100 users a week"


# --- active users at full rollout: an ASSUMPTION the adoption forecast will replace ------------------------


@dataclass(frozen=True)
class ActiveShareAssumption:
    """The share of the headcount taken to be active in an average week at full rollout, and its source."""

    share: float
    source: str
    people_with_access: int
    weeks: int

    def describe(self) -> str:
        weeks = "week" if self.weeks == 1 else f"{self.weeks} weeks"
        # not "people with access": the adoption chapter's term, counted from access dates, is another quantity
        among = (
            f"the {self.people_with_access:,} pilot members"
            if self.source == PILOT
            else f"the {self.people_with_access:,} people in '{self.source}' who held a licence or used the assistant"
        )
        return (
            f"Assumption: at full rollout, {nf.share(self.share)} of every segment's headcount uses the assistant in "
            f"an average week: the share, among {among}, of those active in an average week of the last {weeks} "
            "of its ticket window: an assumption taken from the use observed so far."
        )


def weekly_active_share(weekly_active: pd.Series, people_with_access: int, weeks: int = STEADY_WEEKS) -> float:
    """Mean weekly active users over the last ``weeks`` weeks (``weekly_active`` in week order) ÷ people."""
    return float(weekly_active.tail(weeks).mean() / people_with_access) if people_with_access else float("nan")


def assumed_weekly_active_share(package: PreparedPackage) -> ActiveShareAssumption | None:
    """:func:`active_share_assumption`, computed once per package. This is the function the adoption forecast
    replaces."""
    return None if ticket_exposure(package) is None else _active_share(*_key(package))


@lru_cache(maxsize=8)
def _active_share(path: str, _stamp: str) -> ActiveShareAssumption:
    return active_share_assumption(PreparedPackage(path))


def active_share_assumption(package: PreparedPackage) -> ActiveShareAssumption:
    """ASSUMPTION (replace with the adoption forecast): every segment's weekly active share at full rollout
    equals the rollout group's (everyone else with access: a licence or any use) in the last ``STEADY_WEEKS``
    weeks of its ticket window; the pilot's (all pilot members) when fewer than the minimum group size of
    other people had access."""
    exposure = ticket_exposure(package)
    if exposure is None:
        raise ValueError(f"no weekly active share to assume: {unavailable_reason(package)}")
    roster = package.table("roster")
    groups = support_groups(roster)
    weeks = activity.active_days_per_week(package)[["person_id", "week_start"]]
    weeks = weeks[weeks["person_id"].isin(groups.index)]
    weeks = weeks.assign(group=weeks["person_id"].map(groups), week=pd.to_datetime(weeks["week_start"]))
    weeks = weeks[in_window(weeks, exposure.windows)]
    licensed = set(package.table("seats")["person_id"].dropna()) if availability.usable(package, "seats") else set()
    others = groups[(groups == REST) & (groups.index.isin(licensed) | groups.index.isin(weeks["person_id"]))]
    access = {PILOT: int(groups.eq(PILOT).sum()), REST: len(others)}
    source = (
        REST if access[REST] >= package.settings.privacy.min_group_size and REST in exposure.windows.index else PILOT
    )
    weekly = weeks[weeks["group"] == source].groupby("week")["person_id"].nunique().sort_index()
    return ActiveShareAssumption(
        weekly_active_share(weekly, access[source]), source, access[source], min(STEADY_WEEKS, len(weekly))
    )


def active_share_sentence(package: PreparedPackage) -> str:
    """The weekly-active-share assumption in words, or why there is no projection."""
    reason = projection_unavailable_reason(package)
    if reason:
        return reason
    assumption = assumed_weekly_active_share(package)
    assert assumption is not None  # the projection is available, so is the exposure the assumption rests on
    return assumption.describe()


def activity_weights(projection: TicketProjection, active_share: float | np.ndarray) -> np.ndarray:
    """Per roster person, the chance of being active in an average week at full rollout: one share for everyone
    (the current assumption), or a per-person array in the roster's order (an adoption forecast)."""
    return np.broadcast_to(np.asarray(active_share, dtype=float), (len(projection.production),))


def full_rollout_tickets(projection: TicketProjection, active_share: float | np.ndarray) -> tuple[float, np.ndarray]:
    """Weekly tickets at full rollout: every roster person's predicted rate weighted by their chance of being
    active in a week (point, and per replicate)."""
    weights = activity_weights(projection, active_share)
    return float(weights @ projection.production["rate"].to_numpy()), projection.replicate_rates @ weights


def projection_by_segment(package: PreparedPackage) -> pd.DataFrame:
    """Per value of the model's segment: headcount, the people with use behind the estimate, the predicted
    ticket rate (per 100 active users a week) and projected tickets per week at full rollout with its interval;
    whether the value has its own estimate in the model (otherwise it is extrapolated)."""
    projection, assumption = ticket_projection(package), assumed_weekly_active_share(package)
    if projection is None or assumption is None:
        return pd.DataFrame()
    production, minimum = projection.production, package.settings.privacy.min_group_size
    level = package.settings.statistics.interval
    exposure = ticket_exposure(package)
    assert exposure is not None  # the assumption is only made from the exposure
    with_use = exposure.people["person_id"]
    rows = []
    for value in readiness.segment_order(production["segment"]):
        part = production["segment"].eq(value).to_numpy()
        rates, weights = production.loc[part, "rate"].to_numpy(), activity_weights(projection, assumption.share)[part]
        low, high = percentile_interval(projection.replicate_rates[:, part] @ weights, level)
        rows.append(
            {
                "Group": value,
                "Headcount": int(part.sum()),
                "People with use": int(production.loc[part, "person_id"].isin(with_use).sum()),
                PROJECTED_RATE: PER_100 * rates.mean(),
                "Tickets per week": float(weights @ rates),
                "Interval low": low,
                "Interval high": high,
                "Own estimate": "yes" if value in projection.levels else "no",
            }
        )
    table = suppress_partition(pd.DataFrame(rows), "Headcount", minimum)
    table["Own estimate"] = table["Own estimate"].where(~table[SUPPRESSED], None)
    table = suppress_small_counts(table, "People with use", minimum)
    return table.rename(columns={"Group": label(projection.segment) if projection.segment else "Group"})


def rate_comparison(package: PreparedPackage) -> pd.DataFrame:
    """Tickets per 100 active users per week: observed for pilot members and everyone else with use, and
    projected for the whole organisation, for everyone outside the pilot and (the model's fit) pilot members."""
    projection = ticket_projection(package)
    if projection is None:
        return pd.DataFrame()
    minimum, level = package.settings.privacy.min_group_size, package.settings.statistics.interval
    exposure = ticket_exposure(package)
    assert exposure is not None  # the projection is fitted on the exposure
    people = exposure.people["group"].value_counts()
    production = projection.production
    rows = []
    for group in (PILOT, REST):
        if group in projection.observed:
            value, replicates = projection.observed[group]
            rows.append((f"{group}, observed", value, replicates, int(people.get(group, 0))))
    for name, part in (
        ("Whole organisation, projected", np.ones(len(production), dtype=bool)),
        ("Everyone outside the pilot, projected", ~production["in_pilot"].to_numpy(bool)),
        ("Pilot members, as the model predicts them", production["in_pilot"].to_numpy(bool)),
    ):
        if part.any():
            rows.append(
                (
                    name,
                    production.loc[part, "rate"].mean(),
                    projection.replicate_rates[:, part].mean(axis=1),
                    int(part.sum()),
                )
            )
    table = pd.DataFrame(
        [
            {
                "Rate": name,
                "People": size,
                RATE: PER_100 * value,
                "Interval low": PER_100 * percentile_interval(draws, level)[0],
                "Interval high": PER_100 * percentile_interval(draws, level)[1],
            }
            for name, value, draws, size in rows
        ]
    )
    return suppress_small_groups(table, "People", minimum)

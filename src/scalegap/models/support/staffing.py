"""Staffing: the agents the service desk needs to meet the response target at full rollout (Erlang C)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.support.exposure import PILOT, _key, ticket_exposure
from scalegap.models.support.full_rollout import assumed_weekly_active_share, full_rollout_tickets
from scalegap.models.support.rates import CHANNELS
from scalegap.models.support.response import response_times
from scalegap.models.support.ticket_model import projection_unavailable_reason, ticket_projection
from scalegap.package import PreparedPackage
from scalegap.settings import SupportSettings
from scalegap.stats import queueing
from scalegap.stats.estimation import percentile_interval

BUSINESS_DAYS_PER_WEEK = 5


BUSINESS_HOURS_PER_DAY = 8


BUSINESS_HOURS_PER_WEEK = BUSINESS_DAYS_PER_WEEK * BUSINESS_HOURS_PER_DAY


PEAK_HOUR_FACTOR = 1.3


CURVE_GRID = tuple(round(0.01 * step, 2) for step in range(1, 101))


# --- staffing -------------------------------------------------------------------------------------------------


def peak_hour_arrivals(weekly_tickets: float) -> float:
    """Tickets arriving in the busiest business hour: weekly tickets ÷ business hours × the peak-hour factor."""
    return weekly_tickets / BUSINESS_HOURS_PER_WEEK * PEAK_HOUR_FACTOR


def agents_on_duty(full_time_equivalents: float, agent_hours_per_week: float) -> float:
    """Agents on duty in an average business hour from full-time equivalents on this service."""
    return full_time_equivalents * agent_hours_per_week / BUSINESS_HOURS_PER_WEEK


def full_time_equivalents(on_duty: float, agent_hours_per_week: float) -> float:
    """Full-time equivalents that keep ``on_duty`` agents at work through every business hour."""
    return on_duty * BUSINESS_HOURS_PER_WEEK / agent_hours_per_week


@dataclass(frozen=True)
class Staffing:
    """The desk a weekly ticket volume needs under the support settings, and how the current desk copes."""

    weekly_tickets: float
    peak_hour_arrivals: float
    load_erlangs: float
    agents_on_duty: int  # whole agents in the busiest hour (Erlang C)
    agents_needed: float  # full-time equivalents that meet the target exactly (fractional agents)
    service_level_current: float  # at settings.support.current_agents

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def staffing_for(weekly_tickets: float, support: SupportSettings) -> Staffing:
    """Erlang C staffing for ``weekly_tickets`` (peak-hour arrivals, handling time and target from settings)."""
    arrivals = peak_hour_arrivals(weekly_tickets)
    load = queueing.load_erlangs(arrivals, support.handling_minutes)
    target = (support.handling_minutes, support.target_response_minutes)
    whole = queueing.agents_needed(load, *target, support.service_level_target) if load > 0 else 0
    fraction = queueing.fractional_agents_needed(load, *target, support.service_level_target)
    current = agents_on_duty(support.current_agents, support.agent_hours_per_week)
    needed = full_time_equivalents(fraction, support.agent_hours_per_week)
    return Staffing(
        weekly_tickets,
        arrivals,
        load,
        whole,
        needed,
        queueing.service_level(current, load, *target) if current > 0 else float(load == 0),
    )


def curve_table(
    full_tickets: float,
    replicates: np.ndarray,
    headcount: int,
    support: SupportSettings,
    shares: tuple[float, ...],
    interval: float,
) -> pd.DataFrame:
    """Per rollout share: people with access, weekly tickets (interval, of level ``interval``), load, whole agents
    in the busiest hour, full-time equivalents needed (interval) and the current desk's service level."""
    low, high = percentile_interval(replicates, interval)
    rows = []
    for share in shares:
        point, lower, upper = (staffing_for(share * value, support) for value in (full_tickets, low, high))
        rows.append(
            {
                "Rollout share": share,
                "People with access": share * headcount,
                "Tickets per week": point.weekly_tickets,
                "Tickets low": lower.weekly_tickets,
                "Tickets high": upper.weekly_tickets,
                "Load (Erlangs)": point.load_erlangs,
                "Whole agents in the busiest hour": point.agents_on_duty,
                "Agents needed (FTE)": point.agents_needed,
                "Agents needed low": lower.agents_needed,
                "Agents needed high": upper.agents_needed,
                "Service level, current agents": point.service_level_current,
            }
        )
    return pd.DataFrame(rows)


def staffing_curve(package: PreparedPackage, shares: tuple[float, ...] = CURVE_GRID) -> pd.DataFrame:
    """:func:`curve_table` of the package's full-rollout projection (computed once per package and grid)."""
    if projection_unavailable_reason(package):
        return pd.DataFrame()
    return _curve(*_key(package), tuple(shares)).copy()


@lru_cache(maxsize=16)
def _curve(path: str, _stamp: str, shares: tuple[float, ...]) -> pd.DataFrame:
    package = PreparedPackage(path)
    projection, assumption = ticket_projection(package), assumed_weekly_active_share(package)
    assert projection is not None and assumption is not None  # staffing_curve checked the projection is available
    point, replicates = full_rollout_tickets(projection, assumption.share)
    settings = package.settings
    return curve_table(
        point, replicates, len(projection.production), settings.support, shares, settings.statistics.interval
    )


def staffing_table(
    package: PreparedPackage, shares: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0)
) -> pd.DataFrame:
    """Selected rows of the staffing curve, as the chapter shows them."""
    curve = staffing_curve(package, shares)
    if curve.empty:
        return curve
    return pd.DataFrame(
        {
            "Rollout share": curve["Rollout share"],
            "People with access": curve["People with access"].round(),
            "Tickets per week": curve["Tickets per week"],
            "Load (Erlangs)": curve["Load (Erlangs)"],
            "Agents needed (FTE)": curve["Agents needed (FTE)"],
            "Whole agents in the busiest hour": curve["Whole agents in the busiest hour"],
            "Answered within target, current desk": curve["Service level, current agents"],
        }
    )


def capacity_break_point(
    curve: pd.DataFrame, target: float, column: str = "Service level, current agents"
) -> float | None:
    """The rollout share at which ``column`` first falls below ``target``, interpolated linearly between the
    last grid point that meets it and the first that does not; the first share when even that one fails;
    None when the service level holds all along the curve."""
    shares, levels = curve["Rollout share"].to_numpy(float), curve[column].to_numpy(float)
    failing = np.flatnonzero(levels < target)
    if failing.size == 0:
        return None
    first = int(failing[0])
    if first == 0:
        return float(shares[0])
    x0, x1, y0, y1 = shares[first - 1], shares[first], levels[first - 1], levels[first]
    return float(x0 + (y0 - target) / (y0 - y1) * (x1 - x0))


def current_capacity_break(package: PreparedPackage) -> float | None:
    """The rollout share at which the current desk's service level falls below the target (1 % grid)."""
    curve = staffing_curve(package)
    if curve.empty:
        return None
    return capacity_break_point(curve, package.settings.support.service_level_target)


def full_rollout_staffing(package: PreparedPackage) -> Staffing | None:
    projection, assumption = ticket_projection(package), assumed_weekly_active_share(package)
    if projection is None or assumption is None:
        return None
    return staffing_for(full_rollout_tickets(projection, assumption.share)[0], package.settings.support)


def staffing_assumptions(package: PreparedPackage) -> list[tuple[str, str]]:
    """(setting, value) pairs the staffing model uses, as the chapter states them."""
    support = package.settings.support
    on_duty = agents_on_duty(support.current_agents, support.agent_hours_per_week)
    return [
        (
            "Target",
            f"first response within {support.target_response_minutes:g} minutes for "
            f"{nf.share(support.service_level_target)} of tickets",
        ),
        ("Handling time per ticket", f"{support.handling_minutes:g} minutes of an agent's time"),
        (
            "Business hours",
            f"{BUSINESS_DAYS_PER_WEEK} days × {BUSINESS_HOURS_PER_DAY} hours = "
            f"{BUSINESS_HOURS_PER_WEEK} hours a week; tickets arrive only then",
        ),
        ("Busiest hour", f"{PEAK_HOUR_FACTOR:g} × the average business hour's tickets"),
        ("Productive hours per agent", f"{support.agent_hours_per_week:g} a week on this service"),
        (
            "Current support agents",
            f"{fte_text(support.current_agents)}: {on_duty:.2f} agents on duty in an average business hour",
        ),
    ]


def pilot_support_arrangement(package: PreparedPackage) -> list[tuple[str, str]]:
    """(figure, value) pairs: the tickets the build team answered directly and how fast, beside the service
    desk's, from the ticket export."""
    times = response_times(package)
    if times.empty:
        return []
    weeks = 0.0
    exposure = ticket_exposure(package)
    if exposure is not None and PILOT in exposure.windows.index:
        window = exposure.windows.loc[PILOT]
        weeks = (window["end"] - window["start"]).days / 7 + 1
    rows = []
    for channel in (CHANNELS["build_team"], CHANNELS["service_desk"]):
        row = times[times["Support channel"] == channel]
        if row.empty:
            continue
        row = row.iloc[0]
        if pd.isna(row["Tickets"]):
            rows.append((channel, f"fewer than {package.settings.privacy.min_group_size} people: not shown"))
            continue
        per_week = (
            f" ({row['Tickets'] / weeks:.1f} a week over the pilot's {weeks:.0f}-week ticket window)"
            if channel == CHANNELS["build_team"] and weeks
            else ""
        )
        rows += [
            (f"{channel}: tickets", f"{row['Tickets']:,.0f}{per_week}"),
            (
                f"{channel}: time to first response",
                f"median {row['Median hours to first response']:.1f} h, "
                f"90th percentile {row['90th percentile (first response)']:.1f} h "
                f"({row['With a first response']:,.0f} tickets with a first response)",
            ),
            (
                f"{channel}: first response within the target",
                f"{nf.share(row['First response within target'])} (target: "
                f"{package.settings.support.target_response_minutes:g} minutes)",
            ),
        ]
    return rows


def fte_text(value: float) -> str:
    return f"{value:g} full-time equivalent" + ("" if value == 1 else "s")

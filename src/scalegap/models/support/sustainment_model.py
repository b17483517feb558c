"""The sustainment factor: the share of adoption kept under the production support model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.support.full_rollout import activity_weights, assumed_weekly_active_share, full_rollout_tickets
from scalegap.models.support.staffing import agents_on_duty, peak_hour_arrivals, staffing_for
from scalegap.models.support.ticket_model import projection_unavailable_reason, ticket_projection
from scalegap.package import PreparedPackage
from scalegap.settings import SupportSettings
from scalegap.stats import queueing
from scalegap.stats.estimation import percentile_interval

SUSTAINMENT_PERIOD_WEEKS = 13


# --- sustainment ----------------------------------------------------------------------------------------------


def sustainment(loss_when_late: float, ticket_share: float, late_share: float) -> float:
    """``1 − loss_when_late × ticket_share × late_share``."""
    return 1.0 - loss_when_late * ticket_share * late_share


def ticket_share_in_period(
    rates: np.ndarray, weeks: float = SUSTAINMENT_PERIOD_WEEKS, weights: np.ndarray | None = None
) -> float:
    """Share of active users raising at least one ticket in ``weeks`` active weeks: the mean of
    ``1 − e^(−weeks × rate)``, weighted by each person's chance of being active when ``weights`` are given."""
    return float(np.average(1.0 - np.exp(-weeks * np.asarray(rates, dtype=float)), weights=weights))


def late_share(weekly_tickets: float, on_duty: float, support: SupportSettings) -> float:
    """Share of tickets whose first response comes after the target, with ``on_duty`` agents in the busiest hour."""
    load = queueing.load_erlangs(peak_hour_arrivals(weekly_tickets), support.handling_minutes)
    if on_duty <= 0:
        return 1.0 if load > 0 else 0.0
    return 1.0 - queueing.service_level(on_duty, load, support.handling_minutes, support.target_response_minutes)


@dataclass(frozen=True)
class SustainmentFactor:
    """The share of adoption kept under the production support model (1: no loss), for the conversion rate.

    ``value`` and ``interval`` are None when the support load cannot be projected (``note`` says why);
    ``inputs`` holds every number behind the value.
    """

    value: float | None
    interval: tuple[float, float] | None
    inputs: dict[str, Any]
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "interval": list(self.interval) if self.interval else None,
            "inputs": self.inputs,
            "note": self.note,
        }


def sustainment_factor(package: PreparedPackage, staffing: float | None = None) -> SustainmentFactor:
    """``1 − adoption_loss_when_late × q × p_late`` at full rollout, where ``staffing`` (full-time equivalents)
    defaults to the agents needed to meet the target; bootstrap interval of ``statistics.interval``."""
    reason = projection_unavailable_reason(package)
    if reason:
        return SustainmentFactor(None, None, {}, reason)
    support, projection = package.settings.support, ticket_projection(package)
    assumption = assumed_weekly_active_share(package)
    assert projection is not None and assumption is not None  # projection_unavailable_reason gave no reason
    weights = activity_weights(projection, assumption.share)
    weekly, replicates = full_rollout_tickets(projection, weights)
    planned = staffing if staffing is not None else staffing_for(weekly, support).agents_needed
    on_duty = agents_on_duty(planned, support.agent_hours_per_week)
    share = ticket_share_in_period(projection.production["rate"], weights=weights)
    late = late_share(weekly, on_duty, support)
    draws = [
        sustainment(
            support.adoption_loss_when_late,
            ticket_share_in_period(rates, weights=weights),
            late_share(tickets, on_duty, support),
        )
        for rates, tickets in zip(projection.replicate_rates, replicates)
    ]
    value = sustainment(support.adoption_loss_when_late, share, late)
    inputs = {
        "adoption_loss_when_late": support.adoption_loss_when_late,
        "period_weeks": SUSTAINMENT_PERIOD_WEEKS,
        "share_of_active_users_raising_a_ticket": round(share, 6),
        "share_of_tickets_late": round(late, 6),
        "staffing_fte": round(planned, 6),
        "agents_on_duty": round(on_duty, 6),
        "tickets_per_week": round(weekly, 6),
        "staffing_is_planned": staffing is None,
    }
    note = (
        f"Planned staffing: {planned:.1f} full-time equivalents ({on_duty:.2f} agents on duty on average), the "
        "staffing that meets the target exactly at full rollout."
        if staffing is None
        else f"Staffing as given: {planned:.1f} full-time equivalents ({on_duty:.2f} agents on duty on average)."
    )
    low, high = percentile_interval(np.array(draws), package.settings.statistics.interval)
    return SustainmentFactor(round(value, 6), (round(low, 6), round(high, 6)), inputs, note)


def sustainment_comparison(package: PreparedPackage) -> pd.DataFrame:
    """The sustainment factor at the planned staffing and with the current desk, side by side."""
    if projection_unavailable_reason(package):
        return pd.DataFrame()
    rows = []
    for name, staffing in (
        ("Planned staffing (meets the target)", None),
        ("Current desk", package.settings.support.current_agents),
    ):
        factor = sustainment_factor(package, staffing)
        assert factor.interval is not None  # the projection is available, so the factor is estimated
        rows.append(
            {
                "Staffing": name,
                "Agents (FTE)": factor.inputs["staffing_fte"],
                "Tickets answered after the target": factor.inputs["share_of_tickets_late"],
                "Sustainment factor": factor.value,
                "Interval low": factor.interval[0],
                "Interval high": factor.interval[1],
            }
        )
    table = pd.DataFrame(rows)
    for column in ("Sustainment factor", "Interval low", "Interval high"):
        table[column] = table[column].map(nf.factor)
    return table


def sustainment_rows(factor: SustainmentFactor, interval: float) -> list[tuple[str, str]]:
    """(figure, value) pairs of a sustainment factor and its inputs, as the chapter shows them (its interval of
    level ``interval``)."""
    if factor.value is None:
        return [("Sustainment factor", availability.figure_reason(factor.note or "not estimated"))]
    assert factor.interval is not None  # an estimated factor has its interval
    inputs = factor.inputs
    return [
        (
            "Sustainment factor",
            nf.with_interval(factor.value, *factor.interval, "factor", interval),
        ),
        ("Loss of adoption when a ticket is late (setting)", f"{nf.share(inputs['adoption_loss_when_late'])}"),
        (
            f"Active users raising a ticket in {inputs['period_weeks']} active weeks",
            nf.share(inputs["share_of_active_users_raising_a_ticket"]),
        ),
        ("Tickets answered after the target", f"{nf.share(inputs['share_of_tickets_late'])}"),
        ("Staffing assumed", factor.note),
    ]

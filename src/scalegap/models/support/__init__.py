"""The support-model chapter: what support the assistant needs at full rollout, and what late answers cost.

Method (the methodology appendix says the same in prose):

* **Who and when.** Tickets are matched to the roster by ``person_id``; tickets from people not in the
  roster are counted and left out of the rates.  People form two *support groups*: pilot members (the
  roster's pilot flag) and everyone else.  A group's *ticket window* runs from the ISO week (Monday to
  Sunday) of its first active day or first ticket, whichever is earlier, to the week of its last ticket (its
  last active week if it raised none): a pilot's tickets are often logged in a project that closes with the
  pilot, so later use of the assistant by pilot members has no ticket record to set against it.
* **Ticket rate.** Tickets ÷ active user-weeks, where an *active user-week* is a person and an ISO week with
  at least one active day (:func:`scalegap.models.activity.active_days_per_week`), counted inside the
  person's group's window; shown per 100 active users per week.  Tickets raised in the window by people with
  no active week in it are counted and left out.
* **Response times** are elapsed clock hours (nights and weekends included) from ``created_at`` to
  ``first_response_at`` and to ``resolved_at``, per support channel, over every ticket with both times;
  median and 90th percentile (linear interpolation); open tickets have no resolution time (their number is
  stated).  The *reopen rate* is tickets with ``reopen_count > 0`` ÷ tickets with a recorded count; without
  any count it is not measured.
* **Ticket model.** A Poisson regression (statsmodels GLM, log link) of each person's tickets with the log
  of their active user-weeks as offset, over everyone with an active week in their window, on: readiness
  ``(index − 50) ÷ 10`` (the readiness chapter's index, :func:`scalegap.models.readiness.respondents`; people
  without an index get the mean index of their segment's respondents, or the organisation's, and a
  no-response indicator), and one indicator per value of the first segment (department where recorded) that
  at least the minimum group size of people with use belong to.  Segment indicators carry a normal prior
  (standard deviation 1 on the log scale: a ridge penalty, ``GLM.fit_regularized`` with ``L1_wt = 0``), so
  each is pulled towards the average; values with fewer people get the average (they are extrapolated).
  ``exp(readiness coefficient)`` is the rate ratio per 10 points of readiness.
* **Projection.** Production is everyone in the roster.  Each person's predicted rate is
  ``exp(x·β)``; weekly tickets at full rollout are the sum over the roster of each person's predicted rate
  times their chance of being active in an average week (:func:`full_rollout_tickets`).  That chance comes
  from :func:`assumed_weekly_active_share` (an assumption, to be replaced by the adoption chapter's forecast,
  which can pass a per-person array instead): the same share for everyone, the share of the rollout group
  (everyone else with access; the pilot's when there is no such group) active in an average week of the last
  four weeks of its window.  A rollout of a share ``s`` of the organisation is taken to reach every segment
  alike: ``s`` × the full-rollout tickets.
* **Intervals**: percentile bootstrap (``statistics.interval``), ``statistics.replicates`` replicates seeded
  with ``statistics.seed``: people with use redrawn within their support group, the model refitted, the roster
  predicted again.  The weekly active share is held fixed.  The sustainment interval holds the planned staffing
  fixed while the load varies, so it shows what a load above the plan would cost.
* **Staffing.** Tickets arrive in business hours: ``BUSINESS_DAYS_PER_WEEK × BUSINESS_HOURS_PER_DAY`` (5 × 8)
  hours a week, the busiest hour carrying ``PEAK_HOUR_FACTOR`` × the average hour.  Arrivals per peak hour
  = weekly tickets ÷ 40 × 1.3; load = arrivals × ``support.handling_minutes`` ÷ 60.  Erlang C
  (:mod:`scalegap.stats.queueing`) gives the whole agents that must be on duty in the busiest hour for
  ``support.service_level_target`` of tickets to get a first response within ``support.target_response_minutes``,
  and the fractional agents on duty at which the service level meets the target exactly (the continuous
  extension of Erlang C, for part-time staff); the *agents needed* are the latter in full-time equivalents,
  × 40 ÷ ``support.agent_hours_per_week``.  The current desk (``support.current_agents`` FTE) has
  ``current_agents × agent_hours_per_week ÷ 40`` agents on duty on average.  Current capacity *breaks* at the
  smallest rollout share whose service level falls below the target (linear interpolation on a 1 % grid),
  which is where the agents needed pass the current agents.
* **Sustainment.** ``sustainment = 1 − support.adoption_loss_when_late × q × p_late``: ``q`` is the share of
  active users who raise at least one ticket in ``SUSTAINMENT_PERIOD_WEEKS`` (13) active weeks,
  ``mean(1 − e^(−13 × rate))`` over the roster's predicted rates (weighted by the chance of being active);
  ``p_late`` is the chance that a ticket's first
  response comes after the target at the planned staffing: 1 − the service level.  The planned staffing is
  the agents needed at full rollout unless given, so that ``p_late = 1 − support.service_level_target``.

Assumptions: every ticket is support work of the same average handling time; tickets arrive at random
(Poisson) and are answered first come, first served by agents who are interchangeable and never give up; the
busiest hour's rate holds for the whole hour.  Pilot members' rates are taken to depend on their readiness and
segment, not on the direct line to the build team.  The active users of a segment at full rollout are taken
to resemble its whole headcount in readiness (more ready people adopt more, so this leans towards more
tickets).  Readiness is measured with error, which flattens its estimated effect (the projection for the
least ready leans low).  A user with at least one ticket in the period loses ``adoption_loss_when_late`` of
their chance of continuing when a ticket waits beyond the target, and the chance that it does is the share of
late tickets (one ticket counts, whatever the number of tickets).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability, readiness
from scalegap.models.results import figure
from scalegap.models.segments import label
from scalegap.models.support.exposure import (
    PILOT,
    REST,
    pilot_share,
    scope_sentences,
    segments,
    ticket_exposure,
    unavailable_reason,
)
from scalegap.models.support.full_rollout import (
    active_share_sentence,
    assumed_weekly_active_share,
    full_rollout_tickets,
    projection_by_segment,
    rate_comparison,
)
from scalegap.models.support.rates import (
    CHANNELS,
    PER_100,
    RATE,
    rate_table,
    rates_by_group,
    rates_by_segment,
    tickets_by_category,
    tickets_by_channel,
)
from scalegap.models.support.response import (
    first_response_times,
    reopen_rate,
    reopen_sentence,
    resolution_times,
    response_times,
)
from scalegap.models.support.staffing import (
    current_capacity_break,
    fte_text,
    pilot_support_arrangement,
    staffing_assumptions,
    staffing_curve,
    staffing_for,
    staffing_table,
)
from scalegap.models.support.sustainment_model import (
    SUSTAINMENT_PERIOD_WEEKS,
    SustainmentFactor,
    sustainment_comparison,
    sustainment_factor,
    sustainment_rows,
)
from scalegap.models.support.ticket_model import (
    TicketProjection,
    projection_unavailable_reason,
    roster_covariates,
    ticket_projection,
)
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import percentile_interval

READINESS_BANDS = ("0–20", "20–40", "40–60", "60–80", "80–100")

#: what the support chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "PILOT",
    "RATE",
    "READINESS_BANDS",
    "SupportHeadline",
    "SustainmentFactor",
    "active_share_sentence",
    "channel_sentence",
    "current_capacity_break",
    "first_response_times",
    "headline_rows",
    "model_summary",
    "outside_interval",
    "pilot_share",
    "pilot_support_arrangement",
    "projection_by_segment",
    "projection_unavailable_reason",
    "rate_by_readiness_band",
    "rate_comparison",
    "rate_sentence",
    "rates_by_group",
    "rates_by_segment",
    "readiness_sentence",
    "reopen_sentence",
    "resolution_times",
    "response_times",
    "scope_sentences",
    "segments",
    "staffing_assumptions",
    "staffing_curve",
    "staffing_sentence",
    "staffing_table",
    "support_findings",
    "support_headline",
    "sustainment_comparison",
    "sustainment_factor",
    "sustainment_rows",
    "tickets_by_category",
    "tickets_by_channel",
]


# --- readiness and the model, as the chapter shows them -------------------------------------------------------


def rate_by_readiness_band(package: PreparedPackage) -> pd.DataFrame:
    """Observed ticket rate of people with use and a readiness index, per 20-point readiness band."""
    exposure = ticket_exposure(package)
    if exposure is None or readiness.unavailable_reason(package):
        return pd.DataFrame()
    covariates = roster_covariates(package, None)
    people = exposure.people.join(covariates[["readiness", "no_response"]], on="person_id")
    people = people[people["no_response"] == 0]
    bands = pd.cut(
        people["readiness"].clip(0, 100), [0, 20, 40, 60, 80, 100.001], right=False, labels=list(READINESS_BANDS)
    )
    # the respondents' total is shown nowhere, so a small band cannot be worked out from the others
    table = rate_table(
        people.assign(band=bands.astype("object")),
        "band",
        package.settings.privacy.min_group_size,
        list(READINESS_BANDS),
        complement=False,
    )
    return table.rename(columns={"Group": "Readiness band"})


def model_summary(package: PreparedPackage) -> list[tuple[str, str]]:
    """(figure, value) pairs describing the fitted ticket model."""
    level = package.settings.statistics.interval
    projection = ticket_projection(package)
    if projection is None:
        return []
    rows = [
        ("People with use in the fit", f"{projection.fitted_people:,}"),
        ("Tickets in the fit", f"{projection.fitted_tickets:,} over {projection.fitted_weeks:,} active user-weeks"),
    ]
    if projection.readiness_ratio:
        ratio, low, high = projection.readiness_ratio
        rows.append(
            (
                "Rate ratio per 10 points more readiness",
                f"{ratio:.2f} ({interval_label(level)} {low:.2f} to {high:.2f})",
            )
        )
    else:
        rows.append(("Readiness", "not in the model: the survey cannot be scored"))
    if projection.segment:
        own = ", ".join(projection.levels) or "none"
        rows.append((f"{label(projection.segment)} values with their own estimate", own))
    return rows


# --- headline and findings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportHeadline:
    """The support figures results.json carries; None where the data do not allow the figure.

    Rates are tickets per active user per week; agents are full-time equivalents unless "on duty";
    ``capacity_break_share`` is the rollout share (0..1) at which the current desk misses the target (None:
    it holds to full rollout).
    """

    tickets: int | None
    ticket_rate_pilot: float | None
    ticket_rate_everyone_else: float | None
    projected_ticket_rate_outside_pilot: float | None
    projected_ticket_rate_organisation: float | None
    weekly_active_share_assumed: float | None
    tickets_per_week_full_rollout: float | None
    tickets_per_week_full_rollout_low: float | None
    tickets_per_week_full_rollout_high: float | None
    agents_needed_full_rollout: float | None
    agents_needed_full_rollout_low: float | None
    agents_needed_full_rollout_high: float | None
    agents_on_duty_full_rollout: int | None
    current_agents: float
    capacity_break_share: float | None
    capacity_break_headcount: int | None
    sustainment_factor: float | None
    sustainment_factor_low: float | None
    sustainment_factor_high: float | None
    reopen_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def support_headline(package: PreparedPackage) -> SupportHeadline:
    """The chapter's figures for results.json (see :class:`SupportHeadline`)."""
    support = package.settings.support
    tickets = package.table("tickets") if availability.usable(package, "tickets") else None
    reopened = reopen_rate(tickets) if tickets is not None else None
    empty = (None,) * 18
    projection = ticket_projection(package) if not unavailable_reason(package) else None
    if projection is None:
        return SupportHeadline(
            len(tickets) if tickets is not None else None,
            *empty[:12],
            support.current_agents,
            *empty[:5],
            figure(reopened.rate) if reopened else None,
        )
    assumption, exposure = assumed_weekly_active_share(package), ticket_exposure(package)
    # a projection is fitted only on the exposure to tickets, which the assumption is made from
    assert tickets is not None and assumption is not None and exposure is not None
    weekly, replicates = full_rollout_tickets(projection, assumption.share)
    low, high = percentile_interval(replicates, package.settings.statistics.interval)
    need, need_low, need_high = (staffing_for(value, support) for value in (weekly, low, high))
    outside = ~projection.production["in_pilot"].to_numpy(bool)
    broken = current_capacity_break(package)
    factor = sustainment_factor(package)
    interval: tuple[float | None, float | None] = factor.interval or (None, None)
    people = exposure.people["group"].value_counts()
    observed = {
        group: value
        for group, (value, _) in projection.observed.items()
        if people.get(group, 0) >= package.settings.privacy.min_group_size
    }
    return SupportHeadline(
        len(tickets),
        figure(observed.get(PILOT)),
        figure(observed.get(REST)),
        figure(projection.production.loc[outside, "rate"].mean()) if outside.any() else None,
        figure(projection.production["rate"].mean()),
        figure(assumption.share),
        figure(weekly),
        figure(low),
        figure(high),
        figure(need.agents_needed),
        figure(need_low.agents_needed),
        figure(need_high.agents_needed),
        need.agents_on_duty,
        support.current_agents,
        figure(broken),
        None if broken is None else int(round(broken * len(projection.production))),
        factor.value,
        *interval,
        figure(reopened.rate) if reopened else None,
    )


def headline_rows(headline: SupportHeadline, package: PreparedPackage) -> list[tuple[str, str]]:
    """(figure, value) pairs for the chapter's headline table."""
    h, level = headline, package.settings.statistics.interval
    if h.tickets_per_week_full_rollout is None:
        count = f"{h.tickets:,}" if h.tickets is not None else availability.not_assessed_reason(package, "tickets")
        return [
            ("Tickets in the export", count or "none"),
            ("Projection", projection_unavailable_reason(package) or "not available"),
        ]
    target = package.settings.support.service_level_target
    breaks = (
        "holds to full rollout"
        if h.capacity_break_share is None
        else f"misses the target from a rollout of {nf.share(h.capacity_break_share)} of the organisation "
        f"(about {h.capacity_break_headcount:,} people with access)"
    )
    return [
        ("Tickets per 100 active users per week, pilot members", _per_100(h.ticket_rate_pilot)),
        (
            "Tickets per 100 active users per week, projected outside the pilot",
            _per_100(h.projected_ticket_rate_outside_pilot) + outside_interval(package),
        ),
        (
            "Tickets per week at full rollout",
            f"{h.tickets_per_week_full_rollout:.0f} ({interval_label(level)} "
            f"{h.tickets_per_week_full_rollout_low:.0f} to "
            f"{h.tickets_per_week_full_rollout_high:.0f})",
        ),
        (
            f"Agents needed at full rollout ({nf.share(target)} answered within target)",
            nf.with_interval(
                h.agents_needed_full_rollout,
                h.agents_needed_full_rollout_low,
                h.agents_needed_full_rollout_high,
                "number",
                level,
            )
            + " full-time equivalents; in whole people, "
            f"{h.agents_on_duty_full_rollout} agent(s) on duty in the busiest hour",
        ),
        (f"Current desk ({fte_text(h.current_agents)})", breaks),
        (
            "Sustainment factor",
            "not estimated"
            if h.sustainment_factor is None
            else nf.with_interval(
                h.sustainment_factor, h.sustainment_factor_low, h.sustainment_factor_high, "factor", level
            ),
        ),
        ("Reopen rate", "not measured" if h.reopen_rate is None else nf.share(h.reopen_rate)),
    ]


def outside_interval(package: PreparedPackage) -> str:
    level = package.settings.statistics.interval
    table = rate_comparison(package)
    row = table[table["Rate"] == "Everyone outside the pilot, projected"] if not table.empty else table
    if row.empty or pd.isna(row.iloc[0]["Interval low"]):
        return ""
    return f" ({interval_label(level)} {row.iloc[0]['Interval low']:.1f} to {row.iloc[0]['Interval high']:.1f})"


def _per_100(rate: float | None) -> str:
    return "not shown" if rate is None else f"{PER_100 * rate:.1f}"


def rate_sentence(package: PreparedPackage) -> str | None:
    level = package.settings.statistics.interval
    table = rate_comparison(package)
    if table.empty:
        return None
    rates = table.set_index("Rate")
    shown = {name: row for name, row in rates.iterrows() if pd.notna(row[RATE])}
    pilot, outside = shown.get(f"{PILOT}, observed"), shown.get("Everyone outside the pilot, projected")
    if pilot is None or outside is None:
        return None
    direction = "more" if outside[RATE] > pilot[RATE] else "fewer"
    clear = outside["Interval low"] > pilot[RATE] or outside["Interval high"] < pilot[RATE]
    return (
        f"Pilot members raised {pilot[RATE]:.1f} tickets per 100 active users per week; the model projects "
        f"{outside[RATE]:.1f} ({interval_label(level)} {outside['Interval low']:.1f} to "
        f"{outside['Interval high']:.1f}) for "
        f"everyone outside the pilot: {direction} tickets per user than the pilot showed"
        + ("." if clear else ", though the interval includes the pilot's rate.")
    )


def readiness_sentence(projection: TicketProjection, level: float) -> str | None:
    if not projection.readiness_ratio:
        return None
    ratio, low, high = projection.readiness_ratio
    if high < 1:
        return (
            f"Less ready people raise more tickets: each 10 points less on the readiness index goes with "
            f"{nf.share(1 / ratio - 1)} more tickets per active week ({interval_label(level)} "
            f"{nf.share(1 / high - 1)} to "
            f"{nf.share(1 / low - 1)})."
        )
    if low > 1:
        return (
            f"More ready people raise more tickets: each 10 points more readiness goes with {nf.share(ratio - 1)} "
            f"more tickets per active week ({interval_label(level)} {nf.share(low - 1)} to {nf.share(high - 1)})."
        )
    return (
        f"The data show no clear link between readiness and tickets (rate ratio per 10 points {ratio:.2f}, "
        f"{interval_label(level)} {low:.2f} to {high:.2f})."
    )


def channel_sentence(package: PreparedPackage) -> str | None:
    times = response_times(package).set_index("Support channel") if not response_times(package).empty else None
    build, desk = CHANNELS["build_team"], CHANNELS["service_desk"]
    if times is None or build not in times.index or desk not in times.index:
        return None
    b, d = times.loc[build], times.loc[desk]
    if pd.isna(b["Tickets"]) or pd.isna(d["Tickets"]):
        return None
    return (
        f"The build team gave a first response in a median of {b['Median hours to first response']:.1f} hours "
        f"({nf.share(b['First response within target'])} within the target); the service desk took "
        f"{d['Median hours to first response']:.1f} hours ({nf.share(d['First response within target'])} within it). "
        "Production support goes through the service desk."
    )


def staffing_sentence(headline: SupportHeadline, level: float) -> str:
    h = headline
    need = (
        f"At full rollout the model projects {h.tickets_per_week_full_rollout:.0f} tickets a week "
        f"({interval_label(level)} "
        f"{h.tickets_per_week_full_rollout_low:.0f} to {h.tickets_per_week_full_rollout_high:.0f}). Meeting the "
        f"response target then needs {h.agents_needed_full_rollout:.1f} full-time-equivalent agents "
        f"({interval_label(level)} "
        f"{h.agents_needed_full_rollout_low:.1f} to {h.agents_needed_full_rollout_high:.1f}); in whole people, "
        f"{h.agents_on_duty_full_rollout} agent(s) on duty in the busiest hour."
    )
    desk = f"The current desk ({fte_text(h.current_agents)})"
    if h.capacity_break_share is None:
        return need + f" {desk} would meet the target all the way to full rollout."
    return need + (
        f" {desk} misses the target from a rollout of about {nf.share(h.capacity_break_share)} of the "
        f"organisation ({h.capacity_break_headcount:,} people with access)."
    )


def support_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = projection_unavailable_reason(package)
    if reason:
        return [reason] + [
            s
            for s in (channel_sentence(package), reopen_sentence(package))
            if s and availability.usable(package, "tickets")
        ]
    projection, headline = ticket_projection(package), support_headline(package)
    factor, level = sustainment_factor(package), package.settings.statistics.interval
    assumption = assumed_weekly_active_share(package)
    # projection_unavailable_reason gave no reason: the projection, its assumption and the factor are there
    assert projection is not None and assumption is not None and factor.interval is not None
    sentences = (rate_sentence(package), readiness_sentence(projection, level), channel_sentence(package))
    findings = [s for s in sentences if s]
    findings.append(staffing_sentence(headline, level))
    findings.append(f"{assumption.describe()}")
    findings.append(
        "Sustainment factor for the conversion rate: "
        f"{nf.with_interval(factor.value, *factor.interval, 'factor', level)}: "
        f"{nf.share(factor.inputs['share_of_active_users_raising_a_ticket'])} of active users raise a ticket "
        f"in {SUSTAINMENT_PERIOD_WEEKS} active weeks and {nf.share(factor.inputs['share_of_tickets_late'])} of "
        "tickets are answered late at the planned staffing; a late answer is assumed to cost "
        f"{nf.share(factor.inputs['adoption_loss_when_late'])} of the chance that the user keeps using it."
    )
    findings.append(reopen_sentence(package))
    return findings

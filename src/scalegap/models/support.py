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
* **Intervals**: 95 % percentile bootstrap, ``REPLICATES`` replicates seeded with ``adoption.seed``: people
  with use redrawn within their support group, the model refitted, the roster predicted again.  The weekly
  active share is held fixed.  The sustainment interval holds the planned staffing fixed while the load
  varies, so it shows what a load above the plan would cost.
* **Staffing.** Tickets arrive in business hours: ``BUSINESS_DAYS_PER_WEEK × BUSINESS_HOURS_PER_DAY`` (5 × 8)
  hours a week, the busiest hour carrying ``PEAK_HOUR_FACTOR`` × the average hour.  Arrivals per peak hour
  = weekly tickets ÷ 40 × 1.3; load = arrivals × ``support.handling_minutes`` ÷ 60.  Erlang C
  (:mod:`scalegap.models.queueing`) gives the whole agents that must be on duty in the busiest hour for
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

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scalegap.models import activity, availability, queueing, readiness
from scalegap.models.estimation import percentile_interval, ridge_glm
from scalegap.models.results import figure
from scalegap.models.segments import available_segments, label
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, Redactor, hide_complement, suppress_small_counts, suppress_small_groups
from scalegap.settings import SupportSettings

PILOT, REST = "Pilot members", "Everyone else"
ALL_PEOPLE = "Everyone with use"
CHANNELS = {"build_team": "Build team (direct)", "service_desk": "Service desk", "other": "Other"}
NOT_RECORDED = "(not recorded)"
BUSINESS_DAYS_PER_WEEK = 5
BUSINESS_HOURS_PER_DAY = 8
BUSINESS_HOURS_PER_WEEK = BUSINESS_DAYS_PER_WEEK * BUSINESS_HOURS_PER_DAY
PEAK_HOUR_FACTOR = 1.3
STEADY_WEEKS = 4
SUSTAINMENT_PERIOD_WEEKS = 13
REPLICATES = 200
PRIOR_SD = 1.0
MIN_MODEL_PEOPLE = 10
PER_100 = 100.0
READINESS_CENTRE, READINESS_STEP = 50.0, 10.0
READINESS_BANDS = ("0–20", "20–40", "40–60", "60–80", "80–100")
CURVE_GRID = tuple(round(0.01 * step, 2) for step in range(1, 101))
RATE = "Tickets per 100 active users per week"
PROJECTED_RATE = "Tickets per 100 users a week"


def _key(package: PreparedPackage) -> tuple[str, str]:
    return str(package.path.resolve()), str(package.manifest.get("generated_at", ""))


# --- what the data allow ----------------------------------------------------------------------------------------


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why this chapter cannot measure ticket rates for this client, or None when it can."""
    tickets = availability.table_status(package, "tickets")
    if not tickets.available:
        return (
            f"The support load is not assessed: {tickets.reason}, so it cannot be measured or projected. To "
            f"assess it, {tickets.how_to_supply}."
        )
    usage = availability.table_status(package, "usage")
    if not usage.available:
        return (
            f"The ticket rate per active user is not assessed: {usage.reason}, so tickets cannot be set against "
            "active users and the support load cannot be projected; the response times below are still "
            "measured."
        )
    return None


def segments(package: PreparedPackage) -> list[str]:
    """The roster's segment columns with values (the first is the one the ticket model uses); none when there
    are no ticket rates to show."""
    return [] if unavailable_reason(package) else available_segments(package.table("roster"))


def pilot_share(package: PreparedPackage) -> float | None:
    """Pilot members ÷ headcount (None without pilot members)."""
    roster = package.table("roster")
    pilot = int(support_groups(roster).eq(PILOT).sum())
    return pilot / len(roster) if pilot and len(roster) else None


# --- exposure: active user-weeks and tickets per person -------------------------------------------------------


def week_of(stamps: pd.Series) -> pd.Series:
    """The Monday of each timestamp's ISO week."""
    days = pd.to_datetime(stamps).dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def support_groups(roster: pd.DataFrame) -> pd.Series:
    """Per person (indexed by ``person_id``): ``Pilot members`` or ``Everyone else``."""
    pilot = roster.set_index("person_id")["in_pilot"].astype("boolean").fillna(False).astype(bool)
    return pilot.map({True: PILOT, False: REST})


def ticket_windows(weeks: pd.DataFrame, tickets: pd.DataFrame) -> pd.DataFrame:
    """Per support group: ``start`` (first active or ticket week) and ``end`` (last ticket week, else last active
    week). ``weeks`` and ``tickets`` carry ``group`` and ``week``."""
    starts = pd.concat([weeks.groupby("group")["week"].min(), tickets.groupby("group")["week"].min()], axis=1)
    windows = pd.DataFrame({"start": starts.min(axis=1)})
    last_ticket = tickets.groupby("group")["week"].max().reindex(windows.index)
    windows["end"] = last_ticket.fillna(weeks.groupby("group")["week"].max().reindex(windows.index))
    return windows


def in_window(frame: pd.DataFrame, windows: pd.DataFrame) -> pd.Series:
    """Whether each row's ``week`` lies inside its ``group``'s window."""
    start = frame["group"].map(windows["start"])
    end = frame["group"].map(windows["end"])
    return (frame["week"] >= start) & (frame["week"] <= end)


@dataclass(frozen=True)
class TicketExposure:
    """Per person with use: active user-weeks and tickets in their group's window; and what was left out."""

    people: pd.DataFrame  # person_id, group, in_pilot, segments, active_weeks, tickets
    tickets: pd.DataFrame  # the tickets counted in the rates (with group and week)
    windows: pd.DataFrame  # per group: start, end (Mondays)
    all_tickets: int
    not_in_roster: int
    without_use: int


def person_exposure(roster: pd.DataFrame, weeks: pd.DataFrame, tickets: pd.DataFrame) -> TicketExposure:
    """Active user-weeks and tickets per person inside the support groups' windows.

    ``weeks``: one row per person and active ISO week (``person_id``, ``week_start``).
    """
    groups = support_groups(roster)
    weeks = weeks[weeks["person_id"].isin(groups.index)].assign(week=lambda f: pd.to_datetime(f["week_start"]))
    weeks = weeks.assign(group=weeks["person_id"].map(groups))
    rostered = tickets[tickets["person_id"].isin(groups.index)]
    rostered = rostered.assign(group=rostered["person_id"].map(groups), week=week_of(rostered["created_at"]))
    windows = ticket_windows(weeks, rostered)
    weeks = weeks[in_window(weeks, windows)]  # every rostered ticket lies inside its group's window
    exposure = weeks.groupby("person_id").size()
    used = rostered[rostered["person_id"].isin(exposure.index)]
    segment_columns = available_segments(roster)
    people = roster[["person_id", *segment_columns]].copy()
    people["group"] = people["person_id"].map(groups)
    people["in_pilot"] = people["group"].eq(PILOT)
    people["active_weeks"] = people["person_id"].map(exposure).fillna(0).astype(int)
    people["tickets"] = people["person_id"].map(used.groupby("person_id").size()).fillna(0).astype(int)
    for column in segment_columns:
        people[column] = people[column].astype("object").where(people[column].notna(), NOT_RECORDED)
    return TicketExposure(
        people[people["active_weeks"] > 0].reset_index(drop=True),
        used,
        windows,
        len(tickets),
        len(tickets) - len(rostered),
        len(rostered) - len(used),
    )


def ticket_exposure(package: PreparedPackage) -> TicketExposure | None:
    """:func:`person_exposure` of the package (None when the chapter has no ticket or usage data)."""
    return None if unavailable_reason(package) else _exposure(*_key(package))


@lru_cache(maxsize=8)
def _exposure(path: str, _stamp: str) -> TicketExposure:
    package = PreparedPackage(path)
    weeks = activity.active_days_per_week(package)[["person_id", "week_start"]]
    return person_exposure(package.table("roster"), weeks, package.table("tickets"))


def scope_sentences(package: PreparedPackage) -> list[str]:
    """What the ticket figures cover: tickets counted and left out, groups and their windows."""
    reason = unavailable_reason(package)
    if reason:
        return [reason]
    exposure = ticket_exposure(package)
    raisers = exposure.tickets["person_id"].nunique()
    sentences = [
        f"The export holds {exposure.all_tickets:,} tickets; {len(exposure.tickets):,} of them, raised by "
        f"{raisers:,} people, count in the ticket rates. Those rates set them against "
        f"{len(exposure.people):,} people with recorded use and their "
        f"{int(exposure.people['active_weeks'].sum()):,} active user-weeks."
    ]
    left_out = [
        (exposure.not_in_roster, "were raised by people not in the roster"),
        (exposure.without_use, "came from people with no active week in their group's window"),
    ]
    sentences += [f"{count:,} ticket(s) {why}; they are left out of the rates." for count, why in left_out if count]
    for group, window in exposure.windows.sort_values("start").iterrows():
        sentences.append(
            f"{group}: ticket window from the week of {window['start']:%d %b %Y} to the week of "
            f"{window['end']:%d %b %Y}."
        )
    return sentences


# --- ticket rates --------------------------------------------------------------------------------------------


def ticket_rate(tickets: float, active_weeks: float) -> float:
    """Tickets per active user per week."""
    return tickets / active_weeks if active_weeks else float("nan")


def hide_complements(table: pd.DataFrame, sizes: pd.Series, minimum: int) -> pd.DataFrame:
    """Secondary suppression for groups that add up to a shown total (``sizes``: the groups' sizes before
    suppression): :func:`scalegap.privacy.hide_complement` of the suppressed groups, over every figure."""
    numeric = [c for c in table.columns if c != SUPPRESSED and pd.api.types.is_numeric_dtype(table[c])]
    return hide_complement(table, sizes, table[SUPPRESSED].astype(bool), numeric, minimum)


def suppress_partition(table: pd.DataFrame, size_column: str, minimum: int, complement: bool = True) -> pd.DataFrame:
    """:func:`scalegap.privacy.suppress_small_groups`, then (``complement``) :func:`hide_complements`."""
    suppressed = suppress_small_groups(table, size_column, minimum)
    return hide_complements(suppressed, table[size_column], minimum) if complement else suppressed


def rate_table(
    people: pd.DataFrame, by: str, minimum: int, order: list[str] | None = None, complement: bool = True
) -> pd.DataFrame:
    """Per value of ``by``: active users, active user-weeks, tickets and tickets per 100 active users per week;
    groups of fewer than ``minimum`` active users suppressed (and, with ``complement``, a small complement with
    them: for groups whose total is shown elsewhere)."""
    grouped = people.groupby(by, sort=True).agg(
        **{
            "Active users": ("person_id", "size"),
            "Active user-weeks": ("active_weeks", "sum"),
            "Tickets": ("tickets", "sum"),
        }
    )
    if order is not None:
        grouped = grouped.reindex([value for value in order if value in grouped.index])
    grouped[RATE] = PER_100 * grouped["Tickets"] / grouped["Active user-weeks"]
    return suppress_partition(grouped.reset_index().rename(columns={by: "Group"}), "Active users", minimum, complement)


def rates_by_group(package: PreparedPackage) -> pd.DataFrame:
    """Ticket rate of pilot members, everyone else and everyone with use."""
    exposure = ticket_exposure(package)
    if exposure is None:
        return pd.DataFrame()
    minimum = package.settings.privacy.min_group_size
    groups = rate_table(exposure.people, "group", minimum, [PILOT, REST])
    total = rate_table(exposure.people.assign(group=ALL_PEOPLE), "group", minimum)
    return pd.concat([groups, total], ignore_index=True).rename(columns={"Group": "Support group"})


def rates_by_segment(package: PreparedPackage, segment: str) -> pd.DataFrame:
    """Ticket rate per value of one segment (people with use, in their group's window)."""
    exposure = ticket_exposure(package)
    if exposure is None:
        return pd.DataFrame()
    people = exposure.people
    order = readiness.segment_order(people[segment], segment)
    table = rate_table(people, segment, package.settings.privacy.min_group_size, order)
    return table.rename(columns={"Group": label(segment)})


def category_table(tickets: pd.DataFrame, active_weeks: float, minimum: int) -> pd.DataFrame:
    """Per ticket category: tickets, the people who raised them, share of tickets and tickets per 100 active
    users per week (over all ``active_weeks``); categories raised by fewer than ``minimum`` people suppressed."""
    category = tickets["category"].astype("object").where(tickets["category"].notna(), NOT_RECORDED)
    grouped = (
        tickets.assign(category=category)
        .groupby("category")
        .agg(Tickets=("ticket_id", "size"), **{"People who raised them": ("person_id", "nunique")})
    )
    grouped["Share of tickets"] = grouped["Tickets"] / grouped["Tickets"].sum()
    grouped[RATE] = PER_100 * grouped["Tickets"] / active_weeks
    grouped = grouped.sort_values("Tickets", ascending=False, kind="stable").reset_index()
    return suppress_partition(grouped.rename(columns={"category": "Category"}), "People who raised them", minimum)


def tickets_by_category(package: PreparedPackage) -> pd.DataFrame:
    """:func:`category_table` of the package's tickets; the category labels (ticket text) redacted."""
    exposure = ticket_exposure(package)
    if exposure is None:
        return pd.DataFrame()
    table = category_table(
        exposure.tickets, exposure.people["active_weeks"].sum(), package.settings.privacy.min_group_size
    )
    return table.assign(Category=table["Category"].map(Redactor.of(package).redact))


def channel_label(channel: pd.Series) -> pd.Series:
    return channel.map(CHANNELS).fillna(channel.astype("object")).fillna(NOT_RECORDED)


def channel_volume_table(tickets: pd.DataFrame, active_weeks: float, minimum: int) -> pd.DataFrame:
    """Per support channel: tickets, people, share of tickets, tickets per 100 active users per week."""
    grouped = (
        tickets.assign(channel=channel_label(tickets["channel"]))
        .groupby("channel")
        .agg(Tickets=("ticket_id", "size"), **{"People who raised them": ("person_id", "nunique")})
    )
    grouped["Share of tickets"] = grouped["Tickets"] / grouped["Tickets"].sum()
    grouped[RATE] = PER_100 * grouped["Tickets"] / active_weeks
    table = grouped.reset_index().rename(columns={"channel": "Support channel"})
    return suppress_partition(table, "People who raised them", minimum)


def tickets_by_channel(package: PreparedPackage) -> pd.DataFrame:
    exposure = ticket_exposure(package)
    if exposure is None:
        return pd.DataFrame()
    return channel_volume_table(
        exposure.tickets, exposure.people["active_weeks"].sum(), package.settings.privacy.min_group_size
    )


# --- response times -------------------------------------------------------------------------------------------


def elapsed_hours(start: pd.Series, end: pd.Series) -> pd.Series:
    """Clock hours from ``start`` to ``end`` (missing when either is, or when ``end`` comes first)."""
    hours = (pd.to_datetime(end) - pd.to_datetime(start)).dt.total_seconds() / 3600.0
    return hours.where(hours >= 0)


def time_summary(hours: pd.Series) -> dict[str, float]:
    """Number of tickets with a time, median and 90th percentile (linear interpolation)."""
    known = hours.dropna()
    if known.empty:
        return {"n": 0, "median": float("nan"), "p90": float("nan")}
    return {"n": len(known), "median": float(known.median()), "p90": float(known.quantile(0.9))}


def response_time_table(tickets: pd.DataFrame, target_minutes: float, minimum: int) -> pd.DataFrame:
    """Per support channel: tickets, first response (n, median, 90th percentile hours, share within the
    target) and resolution (n, median, 90th percentile hours); channels of fewer than ``minimum`` people
    suppressed."""
    frame = tickets.assign(
        channel=channel_label(tickets["channel"]),
        first=elapsed_hours(tickets["created_at"], tickets["first_response_at"]),
        resolve=elapsed_hours(tickets["created_at"], tickets["resolved_at"]),
    )
    rows = []
    for channel, group in frame.groupby("channel", sort=True):
        first, resolve = time_summary(group["first"]), time_summary(group["resolve"])
        within = (group["first"].dropna() <= target_minutes / 60.0).mean() if first["n"] else float("nan")
        rows.append(
            {
                "Support channel": channel,
                "Tickets": len(group),
                "People": group["person_id"].nunique(),
                "With a first response": first["n"],
                "Median hours to first response": first["median"],
                "90th percentile (first response)": first["p90"],
                "First response within target": within,
                "Resolved": resolve["n"],
                "Median hours to resolution": resolve["median"],
                "90th percentile (resolution)": resolve["p90"],
            }
        )
    return suppress_partition(pd.DataFrame(rows), "People", minimum).drop(columns=["People"])


FIRST_RESPONSE_COLUMNS = [
    "Support channel",
    "Tickets",
    "With a first response",
    "Median hours to first response",
    "90th percentile (first response)",
    "First response within target",
    SUPPRESSED,
]
RESOLUTION_COLUMNS = [
    "Support channel",
    "Tickets",
    "Resolved",
    "Median hours to resolution",
    "90th percentile (resolution)",
    SUPPRESSED,
]


def response_times(package: PreparedPackage) -> pd.DataFrame:
    """:func:`response_time_table` over every ticket in the export."""
    if not availability.usable(package, "tickets"):
        return pd.DataFrame()
    return response_time_table(
        package.table("tickets"),
        package.settings.support.target_response_minutes,
        package.settings.privacy.min_group_size,
    )


def first_response_times(package: PreparedPackage) -> pd.DataFrame:
    """The first-response columns of :func:`response_times`."""
    times = response_times(package)
    return times[FIRST_RESPONSE_COLUMNS] if not times.empty else times


def resolution_times(package: PreparedPackage) -> pd.DataFrame:
    """The resolution columns of :func:`response_times`, with the number of open tickets."""
    times = response_times(package)
    if times.empty:
        return times
    return times[RESOLUTION_COLUMNS].assign(**{"Open": times["Tickets"] - times["Resolved"]})[
        ["Support channel", "Tickets", "Resolved", "Open", *RESOLUTION_COLUMNS[3:]]
    ]


@dataclass(frozen=True)
class ReopenRate:
    """Tickets with a recorded reopen count, and how many of them were reopened at least once."""

    measured: int
    reopened: int

    @property
    def rate(self) -> float:
        return self.reopened / self.measured if self.measured else float("nan")


def reopen_rate(tickets: pd.DataFrame) -> ReopenRate | None:
    """Tickets with ``reopen_count > 0`` ÷ tickets with a count; None when no ticket has a count."""
    counts = pd.to_numeric(tickets.get("reopen_count", pd.Series(dtype=float)), errors="coerce").dropna()
    if counts.empty:
        return None
    return ReopenRate(len(counts), int((counts > 0).sum()))


def reopen_sentence(package: PreparedPackage) -> str:
    missing = availability.reason_for(package, "tickets", subject="The reopen rate")
    if missing:
        return missing
    reopened = reopen_rate(package.table("tickets"))
    if reopened is None:
        return (
            "The ticket export records no reopen count, so the reopen rate (how often a ticket closed as "
            "solved had to be opened again) is not measured."
        )
    return (
        f"{reopened.reopened:,} of {reopened.measured:,} tickets with a recorded reopen count were reopened at "
        f"least once: a reopen rate of {reopened.rate:.1%}."
    )


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
    :func:`scalegap.models.estimation.ridge_glm`)."""
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


def observed_rates(fit: pd.DataFrame, rows: np.ndarray) -> dict[str, float]:
    chosen = fit.iloc[rows]
    return {
        group: ticket_rate(part["tickets"].sum(), part["active_weeks"].sum()) for group, part in chosen.groupby("group")
    }


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
    rng, groups = np.random.default_rng(package.settings.adoption.seed), fit["group"].to_numpy()
    draws, observed = [], []
    for _ in range(REPLICATES):
        rows = stratified_resample(rng, groups)
        draws.append(fit_ticket_rates(y[rows], weeks[rows], X_fit[rows], len(levels)))
        observed.append(observed_rates(fit, rows))
    draws_array = np.array(draws)
    uses_readiness = X_fit.shape[1] > len(levels) + 1
    ratio = None
    if uses_readiness:
        slope = len(levels) + 1
        ratio = (math.exp(params[slope]), *percentile_interval(np.exp(draws_array[:, slope])))
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
        return (
            f"Assumption: at full rollout, {self.share:.1%} of every segment's headcount uses the assistant in "
            f"an average week: the share of the {self.people_with_access:,} people with access in the group "
            f"'{self.source}' who were active in an average week of the last {weeks} of its ticket window. It "
            "stands in for the adoption forecast and will be replaced by it."
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
    return reason if reason else assumed_weekly_active_share(package).describe()


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
    with_use = ticket_exposure(package).people["person_id"]
    rows = []
    for value in readiness.segment_order(production["segment"], projection.segment or "segment"):
        part = production["segment"].eq(value).to_numpy()
        rates, weights = production.loc[part, "rate"].to_numpy(), activity_weights(projection, assumption.share)[part]
        low, high = percentile_interval(projection.replicate_rates[:, part] @ weights)
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
    minimum = package.settings.privacy.min_group_size
    people = ticket_exposure(package).people["group"].value_counts()
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
                "Interval low": PER_100 * percentile_interval(draws)[0],
                "Interval high": PER_100 * percentile_interval(draws)[1],
            }
            for name, value, draws, size in rows
        ]
    )
    return suppress_small_groups(table, "People", minimum)


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
    full_tickets: float, replicates: np.ndarray, headcount: int, support: SupportSettings, shares: tuple[float, ...]
) -> pd.DataFrame:
    """Per rollout share: people with access, weekly tickets (interval), load, whole agents in the busiest hour,
    full-time equivalents needed (interval) and the current desk's service level."""
    low, high = percentile_interval(replicates)
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
    point, replicates = full_rollout_tickets(projection, assumption.share)
    return curve_table(point, replicates, len(projection.production), package.settings.support, shares)


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
            f"{support.service_level_target:.0%} of tickets",
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
                f"{row['First response within target']:.0%} (target: "
                f"{package.settings.support.target_response_minutes:g} minutes)",
            ),
        ]
    return rows


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
    defaults to the agents needed to meet the target; 95 % bootstrap interval."""
    reason = projection_unavailable_reason(package)
    if reason:
        return SustainmentFactor(None, None, {}, reason)
    support, projection = package.settings.support, ticket_projection(package)
    weights = activity_weights(projection, assumed_weekly_active_share(package).share)
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
    low, high = percentile_interval(np.array(draws))
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
        table[column] = table[column].map(lambda value: f"{value:.3f}")
    return table


def sustainment_rows(factor: SustainmentFactor) -> list[tuple[str, str]]:
    """(figure, value) pairs of a sustainment factor and its inputs, as the chapter shows them."""
    if factor.value is None:
        return [("Sustainment factor", availability.figure_reason(factor.note or "not estimated"))]
    inputs = factor.inputs
    return [
        (
            "Sustainment factor",
            f"{factor.value:.3f} (95% interval {factor.interval[0]:.3f} to {factor.interval[1]:.3f})",
        ),
        ("Loss of adoption when a ticket is late (setting)", f"{inputs['adoption_loss_when_late']:.0%}"),
        (
            f"Active users raising a ticket in {inputs['period_weeks']} active weeks",
            f"{inputs['share_of_active_users_raising_a_ticket']:.1%}",
        ),
        ("Tickets answered after the target", f"{inputs['share_of_tickets_late']:.1%}"),
        ("Staffing assumed", factor.note),
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
    projection = ticket_projection(package)
    if projection is None:
        return []
    rows = [
        ("People with use in the fit", f"{projection.fitted_people:,}"),
        ("Tickets in the fit", f"{projection.fitted_tickets:,} over {projection.fitted_weeks:,} active user-weeks"),
    ]
    if projection.readiness_ratio:
        ratio, low, high = projection.readiness_ratio
        rows.append(("Rate ratio per 10 points more readiness", f"{ratio:.2f} (95% interval {low:.2f} to {high:.2f})"))
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
    empty = [None] * 18
    projection = ticket_projection(package) if not unavailable_reason(package) else None
    if projection is None:
        return SupportHeadline(
            len(tickets) if tickets is not None else None,
            *empty[:12],
            support.current_agents,
            *empty[:5],
            figure(reopened.rate) if reopened else None,
        )
    assumption = assumed_weekly_active_share(package)
    weekly, replicates = full_rollout_tickets(projection, assumption.share)
    low, high = percentile_interval(replicates)
    need, need_low, need_high = (staffing_for(value, support) for value in (weekly, low, high))
    outside = ~projection.production["in_pilot"].to_numpy(bool)
    broken = current_capacity_break(package)
    factor = sustainment_factor(package)
    people = ticket_exposure(package).people["group"].value_counts()
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
        *(factor.interval or (None, None)),
        figure(reopened.rate) if reopened else None,
    )


def headline_rows(headline: SupportHeadline, package: PreparedPackage) -> list[tuple[str, str]]:
    """(figure, value) pairs for the chapter's headline table."""
    h = headline
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
        else f"misses the target from a rollout of {h.capacity_break_share:.0%} of the organisation "
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
            f"{h.tickets_per_week_full_rollout:.0f} (95% interval "
            f"{h.tickets_per_week_full_rollout_low:.0f} to "
            f"{h.tickets_per_week_full_rollout_high:.0f})",
        ),
        (
            f"Agents needed at full rollout ({target:.0%} answered within target)",
            f"{h.agents_needed_full_rollout:.1f} full-time equivalents (95% interval "
            f"{h.agents_needed_full_rollout_low:.1f} to {h.agents_needed_full_rollout_high:.1f}); in whole people, "
            f"{h.agents_on_duty_full_rollout} agent(s) on duty in the busiest hour",
        ),
        (f"Current desk ({fte_text(h.current_agents)})", breaks),
        (
            "Sustainment factor",
            "not estimated"
            if h.sustainment_factor is None
            else f"{h.sustainment_factor:.3f} (95% interval {h.sustainment_factor_low:.3f} to "
            f"{h.sustainment_factor_high:.3f})",
        ),
        ("Reopen rate", "not measured" if h.reopen_rate is None else f"{h.reopen_rate:.1%}"),
    ]


def outside_interval(package: PreparedPackage) -> str:
    table = rate_comparison(package)
    row = table[table["Rate"] == "Everyone outside the pilot, projected"] if not table.empty else table
    if row.empty or pd.isna(row.iloc[0]["Interval low"]):
        return ""
    return f" (95% interval {row.iloc[0]['Interval low']:.1f} to {row.iloc[0]['Interval high']:.1f})"


def _per_100(rate: float | None) -> str:
    return "not shown" if rate is None else f"{PER_100 * rate:.1f}"


def rate_sentence(package: PreparedPackage) -> str | None:
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
        f"{outside[RATE]:.1f} (95% interval {outside['Interval low']:.1f}–{outside['Interval high']:.1f}) for "
        f"everyone outside the pilot: {direction} tickets per user than the pilot showed"
        + ("." if clear else ", though the interval includes the pilot's rate.")
    )


def readiness_sentence(projection: TicketProjection) -> str | None:
    if not projection.readiness_ratio:
        return None
    ratio, low, high = projection.readiness_ratio
    if high < 1:
        return (
            f"Less ready people raise more tickets: each 10 points less on the readiness index goes with "
            f"{1 / ratio - 1:.0%} more tickets per active week (95% interval {1 / high - 1:.0%} to "
            f"{1 / low - 1:.0%})."
        )
    if low > 1:
        return (
            f"More ready people raise more tickets: each 10 points more readiness goes with {ratio - 1:.0%} "
            f"more tickets per active week (95% interval {low - 1:.0%} to {high - 1:.0%})."
        )
    return (
        f"The data show no clear link between readiness and tickets (rate ratio per 10 points {ratio:.2f}, "
        f"95% interval {low:.2f}–{high:.2f})."
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
        f"({b['First response within target']:.0%} within the target); the service desk took "
        f"{d['Median hours to first response']:.1f} hours ({d['First response within target']:.0%} within it). "
        "Production support goes through the service desk."
    )


def staffing_sentence(headline: SupportHeadline) -> str:
    h = headline
    need = (
        f"At full rollout the model projects {h.tickets_per_week_full_rollout:.0f} tickets a week (95% interval "
        f"{h.tickets_per_week_full_rollout_low:.0f}–{h.tickets_per_week_full_rollout_high:.0f}). Meeting the "
        f"response target then needs {h.agents_needed_full_rollout:.1f} full-time-equivalent agents (95% interval "
        f"{h.agents_needed_full_rollout_low:.1f}–{h.agents_needed_full_rollout_high:.1f}); in whole people, "
        f"{h.agents_on_duty_full_rollout} agent(s) on duty in the busiest hour."
    )
    desk = f"The current desk ({fte_text(h.current_agents)})"
    if h.capacity_break_share is None:
        return need + f" {desk} would meet the target all the way to full rollout."
    return need + (
        f" {desk} misses the target from a rollout of about {h.capacity_break_share:.0%} of the "
        f"organisation ({h.capacity_break_headcount:,} people with access)."
    )


def fte_text(value: float) -> str:
    return f"{value:g} full-time equivalent" + ("" if value == 1 else "s")


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
    factor = sustainment_factor(package)
    findings = [s for s in (rate_sentence(package), readiness_sentence(projection), channel_sentence(package)) if s]
    findings.append(staffing_sentence(headline))
    findings.append(f"{assumed_weekly_active_share(package).describe()}")
    findings.append(
        f"Sustainment factor for the conversion rate: {factor.value:.3f} (95% interval "
        f"{factor.interval[0]:.3f}–{factor.interval[1]:.3f}): "
        f"{factor.inputs['share_of_active_users_raising_a_ticket']:.0%} of active users raise a ticket "
        f"in {SUSTAINMENT_PERIOD_WEEKS} active weeks and {factor.inputs['share_of_tickets_late']:.0%} of "
        "tickets are answered late at the planned staffing; a late answer is assumed to cost "
        f"{factor.inputs['adoption_loss_when_late']:.0%} of the chance that the user keeps using it."
    )
    findings.append(reopen_sentence(package))
    return findings

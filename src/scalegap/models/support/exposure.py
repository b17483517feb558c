"""What the support data allow, and exposure: active user-weeks and tickets per person, by group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from scalegap.models import activity, availability
from scalegap.models.segments import available_segments
from scalegap.package import PreparedPackage
from scalegap.vocabulary import EVERYONE_ELSE, PILOT_MEMBERS

PILOT, REST = PILOT_MEMBERS, EVERYONE_ELSE


NOT_RECORDED = "(not recorded)"


def _key(package: PreparedPackage) -> tuple[str, str]:
    return str(package.path.resolve()), package.written_at


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
    assert exposure is not None  # unavailable_reason gave no reason
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

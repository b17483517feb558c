"""Ticket rates: tickets per active user per week, by group and segment (small groups suppressed)."""

from __future__ import annotations

import pandas as pd

from scalegap.models import readiness
from scalegap.models.segments import label
from scalegap.models.support.exposure import NOT_RECORDED, PILOT, REST, ticket_exposure
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, Redactor, hide_complement, suppress_small_groups

ALL_PEOPLE = "Everyone with use"


CHANNELS = {"build_team": "Build team (direct)", "service_desk": "Service desk", "other": "Other"}


PER_100 = 100.0


RATE = "Tickets per 100 active users per week"


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
    order = readiness.segment_order(people[segment])
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

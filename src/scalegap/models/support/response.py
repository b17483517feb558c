"""Response times: time to first response and to resolution, by channel, against the target."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.support.rates import channel_label, suppress_partition
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED

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
        f"least once: a reopen rate of {nf.share(reopened.rate)}."
    )

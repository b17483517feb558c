"""Active use over time, retention and usage intensity, by cohort and segment (small groups suppressed)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.adoption.access import RETENTION_WEEKS, AdoptionData, sql, week_start
from scalegap.models.segments import label, rows_in_natural_order
from scalegap.privacy import hide_cells, suppress_small_counts, suppress_small_groups

INTENSITY_BANDS = ("None", "Light", "Moderate", "Heavy")
INTENSITY_WEEKS = 4


# --- active use over time ---------------------------------------------------------------------------------------

WEEKLY_BY_COHORT = """
    SELECT w.week_start, p.cohort, count(*) AS active_users, sum(w.active_days) AS active_days
    FROM weeks w JOIN people p USING (person_id)
    GROUP BY ALL ORDER BY w.week_start, p.cohort
"""


def weekly_active_by_cohort(data: AdoptionData) -> pd.DataFrame:
    """Per calendar week and cohort: people with access, weekly active users, their share, and average daily
    active users on working days (active person-days that week ÷ 5)."""
    if data.data_end is None or data.weeks.empty:
        return pd.DataFrame(
            columns=[
                "Week",
                "Cohort",
                "People with access",
                "Weekly active users",
                "Share active",
                "Average daily active users",
            ]
        )
    people = data.with_access[["person_id", "cohort", "access_start"]]
    active = sql(WEEKLY_BY_COHORT, weeks=data.weeks[["person_id", "week_start", "active_days"]], people=people)
    active["week_start"] = pd.to_datetime(active["week_start"])
    last = data.last_week
    calendar = pd.date_range(min(week_start(d) for d in people["access_start"]), last, freq="7D")
    starts = people["access_start"].map(week_start)
    grid = pd.DataFrame(
        [(w, c) for w in calendar for c in sorted(people["cohort"].unique())], columns=["week_start", "cohort"]
    )
    grid["with_access"] = [int(((starts <= w) & (people["cohort"] == c)).sum()) for w, c in grid.itertuples(False)]
    grid = (
        grid[grid["with_access"] > 0]
        .merge(active, on=["week_start", "cohort"], how="left")
        .fillna({"active_users": 0, "active_days": 0})
    )
    return pd.DataFrame(
        {
            "Week": grid["week_start"],
            "Cohort": grid["cohort"],
            "People with access": grid["with_access"],
            "Weekly active users": grid["active_users"].astype(int),
            "Share active": grid["active_users"] / grid["with_access"],
            "Average daily active users": grid["active_days"] / 5.0,
        }
    )


def active_use_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value, in the last complete week of the data: people with access, weekly active users,
    share active, and average daily active users on working days over the last four weeks."""
    people = data.with_access
    columns = [
        label(segment),
        "People with access",
        "Weekly active users",
        "Share active",
        "Average daily active users (last 4 weeks)",
    ]
    if people.empty or data.data_end is None:
        return pd.DataFrame(columns=columns)
    last = data.last_week
    weeks = data.weeks.assign(week_start=pd.to_datetime(data.weeks["week_start"]))
    recent = weeks[weeks["week_start"] > last - pd.Timedelta(weeks=INTENSITY_WEEKS)]
    segment_of = people.set_index("person_id")[segment]
    wau = recent[recent["week_start"] == last].groupby(recent["person_id"].map(segment_of)).size()
    days = recent.groupby(recent["person_id"].map(segment_of))["active_days"].sum() / (5.0 * INTENSITY_WEEKS)
    table = people.groupby(segment).size().rename("People with access").to_frame()
    table["Weekly active users"] = wau.reindex(table.index).fillna(0).astype(int)
    table["Share active"] = table["Weekly active users"] / table["People with access"]
    table["Average daily active users (last 4 weeks)"] = days.reindex(table.index).fillna(0.0).round(1)
    table = rows_in_natural_order(
        table.reset_index().rename(columns={segment: label(segment)})[columns], label(segment)
    )
    shown = suppress_small_groups(table, "People with access", data.minimum)
    return suppress_small_counts(
        shown, "Weekly active users", data.minimum, ["Share active", "Average daily active users (last 4 weeks)"]
    )


# --- retention --------------------------------------------------------------------------------------------------

RETENTION = """
    WITH starters AS (
        SELECT p.person_id, p.grp, p.observed_weeks FROM people p
        WHERE EXISTS (SELECT 1 FROM weeks w WHERE w.person_id = p.person_id AND w.week = 1)),
    horizon AS (
        SELECT s.grp, g.week, count(*) AS starters
        FROM starters s JOIN range(1, $last + 1) AS g(week) ON g.week <= s.observed_weeks
        GROUP BY ALL),
    still AS (
        SELECT s.grp, w.week, count(*) AS still_active
        FROM starters s JOIN weeks w ON w.person_id = s.person_id AND w.week <= s.observed_weeks
        GROUP BY ALL)
    SELECT h.grp, h.week, h.starters, coalesce(still.still_active, 0) AS still_active
    FROM horizon h LEFT JOIN still ON still.grp = h.grp AND still.week = h.week
    ORDER BY h.grp, h.week
"""


def retention(data: AdoptionData, by: str = "cohort") -> pd.DataFrame:
    """Per group (``cohort`` or a segment) and week N of access: people active in week 1 and observed for N
    weeks (``starters``), those of them active in week N, and the share (``retention``)."""
    people = data.with_access
    if people.empty or data.weeks.empty:
        return pd.DataFrame(columns=["group", "week", "starters", "still_active", "retention"])
    frame = pd.DataFrame(
        {
            "person_id": people["person_id"],
            "grp": people[by].astype(str),
            "observed_weeks": people["observed_weeks"].astype(int),
        }
    )
    last = int(frame["observed_weeks"].max())
    table = sql(RETENTION, {"last": last}, people=frame, weeks=data.weeks[["person_id", "week"]])
    table = table.rename(columns={"grp": "group"})
    table["retention"] = table["still_active"] / table["starters"]
    return table


def retention_table(data: AdoptionData, segment: str, weeks: tuple[int, ...] = RETENTION_WEEKS) -> pd.DataFrame:
    """Per cohort or segment value: people active in week 1, and the share still active in the given weeks
    (blank where fewer than the minimum group size were observed that long, or 1..minimum − 1 were active)."""
    curves = retention(data, segment)
    name = "Cohort" if segment == "cohort" else label(segment)
    if curves.empty:
        return pd.DataFrame(columns=[name, "Active in week 1"])
    first = curves[curves["week"] == 1].set_index("group")["starters"]
    table = pd.DataFrame({name: first.index, "Active in week 1": first.to_numpy()})
    for week in weeks:
        at = curves[curves["week"] == week].set_index("group")
        small = (at["starters"] < data.minimum) | ((at["still_active"] > 0) & (at["still_active"] < data.minimum))
        share = at["retention"].where(~small)
        table[f"Still active in week {week}"] = share.reindex(first.index).to_numpy()
    return suppress_small_groups(table, "Active in week 1", data.minimum)


# --- usage intensity ----------------------------------------------------------------------------------------------

RECENT_DAYS = """
    SELECT person_id, sum(active_days) AS active_days FROM weeks
    WHERE week_start > CAST($first AS DATE) - INTERVAL 7 DAY AND week_start <= CAST($last AS DATE)
    GROUP BY person_id
"""


def intensity_band(days_per_week: pd.Series, thresholds: list[float]) -> pd.Series:
    """None / Light / Moderate / Heavy for mean active days per week, at the three thresholds."""
    bins = [-np.inf, *thresholds, np.inf]
    return pd.cut(days_per_week, bins, right=False, labels=list(INTENSITY_BANDS)).astype("object")


def recent_intensity(data: AdoptionData) -> pd.DataFrame:
    """Per person with access: mean active days per week over the last four complete weeks (fewer if access
    began later) and the intensity band."""
    people = data.with_access[["person_id", "access_start"]].copy()
    if people.empty or data.data_end is None:
        return people.assign(days_per_week=np.nan, band=None)
    last = data.last_week
    assert last is not None  # data_end is set
    first = last - pd.Timedelta(weeks=INTENSITY_WEEKS - 1)
    days = sql(
        RECENT_DAYS,
        {"first": first.date(), "last": last.date()},
        weeks=data.weeks[["person_id", "week_start", "active_days"]],
    ).set_index("person_id")["active_days"]
    starts = people["access_start"].map(week_start)
    span = ((last - starts.clip(lower=first)).dt.days // 7 + 1).clip(lower=1)
    people["days_per_week"] = people["person_id"].map(days).fillna(0).to_numpy() / span.to_numpy()
    people["band"] = intensity_band(people["days_per_week"], data.settings.intensity_thresholds)
    return people


def intensity_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: people with access in each intensity band over the last four weeks, and shares."""
    bands = recent_intensity(data)
    name = label(segment)
    if bands.empty:
        return pd.DataFrame(columns=[name, "People with access", *INTENSITY_BANDS])
    bands[segment] = bands["person_id"].map(data.people.set_index("person_id")[segment])
    counts = pd.crosstab(bands[segment], bands["band"]).reindex(columns=list(INTENSITY_BANDS), fill_value=0)
    table = counts.assign(**{"People with access": counts.sum(axis=1)}).reset_index()
    table = rows_in_natural_order(
        table.rename(columns={segment: name})[[name, "People with access", *INTENSITY_BANDS]], name
    )
    for band in INTENSITY_BANDS:
        table[f"{band} (share)"] = table[band] / table["People with access"]
    shown = suppress_small_groups(table, "People with access", data.minimum)
    return hide_cells(shown, list(INTENSITY_BANDS), data.minimum, {b: [f"{b} (share)"] for b in INTENSITY_BANDS})


def intensity_display(table: pd.DataFrame) -> pd.DataFrame:
    """The intensity table as the book shows it: each band as "people (share of the group)"."""
    if table.empty or "None (share)" not in table:
        return table
    shown = table.drop(columns=[f"{band} (share)" for band in INTENSITY_BANDS])
    for band in INTENSITY_BANDS:
        shown[band] = [
            None if pd.isna(n) else f"{nf.count(n)} ({nf.share(share)})"
            for n, share in zip(table[band], table[f"{band} (share)"], strict=True)
        ]
    return shown


def intensity_over_time(data: AdoptionData) -> pd.DataFrame:
    """Per calendar week and cohort: the share of people with access in each intensity band that week."""
    weekly = weekly_active_by_cohort(data)
    if weekly.empty:
        return pd.DataFrame(columns=["Week", "Cohort", "Band", "Share"])
    people = data.with_access.set_index("person_id")["cohort"]
    weeks = data.weeks.assign(Week=pd.to_datetime(data.weeks["week_start"]), Cohort=data.weeks["person_id"].map(people))
    weeks["Band"] = intensity_band(weeks["active_days"].astype(float), data.settings.intensity_thresholds)
    counts = weeks.groupby(["Week", "Cohort", "Band"]).size().rename("people").reset_index()
    base = weekly.set_index(["Week", "Cohort"])["People with access"]
    counts["Share"] = counts["people"] / counts.set_index(["Week", "Cohort"]).index.map(base).to_numpy()
    active = counts.groupby(["Week", "Cohort"])["Share"].sum()
    idle = (1.0 - active).rename("Share").reset_index().assign(Band=INTENSITY_BANDS[0])
    frame = pd.concat([counts[["Week", "Cohort", "Band", "Share"]], idle], ignore_index=True)
    return frame[frame.set_index(["Week", "Cohort"]).index.map(base).to_numpy() >= data.minimum]

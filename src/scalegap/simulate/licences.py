"""Microsoft 365 Copilot licences: who holds one, in which apps they use it, the weekly usage reports.

Generative model (the ``licences`` step of :mod:`scalegap.simulate.deployment`):

* **Licence holders.** Pilot members hold a licence from ``pilot_start`` (and
  keep it after the pilot), the rollout cohort from ``rollout_start``, and
  ``unused_licences`` other people (drawn without replacement from everyone
  else, weighted towards managers and team leads: ``UNUSED_ROLE_WEIGHTS``) from
  the start of the last access period; those never use the assistant, so they
  have no usage rows. With the ``pilot_dropouts`` planted in
  :mod:`scalegap.simulate.usage` they are the licence waste.
* **Apps.** Every holder uses Copilot in a subset of the eight apps of the
  report: each app is in the subset with ``BASE_APP_SHARE`` (overridden per
  department by ``DEPARTMENT_APP_SHARE``: Finance in Excel, Sales and Marketing
  in PowerPoint, Legal in Word, ...); an empty subset becomes Copilot Chat. On
  each of the person's active days (the rows of the usage table) each app of
  the subset is used with ``DAILY_APP_PROBABILITY``; a day with none gets one
  app of the subset drawn per person (their main app). So every active day has
  at least one app, and the latest app date is the latest active day.
* **Reports.** One user-detail report per weekly refresh (every Monday after
  ``pilot_start`` up to the first Monday on or after the end of the usage
  data), as the Microsoft 365 admin centre and Graph
  ``getMicrosoft365CopilotUsageUserDetail`` give it: one row per user licensed
  on the refresh date, with the latest active day on or before the refresh date
  (missing if none) overall and per app, ``Report Period`` 7. Like Microsoft's,
  the last-activity dates are not limited to the report period.

The truth (``truth["licences"]``) is measured on the last report: ``never used``
is a holder without any activity, ``stopped using`` a holder with activity but
none in the ``INACTIVE_WINDOW_DAYS`` days ending on the last refresh date. That
counts the planted dropouts and also pilot and rollout members who only tried
the assistant.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.usage import access_periods, usage_end

APPS: tuple[str, ...] = ("Copilot Chat", "Microsoft Teams", "Word", "Excel", "PowerPoint", "Outlook", "OneNote", "Loop")
APP_COLUMNS: tuple[str, ...] = (
    "copilot_chat_last_activity_date",
    "microsoft_teams_copilot_last_activity_date",
    "word_copilot_last_activity_date",
    "excel_copilot_last_activity_date",
    "powerpoint_copilot_last_activity_date",
    "outlook_copilot_last_activity_date",
    "onenote_copilot_last_activity_date",
    "loop_copilot_last_activity_date",
)
BASE_APP_SHARE: dict[str, float] = {
    "Copilot Chat": 0.85,
    "Microsoft Teams": 0.70,
    "Word": 0.50,
    "Excel": 0.30,
    "PowerPoint": 0.25,
    "Outlook": 0.60,
    "OneNote": 0.08,
    "Loop": 0.05,
}
DEPARTMENT_APP_SHARE: dict[str, dict[str, float]] = {
    "Customer Service": {"Outlook": 0.85, "Excel": 0.15},
    "Operations": {"Microsoft Teams": 0.80, "Excel": 0.45},
    "Sales": {"PowerPoint": 0.60, "Outlook": 0.80},
    "Finance": {"Excel": 0.85},
    "IT": {"Excel": 0.45, "OneNote": 0.20, "Loop": 0.25},
    "Marketing": {"PowerPoint": 0.65, "Word": 0.70},
    "HR": {"Word": 0.70},
    "Legal": {"Word": 0.90, "Excel": 0.10},
}
DAILY_APP_PROBABILITY: tuple[float, ...] = (0.60, 0.50, 0.35, 0.35, 0.30, 0.40, 0.30, 0.30)
UNUSED_ROLE_WEIGHTS: dict[str, float] = {
    "Manager": 6.0,
    "Team lead": 3.0,
    "Specialist": 1.0,
    "Individual contributor": 0.5,
}
REPORT_PERIOD_DAYS = 7
INACTIVE_WINDOW_DAYS = 28
LICENCE_GROUPS = ("pilot", "rollout", "unused")
HOLDER_COLUMNS = ["employee_id", "email", "display_name", "department", "licence_group", "licensed_from"]
REPORT_COLUMNS = [
    "report_refresh_date",
    "employee_id",
    "user_principal_name",
    "display_name",
    "last_activity_date",
    *APP_COLUMNS,
    "report_period",
]


def report_refresh_dates(parameters: SimulationParameters) -> list[date]:
    """Every Monday after ``pilot_start`` up to the first Monday on or after the end of the usage data."""
    start = parameters.pilot_start
    first = start + timedelta(days=7 - start.weekday())
    end = usage_end(parameters)
    last = end + timedelta(days=(7 - end.weekday()) % 7)
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def licence_holders(rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """Who holds a licence, from when, and why (``pilot``, ``rollout`` or ``unused``)."""
    periods = {period.cohort: period.start for period in access_periods(parameters)}
    group = np.full(len(people), "", dtype=object)
    group[people["in_pilot"].to_numpy()] = "pilot"
    group[people["in_rollout_cohort"].to_numpy()] = "rollout"
    candidates = np.flatnonzero(group == "")
    weights = people["role"].map(UNUSED_ROLE_WEIGHTS).fillna(1.0).to_numpy(float)[candidates]
    size = min(parameters.unused_licences, len(candidates))
    if size:
        group[rng.choice(candidates, size=size, replace=False, p=weights / weights.sum())] = "unused"
    starts = {
        "pilot": periods["pilot"],
        "rollout": periods.get("rollout"),
        "unused": access_periods(parameters)[-1].start,
    }
    holders = people.assign(licence_group=group)[group != ""]
    return pd.DataFrame(
        {
            "employee_id": holders["employee_id"].to_numpy(),
            "email": holders["email"].to_numpy(),
            "display_name": (holders["first_name"] + " " + holders["last_name"]).to_numpy(),
            "department": holders["department"].to_numpy(),
            "licence_group": holders["licence_group"].to_numpy(),
            "licensed_from": pd.to_datetime([starts[g] for g in holders["licence_group"]]),
        }
    )[HOLDER_COLUMNS]


def app_profiles(rng: np.random.Generator, holders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per holder, the apps they use Copilot in (bool, holders x apps) and their main app (index)."""
    shares = np.array(
        [[DEPARTMENT_APP_SHARE.get(d, {}).get(app, BASE_APP_SHARE[app]) for app in APPS] for d in holders["department"]]
    )
    profile = rng.random(shares.shape) < shares
    profile[~profile.any(axis=1), 0] = True
    main = np.argmax(profile * (1.0 + rng.random(shares.shape)), axis=1)
    return profile, main


def app_days(rng: np.random.Generator, holder_index: np.ndarray, profile: np.ndarray, main: np.ndarray) -> np.ndarray:
    """Which apps were used on each active day (bool, rows x apps), at least one per day."""
    used = profile[holder_index] & (rng.random((len(holder_index), len(APPS))) < np.asarray(DAILY_APP_PROBABILITY))
    idle = ~used.any(axis=1)
    used[np.flatnonzero(idle), main[holder_index[idle]]] = True
    return used


def last_activity_grid(
    holder_index: np.ndarray, day_index: np.ndarray, used: np.ndarray, n_holders: int, n_days: int
) -> np.ndarray:
    """``grid[h, a, d]``: the latest day index on or before ``d`` on which holder ``h`` used app ``a``; -1 if none."""
    grid = np.full((n_holders, len(APPS), n_days), -1, dtype=np.int32)
    rows, apps = np.nonzero(used)
    grid[holder_index[rows], apps, day_index[rows]] = day_index[rows]
    return np.maximum.accumulate(grid, axis=2)


def usage_reports(
    holders: pd.DataFrame, usage: pd.DataFrame, rng: np.random.Generator, parameters: SimulationParameters
) -> pd.DataFrame:
    """The weekly user-detail reports, stacked: one row per refresh date and licensed user."""
    refreshes = report_refresh_dates(parameters)
    origin = pd.Timestamp(parameters.pilot_start)
    n_days = (pd.Timestamp(refreshes[-1]) - origin).days + 1
    position = pd.Series(np.arange(len(holders)), index=holders["employee_id"].to_numpy())
    own = usage[usage["employee_id"].isin(position.index)]
    own = own[(own["date"] >= origin) & (own["date"] < origin + pd.Timedelta(days=n_days))]
    holder_index = position.loc[own["employee_id"]].to_numpy()
    day_index = (own["date"] - origin).dt.days.to_numpy()
    profile, main = app_profiles(rng, holders)
    used = app_days(rng, holder_index, profile, main)
    grid = last_activity_grid(holder_index, day_index, used, len(holders), n_days)
    calendar = pd.date_range(origin, periods=n_days, freq="D").to_numpy()
    nat = np.datetime64("NaT", "ns")
    tables = []
    for refresh in refreshes:
        stamp = pd.Timestamp(refresh)
        licensed = np.flatnonzero((holders["licensed_from"] <= stamp).to_numpy())
        last = grid[licensed, :, (stamp - origin).days]
        dates = np.where(last >= 0, calendar[np.maximum(last, 0)], nat)
        overall = last.max(axis=1)
        table = pd.DataFrame(
            {
                "report_refresh_date": stamp,
                "employee_id": holders["employee_id"].to_numpy()[licensed],
                "user_principal_name": holders["email"].to_numpy()[licensed],
                "display_name": holders["display_name"].to_numpy()[licensed],
                "last_activity_date": np.where(overall >= 0, calendar[np.maximum(overall, 0)], nat),
                **{column: dates[:, a] for a, column in enumerate(APP_COLUMNS)},
                "report_period": REPORT_PERIOD_DAYS,
            }
        )
        tables.append(table.sort_values("user_principal_name", kind="stable"))
    return pd.concat(tables, ignore_index=True)[REPORT_COLUMNS]


def simulate_licences(
    rng: np.random.Generator, people: pd.DataFrame, usage: pd.DataFrame, parameters: SimulationParameters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Licence holders and the stacked weekly Microsoft 365 Copilot usage reports."""
    holder_rng, app_rng = rng.spawn(2)
    holders = licence_holders(holder_rng, people, parameters)
    return holders, usage_reports(holders, usage, app_rng, parameters)


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    return {
        "licensed_users": len(frame),
        "never_used": int(frame["never_used"].sum()),
        "stopped_using": int(frame["stopped_using"].sum()),
    }


def licence_truth(holders: pd.DataFrame, reports: pd.DataFrame, stopped_on: pd.Series) -> dict[str, Any]:
    """``truth["licences"]``: licensed users, never used and stopped using, overall and by department.

    ``stopped_on`` is ``people["usage_stopped_on"]`` indexed by employee id (the planted dropouts).
    """
    last_refresh = reports["report_refresh_date"].max()
    final = reports[reports["report_refresh_date"] == last_refresh].set_index("employee_id")
    status = holders.set_index("employee_id").join(final[["last_activity_date"]])
    cutoff = last_refresh - pd.Timedelta(days=INACTIVE_WINDOW_DAYS)
    status["never_used"] = status["last_activity_date"].isna()
    status["stopped_using"] = status["last_activity_date"].notna() & (status["last_activity_date"] <= cutoff)
    dropouts = stopped_on[stopped_on.notna()]
    return {
        "report_file_count": int(reports["report_refresh_date"].nunique()),
        "first_refresh_date": reports["report_refresh_date"].min().date(),
        "last_refresh_date": last_refresh.date(),
        "report_period_days": REPORT_PERIOD_DAYS,
        "inactive_window_days": INACTIVE_WINDOW_DAYS,
        "definitions": {
            "never_used": "licensed on the last refresh date, no activity ever (empty Last Activity Date)",
            "stopped_using": f"activity before, none in the {INACTIVE_WINDOW_DAYS} days ending on the last "
            "refresh date (Last Activity Date at least that many days before it)",
        },
        **_counts(status),
        "by_department": {str(d): _counts(g) for d, g in status.groupby("department", sort=True)},
        "by_licence_group": {
            g: _counts(status[status["licence_group"] == g])
            for g in LICENCE_GROUPS
            if (status["licence_group"] == g).any()
        },
        "never_used_employee_ids": sorted(status.index[status["never_used"]].tolist()),
        "stopped_using_employee_ids": sorted(status.index[status["stopped_using"]].tolist()),
        "planted": {
            "unused_licence_employee_ids": sorted(status.index[status["licence_group"] == "unused"].tolist()),
            "pilot_dropouts": {str(k): v.date() for k, v in sorted(dropouts.items())},
        },
    }

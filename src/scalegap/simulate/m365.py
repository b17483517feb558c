"""Render the Microsoft 365 Copilot usage reports (user detail) as the CSV files the admin centre exports.

One file per weekly refresh, ``m365_copilot_usage_<Report Refresh Date>.csv``,
the report Microsoft 365 admin centre > Reports > Usage > Microsoft 365 Copilot
exports and Graph ``getMicrosoft365CopilotUsageUserDetail(period='D7')`` returns
as CSV. File conventions:

* Columns exactly as Microsoft's v1 reference example
  (``../shared/samples/m365-copilot/usage-user-detail-docs-example.csv``):
  ``Report Refresh Date, User Principal Name, Display Name, Last Activity
  Date``, then the per-app dates ``Copilot Chat``, ``Microsoft Teams Copilot``,
  ``Word Copilot``, ``Excel Copilot``, ``PowerPoint Copilot``, ``Outlook
  Copilot``, ``OneNote Copilot``, ``Loop Copilot`` ``Last Activity Date``, and
  ``Report Period`` last. (The older beta page listed ``Report Period`` second
  and Copilot Chat last; the current v1 example is followed.)
* Dates ``YYYY-MM-DD``; an empty cell where there was no activity (never, or
  never in that app). ``Report Period`` is the number of days (``7``; the
  report also comes for 30, 90 and 180). As in Microsoft's example, the
  last-activity dates are the latest ever, not limited to the period.
* One row per user licensed on the refresh date, active or not, sorted by user
  principal name; names not concealed (the tenant setting that hashes user
  principal names and display names is off), the user principal name being the
  work e-mail in lower case.
* UTF-8 with a byte-order mark (Graph's usage-report CSV downloads start with
  one: ``\\ufeffReport Refresh Date``), comma, LF line endings (Microsoft does
  not document the line endings), fields quoted only when needed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from scalegap.simulate.licences import APP_COLUMNS, APPS

M365_FILE_PREFIX = "m365_copilot_usage_"
M365_FILE_GLOB = f"{M365_FILE_PREFIX}*.csv"
M365_HEADER: tuple[str, ...] = (
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "Last Activity Date",
    *(f"{app} Last Activity Date" if app == "Copilot Chat" else f"{app} Copilot Last Activity Date" for app in APPS),
    "Report Period",
)
DATE_COLUMNS = ("report_refresh_date", "last_activity_date", *APP_COLUMNS)


def m365_file_name(refresh_date: pd.Timestamp) -> str:
    """``m365_copilot_usage_2026-03-09.csv``."""
    return f"{M365_FILE_PREFIX}{refresh_date:%Y-%m-%d}.csv"


def report_rows(reports: pd.DataFrame) -> pd.DataFrame:
    """All rows as text, in file column order: ISO dates, empty for no activity."""

    def iso(column: pd.Series) -> pd.Series:
        days = column.dropna().unique()
        return column.map(dict(zip(days, pd.DatetimeIndex(days).strftime("%Y-%m-%d")))).fillna("")

    text = pd.DataFrame({column: iso(reports[column]) for column in DATE_COLUMNS}, index=reports.index)
    text["user_principal_name"] = reports["user_principal_name"]
    text["display_name"] = reports["display_name"]
    text["report_period"] = reports["report_period"].astype(str)
    return text[
        [
            "report_refresh_date",
            "user_principal_name",
            "display_name",
            "last_activity_date",
            *APP_COLUMNS,
            "report_period",
        ]
    ]


def write_m365_reports(reports: pd.DataFrame, directory: Path) -> dict[str, Path]:
    """One CSV per refresh date into ``directory``; returns {file stem: path} in date order."""
    text = report_rows(reports)
    paths: dict[str, Path] = {}
    for refresh_date, index in sorted(reports.groupby("report_refresh_date").groups.items()):
        path = directory / m365_file_name(refresh_date)
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            writer.writerow(M365_HEADER)
            writer.writerows(text.loc[index].to_numpy().tolist())
        paths[path.stem] = path
    return paths

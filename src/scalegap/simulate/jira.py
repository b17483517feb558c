"""Render the tickets as a Jira Cloud CSV export ("Export CSV (my defaults)").

File conventions:

* UTF-8 without byte-order mark, CRLF line endings, fields quoted only when
  needed (commas, quotes, line breaks), newest issue first (Jira's default
  ``ORDER BY created DESC``).
* Multi-value fields repeat their column name, one value per column, empty
  cells when an issue has fewer values: ``Component/s`` twice, ``Labels``
  three times.
* Dates in Jira's default ``dd/MMM/yy h:mm a`` format (``24/Mar/26 9:15 AM``):
  English month abbreviations, 12-hour clock without a leading zero.
* ``Custom field (First response)`` is the time of the first agent response
  (empty if none yet); ``Resolved`` and ``Resolution`` are empty while open.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd

PROJECT_KEY = "AIS"
PROJECT_NAME = "AI Assistant Support"
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COMPONENT_COLUMNS = 2
LABEL_COLUMNS = 3
JIRA_HEADER: tuple[str, ...] = (
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Project key",
    "Project name",
    "Priority",
    "Resolution",
    "Assignee",
    "Reporter",
    "Created",
    "Updated",
    "Resolved",
    *(["Component/s"] * COMPONENT_COLUMNS),
    *(["Labels"] * LABEL_COLUMNS),
    "Custom field (Employee ID)",
    "Custom field (Request channel)",
    "Custom field (First response)",
    "Description",
)


def jira_datetime(moment: datetime | pd.Timestamp | None) -> str:
    """``24/Mar/26 9:15 AM``; empty for a missing time."""
    if moment is None or pd.isna(moment):
        return ""
    hour = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    month = MONTH_ABBREVIATIONS[moment.month - 1]
    return f"{moment.day:02d}/{month}/{moment.year % 100:02d} {hour}:{moment.minute:02d} {meridiem}"


def padded(values: tuple[str, ...], width: int) -> list[str]:
    """Multi-value cells: the values, then empty cells up to ``width``."""
    return list(values[:width]) + [""] * (width - min(len(values), width))


def ticket_row(ticket: dict) -> list[str]:
    """One issue as Jira CSV cells."""
    return [
        ticket["summary"],
        ticket["issue_key"],
        str(ticket["issue_id"]),
        ticket["issue_type"],
        ticket["status"],
        PROJECT_KEY,
        PROJECT_NAME,
        ticket["priority"],
        ticket["resolution"],
        ticket["assignee"],
        ticket["reporter"],
        jira_datetime(ticket["created"]),
        jira_datetime(ticket["updated"]),
        jira_datetime(ticket["resolved"]),
        *padded(ticket["components"], COMPONENT_COLUMNS),
        *padded(ticket["labels"], LABEL_COLUMNS),
        ticket["employee_id"],
        ticket["request_channel"],
        jira_datetime(ticket["first_response"]),
        ticket["description"],
    ]


def write_jira_csv(tickets: pd.DataFrame, path: Path) -> Path:
    """Write ``tickets_jira.csv``, newest issue first."""
    newest_first = tickets.sort_values("issue_id", ascending=False, kind="stable")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(JIRA_HEADER)
        writer.writerows(ticket_row(ticket) for ticket in newest_first.to_dict("records"))
    return path

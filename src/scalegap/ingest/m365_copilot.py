"""Microsoft 365 Copilot usage report, user detail: CSV (admin centre or Graph) or Graph JSON.

The report (Graph ``getMicrosoft365CopilotUsageUserDetail``) is a snapshot: one
row per licensed user with ``Report Refresh Date``, ``User Principal Name``,
``Display Name``, ``Last Activity Date``, one last-activity date per app
(``Microsoft Teams Copilot Last Activity Date``, ``Word Copilot ...``,
``Copilot Chat ...``; any header containing "last activity" is taken as one, so
columns Microsoft adds later are read too) and ``Report Period``.  The column
order differs between report versions; columns are found by name.  The Graph
JSON variant has a ``value`` array with camelCase keys
(``userPrincipalName``, ``lastActivityDate``, ``wordCopilotLastActivityDate``),
``null`` or ``""`` for no activity and ``reportPeriod`` nested in
``copilotActivityUserDetailsByPeriod``; its keys are renamed to the CSV
headers, so ``columns`` mappings name CSV headers for both.

``m365_copilot_usage`` -> usage.  One snapshot says only on which day each user
was last active (overall and per app); several refresh dates stacked (several
files, or several refresh dates in one file) make a series.  Each distinct
date among a report row's last-activity dates is one active day of that user
(a date named by two columns is one day); ``prepare`` then counts a day
reported by several snapshots once.  So one report row can give several usage
rows, all carrying that report row's number; "rows read" counts these (user,
day) observations, plus one for each report row with no activity at all, which
is rejected ("no Copilot activity in the report period").

``m365_copilot_seats`` -> seats.  The report lists licensed users only: one seat
per user, ``last_activity_at`` the latest of their last-activity dates (empty:
never used), from the latest refresh date when a file holds several
(earlier snapshots of the same user are rejected with the reason).  The report
does not say when a licence was assigned.

A last-activity date after its row's ``Report Refresh Date`` is one the report cannot know (day and month
read swapped, or the file edited): it is rejected with that reason, and a note counts them.

Concealed names: when the tenant hides user names in reports, the user
principal name is an MD5 hash (32 hex digits).  Such rows are kept with the
hash as the identifier, but can never match a roster e-mail, and a note tells
the consultant to turn the setting off and export again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.json_export import head_text, looks_like_json, read_json_documents, record_fields, records_frame
from scalegap.ingest.text import RawTable, read_any
from scalegap.settings import ExportSettings, Settings

LAST_ACTIVITY = re.compile(r"last\s*activity", re.IGNORECASE)
CONCEALED = re.compile(r"^[0-9a-f]{32}$")
UPN = re.compile(r"^[^@\s]+@[^@\s]+$")
#: Graph JSON keys -> the CSV report's headers
JSON_HEADERS = {
    "reportRefreshDate": "Report Refresh Date",
    "userPrincipalName": "User Principal Name",
    "displayName": "Display Name",
    "lastActivityDate": "Last Activity Date",
    "reportPeriod": "Report Period",
}
CONCEALED_HINT = (
    "in the Microsoft 365 admin centre, Settings > Org settings > Services > Reports, clear "
    "'Display concealed user, group, and site names in all reports', then export the report again"
)


def read_report(path: Path, export: ExportSettings) -> RawTable:
    """The report as text cells, CSV/XLSX or Graph JSON alike (JSON rows are record positions from 1)."""
    if not looks_like_json(path):
        return read_any(path, export.sheet)
    records = [_renamed(record) for record in _graph_records(path, read_json_documents(path))]
    header = record_fields(records) or list(JSON_HEADERS.values())  # a report of no users
    return RawTable(path, [header], records_frame(records, header), 1, "utf-8", "")


def _graph_records(path: Path, documents: list[Any]) -> list[Any]:
    records: list[Any] = []
    for document in documents:
        if isinstance(document, dict) and isinstance(document.get("value"), list):
            records.extend(document["value"])
        elif isinstance(document, list):
            records.extend(document)
        elif isinstance(document, dict) and "error" in document:
            raise InputError(
                "the file holds a Microsoft Graph error instead of the report",
                file=path,
                hint="check the app's Reports.Read.All permission, then export again",
            )
        else:
            records.append(document)
    return records


def _renamed(record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    flat = {
        JSON_HEADERS.get(key, key): value
        for key, value in record.items()
        if not key.startswith("@odata") and key != "copilotActivityUserDetailsByPeriod"
    }
    periods = record.get("copilotActivityUserDetailsByPeriod")
    if isinstance(periods, list) and periods and isinstance(periods[0], dict):
        flat.setdefault("Report Period", periods[0].get("reportPeriod"))
    return flat


def sniff_report(path: Path) -> bool:
    head = head_text(path)
    return ("User Principal Name" in head and "Last Activity Date" in head) or '"userPrincipalName"' in head


class _M365CopilotReport(ExportAdapter):
    """What the usage and seat readings of the report share."""

    default_columns = {
        "email": "User Principal Name",
        "date": "Last Activity Date",
        "report_refresh_date": "Report Refresh Date",
    }
    required_columns = ("email", "date")

    def sniff(self, path: Path) -> bool:
        return sniff_report(path)

    @staticmethod
    def date_columns(header: list[str], columns: dict[str, str]) -> list[str]:
        """The overall last-activity column first, then every app's."""
        apps = [name for name in header if LAST_ACTIVITY.search(name) and name != columns["date"]]
        return [columns["date"], *apps]

    @staticmethod
    def reject_after_refresh(
        dates: pd.Series, refreshed: pd.Series, ledger: RowLedger, columns: pd.Series | str
    ) -> None:
        """A last-activity date after its row's report refresh date is one the report cannot know: the dates
        are read in the wrong order (day and month swapped) or the file was edited.  ``columns``: the column
        each date came from (one name for all, or one per row)."""
        after = (dates > refreshed).fillna(False).to_numpy(dtype=bool)
        if not after.any():
            return
        named = pd.Series(columns if not isinstance(columns, str) else [columns] * len(after)).to_numpy()
        for column in pd.unique(named[after]):
            ledger.reject(
                after & (named == column),
                "an activity date after the report's refresh date (day and "
                "month may be swapped: check the export's date_format)",
                column,
            )
        ledger.notes.append(
            f"{int(after.sum()):,} activity date(s) fall after their row's Report Refresh Date, "
            "which the report cannot know: they are rejected — check the file's date order "
            "(date_format) and that it was not edited"
        )

    @staticmethod
    def principal_names(frame: pd.DataFrame, column: str, ledger: RowLedger) -> pd.Series:
        """Trimmed, lower-cased user principal names; concealed (hashed) ones kept, with a note."""
        names = frame[column].fillna("").astype(str).str.strip().str.lower()
        concealed = names.str.match(CONCEALED)
        ledger.reject(names.eq(""), "no user principal name", column)
        ledger.reject(names.ne("") & ~concealed & ~names.str.match(UPN), "value is not a user principal name", column)
        if concealed.any():
            users = names[concealed].nunique()
            ledger.notes.append(
                f"{users} user principal name(s) are concealed (hashed) and cannot be matched "
                f"to the roster's e-mails; {CONCEALED_HINT}"
            )
        return names.where(names.ne(""), None).astype("object")


class M365CopilotUsageAdapter(_M365CopilotReport):
    name = "m365_copilot_usage"
    table = "usage"
    label = "Microsoft 365 Copilot usage report, user detail (CSV or Graph JSON)"

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_report(path, export)
        columns = self.column_map(raw.header, export, path)
        notes: list[str] = []
        dated = {
            name: values.dates(raw.frame[name], export.date_format, notes)
            for name in self.date_columns(raw.header, columns)
        }
        days = active_days(dated)
        report_rows = days["row"].to_numpy()
        observed = raw.frame.iloc[report_rows].reset_index(drop=True)
        observed["activity column"] = days["column"].to_numpy()
        malformed = {position: raw.malformed[row] for position, row in enumerate(report_rows) if row in raw.malformed}
        ledger = RowLedger(observed, raw.first_row, malformed, tuple(spreadsheet_rows(raw)[report_rows].tolist()))
        ledger.notes.extend(dict.fromkeys(notes))
        table = pd.DataFrame(
            {
                "email": self.principal_names(observed, columns["email"], ledger),
                "date": days["date"].to_numpy(),
                "source": self.name,
            }
        )
        for name in dated:
            ledger.reject(days["bad"] & days["column"].eq(name), "value is not a date", name)
        if "report_refresh_date" in columns:
            refreshed, _ = values.dates(raw.frame[columns["report_refresh_date"]], export.date_format, [])
            self.reject_after_refresh(
                pd.Series(days["date"].to_numpy()), pd.Series(refreshed.to_numpy()[report_rows]), ledger, days["column"]
            )
        ledger.reject(
            table["date"].isna(),
            "no Copilot activity in the report period (every last-activity date is empty)",
            columns["date"],
        )
        return ledger.result(self.table, path, self.name, table)


def active_days(dated: dict[str, tuple[pd.Series, pd.Series]]) -> pd.DataFrame:
    """(report row, column, date, bad) per distinct active day of each row; one empty entry per idle row.

    A date named by several columns of a row is one entry (the first column's);
    a cell that is not a date is an entry of its own, to be rejected.
    """
    parts = []
    for order, (name, (parsed, bad)) in enumerate(dated.items()):
        given = parsed.notna() | bad
        parts.append(
            pd.DataFrame(
                {
                    "row": np.flatnonzero(given.to_numpy()),
                    "order": order,
                    "column": name,
                    "date": parsed[given].to_numpy(),
                    "bad": bad[given].to_numpy(),
                }
            )
        )
    first = next(iter(dated.values()))[0]
    idle = pd.DataFrame(
        {
            "row": np.arange(len(first)),
            "order": len(dated),
            "column": None,
            "date": pd.Series(pd.NaT, index=range(len(first)), dtype="datetime64[ns]"),
            "bad": False,
        }
    )
    days = pd.concat([*parts, idle], ignore_index=True).sort_values(["row", "order"], kind="stable")
    repeat = days.duplicated(["row", "date"]) & ~days["bad"]
    idle_row = days["column"].isna() & days["row"].duplicated()
    return days[~(repeat | idle_row)].reset_index(drop=True)


def spreadsheet_rows(raw: RawTable) -> np.ndarray:
    """Each report row's number as a spreadsheet shows it (JSON: its position from 1)."""
    if raw.row_numbers is not None:
        return np.asarray(raw.row_numbers, dtype="int64")
    return np.arange(raw.first_row, raw.first_row + len(raw.frame), dtype="int64")


class M365CopilotSeatsAdapter(_M365CopilotReport):
    name = "m365_copilot_seats"
    table = "seats"
    label = "Microsoft 365 Copilot licensed users, from the usage report's user detail (CSV or Graph JSON)"

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_report(path, export)
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        table = pd.DataFrame({"email": self.principal_names(raw.frame, columns["email"], ledger)})
        latest = self._latest_activity(raw, self.date_columns(raw.header, columns), export, ledger)
        refreshed = self._refreshed(raw, columns, export, ledger)
        self.reject_after_refresh(latest, refreshed, ledger, columns["date"])
        usable = ledger.ok.to_numpy()
        table["last_activity_at"] = latest.groupby(table["email"].where(usable)).transform("max")
        table["assigned_at"] = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
        table["source"] = self.name
        order = pd.DataFrame({"email": table["email"], "refreshed": refreshed, "position": np.arange(len(table))})[
            usable
        ]
        latest_first = order.sort_values(["refreshed", "position"], ascending=False, na_position="last")
        earlier = latest_first["email"].duplicated().reindex(table.index, fill_value=False)
        ledger.reject(earlier, "an earlier report of the same user (the latest is kept)", columns["email"])
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _latest_activity(
        raw: RawTable, date_columns: list[str], export: ExportSettings, ledger: RowLedger
    ) -> pd.Series:
        """The latest of a row's last-activity dates (NaT: no activity)."""
        dates = []
        for name in date_columns:
            parsed, bad = values.dates(raw.frame[name], export.date_format, ledger.notes)
            ledger.reject(bad, "value is not a date", name)
            dates.append(parsed)
        return pd.concat(dates, axis=1).max(axis=1).astype("datetime64[ns]")

    @staticmethod
    def _refreshed(raw: RawTable, columns: dict[str, str], export: ExportSettings, ledger: RowLedger) -> pd.Series:
        """Refresh date per row (rows without one sort as the oldest)."""
        if "report_refresh_date" not in columns:
            return pd.Series(pd.NaT, index=raw.frame.index, dtype="datetime64[ns]")
        parsed, bad = values.dates(raw.frame[columns["report_refresh_date"]], export.date_format, ledger.notes)
        ledger.reject(bad, "value is not a date", columns["report_refresh_date"])
        return parsed

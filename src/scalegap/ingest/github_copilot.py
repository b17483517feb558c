"""GitHub Copilot exports: organisation metrics, the per-user usage report, seat assignments.

All three are JSON as GitHub's REST API returns it, saved one of the usual ways:
one response, responses back to back (``gh api --paginate``), a list of pages
(``--slurp``), or JSON Lines (the usage-metrics report downloads).  A saved API
*error* (``{"message": "Not Found", ...}``) or the usage-metrics API's list of
``download_links`` given instead of the report is refused with what to do.
For JSON, the row number reported for a record is its position in the file
(the n-th day, user-day or seat record), counted from 1.

``github_copilot_metrics`` -> org_usage.  The Copilot metrics API (a list of
per-day records: ``date``, ``total_active_users``, ``total_engaged_users`` and
nested ``copilot_ide_code_completions`` / ``copilot_ide_chat`` /
``copilot_dotcom_chat`` / ``copilot_dotcom_pull_requests`` breakdowns, which
are read past and left out), and the organisation usage-metrics report that
replaced it on 2026-04-02 (``day_totals`` with ``day`` and
``daily_active_users``; it has no engaged-user count).  The metrics API does
not name the organisation: ``organisation`` is the file's name without its
extension (``acme-eng.json`` -> ``acme-eng``), and a note says so; name the
files after the organisation.  Where records carry ``organization_id`` (the
usage-metrics report) that is used, else ``enterprise <enterprise_id>``.

``github_copilot_users`` -> usage.  The per-user usage-metrics report (at most
28 days): one record per user per active day (``user_login``, ``day``, counts
and breakdowns by IDE, feature, language and model), optionally wrapped in
``{"report_start_day", "report_end_day", "organization_id", "day_totals": [...]}``.
``interactions`` is ``user_initiated_interaction_count``: the prompts a person
sent (chat, inline chat, agent, CLI); accepted code completions are not
prompts, so a day of completions only counts as an active day with 0
interactions.  Map ``interactions`` to another count (e.g.
``code_acceptance_activity_count``) under ``columns`` if the assessment needs
it.  ``organisation`` is ``organization_id`` (else ``enterprise <id>``), so
overlapping reports of one organisation stack into one history while the
same person in two organisations stays two rows.  A day outside the record's
``report_start_day``..``report_end_day`` is rejected.

``github_copilot_seats`` -> seats.  Seat assignments (``total_seats`` and
``seats[]`` with ``assignee.login``, ``created_at``, ``last_activity_at``,
``pending_cancellation_date``, ``assigning_team``); ``last_activity_at`` empty
means the seat was never used.  The API returns 50 seats a page by default: when
a file lists fewer seats than ``total_seats``, a note says so.  The enterprise
listing repeats a person once per organisation granting the seat: the most
recently active seat is kept, the others are rejected with the reason.  A seat
assigned to a team or organisation rather than a user is rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.json_export import (
    flatten,
    head_text,
    not_an_object,
    read_json_documents,
    record_fields,
    records_frame,
)
from scalegap.settings import ExportSettings, Settings

#: fields kept in the rejects file beside the mapped ones, when a file has them
USER_FIELDS = (
    "user_id",
    "enterprise_id",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "report_start_day",
    "report_end_day",
)
SEAT_FIELDS = ("assignee.type", "pending_cancellation_date", "plan_type", "assigning_team.slug", "organization.login")


def github_documents(path: Path) -> list[Any]:
    """The file's JSON documents, refusing a saved API error or a list of download links."""
    documents = read_json_documents(path)
    for document in documents:
        if isinstance(document, dict) and "message" in document and "documentation_url" in document:
            raise InputError(
                f"the file holds a GitHub API error instead of data: {document['message']!r}",
                file=path,
                hint="check the token's scopes and that the organisation's Copilot "
                "metrics policy is enabled, then export again",
            )
        if isinstance(document, dict) and "download_links" in document and "day_totals" not in document:
            raise InputError(
                "the file is the API's list of download links, not the report",
                file=path,
                hint="download each file listed under download_links and put those in exports/",
            )
    return documents


def day_records(items: list[Any]) -> list[Any]:
    """Per-day records: items of lists (pages), ``day_totals`` of report wrappers, bare records."""
    records: list[Any] = []
    for item in items:
        if isinstance(item, list):
            records.extend(day_records(item))
        elif isinstance(item, dict) and isinstance(item.get("day_totals"), list):
            defaults = {key: value for key, value in item.items() if not isinstance(value, (dict, list))}
            records.extend(
                {**defaults, **record} if isinstance(record, dict) else record for record in item["day_totals"]
            )
        else:
            records.append(item)
    return records


def seat_pages(items: list[Any]) -> tuple[list[Any], int | None]:
    """Seat records of every page, and the largest ``total_seats`` a page states."""
    seats: list[Any] = []
    totals: list[int] = []
    for item in items:
        if isinstance(item, list):
            inner, total = seat_pages(item)
            seats.extend(inner)
            totals.extend([total] if total is not None else [])
        elif isinstance(item, dict) and isinstance(item.get("seats"), list):
            seats.extend(item["seats"])
            if isinstance(item.get("total_seats"), int):
                totals.append(item["total_seats"])
        else:
            seats.append(item)
    return seats, max(totals) if totals else None


def json_table(
    records: list[Any], columns: dict[str, str], extra: tuple[str, ...], fields: list[str]
) -> tuple[pd.DataFrame, RowLedger]:
    """Text frame of the mapped and extra fields, and its ledger (rows are record positions from 1)."""
    wanted = list(dict.fromkeys([*columns.values(), *(field for field in extra if field in fields)]))
    raw = records_frame(records, wanted)
    ledger = RowLedger(raw, 1)
    ledger.reject(not_an_object(records), "record is not a JSON object")
    return raw, ledger


def organisation_of(raw: pd.DataFrame, columns: dict[str, str], path: Path, ledger: RowLedger) -> pd.Series:
    """``organization_id``, else ``enterprise <enterprise_id>``, else the file's name (with a note)."""
    organisation = (
        values.text(raw[columns["organisation"]])
        if "organisation" in columns
        else pd.Series([None] * len(raw), dtype="object")
    )
    if "enterprise_id" in raw:
        enterprise = values.text(raw["enterprise_id"])
        organisation = organisation.fillna("enterprise " + enterprise.dropna()).astype("object")
    if len(raw) and organisation.isna().all():
        ledger.notes.append(
            f"the export does not name the organisation: rows are reported for "
            f"{path.stem!r}, the file's name; name each file after its organisation"
        )
        return pd.Series([path.stem] * len(raw), dtype="object")
    return organisation.where(organisation.notna(), None).astype("object")


def parse_date(raw: pd.DataFrame, column: str, export: ExportSettings, ledger: RowLedger, required: bool) -> pd.Series:
    parsed, bad = values.dates(raw[column], export.date_format, ledger.notes)
    ledger.reject(bad, "value is not a date", column)
    if required:
        ledger.reject(parsed.isna(), "date is empty", column)
    return parsed


def parse_count(raw: pd.DataFrame, column: str, what: str, ledger: RowLedger) -> pd.Series:
    parsed, bad = values.number(raw[column])
    ledger.reject(bad, "value is not a number", column)
    ledger.reject(parsed < 0, f"{what} is negative", column)
    return parsed


def lower_text(series: pd.Series) -> pd.Series:
    cleaned = values.text(series)
    return cleaned.where(cleaned.isna(), cleaned.str.lower()).astype("object")


class GitHubCopilotMetricsAdapter(ExportAdapter):
    name = "github_copilot_metrics"
    table = "org_usage"
    label = "GitHub Copilot metrics API JSON (per-day organisation records)"
    default_columns = {
        "date": "date",
        "active_users": "total_active_users",
        "engaged_users": "total_engaged_users",
        "organisation": "organization_id",
    }
    required_columns = ("date", "active_users")
    #: the names the usage-metrics report (the metrics API's successor) gives the same fields
    report_columns = {"date": "day", "active_users": "daily_active_users"}

    def sniff(self, path: Path) -> bool:
        head = head_text(path)
        return '"total_active_users"' in head or '"daily_active_users"' in head

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        records = day_records(github_documents(path))
        fields = record_fields(records) or list(self.default_columns.values())  # a report of no days
        if "date" not in fields and "day" in fields:
            export = export.model_copy(update={"columns": {**self.report_columns, **export.columns}})
        columns = self.column_map(fields, export, path)
        raw, ledger = json_table(records, columns, ("enterprise_id",), fields)
        table = pd.DataFrame(index=raw.index)
        table["date"] = parse_date(raw, columns["date"], export, ledger, required=True)
        table["active_users"] = parse_count(raw, columns["active_users"], "active users", ledger)
        ledger.reject(table["active_users"].isna(), "no active-user count", columns["active_users"])
        table["engaged_users"] = (
            parse_count(raw, columns["engaged_users"], "engaged users", ledger)
            if "engaged_users" in columns
            else np.nan
        )
        table["organisation"] = organisation_of(raw, columns, path, ledger)
        table["source"] = self.name
        repeated = table.duplicated(["organisation", "date"]) & table["date"].notna()
        ledger.reject(repeated, "repeats the day of an earlier record (the first is kept)", columns["date"])
        return ledger.result(self.table, path, self.name, table)


#: days a report's records may end before its stated period does (weekends, a quiet spell) before a note says so
PERIOD_SLACK_DAYS = 3


class GitHubCopilotUsersAdapter(ExportAdapter):
    name = "github_copilot_users"
    table = "usage"
    label = "GitHub Copilot usage-metrics report, per user per day (JSON or JSON Lines)"
    default_columns = {
        "login": "user_login",
        "date": "day",
        "interactions": "user_initiated_interaction_count",
        "organisation": "organization_id",
    }
    required_columns = ("login", "date")

    def sniff(self, path: Path) -> bool:
        head = head_text(path)
        return '"user_login"' in head and '"day"' in head

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        records = day_records(github_documents(path))
        fields = record_fields(records) or list(self.default_columns.values())  # a report of no user-days
        columns = self.column_map(fields, export, path)
        raw, ledger = json_table(records, columns, USER_FIELDS, fields)
        table = pd.DataFrame(index=raw.index)
        table["login"] = lower_text(raw[columns["login"]])
        ledger.reject(table["login"].isna(), "no user login", columns["login"])
        table["date"] = parse_date(raw, columns["date"], export, ledger, required=True)
        self._reject_outside_period(raw, table["date"], columns["date"], ledger)
        table["interactions"] = (
            parse_count(raw, columns["interactions"], "interactions", ledger) if "interactions" in columns else np.nan
        )
        table["organisation"] = organisation_of(raw, columns, path, ledger)
        table["source"] = self.name
        ledger.notes.extend(self._period_notes(raw, table["date"]))
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _period_notes(raw: pd.DataFrame, day: pd.Series) -> list[str]:
        """The report names its period: say so when its records stop well before the period's end."""
        if "report_end_day" not in raw or day.dropna().empty:
            return []
        end, _ = values.dates(raw["report_end_day"])
        if end.dropna().empty:
            return []
        last, stated = day.max(), end.max()
        if (stated - last).days <= PERIOD_SLACK_DAYS:
            return []
        return [
            f"the report's period ends on {stated:%Y-%m-%d} but its last record is of {last:%Y-%m-%d}: was the "
            "file cut short? (no one active in the last days would look the same)"
        ]

    @staticmethod
    def _reject_outside_period(raw: pd.DataFrame, day: pd.Series, column: str, ledger: RowLedger) -> None:
        if "report_start_day" not in raw or "report_end_day" not in raw:
            return
        start, _ = values.dates(raw["report_start_day"])
        end, _ = values.dates(raw["report_end_day"])
        ledger.reject((day < start) | (day > end), "day is outside the report's period", column)


class GitHubCopilotSeatsAdapter(ExportAdapter):
    name = "github_copilot_seats"
    table = "seats"
    label = "GitHub Copilot seat assignments JSON"
    default_columns = {
        "login": "assignee.login",
        "assigned_at": "created_at",
        "last_activity_at": "last_activity_at",
    }
    required_columns = ("login",)

    def sniff(self, path: Path) -> bool:
        head = head_text(path)
        return '"seats"' in head and '"assignee"' in head

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        seats, total = seat_pages(github_documents(path))
        records = [flatten(seat) for seat in seats]
        fields = record_fields(records)
        if not records:
            fields = list(self.default_columns.values())
        columns = self.column_map(fields, export, path)
        raw, ledger = json_table(records, columns, SEAT_FIELDS, fields)
        if total is not None and len(records) < total:
            ledger.notes.append(
                f"the file lists {len(records)} of the {total} seats the API reports: if the "
                "other pages are not in other files, export again with pagination "
                "(gh api --paginate)"
            )
        table = pd.DataFrame(index=raw.index)
        table["login"] = lower_text(raw[columns["login"]])
        ledger.reject(table["login"].isna(), "the seat is not assigned to a user (no assignee login)", columns["login"])
        for canonical in ("assigned_at", "last_activity_at"):
            table[canonical] = (
                parse_date(raw, columns[canonical], export, ledger, required=False)
                if canonical in columns
                else pd.Series(pd.NaT, index=raw.index)
            )
        table["source"] = self.name
        self._reject_repeated_assignees(table, columns["login"], ledger)
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _reject_repeated_assignees(table: pd.DataFrame, column: str, ledger: RowLedger) -> None:
        usable = table[ledger.ok.to_numpy()]
        latest_first = usable.sort_values("last_activity_at", ascending=False, na_position="last", kind="stable")
        repeated = latest_first["login"].duplicated(keep="first").reindex(table.index, fill_value=False)
        ledger.reject(repeated, "the assignee has another seat in this file (the most recently active is kept)", column)

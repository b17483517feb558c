"""Zendesk Support ticket CSV export (Admin Center > Account > Tools > Reports > CSV export).

Quirks handled:

* Zendesk e-mails a zip (``export_YYYY_MM_DD_<id>_1.csv``, ``_2.csv`` …): the
  zip itself is refused with a hint to unzip it; several CSV parts are
  stacked by listing them with a glob (``file: export_*.csv``).
* Columns as Zendesk names them (``Id``, ``Requester``, ``Requester external id``,
  ``Requester email``, ``Group``, ``Via``, ``Created at``, ``Solved at``,
  ``Tags``, ``Satisfaction Score``, ``Reopens``, ``First reply time in
  minutes`` …), compared without regard to case (``Id`` or ``ID``); a leading
  ``Summation column`` and custom-field columns (``Name [list]``) are ignored.
* Times are in the account's time zone; the day/month order is decided once
  per file unless ``date_format`` is set.
* First response: ``Created at`` plus ``First reply time in minutes`` (calendar
  minutes; a mapped ``first_response_at`` names another minutes column).
* ``Tags`` are space-separated; they become ``labels`` joined with ``; ``.
* ``Satisfaction Score`` is ``Good`` or ``Bad`` when a rating was given;
  ``Offered`` and ``Not Offered`` mean no rating and become empty.
* The requester defaults to ``Requester external id`` (the employee id an SSO
  setup passes); map ``person_id`` to another column when that is empty.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest import tickets_common as tickets
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings, Settings

NO_RATING = {"offered", "not offered", "unoffered"}


class ZendeskAdapter(ExportAdapter):
    name = "zendesk_csv"
    table = "tickets"
    label = "Zendesk ticket CSV export"
    candidates: tickets.Candidates = {
        "ticket_id": ("Id",),
        # the external id links best; the requester's e-mail, then display name, otherwise
        "person_id": ("Requester external id", "Requester email", "Requester"),
        "created_at": ("Created at",),
        "first_response_at": ("First reply time in minutes",),
        "resolved_at": ("Solved at",),
        "status": ("Status",),
        "priority": ("Priority",),
        "category": ("Ticket type",),
        "channel": ("Group",),
        "labels": ("Tags",),
        "reopen_count": ("Reopens",),
        "satisfaction": ("Satisfaction Score",),
    }
    default_columns = {field: names[0] for field, names in candidates.items()}
    required_columns = ("ticket_id", "created_at")

    def sniff(self, path: Path) -> bool:
        names = tickets.header_names(path)
        return {"id", "created at"} <= names and bool(names & {"solved at", "via", "summation column"})

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        refuse_zip(path)
        raw = read_any(path, export.sheet)
        columns = tickets.find_columns(
            list(raw.frame.columns), self.candidates, export, path, self.required_columns, self.label
        )
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table, warnings = tickets.common_fields(frame, columns, export, ledger, stamps=("created_at", "resolved_at"))
        table["first_response_at"] = first_reply(frame, columns.get("first_response_at"), table["created_at"], ledger)
        table["labels"] = tickets.split_list(frame[columns["labels"]], r"\s+") if "labels" in columns else None
        table["satisfaction"] = rating(table["satisfaction"])
        tickets.reject_out_of_order(table, columns, ledger)
        return ledger.result(self.table, path, self.name, table, warnings)


def refuse_zip(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # read_any reports it
    if head == b"PK\x03\x04" and path.suffix.lower() == ".zip":
        raise InputError(
            "this is the zip file Zendesk e-mails, not the CSV export inside it",
            file=path,
            hint="unzip it and name the export_*.csv file(s) under exports.tickets.file",
        )


def first_reply(frame: pd.DataFrame, column: str | None, created: pd.Series, ledger: RowLedger) -> pd.Series:
    """Created at + first reply time in (calendar) minutes; empty when there was no reply."""
    minutes = tickets.non_negative(frame, column, ledger, "first reply time")
    return (created + pd.to_timedelta(minutes, unit="m")).astype("datetime64[ns]")


def rating(satisfaction: pd.Series) -> pd.Series:
    """Keep a given rating; ``Offered`` / ``Not Offered`` are no rating."""
    no_rating = satisfaction.fillna("").map(tickets.header_key).isin(NO_RATING)
    return satisfaction.astype("object").where(~no_rating, None)

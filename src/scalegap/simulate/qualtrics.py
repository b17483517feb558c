"""Render the survey as a Qualtrics CSV export ("Use choice text", new format).

File conventions, as Qualtrics writes them:

* UTF-8 with a byte-order mark, CRLF line endings, fields quoted only when they
  contain a comma, quote or line break (quotes doubled); line breaks inside free
  text are kept as ``\\n`` inside the quoted field.
* Three header rows: column ids; question text (matrix items as
  ``"<prompt> - <statement>"``); ImportId JSON (``{"ImportId":"QID3_1"}``, and
  for the date columns ``{"ImportId":"startDate","timeZone":"Europe/London"}``).
* Dates ``YYYY-MM-DD HH:MM:SS``; ``Status`` 0; ``IPAddress``, latitude and
  longitude empty (anonymised); ``Finished`` ``True``/``False``; ``Progress``
  and ``Duration (in seconds)`` integers; ``DistributionChannel`` ``email``;
  ``UserLanguage`` ``EN``; Likert answers as choice text, blank if skipped.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap.simulate.instrument import FREE_TEXT_QUESTION, LIKERT_CHOICES, SURVEY_ITEMS

TIME_ZONE = "Europe/London"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# (column id, row-2 text, ImportId, with time zone)
METADATA_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("StartDate", "Start Date", "startDate", True),
    ("EndDate", "End Date", "endDate", True),
    ("Status", "Response Type", "status", False),
    ("IPAddress", "IP Address", "ipAddress", False),
    ("Progress", "Progress", "progress", False),
    ("Duration (in seconds)", "Duration (in seconds)", "duration", False),
    ("Finished", "Finished", "finished", False),
    ("RecordedDate", "Recorded Date", "recordedDate", True),
    ("ResponseId", "Response ID", "_recordId", False),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName", False),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName", False),
    ("RecipientEmail", "Recipient Email", "recipientEmail", False),
    ("ExternalReference", "External Data Reference", "externalDataReference", False),
    ("LocationLatitude", "Location Latitude", "locationLatitude", False),
    ("LocationLongitude", "Location Longitude", "locationLongitude", False),
    ("DistributionChannel", "Distribution Channel", "distributionChannel", False),
    ("UserLanguage", "User Language", "userLanguage", False),
)


def import_id_json(import_id: str, with_time_zone: bool = False) -> str:
    """Row-3 cell: compact JSON as Qualtrics writes it."""
    value = {"ImportId": import_id}
    if with_time_zone:
        value["timeZone"] = TIME_ZONE
    return json.dumps(value, separators=(",", ":"))


def header_rows() -> list[list[str]]:
    """The three Qualtrics header rows."""
    ids = [c[0] for c in METADATA_COLUMNS] + [i.column for i in SURVEY_ITEMS] + [FREE_TEXT_QUESTION.column]
    texts = [c[1] for c in METADATA_COLUMNS] + [i.question_text for i in SURVEY_ITEMS] + [FREE_TEXT_QUESTION.text]
    imports = (
        [import_id_json(c[2], c[3]) for c in METADATA_COLUMNS]
        + [import_id_json(i.import_id) for i in SURVEY_ITEMS]
        + [import_id_json(FREE_TEXT_QUESTION.import_id)]
    )
    return [ids, texts, imports]


def choice_text(value: Any) -> str:
    """Likert value 1..5 as its choice text, blank when missing."""
    return "" if pd.isna(value) else LIKERT_CHOICES[int(value) - 1]


def response_row(response: dict[str, Any]) -> list[str]:
    """One response as Qualtrics row cells."""
    metadata = [
        response["start_date"].strftime(DATE_FORMAT),
        response["end_date"].strftime(DATE_FORMAT),
        "0",
        "",
        str(int(response["progress"])),
        str(int(response["duration_seconds"])),
        str(bool(response["finished"])),
        response["recorded_date"].strftime(DATE_FORMAT),
        response["response_id"],
        response["recipient_last_name"],
        response["recipient_first_name"],
        response["recipient_email"],
        response["external_reference"],
        "",
        "",
        "email",
        "EN",
    ]
    answers = [choice_text(response[item.column]) for item in SURVEY_ITEMS]
    free_text = response["Q7"]
    return metadata + answers + ["" if pd.isna(free_text) else str(free_text)]


def survey_rows(survey: pd.DataFrame, anomalies: dict[str, Any]) -> list[list[str]]:
    """Data rows, with the planned out-of-scale answer and empty ResponseId applied."""
    out_of_scale = anomalies["out_of_scale_answer"]
    column_index = len(METADATA_COLUMNS) + [i.column for i in SURVEY_ITEMS].index(out_of_scale["column"])
    response_id_index = [c[0] for c in METADATA_COLUMNS].index("ResponseId")
    rows = []
    for response in survey.to_dict("records"):
        row = response_row(response)
        if response["response_id"] == out_of_scale["response_id"]:
            row[column_index] = out_of_scale["text"]
        if response["response_id"] == anomalies["empty_response_id"]["response_id"]:
            row[response_id_index] = ""
        rows.append(row)
    return rows


def write_qualtrics_csv(survey: pd.DataFrame, anomalies: dict[str, Any], path: Path) -> Path:
    """Write ``survey_qualtrics.csv``: BOM, CRLF, minimal quoting, three header rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerows(header_rows())
        writer.writerows(survey_rows(survey, anomalies))
    return path

"""SurveyMonkey "All responses data" export, CSV or XLSX (two header rows).

Row 1 holds the question text, over the first column of a question only (the
columns after it, up to the next question, are blank); row 2 the sub-header:
``Response``, ``Open-Ended Response``, an option text (multiple answers) or a
matrix row text.  Metadata columns come first with an empty sub-header:
``Respondent ID``, ``Collector ID``, ``Start Date``, ``End Date``, ``IP Address``,
``Email Address``, ``First Name``, ``Last Name``, ``Custom Data 1``; older exports
write ``RespondentID``, ``CollectorID``, ``StartDate``, ``EndDate``, ``IP Address``,
``Email Address``, ``First Name``, ``LastName``, ``Custom Data`` (both are read), and
re-published files may keep ``RespondentID`` only.

Each column is named ``"<question> | <sub-header>"`` (the question text carried
forward over the blanks, HTML tags such as ``<br>`` removed, whitespace collapsed), or
just the question text when the sub-header is empty.  A question with a single
column can also be mapped by its question text alone.  Map matrix rows, e.g.::

    columns: {Q1_1: "How much do you agree...? | Using the assistant improves my work"}

``recorded_at`` is ``End Date`` (text in the account's date format, e.g. ``09/17/2015
10:00:00 AM``: the day/month order is decided from the data, or set ``date_format``).  The export has
no completion flag: ``finished`` stays unknown unless a column is mapped to it.  No
column holds an employee id by default; where the collector passed one in the link,
map it: ``columns: {person_ref: "Custom Data 1"}``.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.ingest.survey_common import SurveyAdapter, SurveyTable, head_rows, plain_text, unique_aliases
from scalegap.ingest.text import RawTable, read_any, unique_names
from scalegap.settings import ExportSettings

RESPONDENT_IDS = ("respondent id", "respondentid")
SUB_HEADERS = ("response", "open-ended response")


def column_headers(question_row: list[str], sub_row: list[str]) -> list[tuple[str, str]]:
    """(question text, sub-header) per column, the question carried forward over blanks."""
    pairs = []
    question = ""
    for index, sub in enumerate(sub_row):
        cell = question_row[index] if index < len(question_row) else ""
        if cell.strip():
            question = plain_text(cell)
        pairs.append((question, plain_text(sub)))
    return pairs


def header_of(question: str, sub: str) -> str:
    if not question:
        return sub
    return f"{question} | {sub}" if sub else question


def looks_like_surveymonkey(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or not any(cell.casefold() in RESPONDENT_IDS for cell in rows[0]):
        return False
    return any(cell.casefold() in SUB_HEADERS for cell in rows[1])


class SurveyMonkeyAdapter(SurveyAdapter):
    name = "surveymonkey"
    label = "SurveyMonkey export (CSV or XLSX)"
    default_columns = {
        "response_id": "Respondent ID",
        "email": "Email Address",
        "recorded_at": "End Date",
    }
    alternative_columns = {"response_id": ("RespondentID",), "recorded_at": ("EndDate",)}
    #: older exports (and FiveThirtyEight's published sample) carry RespondentID only, no dates
    required_columns = ("response_id",)

    def sniff(self, path: Path) -> bool:
        return looks_like_surveymonkey(head_rows(path, 2))

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        raw = read_any(path, export.sheet, header_rows=2)
        pairs = column_headers(raw.header_rows[0], raw.header_rows[1])
        names = unique_names([header_of(question, sub) for question, sub in pairs])
        frame = raw.frame.copy()
        frame.columns = names
        table = RawTable(
            raw.path, [names], frame, raw.first_row, raw.encoding, raw.delimiter, raw.malformed, raw.row_numbers
        )
        by_question = [(question, name) for (question, _), name in zip(pairs, names)]
        return SurveyTable(table, unique_aliases(by_question))

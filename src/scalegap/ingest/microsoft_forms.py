"""Microsoft Forms responses, as "Open results in Excel" / "Download a copy" writes them (XLSX).

One header row: ``ID`` (1, 2, 3 ... per form), ``Start time``, ``Completion time``,
``Email``, ``Name``, in newer exports ``Last modified time``, in quizzes ``Total
points`` / ``Quiz feedback`` and per question ``Points - <question>`` / ``Feedback -
<question>``; then one column per question headed by its full text.  Map each item to
its header, e.g. ``columns: {Q1_1: "The assistant improves my work"}``.

``recorded_at`` is ``Completion time`` (an Excel date-time cell, or text such as
``7/27/26 19:06:23`` in a CSV copy, read as ISO or with the day/month order decided
from the data; set ``date_format`` when that is wrong).  Anonymous forms write
``anonymous`` as the e-mail: it is not an address and is left empty without a note.
Only submitted responses are recorded, so every row is finished.  A CSV saved from
the workbook is read too.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.ingest.survey_common import SurveyAdapter, SurveyTable, head_rows, starts_with
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings

LEADING_COLUMNS = ["ID", "Start time", "Completion time"]


class MicrosoftFormsAdapter(SurveyAdapter):
    name = "microsoft_forms"
    label = "Microsoft Forms responses (XLSX)"
    default_columns = {"response_id": "ID", "recorded_at": "Completion time", "email": "Email"}
    email_placeholders = frozenset({"anonymous"})
    only_submitted = True

    def sniff(self, path: Path) -> bool:
        rows = head_rows(path, 1)
        return bool(rows) and starts_with(rows[0], LEADING_COLUMNS)

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        return SurveyTable(read_any(path, export.sheet, header_rows=1))

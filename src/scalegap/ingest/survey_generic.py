"""Any other survey tool: one header row, CSV or XLSX, every column named in assessment.yml.

By default a column is found by the canonical field's name in any letter case, with
spaces or underscores (``response_id``, ``Response ID``, ``recorded at`` ...); map
the others under ``exports.survey.columns``::

    columns: {response_id: "Submission", recorded_at: "Submitted on", person_ref: "Staff no",
              Q1_1: "The assistant improves my work"}

``response_id`` and ``recorded_at`` are required; ``person_ref``, ``email``,
``finished`` (yes/no, true/false, 1/0), ``progress`` (0-100, ``%`` allowed) and
``status`` (rows marked preview, test or spam are rejected) are optional.  Without
``finished``, a response is finished when its progress is 100, else unknown.
Dates: ISO 8601, else the day/month order decided from the data, or ``date_format``.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.ingest.survey_common import SURVEY_FIELDS, SurveyAdapter, SurveyTable
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings


class GenericSurveyAdapter(SurveyAdapter):
    name = "survey_generic"
    label = "generic survey export (CSV or XLSX, one header row)"
    default_columns = {field: field for field in SURVEY_FIELDS}
    not_responses = frozenset({"preview", "survey preview", "test", "survey test", "test response", "spam"})

    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        return SurveyTable(read_any(path, export.sheet, header_rows=1))

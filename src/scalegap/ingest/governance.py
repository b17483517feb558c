"""Governance checklist (YAML, as written from templates/governance_checklist.yml)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from scalegap.errors import InputError
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger
from scalegap.settings import ExportSettings, Settings

STATUSES = ("in_place", "partial", "absent")
NIST_FUNCTIONS = ("Govern", "Map", "Measure", "Manage")
FIELDS = ("id", "area", "question", "nist_function", "nist_category", "status", "owner", "evidence")


class GovernanceYamlAdapter(ExportAdapter):
    name = "governance_yaml"
    table = "governance"
    label = "governance checklist (YAML)"

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        items, lines = _load_items(path)
        frame = pd.DataFrame([{key: _cell(item.get(key)) for key in FIELDS} for item in items],
                             columns=list(FIELDS), dtype="object")
        ledger = RowLedger(frame, first_row=0)  # positions, turned into YAML lines below
        ledger.reject(frame["id"].eq(""), "item has no id", "id")
        ledger.reject(frame["id"].ne("") & frame["id"].duplicated(), "item id repeats an earlier item", "id")
        ledger.reject(~frame["status"].str.lower().isin(STATUSES),
                      f"status must be one of {', '.join(STATUSES)}", "status")
        ledger.reject(~frame["nist_function"].str.title().isin(NIST_FUNCTIONS),
                      f"nist_function must be one of {', '.join(NIST_FUNCTIONS)}", "nist_function")
        table = frame.copy()
        table["status"] = table["status"].str.lower()
        table["nist_function"] = table["nist_function"].str.title()
        table = table.replace("", None)
        result = ledger.result(self.table, path, self.name, table)
        return _with_yaml_lines(result, lines)


def _load_items(path: Path) -> tuple[list[dict], list[int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = yaml.compose(text)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise InputError("the checklist is not UTF-8 text", file=path, hint="save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"cannot parse YAML: {getattr(exc, 'problem', None) or 'invalid YAML'}", file=path,
                         row=mark.line + 1 if mark else None, hint="check indentation and quoting") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError("the checklist must have a top-level 'items:' list", file=path,
                         hint="start from templates/governance_checklist.yml")
    items_node = next(value for key, value in document.value if key.value == "items")
    lines = [node.start_mark.line + 1 for node in items_node.value]
    items = [item if isinstance(item, dict) else {} for item in data["items"]]
    return items, lines


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _with_yaml_lines(result: IngestResult, lines: list[int]) -> IngestResult:
    line_of = dict(enumerate(lines))
    accepted = result.accepted.assign(source_row=result.accepted["source_row"].map(line_of))
    rejected = result.rejected.assign(source_row=result.rejected["source_row"].map(line_of))
    return IngestResult(result.table, result.source, result.format, accepted, rejected, result.rows_read,
                        result.warnings)

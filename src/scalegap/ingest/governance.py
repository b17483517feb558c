"""Governance checklist, as YAML or as an Excel workbook, both written by ``scalegap init`` from the packaged template
(``scalegap/assets/templates/client/``).

The YAML checklist (``governance_yaml``) is ``assets/templates/client/exports/governance_checklist.yml``;
rejected items are reported with their YAML line.  The workbook
(``governance_xlsx``) is ``assets/templates/client/governance_checklist.xlsx``,
generated from the YAML by ``scripts/make_governance_xlsx.py``: one sheet with
the columns id, area, question, nist_function, nist_category, status, owner,
evidence (headers compared without regard to case or spaces; ``sheet:``
picks another sheet); rejected rows are reported with their spreadsheet row.
Both go through the same checks: an id, given once; a NIST AI RMF function
(Govern, Map, Measure, Manage); a status (in_place, partial, absent — also
accepted as ``In place`` or ``in-place``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from scalegap.errors import InputError
from scalegap.ingest import vocabulary
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger, missing_column_error
from scalegap.ingest.text import read_workbook
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
        frame = pd.DataFrame(
            [{key: _cell(item.get(key)) for key in FIELDS} for item in items], columns=list(FIELDS), dtype="object"
        )
        ledger = RowLedger(frame, first_row=0)  # positions, turned into YAML lines below
        result = ledger.result(self.table, path, self.name, checked(frame, ledger, export))
        return _with_yaml_lines(result, lines)


class GovernanceXlsxAdapter(ExportAdapter):
    name = "governance_xlsx"
    table = "governance"
    label = "governance checklist (XLSX)"
    required_columns = ("id", "nist_function", "status")

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() in {".xlsx", ".xlsm"}

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = read_workbook(path, export.sheet)
        columns = _sheet_columns(list(raw.frame.columns), export, path, self.required_columns)
        frame = pd.DataFrame(
            {key: raw.frame[columns[key]].map(_cell) if key in columns else "" for key in FIELDS},
            index=raw.frame.index,
            dtype="object",
        )
        ledger = RowLedger.of(raw)
        return ledger.result(self.table, path, self.name, checked(frame, ledger, export))


def checked(frame: pd.DataFrame, ledger: RowLedger, export: ExportSettings) -> pd.DataFrame:
    """The checks every checklist passes (cells as trimmed text); the items normalised.

    ``values: {status: {Yes: in_place, Partly: partial, No: absent}}`` maps a checklist's own status words.
    """
    status = _mapped(frame["status"], vocabulary.value_map("governance", "status", export))
    status = status.str.lower().str.replace(r"[\s-]+", "_", regex=True)
    function = _mapped(frame["nist_function"], vocabulary.value_map("governance", "nist_function", export))
    function = function.str.title()
    ledger.reject(frame["id"].eq(""), "item has no id", "id")
    ledger.reject(frame["id"].ne("") & frame["id"].duplicated(), "item id repeats an earlier item", "id")
    ledger.reject(~status.isin(STATUSES), f"status must be one of {', '.join(STATUSES)}", "status")
    ledger.reject(
        ~function.isin(NIST_FUNCTIONS), f"nist_function must be one of {', '.join(NIST_FUNCTIONS)}", "nist_function"
    )
    return frame.assign(status=status, nist_function=function).replace("", None)


def _sheet_columns(headers: list[str], export: ExportSettings, path: Path, required: tuple[str, ...]) -> dict[str, str]:
    """Checklist field -> the sheet's header: as mapped under ``columns:``, else the field's own name.

    Headers are compared without regard to case or spaces (``Nist function`` is ``nist_function``).
    """
    unknown = sorted(set(export.columns) - set(FIELDS))
    if unknown:
        raise InputError(
            f"column mapping names unknown field(s) {unknown} for the governance checklist",
            file=path,
            hint=f"known fields: {', '.join(FIELDS)}",
        )
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_key(header), header)
    wanted = {key: export.columns.get(key, key) for key in FIELDS}
    for key, header in export.columns.items():
        if _key(header) not in by_key:
            raise missing_column_error(header, headers, path, f"fix columns: {{{key}: ...}} in assessment.yml")
    columns = {key: by_key[_key(header)] for key, header in wanted.items() if _key(header) in by_key}
    for key in required:
        if key not in columns:
            raise missing_column_error(
                key, headers, path, "start from the governance_checklist.xlsx that `scalegap init DIR` writes"
            )
    return columns


def _key(header: object) -> str:
    return "_".join(str(header).lower().split())


def _load_items(path: Path) -> tuple[list[dict], list[int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = yaml.compose(text)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise InputError("the checklist is not UTF-8 text", file=path, hint="save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"cannot parse YAML: {getattr(exc, 'problem', None) or 'invalid YAML'}",
            file=path,
            row=mark.line + 1 if mark else None,
            hint="check indentation and quoting",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError(
            "the checklist must have a top-level 'items:' list",
            file=path,
            hint="start from the governance_checklist.yml that `scalegap init DIR` writes",
        )
    assert document is not None  # the text held a mapping, so it has a document
    items_node = next(value for key, value in document.value if key.value == "items")
    lines = [node.start_mark.line + 1 for node in items_node.value]
    items = [item if isinstance(item, dict) else {} for item in data["items"]]
    refuse_cut_last_item(path, text, items, lines)
    return items, lines


def refuse_cut_last_item(path: Path, text: str, items: list[dict], lines: list[int]) -> None:
    """A checklist that ends without a line end in an item lacking fields every other item has was cut short."""
    if len(items) < 2 or text.endswith(("\n", "\r")):
        return
    shared = set.intersection(*(set(item) for item in items[:-1]))
    missing = sorted(shared - set(items[-1]))
    if missing:
        raise InputError(
            f"the checklist ends in the middle of item {len(items)} (line {lines[-1]}: no "
            f"{', '.join(missing)}, and no line end): a truncated file; the last complete item is "
            f"item {len(items) - 1}",
            file=path,
            row=lines[-1],
            hint="copy the whole checklist again",
        )


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _with_yaml_lines(result: IngestResult, lines: list[int]) -> IngestResult:
    line_of = dict(enumerate(lines))
    accepted = result.accepted.assign(source_row=result.accepted["source_row"].map(line_of))
    rejected = result.rejected.assign(source_row=result.rejected["source_row"].map(line_of))
    return IngestResult(
        result.table, result.source, result.format, accepted, rejected, result.rows_read, result.warnings
    )


def _mapped(cells: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Cells through a ``values:`` mapping (compared without case); unmapped cells as they are."""
    return cells.map(lambda cell: mapping.get(vocabulary.value_key(cell), cell)).astype("object")

"""Write the governance checklist workbook from the YAML checklist.

    python scripts/make_governance_xlsx.py           # rewrite the template's governance_checklist.xlsx
    python scripts/make_governance_xlsx.py --check   # exit 1 if the workbook no longer matches the YAML

The template's YAML (src/scalegap/assets/templates/client/exports/governance_checklist.yml) is the source
(the workbook sits beside exports/);
edit it, then run this script.  The workbook has one sheet, "Checklist", with
the checklist fields as headers (the names the ``governance_xlsx`` adapter
reads), one item per row, drop-down lists for ``nist_function`` and
``status``, and the YAML's instructions as a note on the ``status`` header.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scalegap.ingest.governance import FIELDS, NIST_FUNCTIONS, STATUSES

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "scalegap" / "assets" / "templates" / "client" / "exports" / "governance_checklist.yml"
TARGET = ROOT / "src" / "scalegap" / "assets" / "templates" / "client" / "governance_checklist.xlsx"
SHEET = "Checklist"
WIDTHS = {
    "id": 10,
    "area": 24,
    "question": 70,
    "nist_function": 15,
    "nist_category": 15,
    "status": 12,
    "owner": 24,
    "evidence": 50,
}
WRAPPED = ("question", "evidence")
#: rows below the items that keep the drop-down lists, for items the consultant adds
SPARE_ROWS = 100


def checklist_rows(source: Path) -> list[list[str]]:
    """The header and one row of text per YAML item."""
    items = yaml.safe_load(source.read_text(encoding="utf-8"))["items"]
    return [list(FIELDS)] + [["" if item.get(key) is None else str(item[key]) for key in FIELDS] for item in items]


def instructions(source: Path) -> str:
    """The YAML's leading comment block, without the comment marks."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def build(rows: list[list[str]], note: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for row in rows:
        sheet.append(row)
    style(sheet, len(rows))
    add_choices(sheet, "nist_function", NIST_FUNCTIONS, len(rows) + SPARE_ROWS)
    add_choices(sheet, "status", STATUSES, len(rows) + SPARE_ROWS)
    sheet.cell(row=1, column=FIELDS.index("status") + 1).comment = Comment(note, "scalegap", width=420, height=160)
    workbook.properties.creator = "scalegap"
    workbook.properties.title = "AI governance checklist"
    return workbook


def style(sheet: Worksheet, row_count: int) -> None:
    for index, field in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[field]
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = PatternFill("solid", fgColor="DDE4EE")
        if field in WRAPPED:
            for row in range(2, row_count + 1):
                sheet.cell(row=row, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{row_count}"


def add_choices(sheet: Worksheet, field: str, choices: tuple[str, ...], last_row: int) -> None:
    letter = get_column_letter(FIELDS.index(field) + 1)
    rule = DataValidation(
        type="list",
        formula1=f'"{",".join(choices)}"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=f"Not a {field}",
        error=f"{field} must be one of {', '.join(choices)}",
    )
    rule.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(rule)


def workbook_rows(target: Path) -> list[list[str]]:
    sheet = load_workbook(target, read_only=True)[SHEET]
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=TARGET)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    options = parser.parse_args(argv)
    rows = checklist_rows(options.source)
    if options.check:
        current = options.output.is_file() and workbook_rows(options.output) == rows
        print(f"{options.output}: {'up to date' if current else 'out of date: run this script'}")
        return 0 if current else 1
    build(rows, instructions(options.source)).save(options.output)
    print(f"wrote {options.output} ({len(rows) - 1} items)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Which file in exports/ is which table and format.

A vendor format is recognised by its adapter's ``sniff`` (Qualtrics' ImportId row, Jira's ``Issue key``,
GitHub's ``user_login`` and ``day`` ...).  Any other CSV or XLSX is scored against the tables whose generic
adapter reads any layout (roster, outcome records, tickets, usage): the table whose required fields its
headers name, with the most fields named, wins.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from scalegap.canonical import field_of
from scalegap.detect.columns import email_column, header_matches, person_column
from scalegap.detect.model import Guess
from scalegap.ingest import ADAPTERS, ExportAdapter
from scalegap.ingest.survey_common import head_rows
from scalegap.ingest.text import unique_names
from scalegap.resources import client_template_dir

#: the generic formats that read any layout, and the fields (any one of each group) a file must name
GENERIC = {
    "roster": ("roster", (("person_id",), ("department",), ("in_pilot",))),
    "outcomes": ("outcome_records", (("person_id",), ("assisted",), ("minutes_taken", "quality_score"))),
    "tickets": ("tickets_generic", (("ticket_id",), ("created_at",))),
    "usage": ("usage_daily", (("date",), ("person_id", "email", "login"), ("interactions", "active_minutes"))),
}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
#: adapters whose sniff says only "a workbook": recognised by their headers instead
LOOSE_SNIFFERS = {"governance_xlsx"}
SAMPLE_ROWS = 300


def vendor_formats(path: Path) -> list[ExportAdapter]:
    """The adapters whose sniff recognises the file, one per table, in the registry's order."""
    found: dict[str, ExportAdapter] = {}
    for adapter in ADAPTERS.values():
        if adapter.name in LOOSE_SNIFFERS or adapter.table in found:
            continue
        try:
            if adapter.sniff(path):
                found[adapter.table] = adapter
        except Exception:  # a sniffer meets files it was not written for; it says "no", never raises
            continue
    return list(found.values())


def sample(path: Path) -> tuple[list[str], pd.DataFrame]:
    """The header and the first rows of a CSV or XLSX file, as text ([] when unreadable)."""
    rows = head_rows(path, SAMPLE_ROWS + 1)
    if not rows:
        return [], pd.DataFrame()
    header = rows[0]
    body = [row[: len(header)] + [""] * (len(header) - len(row)) for row in rows[1:]]
    return header, pd.DataFrame(body, columns=unique_names(header), dtype="object")


def generic_table(
    header: list[str], sample: pd.DataFrame | None = None, people: dict[str, set[str]] | None = None
) -> tuple[str, str, str] | None:
    """(table, format, why) for a file of any layout whose headers (or, for people, values) name a table's
    required fields."""
    best: tuple[float, str, dict[str, Guess]] | None = None
    for table, (_, needed) in GENERIC.items():
        matched = proposed_columns(table, header, sample, people or {})
        if not all(any(field in matched for field in group) for group in needed):
            continue
        score = len(matched) / len(header) + len(matched)
        if best is None or score > best[0]:
            best = (score, table, matched)
    if best is None:
        return None
    _, table, matched = best
    named = ", ".join(f"{field} ({guess.value!r})" for field, guess in matched.items())
    return table, GENERIC[table][0], f"its columns name the {table} fields {named}"


def proposed_columns(
    table: str, header: list[str], sample: pd.DataFrame | None, people: dict[str, set[str]]
) -> dict[str, Guess]:
    """Field -> column by the headers, then e-mail and person columns by their values."""
    columns = header_matches(table, header)
    if sample is None or sample.empty:
        return columns
    taken = {guess.value for guess in columns.values()}
    if "email" not in columns and field_of(table, "email") is not None:
        guess = email_column(sample, taken)
        if guess is not None:
            columns["email"] = guess
            taken.add(guess.value)
    if "person_id" not in columns and table != "roster":
        guess = person_column(sample, taken, people)
        if guess is not None:
            columns["person_id"] = guess
    return columns


def governance_yaml(path: Path) -> str | None:
    """'template' for the unfilled template checklist, 'checklist' for a filled one, None for other YAML."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return None
    template = client_template_dir() / "exports" / "governance_checklist.yml"
    if template.is_file() and yaml.safe_load(template.read_text(encoding="utf-8")) == document:
        return "template"
    return "checklist"


def is_template_readme(path: Path) -> bool:
    template = client_template_dir() / "exports" / "README.txt"
    return path.name == "README.txt" and template.is_file() and path.read_bytes() == template.read_bytes()

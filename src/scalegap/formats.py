"""The reference of what scalegap reads, generated from the code so it can never drift from it.

``scalegap formats`` prints it, and the book carries it as an appendix page.  For each canonical table
(:data:`scalegap.canonical.SCHEMAS`) it lists every field with its type, whether it is required, the values
it accepts and the headers it is known by, then the export formats that fill the table (the ingest
adapters, with the quirks their module documents), and at the end the built-in yes/no words.
"""

from __future__ import annotations

import inspect
import sys

from scalegap.canonical import SCHEMAS, Column
from scalegap.ingest import ADAPTERS, GENERIC
from scalegap.ingest.vocabulary import YES_NO
from scalegap.markdown import cell

KINDS = {"text": "text", "number": "number", "flag": "yes / no", "timestamp": "date or time", "category": "category"}
TABLE_TITLES = {
    "roster": "HR roster",
    "survey": "Employee survey",
    "usage": "Usage telemetry (per person and day)",
    "org_usage": "Organisation usage (per day)",
    "seats": "Licences (seats)",
    "outcomes": "Outcome records",
    "tickets": "Support tickets",
    "governance": "Governance checklist",
}
SURVEY_NOTE = (
    "Besides these fields, the survey has one column per item and free-text question declared under "
    "`survey:` in assessment.yml (`constructs`, `reverse`, `free_text`), and answers on the declared "
    "scale (`scale_points`, `scale_labels`)."
)
#: fields filled by scalegap itself, never mapped
DERIVED = {"source"}


def formats_markdown() -> str:
    """The whole reference as Markdown (MyST-safe: no roles, directives or math)."""
    parts = [
        "# Export formats and fields",
        "What scalegap reads, generated from its code. Map a client's header to a field under "
        "`exports.<table>.columns` in assessment.yml, and a yes/no or category field's values under "
        "`exports.<table>.values`. `scalegap init --detect DIR` proposes both from the files.",
        "Headers are compared without letter case, spaces, underscores or hyphens.",
    ]
    for table, columns in SCHEMAS.items():
        parts += [f"## {TABLE_TITLES.get(table, table)} (`{table}`)", field_table(columns)]
        if table == "survey":
            parts.append(SURVEY_NOTE)
        parts += ["Formats (`format:` under the export in assessment.yml):", format_list(table)]
    parts += [
        "## Yes and no",
        yes_no_table(),
        "Any other value of a yes/no field is reported with the values seen and the line to add, e.g. "
        '`values: {in_pilot: {"Welle 1": yes, "Welle 2": no}}`.',
    ]
    return "\n\n".join(parts) + "\n"


def field_table(columns: tuple[Column, ...]) -> str:
    rows = [
        "| field | type | required | what it is | accepts | also known as |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for column in columns:
        if column.name in DERIVED:
            continue
        accepts = ", ".join(f"`{value}`" for value in column.accepted) or (
            "yes / no words (below)" if column.kind == "flag" else ""
        )
        names = ", ".join(column.synonyms[:10]) + (", …" if len(column.synonyms) > 10 else "")
        rows.append(
            f"| `{column.name}` | {KINDS[column.kind]} | {'yes' if column.required else ''} | "
            f"{cell(column.meaning)} | {accepts} | {cell(names)} |"
        )
    return "\n".join(rows)


def format_list(table: str) -> str:
    """Each format of the table (``format:`` in assessment.yml), then what its adapter's module says of the
    vendor's layout and quirks (formats sharing a module share the text)."""
    names = [
        f"- `{a.name}`: {a.label}" + (" (the default)" if GENERIC[table] == a.name else "")
        for a in ADAPTERS.values()
        if a.table == table
    ]
    modules = list(dict.fromkeys(type(a).__module__ for a in ADAPTERS.values() if a.table == table))
    notes = [quirks_of(module) for module in modules]
    return "\n".join(names) + "\n\n" + "\n\n".join(note for note in notes if note)


def quirks_of(module_name: str) -> str:
    """An adapter module's documentation as a quoted block: the vendor's layout and the quirks handled."""
    text = inspect.getdoc(sys.modules[module_name]) or ""
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def yes_no_table() -> str:
    rows = ["| language | yes | no |", "| --- | --- | --- |"]
    for language, (yes, no) in YES_NO.items():
        rows.append(f"| {language} | {', '.join(yes)} | {', '.join(word or '(blank)' for word in no)} |")
    return "\n".join(rows)

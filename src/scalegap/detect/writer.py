"""Writing a :class:`Detection` into assessment.yml, with a comment on each guess and TODOs for the rest.

The file is edited round-trip (ruamel.yaml keeps every comment and key order).  What the consultant wrote is
never overwritten: an export entry or a survey section is only replaced while it is still the client
template's own example (naming a file that is not in exports/); anything else is kept as it is, and the
proposal that was not applied is reported instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from scalegap.detect.model import Detection, ExportProposal, SurveyProposal
from scalegap.resources import client_template_dir

TODO = "TODO:"
TEMPLATE_NAME = "Client name"
WIDTH = 4096


@dataclass(frozen=True)
class WriteOutcome:
    text: str
    applied: tuple[str, ...]
    kept: tuple[str, ...]
    todos: int


def _yaml() -> YAML:
    handler = YAML()
    handler.width = WIDTH
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.preserve_quotes = True
    return handler


def template_settings() -> dict[str, Any]:
    return yaml.safe_load((client_template_dir() / "assessment.yml").read_text(encoding="utf-8"))


def write_detection(text: str, detection: Detection, exports: Path) -> WriteOutcome:
    """The assessment.yml text with the detection applied where it does not override the consultant."""
    handler = _yaml()
    document = handler.load(text) or CommentedMap()
    template = template_settings()
    applied: list[str] = []
    kept: list[str] = []
    section = document.get("exports")
    if not isinstance(section, CommentedMap):
        section = CommentedMap()
        document["exports"] = section
    for table in dict.fromkeys(proposal.table for proposal in detection.exports):
        current = section.get(table)
        if current is None or _is_template_example(table, current, template, exports):
            section[table] = export_entry(detection.of(table))
            applied.append(f"exports.{table}")
        else:
            kept.append(f"exports.{table}")
    for table in list(section):
        if table not in {p.table for p in detection.exports} and _is_template_example(
            table, section[table], template, exports
        ):
            del section[table]  # the template's example of a file the client did not send
    if detection.survey is not None:
        if document.get("survey") is None or _plain(document.get("survey")) == template.get("survey"):
            document["survey"] = survey_section(detection.survey)
            applied.append("survey")
        else:
            kept.append("survey")
    stream = io.StringIO()
    handler.dump(document, stream)
    body = stream.getvalue()
    if isinstance(document.get("client"), dict) and document["client"].get("name") == TEMPLATE_NAME:
        document["client"].yaml_add_eol_comment(f"{TODO} the client's name, as the book should show it", "name")
        stream = io.StringIO()
        handler.dump(document, stream)
        body = stream.getvalue()
    full = body if text.startswith(HEADER_MARK) else header(detection) + body
    return WriteOutcome(full, tuple(applied), tuple(kept), full.count(TODO))


HEADER_MARK = "# Proposed by `scalegap init --detect`"


def header(detection: Detection) -> str:
    lines = [
        f"{HEADER_MARK} on {date.today().isoformat()}: each guess says in a comment what it was based on;",
        f"# '{TODO}' marks what it could not infer. Running it again keeps what you edited here.",
    ]
    lines += [f"# {TODO} {todo}" for todo in detection.todos]
    lines += [f"# not used: exports/{unused.file}: {unused.why}" for unused in detection.unused]
    return "\n".join(lines) + "\n\n"


def _plain(node: Any) -> Any:
    return yaml.safe_load(_dump(node)) if node is not None else None


def _dump(node: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(node, stream)
    return stream.getvalue()


def _is_template_example(table: str, entry: Any, template: dict[str, Any], exports: Path) -> bool:
    """Still the template's own example entry, naming a file the client did not send."""
    example = (template.get("exports") or {}).get(table)
    plain = _plain(entry)
    if example is None or plain != example:
        return False
    files = [item.get("file") for item in (plain if isinstance(plain, list) else [plain]) if isinstance(item, dict)]
    return not any(file and any(exports.glob(file)) for file in files)


def export_entry(proposals: list[ExportProposal]) -> CommentedMap | CommentedSeq:
    entries = [_entry(proposal) for proposal in proposals]
    if len(entries) == 1:
        return entries[0]
    listed = CommentedSeq(entries)
    return listed


def _entry(proposal: ExportProposal) -> CommentedMap:
    entry = CommentedMap()
    entry["file"] = proposal.file
    entry.yaml_add_eol_comment(proposal.why, "file")
    entry["format"] = proposal.format
    if proposal.columns:
        columns = CommentedMap()
        for field, guess in proposal.columns.items():
            columns[field] = guess.value
            columns.yaml_add_eol_comment(guess.why, field)
        entry["columns"] = columns
    if proposal.values:
        values = CommentedMap()
        for field, mapping in proposal.values.items():
            inner = CommentedMap()
            for raw, guess in mapping.items():
                inner[raw] = guess.value
                inner.yaml_add_eol_comment(guess.why, raw)
            values[field] = inner
        entry["values"] = values
    if proposal.todos:
        last = list(entry)[-1]
        entry.yaml_set_comment_before_after_key(
            last, after="\n".join(f"{TODO} {todo}" for todo in proposal.todos), after_indent=4
        )
    return entry


def survey_section(survey: SurveyProposal) -> CommentedMap:
    section = CommentedMap()
    if survey.scale_labels is not None:
        section["scale_points"] = len(survey.scale_labels.value)
        labels = CommentedSeq(survey.scale_labels.value)
        labels.fa.set_flow_style()
        section["scale_labels"] = labels
        section.yaml_add_eol_comment(survey.scale_labels.why, "scale_labels")
    constructs = CommentedMap()
    for construct in survey.constructs:
        entry = CommentedMap()
        entry["label"] = construct.label
        items = CommentedSeq(construct.items)
        items.fa.set_flow_style()
        entry["items"] = items
        if construct.reverse:
            reverse = CommentedSeq(construct.reverse)
            reverse.fa.set_flow_style()
            entry["reverse"] = reverse
        constructs[construct.name] = entry
        constructs.yaml_add_eol_comment(construct.why, construct.name)
    section["constructs"] = constructs
    free = CommentedSeq(survey.free_text)
    free.fa.set_flow_style()
    section["free_text"] = free
    first = list(section)[0]
    section.yaml_set_comment_before_after_key(
        first, before="\n".join(f"{TODO} {todo}" for todo in survey.todos), indent=2
    )
    return section

"""From a folder of dropped exports to a proposal for assessment.yml (:class:`Detection`)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from scalegap.canonical import field_of
from scalegap.detect import recognise
from scalegap.detect.columns import category_values, flag_values
from scalegap.detect.model import Detection, ExportProposal, Guess, SurveyProposal, UnusedFile
from scalegap.detect.survey import propose_survey
from scalegap.errors import ScalegapError
from scalegap.ingest import ADAPTERS, ExportAdapter
from scalegap.ingest.survey_common import SurveyAdapter
from scalegap.ingest.text import read_any
from scalegap.settings import ExportSettings

#: tables read before the others, so later files can be matched against the roster's people
ORDER = ("roster",)


def detect_exports(exports: Path) -> Detection:
    """Recognise every file in ``exports`` and propose its table, format, columns and values."""
    files = sorted(
        (path for path in exports.rglob("*") if path.is_file() and not path.name.startswith(".")),
        key=lambda path: str(path.relative_to(exports)),
    )
    proposals: list[ExportProposal] = []
    unused: list[UnusedFile] = []
    survey: SurveyProposal | None = None
    people: dict[str, set[str]] = {}
    for path in sorted(files, key=lambda p: _roster_first(p)):
        name = str(path.relative_to(exports))
        found, reason, survey_here = recognise_file(path, name, people)
        if not found:
            unused.append(UnusedFile(name, reason))
        for proposal in found:
            proposals.append(proposal)
            if proposal.table == "roster" and not people:
                people = roster_people(path, proposal)
        survey = survey or survey_here
    ordered = sorted(proposals, key=lambda p: (list(ADAPTERS).index(p.format), p.file))
    return Detection(tuple(grouped(ordered)), survey, tuple(unused), tuple(overall_todos(ordered, survey)))


def _roster_first(path: Path) -> tuple[int, str]:
    header, _ = recognise.sample(path) if path.suffix.lower() in recognise.TEXT_SUFFIXES else ([], None)
    generic = recognise.generic_table(header)
    is_roster = generic is not None and generic[0] == "roster"
    return (0 if is_roster else 1, path.name)


def recognise_file(
    path: Path, name: str, people: dict[str, set[str]]
) -> tuple[list[ExportProposal], str, SurveyProposal | None]:
    """(proposals, why it is unused when there are none, the survey instrument when it is a survey)."""
    if path.suffix.lower() in {".yml", ".yaml"}:
        return _governance(path, name)
    if recognise.is_template_readme(path):
        return [], "the template's read-me", None
    vendors = recognise.vendor_formats(path)
    if vendors:
        return _vendor(path, name, vendors)
    if path.suffix.lower() not in recognise.TEXT_SUFFIXES:
        return [], "not a format scalegap reads (CSV, XLSX, JSON or the YAML checklist)", None
    header, sample = recognise.sample(path)
    table = recognise.generic_table(header, sample, people)
    if table is None:
        shown = ", ".join(repr(column) for column in header[:8])
        return [], f"its headers ({shown}) name no table's required fields; map it by hand if it is one", None
    return [generic_proposal(path, name, table, header, sample, people)], "", None


def _governance(path: Path, name: str) -> tuple[list[ExportProposal], str, None]:
    kind = recognise.governance_yaml(path)
    if kind == "checklist":
        return [ExportProposal("governance", name, "governance_yaml", "a YAML checklist with an items: list")], "", None
    if kind == "template":
        return (
            [],
            (
                "the blank template checklist: fill it in with the client (status, owner, evidence), then run "
                "init --detect again"
            ),
            None,
        )
    return [], "YAML that is not a governance checklist (no items: list)", None


def _vendor(
    path: Path, name: str, adapters: list[ExportAdapter]
) -> tuple[list[ExportProposal], str, SurveyProposal | None]:
    proposals = []
    survey = None
    for adapter in adapters:
        why = f"recognised as a {adapter.label} by its layout"
        todos: tuple[str, ...] = ()
        values: dict[str, dict[str, Guess]] = {}
        if adapter.table == "tickets":
            values, todos = ticket_channels(path, adapter)
        if isinstance(adapter, SurveyAdapter):
            try:
                survey = propose_survey(adapter.load(path, ExportSettings(file=name)))
            except ScalegapError as error:
                todos = (f"the survey could not be read to propose its instrument: {error.message}",)
        proposals.append(ExportProposal(adapter.table, name, adapter.name, why, {}, values, todos))
    return proposals, "", survey


def ticket_channels(path: Path, adapter: ExportAdapter) -> tuple[dict[str, dict[str, Guess]], tuple[str, ...]]:
    """Guessed channel values of a ticket export, from the column its format reads the channel from."""
    candidates = getattr(adapter, "candidates", {}).get("channel", ())
    try:
        frame = read_any(path).frame
    except ScalegapError:
        return {}, ()
    keys = {recognise_key(column): column for column in frame.columns}
    column = next((keys[recognise_key(name)] for name in candidates if recognise_key(name) in keys), None)
    if column is None:
        return {}, (
            "no request-channel column was found: map the column that says whether a ticket went to the "
            "pilot's build team or the service desk under columns: {channel: <header>}",
        )
    channel = field_of("tickets", "channel")
    assert channel is not None  # a field of the tickets schema
    mapped, todo = category_values(channel, column, frame[column])
    return ({"channel": mapped} if mapped else {}), ((todo,) if todo else ())


def recognise_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def generic_proposal(
    path: Path,
    name: str,
    found: tuple[str, str, str],
    header: list[str],
    sample: pd.DataFrame,
    people: dict[str, set[str]],
) -> ExportProposal:
    table, fmt, why = found
    columns = recognise.proposed_columns(table, header, sample, people)
    values, todos = value_proposals(path, table, columns, fmt)
    return ExportProposal(table, name, fmt, why, columns, values, todos)


def value_proposals(
    path: Path, table: str, columns: dict[str, Guess], fmt: str
) -> tuple[dict[str, dict[str, Guess]], tuple[str, ...]]:
    """Mappings for the yes/no and category fields' values, from the whole column."""
    wanted = [
        (field, guess.value)
        for field, guess in columns.items()
        if (column := field_of(table, field)) is not None and column.takes_values
    ]
    if not wanted or fmt == "usage_daily":
        return {}, ()
    frame = read_any(path).frame
    values: dict[str, dict[str, Guess]] = {}
    todos: list[str] = []
    for field, header in wanted:
        column = field_of(table, field)
        assert column is not None  # wanted holds fields of the table only
        mapped, todo = (
            flag_values(header, frame[header])
            if column.kind == "flag"
            else category_values(column, header, frame[header])
        )
        if mapped:
            values[field] = mapped
        if todo:
            todos.append(todo)
    return values, tuple(todos)


def roster_people(path: Path, proposal: ExportProposal) -> dict[str, set[str]]:
    """The roster's ids, e-mail addresses, logins and names (casefolded), to recognise person columns elsewhere."""
    try:
        frame = read_any(path).frame
    except ScalegapError:
        return {}
    found = {}
    for field, label in (
        ("person_id", "employee ids"),
        ("email", "e-mail addresses"),
        ("login", "logins"),
        ("name", "names"),
    ):
        if field in proposal.columns:
            found[label] = _keys(frame[proposal.columns[field].value])
    if "names" not in found and {"given_name", "family_name"} <= set(proposal.columns):
        given, family = (frame[proposal.columns[f].value].fillna("") for f in ("given_name", "family_name"))
        found["names"] = _keys(given.astype(str).str.strip() + " " + family.astype(str).str.strip())
    return found


def _keys(series: pd.Series) -> set[str]:
    keys = series.fillna("").astype(str).str.strip().str.casefold()
    return set(keys[keys.ne("")])


def grouped(proposals: list[ExportProposal]) -> list[ExportProposal]:
    """Files of one table and format stacked under one glob pattern where a pattern names exactly them."""
    result: list[ExportProposal] = []
    by_kind: dict[tuple[str, str], list[ExportProposal]] = {}
    for proposal in proposals:
        by_kind.setdefault((proposal.table, proposal.format), []).append(proposal)
    for (table, fmt), group in by_kind.items():
        pattern = common_pattern([proposal.file for proposal in group]) if len(group) > 1 else None
        if pattern is None:
            result.extend(group)
        else:
            first = group[0]
            result.append(
                ExportProposal(
                    table,
                    pattern,
                    fmt,
                    f"{len(group)} files of this layout: {first.why}",
                    first.columns,
                    first.values,
                    first.todos,
                )
            )
    return result


def common_pattern(files: list[str]) -> str | None:
    prefix = os.path.commonprefix(files)
    suffix = os.path.commonprefix([name[::-1] for name in files])[::-1]
    if len(prefix) + len(suffix) >= min(len(name) for name in files) or not prefix:
        return None
    return f"{prefix}*{suffix}"


def overall_todos(proposals: list[ExportProposal], survey: SurveyProposal | None) -> list[str]:
    todos = []
    tables = {proposal.table for proposal in proposals}
    if "roster" not in tables:
        todos.append(
            "no file was recognised as the HR roster, which every assessment needs: add it to exports/ "
            "(one row per employee: employee id, department, pilot yes/no)"
        )
    if "survey" in tables and survey is None:
        todos.append("declare the survey's items and scale under survey:")
    todos.append(
        "set conversion.tasks_per_week per department (tasks per person per week the assistant helps "
        "with), or leave it empty to estimate it from the outcome records"
    )
    return todos

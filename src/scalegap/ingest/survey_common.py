"""What every survey adapter shares: finding columns, and building the canonical survey table.

A survey adapter only says how its vendor's file is laid out (:meth:`SurveyAdapter.load`:
header rows, which header row names the columns, other names a column is known
by) and which headers the vendor uses by default.  Everything else is here:

* **Column mapping.**  ``exports.survey.columns`` in assessment.yml maps canonical
  fields (``response_id``, ``recorded_at`` ...) *and* item / free-text question ids
  to headers in the file, e.g. ``{Q1_1: "How much do you agree...? - Using the
  assistant improves my work"}``.  An id that is not mapped is looked up as a
  header itself.  A header is found as written, else ignoring letter case, spacing,
  underscores and HTML tags (``<br>``), else by one of the adapter's aliases (e.g.
  Qualtrics' question texts).  A required field or declared question that cannot be
  found raises :func:`missing_column_error` naming the closest header.
* **The canonical frame.**  Response id (empty or repeated: row rejected),
  ``recorded_at`` (required: empty or unreadable rejects the row), optional
  ``person_ref`` and ``email`` (a value that is not an address, or a vendor
  placeholder such as ``anonymous``, is left empty with a note), ``finished``
  (from the file; else ``progress`` of 100; else the adapter's rule) and
  ``progress``, preview/test/spam responses rejected where the file has a status,
  one column per Likert item (scale labels in any letter case or numbers on the
  scale, raw positions, never reversed here) and per free-text question (text).
* **No responses.**  A file with header rows but no responses gives an empty table (validation warns, and
  the chapters that read the survey say it was not assessed).

``sniff`` helpers read only the first rows of a file and never raise.
"""

from __future__ import annotations

import csv
import io
import re
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pandas as pd

from scalegap.canonical import column_names
from scalegap.errors import InputError, ScalegapError, raise_all
from scalegap.ingest import values, vocabulary
from scalegap.ingest.base import ExportAdapter, IngestResult, RowLedger, missing_column_error
from scalegap.ingest.likert import likert_scores, refuse_misfit_scale
from scalegap.ingest.text import RawTable, detect_delimiter, detect_encoding
from scalegap.settings import ExportSettings, Settings, SurveySettings

#: fields a survey adapter reads besides the questions (``status`` only filters rows)
SURVEY_FIELDS = ("response_id", "person_ref", "email", "recorded_at", "finished", "progress", "status")
_TAG = re.compile(r"<[^>]*>")
_SNIFF_BYTES = 64 * 1024


def plain_text(text: str) -> str:
    """Header text without HTML tags and with single spaces (``a <br>b`` -> ``a b``)."""
    return " ".join(_TAG.sub(" ", text).replace("\u00a0", " ").split())


def normalised(name: str) -> str:
    """How two headers are compared when not written identically."""
    return plain_text(name.replace("_", " ")).casefold()


@dataclass(frozen=True)
class SurveyTable:
    """A survey export as read: its rows, and other names its columns are known by."""

    raw: RawTable
    #: another name (a label, a question text) -> column of ``raw.frame``
    aliases: dict[str, str] = field(default_factory=dict)


def unique_aliases(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """name -> column for names that point at one column only (blank names dropped)."""
    targets: dict[str, set[str]] = {}
    for name, column in pairs:
        if name.strip():
            targets.setdefault(name, set()).add(column)
    return {name: next(iter(columns)) for name, columns in targets.items() if len(columns) == 1}


class HeaderIndex:
    """Finds the column a consultant means by a header, as typed in assessment.yml."""

    def __init__(self, columns: Sequence[str], aliases: Mapping[str, str]) -> None:
        self.columns = list(columns)
        self.aliases = dict(aliases)
        self._loose: list[dict[str, set[str]]] = [{}, {}]
        for column in self.columns:
            self._loose[0].setdefault(normalised(column), set()).add(column)
        for alias, column in self.aliases.items():
            self._loose[1].setdefault(normalised(alias), set()).add(column)

    def find(self, name: str) -> str | None:
        if name in self.columns:
            return name
        if name in self.aliases:
            return self.aliases[name]
        for loose in self._loose:
            hits = loose.get(normalised(name), set())
            if len(hits) == 1:
                return next(iter(hits))
        return None

    def names(self) -> list[str]:
        """Every name a column can be mapped by (for the closest-match hint)."""
        return self.columns + [alias for alias in self.aliases if alias not in self.columns]


class SurveyAdapter(ExportAdapter):
    """Base of the survey adapters: the vendor layout comes from :meth:`load`, the rest is shared.

    Subclasses set ``name``, ``label``, ``default_columns`` (field -> the vendor's header) and
    the class variables below; :meth:`response_ids` and :meth:`parse_recorded_at` are the
    hooks for vendors without response ids (Google Forms) or with odd time stamps.
    """

    table = "survey"
    required_columns: ClassVar[tuple[str, ...]] = ("response_id", "recorded_at")
    #: canonical field -> headers older or localised exports use instead of the default
    alternative_columns: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: strftime format of recorded_at when assessment.yml gives none (None: decided from the data)
    date_format: ClassVar[str | None] = None
    #: status values of responses that are not real (preview, test, spam), lower case
    not_responses: ClassVar[frozenset[str]] = frozenset()
    #: e-mail values that stand for "no address" (e.g. Microsoft Forms' "anonymous"), lower case
    email_placeholders: ClassVar[frozenset[str]] = frozenset()
    #: the tool only records submitted responses, so a row without a completion column is finished
    only_submitted: ClassVar[bool] = False

    @abstractmethod
    def load(self, path: Path, export: ExportSettings) -> SurveyTable:
        """Read the file's rows, with column names that the mapping can refer to."""

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        survey = self.load(path, export)
        raw = survey.raw
        questions = settings.survey.item_ids() + list(settings.survey.free_text)
        columns = self.column_map(list(raw.frame.columns), export, path, questions=questions, aliases=survey.aliases)
        ledger = RowLedger.of(raw)
        if raw.frame.empty:  # an empty table: the chapters that read the survey say it was not assessed
            return ledger.result(
                self.table, path, self.name, self.canonical_frame(raw, columns, export, settings.survey, ledger)
            )
        refuse_misfit_scale(
            raw.frame,
            [columns[item] for item in settings.survey.item_ids()],
            settings.survey,
            path,
            settings.validation.max_off_scale_share,
        )
        ledger = RowLedger.of(raw)
        table = self.canonical_frame(raw, columns, export, settings.survey, ledger)
        return ledger.result(self.table, path, self.name, table)

    # -- column mapping -------------------------------------------------------------------

    def column_map(
        self,
        header: list[str],
        export: ExportSettings,
        path: Path,
        sample: pd.DataFrame | None = None,
        questions: Sequence[str] = (),
        aliases: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """Canonical field and question id -> column, from defaults, aliases and assessment.yml.

        Every survey field can be mapped, whether or not the vendor has a default header for it.  ``sample``
        (the base adapter's rows to look at) is not needed here: the survey maps by header alone.
        """
        self._check_mapping_keys(export, path, questions)
        index = HeaderIndex(header, aliases or {})
        present = {
            field_: column
            for field_ in SURVEY_FIELDS
            if (column := self._field_column(field_, export, index)) is not None
        }
        errors: list[ScalegapError] = []
        for field_ in dict.fromkeys([*self.required_columns, *(f for f in SURVEY_FIELDS if f in export.columns)]):
            if field_ not in present:
                wanted = export.columns.get(field_, self.default_columns.get(field_, field_))
                errors.append(
                    missing_column_error(
                        wanted,
                        index.names(),
                        path,
                        self._field_fix(field_, export),
                        "survey",
                        field_,
                        mapped=field_ in export.columns,
                    )
                )
        for question in questions:
            wanted = export.columns.get(question, question)
            column = index.find(wanted)
            if column is None:
                errors.append(missing_column_error(wanted, index.names(), path, self._question_fix(question, wanted)))
            else:
                present[question] = column
        raise_all(errors)
        return present

    def _check_mapping_keys(self, export: ExportSettings, path: Path, questions: Sequence[str]) -> None:
        clashes = sorted(set(questions) & (set(SURVEY_FIELDS) | set(column_names("survey"))))
        if clashes:
            raise InputError(
                f"question id(s) {clashes} clash with the survey's own fields",
                file=path,
                hint="rename them under survey in assessment.yml",
            )
        unknown = set(export.columns) - set(SURVEY_FIELDS) - set(questions)
        if unknown:
            raise InputError(
                f"column mapping names unknown field(s) {sorted(unknown)} for {self.label}",
                file=path,
                hint=f"known fields: {', '.join(SURVEY_FIELDS)}, or an item / free-text id declared "
                "under survey in assessment.yml",
            )

    def _field_column(self, field_: str, export: ExportSettings, index: HeaderIndex) -> str | None:
        if field_ in export.columns:
            return index.find(export.columns[field_])
        defaults = (self.default_columns.get(field_), *self.alternative_columns.get(field_, ()))
        for candidate in defaults:
            column = index.find(candidate) if candidate else None
            if column is not None:
                return column
        return None

    def _field_fix(self, field_: str, export: ExportSettings) -> str:
        if field_ in export.columns:
            return f"fix the header given for {field_} under exports.survey.columns in assessment.yml"
        return (
            f"if the file is not a {self.label}, set exports.survey.format in assessment.yml; "
            f"otherwise map it under exports.survey.columns: {{{field_}: <header>}}"
        )

    @staticmethod
    def _question_fix(question: str, wanted: str) -> str:
        if wanted != question:
            return f"fix the header given for {question} under exports.survey.columns in assessment.yml"
        return (
            f"map {question} to its header under exports.survey.columns in assessment.yml, "
            "or fix the id under survey in assessment.yml"
        )

    # -- the canonical frame --------------------------------------------------------------

    def canonical_frame(
        self, raw: RawTable, columns: dict[str, str], export: ExportSettings, survey: SurveySettings, ledger: RowLedger
    ) -> pd.DataFrame:
        frame = raw.frame
        self._reject_non_responses(frame, columns.get("status"), ledger)  # the first reason for such rows
        table = pd.DataFrame({"response_id": self.response_ids(raw, columns, ledger)})
        table["recorded_at"] = self._recorded_at(raw, columns.get("recorded_at"), export, ledger)
        table["person_ref"] = self._text(frame, columns.get("person_ref"))
        table["email"] = self._email(frame, columns.get("email"), ledger)
        table["progress"] = self._progress(frame, columns.get("progress"), ledger)
        table["finished"] = self._finished(frame, columns.get("finished"), table["progress"], ledger, export)
        for item in survey.item_ids():
            table[item] = likert_scores(frame[columns[item]], survey, ledger, columns[item])
        for question in survey.free_text:
            table[question] = values.text(frame[columns[question]])
        return table

    def response_ids(self, raw: RawTable, columns: dict[str, str], ledger: RowLedger) -> pd.Series:
        """The response id column; empty and repeated ids reject their rows."""
        column = columns["response_id"]
        ids = values.text(raw.frame[column])
        ledger.reject(ids.isna(), "response id is empty", column)
        ledger.reject(
            ids.notna() & ids.duplicated(keep="first"), "response id repeats an earlier row (the first is kept)", column
        )
        return ids

    def parse_recorded_at(
        self, answers: pd.Series, export: ExportSettings, notes: list[str]
    ) -> tuple[pd.Series, pd.Series]:
        """(parsed, bad) for the recorded-at column; adapters with odd stamps override this."""
        return values.dates(answers, export.date_format or self.date_format, notes)

    def _recorded_at(self, raw: RawTable, column: str | None, export: ExportSettings, ledger: RowLedger) -> pd.Series:
        frame = raw.frame
        if column is None:  # only where the format may lack it (see required_columns)
            ledger.notes.append(
                "the export has no response date: of several responses from one person, the "
                "one further down the file is kept"
            )
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        try:
            parsed, bad = self.parse_recorded_at(frame[column], export, ledger.notes)
        except ValueError as exc:  # a date_format pandas cannot use
            raise InputError(
                f"date_format {export.date_format!r} cannot be used ({exc})",
                file=raw.path,
                column="exports.survey.date_format",
                hint="give a strftime format such as %d/%m/%Y %H:%M",
            ) from None
        fmt = export.date_format or self.date_format
        ledger.reject(values.blank(frame[column]), "recorded date is empty", column)
        ledger.reject(bad, f"value is not a date in the format {fmt}" if fmt else "value is not a date", column)
        return parsed

    @staticmethod
    def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
        if column is None:
            return pd.Series([None] * len(frame), dtype="object")
        return values.text(frame[column])

    def _email(self, frame: pd.DataFrame, column: str | None, ledger: RowLedger) -> pd.Series:
        if column is None:
            return pd.Series([None] * len(frame), dtype="object")
        given = frame[column].fillna("").astype(str).str.strip()
        placeholder = given.str.lower().isin(self.email_placeholders)
        parsed, bad = values.email(given.where(~placeholder, ""))
        if bad.any():
            ledger.notes.append(
                f"{int(bad.sum())} value(s) in {column!r} are not e-mail addresses; "
                "they were left empty (the responses are kept)"
            )
        return parsed

    @staticmethod
    def _progress(frame: pd.DataFrame, column: str | None, ledger: RowLedger) -> pd.Series:
        if column is None:
            return pd.Series(float("nan"), index=frame.index, dtype="float64")
        parsed, bad = values.number(frame[column].astype("object").str.rstrip("%"))
        ledger.reject(bad, "value is not a number", column)
        return parsed

    def _finished(
        self, frame: pd.DataFrame, column: str | None, progress: pd.Series, ledger: RowLedger, export: ExportSettings
    ) -> pd.Series:
        if column is not None:
            parsed, bad = values.flag(frame[column], vocabulary.value_map("survey", "finished", export))
            ledger.reject(bad, "value is not a yes/no value", column)
            if bad.any():
                ledger.notes.append(vocabulary.unmapped_values_note("survey", "finished", column, frame[column], bad))
            return parsed.astype("boolean")
        if progress.notna().any():
            return (progress >= 100).astype("boolean").where(progress.notna(), pd.NA)
        fill = True if self.only_submitted else pd.NA
        return pd.Series(fill, index=frame.index, dtype="boolean")

    def _reject_non_responses(self, frame: pd.DataFrame, column: str | None, ledger: RowLedger) -> None:
        if column is None or not self.not_responses:
            return
        status = frame[column].fillna("").astype(str).str.strip().str.lower()
        ledger.reject(status.isin(self.not_responses), "survey preview, test or spam response", column)


# -- sniffing: the first rows of a file, never raising --------------------------------------


def head_rows(path: Path, rows: int = 3) -> list[list[str]]:
    """The first ``rows`` non-blank rows of a CSV or XLSX file as text; [] when unreadable."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return []
    if head.startswith(b"PK\x03\x04"):
        return _workbook_head(path, rows)
    try:
        text = head.decode(detect_encoding(head), errors="replace")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
        found = []
        for record in reader:
            if any(cell.strip() for cell in record):
                found.append([cell.strip() for cell in record])
            if len(found) == rows:
                break
        return found
    except (csv.Error, UnicodeError, LookupError):
        return []


def _workbook_head(path: Path, rows: int) -> list[list[str]]:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            found = []
            for record in sheet.iter_rows(max_row=rows + 20, values_only=True):
                cells = ["" if cell is None else str(cell).strip() for cell in record]
                if any(cells):
                    found.append(cells)
                if len(found) == rows:
                    break
            return found
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many types for files it cannot read; sniffing says "no"
        return []


def starts_with(row: Sequence[str], names: Sequence[str]) -> bool:
    """Does the row begin with these cells (letter case ignored)?"""
    return len(row) >= len(names) and all(cell.casefold() == name.casefold() for cell, name in zip(row, names))

"""Problems found while reading a client's exports, and the checks that block a run.

Every problem has a severity: *blocking* problems stop ``scalegap run`` (an unreadable file, a missing
required column, no roster, a table that would lose most of its rows); *warnings* are reported and the run goes
on (rows rejected, respondents not in the roster).  Rows that cannot be used move to the table's rejects with a
reason; nothing is dropped silently, so rows read = rows accepted + rows rejected holds after linking too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from scalegap.errors import ScalegapError
from scalegap.prepare.people import LinkReport
from scalegap.prepare.read import TableData, TableIntake, superseded_mask
from scalegap.settings import Settings

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    @classmethod
    def from_error(cls, error: ScalegapError) -> Problem:
        return cls("blocking", error.message, error.file, error.row, error.column, error.hint)

    @classmethod
    def all_from(cls, error: ScalegapError) -> list[Problem]:
        """One blocking problem per error (several when the error is a :class:`ScalegapErrors`)."""
        return [cls.from_error(each) for each in getattr(error, "errors", (error,))]

    def one_line(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else None,
                f"column {self.column!r}" if self.column else None,
            )
            if part
        )
        text = f"{self.severity}: {where}: {self.message}" if where else f"{self.severity}: {self.message}"
        return text + (f" — {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class ValidationReport:
    intakes: tuple[TableIntake, ...]
    problems: tuple[Problem, ...]
    #: what linking people to the roster achieved, per table
    links: tuple[LinkReport, ...] = ()

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "blocking")

    @property
    def ok(self) -> bool:
        return not self.blocking


def reason_kind(reason: object) -> str:
    """A rejection reason without the row it names (``duplicate of row 12`` -> ``duplicate of an earlier row``), so
    reasons of one kind are counted together."""
    return re.sub(r"\bduplicate of row \d+", "duplicate of an earlier row", str(reason))


def by_reason(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows with their reasons of one kind made alike, and an empty column for none."""
    return rejected.fillna({"column": ""}).assign(reason=rejected["reason"].map(reason_kind))


def rejection_warnings(data: TableData) -> list[Problem]:
    """One warning per column and kind of reason, pointing at the first file and row it happened on; rows a later
    row supersedes are said to be superseded, not rejected.  Rows counted but not listed (a warehouse table's
    beyond its sample) are counted with the listed rows of their reason."""
    if data.rejected.empty:
        return []
    rejected = by_reason(data.rejected).assign(superseded=superseded_mask(data.rejected))
    unlisted = data.unlisted().groupby(["column", "reason"])["rows"].sum()
    problems = []
    for (column, reason, superseded), rows in rejected.groupby(["column", "reason", "superseded"], sort=False):
        first = rows.iloc[0]
        files = rows["source_file"].nunique()
        where = f" in {files} files" if files > 1 else ""
        count = len(rows) + (0 if superseded else int(unlisted.get((column, reason), 0)))
        problems.append(
            Problem(
                "warning",
                f"{count} row(s) {'superseded' if superseded else 'rejected'}{where}: {reason}",
                first["source_file"],
                int(first["source_row"]) if pd.notna(first["source_row"]) else None,
                column or None,
                f"see _build/rejects/{data.table}.csv",
            )
        )
    return problems


# -- when what is left would make the book wrong: the run blocks -------------------------------------------------

#: tables whose rows must mostly link to roster people for their chapters to be right
LINKED_TABLES = ("usage", "tickets")


def files_label(data: TableData) -> str:
    """The table's file, or its first file and how many more."""
    files = list(dict.fromkeys(read.file for read in data.files))
    return files[0] + (f" (and {len(files) - 1} more files)" if len(files) > 1 else "")


def lost_rows(data: TableData) -> pd.DataFrame:
    """Rejected rows that count as a loss: all but those a later row supersedes."""
    if data.rejected.empty:
        return data.rejected
    return data.rejected[~superseded_mask(data.rejected)]


def lost_by_reason(data: TableData) -> pd.Series:
    """Rows lost per (column, kind of reason): the listed ones and those only counted (a warehouse's)."""
    lost = by_reason(lost_rows(data)) if len(data.rejected) else pd.DataFrame(columns=["column", "reason"])
    listed = lost.groupby(["column", "reason"], sort=False).size()
    unlisted = data.unlisted().groupby(["column", "reason"], sort=False)["rows"].sum()
    return listed.add(unlisted, fill_value=0).astype("int64") if len(unlisted) else listed


def loss_problems(data: TableData, max_share: float) -> list[Problem]:
    """Block a table that ends up empty, or that would lose more than ``max_share`` of its rows.

    Superseded rows are neither a loss nor rows of the table: the share lost is of the rows that are the latest
    (accepted + rejected), so 25 weekly licence reports superseded by the 26th do not dilute what the 26th lost.
    """
    top = lost_by_reason(data).sort_values(ascending=False, kind="stable")
    lost = int(top.sum())
    read = data.accepted_rows + data.merged + lost
    if not read or not lost:
        return []
    files = files_label(data)
    (column, reason), count = next(iter(top.items()))
    most = f"most often: {reason} ({count:,} rows{f', column {column!r}' if column else ''})"
    hint = _value_hint(data, column) or (
        f"see _build/rejects/{data.table}.csv; fix the mapping in assessment.yml"
        if data.accepted_rows
        else "check the column mapping and values: in assessment.yml"
    )
    if not data.accepted_rows:
        return [
            Problem(
                "blocking",
                f"the {data.table} table has no usable rows: none of its {read:,} rows can be used; {most}",
                files,
                column=column or None,
                hint=hint,
            )
        ]
    share = lost / read
    if share <= max_share:
        return []
    return [
        Problem(
            "blocking",
            f"the {data.table} table would lose {lost:,} of its {read:,} rows ({share:.0%}), "
            f"more than validation.max_rejected_share ({max_share:.0%}); {most}",
            files,
            column=column or None,
            hint=hint + " (or raise validation.max_rejected_share)",
        )
    ]


def _value_hint(data: TableData, column: str) -> str | None:
    """The file's note on the column's unreadable values (it carries the YAML to add), if there is one."""
    if not column:
        return None
    return next(
        (
            warning.split(" — ", 1)[-1]
            for read in data.files
            for warning in read.warnings
            if f"column {column!r}" in warning and "add to assessment.yml" in warning
        ),
        None,
    )


def roster_problems(roster: TableData) -> list[Problem]:
    """Block a roster without usable rows, and a pilot flag that marks no one, or everyone, as a pilot member."""
    people = roster.accepted
    if people.empty:
        if len(roster.rejected):
            return []  # loss_problems says why
        return [
            Problem(
                "blocking",
                "the roster has no usable rows",
                roster.files[0].file,
                hint="check the rejects and the column mapping; every assessment needs the roster",
            )
        ]
    pilot = int(people["in_pilot"].sum())
    if 0 < pilot < len(people):
        return []
    what = "no one" if pilot == 0 else f"all {len(people):,} people"
    return [
        Problem(
            "blocking",
            f"the roster's pilot flag marks {what} as pilot members, so the pilot cannot be "
            "compared with the rest of the organisation",
            roster.files[0].file,
            column="in_pilot",
            hint="check exports.roster.columns.in_pilot, and map the column's values under values: "
            "{in_pilot: {<value>: yes|no}}",
        )
    ]


def empty_export_warnings(data: TableData) -> list[Problem]:
    """An export with headers but no data rows is not an error: the chapters that read it say it was not assessed."""
    if data.table == "roster" or data.accepted_rows or len(data.rejected):
        return []
    return [
        Problem(
            "warning",
            f"the {data.table} export has no data rows: the chapters that use it will say it was not assessed",
            files_label(data),
            hint="export it again if it should have rows (check the export's date range and filters)",
        )
    ]


def link_problems(data: TableData, min_share: float) -> list[Problem]:
    """Block a usage or ticket table whose rows mostly cannot be linked to roster people."""
    report = data.linking
    if data.table not in LINKED_TABLES or report is None or not report.rows:
        return []
    share = report.linked_share or 0.0
    if share >= min_share:
        return []
    files = files_label(data)
    return [
        Problem(
            "blocking",
            f"only {report.linked:,} of the {data.table} table's {report.rows:,} rows "
            f"({share:.0%}) link to roster people, below validation.min_linked_share ({min_share:.0%})",
            files,
            column="person_id",
            hint=f"map the column that names people (an employee id, e-mail, login or display name) and "
            f"check the roster has it; {report.summary(examples=False)}",
        )
    ]


def link_warnings(data: TableData) -> list[Problem]:
    """Say what linking left ambiguous or unmatched (the counts, with examples for the consultant)."""
    report = data.linking
    if report is None or data.table == "survey":
        return []  # unmatched respondents have their own warning
    if not report.ambiguous and not (data.table == "tickets" and report.unmatched):
        return []  # rows of other tables that link to nobody are rejected, and reported as such
    files = files_label(data)
    return [
        Problem(
            "warning",
            report.summary(examples=False),
            files,
            column="person_id",
            hint="link more people by mapping an employee id or e-mail column, or add them to the roster",
        )
    ]


def table_problems(tables: dict[str, TableData], settings: Settings) -> list[Problem]:
    """Per table: blocking losses, pilot and linking, then the warnings (rejections, file notes, linking)."""
    blocking: list[Problem] = roster_problems(tables["roster"]) if "roster" in tables else []
    warnings: list[Problem] = []
    for data in tables.values():
        blocking.extend(loss_problems(data, settings.validation.max_rejected_share))
        blocking.extend(link_problems(data, settings.validation.min_linked_share))
        warnings.extend(empty_export_warnings(data))
        warnings.extend(rejection_warnings(data))
        warnings.extend(Problem("warning", text, read.file) for read in data.files for text in read.warnings)
        warnings.extend(link_warnings(data))
    return blocking + warnings


def matching_warnings(tables: dict[str, TableData]) -> list[Problem]:
    if "survey" not in tables or tables["survey"].linking is None:
        return []
    survey = tables["survey"]
    unmatched = int(survey.accepted["matched_by"].eq("unmatched").sum())
    if not unmatched:
        return []
    return [
        Problem(
            "warning",
            f"{unmatched} survey respondent(s) are not in the roster; they are kept and reported as unmatched",
            ", ".join(read.file for read in survey.files),
            column="employee ID / e-mail",
            hint="add them to the roster if they are employees",
        )
    ]

"""Validation: problems found while reading a client's exports, and identity matching.

Every problem has a severity: *blocking* problems stop ``scalegap run`` (an
unreadable file, a missing required column, no roster); *warnings* are
reported and the run goes on (rows rejected, respondents not in the roster).
Rows that cannot be used move to the table's rejects with a reason; nothing is
dropped silently, so rows read = rows accepted + rows rejected holds after
matching too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, TypeVar

import pandas as pd

from scalegap.errors import ScalegapError

if TYPE_CHECKING:
    from scalegap.prepare import TableData

Severity = Literal["blocking", "warning"]
#: anything with ``accepted`` and ``rejected`` frames (an IngestResult or a stacked TableData)
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    @classmethod
    def from_error(cls, error: ScalegapError) -> "Problem":
        return cls("blocking", error.message, error.file, error.row, error.column, error.hint)

    def one_line(self) -> str:
        where = ", ".join(part for part in (
            self.file, f"row {self.row}" if self.row is not None else None,
            f"column {self.column!r}" if self.column else None) if part)
        text = f"{self.severity}: {where}: {self.message}" if where else f"{self.severity}: {self.message}"
        return text + (f" — {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class TableIntake:
    """Row accounting of one export file."""

    table: str
    file: str
    format: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int


@dataclass(frozen=True)
class ValidationReport:
    intakes: tuple[TableIntake, ...]
    problems: tuple[Problem, ...]

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "blocking")

    @property
    def ok(self) -> bool:
        return not self.blocking


def rejection_warnings(data: "TableData") -> list[Problem]:
    """One warning per column and reason, pointing at the first file and row it happened on."""
    if data.rejected.empty:
        return []
    rejected = data.rejected.fillna({"column": ""})
    problems = []
    for (column, reason), rows in rejected.groupby(["column", "reason"], sort=False):
        first = rows.iloc[0]
        files = rows["source_file"].nunique()
        where = f" in {files} files" if files > 1 else ""
        problems.append(Problem("warning", f"{len(rows)} row(s) rejected{where}: {reason}", first["source_file"],
                                int(first["source_row"]), column or None, f"see _build/rejects/{data.table}.csv"))
    return problems


def move_to_rejects(result: T, mask: pd.Series, reason: str, column: str | None) -> T:
    """Move accepted rows selected by ``mask`` to the rejects, with ``reason``."""
    mask = pd.Series(mask.to_numpy(dtype=bool), index=result.accepted.index)
    if not mask.any():
        return result
    moved = result.accepted[mask].copy()
    moved.insert(1, "reason", reason)
    moved.insert(2, "column", column)
    rejected = pd.concat([result.rejected, moved.astype("object")], ignore_index=True)
    order = [key for key in ("source_file", "source_row") if key in rejected]
    rejected = rejected.sort_values(order, kind="stable").reset_index(drop=True)
    accepted = result.accepted[~mask].reset_index(drop=True)
    return replace(result, accepted=accepted, rejected=rejected)


def match_respondents(survey: T, roster: pd.DataFrame) -> T:
    """Match respondents to the roster by employee ID, else by e-mail (trimmed, any case).

    Unmatched respondents stay in the survey with an empty ``person_id`` and
    ``matched_by = "unmatched"``; of several responses from one person, the
    latest is kept and the earlier ones are rejected as superseded.
    """
    accepted = survey.accepted.copy()
    known_ids = set(roster["person_id"])
    by_email = roster.dropna(subset=["email"]).drop_duplicates("email").set_index("email")["person_id"]
    ref = accepted["person_ref"].where(accepted["person_ref"].isin(known_ids))
    via_email = accepted["email"].map(by_email)
    accepted["person_id"] = ref.fillna(via_email).astype("object")
    accepted["matched_by"] = "unmatched"
    accepted.loc[via_email.notna(), "matched_by"] = "email"
    accepted.loc[ref.notna(), "matched_by"] = "person_id"
    result = replace(survey, accepted=accepted)
    latest_first = accepted.sort_values(["recorded_at", "source_row"], ascending=False)
    superseded = latest_first["person_id"].notna() & latest_first.duplicated("person_id", keep="first")
    return move_to_rejects(result, superseded.reindex(accepted.index), 
                           "superseded by a later response from the same person", "RecordedDate")


def link_people(result: T, roster: pd.DataFrame, column: str) -> T:
    """Fill ``person_id`` from e-mail or login where needed; reject rows of people not in the roster."""
    accepted = result.accepted.copy()
    for key in ("email", "login"):
        if key in accepted and key in roster:
            lookup = roster.dropna(subset=[key]).drop_duplicates(key).set_index(key)["person_id"]
            accepted["person_id"] = accepted["person_id"].fillna(accepted[key].map(lookup)).astype("object")
    unknown = ~accepted["person_id"].isin(set(roster["person_id"]))
    return move_to_rejects(replace(result, accepted=accepted), unknown,
                           "person is not in the roster (check the ID or e-mail)", column)


def reject_repeats(result: T, keys: list[str], what: str) -> T:
    present = [key for key in keys if key in result.accepted]
    repeated = result.accepted.duplicated(present, keep="first") & result.accepted[present].notna().any(axis=1)
    return move_to_rejects(result, repeated, f"repeats the {what} of an earlier row (the first is kept)",
                           ", ".join(present))

"""Which of a client's tables can be used, and what the book says when one cannot.

Only the roster is required.  Every other table is optional, and a table that is absent from the prepared package
(no export configured) and one whose parquet file holds no rows (a header-only export, or every row rejected) are
the same to a chapter: the table is *unavailable*.  :func:`table_status` is the one place that decides it, and says
why, what the table would have shown and how to supply it.

A chapter names the tables it needs in :data:`CHAPTERS`; :func:`chapter_notice` turns the unavailable ones into
the notice at the top of its page (drawn by :func:`scalegap.present.tables.notice`), and results.json records
every headline figure left out as ``null`` with the reason beside it in its ``not_assessed`` block
(:func:`scalegap.models.summary.not_assessed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow.parquet as pq

from scalegap.package import PreparedPackage

NOT_ASSESSED = "not assessed"


@dataclass(frozen=True)
class TableInfo:
    """What one optional table is, as the book names it."""

    label: str  # "support tickets"
    missing: str  # "no support tickets were supplied"
    export: str  # the exports that feed it
    shows: str  # what it feeds in the book


TABLES: dict[str, TableInfo] = {
    "roster": TableInfo(
        "HR roster",
        "no HR roster was supplied",
        "an HR roster CSV or XLSX",
        "who is in the organisation and in the pilot: every chapter",
    ),
    "survey": TableInfo(
        "survey responses",
        "no survey responses were supplied",
        "a Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms or generic survey CSV/XLSX",
        "the readiness index by group and segment, the reliability of the survey's constructs and "
        "response rates, and readiness in the adoption, support and pilot-validity analyses",
    ),
    "usage": TableInfo(
        "usage telemetry",
        "no usage telemetry was supplied",
        "a per-person-per-day usage CSV/XLSX, a GitHub Copilot per-user usage report (JSON) or a "
        "Microsoft 365 Copilot usage report",
        "active use, retention, adopter categories, diffusion curves and the production adoption "
        "forecast, which the conversion rate, the support projection and the rollout plan use",
    ),
    "org_usage": TableInfo(
        "organisation-level usage metrics",
        "no organisation-level usage metrics were supplied",
        "the GitHub Copilot metrics API JSON",
        "daily active and engaged users of the whole organisation, in the data intake chapter",
    ),
    "seats": TableInfo(
        "licence report",
        "no licence (seat) report was supplied",
        "a GitHub Copilot seat assignments JSON or a Microsoft 365 Copilot usage report",
        "who holds a licence and since when, and licence waste",
    ),
    "outcomes": TableInfo(
        "outcome records",
        "no outcome records were supplied",
        "task-level outcome records CSV/XLSX (outcome_records)",
        "the effect per task on clean and messy records, team and configuration differences, and the conversion rate",
    ),
    "tickets": TableInfo(
        "support tickets",
        "no support tickets were supplied",
        "a Jira, ServiceNow, Zendesk or generic ticket CSV",
        "tickets per active user, response and resolution times, the ticket projection and the "
        "service-desk staffing at full rollout, and the sustainment factor",
    ),
    "governance": TableInfo(
        "governance checklist",
        "no governance checklist was supplied",
        "the blank checklist `scalegap init` writes (governance_checklist.yml or .xlsx), filled in with the client",
        "the checklist scored per NIST AI RMF function, the gaps and what must close before rollout",
    ),
}


@dataclass(frozen=True)
class TableStatus:
    """Whether one table can be used; when it cannot, why, what it would show and how to supply it."""

    table: str
    available: bool
    rows: int | None  # None: no parquet file (no export configured)
    reason: str | None
    what_it_would_show: str
    how_to_supply: str

    @property
    def label(self) -> str:
        return TABLES[self.table].label

    @property
    def not_assessed(self) -> str:
        """The reason as results.json and the summary give it: "not assessed: no outcome records were supplied"."""
        return f"{NOT_ASSESSED}: {self.reason}" if self.reason else ""


def row_count(package: PreparedPackage, table: str) -> int | None:
    """Rows in the table's parquet file (read from its footer, not its data); None when there is no file.

    Anything with ``has`` and ``table`` stands in for a package (tests pass in-memory stand-ins)."""
    if not package.has(table):
        return None
    if isinstance(package, PreparedPackage):
        return int(pq.read_metadata(package.path / f"{table}.parquet").num_rows)
    return len(package.table(table))


def table_inputs(package: PreparedPackage, table: str) -> list[dict[str, Any]]:
    """The manifest's record of each export file that fed ``table`` (rows read, accepted, rejected)."""
    manifest = getattr(package, "manifest", None) or {}
    return [item for item in manifest.get("inputs", []) if item.get("table") == table]


def table_status(package: PreparedPackage, table: str) -> TableStatus:
    """Is ``table`` usable (a parquet file with at least one row)?  If not, why and how to supply it."""
    info = TABLES[table]
    rows = row_count(package, table)
    supply = f"add exports.{table} to assessment.yml: {info.export}"
    if rows is None:
        return TableStatus(table, False, None, info.missing, info.shows, supply)
    if rows > 0:
        return TableStatus(table, True, rows, None, info.shows, supply)
    reason, supply = empty_reason(table, table_inputs(package, table))
    return TableStatus(table, False, 0, reason, info.shows, supply)


def empty_reason(table: str, inputs: list[dict[str, Any]]) -> tuple[str, str]:
    """Why a supplied table has no rows, and what to do: a header-only export, or every row rejected."""
    info = TABLES[table]
    names = [str(item["file"]) for item in inputs]
    files = (
        ", ".join(names) if len(names) <= 2 else f"{names[0]} and {len(names) - 1} more files"
    ) or f"exports.{table}"
    read = sum(int(item.get("rows_read") or 0) for item in inputs)
    rejected = sum(int(item.get("rows_rejected") or 0) + int(item.get("rows_superseded") or 0) for item in inputs)
    if read and rejected >= read:
        return (
            f"none of the {read:,} rows of the {info.label} export ({files}) could be used",
            f"see why in _build/rejects/{table}.csv and the data intake chapter, fix the export or its "
            f"mapping under exports.{table} in assessment.yml, and run again",
        )
    if read:
        return (
            f"the {info.label} export ({files}) has no usable rows",
            f"check the export and its mapping under exports.{table} in assessment.yml: {info.export}",
        )
    return (
        f"the {info.label} export ({files}) has no data rows, only its header",
        f"export it again with its rows ({info.export}), or remove exports.{table} from assessment.yml",
    )


def unavailable(package: PreparedPackage, tables: tuple[str, ...] | list[str]) -> tuple[TableStatus, ...]:
    """The statuses of those of ``tables`` that cannot be used, in the order given."""
    return tuple(status for status in (table_status(package, table) for table in tables) if not status.available)


def usable(package: PreparedPackage, table: str) -> bool:
    """The table has a parquet file with at least one row."""
    return table_status(package, table).available


def reason_for(package: PreparedPackage, *tables: str, subject: str = "This") -> str | None:
    """A chapter's sentence when one of ``tables`` cannot be used ("Readiness is not assessed: …."), or None."""
    missing = unavailable(package, tables)
    if not missing:
        return None
    return f"{subject} is not assessed: {_reasons(missing)}."


def not_assessed_reason(package: PreparedPackage, *tables: str) -> str | None:
    """results.json's reason for a figure that needs ``tables``: "not assessed: …", or None when all are usable."""
    missing = unavailable(package, tables)
    return f"{NOT_ASSESSED}: {_reasons(missing)}" if missing else None


def bare_reason(reason: str) -> str:
    """The reason alone, to go after a colon: "Readiness is not assessed: no survey responses were supplied." →
    "no survey responses were supplied" (lower-case first letter, no full stop)."""
    text = reason.strip().rstrip(".")
    _, marked, rest = text.partition(" is not assessed: ")
    text = rest if marked else text.removeprefix(f"{NOT_ASSESSED.capitalize()}: ").removeprefix(f"{NOT_ASSESSED}: ")
    return f"{text[:1].lower()}{text[1:]}"


def figure_reason(reason: str) -> str:
    """A chapter's sentence as the reason beside a figure in results.json and the summary: "not assessed: …"."""
    return f"{NOT_ASSESSED}: {bare_reason(reason)}"


# --- the chapters ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterNeeds:
    """What a chapter reads: without a ``required`` table it is not assessed; without an ``optional`` one it loses
    the part named beside it."""

    title: str
    shows: str
    required: tuple[str, ...] = ()
    optional: dict[str, str] = field(default_factory=dict)


CHAPTERS: dict[str, ChapterNeeds] = {
    "summary": ChapterNeeds(
        "Executive summary",
        "every chapter's headline figures and the recommendation",
        optional={table: TABLES[table].shows for table in TABLES if table not in ("roster", "org_usage")},
    ),
    "readiness": ChapterNeeds(
        "Readiness",
        "the readiness index of the organisation, of the pilot's members and of everyone else, by "
        "construct and segment, with the survey's reliability and response rates",
        required=("survey",),
    ),
    "pilot_validity": ChapterNeeds(
        "Pilot validity audit",
        "how far the pilot's people, data, support and segments were from production's",
        optional={
            "survey": "the readiness comparison, and survey response as a covariate",
            "outcomes": "the pilot's data mix against production's (its verdict is 'no evidence')",
            "tickets": "the pilot's support model (its verdict is 'no evidence')",
        },
    ),
    "adoption": ChapterNeeds(
        "Adoption",
        "active use, retention, usage intensity, adopter categories, diffusion curves and the "
        "production adoption forecast per segment",
        required=("usage",),
        optional={
            "seats": "licence waste, and access dates from licence assignments",
            "survey": "readiness in the adoption forecast (every person counts as equally ready)",
        },
    ),
    "data_reality": ChapterNeeds(
        "Data reality",
        "the effect per task on clean and on messy records, the messy-data multiplier and the "
        "realistic effect per task at production's record mix",
        required=("outcomes",),
    ),
    "portability": ChapterNeeds(
        "Configuration portability",
        "how much of the effect varies between teams, the tuned configuration's "
        "advantage and what a team outside the pilot can expect",
        required=("outcomes",),
    ),
    "support": ChapterNeeds(
        "Support model",
        "tickets per active user, response and resolution times, the ticket projection at full "
        "rollout, the service-desk staffing and the sustainment factor",
        required=("tickets",),
        optional={
            "usage": "ticket rates per active user, the projection, the staffing curve and the sustainment "
            "factor (response and resolution times are still shown)",
            "survey": "ticket rates by readiness",
        },
    ),
    "integration": ChapterNeeds(
        "Integration depth",
        "manual hours per workflow at pilot and production scale",
        optional={"survey": "what staff said about manual work in the survey's free-text answers"},
    ),
    "governance": ChapterNeeds(
        "Governance readiness",
        "the checklist scored per NIST AI RMF function, the gaps and what must close before rollout",
        required=("governance",),
    ),
    "scorecard": ChapterNeeds(
        "Operational scorecard",
        "the production metrics beside the pilot's outcome, red / amber / green",
        optional={
            "outcomes": "minutes saved per assisted task (not measured)",
            "usage": "reliability tickets per active user (not measured)",
            "tickets": "reliability tickets per active user and the support burden (not measured)",
            "governance": "security and compliance items (not measured)",
            "survey": "user satisfaction (not measured)",
        },
    ),
    "conversion": ChapterNeeds(
        "Conversion rate",
        "production value per person ÷ the pilot's, its interval, its four factors, what would "
        "have to be true, value per seat and the what-if levers",
        required=("outcomes", "usage"),
        optional={
            "tickets": "the sustainment factor, which is taken as 1 (no loss from slower support): this "
            "flatters production",
            "survey": "readiness in the adoption forecast and the non-response check",
        },
    ),
    "rollout": ChapterNeeds(
        "Rollout plan",
        "waves ordered by readiness and predicted adoption, sized to the service desk, with gates",
        optional={
            "usage": "expected adopters per wave, and the order by predicted adoption",
            "tickets": "wave sizes from the service desk's capacity (waves are whole departments)",
            "survey": "the order by readiness",
            "governance": "the governance gaps the gate checks",
        },
    ),
}


@dataclass(frozen=True)
class Notice:
    """What a chapter's page says about the tables it could not use."""

    title: str
    assessed: bool  # False: a required table is missing, the chapter shows nothing of substance
    lines: tuple[str, ...]


def chapter_notice(package: PreparedPackage, chapter: str) -> Notice | None:
    """The notice for ``chapter`` (a key of :data:`CHAPTERS`), or None when every table it reads is usable."""
    needs = CHAPTERS[chapter]
    required = unavailable(package, needs.required)
    optional = unavailable(package, tuple(needs.optional))
    if not required and not optional:
        return None
    lines: list[str] = []
    if required:
        lines.append(f"This chapter is not assessed: {_reasons(required)}. It would have shown {needs.shows}.")
        lines += [f"To assess it, {status.how_to_supply}." for status in required]
    for status in optional:
        lines.append(
            f"Left out: {needs.optional[status.table]}, because {status.reason}. To include it, {status.how_to_supply}."
        )
    title = f"Not assessed: {_labels(required)}" if required else f"Partly assessed: without the {_labels(optional)}"
    return Notice(title, not required, tuple(lines))


def _labels(statuses: tuple[TableStatus, ...]) -> str:
    return ", ".join(status.label for status in statuses)


def _reasons(statuses: tuple[TableStatus, ...]) -> str:
    return "; ".join(status.reason or "" for status in statuses)

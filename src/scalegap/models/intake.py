"""The data-intake chapter: what was received, what was used, and how complete it is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from scalegap import number_format as nf
from scalegap.models.segments import label
from scalegap.package import PreparedPackage
from scalegap.privacy import Redactor, suppress_small_counts, suppress_small_groups
from scalegap.vocabulary import EVERYONE_ELSE, PILOT_MEMBERS, agreeing, counted, table_label

#: the examples a linking summary gives the consultant ("(e.g. 'Ingrid Halvorsen', 'r.castellanos')"): console only
_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
EXAMPLES = re.compile(rf"\s*\(e\.g\. {_QUOTED}(?:, {_QUOTED})*\)|,? e\.g\. {_QUOTED}(?:, {_QUOTED})*(?=\))")
#: bookkeeping columns that are not client data
INTERNAL_COLUMNS = {
    "source_row",
    "matched_by",
    "reporter_in_roster",
    "data_tier",
    "tenure_years",
    "tenure_band",
    "person_ref",
    "person_id",
    "email",
}


def row_accounting(package: PreparedPackage) -> pd.DataFrame:
    """Per table, its files added up: rows read, accepted, superseded and rejected.

    *Superseded* rows are earlier copies a later file or row replaces (26 weekly licence reports list the same
    licences 26 times; a person who answered the survey twice): they are not rejected, and the share rejected
    is of the rows that remain once they are set aside.
    """
    rows = []
    inputs = package.manifest["inputs"]
    for table in dict.fromkeys(item["table"] for item in inputs):
        items = [item for item in inputs if item["table"] == table]
        read = sum(int(item["rows_read"]) for item in items)
        superseded = sum(int(item.get("rows_superseded", 0)) for item in items)
        rejected = sum(int(item["rows_rejected"]) for item in items)
        current = read - superseded
        rows.append(
            {
                "Table": table_label(table),
                "Files": files_text(items),
                "Format": ", ".join(dict.fromkeys(str(item["format"]) for item in items)),
                "Rows read": read,
                "Rows accepted": sum(int(item["rows_accepted"]) for item in items),
                "Rows superseded": superseded,
                "Rows rejected": rejected,
                "Share rejected": rejected / current if current else 0.0,
            }
        )
    columns = ["Table", "Files", "Format", "Rows read", "Rows accepted", "Rows superseded", "Rows rejected"]
    return pd.DataFrame(rows, columns=[*columns, "Share rejected"])


def files_text(items: list[dict]) -> str:
    """The file's name, or how many files and the first and last name: "26 files (a.csv … z.csv)"."""
    names = [str(item["file"]).removeprefix("exports/") for item in items]
    if len(names) == 1:
        return names[0]
    return f"{len(names)} files ({names[0]} … {names[-1]})"


def people_linking(package: PreparedPackage) -> pd.DataFrame:
    """Per table that names people: rows, the share linked to the roster, and how (id, e-mail, login, name)."""
    rows = []
    for item in package.manifest.get("linking", []):
        by_key = item["by_key"]
        rows.append(
            {
                "Table": table_label(item["table"]),
                "Rows": item["rows"],
                "Linked": item["linked"],
                "Share linked": item["linked"] / item["rows"] if item["rows"] else 0.0,
                "By employee ID": by_key.get("person_id", 0),
                "By e-mail": by_key.get("email", 0),
                "By login": by_key.get("login", 0),
                "By name": by_key.get("name", 0),
                "Ambiguous name": item["ambiguous"],
                "Not in the roster": item["unmatched"],
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Table",
            "Rows",
            "Linked",
            "Share linked",
            "By employee ID",
            "By e-mail",
            "By login",
            "By name",
            "Ambiguous name",
            "Not in the roster",
        ],
    )


def reason_table(package: PreparedPackage, kind: str) -> pd.DataFrame:
    """The manifest's ``kind`` ("rejections" or "superseded") per table, column and reason, the most rows first."""
    redact = Redactor.of(package).redact
    rows = [
        {
            "Table": table_label(table),
            "Column": entry["column"] or "—",
            "Reason": redact(entry["reason"]),
            "Rows": entry["rows"],
        }
        for table, entries in (package.manifest.get(kind) or {}).items()
        for entry in entries
    ]
    frame = pd.DataFrame(rows, columns=["Table", "Column", "Reason", "Rows"])
    return frame.sort_values(["Table", "Rows"], ascending=[True, False], kind="stable").reset_index(drop=True)


def rejection_reasons(package: PreparedPackage) -> pd.DataFrame:
    """Rows that could not be used, per table, column and reason."""
    return reason_table(package, "rejections")


def superseded_rows(package: PreparedPackage) -> pd.DataFrame:
    """Rows a later row replaces (earlier licence reports, earlier survey responses), per table and reason."""
    return reason_table(package, "superseded").drop(columns=["Column"])


def received_tables(package: PreparedPackage) -> list[str]:
    """The tables received, each once, in the manifest's order."""
    return list(dict.fromkeys(item["table"] for item in package.manifest["inputs"]))


def column_completeness(package: PreparedPackage) -> pd.DataFrame:
    """Share of non-empty values per column among accepted rows (long format), one row per table and column.

    Columns with no value at all are left out here and listed by :func:`empty_columns`.
    """
    records = []
    for name in received_tables(package):
        table = package.table(name)
        for column in table.columns:
            if column in INTERNAL_COLUMNS:
                continue
            records.append(
                {
                    "table": table_label(name),
                    "column": column,
                    "completeness": float(table[column].notna().mean()) if len(table) else 0.0,
                }
            )
    frame = pd.DataFrame(records, columns=["table", "column", "completeness"])
    return frame[frame["completeness"] > 0].reset_index(drop=True)


def incomplete_columns(completeness: pd.DataFrame, below: float = 0.99) -> pd.DataFrame:
    """The columns with gaps, least complete first."""
    gaps = completeness[completeness["completeness"] < below].sort_values("completeness", kind="stable")
    return gaps.rename(columns={"table": "Table", "column": "Column", "completeness": "Completeness"})


def empty_columns(package: PreparedPackage) -> dict[str, list[str]]:
    """Per table (as the book names it), the columns without a single value: absent from the export, or empty."""
    empty: dict[str, list[str]] = {}
    for name in received_tables(package):
        table = package.table(name)
        columns = [
            column
            for column in table.columns
            if column not in INTERNAL_COLUMNS and len(table) and table[column].isna().all()
        ]
        if columns:
            empty[table_label(name)] = columns
    return empty


def empty_columns_text(empty: dict[str, list[str]]) -> str:
    """One sentence naming each table once: "Columns with no value at all …: HR roster: location; Licence …"."""
    if not empty:
        return "Every column has at least one value."
    listed = "; ".join(f"{table}: {', '.join(columns)}" for table, columns in empty.items())
    return f"Columns with no value at all (absent from the export, or empty in it): {listed}."


@dataclass(frozen=True)
class SurveyCoverage:
    respondents: int
    matched_by_id: int
    matched_by_email: int
    unmatched: int
    headcount: int

    @property
    def matched(self) -> int:
        return self.matched_by_id + self.matched_by_email

    @property
    def response_rate(self) -> float:
        return self.matched / self.headcount if self.headcount else 0.0


def survey_coverage(package: PreparedPackage) -> SurveyCoverage | None:
    if not package.has("survey"):
        return None
    matched_by = package.table("survey")["matched_by"].value_counts()
    return SurveyCoverage(
        int(matched_by.sum()),
        int(matched_by.get("person_id", 0)),
        int(matched_by.get("email", 0)),
        int(matched_by.get("unmatched", 0)),
        len(package.table("roster")),
    )


def segment_overview(package: PreparedPackage, segment: str = "department") -> pd.DataFrame:
    """Headcount, pilot members and survey response by segment, small groups suppressed."""
    roster = package.table("roster")
    respondents = set(package.table("survey")["person_id"].dropna()) if package.has("survey") else set()
    roster = roster.assign(
        responded=roster["person_id"].isin(respondents), segment=roster[segment].fillna("(not recorded)")
    )
    grouped = roster.groupby("segment", sort=True).agg(
        Headcount=("person_id", "size"),
        **{"Pilot members": ("in_pilot", "sum"), "Survey respondents": ("responded", "sum")},
    )
    grouped["Response rate"] = grouped["Survey respondents"] / grouped["Headcount"]
    grouped = grouped.reset_index().rename(columns={"segment": label(segment)})
    minimum = package.settings.privacy.min_group_size
    shown = suppress_small_groups(grouped, "Headcount", minimum)
    shown = suppress_small_counts(shown, "Pilot members", minimum)
    return suppress_small_counts(shown, "Survey respondents", minimum, ["Response rate"])


@dataclass(frozen=True)
class DataPeriod:
    start: date | None
    end: date | None

    def describe(self) -> str:
        if self.start is None or self.end is None:
            return "no dated usage records"
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def data_period(package: PreparedPackage) -> DataPeriod:
    """First to last day of accepted usage records (the period usage figures cover)."""
    if not package.has("usage"):
        return DataPeriod(None, None)
    days = package.table("usage")["date"].dropna()
    if days.empty:
        return DataPeriod(None, None)
    return DataPeriod(days.min().date(), days.max().date())


def outcome_quality_profile(package: PreparedPackage) -> pd.DataFrame:
    """Outcome records by data tier, for pilot members and everyone else."""
    if not package.has("outcomes"):
        return pd.DataFrame(columns=["Group", "Records", "Clean", "Messy", "Unknown", "Clean-record share"])
    pilot = set(package.table("roster").query("in_pilot")["person_id"])
    outcomes = package.table("outcomes")
    outcomes = outcomes.assign(group=outcomes["person_id"].isin(pilot).map({True: PILOT_MEMBERS, False: EVERYONE_ELSE}))
    counts = pd.crosstab(outcomes["group"], outcomes["data_tier"])
    for tier in ("clean", "messy", "unknown"):
        if tier not in counts:
            counts[tier] = 0
    table = pd.DataFrame(
        {
            "Group": counts.index,
            "Records": counts.sum(axis=1).to_numpy(),
            "Clean": counts["clean"].to_numpy(),
            "Messy": counts["messy"].to_numpy(),
            "Unknown": counts["unknown"].to_numpy(),
        }
    )
    known = table["Clean"] + table["Messy"]
    table["Clean-record share"] = (table["Clean"] / known).where(known > 0)
    return table.sort_values("Group", ascending=False).reset_index(drop=True)


def intake_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    accounting = row_accounting(package)
    findings = [usable_rows_sentence(accounting)]
    worst = accounting.sort_values("Share rejected", ascending=False, kind="stable").iloc[0]
    if worst["Rows rejected"]:
        findings.append(
            f"The highest rejection share is in the {worst['Table'][0].lower() + worst['Table'][1:]} "
            f"({nf.share(worst['Share rejected'])})."
        )
    coverage = survey_coverage(package)
    if coverage:
        findings.append(
            f"{coverage.matched:,} survey respondents were matched to the roster "
            f"(response rate {nf.share(coverage.response_rate)}); {coverage.unmatched:,} could not be "
            "matched and are reported, not used for segment figures."
        )
    profile = outcome_quality_profile(package).set_index("Group")
    if {PILOT_MEMBERS, EVERYONE_ELSE} <= set(profile.index):
        pilot, rest = (
            profile.loc[PILOT_MEMBERS, "Clean-record share"],
            profile.loc[EVERYONE_ELSE, "Clean-record share"],
        )
        findings.append(
            f"Pilot members' outcome records were {nf.share(pilot)} clean against {nf.share(rest)} for everyone "
            "else: the pilot ran on cleaner data than production will see."
            if pilot > rest
            else f"Pilot members' outcome records were {nf.share(pilot)} clean against {nf.share(rest)} for "
            "everyone else."
        )
    return findings


def usable_rows_sentence(accounting: pd.DataFrame) -> str:
    """How many rows are usable, how many were rejected, and how many earlier copies later ones superseded."""
    read, superseded = int(accounting["Rows read"].sum()), int(accounting["Rows superseded"].sum())
    rejected, current = int(accounting["Rows rejected"].sum()), read - superseded
    usable = current - rejected
    tables = counted(len(accounting), "table")
    text = (
        f"{usable:,} of {counted(current, 'row')} ({nf.share(usable / current if current else 0)}) across {tables} are "
        f"usable; {rejected:,} {agreeing(rejected, 'was', 'were')} rejected and kept with their reasons."
    )
    if superseded:
        text += (
            f" A further {counted(superseded, 'row')} {agreeing(superseded, 'is', 'are')} superseded, not rejected: "
            "earlier copies of a licence or a response that a later report or response replaces."
        )
    return text


def export_notes(package: PreparedPackage) -> pd.DataFrame:
    """Warnings about whole files (assumed date orders, unmapped values, unmatched people).

    Row rejections are in :func:`rejection_reasons`; these are the other problems validation found.  The
    examples of unlinked people that the console shows are left out, and the rest is redacted
    (:meth:`scalegap.privacy.Redactor.redact`): a note quotes values from the exports.
    """
    redact = Redactor.of(package).redact
    rows = [
        {
            "File": problem["file"] or "—",
            "Column": problem["column"] or "—",
            "Note": redact(without_examples(problem["message"])),
            "What to do": redact(without_examples(problem["hint"])) if problem["hint"] else "—",
        }
        for problem in package.manifest["problems"]
        if "row(s) rejected" not in problem["message"] and "row(s) superseded" not in problem["message"]
    ]
    return pd.DataFrame(rows, columns=["File", "Column", "Note", "What to do"])


def without_examples(text: str) -> str:
    """``text`` without the quoted examples of a linking summary: '2 not in the roster (e.g. 'x', 'y')' -> '2 not
    in the roster'."""
    return EXAMPLES.sub("", text)

"""The headline figures of the whole assessment: client, people, pilot, period, clean share."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scalegap.models import availability
from scalegap.models.intake import data_period, survey_coverage
from scalegap.package import PreparedPackage

# --- headline figures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadlineFigures:
    client: str
    reference_date: str
    data_period_start: str | None
    data_period_end: str | None
    headcount: int
    pilot_members: int
    pilot_volunteers: int | None
    pilot_share_of_headcount: float
    survey_respondents: int | None
    survey_response_rate: float | None
    unmatched_respondents: int | None
    pilot_active_users: int | None
    outcome_records: int | None
    clean_record_share: float | None
    tickets: int | None
    governance_items: int | None
    governance_items_in_place: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def headline_figures(package: PreparedPackage) -> HeadlineFigures:
    """The intake's figures; a table without rows counts as not supplied (None), never as zero."""
    roster = package.table("roster")
    pilot = roster[roster["in_pilot"]]
    usable = {
        table: availability.usable(package, table) for table in ("survey", "usage", "outcomes", "tickets", "governance")
    }
    coverage = survey_coverage(package) if usable["survey"] else None
    period = data_period(package)
    governance = package.table("governance") if usable["governance"] else None
    return HeadlineFigures(
        client=package.settings.client.name,
        reference_date=package.reference_date.isoformat(),
        data_period_start=period.start.isoformat() if period.start else None,
        data_period_end=period.end.isoformat() if period.end else None,
        headcount=len(roster),
        pilot_members=len(pilot),
        pilot_volunteers=int(pilot["volunteered"].fillna(False).sum()) if pilot["volunteered"].notna().any() else None,
        pilot_share_of_headcount=round(len(pilot) / len(roster), 6) if len(roster) else 0.0,
        survey_respondents=coverage.respondents if coverage else None,
        survey_response_rate=round(coverage.response_rate, 6) if coverage else None,
        unmatched_respondents=coverage.unmatched if coverage else None,
        pilot_active_users=_pilot_active_users(package, set(pilot["person_id"])),
        outcome_records=availability.row_count(package, "outcomes") if usable["outcomes"] else None,
        clean_record_share=_clean_share(package),
        tickets=availability.row_count(package, "tickets") if usable["tickets"] else None,
        governance_items=len(governance) if governance is not None else None,
        governance_items_in_place=int(governance["status"].eq("in_place").sum()) if governance is not None else None,
    )


def _pilot_active_users(package: PreparedPackage, pilot: set[str]) -> int | None:
    if not availability.usable(package, "usage"):
        return None
    usage = package.table("usage")
    active = usage[(usage["interactions"].fillna(1) > 0) & usage["person_id"].isin(pilot)]
    return int(active["person_id"].nunique())


def _clean_share(package: PreparedPackage) -> float | None:
    if not availability.usable(package, "outcomes"):
        return None
    tiers = package.table("outcomes")["data_tier"]
    known = tiers[tiers.isin(["clean", "messy"])]
    return round(float(known.eq("clean").mean()), 6) if len(known) else None

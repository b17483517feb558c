"""Headline figures: what the executive summary states and results.json carries.

Both read the same :func:`headline_figures`, so the book and results.json
cannot disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scalegap.models.intake import data_period, survey_coverage
from scalegap.models.adoption import adoption_headline, adoption_study, forecast_by_department
from scalegap.models.governance import governance_headline
from scalegap.models.integration import integration_headline
from scalegap.models.rollout import rollout_headline
from scalegap.models.scorecard import scorecard_headline
from scalegap.models.support import support_headline
from scalegap.models.population import validity_headline
from scalegap.models.readiness import readiness_headline
from scalegap.models.results import read_results, results_path, write_document
from scalegap.prepare import PreparedPackage


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
    roster = package.table("roster")
    pilot = roster[roster["in_pilot"]]
    coverage = survey_coverage(package)
    period = data_period(package)
    return HeadlineFigures(
        client=package.settings.client.name,
        reference_date=package.reference_date.isoformat(),
        data_period_start=period.start.isoformat() if period.start else None,
        data_period_end=period.end.isoformat() if period.end else None,
        headcount=len(roster),
        pilot_members=len(pilot),
        pilot_volunteers=int(pilot["volunteered"].fillna(False).sum()) if pilot["volunteered"].notna().any()
        else None,
        pilot_share_of_headcount=round(len(pilot) / len(roster), 6) if len(roster) else 0.0,
        survey_respondents=coverage.respondents if coverage else None,
        survey_response_rate=round(coverage.response_rate, 6) if coverage else None,
        unmatched_respondents=coverage.unmatched if coverage else None,
        pilot_active_users=_pilot_active_users(package, set(pilot["person_id"])),
        outcome_records=len(package.table("outcomes")) if package.has("outcomes") else None,
        clean_record_share=_clean_share(package),
        tickets=len(package.table("tickets")) if package.has("tickets") else None,
        governance_items=len(package.table("governance")) if package.has("governance") else None,
        governance_items_in_place=(int(package.table("governance")["status"].eq("in_place").sum())
                                   if package.has("governance") else None),
    )


def _pilot_active_users(package: PreparedPackage, pilot: set[str]) -> int | None:
    if not package.has("usage"):
        return None
    usage = package.table("usage")
    active = usage[(usage["interactions"].fillna(1) > 0) & usage["person_id"].isin(pilot)]
    return int(active["person_id"].nunique())


def _clean_share(package: PreparedPackage) -> float | None:
    if not package.has("outcomes"):
        return None
    tiers = package.table("outcomes")["data_tier"]
    known = tiers[tiers.isin(["clean", "messy"])]
    return round(float(known.eq("clean").mean()), 6) if len(known) else None


def write_results(package: PreparedPackage, generated_at: str) -> Path:
    """Compute the headline figures once, into the prepared package (the chapters read them there)."""
    return write_document(package, results_document(package, generated_at))


def load_results(package: PreparedPackage) -> dict[str, Any]:
    """The headline figures written by :func:`write_results`, or computed now when the package has none."""
    if results_path(package).is_file():
        return read_results(package)
    return results_document(package, generated_at="")


def results_document(package: PreparedPackage, generated_at: str) -> dict[str, Any]:
    """The content of _build/results.json."""
    headline = headline_figures(package)
    adoption = adoption_study(package)  # the slow part (a bootstrap): computed once, here
    document = {
        "client": headline.client,
        "generated_at": generated_at,
        "scalegap_version": package.manifest["scalegap_version"],
        "inputs": [{"table": item["table"], "file": item["file"], "sha256": item["sha256"]}
                   for item in package.manifest["inputs"]],
        "headline": headline.as_dict(),
        "readiness": readiness_headline(package).as_dict(),
        "pilot_validity": validity_headline(package).as_dict(),
        "adoption": adoption_headline(package, adoption).as_dict(),
        "adoption_by_department": forecast_by_department(adoption.data, adoption.forecasts),
        "support": support_headline(package).as_dict(),
        "integration": integration_headline(package).as_dict(),
        "governance": governance_headline(package).as_dict(),
    }
    # these two chapters are built from the others' headline figures
    document["scorecard"] = scorecard_headline(package, results=document).as_dict()
    document["rollout"] = rollout_headline(package, results=document).as_dict()
    return document


def headline_rows(headline: HeadlineFigures) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the executive summary table, in reading order."""
    def count(value: int | None) -> str:
        return "not provided" if value is None else f"{value:,}"

    def share(value: float | None) -> str:
        return "not provided" if value is None else f"{value:.1%}"

    period = (f"{headline.data_period_start} to {headline.data_period_end}"
              if headline.data_period_start else "no dated usage records")
    return [
        ("Headcount", count(headline.headcount)),
        ("Pilot members", count(headline.pilot_members)),
        ("Volunteers among pilot members", count(headline.pilot_volunteers)),
        ("Pilot members as share of headcount", share(headline.pilot_share_of_headcount)),
        ("Survey respondents", count(headline.survey_respondents)),
        ("Survey response rate", share(headline.survey_response_rate)),
        ("Unmatched respondents", count(headline.unmatched_respondents)),
        ("Active pilot users", count(headline.pilot_active_users)),
        ("Data period (usage)", period),
        ("Outcome records", count(headline.outcome_records)),
        ("Clean-record share", share(headline.clean_record_share)),
        ("Support tickets", count(headline.tickets)),
        ("Governance items in place", f"{count(headline.governance_items_in_place)} of "
                                      f"{count(headline.governance_items)}"),
    ]


def assessed_statement(headline: HeadlineFigures) -> list[str]:
    """Plain sentences: who and what was assessed."""
    volunteers = ("" if headline.pilot_volunteers is None else
                  f", {headline.pilot_volunteers:,} of whom volunteered")
    sentences = [
        f"This assessment covers {headline.client}: {headline.headcount:,} employees in the roster and "
        f"{headline.pilot_members:,} pilot members ({headline.pilot_share_of_headcount:.1%} of headcount"
        f"{volunteers}).",
    ]
    if headline.data_period_start:
        sentences.append(f"Usage telemetry runs from {headline.data_period_start} to {headline.data_period_end}; "
                         f"figures are as of {headline.reference_date}.")
    if headline.survey_response_rate is not None:
        sentences.append(f"The organisation-wide survey was answered by {headline.survey_respondents:,} people; "
                         f"matched to the roster, that is a response rate of {headline.survey_response_rate:.1%}.")
    return sentences


def _with_interval(value: float | None, low: float | None, high: float | None, digits: int = 1) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} (95% interval {low:.{digits}f} to {high:.{digits}f})"


def _number(value: float | None, digits: int = 2) -> str:
    return "not available" if value is None else f"{value:.{digits}f}"


def _share(value: float | None) -> str:
    return "not available" if value is None else f"{value:.1%}"


def _share_with_interval(value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{value:.1%}"
    return f"{value:.1%} (95% interval {low:.1%} to {high:.1%})"


def chapter_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The chapters' headline figures, as the executive summary shows them, from results.json's content."""
    rows: list[tuple[str, str]] = []
    readiness = document.get("readiness")
    if readiness:
        rows += [
            ("Readiness index, organisation (0–100)", _with_interval(
                readiness["organisation_index"], readiness["organisation_index_low"],
                readiness["organisation_index_high"])),
            ("Readiness index, pilot members", _with_interval(
                readiness["pilot_index"], readiness["pilot_index_low"], readiness["pilot_index_high"])),
            ("Readiness index, everyone else", _with_interval(
                readiness["non_pilot_index"], readiness["non_pilot_index_low"], readiness["non_pilot_index_high"])),
        ]
    validity = document.get("pilot_validity")
    if validity:
        rows += [
            ("Generalizability index of the pilot (0–1)", _number(validity["tipton_index"])),
            ("Effective sample size of the reweighted pilot", _number(validity["pilot_effective_sample_size"], 1)),
            ("Covariate levels out of balance (pilot vs organisation)",
             "not available" if validity["flagged_covariates"] is None
             else f"{validity['flagged_covariates']} of {validity['covariates_checked']}"),
            ("Clean-record share, pilot vs all records",
             f"{_share(validity['clean_share_pilot'])} vs {_share(validity['clean_share_production'])}"),
            ("Pilot tickets answered directly by the build team", _share(validity["build_team_ticket_share"])),
        ]
    adoption = document.get("adoption")
    if adoption:
        rows += [
            ("Pilot adoption (sustained use)", _share(adoption["pilot_adoption"])),
            ("Predicted production adoption", _share_with_interval(
                adoption["predicted_production_adoption"], adoption["predicted_production_adoption_low"],
                adoption["predicted_production_adoption_high"])),
            ("Weekly active users at the end of the data",
             "not available" if adoption["weekly_active_users_end"] is None
             else f"{adoption['weekly_active_users_end']:,} (week of {adoption['weekly_active_users_week']})"),
            ("Licences never used / no longer used",
             "not available" if adoption["licences"] is None
             else f"{adoption['licences_never_used']:,} / {adoption['licences_no_longer_used']:,} "
                  f"of {adoption['licences']:,}"),
        ]
    support = document.get("support")
    if support and support["tickets"]:
        rows += [
            ("Projected support tickets per week at full rollout", _with_interval(
                support["tickets_per_week_full_rollout"], support["tickets_per_week_full_rollout_low"],
                support["tickets_per_week_full_rollout_high"], digits=0)),
            ("Service-desk agents needed at full rollout (FTE)", _with_interval(
                support["agents_needed_full_rollout"], support["agents_needed_full_rollout_low"],
                support["agents_needed_full_rollout_high"])),
            ("Current support capacity breaks at", "holds to full rollout" if support["capacity_break_share"] is None
             else f"{support['capacity_break_share']:.0%} of the organisation"),
        ]
    integration = document.get("integration")
    if integration and integration["workflows"]:
        rows += [
            ("Manual hours per week, pilot scale vs full rollout",
             f"{_number(integration['pilot_manual_hours_per_week'], 0)} vs "
             f"{_number(integration['production_manual_hours_per_week'], 0)}"),
            ("First manual workaround to break", integration["first_to_break"] or "not available"),
        ]
    governance = document.get("governance")
    if governance and governance["items"]:
        rows += [
            ("Governance score (Govern / Map / Measure / Manage)", " / ".join(
                _share(governance[f"{function}_score"]) for function in ("govern", "map", "measure", "manage"))),
            ("Governance gaps to close before rollout", f"{governance['before_rollout']} of {governance['gaps']} gaps"),
        ]
    scorecard = document.get("scorecard")
    if scorecard and scorecard["metrics"]:
        rows.append(("Operational scorecard (green / amber / red / not measured)",
                     f"{scorecard['green']} / {scorecard['amber']} / {scorecard['red']} / {scorecard['not_measured']}"))
    rollout = document.get("rollout")
    if rollout and rollout.get("first_cohort"):
        first = rollout["first_cohort"]
        rows.append(("First rollout wave", f"{first['departments']} ({first['headcount']:,} people)"))
    return rows


def summary_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Every row of the executive summary's headline table, from results.json's content."""
    return headline_rows(HeadlineFigures(**document["headline"])) + chapter_rows(document)

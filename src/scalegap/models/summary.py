"""Headline figures: what results.json carries and the executive summary states.

The summarise step computes results.json once (:func:`results_document`): every chapter's headline, the
conversion rate with its factors and intervals (the conversion study runs here, once), the gaps ranked by their
effect on it, and the recommendation (:mod:`scalegap.models.recommendation`).  The executive summary only reads
that document (the page functions, in :mod:`scalegap.models.summary_page`, take its content), so the book and
results.json cannot disagree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scalegap.models import availability, readiness, recommendation, support, value
from scalegap.models.adoption import AdoptionHeadline, AdoptionStudy, adoption_headline, adoption_study
from scalegap.models.adoption.demographic_cliff import forecast_by_department
from scalegap.models.governance import GovernanceHeadline, checklist, governance_headline
from scalegap.models.intake import data_period, survey_coverage
from scalegap.models.integration import integration_headline
from scalegap.models.population import validity_headline
from scalegap.models.recommendation import recommend
from scalegap.models.results import figure, read_results, results_path, write_document
from scalegap.models.rollout import RolloutPlan, rollout_headline, rollout_plan
from scalegap.models.scorecard import RED, scorecard, scorecard_headline
from scalegap.models.summary_page import amount, money_text
from scalegap.models.support import SupportHeadline, support_headline
from scalegap.package import PreparedPackage


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
        "inputs": [
            {"table": item["table"], "file": item["file"], "sha256": item["sha256"]}
            for item in package.manifest["inputs"]
        ],
        "headline": headline.as_dict(),
        "readiness": readiness.readiness_headline(package).as_dict(),
        "readiness_by_department": readiness_by_department(package),
        "pilot_validity": validity_headline(package).as_dict(),
        "adoption": adoption_headline(package, adoption).as_dict(),
        "adoption_by_department": forecast_by_department(adoption.data, adoption.forecasts),
        "support": support_headline(package).as_dict(),
        "integration": integration_headline(package).as_dict(),
        "governance": governance_headline(package).as_dict(),
        "governance_before_rollout": before_rollout_items(package),
    }
    # these chapters are built from the others' headline figures
    document["scorecard"] = scorecard_headline(package, results=document).as_dict()
    document["scorecard_red"] = red_metrics(package, document)
    plan = rollout_plan(package, results=document)
    document["rollout"] = rollout_headline(package, plan).as_dict()
    document["first_wave"] = first_wave(plan)
    document |= conversion_results(package)  # the conversion study: ~10–20 s on a client of 2,000 people
    missing = not_assessed(package, document, adoption)
    document["recommendation"] = recommend(document).as_dict()
    document["not_assessed"] = missing
    return document


# --- figures not assessed -------------------------------------------------------------------------------------------


def _keys(block: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{block}.{name}" for name in names)


def _fields(block: str, headline: type, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    return _keys(block, *(f.name for f in dataclasses.fields(headline) if f.name not in without))


LICENCE_FIGURES = ("licences", "licences_never_used", "licences_no_longer_used", "licence_waste_window")
TICKET_COUNTS = ("tickets", "reopen_rate")

#: results.json's headline figures (dotted paths) and the tables each needs: when one of them cannot be used (not
#: supplied, or without rows), the figure is null and ``not_assessed`` gives the reason beside its path
FIGURE_NEEDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("survey",),
        _keys("headline", "survey_respondents", "survey_response_rate", "unmatched_respondents")
        + _fields("readiness", readiness.ReadinessHeadline),
    ),
    (
        ("usage",),
        _keys("headline", "pilot_active_users", "data_period_start", "data_period_end")
        + _fields("adoption", AdoptionHeadline, without=LICENCE_FIGURES)
        + _keys("rollout", "expected_adopters")
        + _keys("first_wave", "expected_adopters", "expected_adopters_low", "expected_adopters_high"),
    ),
    (("usage", "seats"), _keys("adoption", *LICENCE_FIGURES)),
    (
        ("outcomes",),
        _keys("headline", "outcome_records", "clean_record_share")
        + _keys("pilot_validity", "clean_share_pilot", "clean_share_production")
        + _keys("scorecard", "minutes_saved_per_assisted_task"),
    ),
    (
        ("tickets",),
        _keys("headline", "tickets")
        + _keys("pilot_validity", "build_team_ticket_share")
        + _keys("support", *TICKET_COUNTS),
    ),
    (
        ("tickets", "usage"),
        _fields("support", SupportHeadline, without=TICKET_COUNTS + ("current_agents",))
        + _keys("scorecard", "reliability_tickets_per_active_user")
        + _keys("rollout", "capacity_tickets_per_week"),
    ),
    (
        ("governance",),
        _keys("headline", "governance_items", "governance_items_in_place") + _fields("governance", GovernanceHeadline),
    ),
    (("outcomes", "usage"), ("conversion_rate", "conversion_rate_interval")),
)


def not_assessed(package: PreparedPackage, document: dict[str, Any], adoption: AdoptionStudy) -> dict[str, str]:
    """``{figure path: "not assessed: <reason>"}`` for every headline figure left out, each set to null in
    ``document``: first those whose tables cannot be used (:data:`FIGURE_NEEDS`), then those a chapter could not
    estimate from the tables it had (its reason)."""
    missing: dict[str, str] = {}
    for tables, paths in FIGURE_NEEDS:
        reason = availability.not_assessed_reason(package, *tables)
        for path in paths if reason else ():
            if _clear(document, path):
                missing.setdefault(path, reason)
    for paths, reason in _chapter_reasons(package, document, adoption):
        for path in paths:
            if path not in missing and _clear(document, path, only_if_null=True):
                missing[path] = availability.figure_reason(reason)
    return missing


FORECAST_FIGURES = _keys(
    "adoption",
    "predicted_production_adoption",
    "predicted_production_adoption_low",
    "predicted_production_adoption_high",
    "horizon_weeks",
    "predicted_adoption_within_horizon",
    "predicted_adoption_within_horizon_low",
    "predicted_adoption_within_horizon_high",
    "bootstrap_replicates",
)


def _chapter_reasons(
    package: PreparedPackage, document: dict[str, Any], adoption: AdoptionStudy
) -> list[tuple[tuple[str, ...], str]]:
    """The figures of chapters that could not estimate them although their tables were there, with the reason."""
    conversion = document.get("conversion") or {}
    reasons = [
        (_fields("readiness", readiness.ReadinessHeadline), readiness.unavailable_reason(package)),
        (_fields("adoption", AdoptionHeadline) if adoption.data is None else FORECAST_FIGURES, adoption.reason),
        (
            _fields("support", SupportHeadline, without=TICKET_COUNTS + ("current_agents",)),
            support.projection_unavailable_reason(package),
        ),
        (
            ("conversion_rate", "conversion_rate_interval"),
            None if conversion.get("available", True) else conversion.get("reason"),
        ),
    ]
    return [(paths, reason) for paths, reason in reasons if reason]


def _clear(document: dict[str, Any], path: str, only_if_null: bool = False) -> bool:
    """Set the figure at ``path`` ("block.key" or "key") to None; False when the document has no such figure (or,
    with ``only_if_null``, when it has a value: a figure shown is never marked as not assessed)."""
    *head, key = path.split(".")
    block = document.get(head[0]) if head else document
    if not isinstance(block, dict) or key not in block:
        return False
    if only_if_null and block[key] not in (None, [], ()):
        return False
    block[key] = None
    return True


def conversion_results(package: PreparedPackage) -> dict[str, Any]:
    """``conversion`` (the chapter's headline, or why it is not available), the convenience keys
    ``conversion_rate`` and ``conversion_rate_interval``, and ``gaps`` (factors below 1, largest effect first)."""
    study, reason = value.chapter_study(package)
    if study is None:
        return {
            "conversion": {"available": False, "reason": reason},
            "conversion_rate": None,
            "conversion_rate_interval": None,
            "gaps": [],
        }
    block = {"available": True} | value.conversion_headline(study, package).as_dict()
    if block["conversion_rate"] is None:  # a model that could not be fitted: said so, never a blank figure
        reason = (
            "not assessed: the conversion rate came out undefined on these data (a model behind one of its "
            "factors could not be fitted); see the conversion chapter's factors"
        )
        return {
            "conversion": {"available": False, "reason": reason},
            "conversion_rate": None,
            "conversion_rate_interval": None,
            "gaps": [],
        }
    gaps = recommendation.ranked_gaps(block, recommendation.effect_intervals(study))
    return {
        "conversion": block,
        "conversion_rate": block["conversion_rate"],
        "conversion_rate_interval": block["conversion_rate_interval"],
        "gaps": [gap.as_dict() for gap in gaps],
    }


def readiness_by_department(package: PreparedPackage) -> dict[str, dict[str, Any]]:
    """Per department: headcount, respondents, readiness index and its 95 % interval, as the readiness chapter
    shows them (figures of small groups None); empty without a scorable survey."""
    if readiness.unavailable_reason(package):
        return {}
    table = readiness.segment_readiness(package, "department")
    return {
        str(row["Department"]): {
            "headcount": None if pd.isna(row["Headcount"]) else int(row["Headcount"]),
            "respondents": None if pd.isna(row["Respondents"]) else int(row["Respondents"]),
            "index": figure(row["Readiness index"]),
            "low": figure(row["Interval low"]),
            "high": figure(row["Interval high"]),
            "note": row["Note"],
        }
        for _, row in table.iterrows()
    }


def before_rollout_items(package: PreparedPackage) -> list[dict[str, str]]:
    """The governance items that must close before rollout: item, area, question and what it takes (no owners)."""
    items = checklist(package)
    due = items[items["before_rollout"]] if len(items) else items
    return [
        {
            "item": str(row["id"]),
            "area": str(row["area"]) if pd.notna(row["area"]) else "(no area)",
            "question": str(row["question"]),
            "action": str(row["action"]),
        }
        for _, row in due.iterrows()
    ]


def red_metrics(package: PreparedPackage, document: dict[str, Any]) -> list[dict[str, str]]:
    """The red metrics of the operational scorecard with their value and the threshold that made them red."""
    return [
        {"metric": row.metric, "value": row.value, "rule": row.rule}
        for row in scorecard(package, document).rows
        if row.status == RED
    ]


def first_wave(plan: RolloutPlan) -> dict[str, Any]:
    """The rollout plan's first wave (who, how many, when, expected adopters) and the gates before the next."""
    first = plan.cohorts.iloc[0]
    return {
        "departments": str(first["departments"]),
        "headcount": int(first["headcount"]),
        "start_week": int(first["start_week"]),
        "gate_week": int(first["gate_week"]),
        "expected_adopters": figure(first["adopters"], 1),
        "expected_adopters_low": figure(first["adopters_low"], 1),
        "expected_adopters_high": figure(first["adopters_high"], 1),
        "waves": len(plan.cohorts),
        "weeks_to_full_rollout": int(plan.cohorts["gate_week"].max()),
        "gates": [{"metric": gate.metric, "threshold": gate.threshold} for gate in plan.gates],
    }


def headline_rows(headline: HeadlineFigures) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the executive summary table, in reading order."""

    def count(value: int | None) -> str:
        return "not provided" if value is None else f"{value:,}"

    def share(value: float | None) -> str:
        return "not provided" if value is None else f"{value:.1%}"

    period = (
        f"{headline.data_period_start} to {headline.data_period_end}"
        if headline.data_period_start
        else "no dated usage records"
    )
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
        (
            "Governance items in place",
            f"{count(headline.governance_items_in_place)} of {count(headline.governance_items)}",
        ),
    ]


def assessed_statement(headline: HeadlineFigures) -> list[str]:
    """Plain sentences: who and what was assessed."""
    volunteers = "" if headline.pilot_volunteers is None else f", {headline.pilot_volunteers:,} of whom volunteered"
    sentences = [
        f"This assessment covers {headline.client}: {headline.headcount:,} employees in the roster and "
        f"{headline.pilot_members:,} pilot members ({headline.pilot_share_of_headcount:.1%} of headcount"
        f"{volunteers}).",
    ]
    if headline.data_period_start:
        sentences.append(
            f"Usage telemetry runs from {headline.data_period_start} to {headline.data_period_end}; "
            f"figures are as of {headline.reference_date}."
        )
    if headline.survey_response_rate is not None:
        sentences.append(
            f"The organisation-wide survey was answered by {headline.survey_respondents:,} people; "
            f"matched to the roster, that is a response rate of {headline.survey_response_rate:.1%}."
        )
    return sentences


def _with_interval(value: float | None, low: float | None, high: float | None, digits: int = 1) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} (95% interval {low:.{digits}f} to {high:.{digits}f})"


def _number(value: float | None, digits: int = 2) -> str:
    return "not available" if value is None else f"{value:,.{digits}f}"


def _share(value: float | None) -> str:
    return "not available" if value is None else f"{value:.1%}"


def _share_with_interval(value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{value:.1%}"
    return f"{value:.1%} (95% interval {low:.1%} to {high:.1%})"


def chapter_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The chapters' headline figures, in chapter order, as the executive summary's table shows them; a figure
    not assessed gives its reason instead (see :func:`mark_not_assessed`)."""
    missing = document.get("not_assessed") or {}
    rows = (
        _readiness_rows(document.get("readiness"))
        + _validity_rows(document.get("pilot_validity"))
        + _adoption_rows(document.get("adoption"))
        + _support_rows(document.get("support"), missing)
        + _operations_rows(document, missing)
        + conversion_rows(document.get("conversion") or {})
        + _rollout_rows(document.get("rollout"))
    )
    return mark_not_assessed(rows, missing)


#: the figure in results.json each row of the summary's table stands for: its reason is shown when not assessed
ROW_FIGURES = {
    "Survey response rate": "headline.survey_response_rate",
    "Active pilot users": "headline.pilot_active_users",
    "Data period (usage)": "headline.data_period_start",
    "Outcome records": "headline.outcome_records",
    "Support tickets": "headline.tickets",
    "Governance items in place": "headline.governance_items",
    "Readiness index, organisation (0–100)": "readiness.organisation_index",
    "Readiness index, pilot members vs everyone else": "readiness.pilot_index",
    "Clean-record share, pilot vs all records": "pilot_validity.clean_share_pilot",
    "Pilot tickets answered directly by the build team": "pilot_validity.build_team_ticket_share",
    "Pilot adoption (sustained use)": "adoption.pilot_adoption",
    "Predicted production adoption": "adoption.predicted_production_adoption",
    "Projected support tickets per week at full rollout": "support.tickets_per_week_full_rollout",
    "Service-desk agents needed at full rollout (FTE)": "support.agents_needed_full_rollout",
    "Current support capacity breaks at": "support.capacity_break_share",
    "Governance gaps to close before rollout": "governance.gaps",
    "Conversion rate": "conversion_rate",
}


def mark_not_assessed(rows: list[tuple[str, str]], missing: dict[str, str]) -> list[tuple[str, str]]:
    """Each row whose figure results.json's ``not_assessed`` lists, with that reason as its value."""
    return [(name, missing.get(ROW_FIGURES.get(name, ""), text)) for name, text in rows]


def _readiness_rows(figures: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not figures:
        return []
    return [
        (
            "Readiness index, organisation (0–100)",
            _with_interval(
                figures["organisation_index"], figures["organisation_index_low"], figures["organisation_index_high"]
            ),
        ),
        (
            "Readiness index, pilot members vs everyone else",
            f"{_number(figures['pilot_index'], 1)} vs {_number(figures['non_pilot_index'], 1)}",
        ),
    ]


def _validity_rows(figures: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not figures:
        return []
    return [
        ("Generalizability index of the pilot (0–1)", _number(figures["tipton_index"])),
        (
            "Clean-record share, pilot vs all records",
            f"{_share(figures['clean_share_pilot'])} vs {_share(figures['clean_share_production'])}",
        ),
        ("Pilot tickets answered directly by the build team", _share(figures["build_team_ticket_share"])),
    ]


def _adoption_rows(figures: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not figures:
        return []
    return [
        ("Pilot adoption (sustained use)", _share(figures["pilot_adoption"])),
        (
            "Predicted production adoption",
            _share_with_interval(
                figures["predicted_production_adoption"],
                figures["predicted_production_adoption_low"],
                figures["predicted_production_adoption_high"],
            ),
        ),
    ]


def _support_rows(figures: dict[str, Any] | None, missing: dict[str, str]) -> list[tuple[str, str]]:
    assessed = figures and figures["tickets"] and figures["tickets_per_week_full_rollout"] is not None
    if not figures or not (assessed or "support.tickets_per_week_full_rollout" in missing):
        return []
    return [
        (
            "Projected support tickets per week at full rollout",
            _with_interval(
                figures["tickets_per_week_full_rollout"],
                figures["tickets_per_week_full_rollout_low"],
                figures["tickets_per_week_full_rollout_high"],
                digits=0,
            ),
        ),
        (
            "Service-desk agents needed at full rollout (FTE)",
            _with_interval(
                figures["agents_needed_full_rollout"],
                figures["agents_needed_full_rollout_low"],
                figures["agents_needed_full_rollout_high"],
            ),
        ),
        (
            "Current support capacity breaks at",
            "holds to full rollout"
            if figures["capacity_break_share"] is None
            else f"{figures['capacity_break_share']:.0%} of the organisation",
        ),
    ]


def _operations_rows(document: dict[str, Any], missing: dict[str, str]) -> list[tuple[str, str]]:
    """Integration, governance (its reason when not assessed) and the operational scorecard."""
    rows = []
    integration, governance, card = (document.get(key) for key in ("integration", "governance", "scorecard"))
    if integration and integration["workflows"]:
        rows.append(
            (
                "Manual hours per week, pilot scale vs full rollout",
                f"{_number(integration['pilot_manual_hours_per_week'], 0)} vs "
                f"{_number(integration['production_manual_hours_per_week'], 0)}",
            )
        )
    if governance and governance["items"]:
        rows.append(
            ("Governance gaps to close before rollout", f"{governance['before_rollout']} of {governance['gaps']} gaps")
        )
    elif "governance.gaps" in missing:
        rows.append(("Governance gaps to close before rollout", missing["governance.gaps"]))
    if card and card["metrics"]:
        rows.append(
            (
                "Operational scorecard (green / amber / red / not measured)",
                f"{card['green']} / {card['amber']} / {card['red']} / {card['not_measured']}",
            )
        )
    return rows


def _rollout_rows(figures: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not figures or not figures.get("first_cohort"):
        return []
    first = figures["first_cohort"]
    return [("First rollout wave", f"{first['departments']} ({first['headcount']:,} people)")]


def conversion_rows(conversion: dict[str, Any]) -> list[tuple[str, str]]:
    """The conversion rate and (with money) the net value per seat, for the headline table."""
    if not conversion.get("available"):
        return [("Conversion rate", "not available")] if conversion else []
    low, high = conversion["conversion_rate_interval"]
    rows = [
        (
            "Conversion rate",
            f"{conversion['conversion_rate']:.0%} ({conversion['interval']:.0%} interval {low:.0%} to {high:.0%})",
        )
    ]
    money = conversion.get("money")
    if money:
        net, currency = money["net_value_per_seat_per_year"], money["currency"]
        rows.append(
            (
                "Net value per seat per year at full rollout",
                f"{money_text(net['estimate'], currency)} ({amount(net['low'])} to {amount(net['high'])})",
            )
        )
    return rows


INTAKE_ROWS = (
    "Headcount",
    "Pilot members",
    "Volunteers among pilot members",
    "Survey response rate",
    "Active pilot users",
    "Data period (usage)",
    "Outcome records",
    "Support tickets",
    "Governance items in place",
)


def summary_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Every row of the executive summary's headline table, from results.json's content."""
    intake = [row for row in headline_rows(HeadlineFigures(**document["headline"])) if row[0] in INTAKE_ROWS]
    return mark_not_assessed(intake, document.get("not_assessed") or {}) + chapter_rows(document)

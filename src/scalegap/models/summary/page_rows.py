"""The executive summary's rows: each headline figure as a label and its text, marked where not assessed."""

from __future__ import annotations

from typing import Any

from scalegap import number_format as nf
from scalegap.models.summary.headline import HeadlineFigures
from scalegap.models.summary_page import amount, money_text
from scalegap.number_format import interval_label
from scalegap.vocabulary import counted

# --- summary rows ----------------------------------------------------------------------------------------------------


def headline_rows(headline: HeadlineFigures) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the executive summary table, in reading order."""

    def count(value: int | None) -> str:
        return "not provided" if value is None else f"{value:,}"

    def share(value: float | None) -> str:
        return "not provided" if value is None else f"{nf.share(value)}"

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
        f"{headline.pilot_members:,} pilot members ({nf.share(headline.pilot_share_of_headcount)} of headcount"
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
            f"matched to the roster, that is a response rate of {nf.share(headline.survey_response_rate)}."
        )
    return sentences


def _with_interval(level: float, value: float | None, low: float | None, high: float | None, digits: int = 1) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} ({interval_label(level)} {low:.{digits}f} to {high:.{digits}f})"


def _number(value: float | None, digits: int = 2) -> str:
    return "not available" if value is None else f"{value:,.{digits}f}"


def _share(value: float | None) -> str:
    return "not available" if value is None else f"{nf.share(value)}"


def _share_with_interval(level: float, value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return "not available"
    if low is None or high is None:
        return f"{nf.share(value)}"
    return f"{nf.share(value)} ({interval_label(level)} {nf.share(low)} to {nf.share(high)})"


def chapter_rows(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The chapters' headline figures, in chapter order, as the executive summary's table shows them; a figure
    not assessed gives its reason instead (see :func:`mark_not_assessed`)."""
    missing, level = document.get("not_assessed") or {}, document["interval"]
    rows = (
        _readiness_rows(document.get("readiness"), level)
        + _validity_rows(document.get("pilot_validity"))
        + _adoption_rows(document.get("adoption"), level)
        + _support_rows(document.get("support"), missing, level)
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


def _readiness_rows(figures: dict[str, Any] | None, level: float) -> list[tuple[str, str]]:
    if not figures:
        return []
    return [
        (
            "Readiness index, organisation (0–100)",
            _with_interval(
                level,
                figures["organisation_index"],
                figures["organisation_index_low"],
                figures["organisation_index_high"],
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


def _adoption_rows(figures: dict[str, Any] | None, level: float) -> list[tuple[str, str]]:
    if not figures:
        return []
    return [
        ("Pilot adoption (sustained use)", _share(figures["pilot_adoption"])),
        (
            "Predicted production adoption",
            _share_with_interval(
                level,
                figures["predicted_production_adoption"],
                figures["predicted_production_adoption_low"],
                figures["predicted_production_adoption_high"],
            ),
        ),
    ]


def _support_rows(figures: dict[str, Any] | None, missing: dict[str, str], level: float) -> list[tuple[str, str]]:
    assessed = figures and figures["tickets"] and figures["tickets_per_week_full_rollout"] is not None
    if not figures or not (assessed or "support.tickets_per_week_full_rollout" in missing):
        return []
    return [
        (
            "Projected support tickets per week at full rollout",
            _with_interval(
                level,
                figures["tickets_per_week_full_rollout"],
                figures["tickets_per_week_full_rollout_low"],
                figures["tickets_per_week_full_rollout_high"],
                digits=0,
            ),
        ),
        (
            "Service-desk agents needed at full rollout (FTE)",
            _with_interval(
                level,
                figures["agents_needed_full_rollout"],
                figures["agents_needed_full_rollout_low"],
                figures["agents_needed_full_rollout_high"],
            ),
        ),
        (
            "Current support capacity breaks at",
            "holds to full rollout"
            if figures["capacity_break_share"] is None
            else f"{nf.share(figures['capacity_break_share'])} of the organisation",
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
    return [("First rollout wave", f"{first['departments']}: {counted(int(first['headcount']), 'person')}")]


def conversion_rows(conversion: dict[str, Any]) -> list[tuple[str, str]]:
    """The conversion rate and (with money) the net value per seat, for the headline table."""
    if not conversion.get("available"):
        return [("Conversion rate", "not available")] if conversion else []
    low, high = conversion["conversion_rate_interval"]
    rows = [
        (
            "Conversion rate",
            nf.with_interval(conversion["conversion_rate"], low, high, "share", conversion["interval"]),
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

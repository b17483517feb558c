"""Figures not assessed: which of results.json's figures the data cannot support, and why."""

from __future__ import annotations

import dataclasses
from typing import Any

from scalegap.models import availability, readiness, support
from scalegap.models.adoption import AdoptionHeadline, AdoptionStudy
from scalegap.models.governance import GovernanceHeadline
from scalegap.models.support import SupportHeadline
from scalegap.package import PreparedPackage

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
        if not reason:
            continue
        for path in paths:
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

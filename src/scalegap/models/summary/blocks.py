"""Blocks of results.json drawn from several chapters: conversion and its gaps, department readiness, red metrics."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scalegap.models import readiness, recommendation, value
from scalegap.models.governance import checklist
from scalegap.models.results import figure
from scalegap.models.rollout import RolloutPlan
from scalegap.models.scorecard import RED, scorecard
from scalegap.package import PreparedPackage

# --- the results document's blocks -----------------------------------------------------------------------------------


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

"""Scoring: Likert items to construct scores and the 0–100 readiness index, per respondent."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from scalegap.models import availability
from scalegap.models.segments import available_segments
from scalegap.package import PreparedPackage
from scalegap.settings import ConstructSettings, SurveySettings

INDEX = "readiness_index"


# --- scoring --------------------------------------------------------------------------------------------------


def construct_label(name: str, construct: ConstructSettings) -> str:
    """The construct's label from assessment.yml, else its key in words."""
    return construct.label or name.replace("_", " ").capitalize()


def scored_items(survey: pd.DataFrame, instrument: SurveySettings) -> pd.DataFrame:
    """Every declared item's score; reverse-scored items turned round as ``scale_points + 1 − answer``.

    An item the survey table lacks counts as unanswered.
    """
    columns: dict[str, pd.Series] = {}
    for construct in instrument.constructs.values():
        for item in construct.items:
            answer = (
                pd.to_numeric(survey[item], errors="coerce").astype("float64")
                if item in survey
                else pd.Series(np.nan, index=survey.index)
            )
            columns[item] = instrument.scale_points + 1 - answer if item in construct.reverse else answer
    return pd.DataFrame(columns, index=survey.index, dtype="float64")


def at_least_half(count: int) -> int:
    """How many of ``count`` items (or constructs) must be answered: half, rounded up."""
    return math.ceil(count / 2)


def construct_scores(items: pd.DataFrame, instrument: SurveySettings) -> pd.DataFrame:
    """Per response and construct (1..scale_points): the mean of the answered items, when at least half were."""
    scores = {}
    for name, construct in instrument.constructs.items():
        answers = items.reindex(columns=construct.items)
        enough = answers.notna().sum(axis=1) >= at_least_half(len(construct.items))
        scores[name] = answers.mean(axis=1).where(enough)
    return pd.DataFrame(scores, index=items.index, dtype="float64")


def to_index_scale(score: Any, scale_points: int) -> Any:
    """A score on 1..scale_points rescaled to 0..100."""
    return (score - 1) / (scale_points - 1) * 100


def readiness_index(scores: pd.DataFrame, scale_points: int) -> pd.Series:
    """Per person, 0–100: the mean construct score rescaled, when at least half the constructs have a score."""
    enough = scores.notna().sum(axis=1) >= max(1, at_least_half(scores.shape[1]))
    return to_index_scale(scores.mean(axis=1), scale_points).where(enough).rename(INDEX)


def matched_survey(package: PreparedPackage) -> pd.DataFrame:
    """The survey responses matched to someone in the roster (one per person, the latest)."""
    survey = package.table("survey")
    return survey[survey["person_id"].notna()].reset_index(drop=True)


def respondents(package: PreparedPackage) -> pd.DataFrame:
    """One row per matched respondent, for computing (never shown): pilot membership, segments, construct
    scores and readiness index on 0..100."""
    instrument = package.settings.survey
    roster = package.table("roster")
    matched = matched_survey(package)
    scores = construct_scores(scored_items(matched, instrument), instrument)
    frame = to_index_scale(scores, instrument.scale_points)
    frame[INDEX] = readiness_index(scores, instrument.scale_points)
    frame.insert(0, "person_id", matched["person_id"])
    people = roster.set_index("person_id")[["in_pilot", *available_segments(roster)]]
    return frame.join(people, on="person_id")


def no_figure_text(package: PreparedPackage) -> str:
    """What a figure's place says when there is no figure: why readiness is unavailable, or the privacy rule."""
    minimum = package.settings.privacy.min_group_size
    return unavailable_reason(package) or (
        f"Every group here has fewer than {minimum} respondents (the minimum group size), so no figure is drawn."
    )


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why readiness cannot be scored for this client, or None when it can."""
    missing = availability.reason_for(package, "survey", subject="Readiness")
    if missing:
        return missing
    if not package.settings.survey.constructs:
        return (
            "assessment.yml declares no survey constructs (survey.constructs), so there is nothing to score; "
            "declare each construct's items to measure readiness."
        )
    if matched_survey(package).empty:
        return "No survey response could be matched to the roster, so readiness cannot be placed in any group."
    return None


def instrument_summary(package: PreparedPackage) -> list[str]:
    """One line per declared construct: its label and its statements (with the item ids; the ids alone where
    assessment.yml gives no statements), reverse-scored items marked."""
    survey = package.settings.survey
    return [
        f"{construct_label(name, construct)}: " + "; ".join(item_words(item, construct) for item in construct.items)
        for name, construct in survey.constructs.items()
    ]


def item_words(item: str, construct: ConstructSettings) -> str:
    """“Statement” (Q1_1, reverse-scored), or the id alone where no statement is declared."""
    marks = ", ".join([item, *(["reverse-scored"] if item in construct.reverse else [])])
    statement = construct.statements.get(item)
    return (
        f"“{statement}” ({marks})" if statement else (f"{item} (reverse-scored)" if item in construct.reverse else item)
    )

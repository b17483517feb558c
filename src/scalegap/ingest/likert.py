"""Likert answers: scale labels (any letter case) or numbers on the declared scale.

Scores are the raw position on the scale (1 = first label); reverse-scored
items are turned around by the readiness model, not here, so the prepared
survey keeps what respondents answered.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.errors import InputError
from scalegap.ingest.base import RowLedger
from scalegap.settings import SurveySettings


def likert_scores(answers: pd.Series, survey: SurveySettings, ledger: RowLedger, column: str) -> pd.Series:
    """Scale labels (any letter case) or numbers 1..scale_points -> float scores; others rejected."""
    scores, bad = scale_positions(answers, survey)
    ledger.reject(bad, f"answer is not on the {survey.scale_points}-point scale declared in assessment.yml", column)
    return scores


def scale_positions(answers: pd.Series, survey: SurveySettings) -> tuple[pd.Series, pd.Series]:
    """(positions on the declared scale, mask of answers given but off it)."""
    cleaned = answers.fillna("").astype(str).str.strip()
    by_label = {label.lower(): float(position) for position, label in enumerate(survey.scale_labels, start=1)}
    scores = cleaned.str.lower().map(by_label)
    numeric = pd.to_numeric(cleaned.where(scores.isna() & cleaned.ne(""), None), errors="coerce")
    on_scale = numeric.between(1, survey.scale_points) & (numeric % 1 == 0)
    scores = scores.fillna(numeric.where(on_scale))
    bad = cleaned.ne("") & scores.isna()
    return scores.astype("float64"), bad


#: fewer answers off the scale than this never block: they are strays (rejected row by row), not a misfit
MIN_OFF_SCALE_ANSWERS = 10


def refuse_misfit_scale(
    frame: pd.DataFrame, columns: list[str], survey: SurveySettings, path: Path, max_share: float
) -> None:
    """Block when more than ``max_share`` of the given answers are off the declared scale, naming the labels seen."""
    given = off = 0
    seen: dict[str, int] = {}
    for column in columns:
        answers = frame[column].fillna("").astype(str).str.strip()
        _, bad = scale_positions(answers, survey)
        given += int(answers.ne("").sum())
        off += int(bad.sum())
        for label, count in answers[bad].value_counts().items():
            seen[label] = seen.get(label, 0) + int(count)
    if off < MIN_OFF_SCALE_ANSWERS or off / given <= max_share:
        return  # a few stray answers are rejected row by row
    labels = ", ".join(f"{label!r}" for label, _ in sorted(seen.items(), key=lambda pair: -pair[1])[:8])
    all_labels = sorted({*seen, *survey.scale_labels}, key=str.casefold)
    raise InputError(
        f"{off:,} of {given:,} answers ({off / given:.0%}) are not on the {survey.scale_points}-point scale "
        f"declared in assessment.yml; labels seen that are off it: {labels}",
        file=path,
        column="survey.scale_labels",
        hint=f"declare the export's scale under survey: scale_points and scale_labels, from its lowest to its "
        f"highest label ({len(all_labels)} distinct labels were seen in all)",
    )

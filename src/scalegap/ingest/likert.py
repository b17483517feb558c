"""Likert answers: scale labels (any letter case) or numbers on the declared scale.

Scores are the raw position on the scale (1 = first label); reverse-scored
items are turned around by the readiness model, not here, so the prepared
survey keeps what respondents answered.
"""

from __future__ import annotations

import pandas as pd

from scalegap.ingest.base import RowLedger
from scalegap.settings import SurveySettings


def likert_scores(answers: pd.Series, survey: SurveySettings, ledger: RowLedger, column: str) -> pd.Series:
    """Scale labels (any letter case) or numbers 1..scale_points -> float scores; others rejected."""
    cleaned = answers.fillna("").astype(str).str.strip()
    by_label = {label.lower(): float(position) for position, label in enumerate(survey.scale_labels, start=1)}
    scores = cleaned.str.lower().map(by_label)
    numeric = pd.to_numeric(cleaned.where(scores.isna() & cleaned.ne(""), None), errors="coerce")
    on_scale = numeric.between(1, survey.scale_points) & (numeric % 1 == 0)
    scores = scores.fillna(numeric.where(on_scale))
    bad = cleaned.ne("") & scores.isna()
    ledger.reject(bad, f"answer is not on the {survey.scale_points}-point scale declared in assessment.yml", column)
    return scores.astype("float64")

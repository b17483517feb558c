"""Measurement error in the survey: how reliable the readiness index is, and the correction it calls for.

A survey measures readiness with error, so a model's slope on a person's readiness index is flattened
(attenuation): extrapolating from the pilot along a noisy score under-predicts how much less the less ready
adopt.  The adoption model corrects for it by **regression calibration**: it is fitted on each respondent's
expected true score given their answers, ``mean + reliability × (index − mean)``, so its readiness slope is per
point of true readiness; people who did not answer get their department's mean index, which estimates their
true readiness without that shrinkage.

The **reliability** of the index (0–1) is stratified Cronbach's alpha: the index is the mean of the constructs'
scores, so its error variance is ``Σ (1/J)² var(score_j) (1 − alpha_j)`` over the J constructs, and the
reliability is one minus that share of the index's variance.  A construct of one item has no alpha: the
reliability is then unknown and no correction is made, which the readiness page says.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.readiness import construct_scores, cronbach_alpha, matched_survey, scored_items
from scalegap.package import PreparedPackage
from scalegap.settings import SurveySettings

#: reliabilities below this are taken as this: a correction by more than 1 ÷ 0.3 would be the noise talking
MIN_RELIABILITY = 0.3

#: respondents' scores, as an array or a series
Scores = TypeVar("Scores", np.ndarray, pd.Series)


def index_reliability(
    survey: pd.DataFrame, instrument: SurveySettings, weights: dict[str, float] | None = None
) -> float | None:
    """Stratified alpha of the readiness index over the responses in ``survey``, the constructs weighing
    ``weights`` (summing to 1; default: the same); None when unknown (no constructs, a construct of one item, or
    fewer than three complete responses)."""
    if not instrument.constructs or any(len(c.items) < 2 for c in instrument.constructs.values()):
        return None
    items = scored_items(survey, instrument)
    scores = construct_scores(items, instrument).dropna()
    if len(scores) < 3:
        return None
    weight = pd.Series(weights if weights else {name: 1.0 / len(scores.columns) for name in scores.columns})
    weight = weight.reindex(scores.columns).fillna(0.0)
    index_variance = float((scores * weight).sum(axis=1).var(ddof=1))
    alphas = {name: cronbach_alpha(items.reindex(columns=c.items)) for name, c in instrument.constructs.items()}
    if index_variance <= 0 or not all(np.isfinite(a) for a in alphas.values()):
        return None
    error = sum(
        float(weight[name]) ** 2 * float(scores[name].var(ddof=1)) * (1.0 - min(1.0, alpha))
        for name, alpha in alphas.items()
    )
    return float(np.clip(1.0 - error / index_variance, MIN_RELIABILITY, 1.0))


def survey_reliability(package: PreparedPackage, weights: dict[str, float] | None = None) -> float | None:
    """The reliability of the readiness index (its constructs weighing ``weights``, default the same) over the
    survey's matched responses (None: no usable survey, or unknown)."""
    if not availability.usable(package, "survey"):
        return None
    survey = matched_survey(package)
    return index_reliability(survey, package.settings.survey, weights) if len(survey) else None


def calibrated(own: Scores, mean: float, reliability: float) -> Scores:
    """Each respondent's expected true score given their index (regression calibration), as an array or a series
    as ``own`` is."""
    return mean + reliability * (own - mean)


def attenuation_note(reliability: float | None) -> str:
    """The correction as the readiness and adoption pages state it."""
    if reliability is None:
        return (
            "The readiness score's reliability cannot be computed (a construct of one item, or too few complete "
            "responses), so the forecast models' readiness slopes are not corrected for measurement error: "
            "forecasts for less ready groups may lean optimistic."
        )
    return (
        f"The readiness score's reliability (stratified Cronbach's alpha, with the constructs' weights) is "
        f"{reliability:.2f}: a person's score holds about {nf.share(1 - reliability)} measurement noise. The adoption "
        f"and effect models correct their readiness slopes for this (regression calibration): they are fitted on "
        f"each respondent's expected true readiness, so a slope is about {1 / reliability:.2f} times the one a "
        "model on the raw score finds, and groups "
        "less ready than the pilot are not forecast to adopt as if the survey were exact."
    )

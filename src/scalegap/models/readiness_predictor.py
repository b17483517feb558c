"""Which survey constructs predict adoption: the weights of the readiness score the forecast models use.

The readiness chapter's index weighs every construct the same.  A construct that predicts nothing then dilutes
the one that does, and the adoption and effect models extrapolate from the pilot along a flattened score.  The
forecast models therefore read a **weighted readiness score**: the same 0–100 scale, with each construct
weighted by how well it predicts sustained use among the people who had access and answered the survey.

* **The weights** come from a logistic regression of sustained use on the constructs' standardised scores,
  written as the equal-weight index plus each construct's deviation from it, with a normal prior (a ridge
  penalty, standard deviation :data:`DEVIATION_PRIOR_SD` per standard deviation of the construct) on the
  deviations only.  With little data the weights stay near equal; the data move them only as far as they show.
  A construct's weight is its coefficient per scale point, negative ones set to 0, rescaled to sum to 1.
* **Not measured** (equal weights, and the page says so) when fewer than :data:`MIN_EACH` respondents with
  access adopted or did not, or when no construct's coefficient is positive.
* **Reliability** of the weighted score, for the regression calibration of
  :mod:`scalegap.models.measurement_error`: stratified alpha with these weights.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from scalegap.models.readiness import construct_scores, scored_items, to_index_scale
from scalegap.settings import SurveySettings

DEVIATION_PRIOR_SD = 0.5
MIN_EACH = 10


@dataclass(frozen=True)
class ConstructWeights:
    """Per construct, its weight in the forecast models' readiness score (they sum to 1)."""

    weights: dict[str, float]
    measured: bool
    respondents: int = 0

    @classmethod
    def equal(cls, constructs: list[str], respondents: int = 0) -> ConstructWeights:
        return cls({name: 1.0 / len(constructs) for name in constructs}, False, respondents)

    def note(self) -> str:
        """What the forecast pages say about the weights."""
        if not self.weights:
            return ""
        listed = ", ".join(
            f"{name} {weight:.2f}" for name, weight in sorted(self.weights.items(), key=lambda item: -item[1])
        )
        if not self.measured:
            return (
                "The forecast models read readiness with every construct weighing the same: too few of the "
                f"{self.respondents} survey respondents with access adopted, or did not, for the data to say "
                "which constructs predict adoption (or none did)."
            )
        return (
            "The forecast models weigh the survey's constructs by how well they predict sustained use among "
            f"the {self.respondents} respondents with access (a regularised logistic regression, pulled "
            f"towards equal weights): {listed}."
        )


def person_scores(survey: pd.DataFrame, instrument: SurveySettings) -> pd.DataFrame:
    """Per matched respondent (index ``person_id``): each construct's score; repeated answers averaged."""
    if not instrument.constructs or "person_id" not in survey:
        return pd.DataFrame(columns=list(instrument.constructs), dtype="float64")
    matched = survey[survey["person_id"].notna()]
    scores = construct_scores(scored_items(matched, instrument), instrument)
    return scores.groupby(matched["person_id"]).mean()


def deviation_fit(z: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Coefficients per standard deviation of each construct: equal-weight index + penalised deviations."""
    n, k = z.shape
    X = np.column_stack([np.ones(n), z, z.mean(axis=1)])
    penalty = np.zeros(k + 2)
    penalty[1 : k + 1] = 1.0 / (n * DEVIATION_PRIOR_SD**2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = (
            sm.GLM(outcome, X, family=sm.families.Binomial())
            .fit_regularized(method="elastic_net", alpha=penalty, L1_wt=0.0)
            .params
        )
    return params[1 : k + 1] + params[k + 1] / k


def predictive_weights(scores: pd.DataFrame, adopted: pd.Series) -> ConstructWeights:
    """The constructs' weights from who adopted (``adopted``: per person with access, index ``person_id``)."""
    constructs = list(scores.columns)
    if not constructs:
        return ConstructWeights({}, False)
    data = scores.join(adopted.rename("_adopted"), how="inner").dropna()
    outcome = data.pop("_adopted").to_numpy(dtype=float)
    adopters = int(outcome.sum())
    if min(adopters, len(outcome) - adopters) < MIN_EACH or len(constructs) < 2:
        return ConstructWeights.equal(constructs, len(outcome))
    spread = data.std(ddof=1).replace(0.0, np.nan)
    usable = spread.notna().to_numpy()
    z = ((data - data.mean()) / spread).to_numpy(dtype=float)[:, usable]
    per_point = np.zeros(len(constructs))
    per_point[usable] = np.maximum(deviation_fit(z, outcome), 0.0) / spread.to_numpy()[usable]
    if per_point.sum() <= 0:
        return ConstructWeights.equal(constructs, len(outcome))
    return ConstructWeights(dict(zip(constructs, (per_point / per_point.sum()).round(6).tolist())), True, len(outcome))


def weighted_index(scores: pd.DataFrame, weights: ConstructWeights, scale_points: int) -> pd.Series:
    """Per person, 0–100: the weighted construct scores (a missing construct's weight shared among the
    answered ones, when at least half the weight was answered)."""
    w = pd.Series(weights.weights).reindex(scores.columns).fillna(0.0)
    answered = scores.notna()
    weight = answered.mul(w, axis=1).sum(axis=1)
    value = scores.fillna(0.0).mul(w, axis=1).sum(axis=1) / weight.where(weight > 0)
    return to_index_scale(value, scale_points).where(weight >= 0.5).rename("readiness").dropna()

"""Who joined the pilot: the roster covariates, the propensity model and the weights that make the pilot look
like the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

from scalegap import number_format as nf
from scalegap.models import availability, readiness
from scalegap.models.population.statistics import bin_count, kish_effective_sample_size, tipton_index
from scalegap.models.segments import available_segments, in_natural_order, label
from scalegap.package import PreparedPackage

NOT_RECORDED = "(not recorded)"


PRIOR_SD = 2.5


COVARIATE_LABELS = {"volunteered": "Volunteered for the pilot", "answered": "Answered the survey"}


# --- covariates -----------------------------------------------------------------------------------------------


def readiness_index(package: PreparedPackage) -> pd.Series:
    """Per matched respondent, 0–100: the readiness chapter's index (:mod:`scalegap.models.readiness`)."""
    if not availability.usable(package, "survey") or not package.settings.survey.constructs:
        return pd.Series(dtype="float64")
    people = readiness.respondents(package).set_index("person_id")
    return people[readiness.INDEX].dropna()


def build_covariates(roster: pd.DataFrame, readiness: pd.Series | None) -> pd.DataFrame:
    """One row per person: pilot membership and every covariate (categorical as text levels)."""
    frame = pd.DataFrame(
        {
            "person_id": roster["person_id"].to_numpy(),
            "in_pilot": roster["in_pilot"].fillna(False).astype(bool).to_numpy(),
        }
    )
    for column in available_segments(roster):
        frame[column] = roster[column].astype("object").where(roster[column].notna(), NOT_RECORDED).to_numpy()
    if "volunteered" in roster and roster["volunteered"].notna().any():
        given = roster["volunteered"].astype("object")
        frame["volunteered"] = given.map(lambda v: NOT_RECORDED if pd.isna(v) else ("yes" if v else "no")).to_numpy()
    if readiness is not None and len(readiness):
        frame["readiness"] = frame["person_id"].map(readiness).astype("float64")
        frame["answered"] = np.where(frame["readiness"].notna(), "yes", "no")
    return frame


def covariates(package: PreparedPackage) -> pd.DataFrame:
    return build_covariates(package.table("roster"), readiness_index(package))


def categorical_columns(frame: pd.DataFrame) -> list[str]:
    """The categorical covariates with at least two levels."""
    candidates = [
        *[c for c in frame.columns if c in ("department", "role", "location", "tenure_band")],
        *[c for c in ("volunteered", "answered") if c in frame],
    ]
    return [column for column in candidates if frame[column].nunique() > 1]


def covariate_label(column: str) -> str:
    return COVARIATE_LABELS.get(column, label(column))


def shown_levels(frame: pd.DataFrame, column: str) -> list[str]:
    """A covariate's levels in reading order; a yes/no covariate is shown by its "yes" level alone."""
    levels = in_natural_order(frame[column].unique())
    return ["yes"] if set(levels) == {"yes", "no"} else levels


# --- the propensity model and the weights ---------------------------------------------------------------------


@dataclass(frozen=True)
class PropensityModel:
    """The fitted model of pilot membership: its formula, everyone's score and the pilot's weights."""

    formula: str
    described: str
    bins: int
    scores: pd.Series  # propensity per person_id
    in_pilot: pd.Series  # bool per person_id
    weights: pd.Series  # pilot members only, summing to the headcount

    @property
    def effective_sample_size(self) -> float:
        return kish_effective_sample_size(self.weights)

    @property
    def tipton_index(self) -> float:
        return tipton_index(self.scores[self.in_pilot].to_numpy(), self.scores.to_numpy(), self.bins)


def propensity_terms(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The model's data, its formula terms and their descriptions."""
    data = frame.assign(pilot=frame["in_pilot"].astype(float))
    columns = categorical_columns(frame)
    terms, described = [f"C({column})" for column in columns], [covariate_label(c).lower() for c in columns]
    if "readiness" in frame and frame["readiness"].notna().sum() > 1 and frame["readiness"].std() > 0:
        standardised = (frame["readiness"] - frame["readiness"].mean()) / frame["readiness"].std()
        data["readiness_z"] = standardised.fillna(0.0)
        terms.append("readiness_z")
        described.append("readiness index (standardised; 0 for non-respondents)")
    return data, terms, described


def fit_propensity(frame: pd.DataFrame, minimum: int) -> PropensityModel:
    """Logistic model of pilot membership (weak ridge penalty, intercept free) and the pilot's weights."""
    data, terms, described = propensity_terms(frame)
    formula = "pilot ~ " + (" + ".join(terms) if terms else "1")
    model = smf.glm(formula, data, family=sm.families.Binomial())
    penalty = 1 / (len(data) * PRIOR_SD**2)
    alpha = np.array([0.0 if name == "Intercept" else penalty for name in model.exog_names])
    fit = model.fit_regularized(alpha=alpha, L1_wt=0.0, maxiter=500, cnvrg_tol=1e-10)
    scores = pd.Series(model.predict(fit.params), index=frame["person_id"].to_numpy(), name="propensity")
    in_pilot = pd.Series(frame["in_pilot"].to_numpy(), index=scores.index)
    inverse = 1 / scores[in_pilot]
    return PropensityModel(
        formula,
        "pilot member ~ " + (" + ".join(described) if described else "1"),
        bin_count(int(in_pilot.sum()), minimum),
        scores,
        in_pilot,
        inverse * len(frame) / inverse.sum(),
    )


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the pilot cannot be compared with production here, or None when it can."""
    roster = package.table("roster")
    pilot, minimum = int(roster["in_pilot"].fillna(False).sum()), package.settings.privacy.min_group_size
    if pilot == 0:
        return "The roster records no pilot members, so there is no pilot to compare with production."
    if pilot == len(roster):
        return "Everyone in the roster is a pilot member: the pilot was the whole organisation."
    if pilot < minimum:
        return (
            f"The pilot has fewer members than the minimum group size ({minimum}), so no figure describing "
            "the pilot's members is shown."
        )
    return None


def propensity_model(package: PreparedPackage) -> PropensityModel | None:
    """The propensity model of this package (fitted once per prepared package), None when unavailable."""
    if unavailable_reason(package):
        return None
    manifest = package.path / "manifest.json"
    return _fitted(str(package.path.resolve()), manifest.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _fitted(path: str, written: int) -> PropensityModel:
    package = PreparedPackage(path)
    return fit_propensity(covariates(package), package.settings.privacy.min_group_size)


def count_or_fewer(count: int, minimum: int) -> str:
    """A count of people as shown: "fewer than <minimum>" for 1..minimum − 1."""
    return f"{count:,}" if count == 0 or count >= minimum else f"fewer than {minimum}"


def scope_sentences(package: PreparedPackage) -> list[str]:
    """What is compared with what, in words (and why not, when the pilot cannot be described)."""
    roster = package.table("roster")
    pilot, minimum = len(pilot_ids(package)), package.settings.privacy.min_group_size
    sentences = [
        f"Production here means everyone in the roster: {len(roster):,} people, who would all get access "
        f"at full rollout. The pilot had {pilot:,} members ({nf.share(pilot / len(roster))} of the headcount)."
    ]
    assigned = non_volunteers(package)
    if assigned is not None and pilot >= minimum:
        sentences.append(
            f"{count_or_fewer(pilot - assigned, minimum)} of them volunteered and "
            f"{count_or_fewer(assigned, minimum)} did not (assigned pilot members)."
        )
    reason = unavailable_reason(package)
    return sentences + ([reason] if reason else [])


def pilot_ids(package: PreparedPackage) -> set[str]:
    roster = package.table("roster")
    return set(roster.loc[roster["in_pilot"].fillna(False).astype(bool), "person_id"])


def non_volunteers(package: PreparedPackage) -> int | None:
    roster = package.table("roster")
    pilot = roster[roster["in_pilot"].fillna(False).astype(bool)]
    if not roster["volunteered"].notna().any():
        return None
    return int(pilot["volunteered"].eq(False).sum())

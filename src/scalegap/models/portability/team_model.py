"""The mixed model of effect by team and configuration, and its cluster bootstrap."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.regression.mixed_linear_model import MixedLM

from scalegap.models.portability.measured import PortabilityData
from scalegap.stats.estimation import percentile_interval
from scalegap.stats.random_intercept import reml_variance_components

OPTIMISERS = (["bfgs", "lbfgs", "cg"], ["powell"])  # statsmodels' default chain, then a derivative-free one


# --- the mixed model --------------------------------------------------------------------------------------------------


def design(people: pd.DataFrame, standard: str | None) -> pd.DataFrame:
    """Intercept, one indicator per department but the first, one per configuration but the standard one."""
    departments = sorted(people["department"].unique())
    configurations = [c for c in sorted(people["configuration"].unique()) if c != standard]
    if standard is None or standard not in set(people["configuration"]):
        configurations = configurations[1:]
    columns = {"Intercept": np.ones(len(people))}
    columns |= {f"department={d}": (people["department"] == d).to_numpy(float) for d in departments[1:]}
    columns |= {f"configuration={c}": (people["configuration"] == c).to_numpy(float) for c in configurations}
    return pd.DataFrame(columns, index=people.index)


def independent_columns(X: pd.DataFrame) -> list[str]:
    """The columns of ``X``, left to right, that each add to its rank (the rest are not identified)."""
    kept: list[str] = []
    for column in X.columns:
        if np.linalg.matrix_rank(X[kept + [column]].to_numpy()) == len(kept) + 1:
            kept.append(column)
    return kept


@dataclass(frozen=True)
class TeamModel:
    """The fitted mixed model: fixed effects and their covariance, team and residual variance."""

    fixed: pd.Series
    covariance: pd.DataFrame
    team_variance: float
    residual_variance: float
    mean_effect: float
    departments: tuple[str, ...]

    @property
    def team_share(self) -> float:
        return team_share(self.team_variance, self.residual_variance)

    @property
    def team_variation(self) -> float:
        return team_variation(self.team_variance, self.mean_effect)


def team_share(team_variance: float, residual_variance: float) -> float:
    """The share of the effect's variance that lies between teams."""
    total = team_variance + residual_variance
    return team_variance / total if total > 0 else float("nan")


def team_variation(team_variance: float, mean_effect: float) -> float:
    """Team standard deviation as a share of the mean effect."""
    return float(np.sqrt(team_variance) / mean_effect) if mean_effect > 0 else float("nan")


def reml_fit(outcome: np.ndarray, X: pd.DataFrame, groups: np.ndarray) -> Any | None:
    """statsmodels' REML fit with its default optimisers, then Powell's method; None when neither converges."""
    for method in OPTIMISERS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = MixedLM(outcome, X, groups=groups).fit(reml=True, method=method)
        except (np.linalg.LinAlgError, ValueError):
            continue
        if result.converged:
            return result
    return None


def fit_team_model(people: pd.DataFrame, standard: str | None, groups: pd.Series | None = None) -> TeamModel | None:
    """REML fit of effect on department and configuration with a random intercept per team (None if it fails)."""
    X = design(people, standard)
    X = X[independent_columns(X)]
    teams = (groups if groups is not None else people["team"]).to_numpy()
    result = reml_fit(people["effect"].to_numpy(float), X, teams)
    if result is None:
        return None
    names = list(X.columns)
    fixed = pd.Series(np.asarray(result.fe_params), index=names)
    covariance = pd.DataFrame(np.asarray(result.cov_params())[: len(names), : len(names)], index=names, columns=names)
    reference = sorted(people["department"].unique())[0]
    departments = (reference, *(name.removeprefix("department=") for name in names if name.startswith("department=")))
    return TeamModel(
        fixed,
        covariance,
        float(np.asarray(result.cov_re)[0, 0]),
        float(result.scale),
        float(people["effect"].mean()),
        tuple(sorted(departments)),
    )


def predict_fixed(model: TeamModel, department: str, configuration: str | None) -> tuple[float, np.ndarray]:
    """The fixed part for a team of ``department`` (one of ``model.departments``) working with ``configuration``,
    and its design row."""
    row = pd.Series(0.0, index=model.fixed.index)
    row["Intercept"] = 1.0
    for name in (f"department={department}", f"configuration={configuration}"):
        if name in row.index:
            row[name] = 1.0
    return float(row @ model.fixed), row.to_numpy()


# --- the bootstrap ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replicates:
    """One row per bootstrap replicate: ``team_share``, ``team_variation``, ``pilot_teams_mean`` and the mean
    effect of each configuration (columns ``mean:<configuration>``)."""

    table: pd.DataFrame
    interval: float

    def of(self, column: str) -> tuple[float, float]:
        if column not in self.table:
            return (float("nan"), float("nan"))
        return percentile_interval(self.table[column].to_numpy(float), self.interval)


def cluster_draw(rng: np.random.Generator, people: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Teams redrawn with replacement within pilot teams and the rest; a team drawn twice counts as two teams."""
    members = people.groupby("team").indices
    pilot = people.groupby("team")["pilot_team"].first()
    rows, labels = [], []
    flags = pilot.to_numpy(bool)
    for stratum, pool in (("pilot", pilot.index[flags]), ("other", pilot.index[~flags])):
        if len(pool) == 0:
            continue
        for number, team in enumerate(rng.choice(pool.to_numpy(), size=len(pool))):
            rows.append(members[team])
            labels.append(np.full(len(members[team]), f"{stratum}-{number}"))
    drawn = people.iloc[np.concatenate(rows)].reset_index(drop=True)
    return drawn, pd.Series(np.concatenate(labels), index=drawn.index)


def replicate_row(people: pd.DataFrame, groups: pd.Series, standard: str | None) -> dict[str, float]:
    """The bootstrapped quantities of one (drawn) set of people: the team model's variances by the closed-form
    REML fit (:mod:`scalegap.stats.random_intercept`, the model :func:`fit_team_model` fits with statsmodels,
    fifty times faster: a bootstrap fits it hundreds of times)."""
    X = design(people, standard)
    X = X[independent_columns(X)]
    found = reml_variance_components(people["effect"].to_numpy(float), X.to_numpy(), groups.to_numpy())
    mean = float(people["effect"].mean())
    row = {
        "team_share": team_share(found.group_variance, found.residual_variance) if found else np.nan,
        "team_variation": team_variation(found.group_variance, mean) if found else np.nan,
        "pilot_teams_mean": float(people.loc[people["pilot_team"], "effect"].mean()),
    }
    row |= {f"mean:{name}": float(value) for name, value in people.groupby("configuration")["effect"].mean().items()}
    return row


def bootstrap(data: PortabilityData, replicates: int, interval: float, seed: int) -> Replicates:
    """The cluster bootstrap of the module docstring, seeded."""
    rng = np.random.default_rng(seed)
    rows = [replicate_row(*cluster_draw(rng, data.people), data.standard) for _ in range(replicates)]
    return Replicates(pd.DataFrame(rows), interval)

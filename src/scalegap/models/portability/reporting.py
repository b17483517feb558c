"""What the chapter reports: variance by team, the configuration advantage, a new team's outlook, a recommendation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from scalegap.models.portability.measured import PortabilityData
from scalegap.models.portability.team_model import Replicates, TeamModel, predict_fixed

MATERIAL_TEAM_SHARE = 0.10


TUNE, TEAM_SPECIFIC, SHARED = "tune before rollout", "governed team-specific configurations", "one shared configuration"


# --- what the chapter reports -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VarianceDecomposition:
    """Team and residual variance (unit²), the between-team share and the team variation, with intervals."""

    team_variance: float
    residual_variance: float
    share: float
    share_interval: tuple[float, float]
    variation: float
    variation_interval: tuple[float, float]
    people: int
    teams: int
    shared_teams: int

    @property
    def material(self) -> bool:
        """Teams differ materially: the share's interval lies at or above ``MATERIAL_TEAM_SHARE``."""
        return bool(self.share_interval[0] >= MATERIAL_TEAM_SHARE)

    @property
    def small(self) -> bool:
        """Team differences are small: the share's interval lies below ``MATERIAL_TEAM_SHARE``."""
        return bool(self.share_interval[1] < MATERIAL_TEAM_SHARE)


def variance_decomposition(data: PortabilityData, model: TeamModel, replicates: Replicates) -> VarianceDecomposition:
    return VarianceDecomposition(
        model.team_variance,
        model.residual_variance,
        model.team_share,
        replicates.of("team_share"),
        model.team_variation,
        replicates.of("team_variation"),
        len(data.people),
        data.teams,
        data.shared_teams,
    )


@dataclass(frozen=True)
class ConfigurationAdvantage:
    """The tuned configuration's effect over the standard one (model-adjusted), or why it is not estimated."""

    tuned: str | None
    standard: str | None
    difference: float | None
    interval: tuple[float, float] | None
    reason: str | None = None

    @property
    def measurable(self) -> bool:
        """The tuned configuration is measurably better: its interval lies above zero."""
        return self.interval is not None and self.interval[0] > 0


def configuration_advantage(
    data: PortabilityData, model: TeamModel, interval: float, min_group_size: int
) -> ConfigurationAdvantage:
    """Wald interval of the tuned configuration's coefficient against the standard configuration."""
    tuned, standard = data.tuned, data.standard
    column = f"configuration={tuned}"
    sizes = data.people["configuration"].value_counts()
    if tuned is None or standard is None or tuned == standard:
        reason = (
            "no one outside the pilot teams was measured"
            if standard is None
            else "the pilot members and the other teams used the same configuration"
        )
        return ConfigurationAdvantage(tuned, standard, None, None, reason)
    if min(sizes.get(tuned, 0), sizes.get(standard, 0)) < min_group_size:
        return ConfigurationAdvantage(
            tuned, standard, None, None, f"fewer than {min_group_size} measured people used one of the two"
        )
    if column not in model.fixed.index:
        return ConfigurationAdvantage(
            tuned, standard, None, None, "the configuration cannot be told apart from the department"
        )
    half = stats.norm.ppf(0.5 + interval / 2) * np.sqrt(model.covariance.loc[column, column])
    value = float(model.fixed[column])
    return ConfigurationAdvantage(tuned, standard, value, (float(value - half), float(value + half)))


@dataclass(frozen=True)
class NewTeamExpectation:
    """The expected effect of a team outside the pilot (standard configuration, the pilot teams' department mix)
    with its prediction interval, against the pilot teams' mean effect."""

    configuration: str | None
    expected: float
    interval: tuple[float, float]
    pilot_teams_mean: float
    pilot_teams_interval: tuple[float, float]
    pilot_teams_people: int
    extrapolated: bool

    @property
    def ratio(self) -> float:
        """The portability ratio: a new team's expected effect ÷ the pilot teams' mean effect."""
        return self.expected / self.pilot_teams_mean if self.pilot_teams_mean > 0 else float("nan")


def prediction(
    model: TeamModel, weights: pd.Series, configuration: str | None, interval: float
) -> tuple[float, tuple[float, float]]:
    """Fixed part averaged over departments with ``weights``, and its prediction interval for one new team."""
    rows = [predict_fixed(model, department, configuration)[1] for department in weights.index]
    row = np.average(np.array(rows), axis=0, weights=weights.to_numpy(float))
    value = float(row @ model.fixed.to_numpy())
    spread = np.sqrt(float(row @ model.covariance.to_numpy() @ row) + model.team_variance)
    half = float(stats.norm.ppf(0.5 + interval / 2) * spread)
    return value, (value - half, value + half)


def new_team_expectation(data: PortabilityData, model: TeamModel, replicates: Replicates) -> NewTeamExpectation:
    pilot = data.people[data.people["pilot_team"]]
    mix = pilot if len(pilot) else data.people
    weights = mix["department"].value_counts().reindex(list(model.departments)).dropna()
    extrapolated = data.standard is None
    configuration = data.tuned if extrapolated else data.standard
    expected, interval = prediction(model, weights, configuration, replicates.interval)
    return NewTeamExpectation(
        configuration,
        expected,
        interval,
        float(pilot["effect"].mean()),
        replicates.of("pilot_teams_mean"),
        len(pilot),
        extrapolated,
    )


@dataclass(frozen=True)
class Recommendation:
    """The rule's choice; ``teams_differ`` is True (material), False (small) or None (not settled)."""

    choice: str
    teams_differ: bool | None
    tuned_better: bool


def recommendation(
    share_interval: tuple[float, float], tuned_better: bool, material: float = MATERIAL_TEAM_SHARE
) -> Recommendation:
    """Tune before rollout when the tuned configuration is measurably better; governed team-specific
    configurations when the between-team share's interval lies at or above ``material``; else one shared one."""
    low, high = share_interval
    teams_differ = True if low >= material else (False if high < material else None)
    if tuned_better:
        return Recommendation(TUNE, teams_differ, True)
    return Recommendation(TEAM_SPECIFIC if teams_differ else SHARED, teams_differ, False)

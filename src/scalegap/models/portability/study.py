"""The portability study: the model, its replicates and what the chapter reports, computed together."""

from __future__ import annotations

from dataclasses import dataclass

from scalegap.models.portability.measured import PortabilityData, portability_data, unavailable_reason
from scalegap.models.portability.reporting import (
    ConfigurationAdvantage,
    NewTeamExpectation,
    Recommendation,
    VarianceDecomposition,
    configuration_advantage,
    new_team_expectation,
    recommendation,
    variance_decomposition,
)
from scalegap.models.portability.team_model import Replicates, TeamModel, bootstrap, fit_team_model
from scalegap.package import PreparedPackage

# --- the study --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortabilityStudy:
    """Everything the chapter shows, from one fit and one bootstrap."""

    data: PortabilityData
    model: TeamModel
    replicates: Replicates
    decomposition: VarianceDecomposition
    advantage: ConfigurationAdvantage
    new_team: NewTeamExpectation
    recommendation: Recommendation
    min_group_size: int

    @property
    def interval(self) -> float:
        return self.replicates.interval


def study_of(
    data: PortabilityData, replicates: int, interval: float, seed: int, min_group_size: int
) -> PortabilityStudy | None:
    """Fit, bootstrap and summarise the measured people (None when the model cannot be fitted)."""
    model = fit_team_model(data.people, data.standard)
    if model is None:
        return None
    draws = bootstrap(data, replicates, interval, seed)
    decomposition = variance_decomposition(data, model, draws)
    advantage = configuration_advantage(data, model, interval, min_group_size)
    return PortabilityStudy(
        data,
        model,
        draws,
        decomposition,
        advantage,
        new_team_expectation(data, model, draws),
        recommendation(decomposition.share_interval, advantage.measurable),
        min_group_size,
    )


def portability_study(package: PreparedPackage) -> PortabilityStudy | None:
    """The chapter's study for a prepared package, or None (see :func:`unavailable_reason`)."""
    data = portability_data(package)
    if data is None or unavailable_reason(package, data) is not None:
        return None
    settings = package.settings
    return study_of(
        data,
        settings.statistics.replicates,
        settings.statistics.interval,
        settings.statistics.seed,
        settings.privacy.min_group_size,
    )


def absence_note(package: PreparedPackage, study: PortabilityStudy | None) -> str:
    """What the chapter says instead of its figures when there is no study ("" when there is one)."""
    if study is not None:
        return ""
    return unavailable_reason(package) or (
        "The team model could not be fitted to these data, so this chapter has no figures for this client."
    )

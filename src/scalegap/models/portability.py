"""Configuration portability: how much of the assistant's effect belongs to the team, and what a new team can expect.

Method (the methodology appendix says the same in prose):

* **Who.** Everyone in the roster with a clean-data effect (:func:`scalegap.models.effect.person_effects`: the
  within-person difference between task-adjusted assisted and unassisted clean records), pilot members and
  everyone else alike.  A person's team is the roster's; a person without one is a team of their own.  A
  **pilot team** is a team with at least one pilot member.
* **Configuration.** The prompt or workflow variant a person's assisted records were done with (the most
  frequent one when they used several).  When the outcome records name no configuration, the comparison is
  between pilot teams (whose configuration was tuned in the pilot) and the other teams instead.  The
  **tuned configuration** is the one most pilot members used; the **standard configuration** the one most
  people outside the pilot teams used.
* **Mixed model.** statsmodels ``MixedLM`` (REML; its gradient optimisers, else Powell's method when they do
  not converge): effect = department (fixed) + configuration (fixed, against the standard one) + a random
  intercept per team + the person's own variation.  The
  **between-team share** (intra-class correlation) = team variance ÷ (team variance + residual variance): the
  share of the person-to-person spread in effect that lies between teams once department and configuration
  are accounted for.  The **team variation** is the team standard deviation as a share of the mean effect.
* **Configuration advantage.** The tuned configuration's fixed effect over the standard one, with a Wald
  interval from the model.
* **A new team.** A team outside the pilot works with the standard configuration; its expected effect is the
  model's fixed part for it, in the pilot teams' department mix (so that the comparison with the pilot teams
  is like for like), with a prediction interval that adds the team variance to the fixed part's own
  uncertainty (normal approximation).  The **portability ratio** = that expectation ÷ the pilot teams' mean
  effect (people in pilot teams, each counted once).
* **Uncertainty.** Intervals of the between-team share, the team variation, the mean effects by
  configuration and the pilot teams' mean come from a cluster bootstrap seeded with ``adoption.seed``: teams
  redrawn with replacement within pilot teams and the rest, each drawn team with all its measured people,
  the model refitted (``conversion.replicates`` replicates, width ``conversion.interval``).
* **Recommendation** (:func:`recommendation`), in this order: *tune before rollout* when the tuned
  configuration's advantage is measurable (its interval lies above zero); *governed team-specific
  configurations* when teams differ materially (the between-team share's interval lies at or above
  ``MATERIAL_TEAM_SHARE``); otherwise *one shared configuration*, with team results watched in the first wave
  when the data cannot rule out material team differences.

Assumptions: a person's effect is measured without bias on their clean records; teams are exchangeable given
department and configuration (a new team resembles the measured ones); the configuration was given to teams,
not chosen by the people most likely to gain from it — pilot members' enthusiasm would otherwise show up as a
configuration advantage; team effects are normally distributed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM

from scalegap.models import availability, effect
from scalegap.models.estimation import percentile_interval
from scalegap.package import PreparedPackage
from scalegap.privacy import suppress_small_groups

MATERIAL_TEAM_SHARE = 0.10
OPTIMISERS = (["bfgs", "lbfgs", "cg"], ["powell"])  # statsmodels' default chain, then a derivative-free one
MIN_PEOPLE = 10
MIN_SHARED_TEAMS = 3
NOT_RECORDED = "(not recorded)"
PILOT_TEAMS_LABEL = "Teams with a pilot member"
OTHER_TEAMS_LABEL = "Teams without a pilot member"
TUNE, TEAM_SPECIFIC, SHARED = "tune before rollout", "governed team-specific configurations", "one shared configuration"


# --- the people measured ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortabilityData:
    """One row per measured person (``people``, never shown): ``person_id``, ``department``, ``team``,
    ``pilot_member``, ``pilot_team``, ``configuration``, ``effect``; ``named_configurations`` says whether the
    records name configurations (else ``configuration`` is the pilot-team proxy)."""

    people: pd.DataFrame
    unit: str
    named_configurations: bool
    tuned: str | None
    standard: str | None

    @property
    def teams(self) -> int:
        return int(self.people["team"].nunique())

    @property
    def shared_teams(self) -> int:
        """Teams with at least two measured people (what separates team from person variation)."""
        return int((self.people.groupby("team").size() >= 2).sum())


def person_configuration(records: pd.DataFrame) -> pd.Series:
    """Per person: the configuration of most of their assisted records (of all records when none is assisted)."""
    named = records.dropna(subset=["configuration"])
    assisted = named[named["assisted"]]
    source = pd.concat([assisted, named[~named["person_id"].isin(assisted["person_id"])]])
    return source.groupby("person_id")["configuration"].agg(lambda values: values.value_counts().index[0])


def most_common(values: pd.Series) -> str | None:
    counts = values.value_counts()
    return str(counts.index[0]) if len(counts) else None


def measured_people(effects: pd.Series, roster: pd.DataFrame, configuration: pd.Series | None) -> pd.DataFrame:
    """The roster's people with an effect, their team (own team when none), pilot team and configuration."""
    people = (
        roster.set_index("person_id").join(effects.rename("effect"), how="inner").rename_axis("person_id").reset_index()
    )  # the name holds when no one has an effect
    team = people["team"] if "team" in people else pd.Series(pd.NA, index=people.index)
    people["team"] = team.astype("object").where(team.notna(), "(no team) " + people["person_id"].astype(str))
    pilot_teams = set(roster.loc[roster["in_pilot"].astype(bool), "team"].dropna())
    people["pilot_member"] = people["in_pilot"].astype(bool)
    people["pilot_team"] = people["team"].isin(pilot_teams) | people["pilot_member"]
    if configuration is None:
        people["configuration"] = np.where(people["pilot_team"], PILOT_TEAMS_LABEL, OTHER_TEAMS_LABEL)
    else:
        people["configuration"] = people["person_id"].map(configuration).fillna(NOT_RECORDED)
    return people[["person_id", "department", "team", "pilot_member", "pilot_team", "configuration", "effect"]]


def portability_data(package: PreparedPackage) -> PortabilityData | None:
    """The measured people of the package, or None without outcome records."""
    outcome = effect.outcome_records(package)
    if outcome is None:
        return None
    records = outcome.records
    named = "configuration" in records and records["configuration"].notna().any()
    effects = effect.person_effects(records)[effect.CLEAN].dropna() if len(records) else pd.Series(dtype=float)
    people = measured_people(effects, package.table("roster"), person_configuration(records) if named else None)
    tuned = most_common(people.loc[people["pilot_member"], "configuration"])
    standard = most_common(people.loc[~people["pilot_team"], "configuration"])
    return PortabilityData(people, outcome.unit, bool(named), tuned, standard)


def unavailable_reason(package: PreparedPackage, data: PortabilityData | None = None) -> str | None:
    """Why team and configuration differences cannot be measured for this client, or None."""
    missing = availability.reason_for(package, "outcomes", subject="The effect by team and configuration")
    if missing:
        return missing
    data = data or portability_data(package)
    if len(data.people) < MIN_PEOPLE:
        return (
            f"Only {len(data.people)} people have a measured effect on clean records; at least {MIN_PEOPLE} "
            "are needed to compare teams."
        )
    if data.shared_teams < MIN_SHARED_TEAMS:
        return (
            f"Only {data.shared_teams} team(s) have two or more people with a measured effect; at least "
            f"{MIN_SHARED_TEAMS} are needed to tell differences between teams from differences between people."
        )
    return None


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
        total = self.team_variance + self.residual_variance
        return self.team_variance / total if total > 0 else float("nan")

    @property
    def team_variation(self) -> float:
        """Team standard deviation as a share of the mean effect."""
        return float(np.sqrt(self.team_variance) / self.mean_effect) if self.mean_effect > 0 else float("nan")


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
    """The bootstrapped quantities of one (drawn) set of people."""
    model = fit_team_model(people, standard, groups)
    row = {
        "team_share": model.team_share if model else np.nan,
        "team_variation": model.team_variation if model else np.nan,
        "pilot_teams_mean": float(people.loc[people["pilot_team"], "effect"].mean()),
    }
    row |= {f"mean:{name}": float(value) for name, value in people.groupby("configuration")["effect"].mean().items()}
    return row


def bootstrap(data: PortabilityData, replicates: int, interval: float, seed: int) -> Replicates:
    """The cluster bootstrap of the module docstring, seeded."""
    rng = np.random.default_rng(seed)
    rows = [replicate_row(*cluster_draw(rng, data.people), data.standard) for _ in range(replicates)]
    return Replicates(pd.DataFrame(rows), interval)


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
        settings.conversion.replicates,
        settings.conversion.interval,
        settings.adoption.seed,
        settings.privacy.min_group_size,
    )


def absence_note(package: PreparedPackage, study: PortabilityStudy | None) -> str:
    """What the chapter says instead of its figures when there is no study ("" when there is one)."""
    if study is not None:
        return ""
    return unavailable_reason(package) or (
        "The team model could not be fitted to these data, so this chapter has no figures for this client."
    )


# --- tables -----------------------------------------------------------------------------------------------------------


def interval_columns(interval: float) -> tuple[str, str]:
    return f"{interval:.0%} interval, from", f"{interval:.0%} interval, to"


def effect_column(unit: str) -> str:
    return f"Mean effect ({unit})"


def configuration_table(study: PortabilityStudy) -> pd.DataFrame:
    """Per configuration: measured people, teams, mean effect and its bootstrap interval (small groups suppressed)."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    grouped = people.groupby("configuration").agg(
        People=("person_id", "size"), Teams=("team", "nunique"), mean=("effect", "mean")
    )
    rows = [
        {
            "Configuration": name,
            "People measured": int(row["People"]),
            "Teams": int(row["Teams"]),
            effect_column(study.data.unit): float(row["mean"]),
            low: study.replicates.of(f"mean:{name}")[0],
            high: study.replicates.of(f"mean:{name}")[1],
        }
        for name, row in grouped.iterrows()
    ]
    table = pd.DataFrame(rows).sort_values(effect_column(study.data.unit), ascending=False, ignore_index=True)
    return suppress_small_groups(table, "People measured", study.min_group_size)


def team_table(study: PortabilityStudy) -> pd.DataFrame:
    """Teams with at least the minimum group size of measured people: mean effect with a t interval, best first."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    column = effect_column(study.data.unit)
    rows = []
    for team, members in people.groupby("team"):
        if len(members) < study.min_group_size:
            continue
        mean, error = float(members["effect"].mean()), float(stats.sem(members["effect"]))
        half = stats.t.ppf(0.5 + study.interval / 2, len(members) - 1) * error
        rows.append(
            {
                "Team": team,
                "Department": members["department"].iloc[0],
                "Configuration": members["configuration"].value_counts().index[0],
                "Pilot team": bool(members["pilot_team"].any()),
                "People measured": len(members),
                column: mean,
                low: mean - half,
                high: mean + half,
            }
        )
    columns = ["Team", "Department", "Configuration", "Pilot team", "People measured", column, low, high]
    return pd.DataFrame(rows, columns=columns).sort_values(column, ascending=False, ignore_index=True)


def team_note(study: PortabilityStudy) -> str:
    """How many teams are shown and how many are left out for their size."""
    shown = len(team_table(study))
    sizes = study.data.people.groupby("team").size()
    note = (
        f"{study.data.teams} teams have people with a measured effect; {shown} of them have at least "
        f"{study.min_group_size} (the minimum group size) and are shown. The other {study.data.teams - shown} "
        "are left out here but still count in the team model."
    )
    if shown == 0:
        note += (
            f" In this client the measured people are spread thinly: no team has more than {int(sizes.max())}, "
            f"and the team model rests on the {study.data.shared_teams} teams with two or more."
        )
    return note


def new_team_by_department(study: PortabilityStudy) -> pd.DataFrame:
    """Per department in the model: measured people and teams, and the expected effect of a new team working with
    the standard configuration, with its prediction interval (small departments suppressed)."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    rows = []
    for department in study.model.departments:
        value, (lower, upper) = prediction(
            study.model, pd.Series({department: 1.0}), study.new_team.configuration, study.interval
        )
        members = people[people["department"] == department]
        rows.append(
            {
                "Department": department,
                "People measured": len(members),
                "Teams": int(members["team"].nunique()),
                f"Expected effect of a new team ({study.data.unit})": value,
                low: lower,
                high: upper,
            }
        )
    return suppress_small_groups(pd.DataFrame(rows), "People measured", study.min_group_size)


def model_table(study: PortabilityStudy) -> pd.DataFrame:
    """The variance decomposition and the configuration advantage as the chapter states them."""
    d, a, n = study.decomposition, study.advantage, study.new_team
    unit = study.data.unit
    rows = [
        ("Between-team share", f"{d.share:.0%}", interval_text(d.share_interval, "{:.0%}")),
        (
            "Team variation (team standard deviation ÷ mean effect)",
            f"{d.variation:.0%}",
            interval_text(d.variation_interval, "{:.0%}"),
        ),
        ("Team standard deviation", f"{np.sqrt(d.team_variance):.2f} {unit}", "—"),
        ("Within-team standard deviation (people and measurement)", f"{np.sqrt(d.residual_variance):.2f} {unit}", "—"),
    ]
    if a.difference is not None:
        rows.append(
            (
                f"Advantage of {a.tuned} over {a.standard}",
                f"{a.difference:+.2f} {unit}",
                interval_text(a.interval, "{:+.2f}"),
            )
        )
    rows += [
        ("Pilot teams' mean effect", f"{n.pilot_teams_mean:.2f} {unit}", interval_text(n.pilot_teams_interval)),
        ("Expected effect of a new team", f"{n.expected:.2f} {unit}", interval_text(n.interval)),
        ("Portability ratio (new team ÷ pilot teams)", f"{n.ratio:.0%}", "—"),
    ]
    return pd.DataFrame(rows, columns=["Figure", "Estimate", f"{study.interval:.0%} interval"])


def interval_text(interval: tuple[float, float] | None, pattern: str = "{:.2f}") -> str:
    if interval is None or not np.all(np.isfinite(interval)):
        return "—"
    return f"{pattern.format(interval[0])} to {pattern.format(interval[1])}"


# --- findings ---------------------------------------------------------------------------------------------------------


def rule_text() -> list[str]:
    """The recommendation rule, as the chapter states it."""
    return [
        "Tune before rollout when the configuration tuned in the pilot is measurably better than the standard "
        "one (the interval of its advantage lies above zero).",
        "Otherwise, governed team-specific configurations when teams differ materially: the interval of the "
        f"between-team share lies at or above {MATERIAL_TEAM_SHARE:.0%}.",
        f"Otherwise, one shared configuration; when the interval straddles {MATERIAL_TEAM_SHARE:.0%}, with the "
        "effect measured by team in the first wave.",
    ]


def team_sentence(study: PortabilityStudy) -> str:
    d, unit = study.decomposition, study.data.unit
    verdict = {
        True: f"a material difference (the whole interval is at or above {MATERIAL_TEAM_SHARE:.0%})",
        False: f"a small difference (the whole interval is below {MATERIAL_TEAM_SHARE:.0%})",
        None: f"not settled by the data (the interval straddles {MATERIAL_TEAM_SHARE:.0%})",
    }
    share = interval_text(d.share_interval, "{:.0%}")
    return (
        f"Teams account for {d.share:.0%} of the spread in effect between people once department and "
        f"configuration are allowed for ({study.interval:.0%} interval {share}): a team's average typically "
        f"lies {d.variation:.0%} above or below the mean ({np.sqrt(d.team_variance):.1f} {unit}). "
        f"That is {verdict[study.recommendation.teams_differ]}."
    )


def configuration_sentence(study: PortabilityStudy) -> str:
    a, unit = study.advantage, study.data.unit
    prefix = (
        ""
        if study.data.named_configurations
        else (
            "The outcome records name no configuration, so teams with a pilot member (whose configuration was tuned in "
            "the pilot) are compared with the others. "
        )
    )
    if a.difference is None:
        return f"{prefix}The tuned configuration's advantage is not estimated: {a.reason}."
    verdict = "a measurable advantage" if a.measurable else "not a measurable difference"
    direction = "higher" if a.difference >= 0 else "lower"
    return (
        f"{prefix}Against comparable people on {a.standard}, people on {a.tuned} (the configuration most pilot "
        f"members used) had an effect {direction} by {abs(a.difference):.2f} {unit} "
        f"({study.interval:.0%} interval {interval_text(a.interval, '{:+.2f}')}): {verdict}."
    )


def new_team_sentence(study: PortabilityStudy) -> str:
    n, unit = study.new_team, study.data.unit
    if n.pilot_teams_people < study.min_group_size:
        return "Fewer people than the minimum group size were measured in the pilot teams: no comparison is shown."
    sentence = (
        f"A team outside the pilot, working with {n.configuration or 'the configuration in use'}, "
        f"can expect {n.expected:.1f} {unit} "
        f"(for one such team, {study.interval:.0%} prediction interval {interval_text(n.interval, '{:.1f}')}), "
        f"against {n.pilot_teams_mean:.1f} in "
        f"the pilot teams: {n.ratio:.0%} of the pilot's effect (the portability ratio)."
    )
    if n.extrapolated:
        sentence += (
            " No team outside the pilot was measured, so this assumes the pilot's configuration works as "
            "well elsewhere: an upper bound."
        )
    return sentence


RECOMMENDATIONS = {
    TUNE: "Recommendation: tune before rollout. The configuration tuned in the pilot is measurably better than the "
    "standard one: give each wave the tuned configuration (or tune its own) before it goes live, with every "
    "version under change control.",
    TEAM_SPECIFIC: "Recommendation: governed team-specific configurations. Teams differ materially and the pilot's "
    "configuration shows no measurable advantage, so one configuration for all would leave value "
    "behind: let teams adapt a governed base configuration, with versions under change control and "
    "the effect measured per team.",
    SHARED: "Recommendation: one shared configuration. Neither team differences nor the tuned configuration justify "
    "more than one: roll out a single configuration under change control.",
}


def recommendation_sentence(study: PortabilityStudy) -> str:
    choice = study.recommendation
    sentence = RECOMMENDATIONS[choice.choice]
    if choice.choice == TUNE and choice.teams_differ:
        sentence += " Teams also differ materially: tune per team, under the same governance."
    if choice.choice == SHARED and choice.teams_differ is None:
        sentence += (
            " The data cannot yet rule out material team differences: measure the effect by team in the "
            "first wave before settling on it."
        )
    return sentence


def portability_findings(study: PortabilityStudy) -> list[str]:
    """The chapter's answer in plain sentences."""
    data = study.data
    pilot_members = int(data.people["pilot_member"].sum())
    coverage = (
        f"{len(data.people)} people in {data.teams} teams have a measured effect on clean records "
        f"({pilot_members} pilot members, {len(data.people) - pilot_members} others); {data.shared_teams} "
        "teams have two or more, which is what tells team differences from personal ones."
    )
    return [
        coverage,
        team_sentence(study),
        configuration_sentence(study),
        new_team_sentence(study),
        recommendation_sentence(study),
    ]


def new_team_comparison(study: PortabilityStudy) -> pd.DataFrame:
    """The pilot teams' measured mean against the expected effect of a new team (pilot teams' department mix), with
    the standard configuration and, where it differs, the tuned one; intervals as in the chapter."""
    n, unit = study.new_team, study.data.unit
    if n.pilot_teams_people < study.min_group_size:
        return pd.DataFrame(columns=["Team", "Basis", unit, "from", "to"])
    rows = [
        ("Pilot teams", "measured mean (bootstrap interval)", n.pilot_teams_mean, *n.pilot_teams_interval),
        (f"A new team on {n.configuration}", "expected (prediction interval)", n.expected, *n.interval),
    ]
    tuned = study.advantage.tuned
    if study.advantage.difference is not None and tuned != n.configuration:
        pilot = study.data.people[study.data.people["pilot_team"]]
        weights = pilot["department"].value_counts().reindex(list(study.model.departments)).dropna()
        value, (low, high) = prediction(study.model, weights, tuned, study.interval)
        rows.append((f"A new team on {tuned}", "expected (prediction interval)", value, low, high))
    return pd.DataFrame(rows, columns=["Team", "Basis", unit, "from", "to"])

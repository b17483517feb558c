"""The second generator's world: who works where, who adopts, what the assistant saves them, and the truth.

Written apart from :mod:`scalegap.simulate` (nothing is imported from it) with other functional forms:

* **Readiness** is several survey constructs per person (correlated normals, with department and team
  shifts).  Adoption and effect are driven by one construct (``predictive="one"``) or by all of them.
* **Adoption is probit**: eventual production adoption ``a = Φ(α_department + β × driver)``.  Pilot members add
  an enthusiasm shift when they volunteered and a small shift for the pilot's attention; rollout members lose
  adoption to late support (below).
* **Effects are multiplicative in readiness**: minutes saved per task on clean records
  ``m = base_department × exp(γ × driver + team + person noise)``, × ``exp(tuning)`` in teams that had pilot
  members (their configuration was tuned in the pilot).
* **The messy-data multiplier varies by person**: ``r_i = r × exp(N(0, σ))``, at most 1.
* **Usage is heavy-tailed**: adopters are active ``1.2 + lognormal`` days a week after an exponential delay;
  non-adopters try it on a handful of scattered days; prompts per day are lognormal.
* **Support**: tickets per active week are gamma-distributed across people; a ticket is answered late with
  probability ``LATE_SHARE`` (the desk staffed to its 80 % target), and an adopter with a late answer stops
  with probability ``LOSS_WHEN_LATE`` (both as the assessment states them).

The truth (:class:`WorldTruth`) is computed from the planted probabilities and effects, exactly as
``conversion rate = production value per person ÷ pilot value per person`` with the four factors whose
product it is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.stats import norm

DEPARTMENT_NAMES = ("Claims", "Underwriting", "Broker Desk", "Actuarial", "Payroll", "Compliance", "Facilities")
CONSTRUCT_NAMES = ("value", "effort", "confidence", "backing", "habit")
ITEMS_PER_CONSTRUCT = 3
LATE_SHARE = 0.2  # 1 − the desk's service-level target (0.8)
LOSS_WHEN_LATE = 0.1
SUSTAINMENT_WEEKS = 13
PILOT_START = date(2026, 2, 2)  # a Monday


@dataclass(frozen=True)
class Structure:
    """What the deployment's data look like: the structures the calibration reports apart."""

    team_column: bool
    rollout: bool
    volunteers: int
    assigned: int
    predictive: str  # "one" | "all"
    records_per_member: int
    pilot_clean_share: float
    #: the rollout cohort is drawn across the organisation (True) or is one or two whole departments (False)
    rollout_across: bool = False

    @property
    def messy_per_member(self) -> float:
        return self.records_per_member * (1.0 - self.pilot_clean_share)


@dataclass(frozen=True)
class Behaviour:
    """The planted mechanisms (drawn per deployment)."""

    employees: int
    departments: int
    adoption_slope: float  # β, probit scale
    enthusiasm: float  # probit shift of volunteers
    pilot_attention: float  # probit shift of every pilot member
    effect_slope: float  # γ, log scale
    tuning: float  # log effect bonus of teams with pilot members
    messy_multiplier: float
    multiplier_sd: float
    production_messy_share: float
    ticket_rate: float  # mean tickets per active week
    onset_weeks: float  # mean weeks from access to sustained use
    pilot_weeks: int
    rollout_weeks: int  # weeks observed after rollout access (0: no rollout)
    item_noise: float
    scale_points: int


def draw_structure(rng: np.random.Generator) -> Structure:
    """The structure of one deployment: each property drawn independently."""
    assigned = (
        0 if rng.random() < 0.3 else int(rng.integers(1, 10)) if rng.random() < 0.3 else int(rng.integers(10, 41))
    )
    clean = 1.0 if rng.random() < 0.2 else float(rng.uniform(0.6, 0.97))
    return Structure(
        team_column=bool(rng.random() < 0.5),
        rollout=bool(rng.random() < 0.5),
        volunteers=int(rng.integers(30, 81)),
        assigned=assigned,
        predictive="one" if rng.random() < 0.5 else "all",
        records_per_member=int(rng.integers(10, 31)),
        pilot_clean_share=clean,
    )


def draw_behaviour(rng: np.random.Generator, structure: Structure) -> Behaviour:
    return Behaviour(
        employees=int(rng.integers(1200, 2401)),
        departments=int(rng.integers(4, 8)),
        adoption_slope=float(rng.uniform(0.4, 0.9)),
        enthusiasm=float(rng.uniform(0.3, 0.9)),
        pilot_attention=float(rng.uniform(0.0, 0.15)),
        effect_slope=float(rng.uniform(0.05, 0.25)),
        tuning=float(rng.uniform(0.0, 0.1)),
        messy_multiplier=float(rng.uniform(0.15, 0.7)),
        multiplier_sd=float(rng.uniform(0.1, 0.4)),
        production_messy_share=float(rng.uniform(0.2, 0.6)),
        ticket_rate=float(rng.uniform(0.02, 0.12)),
        onset_weeks=float(rng.uniform(0.3, 1.5)),
        pilot_weeks=int(rng.integers(10, 15)),
        rollout_weeks=int(rng.integers(6, 13)) if structure.rollout else 0,
        item_noise=float(rng.uniform(0.5, 1.0)),
        scale_points=int(rng.choice([5, 7])),
    )


@dataclass(frozen=True)
class World:
    """Everyone in the organisation (``people``, one row per person) and the deployment's calendar."""

    structure: Structure
    behaviour: Behaviour
    people: pd.DataFrame
    departments: dict[str, tuple[float, float]]  # name -> (tasks per week, base minutes saved per task)
    rollout_start: date | None
    data_end: date


def organisation(rng: np.random.Generator, b: Behaviour) -> pd.DataFrame:
    """Departments (uneven sizes), teams of 6-15 within them and correlated construct scores."""
    names = list(DEPARTMENT_NAMES[: b.departments])
    shares = rng.dirichlet(np.full(len(names), 4.0))
    department = rng.choice(names, size=b.employees, p=shares)
    people = pd.DataFrame({"department": department}).sort_values("department", kind="stable").reset_index(drop=True)
    teams: list[str] = []
    for name, group in people.groupby("department", sort=False):
        size, count = len(group), 0
        while count < size:
            width = int(rng.integers(6, 16))
            teams += [f"{name[:3].upper()}-{len(teams) + 1:04d}"] * min(width, size - count)
            count += width
    people["team"] = teams
    k = len(CONSTRUCT_NAMES)
    covariance = np.full((k, k), 0.3) + 0.7 * np.eye(k)
    scores = rng.multivariate_normal(np.zeros(k), covariance, size=b.employees)
    department_shift = {name: rng.normal(0, 0.3) for name in names}
    team_shift = {team: rng.normal(0, 0.25) for team in sorted(set(teams))}
    shift = people["department"].map(department_shift).to_numpy() + people["team"].map(team_shift).to_numpy()
    for j, construct in enumerate(CONSTRUCT_NAMES):
        people[construct] = scores[:, j] + shift
    return people.iloc[rng.permutation(b.employees)].reset_index(drop=True)


def choose_pilot(rng: np.random.Generator, people: pd.DataFrame, s: Structure, driver: np.ndarray) -> None:
    """Volunteers are keen (chosen ∝ exp(driver)); assigned members are picked by managers at random."""
    weight = np.exp(1.2 * driver)
    volunteers = rng.choice(len(people), size=s.volunteers, replace=False, p=weight / weight.sum())
    rest = np.setdiff1d(np.arange(len(people)), volunteers)
    assigned = rng.choice(rest, size=s.assigned, replace=False) if s.assigned else np.array([], dtype=int)
    people["in_pilot"] = False
    people["volunteered"] = False
    people.loc[volunteers, ["in_pilot", "volunteered"]] = True
    people.loc[assigned, "in_pilot"] = True


def choose_rollout(rng: np.random.Generator, people: pd.DataFrame, s: Structure) -> None:
    """The rollout cohort, at most 300 people outside the pilot: drawn at random across the organisation, or from
    one or two whole departments."""
    people["in_rollout"] = False
    if not s.rollout:
        return
    if s.rollout_across:
        candidates = np.flatnonzero(~people["in_pilot"].to_numpy())
        people.loc[rng.choice(candidates, size=min(300, len(candidates)), replace=False), "in_rollout"] = True
        return
    departments = people["department"].value_counts().index.tolist()
    chosen = rng.choice(departments, size=min(2, len(departments)) if rng.random() < 0.4 else 1, replace=False)
    candidates = np.flatnonzero(people["department"].isin(chosen).to_numpy() & ~people["in_pilot"].to_numpy())
    picked = rng.choice(candidates, size=min(300, len(candidates)), replace=False)
    people.loc[picked, "in_rollout"] = True


def behaviour_of_people(
    rng: np.random.Generator,
    people: pd.DataFrame,
    b: Behaviour,
    driver: np.ndarray,
    departments: dict[str, tuple[float, float]],
) -> None:
    """Adoption probabilities, effects, multipliers, ticket rates and usage intensities per person."""
    intercept = {name: rng.normal(-0.25, 0.35) for name in departments}
    linear = people["department"].map(intercept).to_numpy() + b.adoption_slope * driver
    people["a_production"] = norm.cdf(linear)
    pilot_shift = b.pilot_attention + b.enthusiasm * people["volunteered"].to_numpy()
    people["a_pilot"] = np.where(people["in_pilot"], norm.cdf(linear + pilot_shift), np.nan)
    pilot_teams = set(people.loc[people["in_pilot"], "team"])
    team_effect = {team: rng.normal(0, 0.1) for team in people["team"].unique()}
    base = people["department"].map({name: v[1] for name, v in departments.items()}).to_numpy()
    people["tasks_per_week"] = people["department"].map({name: v[0] for name, v in departments.items()})
    people["minutes_saved_clean"] = base * np.exp(
        b.effect_slope * driver
        + people["team"].map(team_effect).to_numpy()
        + b.tuning * people["team"].isin(pilot_teams).to_numpy()
        + rng.normal(0, 0.25, len(people))
    )
    people["messy_multiplier"] = np.minimum(
        1.0, b.messy_multiplier * np.exp(rng.normal(0, b.multiplier_sd, len(people)))
    )
    people["ticket_rate"] = b.ticket_rate * rng.gamma(0.7, 1 / 0.7, len(people)) * np.exp(-0.3 * driver)
    late = 1.0 - np.exp(-SUSTAINMENT_WEEKS * people["ticket_rate"] * LATE_SHARE)
    people["kept_under_desk"] = 1.0 - LOSS_WHEN_LATE * late
    people["days_per_week"] = np.minimum(5.0, 1.2 + rng.lognormal(0.2, 0.6, len(people)))


def make_world(seed: int) -> World:
    """One deployment's world, deterministic in ``seed``."""
    rng = np.random.default_rng([seed, 2])
    structure = draw_structure(rng)
    if structure.rollout:  # drawn from a stream of its own, so every other draw stays as it was
        across = bool(np.random.default_rng([seed, 3]).random() < 0.5)
        structure = dataclasses.replace(structure, rollout_across=across)
    b = draw_behaviour(rng, structure)
    people = organisation(rng, b)
    names = sorted(people["department"].unique())
    departments = {name: (float(rng.integers(10, 61)), float(rng.uniform(3.0, 10.0))) for name in names}
    predictive = (str(rng.choice(CONSTRUCT_NAMES)),) if structure.predictive == "one" else CONSTRUCT_NAMES
    driver = people[list(predictive)].mean(axis=1).to_numpy()
    driver = (driver - driver.mean()) / driver.std()
    people["driver"] = driver
    choose_pilot(rng, people, structure, driver)
    choose_rollout(rng, people, structure)
    behaviour_of_people(rng, people, b, driver, departments)
    realised_adoption(rng, people)
    rollout_start = PILOT_START + timedelta(weeks=b.pilot_weeks) if structure.rollout else None
    end = (
        rollout_start + timedelta(weeks=b.rollout_weeks)
        if rollout_start
        else PILOT_START + timedelta(weeks=b.pilot_weeks)
    ) - timedelta(days=3)  # a Friday
    return World(structure, b, people, departments, rollout_start, end)


def realised_adoption(rng: np.random.Generator, people: pd.DataFrame) -> None:
    """Who adopts: pilot members with their pilot probability, rollout members with the production one less
    what late support costs; nobody else has access."""
    probability = np.where(
        people["in_pilot"],
        people["a_pilot"],
        np.where(people["in_rollout"], people["a_production"] * people["kept_under_desk"], 0.0),
    )
    people["adopts"] = rng.random(len(people)) < probability


@dataclass(frozen=True)
class WorldTruth:
    """The conversion rate and its four factors, and production adoption, from the planted values."""

    conversion_rate: float
    adoption_factor: float
    effect_factor: float
    data_mix_factor: float
    sustainment_factor: float
    production_adoption: float
    pilot_adoption: float
    pilot_messy_share: float
    production_messy_share: float


def truth_of(world: World) -> WorldTruth:
    people, b = world.people, world.behaviour
    pilot = people[people["in_pilot"]]
    pilot_share, production_share = 1.0 - world.structure.pilot_clean_share, b.production_messy_share

    def mix(group: pd.DataFrame, share: float) -> np.ndarray:
        return (1.0 - share) + share * group["messy_multiplier"].to_numpy()

    a_pilot, a_prod = pilot["a_pilot"].to_numpy(), people["a_production"].to_numpy()
    clean_pilot = (pilot["tasks_per_week"] * pilot["minutes_saved_clean"]).to_numpy()
    clean_prod = (people["tasks_per_week"] * people["minutes_saved_clean"]).to_numpy()
    kept = people["kept_under_desk"].to_numpy()
    pilot_clean_value = (a_pilot * clean_pilot).sum()
    production_clean_value = (a_prod * clean_prod).sum()
    pilot_value = (a_pilot * clean_pilot * mix(pilot, pilot_share)).sum()
    production_value = (a_prod * clean_prod * mix(people, production_share)).sum()
    adoption = a_prod.mean() / a_pilot.mean()
    effect = (production_clean_value / a_prod.sum()) / (pilot_clean_value / a_pilot.sum())
    data_mix = (production_value / production_clean_value) / (pilot_value / pilot_clean_value)
    sustainment = (a_prod * kept * clean_prod * mix(people, production_share)).sum() / production_value
    return WorldTruth(
        conversion_rate=float(adoption * effect * data_mix * sustainment),
        adoption_factor=float(adoption),
        effect_factor=float(effect),
        data_mix_factor=float(data_mix),
        sustainment_factor=float(sustainment),
        production_adoption=float((a_prod * kept).mean()),
        pilot_adoption=float(a_pilot.mean()),
        pilot_messy_share=float(pilot_share),
        production_messy_share=float(production_share),
    )

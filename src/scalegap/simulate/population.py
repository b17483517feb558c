"""The people of Northwind Logistics: who they are, how ready, who piloted.

Generative model (one row per employee, the *truth* table ``people``):

* **Identity.** Employee IDs ``E10001``...; names from built-in lists, e-mail
  ``firstname.lastname@northwind.example`` (lower case, spaces and apostrophes
  dropped, a digit appended if the address is taken).
* **Segments.** Department headcounts are the department shares of
  ``n_employees`` by largest-remainder rounding, shuffled over the IDs. Role and
  location are drawn independently with their shares. Within a department
  people are split into teams of 8-15 (``CS-03``, ``OPS-11``). Tenure in years is
  exponential (mean 4.5) capped at 25; hire date = a week before the pilot
  start - tenure.
* **Readiness** (latent, standard-normal scale):
  ``r = department mean + role shift + team effect + Normal(0, 1)``, the team
  effect ``~ Normal(0, team_readiness_sd)``.
* **Volunteering.** ``P(volunteer) = logistic(volunteer_intercept +
  volunteer_readiness_slope * r)`` (defaults -3.5 and 1.6: enthusiasts volunteer).
* **Pilot selection.** ``round(pilot_size * pilot_volunteer_share)`` volunteers,
  sampled without replacement with weights ``pilot_volunteer_weight`` of their
  department (IT, Sales, Finance and Marketing favoured), plus the rest assigned
  uniformly from the non-volunteers. If there are too few volunteers, all of them
  join and more people are assigned.
* **Rollout cohort.** ``rollout_cohort_size`` people of ``rollout_department``
  who were not in the pilot, assigned uniformly (capped at the people available).
* **Adoption** (probability of sustained use once given access):
  ``adoption_probability = logistic(adoption_intercept[department] +
  adoption_readiness_slope * r)``; in the pilot
  ``pilot_adoption_probability = max(adoption_probability, min(adoption_probability
  + pilot_adoption_boost, adoption_probability_cap))`` (executive attention,
  direct support; the boost is capped but never lowers a probability); in
  production ``sustained_adoption_probability = adoption_probability *
  sustainment_factor`` (service-desk support).
* **Effect per active user** (minutes saved per task):
  ``minutes_saved_clean = department minutes * max(0.1, 1 + effect_readiness_slope
  * r) * team_portability`` with ``team_portability = exp(Normal(0,
  team_portability_sd)) * (1 + pilot_team_tuning if the team had a pilot member)``
  per team (some teams' prompts work better; the pilot's configurations were
  tuned with the pilot's teams);
  ``minutes_saved_messy = minutes_saved_clean * messy_data_multiplier``.
  ``tasks_per_week`` is the department's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.vocabulary import EMAIL_DOMAIN, FIRST_NAMES, LAST_NAMES

MIN_TEAM_SIZE = 8
MAX_TEAM_SIZE = 15
TYPICAL_TEAM_SIZE = 11.5
MEAN_TENURE_YEARS = 4.5
MAX_TENURE_YEARS = 25.0


def logistic(x: np.ndarray | float) -> np.ndarray:
    """The standard logistic function."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def logit(p: float) -> float:
    """The inverse of :func:`logistic`."""
    return float(np.log(p / (1.0 - p)))


def largest_remainder_allocation(shares: Sequence[float], total: int) -> np.ndarray:
    """Integer counts proportional to ``shares`` that sum exactly to ``total``."""
    exact = np.asarray(shares, dtype=float) * total
    counts = np.floor(exact).astype(int)
    shortfall = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:shortfall]] += 1
    return counts


def email_local_part(first_name: str, last_name: str) -> str:
    """``firstname.lastname`` in lower case, without spaces or apostrophes."""

    def clean(name: str) -> str:
        return name.lower().replace(" ", "").replace("'", "")

    return f"{clean(first_name)}.{clean(last_name)}"


def unique_emails(first_names: Iterable[str], last_names: Iterable[str]) -> list[str]:
    """Work e-mail addresses; a repeated name gets a number (``sam.lee2@...``)."""
    seen: dict[str, int] = {}
    emails = []
    for first, last in zip(first_names, last_names):
        local = email_local_part(first, last)
        seen[local] = seen.get(local, 0) + 1
        suffix = "" if seen[local] == 1 else str(seen[local])
        emails.append(f"{local}{suffix}@{EMAIL_DOMAIN}")
    return emails


def draw_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last names, distinct combinations while the lists allow it."""
    combinations = len(FIRST_NAMES) * len(LAST_NAMES)
    if n <= combinations:
        picks = rng.choice(combinations, size=n, replace=False)
    else:
        picks = rng.integers(0, combinations, size=n)
    first = np.asarray(FIRST_NAMES)[picks // len(LAST_NAMES)]
    last = np.asarray(LAST_NAMES)[picks % len(LAST_NAMES)]
    return first, last


def team_sizes(rng: np.random.Generator, department_size: int) -> list[int]:
    """Split a department into teams of 8-15 people (fewer for tiny departments)."""
    n_teams = max(1, round(department_size / TYPICAL_TEAM_SIZE))
    sizes = np.full(n_teams, department_size // n_teams)
    sizes[: department_size % n_teams] += 1
    if n_teams == 1:
        return sizes.tolist()
    for giver, taker in rng.integers(0, n_teams, size=(3 * n_teams, 2)):
        if giver != taker and sizes[giver] > MIN_TEAM_SIZE and sizes[taker] < MAX_TEAM_SIZE:
            sizes[giver] -= 1
            sizes[taker] += 1
    return sizes.tolist()


def assign_teams(
    rng: np.random.Generator, department_index: np.ndarray, parameters: SimulationParameters
) -> np.ndarray:
    """Team id (``CS-03``) of every person, teams built within departments."""
    teams = np.empty(len(department_index), dtype=object)
    for d, profile in enumerate(parameters.departments):
        members = rng.permutation(np.flatnonzero(department_index == d))
        start = 0
        for number, size in enumerate(team_sizes(rng, len(members)), start=1):
            teams[members[start : start + size]] = f"{profile.code}-{number:02d}"
            start += size
    return teams


def draw_hire_dates(rng: np.random.Generator, n: int, parameters: SimulationParameters) -> pd.Series:
    """Hire dates: tenure exponential (skewed to short), capped at 25 years."""
    tenure_years = np.minimum(rng.exponential(MEAN_TENURE_YEARS, size=n), MAX_TENURE_YEARS)
    tenure_days = np.floor(tenure_years * 365.25).astype(int)
    reference = parameters.pilot_start - timedelta(days=7)
    return pd.Series(pd.to_datetime([reference - timedelta(days=int(d)) for d in tenure_days]))


def build_identities(rng: np.random.Generator, parameters: SimulationParameters) -> pd.DataFrame:
    """IDs, names, e-mails, department, role, location, team and hire date."""
    p = parameters
    n = p.n_employees
    headcounts = largest_remainder_allocation([d.headcount_share for d in p.departments], n)
    department_index = rng.permutation(np.repeat(np.arange(len(p.departments)), headcounts))
    role_index = rng.choice(len(p.roles), size=n, p=[r.headcount_share for r in p.roles])
    location_index = rng.choice(len(p.locations), size=n, p=[loc.headcount_share for loc in p.locations])
    first, last = draw_names(rng, n)
    return pd.DataFrame(
        {
            "employee_id": [f"E{10001 + i}" for i in range(n)],
            "first_name": first,
            "last_name": last,
            "email": unique_emails(first, last),
            "department": [p.departments[d].name for d in department_index],
            "department_code": [p.departments[d].code for d in department_index],
            "role": [p.roles[r].name for r in role_index],
            "location": [p.locations[loc].name for loc in location_index],
            "team": assign_teams(rng, department_index, p),
            "hire_date": draw_hire_dates(rng, n, p),
        }
    )


def team_draws(rng: np.random.Generator, teams: pd.Series, sd: float) -> np.ndarray:
    """One ``Normal(0, sd)`` draw per team (teams in sorted order), per person."""
    team_names = np.sort(teams.unique())
    effects = dict(zip(team_names, rng.normal(0.0, sd, size=len(team_names))))
    return teams.map(effects).to_numpy(dtype=float)


def add_readiness(rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """Latent readiness = department mean + role shift + team effect + N(0, 1)."""
    p = parameters
    department_mean = people["department"].map({d.name: d.readiness_mean for d in p.departments})
    role_shift = people["role"].map({r.name: r.readiness_shift for r in p.roles})
    team_effect = team_draws(rng, people["team"], p.team_readiness_sd)
    noise = rng.normal(0.0, 1.0, size=len(people))
    return people.assign(
        team_readiness_effect=team_effect,
        readiness=department_mean.to_numpy(float) + role_shift.to_numpy(float) + team_effect + noise,
    )


def add_pilot_selection(
    rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """Volunteering, then the pilot: weighted volunteers plus assigned others."""
    p = parameters
    volunteer_probability = logistic(p.volunteer_intercept + p.volunteer_readiness_slope * people["readiness"])
    volunteered = rng.random(len(people)) < volunteer_probability
    volunteers = np.flatnonzero(volunteered)
    weights = people["department"].map({d.name: d.pilot_volunteer_weight for d in p.departments})
    wanted = round(p.pilot_size * p.pilot_volunteer_share)
    if len(volunteers) <= wanted:
        chosen_volunteers = volunteers
    else:
        w = weights.to_numpy(float)[volunteers]
        chosen_volunteers = rng.choice(volunteers, size=wanted, replace=False, p=w / w.sum())
    others = np.flatnonzero(~volunteered)
    assigned = rng.choice(others, size=p.pilot_size - len(chosen_volunteers), replace=False)
    entry = np.full(len(people), "", dtype=object)
    entry[chosen_volunteers] = "volunteered"
    entry[assigned] = "assigned"
    return people.assign(
        volunteer_probability=volunteer_probability,
        volunteered=volunteered,
        in_pilot=entry != "",
        pilot_entry=entry,
    )


def add_rollout_cohort(
    rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """The first production cohort: assigned members of the rollout department."""
    in_cohort = np.zeros(len(people), dtype=bool)
    if parameters.rollout_department is not None:
        candidates = np.flatnonzero(
            (people["department"] == parameters.rollout_department).to_numpy() & ~people["in_pilot"].to_numpy()
        )
        size = min(parameters.rollout_cohort_size, len(candidates))
        in_cohort[rng.choice(candidates, size=size, replace=False)] = True
    return people.assign(in_rollout_cohort=in_cohort)


def add_adoption(people: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """Adoption probabilities in production, sustained in production, and in the pilot."""
    p = parameters
    intercept = people["department"].map({d.name: d.adoption_intercept for d in p.departments})
    adoption = logistic(intercept.to_numpy(float) + p.adoption_readiness_slope * people["readiness"].to_numpy())
    return people.assign(
        adoption_probability=adoption,
        sustained_adoption_probability=adoption * p.sustainment_factor,
        pilot_adoption_probability=np.maximum(
            adoption, np.minimum(adoption + p.pilot_adoption_boost, p.adoption_probability_cap)
        ),
    )


def add_effects(rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """Minutes saved per task (clean and messy records) and tasks per week."""
    p = parameters
    base_minutes = people["department"].map({d.name: d.minutes_saved_per_task for d in p.departments})
    tasks = people["department"].map({d.name: d.tasks_per_week for d in p.departments})
    pilot_teams = people.loc[people["in_pilot"], "team"].unique()
    tuning = np.where(people["team"].isin(pilot_teams), 1.0 + p.pilot_team_tuning, 1.0)
    portability = np.exp(team_draws(rng, people["team"], p.team_portability_sd)) * tuning
    readiness_gain = np.maximum(0.1, 1.0 + p.effect_readiness_slope * people["readiness"].to_numpy())
    clean = base_minutes.to_numpy(float) * readiness_gain * portability
    return people.assign(
        team_portability=portability,
        minutes_saved_clean=clean,
        minutes_saved_messy=clean * p.messy_data_multiplier,
        tasks_per_week=tasks.to_numpy(float),
    )


def build_people(rng: np.random.Generator, parameters: SimulationParameters) -> pd.DataFrame:
    """The truth table: one row per employee with identity and latent variables.

    Each step draws from its own child of ``rng``, so changing one knob (say the
    pilot's volunteer share) leaves the other steps' draws unchanged.
    """
    identity_rng, readiness_rng, pilot_rng, cohort_rng, effect_rng = rng.spawn(5)
    people = build_identities(identity_rng, parameters)
    people = add_readiness(readiness_rng, people, parameters)
    people = add_pilot_selection(pilot_rng, people, parameters)
    people = add_rollout_cohort(cohort_rng, people, parameters)
    people = add_adoption(people, parameters)
    return add_effects(effect_rng, people, parameters)

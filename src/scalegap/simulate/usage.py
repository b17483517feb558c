"""Who adopted, when, and the daily usage telemetry of everyone with access.

Generative model:

* **Access.** Pilot members have access for ``access_period_weeks`` weeks of
  weekdays from ``pilot_start``; the rollout cohort (if any) from
  ``rollout_start``.
* **Adoption.** A pilot member adopts with ``pilot_adoption_probability``, a
  rollout-cohort member with ``sustained_adoption_probability``. Adoption times
  (weeks since access) follow the cohort's Bass diffusion,
  ``F(t) = (1 - exp(-(p+q)t)) / (1 + (q/p) exp(-(p+q)t))``, drawn by inverse CDF;
  the earliest times go to the adopters with the highest ``readiness + Normal(0, 1)``
  (innovators first). Adopters whose time falls after the period never show
  sustained use in it.
* **Daily activity.** Before adopting (and for non-adopters) people try the
  assistant on a weekday with probability 0.25 in the first two weeks and rarely
  after (0.06 for later adopters, 0.01 for non-adopters). After adopting, a person
  is active with probability ``regularity * ramp``, ``regularity ~ Beta(8, 2)``,
  ``ramp`` rising from 0.5 to 1 over two weeks.
* **Volume.** ``interactions = 1 + Poisson(intensity * ramp)`` on sustained-use
  days (``intensity`` lognormal around 6, higher for the more ready),
  ``1 + Poisson(1.5)`` on trial days; ``active_minutes = max(1, round(interactions
  * Gamma(3, 0.8)))``.
* **Strangers.** A handful of rows come from accounts that are not on the HR
  roster (service accounts, leavers, partners); their ``employee_id`` is missing.
* **After the pilot.** Pilot members keep their licences when the pilot ends:
  their usage continues, with the same model (weeks since access keep counting,
  so late adopters may adopt now), on every weekday from the day after the pilot
  period to the end of the last access period (:func:`usage_end`). These rows
  keep ``access_cohort`` ``pilot``; they lie outside the pilot's access period,
  so they file no tickets. ``pilot_dropouts`` pilot adopters (those with
  sustained use in the pilot) stop for good on a weekday drawn uniformly from the
  continuation days at least ``DROPOUT_MARGIN_DAYS`` before its end (licence
  waste: a licence held, not used); ``adoption["usage_stopped_on"]`` is that
  day, missing for everyone else. Without continuation days there are no
  dropouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import BassDiffusion, SimulationParameters
from scalegap.simulate.vocabulary import UNKNOWN_USAGE_EMAILS

TRIAL_DAYS = 10
TRIAL_PROBABILITY = 0.25
LATE_TRIAL_PROBABILITY = 0.06
NON_ADOPTER_LATE_PROBABILITY = 0.01
RAMP_WEEKS = 2.0
DROPOUT_MARGIN_DAYS = 35  # a dropout stops at least this long before the end of the usage data
USAGE_COLUMNS = ["employee_id", "user_email", "date", "interactions", "active_minutes", "access_cohort"]


@dataclass(frozen=True)
class AccessPeriod:
    """A cohort's access window and the diffusion of adoption within it."""

    cohort: str
    start: date
    weeks: int
    diffusion: BassDiffusion
    probability_column: str

    def weekdays(self) -> list[date]:
        """The weekdays of the period, Monday to Friday, in order."""
        days = (self.start + timedelta(days=i) for i in range(7 * self.weeks))
        return [d for d in days if d.weekday() < 5]


def weekdays_between(first: date, last: date) -> list[date]:
    """The weekdays from ``first`` to ``last``, both included."""
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5]


def access_periods(parameters: SimulationParameters) -> list[AccessPeriod]:
    """The pilot period and, if there is a rollout department, the rollout period."""
    p = parameters
    periods = [
        AccessPeriod("pilot", p.pilot_start, p.access_period_weeks, p.pilot_diffusion, "pilot_adoption_probability")
    ]
    if p.rollout_department is not None:
        periods.append(
            AccessPeriod(
                "rollout", p.rollout_start, p.access_period_weeks, p.rollout_diffusion, "sustained_adoption_probability"
            )
        )
    return periods


def usage_end(parameters: SimulationParameters) -> date:
    """The last weekday of the last access period: the end of the usage data."""
    return access_periods(parameters)[-1].weekdays()[-1]


def continuation_days(parameters: SimulationParameters) -> list[date]:
    """The weekdays after the pilot period up to :func:`usage_end` (pilot members keep using)."""
    pilot = access_periods(parameters)[0]
    return weekdays_between(pilot.weekdays()[-1] + timedelta(days=1), usage_end(parameters))


def cohort_members(people: pd.DataFrame, cohort: str) -> pd.DataFrame:
    """The people with access in the ``pilot`` or ``rollout`` cohort."""
    column = "in_pilot" if cohort == "pilot" else "in_rollout_cohort"
    return people[people[column]]


def bass_adoption_weeks(rng: np.random.Generator, n: int, diffusion: BassDiffusion) -> np.ndarray:
    """``n`` adoption times (weeks since access) from a Bass diffusion, sorted."""
    p, q = diffusion.innovation, diffusion.imitation
    u = rng.random(n)
    weeks = -np.log((1.0 - u) / (1.0 + (q / p) * u)) / (p + q)
    return np.sort(weeks)


def adoption_timing(
    rng: np.random.Generator, members: pd.DataFrame, period: AccessPeriod
) -> tuple[np.ndarray, np.ndarray]:
    """Who adopts (Bernoulli) and when (Bass times, innovators first)."""
    adopted = rng.random(len(members)) < members[period.probability_column].to_numpy()
    adoption_week = np.full(len(members), np.nan)
    adopters = np.flatnonzero(adopted)
    enthusiasm = members["readiness"].to_numpy()[adopters] + rng.normal(0.0, 1.0, size=len(adopters))
    order = adopters[np.argsort(-enthusiasm, kind="stable")]
    adoption_week[order] = bass_adoption_weeks(rng, len(adopters), period.diffusion)
    return adopted, adoption_week


def activity_probabilities(
    adoption_week: np.ndarray, n_days: int, regularity: np.ndarray, first_day: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Probability of being active per person and day, and the sustained-use ramp.

    Days are weekdays since access, ``first_day`` to ``first_day + n_days - 1``.
    """
    day_index = np.arange(first_day, first_day + n_days)
    weeks_in = day_index / 5.0
    since = weeks_in[None, :] - adoption_week[:, None]
    sustained = np.nan_to_num(since, nan=-1.0) >= 0
    ramp = np.where(sustained, np.minimum(1.0, 0.5 + 0.5 * np.maximum(since, 0) / RAMP_WEEKS), 0.0)
    is_adopter = ~np.isnan(adoption_week)[:, None]
    early = (day_index < TRIAL_DAYS)[None, :]
    late = np.where(is_adopter, LATE_TRIAL_PROBABILITY, NON_ADOPTER_LATE_PROBABILITY)
    trial = np.where(early, TRIAL_PROBABILITY, late)
    probability = np.where(sustained, regularity[:, None] * ramp, trial)
    return probability, ramp


def usage_rates(rng: np.random.Generator, members: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per person: regularity (share of days active once adopted) and interaction intensity."""
    readiness = members["readiness"].to_numpy()
    regularity = rng.beta(8.0, 2.0, size=len(members))
    intensity = np.exp(rng.normal(np.log(6.0), 0.4, size=len(members))) * np.maximum(0.3, 1 + 0.15 * readiness)
    return regularity, intensity


def daily_rows(
    rng: np.random.Generator,
    members: pd.DataFrame,
    cohort: str,
    days: list[date],
    first_day: int,
    adoption_week: np.ndarray,
    rates: tuple[np.ndarray, np.ndarray],
    stop_day: np.ndarray | None = None,
) -> pd.DataFrame:
    """Usage rows of ``members`` on ``days`` (weekdays ``first_day``... since access).

    ``stop_day`` (per person, in the same day numbering; ``inf`` for none) ends a
    person's use for good from that day on.
    """
    regularity, intensity = rates
    probability, ramp = activity_probabilities(adoption_week, len(days), regularity, first_day)
    active = rng.random(probability.shape) < probability
    if stop_day is not None:
        active &= np.arange(first_day, first_day + len(days))[None, :] < stop_day[:, None]
    person, day = np.nonzero(active)
    rate = np.where(ramp[person, day] > 0, intensity[person] * ramp[person, day], 1.5)
    interactions = 1 + rng.poisson(rate)
    minutes = np.maximum(1, np.round(interactions * rng.gamma(3.0, 0.8, size=len(person)))).astype(int)
    return pd.DataFrame(
        {
            "employee_id": members["employee_id"].to_numpy()[person],
            "user_email": members["email"].to_numpy()[person],
            "date": pd.to_datetime([days[d] for d in day]),
            "interactions": interactions.astype(int),
            "active_minutes": minutes,
            "access_cohort": cohort,
        }
    )


def period_usage(
    rng: np.random.Generator,
    members: pd.DataFrame,
    period: AccessPeriod,
    adoption_week: np.ndarray,
    rates: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Daily usage rows of one cohort in its access period: one row per person per active day."""
    rates = usage_rates(rng, members) if rates is None else rates
    return daily_rows(rng, members, period.cohort, period.weekdays(), 0, adoption_week, rates)


def pilot_dropouts(
    rng: np.random.Generator,
    adopted: np.ndarray,
    adoption_week: np.ndarray,
    days: list[date],
    parameters: SimulationParameters,
) -> np.ndarray:
    """Per pilot member, the continuation day (index into ``days``) on which use stops; ``inf`` for none."""
    stop = np.full(len(adopted), np.inf)
    last_allowed = usage_end(parameters) - timedelta(days=DROPOUT_MARGIN_DAYS)
    eligible_days = sum(1 for d in days if d <= last_allowed)
    sustained = np.flatnonzero(adopted & (np.nan_to_num(adoption_week, nan=np.inf) < parameters.access_period_weeks))
    if eligible_days == 0 or parameters.pilot_dropouts == 0 or len(sustained) == 0:
        return stop
    chosen = rng.choice(sustained, size=min(parameters.pilot_dropouts, len(sustained)), replace=False)
    stop[chosen] = rng.integers(0, eligible_days, size=len(chosen))
    return stop


def continued_pilot_usage(
    rng: np.random.Generator,
    members: pd.DataFrame,
    adopted: np.ndarray,
    adoption_week: np.ndarray,
    rates: tuple[np.ndarray, np.ndarray],
    parameters: SimulationParameters,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Pilot members' usage after the pilot period, and the day each dropout stopped (NaT if none)."""
    days = continuation_days(parameters)
    stop = pilot_dropouts(rng, adopted, adoption_week, days, parameters)
    first_day = len(access_periods(parameters)[0].weekdays())
    rows = daily_rows(rng, members, "pilot", days, first_day, adoption_week, rates, stop + first_day)
    stopped_on = np.array(
        [np.datetime64(days[int(d)], "ns") if np.isfinite(d) else np.datetime64("NaT", "ns") for d in stop],
        dtype="datetime64[ns]",
    )
    return rows, stopped_on


def unrostered_usage(rng: np.random.Generator, period: AccessPeriod) -> pd.DataFrame:
    """One row for each account that is not on the HR roster."""
    days = period.weekdays()
    picks = rng.integers(0, len(days), size=len(UNKNOWN_USAGE_EMAILS))
    interactions = 1 + rng.poisson(3.0, size=len(picks))
    return pd.DataFrame(
        {
            "employee_id": pd.Series([None] * len(picks), dtype="str"),
            "user_email": list(UNKNOWN_USAGE_EMAILS),
            "date": pd.to_datetime([days[i] for i in picks]),
            "interactions": interactions.astype(int),
            "active_minutes": (2 * interactions).astype(int),
            "access_cohort": "",
        }
    )


def simulate_usage(
    rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily usage of all cohorts, and per person who adopted, when, and when a dropout stopped."""
    tables = []
    adoption = pd.DataFrame(
        {
            "employee_id": people["employee_id"],
            "access_cohort": "",
            "adopted": False,
            "adoption_week": np.nan,
            "usage_stopped_on": pd.Series(pd.NaT, index=people.index, dtype="datetime64[ns]"),
        }
    )
    pilot_state = None
    for period in access_periods(parameters):
        members = cohort_members(people, period.cohort)
        adopted, adoption_week = adoption_timing(rng, members, period)
        rows = members.index
        adoption.loc[rows, "access_cohort"] = period.cohort
        adoption.loc[rows, "adopted"] = adopted
        adoption.loc[rows, "adoption_week"] = adoption_week
        rates = usage_rates(rng, members)
        tables.append(period_usage(rng, members, period, adoption_week, rates))
        if period.cohort == "pilot":
            pilot_state = (members, adopted, adoption_week, rates)
    tables.append(unrostered_usage(rng, access_periods(parameters)[0]))
    if pilot_state is not None:
        members, adopted, adoption_week, rates = pilot_state
        continued, stopped_on = continued_pilot_usage(rng, members, adopted, adoption_week, rates, parameters)
        adoption.loc[members.index, "usage_stopped_on"] = stopped_on
        tables.append(continued)
    usage = pd.concat(tables, ignore_index=True)
    usage = usage.sort_values(["date", "user_email"], kind="stable", ignore_index=True)
    return usage[USAGE_COLUMNS], adoption

"""Task-level outcome records (the operational system's work log), in memory.

Generative model:

* **Who.** Pilot members and the rollout cohort: ``baseline_records_per_person``
  unassisted records in the four weeks before their access starts, and
  ``period_records_per_person`` records during access. A sample of
  ``baseline_sample_size`` other employees: unassisted records during the pilot.
* **Assisted.** A record during access is assisted when the person adopted, the
  record falls after their adoption time, and with probability
  ``assisted_share_after_adoption``.
* **Data tier.** A record is messy with probability ``pilot_messy_share`` for
  pilot members (curated records) and ``production_messy_share`` for everyone
  else. Messy means incomplete (``record_completeness`` 0.40-0.89, 60%), an
  exception (``exception_flag`` 1, 25%) or both (15%); clean records have
  completeness 0.90-1.00 and no exception.
* **Minutes.** ``minutes_taken = baseline minutes of the task type * personal
  speed (lognormal, sd 0.15) * (1.25 if messy) + Normal(0, 8% of baseline)
  - (minutes_saved_clean or minutes_saved_messy if assisted)``, at least 1.0.
  The difference between unassisted and assisted minutes is the person's true
  effect for the record's data tier.
* **Quality.** ``round(3.6 + 0.3 * assisted clean - 0.5 * messy + Normal(0, 0.8))``
  clipped to 1..5.
* **Recording errors kept in the table.** About 0.4% of ``minutes_taken`` blank
  and one negative value (a sign error).
* **Configuration.** Every record carries its team's configuration (the prompt
  pack the task was done with): ``PILOT_CONFIGURATION`` for teams with a pilot
  member (tuned in the pilot), ``STANDARD_CONFIGURATION`` for the others. This
  labels the ``pilot_team_tuning`` bonus of :mod:`scalegap.simulate.population`;
  it draws no random number.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import SimulationParameters

BASELINE_WEEKS = 4
MESSY_SLOWDOWN = 1.25
MINUTES_NOISE_SHARE = 0.08
BLANK_MINUTES_SHARE = 0.004
PILOT_CONFIGURATION = "Pilot prompt pack v2"
STANDARD_CONFIGURATION = "Standard prompt pack v1"
OUTCOME_COLUMNS = [
    "record_id",
    "employee_id",
    "team",
    "task_type",
    "completed_on",
    "assisted",
    "minutes_taken",
    "quality_score",
    "record_completeness",
    "exception_flag",
    "configuration",
    "messy",
    "record_source",
]


def weekdays_from(start: date, weeks: int) -> np.ndarray:
    """The weekdays of ``weeks`` weeks from ``start``, as datetime64[D]."""
    days = [start + timedelta(days=i) for i in range(7 * weeks)]
    return np.array([d for d in days if d.weekday() < 5], dtype="datetime64[D]")


def outcome_subjects(
    rng: np.random.Generator, people: pd.DataFrame, adoption: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """The people with outcome records, their source and messy share."""
    p = parameters
    table = people.merge(adoption[["employee_id", "adopted", "adoption_week"]], on="employee_id")
    pilot = table[table["in_pilot"]].assign(record_source="pilot", messy_share=p.pilot_messy_share)
    cohort = table[table["in_rollout_cohort"]].assign(record_source="rollout", messy_share=p.production_messy_share)
    others = np.flatnonzero(~(table["in_pilot"] | table["in_rollout_cohort"]).to_numpy())
    sample_rows = np.sort(rng.choice(others, size=min(p.baseline_sample_size, len(others)), replace=False))
    sample = table.iloc[sample_rows].assign(
        record_source="baseline_sample", messy_share=p.production_messy_share, adopted=False
    )
    return pd.concat([pilot, cohort, sample], ignore_index=True)


def schedule_block(
    rng: np.random.Generator, subject_rows: np.ndarray, days: np.ndarray, per_person: int, in_access: bool
) -> pd.DataFrame:
    """``per_person`` records for each subject on random days of ``days``."""
    picks = rng.integers(0, len(days), size=len(subject_rows) * per_person)
    return pd.DataFrame(
        {
            "subject": np.repeat(subject_rows, per_person),
            "completed_on": days[picks],
            "in_access": in_access,
            "weeks_in": picks / 5.0 if in_access else np.nan,
        }
    )


def schedule_records(
    rng: np.random.Generator, subjects: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """One row per record: whose, when, and whether it fell in the access period."""
    p = parameters
    blocks = []
    for source, start in (("pilot", p.pilot_start), ("rollout", p.rollout_start)):
        rows = np.flatnonzero((subjects["record_source"] == source).to_numpy())
        before = weekdays_from(start - timedelta(weeks=BASELINE_WEEKS), BASELINE_WEEKS)
        during = weekdays_from(start, p.access_period_weeks)
        blocks.append(schedule_block(rng, rows, before, p.baseline_records_per_person, in_access=False))
        blocks.append(schedule_block(rng, rows, during, p.period_records_per_person, in_access=True))
    sample_rows = np.flatnonzero((subjects["record_source"] == "baseline_sample").to_numpy())
    pilot_days = weekdays_from(p.pilot_start, p.access_period_weeks)
    blocks.append(schedule_block(rng, sample_rows, pilot_days, p.baseline_records_per_person, in_access=False))
    return pd.concat(blocks, ignore_index=True)


def data_tier(rng: np.random.Generator, messy_share: np.ndarray) -> pd.DataFrame:
    """Messy flag, record completeness and exception flag of each record."""
    n = len(messy_share)
    messy = rng.random(n) < messy_share
    kind = rng.choice(3, size=n, p=[0.60, 0.25, 0.15])  # incomplete, exception, both
    incomplete = messy & (kind != 1)
    exception = messy & (kind != 0)
    complete_value = np.where(rng.random(n) < 0.6, 1.0, rng.uniform(0.90, 0.99, n))
    completeness = np.where(incomplete, rng.uniform(0.40, 0.89, n), complete_value)
    return pd.DataFrame(
        {"messy": messy, "record_completeness": np.round(completeness, 2), "exception_flag": exception.astype(int)}
    )


def task_types(
    rng: np.random.Generator, departments: pd.Series, parameters: SimulationParameters
) -> tuple[np.ndarray, np.ndarray]:
    """A task type of the person's department per record, and its baseline minutes."""
    names = np.empty(len(departments), dtype=object)
    minutes = np.empty(len(departments))
    picks = rng.random(len(departments))
    for profile in parameters.departments:
        rows = np.flatnonzero((departments == profile.name).to_numpy())
        choice = np.minimum((picks[rows] * len(profile.task_types)).astype(int), len(profile.task_types) - 1)
        names[rows] = [profile.task_types[c].name for c in choice]
        minutes[rows] = [profile.task_types[c].baseline_minutes for c in choice]
    return names, minutes


def assisted_flags(rng: np.random.Generator, records: pd.DataFrame, parameters: SimulationParameters) -> np.ndarray:
    """Whether each record was done with the assistant."""
    after_adoption = records["weeks_in"].to_numpy() >= records["adoption_week"].to_numpy()
    eligible = records["in_access"].to_numpy() & records["adopted"].to_numpy(dtype=bool) & after_adoption
    return eligible & (rng.random(len(records)) < parameters.assisted_share_after_adoption)


def minutes_and_quality(
    rng: np.random.Generator, records: pd.DataFrame, baseline_minutes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes taken (1 decimal) and quality score (1-5) of each record."""
    n = len(records)
    messy = records["messy"].to_numpy()
    assisted = records["assisted"].to_numpy()
    speed = records["speed"].to_numpy()
    saved = np.where(messy, records["minutes_saved_messy"], records["minutes_saved_clean"])
    unassisted = baseline_minutes * speed * np.where(messy, MESSY_SLOWDOWN, 1.0)
    noise = rng.normal(0.0, MINUTES_NOISE_SHARE * baseline_minutes)
    minutes = np.maximum(1.0, unassisted + noise - np.where(assisted, saved, 0.0))
    quality = 3.6 + 0.3 * (assisted & ~messy) - 0.5 * messy + rng.normal(0.0, 0.8, n)
    return np.round(minutes, 1), np.clip(np.round(quality), 1, 5).astype(int)


def add_recording_errors(rng: np.random.Generator, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Blank a few ``minutes_taken`` values and flip the sign of one."""
    minutes = outcomes["minutes_taken"].to_numpy(dtype=float).copy()
    n_blank = max(1, int(round(BLANK_MINUTES_SHARE * len(minutes))))
    rows = rng.choice(len(minutes), size=n_blank + 1, replace=False)
    minutes[rows[:-1]] = np.nan
    minutes[rows[-1]] = -minutes[rows[-1]]
    return outcomes.assign(minutes_taken=minutes)


def team_configurations(people: pd.DataFrame, teams: pd.Series) -> np.ndarray:
    """The configuration of each of ``teams``: the pilot's tuned one where the team had a pilot member."""
    pilot_teams = people.loc[people["in_pilot"], "team"].unique()
    return np.where(teams.isin(pilot_teams).to_numpy(), PILOT_CONFIGURATION, STANDARD_CONFIGURATION)


def simulate_outcomes(
    rng: np.random.Generator, people: pd.DataFrame, adoption: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """All outcome records (canonical-ish table, extra truth columns ``messy`` and ``record_source``)."""
    subjects = outcome_subjects(rng, people, adoption, parameters)
    subjects["speed"] = np.exp(rng.normal(0.0, 0.15, size=len(subjects)))
    records = schedule_records(rng, subjects, parameters)
    records = records.join(subjects.drop(columns="messy_share").iloc[records["subject"]].reset_index(drop=True))
    messy_share = subjects["messy_share"].to_numpy()[records["subject"]]
    records = pd.concat([records, data_tier(rng, messy_share)], axis=1)
    names, baseline_minutes = task_types(rng, records["department"], parameters)
    records["task_type"] = names
    records["assisted"] = assisted_flags(rng, records, parameters)
    records["minutes_taken"], records["quality_score"] = minutes_and_quality(rng, records, baseline_minutes)
    records["completed_on"] = pd.to_datetime(records["completed_on"])
    records = records.sort_values(["completed_on", "employee_id"], kind="stable", ignore_index=True)
    records["record_id"] = [f"TSK-{i:06d}" for i in range(1, len(records) + 1)]
    records["configuration"] = team_configurations(people, records["team"])
    return add_recording_errors(rng, records)[OUTCOME_COLUMNS]

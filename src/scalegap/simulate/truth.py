"""The known truth of a simulated deployment (what ``truth.json`` holds).

Value is minutes saved per person per week. With ``a`` an adoption probability,
``t`` tasks per week, ``m`` minutes saved per task on clean data and
``M(s) = (1 - s) + s * messy_data_multiplier`` the data-mix multiplier of a
messy share ``s``:

* ``pilot_value_per_person = mean over pilot members of a_pilot * t * m * M(pilot_messy_share)``
* ``production_value_per_person = mean over all employees of
  a_production * sustainment_factor * t * m * M(production_messy_share)``
* ``conversion_rate = production_value_per_person / pilot_value_per_person``

The conversion rate is the exact product of four factors:

* ``adoption_factor = mean(a_production over everyone) / mean(a_pilot over pilot members)``
* ``effect_factor`` = ratio of the adoption-weighted clean-data value per active
  user, ``sum(a t m) / sum(a)``, everyone in production over pilot members in the
  pilot (who the active users are, what they do, how well it works for them)
* ``data_mix_factor = M(production_messy_share) / M(pilot_messy_share)``
* ``sustainment_factor`` (production adoption is sustained at this fraction under
  service-desk support)

``adoption_by_department[d].production`` is the mean ``adoption_probability``
before sustainment; ``production_sustained`` is after it; ``pilot`` is the mean
``pilot_adoption_probability`` of the department's pilot members (``null`` when
the pilot had nobody from the department).

``licences`` (see :func:`scalegap.simulate.licences.licence_truth`) is measured
on the last weekly Microsoft 365 Copilot usage report: ``licensed_users``,
``never_used`` (no activity ever) and ``stopped_using`` (activity, but none in
the 28 days ending on the last refresh date), overall, ``by_department`` and
``by_licence_group`` (``pilot``, ``rollout``, ``unused``), with the employee
IDs of both groups and the ``planted`` waste: the ``unused_licence_employee_ids``
and the ``pilot_dropouts`` (employee ID -> the day they stopped).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import SimulationParameters

DECIMALS = 6


@dataclass(frozen=True)
class ConversionTruth:
    """Per-person values and the factor decomposition of the conversion rate."""

    pilot_value_per_person: float
    production_value_per_person: float
    adoption_factor: float
    effect_factor: float
    data_mix_factor: float
    sustainment_factor: float

    @property
    def conversion_rate(self) -> float:
        """Production value per person over pilot value per person."""
        return self.production_value_per_person / self.pilot_value_per_person


def data_mix_multiplier(messy_share: float, messy_data_multiplier: float) -> float:
    """Average effect multiplier of a record mix with ``messy_share`` messy records."""
    return (1.0 - messy_share) + messy_share * messy_data_multiplier


def conversion_truth(people: pd.DataFrame, parameters: SimulationParameters) -> ConversionTruth:
    """The true pilot and production values and the factors of their ratio."""
    p = parameters
    pilot = people[people["in_pilot"]]
    pilot_mix = data_mix_multiplier(p.pilot_messy_share, p.messy_data_multiplier)
    production_mix = data_mix_multiplier(p.production_messy_share, p.messy_data_multiplier)
    pilot_a = pilot["pilot_adoption_probability"].to_numpy()
    production_a = people["adoption_probability"].to_numpy()
    pilot_clean_value = (pilot["tasks_per_week"] * pilot["minutes_saved_clean"]).to_numpy()
    production_clean_value = (people["tasks_per_week"] * people["minutes_saved_clean"]).to_numpy()
    pilot_per_active = float((pilot_a * pilot_clean_value).sum() / pilot_a.sum())
    production_per_active = float((production_a * production_clean_value).sum() / production_a.sum())
    return ConversionTruth(
        pilot_value_per_person=float(np.mean(pilot_a * pilot_clean_value)) * pilot_mix,
        production_value_per_person=float(np.mean(production_a * production_clean_value))
        * production_mix
        * p.sustainment_factor,
        adoption_factor=float(production_a.mean() / pilot_a.mean()),
        effect_factor=production_per_active / pilot_per_active,
        data_mix_factor=production_mix / pilot_mix,
        sustainment_factor=p.sustainment_factor,
    )


def adoption_by_department(people: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Mean adoption probabilities per department, pilot and production."""
    result: dict[str, dict[str, Any]] = {}
    for department, group in people.groupby("department", sort=True):
        pilot = group[group["in_pilot"]]
        result[str(department)] = {
            "headcount": len(group),
            "pilot_members": len(pilot),
            "pilot": float(pilot["pilot_adoption_probability"].mean()) if len(pilot) else None,
            "production": float(group["adoption_probability"].mean()),
            "production_sustained": float(group["sustained_adoption_probability"].mean()),
        }
    return result


def effect_by_department(people: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Mean minutes saved per task per department and data tier."""
    means = people.groupby("department", sort=True)[["minutes_saved_clean", "minutes_saved_messy"]].mean()
    return {
        str(d): {"clean": float(row["minutes_saved_clean"]), "messy": float(row["minutes_saved_messy"])}
        for d, row in means.iterrows()
    }


def realized_summary(people: pd.DataFrame) -> dict[str, Any]:
    """Counts of what actually happened in this draw (adopters, respondents)."""
    pilot = people[people["in_pilot"]]
    cohort = people[people["in_rollout_cohort"]]
    respondents = people[people["survey_responded"]]
    return {
        "volunteers": int(people["volunteered"].sum()),
        "pilot_adopters": int(pilot["adopted"].sum()),
        "rollout_cohort_size": len(cohort),
        "rollout_adopters": int(cohort["adopted"].sum()),
        "survey_respondents_in_roster": len(respondents),
        "mean_readiness_respondents": float(respondents["readiness"].mean()),
        "mean_readiness_non_respondents": float(people.loc[~people["survey_responded"], "readiness"].mean()),
        "mean_readiness_pilot": float(pilot["readiness"].mean()),
        "mean_readiness_all": float(people["readiness"].mean()),
    }


def build_truth(
    parameters: SimulationParameters,
    people: pd.DataFrame,
    injected_anomalies: dict[str, Any],
    licences: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything ``truth.json`` holds, as plain JSON-ready values (not yet rounded)."""
    p = parameters
    conversion = conversion_truth(people, p)
    pilot = people[people["in_pilot"]]
    return {
        "parameters": asdict(p),
        "n_employees": len(people),
        "pilot_size": len(pilot),
        "pilot_volunteer_share_actual": float((pilot["pilot_entry"] == "volunteered").mean()),
        "adoption_pilot_mean": float(pilot["pilot_adoption_probability"].mean()),
        "adoption_production_mean": float(people["adoption_probability"].mean()),
        "adoption_by_department": adoption_by_department(people),
        "effect_minutes_per_task": effect_by_department(people),
        "tasks_per_week": {d.name: d.tasks_per_week for d in p.departments},
        "pilot_messy_share": p.pilot_messy_share,
        "production_messy_share": p.production_messy_share,
        "messy_data_multiplier": p.messy_data_multiplier,
        "sustainment_factor": p.sustainment_factor,
        "pilot_value_per_person": conversion.pilot_value_per_person,
        "production_value_per_person": conversion.production_value_per_person,
        "conversion_rate": conversion.conversion_rate,
        "conversion_factors": {
            "adoption_factor": conversion.adoption_factor,
            "effect_factor": conversion.effect_factor,
            "data_mix_factor": conversion.data_mix_factor,
            "sustainment_factor": conversion.sustainment_factor,
        },
        "rollout_department": p.rollout_department,
        "realized": realized_summary(people),
        "injected_anomalies": injected_anomalies,
        "licences": licences,
        "value_unit": "minutes saved per person per week",
    }


def json_ready(value: Any) -> Any:
    """``value`` with floats rounded to 6 decimals, dates as ISO text, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), DECIMALS) if np.isfinite(value) else None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def truth_json_text(truth: dict[str, Any]) -> str:
    """The text of ``truth.json``: sorted keys, rounded floats, trailing newline."""
    return json.dumps(json_ready(truth), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

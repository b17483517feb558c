"""One simulated client: run the generative model with one seeded generator.

All randomness comes from ``numpy.random.default_rng(seed)``: it spawns one
child generator per step below (and :func:`build_people` one per sub-step), so
the same parameters give the same deployment, and changing a knob of one step
does not reshuffle the random draws of the others (common random numbers for
calibration studies). Steps, in order:

1. people (:mod:`scalegap.simulate.population`)
2. adoption and daily usage (:mod:`scalegap.simulate.usage`)
3. survey (:mod:`scalegap.simulate.survey`)
4. outcome records (:mod:`scalegap.simulate.outcomes`)
5. support tickets (:mod:`scalegap.simulate.tickets`)
6. governance checklist (:mod:`scalegap.simulate.governance`)
7. export defects (:mod:`scalegap.simulate.defects`)
8. licences and the weekly Microsoft 365 Copilot usage reports
   (:mod:`scalegap.simulate.licences`)
9. truth (:mod:`scalegap.simulate.truth`)

New steps are appended to ``SIMULATION_STEPS``, so the earlier steps keep
their generators (``spawn`` numbers children in order).

``people`` gains the realized columns ``survey_response_probability``,
``survey_responded``, ``access_cohort`` (``pilot``, ``rollout`` or empty),
``adopted``, ``adoption_week`` (weeks after access; missing for non-adopters)
and ``usage_stopped_on`` (the day a planted pilot dropout stopped using the
assistant; missing for everyone else).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap.simulate.defects import plan_export_defects
from scalegap.simulate.governance import simulate_governance
from scalegap.simulate.licences import licence_truth, simulate_licences
from scalegap.simulate.outcomes import simulate_outcomes
from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.population import build_people
from scalegap.simulate.survey import response_probability, simulate_survey
from scalegap.simulate.tickets import simulate_tickets
from scalegap.simulate.truth import build_truth, json_ready
from scalegap.simulate.usage import simulate_usage

SIMULATION_STEPS = ("people", "usage", "survey", "outcomes", "tickets", "governance", "defects", "licences")


@dataclass(frozen=True)
class SimulatedDeployment:
    """A simulated client: the truth, the in-memory tables and ``truth.json`` content.

    ``people`` is the truth (latent readiness, probabilities, realized adoption)
    and is never exported as is. ``survey``, ``usage``, ``outcomes`` and
    ``tickets`` are canonical-ish tables with snake_case columns; besides the
    exported fields they carry truth columns (``employee_id`` everywhere,
    ``respondent_type``/``repeat_submission`` in the survey, ``messy`` and
    ``record_source`` in outcomes, ``access_cohort`` in usage and tickets).
    ``licences`` holds one row per licence holder (``licence_group`` ``pilot``,
    ``rollout`` or ``unused``, ``licensed_from``) and ``copilot_usage`` the weekly
    Microsoft 365 Copilot user-detail reports stacked (``report_refresh_date``
    first, dates as timestamps, missing when there was no activity).
    """

    parameters: SimulationParameters
    people: pd.DataFrame
    survey: pd.DataFrame
    usage: pd.DataFrame
    outcomes: pd.DataFrame
    tickets: pd.DataFrame
    governance: list[dict[str, Any]]
    truth: dict[str, Any]
    licences: pd.DataFrame
    copilot_usage: pd.DataFrame


def with_realized_columns(
    people: pd.DataFrame, adoption: pd.DataFrame, responded: np.ndarray, parameters: SimulationParameters
) -> pd.DataFrame:
    """``people`` plus survey response and realized adoption."""
    realized = adoption.set_index("employee_id").loc[people["employee_id"]]
    return people.assign(
        survey_response_probability=response_probability(people["readiness"].to_numpy(), parameters),
        survey_responded=responded,
        access_cohort=realized["access_cohort"].to_numpy(),
        adopted=realized["adopted"].to_numpy(dtype=bool),
        adoption_week=realized["adoption_week"].to_numpy(dtype=float),
        usage_stopped_on=realized["usage_stopped_on"].to_numpy(dtype="datetime64[ns]"),
    )


def simulate_deployment(parameters: SimulationParameters = SimulationParameters()) -> SimulatedDeployment:
    """Simulate the whole client, deterministically from ``parameters.seed``."""
    streams = np.random.default_rng(parameters.seed).spawn(len(SIMULATION_STEPS))
    rng = dict(zip(SIMULATION_STEPS, streams))
    people = build_people(rng["people"], parameters)
    usage, adoption = simulate_usage(rng["usage"], people, parameters)
    survey, responded = simulate_survey(rng["survey"], people, parameters)
    outcomes = simulate_outcomes(rng["outcomes"], people, adoption, parameters)
    tickets = simulate_tickets(rng["tickets"], people, usage, parameters)
    governance = simulate_governance(rng["governance"], people)
    defects = plan_export_defects(rng["defects"], people, survey, usage, outcomes)
    people = with_realized_columns(people, adoption, responded, parameters)
    licences, copilot_usage = simulate_licences(rng["licences"], people, usage, parameters)
    licence_summary = licence_truth(licences, copilot_usage, people.set_index("employee_id")["usage_stopped_on"])
    truth = json_ready(build_truth(parameters, people, defects, licence_summary))
    return SimulatedDeployment(
        parameters, people, survey, usage, outcomes, tickets, governance, truth, licences, copilot_usage
    )

"""The knobs of the Northwind Logistics simulation.

Every quantity the generative model uses is a field of :class:`SimulationParameters`
with a default, so that calibration studies can vary one thing at a time with
``dataclasses.replace(SimulationParameters(), pilot_volunteer_share=0.5)``.

Segment effects live in small frozen profiles:

* :class:`DepartmentProfile` -- headcount share, readiness mean, adoption intercept,
  minutes saved per task on clean data, tasks per week, how strongly the pilot's
  sponsors favoured the department's volunteers, and the department's task types.
* :class:`RoleProfile` -- headcount share and readiness shift of a job role.
* :class:`LocationShare` -- headcount weight of an office.
* :class:`BassDiffusion` -- the adoption-timing curve of a cohort given access.

Calendar fields are :class:`datetime.date` values; the pilot and rollout periods
are ``access_period_weeks`` weeks of weekdays starting on the given Mondays.
Pilot members keep their licences after the pilot, so the usage data (and the
weekly Microsoft 365 Copilot usage reports) run to the end of the last access
period; ``pilot_dropouts`` and ``unused_licences`` plant the licence waste.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "BassDiffusion",
    "DepartmentProfile",
    "LocationShare",
    "RoleProfile",
    "SimulationParameters",
    "TaskType",
]


@dataclass(frozen=True)
class TaskType:
    """A kind of task recorded in the outcome system, with its unassisted duration."""

    name: str
    baseline_minutes: float


@dataclass(frozen=True)
class DepartmentProfile:
    """Segment effects of one department."""

    name: str
    code: str
    headcount_share: float
    readiness_mean: float
    adoption_intercept: float
    minutes_saved_per_task: float
    tasks_per_week: float
    pilot_volunteer_weight: float
    task_types: tuple[TaskType, ...]


@dataclass(frozen=True)
class RoleProfile:
    """Headcount share and readiness shift of a job role."""

    name: str
    headcount_share: float
    readiness_shift: float


@dataclass(frozen=True)
class LocationShare:
    """An office and its share of the headcount."""

    name: str
    headcount_share: float


@dataclass(frozen=True)
class BassDiffusion:
    """Bass diffusion of adoption timing, rates per week since access.

    ``innovation`` (p) drives early, independent adopters; ``imitation`` (q)
    drives adopters who follow colleagues.
    """

    innovation: float
    imitation: float


# name, code, headcount share, readiness mean, adoption intercept, minutes saved per task (clean data),
# tasks per week, pilot volunteer weight, task types (baseline minutes)
DEFAULT_DEPARTMENTS: tuple[DepartmentProfile, ...] = (
    DepartmentProfile(
        "Customer Service",
        "CS",
        0.25,
        0.0,
        -0.35,
        6.0,
        60.0,
        1.0,
        (TaskType("Customer e-mail reply", 16.0), TaskType("Case summary", 18.0)),
    ),
    DepartmentProfile(
        "Operations",
        "OPS",
        0.22,
        -0.4,
        -0.45,
        4.0,
        45.0,
        1.0,
        (TaskType("Shipment exception note", 22.0), TaskType("Carrier booking check", 15.0)),
    ),
    DepartmentProfile(
        "Sales",
        "SAL",
        0.15,
        0.2,
        -0.05,
        5.0,
        25.0,
        1.6,
        (TaskType("Proposal draft", 45.0), TaskType("Account brief", 25.0)),
    ),
    DepartmentProfile(
        "Finance",
        "FIN",
        0.10,
        0.1,
        -0.15,
        7.0,
        30.0,
        1.6,
        (TaskType("Invoice query", 18.0), TaskType("Month-end variance note", 35.0)),
    ),
    DepartmentProfile(
        "IT",
        "IT",
        0.08,
        0.6,
        0.15,
        9.0,
        20.0,
        2.0,
        (TaskType("Incident write-up", 25.0), TaskType("Script review", 30.0)),
    ),
    DepartmentProfile(
        "Marketing",
        "MKT",
        0.08,
        0.4,
        0.05,
        6.0,
        25.0,
        1.6,
        (TaskType("Campaign copy", 35.0), TaskType("Social media post", 15.0)),
    ),
    DepartmentProfile(
        "HR",
        "HR",
        0.06,
        -0.1,
        -0.25,
        4.0,
        30.0,
        1.0,
        (TaskType("Policy question answer", 15.0), TaskType("Job description", 30.0)),
    ),
    DepartmentProfile(
        "Legal",
        "LEG",
        0.06,
        -0.4,
        -0.55,
        5.0,
        20.0,
        1.0,
        (TaskType("Contract clause review", 40.0), TaskType("NDA check", 20.0)),
    ),
)

# name, headcount share, readiness shift
DEFAULT_ROLES: tuple[RoleProfile, ...] = (
    RoleProfile("Individual contributor", 0.70, 0.0),
    RoleProfile("Specialist", 0.15, 0.2),
    RoleProfile("Team lead", 0.10, 0.1),
    RoleProfile("Manager", 0.05, -0.1),
)

DEFAULT_LOCATIONS: tuple[LocationShare, ...] = (
    LocationShare("London", 0.5),
    LocationShare("Manchester", 0.3),
    LocationShare("Rotterdam", 0.2),
)


@dataclass(frozen=True)
class SimulationParameters:
    """All knobs of the simulated client, with the defaults of Northwind Logistics."""

    seed: int = 20261125
    n_employees: int = 2000
    pilot_size: int = 60
    pilot_volunteer_share: float = 0.85  # share of pilot members who volunteered (rest were assigned)
    production_messy_share: float = 0.45  # share of production outcome records that are messy
    pilot_messy_share: float = 0.08  # the pilot ran on curated records
    survey_response_rate: float = 0.6  # average; actual response depends on readiness
    readiness_measurement_error: float = 0.6  # sd of noise between latent readiness and survey items
    support_load: float = 1.0  # multiplier on ticket rates
    rollout_department: str | None = "Customer Service"  # first rollout cohort after the pilot, or None
    rollout_cohort_size: int = 120
    # adoption and sustainment
    sustainment_factor: float = 0.9  # production adoption sustained under service-desk support
    pilot_adoption_boost: float = 0.10  # absolute, executive attention and direct support
    adoption_probability_cap: float = 0.97
    adoption_readiness_slope: float = 1.2
    # volunteering for the pilot
    volunteer_intercept: float = -3.5
    volunteer_readiness_slope: float = 1.6
    # readiness structure
    team_readiness_sd: float = 0.25
    # effect per active user
    messy_data_multiplier: float = 0.35
    effect_readiness_slope: float = 0.15
    team_portability_sd: float = 0.2
    pilot_team_tuning: float = 0.15  # effect bonus of teams whose configurations were tuned in the pilot
    # survey
    survey_readiness_slope: float = 0.5
    survey_contractor_respondents: int = 15
    survey_email_only_share: float = 0.05
    survey_partial_share: float = 0.04
    survey_item_blank_share: float = 0.03
    survey_free_text_share: float = 0.35
    # outcomes
    baseline_sample_size: int = 300
    baseline_records_per_person: int = 12
    period_records_per_person: int = 24
    assisted_share_after_adoption: float = 0.85
    # tickets
    ticket_rate_per_active_week: float = 0.25
    ticket_readiness_slope: float = -0.5
    pilot_direct_support_share: float = 0.8
    # diffusion of adoption timing
    pilot_diffusion: BassDiffusion = BassDiffusion(innovation=0.12, imitation=0.6)
    rollout_diffusion: BassDiffusion = BassDiffusion(innovation=0.03, imitation=0.35)
    # licences (Microsoft 365 Copilot): waste
    pilot_dropouts: int = 10  # pilot adopters who stop using the assistant after the pilot, licence kept
    unused_licences: int = 15  # people given a licence at the start of the last access period who never use it
    # calendar
    pilot_start: date = date(2026, 3, 2)
    rollout_start: date = date(2026, 6, 8)
    access_period_weeks: int = 12
    survey_start: date = date(2026, 8, 24)
    survey_days: int = 12
    export_date: date = date(2026, 9, 7)
    # segments
    departments: tuple[DepartmentProfile, ...] = field(default=DEFAULT_DEPARTMENTS)
    roles: tuple[RoleProfile, ...] = field(default=DEFAULT_ROLES)
    locations: tuple[LocationShare, ...] = field(default=DEFAULT_LOCATIONS)

    def __post_init__(self) -> None:
        problems = _parameter_problems(self)
        if problems:
            raise ValueError("Invalid SimulationParameters: " + "; ".join(problems))


def _parameter_problems(parameters: SimulationParameters) -> list[str]:
    """Human-readable reasons why ``parameters`` cannot be simulated."""
    p = parameters
    problems: list[str] = []
    shares = {
        "pilot_volunteer_share": p.pilot_volunteer_share,
        "production_messy_share": p.production_messy_share,
        "pilot_messy_share": p.pilot_messy_share,
        "sustainment_factor": p.sustainment_factor,
        "pilot_direct_support_share": p.pilot_direct_support_share,
    }
    problems += [f"{name} must be in [0, 1], got {v}" for name, v in shares.items() if not 0 <= v <= 1]
    if not 0 < p.survey_response_rate < 1:
        problems.append(f"survey_response_rate must be in (0, 1), got {p.survey_response_rate}")
    if p.n_employees < 50:
        problems.append(f"n_employees must be at least 50, got {p.n_employees}")
    if not 1 <= p.pilot_size <= p.n_employees // 4:
        problems.append(f"pilot_size must be between 1 and n_employees/4, got {p.pilot_size}")
    names = [d.name for d in p.departments]
    if p.rollout_department is not None and p.rollout_department not in names:
        problems.append(f"rollout_department {p.rollout_department!r} is not one of {names}")
    for label, segments in (("departments", p.departments), ("roles", p.roles), ("locations", p.locations)):
        total = sum(s.headcount_share for s in segments)
        if abs(total - 1) > 1e-9:
            problems.append(f"{label} headcount shares must sum to 1, got {total}")
    if p.pilot_dropouts < 0 or p.unused_licences < 0:
        problems.append("pilot_dropouts and unused_licences must not be negative")
    if p.support_load < 0 or p.readiness_measurement_error < 0:
        problems.append("support_load and readiness_measurement_error must not be negative")
    return problems

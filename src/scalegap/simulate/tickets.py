"""Support tickets about the assistant (a Jira Service Management project), in memory.

Generative model:

* **How many.** Every *active user-week* (a person with at least one usage day in
  a week of their access period; pilot members' use after the pilot counts
  none) files ``Poisson(ticket_rate_per_active_week * exp(ticket_readiness_slope
  * r) * support_load)`` tickets: less ready users file more.
* **When.** A random weekday of that week, 08:00-18:00.
* **Channel.** Pilot tickets go to the build team directly with probability
  ``pilot_direct_support_share`` (request channel ``Build team (direct)``), the
  rest and all rollout tickets to the ``Service desk``.
* **Speed.** Business hours (weekdays 08:00-18:00) to first response lognormal
  with median 0.5 (build team) or 4 (service desk); business hours from first
  response to resolution lognormal with median 4 or 24. Tickets not resolved by
  the export date, and 3% of others, are unresolved (empty ``resolved`` and
  ``resolution``).
* **Content.** Issue type Question 40%, Bug 25%, Access request 25%, Incident
  10%; components, 0-3 labels, summary and description from built-in texts (one
  description names a colleague's e-mail address).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pandas as pd

from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.usage import access_periods
from scalegap.simulate.vocabulary import (
    BUILD_TEAM_AGENTS,
    LABELS_BY_ISSUE_TYPE,
    SERVICE_DESK_AGENTS,
    TICKET_DESCRIPTION_WITH_EMAIL,
    TICKET_DESCRIPTIONS,
    TICKET_SUMMARIES,
)

DIRECT_CHANNEL = "Build team (direct)"
SERVICE_DESK_CHANNEL = "Service desk"
ISSUE_TYPES = ("Question", "Bug", "Access request", "Incident")
ISSUE_TYPE_SHARES = (0.40, 0.25, 0.25, 0.10)
RESOLUTIONS = ("Done", "Won't Do", "Duplicate", "Cannot Reproduce")
RESOLUTION_SHARES = (0.85, 0.05, 0.05, 0.05)
OPEN_STATUSES = ("Open", "In Progress", "Waiting for support")
UNRESOLVED_SHARE = 0.03
FIRST_ISSUE_ID = 10001
BUSINESS_START = time(8, 0)
BUSINESS_END = time(18, 0)
# median hours (first response, first response to resolution) per channel
MEDIAN_HOURS = {DIRECT_CHANNEL: (0.5, 4.0), SERVICE_DESK_CHANNEL: (4.0, 24.0)}
TICKET_COLUMNS = [
    "issue_key",
    "issue_id",
    "summary",
    "issue_type",
    "status",
    "priority",
    "resolution",
    "assignee",
    "reporter",
    "employee_id",
    "created",
    "updated",
    "resolved",
    "first_response",
    "request_channel",
    "components",
    "labels",
    "description",
    "access_cohort",
]


def active_user_weeks(usage: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """One row per person and access week with at least one active day."""
    starts = {period.cohort: pd.Timestamp(period.start) for period in access_periods(parameters)}
    rostered = usage[usage["access_cohort"] != ""]
    start = rostered["access_cohort"].map(starts)
    week = (rostered["date"] - start).dt.days // 7
    in_period = (week < parameters.access_period_weeks).to_numpy()
    rostered, start, week = rostered[in_period], start[in_period], week[in_period]
    weeks = pd.DataFrame(
        {
            "employee_id": rostered["employee_id"],
            "access_cohort": rostered["access_cohort"],
            "week_start": start + pd.to_timedelta(week * 7, unit="D"),
        }
    )
    return weeks.drop_duplicates().sort_values(["week_start", "employee_id"], ignore_index=True)


def ticket_events(
    rng: np.random.Generator, weeks: pd.DataFrame, people: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """One row per ticket: reporter, cohort and creation time."""
    p = parameters
    reporters = weeks.merge(
        people[["employee_id", "readiness", "first_name", "last_name", "email", "team", "department"]],
        on="employee_id",
        how="left",
    )
    rate = p.ticket_rate_per_active_week * np.exp(p.ticket_readiness_slope * reporters["readiness"]) * p.support_load
    counts = rng.poisson(rate.to_numpy())
    tickets = reporters.loc[np.repeat(reporters.index.to_numpy(), counts)].reset_index(drop=True)
    offset = rng.integers(0, 5, size=len(tickets)) * 86400 + rng.integers(8 * 60, 18 * 60, len(tickets)) * 60
    tickets["created"] = tickets["week_start"] + pd.to_timedelta(offset, unit="s")
    return tickets.drop(columns=["week_start", "readiness"])


def channels(rng: np.random.Generator, cohorts: pd.Series, parameters: SimulationParameters) -> np.ndarray:
    """Request channel of each ticket."""
    direct = (cohorts == "pilot").to_numpy() & (rng.random(len(cohorts)) < parameters.pilot_direct_support_share)
    return np.where(direct, DIRECT_CHANNEL, SERVICE_DESK_CHANNEL)


def next_business_moment(moment: datetime) -> datetime:
    """``moment`` if it is within business hours, else the start of the next business day."""
    if moment.weekday() < 5 and BUSINESS_START <= moment.time() < BUSINESS_END:
        return moment
    day = moment.date() if moment.time() < BUSINESS_START else moment.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, BUSINESS_START)


def add_business_hours(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` business hours after ``start`` (weekdays 08:00-18:00), to the minute."""
    remaining = timedelta(minutes=round(hours * 60))
    moment = next_business_moment(start)
    while True:
        day_end = datetime.combine(moment.date(), BUSINESS_END)
        if moment + remaining < day_end:
            return moment + remaining
        remaining -= day_end - moment
        moment = next_business_moment(day_end)


def service_times(rng: np.random.Generator, tickets: pd.DataFrame, parameters: SimulationParameters) -> pd.DataFrame:
    """First response, resolution and last update of each ticket (NaT when not yet)."""
    n = len(tickets)
    medians = np.array([MEDIAN_HOURS[c] for c in tickets["request_channel"]]).reshape(n, 2)
    first_hours = medians[:, 0] * np.exp(rng.normal(0.0, 0.8, n))
    resolve_hours = first_hours + medians[:, 1] * np.exp(rng.normal(0.0, 1.0, n))
    touch_hours = first_hours + rng.uniform(0.0, 16.0, n)
    export_time = pd.Timestamp(datetime.combine(parameters.export_date, time(7, 0)))
    created = [moment.to_pydatetime() for moment in tickets["created"]]

    def after(hours: np.ndarray) -> pd.Series:
        return pd.Series(pd.to_datetime([add_business_hours(c, h) for c, h in zip(created, hours)]))

    first, resolved, touched = after(first_hours), after(resolve_hours), after(touch_hours)
    unresolved = (resolved > export_time).to_numpy() | (rng.random(n) < UNRESOLVED_SHARE)
    return pd.DataFrame(
        {
            "first_response": first.where(first <= export_time),
            "resolved": resolved.where(~unresolved),
            "updated": resolved.where(~unresolved, touched.clip(upper=export_time)),
        }
    )


def workflow_fields(rng: np.random.Generator, tickets: pd.DataFrame) -> pd.DataFrame:
    """Status, resolution and assignee, consistent with the service times."""
    n = len(tickets)
    resolved = tickets["resolved"].notna().to_numpy()
    answered = tickets["first_response"].notna().to_numpy()
    resolution = np.where(resolved, np.asarray(RESOLUTIONS)[rng.choice(len(RESOLUTIONS), n, p=RESOLUTION_SHARES)], "")
    open_status = np.where(answered, np.asarray(OPEN_STATUSES)[rng.integers(0, len(OPEN_STATUSES), n)], "Open")
    direct = (tickets["request_channel"] == DIRECT_CHANNEL).to_numpy()
    agent = np.where(
        direct,
        np.asarray(BUILD_TEAM_AGENTS)[rng.integers(0, len(BUILD_TEAM_AGENTS), n)],
        np.asarray(SERVICE_DESK_AGENTS)[rng.integers(0, len(SERVICE_DESK_AGENTS), n)],
    )
    return pd.DataFrame(
        {
            "status": np.where(resolved, "Done", open_status),
            "resolution": resolution,
            "assignee": np.where(answered, agent, ""),
        }
    )


def classification(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Issue type, priority, components and labels of each ticket."""
    issue_type = np.asarray(ISSUE_TYPES)[rng.choice(len(ISSUE_TYPES), n, p=ISSUE_TYPE_SHARES)]
    priority_draw = rng.random(n)
    routine = np.where(priority_draw < 0.7, "Medium", np.where(priority_draw < 0.9, "Low", "High"))
    priority = np.where(issue_type == "Incident", np.where(priority_draw < 0.6, "High", "Highest"), routine)
    components = [ticket_components(rng, t) for t in issue_type]
    labels = [ticket_labels(rng, t) for t in issue_type]
    return pd.DataFrame({"issue_type": issue_type, "priority": priority, "components": components, "labels": labels})


def ticket_components(rng: np.random.Generator, issue_type: str) -> tuple[str, ...]:
    """One or two components: SSO for access, Assistant or Integrations otherwise."""
    if issue_type == "Access request":
        first = "SSO"
    elif issue_type == "Question":
        first = "Assistant"
    else:
        first = "Assistant" if rng.random() < 0.6 else "Integrations"
    if rng.random() < 0.2:
        second = [c for c in ("Assistant", "Integrations", "SSO") if c != first][rng.integers(0, 2)]
        return (first, second)
    return (first,)


def ticket_labels(rng: np.random.Generator, issue_type: str) -> tuple[str, ...]:
    """Zero to three labels from the issue type's label pool, sorted."""
    pool = LABELS_BY_ISSUE_TYPE[issue_type]
    count = min(len(pool), int(rng.choice(4, p=[0.3, 0.4, 0.2, 0.1])))
    return tuple(sorted(rng.choice(pool, size=count, replace=False).tolist()))


def ticket_texts(
    rng: np.random.Generator, tickets: pd.DataFrame, colleague_emails: np.ndarray, parameters: SimulationParameters
) -> tuple[list[str], list[str]]:
    """Summary and description of each ticket; one description names a colleague's e-mail."""
    task_of = {d.name: d.task_types[0].name.lower() for d in parameters.departments}
    summaries, descriptions = [], []
    for row in tickets.itertuples(index=False):
        summary_options = TICKET_SUMMARIES[row.issue_type]
        description_options = TICKET_DESCRIPTIONS[row.issue_type]
        summary = summary_options[rng.integers(0, len(summary_options))]
        description = description_options[rng.integers(0, len(description_options))]
        summaries.append(summary.format(department=row.department))
        descriptions.append(description.format(team=row.team, task=task_of[row.department]))
    access = np.flatnonzero((tickets["issue_type"] == "Access request").to_numpy())
    if len(access):
        row = access[rng.integers(0, len(access))]
        colleague = colleague_emails[rng.integers(0, len(colleague_emails))]
        descriptions[row] = TICKET_DESCRIPTION_WITH_EMAIL.format(email=colleague)
    return summaries, descriptions


def simulate_tickets(
    rng: np.random.Generator, people: pd.DataFrame, usage: pd.DataFrame, parameters: SimulationParameters
) -> pd.DataFrame:
    """All support tickets (canonical-ish table, components and labels as tuples)."""
    tickets = ticket_events(rng, active_user_weeks(usage, parameters), people, parameters)
    tickets = tickets.sort_values(["created", "employee_id"], kind="stable", ignore_index=True)
    tickets["request_channel"] = channels(rng, tickets["access_cohort"], parameters)
    tickets = pd.concat([tickets, service_times(rng, tickets, parameters)], axis=1)
    tickets = pd.concat([tickets, workflow_fields(rng, tickets), classification(rng, len(tickets))], axis=1)
    tickets["summary"], tickets["description"] = ticket_texts(rng, tickets, people["email"].to_numpy(), parameters)
    tickets["reporter"] = tickets["first_name"] + " " + tickets["last_name"]
    tickets["issue_key"] = [f"AIS-{i}" for i in range(1, len(tickets) + 1)]
    tickets["issue_id"] = np.arange(FIRST_ISSUE_ID, FIRST_ISSUE_ID + len(tickets))
    return tickets[TICKET_COLUMNS]

"""The second generator's exports: a client who keeps its data in other tools, under other names.

``exports/`` receives a comma roster with its own headers and words (``In pilot``/``Not in pilot``,
``Self-nominated``/``Manager-nominated``; the team column only when the structure has one), a one-header-row
survey export with text labels on a 5- or 7-point scale, daily usage by e-mail, the GitHub Copilot
seat list, task records whose data quality is ``typed``/``scanned`` and a ticket list whose queues are
``AI Squad``/``Service Desk``; ``assessment.yml`` maps them as a consultant would.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scalegap.studies.independent_generator.world import CONSTRUCT_NAMES, ITEMS_PER_CONSTRUCT, PILOT_START, World

LABELS = {
    5: ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
    7: ["Strongly disagree", "Disagree", "Slightly disagree", "Neutral", "Slightly agree", "Agree", "Strongly agree"],
}
REVERSED = {"effort", "confidence"}  # their third item is worded the other way round
ROSTER = [
    "Staff No",
    "Mail",
    "Business Unit",
    "Squad",
    "Grade",
    "Office",
    "Start date",
    "GitHub handle",
    "AI pilot",
    "Joined how",
]
GRADES = ("Associate", "Senior associate", "Lead", "Manager")
OFFICES = ("Leeds", "Bristol", "Glasgow", "Cardiff")
FILES = {
    "roster": "people.csv",
    "survey": "pulse_survey.csv",
    "usage": "assistant_daily.csv",
    "seats": "copilot_seats.json",
    "outcomes": "task_log.csv",
    "tickets": "helpdesk.csv",
}


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def identities(people: pd.DataFrame) -> pd.DataFrame:
    """Staff numbers, e-mails and logins (everyone has one: the assistant is a GitHub-style tool)."""
    numbers = np.arange(len(people)) * 7 + 10_003
    frame = pd.DataFrame(index=people.index)
    frame["staff_no"] = [f"S{n:06d}" for n in numbers]
    frame["mail"] = [f"colleague.{n}@harbour-mutual.example" for n in numbers]
    frame["login"] = [f"hm-{n:x}" for n in numbers]
    return frame


def weekdays(start: date, end: date) -> list[date]:
    days = pd.bdate_range(start, end)
    return [d.date() for d in days]


@dataclass(frozen=True)
class Access:
    """Who has access from when, and the days each is active."""

    start: dict[int, date]
    active: dict[int, list[date]]
    onset: dict[int, date]


def usage_days(rng: np.random.Generator, world: World) -> Access:
    """Adopters: active ``days_per_week`` / 5 of weekdays after an exponential delay; everyone with access
    also tries it on a few scattered days."""
    people, b = world.people, world.behaviour
    start: dict[int, date] = {}
    for index in np.flatnonzero(people["in_pilot"].to_numpy()):
        start[int(index)] = PILOT_START
    if world.rollout_start is not None:
        for index in np.flatnonzero(people["in_rollout"].to_numpy()):
            start[int(index)] = world.rollout_start
    active: dict[int, list[date]] = {}
    onset: dict[int, date] = {}
    adopts, days_per_week = people["adopts"].to_numpy(), people["days_per_week"].to_numpy()
    for i, first in start.items():
        days = weekdays(first, world.data_end)
        tried = set(rng.choice(len(days), size=min(len(days), int(rng.poisson(2.5))), replace=False).tolist())
        if adopts[i]:
            began = first + timedelta(days=int(rng.exponential(b.onset_weeks * 7)))
            onset[i] = began
            chance = days_per_week[i] / 5.0
            tried |= {k for k, d in enumerate(days) if d >= began and rng.random() < chance}
        active[i] = [days[k] for k in sorted(tried)]
    return Access(start, active, onset)


def roster_rows(rng: np.random.Generator, world: World, ids: pd.DataFrame) -> list[list[str]]:
    people = world.people
    columns = zip(
        ids["staff_no"].tolist(),
        ids["mail"].tolist(),
        people["department"].tolist(),
        people["team"].tolist(),
        ids["login"].tolist(),
        people["in_pilot"].to_numpy(),
        people["volunteered"].to_numpy(),
        strict=True,
    )
    rows = []
    for staff_no, mail, department, team, login, in_pilot, volunteered in columns:
        hired = date(2005, 1, 1) + timedelta(days=int(rng.integers(0, 20 * 365)))
        pilot = bool(in_pilot)
        joined = ("Self-nominated" if volunteered else "Manager-nominated") if pilot else ""
        rows.append(
            [
                staff_no,
                mail,
                department,
                team,
                GRADES[int(rng.integers(len(GRADES)))],
                OFFICES[int(rng.integers(len(OFFICES)))],
                hired.strftime("%d/%m/%Y"),
                login,
                "In pilot" if pilot else "Not in pilot",
                joined,
            ]
        )
    return rows


def item_ids() -> dict[str, list[str]]:
    return {name: [f"P{j + 1}_{k + 1}" for k in range(ITEMS_PER_CONSTRUCT)] for j, name in enumerate(CONSTRUCT_NAMES)}


def survey_rows(rng: np.random.Generator, world: World, ids: pd.DataFrame) -> list[list[str]]:
    """Responses (chance Φ-shaped in the driver); each item = construct score + noise, rounded to the scale."""
    people, b = world.people, world.behaviour
    points, labels = b.scale_points, LABELS[b.scale_points]
    chance = 1 / (1 + np.exp(-(0.2 + 0.6 * people["driver"].to_numpy())))
    rows: list[list[str]] = []
    scores = {name: people[name].to_numpy() for name in CONSTRUCT_NAMES}
    staff_no = ids["staff_no"].tolist()
    for i in np.flatnonzero(rng.random(len(people)) < chance):
        cells = []
        for name, items in item_ids().items():
            for k, _ in enumerate(items):
                latent = (scores[name][i] + rng.normal(0, b.item_noise)) / np.sqrt(1 + b.item_noise**2)
                score = int(np.clip(round((points + 1) / 2 + latent * points / 4.5), 1, points))
                if name in REVERSED and k == ITEMS_PER_CONSTRUCT - 1:
                    score = points + 1 - score
                cells.append("" if rng.random() < 0.02 else labels[score - 1])
        when = datetime.combine(PILOT_START, datetime.min.time()) + timedelta(
            days=14, minutes=int(rng.integers(0, 20_000))
        )
        rows.append([f"SUB-{len(rows) + 1:05d}", when.strftime("%Y-%m-%d %H:%M"), staff_no[i], "100", *cells])
    return rows


def usage_rows(rng: np.random.Generator, access: Access, ids: pd.DataFrame) -> list[list[str]]:
    rows = []
    mail = ids["mail"].tolist()
    for i, days in access.active.items():
        for day in days:
            rows.append([mail[i], day.isoformat(), str(int(np.ceil(rng.lognormal(1.3, 0.9))))])
    rows.sort(key=lambda row: (row[1], row[0]))
    return rows


def seats_document(access: Access, ids: pd.DataFrame) -> dict[str, Any]:
    seats = []
    login = ids["login"].tolist()
    for i, first in sorted(access.start.items()):
        last = access.active[i][-1] if access.active[i] else None
        seats.append(
            {
                "created_at": f"{first.isoformat()}T08:00:00Z",
                "updated_at": f"{first.isoformat()}T08:00:00Z",
                "pending_cancellation_date": None,
                "last_activity_at": f"{last.isoformat()}T15:00:00Z" if last else None,
                "plan_type": "business",
                "assignee": {"login": login[i], "id": 100 + i, "type": "User"},
            }
        )
    return {"total_seats": len(seats), "seats": seats}


@dataclass(frozen=True)
class Workers:
    """What a task record reads of each person (by row of ``world.people``), read out of the table once."""

    staff_no: list[str]
    department: list[str]
    minutes_saved_clean: np.ndarray
    messy_multiplier: np.ndarray
    in_pilot: np.ndarray

    @classmethod
    def of(cls, world: World, ids: pd.DataFrame) -> Workers:
        people = world.people
        return cls(
            ids["staff_no"].tolist(),
            people["department"].tolist(),
            people["minutes_saved_clean"].to_numpy(),
            people["messy_multiplier"].to_numpy(),
            people["in_pilot"].to_numpy(),
        )


def record(
    rng: np.random.Generator, workers: Workers, i: int, day: date, messy: bool, assisted: bool, speed: float
) -> list[str]:
    department = workers.department[i]
    task = int(rng.integers(2))
    base = 18.0 + 14.0 * task + (3 * len(department)) % 7  # unassisted minutes: task B takes longer
    saved = workers.minutes_saved_clean[i] * (workers.messy_multiplier[i] if messy else 1.0)
    minutes = base * speed * (1.3 if messy else 1.0) * rng.lognormal(0, 0.12) - (saved if assisted else 0.0)
    return [
        f"{department} task {'AB'[task]}",
        day.isoformat(),
        "yes" if assisted else "no",
        f"{max(1.0, minutes):.1f}",
        "scanned" if messy else "typed",
    ]


def outcome_rows(rng: np.random.Generator, world: World, access: Access, ids: pd.DataFrame) -> list[list[str]]:
    """Pilot and rollout members' records while they had access (assisted mostly once adopted), and a
    baseline of unassisted records from 150 others, on production's record mix."""
    people, s, b = world.people, world.structure, world.behaviour
    workers = Workers.of(world, ids)
    rows: list[list[str]] = []
    for i, first in access.start.items():
        pilot = bool(workers.in_pilot[i])
        messy_share = 1.0 - s.pilot_clean_share if pilot else b.production_messy_share
        speed = float(rng.lognormal(0, 0.2))
        days = weekdays(first, world.data_end)
        for _ in range(max(4, int(rng.poisson(s.records_per_member)))):
            day = days[int(rng.integers(len(days)))]
            adopted = i in access.onset and day >= access.onset[i]
            assisted = rng.random() < (0.7 if adopted else 0.08)
            rows.append(
                [workers.staff_no[i], *record(rng, workers, i, day, rng.random() < messy_share, assisted, speed)]
            )
    others = np.setdiff1d(np.arange(len(people)), list(access.start))
    for i in rng.choice(others, size=min(150, len(others)), replace=False):
        speed = float(rng.lognormal(0, 0.2))
        for _ in range(6):
            day = PILOT_START + timedelta(days=int(rng.integers(0, 60)))
            rows.append(
                [
                    workers.staff_no[i],
                    *record(rng, workers, int(i), day, rng.random() < b.production_messy_share, False, speed),
                ]
            )
    rows.sort(key=lambda row: (row[2], row[0]))
    return [[f"T{n:07d}", *row] for n, row in enumerate(rows, start=1)]


def ticket_rows(rng: np.random.Generator, world: World, access: Access, ids: pd.DataFrame) -> list[list[str]]:
    """Tickets per active week: Poisson with the person's (gamma-distributed) rate; pilot members mostly to the
    AI Squad, everyone else to the service desk."""
    people = world.people
    mail, in_pilot, ticket_rate = ids["mail"].tolist(), people["in_pilot"].to_numpy(), people["ticket_rate"].to_numpy()
    rows = []
    for i, days in access.active.items():
        weeks = sorted({d - timedelta(days=d.weekday()) for d in days})
        pilot = bool(in_pilot[i])
        for monday in weeks:
            for _ in range(int(rng.poisson(ticket_rate[i]))):
                opened = datetime.combine(monday, datetime.min.time()) + timedelta(
                    days=int(rng.integers(0, 5)), hours=int(rng.integers(8, 17)), minutes=int(rng.integers(60))
                )
                reply = opened + timedelta(minutes=float(rng.lognormal(3.3, 0.8)))
                solved = reply + timedelta(hours=float(rng.lognormal(1.5, 1.0)))
                queue = "AI Squad" if pilot and rng.random() < 0.8 else "Service Desk"
                rows.append([mail[i], opened, reply, solved, queue])
    rows.sort(key=lambda row: (row[1], row[0]))
    stamp = "%Y-%m-%d %H:%M"
    return [
        [
            f"HD-{n:05d}",
            row[0],
            row[1].strftime(stamp),
            row[2].strftime(stamp),
            row[3].strftime(stamp),
            row[4],
            "Solved",
            "Normal",
            "Question",
        ]
        for n, row in enumerate(rows, start=1)
    ]


def assessment(world: World) -> dict[str, Any]:
    """The assessment.yml a consultant would write for these files."""
    roster_columns = {
        "person_id": "Staff No",
        "email": "Mail",
        "department": "Business Unit",
        "role": "Grade",
        "location": "Office",
        "hire_date": "Start date",
        "login": "GitHub handle",
        "in_pilot": "AI pilot",
        "volunteered": "Joined how",
    }
    if world.structure.team_column:
        roster_columns["team"] = "Squad"
    labels = LABELS[world.behaviour.scale_points]
    constructs = {
        name: {"label": name.capitalize(), "items": items, **({"reverse": [items[-1]]} if name in REVERSED else {})}
        for name, items in item_ids().items()
    }
    return {
        "client": {"name": "Harbour Mutual (second generator)"},
        "exports": {
            "roster": {
                "file": FILES["roster"],
                "format": "roster",
                "columns": roster_columns,
                "values": {
                    "in_pilot": {"In pilot": True, "Not in pilot": False},
                    "volunteered": {"Self-nominated": True, "Manager-nominated": False},
                },
            },
            "survey": {
                "file": FILES["survey"],
                "format": "survey_generic",
                "columns": {
                    "response_id": "Submission",
                    "recorded_at": "Submitted on",
                    "person_ref": "Staff number",
                    "progress": "Progress",
                },
            },
            "usage": {
                "file": FILES["usage"],
                "format": "usage_daily",
                "columns": {"email": "user", "date": "activity_day", "interactions": "prompts"},
            },
            "seats": {"file": FILES["seats"], "format": "github_copilot_seats"},
            "outcomes": {
                "file": FILES["outcomes"],
                "format": "outcome_records",
                "columns": {
                    "record_id": "Task ref",
                    "person_id": "Staff no",
                    "task_type": "Task",
                    "completed_on": "Done on",
                    "assisted": "Assistant used",
                    "minutes_taken": "Handling minutes",
                    "data_tier": "Input",
                },
                "values": {"assisted": {"yes": True, "no": False}, "data_tier": {"typed": "clean", "scanned": "messy"}},
            },
            "tickets": {
                "file": FILES["tickets"],
                "format": "tickets_generic",
                "columns": {
                    "ticket_id": "Ticket #",
                    "person_id": "Requester",
                    "created_at": "Opened",
                    "first_response_at": "First reply",
                    "resolved_at": "Solved",
                    "channel": "Queue",
                    "status": "Status",
                    "priority": "Priority",
                    "category": "Type",
                },
                "values": {"channel": {"AI Squad": "build_team", "Service Desk": "service_desk"}},
            },
        },
        "survey": {"scale_points": len(labels), "scale_labels": labels, "constructs": constructs},
        "conversion": {"tasks_per_week": {name: v[0] for name, v in world.departments.items()}},
    }


def write_client(root: Path, world: World, seed: int) -> None:
    """Write ``root/exports/`` and ``root/assessment.yml`` (deterministic in ``seed``)."""
    rng = np.random.default_rng([seed, 3])
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    ids = identities(world.people)
    access = usage_days(rng, world)
    roster_header = [h for h in ROSTER if world.structure.team_column or h != "Squad"]
    rows = roster_rows(rng, world, ids)
    if not world.structure.team_column:
        rows = [row[:3] + row[4:] for row in rows]
    (exports / FILES["roster"]).write_bytes(csv_bytes(roster_header, rows))
    items = [item for group in item_ids().values() for item in group]
    (exports / FILES["survey"]).write_bytes(
        csv_bytes(["Submission", "Submitted on", "Staff number", "Progress", *items], survey_rows(rng, world, ids))
    )
    (exports / FILES["usage"]).write_bytes(csv_bytes(["user", "activity_day", "prompts"], usage_rows(rng, access, ids)))
    (exports / FILES["seats"]).write_text(json.dumps(seats_document(access, ids), indent=1) + "\n", encoding="utf-8")
    (exports / FILES["outcomes"]).write_bytes(
        csv_bytes(
            ["Task ref", "Staff no", "Task", "Done on", "Assistant used", "Handling minutes", "Input"],
            outcome_rows(rng, world, access, ids),
        )
    )
    (exports / FILES["tickets"]).write_bytes(
        csv_bytes(
            ["Ticket #", "Requester", "Opened", "First reply", "Solved", "Queue", "Status", "Priority", "Type"],
            ticket_rows(rng, world, access, ids),
        )
    )
    (root / "assessment.yml").write_text(
        yaml.safe_dump(assessment(world), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )

"""A second client, made independently of scalegap's simulator, for tests.

A German company exports its data the way its own tools write it: a cp1252 roster with semicolons and German
headers, a 7-point Qualtrics survey, the GitHub Copilot per-user report, German task timings and a ServiceNow
incident list whose callers are display names.  :func:`write_independent_client` writes ``root/exports/`` and
returns the :class:`Truth`, what the files hold.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

SCALE = (
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
)
STATEMENTS = {  # item -> statement; QID11_3 is worded the other way round
    "QID10_1": "The AI assistant helps me finish my cases faster",
    "QID10_2": "It improves the quality of my work",
    "QID10_3": "The AI assistant is useful in my daily work",
    "QID10_4": "Using it makes my job easier",
    "QID11_1": "Learning to use the AI assistant was easy for me",
    "QID11_2": "I find it easy to get it to help me",
    "QID11_3": "Working with the AI assistant is cumbersome",
    "QID12_1": "I trust the answers it gives",
    "QID12_2": "I can rely on it with confidential documents",
    "QID12_3": "Its suggestions are usually correct",
}
CONSTRUCTS = {
    "usefulness": ("QID10_1", "QID10_2", "QID10_3", "QID10_4"),
    "ease": ("QID11_1", "QID11_2", "QID11_3"),
    "trust": ("QID12_1", "QID12_2", "QID12_3"),
}
REVERSE = ("QID11_3",)
COMMENTS = (
    "Mehr Schulungen, bitte.",
    "Works well for drafting e-mails, less so for contracts.",
    "Die Antworten sind oft zu lang; kürzer wäre besser.",
    "Please connect it to our DMS",
    "Datenschutz ist mir unklar.\nWer sieht meine Eingaben?",
    "Great, saves me time, really",
    "Bei gescannten Akten hilft es kaum.",
)
FIRST = (
    "Jürgen",
    "Jörg",
    "Björn",
    "Sören",
    "André",
    "René",
    "Hélène",
    "Zoë",
    "Günter",
    "Anja",
    "Katrin",
    "Lukas",
    "Jonas",
    "Felix",
    "Sophie",
    "Marie",
    "Anna",
    "Paul",
    "Lena",
    "Tobias",
    "Sabine",
    "Thomas",
    "Stefanie",
    "Michael",
    "Ümran",
    "Özlem",
    "Matthias",
    "Claudia",
    "Daniel",
    "Julia",
)
LAST = (
    "Müller",
    "Schäfer",
    "Köhler",
    "Weiß",
    "Groß",
    "Böhm",
    "Jäger",
    "Krüger",
    "Schröder",
    "Günther",
    "Löffler",
    "Dürr",
    "Hoffmann",
    "Schneider",
    "Fischer",
    "Wagner",
    "Becker",
    "Schulz",
    "Richter",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hartmann",
    "Lange",
    "Krause",
    "Lehmann",
    "Bauer",
    "Koch",
)
DEPARTMENTS = {"Vertrieb": 0.27, "Kundenservice": 0.25, "Finanzen": 0.20, "Einkauf": 0.15, "Recht": 0.13}
TASKS = {
    "Vertrieb": {"Angebot erstellen": 45, "Kundenanfrage beantworten": 20},
    "Kundenservice": {"Reklamation bearbeiten": 30, "Kundenanfrage beantworten": 18},
    "Finanzen": {"Rechnungsprüfung": 25, "Mahnlauf prüfen": 40},
    "Einkauf": {"Bestellanforderung prüfen": 22, "Lieferantenbewertung": 50},
    "Recht": {"Vertragsprüfung": 70, "Stellungnahme verfassen": 55},
}
ROLES = ("Sachbearbeiter/in", "Referent/in", "Spezialist/in", "Teamleitung", "Abteilungsleitung")
SITES = ("München", "Köln", "Düsseldorf", "Nürnberg", "Leipzig")
OUTSIDE_CALLERS = ("Monika Vogt", "Kai Brandt", "Ines Šimić", "svc_monitoring")
OUTSIDE_LOGINS = ("ext-dev-rkoenig", "svc-buildbot", "HKraus-contractor")
SUBJECTS = (
    "KI-Assistent antwortet nicht",
    "Zugriff auf den KI-Assistenten beantragen",
    "Fehlermeldung beim Hochladen, Datei zu groß",
    "Frage zur Nutzung bei Vertragsentwürfen",
    "Passwort zurücksetzen",
    "Antwort enthält falsche Beträge",
    "Drucker im 3. OG druckt nicht",
)
QUALITY = {"ok": "clean", "partial": "messy", "scanned": "messy"}
MINUTES_SAVED = {"clean": 9.0, "messy": 3.0}
FILES = {
    "roster": "Mitarbeiterliste.csv",
    "survey": "Umfrage_KI_Bereitschaft.csv",
    "usage": "copilot_user_metrics.json",
    "outcomes": "Bearbeitungszeiten.csv",
    "tickets": "incident.csv",
}
FORMATS = {
    "roster": "roster",
    "survey": "qualtrics_csv",
    "usage": "github_copilot_users",
    "outcomes": "outcome_records",
    "tickets": "servicenow_csv",
}
ROSTER_HEADER = [
    "Personalnummer",
    "Nachname",
    "Vorname",
    "Dienstliche E-Mail",
    "Abteilung",
    "Funktion",
    "Standort",
    "Eintrittsdatum",
    "GitHub-Konto",
    "Pilotgruppe",
    "Freiwillig",
]
OUTCOME_HEADER = [
    "Vorgangsnummer",
    "Personalnummer",
    "Vorgangsart",
    "Abgeschlossen am",
    "KI-Unterstützung",
    "Bearbeitungsdauer (Min)",
    "Aktenqualität",
]
TICKET_HEADER = [
    "number",
    "opened_at",
    "caller_id",
    "assignment_group",
    "state",
    "priority",
    "category",
    "short_description",
    "resolved_at",
]
#: Qualtrics' own columns: row-1 id, row-2 text, row-3 ImportId
META = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]
COLUMNS = {  # table -> scalegap field -> header
    "roster": {
        "person_id": "Personalnummer",
        "email": "Dienstliche E-Mail",
        "department": "Abteilung",
        "role": "Funktion",
        "location": "Standort",
        "hire_date": "Eintrittsdatum",
        "login": "GitHub-Konto",
        "in_pilot": "Pilotgruppe",
        "volunteered": "Freiwillig",
    },
    "survey": {
        "response_id": "ResponseId",
        "person_ref": "ExternalReference",
        "email": "RecipientEmail",
        "recorded_at": "RecordedDate",
        "finished": "Finished",
        "progress": "Progress",
    },
    "usage": {
        "login": "user_login",
        "date": "day",
        "interactions": "user_initiated_interaction_count",
        "organisation": "organization_id",
    },
    "outcomes": dict(
        zip(
            ["record_id", "person_id", "task_type", "completed_on", "assisted", "minutes_taken", "data_tier"],
            OUTCOME_HEADER,
        )
    ),
    "tickets": {
        "ticket_id": "number",
        "created_at": "opened_at",
        "person_id": "caller_id",
        "channel": "assignment_group",
        "status": "state",
        "priority": "priority",
        "category": "category",
        "resolved_at": "resolved_at",
    },
}
VALUES = {
    "roster": {"in_pilot": {"Ja": True, "Nein": False}, "volunteered": {"Ja": True, "Nein": False}},
    "outcomes": {"assisted": {"ja": True, "nein": False}, "data_tier": QUALITY},
    "tickets": {"channel": {"KI-Pilotteam": "build_team", "IT Service Desk": "service_desk"}},
}
JA = {True: "Ja", False: "Nein"}
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "é": "e", "ë": "e"})
QUALTRICS_TIME, SERVICENOW_TIME = "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"
ENCODINGS = {"roster": "cp1252", "survey": "utf-8-sig", "usage": "utf-8", "outcomes": "utf-8", "tickets": "utf-8-sig"}
DELIMITERS = {"roster": ";", "survey": ",", "outcomes": ",", "tickets": ","}
DATE_FORMATS = {
    "roster": "%d.%m.%Y",
    "survey": QUALTRICS_TIME,
    "usage": "%Y-%m-%d",
    "outcomes": "%Y-%m-%d",
    "tickets": SERVICENOW_TIME,
}
PROMPT = "How much do you agree with the following statements about the AI assistant?"
SURVEY_START, OUTCOME_START = datetime(2026, 3, 2, 8), date(2026, 1, 12)
USAGE_START, USAGE_END = date(2026, 3, 1), date(2026, 3, 28)  # the report's 28 days


@dataclass(frozen=True)
class Person:
    pid: str
    first: str
    last: str
    email: str  # as the roster writes it (mixed case in some rows)
    department: str
    role: str
    site: str
    hired: date
    login: str  # empty: no GitHub account
    pilot: bool
    volunteered: bool
    name: str  # "Vorname Nachname", as ServiceNow shows the caller


@dataclass(frozen=True)
class Truth:
    """What the generator wrote: counts, then how each file maps onto scalegap's tables and fields."""

    seed: int
    people: int
    pilot_members: int
    volunteers: int
    assigned: int
    pilot_ids: tuple[str, ...]
    departments: dict[str, int]  # name -> headcount
    ambiguous_names: tuple[str, ...]  # full names two roster people share
    survey_responses: int
    survey_linked: int  # responses of roster people
    survey_by_reference: int  # ... of whom identified by ExternalReference (the rest by e-mail only)
    survey_unfinished: int
    usage_rows: int
    usage_linked_rows: int
    usage_logins_unknown: int
    outcome_rows: int
    outcome_rows_clean: int
    outcome_rows_messy: int
    outcome_rows_assisted: int
    tickets: int
    tickets_linked_unique: int  # the caller's name is one roster person's
    tickets_ambiguous: int
    tickets_unmatched: int
    usage_days: int = 28
    scale_points: int = len(SCALE)
    scale_labels: tuple[str, ...] = SCALE
    constructs: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(CONSTRUCTS))
    reverse_items: tuple[str, ...] = REVERSE
    free_text: tuple[str, ...] = ("QID20_TEXT",)
    minutes_saved: dict[str, float] = field(default_factory=lambda: dict(MINUTES_SAVED))  # assisted, by tier
    files: dict[str, str] = field(default_factory=lambda: dict(FILES))  # table -> file in exports/
    formats: dict[str, str] = field(default_factory=lambda: dict(FORMATS))  # table -> scalegap format
    encodings: dict[str, str] = field(default_factory=lambda: dict(ENCODINGS))
    delimiters: dict[str, str] = field(default_factory=lambda: dict(DELIMITERS))
    date_formats: dict[str, str] = field(default_factory=lambda: dict(DATE_FORMATS))
    columns: dict[str, dict[str, str]] = field(default_factory=lambda: copy.deepcopy(COLUMNS))
    values: dict[str, dict[str, dict[str, object]]] = field(default_factory=lambda: copy.deepcopy(VALUES))


def unique(base: str, taken: set[str]) -> str:
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        name = f"{base}{number}"
    taken.add(name.lower())
    return name


def pick_names(rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    """Distinct full names, except two pairs of people who share one."""
    combos = [(first, last) for first in FIRST for last in LAST]
    names = [combos[i] for i in rng.choice(len(combos), size=count - 2, replace=False)]
    names += names[:2]
    return [names[i] for i in rng.permutation(count)]


def department_list(rng: np.random.Generator, count: int) -> list[str]:
    sizes = {name: int(share * count) for name, share in DEPARTMENTS.items()}
    sizes["Vertrieb"] += count - sum(sizes.values())
    return [str(name) for name in rng.permutation([n for n, size in sizes.items() for _ in range(size)])]


def make_people(rng: np.random.Generator, count: int) -> list[Person]:
    names, departments = pick_names(rng, count), department_list(rng, count)
    numbers = np.sort(rng.choice(np.arange(1000, 100000), size=count, replace=False))
    pilot = set(rng.choice(count, size=round(0.12 * count), replace=False).tolist())
    assigned = set(rng.choice(sorted(pilot), size=max(10, round(0.25 * len(pilot))), replace=False).tolist())
    github, shouting = rng.random(count) < 0.3, rng.random(count)
    emails, logins = set[str](), set[str]()
    people = []
    for i, (first, last) in enumerate(names):
        first_ascii, last_ascii = first.translate(ASCII), last.translate(ASCII)
        email = unique(f"{first_ascii}.{last_ascii}", emails) + "@nordwerk-gruppe.example"
        email = email.upper() if shouting[i] < 0.04 else email if shouting[i] < 0.15 else email.lower()
        login = unique(f"{first_ascii[0]}{last_ascii}-nw", logins) if github[i] or i in pilot else ""
        hired = date(2004, 1, 1) + timedelta(days=int(rng.integers(0, 22 * 365)))
        people.append(
            Person(
                f"P-{numbers[i]:06d}",
                first,
                last,
                email,
                departments[i],
                ROLES[int(rng.integers(len(ROLES)))],
                SITES[int(rng.integers(len(SITES)))],
                hired,
                login,
                i in pilot,
                i in pilot and i not in assigned,
                f"{first} {last}",
            )
        )
    return people


def csv_text(
    header: list[str] | list[list[str]], rows: list[list[str]], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    writer.writerows([header] if isinstance(header[0], str) else header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_roster(path: Path, people: list[Person]) -> None:
    rows = [
        [
            p.pid,
            p.last,
            p.first,
            p.email,
            p.department,
            p.role,
            p.site,
            p.hired.strftime("%d.%m.%Y"),
            p.login,
            JA[p.pilot],
            JA[p.volunteered] if p.pilot else "",
        ]
        for p in people
    ]
    path.write_bytes(csv_text(ROSTER_HEADER, rows, ";").encode("cp1252"))


def answers(rng: np.random.Generator, attitude: float, answered: int) -> list[str]:
    """Label texts for the items in order, the first ``answered`` filled; reverse items turned around."""
    cells = []
    for construct, items in CONSTRUCTS.items():
        latent = attitude + {"usefulness": 0.4, "ease": 0.2, "trust": -0.5}[construct] + rng.normal(0, 0.5)
        for item in items:
            score = int(np.clip(round(4 + latent + rng.normal(0, 0.7)), 1, 7))
            cells.append(SCALE[(8 - score if item in REVERSE else score) - 1])
    return [cell if position < answered else "" for position, cell in enumerate(cells)]


def response(rng: np.random.Generator, ref: str, email: str, attitude: float) -> list[str]:
    start = SURVEY_START + timedelta(minutes=int(rng.integers(0, 18 * 24 * 60)))
    duration = int(rng.integers(90, 900))
    end = start + timedelta(seconds=duration)
    finished = bool(rng.random() > 0.06)
    progress = 100 if finished else int(rng.integers(20, 90))
    answered = len(STATEMENTS) if finished else len(STATEMENTS) * progress // 100
    comment = COMMENTS[int(rng.integers(len(COMMENTS)))] if finished and rng.random() < 0.35 else ""
    response_id = "R_" + "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"), 15))
    ip = f"10.{rng.integers(1, 255)}.{rng.integers(1, 255)}.{rng.integers(1, 255)}"
    return [
        start.strftime(QUALTRICS_TIME),
        end.strftime(QUALTRICS_TIME),
        "IP Address",
        ip,
        str(progress),
        str(duration),
        str(finished),
        end.strftime(QUALTRICS_TIME),
        response_id,
        "",
        "",
        email,
        ref,
        "48.1372",
        "11.5756",
        "email",
        str(rng.choice(["DE", "EN"])),
        *answers(rng, attitude, answered),
        comment,
    ]


def survey_rows(rng: np.random.Generator, people: list[Person]) -> tuple[list[list[str]], int]:
    """Responses of ~60 % of the roster (by reference ~70 %, else by e-mail only) and of 5 outsiders."""
    rows, by_reference, responding = [], 0, rng.random(len(people)) < 0.6
    for person in (person for person, answers_it in zip(people, responding) if answers_it):
        attitude, referenced = rng.normal(1.0 if person.pilot else 0.1, 0.9), bool(rng.random() < 0.7)
        by_reference += referenced
        address = person.email.lower()  # without a reference, as typed into the contact list: case, spaces
        email = address if referenced else [address, person.email, address.upper(), f" {address}  "][rng.integers(4)]
        rows.append(response(rng, person.pid if referenced else "", email, attitude))
    for k in range(5):
        ref, email = (f"P-{990001 + k:06d}", "") if k < 2 else ("", f"extern.{k}@beratung-partner.example")
        rows.append(response(rng, ref, email, rng.normal(0, 1)))
    return sorted(rows, key=lambda row: (row[0], row[8])), by_reference


def write_survey(path: Path, rows: list[list[str]]) -> None:
    items = list(STATEMENTS) + ["QID20_TEXT"]
    texts = [f"{PROMPT} - {STATEMENTS[item]}" for item in STATEMENTS] + ["What would make the assistant more useful?"]
    header = [
        [m[0] for m in META] + items,
        [m[1] for m in META] + texts,
        [json.dumps({"ImportId": name}, separators=(",", ":")) for name in [m[2] for m in META] + items],
    ]
    path.write_bytes(csv_text(header, rows).encode("utf-8-sig"))


def usage_day(rng: np.random.Generator, login: str, user_id: int, day: date) -> dict[str, object]:
    prompts = int(rng.poisson(6))
    generated = prompts + int(rng.poisson(10))
    accepted = int(rng.binomial(generated, 0.3))
    counts = {
        "user_initiated_interaction_count": prompts,
        "code_generation_activity_count": generated,
        "code_acceptance_activity_count": accepted,
    }
    return {
        "report_start_day": USAGE_START.isoformat(),
        "report_end_day": USAGE_END.isoformat(),
        "day": day.isoformat(),
        "organization_id": "48151623",
        "enterprise_id": "420042",
        "user_id": user_id,
        "user_login": login,
        **counts,
        "totals_by_ide": [{"ide": "vscode", **counts}],
        "totals_by_feature": [{"feature": "chat_panel_ask_mode", **counts}],
        "used_agent": False,
        "used_chat": prompts > 0,
        "loc_suggested_to_add_sum": generated * 3,
        "loc_added_sum": accepted * 3,
    }


def usage_report(rng: np.random.Generator, people: list[Person]) -> dict[str, Any]:
    """Pilot members often (a fifth stop part-way), a few others rarely, three unknown logins."""
    occasional = [p.login for p in people if p.login and not p.pilot]
    users = [
        (p.login, rng.uniform(0.35, 0.9), 28 if rng.random() > 0.2 else int(rng.integers(5, 20)))
        for p in people
        if p.pilot
    ]
    users += [
        (str(login), rng.uniform(0.05, 0.25), 28)
        for login in rng.choice(occasional, size=min(8, len(occasional)), replace=False)
    ]
    users += [(login, 0.3, 28) for login in OUTSIDE_LOGINS]
    records: list[dict[str, object]] = []
    for number, (login, rate, stop) in enumerate(users):
        for offset in range(min(stop, 28)):
            day = USAGE_START + timedelta(days=offset)
            if rng.random() < rate * (0.15 if day.weekday() >= 5 else 1.0):
                records.append(usage_day(rng, login, 5_000_000 + 37 * number, day))
    records.sort(key=lambda record: (str(record["day"]), str(record["user_login"]).lower()))
    return {
        "report_start_day": USAGE_START.isoformat(),
        "report_end_day": USAGE_END.isoformat(),
        "organization_id": "48151623",
        "enterprise_id": "420042",
        "created_at": "2026-03-29T04:12:09.118Z",
        "day_totals": records,
    }


def outcome_rows(rng: np.random.Generator, people: list[Person]) -> list[list[str]]:
    """20-40 records per pilot member (assisted and not), 3-8 unassisted ones for 30 other people."""
    others = [p for p in people if not p.pilot]
    workers = [p for p in people if p.pilot] + [others[i] for i in rng.choice(len(others), 30, replace=False)]
    rows = []
    for person in workers:
        count = int(rng.integers(20, 41)) if person.pilot else int(rng.integers(3, 9))
        assisted = (rng.random(count) < 0.55) if person.pilot else np.zeros(count, dtype=bool)
        assisted[:2] = [True, False] if person.pilot else [False, False]
        speed = rng.lognormal(0, 0.2)
        tasks = TASKS[person.department]
        for helped in assisted:
            task = str(rng.choice(list(tasks)))
            tier = QUALITY[quality := str(rng.choice(list(QUALITY), p=[0.65, 0.2, 0.15]))]
            minutes = tasks[task] * speed * (1.25 if tier == "messy" else 1.0) + rng.normal(0, 3)
            minutes -= MINUTES_SAVED[tier] if helped else 0.0
            done = OUTCOME_START + timedelta(days=int(rng.integers(0, 56)))
            rows.append(
                [person.pid, task, done.isoformat(), "ja" if helped else "nein", str(max(2, round(minutes))), quality]
            )
    rows.sort(key=lambda row: (row[2], row[0]))
    return [[f"VG-2026-{number:05d}", *row] for number, row in enumerate(rows, start=1)]


def ticket_rows(rng: np.random.Generator, people: list[Person], ambiguous: tuple[str, ...]) -> list[list[str]]:
    """Pilot members' tickets (mostly to the pilot team), 25 others', 2 per shared name, 4 outsiders'."""
    callers = [(p.name, True) for p in people if p.pilot for _ in range(int(rng.poisson(1.2)))]
    callers += [(people[i].name, False) for i in rng.choice(len(people), 25, replace=False)]
    callers += [(name, False) for name in ambiguous for _ in range(2)]
    callers += [(name, False) for name in OUTSIDE_CALLERS for _ in range(int(rng.integers(1, 3)))]
    rows = []
    for caller, pilot in callers:
        opened = SURVEY_START + timedelta(days=int(rng.integers(0, 28)), minutes=int(rng.integers(0, 600)))
        build = rng.random() < (0.8 if pilot else 0.15)
        state = str(rng.choice(["Resolved", "Closed", "In Progress", "New"], p=[0.5, 0.25, 0.15, 0.1]))
        resolved = opened + timedelta(minutes=int(rng.lognormal(6, 1)) + 5)
        rows.append(
            [
                opened,
                caller,
                "KI-Pilotteam" if build else "IT Service Desk",
                state,
                str(rng.choice(["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"], p=[0.05, 0.15, 0.5, 0.3])),
                str(rng.choice(["Inquiry / Help", "Software", "Hardware", "Network"], p=[0.4, 0.4, 0.1, 0.1])),
                SUBJECTS[int(rng.integers(len(SUBJECTS)))],
                resolved.strftime(SERVICENOW_TIME) if state in ("Resolved", "Closed") else "",
            ]
        )
    rows.sort(key=lambda row: (row[0], row[1]))
    return [[f"INC{10001 + i:07d}", row[0].strftime(SERVICENOW_TIME), *row[1:]] for i, row in enumerate(rows)]


def ticket_counts(rows: list[list[str]], people: list[Person]) -> tuple[int, int, int]:
    """Tickets whose caller names one, several or no roster people."""
    names = Counter(person.name for person in people)
    matches = [names.get(row[2], 0) for row in rows]
    return matches.count(1), sum(1 for m in matches if m > 1), matches.count(0)


def write_independent_client(root: Path, seed: int = 7, people: int = 400) -> Truth:
    """Write ``root/exports/`` (five files, deterministic from ``seed``) and return what they hold."""
    if people < 160:
        raise ValueError("give at least 160 people (the smallest department must have 20)")
    rng = np.random.default_rng(seed)
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    staff = make_people(rng, people)
    write_roster(exports / FILES["roster"], staff)
    responses, by_reference = survey_rows(rng, staff)
    write_survey(exports / FILES["survey"], responses)
    report = usage_report(rng, staff)
    (exports / FILES["usage"]).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    outcomes = outcome_rows(rng, staff)
    (exports / FILES["outcomes"]).write_bytes(csv_text(OUTCOME_HEADER, outcomes).encode("utf-8"))
    ambiguous = tuple(sorted(name for name, count in Counter(p.name for p in staff).items() if count > 1))
    tickets = ticket_rows(rng, staff, ambiguous)
    (exports / FILES["tickets"]).write_bytes(csv_text(TICKET_HEADER, tickets, ",", csv.QUOTE_ALL).encode("utf-8-sig"))
    return make_truth(seed, staff, ambiguous, responses, by_reference, report["day_totals"], outcomes, tickets)


def make_truth(
    seed: int,
    staff: list[Person],
    ambiguous: tuple[str, ...],
    responses: list[list[str]],
    by_reference: int,
    records: list[dict[str, object]],
    outcomes: list[list[str]],
    tickets: list[list[str]],
) -> Truth:
    pilot = [p for p in staff if p.pilot]
    logins = {p.login.lower() for p in staff if p.login}
    messy = sum(QUALITY[row[6]] == "messy" for row in outcomes)
    unique_tickets, ambiguous_tickets, unmatched = ticket_counts(tickets, staff)
    return Truth(
        seed=seed,
        people=len(staff),
        pilot_members=len(pilot),
        volunteers=sum(p.volunteered for p in pilot),
        assigned=sum(not p.volunteered for p in pilot),
        pilot_ids=tuple(p.pid for p in pilot),
        departments={name: sum(p.department == name for p in staff) for name in DEPARTMENTS},
        ambiguous_names=ambiguous,
        survey_responses=len(responses),
        survey_linked=len(responses) - 5,
        survey_by_reference=by_reference,
        survey_unfinished=sum(row[6] == "False" for row in responses),
        usage_rows=len(records),
        usage_linked_rows=sum(str(r["user_login"]).lower() in logins for r in records),
        usage_logins_unknown=len({str(r["user_login"]).lower() for r in records} - logins),
        outcome_rows=len(outcomes),
        outcome_rows_clean=len(outcomes) - messy,
        outcome_rows_messy=messy,
        outcome_rows_assisted=sum(row[4] == "ja" for row in outcomes),
        tickets=len(tickets),
        tickets_linked_unique=unique_tickets,
        tickets_ambiguous=ambiguous_tickets,
        tickets_unmatched=unmatched,
    )

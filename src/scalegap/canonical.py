"""The canonical tables every adapter maps into, and what each column means.

An adapter returns these columns (optional ones may be all-missing); the
survey table also carries one column per declared item and free-text
question.  ``source_row`` (and, once stacked, ``source_file``) say where each
row came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from scalegap.errors import InputError


@dataclass(frozen=True)
class Column:
    """One canonical field: its type, whether a table needs it, and how exports name it.

    ``kind`` is text | number | flag (yes/no) | timestamp | category (one of ``accepted``).
    ``synonyms`` are other headers exports use for the field, in several languages, compared as
    :func:`header_key` compares them; they drive ``scalegap init --detect`` and the hints of a missing column.
    """

    name: str
    kind: str
    meaning: str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()

    @property
    def takes_values(self) -> bool:
        """Can ``values:`` in assessment.yml map this field's export values?"""
        return self.kind in {"flag", "category"}


def _columns(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split("|") if word.strip())


PERSON_ID = _words(
    "employee id|employee number|employee no|emp id|emp no|staff id|staff number|staff no|"
    "personnel number|personnel no|worker id|person id|hr id|personalnummer|personal-nr|pers.-nr.|"
    "mitarbeiternummer|matricule|numéro d'employé|id empleado|número de empleado|"
    "número de funcionário|matricola|personeelsnummer|anställningsnummer|medarbejdernummer|"
    "ansattnummer|työntekijänumero"
)
EMAIL = _words(
    "email|e-mail|mail|work email|work e-mail|email address|e-mail address|user principal name|upn|"
    "user email|e-mail-adresse|dienstliche e-mail|courriel|adresse e-mail|correo|correo electrónico|"
    "endereço de e-mail|indirizzo email|e-mailadres|e-post|e-postadress|sähköposti"
)
LOGIN = _words(
    "login|user login|user_login|username|user name|github login|github user|github username|"
    "github account|github-konto|github handle|handle|benutzername|identifiant"
)
DEPARTMENT = _words(
    "department|dept|division|business unit|org unit|organisational unit|organizational unit|"
    "abteilung|bereich|département|service|departamento|área|reparto|afdeling|avdelning|"
    "osasto|afdeling"
)
TEAM = _words("team|squad|work group|équipe|equipo|equipa|squadra|ploeg|arbeitsgruppe")
NAME = _words(
    "name|full name|display name|employee name|vollständiger name|anzeigename|nom complet|"
    "nombre completo|nome completo|volledige naam|fullständigt namn|fulde navn|koko nimi"
)

#: usage sources (``source``: the adapter's name) that do not record every active day, only some of them (the
#: Microsoft 365 usage report gives each person's last active day per app and snapshot): active days per week
#: cannot be counted from them
USAGE_SOURCES_WITHOUT_EVERY_DAY = frozenset({"m365_copilot_usage"})

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "roster": _columns(
        ("person_id", "text", "employee identifier, unique", True, PERSON_ID),
        ("email", "text", "work e-mail, trimmed and lower-cased", False, EMAIL),
        ("login", "text", "tool login (e.g. GitHub user name), lower-cased", False, LOGIN),
        (
            "name",
            "text",
            "full name as other systems display it (used only to link people; never published)",
            False,
            NAME,
        ),
        (
            "given_name",
            "text",
            "first name (joined with family_name into name when there is no name column)",
            False,
            _words("first name|given name|forename|vorname|prénom|nombre|nome|voornaam|förnamn|fornavn|etunimi"),
        ),
        (
            "family_name",
            "text",
            "last name",
            False,
            _words(
                "last name|surname|family name|nachname|familienname|nom de famille|apellido|apellidos|"
                "sobrenome|cognome|achternaam|efternamn|etternavn|efternavn|sukunimi"
            ),
        ),
        ("department", "text", "department", True, DEPARTMENT),
        (
            "role",
            "text",
            "job role",
            False,
            _words(
                "role|job title|title|position|job|funktion|rolle|stelle|poste|fonction|puesto|cargo|ruolo|"
                "functie|befattning|stilling|tehtävä"
            ),
        ),
        (
            "location",
            "text",
            "location",
            False,
            _words(
                "location|site|office|city|country|standort|ort|lieu|site|ubicación|sede|localização|locatie|"
                "plats|sted|sijainti"
            ),
        ),
        ("team", "text", "team", False, TEAM),
        (
            "hire_date",
            "timestamp",
            "date of hire",
            False,
            _words(
                "hire date|date of hire|start date|joined|join date|joining date|eintrittsdatum|eintritt|"
                "date d'embauche|date d'entrée|fecha de alta|fecha de contratación|data de admissão|"
                "data di assunzione|datum in dienst|anställningsdatum|ansættelsesdato|ansettelsesdato"
            ),
        ),
        (
            "in_pilot",
            "flag",
            "member of the AI pilot",
            True,
            _words(
                "pilot|in pilot|pilot member|pilot group|pilot participant|pilot user|ai pilot|pilotgruppe|"
                "pilotteilnehmer|pilot-teilnehmer|pilote|participant pilote|piloto|pilota|pilotgroep|"
                "pilotgrupp|pilottiryhmä"
            ),
        ),
        (
            "volunteered",
            "flag",
            "volunteered for the pilot (self-selected)",
            False,
            _words(
                "volunteered|volunteer|self-selected|self selected|opted in|opt-in|freiwillig|volontaire|"
                "voluntario|voluntário|volontario|vrijwillig|vrijwilliger|frivillig|vapaaehtoinen"
            ),
        ),
    ),
    "survey": _columns(
        (
            "response_id",
            "text",
            "the survey tool's response id",
            True,
            _words("responseid|response id|respondentid|respondent id|_recordid|id"),
        ),
        (
            "person_ref",
            "text",
            "employee id given with the response",
            False,
            ("externalreference", "external reference", "external data reference", *PERSON_ID),
        ),
        ("email", "text", "respondent e-mail, trimmed and lower-cased", False, ("recipientemail", *EMAIL)),
        (
            "recorded_at",
            "timestamp",
            "when the response was recorded",
            True,
            _words(
                "recordeddate|recorded date|submitted at|submitted|timestamp|completion time|end date|enddate|"
                "date submitted"
            ),
        ),
        ("finished", "flag", "the respondent reached the end", False, _words("finished|completed|complete")),
        ("progress", "number", "percent of the survey completed", False, _words("progress")),
    ),
    "usage": _columns(
        ("person_id", "text", "employee identifier (filled from e-mail or login when matched)", False, PERSON_ID),
        ("email", "text", "user e-mail / user principal name", False, EMAIL),
        ("login", "text", "tool login, lower-cased", False, LOGIN),
        (
            "organisation",
            "text",
            "organisation or tenant the row was reported for",
            False,
            _words("organisation|organization|org|tenant|enterprise"),
        ),
        (
            "date",
            "timestamp",
            "the active day",
            True,
            _words("date|day|activity date|usage date|report date|datum|tag|jour|fecha|data|dag|päivä"),
        ),
        (
            "interactions",
            "number",
            "user-initiated interactions that day",
            False,
            _words("interactions|prompts|requests|messages|user_initiated_interaction_count|queries|anfragen"),
        ),
        (
            "active_minutes",
            "number",
            "minutes of active use that day",
            False,
            _words("active minutes|minutes active|usage minutes|minutes"),
        ),
        ("source", "text", "which telemetry the row came from", True),
    ),
    "org_usage": _columns(
        ("date", "timestamp", "the day", True, _words("date|day")),
        ("organisation", "text", "organisation or tenant", False, _words("organisation|organization|org")),
        (
            "active_users",
            "number",
            "users with any activity that day",
            True,
            _words("active users|total_active_users|daily_active_users"),
        ),
        (
            "engaged_users",
            "number",
            "users who engaged with a feature that day",
            False,
            _words("engaged users|total_engaged_users"),
        ),
        ("source", "text", "which telemetry the row came from", True),
    ),
    "seats": _columns(
        ("person_id", "text", "employee identifier (filled when matched)", False, PERSON_ID),
        ("email", "text", "assignee e-mail / user principal name", False, EMAIL),
        ("login", "text", "assignee login", False, LOGIN),
        (
            "assigned_at",
            "timestamp",
            "when the licence was assigned",
            False,
            _words("assigned at|created_at|assigned|licence assigned"),
        ),
        (
            "last_activity_at",
            "timestamp",
            "last recorded activity (empty: never used)",
            False,
            _words("last activity|last_activity_at|last activity date"),
        ),
        ("source", "text", "which licence report the row came from", True),
    ),
    "outcomes": _columns(
        (
            "record_id",
            "text",
            "record identifier",
            False,
            _words(
                "record id|record|case id|case number|task id|work item|item id|vorgangsnummer|vorgang|"
                "fallnummer|aktenzeichen|numéro de dossier|dossier|expediente|número de caso|pratica|"
                "dossiernummer|ärendenummer|sagsnummer"
            ),
        ),
        (
            "person_id",
            "text",
            "who did the task: employee id, e-mail, login or name, linked to the roster",
            True,
            (*PERSON_ID, "agent", "agent id", "user", "handled by", "bearbeiter", "sachbearbeiter", *EMAIL),
        ),
        ("team", "text", "team", False, TEAM),
        (
            "task_type",
            "text",
            "kind of task",
            False,
            _words(
                "task type|task|type|work type|case type|vorgangsart|aufgabe|aufgabentyp|type de tâche|"
                "tipo de tarea|tipo de tarefa|tipo di attività|taaktype|uppgiftstyp"
            ),
        ),
        (
            "configuration",
            "text",
            "the prompt or workflow variant the task was done with",
            False,
            _words(
                "configuration|config|prompt_version|prompt version|prompt_pack|prompt pack|prompt_variant|"
                "workflow_variant|workflow variant|workflow_version|konfiguration"
            ),
        ),
        (
            "completed_on",
            "timestamp",
            "when the task was completed",
            False,
            _words(
                "completed on|completed|completion date|completed at|closed|closed on|date|finished on|"
                "abgeschlossen am|abschlussdatum|erledigt am|date de clôture|fecha de cierre|data de conclusão|"
                "data di completamento|afgerond op|slutförd"
            ),
        ),
        (
            "assisted",
            "flag",
            "the AI assistant was used",
            True,
            _words(
                "assisted|ai assisted|ai-assisted|ai used|with ai|copilot used|used copilot|assistant used|"
                "ki-unterstützung|ki unterstützt|mit ki|assisté par ia|avec ia|asistido por ia|con ia|"
                "assistido por ia|assistito da ia|met ai|ai-ondersteund|med ai|ai-avusteinen"
            ),
        ),
        (
            "minutes_taken",
            "number",
            "minutes the task took",
            False,
            _words(
                "minutes taken|minutes|duration|duration minutes|handling time|time taken|time spent|"
                "bearbeitungsdauer|bearbeitungszeit|dauer|durée|duración|duração|durata|duur|tidsåtgång|"
                "varighed|kesto"
            ),
        ),
        (
            "quality_score",
            "number",
            "quality score of the result",
            False,
            _words("quality score|qa score|score|quality rating|qualitätswert|note qualité"),
        ),
        (
            "record_completeness",
            "number",
            "share of the record's fields filled, 0..1",
            False,
            _words("record completeness|completeness|complete share|vollständigkeit"),
        ),
        (
            "exception_flag",
            "flag",
            "the record is an exception case",
            False,
            _words("exception|exception flag|exception case|is exception|sonderfall|ausnahme"),
        ),
        (
            "data_tier",
            "category",
            "clean | messy | unknown: map a record-quality column with values:",
            True,
            _words(
                "data tier|data quality|record quality|quality tier|quality|input quality|aktenqualität|"
                "datenqualität|qualité des données|calidad de datos|qualidade dos dados|qualità dei dati|"
                "datakwaliteit|datakvalitet"
            ),
            ("clean", "messy", "unknown"),
        ),
    ),
    "tickets": _columns(
        (
            "ticket_id",
            "text",
            "ticket key",
            True,
            _words("ticket id|ticket|number|key|issue key|id|incident|ticket number|case number"),
        ),
        (
            "person_id",
            "text",
            "who raised it: employee id, e-mail, login or display name, linked to the roster",
            False,
            _words(
                "reporter|requester|caller|caller_id|opened by|requested by|raised by|submitter|"
                "employee id|melder|anfragender"
            ),
        ),
        (
            "created_at",
            "timestamp",
            "opened",
            True,
            _words("created|created at|opened|opened_at|opened at|submitted|created date|erstellt"),
        ),
        (
            "first_response_at",
            "timestamp",
            "first response by support",
            False,
            _words("first response|first response at|first reply|first responded"),
        ),
        (
            "resolved_at",
            "timestamp",
            "resolved (empty: open)",
            False,
            _words("resolved|resolved at|resolved_at|closed|closed at|solved at|gelöst"),
        ),
        ("status", "text", "status", False, _words("status|state")),
        ("priority", "text", "priority", False, _words("priority|priorität|urgency")),
        ("category", "text", "type or category", False, _words("category|type|issue type|kategorie")),
        (
            "channel",
            "category",
            "build_team | service_desk | other: map the group column with values:",
            True,
            _words("assignment group|assignment_group|group|queue|channel|request channel|support team|gruppe"),
            ("build_team", "service_desk", "other"),
        ),
        ("labels", "text", "labels, '; '-joined", False, _words("labels|tags")),
        ("components", "text", "components, '; '-joined", False, _words("components|component")),
        ("reopen_count", "number", "times reopened", False, _words("reopen count|reopened")),
        ("satisfaction", "text", "satisfaction rating given", False, _words("satisfaction|csat|rating")),
    ),
    "governance": _columns(
        ("id", "text", "item id", True),
        ("area", "text", "area"),
        ("question", "text", "the checklist question"),
        (
            "nist_function",
            "category",
            "Govern | Map | Measure | Manage",
            True,
            (),
            ("Govern", "Map", "Measure", "Manage"),
        ),
        ("nist_category", "text", "NIST AI RMF category, e.g. GOVERN 2.1"),
        ("status", "category", "in_place | partial | absent", True, (), ("in_place", "partial", "absent")),
        ("owner", "text", "owner"),
        ("evidence", "text", "evidence"),
    ),
}


def field_of(table: str, name: str) -> Column | None:
    return next((column for column in SCHEMAS[table] if column.name == name), None)


def header_key(name: str) -> str:
    """How headers are compared: case, accents kept; spaces, underscores and hyphens alike; HTML tags dropped.

    ``Employee_ID`` and ``employee id`` compare equal; ``caller_id.employee_number`` keeps its dot.
    """
    text = re.sub(r"<[^>]*>", " ", str(name)).replace("\u00a0", " ")
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def column_names(table: str) -> list[str]:
    return [column.name for column in SCHEMAS[table]]


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Add missing optional columns (all missing) and order the schema's columns first.

    A missing *required* column is a programming error in an adapter, reported as such.
    """
    missing_required = [c.name for c in SCHEMAS[table] if c.required and c.name not in frame]
    if missing_required:
        raise InputError(
            f"the {table} adapter produced no {missing_required}", hint="this is a bug in scalegap; please report it"
        )
    result = frame.copy(deep=False)  # copy-on-write: the columns added here never reach ``frame``
    for column in SCHEMAS[table]:
        if column.name not in result:
            result[column.name] = _empty(column.kind, len(result))
    ordered = [c.name for c in SCHEMAS[table]]
    extra = [c for c in result.columns if c not in ordered]
    return result[ordered + extra]


def _empty(kind: str, length: int) -> pd.Series:
    if kind == "timestamp":
        return pd.Series(pd.NaT, index=range(length), dtype="datetime64[ns]")
    if kind == "number":
        return pd.Series(float("nan"), index=range(length), dtype="float64")
    if kind == "flag":
        return pd.Series(pd.NA, index=range(length), dtype="boolean")
    return pd.Series([None] * length, dtype="object")

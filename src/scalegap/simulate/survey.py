"""The readiness survey as recorded by Qualtrics, in memory.

Generative model:

* **Who responds.** Every employee is invited; an employee responds with
  probability ``logistic(logit(survey_response_rate) + survey_readiness_slope * r)``,
  so respondents are more ready than non-respondents. ``survey_contractor_respondents``
  contractors (not on the roster, ExternalReference ``C2001``...) also respond.
* **Answers.** Per respondent an observed readiness ``r + Normal(0,
  readiness_measurement_error)``, per construct a deviation ``Normal(0, 0.35)``,
  per item ``Normal(0, 0.45)``; the answer is ``round(3 + construct offset
  (+ pilot offset for pilot members) + 0.9 * observed readiness + construct
  deviation + item noise)`` clipped to 1..5, and ``6 - answer`` for
  reverse-worded items.
* **Messiness kept in the table.** ``survey_item_blank_share`` of Likert cells
  blank; ``survey_partial_share`` partial responses (``finished`` False,
  ``progress`` below 100, later items blank, recorded a week after starting);
  two people who submitted twice (``repeat_submission``, later dates, fresh
  answers); ``survey_email_only_share`` of the other employee responses without
  an ExternalReference, their e-mail in another letter case with surrounding spaces.
* **Free text (Q7).** ``survey_free_text_share`` of finished responses; three
  answers name a colleague's e-mail address, one a phone number; some contain
  commas, quotes and a line break.

Timing: starts on weekdays of the survey window, more on the first days
(invitations, then reminders), 08:00-18:00; durations lognormal around 280 s.
``employee_id`` is the truth (missing for contractors); ``external_reference``
and ``recipient_email`` are what the export shows.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pandas as pd

from scalegap.simulate.instrument import SURVEY_CONSTRUCTS, SURVEY_ITEMS
from scalegap.simulate.parameters import SimulationParameters
from scalegap.simulate.population import logistic, logit
from scalegap.simulate.vocabulary import (
    CONTRACTOR_FIRST_NAMES,
    CONTRACTOR_LAST_NAMES,
    EMAIL_DOMAIN,
    FREE_TEXT_ANSWERS,
    FREE_TEXT_WITH_EMAIL,
    FREE_TEXT_WITH_PHONE,
)

ITEM_COLUMNS = [item.column for item in SURVEY_ITEMS]
QUESTIONS_IN_SURVEY = len(SURVEY_ITEMS) + 1
REPEAT_SUBMITTERS = 2
CONSTRUCT_SD = 0.35
ITEM_SD = 0.45
READINESS_LOADING = 0.9
RESPONSE_ID_ALPHABET = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
SURVEY_COLUMNS = [
    "response_id",
    "employee_id",
    "external_reference",
    "recipient_email",
    "recipient_first_name",
    "recipient_last_name",
    "start_date",
    "end_date",
    "recorded_date",
    "duration_seconds",
    "progress",
    "finished",
    "respondent_type",
    "repeat_submission",
    *ITEM_COLUMNS,
    "Q7",
]


def response_probability(readiness: np.ndarray, parameters: SimulationParameters) -> np.ndarray:
    """Probability that an employee answers the survey."""
    p = parameters
    return logistic(logit(p.survey_response_rate) + p.survey_readiness_slope * readiness)


def employee_respondents(people: pd.DataFrame, responded: np.ndarray) -> pd.DataFrame:
    """Respondent rows for the employees who answered."""
    chosen = people[responded]
    return pd.DataFrame(
        {
            "employee_id": chosen["employee_id"].to_numpy(),
            "external_reference": chosen["employee_id"].to_numpy(),
            "recipient_email": chosen["email"].to_numpy(),
            "recipient_first_name": chosen["first_name"].to_numpy(),
            "recipient_last_name": chosen["last_name"].to_numpy(),
            "readiness": chosen["readiness"].to_numpy(),
            "in_pilot": chosen["in_pilot"].to_numpy(),
            "respondent_type": "employee",
            "repeat_submission": False,
        }
    )


def contractor_respondents(rng: np.random.Generator, parameters: SimulationParameters) -> pd.DataFrame:
    """Respondents who are not on the HR roster (contractors)."""
    n = parameters.survey_contractor_respondents
    n_last = len(CONTRACTOR_LAST_NAMES)
    picks = rng.choice(len(CONTRACTOR_FIRST_NAMES) * n_last, size=n, replace=False)
    first = [CONTRACTOR_FIRST_NAMES[i // n_last] for i in picks]
    last = [CONTRACTOR_LAST_NAMES[i % n_last] for i in picks]
    return pd.DataFrame(
        {
            "employee_id": pd.Series([None] * n, dtype="str"),
            "external_reference": [f"C{2001 + i}" for i in range(n)],
            "recipient_email": [f"ext.{f.lower()}.{s.lower()}@{EMAIL_DOMAIN}" for f, s in zip(first, last)],
            "recipient_first_name": first,
            "recipient_last_name": last,
            "readiness": rng.normal(0.0, 1.0, size=n),
            "in_pilot": False,
            "respondent_type": "contractor",
            "repeat_submission": False,
        }
    )


def likert_answers(rng: np.random.Generator, respondents: pd.DataFrame, parameters: SimulationParameters) -> np.ndarray:
    """Answers 1..5 (respondents x items), reverse-worded items reversed."""
    n = len(respondents)
    observed = respondents["readiness"].to_numpy() + rng.normal(0.0, parameters.readiness_measurement_error, n)
    pilot = respondents["in_pilot"].to_numpy(dtype=float)
    deviation = {c.name: rng.normal(0.0, CONSTRUCT_SD, n) for c in SURVEY_CONSTRUCTS}
    constructs = {c.name: c for c in SURVEY_CONSTRUCTS}
    noise = rng.normal(0.0, ITEM_SD, size=(n, len(SURVEY_ITEMS)))
    answers = np.empty((n, len(SURVEY_ITEMS)))
    for j, item in enumerate(SURVEY_ITEMS):
        construct = constructs[item.construct]
        raw = (
            3
            + construct.offset
            + construct.pilot_offset * pilot
            + READINESS_LOADING * observed
            + deviation[item.construct]
            + noise[:, j]
        )
        value = np.clip(np.round(raw), 1, 5)
        answers[:, j] = 6 - value if item.reverse else value
    return answers


def survey_weekdays(parameters: SimulationParameters) -> list[datetime]:
    """Midnights of the weekdays of the survey window."""
    days = (parameters.survey_start + timedelta(days=i) for i in range(parameters.survey_days))
    return [datetime.combine(d, time()) for d in days if d.weekday() < 5]


def response_timing(rng: np.random.Generator, n: int, parameters: SimulationParameters) -> pd.DataFrame:
    """Start, end and recorded timestamps and durations of complete responses."""
    days = survey_weekdays(parameters)
    weights = 0.8 ** np.arange(len(days))
    day = rng.choice(len(days), size=n, p=weights / weights.sum())
    seconds = rng.integers(8 * 3600, 18 * 3600, size=n)
    duration = np.round(np.exp(rng.normal(np.log(280.0), 0.5, size=n))).astype(int)
    start = pd.to_datetime([days[d] + timedelta(seconds=int(s)) for d, s in zip(day, seconds)])
    end = start + pd.to_timedelta(duration, unit="s")
    return pd.DataFrame({"start_date": start, "end_date": end, "recorded_date": end, "duration_seconds": duration})


def make_partial(
    rng: np.random.Generator, survey: pd.DataFrame, answers: np.ndarray, candidates: np.ndarray, share: float
) -> pd.DataFrame:
    """Turn some responses into partial ones: later items blank, recorded a week later."""
    n_partial = int(round(share * len(candidates)))
    rows = rng.choice(candidates, size=n_partial, replace=False)
    answered = rng.integers(2, len(SURVEY_ITEMS) - 2, size=n_partial)
    survey = survey.copy()
    for row, k in zip(rows, answered):
        answers[row, k:] = np.nan
    fraction = answered / QUESTIONS_IN_SURVEY
    duration = np.maximum(5, np.round(survey.loc[rows, "duration_seconds"].to_numpy() * fraction)).astype(int)
    survey.loc[rows, "progress"] = np.floor(100 * fraction).astype(int)
    survey.loc[rows, "finished"] = False
    survey.loc[rows, "duration_seconds"] = duration
    survey.loc[rows, "end_date"] = survey.loc[rows, "start_date"] + pd.to_timedelta(duration, unit="s")
    survey.loc[rows, "recorded_date"] = survey.loc[rows, "start_date"] + pd.Timedelta(days=7)
    return survey


def blank_items(rng: np.random.Generator, answers: np.ndarray, share: float) -> np.ndarray:
    """Leave a share of the answered Likert cells blank (item non-response)."""
    blank = (rng.random(answers.shape) < share) & ~np.isnan(answers)
    return np.where(blank, np.nan, answers)


def free_text_answers(
    rng: np.random.Generator, finished: np.ndarray, colleague_emails: np.ndarray, parameters: SimulationParameters
) -> np.ndarray:
    """Q7 answers of finished responses; three name a colleague's e-mail, one a phone number."""
    answers = np.full(len(finished), None, dtype=object)
    writers = np.flatnonzero(finished & (rng.random(len(finished)) < parameters.survey_free_text_share))
    answers[writers] = [FREE_TEXT_ANSWERS[i] for i in rng.integers(0, len(FREE_TEXT_ANSWERS), len(writers))]
    special = rng.choice(writers, size=min(len(writers), len(FREE_TEXT_WITH_EMAIL) + 1), replace=False)
    colleagues = rng.choice(colleague_emails, size=len(FREE_TEXT_WITH_EMAIL), replace=False)
    for row, template, email in zip(special, FREE_TEXT_WITH_EMAIL, colleagues):
        answers[row] = template.format(email=email)
    if len(special) > len(FREE_TEXT_WITH_EMAIL):
        answers[special[-1]] = FREE_TEXT_WITH_PHONE
    return answers


def disguise_email(email: str, variant: int) -> str:
    """The address in another letter case, with surrounding spaces."""
    local, domain = email.split("@")
    if variant == 0:
        return " " + ".".join(part.capitalize() for part in local.split(".")) + "@" + domain.capitalize() + " "
    if variant == 1:
        return "  " + email.upper()
    return email.capitalize() + " "


def identify_by_email_only(rng: np.random.Generator, survey: pd.DataFrame, share: float) -> pd.DataFrame:
    """For some employee responses drop the ExternalReference and disguise the e-mail.

    People who submitted twice keep their ExternalReference, so both submissions
    stay recognisable as the same person.
    """
    repeaters = survey.loc[survey["repeat_submission"], "employee_id"]
    candidates = (survey["respondent_type"] == "employee") & ~survey["employee_id"].isin(repeaters)
    employees = np.flatnonzero(candidates.to_numpy())
    rows = rng.choice(employees, size=int(round(share * len(employees))), replace=False)
    variants = rng.integers(0, 3, size=len(rows))
    survey = survey.copy()
    emails = survey["recipient_email"].to_numpy(dtype=object).copy()
    references = survey["external_reference"].to_numpy(dtype=object).copy()
    for row, variant in zip(rows, variants):
        emails[row] = disguise_email(emails[row], int(variant))
        references[row] = ""
    return survey.assign(recipient_email=emails, external_reference=references)


def response_ids(rng: np.random.Generator, n: int) -> list[str]:
    """Qualtrics-style response ids (``R_`` and 15 letters or digits), unique."""
    letters = rng.choice(RESPONSE_ID_ALPHABET, size=(n, 15))
    ids = ["R_" + "".join(row) for row in letters]
    if len(set(ids)) != n:
        raise RuntimeError("response id collision; change the seed")
    return ids


def with_repeat_submissions(rng: np.random.Generator, respondents: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Respondents plus second submissions of two employees; rows of the originals."""
    employees = np.flatnonzero((respondents["respondent_type"] == "employee").to_numpy())
    originals = np.sort(rng.choice(employees, size=REPEAT_SUBMITTERS, replace=False))
    repeats = respondents.iloc[originals].assign(repeat_submission=True)
    return pd.concat([respondents, repeats], ignore_index=True), originals


def delay_repeats(rng: np.random.Generator, timing: pd.DataFrame, originals: np.ndarray) -> pd.DataFrame:
    """Second submissions start one to three days after the first was recorded."""
    timing = timing.copy()
    repeat_rows = np.arange(len(timing) - len(originals), len(timing))
    delay = pd.to_timedelta(rng.integers(86400, 3 * 86400, size=len(originals)), unit="s")
    start = timing["recorded_date"].to_numpy()[originals] + delay
    end = start + pd.to_timedelta(timing.loc[repeat_rows, "duration_seconds"].to_numpy(), unit="s")
    timing.loc[repeat_rows, "start_date"] = start
    timing.loc[repeat_rows, "end_date"] = end
    timing.loc[repeat_rows, "recorded_date"] = end
    return timing


def simulate_survey(
    rng: np.random.Generator, people: pd.DataFrame, parameters: SimulationParameters
) -> tuple[pd.DataFrame, np.ndarray]:
    """The survey responses (canonical-ish table) and which employees responded."""
    p = parameters
    responded = rng.random(len(people)) < response_probability(people["readiness"].to_numpy(), p)
    respondents = pd.concat(
        [employee_respondents(people, responded), contractor_respondents(rng, p)], ignore_index=True
    )
    respondents, originals = with_repeat_submissions(rng, respondents)
    answers = likert_answers(rng, respondents, p)
    timing = delay_repeats(rng, response_timing(rng, len(respondents), p), originals)
    survey = pd.concat([respondents, timing], axis=1).assign(progress=100, finished=True)
    single = np.setdiff1d(np.flatnonzero(~survey["repeat_submission"].to_numpy()), originals)
    survey = make_partial(rng, survey, answers, single, p.survey_partial_share)
    answers = blank_items(rng, answers, p.survey_item_blank_share)
    finished = survey["finished"].to_numpy(dtype=bool)
    survey["Q7"] = free_text_answers(rng, finished, people["email"].to_numpy(), p)
    survey = identify_by_email_only(rng, survey, p.survey_email_only_share)
    survey["response_id"] = response_ids(rng, len(survey))
    for j, column in enumerate(ITEM_COLUMNS):
        survey[column] = pd.array(answers[:, j], dtype="Float64").astype("Int64")
    survey = survey.sort_values(["recorded_date", "response_id"], kind="stable", ignore_index=True)
    return survey[SURVEY_COLUMNS], responded

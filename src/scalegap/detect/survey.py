"""The survey instrument as the answers show it: which columns are scale items, the scale, constructs, free text.

* **Items** are the columns whose answers are mostly labels of one answer scale (or whole numbers 1..11).
* **The scale** is recognised when its labels are one of :data:`KNOWN_SCALES` (ordered from the lowest);
  otherwise the labels seen are listed in a TODO, since their order cannot be told from the data.
* **Constructs** group items by their id's stem (``QID10_1``, ``QID10_2`` -> ``QID10``), labelled by the
  question text where the export has one.  An item whose answers run against the rest of its construct
  (a negative item-rest correlation) is proposed as reverse-worded.
* **Free text** is a column of longer answers that are not on the scale, with at least five different ones.
"""

from __future__ import annotations

import re

import pandas as pd

from scalegap.detect.model import ConstructProposal, Guess, SurveyProposal
from scalegap.ingest.survey_common import SURVEY_FIELDS, SurveyTable, plain_text

KNOWN_SCALES: tuple[tuple[str, ...], ...] = (
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    (
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ),
    ("Strongly disagree", "Disagree", "Slightly disagree", "Neutral", "Slightly agree", "Agree", "Strongly agree"),
    ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
    ("Stimme überhaupt nicht zu", "Stimme nicht zu", "Weder noch", "Stimme zu", "Stimme voll und ganz zu"),
    ("Pas du tout d'accord", "Pas d'accord", "Ni d'accord ni pas d'accord", "D'accord", "Tout à fait d'accord"),
    (
        "Totalmente en desacuerdo",
        "En desacuerdo",
        "Ni de acuerdo ni en desacuerdo",
        "De acuerdo",
        "Totalmente de acuerdo",
    ),
)
#: columns survey tools add that are never questions
TOOL_COLUMNS = {
    name.casefold()
    for name in (
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
        "Q_RecaptchaScore",
        "Respondent ID",
        "RespondentID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Timestamp",
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
    )
}
ITEM_SHARE = 0.9
FREE_TEXT_LENGTH = 12


def propose_survey(survey: SurveyTable) -> SurveyProposal:
    frame = survey.raw.frame
    candidates = [
        column for column in frame.columns if column.casefold() not in TOOL_COLUMNS and column not in SURVEY_FIELDS
    ]
    labels = _answer_labels(frame, candidates)
    scale = _known_scale(labels)
    on_scale = set(map(str.casefold, scale or labels))
    items = [column for column in candidates if _share_on(frame[column], on_scale) >= ITEM_SHARE]
    free = tuple(column for column in candidates if column not in items and _is_free_text(frame[column]))
    todos: list[str] = []
    if scale is None:
        todos.append(f"order the answer labels seen from the lowest to the highest: {', '.join(map(repr, labels))}")
    scale_guess = Guess(list(scale), f"the answers use the {len(scale)} labels of this known scale") if scale else None
    constructs = tuple(_constructs(frame, items, survey.aliases, scale))
    todos.append("name each construct, and check its items and reverse-worded items against the questionnaire")
    return SurveyProposal(scale_guess, constructs, free, tuple(todos))


def _answer_labels(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """Answer labels that recur across several columns (the scale's), most frequent first."""
    counts: dict[str, int] = {}
    spread: dict[str, int] = {}
    for column in columns:
        values = frame[column].fillna("").astype(str).str.strip()
        values = values[values.ne("")]
        for label, count in values.value_counts().head(12).items():
            counts[label] = counts.get(label, 0) + int(count)
            spread[label] = spread.get(label, 0) + 1
    recurring = [label for label in counts if spread[label] >= 3 and len(label) <= 60]
    return sorted(recurring, key=lambda label: -counts[label])[:11]


def _known_scale(labels: list[str]) -> tuple[str, ...] | None:
    seen = {label.casefold() for label in labels}
    matches = [scale for scale in KNOWN_SCALES if {label.casefold() for label in scale} == seen]
    if matches:
        return matches[0]
    subsets = [scale for scale in KNOWN_SCALES if seen and seen <= {label.casefold() for label in scale}]
    return max(subsets, key=len) if len(subsets) == 1 else None


def _share_on(series: pd.Series, labels: set[str]) -> float:
    values = series.fillna("").astype(str).str.strip()
    values = values[values.ne("")]
    if not len(values) or not labels:
        return 0.0
    return float(values.str.casefold().isin(labels).mean())


def _is_free_text(series: pd.Series) -> bool:
    values = series.fillna("").astype(str).str.strip()
    values = values[values.ne("")]
    return len(values) >= 3 and values.str.len().mean() >= FREE_TEXT_LENGTH and values.nunique() >= min(5, len(values))


def _stem(item: str) -> str:
    match = re.match(r"^(.*?)[_.\-]?\d+$", item)
    return match.group(1) if match and match.group(1) else item


def _constructs(
    frame: pd.DataFrame, items: list[str], aliases: dict[str, str], scale: tuple[str, ...] | None
) -> list[ConstructProposal]:
    texts = {column: alias for alias, column in aliases.items() if alias not in frame.columns}
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(_stem(item), []).append(item)
    proposals = []
    for stem, members in groups.items():
        prompt = _prompt(texts.get(members[0], ""))
        reverse = _reverse_items(frame, members, scale) if len(members) >= 3 else ()
        why = f"items {', '.join(members)} share the id stem {stem!r}" + (
            f"; {', '.join(reverse)} answer(s) against the rest of the construct" if reverse else ""
        )
        name = re.sub(r"\W+", "_", stem).strip("_").lower() or "construct"
        proposals.append(ConstructProposal(name, prompt or stem, tuple(members), reverse, why))
    return proposals


def _prompt(text: str) -> str:
    """The question of a matrix item's text (``<prompt> - <statement>``), shortened."""
    text = plain_text(text).split(" - ")[0].strip()
    return text[:80]


def _reverse_items(frame: pd.DataFrame, members: list[str], scale: tuple[str, ...] | None) -> tuple[str, ...]:
    if scale is None:
        return ()
    positions = {label.casefold(): float(n) for n, label in enumerate(scale, start=1)}
    scores = pd.DataFrame(
        {item: frame[item].fillna("").astype(str).str.strip().str.casefold().map(positions) for item in members}
    )
    reverse = []
    for item in members:
        rest = scores.drop(columns=item).mean(axis=1)
        correlation = scores[item].corr(rest)
        if pd.notna(correlation) and correlation < -0.1:
            reverse.append(item)
    return tuple(reverse)

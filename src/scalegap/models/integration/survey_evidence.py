"""Survey evidence: free-text answers about manual work, matched to themes, quotable only when safe."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from scalegap.models import availability
from scalegap.package import PreparedPackage
from scalegap.privacy import (
    Redactor,
    quotable,
    respondent_keys,
    suppress_small_counts,
)

THEMES: dict[str, str] = {
    "Copying and pasting": r"\bcop(?:y|ies|ied|ying)\b|\bpast(?:e|es|ed|ing)\b",
    "Screenshots": r"\bscreen ?(?:shots?|grabs?|captures?)\b",
    "Re-typing, by hand": r"\bby hand\b|\bmanual(?:ly)?\b|\bre-?typ\w*|\bre-?enter\w*",
    "Exporting and uploading files": r"\bexport\w*|\bimport\w*|\bdownload\w*|\bupload\w*|\bcsv\b",
    "Asking for an integration": r"\bintegrat\w*|\bconnect\w*|\bapi\b|\bplug-?ins?\b",
}


# --- survey evidence --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManualWorkComments:
    """Free-text survey answers that mention manual data movement."""

    questions: tuple[str, ...]
    answers: int
    mentioning: int
    themes: pd.DataFrame
    examples: tuple[str, ...]
    #: ``privacy.redact_free_text`` is false: nothing is quoted
    withheld: bool = False

    @property
    def share(self) -> float:
        return self.mentioning / self.answers if self.answers else 0.0


def free_text_answers(package: PreparedPackage) -> tuple[tuple[str, ...], pd.Series]:
    """The declared free-text questions present in the survey, and their non-empty answers (one per
    response, questions joined)."""
    questions, texts, _ = free_text_with_respondents(package)
    return questions, texts


def free_text_with_respondents(package: PreparedPackage) -> tuple[tuple[str, ...], pd.Series, pd.Series]:
    """:func:`free_text_answers`, and who gave each answer (:func:`scalegap.privacy.respondent_keys`)."""
    empty = pd.Series(dtype="object")
    if not availability.usable(package, "survey"):
        return (), empty, empty
    survey = package.table("survey")
    questions = tuple(q for q in package.settings.survey.free_text if q in survey)
    if not questions:
        return (), empty, empty
    texts = pd.Series(
        [
            " / ".join(str(v).strip() for v in row if isinstance(v, str) and v.strip())
            for row in survey[list(questions)].itertuples(index=False)
        ],
        index=survey.index,
        dtype="object",
    )
    answered = texts.str.len() > 0
    return questions, texts[answered], respondent_keys(survey)[answered]


def theme_matches(texts: pd.Series) -> pd.DataFrame:
    """One boolean column per theme: the answer mentions it."""
    return pd.DataFrame(
        {theme: texts.str.contains(pattern, flags=re.IGNORECASE, regex=True) for theme, pattern in THEMES.items()},
        index=texts.index,
    )


def manual_work_comments(package: PreparedPackage, max_examples: int = 5) -> ManualWorkComments | None:
    """Free-text answers mentioning manual data movement, by theme; None without declared free text.

    Quotations (``examples``, the most frequent first) are redacted, and shown only when the respondents whose
    answers mention the subject are at least the minimum group size; none when free text is withheld.
    """
    questions, texts, respondents = free_text_with_respondents(package)
    if not questions:
        return None
    minimum = package.settings.privacy.min_group_size
    matches = theme_matches(texts)
    mentioning = matches.any(axis=1)
    counts = matches.sum()
    themes = suppress_small_counts(
        pd.DataFrame({"Theme": counts.index, "Answers": counts.to_numpy()}), "Answers", minimum
    )
    redactor = Redactor.of(package)
    examples: tuple[str, ...] = ()
    if not redactor.withheld and quotable(respondents[mentioning], minimum):
        counts = texts[mentioning].map(redactor.redact).str.replace(r"\s+", " ", regex=True).value_counts()
        ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        examples = tuple(text for text, _ in ordered[:max_examples])
    return ManualWorkComments(questions, len(texts), int(mentioning.sum()), themes, examples, redactor.withheld)

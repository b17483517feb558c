"""The readiness survey instrument: constructs, items, wording, scale.

Items are 5-point Likert statements in Qualtrics matrix questions ``Q1``-``Q6``
(column ids ``Q1_1`` ...), plus the free-text question ``Q7``. Reverse-worded
items (agreement means *less* readiness) are flagged ``reverse=True``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FREE_TEXT_QUESTION",
    "LIKERT_CHOICES",
    "MATRIX_PROMPT",
    "SURVEY_CONSTRUCTS",
    "SURVEY_ITEMS",
    "SurveyConstruct",
    "SurveyItem",
]

LIKERT_CHOICES: tuple[str, ...] = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)

MATRIX_PROMPT = "How much do you agree with the following statements?"


@dataclass(frozen=True)
class SurveyItem:
    """One Likert statement."""

    column: str
    construct: str
    statement: str
    reverse: bool = False

    @property
    def question_text(self) -> str:
        """Row-2 text as Qualtrics writes it for a matrix question."""
        return f"{MATRIX_PROMPT} - {self.statement}"

    @property
    def import_id(self) -> str:
        """Qualtrics ImportId, ``QID3_1`` for column ``Q3_1``."""
        return "QID" + self.column[1:]


@dataclass(frozen=True)
class SurveyConstruct:
    """A construct measured by a group of items, and its mean shift on the 1-5 scale."""

    name: str
    question: str
    offset: float
    pilot_offset: float = 0.0


@dataclass(frozen=True)
class FreeTextQuestion:
    """An open question."""

    column: str
    text: str
    import_id: str


SURVEY_CONSTRUCTS: tuple[SurveyConstruct, ...] = (
    SurveyConstruct("perceived_usefulness", "Q1", 0.2),
    SurveyConstruct("ease_of_use", "Q2", 0.0),
    SurveyConstruct("ai_curiosity", "Q3", 0.3),
    SurveyConstruct("trust", "Q4", -0.2),
    SurveyConstruct("training_adequacy", "Q5", -0.5, pilot_offset=0.9),
    SurveyConstruct("workflow_fit", "Q6", -0.1),
)

SURVEY_ITEMS: tuple[SurveyItem, ...] = (
    SurveyItem("Q1_1", "perceived_usefulness", "Using the AI assistant improves the quality of my work"),
    SurveyItem("Q1_2", "perceived_usefulness", "Using the AI assistant saves me time on routine tasks"),
    SurveyItem("Q1_3", "perceived_usefulness", "The AI assistant is useful for the work I do every day"),
    SurveyItem("Q2_1", "ease_of_use", "Learning to use the AI assistant is easy for me"),
    SurveyItem("Q2_2", "ease_of_use", "I can get the AI assistant to do what I want it to do"),
    SurveyItem("Q2_3", "ease_of_use", "Writing good instructions for the AI assistant comes easily to me"),
    SurveyItem("Q3_1", "ai_curiosity", "I enjoy trying out new digital tools"),
    SurveyItem("Q3_2", "ai_curiosity", "I am curious about how AI could change my job"),
    SurveyItem("Q3_3", "ai_curiosity", "I prefer to keep working the way I always have", reverse=True),
    SurveyItem("Q4_1", "trust", "I trust the answers the AI assistant gives me"),
    SurveyItem(
        "Q4_2", "trust", "I need to check everything the AI assistant produces before I can use it", reverse=True
    ),
    SurveyItem("Q4_3", "trust", "I would be comfortable using AI output in work that customers see"),
    SurveyItem("Q5_1", "training_adequacy", "I have received enough training to use the AI assistant well"),
    SurveyItem("Q5_2", "training_adequacy", "I know where to get help when the AI assistant does not work"),
    SurveyItem("Q6_1", "workflow_fit", "The AI assistant fits into the way my team works"),
    SurveyItem("Q6_2", "workflow_fit", "The AI assistant works with the systems and data I use"),
    SurveyItem("Q6_3", "workflow_fit", "My manager encourages me to use the AI assistant"),
)

FREE_TEXT_QUESTION = FreeTextQuestion(
    "Q7", "What would make the AI assistant more useful in your daily work?", "QID7_TEXT"
)

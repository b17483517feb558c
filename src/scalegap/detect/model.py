"""What ``scalegap init --detect`` proposes: every guess with what it was based on, and what it cannot infer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Guess:
    """A proposed value and the evidence it rests on (written as a comment beside it)."""

    value: Any
    why: str


@dataclass(frozen=True)
class ExportProposal:
    """One file read as one table: its format, column mapping and value mappings."""

    table: str
    file: str
    format: str
    why: str
    columns: dict[str, Guess] = field(default_factory=dict)
    values: dict[str, dict[str, Guess]] = field(default_factory=dict)
    #: what the consultant must look at (each becomes a TODO comment)
    todos: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConstructProposal:
    name: str
    label: str
    items: tuple[str, ...]
    reverse: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class SurveyProposal:
    """The survey instrument as far as the answers show it."""

    scale_labels: Guess | None
    constructs: tuple[ConstructProposal, ...]
    free_text: tuple[str, ...]
    todos: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnusedFile:
    file: str
    why: str


@dataclass(frozen=True)
class Detection:
    """Everything proposed for one client folder."""

    exports: tuple[ExportProposal, ...]
    survey: SurveyProposal | None
    unused: tuple[UnusedFile, ...]
    todos: tuple[str, ...] = ()

    def of(self, table: str) -> list[ExportProposal]:
        return [proposal for proposal in self.exports if proposal.table == table]

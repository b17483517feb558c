"""One exception family for everything scalegap reports to a user.

Every error carries where the problem is (file, row, column) and what to do
about it (hint).  The CLI catches :class:`ScalegapError` once and prints
:meth:`ScalegapError.one_line`; library callers can inspect the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: the exit code of a command stopped by a :class:`ScalegapError` (a problem the user can fix)
EXIT_USER_ERROR = 2


class ScalegapError(Exception):
    """Base class: a problem the user can fix, with its location and a hint."""

    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.hint = hint

    def __reduce__(self):  # keep the fields when an error crosses a process boundary
        return (_rebuild, (type(self), self.message, self.file, self.row, self.column, self.hint))

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def one_line(self) -> str:
        """The error as the single line the CLI prints."""
        where = self.location()
        text = f"{self.kind}: {where}: {self.message}" if where else f"{self.kind}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return " ".join(text.split())

    def lines(self) -> list[str]:
        """What the CLI prints: one line per problem (one, except for :class:`ScalegapErrors`)."""
        return [self.one_line()]

    def __str__(self) -> str:  # pragma: no cover - delegated
        return self.one_line()


def _rebuild(
    kind: type, message: str, file: str | None, row: int | None, column: str | None, hint: str | None
) -> ScalegapError:
    return kind(message, file=file, row=row, column=column, hint=hint)


class InputError(ScalegapError):
    """A client export cannot be read or misses what the assessment needs."""

    kind = "input error"


class ConfigurationError(ScalegapError):
    """assessment.yml (or a command-line option) is wrong."""

    kind = "configuration error"


class ExecutionError(ScalegapError):
    """A chapter notebook or the book build failed."""

    kind = "execution error"


class ScalegapErrors(ScalegapError):
    """Several problems found in one pass (every missing column, every settings error), reported together.

    Its own fields are those of the first problem; :meth:`lines` gives one line per problem.
    """

    errors: tuple[ScalegapError, ...]

    def __init__(self, errors: Sequence[ScalegapError]) -> None:
        if not errors:
            raise ValueError("ScalegapErrors needs at least one error")
        flat: list[ScalegapError] = []
        for error in errors:
            flat.extend(error.errors if isinstance(error, ScalegapErrors) else [error])
        first = flat[0]
        super().__init__(first.message, file=first.file, row=first.row, column=first.column, hint=first.hint)
        self.errors = tuple(flat)
        self.kind = first.kind

    def __reduce__(self):
        return (type(self), (self.errors,))

    def lines(self) -> list[str]:
        return [error.one_line() for error in self.errors]


class InputErrors(ScalegapErrors, InputError):
    """Several input errors at once (every missing column of a file)."""


class ConfigurationErrors(ScalegapErrors, ConfigurationError):
    """Several settings errors at once."""


def group_of(errors: Sequence[ScalegapError]) -> ScalegapErrors:
    """The errors together, as the kind they share (an :class:`InputError` group when all are input errors)."""
    for single, group in ((InputError, InputErrors), (ConfigurationError, ConfigurationErrors)):
        if all(isinstance(error, single) for error in errors):
            return group(errors)
    return ScalegapErrors(errors)


def raise_all(errors: list[ScalegapError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise group_of(errors)

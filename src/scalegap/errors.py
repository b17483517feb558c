"""One exception family for everything scalegap reports to a user.

Every error carries where the problem is (file, row, column) and what to do
about it (hint).  The CLI catches :class:`ScalegapError` once and prints
:meth:`ScalegapError.one_line`; library callers can inspect the fields.
"""

from __future__ import annotations

from pathlib import Path


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

    def __str__(self) -> str:  # pragma: no cover - delegated
        return self.one_line()


def _rebuild(kind: type, message: str, file: str | None, row: int | None, column: str | None,
             hint: str | None) -> ScalegapError:
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

"""The ``exports`` section of assessment.yml: which file(s) each table is read from, or, for ``usage``, which
warehouse table (:mod:`scalegap.settings` reads the whole file; unknown keys are errors here too)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportSettings(_Strict):
    """One client export: which file(s) it is and how to read it.

    ``file`` is a name relative to exports/, or a glob pattern (``copilot-users-*.json``)
    that stacks several files of the same format into one table.
    """

    file: str = Field(min_length=1)
    format: str | None = None
    columns: dict[str, str] = {}
    date_format: str | None = None
    #: canonical field -> {value in the export: canonical value}, for yes/no and category fields
    values: dict[str, dict[str | bool | int | float, str | bool | int | float | None]] = {}
    sheet: str | None = None

    @field_validator("values")
    @classmethod
    def _keys_as_text(cls, value: dict[str, dict[Any, Any]]) -> dict[str, dict[str, Any]]:
        """Export values as text: YAML reads an unquoted ``yes`` / ``no`` key as a boolean, and ``1`` as a number."""

        def text(key: Any) -> str:
            return ("yes" if key else "no") if isinstance(key, bool) else str(key)

        return {name: {text(key): target for key, target in (mapping or {}).items()} for name, mapping in value.items()}

    @field_validator("file")
    @classmethod
    def _relative(cls, value: str) -> str:
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise ValueError("give the file name relative to the client's exports/ folder")
        return value


#: ``${NAME}`` in a warehouse URL: an environment variable, expanded when the table is read
ENV_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class WarehouseExportSettings(_Strict):
    """The usage telemetry kept in a warehouse table rather than exported (only ``exports.usage``).

    ``warehouse`` is an Ibis connection URL (``duckdb:///telemetry.db`` relative to the client folder,
    ``postgres://user:${PGPASSWORD}@host/db``); ``${NAME}`` is read from the environment when the table is read,
    so no secret is written in assessment.yml.  ``columns`` maps canonical usage fields to the table's columns.
    """

    warehouse: str = Field(min_length=1)
    table: str = Field(min_length=1)
    columns: dict[str, str] = {}

    @field_validator("warehouse")
    @classmethod
    def _url_without_secret(cls, value: str) -> str:
        scheme, _, rest = value.partition("://")
        if not scheme or not rest:
            raise ValueError("give an Ibis connection URL, e.g. duckdb:///telemetry.db or postgres://user@host/db")
        login = rest.split("/", 1)[0].rpartition("@")[0]
        password = login.partition(":")[2]
        if password and ENV_VARIABLE.sub("", password):
            raise ValueError("do not write a password in assessment.yml: give it as ${VARIABLE} from the environment")
        return value


def _export_kind(value: Any) -> str:
    """Which kind of export an entry is: a warehouse table (it names ``warehouse``), else files."""
    named = isinstance(value, WarehouseExportSettings) or (isinstance(value, dict) and "warehouse" in value)
    return "WarehouseExportSettings" if named else "export-files"


#: one table's exports: a file (or glob), several, or a warehouse table
ExportEntry = Annotated[
    Annotated[WarehouseExportSettings, Tag("WarehouseExportSettings")]
    | Annotated[ExportSettings | list[ExportSettings], Tag("export-files")],
    Discriminator(_export_kind),
]

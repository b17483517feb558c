"""The formats reference is generated from the schemas and adapters, so it lists every one of them."""

from __future__ import annotations

import subprocess
import sys

from scalegap.canonical import SCHEMAS
from scalegap.formats import formats_markdown
from scalegap.ingest import ADAPTERS
from scalegap.ingest.vocabulary import YES_NO


def test_every_field_format_and_accepted_value_is_listed() -> None:
    text = formats_markdown()
    for table, columns in SCHEMAS.items():
        assert f"(`{table}`)" in text
        for column in columns:
            if column.name != "source":
                assert f"| `{column.name}` |" in text, (table, column.name)
            for value in column.accepted:
                assert f"`{value}`" in text
    for adapter in ADAPTERS.values():
        assert f"- `{adapter.name}`: {adapter.label}" in text
    assert "caller_id.employee_number" in text or "caller_id" in text  # ServiceNow's quirks come along
    for yes, no in YES_NO.values():
        assert all(word in text for word in yes + tuple(word for word in no if word))


def test_synonyms_appear_beside_their_field() -> None:
    line = next(line for line in formats_markdown().splitlines() if line.startswith("| `person_id` | text | yes |"))
    assert "employee id" in line and "staff number" in line and "personnel no" in line


def test_the_command_prints_it() -> None:
    done = subprocess.run([sys.executable, "-m", "scalegap", "formats"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == formats_markdown()

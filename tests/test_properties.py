"""Bad input at scale: exports of every text table, mutated the ways real files break, fed to validation.

Every case either reads with its row accounting intact (rows read = accepted + rejected, against an independent
count of the file's records) or stops with scalegap's own error (one line, exit code 2 at the CLI): never another
exception, never a hang.  A bounded number of examples runs here; ``benchmarks/fuzz_exports.py`` runs many more.
"""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scalegap.client import ClientFolder
from scalegap.errors import ScalegapError
from scalegap.prepare import check
from scalegap.settings import load_settings
from tests.support import tiny_client

EXAMPLES = int(os.environ.get("SCALEGAP_FUZZ_EXAMPLES", "40"))  # benchmarks/fuzz_exports.py raises it
SECONDS_PER_CASE = 20
TABLES = {"roster": "hr.csv", "survey": "survey.csv", "usage": "usage.csv"}
HEADER_ROWS = {"roster": 1, "survey": 3, "usage": 1}


def records_in(raw: bytes, header_rows: int) -> int | None:
    """The file's data records, counted with the csv module on a byte-preserving decoding (None: unparseable)."""
    text = raw.decode("latin-1")
    if text.startswith("\xef\xbb\xbf"):
        text = text[3:]
    dialect = max([",", ";", "\t", "|"], key=lambda d: text.split("\n", 1)[0].count(d))
    try:
        rows = [
            row
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=dialect, strict=True)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error:
        return None
    return max(0, len(rows) - header_rows)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    lines = original.split(b"\n")
    kind = draw(st.sampled_from(["truncate", "duplicate", "bytes", "huge", "columns", "encoding", "dates"]))
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original)))]
    if kind == "duplicate":
        row = draw(st.integers(1, max(1, len(lines) - 2)))
        return b"\n".join(lines[: row + 1] + [lines[row]] * draw(st.integers(1, 5)) + lines[row + 1 :])
    if kind == "bytes":
        position = draw(st.integers(0, max(0, len(original) - 1)))
        return original[:position] + draw(st.binary(min_size=1, max_size=8)) + original[position:]
    if kind == "huge":
        row = draw(st.integers(1, max(1, len(lines) - 2)))
        return b"\n".join(lines[:row] + [lines[row] + b"x" * draw(st.integers(1, 300_000))] + lines[row + 1 :])
    if kind == "columns":  # a header cell dropped, or two swapped
        header = lines[0].split(b",")
        if len(header) > 1:
            i, j = draw(st.integers(0, len(header) - 1)), draw(st.integers(0, len(header) - 1))
            header[i], header[j] = header[j], header[i]
            if draw(st.booleans()):
                header.pop(i)
        return b"\n".join([b",".join(header)] + lines[1:])
    if kind == "encoding":
        return original.decode("utf-8").replace("a", "ä").encode(draw(st.sampled_from(["cp1252", "utf-16"])))
    return original.replace(b"2026-03-02", b"03/02/2026", draw(st.integers(1, 3)))  # mixed date formats


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_mutated_export_reads_with_its_accounting_or_stops_with_one_error(tmp_path: Path, table: str) -> None:
    client = ClientFolder(tiny_client(tmp_path / "client"))
    path = client.exports / TABLES[table]
    original = path.read_bytes()
    options = load_settings(client.assessment, {"validation": {"max_rejected_share": 1.0, "min_linked_share": 0.0}})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(mutated(original))
    def case(raw: bytes) -> None:
        path.write_bytes(raw)
        began = time.monotonic()
        try:
            intake = check(client, options)
        except ScalegapError as error:
            assert error.lines() and all("\n" not in line for line in error.lines())
            return
        finally:
            assert time.monotonic() - began < SECONDS_PER_CASE
        blocking = [
            problem
            for problem in intake.report.problems
            if problem.severity == "blocking" and problem.file and TABLES[table] in problem.file
        ]
        if blocking:
            return  # stopped with one line per problem
        reads = [item for item in intake.report.intakes if item.table == table]
        assert reads, "the export was neither read nor refused"
        for item in reads:
            assert item.rows_read == item.rows_accepted + item.rows_rejected + item.rows_superseded
        expected = records_in(raw, HEADER_ROWS[table])
        if expected is not None and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: not countable so
            assert sum(item.rows_read for item in reads) == expected

    case()

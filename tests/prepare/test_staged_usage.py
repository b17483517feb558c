"""A usage CSV whose rows stay in DuckDB from the file to ``usage.parquet`` is read, linked and de-repeated with
the same rows, reasons, row numbers and link report as the same rows in pandas."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.staged import Stage
from scalegap.ingest.usage import UsageDailyAdapter
from scalegap.ingest.usage_csv import read_columnar
from scalegap.prepare.link import link_tables
from scalegap.prepare.read import FileRead, TableData
from scalegap.settings import ExportSettings, Settings
from tests.prepare.test_people import ROSTER
from tests.support import write

USAGE = (
    "person_id,user_email,date,interactions,active_minutes\n"
    "E1,,2026-03-02,5,12\n"
    ",ANNA.BERG@acme.example,2026-03-02,5,12\n"  # E1 again on the same day, by e-mail: a repeat once linked
    ",ANNA.BERG@acme.example,2026-03-02,5,12\n"  # the same row again: a duplicate of the row above
    "Bo Li,,2026-03-02,1,1\n"  # a name two roster people share: ambiguous
    '"Berg, Anna",,2026-03-03,1,1\n'  # a unique name, family first
    ",x@else.example,2026-03-03,1,1\n"  # nobody
    ",x@else.example,2026-03-03,2,1\n"  # nobody, and a repeat of the row above before linking
    "zoe-m,,2026-03-04,n/a,1\n"
    "zoe-m,,2026-03-31,3,-1\n"
    ",not-an-address,2026-03-04,1,1\n"
    ",,2026-03-04,1,1\n"
    "E3,,,1,1\n"
    "E4,bo.li@acme.example,2026-03-05,2.5,7\n"
    "E2,,2026-03-05,1,1\n"
)


def stacked(path: Path, settings: Settings, stage: Stage) -> TableData:
    result = UsageDailyAdapter().read_into(
        path, ExportSettings(file="u", columns={"email": "user_email"}), settings, stage
    )
    read = FileRead("usage", path.name, result.format, "0" * 64, result.warnings)
    return TableData.stack("usage", [(read, result)])


def test_staged_usage_links_like_the_pandas_path(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", USAGE)
    roster = TableData("roster", (), ROSTER, pd.DataFrame(columns=["source_row", "reason", "column"]))
    stage = Stage()
    staged = stacked(path, template_settings, stage)
    assert staged.staged is not None and staged.accepted.empty and staged.accepted_rows == 8
    in_memory = replace(staged, accepted=staged.staged.frame(), staged=None)
    fast = link_tables({"roster": roster, "usage": staged})["usage"]
    slow = link_tables({"roster": roster, "usage": in_memory})["usage"]
    assert fast.staged is not None and slow.staged is None
    pd.testing.assert_frame_equal(fast.staged.frame(), slow.accepted)
    pd.testing.assert_frame_equal(fast.rejected, slow.rejected)
    assert fast.linking == slow.linking
    assert fast.linking is not None and fast.linking.ambiguous == 1 and fast.linking.unmatched == 1
    assert fast.intake(staged.files[0]) == slow.intake(staged.files[0])
    assert set(fast.rejected["reason"]) >= {
        "repeats the person and day of an earlier row (the first is kept)",
        "duplicate of row 3",
        "person is not in the roster (check the ID or e-mail)",
        "the person's name matches several roster people: map an id or e-mail column instead",
    }
    stage.close()


def test_staged_parquet_is_the_same_bytes_every_time(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", USAGE)
    roster = TableData("roster", (), ROSTER, pd.DataFrame(columns=["source_row", "reason", "column"]))
    written = []
    for run in range(2):
        stage = Stage()
        linked = link_tables({"roster": roster, "usage": stacked(path, template_settings, stage)})["usage"]
        assert linked.staged is not None
        linked.staged.write_parquet(tmp_path / f"usage{run}.parquet")
        written.append((tmp_path / f"usage{run}.parquet").read_bytes())
        stage.close()
    assert written[0] == written[1]
    assert pd.read_parquet(tmp_path / "usage0.parquet")["person_id"].tolist() == ["E1", "E1", "E4", "E2"]


def test_random_files_read_into_duckdb_as_into_pandas(tmp_path: Path, template_settings: Settings) -> None:
    """Seeded fuzz: whenever DuckDB reads a file, its checks in SQL accept and reject as the checks in pandas."""
    rng = random.Random(20261207)
    cells = ["E1", " e2 ", "A@X.example", "bad@", "", "2026-01-02", "02/01/2026", "2026-02-30", "-3", "4", "x", "  "]
    adapter = UsageDailyAdapter()
    export = ExportSettings(file="u", columns={"email": "user_email"})
    compared = 0
    for case in range(40):
        header = ["person_id", "user_email", "date", "interactions", "active_minutes"][: rng.randint(3, 5)]
        lines = [",".join(header)] + [",".join(rng.choice(cells) for _ in header) for _ in range(rng.randint(0, 12))]
        lines += rng.sample(lines[1:], min(2, len(lines) - 1))  # exact repeats of earlier rows
        path = write(tmp_path / f"f{case}.csv", "\n".join(lines) + "\n")
        raw = read_columnar(path)
        if raw is None:
            continue
        try:
            slow = adapter._read_frame(raw, path, export)
        except (InputError, pd.errors.OutOfBoundsDatetime):  # the pandas path refuses the file: so must DuckDB's
            with pytest.raises(type(sys.exc_info()[1])):  # type: ignore[arg-type]
                adapter.read(path, export, template_settings)
            continue
        fast = adapter.read(path, export, template_settings)
        pd.testing.assert_frame_equal(fast.accepted, slow.accepted, check_dtype=False)
        assert fast.rejected.astype(object).values.tolist() == slow.rejected.astype(object).values.tolist()
        assert (fast.rows_read, fast.warnings) == (slow.rows_read, slow.warnings)
        compared += 1
    assert compared > 20


@pytest.mark.parametrize("name", ["usage.xlsx"])
def test_a_workbook_is_read_into_pandas(tmp_path: Path, name: str, template_settings: Settings) -> None:
    frame = pd.DataFrame({"person_id": ["E1"], "date": ["2026-03-02"]})
    frame.to_excel(tmp_path / name, index=False)
    result = UsageDailyAdapter().read_into(tmp_path / name, ExportSettings(file="u"), template_settings, Stage())
    assert result.staged is None and result.accepted["person_id"].tolist() == ["E1"]


def test_several_staged_files_stack_and_link_like_the_pandas_path(tmp_path: Path, template_settings: Settings) -> None:
    """Two files of one usage export: stacked in DuckDB, repeats across files found, counts per file kept."""
    lines = USAGE.splitlines(keepends=True)
    first = write(tmp_path / "b_usage.csv", "".join(lines[:8]))
    second = write(tmp_path / "a_usage.csv", "".join([lines[0], *lines[1:3], *lines[8:]]))
    roster = TableData("roster", (), ROSTER, pd.DataFrame(columns=["source_row", "reason", "column"]))
    stage = Stage()
    export = ExportSettings(file="u", columns={"email": "user_email"})
    reads = []
    for path in (first, second):
        result = UsageDailyAdapter().read_into(path, export, template_settings, stage)
        reads.append((FileRead("usage", path.name, result.format, "0" * 64, result.warnings), result))
    staged = TableData.stack("usage", reads)
    assert staged.staged is not None
    in_memory = TableData.stack("usage", [(read, result.in_memory()) for read, result in reads])
    fast = link_tables({"roster": roster, "usage": staged})["usage"]
    slow = link_tables({"roster": roster, "usage": in_memory})["usage"]
    assert fast.staged is not None
    pd.testing.assert_frame_equal(fast.staged.frame(), slow.accepted)
    pd.testing.assert_frame_equal(fast.rejected, slow.rejected)
    assert fast.linking == slow.linking
    assert [fast.intake(read) for read in fast.files] == [slow.intake(read) for read in slow.files]
    assert "a_usage.csv" in set(fast.rejected["source_file"])
    stage.close()


def test_random_files_link_in_duckdb_as_in_pandas(tmp_path: Path, template_settings: Settings) -> None:
    """Seeded fuzz of the link step: people named by id, e-mail, login or name (ambiguous, unknown, in other
    cases), few days, so that rows repeat before and after linking; DuckDB's search among the suspect rows
    rejects, reports and keeps exactly what pandas does over every row."""
    rng = random.Random(14)
    people = ["E1", " e1", "E2", "Bo Li", "zoe-m", "Stranger", "", '"Berg, Anna"']
    emails = ["anna.berg@acme.example", "ANNA.BERG@acme.example", "bo.li@acme.example", "x@else.example", "", ""]
    roster = TableData("roster", (), ROSTER, pd.DataFrame(columns=["source_row", "reason", "column"]))
    export = ExportSettings(file="u", columns={"email": "user_email"})
    repeats = compared = 0
    for case in range(25):
        header = "person_id,user_email,date,interactions\n"
        lines = [
            f"{rng.choice(people)},{rng.choice(emails)},2026-03-0{rng.randint(1, 3)},{rng.randint(0, 3)}\n"
            for _ in range(rng.randint(1, 30))
        ]
        split = rng.randint(1, len(lines))
        paths = [write(tmp_path / f"c{case}_a.csv", header + "".join(lines[:split]))]
        if rng.random() < 0.5:
            paths.append(write(tmp_path / f"c{case}_b.csv", header + "".join(lines[split:])))
        stage = Stage()
        reads = []
        for path in paths:
            result = UsageDailyAdapter().read_into(path, export, template_settings, stage)
            reads.append((FileRead("usage", path.name, result.format, "0" * 64, result.warnings), result))
        staged = TableData.stack("usage", reads)
        if staged.staged is None:  # a file of no rows is read by the text reader
            stage.close()
            continue
        in_memory = TableData.stack("usage", [(read, result.in_memory()) for read, result in reads])
        fast = link_tables({"roster": roster, "usage": staged})["usage"]
        slow = link_tables({"roster": roster, "usage": in_memory})["usage"]
        assert fast.staged is not None
        # the same values; pandas holds a missing e-mail as None or NaN, depending on the files stacked (as before)
        assert missing_as_none(fast.staged.frame()) == missing_as_none(slow.accepted)
        pd.testing.assert_frame_equal(fast.rejected, slow.rejected)
        assert fast.linking == slow.linking
        assert [fast.intake(read) for read in fast.files] == [slow.intake(read) for read in slow.files]
        repeats += int(slow.rejected["reason"].str.startswith("repeats").sum())
        compared += 1
        stage.close()
    assert compared > 15 and repeats > 20


def missing_as_none(frame: pd.DataFrame) -> tuple[list[str], list[list[object]]]:
    return list(frame.columns), frame.astype(object).where(frame.notna(), None).values.tolist()

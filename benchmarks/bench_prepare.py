"""Benchmark of the prepare step on a large client: adapters, the whole prepare, the activity queries.

Generates (seeded, so every run reads byte-identical files) a client folder with

* ``hr_roster.csv``      60,000 employees;
* ``usage_daily.csv``    1,000,000 person-days (distinct person and day, 180 days, about 0.2 % bad
                         rows: an impossible date, a count that is not a number, someone not in the roster);
* ``survey_qualtrics.csv`` 50,000 responses in Qualtrics' format (BOM, CRLF, three header rows);

then times

1. the ``usage_daily`` adapter as it was (Python's ``csv`` module, every cell parsed on its own: the
   baseline below is a copy of it, kept here and not in the package) and as it is (DuckDB columnar reader,
   each distinct value parsed once), and checks that both give the same accepted and rejected rows;
2. the ``qualtrics_csv`` adapter on the 50,000 responses (measured only);
3. ``scalegap.prepare.prepare`` end to end, on roster + usage and on roster + survey + usage (read, match
   to the roster, write the prepared parquet package and the rejects);
4. the activity queries of :mod:`scalegap.models.activity` on the prepared usage table.

Run from the repository root:  python benchmarks/bench_prepare.py [--repeat 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.ingest import values
from scalegap.ingest.base import IngestResult, RowLedger
from scalegap.ingest.qualtrics import QualtricsAdapter
from scalegap.ingest.text import (
    _SNIFF_BYTES,
    RawTable,
    detect_delimiter,
    detect_encoding,
    refuse_non_text,
    unique_names,
)
from scalegap.ingest.usage import UsageDailyAdapter
from scalegap.models import activity
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import ExportSettings, Settings, load_settings
from scalegap.simulate.instrument import LIKERT_CHOICES, SURVEY_ITEMS
from scalegap.simulate.qualtrics import DATE_FORMAT, header_rows

SEED = 20261125
PEOPLE = 60_000
USAGE_ROWS = 1_000_000
RESPONDENTS = 50_000
DAYS = 180
FIRST_DAY = pd.Timestamp("2026-01-05")
DEPARTMENTS = np.array(["Finance", "Legal", "Sales", "Marketing", "Engineering", "Operations", "HR", "IT"])
LOCATIONS = np.array(["London", "Paris", "Berlin", "Madrid", "Warsaw"])
ROLES = np.array(["Analyst", "Associate", "Manager", "Director", "Specialist"])


# --- the baseline: the usage reader as it was, on Python's csv module ---------------------------------------------


def baseline_read_delimited(path: Path) -> RawTable:
    """``scalegap.ingest.text.read_delimited`` (one header row) before the columnar fast path."""
    raw = path.read_bytes()
    refuse_non_text(path, raw[:_SNIFF_BYTES])
    encoding = detect_encoding(raw[:_SNIFF_BYTES])
    text = raw.decode(encoding, errors="replace")
    delimiter = detect_delimiter(text[:_SNIFF_BYTES])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    numbered = [(number, row) for number, row in enumerate(reader, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError("expected 1 header row(s) but the file has 0 row(s)", file=path)
    header = [cell.strip() for cell in numbered[0][1]]
    records = [record for _, record in numbered]
    width = len(header)
    while width and not header[width - 1] and all(len(r) < width or not r[width - 1] for r in records):
        width -= 1
    malformed, rows = {}, []
    for index, record in enumerate(records[1:]):
        extra = [cell for cell in record[width:] if cell.strip()]
        if extra:
            malformed[index] = (
                f"row has {width + len(extra)} values but the header has {width} columns "
                "(a delimiter inside an unquoted value?)"
            )
        rows.append(record[:width] + [""] * (width - len(record)))
    frame = pd.DataFrame(rows, columns=unique_names(header[:width]), dtype="object")
    numbers = tuple(number for number, _ in numbered[1:])
    return RawTable(path, [header[:width]], frame, 2, encoding, delimiter, malformed, numbers)


class BaselineUsageAdapter(UsageDailyAdapter):
    """The usage adapter as it was: the baseline reader, and each cell parsed on its own."""

    def read(self, path: Path, export: ExportSettings, settings: Settings) -> IngestResult:
        raw = baseline_read_delimited(path)
        columns = self.column_map(raw.header, export, path)
        ledger = RowLedger.of(raw)
        frame = raw.frame
        table = pd.DataFrame(index=frame.index)
        table["person_id"] = values.text(frame[columns["person_id"]]) if "person_id" in columns else None
        if "email" in columns:
            table["email"], bad = values.email(frame[columns["email"]])
            ledger.reject(bad, "value is not an e-mail address", columns["email"])
        else:
            table["email"] = None
        ledger.reject(
            table["person_id"].isna() & table["email"].isna(),
            "no person id or e-mail",
            columns.get("person_id", columns.get("email")),
        )
        table["date"], bad = values.dates(frame[columns["date"]], export.date_format, ledger.notes)
        ledger.reject(bad, "value is not a date", columns["date"])
        ledger.reject(table["date"].isna(), "date is empty", columns["date"])
        for measure in ("interactions", "active_minutes"):
            table[measure] = self._baseline_count(frame, columns, measure, ledger)
        table["source"] = self.name
        return ledger.result(self.table, path, self.name, table)

    @staticmethod
    def _baseline_count(frame: pd.DataFrame, columns: dict[str, str], measure: str, ledger: RowLedger) -> pd.Series:
        if measure not in columns:
            return pd.Series(float("nan"), index=frame.index)
        parsed, bad = values.number(frame[columns[measure]])
        ledger.reject(bad, "value is not a number", columns[measure])
        ledger.reject(parsed < 0, f"{measure} is negative", columns[measure])
        return parsed


# --- seeded exports -----------------------------------------------------------------------------------------------


def write_roster(path: Path, rng: np.random.Generator) -> None:
    ids = np.arange(1, PEOPLE + 1)
    hired = FIRST_DAY - pd.to_timedelta(rng.integers(30, 7000, PEOPLE), unit="D")
    pd.DataFrame(
        {
            "Employee ID": [f"E{n:05d}" for n in ids],
            "Work Email": [f"person{n:05d}@acme.example" for n in ids],
            "Department": rng.choice(DEPARTMENTS, PEOPLE),
            "Job Role": rng.choice(ROLES, PEOPLE),
            "Location": rng.choice(LOCATIONS, PEOPLE),
            "Team": [f"T{n % 400:03d}" for n in ids],
            "Hire Date": hired.strftime("%Y-%m-%d"),
            "AI Pilot": np.where(rng.random(PEOPLE) < 0.05, "Y", "N"),
            "Pilot Volunteer": np.where(rng.random(PEOPLE) < 0.03, "Y", "N"),
        }
    ).to_csv(path, index=False, lineterminator="\n")


def write_usage(path: Path, rng: np.random.Generator) -> None:
    """Distinct (person, day) pairs in date order, like a telemetry export."""
    pairs = np.sort(rng.choice(PEOPLE * DAYS, USAGE_ROWS, replace=False))
    day, person = np.divmod(pairs, PEOPLE)
    emails = np.char.add(np.char.add("person", np.char.zfill((person + 1).astype(str), 5)), "@acme.example")
    dates = (FIRST_DAY + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d").to_numpy(dtype=object)
    interactions = rng.poisson(12, USAGE_ROWS).astype(str).astype(object)
    bad = rng.random(USAGE_ROWS)
    dates[bad < 0.001] = "2026-02-30"
    interactions[(bad >= 0.001) & (bad < 0.0015)] = "n/a"
    emails = emails.astype(object)
    emails[(bad >= 0.0015) & (bad < 0.002)] = "contractor@partner.example"
    pd.DataFrame(
        {
            "user_email": emails,
            "date": dates,
            "interactions": interactions,
            "active_minutes": rng.integers(1, 240, USAGE_ROWS),
        }
    ).to_csv(path, index=False, lineterminator="\n")


def write_qualtrics(path: Path, rng: np.random.Generator) -> None:
    """Qualtrics' three header rows and 50,000 responses (choice text, BOM, CRLF)."""
    start = FIRST_DAY + pd.to_timedelta(rng.integers(0, 14 * 86400, RESPONDENTS), unit="s")
    duration = rng.integers(120, 1800, RESPONDENTS)
    end = start + pd.to_timedelta(duration, unit="s")
    people = rng.choice(PEOPLE, RESPONDENTS, replace=False) + 1
    answers = rng.integers(-1, 5, (RESPONDENTS, len(SURVEY_ITEMS)))  # -1: skipped
    choices = np.array(["", *LIKERT_CHOICES], dtype=object)[answers + 1]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(header_rows())
        for index in range(RESPONDENTS):
            person = people[index]
            writer.writerow(
                [
                    start[index].strftime(DATE_FORMAT),
                    end[index].strftime(DATE_FORMAT),
                    "0",
                    "",
                    "100",
                    str(duration[index]),
                    "True",
                    end[index].strftime(DATE_FORMAT),
                    f"R_{index:08x}",
                    "",
                    "",
                    f"person{person:05d}@acme.example",
                    f"E{person:05d}",
                    "",
                    "",
                    "email",
                    "EN",
                    *choices[index],
                    "It helps, but the data is messy, often." if index % 7 == 0 else "",
                ]
            )


def write_client(root: Path) -> ClientFolder:
    rng = np.random.default_rng(SEED)
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    write_roster(exports / "hr_roster.csv", rng)
    write_usage(exports / "usage_daily.csv", rng)
    write_qualtrics(exports / "survey_qualtrics.csv", rng)
    demo = yaml.safe_load(
        Path(__file__)
        .resolve()
        .parents[1]
        .joinpath("src/scalegap/defaults/demo_assessment.yml")
        .read_text(encoding="utf-8")
    )
    demo["client"] = {"name": "Benchmark client", "assessment_date": "2026-07-31"}
    demo["exports"] = {
        "roster": {**demo["exports"]["roster"], "file": "hr_roster.csv"},
        "survey": demo["exports"]["survey"],
        "usage": demo["exports"]["usage"],
    }
    (root / "assessment.yml").write_text(yaml.safe_dump(demo, sort_keys=False), encoding="utf-8")
    return ClientFolder(root)


# --- timing -------------------------------------------------------------------------------------------------------


def timed(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    """Median wall-clock seconds over ``repeat`` runs, and the last run's result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def same_result(baseline, columnar) -> None:
    """Both usage readings accept and reject the same rows, with the same row numbers and reasons."""
    pd.testing.assert_frame_equal(baseline.accepted, columnar.accepted, check_dtype=False)
    assert baseline.rejected.astype(object).values.tolist() == columnar.rejected.astype(object).values.tolist()
    assert (baseline.rows_read, baseline.warnings) == (columnar.rows_read, columnar.warnings)


def run(workdir: Path, repeat: int) -> list[tuple[str, float, str]]:
    started = time.perf_counter()
    client = write_client(workdir)
    print(f"generated the exports in {time.perf_counter() - started:.1f} s ({workdir})")
    settings: Settings = load_settings(client.assessment)
    usage_path, survey_path = client.exports / "usage_daily.csv", client.exports / "survey_qualtrics.csv"
    usage_export = settings.exports_of("usage")[0]
    rows = []
    baseline_s, baseline = timed(repeat, lambda: BaselineUsageAdapter().read(usage_path, usage_export, settings))
    columnar_s, columnar = timed(repeat, lambda: UsageDailyAdapter().read(usage_path, usage_export, settings))
    same_result(baseline, columnar)
    rows += [
        (
            "usage_daily, 1,000,000 rows: baseline (csv module)",
            baseline_s,
            f"{len(baseline.accepted):,} accepted, {len(baseline.rejected):,} rejected",
        ),
        (
            "usage_daily, 1,000,000 rows: columnar (DuckDB)",
            columnar_s,
            f"same rows; {baseline_s / columnar_s:.1f}x faster",
        ),
    ]
    survey_s, survey = timed(
        repeat, lambda: QualtricsAdapter().read(survey_path, settings.exports_of("survey")[0], settings)
    )
    rows.append(("qualtrics_csv, 50,000 responses", survey_s, f"{len(survey.accepted):,} accepted"))
    without_survey = settings.model_copy(
        update={"exports": {table: entry for table, entry in settings.exports.items() if table != "survey"}}
    )
    usage_only_s, _ = timed(1, lambda: PreparedPackage(prepare(client, without_survey)))
    rows.append(("prepare: roster 60k + usage 1M, end to end", usage_only_s, "read, match, write parquet"))
    prepare_s, package = timed(1, lambda: PreparedPackage(prepare(client, settings)))
    rows.append(
        (
            "prepare: roster 60k + survey 50k + usage 1M, end to end",
            prepare_s,
            f"{len(package.table('usage')):,} usage rows prepared",
        )
    )
    rows += query_timings(package, repeat)
    return rows


def query_timings(package: PreparedPackage, repeat: int) -> list[tuple[str, float, str]]:
    rows = []
    for name, query in (
        ("daily_active_users", activity.daily_active_users),
        ("weekly_active_users", activity.weekly_active_users),
        ("active_days_per_week", activity.active_days_per_week),
        ("first_last_active", activity.first_last_active),
    ):
        for segment in (None, "department"):
            seconds, result = timed(repeat, lambda query=query, segment=segment: query(package, segment))
            rows.append((f"activity.{name}({'department' if segment else ''})", seconds, f"{len(result):,} rows"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the median is shown)")
    parser.add_argument("--workdir", type=Path, help="where to write the client (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="scalegap-bench-"))
    try:
        rows = run(workdir, args.repeat)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{platform.processor() or platform.machine()}, {os_cpus()} CPU(s), Python {platform.python_version()}, "
        f"median of {args.repeat} run(s) (prepare: 1 run)\n"
    )
    print(f"| {'what':<60} | {'seconds':>7} | notes")
    print(f"|{'-' * 62}|{'-' * 9}|{'-' * 40}")
    for what, seconds, notes in rows:
        print(f"| {what:<60} | {seconds:7.2f} | {notes}")


def os_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()

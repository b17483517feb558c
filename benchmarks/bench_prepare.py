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
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
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
from scalegap.vocabulary import MANIFEST

SEED = 20261125
DAYS = 180
USAGE_HEADER = ("user_email", "date", "interactions", "active_minutes")
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


@dataclass(frozen=True)
class Sizes:
    """How large the generated client is."""

    rows: int = 1_000_000
    people: int = 100_000
    responses: int = 100_000

    @property
    def days(self) -> int:
        """180 days, more when the rows would fill more than 60 % of the person-days."""
        return max(DAYS, -(-self.rows * 10 // (self.people * 6)))


def email_of(people: np.ndarray) -> np.ndarray:
    """``person00001@acme.example`` for person 1 (a person's number from 1)."""
    return np.array([f"person{n:05d}@acme.example" for n in people.tolist()], dtype=object)


def write_roster(path: Path, rng: np.random.Generator, people: int) -> None:
    ids = np.arange(1, people + 1)
    hired = FIRST_DAY - pd.to_timedelta(rng.integers(30, 7000, people), unit="D")
    pd.DataFrame(
        {
            "Employee ID": [f"E{n:05d}" for n in ids],
            "Work Email": email_of(ids),
            "Department": rng.choice(DEPARTMENTS, people),
            "Job Role": rng.choice(ROLES, people),
            "Location": rng.choice(LOCATIONS, people),
            "Team": [f"T{n % 400:03d}" for n in ids],
            "Hire Date": hired.strftime("%Y-%m-%d"),
            "AI Pilot": np.where(rng.random(people) < 0.05, "Y", "N"),
            "Pilot Volunteer": np.where(rng.random(people) < 0.03, "Y", "N"),
        }
    ).to_csv(path, index=False, lineterminator="\n")


def write_usage(path: Path, rng: np.random.Generator, sizes: Sizes) -> None:
    """Distinct (person, day) pairs in date order, like a telemetry export, written a day at a time.

    Each day's row count is drawn from the hypergeometric distribution of the rows still to place, so the
    file has exactly ``sizes.rows`` rows without ever holding more than a day of them.
    """
    emails = email_of(np.arange(1, sizes.people + 1))
    numbers = np.array([str(n) for n in range(1000)], dtype=object)
    schema = pa.schema([(name, pa.string()) for name in USAGE_HEADER])
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none", eol="\n")
    left = sizes.rows
    with path.open("wb") as handle:
        handle.write((",".join(USAGE_HEADER) + "\n").encode())
        with pa_csv.CSVWriter(handle, schema, write_options=options) as writer:
            for day in range(sizes.days):
                others = sizes.people * (sizes.days - day) - left  # person-days still free that stay empty
                count = int(rng.hypergeometric(left, others, sizes.people)) if left else 0
                left -= count
                person = np.sort(rng.choice(sizes.people, count, replace=False))
                date = (FIRST_DAY + pd.Timedelta(days=day)).strftime("%Y-%m-%d")
                dates = np.full(count, date, dtype=object)
                interactions = numbers[np.minimum(rng.poisson(12, count), 999)]
                minutes = numbers[rng.integers(1, 240, count)]
                bad = rng.random(count)
                dates[bad < 0.001] = "2026-02-30"
                interactions[(bad >= 0.001) & (bad < 0.0015)] = "n/a"
                who = emails[person]
                who[(bad >= 0.0015) & (bad < 0.002)] = "contractor@partner.example"
                columns = [pa.array(column, type=pa.string()) for column in (who, dates, interactions, minutes)]
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))


def write_qualtrics(path: Path, rng: np.random.Generator, sizes: Sizes) -> None:
    """Qualtrics' three header rows and the responses (choice text, BOM, CRLF), one per person at most."""
    responses = min(sizes.responses, sizes.people)
    start = FIRST_DAY + pd.to_timedelta(rng.integers(0, 14 * 86400, responses), unit="s")
    duration = rng.integers(120, 1800, responses)
    end = start + pd.to_timedelta(duration, unit="s")
    people = rng.choice(sizes.people, responses, replace=False) + 1
    answers = rng.integers(-1, 5, (responses, len(SURVEY_ITEMS)))  # -1: skipped
    choices = np.array(["", *LIKERT_CHOICES], dtype=object)[answers + 1]
    started, ended = start.strftime(DATE_FORMAT), end.strftime(DATE_FORMAT)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(header_rows())
        for index in range(responses):
            person = people[index]
            writer.writerow(
                [
                    started[index],
                    ended[index],
                    "0",
                    "",
                    "100",
                    str(duration[index]),
                    "True",
                    ended[index],
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


def write_client(root: Path, sizes: Sizes) -> ClientFolder:
    rng = np.random.default_rng(SEED)
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    write_roster(exports / "hr_roster.csv", rng, sizes.people)
    write_usage(exports / "usage_daily.csv", rng, sizes)
    write_qualtrics(exports / "survey_qualtrics.csv", rng, sizes)
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


def only(settings: Settings, tables: tuple[str, ...]) -> Settings:
    """The settings with only these exports configured."""
    return settings.model_copy(
        update={"exports": {table: entry for table, entry in settings.exports.items() if table in tables}}
    )


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


# --- the measurements that run in a process of their own (their peak memory is theirs alone) -----------------------


def duckdb_scan(path: Path) -> dict[str, object]:
    """DuckDB alone reading every cell of the usage CSV (as text, as prepare must) and aggregating each column."""
    query = (
        "SELECT count(*), max(user_email), max(date), max(interactions), max(active_minutes) "
        "FROM read_csv($path, header = true, all_varchar = true)"
    )
    with duckdb.connect() as connection:
        rows = connection.sql(query, params={"path": str(path)}).fetchall()[0]
    return {"rows": rows[0] if rows else 0}


def prepare_tables(root: Path, tables: tuple[str, ...]) -> dict[str, object]:
    client = ClientFolder(root)
    folder = prepare(client, only(load_settings(client.assessment), tables))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return {"inputs": manifest["inputs"]}


def child(task: str, root: Path, tables: tuple[str, ...]) -> None:
    """Run one measurement and print its seconds (imports not counted) and result as JSON."""
    started = time.perf_counter()
    result = duckdb_scan(root / "exports" / "usage_daily.csv") if task == "scan" else prepare_tables(root, tables)
    print(json.dumps({"seconds": time.perf_counter() - started, **result}))


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_gb: float
    result: dict[str, object]


def in_child(task: str, root: Path, tables: tuple[str, ...] = ()) -> Measured:
    """``task`` in a fresh Python process; its seconds, and its peak resident memory (max RSS, from wait4)."""
    command = [sys.executable, __file__, "--child", task, "--workdir", str(root), "--tables", *tables]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{task} {' '.join(tables)} failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    return Measured(float(result.pop("seconds")), usage.ru_maxrss * 1024 / 1e9, result)


def accepted_rows(measured: Measured, table: str) -> int:
    inputs = measured.result["inputs"]
    assert isinstance(inputs, list)
    return sum(int(entry["rows_accepted"]) for entry in inputs if entry["table"] == table)


# --- the report ---------------------------------------------------------------------------------------------------

Row = tuple[str, float, str]


def targets(root: Path, sizes: Sizes) -> tuple[list[Row], list[str]]:
    """Issue #14's targets: prepare against DuckDB's scan, its peak memory, and the roster + survey prepare."""
    scan = in_child("scan", root)
    usage = in_child("prepare", root, ("roster", "usage"))
    survey = in_child("prepare", root, ("roster", "survey"))
    everything = in_child("prepare", root, ("roster", "survey", "usage"))
    ratio = usage.seconds / scan.seconds
    rows: list[Row] = [
        (f"DuckDB alone: scan of usage_daily.csv ({sizes.rows:,} rows)", scan.seconds, f"peak {scan.peak_gb:.2f} GB"),
        (
            f"prepare: roster {sizes.people:,} + usage {sizes.rows:,}",
            usage.seconds,
            f"{accepted_rows(usage, 'usage'):,} usage rows prepared; peak {usage.peak_gb:.2f} GB",
        ),
        (
            f"prepare: roster {sizes.people:,} + survey {accepted_rows(survey, 'survey'):,}",
            survey.seconds,
            f"peak {survey.peak_gb:.2f} GB",
        ),
        (
            "prepare: roster + survey + usage",
            everything.seconds,
            f"peak {everything.peak_gb:.2f} GB",
        ),
    ]
    verdicts = [
        verdict(f"prepare (roster + usage) / DuckDB scan = {ratio:.2f} (target: at most 3)", ratio <= 3),
        verdict(f"prepare (roster + usage) peak memory {usage.peak_gb:.2f} GB (target: under 2 GB)", usage.peak_gb < 2),
        verdict(f"prepare (roster + survey) {survey.seconds:.1f} s (target: under 60 s)", survey.seconds < 60),
    ]
    return rows, verdicts


def verdict(text: str, held: bool) -> str:
    return f"{'PASS' if held else 'MISS'}  {text}"


def adapters(client: ClientFolder, repeat: int, sizes: Sizes) -> list[Row]:
    """The usage adapter against its csv-module baseline (same rows checked), and the Qualtrics adapter."""
    settings: Settings = load_settings(client.assessment)
    usage_path, survey_path = client.exports / "usage_daily.csv", client.exports / "survey_qualtrics.csv"
    usage_export = settings.exports_of("usage")[0]
    baseline_s, baseline = timed(repeat, lambda: BaselineUsageAdapter().read(usage_path, usage_export, settings))
    columnar_s, columnar = timed(repeat, lambda: UsageDailyAdapter().read(usage_path, usage_export, settings))
    same_result(baseline, columnar)
    survey_s, survey = timed(
        repeat, lambda: QualtricsAdapter().read(survey_path, settings.exports_of("survey")[0], settings)
    )
    return [
        (
            f"usage_daily, {sizes.rows:,} rows: baseline (csv module)",
            baseline_s,
            f"{len(baseline.accepted):,} accepted, {len(baseline.rejected):,} rejected",
        ),
        (
            f"usage_daily, {sizes.rows:,} rows: columnar (DuckDB)",
            columnar_s,
            f"same rows; {baseline_s / columnar_s:.1f}x faster",
        ),
        (f"qualtrics_csv, {len(survey.accepted):,} responses", survey_s, f"{len(survey.accepted):,} accepted"),
    ]


def query_timings(package: PreparedPackage, repeat: int) -> list[Row]:
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


def run(workdir: Path, repeat: int, sizes: Sizes, baseline: bool) -> tuple[list[Row], list[str]]:
    started = time.perf_counter()
    client = write_client(workdir, sizes)
    size = (client.exports / "usage_daily.csv").stat().st_size / 1e6
    print(f"generated the exports in {time.perf_counter() - started:.1f} s ({workdir}; usage {size:,.0f} MB)")
    rows, verdicts = targets(workdir, sizes)
    if baseline:
        rows += adapters(client, repeat, sizes)
    rows += query_timings(PreparedPackage(client.prepared), repeat)
    return rows, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=Sizes.rows, help="usage rows (default %(default)s)")
    parser.add_argument("--people", type=int, default=Sizes.people, help="roster people (default %(default)s)")
    parser.add_argument("--responses", type=int, default=Sizes.responses, help="survey responses (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per in-process timing (the median is shown)")
    parser.add_argument("--workdir", type=Path, help="where to write the client (default: a temporary folder)")
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        help="time the usage adapter against its csv-module baseline (default: up to 2,000,000 rows)",
    )
    parser.add_argument("--child", choices=("scan", "prepare"), help=argparse.SUPPRESS)
    parser.add_argument("--tables", nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workdir, tuple(args.tables))
        return
    sizes = Sizes(args.rows, args.people, args.responses)
    baseline = args.baseline if args.baseline is not None else sizes.rows <= 2_000_000
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="scalegap-bench-"))
    try:
        rows, verdicts = run(workdir, args.repeat, sizes, baseline)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{platform.machine()}, {os_cpus()} CPU(s), {memory_gb():.0f} GB RAM, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, pyarrow {pa.__version__}, DuckDB {duckdb.__version__}; "
        f"median of {args.repeat} run(s) in process, 1 run in a child process each for DuckDB's scan and prepare\n"
    )
    print(f"| {'what':<60} | {'seconds':>7} | notes")
    print(f"|{'-' * 62}|{'-' * 9}|{'-' * 40}")
    for what, seconds, notes in rows:
        print(f"| {what:<60} | {seconds:7.2f} | {notes}")
    print()
    for line in verdicts:
        print(line)


def os_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError, AttributeError):
        return float("nan")


if __name__ == "__main__":
    main()

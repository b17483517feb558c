"""Build the demo client's book once per optional table removed, and once per optional table made empty.

`make test` runs the two harshest cases (every optional table removed; every one header-only) on a small
client.  This script runs the fourteen single-table cases on the full demo client, where the other tables are
present, and checks each book as the test does: exit code 0, the notice on every chapter that needs the table,
and results.json strict JSON.  About 20 minutes on 2 cores:

    .venv/bin/python scripts/check_degraded_books.py [--only usage] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.test_degraded_books import HEADER_ONLY, NOT_ASSESSED, OPTIONAL  # noqa: E402


def demo_client(folder: Path) -> Path:
    from scalegap.demo import create_demo_client

    create_demo_client(folder, None)
    return folder


#: header rows of the formats that have more than one
HEADER_ROWS = {"qualtrics_csv": 3, "qualtrics_legacy_csv": 2, "surveymonkey": 2}


def without(client: Path, table: str, empty: bool) -> None:
    """Remove the table's export from assessment.yml, or cut each of its files to its header rows."""
    settings_path = client / "assessment.yml"
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    entry = settings.get("exports", {}).pop(table, None)
    if empty and entry is not None:
        settings["exports"][table] = entry
        for item in entry if isinstance(entry, list) else [entry]:
            files = sorted((client / "exports").glob(item["file"]))
            for extra in files[1:]:
                extra.unlink()
            header_only(files[0], HEADER_ROWS.get(item.get("format"), 1), table)
    elif empty:  # a table the demo has no export of: a header-only file of the test's
        file, fmt, content = HEADER_ONLY[table]
        (client / "exports" / file).write_text(content, encoding="utf-8")
        settings["exports"][table] = {"file": file, "format": fmt}
    settings_path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


def header_only(path: Path, rows: int, table: str) -> None:
    """The file with its header rows and no data row (a workbook keeps its first sheet's header row)."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        sheet.delete_rows(2, sheet.max_row)
        book.save(path)
    elif path.suffix.lower() in {".yml", ".yaml", ".json"}:
        path.write_text(HEADER_ONLY[table][2], encoding="utf-8")
    else:
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        path.write_text("".join(lines[:rows]), encoding="utf-8")


def check_book(client: Path, table: str) -> list[str]:
    """What is wrong with the book built without ``table`` (nothing: an empty list)."""
    problems = []
    results = client / "_build" / "results.json"
    try:
        json.loads(
            results.read_text(encoding="utf-8"), parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name))
        )
    except (OSError, ValueError) as error:
        problems.append(f"results.json is not strict JSON: {error}")
    for page, (_, tables) in NOT_ASSESSED.items():
        if table not in tables or page == "00_summary":
            continue
        text = (client / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")
        if "assessed" not in text or f"exports.{table}" not in text:
            problems.append(f"{page} does not say that the {table} table is missing and how to supply it")
    return problems


def run_case(base: Path, table: str, empty: bool) -> tuple[bool, str, float]:
    client = base / f"{'empty' if empty else 'without'}-{table}"
    shutil.copytree(base / "demo", client)
    without(client, table, empty)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scalegap", "run", str(client)], capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode:
        return False, (done.stderr or done.stdout).strip().splitlines()[-1], seconds
    problems = check_book(client, table)
    return not problems, "; ".join(problems) or "book built, every affected page says why", seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=OPTIONAL, action="append")
    parser.add_argument("--keep", type=Path, help="build the books here and keep them")
    arguments = parser.parse_args()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="degraded-"))
    demo_client(base / "demo")
    failed = 0
    for table in arguments.only or OPTIONAL:
        for empty in (False, True):
            ok, what, seconds = run_case(base, table, empty)
            failed += not ok
            print(
                f"{'ok  ' if ok else 'FAIL'} {'empty' if empty else 'removed':8} {table:11} {seconds:6.1f} s  {what}",
                flush=True,
            )
    if not arguments.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

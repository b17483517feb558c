"""The CLI as a user meets it: real subprocesses, exit codes, one-line errors."""

import subprocess
import sys
from pathlib import Path

from tests.support import tiny_client, write


def scalegap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scalegap", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_init_creates_a_client_folder_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    done = scalegap("init", str(target), "--client-name", 'Acme\'s "Best" Ltd')
    assert done.returncode == 0, done.stderr
    assert (target / "exports").is_dir() and (target / "notes").is_dir()
    assert (target / "exports" / "governance_checklist.yml").is_file()
    config = scalegap("config", str(target))
    assert config.returncode == 0 and 'Acme\'s "Best" Ltd' in config.stdout
    assert_one_line_error(scalegap("init", str(target)), "already has an assessment.yml")


def test_validate_prints_the_accounting_and_exits_0_when_nothing_blocks(tmp_path: Path) -> None:
    done = scalegap("validate", str(tiny_client(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "survey.csv" in done.stdout and "nothing blocks the assessment" in done.stdout
    assert "not on the 5-point scale" in done.stdout


def test_validate_exits_2_when_something_blocks(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    write(client / "exports" / "survey.csv", "")
    done = scalegap("validate", str(client))
    assert done.returncode == 2
    assert "blocking: exports/survey.csv" in done.stdout.replace("\n", " ") or "the file is empty" in done.stdout


def test_a_misspelled_setting_is_one_line_with_exit_2(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    write(client / "assessment.yml", (client / "assessment.yml").read_text() + "privcy: {min_group_size: 5}\n")
    assert_one_line_error(scalegap("run", str(client)), "unknown setting 'privcy'", "did you mean 'privacy'")


def test_a_missing_client_folder_is_one_line_with_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(scalegap("run", str(tmp_path / "nowhere")), "client folder not found", "scalegap init")


def test_a_bad_override_is_one_line_with_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(
        scalegap("config", str(tiny_client(tmp_path)), "--set", "privacy.min_group_size=1"), "privacy.min_group_size"
    )


def test_demo_takes_set_overrides_and_names_a_bad_one(tmp_path: Path) -> None:
    done = scalegap("demo", str(tmp_path / "demo"), "--set", "execution.workers=0")
    assert_one_line_error(done, "execution.workers")
    assert (tmp_path / "demo" / "assessment.yml").is_file()  # the example client is written before the run


def test_a_missing_logo_is_one_line_with_exit_2_before_anything_runs(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    write(client / "assessment.yml", (client / "assessment.yml").read_text() + "branding: {logo: brand/logo.png}\n")
    for command in ("validate", "run"):
        done = scalegap(command, str(client))
        assert_one_line_error(done, str(client / "brand" / "logo.png"), "branding.logo")
    assert not (client / "_build").exists() and not list(client.glob("_build.partial-*"))


def test_validate_reads_usage_from_a_warehouse_table_and_a_wrong_table_is_one_line(tmp_path: Path) -> None:
    from tests.prepare.test_warehouse_usage import duckdb_warehouse, warehouse_client

    client = warehouse_client(tmp_path / "ok", "duckdb:///warehouse.duckdb", "telemetry.events")
    duckdb_warehouse(client.root / "warehouse.duckdb")
    done = scalegap("validate", str(client.root))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "telemetry.events in duckdb:///warehouse.duckdb" in " ".join(done.stdout.split())
    assert "merged: usage: 2 rows summed into the accepted person-days" in done.stdout
    wrong = warehouse_client(tmp_path / "wrong", "duckdb:///warehouse.duckdb", "telemetry.evnts")
    duckdb_warehouse(wrong.root / "warehouse.duckdb")
    assert_one_line_error(scalegap("run", str(wrong.root)), "exports.usage.table", "telemetry.evnts")

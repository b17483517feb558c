"""Blocking means blocking: each rule stops `validate` and `run` with exit code 2 and one line per problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import tiny_client, write


def scalegap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scalegap", *args], capture_output=True, text=True, timeout=120)


def blocking_lines(client: Path) -> list[str]:
    """`validate`'s blocking lines (it must exit 2), after checking `run` stops with them too, one line each."""
    validate = scalegap("validate", str(client))
    assert validate.returncode == 2, validate.stdout
    lines = [line for line in validate.stdout.splitlines() if line.startswith("blocking:")]
    run = scalegap("run", str(client))
    assert run.returncode == 2 and "Traceback" not in run.stderr + run.stdout
    assert len(run.stderr.strip().splitlines()) == len(lines), run.stderr
    assert not (client / "_build" / "prepared").exists()
    return lines


def settings_with(client: Path, text: str) -> None:
    write(client / "assessment.yml", (client / "assessment.yml").read_text() + text)


def share_setting(client: Path, share: float) -> None:
    text = (client / "assessment.yml").read_text()
    write(
        client / "assessment.yml",
        text.replace("max_rejected_share: 0.5", f"max_rejected_share: {share}").replace(
            "max_rejected_share: 0.2", f"max_rejected_share: {share}"
        ),
    )


def roster_with_pilot(client: Path, pilot: list[str]) -> None:
    lines = ["Employee ID,Email,Department,Pilot"] + [
        f"E{n},p{n}@acme.example,{'Finance' if n <= 8 else 'Legal'},{flag}" for n, flag in enumerate(pilot, start=1)
    ]
    write(client / "exports" / "hr.csv", "\n".join(lines) + "\n")


def test_a_table_losing_too_many_rows_blocks_and_names_the_values(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    roster_with_pilot(client, ["Pilotgruppe"] * 3 + ["Kein Pilot"] * 9)  # 12 of 12 unreadable: the 93 % case
    lines = blocking_lines(client)
    assert any("the roster table has no usable rows" in line for line in lines), lines
    assert any('"Pilotgruppe": yes|no' in line for line in lines), lines


def test_a_share_above_the_setting_blocks_and_below_it_warns(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    roster_with_pilot(client, ["Y", "Y", "Y", "N", "N", "N", "N", "N", "N", "maybe", "maybe", "maybe"])
    share_setting(client, 0.2)
    lines = blocking_lines(client)  # 3 of 12 = 25 % > 20 %
    assert any("would lose 3 of its 12 rows (25%)" in line and "max_rejected_share (20%)" in line for line in lines)
    share_setting(client, 0.45)  # above the tiny usage table's planted 2 of 5 too
    assert scalegap("validate", str(client)).returncode == 0


def test_a_mapped_column_absent_from_the_file_blocks_with_every_missing_column(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    text = (
        (client / "assessment.yml")
        .read_text()
        .replace("roster: {file: hr.csv}", "roster: {file: hr.csv, columns: {team: Team, location: Standort}}")
    )
    write(client / "assessment.yml", text)
    lines = blocking_lines(client)
    assert any("mapped column 'Team' is not in the file" in line for line in lines)
    assert any("mapped column 'Standort' is not in the file" in line for line in lines)


def test_every_missing_survey_column_is_reported(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    settings_with(client, "survey:\n  constructs:\n    usefulness: {items: [Q1_1, Q1_2, Q9_1, Q9_2, Q9_3]}\n")
    lines = blocking_lines(client)
    assert sum("required column 'Q9_" in line for line in lines) == 3, lines


def test_answers_off_the_declared_scale_block_and_name_the_labels(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    rows = (client / "exports" / "survey.csv").read_text().splitlines()
    extra = [
        f"2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,True,2026-03-02 10:{n:02d}:00,R_{10 + n},,E{n % 12 + 1},"
        "Somewhat agree,Somewhat disagree"
        for n in range(12)
    ]
    write(client / "exports" / "survey.csv", "\r\n".join(rows + extra) + "\r\n")
    share_setting(client, 1)
    lines = blocking_lines(client)
    assert any("not on the 5-point scale" in line and "'Somewhat agree'" in line for line in lines), lines


@pytest.mark.parametrize("flag, what", [("N", "no one"), ("Y", "all 12 people")])
def test_a_pilot_flag_marking_no_one_or_everyone_blocks(tmp_path: Path, flag: str, what: str) -> None:
    client = tiny_client(tmp_path)
    roster_with_pilot(client, [flag] * 12)
    lines = blocking_lines(client)
    assert any(f"pilot flag marks {what} as pilot members" in line for line in lines), lines


def test_a_table_a_chapter_needs_ending_up_empty_blocks(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    write(
        client / "exports" / "usage.csv",
        "email,date,interactions\nx@elsewhere.example,2026-03-02,1\ny@elsewhere.example,2026-03-02,1\n",
    )
    lines = blocking_lines(client)
    assert any("the usage table has no usable rows" in line for line in lines), lines


def test_tickets_that_mostly_do_not_link_to_the_roster_block(tmp_path: Path) -> None:
    client = tiny_client(tmp_path)
    write(
        client / "exports" / "tickets.csv",
        "ticket_id,reporter,created_at,channel\n"
        "T1,p1@acme.example,2026-03-02,desk\nT2,Jane Doe,2026-03-02,desk\nT3,John Roe,2026-03-03,desk\n",
    )
    text = (
        (client / "assessment.yml")
        .read_text()
        .replace(
            "  usage: {file: usage.csv}",
            "  usage: {file: usage.csv}\n  tickets: {file: tickets.csv, format: tickets_generic, "
            "columns: {person_id: reporter}, values: {channel: {desk: service_desk}}}",
        )
    )
    write(client / "assessment.yml", text)
    lines = blocking_lines(client)
    assert any("only 1 of the tickets table's 3 rows (33%) link to roster people" in line for line in lines), lines


def test_an_export_whose_rows_are_all_duplicated_blocks(tmp_path: Path) -> None:
    """410 ticket rows, 205 unique, once doubled the support projection; now the duplicates are rejected."""
    client = tiny_client(tmp_path)
    rows = [f"T{n},p{n % 12 + 1}@acme.example,2026-03-0{n % 5 + 2},desk" for n in range(10)]
    write(client / "exports" / "tickets.csv", "ticket_id,reporter,created_at,channel\n" + "\n".join(rows * 2) + "\n")
    text = (
        (client / "assessment.yml")
        .read_text()
        .replace(
            "  usage: {file: usage.csv}",
            "  usage: {file: usage.csv}\n  tickets: {file: tickets.csv, format: tickets_generic, "
            "columns: {person_id: reporter}, values: {channel: {desk: service_desk}}}",
        )
    )
    write(client / "assessment.yml", text)
    share_setting(client, 0.2)
    lines = blocking_lines(client)
    assert any(
        "the tickets table would lose 10 of its 20 rows (50%)" in line
        and "duplicate of an earlier row (10 rows" in line
        for line in lines
    ), lines

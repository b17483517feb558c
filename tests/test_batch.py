"""Several clients at once: which folders are named, how the cores are shared out, the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalegap.batch import (
    ClientRun,
    client_dirs,
    ended_run,
    exit_code,
    read_outcome,
    shares,
    with_workers,
    write_outcome,
)


def test_globs_name_the_folders_they_match_in_order_each_once(tmp_path: Path, monkeypatch) -> None:
    for name in ("acme", "beta", "gamma"):
        (tmp_path / "clients" / name).mkdir(parents=True)
    (tmp_path / "clients" / "README.md").write_text("not a client")
    monkeypatch.chdir(tmp_path)
    assert client_dirs(["clients/*"]) == [Path("clients/acme"), Path("clients/beta"), Path("clients/gamma")]
    assert client_dirs(["clients/gamma", "clients/[ab]*", "clients/gamma/"]) == [
        Path("clients/gamma"),
        Path("clients/acme"),
        Path("clients/beta"),
    ]
    # a pattern that matches nothing stays as it is: the run then says the folder is not found
    assert client_dirs(["elsewhere/*", "clients/acme"]) == [Path("elsewhere/*"), Path("clients/acme")]


def test_a_folder_whose_name_looks_like_a_glob_is_that_folder(tmp_path: Path) -> None:
    (tmp_path / "acme[1]").mkdir()
    (tmp_path / "acme1").mkdir()
    assert client_dirs([tmp_path / "acme[1]"]) == [tmp_path / "acme[1]"]


@pytest.mark.parametrize(
    "clients, cores, jobs, expected",
    [
        (1, 8, None, (1, 4)),  # at most what one client alone would have
        (2, 8, None, (2, 4)),
        (2, 2, None, (2, 1)),
        (3, 8, None, (3, 2)),
        (10, 4, None, (4, 1)),
        (10, 16, 4, (4, 4)),
        (10, 8, 2, (2, 4)),
        (2, 1, None, (1, 1)),
        (3, 2, 5, (3, 1)),
    ],
)
def test_clients_at_once_times_chapter_workers_stays_within_the_cores(
    clients: int, cores: int, jobs: int | None, expected: tuple[int, int]
) -> None:
    assert shares(clients, cores, jobs) == expected


def run(status: str, code: int) -> ClientRun:
    return ClientRun(Path("client"), status, 1.0, code)


def test_the_exit_code_says_whether_any_failed_and_how() -> None:
    assert exit_code([run("built", 0), run("reused", 0)]) == 0
    assert exit_code([run("built", 0), run("failed", 2)]) == 2  # on its input or settings
    assert exit_code([run("failed", 2), run("failed", 1)]) == 1  # an internal error
    assert exit_code([run("built", 0), run("interrupted", 130)]) == 1


def test_the_outcome_a_run_writes_is_read_back_and_a_missing_one_is_none(tmp_path: Path) -> None:
    write_outcome(tmp_path / "1.json", "failed", ["input error: hr.csv: no column 'Email'"])
    assert read_outcome(tmp_path / "1.json") == ("failed", ("input error: hr.csv: no column 'Email'",))
    assert read_outcome(tmp_path / "2.json") is None


def test_how_a_run_ended_is_what_it_wrote_when_its_exit_code_agrees(tmp_path: Path) -> None:
    """Locally and on a Dask worker alike: the outcome the child wrote, else its last line, else a signal."""
    told, log = tmp_path / "told.json", tmp_path / "_run.log"
    write_outcome(told, "reused")
    assert ended_run(Path("a"), 0, 2.0, told, "", log) == ClientRun(Path("a"), "reused", 2.0, 0, (), log)
    write_outcome(told, "failed", ["input error: hr.csv: no column 'Email'"])
    failed = ended_run(Path("a"), 2, 1.0, told, "the last line", None)
    assert (failed.status, failed.reasons) == ("failed", ("input error: hr.csv: no column 'Email'",))
    silent = ended_run(Path("a"), 1, 1.0, tmp_path / "none.json", "MemoryError", None)  # it could not say
    assert (silent.status, silent.reasons) == ("failed", ("MemoryError",))
    assert ended_run(Path("a"), -9, 1.0, tmp_path / "none.json", "", None).reasons == ("stopped by signal 9",)
    assert ended_run(Path("a"), 143, 1.0, told, "", None).status == "interrupted"
    assert ended_run(Path("a"), 1, 1.0, told, "", None, interrupted=True).status == "interrupted"


def test_the_chapter_workers_are_set_unless_the_user_set_them() -> None:
    assert with_workers(["--keep=1"], 2) == ["--set=execution.workers=2", "--keep=1"]
    assert with_workers(["--set=execution.workers=3"], 2) == ["--set=execution.workers=3"]

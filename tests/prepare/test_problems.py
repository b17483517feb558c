from pathlib import Path

import pandas as pd

from scalegap.client import ClientFolder
from scalegap.prepare import check
from scalegap.settings import load_settings
from tests.support import tiny_client


def checked(tmp_path: Path):
    client = ClientFolder(tiny_client(tmp_path))
    return check(client, load_settings(client.assessment))


def test_respondents_are_matched_by_id_then_email_and_unmatched_ones_are_kept(tmp_path: Path) -> None:
    survey = checked(tmp_path).tables["survey"].accepted.set_index("response_id")
    assert survey.loc["R_1", ["person_id", "matched_by"]].tolist() == ["E1", "person_id"]
    assert survey.loc["R_2", ["person_id", "matched_by"]].tolist() == ["E2", "email"]
    assert survey.loc["R_3", "matched_by"] == "unmatched" and pd.isna(survey.loc["R_3", "person_id"])


def test_of_two_responses_by_one_person_the_later_is_kept(tmp_path: Path) -> None:
    result = checked(tmp_path).tables["survey"]
    assert "R_5" in set(result.accepted["response_id"]) and "R_4" not in set(result.accepted["response_id"])
    superseded = result.rejected[result.rejected["reason"].str.startswith("superseded")]
    assert superseded["source_row"].tolist() == [7]


def test_row_accounting_holds_for_every_table_after_matching(tmp_path: Path) -> None:
    intake = checked(tmp_path)
    for data in intake.tables.values():
        for read in data.files:
            counts = data.intake(read)
            assert counts.rows_read == counts.rows_accepted + counts.rows_rejected
    assert {i.table: (i.rows_read, i.rows_accepted, i.rows_rejected) for i in intake.report.intakes} == {
        "roster": (12, 12, 0),
        "survey": (6, 4, 2),
        "usage": (5, 3, 2),
    }


def test_usage_of_people_not_in_the_roster_and_repeated_days_are_rejected(tmp_path: Path) -> None:
    rejected = checked(tmp_path).tables["usage"].rejected
    assert sorted(rejected["reason"]) == ["duplicate of row 2", "person is not in the roster (check the ID or e-mail)"]


def test_the_report_has_warnings_and_nothing_blocking(tmp_path: Path) -> None:
    report = checked(tmp_path).report
    assert report.ok
    lines = [problem.one_line() for problem in report.problems]
    assert any("not on the 5-point scale" in line and "row 9" in line for line in lines)
    assert any("1 survey respondent(s) are not in the roster" in line for line in lines)


def test_a_missing_export_file_blocks(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    (client.exports / "usage.csv").unlink()
    report = check(client, load_settings(client.assessment)).report
    assert not report.ok
    assert "export file not found" in report.blocking[0].one_line()

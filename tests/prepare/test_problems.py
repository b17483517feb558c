from pathlib import Path

import pandas as pd

from scalegap.client import ClientFolder
from scalegap.prepare import check
from scalegap.settings import load_settings
from tests.support import tiny_client, with_weekly_seat_reports


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
            assert counts.rows_read == counts.rows_accepted + counts.rows_superseded + counts.rows_rejected
    counted = {
        i.table: (i.rows_read, i.rows_accepted, i.rows_superseded, i.rows_rejected) for i in intake.report.intakes
    }
    assert counted == {
        "roster": (12, 12, 0, 0),
        "survey": (6, 4, 1, 1),  # the earlier of one person's two responses is superseded, not rejected
        "usage": (5, 3, 0, 2),
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


def test_earlier_licence_reports_are_superseded_not_rejected(tmp_path: Path) -> None:
    client = ClientFolder(with_weekly_seat_reports(tiny_client(tmp_path), weeks=3))
    intake = check(client, load_settings(client.assessment))
    seats = [i for i in intake.report.intakes if i.table == "seats"]
    assert [(i.rows_read, i.rows_accepted, i.rows_superseded, i.rows_rejected) for i in seats] == [
        (3, 0, 3, 0),
        (3, 0, 3, 0),
        (4, 3, 0, 1),  # the latest report: its 3 licences kept, the person not in the roster rejected
    ]
    for counts in intake.report.intakes:
        assert counts.rows_read == counts.rows_accepted + counts.rows_superseded + counts.rows_rejected
    lines = [problem.one_line() for problem in intake.report.problems]
    assert any("6 row(s) superseded in 2 files" in line for line in lines), lines
    assert not any("row(s) rejected" in line and "earlier view of a licence" in line for line in lines)


def test_superseded_rows_neither_count_as_lost_nor_dilute_the_loss(tmp_path: Path) -> None:
    client = ClientFolder(with_weekly_seat_reports(tiny_client(tmp_path), weeks=12))
    settings = load_settings(client.assessment)
    assert check(client, settings).report.ok  # 33 superseded rows of 37: no loss
    # the latest report loses 1 of its 4 rows (25 %): over a 20 % limit, however many earlier reports there are
    strict = settings.model_copy(
        update={"validation": settings.validation.model_copy(update={"max_rejected_share": 0.2})}
    )
    blocking = [problem.one_line() for problem in check(client, strict).report.blocking]
    assert any("the seats table would lose 1 of its 4 rows (25%)" in line for line in blocking), blocking

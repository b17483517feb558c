import json
from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.ingest import ADAPTERS
from scalegap.ingest.github_copilot import (
    GitHubCopilotMetricsAdapter,
    GitHubCopilotSeatsAdapter,
    GitHubCopilotUsersAdapter,
)
from scalegap.prepare import check
from scalegap.settings import ExportSettings, Settings, load_settings
from tests.support import write

EXPORT = ExportSettings(file="x")


def user_day(login: str, day: str, prompts: int = 1, **extra: object) -> dict:
    return {
        "user_login": login,
        "day": day,
        "user_initiated_interaction_count": prompts,
        "code_generation_activity_count": prompts + 1,
        "code_acceptance_activity_count": 0,
        "totals_by_ide": [{"ide": "vscode", "user_initiated_interaction_count": prompts}],
        **extra,
    }


def report(start: str, end: str, organisation: str, days: list[dict]) -> str:
    return json.dumps(
        {
            "report_start_day": start,
            "report_end_day": end,
            "organization_id": organisation,
            "enterprise_id": "200001",
            "day_totals": days,
        }
    )


# --- metrics -> org_usage --------------------------------------------------------------------------------------


def test_metrics_sample_reads_every_day_and_leaves_the_breakdowns_out(
    samples: Path, template_settings: Settings
) -> None:
    result = GitHubCopilotMetricsAdapter().read(
        samples / "github-copilot/org-metrics-api-per-day.json", EXPORT, template_settings
    )
    days = result.accepted.set_index("date")
    assert (result.rows_read, len(result.accepted)) == (21, 21)
    assert days.loc[pd.Timestamp("2024-11-04"), ["active_users", "engaged_users"]].tolist() == [4, 4]
    assert days.loc[pd.Timestamp("2024-11-22"), ["active_users", "engaged_users"]].tolist() == [24, 20]
    assert set(result.accepted["organisation"]) == {"org-metrics-api-per-day"}
    assert not any(column.startswith("copilot_") for column in result.accepted.columns)
    assert "name each file after its organisation" in result.warnings[0]


def test_metrics_pages_back_to_back_stack_and_a_repeated_day_is_rejected(
    tmp_path: Path, template_settings: Settings
) -> None:
    page = [
        {"date": "2026-03-02", "total_active_users": 7, "total_engaged_users": 5, "copilot_ide_chat": None},
        {"date": "2026-03-03", "total_active_users": 6, "total_engaged_users": 6},
    ]
    later = [
        {"date": "2026-03-03", "total_active_users": 9, "total_engaged_users": 9},
        {"date": "2026-03-04", "total_active_users": -1},
    ]
    path = write(tmp_path / "acme-eng.json", json.dumps(page, indent=2) + "\n" + json.dumps(later))
    result = GitHubCopilotMetricsAdapter().read(path, EXPORT, template_settings)
    assert result.accepted["active_users"].tolist() == [7, 6]
    assert result.accepted["organisation"].unique().tolist() == ["acme-eng"]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [3, "repeats the day of an earlier record (the first is kept)"],
        [4, "active users is negative"],
    ]


def test_metrics_read_the_usage_metrics_report_that_replaced_the_api(
    tmp_path: Path, template_settings: Settings
) -> None:
    days = [
        {"day": "2026-04-16", "daily_active_users": 20, "weekly_active_users": 20, "totals_by_ide": []},
        {"day": "2026-04-17", "daily_active_users": 18},
    ]
    path = write(tmp_path / "org-28-day.json", report("2026-03-29", "2026-04-25", "100000001", days))
    result = GitHubCopilotMetricsAdapter().read(path, EXPORT, template_settings)
    assert result.accepted[["organisation", "active_users"]].values.tolist() == [["100000001", 20], ["100000001", 18]]
    assert result.accepted["engaged_users"].isna().all() and not result.warnings


def test_metrics_refuse_a_saved_api_error(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "m.json", '{"message": "Not Found", "documentation_url": "https://docs.github.com"}')
    with pytest.raises(InputError, match="GitHub API error instead of data: 'Not Found'"):
        GitHubCopilotMetricsAdapter().read(path, EXPORT, template_settings)


def test_metrics_broken_json_names_the_line(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "m.json", '[\n  {"date": "2026-03-02",\n   "total_active_users": 7,,}\n]')
    with pytest.raises(InputError, match="not valid JSON") as error:
        GitHubCopilotMetricsAdapter().read(path, EXPORT, template_settings)
    assert error.value.row == 3


# --- users report -> usage ----------------------------------------------------------------------------------------


def test_users_sample_one_row_per_user_day(samples: Path, template_settings: Settings) -> None:
    result = GitHubCopilotUsersAdapter().read(
        samples / "github-copilot/org-users-28-day-report.json", EXPORT, template_settings
    )
    usage = result.accepted
    assert (result.rows_read, len(usage)) == (107, 107)
    assert usage["login"].value_counts()["octocat"] == 26
    first = usage.iloc[0]
    assert (first["login"], first["date"], first["interactions"]) == ("defunkt", pd.Timestamp("2026-03-30"), 10)
    assert set(usage["organisation"]) == {"100000001"} and set(usage["source"]) == {"github_copilot_users"}
    assert usage["date"].min() == pd.Timestamp("2026-03-29") and usage["date"].max() == pd.Timestamp("2026-04-25")


def test_users_json_lines_with_enterprise_scope(tmp_path: Path, template_settings: Settings) -> None:
    lines = [
        user_day(" Login1 ", "2025-10-01", 0, enterprise_id="1"),
        user_day("login2", "2025-10-01", 3, enterprise_id="1"),
    ]
    path = write(tmp_path / "users.ndjson", "\n".join(json.dumps(line) for line in lines) + "\n")
    result = GitHubCopilotUsersAdapter().read(path, EXPORT, template_settings)
    assert result.accepted[["login", "interactions", "organisation"]].values.tolist() == [
        ["login1", 0, "enterprise 1"],
        ["login2", 3, "enterprise 1"],
    ]


def test_users_interactions_can_be_mapped_to_another_count(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "u.json", report("2026-03-01", "2026-03-28", "7", [user_day("ann", "2026-03-02", 4)]))
    export = ExportSettings(file="x", columns={"interactions": "code_generation_activity_count"})
    assert GitHubCopilotUsersAdapter().read(path, export, template_settings).accepted["interactions"].tolist() == [5]


def test_users_bad_records_are_rejected_with_reasons(tmp_path: Path, template_settings: Settings) -> None:
    days = [
        user_day("ann", "2026-03-02"),
        user_day("", "2026-03-02"),
        user_day("bob", "02.03.2026x"),
        user_day("cid", "2026-03-03", -2),
        user_day("dee", "2026-04-30"),
        "oops",
        {**user_day("eve", "2026-03-04"), "user_initiated_interaction_count": {"n": 1}},
    ]
    path = write(tmp_path / "u.json", report("2026-03-01", "2026-03-28", "7", days))
    result = GitHubCopilotUsersAdapter().read(path, EXPORT, template_settings)
    assert result.accepted["login"].tolist() == ["ann"]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [2, "no user login"],
        [3, "value is not a date"],
        [4, "interactions is negative"],
        [5, "day is outside the report's period"],
        [6, "record is not a JSON object"],
        [7, "value is not a number"],
    ]


def test_users_refuse_the_list_of_download_links(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "u.json",
        '{"download_links": ["https://example.com/r"], "report_start_day": '
        '"2026-03-01", "report_end_day": "2026-03-28"}',
    )
    with pytest.raises(InputError, match="list of download links, not the report"):
        GitHubCopilotUsersAdapter().read(path, EXPORT, template_settings)


def test_users_missing_login_field_names_the_closest(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "u.json", json.dumps([{"user_logins": "ann", "day": "2026-03-02"}]))
    with pytest.raises(InputError, match="required column 'user_login' is missing") as error:
        GitHubCopilotUsersAdapter().read(path, EXPORT, template_settings)
    assert "closest header is 'user_logins'" in error.value.hint


def test_overlapping_reports_stack_into_one_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two 28-day reports of org 7 overlap on 03-10..03-12; org 8's report has ann too."""
    monkeypatch.setitem(ADAPTERS, "github_copilot_users", GitHubCopilotUsersAdapter())
    write(
        tmp_path / "exports/hr.csv",
        "Employee ID,Email,GitHub,Department,Pilot\n"
        "E1,ann@acme.example,Ann-GH,Eng,Y\nE2,bob@acme.example,bob-gh,Eng,N\n",
    )
    first = [user_day("ann-gh", f"2026-03-{day:02d}") for day in (9, 10, 11)] + [user_day("bob-gh", "2026-03-10")]
    second = [user_day("ANN-GH", f"2026-03-{day:02d}") for day in (10, 11, 12)] + [user_day("zed", "2026-03-12")]
    write(tmp_path / "exports/copilot-users-1.json", report("2026-02-13", "2026-03-12", "7", first))
    write(tmp_path / "exports/copilot-users-2.json", report("2026-02-15", "2026-03-14", "7", second))
    write(
        tmp_path / "exports/copilot-users-other-org.json",
        report("2026-02-15", "2026-03-14", "8", [user_day("ann-gh", "2026-03-10")]),
    )
    write(
        tmp_path / "assessment.yml",
        """
client: {name: Acme}
exports:
  roster: {file: hr.csv, columns: {login: GitHub}}
  usage: {file: "copilot-users-*.json", format: github_copilot_users}
""",
    )
    client = ClientFolder(tmp_path)
    usage = check(client, load_settings(client.assessment)).tables["usage"]
    history = usage.accepted.sort_values(["organisation", "person_id", "date"])
    assert history[["organisation", "person_id"]].value_counts().to_dict() == {
        ("7", "E1"): 4,
        ("7", "E2"): 1,
        ("8", "E1"): 1,
    }
    assert history[history["organisation"].eq("7") & history["person_id"].eq("E1")]["date"].dt.day.tolist() == [
        9,
        10,
        11,
        12,
    ]
    reasons = usage.rejected["reason"].value_counts().to_dict()
    assert reasons == {
        "repeats the person and day of an earlier row (the first is kept)": 2,
        "person is not in the roster (check the ID or e-mail)": 1,
    }


# --- seats -> seats -------------------------------------------------------------------------------------------------


def test_seats_sample(samples: Path, template_settings: Settings) -> None:
    result = GitHubCopilotSeatsAdapter().read(samples / "github-copilot/org-seats.json", EXPORT, template_settings)
    seats = result.accepted.set_index("login")
    assert len(seats) == 9 and not result.warnings
    assert seats.loc["monalisa", "last_activity_at"] == pd.Timestamp("2026-05-01 12:00")
    assert pd.isna(seats.loc["newjoiner", "last_activity_at"])  # never used
    assert seats.loc["newjoiner", "assigned_at"] == pd.Timestamp("2026-04-28 09:00")


def seat(login: str | None, last: str | None, created: str = "2026-01-03T09:00:00Z") -> dict:
    assignee = {"login": login, "type": "User"} if login else {"slug": "platform", "name": "Platform"}
    return {
        "created_at": created,
        "last_activity_at": last,
        "pending_cancellation_date": None,
        "assignee": assignee,
        "assigning_team": {"slug": "eng"},
    }


def test_enterprise_seats_keep_the_most_recent_of_repeated_assignees(
    tmp_path: Path, template_settings: Settings
) -> None:
    pages = [
        {"total_seats": 5, "seats": [seat("octocat", "2021-10-14T00:53:32-06:00"), seat(None, None)]},
        {"total_seats": 5, "seats": [seat("Octocat", "2021-10-16T00:53:32-06:00"), seat("hubot", None)]},
    ]
    path = write(tmp_path / "seats.json", json.dumps(pages))  # gh api --paginate --slurp
    result = GitHubCopilotSeatsAdapter().read(path, EXPORT, template_settings)
    assert result.accepted[["source_row", "login"]].values.tolist() == [[3, "octocat"], [4, "hubot"]]
    assert result.accepted["last_activity_at"].iloc[0] == pd.Timestamp("2021-10-16 06:53:32")  # in UTC
    assert result.rejected["reason"].tolist() == [
        "the assignee has another seat in this file (the most recently active is kept)",
        "the seat is not assigned to a user (no assignee login)",
    ]
    assert "lists 4 of the 5 seats" in result.warnings[0]


def test_seats_truncated_download_is_an_input_error(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "seats.json", '{"total_seats": 2, "seats": [{"created_at": "2026-01-03T09:00:00Z", ')
    with pytest.raises(InputError, match="ends in the middle of a JSON value"):
        GitHubCopilotSeatsAdapter().read(path, EXPORT, template_settings)


def test_utf16_from_windows_powershell_is_read(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "seats.json", json.dumps({"total_seats": 1, "seats": [seat("ann", None)]}), encoding="utf-16"
    )
    assert GitHubCopilotSeatsAdapter().read(path, EXPORT, template_settings).accepted["login"].tolist() == ["ann"]


def test_sniffing_tells_the_three_exports_apart(samples: Path) -> None:
    folder = samples / "github-copilot"
    found = {
        name: [
            adapter.sniff(folder / name)
            for adapter in (GitHubCopilotMetricsAdapter(), GitHubCopilotUsersAdapter(), GitHubCopilotSeatsAdapter())
        ]
        for name in ("org-metrics-api-per-day.json", "org-users-28-day-report.json", "org-seats.json")
    }
    assert found == {
        "org-metrics-api-per-day.json": [True, False, False],
        "org-users-28-day-report.json": [False, True, False],
        "org-seats.json": [False, False, True],
    }


@pytest.mark.parametrize(
    "adapter, content",
    [
        (GitHubCopilotMetricsAdapter(), "[]"),
        (GitHubCopilotUsersAdapter(), '{"day_totals": []}'),
        (GitHubCopilotSeatsAdapter(), '{"total_seats": 0, "seats": []}'),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_a_report_of_no_records_is_an_empty_table(
    tmp_path: Path, template_settings: Settings, adapter, content: str
) -> None:
    result = adapter.read(write(tmp_path / "empty.json", content), ExportSettings(file="x"), template_settings)
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty


def test_a_report_whose_records_stop_before_its_period_ends_is_noted(
    tmp_path: Path, template_settings: Settings
) -> None:
    records = [
        {"user_login": "ann", "day": f"2026-03-{day:02d}", "user_initiated_interaction_count": 1}
        for day in range(1, 11)
    ]
    report = {"report_start_day": "2026-03-01", "report_end_day": "2026-03-28", "day_totals": records}
    result = GitHubCopilotUsersAdapter().read(
        write(tmp_path / "cut.json", json.dumps(report)), ExportSettings(file="x"), template_settings
    )
    assert any("period ends on 2026-03-28 but its last record is of 2026-03-10" in note for note in result.warnings)
    whole = {**report, "report_end_day": "2026-03-11"}
    result = GitHubCopilotUsersAdapter().read(
        write(tmp_path / "whole.json", json.dumps(whole)), ExportSettings(file="x"), template_settings
    )
    assert not any("period ends" in note for note in result.warnings)

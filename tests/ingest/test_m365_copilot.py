import json
from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import InputError
from scalegap.ingest import ADAPTERS
from scalegap.ingest.m365_copilot import M365CopilotSeatsAdapter, M365CopilotUsageAdapter
from scalegap.prepare import check
from scalegap.settings import ExportSettings, Settings, load_settings
from tests.support import write

EXPORT = ExportSettings(file="x")
HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,Copilot Chat Last Activity Date,"
    "Microsoft Teams Copilot Last Activity Date,Word Copilot Last Activity Date,Excel Copilot Last Activity "
    "Date,PowerPoint Copilot Last Activity Date,Outlook Copilot Last Activity Date,OneNote Copilot Last "
    "Activity Date,Loop Copilot Last Activity Date,Report Period"
)


def snapshot_csv(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def day(value: pd.Timestamp | str) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


# --- the samples (Microsoft's documentation examples) -------------------------------------------------------------


def test_csv_sample_user_without_activity_is_rejected_and_concealed_names_noted(
    samples: Path, template_settings: Settings
) -> None:
    result = M365CopilotUsageAdapter().read(
        samples / "m365-copilot/usage-user-detail-docs-example.csv", EXPORT, template_settings
    )
    assert (result.rows_read, len(result.accepted)) == (1, 0)
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [2, "no Copilot activity in the report period (every last-activity date is empty)"]
    ]
    assert result.rejected["User Principal Name"].tolist() == ["E58EEF6A6BBD3D0293CB306D24A42057"]
    assert "Display concealed user, group, and site names in all reports" in result.warnings[0]


def test_json_sample_each_distinct_last_activity_date_is_an_active_day(
    samples: Path, template_settings: Settings
) -> None:
    result = M365CopilotUsageAdapter().read(
        samples / "m365-copilot/usage-user-detail-docs-example.json", EXPORT, template_settings
    )
    usage = result.accepted
    # overall and Teams are both 2025-08-20: one day; then Chat, Word, PowerPoint
    assert [day(value) for value in usage["date"]] == ["2025-08-20", "2025-08-16", "2025-08-06", "2025-03-26"]
    assert set(usage["email"]) == {"dc8c64d6ec3a3aa17481d7e5eb5b68a6"} and set(usage["source_row"]) == {1}
    assert result.rows_read == 4 and "concealed" in result.warnings[0]


def test_seats_from_the_samples(samples: Path, template_settings: Settings) -> None:
    folder = samples / "m365-copilot"
    csv_seats = (
        M365CopilotSeatsAdapter()
        .read(folder / "usage-user-detail-docs-example.csv", EXPORT, template_settings)
        .accepted
    )
    json_seats = (
        M365CopilotSeatsAdapter()
        .read(folder / "usage-user-detail-docs-example.json", EXPORT, template_settings)
        .accepted
    )
    assert csv_seats["email"].tolist() == ["e58eef6a6bbd3d0293cb306d24a42057"]
    assert pd.isna(csv_seats["last_activity_at"].iloc[0])  # licensed, never used
    assert json_seats["last_activity_at"].tolist() == [pd.Timestamp("2025-08-20")]
    assert json_seats["assigned_at"].isna().all() and set(json_seats["source"]) == {"m365_copilot_seats"}


# --- snapshots stacked into a series ---------------------------------------------------------------------------


def test_two_refresh_dates_in_one_file_make_a_series(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "m365.csv",
        snapshot_csv(
            "2026-07-01,Ada@Contoso.com,Ada,2026-06-30,2026-06-30,,2026-06-28,,,,,,7",
            "2026-07-01,bob@contoso.com,Bob,,,,,,,,,,7",
            "2026-07-02,ada@contoso.com,Ada,2026-07-02,2026-07-02,2026-06-30,2026-06-28,,,,,,7",
        ),
    )
    result = M365CopilotUsageAdapter().read(path, EXPORT, template_settings)
    assert [(row.source_row, row.email, day(row.date)) for row in result.accepted.itertuples()] == [
        (2, "ada@contoso.com", "2026-06-30"),
        (2, "ada@contoso.com", "2026-06-28"),
        (4, "ada@contoso.com", "2026-07-02"),
        (4, "ada@contoso.com", "2026-06-30"),
        (4, "ada@contoso.com", "2026-06-28"),
    ]
    assert result.rejected["source_row"].tolist() == [3]  # bob: no activity


def test_the_series_counts_a_day_once_after_prepare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ADAPTERS, "m365_copilot_usage", M365CopilotUsageAdapter())
    write(tmp_path / "exports/hr.csv", "Employee ID,Email,Department,Pilot\nE1,ada@contoso.com,Ops,Y\n")
    write(
        tmp_path / "exports/copilot-2026-07-01.csv",
        snapshot_csv("2026-07-01,ada@contoso.com,Ada,2026-06-30,2026-06-30,,2026-06-28,,,,,,7"),
    )
    write(
        tmp_path / "exports/copilot-2026-07-02.csv",
        snapshot_csv("2026-07-02,ada@contoso.com,Ada,2026-07-02,2026-07-02,2026-06-30,,,,,,,7"),
    )
    write(
        tmp_path / "assessment.yml",
        "client: {name: Contoso}\nexports:\n  roster: {file: hr.csv}\n"
        "  usage: {file: 'copilot-*.csv', format: m365_copilot_usage}\n",
    )
    client = ClientFolder(tmp_path)
    usage = check(client, load_settings(client.assessment)).tables["usage"]
    assert sorted(day(value) for value in usage.accepted["date"]) == ["2026-06-28", "2026-06-30", "2026-07-02"]
    assert set(usage.accepted["person_id"]) == {"E1"}
    assert usage.rejected["reason"].tolist() == ["repeats the person and day of an earlier row (the first is kept)"]


def test_seats_keep_the_latest_snapshot_and_the_latest_activity(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "m365.csv",
        snapshot_csv(
            "2026-07-02,ada@contoso.com,Ada,2026-07-01,,,,,,,,,7",
            "2026-07-01,ada@contoso.com,Ada,2026-06-30,,,,,,,,2026-07-01,7",
            "2026-07-02,bob@contoso.com,Bob,,,,,,,,,,7",
        ),
    )
    result = M365CopilotSeatsAdapter().read(path, EXPORT, template_settings)
    assert [(row.source_row, row.email, row.last_activity_at) for row in result.accepted.itertuples()] == [
        (2, "ada@contoso.com", pd.Timestamp("2026-07-01")),
        (4, "bob@contoso.com", pd.NaT),
    ]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [
        [3, "an earlier report of the same user (the latest is kept)"]
    ]


# --- quirks and bad values ----------------------------------------------------------------------------------------


def test_an_activity_date_after_the_refresh_date_is_rejected_with_a_note(
    tmp_path: Path, template_settings: Settings
) -> None:
    """The report cannot know a day after it was refreshed: day and month were swapped, or the file edited."""
    path = write(
        tmp_path / "m365.csv",
        snapshot_csv(
            "2026-07-02,ada@contoso.com,Ada,2026-07-01,2026-07-01,,,,,,,,7",
            "2026-07-02,bob@contoso.com,Bob,2026-12-07,,,2026-07-01,,,,,,7",
        ),
    )
    usage = M365CopilotUsageAdapter().read(path, EXPORT, template_settings)
    assert [(row.source_row, day(row.date)) for row in usage.accepted.itertuples()] == [
        (2, "2026-07-01"),
        (3, "2026-07-01"),
    ]
    assert usage.rejected[["source_row", "column"]].values.tolist() == [[3, "Last Activity Date"]]
    assert usage.rejected["reason"].str.startswith("an activity date after the report's refresh date").all()
    assert any("fall after their row's Report Refresh Date" in note for note in usage.warnings)
    seats = M365CopilotSeatsAdapter().read(path, EXPORT, template_settings)
    assert seats.accepted["email"].tolist() == ["ada@contoso.com"]
    assert seats.rejected["source_row"].tolist() == [3]


def test_graph_json_with_nulls_paging_link_and_other_key_order(tmp_path: Path, template_settings: Settings) -> None:
    page = {
        "@odata.context": "https://graph.microsoft.com/beta/$metadata",
        "@odata.nextLink": "https://next",
        "value": [
            {
                "copilotActivityUserDetailsByPeriod": [{"reportPeriod": 30}],
                "reportRefreshDate": "2026-07-03",
                "userPrincipalName": "ada@contoso.com",
                "displayName": "Ada",
                "lastActivityDate": "2026-07-02",
                "excelCopilotLastActivityDate": None,
                "copilotChatLastActivityDate": "2026-07-01",
                "microsoft365CopilotLastActivityDate": "2026-06-29",
            }
        ],
    }
    path = write(tmp_path / "m365.json", json.dumps(page))
    result = M365CopilotUsageAdapter().read(path, EXPORT, template_settings)
    assert [day(value) for value in result.accepted["date"]] == ["2026-07-02", "2026-07-01", "2026-06-29"]
    assert not result.warnings


def test_bad_principal_name_and_bad_app_date_are_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "m365.csv",
        "\ufeff"
        + snapshot_csv(
            "2026-07-03,not a upn,X,2026-07-01,,,,,,,,,7", "2026-07-03,cy@contoso.com,Cy,2026-07-01,,,31/31/2026,,,,,,7"
        ),
    )
    result = M365CopilotUsageAdapter().read(path, EXPORT, template_settings)
    assert [(row.source_row, day(row.date)) for row in result.accepted.itertuples()] == [(3, "2026-07-01")]
    assert result.rejected[["source_row", "reason", "column"]].values.tolist() == [
        [2, "value is not a user principal name", "User Principal Name"],
        [3, "value is not a date", "Word Copilot Last Activity Date"],
    ]


def test_admin_centre_headers_can_be_mapped(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "m365.csv",
        "User name,Display name,Last activity date (UTC),"
        "Last activity date of Teams Copilot (UTC)\n"
        "ada@contoso.com,Ada,2026-07-02,2026-07-01\n",
    )
    export = ExportSettings(file="x", columns={"email": "User name", "date": "Last activity date (UTC)"})
    result = M365CopilotUsageAdapter().read(path, export, template_settings)
    assert [day(value) for value in result.accepted["date"]] == ["2026-07-02", "2026-07-01"]


def test_a_missing_principal_name_column_names_the_closest(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "m365.csv",
        "Report Refresh Date,User Principal Names,Last Activity Date\n2026-07-03,ada@contoso.com,2026-07-02\n",
    )
    with pytest.raises(InputError, match="'User Principal Name' is missing") as error:
        M365CopilotUsageAdapter().read(path, EXPORT, template_settings)
    assert "'User Principal Names'" in error.value.hint


def test_a_saved_graph_error_is_an_input_error(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "m365.json", '{"error": {"code": "Forbidden", "message": "Access denied"}}')
    with pytest.raises(InputError, match="Microsoft Graph error"):
        M365CopilotSeatsAdapter().read(path, EXPORT, template_settings)


def test_sniffing_recognises_both_variants(samples: Path, tmp_path: Path) -> None:
    folder = samples / "m365-copilot"
    assert M365CopilotUsageAdapter().sniff(folder / "usage-user-detail-docs-example.csv")
    assert M365CopilotSeatsAdapter().sniff(folder / "usage-user-detail-docs-example.json")
    assert not M365CopilotUsageAdapter().sniff(write(tmp_path / "u.csv", "email,date\n"))

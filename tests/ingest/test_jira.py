from pathlib import Path

import pandas as pd

from scalegap.ingest.jira import JiraAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

HEADER = (
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Reporter,Created,Resolved,"
    "Component/s,Component/s,Labels,Labels,Labels,Custom field (Request channel),Custom field (First response)"
)


def test_jira_dates_multi_value_fields_and_channels(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "jira.csv",
        "\n".join(
            [
                HEADER,
                '"Login fails, again",AIS-1,10001,Bug,Done,High,E1,24/Mar/26 9:15 AM,25/Mar/26 1:05 PM,'
                "SSO,Assistant,access,,prompting,Build team (direct),24/Mar/26 9:40 AM",
                "How to prompt,AIS-2,10002,Question,Open,Low,E2,02/Apr/26 12:00 PM,,Assistant,,,,,Service desk,",
                "Bad date,AIS-3,10003,Bug,Open,Low,E3,2026-04-02,,,,,,,Service desk,",
                "Odd channel,AIS-4,10004,Bug,Open,Low,E4,03/Apr/26 8:00 AM,,,,,,,Walk-in,",
                "Time travel,AIS-5,10005,Bug,Done,Low,E5,03/Apr/26 8:00 AM,02/Apr/26 8:00 AM,,,,,,Service desk,",
            ]
        )
        + "\n",
    )
    export = ExportSettings(
        file="jira.csv",
        columns={"person_id": "Reporter"},
        values={"channel": {"Build team (direct)": "build_team", "service desk": "service_desk"}},
    )
    result = JiraAdapter().read(path, export, template_settings)
    assert result.rows_read == 5
    assert result.accepted["ticket_id"].tolist() == ["AIS-1", "AIS-2", "AIS-4"]
    first = result.accepted.iloc[0]
    assert first["created_at"] == pd.Timestamp("2026-03-24 09:15")
    assert first["resolved_at"] == pd.Timestamp("2026-03-25 13:05")
    assert first["first_response_at"] == pd.Timestamp("2026-03-24 09:40")
    assert first["components"] == "SSO; Assistant"
    assert first["labels"] == "access; prompting"
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk", "other"]
    assert any("Walk-in" in warning for warning in result.warnings)
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert "Jira date" in reasons[4]
    assert reasons[6] == "resolved before it was created"


def test_sniff_recognises_a_jira_header(tmp_path: Path) -> None:
    assert JiraAdapter().sniff(write(tmp_path / "j.csv", HEADER + "\n"))
    assert not JiraAdapter().sniff(write(tmp_path / "k.csv", "id,created\n"))


def test_an_export_of_no_issues_is_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    """Its repeated multi-value columns (Labels, Labels ...) once raised on zero rows."""
    path = write(tmp_path / "jira.csv", HEADER + "\n")
    result = JiraAdapter().read(path, ExportSettings(file="jira.csv"), template_settings)
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty

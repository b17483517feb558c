from pathlib import Path

import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.google_forms import GoogleFormsAdapter, split_gmt_offset
from scalegap.settings import ExportSettings, Settings
from tests.support import write

GRID = "How much do you agree with each statement?"
HEADER = (
    f"Timestamp,Email Address,{GRID} [It improves my work],{GRID} [It is easy to use],"
    '"Which assistants do you use? (tick all that apply)",What would help?'
)
COLUMNS = {
    "Q1_1": f"{GRID} [It improves my work]",
    "Q1_2": f"{GRID} [It is easy to use]",
    "tools": "Which assistants do you use? (tick all that apply)",
    "Q7": "what would help?",
}


def settings_for(base: Settings, items: list[str], free_text: list[str]) -> Settings:
    data = base.model_dump(mode="json")
    data["survey"].update(constructs={"pu": {"items": items}} if items else {}, free_text=free_text)
    return Settings.model_validate(data)


SETTINGS = (["Q1_1", "Q1_2"], ["tools", "Q7"])


def test_reads_the_forms_download_with_gmt_offsets(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "responses.csv",
        "\n".join(
            [
                HEADER,
                '2026/03/02 10:15:32 AM GMT+1,Ann@Acme.example,Agree,Strongly agree,"Copilot, ChatGPT",'
                '"More time, less noise"',
                "2026/03/02 1:05:00 PM GMT+1,bo@acme.example,4,2,Copilot,",
                "2026/03/02 2:00:00 PM GMT+1,cy@acme.example,Agree very much,2,,",
                "2026/03/03 9:00:00 AM GMT-05:00,di@acme.example,neither agree nor disagree,,,",
            ]
        )
        + "\n",
    )
    result = GoogleFormsAdapter().read(
        path, ExportSettings(file="x", columns=COLUMNS), settings_for(template_settings, *SETTINGS)
    )
    accepted = result.accepted
    assert accepted["response_id"].tolist() == ["GF-2", "GF-3", "GF-5"]  # the row a spreadsheet shows
    assert accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 09:15:32"),  # GMT+1 -> UTC
        pd.Timestamp("2026-03-02 12:05:00"),
        pd.Timestamp("2026-03-03 14:00:00"),
    ]
    assert accepted["email"].iloc[0] == "ann@acme.example"
    assert accepted[["Q1_1", "Q1_2"]].iloc[0].tolist() == [4.0, 5.0]
    assert accepted["tools"].iloc[0] == "Copilot, ChatGPT"  # checkbox answers stay joined
    assert accepted["Q7"].iloc[0] == "More time, less noise"
    assert accepted["finished"].all()  # Forms records submitted responses only
    assert result.rejected[["source_row", "column"]].values.tolist() == [[4, f"{GRID} [It improves my work]"]]


def test_reads_a_sheet_download_with_local_month_first_stamps(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "sheet.csv",
        "\r\n".join(
            [
                HEADER.replace("Email Address", "Email address"),
                "3/2/2026 10:15:32,ann@acme.example,Agree,Agree,,",
                "3/14/2026 9:05:00,,Disagree,Agree,,",
                ",,Agree,Agree,,",
                "not a date,,Agree,Agree,,",
            ]
        )
        + "\r\n",
    )
    result = GoogleFormsAdapter().read(
        path, ExportSettings(file="x", columns=COLUMNS), settings_for(template_settings, *SETTINGS)
    )
    assert result.accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 10:15:32"),
        pd.Timestamp("2026-03-14 09:05:00"),
    ]
    assert result.accepted["email"].tolist()[0] == "ann@acme.example"  # "Email address": newer forms
    assert dict(zip(result.rejected["source_row"], result.rejected["reason"])) == {
        4: "recorded date is empty",
        5: "value is not a date",
    }


def test_a_mapped_response_id_is_used_instead_of_the_row_number(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "sheet.csv", "Timestamp,Submission,Q\n2026-03-02 10:15:32,S-9,Agree\n")
    result = GoogleFormsAdapter().read(
        path,
        ExportSettings(file="x", columns={"response_id": "Submission", "Q1_1": "Q"}),
        settings_for(template_settings, ["Q1_1"], []),
    )
    assert result.accepted["response_id"].tolist() == ["S-9"]


@pytest.mark.parametrize(
    "stamp,expected",
    [
        ("2026/03/02 10:15:32 AM GMT+1", ("2026/03/02 10:15:32 AM", 60)),
        ("2026/03/02 10:15:32 AM GMT+5:30", ("2026/03/02 10:15:32 AM", 330)),
        ("2026/03/02 10:15:32 GMT-0800", ("2026/03/02 10:15:32", -480)),
        ("2026/03/02 10:15:32 GMT", ("2026/03/02 10:15:32", 0)),
        ("3/2/2026 10:15:32", ("3/2/2026 10:15:32", 0)),
    ],
)
def test_the_gmt_offset_is_split_off(stamp: str, expected: tuple[str, int]) -> None:
    stamps, offset = split_gmt_offset(pd.Series([stamp]))
    assert (stamps.iloc[0], offset.iloc[0]) == (expected[0], pd.Timedelta(minutes=expected[1]))


def test_a_file_with_only_the_header_row_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    result = GoogleFormsAdapter().read(
        write(tmp_path / "r.csv", HEADER + "\n"),
        ExportSettings(file="x", columns=COLUMNS),
        settings_for(template_settings, *SETTINGS),
    )
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty


def test_sniff_recognises_google_forms_only(samples: Path, tmp_path: Path) -> None:
    adapter = GoogleFormsAdapter()
    assert adapter.sniff(write(tmp_path / "r.csv", HEADER + "\n2026/03/02 10:15:32 AM GMT+1,a@x.example,1,2,,\n"))
    assert not adapter.sniff(samples / "surveymonkey" / "steak-risk-survey.csv")
    assert not adapter.sniff(write(tmp_path / "ms.csv", "ID,Start time,Completion time,Email\n1,a,b,c\n"))


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.csv", ""),
        ("headers.csv", HEADER + "\n"),
        ("ms-forms.csv", "ID,Start time,Completion time,Email,Name,Q\n1,3/2/26 10:00,3/2/26 10:05,anonymous,,Agree\n"),
        ("csv-named.xlsx", HEADER + "\n2026/03/02 10:15:32 AM GMT+1,a@x.example,1,2,,\n"),
        ("page.xlsx", "<html><head><title>Google Forms</title></head></html>"),
    ],
)
def test_malformed_files_raise_input_errors(
    tmp_path: Path, template_settings: Settings, name: str, content: str
) -> None:
    with pytest.raises(InputError):
        GoogleFormsAdapter().read(write(tmp_path / name, content), ExportSettings(file="x"), template_settings)

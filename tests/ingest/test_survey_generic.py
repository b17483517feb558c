from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.survey_generic import GenericSurveyAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write


def settings_for(base: Settings, items: list[str], free_text: list[str]) -> Settings:
    data = base.model_dump(mode="json")
    data["survey"].update(constructs={"pu": {"items": items}} if items else {}, free_text=free_text)
    return Settings.model_validate(data)


def test_canonical_names_are_found_in_any_spelling(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "survey.csv",
        "\n".join(
            [
                "Response ID;Recorded At;EMAIL;Progress;Status;Q1_1;Q7",
                "r1;2026-03-02T10:15:32+01:00;ann@acme.example;100%;complete;STRONGLY AGREE;fine",
                "r2;2026-03-02T11:00:00+01:00;;40;complete;2;",
                "r3;2026-03-02T12:00:00+01:00;;100;Test;4;",
            ]
        )
        + "\n",
    )
    result = GenericSurveyAdapter().read(
        path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_1"], ["Q7"])
    )
    accepted = result.accepted
    assert accepted["response_id"].tolist() == ["r1", "r2"]
    assert accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 09:15:32"),  # +01:00 -> UTC
        pd.Timestamp("2026-03-02 10:00"),
    ]
    assert accepted["progress"].tolist() == [100.0, 40.0]
    assert accepted["finished"].tolist() == [True, False]  # from progress, as no finished column is given
    assert accepted["Q1_1"].tolist() == [5.0, 2.0] and accepted["Q7"].iloc[0] == "fine"
    assert result.rejected[["source_row", "reason"]].values.tolist() == [[4, "survey preview, test or spam response"]]


def test_every_column_can_be_mapped(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "survey.csv",
        "Submission,Submitted on,Staff no,Done,I like it,Comments\n"
        "S1,02/03/2026 10:15,E1,yes,agree,\n"
        "S2,14/03/2026 09:00,E2,no,,too slow\n"
        "S3,15/03/2026 09:00,E3,maybe,agree,\n",
    )
    export = ExportSettings(
        file="x",
        columns={
            "response_id": "Submission",
            "recorded_at": "Submitted on",
            "person_ref": "Staff no",
            "finished": "Done",
            "Q1_1": "I like it",
            "Q7": "Comments",
        },
    )
    result = GenericSurveyAdapter().read(path, export, settings_for(template_settings, ["Q1_1"], ["Q7"]))
    assert result.accepted["person_ref"].tolist() == ["E1", "E2"]
    assert result.accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 10:15"),  # day first
        pd.Timestamp("2026-03-14 09:00"),
    ]
    assert result.accepted["finished"].tolist() == [True, False]
    assert result.rejected[["source_row", "reason", "column"]].values.tolist() == [
        [4, "value is not a yes/no value", "Done"]
    ]


def test_reads_a_workbook_sheet_by_name(tmp_path: Path, template_settings: Settings) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    sheet = workbook.create_sheet("Responses")
    sheet.append(["response_id", "recorded_at", "Q1_1"])
    sheet.append(["r1", "2026-03-02 10:15:32", 3])
    workbook.save(tmp_path / "survey.xlsx")
    result = GenericSurveyAdapter().read(
        tmp_path / "survey.xlsx",
        ExportSettings(file="x", sheet="Responses"),
        settings_for(template_settings, ["Q1_1"], []),
    )
    assert result.accepted[["response_id", "Q1_1"]].values.tolist() == [["r1", 3.0]]
    assert pd.isna(result.accepted["finished"].iloc[0])  # unknown: neither finished nor progress given


def test_a_mapped_header_that_is_missing_is_an_error_even_for_optional_fields(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = write(tmp_path / "survey.csv", "response_id,recorded_at,E-mail address\nr1,2026-03-02,a@x.example\n")
    with pytest.raises(InputError) as caught:
        GenericSurveyAdapter().read(
            path, ExportSettings(file="x", columns={"email": "Email address"}), settings_for(template_settings, [], [])
        )
    assert caught.value.column == "Email address" and "'E-mail address'" in caught.value.hint


def test_a_bad_date_format_setting_is_an_input_error(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "survey.csv", "response_id,recorded_at\nr1,2026-03-02\n")
    with pytest.raises(InputError, match="date_format"):
        GenericSurveyAdapter().read(
            path, ExportSettings(file="x", date_format="%Q"), settings_for(template_settings, [], [])
        )


def test_a_file_with_only_the_header_row_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    result = GenericSurveyAdapter().read(
        write(tmp_path / "s.csv", "response_id,recorded_at,Q1_1\n"),
        ExportSettings(file="x"),
        settings_for(template_settings, ["Q1_1"], []),
    )
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.csv", ""),
        ("blank.csv", "\n\n  \n"),
        ("qualtrics.csv", 'ResponseId,RecordedDate\nResponse ID,Recorded Date\n"{""ImportId"":""_recordId""}",x\n'),
        ("csv-named.xlsx", "response_id,recorded_at\nr1,2026-03-02\n"),
        ("page.xlsx", "<html><body>expired</body></html>"),
        ("zip-named.csv", "PK\x03\x04 not text"),
    ],
)
def test_malformed_files_raise_input_errors(
    tmp_path: Path, template_settings: Settings, name: str, content: str
) -> None:
    with pytest.raises(InputError):
        GenericSurveyAdapter().read(
            write(tmp_path / name, content), ExportSettings(file="x"), settings_for(template_settings, ["Q1_1"], [])
        )

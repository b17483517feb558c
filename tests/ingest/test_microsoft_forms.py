from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.microsoft_forms import MicrosoftFormsAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "The assistant improves my work",
    "The assistant is easy to use",
    "What would help you most?",
]
COLUMNS = {
    "Q1_1": "The assistant improves my work",
    "Q1_2": "the assistant is easy to use",
    "Q7": "What would help you most?",
}


def settings_for(base: Settings, items: list[str], free_text: list[str]) -> Settings:
    data = base.model_dump(mode="json")
    data["survey"].update(constructs={"pu": {"items": items}} if items else {}, free_text=free_text)
    return Settings.model_validate(data)


def forms_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in [HEADER, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def stamp(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, 0)


def test_reads_the_excel_download(tmp_path: Path, template_settings: Settings) -> None:
    path = forms_workbook(
        tmp_path / "Pilot survey(1-4).xlsx",
        [
            [1, stamp(2, 9, 0), stamp(2, 9, 7), "anonymous", "", None, "Agree", "Strongly agree", "Time to learn"],
            [2, stamp(2, 9, 30), stamp(2, 9, 41), "Bo.Chen@Acme.example", "Bo Chen", stamp(3, 8, 0), 2, 4, None],
            [3, stamp(2, 10, 0), stamp(2, 10, 3), "anonymous", "", None, "Agree", "Agree strongly", None],
            [4, stamp(2, 11, 0), None, "anonymous", "", None, "Agree", "Agree", None],
        ],
    )
    result = MicrosoftFormsAdapter().read(
        path, ExportSettings(file="x", columns=COLUMNS), settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"])
    )
    accepted = result.accepted
    assert accepted["response_id"].tolist() == ["1", "2"]
    assert accepted["recorded_at"].tolist() == [pd.Timestamp("2026-03-02 09:07"), pd.Timestamp("2026-03-02 09:41")]
    assert pd.isna(accepted["email"].iloc[0])  # "anonymous" is not an address
    assert accepted["email"].iloc[1] == "bo.chen@acme.example"
    assert accepted[["Q1_1", "Q1_2"]].values.tolist() == [[4.0, 5.0], [2.0, 4.0]]
    assert accepted["Q7"].iloc[0] == "Time to learn" and accepted["finished"].all()
    assert result.warnings == ()  # anonymous forms are not a data problem
    assert dict(zip(result.rejected["source_row"], result.rejected["reason"])) == {
        4: "answer is not on the 5-point scale declared in assessment.yml",
        5: "recorded date is empty",
    }


def test_reads_a_csv_copy_with_short_us_dates(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "forms.csv",
        "\ufeff" + ",".join(HEADER[:5] + HEADER[6:]) + "\r\n"
        "1,7/27/26 19:06:23,7/27/26 19:17:10,not-an-address,,Agree,Agree,\r\n"
        "2,7/28/26 08:00:00,7/28/26 08:04:59,anonymous,,Disagree,Agree,\r\n",
    )
    result = MicrosoftFormsAdapter().read(
        path, ExportSettings(file="x", columns=COLUMNS), settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"])
    )
    assert result.accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-07-27 19:17:10"),
        pd.Timestamp("2026-07-28 08:04:59"),
    ]
    assert result.accepted["email"].isna().all()
    assert any("1 value(s) in 'Email' are not e-mail addresses" in warning for warning in result.warnings)


def test_a_question_missing_from_the_form_names_the_closest_header(tmp_path: Path, template_settings: Settings) -> None:
    path = forms_workbook(
        tmp_path / "f.xlsx", [[1, stamp(2, 9, 0), stamp(2, 9, 7), "anonymous", "", None, "Agree", "Agree", None]]
    )
    with pytest.raises(InputError) as caught:
        MicrosoftFormsAdapter().read(
            path,
            ExportSettings(file="x", columns={"Q1_1": "The assistant improved my work"}),
            settings_for(template_settings, ["Q1_1"], []),
        )
    assert "'The assistant improves my work'" in caught.value.hint and caught.value.column


def test_sniff_recognises_microsoft_forms_only(tmp_path: Path, samples: Path) -> None:
    adapter = MicrosoftFormsAdapter()
    assert adapter.sniff(forms_workbook(tmp_path / "f.xlsx", []))
    assert not adapter.sniff(samples / "surveymonkey" / "steak-risk-survey.csv")
    assert not adapter.sniff(write(tmp_path / "broken.xlsx", "PK\x03\x04 truncated"))


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.xlsx", ""),
        ("csv-named.xlsx", ",".join(HEADER) + "\n1,7/27/26 19:06:23,7/27/26 19:17:10,anonymous,,,Agree,Agree,\n"),
        ("page.xlsx", "<!doctype html><html><body>Microsoft Forms</body></html>"),
        ("truncated.xlsx", "PK\x03\x04\x14\x00\x00\x00"),
        ("forms.csv", "Timestamp,Email Address\n2026/03/02 10:15:32 AM GMT+1,a@x.example\n"),
    ],
)
def test_malformed_files_raise_input_errors(
    tmp_path: Path, template_settings: Settings, name: str, content: str
) -> None:
    with pytest.raises(InputError):
        MicrosoftFormsAdapter().read(write(tmp_path / name, content), ExportSettings(file="x"), template_settings)


def test_a_workbook_with_only_the_header_row_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    result = MicrosoftFormsAdapter().read(
        forms_workbook(tmp_path / "f.xlsx", []),
        ExportSettings(file="x", columns=COLUMNS),
        settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"]),
    )
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty

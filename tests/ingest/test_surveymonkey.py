from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.surveymonkey import SurveyMonkeyAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

STEAK = Path("surveymonkey") / "steak-risk-survey.csv"
LOTTERY = (
    "Consider the following hypothetical situations: In Lottery A, you have a 50% chance of success, with a "
    "payout of $100. In Lottery B, you have a 90% chance of success, with a payout of $20. Assuming you "
    "have $10 to bet, would you play Lottery A or Lottery B?"
)
MATRIX = "How much do you agree?"
QUESTION_ROW = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
    MATRIX,
    "",
    "",
    "What would help you most?",
]
SUB_ROW = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "It improves my work",
    "It is easy to use",
    "I trust it",
    "Open-Ended Response",
]
RESPONSES = [
    [
        "11401",
        "4310",
        "03/02/2026 10:01:12 AM",
        "03/02/2026 10:15:32 AM",
        "",
        "Ann@Acme.example",
        "",
        "",
        "E1",
        "Agree",
        "strongly agree",
        "Neither agree nor disagree",
        "Training, please",
    ],
    [
        "11402",
        "4310",
        "03/14/2026 04:01:12 PM",
        "03/14/2026 04:20:00 PM",
        "",
        "",
        "",
        "",
        "E2",
        "Disagree",
        "",
        "Agree",
        "",
    ],
    [
        "11403",
        "4310",
        "03/15/2026 09:00:00 AM",
        "03/15/2026 09:05:00 AM",
        "",
        "",
        "",
        "",
        "E3",
        "Agree a lot",
        "Agree",
        "Agree",
        "",
    ],
]
ITEM_COLUMNS = {
    "Q1_1": f"{MATRIX} | It improves my work",
    "Q1_2": f"{MATRIX} | It is easy to use",
    "Q1_3": f"{MATRIX} | I trust it",
    "Q7": "What would help you most?",
    "person_ref": "Custom Data 1",
}


def settings_for(base: Settings, items: list[str], free_text: list[str]) -> Settings:
    data = base.model_dump(mode="json")
    data["survey"].update(constructs={"pu": {"items": items}} if items else {}, free_text=free_text)
    return Settings.model_validate(data)


def csv_line(cells: list[str]) -> str:
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in cells)


def monkey_csv(tmp_path: Path, rows: list[list[str]]) -> Path:
    lines = [csv_line(row) for row in [QUESTION_ROW, SUB_ROW, *rows]]
    return write(tmp_path / "monkey.csv", "\r\n".join(lines) + "\r\n")


def test_reads_the_published_steak_sample_as_it_is(samples: Path, template_settings: Settings) -> None:
    """550 responses, RespondentID only (no dates), blanks for skipped questions, quoted ranges with commas."""
    export = ExportSettings(
        file="x",
        columns={"lottery": LOTTERY, "smoke": "do you ever smoke cigarettes?", "income": "Household Income | Response"},
    )
    result = SurveyMonkeyAdapter().read(
        samples / STEAK, export, settings_for(template_settings, [], ["lottery", "smoke", "income"])
    )
    accepted = result.accepted
    assert result.rows_read == 550 and len(accepted) == 550 and len(result.rejected) == 0
    assert accepted["response_id"].iloc[:2].tolist() == ["3237565956", "3234982343"]
    assert accepted["response_id"].iloc[-1] == "3234760413"
    assert accepted["source_row"].iloc[0] == 3  # after the two header rows
    assert accepted["lottery"].iloc[0] == "Lottery B" and pd.isna(accepted["smoke"].iloc[0])  # partial response
    assert accepted["income"].iloc[1] == "$50,000 - $99,999"  # a quoted range with a comma
    assert accepted["lottery"].value_counts().to_dict() == {"Lottery B": 279, "Lottery A": 267}
    assert accepted["recorded_at"].isna().all()
    assert any("no response date" in warning for warning in result.warnings)
    assert accepted["finished"].isna().all()  # the export has no completion flag


def steak_with_end_date(samples: Path, tmp_path: Path) -> Path:
    """The sample plus an EndDate column, as newer exports of the same survey carry."""
    lines = (samples / STEAK).read_text(encoding="ascii").split("\n")
    dated = [lines[0] + ",EndDate", lines[1] + ","]
    dated += [line + ",09/17/2015 10:00:00 AM" for line in lines[2:] if line]
    return write(tmp_path / "steak.csv", "\n".join(dated) + "\n")


def test_an_end_date_column_becomes_the_recorded_date(
    samples: Path, tmp_path: Path, template_settings: Settings
) -> None:
    result = SurveyMonkeyAdapter().read(
        steak_with_end_date(samples, tmp_path), ExportSettings(file="x"), settings_for(template_settings, [], [])
    )
    assert result.accepted["recorded_at"].iloc[0] == pd.Timestamp("2015-09-17 10:00:00")
    assert not any("no response date" in warning for warning in result.warnings)


def test_matrix_rows_are_mapped_as_question_and_sub_header(tmp_path: Path, template_settings: Settings) -> None:
    result = SurveyMonkeyAdapter().read(
        monkey_csv(tmp_path, RESPONSES),
        ExportSettings(file="x", columns=ITEM_COLUMNS),
        settings_for(template_settings, ["Q1_1", "Q1_2", "Q1_3"], ["Q7"]),
    )
    accepted = result.accepted
    assert accepted["response_id"].tolist() == ["11401", "11402"]
    assert accepted[["Q1_1", "Q1_2", "Q1_3"]].iloc[0].tolist() == [4.0, 5.0, 3.0]
    assert pd.isna(accepted["Q1_2"].iloc[1])
    assert accepted["Q7"].iloc[0] == "Training, please"
    assert accepted["email"].iloc[0] == "ann@acme.example" and accepted["person_ref"].tolist() == ["E1", "E2"]
    assert accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 10:15:32"),
        pd.Timestamp("2026-03-14 16:20:00"),
    ]
    assert result.rejected[["source_row", "column"]].values.tolist() == [[5, f"{MATRIX} | It improves my work"]]
    assert "not on the 5-point scale" in result.rejected["reason"].iloc[0]


def test_an_item_neither_mapped_nor_a_header_names_the_closest_header(
    tmp_path: Path, template_settings: Settings
) -> None:
    columns = {"Q1_1": f"{MATRIX} | It improves my wrok"}
    with pytest.raises(InputError) as caught:
        SurveyMonkeyAdapter().read(
            monkey_csv(tmp_path, RESPONSES),
            ExportSettings(file="x", columns=columns),
            settings_for(template_settings, ["Q1_1"], []),
        )
    assert f"'{MATRIX} | It improves my work'" in caught.value.hint


def test_reads_the_xlsx_export(tmp_path: Path, template_settings: Settings) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [QUESTION_ROW, SUB_ROW, *RESPONSES[:2]]:
        sheet.append(row)
    sheet["D3"] = datetime(2026, 3, 2, 10, 15, 32)  # real date-time cells, read as ISO text
    sheet["D4"] = datetime(2026, 3, 14, 16, 20)
    sheet["A4"] = 11402  # and a number for the id
    workbook.save(tmp_path / "monkey.xlsx")
    adapter = SurveyMonkeyAdapter()
    assert adapter.sniff(tmp_path / "monkey.xlsx")
    result = adapter.read(
        tmp_path / "monkey.xlsx",
        ExportSettings(file="x", columns=ITEM_COLUMNS),
        settings_for(template_settings, ["Q1_1", "Q1_2", "Q1_3"], ["Q7"]),
    )
    assert result.accepted["response_id"].tolist() == ["11401", "11402"]
    assert result.accepted["recorded_at"].tolist() == [
        pd.Timestamp("2026-03-02 10:15:32"),
        pd.Timestamp("2026-03-14 16:20:00"),
    ]
    assert result.accepted["Q1_3"].tolist() == [3.0, 4.0]


def test_a_file_with_only_the_two_header_rows_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    result = SurveyMonkeyAdapter().read(
        monkey_csv(tmp_path, []),
        ExportSettings(file="x", columns=ITEM_COLUMNS),
        settings_for(template_settings, ["Q1_1", "Q1_2", "Q1_3"], ["Q7"]),
    )
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty


def test_sniff_recognises_surveymonkey_only(samples: Path, tmp_path: Path) -> None:
    adapter = SurveyMonkeyAdapter()
    assert adapter.sniff(samples / STEAK) and adapter.sniff(monkey_csv(tmp_path, RESPONSES))
    assert not adapter.sniff(samples / "qualtrics" / "sample-three-header-rows-german.csv")
    forms = write(tmp_path / "forms.csv", "Timestamp,Email Address\n3/2/2026 10:15:32,a@x.example\n")
    assert not adapter.sniff(forms)
    assert not adapter.sniff(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.csv", ""),
        ("headers.csv", csv_line(QUESTION_ROW) + "\r\n" + csv_line(SUB_ROW) + "\r\n"),
        ("forms.csv", "Timestamp,Email Address,Q\n3/2/2026 10:15:32,a@x.example,Agree\n"),
        ("csv-named.xlsx", csv_line(QUESTION_ROW) + "\n" + csv_line(SUB_ROW) + "\n"),
        ("page.xlsx", "<!DOCTYPE html><html><body>Sign in</body></html>"),
    ],
)
def test_malformed_files_raise_input_errors(
    tmp_path: Path, template_settings: Settings, name: str, content: str
) -> None:
    with pytest.raises(InputError):
        SurveyMonkeyAdapter().read(write(tmp_path / name, content), ExportSettings(file="x"), template_settings)

from pathlib import Path

import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.qualtrics import QualtricsAdapter
from scalegap.settings import ExportSettings, Settings

from tests.support import write

META = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,RecipientEmail,ExternalReference"
IMPORT = ",".join(f'"{{""ImportId"":""{name}""}}"' for name in
                  ["startDate", "endDate", "status", "progress", "finished", "recordedDate", "_recordId",
                   "recipientEmail", "externalDataReference", "QID1_1", "QID1_2", "QID7_TEXT"])


def qualtrics_file(tmp_path: Path, rows: list[str]) -> Path:
    header = [f"{META},Q1_1,Q1_2,Q7", f"{META},Statement one,Statement two,What would help?", IMPORT]
    return write(tmp_path / "survey.csv", "\ufeff" + "\r\n".join(header + rows) + "\r\n")


def settings_for(base: Settings, items: list[str], free_text: list[str]) -> Settings:
    data = base.model_dump(mode="json")
    data["survey"].update(constructs={"pu": {"items": items}}, free_text=free_text)
    return Settings.model_validate(data)


ROW = "2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,True,2026-03-02 09:05:00"


def test_reads_the_public_three_header_row_sample(samples: Path, template_settings: Settings) -> None:
    settings = settings_for(template_settings, ["Q1"], ["Q2"])
    result = QualtricsAdapter().read(samples / "qualtrics" / "sample-three-header-rows-german.csv",
                                     ExportSettings(file="x"), settings)
    assert result.rows_read == 1 and len(result.rejected) == 0
    row = result.accepted.iloc[0]
    assert row["response_id"] == "R_2YPOQ602ER1jkf1"
    assert row["recorded_at"] == pd.Timestamp("2017-07-18 08:28:48")
    assert row["Q1"] == 2.0
    assert row["Q2"] == "Hello World!"
    assert row["source_row"] == 4  # after the three header rows


def test_choice_text_and_numeric_answers_both_score(tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(tmp_path, [
        f"{ROW},R_1,a@x.example,E1,Strongly agree,disagree,fine",
        f"{ROW},R_2,b@x.example,E2,5,2,",
    ])
    result = QualtricsAdapter().read(path, ExportSettings(file="x"),
                                     settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"]))
    assert result.accepted["Q1_1"].tolist() == [5.0, 5.0]
    assert result.accepted["Q1_2"].tolist() == [2.0, 2.0]


def test_unusable_rows_are_rejected_with_reasons_and_counted(tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(tmp_path, [
        f"{ROW},R_1,a@x.example,E1,Agree,Agree,\"line one\nline two, with a comma\"",
        f"{ROW},,b@x.example,E2,Agree,Agree,",
        f"{ROW},R_3,c@x.example,E3,Agree strongly,Agree,",
        f"{ROW},R_4,d@x.example,E4,7,Agree,",
        "2026-03-02 09:00:00,2026-03-02 09:05:00,Survey Preview,100,True,2026-03-02 09:05:00,R_5,,,Agree,Agree,",
    ])
    result = QualtricsAdapter().read(path, ExportSettings(file="x"),
                                     settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"]))
    assert result.rows_read == 5
    assert result.accepted["response_id"].tolist() == ["R_1"]
    assert result.accepted["Q7"].iloc[0] == "line one\nline two, with a comma"
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons[5] == "response id is empty"
    assert "not on the 5-point scale" in reasons[6] and "not on the 5-point scale" in reasons[7]
    assert reasons[8] == "survey preview, test or spam response"


def test_a_declared_item_missing_from_the_export_names_the_closest_header(
        tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(tmp_path, [f"{ROW},R_1,a@x.example,E1,Agree,Agree,"])
    with pytest.raises(InputError) as caught:
        QualtricsAdapter().read(path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_3"], []))
    assert caught.value.column == "Q1_3"
    assert "Q1_1" in caught.value.hint or "Q1_2" in caught.value.hint


def test_a_file_without_import_ids_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "plain.csv", "a,b\n1,2\n3,4\n5,6\n")
    with pytest.raises(InputError, match="ImportId"):
        QualtricsAdapter().read(path, ExportSettings(file="x"), template_settings)


def test_sniff_recognises_qualtrics_and_nothing_else(samples: Path, tmp_path: Path) -> None:
    assert QualtricsAdapter().sniff(samples / "qualtrics" / "sample-three-header-rows-german.csv")
    assert not QualtricsAdapter().sniff(write(tmp_path / "x.csv", "a,b\n1,2\n"))

from pathlib import Path

import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.qualtrics import QualtricsAdapter, QualtricsLegacyAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

META = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,RecipientEmail,ExternalReference"
IMPORT = ",".join(
    f'"{{""ImportId"":""{name}""}}"'
    for name in [
        "startDate",
        "endDate",
        "status",
        "progress",
        "finished",
        "recordedDate",
        "_recordId",
        "recipientEmail",
        "externalDataReference",
        "QID1_1",
        "QID1_2",
        "QID7_TEXT",
    ]
)


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
    result = QualtricsAdapter().read(
        samples / "qualtrics" / "sample-three-header-rows-german.csv", ExportSettings(file="x"), settings
    )
    assert result.rows_read == 1 and len(result.rejected) == 0
    row = result.accepted.iloc[0]
    assert row["response_id"] == "R_2YPOQ602ER1jkf1"
    assert row["recorded_at"] == pd.Timestamp("2017-07-18 08:28:48")
    assert row["Q1"] == 2.0
    assert row["Q2"] == "Hello World!"
    assert row["source_row"] == 4  # after the three header rows


def test_choice_text_and_numeric_answers_both_score(tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(
        tmp_path,
        [
            f"{ROW},R_1,a@x.example,E1,Strongly agree,disagree,fine",
            f"{ROW},R_2,b@x.example,E2,5,2,",
        ],
    )
    result = QualtricsAdapter().read(
        path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"])
    )
    assert result.accepted["Q1_1"].tolist() == [5.0, 5.0]
    assert result.accepted["Q1_2"].tolist() == [2.0, 2.0]


def test_unusable_rows_are_rejected_with_reasons_and_counted(tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(
        tmp_path,
        [
            f'{ROW},R_1,a@x.example,E1,Agree,Agree,"line one\nline two, with a comma"',
            f"{ROW},,b@x.example,E2,Agree,Agree,",
            f"{ROW},R_3,c@x.example,E3,Agree strongly,Agree,",
            f"{ROW},R_4,d@x.example,E4,7,Agree,",
            "2026-03-02 09:00:00,2026-03-02 09:05:00,Survey Preview,100,True,2026-03-02 09:05:00,R_5,,,Agree,Agree,",
        ],
    )
    result = QualtricsAdapter().read(
        path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"])
    )
    assert result.rows_read == 5
    assert result.accepted["response_id"].tolist() == ["R_1"]
    assert result.accepted["Q7"].iloc[0] == "line one\nline two, with a comma"
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons[5] == "response id is empty"
    assert "not on the 5-point scale" in reasons[6] and "not on the 5-point scale" in reasons[7]
    assert reasons[8] == "survey preview, test or spam response"


def test_a_declared_item_missing_from_the_export_names_the_closest_header(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = qualtrics_file(tmp_path, [f"{ROW},R_1,a@x.example,E1,Agree,Agree,"])
    with pytest.raises(InputError) as caught:
        QualtricsAdapter().read(path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_3"], []))
    assert caught.value.column == "Q1_3"
    assert "Q1_1" in caught.value.hint or "Q1_2" in caught.value.hint


def test_a_file_without_import_ids_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "plain.csv", "a,b\n1,2\n3,4\n5,6\n")
    with pytest.raises(InputError, match="ImportId"):
        QualtricsAdapter().read(path, ExportSettings(file="x"), template_settings)


def test_sniff_recognises_qualtrics_and_nothing_else(samples: Path, tmp_path: Path) -> None:
    assert QualtricsAdapter().sniff(samples / "qualtrics" / "sample-three-header-rows-german.csv")
    assert not QualtricsAdapter().sniff(write(tmp_path / "x.csv", "a,b\n1,2\n"))


# -- the two current-format exports, told apart by how they write status, finished and answers ------------

CHOICE_TEXT_ROWS = [
    "2026-03-02 09:00:00,2026-03-02 09:05:00,IP Address,100,True,2026-03-02 09:05:00,R_1,A@X.example,E1,"
    "strongly AGREE,Neither agree nor disagree,",
    "2026-03-02 09:00:00,2026-03-09 09:00:00,IP Address,40,False,2026-03-09 09:00:00,R_2,,E2,Disagree,,",
    "2026-03-02 09:00:00,2026-03-02 09:01:00,Survey Preview,100,True,2026-03-02 09:01:00,R_3,,,Agree,Agree,",
]
NUMERIC_ROWS = [
    "2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,1,2026-03-02 09:05:00,R_1,a@x.example,E1,5,3,",
    "2026-03-02 09:00:00,2026-03-09 09:00:00,0,40,0,2026-03-09 09:00:00,R_2,,E2,2,,",
    "2026-03-02 09:00:00,2026-03-02 09:01:00,1,100,1,2026-03-02 09:01:00,R_3,,,4,4,",
]


@pytest.mark.parametrize("rows", [CHOICE_TEXT_ROWS, NUMERIC_ROWS], ids=["choice text", "numeric values"])
def test_both_current_exports_give_the_same_table(tmp_path: Path, template_settings: Settings, rows: list[str]) -> None:
    result = QualtricsAdapter().read(
        qualtrics_file(tmp_path, rows),
        ExportSettings(file="x"),
        settings_for(template_settings, ["Q1_1", "Q1_2"], ["Q7"]),
    )
    accepted = result.accepted
    assert accepted["response_id"].tolist() == ["R_1", "R_2"]
    assert accepted["Q1_1"].tolist() == [5.0, 2.0]
    assert accepted["Q1_2"].iloc[0] == 3.0 and pd.isna(accepted["Q1_2"].iloc[1])
    assert accepted["finished"].tolist() == [True, False]  # the partial response is kept
    assert accepted["progress"].tolist() == [100.0, 40.0]
    assert accepted["email"].iloc[0] == "a@x.example" and accepted["person_ref"].tolist() == ["E1", "E2"]
    assert accepted["recorded_at"].iloc[1] == pd.Timestamp("2026-03-09 09:00:00")
    assert result.rejected[["source_row", "reason"]].values.tolist() == [[6, "survey preview, test or spam response"]]


def test_an_empty_recorded_date_or_a_repeated_response_id_rejects_the_row(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = qualtrics_file(
        tmp_path,
        [
            f"{ROW},R_1,,,Agree,Agree,",
            "2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,True,,R_2,,,Agree,Agree,",
            f"{ROW},R_1,,,Disagree,Agree,",
            "2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,True,02/03/2026,R_4,,,Agree,Agree,",
        ],
    )
    result = QualtricsAdapter().read(path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_1"], []))
    assert result.accepted["response_id"].tolist() == ["R_1"]
    assert dict(zip(result.rejected["source_row"], result.rejected["reason"])) == {
        5: "recorded date is empty",
        6: "response id repeats an earlier row (the first is kept)",
        7: "value is not a date in the format %Y-%m-%d %H:%M:%S",
    }


def test_items_can_be_mapped_by_their_question_text(tmp_path: Path, template_settings: Settings) -> None:
    path = qualtrics_file(tmp_path, [f"{ROW},R_1,,,Agree,Disagree,"])
    export = ExportSettings(file="x", columns={"Q2_1": "statement  TWO"})
    result = QualtricsAdapter().read(path, export, settings_for(template_settings, ["Q2_1"], []))
    assert result.accepted["Q2_1"].tolist() == [2.0]


def test_a_mapping_key_that_is_neither_a_field_nor_a_declared_question_gives_an_empty_table(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = qualtrics_file(tmp_path, [f"{ROW},R_1,,,Agree,Agree,"])
    with pytest.raises(InputError, match="unknown field"):
        QualtricsAdapter().read(
            path,
            ExportSettings(file="x", columns={"Q9_9": "Statement one"}),
            settings_for(template_settings, ["Q1_1"], []),
        )


# -- the legacy export ------------------------------------------------------------------------------------

LEGACY_IDS = "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10"
LEGACY_LABELS = (
    "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,StartDate,EndDate,Finished"
)


def legacy_file(tmp_path: Path, rows: list[str]) -> Path:
    """Qualtrics' legacy layout: BOM, two header rows, a trailing comma on every line."""
    lines = [f"{LEGACY_IDS},Q1_1,Q7", f"{LEGACY_LABELS},Statement one,What would help?", *rows]
    return write(tmp_path / "legacy.csv", "\ufeff" + "".join(f"{line},\r\n" for line in lines))


def test_reads_the_public_legacy_sample(samples: Path, template_settings: Settings) -> None:
    result = QualtricsLegacyAdapter().read(
        samples / "qualtrics" / "sample-legacy-export.csv",
        ExportSettings(file="x"),
        settings_for(template_settings, ["Q1"], ["Q2"]),
    )
    assert result.rows_read == 1 and len(result.rejected) == 0 and result.format == "qualtrics_legacy_csv"
    row = result.accepted.iloc[0]
    assert row["response_id"] == "R_2YPOQ602ER1jkf1"
    assert row["recorded_at"] == pd.Timestamp("2017-07-18 08:28:48")  # EndDate
    assert bool(row["finished"]) and pd.isna(row["progress"])
    assert pd.isna(row["person_ref"]) and pd.isna(row["email"])
    assert row["Q1"] == 2.0 and row["Q2"] == "Hello World!"
    assert row["source_row"] == 3  # after the two header rows
    assert "LocationAccuracy" in result.rejected.columns  # the trailing comma made no extra column


def test_legacy_rows_are_scored_and_previews_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = legacy_file(
        tmp_path,
        [
            'R_a,Default,Anonymous,E7,b@x.example,,0,2015-05-04 10:00:00,2015-05-04 10:09:00,1,4,"more, training"',
            "R_b,Default,Anonymous,,,,1,2015-05-04 11:00:00,2015-05-04 11:01:00,1,4,",
            "R_c,Default,Anonymous,,,,0,2015-05-04 12:00:00,2015-05-04 12:02:00,0,agree,",
        ],
    )
    result = QualtricsLegacyAdapter().read(
        path, ExportSettings(file="x"), settings_for(template_settings, ["Q1_1"], ["Q7"])
    )
    assert result.accepted["response_id"].tolist() == ["R_a", "R_c"]
    assert result.accepted["Q1_1"].tolist() == [4.0, 4.0]
    assert result.accepted["Q7"].iloc[0] == "more, training"
    assert result.accepted["finished"].tolist() == [True, False]
    assert result.accepted["person_ref"].iloc[0] == "E7"
    assert result.rejected[["source_row", "reason", "column"]].values.tolist() == [
        [4, "survey preview, test or spam response", "V7"]
    ]


def test_sniff_tells_the_two_qualtrics_formats_apart(samples: Path) -> None:
    legacy = samples / "qualtrics" / "sample-legacy-export.csv"
    current = samples / "qualtrics" / "sample-three-header-rows-german.csv"
    monkey = samples / "surveymonkey" / "steak-risk-survey.csv"
    assert [QualtricsAdapter().sniff(p) for p in (legacy, current, monkey)] == [False, True, False]
    assert [QualtricsLegacyAdapter().sniff(p) for p in (legacy, current, monkey)] == [True, False, False]


def test_each_qualtrics_adapter_refuses_the_other_format_and_says_which(
    samples: Path, template_settings: Settings
) -> None:
    with pytest.raises(InputError) as caught:
        QualtricsAdapter().read(
            samples / "qualtrics" / "sample-legacy-export.csv", ExportSettings(file="x"), template_settings
        )
    assert "qualtrics_legacy_csv" in caught.value.hint
    with pytest.raises(InputError, match="legacy"):
        QualtricsLegacyAdapter().read(
            samples / "qualtrics" / "sample-three-header-rows-german.csv", ExportSettings(file="x"), template_settings
        )


def test_a_file_with_only_the_header_rows_gives_an_empty_table(tmp_path: Path, template_settings: Settings) -> None:
    settings = settings_for(template_settings, ["Q1_1"], ["Q7"])
    result = QualtricsAdapter().read(qualtrics_file(tmp_path, []), ExportSettings(file="x"), settings)
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty
    result = QualtricsLegacyAdapter().read(legacy_file(tmp_path, []), ExportSettings(file="x"), settings)
    assert result.rows_read == 0 and result.accepted.empty and result.rejected.empty


@pytest.mark.parametrize("adapter", [QualtricsAdapter(), QualtricsLegacyAdapter()], ids=lambda a: a.name)
@pytest.mark.parametrize("content", ["", "\ufeff\r\n", "header-only", "surveymonkey"])
def test_malformed_files_raise_input_errors(
    tmp_path: Path, template_settings: Settings, samples: Path, adapter: QualtricsAdapter, content: str
) -> None:
    if content == "header-only":
        path = qualtrics_file(tmp_path, []) if adapter.name == "qualtrics_csv" else legacy_file(tmp_path, [])
    elif content == "surveymonkey":
        path = samples / "surveymonkey" / "steak-risk-survey.csv"
    else:
        path = write(tmp_path / "empty.csv", content)
    with pytest.raises(InputError):
        adapter.read(path, ExportSettings(file="x"), template_settings)

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scalegap.errors import ConfigurationError, InputError
from scalegap.ingest.jira import JiraAdapter
from scalegap.ingest.servicenow import ServiceNowAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

# a CSV list export: field names as headers, display values, every value quoted, UTF-8 with BOM, CRLF
FIELD_HEADER = (
    '"number","opened_at","short_description","caller_id","caller_id.employee_number","priority",'
    '"state","category","assignment_group","resolved_at","reopen_count"'
)
CHANNELS = {"AI Pilot Team": "build_team", "service desk": "service_desk"}


def csv_export(tmp_path: Path, lines: list[str], name: str = "incident.csv") -> Path:
    return write(tmp_path / name, "\ufeff" + "\r\n".join(lines) + "\r\n")


def test_a_field_name_export_is_read(tmp_path: Path, template_settings: Settings) -> None:
    path = csv_export(
        tmp_path,
        [
            FIELD_HEADER,
            '"INC0010001","2026-03-24 09:15:00","Assistant gives\nwrong totals","Abel Tuter","E1","1 - Critical",'
            '"Resolved","Software","AI Pilot Team","2026-03-25 13:05:00","0"',
            '"INC0010002","2026-04-02 12:00:00","How to prompt","Beth Anglin","E2","4 - Low","In Progress",'
            '"Inquiry / Help","Service Desk","",""',
            '"INC0010003","2026-04-03 08:00:00","Walk-in","Carl Ho","E3","3 - Moderate","New","Inquiry / Help",'
            '"Hardware","",""',
        ],
    )
    export = ExportSettings(
        file="incident.csv", columns={"person_id": "caller_id.employee_number"}, values={"channel": CHANNELS}
    )
    result = ServiceNowAdapter().read(path, export, template_settings)
    assert result.rows_read == 3 and len(result.rejected) == 0
    first = result.accepted.iloc[0]
    assert first["ticket_id"] == "INC0010001" and first["person_id"] == "E1"
    assert first["created_at"] == pd.Timestamp("2026-03-24 09:15")
    assert first["resolved_at"] == pd.Timestamp("2026-03-25 13:05")
    assert first["priority"] == "1 - Critical" and first["status"] == "Resolved" and first["category"] == "Software"
    assert first["reopen_count"] == 0
    assert pd.isna(first["first_response_at"])
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk", "other"]
    assert result.accepted["source_row"].tolist() == [2, 3, 4]
    assert any("'assignment_group'" in warning and "Hardware" in warning for warning in result.warnings)


def test_a_label_export_with_day_first_dates(tmp_path: Path, template_settings: Settings) -> None:
    path = csv_export(
        tmp_path,
        [
            '"Number","Opened","Caller","Priority","State","Assignment group","Resolved","Reopen count"',
            '"INC0010001","24-03-2026 09:15:00","Abel Tuter","2 - High","Closed","AI Pilot Team",'
            '"01-04-2026 10:00:00","1"',
            '"INC0010002","02-04-2026 12:00:00","Beth Anglin","2 - High","Resolved","Service Desk",'
            '"13-04-2026 08:30:00","0"',
        ],
    )
    result = ServiceNowAdapter().read(path, ExportSettings(file="i", values={"channel": CHANNELS}), template_settings)
    assert result.accepted["created_at"].tolist() == [
        pd.Timestamp("2026-03-24 09:15"),
        pd.Timestamp("2026-04-02 12:00"),
    ]
    assert result.accepted["resolved_at"].tolist() == [
        pd.Timestamp("2026-04-01 10:00"),
        pd.Timestamp("2026-04-13 08:30"),
    ]
    assert result.accepted["person_id"].tolist() == ["Abel Tuter", "Beth Anglin"]
    assert result.accepted["reopen_count"].tolist() == [1.0, 0.0]
    assert not any("cannot be told apart" in warning for warning in result.warnings)


def test_month_first_dates_with_am_pm(tmp_path: Path, template_settings: Settings) -> None:
    path = csv_export(
        tmp_path,
        [
            '"number","opened_at","resolved_at"',
            '"INC1","03/24/2026 09:15:00 AM","03/24/2026 01:30:00 PM"',
            '"INC2","04/02/2026 11:00:00 PM",""',
        ],
    )
    result = ServiceNowAdapter().read(path, ExportSettings(file="i"), template_settings)
    assert result.accepted["created_at"].tolist() == [
        pd.Timestamp("2026-03-24 09:15"),
        pd.Timestamp("2026-04-02 23:00"),
    ]
    assert result.accepted["resolved_at"].iloc[0] == pd.Timestamp("2026-03-24 13:30")


def test_one_date_order_per_file_and_a_note_when_undecidable(tmp_path: Path, template_settings: Settings) -> None:
    # only the opened column tells the order (month first: 03-24); alone, the resolved column would be
    # undecidable and read day first
    decided = csv_export(
        tmp_path, ['"number","opened_at","resolved_at"', '"INC1","03-24-2026 09:15:00","04-05-2026 10:00:00"']
    )
    result = ServiceNowAdapter().read(decided, ExportSettings(file="i"), template_settings)
    assert result.accepted["resolved_at"].iloc[0] == pd.Timestamp("2026-04-05 10:00")
    assert not any("cannot be told apart" in warning for warning in result.warnings)
    ambiguous = csv_export(tmp_path, ['"number","opened_at"', '"INC1","03-04-2026 09:15:00"'], "b.csv")
    result = ServiceNowAdapter().read(ambiguous, ExportSettings(file="i"), template_settings)
    assert any("cannot be told apart" in warning for warning in result.warnings)
    chosen = ServiceNowAdapter().read(
        ambiguous, ExportSettings(file="i", date_format="%m-%d-%Y %H:%M:%S"), template_settings
    )
    assert chosen.accepted["created_at"].iloc[0] == pd.Timestamp("2026-03-04 09:15")


def test_bad_rows_are_rejected_with_reasons(tmp_path: Path, template_settings: Settings) -> None:
    path = csv_export(
        tmp_path,
        [
            FIELD_HEADER,
            '"INC1","2026-03-24 09:15:00","ok","A","E1","3 - Moderate","New","x","Service Desk","","2"',
            '"","2026-03-24 09:15:00","no number","A","E1","3 - Moderate","New","x","Service Desk","",""',
            '"INC1","2026-03-24 09:15:00","again","A","E1","3 - Moderate","New","x","Service Desk","",""',
            '"INC3","2026-03-24 09:15:00","travel","A","E1","3 - Moderate","Resolved","x","Service Desk",'
            '"2026-03-23 09:15:00",""',
            '"INC4","2026-03-24 09:15:00","negative","A","E1","3 - Moderate","New","x","Service Desk","","-1"',
            '"INC5","2026-03-24 09:15:00","fraction","A","E1","3 - Moderate","New","x","Service Desk","","1.5"',
            '"INC6","2026-03-24 09:15:00","text","A","E1","3 - Moderate","New","x","Service Desk","","many"',
            '"INC7","","no date","A","E1","3 - Moderate","New","x","Service Desk","",""',
            '"INC8","yesterday","bad date","A","E1","3 - Moderate","New","x","Service Desk","",""',
        ],
    )
    result = ServiceNowAdapter().read(path, ExportSettings(file="i", values={"channel": CHANNELS}), template_settings)
    assert result.accepted["ticket_id"].tolist() == ["INC1"]
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons == {
        3: "ticket id is empty",
        4: "ticket id repeats an earlier row (the first is kept)",
        5: "resolved before it was created",
        6: "reopen count is negative",
        7: "reopen count is not a whole number",
        8: "value is not a number",
        9: "created date is empty",
        10: "value is not a date",
    }
    assert dict(zip(result.rejected["source_row"], result.rejected["column"]))[6] == "reopen_count"


def test_first_response_is_used_only_when_mapped(tmp_path: Path, template_settings: Settings) -> None:
    path = csv_export(
        tmp_path,
        [
            '"number","opened_at","u_first_response","resolved_at"',
            '"INC1","2026-03-24 09:15:00","2026-03-24 09:45:00",""',
            '"INC2","2026-03-24 09:15:00","2026-03-24 09:00:00",""',
        ],
    )
    unmapped = ServiceNowAdapter().read(path, ExportSettings(file="i"), template_settings)
    assert unmapped.accepted["first_response_at"].isna().all() and len(unmapped.rejected) == 0
    export = ExportSettings(file="i", columns={"first_response_at": "U_First_Response"})  # any case
    mapped = ServiceNowAdapter().read(path, export, template_settings)
    assert mapped.accepted["first_response_at"].tolist() == [pd.Timestamp("2026-03-24 09:45")]
    assert mapped.rejected["reason"].tolist() == ["first response before it was created"]


def test_the_default_list_layout_warns_about_what_it_lacks(tmp_path: Path, template_settings: Settings) -> None:
    # the incident list's default columns: no resolved_at, the caller as a display name
    path = csv_export(
        tmp_path,
        [
            '"number","opened_at","short_description","caller_id","priority","state","category","assignment_group",'
            '"assigned_to","sys_updated_on","sys_updated_by"',
            '"INC1","2026-03-24 09:15:00","x","","1 - Critical","New","x","Service Desk","","2026-03-24 09:15:00","admin"',  # noqa: E501
        ],
    )
    result = ServiceNowAdapter().read(path, ExportSettings(file="i"), template_settings)
    assert len(result.accepted) == 1
    assert any("resolution time" in warning for warning in result.warnings)
    assert any("'caller_id' is empty in every row" in warning for warning in result.warnings)


def test_an_xlsx_export_with_labels(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Page 1"
    sheet.append(["Number", "Opened", "Caller", "Priority", "State", "Assignment group", "Resolved"])
    sheet.append(
        [
            "INC0010001",
            "2026-03-24 09:15:00",
            "Abel Tuter",
            "1 - Critical",
            "Resolved",
            "AI Pilot Team",
            "2026-03-25 13:05:00",
        ]
    )
    sheet.append(["INC0010002", "2026-03-26 10:00:00", "Beth Anglin", "4 - Low", "New", "Service Desk", None])
    workbook.save(tmp_path / "incident.xlsx")
    export = ExportSettings(file="incident.xlsx", values={"channel": CHANNELS})
    result = ServiceNowAdapter().read(tmp_path / "incident.xlsx", export, template_settings)
    assert result.accepted["ticket_id"].tolist() == ["INC0010001", "INC0010002"]
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk"]
    assert result.accepted["resolved_at"].iloc[0] == pd.Timestamp("2026-03-25 13:05")


def test_an_xlsx_cut_at_the_cell_limit_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    workbook.active.append(["Number", "Opened"])
    workbook.active.append(["INC1", "2026-03-24 09:15:00"])
    workbook.active.append(["Export stopped due to excessive size. Use CSV for a complete export"])
    workbook.save(tmp_path / "incident.xlsx")
    with pytest.raises(InputError, match="stopped this Excel export") as error:
        ServiceNowAdapter().read(tmp_path / "incident.xlsx", ExportSettings(file="i"), template_settings)
    assert error.value.row == 3 and "CSV" in (error.value.hint or "")


def test_an_export_at_the_default_limit_gets_a_warning(tmp_path: Path, template_settings: Settings) -> None:
    rows = [f'"INC{n:07d}","2026-03-24 09:15:00"' for n in range(10_000)]
    path = csv_export(tmp_path, ['"number","opened_at"', *rows])
    result = ServiceNowAdapter().read(path, ExportSettings(file="i"), template_settings)
    assert result.rows_read == 10_000
    assert any("10,000 rows" in warning for warning in result.warnings)


def test_malformed_inputs_raise_input_errors(tmp_path: Path, template_settings: Settings) -> None:
    no_number = csv_export(tmp_path, ['"numbr","opened_at"', '"INC1","2026-03-24 09:15:00"'])
    with pytest.raises(InputError, match="'number' is missing") as error:
        ServiceNowAdapter().read(no_number, ExportSettings(file="i"), template_settings)
    assert "numbr" in (error.value.hint or "")
    good = csv_export(tmp_path, ['"number","opened_at"', '"INC1","2026-03-24 09:15:00"'], "good.csv")
    with pytest.raises(InputError, match="mapped column 'Caller ID' is not in the file"):
        ServiceNowAdapter().read(good, ExportSettings(file="i", columns={"person_id": "Caller ID"}), template_settings)
    with pytest.raises(InputError, match="unknown field"):
        ServiceNowAdapter().read(good, ExportSettings(file="i", columns={"caller": "caller_id"}), template_settings)
    page = write(tmp_path / "page.csv", "<!DOCTYPE html><html><body>Log in to ServiceNow</body></html>")
    with pytest.raises(InputError, match="web page"):
        ServiceNowAdapter().read(page, ExportSettings(file="i"), template_settings)


def test_a_channel_mapped_to_an_unknown_channel_is_a_configuration_error(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = csv_export(tmp_path, ['"number","opened_at"', '"INC1","2026-03-24 09:15:00"'])
    with pytest.raises(ConfigurationError, match="mapped to 'helpdesk'"):
        ServiceNowAdapter().read(
            path, ExportSettings(file="i", values={"channel": {"Service Desk": "helpdesk"}}), template_settings
        )


def test_sniff_recognises_names_and_labels_but_not_jira(tmp_path: Path) -> None:
    assert ServiceNowAdapter().sniff(csv_export(tmp_path, [FIELD_HEADER], "a.csv"))
    assert ServiceNowAdapter().sniff(write(tmp_path / "b.csv", "Number,Opened,Caller,State\n"))
    jira = write(tmp_path / "j.csv", "Summary,Issue key,Issue id,Created\n")
    assert not ServiceNowAdapter().sniff(jira) and JiraAdapter().sniff(jira)


def test_a_dot_walked_employee_number_is_preferred_to_the_callers_name(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = csv_export(
        tmp_path,
        [
            '"number","opened_at","caller_id","caller_id.employee_number"',
            '"INC1","2026-03-24 09:15:00","Abel Tuter","E7"',
        ],
    )
    result = ServiceNowAdapter().read(path, ExportSettings(file="i"), template_settings)
    assert result.accepted["person_id"].tolist() == ["E7"]

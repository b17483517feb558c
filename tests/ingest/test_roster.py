from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scalegap.errors import InputError
from scalegap.ingest.roster import RosterAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

HEADER = "Employee ID,Email,Department,Role,Hire Date,Pilot,Volunteered\n"


def test_roster_rows_are_parsed_and_problems_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "hr.csv",
        HEADER
        + "\n".join(
            [
                "E1, Ann.Lee@Example.com ,Finance,Analyst,03/02/2020,Y,Y",
                "E2,bo@example.com,,Analyst,03/02/2020,N,N",
                "E1,ann2@example.com,IT,Analyst,03/02/2020,N,N",
                "E3,cy@example.com,IT,Analyst,31/02/2019,N,N",
                "E4,not-an-address,IT,Analyst,01/01/2019,maybe,N",
                "E5,di@example.com,IT,Analyst,01/01/2019,N,",
            ]
        )
        + "\n",
    )
    result = RosterAdapter().read(path, ExportSettings(file="hr.csv", date_format="%d/%m/%Y"), template_settings)
    assert result.rows_read == 6
    assert result.accepted["person_id"].tolist() == ["E1", "E5"]
    first = result.accepted.iloc[0]
    assert first["email"] == "ann.lee@example.com" and bool(first["in_pilot"]) and bool(first["volunteered"])
    assert str(first["hire_date"].date()) == "2020-02-03"
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons == {
        3: "department is empty",
        4: "employee ID repeats an earlier row (the first is kept)",
        5: "value is not a date in the format %d/%m/%Y",
        6: "value is not a yes/no value",
    }


def test_the_column_mapping_renames_headers(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "hr.csv", "Personnel No,Dept,AI Pilot\nP1,Ops,yes\n")
    export = ExportSettings(
        file="hr.csv", columns={"person_id": "Personnel No", "department": "Dept", "in_pilot": "AI Pilot"}
    )
    result = RosterAdapter().read(path, export, template_settings)
    assert result.accepted[["person_id", "department"]].values.tolist() == [["P1", "Ops"]]
    assert result.accepted["role"].isna().all()


def test_an_xlsx_roster_with_excel_dates_and_a_chosen_sheet(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    workbook.active.title = "Summary"
    workbook.active.append(["Headcount", 3])
    sheet = workbook.create_sheet("Employees")
    sheet.append(["Employee ID", "Email", "Department", "Hire Date", "Pilot", "Volunteered"])
    sheet.append([1001, "Ann.Lee@Example.com", "Finance", datetime(2020, 2, 3), "Y", "Y"])
    sheet.append([1002, "bo@example.com", "Legal", date(2021, 11, 30), "N", "N"])
    sheet.append([1003, "cy@example.com", "Legal", "not known", "N", "N"])
    path = tmp_path / "hr.xlsx"
    workbook.save(path)
    result = RosterAdapter().read(path, ExportSettings(file="hr.xlsx", sheet="Employees"), template_settings)
    assert result.rows_read == 3
    assert result.accepted["person_id"].tolist() == ["1001", "1002"]  # numbers read as text, no ".0"
    assert result.accepted["hire_date"].tolist() == [pd.Timestamp("2020-02-03"), pd.Timestamp("2021-11-30")]
    assert result.accepted["email"].iloc[0] == "ann.lee@example.com"
    assert result.rejected["source_row"].tolist() == [4]
    assert result.rejected["reason"].iloc[0].startswith("value is not a")
    assert result.rejected["column"].iloc[0] == "Hire Date"
    with pytest.raises(InputError, match="sheet 'Staff' not found") as error:
        RosterAdapter().read(path, ExportSettings(file="hr.xlsx", sheet="Staff"), template_settings)
    assert "Summary, Employees" in (error.value.hint or "")


def test_a_missing_pilot_column_is_named_by_its_values(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "hr.csv", "Employee ID,Department,Teilnahme\nE1,Sales,Ja\nE2,Sales,Nein\n")
    with pytest.raises(InputError, match="required column 'Pilot' is missing") as error:
        RosterAdapter().read(path, ExportSettings(file="hr.csv"), template_settings)
    assert "'Teilnahme' holds yes/no values, as in_pilot would" in error.value.hint


def test_a_missing_employee_id_is_named_by_its_usual_header(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "hr.csv", "employee_id,task_id,Department,Pilot\nE1,T1,Sales,Y\n")
    result = RosterAdapter().read(path, ExportSettings(file="hr.csv"), template_settings)
    assert result.accepted["person_id"].tolist() == ["E1"]  # employee_id is Employee ID, compared loosely
    path = write(tmp_path / "hr2.csv", "Staff No,task_id,Department,Pilot\nE1,T1,Sales,Y\n")
    with pytest.raises(InputError) as error:
        RosterAdapter().read(path, ExportSettings(file="hr.csv"), template_settings)
    assert "'Staff No' is a usual name for person_id" in error.value.hint

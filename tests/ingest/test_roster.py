from pathlib import Path

from scalegap.ingest.roster import RosterAdapter
from scalegap.settings import ExportSettings, Settings

from tests.support import write

HEADER = "Employee ID,Email,Department,Role,Hire Date,Pilot,Volunteered\n"


def test_roster_rows_are_parsed_and_problems_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "hr.csv", HEADER + "\n".join([
        "E1, Ann.Lee@Example.com ,Finance,Analyst,03/02/2020,Y,Y",
        "E2,bo@example.com,,Analyst,03/02/2020,N,N",
        "E1,ann2@example.com,IT,Analyst,03/02/2020,N,N",
        "E3,cy@example.com,IT,Analyst,31/02/2019,N,N",
        "E4,not-an-address,IT,Analyst,01/01/2019,maybe,N",
        "E5,di@example.com,IT,Analyst,01/01/2019,N,",
    ]) + "\n")
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
    export = ExportSettings(file="hr.csv", columns={"person_id": "Personnel No", "department": "Dept",
                                                    "in_pilot": "AI Pilot"})
    result = RosterAdapter().read(path, export, template_settings)
    assert result.accepted[["person_id", "department"]].values.tolist() == [["P1", "Ops"]]
    assert result.accepted["role"].isna().all()

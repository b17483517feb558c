import importlib.util
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from scalegap.errors import InputError
from scalegap.ingest.governance import GovernanceXlsxAdapter, GovernanceYamlAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import ROOT, TEMPLATE, write


def test_the_template_checklist_reads_cleanly(template_settings: Settings) -> None:
    path = TEMPLATE / "exports" / "governance_checklist.yml"
    result = GovernanceYamlAdapter().read(path, ExportSettings(file="g"), template_settings)
    assert result.rows_read >= 20 and len(result.rejected) == 0
    assert set(result.accepted["nist_function"]) == {"Govern", "Map", "Measure", "Manage"}


def test_bad_items_are_rejected_with_their_yaml_line(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "g.yml",
        "items:\n"
        "  - {id: G1, question: Owner named, nist_function: Govern, status: in_place, owner: Ann}\n"
        "  - {id: G2, question: Monitored, nist_function: Monitor, status: absent}\n"
        "  - {id: G3, question: Incidents handled, nist_function: Manage, status: done}\n",
    )
    result = GovernanceYamlAdapter().read(path, ExportSettings(file="g"), template_settings)
    assert result.accepted["id"].tolist() == ["G1"]
    assert result.rejected["source_row"].tolist() == [3, 4]
    assert "nist_function" in result.rejected["reason"].iloc[0]


def test_a_checklist_without_items_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    with pytest.raises(InputError, match="items"):
        GovernanceYamlAdapter().read(
            write(tmp_path / "g.yml", "owner: me\n"), ExportSettings(file="g"), template_settings
        )


# --- the checklist as a workbook (governance_xlsx) ---

TEMPLATE_XLSX = TEMPLATE / "governance_checklist.xlsx"
TEMPLATE_YAML = TEMPLATE / "exports" / "governance_checklist.yml"


def test_the_xlsx_template_holds_the_yaml_checklist(template_settings: Settings) -> None:
    from_xlsx = GovernanceXlsxAdapter().read(TEMPLATE_XLSX, ExportSettings(file="g"), template_settings)
    from_yaml = GovernanceYamlAdapter().read(TEMPLATE_YAML, ExportSettings(file="g"), template_settings)
    assert len(from_xlsx.rejected) == 0 and from_xlsx.rows_read == from_yaml.rows_read
    fields = ["id", "area", "question", "nist_function", "nist_category", "status"]
    assert from_xlsx.accepted[fields].equals(from_yaml.accepted[fields])
    assert from_xlsx.accepted["source_row"].tolist() == list(range(2, from_yaml.rows_read + 2))


def test_the_template_script_reports_it_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("make_governance_xlsx", ROOT / "scripts" / "make_governance_xlsx.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--check"]) == 0


def test_the_template_offers_the_allowed_values() -> None:
    sheet = load_workbook(TEMPLATE_XLSX)["Checklist"]
    choices = {rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert choices == {'"in_place,partial,absent"', '"Govern,Map,Measure,Manage"'}


def test_a_filled_workbook_reports_spreadsheet_rows(tmp_path: Path, template_settings: Settings) -> None:
    workbook = load_workbook(TEMPLATE_XLSX)
    sheet = workbook["Checklist"]
    sheet["A1"], sheet["D1"], sheet["F1"] = "ID", "NIST Function", " Status "  # headers retyped by hand
    sheet["F2"], sheet["G2"], sheet["H2"] = "In place", "Ann Lee (COO)", "RACI signed 2026-02-01"
    sheet["F3"] = "partial"
    sheet["F4"] = "done"
    sheet["D5"] = "Monitor"
    sheet["A6"] = "GOV-01"
    sheet["A7"] = None
    path = tmp_path / "governance_checklist.xlsx"
    workbook.save(path)
    result = GovernanceXlsxAdapter().read(path, ExportSettings(file="g"), template_settings)
    first = result.accepted.iloc[0]
    assert (first["id"], first["status"], first["owner"]) == ("GOV-01", "in_place", "Ann Lee (COO)")
    assert result.accepted["status"].iloc[1] == "partial"
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons == {
        4: "status must be one of in_place, partial, absent",
        5: "nist_function must be one of Govern, Map, Measure, Manage",
        6: "item id repeats an earlier item",
        7: "item has no id",
    }
    assert result.rows_read == len(result.accepted) + 4


def test_the_sheet_and_column_names_can_be_chosen(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    workbook.active.append(["Read me first"])
    sheet = workbook.create_sheet("Checkliste")
    sheet.append(["Nr", "Funktion", "Stand", "Frage"])
    sheet.append(["G1", "govern", "absent", "Owner named?"])
    path = tmp_path / "g.xlsx"
    workbook.save(path)
    export = ExportSettings(
        file="g.xlsx",
        sheet="Checkliste",
        columns={"id": "Nr", "nist_function": "Funktion", "status": "Stand", "question": "Frage"},
    )
    result = GovernanceXlsxAdapter().read(path, export, template_settings)
    assert result.accepted[["id", "nist_function", "question"]].values.tolist() == [["G1", "Govern", "Owner named?"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body><table><tr><td>id</td></tr></table></body></html>", "web page"),
        (b"id,nist_function,status\nG1,Govern,absent\n", "not an Excel workbook"),
    ],
)
def test_an_xlsx_that_is_not_a_workbook_is_refused(
    tmp_path: Path, template_settings: Settings, content: bytes, message: str
) -> None:
    path = tmp_path / "governance_checklist.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        GovernanceXlsxAdapter().read(path, ExportSettings(file="g"), template_settings)


def test_a_workbook_without_a_status_column_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    workbook.active.append(["id", "nist_function", "state"])
    workbook.save(tmp_path / "g.xlsx")
    with pytest.raises(InputError, match="'status' is missing") as error:
        GovernanceXlsxAdapter().read(tmp_path / "g.xlsx", ExportSettings(file="g"), template_settings)
    assert "state" in (error.value.hint or "")


def test_sniff_recognises_workbooks_only(tmp_path: Path) -> None:
    assert GovernanceXlsxAdapter().sniff(tmp_path / "governance_checklist.xlsx")
    assert not GovernanceXlsxAdapter().sniff(tmp_path / "governance_checklist.yml")


def test_a_checklist_cut_in_its_last_item_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    whole = (TEMPLATE / "exports" / "governance_checklist.yml").read_text()
    cut = whole[: whole.index("- id: GOV-15")] + "- id: GOV-15\n  area: Pilo"
    path = write(tmp_path / "gov.yml", cut)
    with pytest.raises(InputError, match="ends in the middle of item 15") as error:
        GovernanceYamlAdapter().read(path, ExportSettings(file="gov.yml"), template_settings)
    assert "the last complete item is item 14" in error.value.message

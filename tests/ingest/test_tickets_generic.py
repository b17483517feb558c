from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scalegap.errors import InputError
from scalegap.ingest.tickets_generic import GenericTicketsAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write


def test_canonical_headers_need_no_mapping(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "\n".join(
            [
                "Ticket_ID;Person_ID;Created_At;Resolved_At;Channel;Labels;Reopen_Count;Satisfaction",
                "T-1;E1;2026-03-24T09:15:00+01:00;2026-03-24T12:00:00+01:00;Pilot chat;access, prompting;0;4",
                "T-2;E2;2026-03-25T10:00:00Z;;Desk;;;",
                "T-3;E3;2026-03-25T10:00:00Z;2026-03-24T10:00:00Z;Desk;;;",
                "T-4;E4;2026-03-25T10:00:00Z;;Desk;;-2;",
            ]
        )
        + "\n",
        encoding="cp1252",
    )
    export = ExportSettings(file="t", values={"channel": {"pilot chat": "build_team", "desk": "service_desk"}})
    result = GenericTicketsAdapter().read(path, export, template_settings)
    assert result.accepted["ticket_id"].tolist() == ["T-1", "T-2"]
    first = result.accepted.iloc[0]
    assert first["created_at"] == pd.Timestamp("2026-03-24 08:15")  # converted to UTC
    assert first["resolved_at"] == pd.Timestamp("2026-03-24 11:00")
    assert first["labels"] == "access; prompting" and first["satisfaction"] == "4"
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk"]
    assert result.rejected["reason"].tolist() == ["resolved before it was created", "reopen count is negative"]
    assert result.rejected["source_row"].tolist() == [4, 5]


def test_an_xlsx_with_excel_dates_a_mapping_and_a_sheet(tmp_path: Path, template_settings: Settings) -> None:
    workbook = Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["Exported from the help desk on 2026-04-01"])
    sheet = workbook.create_sheet("Tickets")
    sheet.append(["Ref", "Raised by", "Raised", "Closed", "Team", "Components"])
    sheet.append(
        ["H-10", "E1", datetime(2026, 3, 24, 9, 15), datetime(2026, 3, 24, 17, 0), "Pilot squad", "SSO | Assistant"]
    )
    sheet.append(["H-11", "E2", datetime(2026, 3, 2), None, "Help desk", None])
    workbook.save(tmp_path / "helpdesk.xlsx")
    export = ExportSettings(
        file="helpdesk.xlsx",
        sheet="Tickets",
        columns={
            "ticket_id": "Ref",
            "person_id": "Raised by",
            "created_at": "Raised",
            "resolved_at": "Closed",
            "channel": "Team",
            "components": "Components",
        },
        values={"channel": {"Pilot squad": "build_team", "Help desk": "service_desk"}},
    )
    result = GenericTicketsAdapter().read(tmp_path / "helpdesk.xlsx", export, template_settings)
    assert result.accepted["ticket_id"].tolist() == ["H-10", "H-11"]
    assert result.accepted["created_at"].tolist() == [pd.Timestamp("2026-03-24 09:15"), pd.Timestamp("2026-03-02")]
    assert result.accepted["resolved_at"].iloc[0] == pd.Timestamp("2026-03-24 17:00")
    assert result.accepted["components"].tolist() == ["SSO; Assistant", None]
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk"]


def test_missing_required_columns_and_wrong_files(tmp_path: Path, template_settings: Settings) -> None:
    no_created = write(tmp_path / "t.csv", "ticket_id,opened\nT-1,2026-03-24\n")
    with pytest.raises(InputError, match="'created_at' is missing") as error:
        GenericTicketsAdapter().read(no_created, ExportSettings(file="t"), template_settings)
    assert "columns: {created_at" in (error.value.hint or "")
    fake = write(tmp_path / "t.xlsx", "ticket_id,created_at\nT-1,2026-03-24\n")
    with pytest.raises(InputError, match="not an Excel workbook"):
        GenericTicketsAdapter().read(fake, ExportSettings(file="t"), template_settings)
    workbook = Workbook()
    workbook.active.append(["ticket_id", "created_at"])
    workbook.save(tmp_path / "w.xlsx")
    with pytest.raises(InputError, match="sheet 'Tickets' not found"):
        GenericTicketsAdapter().read(tmp_path / "w.xlsx", ExportSettings(file="t", sheet="Tickets"), template_settings)

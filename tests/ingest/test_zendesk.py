import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from scalegap.errors import InputError
from scalegap.ingest.zendesk import ZendeskAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write

# the CSV export's columns, in Zendesk's order (support.zendesk.com article 4408886165402), plus a custom field
HEADER = [
    "Summation column",
    "Id",
    "Requester",
    "Requester id",
    "Requester external id",
    "Requester email",
    "Requester domain",
    "Submitter",
    "Assignee",
    "Group",
    "Subject",
    "Tags",
    "Status",
    "Priority",
    "Via",
    "Ticket type",
    "Created at",
    "Updated at",
    "Assigned at",
    "Organization",
    "Due date",
    "Initially assigned at",
    "Solved at",
    "Resolution time",
    "Satisfaction Score",
    "Group stations",
    "Assignee stations",
    "Reopens",
    "Replies",
    "First reply time in minutes",
    "First reply time in minutes within business hours",
    "First resolution time in minutes",
    "First resolution time in minutes within business hours",
    "Full resolution time in minutes",
    "Full resolution time in minutes within business hours",
    "Agent wait time in minutes",
    "Agent wait time in minutes within business hours",
    "Requester wait time in minutes",
    "Requester wait time in minutes within business hours",
    "On hold time in minutes",
    "On hold time in minutes within business hours",
    "Request channel [list]",
]
CHANNELS = {"AI pilot team": "build_team", "IT Service Desk": "service_desk"}


def ticket(**cells: str) -> dict[str, str]:
    base = {
        "Summation column": "1",
        "Id": "101",
        "Requester": "Ann Lee",
        "Requester id": "36100001",
        "Requester external id": "E1",
        "Requester email": "ann.lee@acme.example",
        "Requester domain": "acme.example",
        "Group": "AI pilot team",
        "Subject": "Wrong totals",
        "Tags": "assistant excel_export",
        "Status": "Solved",
        "Priority": "High",
        "Via": "Web form",
        "Ticket type": "Incident",
        "Created at": "2026-03-24 09:15:00",
        "Updated at": "2026-03-25 13:05:00",
        "Solved at": "2026-03-25 13:05:00",
        "Satisfaction Score": "Good",
        "Reopens": "0",
        "Replies": "2",
        "First reply time in minutes": "25",
        "First reply time in minutes within business hours": "25",
    }
    return {**base, **cells}


def export_file(
    tmp_path: Path,
    tickets: list[dict[str, str]],
    name: str = "export_2026_04_01_ab12_1.csv",
    header: list[str] = HEADER,
) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows([{key: value for key, value in row.items() if key in header} for row in tickets])
    return write(tmp_path / name, buffer.getvalue())


def test_a_ticket_export_is_read(tmp_path: Path, template_settings: Settings) -> None:
    path = export_file(
        tmp_path,
        [
            ticket(),
            ticket(
                **{
                    "Summation column": "2",
                    "Id": "102",
                    "Requester external id": "E2",
                    "Group": "IT service desk",
                    "Tags": "",
                    "Status": "Open",
                    "Solved at": "",
                    "Satisfaction Score": "Offered",
                    "Reopens": "1",
                    "First reply time in minutes": "",
                    "Subject": 'Says "no", then\nstops',
                }
            ),
            ticket(
                **{
                    "Summation column": "3",
                    "Id": "103",
                    "Group": "Facilities",
                    "Satisfaction Score": "Not Offered",
                    "Tags": "  printer   access ",
                }
            ),
        ],
    )
    result = ZendeskAdapter().read(
        path, ExportSettings(file="export_*.csv", values={"channel": CHANNELS}), template_settings
    )
    assert result.rows_read == 3 and len(result.rejected) == 0
    first = result.accepted.iloc[0]
    assert first["ticket_id"] == "101" and first["person_id"] == "E1"
    assert first["created_at"] == pd.Timestamp("2026-03-24 09:15")
    assert first["first_response_at"] == pd.Timestamp("2026-03-24 09:40")
    assert first["resolved_at"] == pd.Timestamp("2026-03-25 13:05")
    assert first["labels"] == "assistant; excel_export"
    assert first["category"] == "Incident" and first["status"] == "Solved" and first["priority"] == "High"
    assert result.accepted["satisfaction"].tolist() == ["Good", None, None]
    assert result.accepted["channel"].tolist() == ["build_team", "service_desk", "other"]
    assert result.accepted["reopen_count"].tolist() == [0.0, 1.0, 0.0]
    assert pd.isna(result.accepted["first_response_at"].iloc[1]) and pd.isna(result.accepted["labels"].iloc[1])
    assert result.accepted["labels"].iloc[2] == "printer; access"
    assert any("Facilities" in warning for warning in result.warnings)


def test_via_as_the_channel_and_the_email_as_requester(tmp_path: Path, template_settings: Settings) -> None:
    header = ["ID", *HEADER[2:]]  # no summation column; the documentation spells the id "ID"
    path = export_file(tmp_path, [ticket(ID="7", Via="Closed Ticket"), ticket(ID="8", Via="Mail")], header=header)
    export = ExportSettings(
        file="z",
        columns={"channel": "via", "person_id": "Requester email"},
        values={"channel": {"closed ticket": "service_desk", "MAIL": "build_team"}},
    )
    result = ZendeskAdapter().read(path, export, template_settings)
    assert result.accepted["ticket_id"].tolist() == ["7", "8"]
    assert result.accepted["channel"].tolist() == ["service_desk", "build_team"]
    assert result.accepted["person_id"].tolist() == ["ann.lee@acme.example"] * 2


def test_day_first_dates_in_the_account_format(tmp_path: Path, template_settings: Settings) -> None:
    path = export_file(tmp_path, [ticket(**{"Created at": "24/03/2026 09:15", "Solved at": "02/04/2026 10:00"})])
    result = ZendeskAdapter().read(path, ExportSettings(file="z"), template_settings)
    assert result.accepted["resolved_at"].iloc[0] == pd.Timestamp("2026-04-02 10:00")
    assert result.accepted["first_response_at"].iloc[0] == pd.Timestamp("2026-03-24 09:40")


def test_bad_tickets_are_rejected_with_reasons(tmp_path: Path, template_settings: Settings) -> None:
    path = export_file(
        tmp_path,
        [
            ticket(),
            ticket(**{"First reply time in minutes": "-5"}, Id="102"),
            ticket(Id="103", Reopens="twice"),
            ticket(Id="104", **{"Solved at": "2026-03-20 09:00:00"}),
            ticket(Status="open"),
            ticket(),
            ticket(Id="105", **{"Created at": "soon"}),
        ],
    )
    result = ZendeskAdapter().read(path, ExportSettings(file="z"), template_settings)
    assert result.accepted["ticket_id"].tolist() == ["101"]
    reasons = dict(zip(result.rejected["source_row"], result.rejected["reason"]))
    assert reasons == {
        3: "first reply time is negative",
        4: "value is not a number",
        5: "resolved before it was created",
        6: "ticket id repeats an earlier row (the first is kept)",
        7: "duplicate of row 2",
        8: "value is not a date",
    }


def test_an_empty_external_id_gets_a_warning(tmp_path: Path, template_settings: Settings) -> None:
    path = export_file(tmp_path, [ticket(**{"Requester external id": ""})])
    result = ZendeskAdapter().read(path, ExportSettings(file="z"), template_settings)
    assert result.accepted["person_id"].isna().all()
    assert any("'Requester external id' is empty in every row" in warning for warning in result.warnings)


def test_the_emailed_zip_is_refused_with_a_hint(tmp_path: Path, template_settings: Settings) -> None:
    path = tmp_path / "export-2026-04-01.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export_2026_04_01_ab12_1.csv", ",".join(HEADER) + "\n")
    with pytest.raises(InputError, match="zip file Zendesk e-mails") as error:
        ZendeskAdapter().read(path, ExportSettings(file="z"), template_settings)
    assert "unzip" in (error.value.hint or "")


def test_malformed_inputs_raise_input_errors(tmp_path: Path, template_settings: Settings) -> None:
    no_id = write(tmp_path / "a.csv", "Ticket,Created at\n1,2026-03-24 09:15:00\n")
    with pytest.raises(InputError, match="'Id' is missing"):
        ZendeskAdapter().read(no_id, ExportSettings(file="z"), template_settings)
    empty = write(tmp_path / "b.csv", "")
    with pytest.raises(InputError, match="empty"):
        ZendeskAdapter().read(empty, ExportSettings(file="z"), template_settings)


def test_sniff(tmp_path: Path) -> None:
    assert ZendeskAdapter().sniff(export_file(tmp_path, []))
    assert not ZendeskAdapter().sniff(write(tmp_path / "n.csv", "number,opened_at\n"))

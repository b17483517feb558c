"""Helpers for tests: paths of the checkout and small files written in a test's tmp folder."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
#: the client-folder template, packaged in scalegap/assets/
TEMPLATE = ROOT / "src" / "scalegap" / "assets" / "templates" / "client"


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (its path relative to it) and its SHA-256: equal digests, untouched files."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


LIKERT = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,RecipientEmail,ExternalReference"


def tiny_client(root: Path) -> Path:
    """A small, hand-checkable client: 12 employees in two departments, 3 pilot members.

    Survey: one response matched by ID, one by e-mail (other case, spaces), one
    contractor not in the roster, one person answering twice (the later kept),
    one out-of-scale answer.  Usage: one row for someone not in the roster.
    """
    roster = ["Employee ID,Email,Department,Role,Pilot,Volunteered"]
    for number in range(1, 13):
        department = "Finance" if number <= 8 else "Legal"
        pilot = "Y" if number <= 3 else "N"
        roster.append(f"E{number},p{number}@acme.example,{department},Analyst,{pilot},{pilot}")
    write(root / "exports" / "hr.csv", "\n".join(roster) + "\n")
    imports = ",".join(
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
        ]
    )
    stamp = "2026-03-02 09:00:00,2026-03-02 09:05:00,0,100,True"
    survey = [
        f"{LIKERT},Q1_1,Q1_2",
        f"{LIKERT},Useful,Easy",
        imports,
        f"{stamp},2026-03-02 09:05:00,R_1,p1@acme.example,E1,Agree,Agree",
        f"{stamp},2026-03-02 09:06:00,R_2, P2@ACME.example ,,Disagree,Agree",
        f"{stamp},2026-03-02 09:07:00,R_3,temp@contractor.example,C9,Agree,Agree",
        f"{stamp},2026-03-02 09:08:00,R_4,p4@acme.example,E4,Agree,Agree",
        f"{stamp},2026-03-03 09:08:00,R_5,p4@acme.example,E4,Strongly agree,Agree",
        f"{stamp},2026-03-02 09:09:00,R_6,p5@acme.example,E5,Agree lots,Agree",
    ]
    write(root / "exports" / "survey.csv", "\r\n".join(survey) + "\r\n")
    write(
        root / "exports" / "usage.csv",
        "email,date,interactions\n"
        "p1@acme.example,2026-03-02,4\np1@acme.example,2026-03-03,2\np2@acme.example,2026-03-02,1\n"
        "ghost@acme.example,2026-03-02,9\np1@acme.example,2026-03-02,4\n",
    )
    write(
        root / "assessment.yml",
        """
client: {name: "Acme <Tiny> & Co"}
exports:
  roster: {file: hr.csv}
  survey: {file: survey.csv}
  usage: {file: usage.csv}
survey:
  constructs:
    usefulness: {items: [Q1_1, Q1_2]}
# a few hand-checkable rows: each planted reject is a large share of its table
validation: {max_rejected_share: 0.5}
""",
    )
    return root


def with_weekly_seat_reports(root: Path, weeks: int = 3) -> Path:
    """``tiny_client`` plus ``weeks`` weekly Microsoft 365 Copilot licence reports that list the same 3 licences
    each week (the latest report also lists one person not in the roster): every earlier week is superseded."""
    header = "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,Report Period"
    for week in range(weeks):
        day = (date(2026, 3, 2) + timedelta(weeks=week)).isoformat()
        rows = [f"{day},p{number}@acme.example,Person {number},{day},7" for number in (1, 2, 3)]
        if week == weeks - 1:
            rows.append(f"{day},ghost@acme.example,Ghost,{day},7")
        write(root / "exports" / f"m365_seats_{day}.csv", "\n".join([header, *rows]) + "\n")
    settings = root / "assessment.yml"
    text = settings.read_text(encoding="utf-8").replace(
        "  usage: {file: usage.csv}\n",
        "  usage: {file: usage.csv}\n  seats: {file: m365_seats_*.csv, format: m365_copilot_seats}\n",
    )
    settings.write_text(text, encoding="utf-8")
    return root

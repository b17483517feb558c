"""Licences and the weekly Microsoft 365 Copilot usage reports (user detail, CSV)."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from scalegap.simulate import SimulatedDeployment, SimulationParameters, simulate_deployment
from scalegap.simulate.licences import report_refresh_dates
from scalegap.simulate.m365 import M365_HEADER

SAMPLE = Path("m365-copilot") / "usage-user-detail-docs-example.csv"
HEADER = [
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "Last Activity Date",
    "Copilot Chat Last Activity Date",
    "Microsoft Teams Copilot Last Activity Date",
    "Word Copilot Last Activity Date",
    "Excel Copilot Last Activity Date",
    "PowerPoint Copilot Last Activity Date",
    "Outlook Copilot Last Activity Date",
    "OneNote Copilot Last Activity Date",
    "Loop Copilot Last Activity Date",
    "Report Period",
]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FILE_NAME = re.compile(r"m365_copilot_usage_(\d{4}-\d{2}-\d{2})\.csv")


def read_report(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reports(m365_paths: dict[str, Path]) -> dict[date, list[dict[str, str]]]:
    """Each weekly file's rows, by the refresh date in its name."""
    return {
        date.fromisoformat(FILE_NAME.fullmatch(path.name).group(1)): read_report(path) for path in m365_paths.values()
    }


def test_weekly_refreshes_are_the_mondays_of_the_pilot_and_rollout(reports: dict[date, list]) -> None:
    refreshes = sorted(reports)
    assert refreshes[0] == date(2026, 3, 9) and refreshes[-1] == date(2026, 8, 31)
    assert all(day.weekday() == 0 for day in refreshes)
    assert all(b - a == timedelta(days=7) for a, b in zip(refreshes, refreshes[1:]))
    assert refreshes == report_refresh_dates(SimulationParameters())


def test_every_file_has_the_documented_header(m365_paths: dict[str, Path]) -> None:
    assert list(M365_HEADER) == HEADER
    for path in m365_paths.values():
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfReport Refresh Date,User Principal Name,")
        assert b"\r" not in raw and raw.endswith(b"\n")
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == HEADER
        assert {len(row) for row in rows} == {len(HEADER)}


def test_header_is_the_one_of_microsofts_example(samples: Path) -> None:
    with open(samples / SAMPLE, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == HEADER


def test_report_values(reports: dict[date, list[dict[str, str]]]) -> None:
    date_columns = [name for name in HEADER if name.endswith("Date")]
    for refresh, rows in reports.items():
        assert {row["Report Refresh Date"] for row in rows} == {refresh.isoformat()}
        assert {row["Report Period"] for row in rows} == {"7"}
        assert all(ISO_DATE.fullmatch(row[c]) for row in rows for c in date_columns if row[c])
        upns = [row["User Principal Name"] for row in rows]
        assert upns == sorted(upns) and len(set(upns)) == len(upns)
        assert all(re.fullmatch(r"[a-z.0-9]+@northwind\.example", upn) for upn in upns)
        assert all(re.fullmatch(r"[A-Z][\w' ]+ [\w' ]+", row["Display Name"]) for row in rows)


def test_last_activity_never_exceeds_the_refresh_date(reports: dict[date, list[dict[str, str]]]) -> None:
    app_columns = HEADER[4:12]
    for refresh, rows in reports.items():
        for row in rows:
            last = row["Last Activity Date"]
            apps = [row[c] for c in app_columns if row[c]]
            assert not last or last <= refresh.isoformat()
            assert all(app <= last for app in apps)
            assert (max(apps) if apps else "") == last  # every active day used at least one app


def test_rows_are_the_licensed_users(
    reports: dict[date, list[dict[str, str]]], deployment: SimulatedDeployment
) -> None:
    people = deployment.people.set_index("email")
    counts = {refresh: len(rows) for refresh, rows in reports.items()}
    assert counts[date(2026, 3, 9)] == counts[date(2026, 6, 1)] == 60  # the pilot
    assert counts[date(2026, 6, 8)] == counts[date(2026, 8, 31)] == 60 + 120 + 15
    last = {row["User Principal Name"] for row in reports[date(2026, 8, 31)]}
    assert set(people.index[people["in_pilot"] | people["in_rollout_cohort"]]) <= last
    first = {row["User Principal Name"] for row in reports[date(2026, 3, 9)]}
    assert first == set(people.index[people["in_pilot"]])
    names = people.loc[list(last), ["first_name", "last_name"]].agg(" ".join, axis=1)
    assert {row["Display Name"] for row in reports[date(2026, 8, 31)]} == set(names)


def test_last_activity_agrees_with_the_daily_usage(
    reports: dict[date, list[dict[str, str]]], deployment: SimulatedDeployment
) -> None:
    usage = deployment.usage
    for refresh in (date(2026, 3, 16), date(2026, 5, 25), date(2026, 8, 31)):
        seen = usage[usage["date"] <= pd.Timestamp(refresh)].groupby("user_email")["date"].max()
        for row in reports[refresh]:
            expected = seen.get(row["User Principal Name"])
            assert row["Last Activity Date"] == ("" if expected is None else expected.date().isoformat())


def test_apps_are_a_plausible_mix(reports: dict[date, list[dict[str, str]]]) -> None:
    final = reports[date(2026, 8, 31)]
    used = {column: sum(1 for row in final if row[column]) for column in HEADER[4:12]}
    assert used["Copilot Chat Last Activity Date"] > used["OneNote Copilot Last Activity Date"]
    assert used["Loop Copilot Last Activity Date"] < 0.2 * len(final)
    assert all(count > 0 for count in used.values())
    apps_per_user = [sum(1 for c in HEADER[4:12] if row[c]) for row in final if row["Last Activity Date"]]
    assert 1 < sum(apps_per_user) / len(apps_per_user) < 6


def test_truth_licences_match_the_last_report(
    reports: dict[date, list[dict[str, str]]], deployment: SimulatedDeployment
) -> None:
    licences = deployment.truth["licences"]
    final = reports[date(2026, 8, 31)]
    ids = deployment.people.set_index("email")["employee_id"]
    never = sorted(ids[row["User Principal Name"]] for row in final if not row["Last Activity Date"])
    stopped = sorted(
        ids[row["User Principal Name"]]
        for row in final
        if row["Last Activity Date"] and row["Last Activity Date"] <= "2026-08-03"
    )
    assert licences["licensed_users"] == len(final) == 195
    assert licences["never_used_employee_ids"] == never and licences["never_used"] == len(never)
    assert licences["stopped_using_employee_ids"] == stopped and licences["stopped_using"] == len(stopped)
    assert licences["last_refresh_date"] == "2026-08-31" and licences["report_file_count"] == 26
    assert licences["inactive_window_days"] == 28 and licences["report_period_days"] == 7
    for key in ("licensed_users", "never_used", "stopped_using"):
        assert sum(d[key] for d in licences["by_department"].values()) == licences[key]
        assert sum(g[key] for g in licences["by_licence_group"].values()) == licences[key]
    assert set(licences["by_department"]) <= set(deployment.people["department"])


def test_planted_licence_waste(deployment: SimulatedDeployment) -> None:
    licences = deployment.truth["licences"]
    planted = licences["planted"]
    unused = planted["unused_licence_employee_ids"]
    assert len(unused) == 15 and set(unused) <= set(licences["never_used_employee_ids"])
    people = deployment.people.set_index("employee_id")
    assert not people.loc[unused, ["in_pilot", "in_rollout_cohort"]].any().any()
    assert not deployment.usage["employee_id"].isin(unused).any()
    dropouts = planted["pilot_dropouts"]
    assert len(dropouts) == 10 and set(dropouts) <= set(licences["stopped_using_employee_ids"])
    assert people.loc[list(dropouts), "in_pilot"].all()
    assert licences["by_licence_group"]["unused"] == {"licensed_users": 15, "never_used": 15, "stopped_using": 0}
    assert licences["by_licence_group"]["pilot"]["stopped_using"] >= 10
    assert licences["by_licence_group"]["pilot"]["stopped_using"] < 30  # most of the pilot keeps using it


def test_no_rollout_means_pilot_reports_only() -> None:
    pilot_only = simulate_deployment(SimulationParameters(rollout_department=None, n_employees=400, seed=3))
    refreshes = pilot_only.copilot_usage["report_refresh_date"].drop_duplicates()
    assert refreshes.min() == pd.Timestamp("2026-03-09") and refreshes.max() == pd.Timestamp("2026-05-25")
    licences = pilot_only.truth["licences"]
    assert licences["licensed_users"] == 60 + 15
    assert licences["planted"]["pilot_dropouts"] == {}
    assert pilot_only.usage["date"].max() <= pd.Timestamp("2026-05-22")


def test_licence_knobs_are_validated() -> None:
    with pytest.raises(ValueError, match="pilot_dropouts"):
        SimulationParameters(pilot_dropouts=-1)
    fewer = simulate_deployment(SimulationParameters(unused_licences=0, pilot_dropouts=0, n_employees=300, seed=5))
    assert fewer.truth["licences"]["planted"] == {"unused_licence_employee_ids": [], "pilot_dropouts": {}}
    assert fewer.people["usage_stopped_on"].isna().all()

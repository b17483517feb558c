from pathlib import Path

import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError, InputError
from scalegap.models import activity
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.support import tiny_client


@pytest.fixture
def tables(tmp_path: Path) -> tuple[list[Path], Path]:
    """Ann (Finance) and Bob (Legal) around New Year 2027; Cy is not in the roster.

    2026-12-31 (Thu) and 2027-01-01 (Fri) are both in ISO week 53 of 2026; 2027-01-04 is a Monday.
    """
    first = pd.DataFrame(
        {
            "person_id": ["ann", "ann", "bob", "ann", None],
            "date": pd.to_datetime(["2026-12-31", "2027-01-01", "2027-01-01", "2027-01-04", "2027-01-04"]),
            "source": ["github_copilot_users"] * 5,
        }
    )
    second = pd.DataFrame(
        {  # M365 also saw Ann on 2027-01-01 (counted once) and Cy on 2027-01-05
            "person_id": ["ann", "cy"],
            "date": pd.to_datetime(["2027-01-01 09:30", "2027-01-05 17:00"]),
            "source": ["m365_copilot_usage"] * 2,
        }
    )
    roster = pd.DataFrame(
        {
            "person_id": ["ann", "bob"],
            "department": ["Finance", "Legal"],
            "role": [None, None],
            "location": ["Paris", "Paris"],
            "tenure_band": ["1-3 years", "<1 year"],
        }
    )
    paths = [tmp_path / "usage-1.parquet", tmp_path / "usage-2.parquet"]
    first.to_parquet(paths[0])
    second.to_parquet(paths[1])
    roster.to_parquet(tmp_path / "roster.parquet")
    return paths, tmp_path / "roster.parquet"


def as_text(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else value for value in row]
        for row in frame.astype(object).where(frame.notna(), None).values.tolist()
    ]


def test_daily_active_users_count_a_person_once_a_day(tables: tuple[list[Path], Path]) -> None:
    usage, _ = tables
    assert as_text(activity.daily_active_users(usage)) == [
        ["2026-12-31", 1],
        ["2027-01-01", 2],
        ["2027-01-04", 1],
        ["2027-01-05", 1],
    ]
    assert as_text(activity.daily_active_users(usage, sources=["m365_copilot_usage"])) == [
        ["2027-01-01", 1],
        ["2027-01-05", 1],
    ]


def test_weekly_active_users_use_iso_weeks(tables: tuple[list[Path], Path]) -> None:
    usage, _ = tables
    assert as_text(activity.weekly_active_users(usage)) == [[2026, 53, "2026-12-28", 2], [2027, 1, "2027-01-04", 2]]


def test_weekly_active_users_by_segment(tables: tuple[list[Path], Path]) -> None:
    usage, roster = tables
    weekly = activity.weekly_active_users(usage, "department", roster=roster)
    assert as_text(weekly[["iso_week", "department", "active_users"]]) == [
        [53, "Finance", 1],
        [53, "Legal", 1],
        [1, "Finance", 1],
        [1, None, 1],
    ]  # Cy has no segment


def test_active_days_per_person_per_week(tables: tuple[list[Path], Path]) -> None:
    usage, roster = tables
    days = activity.active_days_per_week(usage, "tenure_band", roster=roster)
    assert as_text(days[["person_id", "iso_year", "iso_week", "tenure_band", "active_days"]]) == [
        ["ann", 2026, 53, "1-3 years", 2],
        ["ann", 2027, 1, "1-3 years", 1],
        ["bob", 2026, 53, "<1 year", 1],
        ["cy", 2027, 1, None, 1],
    ]


def test_first_and_last_active_day_per_person(tables: tuple[list[Path], Path]) -> None:
    usage, _ = tables
    assert as_text(activity.first_last_active(usage)) == [
        ["ann", "2026-12-31", "2027-01-04", 3],
        ["bob", "2027-01-01", "2027-01-01", 1],
        ["cy", "2027-01-05", "2027-01-05", 1],
    ]


def test_a_prepared_package_is_read_directly(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    assert as_text(activity.daily_active_users(package, "department")) == [
        ["2026-03-02", "Finance", 2],
        ["2026-03-03", "Finance", 1],
    ]
    assert 'FROM "usage"' in activity.statement("daily_active_users")


def test_unknown_segment_and_missing_files_are_reported(tables: tuple[list[Path], Path], tmp_path: Path) -> None:
    usage, roster = tables
    with pytest.raises(ConfigurationError, match="unknown segment 'team; DROP TABLE x'"):
        activity.daily_active_users(usage, "team; DROP TABLE x", roster=roster)
    with pytest.raises(ConfigurationError, match="needs the roster"):
        activity.daily_active_users(usage, "department")
    with pytest.raises(InputError, match="usage parquet file not found"):
        activity.daily_active_users(tmp_path / "nope.parquet")

"""The activity queries, written once in Ibis, give the same aggregates on DuckDB and on Polars."""

import subprocess
import sys
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest

from scalegap.models import activity, activity_queries

QUERIES = ["daily_active_users", "weekly_active_users", "active_days_per_week", "first_last_active"]


@pytest.fixture(scope="module")
def usage_and_roster() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two sources over two New Years (2020-21: ISO week 53 of 2020; 2026-27: week 53 of 2026), the same
    person-days reported twice, timestamps within a day, rows without a person, people missing from the roster."""
    rng = np.random.default_rng(7)
    days = pd.to_datetime(
        np.concatenate([pd.date_range("2020-12-20", "2021-01-17"), pd.date_range("2026-12-21", "2027-01-12")])
    )
    people = [f"p{i:02d}" for i in range(40)]
    n = 3000
    usage = pd.DataFrame(
        {
            "person_id": rng.choice(people + [None], n),
            "date": rng.choice(days, n) + pd.to_timedelta(rng.integers(0, 24 * 60, n), unit="min"),
            "source": rng.choice(["github_copilot_users", "m365_copilot_usage", "chatgpt_enterprise"], n),
        }
    )
    usage = pd.concat([usage, usage.head(200).assign(source="m365_copilot_usage")], ignore_index=True)
    roster = pd.DataFrame(
        {
            "person_id": people[:30],  # p30..p39 are missing from the roster
            "department": rng.choice(["Finance", "Legal", "Sales"], 30),
            "role": rng.choice(["Analyst", "Manager", None], 30),
            "location": ["Paris"] * 30,
            "tenure_band": rng.choice(["<1 year", "1-3 years"], 30),
        }
    )
    return usage, roster


@pytest.fixture(scope="module")
def files(usage_and_roster: tuple[pd.DataFrame, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("activity")
    usage, roster = usage_and_roster
    usage.to_parquet(folder / "usage.parquet")
    roster.to_parquet(folder / "roster.parquet")
    return folder


@pytest.fixture(scope="module")
def polars(usage_and_roster: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[ibis.Table, ibis.Table]:
    """The same rows as Ibis tables on the Polars backend: a second engine, not SQL."""
    backend = ibis.polars.connect()
    usage, roster = usage_and_roster
    return backend.create_table("usage", usage), backend.create_table("roster", roster)


def as_text(frame: pd.DataFrame) -> list[list[object]]:
    """Rows with days as ISO dates and counts as ints, whatever the backend's dtypes."""
    text = frame.copy()
    for column in text.columns:
        if pd.api.types.is_datetime64_any_dtype(text[column]):
            text[column] = text[column].dt.strftime("%Y-%m-%d")
    return [
        [int(value) if isinstance(value, (int, np.integer)) else value for value in row]
        for row in text.astype(object).where(text.notna(), None).values.tolist()
    ]


@pytest.mark.parametrize("segment", [None, "department", "role"])
@pytest.mark.parametrize("query", QUERIES)
def test_duckdb_and_polars_give_the_same_aggregates(
    query: str, segment: str | None, files: Path, polars: tuple[ibis.Table, ibis.Table]
) -> None:
    on_duckdb = getattr(activity, query)(files / "usage.parquet", segment, roster=files / "roster.parquet")
    on_polars = getattr(activity_queries, query)(*polars, segment).to_pandas()
    assert list(on_polars.columns) == list(on_duckdb.columns)
    assert len(on_duckdb) > 5
    assert as_text(on_polars) == as_text(on_duckdb)


def test_the_same_aggregates_for_some_sources_only(files: Path, polars: tuple[ibis.Table, ibis.Table]) -> None:
    sources = ["m365_copilot_usage"]
    roster = files / "roster.parquet"
    on_duckdb = activity.weekly_active_users(files / "usage.parquet", "department", sources=sources, roster=roster)
    on_polars = activity_queries.weekly_active_users(*polars, "department", sources).to_pandas()
    assert as_text(on_polars) == as_text(on_duckdb)
    everyone = activity.weekly_active_users(files / "usage.parquet", "department", roster=roster)
    assert on_duckdb["active_users"].sum() < everyone["active_users"].sum()


def test_iso_weeks_around_new_year_on_both_backends(files: Path, polars: tuple[ibis.Table, ibis.Table]) -> None:
    on_duckdb = activity.weekly_active_users(files / "usage.parquet")
    on_polars = activity_queries.weekly_active_users(polars[0]).to_pandas()
    weeks = [row[:3] for row in as_text(on_duckdb)]
    assert weeks == [row[:3] for row in as_text(on_polars)]
    assert [2020, 53, "2020-12-28"] in weeks  # 2021-01-01 to 03 belong to week 53 of 2020
    assert [2026, 53, "2026-12-28"] in weeks and [2027, 1, "2027-01-04"] in weeks
    assert [2021, 1, "2021-01-04"] in weeks and not any(row[1] == 53 and row[0] in (2021, 2027) for row in weeks)


def test_a_person_day_two_sources_report_counts_once(
    files: Path, usage_and_roster: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    usage, _ = usage_and_roster
    known = usage.dropna(subset=["person_id"])
    expected = known.assign(day=known["date"].dt.normalize()).drop_duplicates(["person_id", "day"])
    first_last = activity.first_last_active(files / "usage.parquet")
    assert first_last["active_days"].sum() == len(expected)
    assert activity.daily_active_users(files / "usage.parquet")["active_users"].sum() == len(expected)


def test_people_missing_from_the_roster_have_no_segment(files: Path, polars: tuple[ibis.Table, ibis.Table]) -> None:
    on_polars = activity_queries.first_last_active(*polars, "department").to_pandas()
    missing = on_polars.loc[on_polars["department"].isna(), "person_id"]
    assert len(missing) and set(missing) <= {f"p{i:02d}" for i in range(30, 40)}
    weekly = activity_queries.weekly_active_users(*polars, "department").to_pandas()
    for _, week in weekly.groupby("week_start"):  # within a week, the people without a segment come last
        unknown = week["department"].isna().to_numpy()
        assert unknown.sum() <= 1 and (not unknown.any() or unknown[-1])
    assert weekly["department"].isna().any()


def test_weeks_since_access_on_both_backends(files: Path, polars: tuple[ibis.Table, ibis.Table]) -> None:
    access = pd.DataFrame(
        {
            "person_id": ["p01", "p02", "p35"],
            "access_start": pd.to_datetime(["2020-12-30", "2021-01-05", "2026-12-31T14:00"], format="ISO8601"),
        }
    )
    on_duckdb = activity.person_weeks(activity.ActivityData.of(files / "usage.parquet"), access)
    starts = ibis.memtable(
        {
            "person_id": ["p01", "p02", "p35"],
            "access_day": pd.to_datetime(["2020-12-30", "2021-01-05", "2026-12-31"]).date,
            "access_week": pd.to_datetime(["2020-12-28", "2021-01-04", "2026-12-28"]).date,
        }
    )
    on_polars = polars[0].get_backend().execute(activity_queries.person_weeks(polars[0], starts))
    assert as_text(on_polars) == as_text(on_duckdb)
    p35 = on_duckdb[on_duckdb["person_id"] == "p35"]
    assert p35["week"].iloc[0] == 1 and (p35["first_day"] >= "2026-12-31").all()


def test_a_chapter_importing_the_activity_module_does_not_import_ibis() -> None:
    code = (
        "import sys; import scalegap.models.activity, scalegap.models.adoption, scalegap.models.support; "
        "print('ibis' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

import pandas as pd

from scalegap.ingest import values


def test_iso_dates_with_time_zones_become_utc() -> None:
    parsed, bad = values.dates(pd.Series(["2026-03-02T10:00:00+01:00", "2026-03-02", ""]))
    assert parsed.tolist()[:2] == [pd.Timestamp("2026-03-02 09:00"), pd.Timestamp("2026-03-02")]
    assert bad.tolist() == [False, False, False]


def test_day_month_order_is_decided_from_the_data() -> None:
    parsed, bad = values.dates(pd.Series(["03/02/2026", "25/02/2026"]))
    assert parsed.tolist() == [pd.Timestamp("2026-02-03"), pd.Timestamp("2026-02-25")]
    parsed, _ = values.dates(pd.Series(["03/02/2026", "02/25/2026"]))
    assert parsed.tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-02-25")]


def test_undecidable_order_is_reported_not_guessed_silently() -> None:
    notes: list[str] = []
    parsed, _ = values.dates(pd.Series(["03/02/2026", "04/02/2026"]), notes=notes)
    assert parsed.iloc[0] == pd.Timestamp("2026-02-03")
    assert len(notes) == 1 and "cannot be told apart" in notes[0]


def test_an_explicit_format_wins_and_bad_values_are_flagged() -> None:
    parsed, bad = values.dates(pd.Series(["24/Mar/26 9:15 AM", "yesterday"]), "%d/%b/%y %I:%M %p")
    assert parsed.iloc[0] == pd.Timestamp("2026-03-24 09:15")
    assert bad.tolist() == [False, True]


def test_times_after_the_date_are_read() -> None:
    parsed, _ = values.dates(pd.Series(["13/02/2026 14:05", "01/03/2026 09:00"]))
    assert parsed.tolist() == [pd.Timestamp("2026-02-13 14:05"), pd.Timestamp("2026-03-01 09:00")]

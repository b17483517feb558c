"""Linking by codes (each distinct reference resolved once) moves the same rows, with the same reasons, as
linking row by row, and leaves the linked ids as one text array."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalegap.ingest import IngestResult
from scalegap.prepare.link import link_people, reject_repeats
from scalegap.prepare.people import PeopleIndex, link
from tests.prepare.test_people import ROSTER

BO = "bo.li@acme.example"


def usage_rows() -> IngestResult:
    accepted = pd.DataFrame(
        {
            "source_row": [2, 3, 4, 5, 6, 7],
            "person_id": [None, "E9", None, None, None, None],
            "email": ["ANNA.BERG@acme.example", None, "bo.li@acme.example", "x@else.example", None, BO],
            "login": [None, None, None, None, "Bo Li", None],
            "date": pd.to_datetime(["2026-03-02"] * 6),
        }
    )
    rejected = pd.DataFrame(columns=["source_row", "reason", "column"])
    return IngestResult("usage", Path("usage.csv"), "usage_daily", accepted, rejected, 6)


def test_link_people_moves_the_rows_that_link_to_nobody_or_to_several() -> None:
    index = PeopleIndex.of(ROSTER)
    rows = usage_rows()
    linked, report = link_people(rows, index, "usage", "person")
    assert linked.accepted["person_id"].tolist() == ["E1", "E2", "E2"]
    assert linked.accepted["source_row"].tolist() == [2, 4, 7]
    assert dict(zip(linked.rejected["source_row"], linked.rejected["reason"], strict=True)) == {
        3: "person is not in the roster (check the ID or e-mail)",
        5: "person is not in the roster (check the ID or e-mail)",
        6: "the person's name matches several roster people: map an id or e-mail column instead",
    }
    assert linked.rejected["person_id"].isna().all()
    _, row_by_row = link(rows.accepted, index, "usage")
    assert report == row_by_row
    assert (report.ambiguous, report.unmatched, report.linked) == (1, 2, 3)


def test_repeats_ignore_columns_empty_on_every_row() -> None:
    rows = usage_rows()
    twice = reject_repeats(rows, ["organisation", "email", "login", "date"], "person and day")
    assert twice.accepted["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert twice.rejected["reason"].tolist() == ["repeats the person and day of an earlier row (the first is kept)"]
    assert twice.rejected["column"].tolist() == ["email, login, date"]

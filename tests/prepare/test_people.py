"""Linking people the way exports name them: id, e-mail in any case, login, a display name."""

from __future__ import annotations

import pandas as pd

from scalegap.prepare.people import PeopleIndex, link, name_key, pseudonym

ROSTER = pd.DataFrame(
    {
        "person_id": ["E1", "E2", "E3", "E4"],
        "email": ["anna.berg@acme.example", "bo.li@acme.example", "bo.li2@acme.example", None],
        "login": ["aberg", None, None, "zoe-m"],
        "name": ["Anna Berg", "Bo Li", "Bo Li", "Zoë Müller"],
    }
)


def test_names_compare_without_case_or_spacing_and_family_first_turns_round() -> None:
    assert name_key("  Anna   BERG ") == name_key("Berg, Anna") == "anna berg"
    assert name_key("") is None and name_key(None) is None


def test_each_key_links_and_shared_names_are_ambiguous() -> None:
    index = PeopleIndex.of(ROSTER)
    assert index.resolve("E2") == ("E2", "person_id")
    assert index.resolve(" ANNA.BERG@acme.example ") == ("E1", "email")
    assert index.resolve("Zoe-M") == ("E4", "login")
    assert index.resolve("zoë müller") == ("E4", "name")
    assert index.resolve("Bo Li") == (None, "ambiguous")
    assert index.resolve("Zoe Muller") == (None, "unmatched")  # unique matches only: no guessing at spellings


def test_link_uses_the_first_reference_that_links_and_reports_per_key() -> None:
    rows = pd.DataFrame(
        {
            "person_id": ["E1", None, "Bo Li", "Stranger", None],
            "email": [None, "bo.li@acme.example", None, None, None],
            "login": [None, None, None, None, "aberg"],
        }
    )
    linked, report = link(rows, PeopleIndex.of(ROSTER), "usage")
    assert linked["person_id"].tolist() == ["E1", "E2", None, None, "E1"]
    assert linked["linked_by"].tolist() == ["person_id", "email", "ambiguous", "unmatched", "login"]
    assert report.by_key == {"person_id": 1, "email": 1, "login": 1, "name": 0}
    assert (report.rows, report.linked, report.ambiguous, report.unmatched) == (5, 3, 1, 1)
    assert report.linked_share == 0.6
    assert "'Bo Li'" in report.summary() and "'Stranger'" in report.summary()


def test_an_unlinked_reference_becomes_a_stable_pseudonym() -> None:
    assert pseudonym("Jane Outsider") == pseudonym(" jane outsider ") != pseudonym("John Outsider")
    assert "Jane" not in pseudonym("Jane Outsider")
    assert pseudonym("") is None


def test_the_summary_without_examples_names_nobody() -> None:
    rows = pd.DataFrame({"person_id": ["Bo Li", "Stranger"]})
    _, report = link(rows, PeopleIndex.of(ROSTER), "tickets")
    assert "Stranger" not in report.summary(examples=False) and "Bo Li" not in report.summary(examples=False)
    assert "1 ambiguous" in report.summary(examples=False) and "1 not in the roster" in report.summary(examples=False)

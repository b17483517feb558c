import pandas as pd

from scalegap.privacy import redact, suppress_small_groups, suppression_note


def test_emails_and_phone_numbers_are_redacted_from_free_text() -> None:
    text = "Ask priya.shah@northwind.example or call +44 20 7946 0958, it's urgent (v2.1)."
    assert redact(text) == "Ask [e-mail] or call [phone], it's urgent (v2.1)."
    assert redact(None) is None


def test_groups_below_the_minimum_are_blanked_and_flagged() -> None:
    frame = pd.DataFrame({"Department": ["Finance", "Legal"], "Headcount": [8, 4], "Rate": [0.5, 0.25]})
    shown = suppress_small_groups(frame, "Headcount", 5)
    assert shown["Headcount"].tolist()[0] == 8 and pd.isna(shown["Headcount"].iloc[1])
    assert pd.isna(shown["Rate"].iloc[1])
    assert shown["suppressed"].tolist() == [False, True]
    assert shown["Department"].tolist() == ["Finance", "Legal"]
    assert "fewer than 5 people are suppressed (left blank) in 1 row(s)" in suppression_note(shown, 5)


def test_names_of_people_in_the_roster_are_redacted_from_quotes() -> None:
    from scalegap.privacy import person_names

    roster = pd.DataFrame({"email": ["priya.shah@northwind.example", "jo.li@northwind.example", None]})
    names = person_names(roster)
    assert names == frozenset({"priya", "shah"})  # "jo" and "li" are too short to redact safely
    assert redact("Ask Priya SHAH or Shahid about it", names) == "Ask [name] [name] or Shahid about it"

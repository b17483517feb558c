from types import SimpleNamespace

import pandas as pd
import pytest

from scalegap import names, privacy
from scalegap.privacy import (
    Redactor,
    cells_to_hide,
    complement_to_hide,
    hide_cells,
    id_shape_pattern,
    quotable,
    respondent_keys,
    suppress_small_groups,
    suppression_note,
)

ROSTER = pd.DataFrame(
    {
        "person_id": ["E10001", "E10002", "E10003", *(f"E10{n:03d}" for n in range(4, 40))],
        "email": [
            "priya.shah@northwind.example",
            "hamza.evans@northwind.example",
            "ai.pilot@northwind.example",
            *[None] * 36,
        ],
        "login": ["pshah-nw", "hevans", None, *[None] * 36],
        "name": ["Priya Shah", "Evans, Hamza", None, *[None] * 36],
    }
)
SURVEY = pd.DataFrame(
    {
        "response_id": ["R_1CdLMZ0sR6yvtoQ", "R_3PtNwZ9qLr7eXyB"],
        "person_ref": ["E10001", None],
        "email": [None, "temp.worker@contractor.example"],
    }
)
USAGE = pd.DataFrame({"person_id": ["E10001"], "email": ["priya.shah@northwind.example"], "login": ["octo-priya"]})
TICKETS = pd.DataFrame({"person_id": ["E10002", "unlinked-3f2a9c01de"]})


def package(redact_free_text: bool = True, **tables: pd.DataFrame) -> SimpleNamespace:
    """An in-memory stand-in for a prepared package."""
    tables = tables or {"roster": ROSTER, "survey": SURVEY, "usage": USAGE, "tickets": TICKETS}
    privacy = SimpleNamespace(min_group_size=5, redact_free_text=redact_free_text)
    return SimpleNamespace(
        has=lambda table: table in tables, table=lambda table: tables[table], settings=SimpleNamespace(privacy=privacy)
    )


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor.of(package())


def test_employee_ids_in_the_roster_and_shaped_like_them_are_redacted(redactor: Redactor) -> None:
    assert redactor.redact("Raised by E10002, copied to e10001.") == "Raised by [id], copied to [id]."
    assert redactor.redact("Signed off by E10136 (not in the roster)") == "Signed off by [id] (not in the roster)"
    assert id_shape_pattern(ROSTER["person_id"]).pattern.count(r"E\d{5,6}") == 1
    assert redactor.redact("Room E101, invoice 2024-17") == "Room E101, invoice 2024-17"  # not id-shaped


def test_response_ids_are_redacted(redactor: Redactor) -> None:
    assert redactor.redact("see response R_1CdLMZ0sR6yvtoQ") == "see response [id]"
    assert Redactor().redact("R_9xYzAbCdEfGhIjK said so") == "[id] said so"  # by shape alone


def test_logins_and_handles_are_redacted(redactor: Redactor) -> None:
    assert redactor.redact("ask octo-priya or pshah-nw on GitHub") == "ask [id] or [id] on GitHub"
    assert redactor.redact("ping @hevans") == "ping [id]"
    assert Redactor().redact(r"logged in as NORTHWIND\zmueller") == "logged in as [id]"


def test_emails_and_upns_are_redacted() -> None:
    text = "Ask priya.shah@northwind.example or Zoe.Mueller@northwind.onmicrosoft.com (UPN)."
    assert Redactor().redact(text) == "Ask [e-mail] or [e-mail] (UPN)."
    assert Redactor().redact(None) is None


def test_roster_names_are_redacted_in_full_and_family_given_order(redactor: Redactor) -> None:
    assert redactor.redact("Thanks to Priya Shah and PRIYA SHAH") == "Thanks to [name] and [name]"
    assert redactor.redact("Shah, Priya set it up; Evans, Hamza signed") == "[name] set it up; [name] signed"
    assert redactor.redact("I asked Shah. Priya was great.") == "I asked [name]. [name] was great."
    # a family name at a sentence's start that is not a given name stays, as does one in lower case
    assert redactor.redact("Shah is a surname; the shah of Persia") == "Shah is a surname; the shah of Persia"


@pytest.mark.parametrize(
    "person", ["Siobhán O'Neill", "Zoë Müller", "Jean-Luc Picard", "Daan de Jong", "Mary Ann Smith", "John F. Kennedy"]
)
def test_names_outside_the_roster_are_redacted_by_pattern(person: str) -> None:
    assert Redactor().redact(f"Ask {person} about it.") == "Ask [name] about it."


def test_phone_numbers_but_not_dates_are_redacted() -> None:
    text = "Call +44 20 7946 0958 or 07700 900418 before 2026-03-02 09:05 (31.12.2025 at the latest)."
    assert Redactor().redact(text) == "Call [phone] or [phone] before 2026-03-02 09:05 (31.12.2025 at the latest)."


def test_ip_addresses_are_redacted_but_not_times() -> None:
    text = "From 192.168.10.24 and 2001:db8::8a2e:370:7334 at 09:05:00, version 2.1"
    assert Redactor().redact(text) == "From [address] and [address] at 09:05:00, version 2.1"


def test_urls_with_a_query_string_are_redacted_and_others_kept() -> None:
    text = "See https://intranet.example/cases?user=E10136&tab=2. Docs: https://docs.example/guide."
    assert Redactor().redact(text) == "See [link]. Docs: https://docs.example/guide."


@pytest.mark.parametrize(
    "sentence",
    [
        "Great tool, but Monday Review meetings are too long.",
        "Integration with Outlook and Teams, please.",
        "Dutch language support for the Rotterdam office.",
        "Price is too high. The Licence Price is fine.",
        "Will Copilot support SAP? May Release notes were late.",
        "Honestly, I don't trust it with customer data yet. Thanks Emma.",
        "Max Tokens is too low; Amber Status on the scorecard; Claude Code works.",
        "Connect it to the TMS. Right now I copy screenshots into the chat.",
    ],
)
def test_ordinary_text_and_capitalised_non_names_are_kept(redactor: Redactor, sentence: str) -> None:
    assert redactor.redact(sentence) == sentence


def test_redaction_is_idempotent_and_keeps_placeholders(redactor: Redactor) -> None:
    once = redactor.redact("Hamza Evans (E10002, hevans@northwind.example, +44 20 7946 0958)")
    assert once == "[name] ([id], [e-mail], [phone])"
    assert redactor.redact(once) == once


def test_service_accounts_and_pseudonyms_blank_no_ordinary_words(redactor: Redactor) -> None:
    # ai.pilot@… is not a person's address: "Pilot" stays; an unlinked pseudonym is not an identifier
    assert redactor.redact("The AI Pilot went well") == "The AI Pilot went well"
    assert "unlinked-3f2a9c01de" not in redactor.identifiers
    assert "temp.worker" in redactor.identifiers  # a survey e-mail's local part


def test_withheld_free_text_is_never_published() -> None:
    withheld = Redactor.of(package(redact_free_text=False))
    assert withheld.withheld and withheld.publish("Ask Priya Shah") is None
    assert Redactor.of(package()).publish("Ask Priya Shah") == "Ask [name]"


def test_the_given_names_list_ships_with_the_package() -> None:
    given = names.given_names()
    assert len(given) > 3000
    assert {"siobhán", "siobhan", "zoë", "zoe", "hamza", "jean-luc", "priya", "mehmet", "wei"} <= given
    assert not {"will", "may", "max", "amber", "paris", "claude"} & given


def test_quotes_need_the_minimum_number_of_respondents() -> None:
    survey = pd.DataFrame(
        {
            "person_id": ["E1", "E1", "E2", None, None],
            "email": [None, None, None, "a@x.example", "A@X.example "],
            "response_id": ["R1", "R2", "R3", "R4", "R5"],
        }
    )
    keys = respondent_keys(survey)
    assert keys.tolist() == ["e1", "e1", "e2", "a@x.example", "a@x.example"]
    assert quotable(keys, 3) and not quotable(keys, 4)  # five answers, three people
    assert respondent_keys(pd.DataFrame({"Q7": ["a", "b"]})).nunique() == 2  # one per response without ids


def test_groups_below_the_minimum_are_blanked_and_flagged() -> None:
    frame = pd.DataFrame({"Department": ["Finance", "Legal"], "Headcount": [8, 4], "Rate": [0.5, 0.25]})
    shown = suppress_small_groups(frame, "Headcount", 5)
    assert shown["Headcount"].tolist()[0] == 8 and pd.isna(shown["Headcount"].iloc[1])
    assert pd.isna(shown["Rate"].iloc[1])
    assert shown["suppressed"].tolist() == [False, True]
    assert shown["Department"].tolist() == ["Finance", "Legal"]
    assert "fewer than 5 people are suppressed (shown as “suppressed”) in 1 row," in suppression_note(shown, 5)


# --- the one complementary suppression rule --------------------------------------------------------------------


def test_counts_adding_up_to_a_total_hide_their_complements() -> None:
    assert cells_to_hide(pd.Series([10, 3, 8]), 5).tolist() == [False, True, True]
    assert cells_to_hide(pd.Series([10, 0, 7]), 5).tolist() == [False, False, False]
    assert cells_to_hide(pd.Series([2, 3, 9]), 5).tolist() == [True, True, False]  # 2 + 3 protect each other
    # the empty cell beside hidden ones is hidden too: the suppressed mark alone, never a "0" beside it
    assert cells_to_hide(pd.Series([0, 2, 9, 6]), 5).tolist() == [True, True, False, True]


def test_two_small_groups_that_together_fall_short_hide_the_third() -> None:
    """[2, 2, 9] with minimum 5: showing 9 beside the total would tell that the two hidden groups hold 4."""
    assert cells_to_hide(pd.Series([2, 2, 9]), 5).tolist() == [True, True, True]
    assert complement_to_hide(pd.Series([2, 2, 9]), pd.Series([True, True, False]), 5).tolist() == [True] * 3
    assert complement_to_hide(pd.Series([0, 9, 6]), pd.Series([True, False, False]), 5).tolist() == [
        True,
        False,
        False,
    ]  # nobody is behind the hidden cell


def test_hide_cells_blanks_the_derived_figures_and_marks_the_rows() -> None:
    frame = pd.DataFrame({"n": [2, 2, 9], "share": [0.1, 0.1, 0.8]})
    shown = hide_cells(frame, ["n"], 5, {"n": ["share"]}, by_row=False)
    assert shown["n"].isna().all() and shown["share"].isna().all() and shown["suppressed"].all()


def _integration(counts: list[int]) -> list[bool]:
    frame = pd.DataFrame({"Pilot users": counts, "x": [1.0] * len(counts)})
    return hide_cells(frame, ["Pilot users"], 5, by_row=False)["Pilot users"].isna().tolist()


def _readiness(counts: list[int]) -> list[bool]:
    from scalegap.models.readiness import groups

    table = pd.DataFrame(
        {
            "Respondents with an index": [float(c) if c >= 5 else None for c in counts],
            "suppressed": [c < 5 for c in counts],
        }
    )
    table = groups.hide_complements(table, pd.Series(counts), ["Respondents with an index"], 5)
    return table["suppressed"].tolist()


def _support(counts: list[int]) -> list[bool]:
    from scalegap.models.support import rates

    table = pd.DataFrame({"Group": list("abc"), "Active users": counts, "Tickets": [3, 4, 5]})
    return rates.suppress_partition(table, "Active users", 5)["suppressed"].tolist()


@pytest.mark.parametrize("suppress", [_integration, _readiness, _support], ids=["integration", "readiness", "support"])
def test_every_chapter_hides_the_complement_of_two_small_groups(suppress) -> None:
    assert suppress([2, 2, 9]) == [True, True, True]
    assert suppress([2, 3, 9]) == [True, True, False]


def test_a_suppressed_table_carries_its_minimum_through_what_displays_it() -> None:
    frame = pd.DataFrame({"Group": ["A", "B", "C"], "People": [2, 2, 9], "Mean": [1.0, 2.0, 3.0]})
    for suppressed in (
        privacy.suppress_small_groups(frame, "People", 5),
        privacy.suppress_small_counts(frame, "People", 5, ["Mean"]),
        privacy.hide_cells(frame, ["People"], 5, {"People": ["Mean"]}, by_row=False),
    ):
        assert privacy.minimum_of(suppressed) == 5
        shown = suppressed[["Group", "Mean", privacy.SUPPRESSED]].rename(columns={"Mean": "Average"}).copy()
        assert privacy.minimum_of(shown) == 5  # selections, renames and copies keep it
    rebuilt = pd.DataFrame({"Group": frame["Group"]})
    assert privacy.minimum_of(rebuilt) is None
    assert privacy.minimum_of(privacy.keep_minimum(rebuilt, privacy.suppress_small_groups(frame, "People", 7))) == 7

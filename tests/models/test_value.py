"""Money, the headline and the findings of the conversion chapter, on the hand-built study of test_sensitivity.

Settings: 48 working weeks, GBP 50 an hour, GBP 30 a seat a month (360 a year), so a minute per person per week
is 48 ÷ 60 = 0.8 hours and GBP 40 a year.  Replicate production values (50 % interval: the 2nd and 4th):
6.552, 12.544, 21.6, 34.56, 47.6; value per active user per week 39, 49, 60, 72, 85.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from scalegap.client import ClientFolder
from scalegap.models import value
from scalegap.models.value import Span
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.models.test_sensitivity import UNPROJECTED, hand_study
from tests.support import tiny_client

MONEY = {
    "working_weeks_per_year": 48,
    "loaded_hourly_cost": 50.0,
    "licence_cost_per_seat_per_month": 30.0,
    "currency": "GBP",
    "value_metric": "minutes_saved",
}


def package(**conversion: object) -> SimpleNamespace:
    return SimpleNamespace(settings=load_settings(None, {"conversion": MONEY | conversion}), path="prepared")


def test_money_per_person_and_per_seat() -> None:
    money = value.money(hand_study(), package())
    assert money.licence_cost_per_seat == 360.0
    assert money.pilot_hours_per_person.estimate == pytest.approx(64.0)
    assert money.pilot_money_per_person.estimate == pytest.approx(3200.0)
    production = money.production_money_per_person
    assert (production.estimate, production.low, production.high) == pytest.approx((864.0, 501.76, 1382.4))
    net = money.net_value_per_seat
    assert (net.estimate, net.low, net.high) == pytest.approx((504.0, 141.76, 1022.4))
    assert net.unit == "GBP per seat per year"


def test_break_even_adoption() -> None:
    money = value.money(hand_study(), package())
    per_active = money.value_per_active_user
    assert (per_active.estimate, per_active.low, per_active.high) == pytest.approx((2400.0, 1960.0, 2880.0))
    even = money.break_even_adoption
    assert (even.estimate, even.low, even.high) == pytest.approx((0.15, 360 / 2880, 360 / 1960))
    assert value.break_even(360.0, Span(2400.0, -10.0, 2880.0)).high is None
    assert value.break_even(360.0, Span(0.0, -10.0, 20.0)) is None


def test_a_quality_score_has_no_money_value() -> None:
    quality = package(value_metric="quality_score")
    headline = value.conversion_headline(hand_study(), quality)
    assert headline.money is None and headline.break_even_adoption is None
    assert headline.as_dict()["money"] is None and headline.as_dict()["break_even_adoption"] is None
    assert "no conversion into hours or money" in value.money_rows(headline, quality)[0][1]


def test_headline_dict_keys_and_rounding() -> None:
    document = value.conversion_headline(hand_study(), package()).as_dict()
    assert list(document) == [
        "conversion_rate",
        "conversion_rate_interval",
        "interval",
        "factors",
        "pilot_value_per_person",
        "production_value_per_person",
        "money",
        "break_even_adoption",
        "production_adoption",
        "notes",
    ]
    assert document["conversion_rate"] == 0.27
    assert document["conversion_rate_interval"] == [0.1568, 0.432]
    assert document["interval"] == 0.5
    assert document["factors"]["sustainment"] == {"estimate": 0.9, "low": 0.8, "high": 1.0}
    assert document["production_value_per_person"] == {
        "estimate": 21.6,
        "low": 12.544,
        "high": 34.56,
        "unit": "minutes saved per person per week",
    }
    assert document["break_even_adoption"] == {"estimate": 0.15, "low": 0.125, "high": 0.183673}
    assert document["production_adoption"] == {"estimate": 0.36, "low": 0.256, "high": 0.48}
    money = document["money"]
    assert money["licence_cost_per_seat_per_year"] == 360.0
    assert money["production_hours_per_person_per_year"] == {
        "estimate": 17.28,
        "low": 10.04,
        "high": 27.65,
        "unit": "hours per person per year",
    }
    assert len(document["notes"]) == 1 and "an assumed 85 % ± 10 %" in document["notes"][0]


def test_notes_name_what_was_drawn() -> None:
    study = hand_study(sustainment=UNPROJECTED, measured=False, has_rollout=False, unmeasured=("Legal",))
    notes = value.drawn_notes(study, package())
    assert len(notes) == 6
    assert "adopters already seen is an assumed 85 % ± 10 %" in notes[0] and "at least 50 %" in notes[0]
    assert "no rollout cohort" in notes[1] and "0.60;" in notes[1] and "0.30 and 0.90" in notes[1]
    assert "support load could not be projected" in notes[2] and "flatters production" in notes[2]
    assert "Legal" in notes[3] and "0 % and 30 %" in notes[4] and "messy-data multiplier" in notes[5]
    assert all(note.startswith("Assumption: ") for note in notes[:3])


def test_rows_as_the_chapter_shows_them() -> None:
    headline = value.conversion_headline(hand_study(), package())
    rows = dict(value.headline_rows(headline))
    assert rows["Conversion rate"] == "27 % (50 % interval 16 % to 43 %)"
    assert rows["Net value per seat per year at full rollout"] == "GBP 504 (GBP 142 to GBP 1,022)"
    assert rows["Break-even adoption rate"] == "15 % of employees (12 % to 18 %)"
    money = dict(value.money_rows(headline, package()))
    assert money["Licence cost per seat"] == "GBP 30.00 a month, GBP 360 a year"
    assert money["Hours saved per person per year: pilot"] == "64 hours (64 hours to 64 hours)"
    table = value.factor_table(hand_study(), package()).set_index("Factor")
    assert table.loc["Data mix", "50 % interval"] == "0.70 to 0.80"
    assert "multiplier measured on 20 people" in table.loc["Data mix", "How it was obtained"]
    assert "4.0 FTE" in table.loc["Sustainment (support)", "How it was obtained"]


def test_findings_for_an_executive() -> None:
    findings = value.conversion_findings(hand_study(), package())
    assert findings[0].startswith("At full rollout the organisation can expect about 27 % of the value per person")
    assert "between 16 % and 43 %" in findings[0]
    assert findings[1].startswith("The biggest loss is adoption (a factor of 0.50")
    assert "from 22 % to 32 %" in findings[2]
    assert "No single factor" in findings[3] and "effect per active user" in findings[3] and "2.96" in findings[3]
    assert "returns GBP 504 a year" in findings[4] and "once 15 % of employees" in findings[4]
    assert "36 %, is above that" in findings[4]
    assert len(findings) == 6  # the adoption still to come is always drawn
    assert findings[-1].startswith("Some quantities behind the estimate could not be measured")
    drawn = value.conversion_findings(hand_study(has_rollout=False), package())
    assert len(drawn) == 6 and drawn[-1].startswith("Some quantities behind the estimate could not be measured")


def test_findings_say_when_a_factor_can_close_the_gap() -> None:
    items = [value.sensitivity.Requirement("effect", 0.8, 0.5, 3.0, 2.0, None)]
    sentence = value.requirement_sentence(items, 0.4)
    assert "if one factor alone reached: effect per active user at 2.00 (estimate 0.80)." in sentence
    assert "No other factor" not in sentence
    items.append(value.sensitivity.Requirement("sustainment", 0.9, 0.8, 1.0, 2.0, 1.0))
    assert value.requirement_sentence(items, 0.4).endswith("No other factor could do it alone within its range.")
    assert "nothing has to change" in value.requirement_sentence(items, 1.1)


def test_chapter_study_says_why_there_is_none(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    study, reason = value.chapter_study(PreparedPackage(prepare(client, load_settings(client.assessment))))
    assert study is None and "no outcome records" in reason


def test_notes_sentences_list_what_was_drawn() -> None:
    measured = value.notes_sentences(value.conversion_headline(hand_study(), package()))
    assert len(measured) == 1 and "eventual adopters already seen" in measured[0]
    drawn = value.conversion_headline(hand_study(has_rollout=False), package())
    assert value.notes_sentences(drawn) == list(drawn.notes) and len(drawn.notes) == 3


def test_a_factor_no_replicate_varies_is_shown_as_an_assumption_without_an_interval() -> None:
    """No ticket export: the sustainment factor is taken as 1 in every replicate.  It is labelled as an
    assumption; it is never given an interval of width zero, on the page or in results.json."""
    from dataclasses import replace

    from tests.models.test_sensitivity import POINT, REPLICATES

    study = replace(
        hand_study(sustainment=UNPROJECTED),
        point=replace(POINT, sustainment=1.0),
        replicates=tuple(replace(r, sustainment=1.0) for r in REPLICATES),
    )
    table = value.factor_table(study, package()).set_index("Factor")
    row = table.loc["Sustainment (support)"]
    assert row["Estimate"] == "1.00 (assumed)" and row["50 % interval"] == "none: assumed"
    assert table.loc["Adoption", "50 % interval"] != "none: assumed"
    block = value.conversion_headline(study, package()).as_dict()["factors"]["sustainment"]
    assert block == {"estimate": 1.0, "low": None, "high": None, "assumption": value.ASSUMED}
    assert value.interval_text(Span(1.0, 1.0, 1.0)) == "none: assumed"

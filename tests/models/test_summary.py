"""The summarise step's new blocks on the tiny client, and the executive summary's page functions by hand."""

import json
from pathlib import Path

import pytest

from scalegap.client import ClientFolder
from scalegap.models import recommendation as rec
from scalegap.models import summary, summary_page
from scalegap.models.results import read_results, results_path
from scalegap.models.summary import page_rows
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.models.test_availability import OPTIONAL, read, write_package
from tests.support import tiny_client


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    client = ClientFolder(tiny_client(tmp_path_factory.mktemp("tiny") / "client"))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    summary.write_results(package, "2026-11-25T00:00:00+00:00")
    return read_results(package)


def test_without_outcome_records_the_conversion_block_says_why(tiny_results: dict) -> None:
    assert tiny_results["conversion"] == {
        "available": False,
        "reason": "The conversion rate is not assessed: no outcome records were supplied.",
    }
    assert tiny_results["conversion_rate"] is None and tiny_results["conversion_rate_interval"] is None
    assert tiny_results["gaps"] == []


def test_figures_not_assessed_are_null_with_their_reason(tiny_results: dict) -> None:
    missing = tiny_results["not_assessed"]
    assert missing["conversion_rate"] == "not assessed: no outcome records were supplied"
    assert missing["headline.tickets"] == "not assessed: no support tickets were supplied"
    assert missing["support.tickets_per_week_full_rollout"] == "not assessed: no support tickets were supplied"
    assert missing["governance.before_rollout"] == "not assessed: no governance checklist was supplied"
    assert "headline.survey_response_rate" not in missing and "adoption.pilot_adoption" not in missing
    for path in missing:
        block, _, key = path.rpartition(".")
        assert (tiny_results[block] if block else tiny_results)[key] is None, path


def test_the_tiny_client_gets_not_yet_saying_what_is_missing(tiny_results: dict) -> None:
    advice = tiny_results["recommendation"]
    assert advice["verdict"] == rec.NOT_YET
    assert "no outcome records" in advice["reasons"][0]
    assert advice["conditions"][0].startswith("Complete the governance checklist")  # none was provided
    assert summary_page.recommendation_of(tiny_results) == rec.Recommendation.from_dict(advice)


def test_the_tiny_client_blocks_are_suppressed_or_empty(tiny_results: dict) -> None:
    # 3 matched respondents: below the minimum group size, so no department shows a readiness figure
    assert tiny_results["readiness_by_department"] == {} or all(
        entry["index"] is None for entry in tiny_results["readiness_by_department"].values()
    )
    assert tiny_results["governance_before_rollout"] == []
    assert tiny_results["scorecard_red"] == []
    wave = tiny_results["first_wave"]
    assert wave["headcount"] == 12 and wave["start_week"] == 0 and wave["gate_week"] == 4
    assert [g["metric"] for g in wave["gates"]][0].startswith("Weekly active share")


def test_the_page_states_what_is_missing_on_the_tiny_client(tiny_results: dict) -> None:
    assert summary_page.conversion_sentences(tiny_results) == [
        "The conversion rate is not assessed: no outcome records were supplied."
    ]
    assert summary_page.value_table(tiny_results).empty and summary_page.gap_table(tiny_results).empty
    assert summary_page.value_assumptions(tiny_results) == []
    rows = dict(summary.summary_rows(tiny_results))
    assert rows["Conversion rate"] == "not assessed: no outcome records were supplied"
    assert rows["Support tickets"] == "not assessed: no support tickets were supplied"
    assert rows["Projected support tickets per week at full rollout"] == rows["Support tickets"]
    assert rows["Governance gaps to close before rollout"] == "not assessed: no governance checklist was supplied"
    assert summary.summary_rows(tiny_results)[0] == ("Headcount", "12")


# --- a client with only the roster, and one whose optional exports have no rows ---------------------------------

DEPENDENT = (
    "conversion_rate",
    "conversion_rate_interval",
    "headline.survey_response_rate",
    "headline.outcome_records",
    "headline.tickets",
    "headline.pilot_active_users",
    "readiness.organisation_index",
    "adoption.pilot_adoption",
    "adoption.predicted_production_adoption",
    "adoption.licences",
    "support.tickets_per_week_full_rollout",
    "governance.items",
    "scorecard.minutes_saved_per_assisted_task",
    "rollout.expected_adopters",
    "first_wave.expected_adopters",
)


def refuse_constant(name: str) -> None:
    raise ValueError(f"results.json holds {name}, which strict JSON does not have")


@pytest.mark.parametrize("empty", [(), OPTIONAL], ids=["roster only", "every optional table empty"])
def test_without_optional_tables_the_figures_are_null_with_reasons(tmp_path: Path, empty: tuple[str, ...]) -> None:
    package = write_package(tmp_path, empty, [read(table, f"exports/{table}.csv", 0, 0) for table in empty])
    summary.write_results(package, "2026-11-25T00:00:00+00:00")
    document = json.loads(results_path(package).read_text(), parse_constant=refuse_constant)
    word = "has no data rows" if empty else "supplied"
    for path in DEPENDENT:
        block, _, key = path.rpartition(".")
        assert (document[block] if block else document)[key] is None, path
        assert document["not_assessed"][path].startswith("not assessed: ") and word in document["not_assessed"][path]
    assert document["adoption_by_department"] == {} and document["readiness_by_department"] == {}
    assert document["recommendation"]["verdict"] == rec.NOT_YET
    rows = dict(summary.summary_rows(document))
    assert rows["Conversion rate"] == document["not_assessed"]["conversion_rate"]
    assert rows["Outcome records"].startswith("not assessed: ") and rows["Headcount"] == "12"
    assert summary_page.readiness_sentences(document)[0].startswith("The readiness index is not assessed: ")


def test_a_figure_shown_is_never_marked_not_assessed(tmp_path: Path) -> None:
    package = write_package(tmp_path)
    document = summary.results_document(package, "")
    assert document["pilot_validity"]["tipton_index"] is not None
    assert not any(path.startswith(("pilot_validity.tipton", "integration.")) for path in document["not_assessed"])


# --- the page functions on a hand-built document ---------------------------------------------------------------


def money_block() -> dict:
    def span(estimate, low, high):
        return {"estimate": estimate, "low": low, "high": high}

    return {
        "currency": "GBP",
        "loaded_hourly_cost": 45.0,
        "working_weeks_per_year": 46,
        "licence_cost_per_seat_per_month": 25.0,
        "licence_cost_per_seat_per_year": 300.0,
        "pilot_hours_per_person_per_year": span(148.3, 123.3, 172.6),
        "production_hours_per_person_per_year": span(63.2, 45.8, 95.7),
        "pilot_value_per_person_per_year": span(6000.0, 5500.0, 7700.0),
        "production_value_per_person_per_year": span(2843.0, 2061.5, 4308.6),
        "net_value_per_seat_per_year": span(2543.0, 1761.5, 4008.6),
    }


DOCUMENT = {
    "interval": 0.9,
    "conversion": {
        "available": True,
        "conversion_rate": 0.36,
        "conversion_rate_interval": [0.3, 0.5],
        "interval": 0.9,
        "money": money_block(),
        "pilot_value_per_person": {
            "estimate": 193.5,
            "low": 160.8,
            "high": 225.2,
            "unit": "minutes saved per person per week",
        },
        "production_value_per_person": {
            "estimate": 69.7,
            "low": 58.0,
            "high": 96.7,
            "unit": "minutes saved per person per week",
        },
    },
    "gaps": [
        {"name": "A", "effect": 0.3, "effect_low": 0.1, "effect_high": 0.42, "lever": "la", "chapter": "Adoption"},
        {"name": "B", "effect": 0.1, "effect_low": 0.05, "effect_high": 0.2, "lever": "lb", "chapter": "X"},
        {"name": "C", "effect": 0.02, "effect_low": -0.01, "effect_high": 0.04, "lever": "lc", "chapter": "Y"},
        {"name": "D", "effect": 0.01, "effect_low": 0.0, "effect_high": 0.02, "lever": "ld", "chapter": "Z"},
    ],
    "readiness": {
        "organisation_index": 55.4,
        "organisation_index_low": 54.1,
        "organisation_index_high": 56.9,
        "pilot_index": 77.9,
        "non_pilot_index": 54.7,
    },
    "readiness_by_department": {"IT": {"index": 66.0}, "Legal": {"index": 47.1}, "HR": {"index": None}},
    "first_wave": {
        "departments": "Marketing (part 1)",
        "headcount": 132,
        "start_week": 0,
        "gate_week": 4,
        "expected_adopters": 75.2,
        "expected_adopters_low": 54.0,
        "expected_adopters_high": 118.6,
        "waves": 19,
        "weeks_to_full_rollout": 76,
        "gates": [{"metric": "Service level of the desk", "threshold": "≥ 80 %"}],
    },
}


def test_the_conversion_rate_in_plain_words() -> None:
    first, second = summary_page.conversion_sentences(DOCUMENT)
    assert first == (
        "Of the value per person the pilot showed, production is expected to keep about 36 %: between "
        "30 % and 50 % (90 % interval)."
    )
    assert second == (
        "In the pilot, value per person was 194 minutes saved per person per week; at full rollout "
        "about 70 are expected (58 to 97)."
    )


def test_value_table_sets_production_beside_the_pilot_with_intervals() -> None:
    table = summary_page.value_table(DOCUMENT).set_index("Per person (or seat) per year")
    production = table["Full rollout (90 % interval)"]
    assert production["Time saved"] == "63 hours (46 to 96)"
    assert production["Net value per seat (value less licence)"] == "GBP 2,543 (1,762 to 4,009)"
    assert table.loc["Value of the time saved", "Pilot"] == "GBP 6,000"
    assert "GBP 45.00 an hour (salary plus on-costs" in summary_page.value_assumptions(DOCUMENT)[0]


def test_gap_table_shows_the_three_largest_with_points_and_money() -> None:
    table = summary_page.gap_table(DOCUMENT)
    assert list(table["Gap"]) == ["A", "B", "C"]
    assert table.iloc[0, 1] == "+30 (+10 to +42)" and table.iloc[2, 1] == "+2.0 (−1.0 to +4.0)"
    assert list(table["Worth per person per year"]) == ["GBP 1,800", "GBP 600", "GBP 120"]  # effect × 6,000
    first, second = summary_page.gap_sentences(DOCUMENT)
    assert first.startswith("Closing the largest gap alone (a) would lift the conversion rate from 36 % to 66 %.")
    assert "1 % of the pilot's value per person of GBP 6,000 a year, so about GBP 60 per person a year" in second
    small = {"effect": 0.0078, "effect_low": 0.0025, "effect_high": 0.0476}
    assert summary_page.points(small) == "+0.8 (+0.2 to +4.8)"  # below 10 points: one decimal


def test_readiness_and_first_wave_sentences() -> None:
    readiness = summary_page.readiness_sentences(DOCUMENT)
    assert readiness[0] == "The organisation's readiness index is 55.4 out of 100 (90 % interval 54.1 to 56.9)."
    assert "readier people" in readiness[1] and readiness[2] == "By department it runs from 47 (Legal) to 66 (IT)."
    wave = summary_page.first_wave_sentences(DOCUMENT)
    assert wave[0].startswith("Start with Marketing (part 1): 132 people from week 0 of the rollout; about 75 of them")
    assert "goes in parts" in wave[0] and "19 waves" in wave[1] and "week 4" in wave[1]
    assert summary_page.gate_table(DOCUMENT).shape == (1, 2)


def test_the_conditions_lead_and_the_verdict_notes() -> None:
    advice = rec.Recommendation("Go", "rule", ("Why <b>&</b>.",), ())
    assert summary_page.conditions_lead(advice).startswith("Nothing has to be settled")
    assert summary_page.verdict_notes(advice) == ["How the verdict is reached: rule"]


def test_headline_table_carries_the_conversion_rate_and_net_value() -> None:
    rows = dict(page_rows.conversion_rows(DOCUMENT["conversion"]))
    assert rows == {
        "Conversion rate": "36 % (90 % interval 30 % to 50 %)",
        "Net value per seat per year at full rollout": "GBP 2,543 (1,762 to 4,009)",
    }


def test_a_quality_score_shows_no_money_and_says_why() -> None:
    quality = {**DOCUMENT, "conversion": {**DOCUMENT["conversion"], "money": None}}
    assert summary_page.value_table(quality).empty
    assert summary_page.value_assumptions(quality)[0].startswith("The value metric is a quality score")
    assert "Worth per person per year" not in summary_page.gap_table(quality).columns
    assert len(summary_page.gap_sentences(quality)) == 1
    assert list(dict(page_rows.conversion_rows(quality["conversion"]))) == ["Conversion rate"]


def test_the_first_rollout_wave_reads_without_nested_parentheses() -> None:
    first = {"departments": "Marketing (part 1)", "headcount": 132}
    rows = page_rows.chapter_rows({"interval": 0.9, "rollout": {"first_cohort": first}})
    assert ("First rollout wave", "Marketing (part 1): 132 people") in rows

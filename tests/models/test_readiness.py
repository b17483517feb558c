import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scalegap.client import ClientFolder
from scalegap.models import readiness
from scalegap.models.readiness import groups, item_reliability, segment_response
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.present.figures import readiness as charts
from scalegap.settings import load_settings, merge
from tests.models import test_availability as degraded
from tests.support import tiny_client

INSTRUMENT = {
    "scale_points": 5,
    "constructs": {
        "curiosity": {"label": "AI curiosity", "items": ["a1", "a2"], "reverse": ["a2"]},
        "training": {"items": ["b1"]},
    },
}

# Sales: the 5 pilot members, all answering; Ops: 10 people, 6 answering (one skips a2, one skips a1 and a2);
# Legal: 5 people, 1 answering; one response matched nobody.  (a1, a2, b1): a2 is reverse-scored, so
# curiosity = mean(a1, 6 − a2), training = b1, index = (mean of the two − 1) ÷ 4 × 100.
ANSWERS = {
    "S1": (5, 1, 5),
    "S2": (4, 2, 4),
    "S3": (5, 1, 3),
    "S4": (3, 3, 5),
    "S5": (4, 2, 2),  # 100, 75, 75, 75, 50
    "O1": (1, 5, 1),
    "O2": (2, 4, 2),
    "O3": (3, 3, 3),
    "O4": (2, 4, 4),  # 0, 25, 50, 50
    "O5": (3, None, 3),
    "O6": (None, None, 4),  # 50 (curiosity from a1 alone), 75 (training alone)
    "L1": (4, 2, 4),  # 75
}
PILOT_INDEX = [100, 75, 75, 75, 50]
REST_INDEX = [0, 25, 50, 50, 50, 75, 75]


def write_package(root: Path, roster: pd.DataFrame, survey: pd.DataFrame | None, **overrides) -> PreparedPackage:
    """A prepared package written directly (parquet + manifest), without going through ingest."""
    settings = load_settings(None, merge({"survey": INSTRUMENT, "readiness": {"low_response_rate": 0.7}}, overrides))
    root.mkdir(parents=True, exist_ok=True)
    roster.to_parquet(root / "roster.parquet", index=False)
    if survey is not None:
        survey.to_parquet(root / "survey.parquet", index=False)
    (root / "manifest.json").write_text(
        json.dumps({"settings": settings.model_dump(mode="json"), "reference_date": "2026-09-30", "inputs": []})
    )
    return PreparedPackage(root)


def staff() -> pd.DataFrame:
    people = (
        [(f"S{i}", "Sales", True) for i in range(1, 6)]
        + [(f"O{i}", "Ops", False) for i in range(1, 11)]
        + [(f"L{i}", "Legal", False) for i in range(1, 6)]
    )
    return pd.DataFrame(people, columns=["person_id", "department", "in_pilot"])


def responses() -> pd.DataFrame:
    rows = [(person, "person_id", *answers) for person, answers in ANSWERS.items()]
    rows.append((None, "unmatched", 1, 1, 1))
    return pd.DataFrame(rows, columns=["person_id", "matched_by", "a1", "a2", "b1"]).astype(
        {"a1": "float64", "a2": "float64", "b1": "float64"}
    )


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    return write_package(tmp_path / "prepared", staff(), responses())


# --- scoring ----------------------------------------------------------------------------------------------------


def test_reverse_scored_items_are_turned_round_on_the_declared_scale() -> None:
    settings = load_settings(None, {"survey": INSTRUMENT})
    items = readiness.scored_items(
        pd.DataFrame({"a1": [5.0, 2.0], "a2": [5.0, 2.0], "b1": [1.0, None]}), settings.survey
    )
    assert items["a2"].tolist() == [1.0, 4.0]  # 5 + 1 − answer
    assert items["a1"].tolist() == [5.0, 2.0]
    seven = load_settings(None, {"survey": {**INSTRUMENT, "scale_points": 7, "scale_labels": list("1234567")}})
    assert readiness.scored_items(pd.DataFrame({"a1": [1.0], "a2": [3.0], "b1": [7.0]}), seven.survey)["a2"][0] == 5


def test_construct_score_needs_at_least_half_of_its_items() -> None:
    settings = load_settings(
        None, {"survey": {"constructs": {"three": {"items": ["x", "y", "z"]}, "two": {"items": ["u", "v"]}}}}
    )
    items = pd.DataFrame(
        {
            "x": [4.0, 4.0, None],
            "y": [2.0, None, None],
            "z": [None, None, 5.0],
            "u": [3.0, None, None],
            "v": [None, None, None],
        }
    )
    scores = readiness.construct_scores(items, settings.survey)
    assert scores["three"][0] == 3.0 and math.isnan(scores["three"][1]) and math.isnan(scores["three"][2])
    assert scores["two"][0] == 3.0 and math.isnan(scores["two"][1])  # one of two items is half


def test_readiness_index_rescales_the_mean_construct_score_to_0_100() -> None:
    scores = pd.DataFrame({"c1": [5.0, 1.0, 3.0, None], "c2": [3.0, 1.0, None, None], "c3": [4.0, 1.0, None, 2.0]})
    index = readiness.readiness_index(scores, 5)
    assert index[0] == pytest.approx(75.0)  # mean 4 on 1..5
    assert index[1] == 0.0
    assert math.isnan(index[2]) and math.isnan(index[3])  # one of three constructs is less than half
    assert readiness.to_index_scale(4.0, 7) == pytest.approx(50.0)


# --- reliability -------------------------------------------------------------------------------------------------


def test_cronbach_alpha_matches_the_pingouin_documentation_example() -> None:
    """15 respondents × 10 items: alpha 0.591719, Feldt 95 % interval [0.195, 0.84].

    Published in the documentation of ``pingouin.cronbach_alpha`` (Vallat, R. (2018). Pingouin: statistics in
    Python. Journal of Open Source Software, 3(31), 1026), example on the ``cronbach_alpha`` data set shipped
    with pingouin (pingouin/datasets/cronbach_alpha.csv, here in wide form); pingouin states its results were
    checked against the R package psych.
    """
    items = pd.DataFrame(
        {
            "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
            "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
            "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
            "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
            "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
            "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
            "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
            "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
            "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
            "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
        }
    ).astype(float)
    alpha = readiness.cronbach_alpha(items)
    assert alpha == pytest.approx(0.591719, abs=1e-6)
    assert item_reliability.alpha_interval(alpha, 15, 10, 0.95) == pytest.approx((0.195, 0.84), abs=5e-4)


def test_cronbach_alpha_matches_the_statology_worked_example() -> None:
    """10 customers × 3 questions on a 1–3 scale: alpha 0.7734375, 95 % interval [0.336, 0.939].

    Published in Z. Bobbitt, "How to Calculate Cronbach's Alpha in Python", Statology (17 August 2021).
    """
    items = pd.DataFrame(
        {
            "Q1": [1, 2, 2, 3, 2, 2, 3, 3, 2, 3],
            "Q2": [1, 1, 1, 2, 3, 3, 2, 3, 3, 3],
            "Q3": [1, 1, 2, 1, 2, 3, 3, 3, 2, 3],
        }
    ).astype(float)
    alpha = readiness.cronbach_alpha(items)
    assert alpha == pytest.approx(0.7734375)
    assert item_reliability.alpha_interval(alpha, 10, 3, 0.95) == pytest.approx((0.336, 0.939), abs=5e-4)


def test_alpha_and_item_rest_correlations_on_a_hand_computed_case() -> None:
    """Items A, B, C over three people; every item's variance is 1 and the sums 4, 6, 8 have variance 4, so
    alpha = 3/2 × (1 − 3/4) = 0.375.  Rest of A = B + C = 3, 4, 5 (correlation 1); rest of B = A + C =
    3, 3, 6 and rest of C = A + B = 2, 5, 5 are uncorrelated with B and C (cross-products sum to 0)."""
    items = pd.DataFrame({"A": [1.0, 2.0, 3.0], "B": [1.0, 3.0, 2.0], "C": [2.0, 1.0, 3.0]})
    assert readiness.cronbach_alpha(items) == pytest.approx(0.375)
    assert item_reliability.item_rest_correlations(items).tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)
    with_gap = pd.concat([items, pd.DataFrame({"A": [5.0], "B": [None], "C": [1.0]})], ignore_index=True)
    assert readiness.cronbach_alpha(with_gap) == pytest.approx(0.375)  # the incomplete row is left out


def test_a_single_item_has_no_alpha_and_no_item_rest_correlation() -> None:
    single = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0]})
    assert math.isnan(readiness.cronbach_alpha(single))
    assert item_reliability.item_rest_correlations(single).isna().all()
    assert all(math.isnan(end) for end in item_reliability.alpha_interval(float("nan"), 4, 1, 0.95))


def test_reliability_table_uses_reversed_items_and_says_when_there_is_no_alpha(package: PreparedPackage) -> None:
    table = readiness.reliability(package).set_index("Construct")
    # a2 reversed equals a1 wherever both are answered, so the two items agree perfectly
    assert table.loc["AI curiosity", "Cronbach's alpha"] == "1.00"
    assert table.loc["AI curiosity", "Complete responses"] == 10  # O5, O6 and the unmatched response left out
    assert table.loc["AI curiosity", "Verdict"] == "reliable"
    assert table.loc["Training", "Verdict"] == "single item: no alpha"
    assert pd.isna(table.loc["Training", "Cronbach's alpha"])
    items = readiness.item_statistics(package).set_index("Item")
    assert items.loc["a2", "Mean score"] == "3.30"  # reversed: (5 4 5 3 4 1 2 3 2 4) / 10
    assert items.loc["a1", "Item-rest correlation"] == "1.00"


def test_low_alpha_is_flagged(tmp_path: Path) -> None:
    survey = pd.DataFrame(
        {
            "person_id": [f"S{i}" for i in range(1, 6)],
            "a1": [1.0, 2.0, 3.0, 4.0, 5.0],
            "a2": [1.0, 3.0, 2.0, 5.0, 4.0],
            "b1": [3.0] * 5,
        }
    )  # reversed a2 runs against a1
    package = write_package(tmp_path, staff(), survey)
    assert (
        readiness.reliability(package).set_index("Construct").loc["AI curiosity", "Verdict"] == "unreliable: below 0.7"
    )
    assert item_reliability.unreliable_constructs(package) == ["AI curiosity"]


# --- group means ------------------------------------------------------------------------------------------------


def test_mean_interval_is_the_t_interval() -> None:
    estimate = groups.mean_with_interval(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, None]), 0.95)
    half_width = stats.t.ppf(0.975, 4) * math.sqrt(2.5 / 5)  # 2.776 × 0.707 = 1.963
    assert (estimate.respondents, estimate.mean) == (5, 3.0)
    assert (estimate.low, estimate.high) == pytest.approx((3 - half_width, 3 + half_width))
    assert estimate.low == pytest.approx(1.0368, abs=1e-4)
    one = groups.mean_with_interval(pd.Series([7.0]), 0.95)
    assert one.mean == 7.0 and math.isnan(one.low)


def test_difference_uses_welch_interval() -> None:
    """[4, 5, 6] − [1, 2, 3]: difference 3, standard error √(1/3 + 1/3), Welch d.f. 4, pooled s.d. 1."""
    gap = groups.difference_in_means(pd.Series([4.0, 5.0, 6.0]), pd.Series([1.0, 2.0, 3.0]), 0.95)
    half_width = stats.t.ppf(0.975, 4) * math.sqrt(2 / 3)
    assert gap.difference == 3.0
    assert (gap.low, gap.high) == pytest.approx((3 - half_width, 3 + half_width))
    assert gap.standardised == pytest.approx(3.0)


def test_pilot_comparison_counts_matched_respondents_only(package: PreparedPackage) -> None:
    table = readiness.pilot_comparison(package).set_index("Group")
    assert table.loc["Pilot members", ["Headcount", "Respondents"]].tolist() == [5, 5]
    assert table.loc["Pilot members", "Readiness index"] == pytest.approx(75.0)
    assert table.loc["Pilot members", "Median"] == pytest.approx(75.0)
    assert table.loc["Everyone else", "Readiness index"] == pytest.approx(np.mean(REST_INDEX))
    assert table.loc["Whole organisation", "Respondents"] == 12  # the unmatched response does not count
    assert table.loc["Whole organisation", "Response rate"] == pytest.approx(12 / 20)
    assert table.loc["Whole organisation", "Readiness index"] == pytest.approx(700 / 12)


def test_pilot_difference_agrees_with_scipy_welch(package: PreparedPackage) -> None:
    gap = groups.pilot_difference(package)
    welch = stats.ttest_ind(PILOT_INDEX, REST_INDEX, equal_var=False)
    interval = welch.confidence_interval(package.settings.statistics.interval)  # the book's one interval level
    assert gap.difference == pytest.approx(75 - np.mean(REST_INDEX))
    assert (gap.low, gap.high) == pytest.approx((interval.low, interval.high))
    assert gap.p_value == pytest.approx(welch.pvalue)


def test_construct_comparison_and_profile(package: PreparedPackage) -> None:
    table = readiness.construct_comparison(package).set_index("Construct")
    # pilot curiosity 5, 4, 5, 3, 4 -> 4.2 -> 80; everyone else 1, 2, 3, 2, 3, 4 -> 2.5 -> 37.5 (O6 has none)
    assert table.loc["AI curiosity", "Pilot members"] == pytest.approx(80.0)
    assert table.loc["AI curiosity", "Everyone else"] == pytest.approx(37.5)
    assert table.loc["AI curiosity", "Pilot − everyone else"] == pytest.approx(42.5)
    profile = readiness.construct_profile(package)
    pilot_training = profile[(profile["Construct"] == "Training") & (profile["Group"] == "Pilot members")]
    assert pilot_training["Score"].item() == pytest.approx(70.0)  # b1 5 4 3 5 2 -> 3.8 -> 70


def test_index_distribution_shares_by_band(package: PreparedPackage) -> None:
    distribution = readiness.index_distribution(package)
    pilot = distribution[distribution["Group"] == "Pilot members"].set_index("Band")["Share"]
    assert pilot["70–80"] == pytest.approx(0.6) and pilot["90–100"] == pytest.approx(0.2)  # 100 is in the top band
    assert pilot.sum() == pytest.approx(1.0)


def test_segment_table_flags_low_response_and_suppresses_small_groups(package: PreparedPackage) -> None:
    table = readiness.segment_readiness(package, "department").set_index("Department")
    assert table.index.tolist() == ["Legal", "Ops", "Sales"]
    assert table.loc["Ops", "Response rate"] == pytest.approx(0.6)
    assert table.loc["Ops", "Readiness index"] == pytest.approx(250 / 6)
    assert table.loc["Ops", "Note"] == "low response: read with care"  # 60 % is below the 70 % set here
    assert pd.isna(table.loc["Legal", "Respondents"]) and pd.isna(table.loc["Legal", "Readiness index"])
    assert table.loc["Legal", "Note"] == "fewer than 5 respondents: not shown"
    # the whole organisation's index minus Ops and Sales would reveal Legal's one respondent: Sales (the
    # smallest shown group) is hidden too
    assert pd.isna(table.loc["Sales", "Readiness index"]) and table.loc["Sales", "Respondents"] == 5
    assert table.loc["Sales", "Note"] == "not shown, so that a smaller group's figure cannot be worked out"
    assert table["suppressed"].tolist() == [True, False, True]
    assert segment_response.low_response_segments(package) == ["Department: Ops"]


def test_hidden_groups_are_protected_until_they_hold_the_minimum() -> None:
    table = pd.DataFrame({"x": [np.nan, 1.0, 2.0, 3.0], "suppressed": [True, False, False, False]})
    counts = pd.Series([2, 9, 4, 0])  # 4 in a shown row cannot happen, but tests the order: smallest first
    protected = groups.hide_complements(table, counts, ["x"], 5)
    assert protected["x"].isna().tolist() == [True, False, True, False]  # 2 + 4 hidden >= 5
    assert protected["suppressed"].tolist() == [True, False, True, False]
    untouched = groups.hide_complements(table, pd.Series([0, 9, 6, 0]), ["x"], 5)
    assert untouched["x"].isna().tolist() == [True, False, False, False]  # nobody is behind the hidden row


def test_response_below_half_the_organisation_is_flagged() -> None:
    assert segment_response.is_low_response(0.35, 0.8, 0.3)
    assert not segment_response.is_low_response(0.45, 0.8, 0.3)
    assert segment_response.is_low_response(0.2, 0.3, 0.3)
    assert not segment_response.is_low_response(float("nan"), 0.5, 0.3)


def test_display_joins_intervals(package: PreparedPackage) -> None:
    shown = readiness.for_display(readiness.pilot_comparison(package), package.settings.statistics.interval)
    assert "90 % interval" in shown and "Interval low" not in shown and "Middle half" in shown
    assert shown.set_index("Group").loc["Pilot members", "Middle half"] == "75.0 to 75.0"
    assert (
        item_reliability.interval_text(-3.14, 2.4) == "-3.1 to 2.4"
        and item_reliability.interval_text(None, 2.0) is None
    )


# --- headline, findings, privacy ----------------------------------------------------------------------------------


def test_headline(package: PreparedPackage) -> None:
    headline = readiness.readiness_headline(package)
    assert headline.respondents_with_index == 12
    assert headline.organisation_index == pytest.approx(700 / 12, abs=1e-6)
    assert headline.pilot_index == 75.0
    assert headline.non_pilot_index == pytest.approx(np.mean(REST_INDEX), abs=1e-6)
    assert headline.organisation_index_low < headline.organisation_index < headline.organisation_index_high
    assert headline.low_response_segments == ("Department: Ops",)
    assert headline.as_dict()["low_response_segments"] == ["Department: Ops"]
    rows = dict(readiness.headline_rows(headline, 5, 0.9))
    assert rows["Readiness index, pilot members"].startswith("75.0 (90 % interval")


def test_small_groups_give_no_headline_figure(tmp_path: Path) -> None:
    package = write_package(tmp_path, staff(), responses(), privacy={"min_group_size": 6})
    headline = readiness.readiness_headline(package)
    assert headline.pilot_index is None and headline.pilot_minus_non_pilot is None
    assert headline.non_pilot_index is None  # else the organisation's minus everyone else's reveals the pilot's
    assert headline.organisation_index == pytest.approx(700 / 12, abs=1e-6)
    profile = readiness.construct_profile(package)
    assert profile.loc[profile["Group"] != "Whole organisation", "Score"].isna().all()
    assert groups.pilot_difference(package) is None
    assert readiness.index_distribution(package).query("Group == 'Pilot members'")["Share"].isna().all()
    assert charts.index_distribution(readiness.index_distribution(package), 6) is not None  # everyone else only
    assert any("Too few pilot members" in finding for finding in readiness.readiness_findings(package))


def test_findings_state_the_answer(package: PreparedPackage) -> None:
    findings = readiness.readiness_findings(package)
    assert findings[0].startswith("The organisation's readiness index is 58.3 out of 100")
    assert "1 unmatched response(s) were left out" in findings[0]
    assert findings[1].startswith("Pilot members score 75.0")
    # 5 and 7 people: at the default 90 % level the gap's interval (Welch) excludes zero
    assert "the pilot was 28.6 points more ready (90 % interval " in findings[1]
    assert any("Department: Ops" in finding for finding in findings)


def test_pilot_sentence_says_the_pilot_was_more_ready_when_the_interval_excludes_zero(package: PreparedPackage) -> None:
    headline = readiness.readiness_headline(package)
    sentence = readiness.pilot_sentence(headline, groups.Difference(20.0, 12.5, 27.5, 0.001, 0.9), 0.8)
    assert "the pilot was 20.0 points more ready (80 % interval 12.5 to 27.5; 0.9 standard deviations)" in sentence
    assert "less ready" in readiness.pilot_sentence(headline, groups.Difference(-9.0, -12.0, -6.0, 0.01, -0.4), 0.9)
    within = readiness.pilot_sentence(headline, groups.Difference(3.0, -2.0, 8.0, 0.3, 0.1), 0.9)
    assert within.endswith("the difference (+3.0 points) is within the margin of error.")


def test_without_a_survey_the_chapter_says_why(tmp_path: Path) -> None:
    package = write_package(tmp_path, staff(), None)
    assert readiness.readiness_findings(package) == [readiness.unavailable_reason(package)]
    assert readiness.pilot_comparison(package).empty and readiness.reliability(package).empty
    assert readiness.segments(package) == []
    assert readiness.readiness_headline(package).organisation_index is None
    assert charts.construct_profile(readiness.construct_profile(package), 5, interval=0.9) is None


def test_tiny_client_is_all_suppressed_and_says_so(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    table = readiness.pilot_comparison(package)
    assert table["Readiness index"].isna().all() and table["suppressed"].all()
    assert readiness.readiness_findings(package) == [
        "Fewer than 5 matched respondents have a readiness index, so no readiness figure can be shown without "
        "identifying people."
    ]
    segment = readiness.segment_readiness(package, "department")
    assert charts.segment_means(segment, "Department", None, 5, interval=0.9) is None
    assert readiness.readiness_headline(package).organisation_index is None


def test_figures_are_drawn_from_shown_groups(package: PreparedPackage) -> None:
    segment = readiness.segment_readiness(package, "department")
    figure = charts.segment_means(segment, "Department", 58.3, 5, interval=0.9)
    assert [tick.get_text() for tick in figure.axes[0].get_yticklabels()] == ["Ops"]  # Legal and Sales hidden
    assert figure.get_supxlabel().startswith("2 group(s) not shown, to protect groups with fewer than 5")


def test_a_survey_without_rows_is_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("survey",), [degraded.read("survey", "exports/survey.csv", 0, 0)])
    reason = readiness.unavailable_reason(package)
    assert reason == (
        "Readiness is not assessed: the survey responses export (exports/survey.csv) has no data rows, only its header."
    )
    headline = readiness.readiness_headline(package)
    assert headline.organisation_index is None and readiness.readiness_findings(package) == [reason]
    assert all(
        value.startswith("not assessed: the survey responses export")
        for _, value in readiness.headline_rows(headline, 5, 0.9, reason)
    )


def test_items_are_shown_with_the_statements_assessment_yml_gives() -> None:
    from types import SimpleNamespace

    from scalegap.models.readiness.scoring import instrument_summary
    from scalegap.settings import ConstructSettings, SurveySettings

    trust = ConstructSettings(
        label="Trust", items=["Q4_1", "Q4_2"], reverse=["Q4_2"], statements={"Q4_1": "I trust it"}
    )
    survey = SurveySettings(scale_points=3, scale_labels=["a", "b", "c"], constructs={"trust": trust})
    lines = instrument_summary(SimpleNamespace(settings=SimpleNamespace(survey=survey)))  # type: ignore[arg-type]
    assert lines == ["Trust: “I trust it” (Q4_1); Q4_2 (reverse-scored)"]
    with pytest.raises(ValueError, match="statements are given for"):
        ConstructSettings(items=["Q1"], statements={"Q9": "stray"})
    assert "Statement" in item_reliability.ITEM_COLUMNS

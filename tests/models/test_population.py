import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.models import population as pop
from scalegap.models.population import conditions, mix, propensity, segmentation, statistics
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.models import test_availability as degraded
from tests.models.conftest import ExampleClient
from tests.support import tiny_client

# --- the statistics, by hand ----------------------------------------------------------------------------------


def test_smd_of_a_share_by_hand() -> None:
    # (0.5 − 0.2) ÷ √((0.25 + 0.16) ÷ 2) = 0.3 ÷ √0.205
    assert statistics.smd_binary(0.5, 0.2) == pytest.approx(0.3 / math.sqrt(0.205))
    assert statistics.smd_binary(0.2, 0.5) == pytest.approx(-0.662589, abs=1e-6)
    assert statistics.smd_binary(0.3, 0.3) == 0.0
    assert statistics.smd_binary(1.0, 0.0) == math.inf


def test_smd_of_a_mean_uses_the_pooled_standard_deviation() -> None:
    # means 2 and 4, variances 1 and 2.5: −2 ÷ √1.75
    pilot, production = pd.Series([1.0, 2.0, 3.0]), pd.Series([2.0, 3.0, 4.0, 5.0, 6.0])
    assert statistics.smd_continuous(pilot, production) == pytest.approx(-2 / math.sqrt(1.75))
    # weighted pilot mean (3·1 + 1·3) ÷ 4 = 1.5; denominator unweighted √((2 + 2.5) ÷ 2) = 1.5
    weighted = statistics.smd_continuous(
        pd.Series([1.0, 3.0]), pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]), pd.Series([3.0, 1.0])
    )
    assert weighted == pytest.approx(-1.0)


def test_kish_effective_sample_size_on_hand_weights() -> None:
    assert statistics.kish_effective_sample_size([1, 1, 2]) == pytest.approx(16 / 6)
    assert statistics.kish_effective_sample_size([2, 2, 2, 2]) == pytest.approx(4)
    assert statistics.kish_effective_sample_size(np.array([10, 1, 1, 1, 1])) == pytest.approx(196 / 104)


def test_bins_are_closed_on_the_right_and_scores_outside_fall_out() -> None:
    edges = statistics.quantile_edges(np.array([1.0, 2.0, 3.0, 4.0]), 2)
    assert edges.tolist() == [1.0, 2.5, 4.0]
    assert statistics.assign_bins(np.array([1, 2, 2.5, 3, 4, 5, 0]), edges).tolist() == [0, 0, 0, 1, 1, -1, -1]
    assert (
        statistics.bin_count(60, 5),
        statistics.bin_count(30, 5),
        statistics.bin_count(12, 5),
        statistics.bin_count(3, 5),
    ) == (10, 6, 2, 2)


def test_tipton_index_is_one_for_identical_and_zero_for_disjoint_distributions() -> None:
    scores = np.linspace(0.01, 0.5, 200)
    assert statistics.tipton_index(scores, scores, 10) == pytest.approx(1.0)
    assert statistics.tipton_index(np.array([0.8, 0.9, 0.95]), scores, 10) == pytest.approx(0.0)


def test_tipton_index_mid_cases_by_hand() -> None:
    population = np.array([1.0, 2.0, 3.0, 4.0])  # two bins, half the population each
    # pilot ¼ in the low bin, ¾ in the high one: √(¼·½) + √(¾·½)
    assert statistics.tipton_index(np.array([1.0, 3.0, 4.0, 4.0]), population, 2) == pytest.approx(
        math.sqrt(0.125) + math.sqrt(0.375)
    )
    assert statistics.tipton_index(np.array([4.0, 4.0, 4.0, 4.0]), population, 2) == pytest.approx(math.sqrt(0.5))


# --- the propensity model -------------------------------------------------------------------------------------


def people(pilot_in_a: int, pilot_in_b: int) -> pd.DataFrame:
    """20 people, 10 in department A and 10 in B, with the given pilot members in each."""
    in_pilot = [i < pilot_in_a for i in range(10)] + [i < pilot_in_b for i in range(10)]
    return pd.DataFrame(
        {"person_id": [f"P{i}" for i in range(20)], "in_pilot": in_pilot, "department": ["A"] * 10 + ["B"] * 10}
    )


def test_a_pilot_mixed_like_the_organisation_gets_equal_weights() -> None:
    model = propensity.fit_propensity(people(2, 2), 2)
    assert model.formula == "pilot ~ C(department)"
    assert model.scores.to_numpy() == pytest.approx(np.full(20, 0.2), abs=1e-4)
    assert model.weights.sum() == pytest.approx(20)
    assert model.effective_sample_size == pytest.approx(4)
    assert model.tipton_index == pytest.approx(1.0)


def test_a_pilot_from_one_department_still_fits_and_covers_half_the_organisation() -> None:
    model = propensity.fit_propensity(people(4, 0), 2)  # complete separation: the ridge penalty keeps it finite
    assert np.isfinite(model.scores).all()
    assert model.scores["P15"] < 0.05 < model.scores["P0"]
    assert model.effective_sample_size == pytest.approx(4)  # equal weights within A
    assert model.tipton_index == pytest.approx(math.sqrt(0.5))  # every pilot member in the upper bin


def test_level_balance_shares_and_reweighted_shares_by_hand() -> None:
    frame = people(3, 1)
    weights = pd.Series({"P0": 1.0, "P1": 1.0, "P2": 1.0, "P10": 3.0})
    table = mix.level_balance(frame, weights).set_index("Level")
    assert table.loc["A", ["Headcount", "Pilot members"]].tolist() == [10, 3]
    assert table.loc["A", "Pilot share"] == pytest.approx(0.75)
    assert table.loc["B", "Pilot share, reweighted"] == pytest.approx(0.5)
    assert table.loc["A", "SMD"] == pytest.approx(statistics.smd_binary(0.75, 0.5))
    assert table.loc["A", "SMD after reweighting"] == pytest.approx(0.0)


def test_readiness_balance_compares_respondents_only() -> None:
    frame = people(2, 0).assign(readiness=[80.0, 60.0] + [np.nan] * 8 + [40.0, 50.0, 60.0] + [np.nan] * 7)
    table = mix.readiness_balance_rows(frame, pd.Series({"P0": 3.0, "P1": 1.0})).set_index("Group")
    assert table["Respondents"].tolist() == [5, 2, 2]
    assert table["Mean readiness index"].tolist() == pytest.approx([58.0, 70.0, 75.0])
    assert table.iloc[1]["SMD"] == pytest.approx((70 - 58) / math.sqrt((200 + 220) / 2))


# --- data mix, support model, segmentation --------------------------------------------------------------------


def test_data_mix_compares_pilot_records_with_everyone_s() -> None:
    outcomes = pd.DataFrame(
        {
            "person_id": ["P1"] * 4 + ["P2"] * 2 + [f"Q{i}" for i in range(6)],
            "data_tier": ["clean"] * 4 + ["clean", "unknown"] + ["messy"] * 3 + ["clean"] * 3,
        }
    )
    table = conditions.data_mix_table(outcomes, {"P1", "P2"}, 2).set_index("Records of")
    assert table.loc[pop.PILOT_RECORDS, ["Records", "Clean", "Unknown tier", "Clean-record share"]].tolist() == [
        6,
        5,
        1,
        1.0,
    ]
    assert table.loc[pop.ALL_RECORDS, "Clean-record share"] == pytest.approx(8 / 11)
    suppressed = conditions.data_mix_table(outcomes, {"P1", "P2"}, 3).set_index("Records of")
    assert pd.isna(suppressed.loc[pop.PILOT_RECORDS, "Clean-record share"])  # 2 people < 3


def test_support_channels_of_pilot_and_other_tickets() -> None:
    roster = pd.DataFrame({"person_id": ["P1", "P2", "P3", "Q1"], "in_pilot": [True, True, True, False]})
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(6)],
            "person_id": ["P1", "P2", "P3", "P1", "Q1", "X9"],
            "channel": ["build_team", "build_team", "service_desk", "build_team", "service_desk", "service_desk"],
        }
    )
    table = conditions.support_table(tickets, roster, 1).set_index(["Raised by", "Channel"])
    assert table.loc[("Pilot members", "Build team (direct)"), ["Tickets", "People"]].tolist() == [3, 2]
    assert table.loc[("Pilot members", "Service desk"), "Share of the group's tickets"] == pytest.approx(0.25)
    assert len(table) == 3  # the reporter not in the roster is left out
    assert pop.build_team_share(tickets, {"P1", "P2", "P3"}, 3) == pytest.approx(0.75)
    assert pop.build_team_share(tickets, {"P1", "P2", "P3"}, 4) is None  # 3 people < 4


def test_extrapolated_segments_have_fewer_pilot_members_than_the_minimum() -> None:
    roster = pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(12)],
            "in_pilot": [True] * 6 + [False] * 6,
            "department": ["A"] * 5 + ["B"] + ["B"] * 3 + ["C"] * 3,
            "role": ["Analyst"] * 12,
            "location": [None] * 12,
        }
    )
    assert segmentation.extrapolated_values(roster, 5) == {"department": frozenset({"B", "C"}), "role": frozenset()}
    assert pop.covered_shares(roster, 5) == {"department": pytest.approx(5 / 12), "role": 1.0}


# --- the verdict rules ----------------------------------------------------------------------------------------


def test_coverage_verdict_uses_tipton_s_cut_points() -> None:
    assert [pop.coverage_verdict(v) for v in (0.95, 0.9, 0.7, 0.5, 0.49, None)] == [
        pop.TESTED,
        pop.TESTED,
        pop.PARTLY,
        pop.PARTLY,
        pop.NOT_TESTED,
        pop.NO_EVIDENCE,
    ]


def test_population_verdict_rule() -> None:
    assert pop.population_verdict(0, 0, 3.0, 5) == pop.TESTED
    assert pop.population_verdict(4, 9, 8.5, 5) == pop.PARTLY
    assert pop.population_verdict(4, 2, 30.0, 5) == pop.NOT_TESTED
    assert pop.population_verdict(4, None, 6.0, 5) == pop.PARTLY  # volunteering not recorded: the ESS decides
    assert pop.population_verdict(4, None, 4.0, 5) == pop.NOT_TESTED
    assert pop.population_verdict(None, None, None, 5) == pop.NO_EVIDENCE


def test_data_mix_support_and_segmentation_verdict_rules() -> None:
    assert pop.data_mix_verdict(0.92, 0.55) == pop.NOT_TESTED  # messy 8% against 45%: ratio 0.18
    assert pop.data_mix_verdict(0.7, 0.5) == pop.PARTLY  # 30% against 50%: 0.6
    assert pop.data_mix_verdict(0.5, 0.6) == pop.TESTED  # messier than production
    assert pop.data_mix_verdict(None, 0.6) == pop.NO_EVIDENCE
    assert pop.support_verdict(0.8) == pop.NOT_TESTED
    assert pop.support_verdict(0.3) == pop.PARTLY
    assert pop.support_verdict(0.05) == pop.TESTED
    assert pop.segmentation_verdict({"department": 1.0, "role": 1.0}) == pop.TESTED
    assert pop.segmentation_verdict({"department": 0.88, "role": 1.0}) == pop.PARTLY
    assert pop.segmentation_verdict({"department": 0.4}) == pop.NOT_TESTED
    assert pop.segmentation_verdict({}) == pop.NO_EVIDENCE


# --- on a prepared package ------------------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_readiness_index_reverses_and_rescales(tiny: PreparedPackage) -> None:
    # one construct of two items on 1..5; the latest response of E4 counts
    assert propensity.readiness_index(tiny).to_dict() == pytest.approx({"E1": 75.0, "E2": 50.0, "E4": 87.5})


def test_a_pilot_below_the_minimum_group_size_is_not_described(tiny: PreparedPackage) -> None:
    assert "fewer members than the minimum group size" in pop.unavailable_reason(tiny)
    headline = pop.validity_headline(tiny)
    assert (headline.pilot_members, headline.tipton_index, headline.flagged_covariates) == (3, None, None)
    assert pop.population_mix_table(tiny).empty and pop.propensity_bins(tiny).empty
    assert pop.extrapolated_segments(tiny) == {
        "department": frozenset({"Finance", "Legal"}),
        "role": frozenset({"Analyst"}),
    }
    verdicts = {v.condition: v.verdict for v in pop.validity_verdicts(tiny)}
    assert verdicts == {
        "Population mix": pop.NO_EVIDENCE,
        "Data mix": pop.NO_EVIDENCE,
        "Support model": pop.NO_EVIDENCE,
        "Segmentation": pop.NOT_TESTED,
        "Generalizability": pop.NO_EVIDENCE,
    }
    assert pop.validity_findings(tiny)[-1].startswith("Of the five production conditions, 0 were tested")


@pytest.fixture(scope="module")
def demo(example_client: ExampleClient) -> tuple[PreparedPackage, dict]:
    return example_client.package, example_client.truth


def test_the_demo_pilot_looks_like_the_simulator_s_design(demo: tuple[PreparedPackage, dict]) -> None:
    package, truth = demo
    headline = pop.validity_headline(package)
    mix = pop.population_mix(package).set_index(["Covariate", "Level"])
    assert mix.loc[("Volunteered for the pilot", "yes"), "SMD"] > 2  # 85% volunteers against about 7%
    assert abs(mix.loc[("Volunteered for the pilot", "yes"), "SMD after reweighting"]) < 0.1
    assert headline.pilot_effective_sample_size < 15  # the weight rests on the few assigned members
    assert 0.3 < headline.tipton_index < 0.9
    assert headline.clean_share_pilot == pytest.approx(1 - truth["pilot_messy_share"], abs=0.03)
    assert headline.build_team_ticket_share == pytest.approx(truth["parameters"]["pilot_direct_support_share"], abs=0.1)
    assert "Legal" in pop.extrapolated_segments(package)["department"]  # 1 pilot member
    assert pop.readiness_balance(package)["SMD"].iloc[1] > 0.5  # enthusiasts volunteered


def test_outcomes_and_tickets_without_rows_give_no_evidence(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("survey", "outcomes", "tickets"))
    assert (
        pop.data_mix(package).empty and pop.support_model(package).empty and propensity.readiness_index(package).empty
    )
    headline = pop.validity_headline(package)
    assert (headline.clean_share_pilot, headline.build_team_ticket_share) == (None, None)
    verdicts = {v.condition: v for v in pop.validity_verdicts(package)}
    assert verdicts["Data mix"].verdict == verdicts["Support model"].verdict == pop.NO_EVIDENCE
    assert verdicts["Data mix"].evidence.startswith("The data mix is not assessed: the outcome records export")

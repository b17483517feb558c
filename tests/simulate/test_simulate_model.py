"""The generative model: parameters, population, pilot selection, truth."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from scalegap.simulate import SimulatedDeployment, SimulationParameters, simulate_deployment
from scalegap.simulate.population import largest_remainder_allocation, team_sizes, unique_emails
from scalegap.simulate.truth import conversion_truth, truth_json_text


def test_parameters_are_frozen_and_validated() -> None:
    parameters = SimulationParameters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        parameters.seed = 1  # type: ignore[misc]
    with pytest.raises(ValueError, match="rollout_department"):
        SimulationParameters(rollout_department="Catering")
    with pytest.raises(ValueError, match="pilot_size"):
        SimulationParameters(n_employees=100, pilot_size=60)
    with pytest.raises(ValueError, match="pilot_volunteer_share"):
        SimulationParameters(pilot_volunteer_share=1.5)


def test_largest_remainder_allocation_sums_exactly() -> None:
    counts = largest_remainder_allocation([0.25, 0.22, 0.15, 0.10, 0.08, 0.08, 0.06, 0.06], 1999)
    assert counts.sum() == 1999
    assert counts.tolist() == [499, 440, 300, 200, 160, 160, 120, 120]


def test_team_sizes_stay_between_8_and_15() -> None:
    rng = np.random.default_rng(0)
    for size in (120, 160, 440, 500):
        sizes = team_sizes(rng, size)
        assert sum(sizes) == size
        assert min(sizes) >= 8 and max(sizes) <= 15


def test_unique_emails_disambiguates_repeated_names() -> None:
    emails = unique_emails(["Sam", "Sam", "Daan"], ["de Jong", "de Jong", "O'Brien"])
    assert emails == ["sam.dejong@northwind.example", "sam.dejong2@northwind.example", "daan.obrien@northwind.example"]


def test_people_sizes_and_segments(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    assert len(people) == 2000
    assert people["employee_id"].is_unique and people["email"].is_unique
    assert people["employee_id"].str.fullmatch(r"E1\d{4}").all()
    counts = people["department"].value_counts()
    assert counts["Customer Service"] == 500 and counts["Operations"] == 440 and counts["Legal"] == 120
    assert people["team"].str.fullmatch(r"(CS|OPS|SAL|FIN|IT|MKT|HR|LEG)-\d{2}").all()
    team_counts = people["team"].value_counts()
    assert team_counts.min() >= 8 and team_counts.max() <= 15
    readiness = people.groupby("department")["readiness"].mean()
    assert readiness["IT"] > readiness["Customer Service"] > readiness["Operations"]


def test_pilot_is_sixty_mostly_self_selected_enthusiasts(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    pilot = people[people["in_pilot"]]
    assert len(pilot) == 60
    assert (pilot["pilot_entry"] == "volunteered").sum() == 51
    assert pilot.loc[pilot["pilot_entry"] == "volunteered", "volunteered"].all()
    assert not pilot.loc[pilot["pilot_entry"] == "assigned", "volunteered"].any()
    assert pilot["readiness"].mean() > people["readiness"].mean() + 0.5
    assert deployment.truth["pilot_volunteer_share_actual"] == pytest.approx(0.85)


def test_rollout_cohort_is_assigned_from_the_rollout_department(deployment: SimulatedDeployment) -> None:
    cohort = deployment.people[deployment.people["in_rollout_cohort"]]
    assert len(cohort) == 120
    assert (cohort["department"] == "Customer Service").all()
    assert not cohort["in_pilot"].any()


def test_adoption_probabilities(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    assert people["adoption_probability"].between(0, 1).all()
    assert (people["pilot_adoption_probability"] >= people["adoption_probability"] - 1e-12).all()
    boosted = people["pilot_adoption_probability"] > people["adoption_probability"] + 1e-12
    assert people.loc[boosted, "pilot_adoption_probability"].max() <= 0.97 + 1e-12
    sustained = people["adoption_probability"] * 0.9
    assert np.allclose(people["sustained_adoption_probability"], sustained)
    pilot = people[people["in_pilot"]]
    assert pilot["pilot_adoption_probability"].mean() > people["adoption_probability"].mean()


def test_truth_factors_multiply_to_conversion_rate(deployment: SimulatedDeployment) -> None:
    truth = deployment.truth
    factors = truth["conversion_factors"]
    product = math.prod(
        factors[k] for k in ("adoption_factor", "effect_factor", "data_mix_factor", "sustainment_factor")
    )
    assert product == pytest.approx(truth["conversion_rate"], abs=1e-5)
    assert truth["production_value_per_person"] / truth["pilot_value_per_person"] == pytest.approx(
        truth["conversion_rate"], abs=1e-5
    )
    exact = conversion_truth(deployment.people, deployment.parameters)
    exact_product = exact.adoption_factor * exact.effect_factor * exact.data_mix_factor * exact.sustainment_factor
    assert exact_product == pytest.approx(exact.conversion_rate, rel=1e-12)


def test_conversion_rate_shows_the_pilot_cliff(deployment: SimulatedDeployment) -> None:
    rate = deployment.truth["conversion_rate"]
    assert 0.1 < rate < 1
    assert 0.25 < rate < 0.55
    assert deployment.truth["conversion_factors"]["adoption_factor"] < 1


def test_conversion_rate_rises_when_the_pilot_looks_like_production() -> None:
    representative = SimulationParameters(
        pilot_volunteer_share=0.0, pilot_messy_share=0.45, pilot_adoption_boost=0.0, sustainment_factor=1.0
    )
    baseline = simulate_deployment().truth["conversion_rate"]
    assert simulate_deployment(representative).truth["conversion_rate"] > baseline + 0.3


def test_truth_json_content(deployment: SimulatedDeployment) -> None:
    text = truth_json_text(deployment.truth)
    loaded = json.loads(text)
    for key in (
        "parameters",
        "n_employees",
        "pilot_size",
        "pilot_volunteer_share_actual",
        "adoption_by_department",
        "effect_minutes_per_task",
        "tasks_per_week",
        "pilot_messy_share",
        "production_messy_share",
        "sustainment_factor",
        "pilot_value_per_person",
        "production_value_per_person",
        "conversion_rate",
        "conversion_factors",
    ):
        assert key in loaded
    assert list(loaded) == sorted(loaded)
    assert loaded["parameters"]["seed"] == 20261125
    assert (
        loaded["adoption_by_department"]["IT"]["production"] > loaded["adoption_by_department"]["Legal"]["production"]
    )
    effect = loaded["effect_minutes_per_task"]["Finance"]
    assert effect["messy"] == pytest.approx(0.35 * effect["clean"], abs=1e-5)
    decimals = [len(repr(v).split(".")[1]) for v in _floats(loaded) if "e" not in repr(v) and "." in repr(v)]
    assert max(decimals) <= 6


def _floats(value: object) -> list[float]:
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return [value] if isinstance(value, float) else []


def test_changing_the_pilot_leaves_the_population_draws_unchanged(deployment: SimulatedDeployment) -> None:
    other = simulate_deployment(SimulationParameters(pilot_volunteer_share=0.5, rollout_department=None))
    assert np.array_equal(other.people["readiness"], deployment.people["readiness"])
    assert not np.array_equal(other.people["in_pilot"], deployment.people["in_pilot"])


def test_small_company_still_simulates() -> None:
    small = simulate_deployment(SimulationParameters(n_employees=300, seed=7))
    assert len(small.people) == 300
    assert small.people["in_pilot"].sum() == 60
    assert 0 < small.people["in_rollout_cohort"].sum() <= 120
    assert 0 < small.truth["conversion_rate"] < 1

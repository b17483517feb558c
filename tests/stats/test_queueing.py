import math

import numpy as np
import pytest

from scalegap.stats import queueing


def test_load_of_the_pyworkforce_example_is_ten_erlangs() -> None:
    # 10 Erlangs with a 3-minute handling time: 10 × 60 ÷ 3 = 200 tickets an hour (100 per half hour)
    arrivals_per_hour = 10 * 60 / 3
    assert arrivals_per_hour == 200
    assert queueing.load_erlangs(arrivals_per_hour, 3) == pytest.approx(10)


def test_pyworkforce_worked_example() -> None:
    """pyworkforce's documented ErlangC example: 14 agents, 10 Erlangs, 3-minute handling, 20-second target."""
    load = queueing.load_erlangs(200, 3)
    assert queueing.waiting_probability(14, load) == pytest.approx(0.1741, abs=5e-5)
    assert queueing.service_level(14, load, 3, 20 / 60) == pytest.approx(0.8884, abs=5e-5)
    assert queueing.agents_needed(load, 3, 20 / 60, 0.8) == 14  # pyworkforce's raw_positions


def test_erlang_b_matches_the_recursion_for_whole_agents() -> None:
    assert queueing.erlang_b(1, 1) == pytest.approx(0.5)  # A ÷ (1 + A)
    assert queueing.erlang_b(2, 1) == pytest.approx(0.2)  # (A²/2) ÷ (1 + A + A²/2)
    blocking = 1.0
    for agents in range(1, 31):
        blocking = 7.5 * blocking / (agents + 7.5 * blocking)
        assert queueing.erlang_b(agents, 7.5) == pytest.approx(blocking, rel=1e-9)


def test_one_agent_is_mm1() -> None:
    rho = 0.6
    assert queueing.waiting_probability(1, rho) == pytest.approx(rho)
    # M/M/1: P(wait ≤ t) = 1 − ρ·e^(−(1 − ρ)·t ÷ h); ASA = ρ·h ÷ (1 − ρ)
    assert queueing.service_level(1, rho, 10, 5) == pytest.approx(1 - rho * math.exp(-0.4 * 5 / 10))
    assert queueing.average_speed_of_answer(1, rho, 10) == pytest.approx(0.6 * 10 / 0.4)


def test_two_agents_by_hand() -> None:
    # A = 1 on 2 agents: C = (A²/2 · 2/(2 − A)) ÷ (1 + A + A²/2 · 2/(2 − A)) = 1/3
    assert queueing.waiting_probability(2, 1) == pytest.approx(1 / 3)
    assert queueing.average_speed_of_answer(2, 1, 6) == pytest.approx(1 / 3 * 6 / 1)


def test_overload_and_no_load() -> None:
    assert queueing.waiting_probability(3, 3) == 1.0
    assert queueing.service_level(3, 4, 5, 1) == 0.0
    assert queueing.average_speed_of_answer(2, 2.5, 5) == math.inf
    assert queueing.waiting_probability(2, 0) == 0.0
    assert queueing.fractional_agents_needed(0, 5, 1, 0.8) == 0.0


def test_stays_finite_for_large_desks() -> None:
    waiting = queueing.waiting_probability(500, 480)
    assert 0 < waiting < 1
    assert queueing.agents_needed(480, 5, 1, 0.8) > 480


def test_fractional_agents_meet_the_target_exactly_below_the_whole_number() -> None:
    load = queueing.load_erlangs(200, 3)
    fraction = queueing.fractional_agents_needed(load, 3, 20 / 60, 0.8)
    assert 13 < fraction < 14
    assert queueing.service_level(fraction, load, 3, 20 / 60) == pytest.approx(0.8, abs=1e-6)


def test_service_level_rises_with_agents_between_whole_numbers() -> None:
    levels = [queueing.service_level(agents, 2.0, 30, 60) for agents in np.linspace(2.05, 6, 40)]
    assert all(a < b for a, b in zip(levels, levels[1:]))


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        queueing.erlang_b(-1, 1)
    with pytest.raises(ValueError):
        queueing.agents_needed(1, 3, 1, 1.2)

"""Erlang C: how many support agents a queue of tickets needs to meet a response-time target.

The model is the M/M/n queue (Erlang C): tickets arrive at random (a Poisson process) at ``arrival_rate`` per
hour, each takes an agent ``handling_minutes`` on average (exponentially distributed), ``agents`` work the
queue in parallel, and nobody gives up waiting.  The **load** ``A = arrival_rate × handling_minutes ÷ 60`` is
in Erlangs: the number of agents that would be busy all the time.  With ``n`` agents (``n > A``):

* Erlang B (blocking), by the incomplete gamma function, ``B(n, A) = Aⁿ e^(−A) ÷ Γ(n + 1, A)``, which for whole
  ``n`` equals the classic recursion ``B(0) = 1, B(k) = A·B(k−1) ÷ (k + A·B(k−1))``; computed in logarithms with
  ``scipy.special`` (``gammaln``, ``gammaincc``), so it stays exact for hundreds of agents and large loads;
* the **waiting probability** (Erlang C), the chance that a ticket waits at all:
  ``C(n, A) = n·B ÷ (n − A·(1 − B))``; 1 when ``A ≥ n`` (the queue grows without end);
* the **service level** at a target time ``t``, the share of tickets answered within ``t``:
  ``1 − C·e^(−(n − A)·t ÷ handling time)``;
* the **average speed of answer**: ``C·handling time ÷ (n − A)``;
* the **minimum number of agents** for a service-level target: the smallest whole ``n`` that reaches it, and
  the fractional ``n`` (agents on duty on average, e.g. with part-time staff) at which the service level equals
  the target exactly (``scipy.optimize.brentq`` between the load and the whole number).

A fractional ``n`` (part-time staff: agents on duty on average) uses the same incomplete-gamma formula, the
standard continuous extension of Erlang's formulas (Jagerman 1974); whole ``n`` give the textbook values.

Why not pyworkforce: it was expected to need Python 3.12 or later, which would rule it out on scalegap's Python
3.11.  Checked in a throwaway environment, pyworkforce 0.5.1 declares Python 3.8 or later and installs beside
scalegap, but it brings Google OR-Tools (for its scheduling half) as a required dependency and handles whole
positions only, while the staffing curve needs fractional agents.  The formulas above are short; they are tested
against pyworkforce's documented example (10 Erlangs on 14 agents: waiting probability 0.1741, service level
0.8884 at 20 seconds with a 3-minute handling time) and agreed with pyworkforce 0.5.1 to 1e-10 on stable queues.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

MAX_AGENTS = 100_000


def load_erlangs(arrival_rate_per_hour: float, handling_minutes: float) -> float:
    """Offered load in Erlangs: arrivals per hour × hours per ticket."""
    return arrival_rate_per_hour * handling_minutes / 60.0


def erlang_b(agents: float, load: float) -> float:
    """The Erlang B blocking probability ``Aⁿ e^(−A) ÷ Γ(n + 1, A)``, computed in logarithms."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    if load == 0:
        return 0.0 if agents > 0 else 1.0
    log_b = agents * math.log(load) - load - special.gammaln(agents + 1) - math.log(special.gammaincc(agents + 1, load))
    return float(min(1.0, math.exp(log_b)))


def waiting_probability(agents: float, load: float) -> float:
    """Erlang C: the chance that a ticket has to wait (1 when the load reaches the number of agents)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return float(agents * blocking / (agents - load * (1.0 - blocking)))


def service_level(agents: float, load: float, handling_minutes: float, target_minutes: float) -> float:
    """Share of tickets whose wait for an agent is at most ``target_minutes`` (0 when ``load ≥ agents``)."""
    if load > 0 and agents <= load:
        return 0.0
    waiting = waiting_probability(agents, load)
    return float(1.0 - waiting * math.exp(-(agents - load) * target_minutes / handling_minutes))


def average_speed_of_answer(agents: float, load: float, handling_minutes: float) -> float:
    """Mean wait before an agent starts on a ticket, in minutes (infinite when ``load ≥ agents``)."""
    if load > 0 and agents <= load:
        return math.inf
    return float(waiting_probability(agents, load) * handling_minutes / (agents - load))


def agents_needed(load: float, handling_minutes: float, target_minutes: float, service_level_target: float) -> int:
    """The smallest whole number of agents whose service level at ``target_minutes`` reaches the target."""
    if not 0 < service_level_target < 1:
        raise ValueError("the service-level target must lie between 0 and 1")
    agents = max(1, math.floor(load) + 1)
    while service_level(agents, load, handling_minutes, target_minutes) < service_level_target:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"more than {MAX_AGENTS:,} agents would be needed; check the load")
    return agents


def fractional_agents_needed(
    load: float, handling_minutes: float, target_minutes: float, service_level_target: float
) -> float:
    """The (fractional) number of agents at which the service level equals the target; 0 without load."""
    if load <= 0:
        return 0.0
    whole = agents_needed(load, handling_minutes, target_minutes, service_level_target)

    def shortfall(agents: float) -> float:
        return service_level(agents, load, handling_minutes, target_minutes) - service_level_target

    low = load * (1 + 1e-9) + 1e-12
    if shortfall(low) >= 0:
        return low
    return float(optimize.brentq(shortfall, low, whole, xtol=1e-9))


def service_levels(agents: float, loads: np.ndarray, handling_minutes: float, target_minutes: float) -> np.ndarray:
    """:func:`service_level` for each of several loads."""
    return np.array([service_level(agents, float(load), handling_minutes, target_minutes) for load in loads])

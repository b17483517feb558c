"""A deterministic, seeded simulator of a fictional client's exports.

The client is *Northwind Logistics* (about 2,000 employees in London,
Manchester and Rotterdam) whose AI-assistant (Microsoft 365 Copilot) pilot ran
with about 60 mostly self-selected enthusiasts, followed by a first assigned
rollout cohort. The simulator writes the client's full, realistic and messy
export set (a Qualtrics survey, an HR roster workbook, daily usage telemetry,
weekly Microsoft 365 Copilot usage reports, outcome records, Jira tickets, a
governance checklist; see :mod:`~scalegap.simulate.exports`) plus
``truth.json`` with the true parameters, so that model code can be tested
against known truth::

    from scalegap.simulate import SimulationParameters, write_example_client

    deployment = write_example_client(Path("clients/northwind"))
    deployment.truth["conversion_rate"]

Modules: :mod:`~scalegap.simulate.parameters` (knobs),
:mod:`~scalegap.simulate.population` (people, readiness, pilot selection,
adoption, effect), :mod:`~scalegap.simulate.usage`, :mod:`~scalegap.simulate.survey`,
:mod:`~scalegap.simulate.outcomes`, :mod:`~scalegap.simulate.tickets`,
:mod:`~scalegap.simulate.governance` (in-memory records),
:mod:`~scalegap.simulate.licences` (licence holders, licence waste, the
weekly usage reports in memory),
:mod:`~scalegap.simulate.defects` (planned export anomalies),
:mod:`~scalegap.simulate.truth` (``truth.json`` and the conversion-rate
decomposition), :mod:`~scalegap.simulate.deployment` (orchestration),
:mod:`~scalegap.simulate.exports`, :mod:`~scalegap.simulate.qualtrics`,
:mod:`~scalegap.simulate.excel`, :mod:`~scalegap.simulate.m365`,
:mod:`~scalegap.simulate.jira` (rendering to vendor formats),
:mod:`~scalegap.simulate.instrument` (the survey items) and
:mod:`~scalegap.simulate.vocabulary` (names and texts).
"""

from scalegap.simulate.deployment import SimulatedDeployment, simulate_deployment
from scalegap.simulate.exports import write_example_client, write_exports
from scalegap.simulate.governance import governance_template_items
from scalegap.simulate.parameters import SimulationParameters

__all__ = [
    "SimulatedDeployment",
    "SimulationParameters",
    "governance_template_items",
    "simulate_deployment",
    "write_example_client",
    "write_exports",
]

"""The portfolio's model: each client's figures read from its results.json (documents that conform to the published
schema), aligned, anonymised by default; a client never run blocks, naming it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scalegap.errors import ScalegapError
from scalegap.models.portfolio import NO_REASON, anonymous_label, read_portfolio
from scalegap.models.results import schema_problems
from scalegap.models.summary import write_results
from tests.models.test_results import prepared


@pytest.fixture(scope="module")
def base_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A results.json a real summarise step wrote (for a tiny client), the base each test client varies."""
    path = write_results(prepared(tmp_path_factory.mktemp("tiny")), "2026-11-25T00:00:00+00:00")
    return json.loads(path.read_text(encoding="utf-8"))


def span(estimate: float, low: float, high: float, unit: str | None = None) -> dict[str, Any]:
    return {"estimate": estimate, "low": low, "high": high, **({"unit": unit} if unit else {})}


def conversion_block(rate: float, low: float, high: float, net: float) -> dict[str, Any]:
    """An available conversion block with its factors and net value per seat (GBP)."""
    return {
        "available": True,
        "conversion_rate": rate,
        "conversion_rate_interval": [low, high],
        "interval": 0.9,
        "factors": {
            "adoption": span(0.52, 0.36, 0.77),
            "effect": span(0.99, 0.87, 1.14),
            "data_mix": span(0.74, 0.71, 0.78),
            "sustainment": span(0.98, 0.91, 0.99),
        },
        "pilot_value_per_person": span(190.0, 160.0, 225.0, "minutes saved per person per week"),
        "production_value_per_person": span(73.0, 52.0, 101.0, "minutes saved per person per week"),
        "money": {"currency": "GBP", "net_value_per_seat_per_year": span(net, net - 700, net + 900, "GBP per seat")},
        "break_even_adoption": span(0.046, 0.041, 0.051),
        "production_adoption": span(0.39, 0.27, 0.52),
        "notes": [],
    }


def client_folder(
    root: Path,
    base: dict[str, Any],
    name: str,
    rate: float | None = 0.38,
    readiness: float | None = 55.5,
    verdict: str | None = "Go with conditions",
    named: bool = True,
) -> Path:
    """A client folder whose last good build has a results.json that conforms to the published schema
    (``named``: its settings let a portfolio page print its name)."""
    document = copy.deepcopy(base)
    document["client"] = document["headline"]["client"] = name
    document["client_named_in_portfolios"] = named
    document["interval"] = 0.9
    low, high = (None, None) if readiness is None else (readiness - 1.25, readiness + 1.25)
    document["readiness"].update(organisation_index=readiness, organisation_index_low=low, organisation_index_high=high)
    document["not_assessed"] = {}
    if readiness is None:
        document["not_assessed"]["readiness.organisation_index"] = "not assessed: no survey export was supplied"
    if rate is None:
        document["conversion"] = {"available": False, "reason": "no outcome export was supplied"}
        document["conversion_rate"] = document["conversion_rate_interval"] = None
        document["not_assessed"]["conversion_rate"] = "not assessed: no outcome export was supplied"
    else:
        document["conversion"] = conversion_block(rate, rate - 0.1, rate + 0.15, 2242.66)
        document["conversion_rate"], document["conversion_rate_interval"] = rate, [rate - 0.1, rate + 0.15]
    document["recommendation"]["verdict"] = verdict
    assert schema_problems(document) == []
    path = root / "_build" / "results.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return root


def test_each_client_is_read_in_order_under_an_anonymous_label(tmp_path: Path, base_document: dict) -> None:
    first = client_folder(tmp_path / "acme", base_document, "Acme Ltd", rate=0.38)
    second = client_folder(tmp_path / "globex", base_document, "Globex plc", rate=0.61, readiness=48.0)
    portfolio = read_portfolio([second, first])
    assert [client.label for client in portfolio.clients] == ["Client A", "Client B"]
    globex, acme = portfolio.clients
    assert globex.figures["conversion_rate"].estimate == 0.61 and acme.figures["conversion_rate"].estimate == 0.38
    assert globex.figures["readiness"].estimate == 48.0 and globex.figures["readiness"].low == 46.75
    assert acme.figures["factor.sustainment"].estimate == 0.98 and acme.figures["factor.effect"].high == 1.14
    assert acme.figures["net_value_per_seat"].estimate == 2242.66 and acme.currency == "GBP"
    assert acme.verdict == "Go with conditions" and acme.interval == 0.9
    assert [client.label for client in read_portfolio([first, second], names=True).clients] == [
        "Acme Ltd",
        "Globex plc",
    ]


def test_a_figure_not_assessed_carries_the_reason_results_json_gives(tmp_path: Path, base_document: dict) -> None:
    lacking = client_folder(tmp_path / "initech", base_document, "Initech", rate=None, readiness=None, verdict=None)
    (client,) = read_portfolio([lacking]).clients
    assert client.figures["readiness"].estimate is None
    assert client.figures["readiness"].reason == "not assessed: no survey export was supplied"
    for key in ("conversion_rate", "factor.adoption", "net_value_per_seat"):
        assert client.figures[key].reason == "not assessed: no outcome export was supplied", key
    assert client.verdict is None and client.verdict_reason == "not assessed: no outcome export was supplied"
    assert NO_REASON.startswith("not assessed: ")


def test_clients_never_run_block_the_portfolio_each_named(tmp_path: Path, base_document: dict) -> None:
    good = client_folder(tmp_path / "acme", base_document, "Acme Ltd")
    (tmp_path / "never-run").mkdir()
    (tmp_path / "never-run-either").mkdir()
    with pytest.raises(ScalegapError) as raised:
        read_portfolio([good, tmp_path / "never-run", tmp_path / "never-run-either"])
    lines = raised.value.lines()
    assert len(lines) == 2
    assert all("never run" in line and "scalegap run" in line for line in lines)
    assert str(tmp_path / "never-run") in lines[0] and str(tmp_path / "never-run-either") in lines[1]


def test_a_results_json_that_departs_from_the_schema_is_refused(tmp_path: Path, base_document: dict) -> None:
    root = client_folder(tmp_path / "acme", base_document, "Acme Ltd")
    document = json.loads((root / "_build" / "results.json").read_text(encoding="utf-8"))
    del document["readiness"]
    (root / "_build" / "results.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ScalegapError, match="departs from the published schema"):
        read_portfolio([root])


def test_labels_run_from_a_to_z_then_by_number() -> None:
    assert [anonymous_label(n) for n in (0, 1, 25, 26)] == ["Client A", "Client B", "Client Z", "Client 27"]


def test_a_client_whose_settings_keep_it_anonymous_stays_so_even_with_names(
    tmp_path: Path, base_document: dict
) -> None:
    """``privacy.name_in_portfolios`` false (the default), or a results.json written before the setting existed:
    the client keeps its anonymous label whatever ``--names`` asks for."""
    open_client = client_folder(tmp_path / "acme", base_document, "Acme Ltd")
    private = client_folder(tmp_path / "globex", base_document, "Globex plc", named=False)
    older = client_folder(tmp_path / "initech", base_document, "Initech")
    document = json.loads((older / "_build" / "results.json").read_text(encoding="utf-8"))
    del document["client_named_in_portfolios"]
    (older / "_build" / "results.json").write_text(json.dumps(document), encoding="utf-8")
    labels = [client.label for client in read_portfolio([open_client, private, older], names=True).clients]
    assert labels == ["Acme Ltd", "Client B", "Client C"]

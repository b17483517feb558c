"""The executive summary's tiles, plain conditions and glued figures: from results.json's content, escaped."""

from __future__ import annotations

from typing import Any

from scalegap.models.recommendation import GO, GO_WITH_CONDITIONS, Recommendation
from scalegap.present import summary
from scalegap.settings import load_settings


def conversion_block(rate: float = 0.381063) -> dict[str, Any]:
    """A conversion block shaped as results.json writes it (ConversionHeadline.as_dict, plus "available")."""
    span = {"estimate": 0.5, "low": 0.4, "high": 0.6}
    return {
        "available": True,
        "conversion_rate": rate,
        "conversion_rate_interval": [0.27329, 0.529312],
        "interval": 0.9,
        "factors": {"adoption": span, "effect": span, "data_mix": span, "sustainment": span},
        "pilot_value_per_person": {"estimate": 20.0, "low": 15.0, "high": 25.0, "unit": "minutes per person"},
        "production_value_per_person": {"estimate": 7.6, "low": 5.0, "high": 10.0, "unit": "minutes per person"},
        "production_adoption": {"estimate": 0.393696, "low": 0.2758, "high": 0.527658},
        "money": {
            "currency": "GBP",
            "net_value_per_seat_per_year": {"estimate": 2242.66, "low": -12.4, "high": 3206.6},
        },
    }


def advice(verdict: str = GO_WITH_CONDITIONS) -> Recommendation:
    return Recommendation(verdict=verdict, rule="the rule", reasons=("why",), conditions=("technical condition",))


def test_the_tiles_carry_the_verdict_and_the_three_figures_with_their_intervals() -> None:
    tiles = summary.headline_tiles({"conversion": conversion_block()}, advice())
    assert [tile.label for tile in tiles] == ["Verdict", "Conversion rate", "Net value per seat", "Production adoption"]
    assert tiles[0].value == GO_WITH_CONDITIONS and tiles[0].tone == "conditions"
    assert tiles[1].value == "38 %" and "90 % interval 27 % to 53 %" in tiles[1].detail
    assert tiles[2].value == "GBP 2,243" and "−GBP 12 to GBP 3,207" in tiles[2].detail
    assert tiles[3].value == "39 %" and "28 % to 53 %" in tiles[3].detail


def test_without_a_conversion_rate_only_the_verdict_is_a_tile() -> None:
    document = {"conversion": {"available": False, "reason": "not assessed"}}
    assert [tile.label for tile in summary.headline_tiles(document, advice(GO))] == ["Verdict"]


def test_tiles_are_escaped_and_say_who_prepared_the_assessment() -> None:
    tiles = [summary.Tile("<b>Verdict</b>", "Go & <go>", "<script>x</script>", "go")]
    branding = load_settings(None, {"branding": {"consultant": "Alex <Morgan>", "consultancy": "A & B"}}).branding
    page = summary.tiles_html(tiles, summary.prepared_by(branding))
    assert "<script>" not in page and "&lt;script&gt;" in page and "Go &amp; &lt;go&gt;" in page
    assert "Prepared by Alex &lt;Morgan&gt;, A &amp; B" in page and "scalegap-tile-go" in page
    assert summary.prepared_by(load_settings(None).branding) == ""


def test_glued_figures_are_the_tiles_own_texts() -> None:
    document = {"conversion": conversion_block()}
    names = summary.glue_names(document, advice())
    tiles = {tile.label: tile.value for tile in summary.headline_tiles(document, advice())}
    assert names["conversion_rate"] == tiles["Conversion rate"] == "38 %"
    assert names["net_value_per_seat"] == tiles["Net value per seat"]
    assert names["verdict"] == GO_WITH_CONDITIONS and names["conversion_rate_interval"] == "27 % to 53 %"
    assert summary.headline_texts({"available": False}) == {}
    unavailable = summary.glue_names({"conversion": {"available": False}}, advice())
    assert set(unavailable) == {"verdict", *summary.GLUED} and unavailable["conversion_rate"] == "not estimated"
    assert set(names) == set(unavailable)  # every name glued, estimated or not


def test_conditions_are_plain_with_owner_deadline_and_a_link_to_the_figure() -> None:
    document = {
        "scorecard_red": [
            {"metric": "Support burden: agents needed", "value": "4.34 (4.3 needed)", "rule": "green ≤ 1; amber ≤ 1.5"},
            {"metric": "Novel area: something", "value": "2", "rule": "green ≤ 1"},
        ],
        "governance_before_rollout": [
            {"item": "GOV-10", "area": "Incident response", "action": "Put it in place and name an owner"},
            {"item": "GOV-05", "area": "Configuration", "action": "Name an owner"},
            {
                "item": "GOV-06",
                "area": "Configuration",
                "question": 'Is there an "inventory"?',
                "action": "Name an owner",
            },
        ],
    }
    conditions = summary.plain_conditions(document)
    assert [c.change for c in conditions] == [
        "Staff the service desk for the rollout's ticket volume",
        "Bring novel area to green",
        "Put in place the missing safeguards for incident response",
        "Name an owner for 2 more governance items",
    ]
    assert conditions[0].owner == "Service-desk manager" and conditions[0].page == "65_scorecard"
    assert all(c.by_when == "Before the first wave starts" for c in conditions)
    page = summary.conditions_html(conditions)
    assert (
        '<a href="65_scorecard.html" title="Support burden: agents needed: now 4.34 (4.3 needed); green ≤ 1; '
        'amber ≤ 1.5">now 4.34; green ≤ 1 (Operational scorecard)</a>'
    ) in page
    assert (
        '<a href="60_governance.html" title="GOV-05: Configuration; GOV-06: Is there an &quot;inventory&quot;?">'
        in page
    )
    assert ">GOV-05, GOV-06 (Governance readiness)</a>" in page
    assert summary.conditions_html([]) == ""


def test_glue_writes_what_myst_nb_reads_as_a_glued_text(monkeypatch) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    published: list[tuple[dict, dict]] = []
    monkeypatch.setattr(
        shell.display_pub, "publish", lambda data, metadata=None, **_: published.append((data, metadata))
    )
    summary.glue({"conversion_rate": "38%"})
    data, metadata = published[0]
    assert data == {"application/papermill.record/text/plain": "38%"}
    assert metadata == {"scrapbook": {"name": "conversion_rate", "mime_prefix": "application/papermill.record/"}}

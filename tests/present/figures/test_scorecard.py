"""The scorecard's figure: each scored metric as a point on its red / amber / green bands."""

from __future__ import annotations

from matplotlib.colors import to_hex

from scalegap.models.scorecard import AMBER, GREEN, NOT_MEASURED, RED, Scorecard, ScorecardRow, row
from scalegap.present.figures import png_bytes
from scalegap.present.figures.scorecard import BANDS, bands, thresholds_alt, thresholds_chart

CARD = Scorecard(
    (
        row("Outcome: minutes saved per assisted task", 3.2, "3.2 min", (5.0, 0.0, True)),
        row("Reliability: tickets per active user", 0.2, "0.200", (0.05, 0.15, False)),
        ScorecardRow("Security and compliance: items in place", "3 of 4", AMBER, "green: all in place"),
        row("Integration: manual hours a week", None, "", (40.0, 120.0, False)),
    )
)


def test_rows_carry_their_value_and_thresholds_and_only_measured_numbers_are_drawn() -> None:
    assert [(r.status, r.measured) for r in CARD.rows] == [
        (AMBER, 3.2),
        (RED, 0.2),
        (AMBER, None),
        (NOT_MEASURED, None),
    ]
    assert [r.metric.split(":")[0] for r in CARD.scored()] == ["Outcome", "Reliability"]


def test_one_row_per_scored_metric_with_its_bands_behind_the_point() -> None:
    figure = thresholds_chart(CARD)
    assert figure is not None and len(figure.axes) == 2
    outcome, reliability = figure.axes
    colours = [to_hex(patch.get_facecolor()) for patch in outcome.patches]
    assert colours == [BANDS[RED], BANDS[AMBER], BANDS[GREEN]]
    assert [to_hex(patch.get_facecolor()) for patch in reliability.patches] == [BANDS[GREEN], BANDS[AMBER], BANDS[RED]]
    assert outcome.collections[0].get_offsets().tolist() == [[3.2, 0.0]]
    low, high = reliability.get_xlim()
    assert low <= 0.05 < 0.15 < 0.2 < high  # the value and both thresholds are on the axis
    assert "red" in reliability.texts[0].get_text() and "✖" in reliability.texts[0].get_text()
    assert len(png_bytes(figure)) > 5_000


def test_bands_follow_the_direction_of_better() -> None:
    more, less = CARD.rows[0], CARD.rows[1]
    assert bands(more, -1, 10) == [(RED, -1, 0.0), (AMBER, 0.0, 5.0), (GREEN, 5.0, 10)]
    assert bands(less, 0, 1) == [(GREEN, 0, 0.05), (AMBER, 0.05, 0.15), (RED, 0.15, 1)]


def test_no_figure_without_a_measured_metric_and_alt_text_names_values() -> None:
    assert thresholds_chart(Scorecard(CARD.rows[2:])) is None
    assert thresholds_alt(CARD) == (
        "Chart of 2 scorecard metrics, each as a point on its red, amber and green bands: outcome: minutes saved per "
        "assisted task 3.2 (amber); reliability: tickets per active user 0.2 (red)."
    )

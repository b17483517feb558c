"""Figures of the operational-scorecard chapter: each metric against its red / amber / green thresholds."""

from __future__ import annotations

from matplotlib.figure import Figure

from scalegap.models.scorecard import Scorecard, ScorecardRow
from scalegap.present.figures import blank_figure, shortened

BANDS = {"green": "#2a7f62", "amber": "#e0a526", "red": "#c8553d"}
SYMBOLS = {"green": "✔", "amber": "▲", "red": "✖"}


def axis_range(row: ScorecardRow) -> tuple[float, float]:
    """From zero (or below the value) to past the furthest of the value and the thresholds, with a margin."""
    assert row.measured is not None and row.thresholds is not None
    green, amber, _ = row.thresholds
    values = [row.measured, green, amber, 0.0]
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or 1.0
    return (low - margin if low < 0 else 0.0), high + margin


def bands(row: ScorecardRow, low: float, high: float) -> list[tuple[str, float, float]]:
    """(status, from, to) across the axis: red below amber below green where more is better, the reverse else."""
    assert row.thresholds is not None
    green, amber, higher_is_better = row.thresholds
    if higher_is_better:
        return [("red", low, amber), ("amber", amber, green), ("green", green, high)]
    return [("green", low, green), ("amber", green, amber), ("red", amber, high)]


def number(value: float) -> str:
    """A measured value as a reader reads it: 1,598 / 6.71 / 0.427."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def metric_name(row: ScorecardRow) -> str:
    """The metric without its unit in parentheses, in lower case: "user satisfaction: perceived usefulness"."""
    name = row.metric.split(" (")[0]
    return name[0].lower() + name[1:]


def thresholds_chart(card: Scorecard) -> Figure | None:
    """One row per scored metric: its red / amber / green bands behind, the measured value as a point and a number.

    Metrics scored otherwise (the compliance items) or not measured are left out; each row has its own scale."""
    rows = card.scored()
    if not rows:
        return None
    figure = blank_figure(7.5, 0.6 + 0.85 * len(rows))
    axes = figure.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, row in zip(axes, rows, strict=True):
        assert row.measured is not None
        low, high = axis_range(row)
        for status, start, end in bands(row, low, high):
            ax.axvspan(start, end, color=BANDS[status], alpha=0.28, linewidth=0)
        ax.scatter([row.measured], [0], s=70, color="#1f2937", zorder=3)
        ax.annotate(
            f"{number(row.measured)} {SYMBOLS.get(row.status, '')} {row.status}",
            (row.measured, 0),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
        ax.set_xlim(low, high)
        ax.set_ylim(-1, 1.4)
        ax.set_yticks([])
        ax.grid(False, axis="y")
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(shortened(row.metric, 90), fontsize=9, loc="left", fontweight="normal")
    figure.suptitle("Each metric against its thresholds (bands: red, amber, green)", fontweight="bold")
    return figure


def thresholds_alt(card: Scorecard) -> str:
    """The figure's alt text: what it shows, and each scored metric's value and status."""
    scored = card.scored()
    listed = "; ".join(
        f"{metric_name(row)} {number(row.measured)} ({row.status})" for row in scored if row.measured is not None
    )
    return f"Chart of {len(scored)} scorecard metrics, each as a point on its red, amber and green bands: {listed}."

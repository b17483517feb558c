"""Figures of the conversion-rate chapter: the waterfall, the tornado, the what-if grid and break-even.

Every figure shows organisation-wide aggregates (the pilot's members, or everyone in the roster); the chapter
is not shown at all when fewer pilot members were measured than the minimum group size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from scalegap import number_format as nf
from scalegap.models.conversion import FACTOR_LABELS, FACTORS, ConversionStudy
from scalegap.models.sensitivity import LEVER_LABELS, LEVERS
from scalegap.models.value import Money, Span
from scalegap.present.figures import PALETTE, lacks, legend_on_top, new_figure

PERCENT = matplotlib.ticker.PercentFormatter(1.0, decimals=0)


def waterfall(study: ConversionStudy, pilot: Span, production: Span) -> Figure:
    """From the pilot's value per person, one factor at a time, to production's (intervals on both ends)."""
    return value_waterfall(study.point.pilot_value, study.point.factors, pilot, production)


def waterfall_of(conversion: dict[str, Any]) -> Figure | None:
    """The same waterfall from results.json's conversion block (the executive summary's); None when the
    conversion rate was not estimated."""
    if not conversion.get("available") or "factors" not in conversion:
        return None

    def span(entry: dict[str, Any]) -> Span:
        return Span(entry["estimate"], entry["low"], entry["high"], entry.get("unit", ""))

    pilot, production = span(conversion["pilot_value_per_person"]), span(conversion["production_value_per_person"])
    factors = {name: conversion["factors"][name]["estimate"] for name in FACTORS}
    return value_waterfall(pilot.estimate, factors, pilot, production)


def value_waterfall(pilot_value: float, factors: Mapping[str, float], pilot: Span, production: Span) -> Figure:
    """The waterfall's drawing: ``factors`` by name (:data:`FACTORS`), applied in turn to ``pilot_value``."""
    levels = [pilot_value]
    for factor in FACTORS:
        levels.append(levels[-1] * factors[factor])
    labels = (
        ["Pilot\nvalue"]
        + [f"× {FACTOR_LABELS[f]}".replace(" (", "\n(").replace(" per", "\nper") for f in FACTORS]
        + ["Production\nvalue"]
    )
    fig, ax = new_figure(7.5, 4.2)
    positions = np.arange(len(labels))
    assert pilot.high is not None and production.high is not None  # intervals over the replicates have both ends
    for position, (colour, span, index) in zip(
        (0, len(labels) - 1), ((PALETTE["pilot"], pilot, 0), (PALETTE["organisation"], production, -1))
    ):
        assert span.high is not None  # as asserted above
        ax.bar(position, levels[index], color=colour, width=0.6)
        ax.errorbar(
            position,
            levels[index],
            yerr=[[levels[index] - span.low], [span.high - levels[index]]],
            color="#333333",
            capsize=4,
            lw=1,
        )
        ax.text(
            position,
            levels[index] / 2,
            f"{levels[index]:,.0f}",
            ha="center",
            va="center",
            color="white",
            fontsize=9,
            fontweight="bold",
        )
    for step, factor in enumerate(FACTORS, start=1):
        before, after = levels[step - 1], levels[step]
        ax.bar(
            step,
            after - before,
            bottom=before,
            color=PALETTE["rejected"] if after < before else PALETTE["accepted"],
            width=0.6,
        )
        ax.text(
            step,
            max(before, after),
            f"× {factors[factor]:.2f}\n{after:,.0f}",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(positions, labels, fontsize=8)
    ax.set_ylabel(pilot.unit.replace(" per person", "\nper person"))
    ax.set_ylim(0, max(pilot.high, production.high or 0, max(levels)) * 1.15)
    ax.set_title("From the pilot's value per person to production's")
    return fig


def tornado(table: pd.DataFrame, rate: float) -> Figure:
    """The conversion rate with each factor at the ends of its interval (others at the point), widest on top."""
    fig, ax = new_figure(7.5, 1.4 + 0.6 * len(table))
    rows = table.iloc[::-1].reset_index(drop=True)
    for y, row in rows.iterrows():
        ax.barh(
            y,
            row["rate_low"] - rate,
            left=rate,
            color=PALETTE["rejected"],
            height=0.55,
            label="Factor at the low end" if y == 0 else None,
        )
        ax.barh(
            y,
            row["rate_high"] - rate,
            left=rate,
            color=PALETTE["accepted"],
            height=0.55,
            label="Factor at the high end" if y == 0 else None,
        )
        ax.text(
            max(row["rate_high"], rate) + 0.01,
            y,
            f"{row['factor_low']:.2f} to {row['factor_high']:.2f}",
            va="center",
            fontsize=8,
        )
    ax.axvline(rate, color="#333333", lw=1)
    ax.axvline(1.0, color=PALETTE["pilot"], lw=1, ls="--", label="The pilot's value (rate 100%)")
    ax.set_yticks(range(len(rows)), rows["Factor"])
    ax.set_xlim(min(0.0, rows["rate_low"].min()), max(1.15, rows["rate_high"].max() + 0.2))
    ax.xaxis.set_major_formatter(PERCENT)
    ax.set_xlabel(f"Conversion rate (point estimate {nf.share(rate)}; labels: the factor's plausible range)")
    ax.set_title("How far each factor moves the conversion rate")
    legend_on_top(ax, 3)
    return fig


def what_if_grid(grid: pd.DataFrame) -> Figure:
    """Four panels: the conversion rate (line) and its interval (band) as one lever moves, the baseline marked."""
    fig, _ = new_figure(7.5, 6.0)
    fig.clear()
    axes = fig.subplots(2, 2, sharey=True).ravel()
    top = max(1.05, float(grid["high"].max()) * 1.05) if not grid.empty else 1.05
    for ax, lever in zip(axes, LEVERS):
        panel = grid[grid["lever"] == lever]
        ax.set_title(LEVER_LABELS[lever], fontsize=10)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_ylim(0, top)
        if panel.empty:
            ax.text(
                0.5,
                0.5,
                "Not available:\nno support projection",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=9,
            )
            continue
        ax.fill_between(panel["value"], panel["low"], panel["high"], color=PALETTE["pilot"], alpha=0.2, lw=0)
        ax.plot(panel["value"], panel["rate"], color=PALETTE["pilot"], lw=2)
        base = panel.iloc[(panel["value"] - panel["baseline"]).abs().argmin()]
        ax.plot([base["value"]], [base["rate"]], "o", color="#333333")
        ax.annotate(
            f"today's plan {nf.share(base['rate'])}",
            (base["value"], base["rate"]),
            textcoords="offset points",
            xytext=(6, -14),
            fontsize=8,
        )
        ax.axhline(1.0, color="#333333", lw=0.8, ls="--")
        if lever != "support_fte":
            ax.xaxis.set_major_formatter(PERCENT)
    for ax in axes[::2]:
        ax.set_ylabel("Conversion rate")
    fig.suptitle(
        "What-if: the conversion rate as one lever moves (band: interval; dashed: the pilot's value)",
        fontsize=10,
        fontweight="bold",
    )
    return fig


def break_even(money: Money, adoption: Span) -> Figure:
    """Value per seat against adoption, beside the licence cost: where they cross is the break-even adoption."""
    shares = np.linspace(0.0, 1.0, 101)
    per_active = money.value_per_active_user
    assert per_active.high is not None and adoption.high is not None  # intervals over the replicates: both ends
    fig, ax = new_figure(7.5, 4.0)
    ax.fill_between(shares, shares * per_active.low, shares * per_active.high, color=PALETTE["pilot"], alpha=0.2, lw=0)
    ax.plot(shares, shares * per_active.estimate, color=PALETTE["pilot"], lw=2, label="Value per seat")
    ax.axhline(money.licence_cost_per_seat, color=PALETTE["rejected"], lw=1.5, label="Licence cost per seat")
    ax.axvspan(
        adoption.low,
        adoption.high,
        color=PALETTE["organisation"],
        alpha=0.3,
        label="Estimated production adoption (interval)",
    )
    ax.axvline(adoption.estimate, color="#333333", lw=1, ls=":")
    even = money.break_even_adoption
    if even is not None and even.estimate <= 1:
        ax.plot([even.estimate], [money.licence_cost_per_seat], "o", color=PALETTE["rejected"])
        ax.annotate(
            f"break-even {nf.share(even.estimate)}",
            (even.estimate, money.licence_cost_per_seat),
            textcoords="offset points",
            xytext=(6, 8),
            fontsize=8,
        )
    ax.xaxis.set_major_formatter(PERCENT)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel("Share of employees who use the assistant")
    ax.set_ylabel(f"{money.currency} per seat per year")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(per_active.high or per_active.estimate, money.licence_cost_per_seat) * 1.05)
    ax.set_title("Value per seat against the licence cost")
    legend_on_top(ax, 3)
    return fig


# --- alt text: what each figure shows and its headline, for a reader who cannot see it -------------------------


def waterfall_alt(study: ConversionStudy, pilot: Span, production: Span) -> str:
    """The pilot's and production's value per person, and the conversion rate between them."""
    return value_waterfall_alt(pilot, production, study.point.conversion_rate)


def waterfall_of_alt(conversion: dict[str, Any]) -> str:
    """:func:`waterfall_alt` for :func:`waterfall_of`'s figure, from results.json's conversion block."""
    if not conversion.get("available") or "factors" not in conversion:
        return "No waterfall: the conversion rate could not be estimated."
    pilot, production = conversion["pilot_value_per_person"], conversion["production_value_per_person"]
    return value_waterfall_alt(
        Span(pilot["estimate"], pilot["low"], pilot["high"], pilot.get("unit", "")),
        Span(production["estimate"], production["low"], production["high"], production.get("unit", "")),
        conversion["conversion_rate"],
    )


def value_waterfall_alt(pilot: Span, production: Span, rate: float) -> str:
    return (
        f"Waterfall chart from the pilot's value per person ({pilot.estimate:,.1f} {pilot.unit}) through "
        f"{len(FACTORS)} factors to production's ({production.estimate:,.1f} {production.unit}): a conversion rate "
        f"of {rate:.0%}."
    ).replace(" )", ")")


def tornado_alt(table: pd.DataFrame, rate: float) -> str:
    """The factor that moves the conversion rate most."""
    if table.empty:
        return f"Tornado chart of how far each factor moves the conversion rate of {rate:.0%}."
    widest = table.iloc[0]
    return (
        f"Tornado chart of how far each factor moves the conversion rate of {rate:.0%}; the widest swing is "
        f"{widest['Factor']}, from {widest['rate_low']:.0%} to {widest['rate_high']:.0%}."
    )


def first_lower(text: str) -> str:
    """``text`` with its first letter in lower case ("Service-desk staffing (FTE)" -> "service-desk staffing (FTE)")."""
    return text[:1].lower() + text[1:]


def what_if_alt(grid: pd.DataFrame) -> str:
    """The conversion rate at today's plan, and the levers moved."""
    if lacks(grid, "lever", "value", "baseline", "rate"):
        return "Four line charts of the conversion rate as one lever moves."
    levers = [first_lower(LEVER_LABELS[lever]) for lever in LEVERS if (grid["lever"] == lever).any()]
    text = f"Four line charts of the conversion rate as one lever moves ({', '.join(levers)})"
    if len(grid):
        base = grid.iloc[(grid["value"] - grid["baseline"]).abs().argmin()]
        text += f"; {base['rate']:.0%} at today's plan"
    return text + "."


def break_even_alt(money: Money, adoption: Span) -> str:
    """Break-even adoption against the estimated production adoption."""
    text = (
        f"Line chart of value per seat against the share of employees who use the assistant, beside the licence cost "
        f"of {money.licence_cost_per_seat:,.0f} {money.currency} per seat a year; production adoption is estimated at "
        f"{adoption.estimate:.0%}"
    )
    even = money.break_even_adoption
    if even is not None and even.estimate <= 1:
        text += f", break-even at {even.estimate:.0%}"
    return text + "."

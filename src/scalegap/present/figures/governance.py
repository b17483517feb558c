"""Figures of the governance-readiness chapter.

They count checklist items, not people, so no group-size suppression applies.  None when there is no checklist.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from scalegap import number_format as nf
from scalegap.present.figures import PALETTE, lacks, new_figure, values_alt

STATUS_COLOURS = {"In place": PALETTE["accepted"], "Partial": "#e0a43a", "Absent": PALETTE["rejected"]}


def status_by_function(scores: pd.DataFrame) -> Figure | None:
    """Stacked bars per NIST function: items in place (from the left), partial and absent, with the score."""
    if scores["Items"].sum() == 0:
        return None
    long = scores.melt(id_vars="Function", value_vars=list(STATUS_COLOURS), var_name="Status", value_name="Count")
    fig, ax = new_figure(7.5, 1.4 + 0.55 * len(scores))
    sns.histplot(
        data=long,
        y="Function",
        weights="Count",
        hue="Status",
        multiple="stack",
        discrete=True,
        shrink=0.7,
        palette=STATUS_COLOURS,
        hue_order=list(STATUS_COLOURS)[::-1],
        ax=ax,
        alpha=1,
        linewidth=0.5,
        edgecolor="white",
    )
    for position, (items, score) in enumerate(zip(scores["Items"], scores["Score"])):
        text = "no items" if items == 0 else f"score {nf.share(score)}"
        ax.text(items + 0.2, position, text, va="center", fontsize=9)
    ax.set_xlim(0, scores["Items"].max() * 1.3 + 1)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("Checklist items")
    ax.set_ylabel("")
    ax.set_title("Governance checklist items by NIST AI RMF function and status")
    sns.move_legend(ax, "lower right", title="", fontsize=8)
    return fig


def score_by_area(areas: pd.DataFrame) -> Figure | None:
    """Horizontal bars: the score of each checklist area (in place 1, partial 0.5, absent 0, averaged)."""
    if areas.empty:
        return None
    ordered = areas.sort_values("Score", kind="stable")
    fig, ax = new_figure(7.5, 1.2 + 0.45 * len(ordered))
    colours = [
        STATUS_COLOURS["Absent"] if s < 0.5 else STATUS_COLOURS["Partial"] if s < 0.75 else STATUS_COLOURS["In place"]
        for s in ordered["Score"]
    ]
    sns.barplot(
        errorbar=None,
        data=ordered,
        y="Area",
        x="Score",
        hue="Area",
        palette=dict(zip(ordered["Area"], colours)),
        legend=False,
        orient="h",
        ax=ax,
    )
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:.0%}", padding=3, fontsize=8)
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("Score (in place 100%, partial 50%, absent 0%, averaged over the area's items)")
    ax.set_ylabel("")
    ax.set_title("Governance score by checklist area, weakest first")
    return fig


def status_by_function_alt(scores: pd.DataFrame) -> str:
    """Items in place, partial and absent in all, and each function's score."""
    if lacks(scores, "Items", "Function", "Score", "In place", "Partial", "Absent"):
        return "Stacked bar chart of governance checklist items by NIST AI RMF function and status."
    counts = ", ".join(f"{int(scores[status].sum())} {status.lower()}" for status in STATUS_COLOURS)
    return values_alt(
        f"Stacked bar chart of {int(scores['Items'].sum())} governance checklist items by NIST AI RMF function and "
        f"status ({counts}); score per function",
        scores[scores["Items"] > 0],
        "Function",
        "Score",
        "{:.0%}",
    )


def score_by_area_alt(areas: pd.DataFrame) -> str:
    """The weakest checklist areas first."""
    if lacks(areas, "Area", "Score"):
        return "Bar chart of the governance score of each checklist area."
    ordered = areas.sort_values("Score", kind="stable")
    return values_alt(
        "Bar chart of the governance score of each checklist area, weakest first", ordered, "Area", "Score", "{:.0%}", 4
    )

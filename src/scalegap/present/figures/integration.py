"""Figures of the integration-depth chapter.

They take :func:`scalegap.models.integration.scale_table`, whose small groups are already suppressed, leave the
suppressed figures out, and say so under the figure.  None when there is nothing to draw.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from scalegap.present.figures import PALETTE, lacks, new_figure

PILOT = "Hours per week, pilot"
PRODUCTION = "Hours per week, production"
SCALES = {"Pilot scale": PILOT, "Production scale": PRODUCTION}


def caption(figure: Figure, hidden: int, without_hours: int, minimum: int) -> None:
    """A line under the figure: what was left out, and why."""
    parts = [
        f"{hidden} value(s) not shown: fewer than {minimum} people (minimum group size)."
        if hidden
        else f"Every value shown describes at least {minimum} people (minimum group size)."
    ]
    if without_hours:
        parts.append(f"{without_hours} workflow(s) without manual hours at production scale left out.")
    figure.supxlabel(" ".join(parts), x=0.01, ha="left", fontsize=8, color="#555555")


def manual_hours_by_workflow(scale: pd.DataFrame, minimum: int) -> Figure | None:
    """Horizontal bars per workflow, worst first: manual hours per week at pilot and at production scale."""
    shown = scale[scale[PRODUCTION].fillna(1) > 0]
    long = shown.melt(
        id_vars=["Rank", "Workflow", "Mode"], value_vars=list(SCALES.values()), var_name="Scale", value_name="Hours"
    ).dropna(subset=["Hours"])
    long = long[long["Hours"] > 0]
    if long.empty:
        return None
    long["Scale"] = long["Scale"].map({column: name for name, column in SCALES.items()})
    long["Label"] = long["Rank"].astype(int).astype(str) + ". " + long["Workflow"] + " (" + long["Mode"] + ")"
    order = shown.sort_values("Rank").apply(lambda r: f"{int(r['Rank'])}. {r['Workflow']} ({r['Mode']})", axis=1)
    fig, ax = new_figure(8.5, 1.4 + 0.6 * len(order))
    sns.barplot(
        errorbar=None,
        data=long,
        y="Label",
        x="Hours",
        hue="Scale",
        order=list(order),
        orient="h",
        ax=ax,
        palette={"Pilot scale": PALETTE["pilot"], "Production scale": PALETTE["rejected"]},
    )
    if long["Hours"].max() / long["Hours"].min() > 20:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("Manual hours per week (log scale)")
    else:
        ax.set_xlabel("Manual hours per week")
    for container in ax.containers:
        assert isinstance(container, BarContainer)  # the bars drawn above
        ax.bar_label(container, fmt="{:,.0f}", padding=3, fontsize=8)
    ax.set_ylabel("")
    ax.set_title("Manual hours per week, pilot vs production")
    ax.legend(title="", loc="lower right", fontsize=8)
    hidden = int(scale[list(SCALES.values())].isna().sum().sum())
    caption(fig, hidden, int((scale[PRODUCTION] == 0).sum()), minimum)
    return fig


def manual_hours_alt(scale: pd.DataFrame) -> str:
    """The workflow with the most manual hours at production scale, and the total."""
    if lacks(scale, PRODUCTION, "Workflow"):
        return "Bar chart of manual hours per week per workflow, at pilot and at production scale."
    production = scale.dropna(subset=[PRODUCTION])
    text = "Bar chart of manual hours per week per workflow, at pilot and at production scale"
    if len(production) and production[PRODUCTION].sum() > 0:
        worst = production.loc[production[PRODUCTION].idxmax()]
        text += (
            f"; {production[PRODUCTION].sum():,.0f} hours a week in all at production scale, the most in "
            f"{worst['Workflow']} ({worst[PRODUCTION]:,.0f})"
        )
    return text + "."

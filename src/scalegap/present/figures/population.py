"""Figures of the pilot-validity chapter: the balance of covariates and the propensity bins."""

from __future__ import annotations

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from scalegap.present.figures import PALETTE, lacks, new_figure

BEFORE, AFTER = "Pilot as it was", "Pilot reweighted to production"


def balance_plot(summary: pd.DataFrame, threshold: float) -> Figure | None:
    """One row per covariate level: its SMD before and after reweighting; the band is ±threshold."""
    if summary.empty:
        return None
    long = summary.melt(
        id_vars="Covariate",
        value_vars=["SMD", "SMD after reweighting"],
        var_name="Pilot",
        value_name="Standardised mean difference",
    )
    long["Pilot"] = long["Pilot"].map({"SMD": BEFORE, "SMD after reweighting": AFTER})
    fig, ax = new_figure(7.5, 1.4 + 0.3 * len(summary))
    ax.axvspan(-threshold, threshold, color=PALETTE["organisation"], alpha=0.35, lw=0)
    ax.axvline(0, color="#555555", lw=0.8)
    sns.scatterplot(
        data=long,
        x="Standardised mean difference",
        y="Covariate",
        hue="Pilot",
        style="Pilot",
        palette={BEFORE: PALETTE["pilot"], AFTER: PALETTE["rejected"]},
        markers={BEFORE: "o", AFTER: "X"},
        s=60,
        ax=ax,
    )
    ax.set_ylabel("")
    ax.set_xlabel(f"Standardised mean difference, pilot − organisation (shaded: within ±{threshold:g})")
    ax.set_title("How the pilot's people differ from the organisation's")
    ax.legend(title="", loc="best", fontsize=8)
    return fig


def propensity_bins_plot(bins: pd.DataFrame) -> Figure | None:
    """Share of the organisation and of the pilot in each propensity bin (suppressed pilot shares left out)."""
    if bins.empty:
        return None
    long = bins.melt(
        id_vars="Bin", value_vars=["Organisation share", "Pilot share"], var_name="Population", value_name="Share"
    ).dropna(subset=["Share"])
    long["Population"] = long["Population"].str.replace(" share", "", regex=False)
    fig, ax = new_figure(7.5, 3.6)
    sns.barplot(
        errorbar=None,
        data=long,
        x="Bin",
        y="Share",
        hue="Population",
        ax=ax,
        palette={"Pilot": PALETTE["pilot"], "Organisation": PALETTE["organisation"]},
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("Propensity bin (1 = least like the pilot; the bins hold about equal shares of the organisation)")
    ax.set_ylabel("Share of the group")
    ax.set_title("Where the pilot sits among the organisation's propensity scores")
    suppressed = bins.loc[bins["suppressed"], "Bin"].tolist() if "suppressed" in bins else []
    if suppressed:
        ax.text(
            0.01,
            0.97,
            "Bins " + ", ".join(map(str, suppressed)) + ": pilot share suppressed (too few people)",
            transform=ax.transAxes,
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.legend(title="", loc="center left")
    return fig


def balance_alt(summary: pd.DataFrame, threshold: float) -> str:
    """How many covariate levels differ by more than the threshold, before and after reweighting."""
    if lacks(summary, "SMD", "SMD after reweighting"):
        return "Dot chart of the standardised mean difference between the pilot and the organisation, by covariate."
    before = int((summary["SMD"].abs() > threshold).sum())
    after = int((summary["SMD after reweighting"].abs() > threshold).sum())
    return (
        f"Dot chart of the standardised mean difference between the pilot and the organisation for "
        f"{len(summary)} covariate levels; {before} lie outside ±{threshold:g} as the pilot was, {after} after "
        "reweighting to production."
    )


def propensity_bins_alt(bins: pd.DataFrame) -> str:
    """The propensity bin holding the largest share of the pilot."""
    if lacks(bins, "Pilot share", "Bin"):
        return "Bar chart of the organisation's and the pilot's share in each propensity bin."
    pilot = bins.dropna(subset=["Pilot share"])
    text = (
        f"Bar chart of the organisation's and the pilot's share in each of {len(bins)} propensity bins "
        "(1 = least like the pilot)"
    )
    if len(pilot):
        top = pilot.loc[pilot["Pilot share"].idxmax()]
        text += f"; the largest share of the pilot, {top['Pilot share']:.0%}, is in bin {top['Bin']}"
    return text + "."

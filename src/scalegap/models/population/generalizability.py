"""Generalizability: how far the pilot's people stand from the organisation's (the generalizability index)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.population.propensity import propensity_model
from scalegap.models.population.statistics import assign_bins, quantile_edges, tipton_index
from scalegap.package import PreparedPackage
from scalegap.privacy import suppress_small_counts

#: Tipton's cut points, used for every share-like verdict
GENERALIZES, ADJUSTABLE = 0.9, 0.5


# --- generalizability -----------------------------------------------------------------------------------------


def propensity_bins(package: PreparedPackage) -> pd.DataFrame:
    """Pilot and organisation per propensity bin, with each bin's term of Tipton's index."""
    model = propensity_model(package)
    if model is None:
        return pd.DataFrame()
    scores, pilot = model.scores.to_numpy(), model.in_pilot.to_numpy()
    edges = quantile_edges(scores, model.bins)
    bins = assign_bins(scores, edges)
    table = (
        pd.DataFrame({"bin": bins, "pilot": pilot, "score": scores})
        .groupby("bin")
        .agg(low=("score", "min"), high=("score", "max"), Headcount=("score", "size"), Pilot=("pilot", "sum"))
    )
    ranges = [nf.interval(low, high, "share") for low, high in zip(table["low"], table["high"], strict=True)]
    table = pd.DataFrame(
        {
            "Bin": table.index + 1,
            "Propensity range": ranges,
            "Headcount": table["Headcount"],
            "Pilot members": table["Pilot"].astype(int),
            "Organisation share": table["Headcount"] / len(scores),
            "Pilot share": table["Pilot"] / pilot.sum(),
        }
    ).reset_index(drop=True)
    table["Term of the index"] = np.sqrt(table["Organisation share"] * table["Pilot share"])
    return suppress_small_counts(
        table, "Pilot members", package.settings.privacy.min_group_size, ["Pilot share", "Term of the index"]
    )


def generalizability_reading(index: float) -> str:
    if index >= GENERALIZES:
        return "like a random sample of the organisation"
    if index >= ADJUSTABLE:
        return "different from the organisation, but reweighting may compensate"
    return "too different from the organisation to generalize from"


def generalizability_summary(package: PreparedPackage) -> list[tuple[str, str]]:
    model = propensity_model(package)
    if model is None:
        return []
    floor = math.sqrt(model.in_pilot.mean())
    pilot, everyone = model.scores[model.in_pilot].to_numpy(), model.scores.to_numpy()
    return [
        ("Tipton's generalizability index", f"{model.tipton_index:.2f}"),
        ("Reading", generalizability_reading(model.tipton_index)),
        ("Propensity model", model.described),
        ("Bins", f"{model.bins} bins cut at quantiles of the organisation's propensity scores"),
        (
            "With half or twice as many bins",
            " / ".join(
                f"{tipton_index(pilot, everyone, bins):.2f} ({bins} bins)"
                for bins in sorted({max(2, model.bins // 2), model.bins * 2})
            ),
        ),
        ("Lowest possible value here", f"about {floor:.2f} (the pilot is part of the organisation)"),
    ]

"""Adopter categories (Rogers): observed, and predicted for the whole roster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap.models.adoption.access import AdoptionData
from scalegap.models.adoption.forecast import (
    Forecasts,
    department_means,
    imputed_readiness,
    level_means,
    predicted_adoption,
)
from scalegap.privacy import SUPPRESSED, hide_cells

CATEGORIES: tuple[tuple[str, float], ...] = (
    ("Innovators", 0.025),
    ("Early adopters", 0.135),
    ("Early majority", 0.34),
    ("Late majority", 0.34),
    ("Laggards", 0.16),
)
NON_ADOPTERS = "Non-adopters"


# --- adopter categories (Rogers) ----------------------------------------------------------------------------------


def category_of_position(position: pd.Series) -> pd.Series:
    """Rogers' category of a position in the adoption order (0 = first adopter, 1 = last)."""
    edges = np.cumsum([0.0, *(share for _, share in CATEGORIES)])
    edges[-1] = np.inf
    return pd.cut(position, edges, right=True, include_lowest=True, labels=[name for name, _ in CATEGORIES]).astype(
        "object"
    )


def adopter_categories(days_to_sustained: pd.Series) -> pd.Series:
    """Rogers' category of each adopter by time from access to sustained use; NaN time = non-adopter.

    Adopters are ordered by time; tied adopters share their mid-rank; position = (mid-rank − ½) ÷ adopters.
    """
    adopters = days_to_sustained.dropna()
    position = (adopters.rank(method="average") - 0.5) / len(adopters)
    result = pd.Series(NON_ADOPTERS, index=days_to_sustained.index, dtype="object")
    result[adopters.index] = category_of_position(position)
    return result


def predicted_categories(probability: pd.Series) -> pd.DataFrame:
    """Expected share of each person in each category when the organisation adopts in the order of predicted
    adoption (most likely first): ``probability`` of being an adopter goes to the category of the person's
    position among the expected adopters (mid-point of their slice), the rest to non-adopters."""
    order = probability.sort_values(ascending=False, kind="stable")
    before = order.cumsum() - order
    position = (before + order / 2.0) / order.sum()
    category = category_of_position(position)
    names = [name for name, _ in CATEGORIES]
    shares = pd.DataFrame(0.0, index=order.index, columns=[*names, NON_ADOPTERS])
    for name in names:
        shares.loc[category == name, name] = order[category == name]
    shares[NON_ADOPTERS] = 1.0 - order
    return shares.reindex(probability.index)


def observed_categories(data: AdoptionData) -> pd.DataFrame:
    """Per cohort and category: people, share of the cohort, and median days from access to sustained use
    (days suppressed, like counts, below the minimum group size)."""
    rows = []
    for cohort, group in data.with_access.groupby("cohort", sort=False):
        category = adopter_categories(group["days_to_sustained"].where(group["adopted"]))
        for name in [*(n for n, _ in CATEGORIES), NON_ADOPTERS]:
            members = group[category == name]
            rows.append(
                {
                    "Cohort": cohort,
                    "Category": name,
                    "People": len(members),
                    "Share of cohort": len(members) / len(group),
                    "Median days to sustained use": float(members["days_to_sustained"].median())
                    if name != NON_ADOPTERS and len(members)
                    else np.nan,
                }
            )
    table = pd.DataFrame(
        rows, columns=["Cohort", "Category", "People", "Share of cohort", "Median days to sustained use"]
    )
    derived = {"People": ["Share of cohort", "Median days to sustained use"]}
    parts = [
        hide_cells(part, ["People"], data.minimum, derived, by_row=False)
        for _, part in table.groupby("Cohort", sort=False)
    ]
    return pd.concat(parts) if parts else table.assign(**{SUPPRESSED: False})


def person_forecasts(data: AdoptionData, forecasts: Forecasts) -> pd.Series:
    """Per roster person (indexed by ``person_id``): predicted eventual adoption under production support,
    from the department model, scaled within each department to the department's forecast."""
    inputs = forecasts.inputs
    answered = np.flatnonzero(inputs.production["responded"].to_numpy())
    means, overall = department_means(inputs, answered)
    codes = inputs.codes["department"]
    readiness = (
        imputed_readiness(inputs.fit, means, overall, codes.fit, inputs.reliability),
        imputed_readiness(inputs.production, means, overall, codes.production, inputs.reliability),
    )
    within = predicted_adoption(inputs, inputs.fit, np.arange(len(inputs.fit)), readiness, "department", None)
    eventual = forecasts.point.scaling.production(within)
    scale = forecasts.point.eventual["department"] / level_means(codes.production, eventual, len(codes.levels))
    return pd.Series(np.minimum(1.0, eventual * scale[codes.production]), index=inputs.production["person_id"])


def category_comparison(data: AdoptionData, forecasts: Forecasts | None) -> pd.DataFrame:
    """Expected share of pilot members and of the whole workforce in each category of the organisation's
    predicted adoption order (both under production support)."""
    columns = ["Category", "Pilot members", "Whole workforce"]
    if forecasts is None or not data.people["in_pilot"].any():
        return pd.DataFrame(columns=columns)
    shares = predicted_categories(person_forecasts(data, forecasts))
    pilot = data.people.set_index("person_id")["in_pilot"].reindex(shares.index).fillna(False).astype(bool)
    table = pd.DataFrame(
        {
            "Category": shares.columns,
            "Pilot members": shares[pilot].mean().to_numpy(),
            "Whole workforce": shares.mean().to_numpy(),
        }
    )
    if pilot.sum() < data.minimum:
        table["Pilot members"] = np.nan
    return table

"""The demographic cliff: pilot adoption against the production forecast, per segment value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.adoption.access import ORGANISATION, PILOT, ROLLOUT, AdoptionData
from scalegap.models.adoption.forecast import Forecasts, SegmentCodes
from scalegap.models.results import figure
from scalegap.models.segments import in_natural_order, label
from scalegap.number_format import interval_label
from scalegap.privacy import SUPPRESSED, hide_cells, suppress_small_groups

# --- the demographic cliff: pilot adoption against the production forecast -----------------------------------

COVARIATE, DIFFUSION, EXTRAPOLATION = "model", "rollout curve", "model, extrapolated"


def method_of(codes: SegmentCodes, level: str) -> str:
    if level in codes.rollout_series:
        return DIFFUSION
    return COVARIATE if codes.own_estimate[codes.levels.index(level)] else EXTRAPOLATION


def observed_adoption(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: headcount, pilot members and adopters, rollout people and adopters."""
    people = data.people
    pilot, rollout = people[people["cohort"] == PILOT], people[people["cohort"] == ROLLOUT]
    table = pd.DataFrame({"Headcount": people.groupby(segment).size()})
    table["Pilot members"] = people[people["in_pilot"]].groupby(segment).size()
    table["Pilot adopters"] = pilot[pilot["adopted"]].groupby(segment).size()
    table["Rollout people"] = rollout.groupby(segment).size()
    table["Rollout adopters"] = rollout[rollout["adopted"]].groupby(segment).size()
    table = table.fillna(0).astype(int)
    table["Pilot adoption"] = table["Pilot adopters"] / table["Pilot members"].replace(0, np.nan)
    table["Rollout adoption so far"] = table["Rollout adopters"] / table["Rollout people"].replace(0, np.nan)
    table.index = table.index.astype(str)
    return table.loc[in_natural_order(table.index)]


def cliff_table(data: AdoptionData, forecasts: Forecasts | None, segment: str = "department") -> pd.DataFrame:
    """Per segment value: pilot adoption, adoption seen so far in the rollout, and the production forecast
    (eventual, with its interval) and the method behind it; small groups suppressed."""
    observed = observed_adoption(data, segment)
    name = label(segment)
    table = observed.reset_index(names=name)
    forecast_columns = ["Production forecast", "Interval low", "Interval high", "Method"]
    if forecasts is None or segment not in forecasts.inputs.codes:
        table[forecast_columns[:3]] = np.nan
        table["Method"] = "not modelled"
    else:
        result = forecasts.table(segment).reindex(table[name])
        table["Production forecast"] = result["estimate"].to_numpy()
        table["Interval low"], table["Interval high"] = result["low"].to_numpy(), result["high"].to_numpy()
        table["Method"] = [method_of(forecasts.inputs.codes[segment], level) for level in table[name]]
    table = table[
        [
            name,
            "Headcount",
            "Pilot members",
            "Pilot adoption",
            "Rollout people",
            "Rollout adoption so far",
            *forecast_columns,
        ]
    ]
    shown = suppress_small_groups(
        table,
        "Headcount",
        data.minimum,
        [
            "Headcount",
            "Pilot members",
            "Pilot adoption",
            "Rollout people",
            "Rollout adoption so far",
            *forecast_columns[:3],
        ],
    )
    shown = hide_cells(shown, ["Pilot members"], data.minimum, {"Pilot members": ["Pilot adoption"]}, by_row=False)
    shown = hide_cells(
        shown, ["Rollout people"], data.minimum, {"Rollout people": ["Rollout adoption so far"]}, by_row=False
    )
    for adopters, share in (("Pilot adopters", "Pilot adoption"), ("Rollout adopters", "Rollout adoption so far")):
        counts = observed[adopters].reindex(shown[name].astype(str)).to_numpy()
        shown[share] = shown[share].where(~((counts > 0) & (counts < data.minimum)))
    return shown


def share_interval_text(low: Any, high: Any) -> str | None:
    """``32 % to 93 %``; None when either end is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    return nf.interval(low, high, "share")


def cliff_display(table: pd.DataFrame, interval: float) -> pd.DataFrame:
    """The cliff table as the book shows it: shares in whole percent, the interval as one column, the rollout's
    adoption only if there is a rollout (its size is in the access table), and the method as a mark on the
    segment value: "(rollout)" for a rollout curve, "(extrapolated)" for an extrapolation."""
    if table.empty or "Interval low" not in table:
        return table
    shown = table.copy()
    position = shown.columns.get_loc("Interval low")
    shown.insert(
        position,
        interval_label(interval),
        [share_interval_text(low, high) for low, high in zip(shown["Interval low"], shown["Interval high"])],
    )
    shown = shown.drop(columns=["Interval low", "Interval high"])
    if "Rollout people" in shown:
        no_rollout = not shown["Rollout people"].fillna(1).gt(0).any()
        shown = shown.drop(columns=["Rollout people", *(["Rollout adoption so far"] if no_rollout else [])])
    for column in ("Pilot adoption", "Rollout adoption so far", "Production forecast"):
        if column in shown:
            shown[column] = [None if pd.isna(value) else f"{nf.share(value)}" for value in shown[column]]
    if "Method" in shown:
        name = shown.columns[0] if shown.columns[0] != "Segment" else shown.columns[1]
        marks = {DIFFUSION: " (rollout)", EXTRAPOLATION: " (extrapolated)"}
        shown[name] = [f"{value}{marks.get(method, '')}" for value, method in zip(shown[name], shown["Method"])]
        shown = shown.drop(columns=["Method"])
    return shown


def organisation_row(data: AdoptionData, forecasts: Forecasts | None) -> dict[str, float | None]:
    """The whole organisation: pilot adoption, rollout adoption so far, forecast and interval."""
    pilot = data.people[data.people["cohort"] == PILOT]
    rollout = data.people[data.people["cohort"] == ROLLOUT]
    row: dict[str, float | None] = {
        "pilot_adoption": float(pilot["adopted"].mean()) if len(pilot) else None,
        "rollout_adoption": float(rollout["adopted"].mean()) if len(rollout) else None,
        "forecast": None,
        "low": None,
        "high": None,
        "within": None,
        "within_low": None,
        "within_high": None,
    }
    for key, group in (("pilot_adoption", pilot), ("rollout_adoption", rollout)):
        if 0 < len(group) < data.minimum:
            row[key] = None
    if forecasts is not None:
        eventual, within = forecasts.table(ORGANISATION).iloc[0], forecasts.table(ORGANISATION, False).iloc[0]
        row.update(
            forecast=float(eventual["estimate"]),
            low=float(eventual["low"]),
            high=float(eventual["high"]),
            within=float(within["estimate"]),
            within_low=float(within["low"]),
            within_high=float(within["high"]),
        )
    return row


METHOD_NAMES = {DIFFUSION: "rollout series", COVARIATE: "covariate model", EXTRAPOLATION: "extrapolation"}


def forecast_by_department(data: AdoptionData | None, forecasts: Forecasts | None) -> dict[str, dict[str, Any]]:
    """Per department, as results.json's ``adoption_by_department`` carries it: headcount, pilot members,
    observed pilot adoption, the eventual production forecast with its interval (``low``, ``high``), the
    method behind it (:data:`METHOD_NAMES`; None when not modelled) and whether a figure is suppressed.

    Suppressed exactly as the chapter's cliff table (:func:`cliff_table`): a hidden figure is None.  Empty
    without usage data.
    """
    if data is None or "department" not in data.segments:
        return {}
    table = cliff_table(data, forecasts, "department")
    return {str(row[label("department")]): department_entry(row) for _, row in table.iterrows()}


def department_entry(row: pd.Series) -> dict[str, Any]:
    def count(value: Any) -> int | None:
        return None if pd.isna(value) else int(value)

    return {
        "headcount": count(row["Headcount"]),
        "pilot_members": count(row["Pilot members"]),
        "pilot_adoption": figure(row["Pilot adoption"]),
        "forecast": figure(row["Production forecast"]),
        "low": figure(row["Interval low"]),
        "high": figure(row["Interval high"]),
        "method": METHOD_NAMES.get(row["Method"]),
        "suppressed": bool(row[SUPPRESSED]),
    }

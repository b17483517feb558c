"""Segmentation: which segments the pilot covered, and which it left out."""

from __future__ import annotations

import pandas as pd

from scalegap.models.segments import available_segments, in_natural_order, label
from scalegap.package import PreparedPackage
from scalegap.privacy import suppress_small_counts, suppress_small_groups

# --- segmentation ---------------------------------------------------------------------------------------------


def segment_counts(roster: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Headcount and pilot members per value of every segment; ``extrapolated`` below ``minimum`` pilot members."""
    frames = []
    for column in available_segments(roster):
        known = roster[roster[column].notna()]
        counts = known.groupby(column).agg(Headcount=("person_id", "size"), Pilot=("in_pilot", "sum"))
        counts = counts.loc[in_natural_order(counts.index)]
        frames.append(counts.reset_index().rename(columns={column: "Value"}).assign(segment=column))
    table = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["Value", "Headcount", "Pilot", "segment"])
    )
    return table.assign(extrapolated=table["Pilot"] < minimum)


def extrapolated_values(roster: pd.DataFrame, minimum: int) -> dict[str, frozenset[str]]:
    counts = segment_counts(roster, minimum)
    return {
        column: frozenset(counts.loc[counts["segment"].eq(column) & counts["extrapolated"], "Value"].astype(str))
        for column in available_segments(roster)
    }


def extrapolated_segments(package: PreparedPackage) -> dict[str, frozenset[str]]:
    """Per segment column, the values whose results are extrapolation: fewer pilot members than the minimum
    group size (none at all included). Later chapters label results for these values so."""
    return extrapolated_values(package.table("roster"), package.settings.privacy.min_group_size)


def covered_shares(roster: pd.DataFrame, minimum: int) -> dict[str, float]:
    """Per segment column, the share of the headcount (with a value) in values the pilot covered."""
    counts = segment_counts(roster, minimum)
    return {
        column: float(group.loc[~group["extrapolated"], "Headcount"].sum() / group["Headcount"].sum())
        for column, group in counts.groupby("segment", sort=False)
    }


def extrapolation_table(package: PreparedPackage) -> pd.DataFrame:
    """The segment values the pilot did not cover; small groups suppressed."""
    minimum = package.settings.privacy.min_group_size
    counts = segment_counts(package.table("roster"), minimum)
    shown = counts[counts["extrapolated"]]
    table = pd.DataFrame(
        {
            "Segment": shown["segment"].map(label),
            "Value": shown["Value"],
            "Headcount": shown["Headcount"],
            "Pilot members": shown["Pilot"].astype(int),
            "Results for this segment": "extrapolation",
        }
    ).reset_index(drop=True)
    table = suppress_small_groups(table, "Headcount", minimum, ["Headcount", "Pilot members"])
    return suppress_small_counts(table, "Pilot members", minimum)

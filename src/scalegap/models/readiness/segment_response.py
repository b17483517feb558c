"""Segments and response: readiness and response rates by segment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap.models.readiness.groups import group_row, suppress_partition
from scalegap.models.readiness.scoring import matched_survey, respondents, unavailable_reason
from scalegap.models.segments import available_segments, in_natural_order, label
from scalegap.package import PreparedPackage

NOT_RECORDED = "(not recorded)"


# --- segments and response ------------------------------------------------------------------------------------


def segments(package: PreparedPackage) -> list[str]:
    """The roster's segment columns with values (department, role, location, tenure band); none without a
    scorable survey."""
    return [] if unavailable_reason(package) else available_segments(package.table("roster"))


def organisation_response_rate(package: PreparedPackage) -> float:
    """Matched respondents ÷ headcount, for the whole organisation."""
    headcount = len(package.table("roster"))
    return len(matched_survey(package)) / headcount if headcount else float("nan")


def is_low_response(rate: float, organisation_rate: float, threshold: float) -> bool:
    """Below the low-response threshold, or below half the organisation's rate."""
    return bool(np.isfinite(rate) and (rate < threshold or rate < organisation_rate / 2))


def segment_order(values: pd.Series) -> list[str]:
    """The segment's values in reading order (bands by their lower bound)."""
    return in_natural_order(values.dropna().unique().tolist())


def segment_readiness(package: PreparedPackage, segment: str) -> pd.DataFrame:
    """Per group of one segment: headcount, response rate, readiness index with interval, and notes."""
    roster, people = package.table("roster"), respondents(package)
    groups_of_staff = roster[segment].fillna(NOT_RECORDED)
    groups_of_people = people[segment].fillna(NOT_RECORDED)
    order, level = segment_order(groups_of_staff), package.settings.statistics.interval
    rows = [
        group_row(group, int(groups_of_staff.eq(group).sum()), people[groups_of_people.eq(group)], level)
        for group in order
    ]
    table = suppress_partition(rows, package.settings.privacy.min_group_size)
    table["Note"] = response_notes(table, package)
    return table.drop(columns=["Lower quartile", "Median", "Upper quartile"]).rename(columns={"Group": label(segment)})


def response_notes(table: pd.DataFrame, package: PreparedPackage) -> list[str]:
    """Per (suppressed) segment row: why figures are blank, or that its response is low."""
    minimum = package.settings.privacy.min_group_size
    threshold = package.settings.readiness.low_response_rate
    overall = organisation_response_rate(package)
    notes = []
    for _, row in table.iterrows():
        if pd.isna(row["Headcount"]):
            notes.append(f"fewer than {minimum} people: not shown")
        elif pd.isna(row["Respondents"]):
            notes.append(f"fewer than {minimum} respondents: not shown")
        elif row["Respondents"] == 0:
            notes.append("no respondents")
        elif is_low_response(row["Response rate"], overall, threshold):
            notes.append(
                "low response: read with care" + ("" if pd.notna(row["Readiness index"]) else "; readiness not shown")
            )
        elif pd.isna(row["Readiness index"]) and row["Respondents with an index"] >= minimum:
            notes.append("not shown, so that a smaller group's figure cannot be worked out")
        elif pd.isna(row["Readiness index"]):
            notes.append(f"fewer than {minimum} respondents with an index: not shown")
        else:
            notes.append("")
    return notes


def low_response_segments(package: PreparedPackage) -> list[str]:
    """'Department: Legal' for every shown segment group flagged for low response."""
    flagged = []
    for segment in segments(package):
        table = segment_readiness(package, segment)
        flagged += [
            f"{label(segment)}: {group}"
            for group, note in zip(table[label(segment)], table["Note"])
            if note.startswith("low response")
        ]
    return flagged

"""Group means: the readiness index of the pilot, everyone else and the organisation, with intervals and complements."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from scalegap.models.readiness.scoring import INDEX, construct_label, respondents, unavailable_reason
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, hide_complement, suppress_small_counts, suppress_small_groups
from scalegap.vocabulary import EVERYONE_ELSE, PILOT_MEMBERS, WHOLE_ORGANISATION

PILOT, REST, ORGANISATION = PILOT_MEMBERS, EVERYONE_ELSE, WHOLE_ORGANISATION


BANDS = tuple(f"{low}–{low + 10}" for low in range(0, 100, 10))


GROUP_COLUMNS = [
    "Headcount",
    "Respondents",
    "Response rate",
    "Respondents with an index",
    "Readiness index",
    "Interval low",
    "Interval high",
    "Lower quartile",
    "Median",
    "Upper quartile",
]


PROFILE_COLUMNS = ["Construct", "Group", "Respondents", "Score", "Interval low", "Interval high"]


COMPARISON_COLUMNS = ["Construct", ORGANISATION, PILOT, REST, "Pilot − everyone else", "Interval low", "Interval high"]


INDEX_FIGURES = ["Readiness index", "Interval low", "Interval high", "Lower quartile", "Median", "Upper quartile"]


# --- group means ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its t interval; ``respondents`` is the number of values it averages."""

    respondents: int
    mean: float
    low: float
    high: float


def mean_with_interval(values: pd.Series, confidence: float) -> MeanEstimate:
    """Mean of the non-missing values with ``mean ± t(1 − (1 − confidence) ÷ 2, n − 1) × s ÷ √n``."""
    present = values.dropna().astype("float64").to_numpy()
    if len(present) == 0:
        return MeanEstimate(0, float("nan"), float("nan"), float("nan"))
    if len(present) == 1:
        return MeanEstimate(1, float(present[0]), float("nan"), float("nan"))
    low, high = DescrStatsW(present).tconfint_mean(alpha=1 - confidence)
    return MeanEstimate(len(present), float(present.mean()), float(low), float(high))


@dataclass(frozen=True)
class Difference:
    """``first − second`` with Welch's interval and test, and the difference ÷ the pooled standard deviation."""

    difference: float
    low: float
    high: float
    p_value: float
    standardised: float


def difference_in_means(first: pd.Series, second: pd.Series, confidence: float) -> Difference:
    """Welch's t interval and test for ``mean(first) − mean(second)`` (unequal variances)."""
    a, b = first.dropna().astype("float64").to_numpy(), second.dropna().astype("float64").to_numpy()
    if len(a) < 2 or len(b) < 2:
        return Difference(*[float("nan")] * 5)
    compare = CompareMeans(DescrStatsW(a), DescrStatsW(b))
    low, high = compare.tconfint_diff(alpha=1 - confidence, usevar="unequal")
    _, p_value, _ = compare.ttest_ind(usevar="unequal")
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    difference = float(a.mean() - b.mean())
    return Difference(
        difference, float(low), float(high), float(p_value), difference / pooled if pooled > 0 else float("nan")
    )


def group_row(name: str, headcount: int, answered: pd.DataFrame, level: float) -> dict[str, Any]:
    """Headcount, response and the readiness index (mean, interval of ``level``, quartiles) of one group."""
    estimate = mean_with_interval(answered[INDEX], level)
    index = answered[INDEX].dropna()
    return {
        "Group": name,
        "Headcount": headcount,
        "Respondents": len(answered),
        "Response rate": len(answered) / headcount if headcount else np.nan,
        "Respondents with an index": estimate.respondents,
        "Readiness index": estimate.mean,
        "Interval low": estimate.low,
        "Interval high": estimate.high,
        "Lower quartile": index.quantile(0.25),
        "Median": index.median(),
        "Upper quartile": index.quantile(0.75),
    }


def suppress_groups(table: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Blank small groups, small respondent counts and readiness figures of fewer than ``minimum`` people."""
    shown = suppress_small_groups(table, "Headcount", minimum)
    shown = suppress_small_counts(shown, "Respondents", minimum, ["Response rate"])
    return suppress_small_counts(shown, "Respondents with an index", minimum, INDEX_FIGURES)


def hide_complements(table: pd.DataFrame, counts: pd.Series, columns: list[str], minimum: int) -> pd.DataFrame:
    """Secondary suppression among groups that add up to a total shown elsewhere (the segments of the
    organisation; pilot members and everyone else): :func:`scalegap.privacy.hide_complement` of the groups whose
    ``columns`` are hidden.  ``counts`` are the people behind each row's figures, before suppression."""
    return hide_complement(table, counts, table[columns[0]].isna() & counts.gt(0), columns, minimum)


def suppress_partition(rows: list[dict[str, Any]], minimum: int) -> pd.DataFrame:
    """:func:`suppress_groups` for groups that add up to the organisation, with :func:`hide_complements`."""
    table = pd.DataFrame(rows, columns=["Group", *GROUP_COLUMNS])
    return hide_complements(suppress_groups(table, minimum), table["Respondents with an index"], INDEX_FIGURES, minimum)


def pilot_groups(package: PreparedPackage) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """(roster rows, respondent rows) of the pilot members, everyone else and the whole organisation."""
    roster, people = package.table("roster"), respondents(package)
    in_pilot = roster["in_pilot"].fillna(False).astype(bool)
    answered_pilot = people["in_pilot"].fillna(False).astype(bool)
    return {
        PILOT: (roster[in_pilot], people[answered_pilot]),
        REST: (roster[~in_pilot], people[~answered_pilot]),
        ORGANISATION: (roster, people),
    }


def pilot_comparison(package: PreparedPackage) -> pd.DataFrame:
    """Pilot members, everyone else and the whole organisation: response and readiness index, suppressed."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=["Group", *GROUP_COLUMNS])
    minimum, level = package.settings.privacy.min_group_size, package.settings.statistics.interval
    rows = [group_row(name, len(staff), answered, level) for name, (staff, answered) in pilot_groups(package).items()]
    whole = suppress_groups(pd.DataFrame(rows[2:], columns=["Group", *GROUP_COLUMNS]), minimum)
    return pd.concat([suppress_partition(rows[:2], minimum), whole], ignore_index=True)


def pilot_difference(package: PreparedPackage) -> Difference | None:
    """Pilot members' readiness index minus everyone else's; None when either group is too small to show."""
    groups = pilot_groups(package)
    pilot, rest = groups[PILOT][1][INDEX].dropna(), groups[REST][1][INDEX].dropna()
    if min(len(pilot), len(rest)) < package.settings.privacy.min_group_size:
        return None
    return difference_in_means(pilot, rest, package.settings.statistics.interval)


def construct_profile(package: PreparedPackage) -> pd.DataFrame:
    """Long: per construct and group (pilot, everyone else, organisation), the mean score 0–100 with interval."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=[*PROFILE_COLUMNS, SUPPRESSED])
    minimum, level = package.settings.privacy.min_group_size, package.settings.statistics.interval
    groups = pilot_groups(package)
    rows = []
    for name, construct in package.settings.survey.constructs.items():
        for group, (_, answered) in groups.items():
            estimate = mean_with_interval(answered[name], level)
            rows.append(
                {
                    "Construct": construct_label(name, construct),
                    "Group": group,
                    "Respondents": estimate.respondents,
                    "Score": estimate.mean,
                    "Interval low": estimate.low,
                    "Interval high": estimate.high,
                }
            )
    table = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    figures = ["Score", "Interval low", "Interval high"]
    shown = suppress_small_counts(table, "Respondents", minimum, figures)
    for _, pair in table[table["Group"].isin([PILOT, REST])].groupby("Construct", sort=False):
        protected = hide_complements(shown.loc[pair.index], pair["Respondents"], figures, minimum)
        shown.loc[pair.index, [*figures, SUPPRESSED]] = protected[[*figures, SUPPRESSED]]
    return shown.assign(**{SUPPRESSED: shown[SUPPRESSED].astype(bool) | shown["Respondents"].eq(0)})


def construct_comparison(package: PreparedPackage) -> pd.DataFrame:
    """Wide: per construct, the organisation's, the pilot's and everyone else's score (0–100) and the gap."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    minimum, level = package.settings.privacy.min_group_size, package.settings.statistics.interval
    groups = pilot_groups(package)
    rows = []
    for name, construct in package.settings.survey.constructs.items():
        pilot, rest = groups[PILOT][1][name].dropna(), groups[REST][1][name].dropna()
        shown = min(len(pilot), len(rest)) >= minimum
        gap = difference_in_means(pilot, rest, level) if shown else Difference(*[float("nan")] * 5)
        rows.append(
            {
                "Construct": construct_label(name, construct),
                ORGANISATION: groups[ORGANISATION][1][name].mean(),
                PILOT: pilot.mean(),
                REST: rest.mean(),
                "Pilot − everyone else": gap.difference,
                "Interval low": gap.low,
                "Interval high": gap.high,
                "n": min(len(pilot), len(rest)),
                "n_all": groups[ORGANISATION][1][name].notna().sum(),
            }
        )
    table = pd.DataFrame(rows, columns=[*COMPARISON_COLUMNS, "n", "n_all"])
    shown = suppress_small_counts(table, "n_all", minimum, [ORGANISATION])
    shown = suppress_small_counts(
        shown, "n", minimum, [PILOT, REST, "Pilot − everyone else", "Interval low", "Interval high"]
    )
    return shown.drop(columns=["n", "n_all"])


def index_distribution(package: PreparedPackage) -> pd.DataFrame:
    """Share of each group's respondents in each 10-point band of the readiness index (pilot vs everyone else)."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=["Group", "Band", "Share", "Respondents", SUPPRESSED])
    minimum = package.settings.privacy.min_group_size
    rows = []
    groups = pilot_groups(package)
    for group in (PILOT, REST):
        index = groups[group][1][INDEX].dropna()
        bands = pd.cut(index.clip(0, 100), bins=list(range(0, 100, 10)) + [100.001], right=False, labels=BANDS)
        shares = bands.value_counts(normalize=True).reindex(BANDS, fill_value=0.0) if len(index) else None
        rows += [
            {
                "Group": group,
                "Band": band,
                "Share": shares[band] if shares is not None else np.nan,
                "Respondents": len(index),
            }
            for band in BANDS
        ]
    table = pd.DataFrame(rows, columns=["Group", "Band", "Share", "Respondents"])
    shown = suppress_small_counts(table, "Respondents", minimum, ["Share"])
    return shown.assign(**{SUPPRESSED: shown[SUPPRESSED] | shown["Respondents"].eq(0)})

"""The population mix: the pilot against the organisation, covariate by covariate, before and after weighting."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.population.propensity import (
    PRIOR_SD,
    PropensityModel,
    categorical_columns,
    covariate_label,
    covariates,
    propensity_model,
    shown_levels,
)
from scalegap.models.population.statistics import smd_binary, smd_continuous
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, keep_minimum, suppress_small_counts, suppress_small_groups

# --- population mix -------------------------------------------------------------------------------------------


def level_rows(frame: pd.DataFrame, weights: pd.Series) -> list[dict[str, Any]]:
    """One row per level of every categorical covariate: counts, shares and SMDs before and after."""
    pilot = frame["in_pilot"].to_numpy()
    w = frame.loc[pilot, "person_id"].map(weights).to_numpy(dtype=float)
    rows = []
    for column in categorical_columns(frame):
        for level in shown_levels(frame, column):
            has = frame[column].eq(level).to_numpy()
            p0, p1, p1w = has.mean(), has[pilot].mean(), float(np.average(has[pilot], weights=w))
            rows.append(
                {
                    "Covariate": covariate_label(column),
                    "Level": level,
                    "Headcount": int(has.sum()),
                    "Production share": p0,
                    "Pilot members": int(has[pilot].sum()),
                    "Pilot share": p1,
                    "Pilot share, reweighted": p1w,
                    "SMD": smd_binary(p1, p0),
                    "SMD after reweighting": smd_binary(p1w, p0),
                }
            )
    return rows


def level_balance(frame: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        level_rows(frame, weights),
        columns=[
            "Covariate",
            "Level",
            "Headcount",
            "Production share",
            "Pilot members",
            "Pilot share",
            "Pilot share, reweighted",
            "SMD",
            "SMD after reweighting",
        ],
    )


def readiness_balance_rows(frame: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Readiness index of respondents: production, the pilot, and the pilot reweighted."""
    columns = ["Group", "Respondents", "Mean readiness index", "Standard deviation", "SMD"]
    if "readiness" not in frame:
        return pd.DataFrame(columns=columns)
    answered = frame[frame["readiness"].notna()]
    production, pilot = answered["readiness"], answered.loc[answered["in_pilot"], "readiness"]
    if pilot.empty:
        return pd.DataFrame(columns=columns)
    w = answered.loc[answered["in_pilot"], "person_id"].map(weights)
    rows = [
        ("Production: everyone who answered", len(production), production.mean(), production.std(), np.nan),
        ("Pilot members who answered", len(pilot), pilot.mean(), pilot.std(), smd_continuous(pilot, production)),
        (
            "Pilot members who answered, reweighted",
            len(pilot),
            float(np.average(pilot, weights=w)),
            np.nan,
            smd_continuous(pilot, production, w),
        ),
    ]
    return pd.DataFrame(rows, columns=columns)


def flag(smd: pd.Series, threshold: float) -> pd.Series:
    return pd.Series(np.where(smd.isna(), "—", np.where(smd.abs() > threshold, "yes", "no")), index=smd.index)


def population_mix(package: PreparedPackage) -> pd.DataFrame:
    """Pilot vs production per covariate level, small groups suppressed (for computing and the figure)."""
    model = propensity_model(package)
    if model is None:
        return level_balance(covariates(package).iloc[0:0], pd.Series(dtype=float))
    minimum = package.settings.privacy.min_group_size
    table = suppress_small_groups(level_balance(covariates(package), model.weights), "Headcount", minimum)
    return suppress_small_counts(
        table, "Pilot members", minimum, ["Pilot share", "Pilot share, reweighted", "SMD", "SMD after reweighting"]
    )


def population_mix_table(package: PreparedPackage) -> pd.DataFrame:
    """The population mix as the chapter shows it, flagged levels marked."""
    mix = population_mix(package)
    table = pd.DataFrame(
        {
            "Covariate": mix["Covariate"] + ": " + mix["Level"].astype(str),
            "Production share": mix["Production share"],
            "Pilot members": mix["Pilot members"],
            "Pilot share": mix["Pilot share"],
            "SMD": mix["SMD"],
            "Flagged": flag(mix["SMD"], package.settings.population.smd_threshold),
            SUPPRESSED: mix[SUPPRESSED] if SUPPRESSED in mix else False,
        }
    )
    return for_display(keep_minimum(table, mix), ("SMD",))


def reweighted_mix_table(package: PreparedPackage) -> pd.DataFrame:
    """The population mix once the pilot is reweighted to production, flagged levels marked."""
    mix = population_mix(package)
    table = pd.DataFrame(
        {
            "Covariate": mix["Covariate"] + ": " + mix["Level"].astype(str),
            "Production share": mix["Production share"],
            "Reweighted pilot share": mix["Pilot share, reweighted"],
            "Reweighted SMD": mix["SMD after reweighting"],
            "Flagged": flag(mix["SMD after reweighting"], package.settings.population.smd_threshold),
            SUPPRESSED: mix[SUPPRESSED] if SUPPRESSED in mix else False,
        }
    )
    return for_display(keep_minimum(table, mix), ("Reweighted SMD",))


def for_display(
    table: pd.DataFrame, columns: tuple[str, ...] = ("SMD", "SMD after reweighting"), signed: bool = True
) -> pd.DataFrame:
    """Figures as text with two decimals (tables show one by default), blanks as a dash."""
    shown = table.copy()
    pattern = "{:+.2f}" if signed else "{:.2f}"
    for column in columns:
        if column in shown:
            shown[column] = [("—" if pd.isna(v) else pattern.format(round(v, 2) + 0.0)) for v in shown[column]]
    return shown


def readiness_balance(package: PreparedPackage) -> pd.DataFrame:
    """Readiness index of respondents, pilot vs production; groups of too few respondents suppressed."""
    model = propensity_model(package)
    frame = covariates(package)
    table = readiness_balance_rows(frame, model.weights if model else pd.Series(dtype=float))
    if model is None or table.empty:
        return table.iloc[0:0]
    return suppress_small_groups(table, "Respondents", package.settings.privacy.min_group_size)


def balance_summary(package: PreparedPackage) -> pd.DataFrame:
    """Every shown covariate's SMD before and after reweighting (suppressed levels left out), for the figure."""
    mix = population_mix(package)
    rows = pd.DataFrame(
        {
            "Covariate": mix["Covariate"] + ": " + mix["Level"].astype(str),
            "SMD": mix["SMD"],
            "SMD after reweighting": mix["SMD after reweighting"],
        }
    )
    readiness = readiness_balance(package)
    if not readiness.empty:
        rows.loc[len(rows)] = ["Readiness index (respondents)", readiness["SMD"].iloc[1], readiness["SMD"].iloc[2]]
    return rows.dropna(subset=["SMD"]).reset_index(drop=True)


def all_smds(package: PreparedPackage, model: PropensityModel) -> pd.DataFrame:
    """Every covariate level's SMD before and after reweighting, suppressed or not (for counting only)."""
    frame = covariates(package)
    columns = ["SMD", "SMD after reweighting"]
    levels = level_balance(frame, model.weights)[columns]
    readiness = readiness_balance_rows(frame, model.weights)
    if readiness.empty:
        return levels.reset_index(drop=True)
    row = pd.DataFrame([readiness["SMD"].iloc[1:3].to_list()], columns=columns)
    return pd.concat([levels, row], ignore_index=True)


def reweighting_summary(package: PreparedPackage) -> list[tuple[str, str]]:
    """(figure, value) rows describing the propensity model and the reweighted pilot."""
    model = propensity_model(package)
    if model is None:
        return []
    weights = model.weights
    return [
        ("Propensity model", model.described),
        (
            "Fit",
            f"logistic regression (statsmodels), ridge penalty = normal prior sd {PRIOR_SD} on every "
            "coefficient except the intercept",
        ),
        ("Pilot members", f"{len(weights):,}"),
        ("Effective sample size after reweighting", f"{model.effective_sample_size:.1f}"),
        ("Largest pilot weight (people represented)", f"{weights.max():,.0f}"),
        (
            "Share of the total weight on the 10% most-weighted pilot members",
            f"{nf.share(weights.nlargest(max(1, len(weights) // 10)).sum() / weights.sum())}",
        ),
    ]

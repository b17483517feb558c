"""The study's inputs as arrays, built once per study: a bootstrap replicate is a set of roster rows, and each
replicate only selects, weights and sums what is precomputed here (no table is joined, grouped or reindexed per
replicate)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models import adoption, effect
from scalegap.models.conversion.evidence import ConversionInputs


@dataclass(frozen=True)
class RosterArrays:
    """One entry per person in the roster (``inputs.people``'s order) unless said otherwise.

    ``design``: the effect model's columns (intercept, department indicators, readiness, pilot team);
    ``clean`` / ``messy``: the person's effects (NaN without one); ``person``: a number per person id, which
    ``record_person`` gives each usable outcome record of known tier (``people`` for a person not in the
    roster); ``record_messy``: that record is messy.  ``production_share``: the production messy share, declared
    or of the records outside the pilot (None without such records)."""

    departments: tuple[str, ...]
    department: np.ndarray
    headcount: np.ndarray
    design: np.ndarray
    pilot: np.ndarray
    access: np.ndarray
    adopted: np.ndarray
    tasks: np.ndarray
    clean: np.ndarray
    messy: np.ndarray
    person: np.ndarray
    people: int
    record_person: np.ndarray
    record_messy: np.ndarray
    production_share: float | None

    def measured(self, rows: np.ndarray) -> np.ndarray:
        """The ``rows`` of people with access and a clean-data effect (in their order, repeats kept)."""
        return rows[self.access[rows] & ~np.isnan(self.clean[rows])]

    def with_both_effects(self, rows: np.ndarray) -> np.ndarray:
        """The ``rows`` of people with access and an effect in both tiers (in their order, repeats kept)."""
        return rows[self.access[rows] & ~np.isnan(self.clean[rows]) & ~np.isnan(self.messy[rows])]


def design(people: pd.DataFrame, departments: tuple[str, ...]) -> np.ndarray:
    """Columns: intercept, one indicator per department, readiness (standardised), pilot team."""
    codes = pd.Categorical(people["department"], categories=list(departments)).codes
    indicators = np.zeros((len(people), len(departments)))
    indicators[np.arange(len(people)), codes] = 1.0
    return np.hstack([np.ones((len(people), 1)), indicators, people[["readiness_z", "pilot_team"]].to_numpy(float)])


def production_messy_share(inputs: ConversionInputs) -> float | None:
    """Declared, or the messy share of the records of the people outside the pilot (None without any)."""
    if inputs.production_messy_share is not None:
        return inputs.production_messy_share
    records, people = inputs.records, inputs.people
    outside = records[~records["person_id"].isin(people.loc[people["cohort"] == adoption.PILOT, "person_id"])]
    return effect.messy_share(outside)


def roster_arrays(inputs: ConversionInputs) -> RosterArrays:
    """The arrays of ``inputs`` (see :class:`RosterArrays`)."""
    people, departments = inputs.people, inputs.departments
    codes = np.asarray(pd.Categorical(people["department"], categories=list(departments)).codes, dtype=np.intp)
    person, ids = pd.factorize(people["person_id"])
    known = inputs.records[inputs.records["data_tier"].isin(effect.TIERS)]
    record_person = pd.Index(ids).get_indexer(known["person_id"])
    effects = inputs.effects.reindex(people["person_id"])
    return RosterArrays(
        departments=departments,
        department=codes,
        headcount=np.bincount(codes, minlength=len(departments)).astype(float),
        design=design(people, departments),
        pilot=people["cohort"].eq(adoption.PILOT).fillna(False).to_numpy(bool),
        access=people["cohort"].notna().to_numpy(bool),
        adopted=people["adopted"].to_numpy(bool),
        tasks=people["tasks_per_week"].to_numpy(float),
        clean=effects[effect.CLEAN].to_numpy(float),
        messy=effects[effect.MESSY].to_numpy(float),
        person=np.asarray(person, dtype=np.intp),
        people=len(ids),
        record_person=np.where(record_person < 0, len(ids), record_person).astype(np.intp),
        record_messy=(known["data_tier"] == effect.MESSY).to_numpy(bool),
        production_share=production_messy_share(inputs),
    )


def nan_mean(values: np.ndarray) -> float:
    """The mean of the values that are not NaN, summed as pandas' ``Series.mean`` sums them (NaN for none)."""
    missing = np.isnan(values)
    count = values.size - int(missing.sum())
    return float(np.where(missing, 0.0, values).sum() / count) if count else float("nan")

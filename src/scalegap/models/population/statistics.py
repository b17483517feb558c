"""The statistics the pilot-validity chapter compares groups with: standardised differences and their tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_BINS = 10


# --- the statistics -------------------------------------------------------------------------------------------


def smd_binary(p_pilot: float, p_production: float) -> float:
    """Standardised mean difference of a 0/1 covariate (shares)."""
    spread = math.sqrt((p_pilot * (1 - p_pilot) + p_production * (1 - p_production)) / 2)
    if spread == 0:
        return 0.0 if p_pilot == p_production else math.copysign(math.inf, p_pilot - p_production)
    return (p_pilot - p_production) / spread


def smd_continuous(pilot: pd.Series, production: pd.Series, pilot_weights: pd.Series | None = None) -> float:
    """Standardised mean difference with the pooled standard deviation; ``pilot_weights`` reweight the pilot's
    mean only (the denominator stays unweighted)."""
    pilot_mean = float(np.average(pilot, weights=pilot_weights))
    spread = math.sqrt((pilot.var(ddof=1) + production.var(ddof=1)) / 2)
    difference = pilot_mean - float(production.mean())
    if spread == 0 or math.isnan(spread):
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return difference / spread


def kish_effective_sample_size(weights: np.ndarray | pd.Series) -> float:
    """Kish's effective sample size ``(Σw)² ÷ Σw²``."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def bin_count(pilot_members: int, minimum: int) -> int:
    """Propensity bins for Tipton's index: pilot size ÷ minimum group size, kept between 2 and 10."""
    return int(min(MAX_BINS, max(2, pilot_members // minimum)))


def quantile_edges(population: np.ndarray, bins: int) -> np.ndarray:
    """Bin edges at quantiles of the population's scores (ties merge bins)."""
    return np.unique(np.quantile(np.asarray(population, dtype=float), np.linspace(0, 1, bins + 1)))


def assign_bins(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin number of each score, bins closed on the right (the first also on the left); −1 outside."""
    scores = np.asarray(scores, dtype=float)
    if edges.size < 2:
        return np.where(scores == edges[0], 0, -1)
    index = np.searchsorted(edges, scores, side="left")
    index = np.where(scores == edges[0], 1, index) - 1
    return np.where((scores >= edges[0]) & (scores <= edges[-1]), index, -1)


def bin_shares(pilot: np.ndarray, population: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of the pilot and of the population in each quantile bin of the population's scores."""
    edges = quantile_edges(population, bins)
    count = max(1, edges.size - 1)
    pilot_bins, population_bins = assign_bins(pilot, edges), assign_bins(population, edges)
    pilot_share = np.bincount(pilot_bins[pilot_bins >= 0], minlength=count) / len(pilot)
    return pilot_share, np.bincount(population_bins, minlength=count) / len(population)


def tipton_index(pilot: np.ndarray, population: np.ndarray, bins: int) -> float:
    """Tipton's generalizability index ``Σ √(w_pilot × w_population)`` over quantile bins of the population."""
    pilot_share, population_share = bin_shares(np.asarray(pilot), np.asarray(population), bins)
    return float(np.sqrt(pilot_share * population_share).sum())

"""The pilot-validity audit: how far the pilot's conditions were from production's.

"Production" is everyone in the roster: the whole organisation, who would all get access at full rollout.
The pilot is the roster's pilot members. Five conditions are compared; each gets a verdict.

* **Population mix.** The covariates are the roster's segments (department, role, location, tenure band;
  missing values form a level "(not recorded)"), whether a person volunteered for the pilot, whether they
  answered the survey, and, for those who answered, their readiness index. Every level of a categorical
  covariate is a 0/1 indicator with a standardised mean difference (SMD)
  ``(p_pilot − p_production) ÷ √((p_pilot(1 − p_pilot) + p_production(1 − p_production)) ÷ 2)``; the
  readiness index (respondents only) uses the pooled standard deviation
  ``(m_pilot − m_production) ÷ √((s²_pilot + s²_production) ÷ 2)``. ``|SMD|`` above
  ``population.smd_threshold`` flags the covariate level.
* **Readiness index (a minimal scoring of our own).** Reverse-scored items are turned round as
  ``scale_points + 1 − answer``; a construct's score is the mean of its answered items; the index is the mean of
  the construct scores, rescaled to 0–100. The readiness chapter (``models/readiness.py``) scores readiness with
  stricter rules (at least half the items answered); this module deliberately does not import it yet.
  Non-respondents get an explicit missing indicator: the covariate "answered the survey", with their
  standardised readiness set to 0 in the propensity model.
* **Reweighting.** A logistic model of pilot membership on all covariates above (statsmodels GLM, binomial,
  logit link), fitted with a weak ridge penalty on every coefficient but the intercept, equivalent to a
  normal prior with standard deviation 2.5 on the log-odds scale (readiness standardised first): a segment
  with no pilot member then gets a finite, very low propensity instead of breaking the fit. Pilot member *i*
  gets the weight ``1 ÷ e(x_i)`` (the pilot is part of the organisation, so this is the ratio of the
  organisation's covariate distribution to the pilot's), scaled to sum to the headcount. Kish's effective
  sample size ``(Σw)² ÷ Σw²`` says how many people's worth of information the reweighted pilot holds. SMDs
  after reweighting use the reweighted pilot share or mean and the unweighted denominator, so before and
  after are on one scale. (statsmodels, not a survey-weighting library: samplics is archived and says so on
  import, Meta's balance requires numpy < 2 on Python 3.11, and samplics' successor svy is a 0.x beta.)
* **Generalizability.** Tipton's (2014) generalizability index ``B = Σ_j √(w_pilot,j × w_population,j)``
  over bins of the same propensity score: the bins are cut at quantiles of the organisation's scores, their
  number is the pilot size ÷ the minimum group size, kept between 2 and 10, and ``w`` is the share of the
  pilot or of the organisation in a bin. B runs from 0 to 1: 0.9 or above, the pilot is like a random
  sample; 0.5 to 0.9, reweighting may compensate; below 0.5, the pilot does not generalize. Because the pilot
  is part of the organisation, B cannot fall below about √(pilot ÷ headcount).
* **Data mix.** The clean-record share (clean ÷ records of known tier; unknown tier left out) of pilot
  members' outcome records against everyone's records (production: every record in the export, the pilot's
  included; everyone else's records are shown too).
* **Support model.** The share of pilot members' tickets raised through each channel; in production,
  tickets go to the service desk. Tickets are matched to the roster by ``person_id``.
* **Segmentation.** A segment value with fewer pilot members than the minimum group size was not tested:
  results for it are extrapolation (:func:`extrapolated_segments`).

Verdicts use Tipton's cut points (0.9 and 0.5) for every share-like measure, see :func:`coverage_verdict`.

Assumptions: the covariates recorded are the ones that matter for how the assistant works for someone
(reweighting cannot correct for what is not recorded); the survey was answered after the pilot, so pilot
members' readiness may partly be a result of the pilot; non-respondents are taken to resemble respondents
of their own segments once the other covariates are accounted for. Groups of fewer people than the minimum
group size are suppressed in every table and figure; with fewer pilot members than that, no pilot figure
is shown at all.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

from scalegap.models import availability, readiness
from scalegap.models.results import figure
from scalegap.models.segments import available_segments, label
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts, suppress_small_groups

NOT_RECORDED = "(not recorded)"
TESTED, PARTLY, NOT_TESTED, NO_EVIDENCE = "tested in the pilot", "partly", "not tested", "no evidence"
#: Tipton's cut points, used for every share-like verdict
GENERALIZES, ADJUSTABLE = 0.9, 0.5
PRIOR_SD = 2.5
MAX_BINS = 10
COVARIATE_LABELS = {"volunteered": "Volunteered for the pilot", "answered": "Answered the survey"}
TENURE_ORDER = ("<1 year", "1-3 years", "3-5 years", "5-10 years", "10+ years")
CHANNEL_LABELS = {"build_team": "Build team (direct)", "service_desk": "Service desk", "other": "Other"}
PILOT_RECORDS, OTHER_RECORDS, ALL_RECORDS = (
    "Pilot members' records",
    "Everyone else's records",
    "Production: everyone's records",
)


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


# --- covariates -----------------------------------------------------------------------------------------------


def readiness_index(package: PreparedPackage) -> pd.Series:
    """Per matched respondent, 0–100: the readiness chapter's index (:mod:`scalegap.models.readiness`)."""
    if not availability.usable(package, "survey") or not package.settings.survey.constructs:
        return pd.Series(dtype="float64")
    people = readiness.respondents(package).set_index("person_id")
    return people[readiness.INDEX].dropna()


def build_covariates(roster: pd.DataFrame, readiness: pd.Series | None) -> pd.DataFrame:
    """One row per person: pilot membership and every covariate (categorical as text levels)."""
    frame = pd.DataFrame(
        {
            "person_id": roster["person_id"].to_numpy(),
            "in_pilot": roster["in_pilot"].fillna(False).astype(bool).to_numpy(),
        }
    )
    for column in available_segments(roster):
        frame[column] = roster[column].astype("object").where(roster[column].notna(), NOT_RECORDED).to_numpy()
    if "volunteered" in roster and roster["volunteered"].notna().any():
        given = roster["volunteered"].astype("object")
        frame["volunteered"] = given.map(lambda v: NOT_RECORDED if pd.isna(v) else ("yes" if v else "no")).to_numpy()
    if readiness is not None and len(readiness):
        frame["readiness"] = frame["person_id"].map(readiness).astype("float64")
        frame["answered"] = np.where(frame["readiness"].notna(), "yes", "no")
    return frame


def covariates(package: PreparedPackage) -> pd.DataFrame:
    return build_covariates(package.table("roster"), readiness_index(package))


def categorical_columns(frame: pd.DataFrame) -> list[str]:
    """The categorical covariates with at least two levels."""
    candidates = [
        *[c for c in frame.columns if c in ("department", "role", "location", "tenure_band")],
        *[c for c in ("volunteered", "answered") if c in frame],
    ]
    return [column for column in candidates if frame[column].nunique() > 1]


def covariate_label(column: str) -> str:
    return COVARIATE_LABELS.get(column, label(column))


def shown_levels(frame: pd.DataFrame, column: str) -> list[str]:
    """A covariate's levels in reading order; a yes/no covariate is shown by its "yes" level alone."""
    levels = sorted(
        frame[column].unique(),
        key=lambda v: (TENURE_ORDER.index(v) if v in TENURE_ORDER else 99, v == NOT_RECORDED, str(v)),
    )
    return ["yes"] if set(levels) == {"yes", "no"} else levels


# --- the propensity model and the weights ---------------------------------------------------------------------


@dataclass(frozen=True)
class PropensityModel:
    """The fitted model of pilot membership: its formula, everyone's score and the pilot's weights."""

    formula: str
    described: str
    bins: int
    scores: pd.Series  # propensity per person_id
    in_pilot: pd.Series  # bool per person_id
    weights: pd.Series  # pilot members only, summing to the headcount

    @property
    def effective_sample_size(self) -> float:
        return kish_effective_sample_size(self.weights)

    @property
    def tipton_index(self) -> float:
        return tipton_index(self.scores[self.in_pilot].to_numpy(), self.scores.to_numpy(), self.bins)


def propensity_terms(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The model's data, its formula terms and their descriptions."""
    data = frame.assign(pilot=frame["in_pilot"].astype(float))
    columns = categorical_columns(frame)
    terms, described = [f"C({column})" for column in columns], [covariate_label(c).lower() for c in columns]
    if "readiness" in frame and frame["readiness"].notna().sum() > 1 and frame["readiness"].std() > 0:
        standardised = (frame["readiness"] - frame["readiness"].mean()) / frame["readiness"].std()
        data["readiness_z"] = standardised.fillna(0.0)
        terms.append("readiness_z")
        described.append("readiness index (standardised; 0 for non-respondents)")
    return data, terms, described


def fit_propensity(frame: pd.DataFrame, minimum: int) -> PropensityModel:
    """Logistic model of pilot membership (weak ridge penalty, intercept free) and the pilot's weights."""
    data, terms, described = propensity_terms(frame)
    formula = "pilot ~ " + (" + ".join(terms) if terms else "1")
    model = smf.glm(formula, data, family=sm.families.Binomial())
    penalty = 1 / (len(data) * PRIOR_SD**2)
    alpha = np.array([0.0 if name == "Intercept" else penalty for name in model.exog_names])
    fit = model.fit_regularized(alpha=alpha, L1_wt=0.0, maxiter=500, cnvrg_tol=1e-10)
    scores = pd.Series(model.predict(fit.params), index=frame["person_id"].to_numpy(), name="propensity")
    in_pilot = pd.Series(frame["in_pilot"].to_numpy(), index=scores.index)
    inverse = 1 / scores[in_pilot]
    return PropensityModel(
        formula,
        "pilot member ~ " + (" + ".join(described) if described else "1"),
        bin_count(int(in_pilot.sum()), minimum),
        scores,
        in_pilot,
        inverse * len(frame) / inverse.sum(),
    )


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the pilot cannot be compared with production here, or None when it can."""
    roster = package.table("roster")
    pilot, minimum = int(roster["in_pilot"].fillna(False).sum()), package.settings.privacy.min_group_size
    if pilot == 0:
        return "The roster records no pilot members, so there is no pilot to compare with production."
    if pilot == len(roster):
        return "Everyone in the roster is a pilot member: the pilot was the whole organisation."
    if pilot < minimum:
        return (
            f"The pilot has fewer members than the minimum group size ({minimum}), so no figure describing "
            "the pilot's members is shown."
        )
    return None


def propensity_model(package: PreparedPackage) -> PropensityModel | None:
    """The propensity model of this package (fitted once per prepared package), None when unavailable."""
    if unavailable_reason(package):
        return None
    manifest = package.path / "manifest.json"
    return _fitted(str(package.path.resolve()), manifest.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _fitted(path: str, written: int) -> PropensityModel:
    package = PreparedPackage(path)
    return fit_propensity(covariates(package), package.settings.privacy.min_group_size)


def count_or_fewer(count: int, minimum: int) -> str:
    """A count of people as shown: "fewer than <minimum>" for 1..minimum − 1."""
    return f"{count:,}" if count == 0 or count >= minimum else f"fewer than {minimum}"


def scope_sentences(package: PreparedPackage) -> list[str]:
    """What is compared with what, in words (and why not, when the pilot cannot be described)."""
    roster = package.table("roster")
    pilot, minimum = len(pilot_ids(package)), package.settings.privacy.min_group_size
    sentences = [
        f"Production here means everyone in the roster: {len(roster):,} people, who would all get access "
        f"at full rollout. The pilot had {pilot:,} members ({pilot / len(roster):.1%} of the headcount)."
    ]
    assigned = non_volunteers(package)
    if assigned is not None and pilot >= minimum:
        sentences.append(
            f"{count_or_fewer(pilot - assigned, minimum)} of them volunteered and "
            f"{count_or_fewer(assigned, minimum)} did not (assigned pilot members)."
        )
    reason = unavailable_reason(package)
    return sentences + ([reason] if reason else [])


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
    return for_display(table, ("SMD",))


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
    return for_display(table, ("Reweighted SMD",))


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
            f"{weights.nlargest(max(1, len(weights) // 10)).sum() / weights.sum():.0%}",
        ),
    ]


# --- data mix, support model ----------------------------------------------------------------------------------


def tier_row(group: str, records: pd.DataFrame) -> dict[str, Any]:
    tiers = records["data_tier"].value_counts()
    clean, messy = int(tiers.get("clean", 0)), int(tiers.get("messy", 0))
    return {
        "Records of": group,
        "Records": len(records),
        "People": int(records["person_id"].nunique()),
        "Clean": clean,
        "Messy": messy,
        "Unknown tier": int(tiers.get("unknown", 0)),
        "Clean-record share": clean / (clean + messy) if clean + messy else np.nan,
    }


def data_mix_table(outcomes: pd.DataFrame, pilot_ids: set[str], minimum: int) -> pd.DataFrame:
    """Clean and messy records: pilot members', everyone else's, everyone's; groups of few people suppressed."""
    pilot = outcomes["person_id"].isin(pilot_ids)
    table = pd.DataFrame(
        [
            tier_row(PILOT_RECORDS, outcomes[pilot]),
            tier_row(OTHER_RECORDS, outcomes[~pilot]),
            tier_row(ALL_RECORDS, outcomes),
        ]
    )
    return suppress_small_groups(table, "People", minimum)


def pilot_ids(package: PreparedPackage) -> set[str]:
    roster = package.table("roster")
    return set(roster.loc[roster["in_pilot"].fillna(False).astype(bool), "person_id"])


def data_mix(package: PreparedPackage) -> pd.DataFrame:
    if not availability.usable(package, "outcomes"):
        return pd.DataFrame()
    return data_mix_table(package.table("outcomes"), pilot_ids(package), package.settings.privacy.min_group_size)


def support_table(tickets: pd.DataFrame, roster: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Tickets by who raised them (pilot members, everyone else) and channel; rows of few people suppressed."""
    pilot = roster.set_index("person_id")["in_pilot"].fillna(False).astype(bool)
    raised = tickets[tickets["person_id"].isin(pilot.index)]
    raised = raised.assign(
        group=raised["person_id"].map(pilot).map({True: "Pilot members", False: "Everyone else"}),
        channel=raised["channel"].map(CHANNEL_LABELS).fillna("Other"),
    )
    table = raised.groupby(["group", "channel"]).agg(Tickets=("ticket_id", "size"), People=("person_id", "nunique"))
    table = table.reset_index().rename(columns={"group": "Raised by", "channel": "Channel"})
    table["Share of the group's tickets"] = table["Tickets"] / table.groupby("Raised by")["Tickets"].transform("sum")
    table = table.sort_values(["Raised by", "Channel"], ascending=[False, True], kind="stable")
    return suppress_small_counts(
        table.reset_index(drop=True), "People", minimum, ["Tickets", "Share of the group's tickets"]
    )


def support_model(package: PreparedPackage) -> pd.DataFrame:
    if not availability.usable(package, "tickets"):
        return pd.DataFrame()
    return support_table(package.table("tickets"), package.table("roster"), package.settings.privacy.min_group_size)


def build_team_share(tickets: pd.DataFrame, pilot: set[str], minimum: int) -> float | None:
    """Share of pilot members' tickets sent straight to the build team; None when fewer than ``minimum`` pilot
    members raised tickets."""
    raised = tickets[tickets["person_id"].isin(pilot)]
    if raised["person_id"].nunique() < minimum:
        return None
    return float(raised["channel"].eq("build_team").mean())


# --- segmentation ---------------------------------------------------------------------------------------------


def segment_counts(roster: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Headcount and pilot members per value of every segment; ``extrapolated`` below ``minimum`` pilot members."""
    frames = []
    for column in available_segments(roster):
        known = roster[roster[column].notna()]
        counts = known.groupby(column).agg(Headcount=("person_id", "size"), Pilot=("in_pilot", "sum"))
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
    ranges = [f"{low:.2%} to {high:.2%}" for low, high in zip(table["low"], table["high"])]
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


# --- headline and verdicts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidityHeadline:
    """The audit's headline figures (results.json); None where the data or the privacy rules allow none.

    ``flagged_covariates`` and ``flagged_after_reweighting`` count covariate levels (each level of a category,
    a yes/no covariate once, the readiness index once) with |SMD| above the threshold, out of
    ``covariates_checked``; the clean-record shares are of pilot members' records and of every record;
    ``build_team_ticket_share`` is the share of pilot members' tickets sent straight to the build team.
    """

    pilot_members: int
    tipton_index: float | None
    pilot_effective_sample_size: float | None
    flagged_covariates: int | None
    flagged_after_reweighting: int | None
    covariates_checked: int | None
    clean_share_pilot: float | None
    clean_share_production: float | None
    build_team_ticket_share: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def clean_shares(package: PreparedPackage) -> tuple[float | None, float | None]:
    """Clean-record share of pilot members' records and of everyone's (None if absent or suppressed)."""
    table = data_mix(package)
    if table.empty:
        return None, None
    shares = table.set_index("Records of")["Clean-record share"]
    return figure(shares[PILOT_RECORDS]), figure(shares[ALL_RECORDS])


def pilot_build_team_share(package: PreparedPackage) -> float | None:
    if not availability.usable(package, "tickets"):
        return None
    return build_team_share(package.table("tickets"), pilot_ids(package), package.settings.privacy.min_group_size)


def validity_headline(package: PreparedPackage) -> ValidityHeadline:
    model = propensity_model(package)
    smds = all_smds(package, model) if model else None
    threshold = package.settings.population.smd_threshold
    pilot_clean, production_clean = clean_shares(package)
    return ValidityHeadline(
        pilot_members=len(pilot_ids(package)),
        tipton_index=figure(model.tipton_index) if model else None,
        pilot_effective_sample_size=figure(model.effective_sample_size) if model else None,
        flagged_covariates=int((smds["SMD"].abs() > threshold).sum()) if smds is not None else None,
        flagged_after_reweighting=(
            int((smds["SMD after reweighting"].abs() > threshold).sum()) if smds is not None else None
        ),
        covariates_checked=len(smds) if smds is not None else None,
        clean_share_pilot=pilot_clean,
        clean_share_production=production_clean,
        build_team_ticket_share=figure(pilot_build_team_share(package)) if model else None,
    )


def coverage_verdict(share: float | None) -> str:
    """A share of production conditions the pilot met: 0.9 or more tested, 0.5 or more partly, else not."""
    if share is None or pd.isna(share):
        return NO_EVIDENCE
    return TESTED if share >= GENERALIZES else PARTLY if share >= ADJUSTABLE else NOT_TESTED


def population_verdict(
    flagged: int | None, non_volunteers: int | None, effective_size: float | None, minimum: int
) -> str:
    """No level flagged: tested. Flagged, but at least ``minimum`` pilot members who did not volunteer (when
    volunteering is not recorded: an effective sample size of at least ``minimum``): partly. Else not tested."""
    if flagged is None:
        return NO_EVIDENCE
    if flagged == 0:
        return TESTED
    enough = non_volunteers >= minimum if non_volunteers is not None else (effective_size or 0) >= minimum
    return PARTLY if enough else NOT_TESTED


def data_mix_verdict(clean_pilot: float | None, clean_production: float | None) -> str:
    """The pilot's messy share as a share of production's, read by :func:`coverage_verdict`."""
    if clean_pilot is None or clean_production is None:
        return NO_EVIDENCE
    if clean_production >= 1:
        return TESTED
    return coverage_verdict(min(1.0, (1 - clean_pilot) / (1 - clean_production)))


def support_verdict(build_team: float | None) -> str:
    """The share of pilot tickets that took the production route (not the build team), by coverage."""
    return NO_EVIDENCE if build_team is None else coverage_verdict(1 - build_team)


def segmentation_verdict(covered: dict[str, float]) -> str:
    """Every segment value covered: tested; the worst segment column's covered headcount share 0.5 or more:
    partly; else not tested."""
    if not covered:
        return NO_EVIDENCE
    worst = min(covered.values())
    return TESTED if worst >= 1 else PARTLY if worst >= ADJUSTABLE else NOT_TESTED


@dataclass(frozen=True)
class Verdict:
    condition: str
    verdict: str
    evidence: str
    rule: str


def non_volunteers(package: PreparedPackage) -> int | None:
    roster = package.table("roster")
    pilot = roster[roster["in_pilot"].fillna(False).astype(bool)]
    if not roster["volunteered"].notna().any():
        return None
    return int(pilot["volunteered"].eq(False).sum())


def population_evidence(headline: ValidityHeadline, assigned: int | None, minimum: int) -> str:
    if headline.flagged_covariates is None:
        return "No comparison possible (see above)."
    text = (
        f"{headline.flagged_covariates} of {headline.covariates_checked} covariate levels differ beyond the "
        f"threshold; effective sample size after reweighting {headline.pilot_effective_sample_size:.1f}"
    )
    if assigned is None:
        return text + "; volunteering is not recorded."
    return text + f"; {count_or_fewer(assigned, minimum)} pilot members did not volunteer."


def verdict_evidence(package: PreparedPackage, headline: ValidityHeadline) -> list[str]:
    minimum = package.settings.privacy.min_group_size
    covered = covered_shares(package.table("roster"), minimum)
    build = headline.build_team_ticket_share
    return [
        population_evidence(headline, non_volunteers(package), minimum),
        (
            f"{headline.clean_share_pilot:.0%} of pilot members' records were clean against "
            f"{headline.clean_share_production:.0%} of all records."
            if headline.clean_share_pilot is not None and headline.clean_share_production is not None
            else availability.reason_for(package, "outcomes", subject="The data mix")
            or "Too few people's outcome records to compare."
        ),
        (
            f"{build:.0%} of pilot members' tickets went straight to the build team."
            if build is not None
            else availability.reason_for(package, "tickets", subject="The support model")
            or "No tickets from enough pilot members to compare."
        ),
        (
            "Share of the headcount in segment values with enough pilot members: "
            + "; ".join(f"{label(c).lower()} {s:.0%}" for c, s in covered.items())
            + "."
            if covered
            else "The roster has no segments."
        ),
        (
            f"Tipton's index {headline.tipton_index:.2f}."
            if headline.tipton_index is not None
            else "No propensity model (see above)."
        ),
    ]


RULES = (
    "Tested: no covariate level with |SMD| above the threshold. Partly: some, but at least the minimum group "
    "size of pilot members did not volunteer (if volunteering is not recorded: effective sample size at least "
    "the minimum group size). Otherwise not tested.",
    "Pilot messy-record share ÷ production's: 0.9 or more tested, 0.5 or more partly, below not tested.",
    "Share of pilot members' tickets that went through the production route (not the build team): 0.9 or more "
    "tested, 0.5 or more partly, below not tested.",
    "Every segment value had at least the minimum group size of pilot members: tested. Covered values hold at "
    "least half the headcount in every segment: partly. Otherwise not tested.",
    "Tipton's index: 0.9 or more tested (like a random sample), 0.5 or more partly (reweighting may "
    "compensate), below 0.5 not tested.",
)


def validity_verdicts(package: PreparedPackage) -> list[Verdict]:
    """One verdict per condition: population mix, data mix, support model, segmentation, generalizability."""
    minimum = package.settings.privacy.min_group_size
    headline = validity_headline(package)
    verdicts = [
        population_verdict(
            headline.flagged_covariates, non_volunteers(package), headline.pilot_effective_sample_size, minimum
        ),
        data_mix_verdict(headline.clean_share_pilot, headline.clean_share_production),
        support_verdict(headline.build_team_ticket_share),
        segmentation_verdict(covered_shares(package.table("roster"), minimum)),
        coverage_verdict(headline.tipton_index),
    ]
    conditions = ("Population mix", "Data mix", "Support model", "Segmentation", "Generalizability")
    return [Verdict(*parts) for parts in zip(conditions, verdicts, verdict_evidence(package, headline), RULES)]


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Condition": v.condition, "Verdict": v.verdict, "Evidence": v.evidence, "Rule": v.rule} for v in verdicts]
    )


# --- findings -------------------------------------------------------------------------------------------------


def widest_gap(package: PreparedPackage) -> str | None:
    """The shown covariate level with the largest |SMD|, in words."""
    mix = population_mix(package).dropna(subset=["SMD"])
    if mix.empty:
        return None
    row = mix.loc[mix["SMD"].abs().idxmax()]
    return (
        f"the widest gap is {row['Covariate'].lower()} = {row['Level']}: {row['Pilot share']:.0%} of the pilot "
        f"against {row['Production share']:.0%} of the organisation (SMD {row['SMD']:.2f})"
    )


def extrapolation_sentence(package: PreparedPackage) -> str | None:
    extrapolated = {c: v for c, v in extrapolated_segments(package).items() if v}
    if not extrapolated:
        return None
    listed = "; ".join(f"{label(c)}: {', '.join(sorted(v))}" for c, v in extrapolated.items())
    return (
        f"The pilot had fewer than {package.settings.privacy.min_group_size} members in these segments, so "
        f"results for them are extrapolation: {listed}."
    )


def population_sentences(package: PreparedPackage, headline: ValidityHeadline) -> list[str]:
    """What the population comparison and the reweighting say, in words."""
    gap = widest_gap(package)
    chance = 2 / math.sqrt(headline.pilot_members)
    smds = all_smds(package, propensity_model(package))
    beyond = int((smds["SMD"].abs() > chance).sum())
    return [
        f"The pilot's people differ from the organisation's on {headline.flagged_covariates} of "
        f"{headline.covariates_checked} covariate levels" + (f"; {gap}." if gap else "."),
        f"A pilot of {headline.pilot_members} chosen at random would differ by up to about ±{chance:.2f} "
        f"(2 ÷ √{headline.pilot_members}) by chance; {beyond} level(s) differ by more than that.",
        f"Reweighted to the whole organisation, the {headline.pilot_members} pilot members carry the information of "
        f"about {headline.pilot_effective_sample_size:.0f} people (effective sample size): results projected from "
        f"the pilot to production are that much less certain. After reweighting, {headline.flagged_after_reweighting}"
        f" level(s) differ beyond the threshold, against {headline.flagged_covariates} before: "
        + (
            "the few pilot members who resemble production cannot stand for all of it."
            if headline.flagged_after_reweighting >= headline.flagged_covariates
            else "reweighting narrows the gaps."
        ),
        f"Tipton's generalizability index is {headline.tipton_index:.2f}: the pilot is "
        f"{generalizability_reading(headline.tipton_index)}.",
    ]


def validity_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = unavailable_reason(package)
    headline = validity_headline(package)
    verdicts = validity_verdicts(package)
    findings = [reason] if reason else population_sentences(package, headline)
    findings.extend(verdict.evidence for verdict in verdicts[1:3] if verdict.verdict != NO_EVIDENCE)
    sentence = extrapolation_sentence(package)
    if sentence:
        findings.append(sentence)
    counts = pd.Series([v.verdict for v in verdicts]).value_counts()
    findings.append(
        f"Of the five production conditions, {counts.get(TESTED, 0)} were tested in the pilot, "
        f"{counts.get(PARTLY, 0)} partly and {counts.get(NOT_TESTED, 0)} not at all"
        + (
            f"; {counts.get(NO_EVIDENCE)} cannot be judged from the data provided."
            if counts.get(NO_EVIDENCE, 0)
            else "."
        )
    )
    return findings

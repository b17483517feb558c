"""The readiness chapter: how ready for the AI assistant are the people who will receive it?

Method (the methodology appendix says the same in prose):

* **Items.** The survey table holds each Likert item's raw position on the scale, 1..``scale_points``.
  Reverse-scored items (``survey.constructs.<c>.reverse``) are turned round as ``scale_points + 1 − answer``,
  so that a higher score always means more ready.
* **Construct score** of one response: the mean of the construct's answered items, provided at least half of
  its items (rounded up: 2 of 3, 1 of 2) were answered; otherwise the score is missing.
* **Readiness index** of one person, 0–100: the mean of their construct scores, every construct weighing the
  same, rescaled from 1..scale_points to 0..100 as ``(mean − 1) ÷ (scale_points − 1) × 100``; missing unless
  at least half of the declared constructs (rounded up) have a score.  Construct scores are shown on the same
  0–100 scale.
* **Who counts.** Matched respondents only (``person_id`` filled from the employee ID or the e-mail address;
  ``matched_by`` says which); unmatched respondents cannot be placed in the pilot or a segment.  Partial
  responses count as far as the rules above allow.
* **Reliability.** Cronbach's alpha per construct, ``k ÷ (k − 1) × (1 − Σ item variances ÷ variance of the
  item sum)``, over the responses that answered every item of the construct (listwise deletion), with a 95 %
  interval by Feldt's method (F distribution, ``n − 1`` and ``(n − 1)(k − 1)`` degrees of freedom).  The
  item-rest correlation of an item is its Pearson correlation with the sum of the construct's other items,
  over the same responses.  A construct with fewer than two items has no alpha.  Alpha below
  ``readiness.alpha_threshold`` is flagged; the construct still counts in the index.
* **Group means.** The mean readiness index of a group's respondents with an index, with a 95 % t interval
  ``mean ± t(0.975, n − 1) × s ÷ √n``; pilot members minus everyone else with Welch's interval (unequal
  variances), and the difference divided by the pooled standard deviation (standardised difference).
* **Response rate.** Matched respondents ÷ headcount, per group.  A segment is flagged for low response when
  its rate is below ``readiness.low_response_rate`` or below half the organisation's rate.
* **Privacy.** A group with fewer people than the minimum group size shows nothing; a group with 1..minimum − 1
  respondents (or respondents with an index) shows no readiness figure; tables and figures say so.  Groups that
  add up to the organisation (a segment's groups; pilot members and everyone else) get secondary suppression:
  if the hidden groups hold fewer than the minimum in all, the smallest shown group is hidden too, so that the
  organisation's figure minus the shown ones cannot reveal a small group.

Assumptions: within a group, respondents answer as the group's non-respondents would have (the response-rate
flags show where this is least safe); the answer scale is treated as equally spaced; the intervals treat a
group as drawn from a large population (slightly wide where most of a small group answered).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from scalegap.models import availability
from scalegap.models.results import figure
from scalegap.models.segments import available_segments, label
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, hide_complement, suppress_small_counts, suppress_small_groups
from scalegap.settings import ConstructSettings, SurveySettings

CONFIDENCE = 0.95
PILOT, REST, ORGANISATION = "Pilot members", "Everyone else", "Whole organisation"
NOT_RECORDED = "(not recorded)"
INDEX = "readiness_index"
TENURE_ORDER = ("<1 year", "1-3 years", "3-5 years", "5-10 years", "10+ years")
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
RELIABILITY_COLUMNS = [
    "Construct",
    "Items",
    "Reverse-scored",
    "Complete responses",
    "Cronbach's alpha",
    "Interval low",
    "Interval high",
    "Verdict",
]
ITEM_COLUMNS = ["Construct", "Item", "Reverse-scored", "Answers", "Mean score", "Item-rest correlation"]
PROFILE_COLUMNS = ["Construct", "Group", "Respondents", "Score", "Interval low", "Interval high"]
COMPARISON_COLUMNS = ["Construct", ORGANISATION, PILOT, REST, "Pilot − everyone else", "Interval low", "Interval high"]
INDEX_FIGURES = ["Readiness index", "Interval low", "Interval high", "Lower quartile", "Median", "Upper quartile"]


# --- scoring --------------------------------------------------------------------------------------------------


def construct_label(name: str, construct: ConstructSettings) -> str:
    """The construct's label from assessment.yml, else its key in words."""
    return construct.label or name.replace("_", " ").capitalize()


def scored_items(survey: pd.DataFrame, instrument: SurveySettings) -> pd.DataFrame:
    """Every declared item's score; reverse-scored items turned round as ``scale_points + 1 − answer``.

    An item the survey table lacks counts as unanswered.
    """
    columns: dict[str, pd.Series] = {}
    for construct in instrument.constructs.values():
        for item in construct.items:
            answer = (
                pd.to_numeric(survey[item], errors="coerce").astype("float64")
                if item in survey
                else pd.Series(np.nan, index=survey.index)
            )
            columns[item] = instrument.scale_points + 1 - answer if item in construct.reverse else answer
    return pd.DataFrame(columns, index=survey.index, dtype="float64")


def at_least_half(count: int) -> int:
    """How many of ``count`` items (or constructs) must be answered: half, rounded up."""
    return math.ceil(count / 2)


def construct_scores(items: pd.DataFrame, instrument: SurveySettings) -> pd.DataFrame:
    """Per response and construct (1..scale_points): the mean of the answered items, when at least half were."""
    scores = {}
    for name, construct in instrument.constructs.items():
        answers = items.reindex(columns=construct.items)
        enough = answers.notna().sum(axis=1) >= at_least_half(len(construct.items))
        scores[name] = answers.mean(axis=1).where(enough)
    return pd.DataFrame(scores, index=items.index, dtype="float64")


def to_index_scale(score: Any, scale_points: int) -> Any:
    """A score on 1..scale_points rescaled to 0..100."""
    return (score - 1) / (scale_points - 1) * 100


def readiness_index(scores: pd.DataFrame, scale_points: int) -> pd.Series:
    """Per person, 0–100: the mean construct score rescaled, when at least half the constructs have a score."""
    enough = scores.notna().sum(axis=1) >= max(1, at_least_half(scores.shape[1]))
    return to_index_scale(scores.mean(axis=1), scale_points).where(enough).rename(INDEX)


def matched_survey(package: PreparedPackage) -> pd.DataFrame:
    """The survey responses matched to someone in the roster (one per person, the latest)."""
    survey = package.table("survey")
    return survey[survey["person_id"].notna()].reset_index(drop=True)


def respondents(package: PreparedPackage) -> pd.DataFrame:
    """One row per matched respondent, for computing (never shown): pilot membership, segments, construct
    scores and readiness index on 0..100."""
    instrument = package.settings.survey
    roster = package.table("roster")
    matched = matched_survey(package)
    scores = construct_scores(scored_items(matched, instrument), instrument)
    frame = to_index_scale(scores, instrument.scale_points)
    frame[INDEX] = readiness_index(scores, instrument.scale_points)
    frame.insert(0, "person_id", matched["person_id"])
    people = roster.set_index("person_id")[["in_pilot", *available_segments(roster)]]
    return frame.join(people, on="person_id")


def no_figure_text(package: PreparedPackage) -> str:
    """What a figure's place says when there is no figure: why readiness is unavailable, or the privacy rule."""
    minimum = package.settings.privacy.min_group_size
    return unavailable_reason(package) or (
        f"Every group here has fewer than {minimum} respondents (the minimum group size), so no figure is drawn."
    )


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why readiness cannot be scored for this client, or None when it can."""
    missing = availability.reason_for(package, "survey", subject="Readiness")
    if missing:
        return missing
    if not package.settings.survey.constructs:
        return (
            "assessment.yml declares no survey constructs (survey.constructs), so there is nothing to score; "
            "declare each construct's items to measure readiness."
        )
    if matched_survey(package).empty:
        return "No survey response could be matched to the roster, so readiness cannot be placed in any group."
    return None


def instrument_summary(package: PreparedPackage) -> list[str]:
    """One line per declared construct: its label and items, reverse-scored items marked."""
    survey = package.settings.survey
    return [
        f"{construct_label(name, construct)}: "
        + ", ".join(f"{item} (reverse-scored)" if item in construct.reverse else item for item in construct.items)
        for name, construct in survey.constructs.items()
    ]


# --- reliability ----------------------------------------------------------------------------------------------


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the complete rows: ``k ÷ (k − 1) × (1 − Σ item variances ÷ variance of the sum)``.

    Missing (NaN) with fewer than two items or two complete rows, or when the sum does not vary.
    """
    complete = items.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 2:
        return float("nan")
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_variance))


def alpha_interval(alpha: float, responses: int, items: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Feldt's interval for alpha: ``1 − (1 − alpha) × F`` quantiles with ``n − 1`` and ``(n − 1)(k − 1)``
    degrees of freedom."""
    if not np.isfinite(alpha) or responses < 2 or items < 2:
        return float("nan"), float("nan")
    df1, df2 = responses - 1, (responses - 1) * (items - 1)
    tail = (1 - confidence) / 2
    return (
        float(1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)),
        float(1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)),
    )


def item_rest_correlations(items: pd.DataFrame) -> pd.Series:
    """Per item, over complete rows: Pearson correlation with the sum of the other items (NaN for one item)."""
    complete = items.dropna()
    total = complete.sum(axis=1)
    if complete.shape[1] < 2 or len(complete) < 3:
        return pd.Series(np.nan, index=items.columns, dtype="float64")
    return pd.Series({item: complete[item].corr(total - complete[item]) for item in complete}, dtype="float64")


def interval_text(low: Any, high: Any, digits: int = 1) -> str | None:
    """'16.9–29.5', or '-3.1 to 2.4' when an end is negative (None when either end is missing)."""
    if pd.isna(low) or pd.isna(high):
        return None
    return f"{low:.{digits}f}{'–' if low >= 0 else ' to '}{high:.{digits}f}"


def for_display(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """A table as the book shows it: each interval and the middle half (lower to upper quartile) as one text
    column; the median and the count of respondents with an index (which the suppression used) left out for
    width."""
    shown = table.copy()
    pairs = (("Interval low", "Interval high", "95% interval"), ("Lower quartile", "Upper quartile", "Middle half"))
    for low, high, name in pairs:
        if low in shown and high in shown:
            texts = [interval_text(a, b, digits) for a, b in zip(shown[low], shown[high])]
            shown.insert(shown.columns.get_loc(low), name, texts)
            shown = shown.drop(columns=[low, high])
    return shown.drop(columns=["Respondents with an index", "Median"], errors="ignore")


def with_decimals(table: pd.DataFrame, columns: list[str], digits: int = 2) -> pd.DataFrame:
    """Coefficients as text with ``digits`` decimals (the book's tables show one by default); missing stays None."""
    shown = table.copy()
    for column in columns:
        shown[column] = [None if pd.isna(value) else f"{value:.{digits}f}" for value in table[column]]
    return shown


def reliability_verdict(items: int, responses: int, alpha: float, threshold: float, minimum: int) -> str:
    if items < 2:
        return "single item: no alpha"
    if responses < minimum:
        return f"fewer than {minimum} complete responses"
    if not np.isfinite(alpha):
        return "answers do not vary"
    return f"unreliable: below {threshold:g}" if alpha < threshold else "reliable"


def construct_answers(package: PreparedPackage) -> list[tuple[str, Any, pd.DataFrame]]:
    """(name, construct settings, its matched respondents' item scores) per declared construct."""
    instrument = package.settings.survey
    items = scored_items(matched_survey(package), instrument)
    return [(name, construct, items[construct.items]) for name, construct in instrument.constructs.items()]


def reliability(package: PreparedPackage) -> pd.DataFrame:
    """Per construct: items, complete responses, Cronbach's alpha with Feldt's 95 % interval, and a verdict."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=RELIABILITY_COLUMNS)
    settings, minimum = package.settings, package.settings.privacy.min_group_size
    rows = []
    for name, construct, answers in construct_answers(package):
        complete = len(answers.dropna())
        alpha = cronbach_alpha(answers)
        low, high = alpha_interval(alpha, complete, len(construct.items))
        rows.append(
            {
                "Construct": construct_label(name, construct),
                "Items": len(construct.items),
                "Reverse-scored": ", ".join(construct.reverse) or "—",
                "Complete responses": complete,
                "Cronbach's alpha": alpha,
                "Interval low": low,
                "Interval high": high,
                "Verdict": reliability_verdict(
                    len(construct.items), complete, alpha, settings.readiness.alpha_threshold, minimum
                ),
            }
        )
    table = pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
    table = suppress_small_counts(
        table, "Complete responses", minimum, ["Cronbach's alpha", "Interval low", "Interval high"]
    )
    return for_display(with_decimals(table, ["Cronbach's alpha"]), digits=2)


def item_statistics(package: PreparedPackage) -> pd.DataFrame:
    """Per item: construct, reverse-scored or not, answers, mean score after reversal, item-rest correlation."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=ITEM_COLUMNS)
    minimum = package.settings.privacy.min_group_size
    rows = []
    for name, construct, answers in construct_answers(package):
        rest = item_rest_correlations(answers)
        complete = len(answers.dropna())
        rows += [
            {
                "Construct": construct_label(name, construct),
                "Item": item,
                "Reverse-scored": item in construct.reverse,
                "Answers": int(answers[item].notna().sum()),
                "Mean score": answers[item].mean(),
                "Item-rest correlation": rest[item] if complete >= minimum else np.nan,
                "complete": complete,
            }
            for item in construct.items
        ]
    table = pd.DataFrame(rows, columns=[*ITEM_COLUMNS, "complete"])
    table = suppress_small_counts(table, "Answers", minimum, ["Mean score"])
    table[SUPPRESSED] = table[SUPPRESSED] | ((table["complete"] > 0) & (table["complete"] < minimum))
    return with_decimals(table.drop(columns="complete"), ["Mean score", "Item-rest correlation"])


def unreliable_constructs(package: PreparedPackage) -> list[str]:
    """Labels of the constructs whose alpha is below the threshold."""
    table = reliability(package)
    return table.loc[table["Verdict"].str.startswith("unreliable"), "Construct"].tolist()


# --- group means ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its t interval; ``respondents`` is the number of values it averages."""

    respondents: int
    mean: float
    low: float
    high: float


def mean_with_interval(values: pd.Series, confidence: float = CONFIDENCE) -> MeanEstimate:
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


def difference_in_means(first: pd.Series, second: pd.Series, confidence: float = CONFIDENCE) -> Difference:
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


def group_row(name: str, headcount: int, answered: pd.DataFrame) -> dict[str, Any]:
    """Headcount, response and the readiness index (mean, interval, quartiles) of one group."""
    estimate = mean_with_interval(answered[INDEX])
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
    minimum = package.settings.privacy.min_group_size
    rows = [group_row(name, len(staff), answered) for name, (staff, answered) in pilot_groups(package).items()]
    whole = suppress_groups(pd.DataFrame(rows[2:], columns=["Group", *GROUP_COLUMNS]), minimum)
    return pd.concat([suppress_partition(rows[:2], minimum), whole], ignore_index=True)


def pilot_difference(package: PreparedPackage) -> Difference | None:
    """Pilot members' readiness index minus everyone else's; None when either group is too small to show."""
    groups = pilot_groups(package)
    pilot, rest = groups[PILOT][1][INDEX].dropna(), groups[REST][1][INDEX].dropna()
    if min(len(pilot), len(rest)) < package.settings.privacy.min_group_size:
        return None
    return difference_in_means(pilot, rest)


def construct_profile(package: PreparedPackage) -> pd.DataFrame:
    """Long: per construct and group (pilot, everyone else, organisation), the mean score 0–100 with interval."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=[*PROFILE_COLUMNS, SUPPRESSED])
    minimum = package.settings.privacy.min_group_size
    groups = pilot_groups(package)
    rows = []
    for name, construct in package.settings.survey.constructs.items():
        for group, (_, answered) in groups.items():
            estimate = mean_with_interval(answered[name])
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
    minimum = package.settings.privacy.min_group_size
    groups = pilot_groups(package)
    rows = []
    for name, construct in package.settings.survey.constructs.items():
        pilot, rest = groups[PILOT][1][name].dropna(), groups[REST][1][name].dropna()
        shown = min(len(pilot), len(rest)) >= minimum
        gap = difference_in_means(pilot, rest) if shown else Difference(*[float("nan")] * 5)
        rows.append(
            {
                "Construct": construct_label(name, construct),
                ORGANISATION: mean_with_interval(groups[ORGANISATION][1][name]).mean,
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


def segment_order(values: pd.Series, segment: str) -> list[str]:
    present = values.dropna().unique().tolist()
    if segment == "tenure_band":
        return [band for band in TENURE_ORDER if band in present] + sorted(set(present) - set(TENURE_ORDER))
    return sorted(present)


def segment_readiness(package: PreparedPackage, segment: str) -> pd.DataFrame:
    """Per group of one segment: headcount, response rate, readiness index with interval, and notes."""
    roster, people = package.table("roster"), respondents(package)
    groups_of_staff = roster[segment].fillna(NOT_RECORDED)
    groups_of_people = people[segment].fillna(NOT_RECORDED)
    order = segment_order(groups_of_staff, segment)
    rows = [
        group_row(group, int(groups_of_staff.eq(group).sum()), people[groups_of_people.eq(group)]) for group in order
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


# --- headline and findings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessHeadline:
    """The readiness figures results.json carries (0–100 scale, 95 % intervals).

    A figure is None when there is no survey, no construct, or the group is below the minimum group size.
    """

    respondents_with_index: int | None
    organisation_index: float | None
    organisation_index_low: float | None
    organisation_index_high: float | None
    pilot_index: float | None
    pilot_index_low: float | None
    pilot_index_high: float | None
    non_pilot_index: float | None
    non_pilot_index_low: float | None
    non_pilot_index_high: float | None
    pilot_minus_non_pilot: float | None
    pilot_minus_non_pilot_low: float | None
    pilot_minus_non_pilot_high: float | None
    unreliable_constructs: tuple[str, ...] = ()
    low_response_segments: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


def readiness_headline(package: PreparedPackage) -> ReadinessHeadline:
    """The organisation's readiness index (mean over matched respondents, with its interval), the pilot's
    and everyone else's, and their difference; small groups give None."""
    if unavailable_reason(package):
        return ReadinessHeadline(*[None] * 13)
    table = pilot_comparison(package).set_index("Group")
    figures = [figure(table.loc[ORGANISATION, "Respondents with an index"])]
    for group in (ORGANISATION, PILOT, REST):
        figures += [figure(table.loc[group, column]) for column in ("Readiness index", "Interval low", "Interval high")]
    gap = pilot_difference(package)
    figures += [figure(gap.difference), figure(gap.low), figure(gap.high)] if gap else [None] * 3
    count = figures[0]
    return ReadinessHeadline(
        None if count is None else int(count),
        *figures[1:],
        unreliable_constructs=tuple(unreliable_constructs(package)),
        low_response_segments=tuple(low_response_segments(package)),
    )


def headline_rows(headline: ReadinessHeadline, minimum: int, unavailable: str | None = None) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's headline table; ``unavailable`` (the chapter's
    :func:`unavailable_reason`) is given beside every figure when readiness is not assessed."""
    hidden = availability.figure_reason(unavailable) if unavailable else f"not shown (fewer than {minimum} respondents)"

    def estimate(mean: float | None, low: float | None, high: float | None, sign: str = "") -> str:
        if mean is None:
            return hidden
        interval = f" (95% interval {low:{sign}.1f} to {high:{sign}.1f})" if low is not None else ""
        return f"{mean:{sign}.1f}{interval}"

    h = headline
    return [
        (
            "Readiness index, whole organisation",
            estimate(h.organisation_index, h.organisation_index_low, h.organisation_index_high),
        ),
        ("Readiness index, pilot members", estimate(h.pilot_index, h.pilot_index_low, h.pilot_index_high)),
        ("Readiness index, everyone else", estimate(h.non_pilot_index, h.non_pilot_index_low, h.non_pilot_index_high)),
        (
            "Pilot minus everyone else (points)",
            estimate(h.pilot_minus_non_pilot, h.pilot_minus_non_pilot_low, h.pilot_minus_non_pilot_high, "+"),
        ),
        (
            "Matched respondents with an index",
            hidden if h.respondents_with_index is None else f"{h.respondents_with_index:,}",
        ),
        (
            "Constructs below the reliability threshold",
            hidden if unavailable else ", ".join(h.unreliable_constructs) or "none",
        ),
        ("Segments with low response", hidden if unavailable else ", ".join(h.low_response_segments) or "none"),
    ]


def pilot_sentence(headline: ReadinessHeadline, difference: Difference | None) -> str:
    if headline.pilot_index is None or headline.non_pilot_index is None or difference is None:
        return (
            "Too few pilot members or other staff have a readiness index to compare the two groups "
            "without identifying people."
        )
    comparison = (
        f"Pilot members score {headline.pilot_index:.1f} ({headline.pilot_index_low:.1f}–"
        f"{headline.pilot_index_high:.1f}) against {headline.non_pilot_index:.1f} "
        f"({headline.non_pilot_index_low:.1f}–{headline.non_pilot_index_high:.1f}) for everyone else"
    )
    if difference.low > 0:
        return (
            f"{comparison}: the pilot was {difference.difference:.1f} points more ready (95% interval "
            f"{difference.low:.1f}–{difference.high:.1f}; {difference.standardised:.1f} standard deviations), "
            "so the people who will get the assistant in production start from lower readiness than the "
            "pilot did."
        )
    if difference.high < 0:
        return (
            f"{comparison}: the pilot was {-difference.difference:.1f} points less ready than the rest "
            f"(95% interval {-difference.high:.1f}–{-difference.low:.1f})."
        )
    return f"{comparison}; the difference ({difference.difference:+.1f} points) is within the margin of error."


def widest_gap_sentence(package: PreparedPackage) -> str | None:
    table = construct_comparison(package).dropna(subset=["Pilot − everyone else"])
    if table.empty:
        return None
    widest = table.loc[table["Pilot − everyone else"].abs().idxmax()]
    return (
        f"The widest gap between pilot and everyone else is in {widest['Construct'].lower()}: "
        f"{widest[PILOT]:.0f} against {widest[REST]:.0f} out of 100."
    )


def segment_range_sentence(package: PreparedPackage) -> str | None:
    names = segments(package)
    if not names:
        return None
    table = segment_readiness(package, names[0]).dropna(subset=["Readiness index"])
    if len(table) < 2:
        return None
    column = label(names[0])
    low, high = table.loc[table["Readiness index"].idxmin()], table.loc[table["Readiness index"].idxmax()]
    return (
        f"By {column.lower()}, readiness ranges from {low['Readiness index']:.1f} ({low[column]}) to "
        f"{high['Readiness index']:.1f} ({high[column]})."
    )


def reliability_sentence(package: PreparedPackage, headline: ReadinessHeadline) -> str:
    threshold = package.settings.readiness.alpha_threshold
    table = reliability(package)
    measured = table["Cronbach's alpha"].notna().sum()
    if headline.unreliable_constructs:
        return (
            f"{len(headline.unreliable_constructs)} construct(s) fall below Cronbach's alpha {threshold:g} "
            f"({', '.join(headline.unreliable_constructs)}): their scores are less trustworthy, and a "
            "revised survey should reword or add items."
        )
    if measured:
        return f"All {measured} construct(s) with an alpha reach {threshold:g}: their items measure consistently."
    return "No construct's reliability could be measured (too few items or complete responses)."


def response_sentence(package: PreparedPackage, headline: ReadinessHeadline) -> str:
    threshold = package.settings.readiness.low_response_rate
    if headline.low_response_segments:
        return (
            f"Response was low (below {threshold:.0%}, or below half the organisation's rate) in "
            f"{', '.join(headline.low_response_segments)}: their figures describe the people who chose to "
            "answer, who may be keener than their colleagues."
        )
    return (
        f"No segment answered below {threshold:.0%} or below half the organisation's rate; even so, people "
        "who answer a survey about AI may be keener than those who do not."
    )


def readiness_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = unavailable_reason(package)
    if reason:
        return [reason]
    headline = readiness_headline(package)
    unmatched = int(package.table("survey")["person_id"].isna().sum())
    minimum = package.settings.privacy.min_group_size
    if headline.organisation_index is None:
        return [
            f"Fewer than {minimum} matched respondents have a readiness index, so no readiness figure can be "
            "shown without identifying people."
        ]
    findings = [
        f"The organisation's readiness index is {headline.organisation_index:.1f} out of 100 (95% interval "
        f"{headline.organisation_index_low:.1f}–{headline.organisation_index_high:.1f}), from "
        f"{headline.respondents_with_index:,} matched respondents"
        + (f"; {unmatched:,} unmatched response(s) were left out." if unmatched else ".")
    ]
    findings.append(pilot_sentence(headline, pilot_difference(package)))
    findings += [s for s in (widest_gap_sentence(package), segment_range_sentence(package)) if s]
    findings += [reliability_sentence(package, headline), response_sentence(package, headline)]
    return findings

"""Reliability: Cronbach's alpha per construct with Feldt's interval, and item-rest correlations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from scalegap import number_format as nf
from scalegap.models.readiness.scoring import construct_label, matched_survey, scored_items, unavailable_reason
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts

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


ITEM_COLUMNS = ["Construct", "Statement", "Item", "Reverse-scored", "Answers", "Mean score", "Item-rest correlation"]


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


def alpha_interval(alpha: float, responses: int, items: int, confidence: float) -> tuple[float, float]:
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
    """'16.9 to 29.5' (``digits`` decimals; None when either end is missing)."""
    if pd.isna(low) or pd.isna(high):
        return None
    return f"{nf.number(low, digits)} to {nf.number(high, digits)}"


def for_display(table: pd.DataFrame, interval: float, digits: int = 1) -> pd.DataFrame:
    """A table as the book shows it: each interval (of level ``interval``) and the middle half (lower to upper
    quartile) as one text column; the median and the count of respondents with an index (which the suppression
    used) left out for width."""
    shown = table.copy()
    pairs = (
        ("Interval low", "Interval high", interval_label(interval)),
        ("Lower quartile", "Upper quartile", "Middle half"),
    )
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
    """Per construct: items, complete responses, Cronbach's alpha with Feldt's interval (``statistics.interval``),
    and a verdict."""
    if unavailable_reason(package):
        return pd.DataFrame(columns=RELIABILITY_COLUMNS)
    settings, minimum = package.settings, package.settings.privacy.min_group_size
    rows = []
    for name, construct, answers in construct_answers(package):
        complete = len(answers.dropna())
        alpha = cronbach_alpha(answers)
        low, high = alpha_interval(alpha, complete, len(construct.items), settings.statistics.interval)
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
    return for_display(with_decimals(table, ["Cronbach's alpha"]), settings.statistics.interval, digits=2)


def item_statistics(package: PreparedPackage) -> pd.DataFrame:
    """Per item: construct, its statement (blank where assessment.yml declares none: the column is then left out
    of the book), reverse-scored or not, answers, mean score after reversal, item-rest correlation."""
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
                "Statement": construct.statements.get(item, ""),
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

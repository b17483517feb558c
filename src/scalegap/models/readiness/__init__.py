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
  item sum)``, over the responses that answered every item of the construct (listwise deletion), with an
  interval (``statistics.interval``) by Feldt's method (F distribution, ``n − 1`` and ``(n − 1)(k − 1)``
  degrees of freedom).  The item-rest correlation of an item is its Pearson correlation with the sum of the
  construct's other items, over the same responses.  A construct with fewer than two items has no alpha.  Alpha below
  ``readiness.alpha_threshold`` is flagged; the construct still counts in the index.
* **Group means.** The mean readiness index of a group's respondents with an index, with a t interval
  ``mean ± t(1 − (1 − level) ÷ 2, n − 1) × s ÷ √n`` (``level``: ``statistics.interval``); pilot members minus
  everyone else with Welch's interval (unequal variances), and the difference divided by the pooled standard deviation
  (standardised difference).
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

from dataclasses import KW_ONLY, asdict, dataclass
from typing import Any

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.readiness.groups import (
    ORGANISATION,
    PILOT,
    REST,
    Difference,
    construct_comparison,
    construct_profile,
    index_distribution,
    pilot_comparison,
    pilot_difference,
)
from scalegap.models.readiness.item_reliability import (
    cronbach_alpha,
    for_display,
    item_statistics,
    reliability,
    unreliable_constructs,
)
from scalegap.models.readiness.scoring import (
    INDEX,
    construct_scores,
    instrument_summary,
    matched_survey,
    no_figure_text,
    readiness_index,
    respondents,
    scored_items,
    to_index_scale,
    unavailable_reason,
)
from scalegap.models.readiness.segment_response import low_response_segments, segment_order, segment_readiness, segments
from scalegap.models.results import figure
from scalegap.models.segments import label
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage

#: what the readiness chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "INDEX",
    "ORGANISATION",
    "PILOT",
    "REST",
    "ReadinessHeadline",
    "construct_comparison",
    "construct_profile",
    "construct_scores",
    "cronbach_alpha",
    "for_display",
    "headline_rows",
    "index_distribution",
    "instrument_summary",
    "item_statistics",
    "matched_survey",
    "no_figure_text",
    "pilot_comparison",
    "pilot_sentence",
    "readiness_findings",
    "readiness_headline",
    "readiness_index",
    "reliability",
    "reliability_sentence",
    "respondents",
    "response_sentence",
    "scored_items",
    "segment_order",
    "segment_range_sentence",
    "segment_readiness",
    "segments",
    "to_index_scale",
    "unavailable_reason",
    "widest_gap_sentence",
]


# --- headline and findings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessHeadline:
    """The readiness figures results.json carries (0–100 scale, intervals of ``statistics.interval``).

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
    _: KW_ONLY
    unreliable_constructs: tuple[str, ...] = ()
    low_response_segments: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


def readiness_headline(package: PreparedPackage) -> ReadinessHeadline:
    """The organisation's readiness index (mean over matched respondents, with its interval), the pilot's
    and everyone else's, and their difference; small groups give None."""
    if unavailable_reason(package):
        return ReadinessHeadline(*(None,) * 13)
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


def headline_rows(
    headline: ReadinessHeadline, minimum: int, interval: float, unavailable: str | None = None
) -> list[tuple[str, str]]:
    """(figure, value as shown) pairs for the chapter's headline table, intervals of level ``interval``;
    ``unavailable`` (the chapter's :func:`unavailable_reason`) is given beside every figure when readiness is not
    assessed."""
    hidden = availability.figure_reason(unavailable) if unavailable else f"not shown (fewer than {minimum} respondents)"

    def estimate(mean: float | None, low: float | None, high: float | None, sign: str = "") -> str:
        if mean is None:
            return hidden
        shown = f" ({interval_label(interval)} {low:{sign}.1f} to {high:{sign}.1f})" if low is not None else ""
        return f"{mean:{sign}.1f}{shown}"

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


def pilot_sentence(headline: ReadinessHeadline, difference: Difference | None, interval: float) -> str:
    if headline.pilot_index is None or headline.non_pilot_index is None or difference is None:
        return (
            "Too few pilot members or other staff have a readiness index to compare the two groups "
            "without identifying people."
        )
    comparison = (
        f"Pilot members score {headline.pilot_index:.1f} ({headline.pilot_index_low:.1f} to "
        f"{headline.pilot_index_high:.1f}) against {headline.non_pilot_index:.1f} "
        f"({headline.non_pilot_index_low:.1f} to {headline.non_pilot_index_high:.1f}) for everyone else"
    )
    if difference.low > 0:
        return (
            f"{comparison}: the pilot was {difference.difference:.1f} points more ready ({interval_label(interval)} "
            f"{difference.low:.1f} to {difference.high:.1f}; {difference.standardised:.1f} standard deviations), "
            "so the people who will get the assistant in production start from lower readiness than the "
            "pilot did."
        )
    if difference.high < 0:
        return (
            f"{comparison}: the pilot was {-difference.difference:.1f} points less ready than the rest "
            f"({interval_label(interval)} {-difference.high:.1f} to {-difference.low:.1f})."
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
            f"Response was low (below {nf.share(threshold)}, or below half the organisation's rate) in "
            f"{', '.join(headline.low_response_segments)}: their figures describe the people who chose to "
            "answer, who may be keener than their colleagues."
        )
    return (
        f"No segment answered below {nf.share(threshold)} or below half the organisation's rate; even so, people "
        "who answer a survey about AI may be keener than those who do not."
    )


def readiness_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = unavailable_reason(package)
    if reason:
        return [reason]
    headline = readiness_headline(package)
    unmatched = int(package.table("survey")["person_id"].isna().sum())
    minimum, level = package.settings.privacy.min_group_size, package.settings.statistics.interval
    if headline.organisation_index is None:
        return [
            f"Fewer than {minimum} matched respondents have a readiness index, so no readiness figure can be "
            "shown without identifying people."
        ]
    findings = [
        f"The organisation's readiness index is {headline.organisation_index:.1f} out of 100 ({interval_label(level)} "
        f"{headline.organisation_index_low:.1f} to {headline.organisation_index_high:.1f}), from "
        f"{headline.respondents_with_index:,} matched respondents"
        + (f"; {unmatched:,} unmatched response(s) were left out." if unmatched else ".")
    ]
    findings.append(pilot_sentence(headline, pilot_difference(package), level))
    findings += [s for s in (widest_gap_sentence(package), segment_range_sentence(package)) if s]
    findings += [reliability_sentence(package, headline), response_sentence(package, headline)]
    return findings

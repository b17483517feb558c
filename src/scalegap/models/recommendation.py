"""The executive summary's recommendation (go / go with conditions / not yet) and the gaps ranked by what they cost.

Gaps.  The conversion rate is the product of four factors (:mod:`scalegap.models.conversion`), so each factor
below 1 is a *gap* between the pilot and production.  Its **effect** is what the conversion rate would gain if
that factor alone were 1, the others unchanged: ``rate ÷ factor − rate``.  The interval of the effect is the
percentile interval of the same quantity over the conversion study's bootstrap replicates.  Gaps are ranked by
their effect, largest first; the effects do not add up (closing two gaps gains more than the sum of their
effects, because the factors multiply).  Each gap is named in the executive's language with the lever that
closes it and the chapter that explains it (:data:`GAP_LEVERS`).

The recommendation rule (stated on the page with the figures that decided it):

* **Go** when the lower end of the interval of the net value per seat per year at full rollout is above zero,
  no operational scorecard metric is red, and no governance item that must close before rollout is open;
* **Go with conditions** when the estimate of the net value per seat is above zero but one of those fails:
  the conditions list the red metrics, the open before-rollout governance items (a checklist that was not
  provided counts as open), and the interval reaching zero or below;
* **Not yet** when the estimate of the net value per seat is zero or below, or when the conversion rate cannot
  be estimated (the reason says what is missing).

For ``value_metric: quality_score`` there is no money: the conversion rate stands in for the net value per seat
and :data:`MIN_RATE_WITHOUT_MONEY` for zero (production must keep more than that share of the pilot's gain per
person).  Everything is read from results.json's content, so the rule can be checked against that file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.conversion import FACTORS, ConversionStudy
from scalegap.vocabulary import agreeing, counted

GO, GO_WITH_CONDITIONS, NOT_YET = "Go", "Go with conditions", "Not yet"
#: for a quality score (no money): the conversion rate production must exceed, instead of a net value of zero
MIN_RATE_WITHOUT_MONEY = 0.5
#: how many gaps the executive summary shows
GAPS_SHOWN = 3


@dataclass(frozen=True)
class GapLever:
    name: str
    lever: str
    chapter: str
    page: str


GAP_LEVERS = {
    "adoption": GapLever(
        "Fewer people take it up than in the pilot",
        "Readiness and adoption of the people who did not volunteer",
        "Adoption",
        "30_adoption",
    ),
    "effect": GapLever(
        "Each user gains less than the pilot's users did",
        "Who uses it, and how well it works for their teams",
        "Configuration portability",
        "40_configuration_portability",
    ),
    "data_mix": GapLever(
        "Production's records are messier than the pilot's",
        "Cleaning up messy records before rollout",
        "Data reality",
        "35_data_reality",
    ),
    "sustainment": GapLever(
        "The service desk answers more slowly than the pilot's build team did",
        "Service-desk capacity",
        "Support model",
        "50_support",
    ),
}


# --- gaps ------------------------------------------------------------------------------------------------------


def gap_effect(rate: float, factor: float) -> float:
    """What the conversion rate gains if ``factor`` alone were 1: ``rate ÷ factor − rate``."""
    return rate / factor - rate


@dataclass(frozen=True)
class Gap:
    """A factor below 1: its value, its effect on the conversion rate (with interval), and who closes it."""

    factor: str
    name: str
    factor_value: float
    effect: float
    effect_low: float | None
    effect_high: float | None
    lever: str
    chapter: str
    page: str

    def as_dict(self) -> dict[str, Any]:
        return {key: round(value, 6) if isinstance(value, float) else value for key, value in asdict(self).items()}


def effect_intervals(study: ConversionStudy) -> dict[str, tuple[float, float]]:
    """Per factor: the interval of its gap effect over the bootstrap replicates."""
    return {f: study.interval_of(lambda e, f=f: gap_effect(e.conversion_rate, e.factors[f])) for f in FACTORS}


def ranked_gaps(conversion: dict[str, Any], intervals: dict[str, tuple[float, float]] | None = None) -> list[Gap]:
    """The factors below 1 of results.json's ``conversion`` block, largest effect first."""
    rate, intervals = conversion["conversion_rate"], intervals or {}
    gaps = []
    for factor, span in conversion["factors"].items():
        value = span["estimate"]
        if value >= 1:
            continue
        low, high = intervals.get(factor, (None, None))
        lever = GAP_LEVERS[factor]
        gaps.append(
            Gap(factor, lever.name, value, gap_effect(rate, value), low, high, lever.lever, lever.chapter, lever.page)
        )
    return sorted(gaps, key=lambda gap: gap.effect, reverse=True)


# --- the recommendation ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """The verdict, the rule that gave it, why (the first reason is the one-sentence answer), and the conditions:
    what must be settled before the rollout starts (for *not yet*: also open)."""

    verdict: str
    rule: str
    reasons: tuple[str, ...]
    conditions: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "rule": self.rule,
            "reasons": list(self.reasons),
            "conditions": list(self.conditions),
        }

    @classmethod
    def from_dict(cls, block: dict[str, Any]) -> Recommendation:
        return cls(block["verdict"], block["rule"], tuple(block["reasons"]), tuple(block["conditions"]))


@dataclass(frozen=True)
class Measure:
    """What the verdict is decided on: the net value per seat (``currency`` set) or the conversion rate (None),
    its estimate and interval, and the threshold it must be above."""

    name: str
    estimate: float
    low: float
    high: float
    threshold: float
    currency: str | None

    def text(self, value: float) -> str:
        return f"{nf.share(value)}" if self.currency is None else money_text(value, self.currency)


def money_text(amount: float, currency: str) -> str:
    return f"{'−' if amount < 0 else ''}{currency} {abs(amount):,.0f}"


def decision_measure(conversion: dict[str, Any]) -> Measure:
    """The net value per seat per year (money), or the conversion rate against its threshold (quality score)."""
    money = conversion.get("money")
    if money:
        net = money["net_value_per_seat_per_year"]
        return Measure(
            "net value per seat per year at full rollout",
            net["estimate"],
            net["low"],
            net["high"],
            0.0,
            money["currency"],
        )
    low, high = conversion["conversion_rate_interval"]
    return Measure("conversion rate", conversion["conversion_rate"], low, high, MIN_RATE_WITHOUT_MONEY, None)


def rule_text(interval: float, with_money: bool) -> str:
    """The rule, stated for the page."""
    if with_money:
        what, above, below = (
            "the net value per seat per year at full rollout (the value of the time saved per "
            "employee, less the licence)",
            "above zero",
            "zero or below",
        )
    else:
        what, above, below = (
            "the conversion rate (there is no money value for a quality score)",
            f"above {nf.share(MIN_RATE_WITHOUT_MONEY)}",
            f"{nf.share(MIN_RATE_WITHOUT_MONEY)} or below",
        )
    return (
        f"Go when the whole {nf.interval_label(interval)} of {what} is {above}, no operational scorecard metric is "
        "red, "
        "and no governance item that must close before rollout is open. Go with conditions when the estimate "
        f"is {above} but one of those fails; the conditions say which. Not yet when the estimate is {below}, "
        "or when the conversion rate cannot be estimated."
    )


def plural(count: int, word: str) -> str:
    """``count`` and ``word`` in agreement (:func:`scalegap.vocabulary.counted`)."""
    return counted(count, word)


def green_rule(rule: str | None) -> str | None:
    """``'green ≤ 0.05; amber ≤ 0.15; red otherwise'`` → ``'≤ 0.05'`` (None when the rule names no green)."""
    first = (rule or "").split(";")[0].strip()
    return first.removeprefix("green").lstrip(": ").strip() or None if first.startswith("green") else None


def red_metric_conditions(document: dict[str, Any]) -> list[str]:
    """One condition per red scorecard metric (from ``scorecard_red``, else the names in ``scorecard``)."""
    detail = document.get("scorecard_red")
    if detail is None:
        detail = [
            {"metric": name, "value": None, "rule": None}
            for name in (document.get("scorecard") or {}).get("red_metrics") or []
        ]
    conditions = []
    for row in detail:
        head, _, what = (part.strip() for part in row["metric"].partition(":"))
        green = green_rule(row["rule"])
        facts = ", ".join(([what] if what else []) + ([f"now {row['value']}"] if row["value"] else []))
        conditions.append(
            f"Bring {head.lower() if what else head} to green"
            + (f": {facts}" if facts else "")
            + (f"; green needs {green}" if green else "")
            + " (Operational scorecard chapter)."
        )
    return conditions


def governance_conditions(document: dict[str, Any]) -> list[str]:
    """What governance must settle before rollout: items to put in place, owners to name, or a missing checklist."""
    governance = document.get("governance") or {}
    if not governance.get("items"):
        return [
            "Complete the governance checklist, and close what it shows must be in place before rollout: "
            "without it, nothing shows that the assistant can be run safely in production (Governance readiness "
            "chapter)."
        ]
    items = document.get("governance_before_rollout")
    if items is None:
        count = governance.get("before_rollout") or 0
        return (
            [
                f"Settle the {plural(count, 'governance item')} that must close before rollout (Governance "
                "readiness chapter)."
            ]
            if count
            else []
        )
    build = [f"{i['area'].lower()} ({i['item']})" for i in items if i["action"].startswith("Put it in place")]
    owner = [i["item"] for i in items if not i["action"].startswith("Put it in place")]
    conditions = (
        [
            f"Put in place, each with a named owner, {plural(len(build), 'governance item')} that must exist "
            f"before rollout: {', '.join(build)} (Governance readiness chapter)."
        ]
        if build
        else []
    )
    if owner:
        more = "more governance item" if build else "governance item"
        conditions.append(
            f"Name an owner for {plural(len(owner), more)} that must have one before rollout: {', '.join(owner)}."
        )
    return conditions


def failed_checks(document: dict[str, Any]) -> list[str]:
    """The operational checks of the rule that fail, as short phrases."""
    red = len(red_metric_conditions(document))
    governance = document.get("governance") or {}
    phrases = [f"{plural(red, 'operational scorecard metric')} {'is' if red == 1 else 'are'} red"] if red else []
    if not governance.get("items"):
        phrases.append("no governance checklist was provided")
    elif governance.get("before_rollout"):
        count = governance["before_rollout"]
        phrases.append(f"{plural(count, 'governance item')} must be settled before rollout")
    return phrases


def value_clause(measure: Measure, interval: float, with_money: bool) -> str:
    """The measure in words, with its interval: the first half of the one-sentence answer."""
    span = f"{nf.interval_label(interval)} {measure.text(measure.low)} to {measure.text(measure.high)}"
    if not with_money:
        side = "above" if measure.estimate > measure.threshold else "not above"
        return (
            f"production is expected to keep {measure.text(measure.estimate)} of the pilot's gain per person "
            f"({span}), {side} the {nf.share(measure.threshold)} the rule requires"
        )
    amount = money_text(abs(measure.estimate), measure.currency or "")
    if measure.estimate > 0:
        return f"at full rollout each seat is expected to return {amount} a year more than its licence costs ({span})"
    return (
        f"at full rollout each seat is expected to cost {amount} a year more than the time it saves is worth ({span})"
    )


def sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def recommend(document: dict[str, Any]) -> Recommendation:
    """The verdict by the rule of the module docstring, from results.json's content."""
    conversion = document.get("conversion") or {}
    with_money = bool(conversion.get("money")) if conversion.get("available") else True
    rule = rule_text(conversion.get("interval", 0.9), with_money)
    conditions, failed = red_metric_conditions(document) + governance_conditions(document), failed_checks(document)
    if not conversion.get("available"):
        reason = conversion.get("reason") or "the conversion chapter's figures are missing."
        why = (
            "The conversion rate cannot be estimated, so nothing yet shows that a rollout would pay for itself: "
            + availability.bare_reason(reason)
            + "."
        )
        return Recommendation(NOT_YET, rule, (why,), tuple(conditions))
    measure, interval = decision_measure(conversion), conversion["interval"]
    clause, notes = value_clause(measure, interval, with_money), drawn_reason(conversion)
    if measure.estimate <= measure.threshold:
        return Recommendation(NOT_YET, rule, (sentence(clause),) + notes, tuple(conditions))
    if measure.low <= measure.threshold:
        failed.append(f"the interval reaches {measure.text(measure.low)}")
        conditions.append(
            f"Confirm the value with the first wave before widening the rollout: the {nf.share(interval)} "
            f"interval of the {measure.name} reaches {measure.text(measure.low)}, so the rollout could "
            + ("cost more than it returns." if with_money else "fall short of the threshold.")
        )
    if not failed:
        why = sentence(
            f"{clause}; no operational scorecard metric is red and no governance item that must close "
            "before rollout is open"
        )
        return Recommendation(GO, rule, (why,) + notes, ())
    return Recommendation(
        GO_WITH_CONDITIONS, rule, (sentence(f"{clause}, but {and_list(failed)}"),) + notes, tuple(conditions)
    )


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def drawn_reason(conversion: dict[str, Any]) -> tuple[str, ...]:
    notes = conversion.get("notes") or []
    return (
        (
            f"{counted(len(notes), 'quantity')} behind the estimate could not be measured in the data and "
            f"{agreeing(len(notes), 'was drawn from a stated range', 'were drawn from stated ranges')}; the interval "
            "includes that uncertainty.",
        )
        if notes
        else ()
    )

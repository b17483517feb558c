"""The operational scorecard: beside the pilot's outcome, the production metrics that decide whether it survives.

Method (the methodology appendix says the same in prose):

* **Outcome.** Minutes saved per assisted task = mean minutes of unassisted outcome records − mean minutes of
  assisted ones, over every record with minutes.  A simple comparison of means, not adjusted for who used the
  assistant or for which tasks: provisional until the conversion chapter.
* **Reliability.** Reliability tickets are tickets whose category or labels contain one of
  ``scorecard.reliability_words`` (outage, incident, bug, …); the figure is reliability tickets ÷
  people with at least one active day in the usage data.
* **Security and compliance.** Governance items whose area contains one of ``scorecard.compliance_areas`` (data
  protection, incident): the share in place.  Any absent item is red, any partial item amber.
* **Integration, support burden** come from results.json (the integration and support chapters' headlines);
  the support burden is agents needed at full rollout ÷ the current desk.
* **User satisfaction.** The readiness chapter's construct scores (0–100, whole organisation) for the
  constructs named in ``scorecard.satisfaction_constructs``; ticket satisfaction where tickets carry a rating.

Each metric gets red / amber / green from a threshold stated beside it (:func:`status_for`): for a metric
where more is better, green at or above the green threshold, amber at or above the amber one, red below; the
reverse where less is better.  A metric without data is "not measured", never green.  The thresholds are the
``scorecard`` section of assessment.yml (:class:`scalegap.settings.ScorecardSettings`, defaults in
``scalegap/defaults/assessment.yml``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability, readiness
from scalegap.models.results import read_results
from scalegap.package import PreparedPackage
from scalegap.settings import ScorecardSettings

GREEN, AMBER, RED, NOT_MEASURED = "green", "amber", "red", "not measured"


@dataclass(frozen=True)
class ScorecardRow:
    metric: str
    value: str
    status: str
    rule: str
    #: the measured number and the thresholds that scored it (None for a metric scored otherwise, or not measured)
    measured: float | None = None
    thresholds: tuple[float, float, bool] | None = None


@dataclass(frozen=True)
class Scorecard:
    rows: tuple[ScorecardRow, ...]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(row.metric, row.value, row.status, row.rule) for row in self.rows],
            columns=["Metric", "Value", "Status", "Threshold that set it"],
        )

    def scored(self) -> tuple[ScorecardRow, ...]:
        """The rows measured against numeric thresholds: the ones a figure can place between them."""
        return tuple(row for row in self.rows if row.measured is not None and row.thresholds is not None)

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)


def status_for(value: float | None, green: float, amber: float, higher_is_better: bool = True) -> str:
    """Red / amber / green; the boundaries belong to the better status (``value == green`` is green)."""
    if value is None or pd.isna(value):
        return NOT_MEASURED
    if not higher_is_better:
        value, green, amber = -value, -green, -amber
    return GREEN if value >= green else AMBER if value >= amber else RED


def rule_text(green: float, amber: float, higher_is_better: bool, fmt: str = "{:g}") -> str:
    sign = "≥" if higher_is_better else "≤"
    return f"green {sign} {fmt.format(green)}; amber {sign} {fmt.format(amber)}; red otherwise"


def row(
    metric: str, value: float | None, shown: str, thresholds: tuple[float, float, bool], fmt: str = "{:g}"
) -> ScorecardRow:
    """A scored row; ``thresholds`` is (green, amber, higher is better), as :meth:`ScorecardSettings.thresholds`."""
    return ScorecardRow(
        metric,
        "not measured" if value is None else shown,
        status_for(value, *thresholds),
        rule_text(*thresholds, fmt),
        None if value is None or pd.isna(value) else float(value),
        thresholds,
    )


def words_pattern(words: list[str]) -> str:
    """A case-insensitive "any of these words" pattern for lower-cased text (the words taken literally)."""
    return "|".join(re.escape(word.lower()) for word in words)


def minutes_saved(outcomes: pd.DataFrame) -> float | None:
    """Mean minutes unassisted − mean minutes assisted; None without both kinds of record."""
    timed = outcomes.dropna(subset=["minutes_taken", "assisted"])
    assisted = timed["assisted"].astype(bool)
    if not assisted.any() or assisted.all():
        return None
    return float(timed.loc[~assisted, "minutes_taken"].mean() - timed.loc[assisted, "minutes_taken"].mean())


def reliability_tickets(tickets: pd.DataFrame, words: list[str]) -> pd.Series:
    """True for tickets whose category or labels mention one of ``words`` (outage, incident, bug, …;
    case-insensitive)."""
    text = (tickets["category"].fillna("").astype(str) + " " + tickets["labels"].fillna("").astype(str)).str.lower()
    return text.str.contains(words_pattern(words), regex=True)


def active_users(package: PreparedPackage) -> int | None:
    if not availability.usable(package, "usage"):
        return None
    usage = package.table("usage")
    return int(usage.loc[usage["interactions"].fillna(1) > 0, "person_id"].dropna().nunique())


def reliability_per_user(package: PreparedPackage, thresholds: ScorecardSettings) -> float | None:
    users = active_users(package)
    if not availability.usable(package, "tickets") or not users:
        return None
    return float(reliability_tickets(package.table("tickets"), thresholds.reliability_words).sum() / users)


def compliance_items(governance: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """The governance items whose area mentions one of ``areas`` (case-insensitive)."""
    return governance[governance["area"].fillna("").str.lower().str.contains(words_pattern(areas), regex=True)]


def compliance_row(package: PreparedPackage, t: ScorecardSettings) -> ScorecardRow:
    metric = "Security and compliance: data-protection and incident items in place"
    rule = "green: all in place; amber: none absent; red: any absent"
    items = (
        compliance_items(package.table("governance"), t.compliance_areas)
        if availability.usable(package, "governance")
        else None
    )
    if items is None or items.empty:
        return ScorecardRow(metric, "not measured", NOT_MEASURED, rule)
    status = items["status"]
    verdict = RED if status.eq("absent").any() else GREEN if status.eq("in_place").all() else AMBER
    return ScorecardRow(
        metric,
        f"{int(status.eq('in_place').sum())} of {len(items)} ({int(status.eq('absent').sum())} absent)",
        verdict,
        rule,
    )


def construct_rows(package: PreparedPackage, t: ScorecardSettings) -> list[ScorecardRow]:
    """One row per satisfaction construct (organisation's mean score 0–100); none without a survey."""
    profile = readiness.construct_profile(package)
    mine = profile[profile["Group"].eq(readiness.ORGANISATION)]
    rows = []
    for _, item in mine.iterrows():
        if not any(word.lower() in str(item["Construct"]).lower() for word in t.satisfaction_constructs):
            continue
        score = None if pd.isna(item["Score"]) else float(item["Score"])
        rows.append(
            row(
                f"User satisfaction: {item['Construct']} (survey score 0–100)",
                score,
                f"{score:.1f}" if score is not None else "",
                t.thresholds("construct_score"),
            )
        )
    return rows or [satisfaction_not_measured(t)]


def satisfaction_not_measured(t: ScorecardSettings) -> ScorecardRow:
    return ScorecardRow(
        "User satisfaction (survey constructs)",
        "not measured",
        NOT_MEASURED,
        rule_text(*t.thresholds("construct_score")),
    )


def ticket_satisfaction_row(package: PreparedPackage) -> ScorecardRow | None:
    """Share of rated tickets; shown for information (no status) since rating scales differ by tool."""
    if not availability.usable(package, "tickets"):
        return None
    rated = package.table("tickets")["satisfaction"].dropna()
    if rated.empty:
        return None
    return ScorecardRow(
        "User satisfaction: tickets with a satisfaction rating",
        f"{len(rated):,}",
        NOT_MEASURED,
        "rating scale not standardised: shown, not scored",
    )


def production_rows(results: dict[str, Any], t: ScorecardSettings) -> list[ScorecardRow]:
    """Integration and support burden, from results.json."""
    integration, support = results.get("integration") or {}, results.get("support") or {}
    hours = integration.get("production_manual_hours_per_week") if integration.get("workflows") else None
    first = integration.get("first_to_break") or "none"
    agents, current = support.get("agents_needed_full_rollout"), support.get("current_agents")
    ratio = agents / current if support.get("tickets") and agents is not None and current else None
    share = support.get("capacity_break_share")
    return [
        row(
            "Integration: manual hours a week at full rollout",
            hours,
            f"{hours:,.0f} h (first to break: {first})" if hours is not None else "",
            t.thresholds("manual_hours"),
        ),
        row(
            "Support burden: agents needed ÷ current agents at full rollout",
            ratio,
            f"{ratio:.2f} ({agents:.1f} needed vs {current:g}; "
            f"{support.get('tickets_per_week_full_rollout', 0):.0f} tickets a week; capacity breaks at "
            f"{'full rollout' if share is None else f'{nf.share(share)} of the organisation'})"
            if ratio is not None
            else "",
            t.thresholds("agents_ratio"),
        ),
    ]


def scorecard(package: PreparedPackage, results: dict[str, Any] | None = None) -> Scorecard:
    """The scorecard's rows in reading order: outcome, reliability, compliance, integration, satisfaction, support,
    scored against the ``scorecard`` thresholds of the package's settings.

    ``results`` are the other chapters' headline figures (results.json's content); read from the prepared
    package when not given.
    """
    t, results = package.settings.scorecard, results if results is not None else read_results(package)
    saved = minutes_saved(package.table("outcomes")) if availability.usable(package, "outcomes") else None
    reliability = reliability_per_user(package, t)
    rows = [
        row(
            "Outcome: minutes saved per assisted task (simple comparison of means)",
            saved,
            f"{saved:.1f} min" if saved is not None else "",
            t.thresholds("minutes_saved"),
        ),
        row(
            "Reliability: outage, incident and bug tickets per active user",
            reliability,
            f"{nf.factor(reliability)}" if reliability is not None else "",
            t.thresholds("reliability_tickets_per_user"),
        ),
        compliance_row(package, t),
    ]
    integration, support = production_rows(results, t)
    satisfaction = (
        construct_rows(package, t) if not readiness.unavailable_reason(package) else [satisfaction_not_measured(t)]
    )
    ticket_rating = ticket_satisfaction_row(package)
    return Scorecard(tuple([*rows, integration, *satisfaction, *([ticket_rating] if ticket_rating else []), support]))


SCORED_TABLES = ("outcomes", "usage", "tickets", "governance", "survey")


def missing_tables(package: PreparedPackage) -> list[str]:
    """What the scorecard could not use, each with its reason: "support tickets (no support tickets were
    supplied)"."""
    return [f"{status.label} ({status.reason})" for status in availability.unavailable(package, SCORED_TABLES)]


@dataclass(frozen=True)
class ScorecardHeadline:
    metrics: int
    green: int
    amber: int
    red: int
    not_measured: int
    red_metrics: list[str]
    minutes_saved_per_assisted_task: float | None
    reliability_tickets_per_active_user: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def scorecard_headline(package: PreparedPackage, results: dict[str, Any] | None = None) -> ScorecardHeadline:
    card = scorecard(package, results)
    saved = minutes_saved(package.table("outcomes")) if availability.usable(package, "outcomes") else None
    reliability = reliability_per_user(package, package.settings.scorecard)
    return ScorecardHeadline(
        metrics=len(card.rows),
        green=card.count(GREEN),
        amber=card.count(AMBER),
        red=card.count(RED),
        not_measured=card.count(NOT_MEASURED),
        red_metrics=[r.metric for r in card.rows if r.status == RED],
        minutes_saved_per_assisted_task=None if saved is None else round(saved, 3),
        reliability_tickets_per_active_user=None if reliability is None else round(reliability, 6),
    )


def scorecard_findings(package: PreparedPackage, results: dict[str, Any] | None = None) -> list[str]:
    """Plain sentences for "What this means"."""
    results = results if results is not None else read_results(package)
    headline, card = scorecard_headline(package, results), scorecard(package, results)
    findings = [
        f"Of {headline.metrics} metrics, {headline.green} are green, {headline.amber} amber and "
        f"{headline.red} red; {headline.not_measured} could not be measured from the data provided."
    ]
    if headline.red_metrics:
        findings.append(
            "Red, to fix before production: "
            + "; ".join(f"{r.metric.split(':')[0].lower()} ({r.value})" for r in card.rows if r.status == RED)
            + "."
        )
    if headline.minutes_saved_per_assisted_task is not None:
        findings.append(
            f"Assisted tasks took {headline.minutes_saved_per_assisted_task:.1f} minutes less on "
            "average than unassisted ones; this is a raw comparison of means, provisional until the "
            "conversion chapter adjusts for who used the assistant and on which tasks."
        )
    missing = missing_tables(package)
    if missing:
        findings.append("Not assessed, so their metrics are not measured: " + "; ".join(missing) + ".")
    return findings

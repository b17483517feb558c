"""The rollout plan: cohorts by department, ordered, sized to the support capacity, with gates between them.

Method (the methodology appendix says the same in prose):

* **Inputs per department.** Readiness index (readiness chapter, :func:`readiness.segment_readiness`),
  predicted production adoption with its interval (``statistics.interval``) and method (adoption chapter's
  forecast as the summarise step wrote it to results.json, ``adoption_by_department``, from
  :func:`scalegap.models.adoption.demographic_cliff.forecast_by_department`;
  "extrapolated" where the department had no one to learn from) and projected
  tickets per person a week at full rollout (support chapter, :func:`support.projection_by_segment`: its tickets
  per week ÷ headcount, and the upper end of its interval).  Departments below the minimum group size are pooled
  as one group, "Smaller departments".
* **Order.** Departments with their own adoption estimate first, extrapolated ones after; within each, by
  predicted adoption, then readiness index, highest first (missing values last).
* **Size.** The *capacity per cohort* is the weekly tickets the current service desk answers at its target
  service level (support chapter: the capacity break share × projected tickets a week at full rollout).  A cohort
  takes departments in order while the upper end of its projected weekly tickets stays within that capacity; a
  department that alone exceeds it is split into parts of ``floor(capacity ÷ upper tickets per person)`` people.
  An extrapolated department starts with a test group of ``rollout.test_group_size`` people.  Parts
  are never smaller than the minimum group size.  Without a support projection, each department is one cohort.
  The rule means that before each new cohort the desk must have grown by one current desk's capacity (a gate).
* **Timing.** Cohorts start ``weeks_per_cohort`` weeks apart; the gate is checked at the end of each cohort's
  first ``weeks_per_cohort`` weeks, before the next starts.
* **Value.** Expected adopters = headcount × predicted adoption (interval: headcount × its ends).

Assumptions: a department's adoption and ticket rate at full rollout apply to any part of it; cohorts do not
change each other's adoption; the capacity is the current desk's and is added to, cohort by cohort.

The pace and the gates are the ``rollout`` section of assessment.yml (:class:`scalegap.settings.RolloutSettings`,
defaults in ``scalegap/defaults/assessment.yml``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import adoption, availability, readiness, support
from scalegap.models.adoption.demographic_cliff import EXTRAPOLATION, METHOD_NAMES
from scalegap.models.results import read_results, results_block
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage
from scalegap.settings import RolloutSettings
from scalegap.vocabulary import agreeing, counted

POOLED = "Smaller departments"
COLUMNS = [
    "department",
    "headcount",
    "readiness",
    "adoption",
    "adoption_low",
    "adoption_high",
    "extrapolated",
    "tickets_per_person",
    "tickets_per_person_high",
]

ADOPTION_COLUMNS = ["department", "adoption", "adoption_low", "adoption_high", "extrapolated"]


def order_departments(segments: pd.DataFrame) -> pd.DataFrame:
    """Own estimate before extrapolated; then predicted adoption, then readiness, highest first (missing last)."""
    keyed = segments.assign(
        _adoption=segments["adoption"].fillna(-1),
        _readiness=segments["readiness"].fillna(-1),
        _pooled=segments["department"].eq(POOLED),
    )
    keyed = keyed.sort_values(
        ["_pooled", "extrapolated", "_adoption", "_readiness", "department"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    return keyed.drop(columns=["_adoption", "_readiness", "_pooled"]).reset_index(drop=True)


def department_parts(row: pd.Series, capacity: float | None, test_group: int, minimum: int) -> list[tuple[int, str]]:
    """(headcount, label) of a department's parts: a test group first if extrapolated, then parts within capacity."""
    headcount, per_person = int(row["headcount"]), row["tickets_per_person_high"]
    parts: list[tuple[int, str]] = []
    if row["extrapolated"] and headcount > test_group + minimum:
        parts.append((test_group, "test group"))
        headcount -= test_group
    most = (
        headcount
        if capacity is None or pd.isna(per_person) or per_person <= 0
        else max(minimum, math.floor(capacity / per_person))
    )
    sizes = []
    while headcount > most:
        take = most if headcount - most >= minimum else headcount - minimum
        sizes.append(take)
        headcount -= take
    sizes.append(headcount)
    return parts + [(size, "" if len(sizes) == 1 and not parts else f"part {n + 1}") for n, size in enumerate(sizes)]


def size_cohorts(ordered: pd.DataFrame, capacity: float | None, test_group: int, minimum: int) -> pd.DataFrame:
    """One row per (cohort, department or part): whole departments packed in order while the cohort's upper weekly
    tickets stay within ``capacity``; a test group or a part of a split department is a cohort of its own."""
    rows, cohort, load = [], 0, math.inf
    for _, row in ordered.iterrows():
        per_person = row["tickets_per_person_high"] if pd.notna(row["tickets_per_person_high"]) else 0.0
        for people, part in department_parts(row, capacity, test_group, minimum):
            if capacity is None or part or load + people * per_person > capacity:
                cohort, load = cohort + 1, 0.0
            load = math.inf if part else load + people * per_person
            rows.append({"cohort": cohort, **row.to_dict(), "people": people, "part": part})
    return pd.DataFrame(rows)


def readiness_by_department(package: PreparedPackage) -> pd.DataFrame:
    if readiness.unavailable_reason(package):
        roster = package.table("roster")
        return roster.groupby("department").size().rename("headcount").reset_index().assign(readiness=np.nan)
    table = readiness.segment_readiness(package, "department")
    return pd.DataFrame(
        {
            "department": table["Department"].astype(str),
            "headcount": table["Headcount"],
            "readiness": table["Readiness index"],
        }
    )


def adoption_by_department(results: dict[str, Any], package: PreparedPackage) -> pd.DataFrame:
    """The adoption chapter's production forecast per department, from results.json's ``adoption_by_department``
    (empty without usage data; suppressed departments' figures missing)."""
    block = results_block(results, "adoption_by_department", package)
    extrapolation = METHOD_NAMES[EXTRAPOLATION]
    rows = [
        {
            "department": department,
            "adoption": entry["forecast"],
            "adoption_low": entry["low"],
            "adoption_high": entry["high"],
            "extrapolated": entry["method"] == extrapolation,
        }
        for department, entry in block.items()
    ]
    return pd.DataFrame(rows, columns=ADOPTION_COLUMNS).astype(
        {"adoption": "float64", "adoption_low": "float64", "adoption_high": "float64"}
    )


def tickets_by_department(package: PreparedPackage) -> pd.DataFrame:
    """Projected tickets per person a week at full rollout (and the interval's upper end), per department."""
    table = support.projection_by_segment(package) if not support.projection_unavailable_reason(package) else None
    if table is None or table.empty or "Department" not in table:
        return pd.DataFrame(columns=["department", "tickets_per_person", "tickets_per_person_high"])
    return pd.DataFrame(
        {
            "department": table["Department"].astype(str),
            "tickets_per_person": table["Tickets per week"] / table["Headcount"],
            "tickets_per_person_high": table["Interval high"] / table["Headcount"],
        }
    )


def pool_small(segments: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Departments below the minimum group size (or suppressed) pooled into one row, their figures not shown."""
    small = segments["headcount"].isna() | (segments["headcount"] < minimum)
    if not small.any():
        return segments
    headcount = segments.loc[small, "headcount"].fillna(0).sum()
    pooled = {column: np.nan for column in COLUMNS} | {
        "department": POOLED,
        "headcount": headcount,
        "extrapolated": True,
    }
    return pd.concat([segments[~small], pd.DataFrame([pooled])], ignore_index=True)


def segment_inputs(package: PreparedPackage, results: dict[str, Any]) -> pd.DataFrame:
    """Per department: headcount, readiness, adoption forecast and interval, extrapolated, tickets per person."""
    roster = package.table("roster")
    merged = (
        roster.groupby("department")
        .size()
        .rename("headcount")
        .reset_index()
        .assign(department=lambda f: f["department"].astype(str))
        .merge(readiness_by_department(package).drop(columns="headcount"), on="department", how="left")
        .merge(adoption_by_department(results, package), on="department", how="left")
        .merge(tickets_by_department(package), on="department", how="left")
    )
    merged["extrapolated"] = merged["extrapolated"].astype("boolean").fillna(False).astype(bool)
    return pool_small(merged[COLUMNS], package.settings.privacy.min_group_size)


def capacity_per_cohort(results: dict[str, Any]) -> float | None:
    """Weekly tickets the current desk answers at its target: break share × tickets a week at full rollout."""
    figures = results.get("support") or {}
    full = figures.get("tickets_per_week_full_rollout")
    if not figures.get("tickets") or full is None:
        return None
    share = figures.get("capacity_break_share")
    return float(full if share is None else share * full)


def merge_small_cohorts(parts: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """A cohort of fewer than ``minimum`` people joins the cohort before it (the first joins the next)."""
    parts = parts.copy()
    sizes = parts.groupby("cohort")["people"].sum()
    for cohort in sizes.index[sizes < minimum]:
        if len(sizes) > 1:
            target = cohort - 1 if cohort > sizes.index.min() else cohort + 1
            parts.loc[parts["cohort"] == cohort, "cohort"] = target
    parts["cohort"] = parts["cohort"].rank(method="dense").astype(int)
    return parts


def cohort_table(parts: pd.DataFrame, weeks_per_cohort: int) -> pd.DataFrame:
    """Per cohort: departments (with part), headcount, start and gate week, expected adopters and interval,
    projected weekly tickets (upper end)."""
    parts = parts.assign(
        label=[f"{d} ({p})" if p else d for d, p in zip(parts["department"], parts["part"])],
        adopters=parts["people"] * parts["adoption"],
        adopters_low=parts["people"] * parts["adoption_low"],
        adopters_high=parts["people"] * parts["adoption_high"],
        tickets_high=parts["people"] * parts["tickets_per_person_high"],
    )
    table = (
        parts.groupby("cohort")
        .agg(
            departments=("label", ", ".join),
            headcount=("people", "sum"),
            adopters=("adopters", lambda v: v.sum(min_count=len(v))),
            adopters_low=("adopters_low", lambda v: v.sum(min_count=len(v))),
            adopters_high=("adopters_high", lambda v: v.sum(min_count=len(v))),
            tickets_high=("tickets_high", lambda v: v.sum(min_count=len(v))),
        )
        .reset_index()
    )
    table["start_week"] = (table["cohort"] - 1) * weeks_per_cohort
    table["gate_week"] = table["start_week"] + weeks_per_cohort
    return table


@dataclass(frozen=True)
class Gate:
    metric: str
    threshold: str


def gates(results: dict[str, Any], package: PreparedPackage, t: RolloutSettings) -> tuple[Gate, ...]:
    """What to check at each gate before the next cohort starts."""
    target = package.settings.support.service_level_target
    minutes = package.settings.support.target_response_minutes
    before = (results.get("governance") or {}).get("before_rollout")
    missing = availability.not_assessed_reason(package, "governance")
    gaps = governance_gate_text(t.governance_gaps_allowed, before, missing)
    return (
        Gate(
            f"Weekly active share of the wave after {t.weeks_per_cohort} weeks",
            f"≥ {nf.share(t.weekly_active_share_gate)}",
        ),
        Gate("Service level of the desk", f"≥ {nf.share(target)} of tickets answered within {minutes:g} minutes"),
        Gate("Wave's tickets per week", "≤ the upper end of the wave's projected tickets per week"),
        Gate("Desk capacity added for the next wave", "one current desk's worth (the sizing rule)"),
        Gate("Governance gaps to close before rollout", gaps),
    )


def governance_gate_text(allowed: int, open_now: int | None, missing: str | None) -> str:
    """The governance gate in words: "none may be open (13 are open now)", "at most 2 may be open (1 is open now)"."""
    limit = "none may be open" if allowed == 0 else f"at most {allowed} may be open"
    if missing:
        return f"{limit} ({missing})"
    if open_now is None:
        return limit
    return f"{limit} ({open_now:,} {agreeing(open_now, 'is', 'are')} open now)"


@dataclass(frozen=True)
class RolloutPlan:
    cohorts: pd.DataFrame
    gates: tuple[Gate, ...]
    capacity_per_cohort: float | None
    missing: tuple[str, ...]
    weeks_per_cohort: int
    #: the level of the adoption forecasts' intervals (``statistics.interval``)
    interval: float

    def table(self) -> pd.DataFrame:
        """The cohorts as the book shows them."""
        c = self.cohorts

        def adopters(v, lo, hi):
            return None if pd.isna(v) else f"{v:,.0f} ({lo:,.0f} to {hi:,.0f})"

        return pd.DataFrame(
            {
                "Wave": c["cohort"],
                "Departments": c["departments"],
                "Headcount": c["headcount"],
                "Starts (week)": c["start_week"],
                "Gate (week)": c["gate_week"],
                f"Expected adopters ({interval_label(self.interval)})": [
                    adopters(*v) for v in zip(c["adopters"], c["adopters_low"], c["adopters_high"])
                ],
                "Tickets per week, upper bound": c["tickets_high"].round(1),
            }
        )

    def gate_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"Gate metric": [g.metric for g in self.gates], "Threshold": [g.threshold for g in self.gates]}
        )


def missing_inputs(package: PreparedPackage) -> tuple[str, ...]:
    reasons = {
        "survey": readiness.unavailable_reason(package),
        "usage": adoption.unavailable_reason(package),
        "tickets": support.projection_unavailable_reason(package),
    }
    return tuple(reason for reason in reasons.values() if reason)


def rollout_plan(package: PreparedPackage, results: dict[str, Any] | None = None) -> RolloutPlan:
    """Cohorts ordered and sized by the rules in the module docstring, with the gates between them, paced by the
    ``rollout`` settings of the package.

    ``results`` are the other chapters' headline figures (results.json's content); read from the prepared
    package when not given.
    """
    results = results if results is not None else read_results(package)
    t, minimum = package.settings.rollout, package.settings.privacy.min_group_size
    capacity = capacity_per_cohort(results)
    ordered = order_departments(segment_inputs(package, results))
    parts = merge_small_cohorts(size_cohorts(ordered, capacity, t.test_group_size, minimum), minimum)
    return RolloutPlan(
        cohort_table(parts, t.weeks_per_cohort),
        gates(results, package, t),
        capacity,
        missing_inputs(package),
        t.weeks_per_cohort,
        package.settings.statistics.interval,
    )


@dataclass(frozen=True)
class RolloutHeadline:
    cohorts: int
    weeks_to_full_rollout: int
    first_cohort: dict[str, Any]
    capacity_tickets_per_week: float | None
    expected_adopters: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rollout_headline(
    package: PreparedPackage, plan: RolloutPlan | None = None, results: dict[str, Any] | None = None
) -> RolloutHeadline:
    plan = plan or rollout_plan(package, results=results)
    first = plan.cohorts.iloc[0]
    total = plan.cohorts["adopters"].sum(min_count=len(plan.cohorts))
    return RolloutHeadline(
        cohorts=len(plan.cohorts),
        weeks_to_full_rollout=int(plan.cohorts["gate_week"].max()),
        first_cohort={"departments": first["departments"], "headcount": int(first["headcount"])},
        capacity_tickets_per_week=None if plan.capacity_per_cohort is None else round(plan.capacity_per_cohort, 3),
        expected_adopters=None if pd.isna(total) else round(float(total), 1),
    )


def rollout_findings(package: PreparedPackage, plan: RolloutPlan | None = None) -> list[str]:
    """Plain sentences for "What this means"."""
    plan = plan or rollout_plan(package)
    headline = rollout_headline(package, plan)
    first = headline.first_cohort
    findings = [
        f"Start with {first['departments']}: {counted(first['headcount'], 'person')}; the plan has "
        f"{counted(headline.cohorts, 'wave')} and reaches everyone in about "
        f"{headline.weeks_to_full_rollout} weeks "
        "if every gate is passed on time."
    ]
    if headline.capacity_tickets_per_week is not None:
        findings.append(
            f"Each wave adds at most about {headline.capacity_tickets_per_week:.0f} tickets a week "
            "(upper bound), what the current service desk answers on target: the desk has to grow by "
            "that much before each next wave, or the rollout waits."
        )
    else:
        findings.append(
            "No support projection is available, so waves are whole departments, not sized to the "
            "service desk's capacity."
        )
    if headline.expected_adopters is not None:
        findings.append(
            f"Expected adopters across all waves: about {headline.expected_adopters:,.0f}, from the "
            "adoption chapter's forecast; extrapolated departments come last, after a test group."
        )
    findings += [f"{reason} The plan does without it." for reason in plan.missing]
    return findings

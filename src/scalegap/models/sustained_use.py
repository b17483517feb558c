"""Sustained use: when someone counts as an adopter, by a rule the consultant can set and see the effect of.

**Sustained use** begins in the first week of the first window of ``adoption.sustained_use.weeks`` consecutive
weeks, each with activity, with at least ``adoption.sustained_use.days_per_week`` active days a week on
average; the day it begins is the first active day of that week.  An average over the window, not a minimum
for each week, so that one light week (a holiday, a day off) does not reset a regular user.

The default, 1.5 active days a week over 3 consecutive weeks (5 active days in three weeks, each with activity),
was chosen on the calibration study's two generators of deployments, whose true adopters are known
(:mod:`scalegap.studies.calibration`).  Someone active about one day a fortnight strings three active weeks together now
and then: under a rule of one day a week, 6.9 % of the second generator's rollout cohorts counted as adopters
who were not (0.6 % under the default), while true adopters missed moved only from 1.1 % to 1.6 % there and from
8.6 % to 9.6 % on the first generator (most of those start after the data end, under any rule).  Over 20
deployments of each generator the default lowered the conversion rate's median absolute error from 0.109 to
0.069 and from 0.056 to 0.053.  The chapter still shows how much the rule matters (:func:`threshold_table`).

**Occasional users** were active in at least :data:`OCCASIONAL_WEEKS` different weeks but never reached
sustained use: they came back now and then, and are counted apart, not as adopters.  (Someone active in one
week only tried it: in a rollout whose access starts at first use, everyone was active at least once.)

Where the usage export does not record every active day (Microsoft 365's usage report gives only each
person's last active day per app and snapshot), days per week cannot be counted: the rule then takes a week
with any activity as an active week, and the chapter says so.

:func:`threshold_table` shows how the observed adoption of each cohort moves with the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from scalegap.canonical import USAGE_SOURCES_WITHOUT_EVERY_DAY

#: the first window of ``{weeks}`` consecutive weeks, each with activity, with at least ``{days}`` active days
#: per week on average; formatted in (window frames take no parameters), from validated numbers only
SUSTAINED_USE = """
    WITH windows AS (
        SELECT person_id, week, first_day,
               lead(week, {weeks} - 1) OVER person AS last_week,
               sum(active_days) OVER (person ROWS BETWEEN CURRENT ROW AND {weeks} - 1 FOLLOWING) AS days
        FROM weeks WINDOW person AS (PARTITION BY person_id ORDER BY week))
    SELECT person_id, min(week) AS onset_week, arg_min(first_day, week) AS onset_day
    FROM windows
    WHERE last_week - week = {weeks} - 1 AND days >= {days} * {weeks}
    GROUP BY person_id
    ORDER BY person_id
"""

#: the different active weeks that make a non-adopter an occasional user rather than someone who tried it once
OCCASIONAL_WEEKS = 2


def occasional_users(weeks: pd.DataFrame) -> set[str]:
    """The people active in at least :data:`OCCASIONAL_WEEKS` different weeks (adopters among them too)."""
    counts = weeks.groupby("person_id")["week"].nunique() if len(weeks) else pd.Series(dtype=int)
    return set(counts.index[counts >= OCCASIONAL_WEEKS])


#: the rules the threshold table compares with the one in use: (days per week, weeks)
COMPARED = ((1, 3), (1.5, 2), (1.5, 3), (1.5, 4), (2, 3), (3, 3))


@dataclass(frozen=True)
class SustainedUseRule:
    """The rule in force: ``days_per_week`` active days in each of ``weeks`` consecutive weeks.  ``note`` says
    why it differs from the configured one (an export that does not record every active day), else ""."""

    days_per_week: float
    weeks: int
    note: str = ""

    @property
    def text(self) -> str:
        if self.days_per_week <= 1:
            return f"activity in each of {self.weeks} consecutive weeks"
        return (
            f"{self.days_per_week:g} active days a week on average over {self.weeks} consecutive weeks, each "
            "with activity"
        )


def rule_for(days_per_week: float, weeks: int, sources: set[str]) -> SustainedUseRule:
    """The configured rule, or its any-activity form when a usage source does not record every active day."""
    partial = sorted(sources & USAGE_SOURCES_WITHOUT_EVERY_DAY)
    if days_per_week > 1 and partial:
        return SustainedUseRule(
            1,
            weeks,
            f"The usage export ({', '.join(partial)}) records only each person's "
            "last active days, not every active day, so active days per week cannot be "
            f"counted: a week with any activity counts, instead of the configured "
            f"{days_per_week:g} days a week (adoption.sustained_use.days_per_week).",
        )
    return SustainedUseRule(days_per_week, weeks)


def sustained_use_onset(weeks: pd.DataFrame, rule: SustainedUseRule) -> pd.DataFrame:
    """Per person reaching sustained use: the first week (since access) and day of their first qualifying run.
    ``weeks``: one row per person and week with activity (``person_id``, ``week``, ``active_days``,
    ``first_day``)."""
    columns = weeks[["person_id", "week", "active_days", "first_day"]]
    with duckdb.connect() as connection:
        connection.register("weeks", columns)
        statement = SUSTAINED_USE.format(weeks=int(rule.weeks), days=float(rule.days_per_week))
        return connection.sql(statement).df()


def threshold_table(people: pd.DataFrame, weeks: pd.DataFrame, rule: SustainedUseRule, minimum: int) -> pd.DataFrame:
    """Per rule compared (and the one in use): the share of each cohort's people with access who reached
    sustained use so far, and the share who were occasional users.  ``people``: ``person_id``, ``cohort``
    (None: no access); cohorts in the order they first appear.  A cohort below ``minimum`` people is not
    shown."""
    with_access = people[people["cohort"].notna()]
    returning = occasional_users(weeks)
    cohorts = [c for c, n in with_access["cohort"].value_counts(sort=False).items() if n >= minimum]
    countable = not rule.note  # an export without every active day: only any-activity rules can be compared
    rules = list(
        dict.fromkeys(
            [
                *(SustainedUseRule(d, w) for d, w in COMPARED if countable or d <= 1),
                SustainedUseRule(rule.days_per_week, rule.weeks),
            ]
        )
    )
    rows = []
    for compared in sorted(rules, key=lambda r: (r.days_per_week, r.weeks)):
        adopters = set(sustained_use_onset(weeks, compared)["person_id"]) if len(weeks) else set()
        row: dict[str, str | float] = {
            "Sustained use means": compared.text
            + (
                " (the rule used)"
                if (compared.days_per_week, compared.weeks) == (rule.days_per_week, rule.weeks)
                else ""
            )
        }
        for cohort in cohorts:
            members = with_access.loc[with_access["cohort"] == cohort, "person_id"]
            adopted = members.isin(adopters)
            row[f"{cohort}: adopters"] = float(adopted.mean())
            row[f"{cohort}: occasional users"] = float((members.isin(returning) & ~adopted).mean())
        rows.append(row)
    return pd.DataFrame(rows)

"""The data-reality chapter: how much of the assistant's effect per task survives on messy records.

Built on :mod:`scalegap.models.effect` (usable records, task-adjusted person effects, the messy-data multiplier,
the data mix).  Method:

* **Groups.** Pilot members are the roster's pilot members; everyone else with outcome records is *outside the
  pilot* (a rollout cohort, and people whose unassisted work was recorded as a baseline).
* **Effect per task by tier.** For each group and data-quality tier, the mean of the person effects of the
  people with at least one assisted and one unassisted record of the tier (each person counts once).
* **Messy-data multiplier.** :func:`scalegap.models.effect.messy_multiplier` over everyone with an effect on
  both tiers, measured when at least ``max(effect.MIN_MESSY_PEOPLE, minimum group size)`` people have both and
  their mean clean effect is positive.  Otherwise it is *not measured*: every bootstrap replicate draws it
  uniformly from ``effect.UNMEASURED_MULTIPLIER_RANGE`` and the point estimate takes the middle, so the
  interval carries the whole range; no value is assumed silently.
* **Record mix.** The messy share of the pilot members' records of known tier; production's is
  ``conversion.production_messy_share`` when declared, else the messy share of the records outside the pilot,
  else (no records outside the pilot) the pilot's own share, which the chapter says is likely optimistic.
* **Realistic effect per task** = the pilot members' clean-record effect × ``M(production messy share)``,
  beside the pilot's effect at its own mix, clean effect × ``M(pilot messy share)``, with
  ``M(s) = (1 − s) + s × multiplier`` (:func:`scalegap.models.effect.data_mix`).  Everything else (who the
  users are, how often they use it) is held at the pilot's level: that is the conversion chapter's business.
* **Intervals.** 95% percentile intervals from a person-cluster bootstrap seeded with ``adoption.seed``
  (``conversion.replicates`` replicates): people are redrawn with replacement within their group, each with all
  their records, and every figure is recomputed; the task baselines of the adjustment are held fixed.  A
  declared production share is held fixed.

Assumptions: those of :mod:`scalegap.models.effect`; the records outside the pilot show production's record
mix (unless declared); the effect on messy records relative to clean ones is the same for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalegap.models import availability, effect
from scalegap.models.estimation import CONFIDENCE, percentile_interval
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts

PILOT_GROUP, OUTSIDE_GROUP = "Pilot members", "Outside the pilot"
GROUPS = (PILOT_GROUP, OUTSIDE_GROUP)
TIER_LABELS = {effect.CLEAN: "Clean", effect.MESSY: "Messy"}
DECLARED, OUTSIDE, PILOT_ONLY = "declared", "outside", "pilot"
SHARE_SOURCES = {
    DECLARED: "declared in assessment.yml (conversion.production_messy_share)",
    OUTSIDE: "measured on the records outside the pilot",
    PILOT_ONLY: "the pilot's own share: there are no records of known tier outside the pilot",
}
INTERVAL_LABEL = f"{CONFIDENCE:.0%} interval"
QUALITY_DIFFERENCE = "Difference (assisted − unassisted)"


# --- inputs ---------------------------------------------------------------------------------------------------------


def unavailable_reason(package: PreparedPackage) -> str | None:
    """Why the effect on clean and messy records cannot be measured for this client, or None."""
    missing = availability.reason_for(package, "outcomes", subject="The effect on clean and messy records")
    if missing:
        return missing
    records = effect.outcome_records(package).records
    if records.empty:
        return "No outcome record has a person, an assisted flag and the outcome metric, so nothing can be measured."
    if not records["data_tier"].isin(effect.TIERS).any():
        return (
            "No outcome record has a record completeness or an exception flag, so no record can be placed in "
            "a data-quality tier."
        )
    return None


def pilot_members(package: PreparedPackage) -> set[str]:
    roster = package.table("roster")
    return set(roster.loc[roster["in_pilot"].fillna(False).astype(bool), "person_id"])


def people_table(records: pd.DataFrame, pilot_ids: set[str]) -> pd.DataFrame:
    """Per person with records of known tier: effects and record counts per tier (see
    :func:`scalegap.models.effect.person_effects`) and ``group`` (pilot members or outside the pilot)."""
    people = effect.person_effects(records)
    people["group"] = np.where(people.index.isin(pilot_ids), PILOT_GROUP, OUTSIDE_GROUP)
    return people


def tier_records(people: pd.DataFrame, tier: str) -> pd.Series:
    return people[f"{tier}_assisted"] + people[f"{tier}_unassisted"]


@dataclass(frozen=True)
class PeopleArrays:
    """The people table as arrays, so that a bootstrap replicate is a cheap row selection."""

    pilot: np.ndarray
    effects: dict[str, np.ndarray]
    records: dict[str, np.ndarray]

    @classmethod
    def of(cls, people: pd.DataFrame) -> PeopleArrays:
        return cls(
            (people["group"] == PILOT_GROUP).to_numpy(),
            {tier: people[tier].to_numpy(float) for tier in effect.TIERS},
            {tier: tier_records(people, tier).to_numpy(float) for tier in effect.TIERS},
        )

    def take(self, rows: np.ndarray) -> PeopleArrays:
        return PeopleArrays(
            self.pilot[rows],
            {t: v[rows] for t, v in self.effects.items()},
            {t: v[rows] for t, v in self.records.items()},
        )

    def members(self, group: str) -> np.ndarray:
        return self.pilot if group == PILOT_GROUP else ~self.pilot


def mean_or_nan(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def messy_shares(people: PeopleArrays) -> dict[str, float]:
    """Per group: messy records ÷ records of known tier (NaN without any)."""
    shares = {}
    for group in GROUPS:
        members = people.members(group)
        messy = people.records[effect.MESSY][members].sum()
        known = messy + people.records[effect.CLEAN][members].sum()
        shares[group] = float(messy / known) if known else float("nan")
    return shares


def share_source(declared: float | None, people: pd.DataFrame) -> str:
    """Where production's messy share comes from (a key of ``SHARE_SOURCES``)."""
    if declared is not None:
        return DECLARED
    return OUTSIDE if (people["group"] == OUTSIDE_GROUP).any() else PILOT_ONLY


# --- one estimate ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What every estimate shares: the production share's source, the multiplier's minimum and whether it is
    measured at all."""

    source: str
    declared: float | None
    minimum_people: int
    multiplier_measured: bool


@dataclass(frozen=True)
class Estimate:
    """Every figure of the chapter from one set of people (the point estimate or a bootstrap replicate)."""

    effects: dict[tuple[str, str], float]
    shares: dict[str, float]
    production_share: float
    multiplier: float

    @property
    def pilot_clean(self) -> float:
        return self.effects[(PILOT_GROUP, effect.CLEAN)]

    @property
    def pilot_at_own_mix(self) -> float:
        return self.pilot_clean * effect.data_mix(self.shares[PILOT_GROUP], self.multiplier)

    @property
    def realistic(self) -> float:
        return self.pilot_clean * effect.data_mix(self.production_share, self.multiplier)


def one_estimate(
    people: PeopleArrays, rules: Rules, drawn_multiplier: float | None = None, quantile: float | None = None
) -> Estimate:
    """The figures from ``people`` (rows may repeat); ``drawn_multiplier`` stands in when it is not measured
    (the middle of the range when None); a measured one is its posterior's ``quantile`` (the median when
    None)."""
    effects = {
        (group, tier): mean_or_nan(people.effects[tier][people.members(group)])
        for group in GROUPS
        for tier in effect.TIERS
    }
    shares = messy_shares(people)
    production = {DECLARED: rules.declared, OUTSIDE: shares[OUTSIDE_GROUP], PILOT_ONLY: shares[PILOT_GROUP]}
    measured = effect.messy_multiplier(pd.DataFrame(people.effects), rules.minimum_people)
    fallback = drawn_multiplier if drawn_multiplier is not None else float(np.mean(effect.UNMEASURED_MULTIPLIER_RANGE))
    if rules.multiplier_measured and measured.measured:
        multiplier = float(measured.value) if quantile is None else measured.quantile(quantile)
    else:
        multiplier = fallback
    return Estimate(effects, shares, float(production[rules.source]), multiplier)


# --- the study ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataRealityStudy:
    """The point estimate, its bootstrap replicates and what they rest on (``people`` is never shown)."""

    records: effect.OutcomeRecords
    people: pd.DataFrame
    threshold: float
    min_group_size: int
    rules: Rules
    measurement: effect.MessyMultiplier
    point: Estimate
    replicates: tuple[Estimate, ...]

    @property
    def unit(self) -> str:
        return self.records.unit

    @property
    def digits(self) -> int:
        """Decimals of an effect per task: quality points are small numbers."""
        return 2 if self.records.metric == "quality_score" else 1

    def interval_of(self, pick: Callable[[Estimate], float]) -> tuple[float, float]:
        """The 95% percentile interval of ``pick(estimate)`` over the replicates."""
        return percentile_interval(np.array([pick(r) for r in self.replicates], dtype=float), CONFIDENCE)

    @property
    def multiplier_interval(self) -> tuple[float, float]:
        """The measured multiplier's interval, or the whole range it is drawn from."""
        if not self.rules.multiplier_measured:
            return tuple(float(v) for v in effect.UNMEASURED_MULTIPLIER_RANGE)
        return self.interval_of(lambda e: e.multiplier)


def resampled_rows(rng: np.random.Generator, groups: np.ndarray, replicates: int) -> np.ndarray:
    """(replicates × people) row numbers, each person redrawn with replacement within their group."""
    rows = np.empty((replicates, len(groups)), dtype=int)
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        rows[:, members] = rng.choice(members, size=(replicates, len(members)))
    return rows


def study_from(
    records: effect.OutcomeRecords,
    pilot_ids: set[str],
    declared: float | None,
    threshold: float,
    min_group_size: int,
    seed: int,
    replicates: int,
) -> DataRealityStudy:
    """The study from usable records (the seam the tests use)."""
    people = people_table(records.records, pilot_ids)
    minimum_people = max(effect.MIN_MESSY_PEOPLE, min_group_size)
    measurement = effect.messy_multiplier(people, minimum_people)
    rules = Rules(share_source(declared, people), declared, minimum_people, measurement.measured)
    rng = np.random.default_rng(seed)
    rows = resampled_rows(rng, people["group"].to_numpy(), replicates)
    draws = rng.uniform(*effect.UNMEASURED_MULTIPLIER_RANGE, size=replicates)
    quantiles = rng.uniform(size=replicates)
    arrays = PeopleArrays.of(people)
    drawn = tuple(one_estimate(arrays.take(r), rules, float(d), float(q)) for r, d, q in zip(rows, draws, quantiles))
    return DataRealityStudy(
        records, people, threshold, min_group_size, rules, measurement, one_estimate(arrays, rules), drawn
    )


def data_reality_study(package: PreparedPackage) -> DataRealityStudy | None:
    """The chapter's study, or None when the data cannot support it (see :func:`unavailable_reason`)."""
    if unavailable_reason(package) is not None:
        return None
    settings = package.settings
    return study_from(
        effect.outcome_records(package),
        pilot_members(package),
        settings.conversion.production_messy_share,
        settings.outcomes.clean_completeness_threshold,
        settings.privacy.min_group_size,
        settings.adoption.seed,
        settings.conversion.replicates,
    )


# --- what the chapter shows -----------------------------------------------------------------------------------------


def interval_text(low: Any, high: Any, percent: bool = False, digits: int = 1) -> str:
    """``4.1 to 6.3`` (or ``3% to 9%``); a dash when either end is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "—"
    return f"{low:.0%} to {high:.0%}" if percent else f"{low:,.{digits}f} to {high:,.{digits}f}"


def tier_definition(package: PreparedPackage, study: DataRealityStudy | None) -> list[str]:
    """The data-quality tiers as this assessment defines them, and how many usable records fall in each."""
    threshold = package.settings.outcomes.clean_completeness_threshold
    sentences = [
        f"A record is clean when its record completeness (the share of its fields filled in) is at least "
        f"{threshold:.0%} and it carries no exception flag; every other record with either field is messy. "
        "Records whose export has neither field are of unknown tier and are left out of the tier figures. "
        "The threshold is outcomes.clean_completeness_threshold in assessment.yml."
    ]
    if study is not None:
        tiers = study.records.records["data_tier"].value_counts()
        unknown = int(tiers.get("unknown", 0))
        sentences.append(
            f"Of the {int(tiers.sum()):,} usable outcome records, {int(tiers.get(effect.CLEAN, 0)):,} "
            f"are clean and {int(tiers.get(effect.MESSY, 0)):,} messy"
            + (f"; {unknown:,} are of unknown tier." if unknown else "; none is of unknown tier.")
        )
    return sentences


def set_apart_table(study: DataRealityStudy | None) -> pd.DataFrame:
    """Records kept out of the effect figures, by reason (reasons with no record left out)."""
    columns = ["Reason", "Records", "What happens to them"]
    if study is None:
        return pd.DataFrame(columns=columns)
    rows = [(reason[0].upper() + reason[1:], count, "not used") for reason, count in study.records.set_apart.items()]
    unknown = int((~study.records.records["data_tier"].isin(effect.TIERS)).sum())
    rows.append(
        ("Data-quality tier unknown (no completeness, no exception flag)", unknown, "left out of the tier figures")
    )
    frame = pd.DataFrame(rows, columns=columns)
    return frame[frame["Records"] > 0].reset_index(drop=True)


def tier_row(study: DataRealityStudy, group: str, tier: str) -> dict[str, Any]:
    members = study.people[study.people["group"] == group]
    low, high = study.interval_of(lambda e: e.effects[(group, tier)])
    return {
        "Group": group,
        "Tier": TIER_LABELS[tier],
        "People with records": int((tier_records(members, tier) > 0).sum()),
        "People measured": int(members[tier].notna().sum()),
        "Assisted records": int(members[f"{tier}_assisted"].sum()),
        "Unassisted records": int(members[f"{tier}_unassisted"].sum()),
        "Effect per task": study.point.effects[(group, tier)],
        "Low": low,
        "High": high,
    }


def tier_effects(study: DataRealityStudy | None) -> pd.DataFrame:
    """Per group and tier: people, records, effect per task and its interval; small groups suppressed.

    ``People measured`` are the people with an assisted and an unassisted record of the tier, whose effects are
    averaged; the record counts cover every usable record of the group in the tier.
    """
    if study is None:
        return pd.DataFrame()
    frame = pd.DataFrame([tier_row(study, group, tier) for group in GROUPS for tier in effect.TIERS])
    minimum = study.min_group_size
    frame = suppress_small_counts(
        frame,
        "People with records",
        minimum,
        ["People measured", "Assisted records", "Unassisted records", "Effect per task", "Low", "High"],
    )
    return suppress_small_counts(frame, "People measured", minimum, ["Effect per task", "Low", "High"])


def tier_note(row: pd.Series) -> str:
    if row[SUPPRESSED]:
        return "suppressed: fewer people than the minimum group size"
    if row["People with records"] == 0:
        return "no records"
    if row["People measured"] == 0:
        return "not measured: no one has both an assisted and an unassisted record of this tier"
    return ""


def count_pair(first: Any, second: Any) -> str:
    return "—" if pd.isna(first) or pd.isna(second) else f"{int(first):,} / {int(second):,}"


def effect_text(values: pd.Series, digits: int) -> list[str]:
    return [f"{v:,.{digits}f}" if pd.notna(v) else "—" for v in values]


def tier_effects_display(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """The tier table as the book shows it: record counts and the interval as one column each, effects with
    ``digits`` decimals, and a note where a row has no effect (no note column when every row has one)."""
    if table.empty:
        return table
    shown = table[["Group", "Tier", "People with records", "People measured"]].copy()
    shown["Records, assisted / unassisted"] = [
        count_pair(a, u) for a, u in zip(table["Assisted records"], table["Unassisted records"])
    ]
    shown["Effect per task"] = effect_text(table["Effect per task"], digits)
    shown[INTERVAL_LABEL] = [interval_text(low, high, digits=digits) for low, high in zip(table["Low"], table["High"])]
    notes = table.apply(tier_note, axis=1)
    if notes.str.len().any():
        shown["Note"] = notes
    shown[SUPPRESSED] = table[SUPPRESSED]
    return shown


def mix_row(study: DataRealityStudy, group: str, label: str, used: str) -> dict[str, Any]:
    members = study.people[study.people["group"] == group]
    low, high = study.interval_of(lambda e: e.shares[group])
    return {
        "Records": label,
        "People": len(members),
        "Records of known tier": int(
            tier_records(members, effect.CLEAN).sum() + tier_records(members, effect.MESSY).sum()
        ),
        "Messy records": int(tier_records(members, effect.MESSY).sum()),
        "Messy share": study.point.shares[group],
        "Low": low,
        "High": high,
        "Stands for": used,
    }


def record_mix(study: DataRealityStudy | None) -> pd.DataFrame:
    """Messy share of the pilot members' records, of the records outside the pilot, and the declared production
    share where there is one; ``Stands for`` says which share stands for production.  Small groups suppressed."""
    if study is None:
        return pd.DataFrame()
    source = study.rules.source
    outside_use = {OUTSIDE: "production", DECLARED: "nothing: production's share is declared"}
    rows = [
        mix_row(
            study,
            PILOT_GROUP,
            "Pilot members' records",
            "the pilot and production" if source == PILOT_ONLY else "the pilot",
        ),
        mix_row(study, OUTSIDE_GROUP, "Records outside the pilot", outside_use.get(source, "no records")),
    ]
    if source == DECLARED:
        rows.append(
            {
                "Records": "Production (declared in assessment.yml)",
                "Messy share": study.rules.declared,
                "Stands for": "production",
            }
        )
    frame = pd.DataFrame(rows)
    return suppress_small_counts(
        frame, "People", study.min_group_size, ["Records of known tier", "Messy records", "Messy share", "Low", "High"]
    )


def record_mix_display(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table
    shown = table.drop(columns=["Low", "High"])
    shown.insert(
        shown.columns.get_loc("Messy share") + 1,
        INTERVAL_LABEL,
        [interval_text(low, high, percent=True) for low, high in zip(table["Low"], table["High"])],
    )
    return shown


def production_share_sentence(study: DataRealityStudy) -> str:
    share = study.point.production_share
    text = f"Production's messy share is {share:.0%}, {SHARE_SOURCES[study.rules.source]}."
    if study.rules.source == PILOT_ONLY:
        text += (
            " The pilot ran on the records it was given, so this is likely optimistic: declare production's "
            "share in assessment.yml when it is known."
        )
    return text


def multiplier_rows(study: DataRealityStudy) -> list[tuple[str, str]]:
    """The messy-data multiplier as a key-value table: its value, interval, and what it rests on."""
    m, minimum = study.measurement, study.rules.minimum_people
    low, high = study.multiplier_interval
    people = (
        f"{m.people:,}" if m.people == 0 or m.people >= study.min_group_size else f"fewer than {study.min_group_size}"
    )
    rows = [("People with an effect on both clean and messy records", people)]
    if study.rules.multiplier_measured:
        rows += [
            ("Messy-data multiplier", f"{m.value:.2f} ({INTERVAL_LABEL} {low:.2f} to {high:.2f})"),
            ("Their mean effect on clean records", f"{m.clean_effect:,.{study.digits}f} {study.unit}"),
            ("Their mean effect on messy records", f"{m.messy_effect:,.{study.digits}f} {study.unit}"),
        ]
    else:
        why = (
            f"fewer than {minimum} people have both"
            if m.people < minimum
            else "their mean effect on clean records is not positive"
        )
        rows += [
            ("Messy-data multiplier", f"not measured: {why}"),
            (
                "What the estimates use instead",
                f"a value drawn uniformly between {low:.2f} and {high:.2f} in "
                f"every bootstrap replicate; the point estimate takes the middle, {study.point.multiplier:.2f}",
            ),
        ]
    rows.append(
        (
            "Rule",
            f"measured when at least {minimum} people have an effect on both tiers; multiplier = "
            "their mean messy-record effect ÷ their mean clean-record effect",
        )
    )
    return rows


def realistic_effect(study: DataRealityStudy | None) -> pd.DataFrame:
    """The pilot members' effect per task on clean records, at the pilot's record mix and at production's, with
    the messy share and data-mix multiplier ``M(s)`` of each; blank when too few pilot members are measured."""
    if study is None:
        return pd.DataFrame()
    point = study.point
    picks = {
        "Pilot members, clean records only": (0.0, lambda e: e.pilot_clean),
        "Pilot members at the pilot's record mix": (point.shares[PILOT_GROUP], lambda e: e.pilot_at_own_mix),
        "At production's record mix (realistic)": (point.production_share, lambda e: e.realistic),
    }
    people = int(study.people.loc[study.people["group"] == PILOT_GROUP, effect.CLEAN].notna().sum())
    rows = []
    for label, (share, pick) in picks.items():
        low, high = study.interval_of(pick)
        rows.append(
            {
                "Estimate": label,
                "People measured": people,
                "Messy share": share,
                "Data-mix multiplier M(s)": effect.data_mix(share, point.multiplier),
                "Effect per task": pick(point),
                "Low": low,
                "High": high,
            }
        )
    frame = pd.DataFrame(rows)
    return suppress_small_counts(
        frame,
        "People measured",
        study.min_group_size,
        ["Messy share", "Data-mix multiplier M(s)", "Effect per task", "Low", "High"],
    )


def realistic_effect_display(table: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """The realistic-effect table as the book shows it: effects with ``digits`` decimals, the interval as one
    column."""
    if table.empty:
        return table
    shown = table.drop(columns=["Low", "High"])
    shown["Effect per task"] = effect_text(shown["Effect per task"], digits)
    mix = "Data-mix multiplier M(s)"
    shown[mix] = [f"{v:.2f}" if pd.notna(v) else "—" for v in shown[mix]]
    shown.insert(
        shown.columns.get_loc("Effect per task") + 1,
        INTERVAL_LABEL,
        [interval_text(low, high, digits=digits) for low, high in zip(table["Low"], table["High"])],
    )
    return shown


def quality_cells(records: pd.DataFrame) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for assisted, name in ((False, "unassisted"), (True, "assisted")):
        part = records[records["assisted"] == assisted]
        cells[f"People, {name}"] = part["person_id"].nunique()
        cells[f"Mean quality, {name}"] = float(part["quality_score"].mean()) if len(part) else np.nan
    cells[QUALITY_DIFFERENCE] = cells["Mean quality, assisted"] - cells["Mean quality, unassisted"]
    return cells


def quality_by_tier(package: PreparedPackage) -> pd.DataFrame:
    """Mean quality score of unassisted and assisted records, by group and tier (plain means, not adjusted for
    task or person; two decimals); means over fewer people than the minimum group size suppressed."""
    if not availability.usable(package, "outcomes"):
        return pd.DataFrame()
    outcomes = package.table("outcomes")
    score = pd.to_numeric(outcomes["quality_score"], errors="coerce")
    keep = score.notna() & outcomes["person_id"].notna() & outcomes["data_tier"].isin(effect.TIERS)
    if not keep.any():
        return pd.DataFrame()
    scored = outcomes[keep].assign(quality_score=score[keep], assisted=outcomes.loc[keep, "assisted"].astype(bool))
    scored["group"] = np.where(scored["person_id"].isin(pilot_members(package)), PILOT_GROUP, OUTSIDE_GROUP)
    rows = [
        {
            "Group": group,
            "Tier": TIER_LABELS[tier],
            **quality_cells(scored[(scored["group"] == group) & (scored["data_tier"] == tier)]),
        }
        for group in GROUPS
        for tier in effect.TIERS
    ]
    frame, minimum = pd.DataFrame(rows), package.settings.privacy.min_group_size
    for name in ("unassisted", "assisted"):
        frame = suppress_small_counts(frame, f"People, {name}", minimum, [f"Mean quality, {name}", QUALITY_DIFFERENCE])
    for column in ("Mean quality, unassisted", "Mean quality, assisted", QUALITY_DIFFERENCE):
        frame[column] = [
            f"{v:+.2f}" if column == QUALITY_DIFFERENCE and pd.notna(v) else (f"{v:.2f}" if pd.notna(v) else "—")
            for v in frame[column]
        ]
    return frame


# --- findings -------------------------------------------------------------------------------------------------------


def shown_value(study: DataRealityStudy, group: str, tier: str) -> tuple[float, float, float] | None:
    """(effect, low, high) of a group and tier when enough people are measured to show it, else None."""
    measured = int(study.people.loc[study.people["group"] == group, tier].notna().sum())
    if measured < study.min_group_size:
        return None
    low, high = study.interval_of(lambda e: e.effects[(group, tier)])
    return study.point.effects[(group, tier)], low, high


def effect_sentence(study: DataRealityStudy) -> str:
    clean, messy = (shown_value(study, PILOT_GROUP, tier) for tier in effect.TIERS)
    if clean is None:
        return (
            f"Too few pilot members (under {study.min_group_size}) have both assisted and unassisted clean "
            "records to show their effect per task."
        )
    digits = study.digits
    text = (
        f"On clean records the assistant gave pilot members {clean[0]:,.{digits}f} {study.unit} "
        f"({INTERVAL_LABEL} {interval_text(clean[1], clean[2], digits=digits)})"
    )
    if messy is not None:
        return text + f"; on messy records {messy[0]:,.{digits}f} ({interval_text(messy[1], messy[2], digits=digits)})."
    pilot_messy = study.point.shares[PILOT_GROUP]
    if not pilot_messy or pd.isna(pilot_messy):
        return text + "; the pilot had no messy records, so its effect on messy data is not measured."
    return text + (
        f"; its effect on messy records is not measured: fewer than {study.min_group_size} pilot members "
        "have both assisted and unassisted messy records."
    )


def multiplier_sentence(study: DataRealityStudy) -> str:
    low, high = study.multiplier_interval
    if study.rules.multiplier_measured:
        return (
            f"On messy records the assistant keeps {study.measurement.value:.0%} of its clean-record effect "
            f"(the messy-data multiplier, {INTERVAL_LABEL} {low:.0%} to {high:.0%}, measured on "
            f"{study.measurement.people:,} people with both kinds of record)."
        )
    return (
        f"The messy-data multiplier is not measured (too few people, or no positive clean-record effect, "
        f"among those with both kinds of record): the estimates draw it anywhere between {low:.0%} and "
        f"{high:.0%}, which widens their intervals, rather than assume a value."
    )


def group_people(study: DataRealityStudy, group: str) -> int:
    return int((study.people["group"] == group).sum())


def mix_sentence(study: DataRealityStudy) -> str:
    pilot, production = study.point.shares[PILOT_GROUP], study.point.production_share
    if pd.isna(pilot) or group_people(study, PILOT_GROUP) < study.min_group_size:
        return (
            f"The pilot members' record mix is not shown (records of fewer than {study.min_group_size} pilot "
            f"members); production's messy share is {production:.0%}."
        )
    where = {
        DECLARED: "declared for production",
        OUTSIDE: "outside the pilot",
        PILOT_ONLY: "assumed for production (no records outside the pilot)",
    }[study.rules.source]
    verdict = ": the pilot ran on cleaner data than production will see." if production > pilot + 0.05 else "."
    return f"{pilot:.0%} of the pilot members' records were messy, against {production:.0%} {where}{verdict}"


def realistic_sentence(study: DataRealityStudy) -> str | None:
    if shown_value(study, PILOT_GROUP, effect.CLEAN) is None:
        return None
    point = study.point
    low, high = study.interval_of(lambda e: e.realistic)
    change = point.realistic / point.pilot_at_own_mix - 1.0 if point.pilot_at_own_mix else float("nan")
    direction = "less" if change < 0 else "more"
    digits = study.digits
    return (
        f"At production's record mix the realistic effect is {point.realistic:,.{digits}f} {study.unit} "
        f"({INTERVAL_LABEL} {interval_text(low, high, digits=digits)}), against "
        f"{point.pilot_at_own_mix:,.{digits}f} at the pilot's "
        f"own mix: {abs(change):.0%} {direction} from the record mix alone, before any difference in who uses "
        "the assistant or how often."
    )


def data_reality_findings(package: PreparedPackage, study: DataRealityStudy | None) -> list[str]:
    """The chapter's answer in plain sentences, computed from the study."""
    if study is None:
        return [unavailable_reason(package) or "The data cannot support this chapter."]
    findings = [mix_sentence(study), effect_sentence(study), multiplier_sentence(study)]
    realistic = realistic_sentence(study)
    findings += [realistic] if realistic else []
    set_apart = int(set_apart_table(study)["Records"].sum())
    if set_apart:
        findings.append(
            f"{set_apart:,} outcome record(s) were set apart (no usable metric, or no known tier); "
            "the table above gives the reasons."
        )
    return findings

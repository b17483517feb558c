"""What the chapter shows: the tiers, the effects by tier, the record mix and the realistic effect, as tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability, effect
from scalegap.models.data_reality.estimates import DataRealityStudy
from scalegap.models.data_reality.inputs import (
    DECLARED,
    GROUPS,
    OUTSIDE,
    OUTSIDE_GROUP,
    PILOT_GROUP,
    PILOT_ONLY,
    pilot_members,
    tier_records,
)
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, suppress_small_counts

TIER_LABELS = {effect.CLEAN: "Clean", effect.MESSY: "Messy"}


SHARE_SOURCES = {
    DECLARED: "declared in assessment.yml (conversion.production_messy_share)",
    OUTSIDE: "measured on the records outside the pilot",
    PILOT_ONLY: "the pilot's own share: there are no records of known tier outside the pilot",
}


QUALITY_DIFFERENCE = "Difference (assisted − unassisted)"


# --- what the chapter shows -----------------------------------------------------------------------------------------


def interval_text(low: Any, high: Any, percent: bool = False, digits: int = 1) -> str:
    """``4.1 to 6.3`` (or ``3% to 9%``); a dash when either end is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "—"
    return nf.interval(low, high, "share") if percent else f"{nf.number(low, digits)} to {nf.number(high, digits)}"


def tier_definition(package: PreparedPackage, study: DataRealityStudy | None) -> list[str]:
    """The data-quality tiers as this assessment defines them, and how many usable records fall in each."""
    threshold = package.settings.outcomes.clean_completeness_threshold
    sentences = [
        f"A record is clean when its record completeness (the share of its fields filled in) is at least "
        f"{nf.share(threshold)} and it carries no exception flag; every other record with either field is messy. "
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


def tier_effects_display(table: pd.DataFrame, interval: float, digits: int = 1) -> pd.DataFrame:
    """The tier table as the book shows it: record counts and the interval (of level ``interval``) as one column
    each, effects with ``digits`` decimals, and a note where a row has no effect (no note column when every row
    has one)."""
    if table.empty:
        return table
    shown = table[["Group", "Tier", "People with records", "People measured"]].copy()
    shown["Records, assisted / unassisted"] = [
        count_pair(a, u) for a, u in zip(table["Assisted records"], table["Unassisted records"])
    ]
    shown["Effect per task"] = effect_text(table["Effect per task"], digits)
    intervals = [interval_text(low, high, digits=digits) for low, high in zip(table["Low"], table["High"])]
    shown[interval_label(interval)] = intervals
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


def record_mix_display(table: pd.DataFrame, interval: float) -> pd.DataFrame:
    if table.empty:
        return table
    shown = table.drop(columns=["Low", "High"])
    shown.insert(
        shown.columns.get_loc("Messy share") + 1,
        interval_label(interval),
        [interval_text(low, high, percent=True) for low, high in zip(table["Low"], table["High"])],
    )
    return shown


def production_share_sentence(study: DataRealityStudy) -> str:
    share = study.point.production_share
    text = f"Production's messy share is {nf.share(share)}, {SHARE_SOURCES[study.rules.source]}."
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
            ("Messy-data multiplier", f"{m.value:.2f} ({interval_label(study.interval)} {low:.2f} to {high:.2f})"),
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


def realistic_effect_display(table: pd.DataFrame, interval: float, digits: int = 1) -> pd.DataFrame:
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
        interval_label(interval),
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

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
* **Intervals.** Percentile intervals (``statistics.interval``) from a person-cluster bootstrap seeded with
  ``statistics.seed`` (``statistics.replicates`` replicates): people are redrawn with replacement within their
  group, each with all their records, and every figure is recomputed; the task baselines of the adjustment are
  held fixed.  A declared production share is held fixed.

Assumptions: those of :mod:`scalegap.models.effect`; the records outside the pilot show production's record
mix (unless declared); the effect on messy records relative to clean ones is the same for everyone.
"""

from __future__ import annotations

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import effect
from scalegap.models.data_reality.display import (
    interval_text,
    multiplier_rows,
    production_share_sentence,
    quality_by_tier,
    realistic_effect,
    realistic_effect_display,
    record_mix,
    record_mix_display,
    set_apart_table,
    tier_definition,
    tier_effects,
    tier_effects_display,
)
from scalegap.models.data_reality.estimates import DataRealityStudy, data_reality_study
from scalegap.models.data_reality.inputs import (
    DECLARED,
    GROUPS,
    OUTSIDE,
    OUTSIDE_GROUP,
    PILOT_GROUP,
    PILOT_ONLY,
    unavailable_reason,
)
from scalegap.number_format import interval_label
from scalegap.package import PreparedPackage

#: what the data_reality chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "GROUPS",
    "OUTSIDE_GROUP",
    "PILOT_GROUP",
    "data_reality_findings",
    "data_reality_study",
    "effect_sentence",
    "group_people",
    "mix_sentence",
    "multiplier_rows",
    "multiplier_sentence",
    "production_share_sentence",
    "quality_by_tier",
    "realistic_effect",
    "realistic_effect_display",
    "realistic_sentence",
    "record_mix",
    "record_mix_display",
    "set_apart_table",
    "shown_value",
    "tier_definition",
    "tier_effects",
    "tier_effects_display",
    "unavailable_reason",
]


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
        f"({interval_label(study.interval)} {interval_text(clean[1], clean[2], digits=digits)})"
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
            f"On messy records the assistant keeps {nf.share(study.measurement.value)} of its clean-record effect "
            f"(the messy-data multiplier, {interval_label(study.interval)} {nf.share(low)} to {nf.share(high)}, "
            "measured on "
            f"{study.measurement.people:,} people with both kinds of record)."
        )
    return (
        f"The messy-data multiplier is not measured (too few people, or no positive clean-record effect, "
        f"among those with both kinds of record): the estimates draw it anywhere between {nf.share(low)} and "
        f"{nf.share(high)}, which widens their intervals, rather than assume a value."
    )


def group_people(study: DataRealityStudy, group: str) -> int:
    return int((study.people["group"] == group).sum())


def mix_sentence(study: DataRealityStudy) -> str:
    pilot, production = study.point.shares[PILOT_GROUP], study.point.production_share
    if pd.isna(pilot) or group_people(study, PILOT_GROUP) < study.min_group_size:
        return (
            f"The pilot members' record mix is not shown (records of fewer than {study.min_group_size} pilot "
            f"members); production's messy share is {nf.share(production)}."
        )
    where = {
        DECLARED: "declared for production",
        OUTSIDE: "outside the pilot",
        PILOT_ONLY: "assumed for production (no records outside the pilot)",
    }[study.rules.source]
    verdict = ": the pilot ran on cleaner data than production will see." if production > pilot + 0.05 else "."
    return (
        f"{nf.share(pilot)} of the pilot members' records were messy, against {nf.share(production)} {where}{verdict}"
    )


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
        f"({interval_label(study.interval)} {interval_text(low, high, digits=digits)}), against "
        f"{point.pilot_at_own_mix:,.{digits}f} at the pilot's "
        f"own mix: {nf.share(abs(change))} {direction} from the record mix alone, before any difference in who uses "
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

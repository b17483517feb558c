"""The executive summary page: its sentences and tables, all from results.json's content.

The figures themselves are computed once by :mod:`scalegap.models.summary` (the summarise step writes them to
results.json); this module only words and lays them out, so the page and results.json can never disagree.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability, recommendation
from scalegap.models.recommendation import GAPS_SHOWN, Recommendation, recommend
from scalegap.number_format import interval_label

# --- the executive summary page (everything from results.json's content) ---------------------------------------

money_text = recommendation.money_text


def amount(value: float) -> str:
    """A money amount without its currency (the currency is stated once beside it)."""
    return f"{'−' if value < 0 else ''}{abs(value):,.0f}"


def recommendation_of(document: dict[str, Any]) -> Recommendation:
    """The recommendation results.json carries (worked out from the document when it was written without one)."""
    block = document.get("recommendation")
    return Recommendation.from_dict(block) if block else recommend(document)


def verdict_notes(advice: Recommendation) -> list[str]:
    """The rule, stated, and anything that qualifies the answer."""
    return list(advice.reasons[1:]) + [f"How the verdict is reached: {advice.rule}"]


def conditions_lead(advice: Recommendation) -> str:
    if not advice.conditions:
        return "Nothing has to be settled before the rollout starts; the rollout gates below still apply."
    if advice.verdict == recommendation.NOT_YET:
        return "Also to settle before any rollout:"
    return "Go ahead only once these conditions are met:"


def conversion_sentences(document: dict[str, Any]) -> list[str]:
    """The conversion rate with its interval in plain words, and value per person in the metric's unit."""
    conversion = document.get("conversion") or {}
    if not conversion.get("available"):
        reason = conversion.get("reason", "results.json has no conversion figures: run `scalegap run` again.")
        return [
            reason if availability.NOT_ASSESSED in reason else "The conversion rate could not be estimated. " + reason
        ]
    low, high = conversion["conversion_rate_interval"]
    pilot, production = conversion["pilot_value_per_person"], conversion["production_value_per_person"]
    return [
        f"Of the value per person the pilot showed, production is expected to keep about "
        f"{nf.share(conversion['conversion_rate'])}: between {nf.share(low)} and {nf.share(high)} "
        f"({nf.interval_label(conversion['interval'])}).",
        f"In the pilot, value per person was {pilot['estimate']:,.0f} {pilot['unit']}; at full rollout about "
        f"{production['estimate']:,.0f} are expected ({production['low']:,.0f} to {production['high']:,.0f}).",
    ]


def value_table(document: dict[str, Any]) -> pd.DataFrame:
    """Per person (and seat) per year, pilot beside production: hours, money, licence and net value (empty
    without money figures)."""
    conversion = document.get("conversion") or {}
    money = conversion.get("money") if conversion.get("available") else None
    if not money:
        return pd.DataFrame()
    c, label = money["currency"], f"Full rollout ({nf.interval_label(conversion['interval'])})"

    def spanned(span: dict[str, Any], unit: str = "") -> str:
        text = money_text(span["estimate"], c) if not unit else f"{span['estimate']:,.0f} {unit}"
        return f"{text} ({amount(span['low'])} to {amount(span['high'])})"

    licence = money_text(money["licence_cost_per_seat_per_year"], c)
    return pd.DataFrame(
        {
            "Per person (or seat) per year": [
                "Time saved",
                "Value of the time saved",
                "Licence cost per seat",
                "Net value per seat (value less licence)",
            ],
            "Pilot": [
                f"{money['pilot_hours_per_person_per_year']['estimate']:,.0f} hours",
                money_text(money["pilot_value_per_person_per_year"]["estimate"], c),
                licence,
                "—",
            ],
            label: [
                spanned(money["production_hours_per_person_per_year"], "hours"),
                spanned(money["production_value_per_person_per_year"]),
                licence,
                spanned(money["net_value_per_seat_per_year"]),
            ],
        }
    )


def value_assumptions(document: dict[str, Any]) -> list[str]:
    """The assumptions behind the money figures, or why there are none."""
    conversion = document.get("conversion") or {}
    if not conversion.get("available"):
        return []
    money = conversion.get("money")
    if not money:
        return [
            "The value metric is a quality score, which has no conversion into hours or money: the "
            "recommendation rests on the conversion rate instead."
        ]
    c = money["currency"]
    return [
        f"Time saved is valued at {c} {money['loaded_hourly_cost']:,.2f} an hour (salary plus on-costs: an "
        f"assumption set for this assessment, not a measurement) over {money['working_weeks_per_year']} working "
        f"weeks a year; the licence costs {c} {money['licence_cost_per_seat_per_month']:,.2f} a seat a month. At "
        "full rollout every employee holds a seat, so value per seat is value per person."
    ]


def readiness_sentences(document: dict[str, Any]) -> list[str]:
    """The organisation's readiness index, the pilot's against everyone else's, and the range by department."""
    figures = document.get("readiness") or {}
    if figures.get("organisation_index") is None:
        reason = (document.get("not_assessed") or {}).get("readiness.organisation_index")
        return [
            f"The readiness index is {reason}."
            if reason
            else "No readiness index can be shown: too few people answered the survey."
        ]
    index = figures["organisation_index"]
    sentences = [
        f"The organisation's readiness index is {nf.number(index)} out of 100 "
        f"({interval_label(document['interval'])} "
        f"{nf.interval(figures['organisation_index_low'], figures['organisation_index_high'], 'number', index)})."
    ]
    if figures.get("pilot_index") is not None and figures.get("non_pilot_index") is not None:
        gap = figures["pilot_index"] - figures["non_pilot_index"]
        sentences.append(
            f"Pilot members scored {nf.number(figures['pilot_index'])} and everyone else "
            f"{nf.number(figures['non_pilot_index'])}: "
            + (
                "the pilot drew on readier people than the rollout will reach."
                if gap >= 5
                else "the pilot's members were about as ready as the people the rollout will reach."
            )
        )
    shown = {
        name: entry["index"]
        for name, entry in (document.get("readiness_by_department") or {}).items()
        if entry["index"] is not None
    }
    if len(shown) >= 2:
        low, high = min(shown, key=shown.__getitem__), max(shown, key=shown.__getitem__)
        sentences.append(f"By department it runs from {shown[low]:.0f} ({low}) to {shown[high]:.0f} ({high}).")
    return sentences


def gap_table(document: dict[str, Any]) -> pd.DataFrame:
    """The largest gaps (at most :data:`GAPS_SHOWN`): what each costs the conversion rate, and what closes it."""
    gaps = (document.get("gaps") or [])[:GAPS_SHOWN]
    conversion = document.get("conversion") or {}
    if not gaps:
        return pd.DataFrame()
    label = f"Points regained if closed alone ({nf.interval_label(conversion['interval'])})"
    table = pd.DataFrame({"Gap": [g["name"] for g in gaps], label: [points(g) for g in gaps]})
    money = conversion.get("money")
    if money:
        pilot = money["pilot_value_per_person_per_year"]["estimate"]
        table["Worth per person per year"] = [money_text(g["effect"] * pilot, money["currency"]) for g in gaps]
    return table.assign(**{"What closes it": [g["lever"] for g in gaps], "Chapter": [g["chapter"] for g in gaps]})


def points(gap: dict[str, Any]) -> str:
    digits = 1 if abs(gap["effect"]) < 0.1 else 0

    def signed(share: float) -> str:
        return f"{share * 100:+.{digits}f}".replace("-", "−")

    if gap.get("effect_low") is None:
        return signed(gap["effect"])
    return f"{signed(gap['effect'])} ({signed(gap['effect_low'])} to {signed(gap['effect_high'])})"


def gap_sentences(document: dict[str, Any]) -> list[str]:
    """How to read the gap table, with the conversion rate it starts from; or why there is none."""
    conversion = document.get("conversion") or {}
    if not conversion.get("available"):
        return ["Without a conversion rate, the gaps cannot be ranked by what they cost."]
    gaps = document.get("gaps") or []
    if not gaps:
        return ["No factor loses value between the pilot and production: there is no gap to close."]
    rate, top, money = conversion["conversion_rate"], gaps[0], conversion.get("money")
    sentences = [
        f"Closing the largest gap alone ({top['name'].lower()}) would lift the conversion rate from "
        f"{nf.share(rate)} to {nf.share(rate + top['effect'])}. Closing several gains more than the sum of "
        "their points, "
        "because the factors multiply."
    ]
    if money:
        pilot = money["pilot_value_per_person_per_year"]["estimate"]
        c = money["currency"]
        sentences.append(
            f"Each point is 1 % of the pilot's value per person of {money_text(pilot, c)} a year, so "
            f"about {money_text(pilot / 100, c)} per person a year; the worth column turns the points "
            "into money."
        )
    return sentences


def first_wave_sentences(document: dict[str, Any]) -> list[str]:
    """Who goes first, how many, when, what to expect, and when the gate is checked."""
    wave = document.get("first_wave")
    if not wave:
        return ["results.json has no rollout plan: run `scalegap run` again."]
    expected = (
        ""
        if wave["expected_adopters"] is None
        else f"; about {wave['expected_adopters']:,.0f} of them are expected to take it up "
        f"({wave['expected_adopters_low']:,.0f} to {wave['expected_adopters_high']:,.0f})"
    )
    split = (
        " A department larger than the current service desk can support at once goes in parts."
        if "(part" in wave["departments"]
        else ""
    )
    return [
        f"Start with {wave['departments']}: {wave['headcount']:,} people from week {wave['start_week']} of the "
        f"rollout{expected}.{split}",
        f"In week {wave['gate_week']} the gate below is checked before the next wave starts. The plan has "
        f"{wave['waves']} wave{'s' if wave['waves'] != 1 else ''} and reaches everyone in about "
        f"{wave['weeks_to_full_rollout']} weeks if every gate is passed on time.",
    ]


def gate_table(document: dict[str, Any]) -> pd.DataFrame:
    gates = (document.get("first_wave") or {}).get("gates") or []
    return pd.DataFrame({"Gate check": [g["metric"] for g in gates], "To pass": [g["threshold"] for g in gates]})

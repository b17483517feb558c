"""The conversion rate in hours and money, its headline for results.json, and what it means for an executive.

Method.  Value per person is per person per week in the metric's unit (:mod:`scalegap.models.conversion`).
For ``value_metric: minutes_saved``:

* **hours per person per year** = value per person per week × ``conversion.working_weeks_per_year`` ÷ 60;
* **money per person per year** = hours × ``conversion.loaded_hourly_cost`` (salary plus on-costs: an assumption
  of the client's, stated on the page, not a measurement); the time saved is valued as if it were put to other
  work at that cost;
* **licence cost per seat per year** = 12 × ``conversion.licence_cost_per_seat_per_month``;
* **net value per seat** at production = production money per person per year − licence cost per seat per year:
  at full rollout every employee holds a seat, users and non-users alike;
* **break-even adoption rate** = licence cost per seat per year ÷ the money value per active user per year in
  production (value per active user × production's data mix); below it the rollout costs more than it returns.
  It is set beside the estimated production adoption.

Intervals are the percentile intervals of the bootstrap replicates (width ``statistics.interval``); the
break-even interval is the licence cost over the ends of the interval of value per active user (a monotone
transform), with no upper end when the interval reaches zero value.  For ``value_metric: quality_score`` there
is no conversion into hours or money: the chapter says so and shows no money figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import adoption, conversion, effect, sensitivity
from scalegap.models.adoption import Forecasts
from scalegap.models.conversion import FACTOR_LABELS, FACTORS, ConversionStudy, Estimate
from scalegap.models.production_scaling import Sustainment, production_notes
from scalegap.models.results import persisted_study
from scalegap.package import PreparedPackage
from scalegap.stats.estimation import no_width

MINUTES_PER_HOUR = 60.0
MONTHS_PER_YEAR = 12
RATIO_DIGITS = 6
MONEY_DIGITS = 2


#: what a figure that no replicate varies is (the data could not estimate it: a stated value stands in)
ASSUMED = "an assumption, not an estimate: it has no interval"


@dataclass(frozen=True)
class Span:
    """An estimate with its interval (``high`` None: no upper end), and its unit.  ``assumed``: every replicate
    has the same value, so it is a stated value, shown as an assumption and never with an interval."""

    estimate: float
    low: float
    high: float | None
    unit: str = ""

    @property
    def assumed(self) -> bool:
        return self.high is not None and no_width(self.low, self.high)

    def scaled(self, by: float, unit: str) -> Span:
        return Span(self.estimate * by, self.low * by, None if self.high is None else self.high * by, unit)

    def as_dict(self, digits: int = RATIO_DIGITS, with_unit: bool = False) -> dict[str, Any]:
        if self.assumed:
            result: dict[str, Any] = {
                "estimate": round(self.estimate, digits),
                "low": None,
                "high": None,
                "assumption": ASSUMED,
            }
        else:
            result = {
                "estimate": round(self.estimate, digits),
                "low": round(self.low, digits),
                "high": None if self.high is None else round(self.high, digits),
            }
        return result | ({"unit": self.unit} if with_unit else {})


def span_of(study: ConversionStudy, pick: Any, unit: str = "") -> Span:
    """``pick(estimate)`` at the point, with its interval over the replicates."""
    low, high = study.interval_of(pick)
    return Span(float(pick(study.point)), low, high, unit)


def value_per_active(estimate: Estimate) -> float:
    """Production value per active user per week, in the metric's unit, after production's data mix."""
    return estimate.production_value_per_active * estimate.production_mix


@dataclass(frozen=True)
class Money:
    """The money figures (per year; ``currency``) and the assumptions behind them."""

    currency: str
    loaded_hourly_cost: float
    working_weeks_per_year: int
    licence_cost_per_seat_per_month: float
    pilot_hours_per_person: Span
    production_hours_per_person: Span
    pilot_money_per_person: Span
    production_money_per_person: Span
    value_per_active_user: Span
    net_value_per_seat: Span
    break_even_adoption: Span | None

    @property
    def licence_cost_per_seat(self) -> float:
        return MONTHS_PER_YEAR * self.licence_cost_per_seat_per_month

    def as_dict(self) -> dict[str, Any]:
        money: dict[str, Any] = {"digits": MONEY_DIGITS, "with_unit": True}
        return {
            "currency": self.currency,
            "loaded_hourly_cost": self.loaded_hourly_cost,
            "working_weeks_per_year": self.working_weeks_per_year,
            "licence_cost_per_seat_per_month": self.licence_cost_per_seat_per_month,
            "licence_cost_per_seat_per_year": round(self.licence_cost_per_seat, MONEY_DIGITS),
            "pilot_hours_per_person_per_year": self.pilot_hours_per_person.as_dict(MONEY_DIGITS, True),
            "production_hours_per_person_per_year": self.production_hours_per_person.as_dict(MONEY_DIGITS, True),
            "pilot_value_per_person_per_year": self.pilot_money_per_person.as_dict(**money),
            "production_value_per_person_per_year": self.production_money_per_person.as_dict(**money),
            "value_per_active_user_per_year": self.value_per_active_user.as_dict(**money),
            "net_value_per_seat_per_year": self.net_value_per_seat.as_dict(**money),
        }


def break_even(licence: float, per_active: Span) -> Span | None:
    """Licence cost ÷ value per active user (both per year), with the interval from the value's interval ends."""
    if per_active.estimate <= 0:
        return None
    high = licence / per_active.low if per_active.low > 0 else None
    low = licence / per_active.high if per_active.high and per_active.high > 0 else float("inf")
    return Span(licence / per_active.estimate, min(low, licence / per_active.estimate), high, "share of employees")


def money(study: ConversionStudy, package: PreparedPackage) -> Money | None:
    """The money figures (None for ``value_metric: quality_score``: a quality score has no money value)."""
    settings = package.settings.conversion
    if settings.value_metric != "minutes_saved":
        return None
    hours = settings.working_weeks_per_year / MINUTES_PER_HOUR
    cost, licence = settings.loaded_hourly_cost, MONTHS_PER_YEAR * settings.licence_cost_per_seat_per_month
    currency, per_hour = settings.currency, "hours per person per year"
    per_active = span_of(study, value_per_active).scaled(hours * cost, f"{currency} per active user per year")
    pilot, production = span_of(study, lambda e: e.pilot_value), span_of(study, lambda e: e.production_value)
    net = span_of(study, lambda e: e.production_value * hours * cost - licence, f"{currency} per seat per year")
    return Money(
        currency,
        cost,
        settings.working_weeks_per_year,
        settings.licence_cost_per_seat_per_month,
        pilot.scaled(hours, per_hour),
        production.scaled(hours, per_hour),
        pilot.scaled(hours * cost, f"{currency} per person per year"),
        production.scaled(hours * cost, f"{currency} per person per year"),
        per_active,
        net,
        break_even(licence, per_active),
    )


# --- the headline --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversionHeadline:
    """The chapter's headline figures, as results.json holds them (:meth:`as_dict`)."""

    conversion_rate: float
    conversion_rate_interval: tuple[float, float]
    interval: float
    factors: dict[str, Span]
    pilot_value_per_person: Span
    production_value_per_person: Span
    production_adoption: Span
    money: Money | None
    notes: tuple[str, ...]

    @property
    def break_even_adoption(self) -> Span | None:
        return self.money.break_even_adoption if self.money else None

    def as_dict(self) -> dict[str, Any]:
        low, high = self.conversion_rate_interval
        return {
            "conversion_rate": round(self.conversion_rate, RATIO_DIGITS),
            "conversion_rate_interval": [round(low, RATIO_DIGITS), round(high, RATIO_DIGITS)],
            "interval": self.interval,
            "factors": {name: span.as_dict() for name, span in self.factors.items()},
            "pilot_value_per_person": self.pilot_value_per_person.as_dict(with_unit=True),
            "production_value_per_person": self.production_value_per_person.as_dict(with_unit=True),
            "money": self.money.as_dict() if self.money else None,
            "break_even_adoption": self.break_even_adoption.as_dict() if self.break_even_adoption else None,
            "production_adoption": self.production_adoption.as_dict(),
            "notes": list(self.notes),
        }


def conversion_headline(study: ConversionStudy, package: PreparedPackage) -> ConversionHeadline:
    """The headline figures of the conversion chapter."""
    unit = sensitivity.value_unit(study)
    return ConversionHeadline(
        conversion_rate=study.point.conversion_rate,
        conversion_rate_interval=study.conversion_interval,
        interval=study.interval,
        factors={f: span_of(study, lambda e, f=f: e.factors[f]) for f in FACTORS},
        pilot_value_per_person=span_of(study, lambda e: e.pilot_value, unit),
        production_value_per_person=span_of(study, lambda e: e.production_value, unit),
        production_adoption=span_of(study, lambda e: e.production_adoption, "share of employees"),
        money=money(study, package),
        notes=tuple(drawn_notes(study, package)),
    )


def drawn_notes(study: ConversionStudy, package: PreparedPackage) -> list[str]:
    """What was drawn from a stated range because the data could not measure it."""
    forecasts = study.forecasts
    # the adoption chapter's own words: the book has one production adoption
    notes = (
        forecasts.production_notes() if forecasts else production_notes(None, study.inputs.has_rollout, Sustainment())
    )
    if study.unmeasured_departments:
        notes.append(
            f"No one was measured in {', '.join(study.unmeasured_departments)}: the effect per active user "
            "there is the organisation's in the point estimate, and drawn around it in the interval."
        )
    if not study.team_tuning_measured:
        low, high = conversion.TEAM_TUNING_PRIOR
        notes.append(
            "Too few people outside the pilot were measured to tell how much of the pilot teams' effect came "
            f"from configuration tuned for them: it is drawn between {nf.share(low)} and {nf.share(high)} (the point "
            f"estimate uses {nf.share((low + high) / 2)})."
        )
    if not study.multiplier.measured:
        low, high = effect.UNMEASURED_MULTIPLIER_RANGE
        notes.append(
            f"The messy-data multiplier could not be measured (fewer than {effect.MIN_MESSY_PEOPLE} people "
            f"have both clean and messy records): it is drawn between {low:.2f} and {high:.2f} (the point "
            f"estimate uses {(low + high) / 2:.2f})."
        )
    if study.resampled == "person":
        notes.append(
            f"The pilot spans fewer than {conversion.MIN_PILOT_TEAMS} teams the roster names, so the "
            "interval redraws people rather than whole teams: people of one team are taken as independent, "
            "which understates the uncertainty if teams differ much."
        )
    if study.sustainment.value is None and study.inputs.has_rollout:
        notes.append(
            f"The support load could not be projected ({study.sustainment.note.rstrip('.')}): the "
            "sustainment factor is taken as 1, no loss, which flatters production."
        )
    return notes


#: the name the conversion study is persisted under in the results folder
STUDY = "conversion"


def chapter_study(package: PreparedPackage) -> tuple[ConversionStudy | None, str | None]:
    """The conversion study, or None and the reason the chapter gives: the one the summarise step persisted for
    these data (:mod:`scalegap.models.results`), else computed now (a notebook opened alone)."""
    found = persisted_study(package, STUDY)
    if found is not None:
        study, reason = found.study
        return study, reason
    return computed_chapter_study(package)


def computed_chapter_study(
    package: PreparedPackage, adoption_forecasts: Forecasts | None = None
) -> tuple[ConversionStudy | None, str | None]:
    """The conversion study, or None and the reason the chapter gives (also when the pilot is too small to show);
    ``adoption_forecasts``: the adoption chapter's, so that adoption is bootstrapped once."""
    reason = conversion.unavailable_reason(package)
    if reason:
        return None, reason
    study = conversion.conversion_study(package, adoption_forecasts)
    if study is None:
        return None, (
            f"The conversion rate could not be estimated: fewer than {conversion.MIN_EFFECT_PEOPLE} pilot "
            "members have both assisted and unassisted outcome records on clean data, or there is no "
            "adoption data to forecast from."
        )
    measured = conversion.measured_people(study.inputs, study.inputs.people)
    minimum = package.settings.privacy.min_group_size
    if int((measured["cohort"] == adoption.PILOT).sum()) < minimum:
        return None, (
            f"Fewer pilot members were measured than the minimum group size ({minimum}): the pilot's value "
            "per person would describe too few people to publish."
        )
    return study, None


# --- as the chapter shows it ---------------------------------------------------------------------------------------

FACTOR_MEANINGS = {
    "adoption": "Production adoption (before the support loss) ÷ the pilot's adoption",
    "effect": "Value per active user on clean records: production's users ÷ the pilot's users",
    "data_mix": "Effect on production's record mix ÷ effect on the pilot's record mix",
    "sustainment": "Share of adoption kept under the service desk's support",
}
LOSS_MEANINGS = {
    "adoption": "fewer people will take up the assistant than in the pilot",
    "effect": "the people who use it in production gain less per task than the pilot's users did",
    "data_mix": "production's records are messier than the pilot's, and the assistant helps less on messy records",
    "sustainment": "slower answers from the service desk cost some of the adoption",
}


def interval_text(span: Span, style: str = ".2f") -> str:
    if span.assumed:
        return "none: assumed"
    kind: nf.Kind = "share" if style.endswith("%") else "factor" if style == ".2f" else "number"
    if span.high is not None:  # the number rules: the ends at the point's precision
        return nf.interval(span.low, span.high, kind, span.estimate)
    high = "no upper end" if span.high is None else format(span.high, style)
    return f"{format(span.low, style)} to {high}"


def money_text(amount: float, currency: str) -> str:
    return f"{'−' if amount < 0 else ''}{currency} {abs(amount):,.0f}"


def headline_rows(headline: ConversionHeadline) -> list[tuple[str, str]]:
    """(figure, value) pairs of the chapter's headline."""
    low, high = headline.conversion_rate_interval
    share = f"{nf.interval_label(headline.interval)}"
    pilot, production = headline.pilot_value_per_person, headline.production_value_per_person
    rows = [
        ("Conversion rate", f"{nf.share(headline.conversion_rate)} ({share} {nf.share(low)} to {nf.share(high)})"),
        (f"Pilot value per person ({pilot.unit})", f"{nf.number(pilot.estimate)} ({interval_text(pilot, ',.1f')})"),
        (
            f"Production value per person ({production.unit})",
            f"{nf.number(production.estimate)} ({interval_text(production, ',.1f')})",
        ),
    ]
    if headline.money:
        m, net = headline.money, headline.money.net_value_per_seat
        assert net.high is not None  # an interval over the replicates has both ends
        rows.append(
            (
                "Net value per seat per year at full rollout",
                f"{money_text(net.estimate, m.currency)} "
                f"({money_text(net.low, m.currency)} to {money_text(net.high, m.currency)})",
            )
        )
        rows.append(("Break-even adoption rate", break_even_text(m.break_even_adoption)))
    rows.append(
        (
            "Production adoption (estimated)",
            f"{nf.share(headline.production_adoption.estimate)} ({interval_text(headline.production_adoption, '.0%')})",
        )
    )
    return rows


def break_even_text(span: Span | None) -> str:
    if span is None:
        return "never: the assistant saves no time per active user"
    high = "over 100%" if span.high is None or span.high > 1 else f"{nf.share(span.high)}"
    return (
        f"{nf.share(span.estimate)} of employees ({nf.share(span.low)} to {high})"
        if span.estimate <= 1
        else ("over 100% of employees: the licence costs more than an active user saves")
    )


def factor_table(study: ConversionStudy, package: PreparedPackage) -> pd.DataFrame:
    """Per factor: what it compares, the estimate and interval, and how it was obtained."""
    label = f"{nf.interval_label(study.interval)}"
    rows = []
    for factor in FACTORS:
        span = span_of(study, lambda e, f=factor: e.factors[f])
        rows.append(
            {
                "Factor": FACTOR_LABELS[factor],
                "What it compares": FACTOR_MEANINGS[factor],
                "Estimate": f"{span.estimate:.2f}" + (" (assumed)" if span.assumed else ""),
                label: "none: assumed" if span.assumed else f"{span.low:.2f} to {span.high:.2f}",
                "How it was obtained": obtained(study, package, factor),
            }
        )
    return pd.DataFrame(rows)


def obtained(study: ConversionStudy, package: PreparedPackage, factor: str) -> str:
    """Measured, or partly drawn from a stated range (and which part)."""
    if factor == "adoption":
        return (
            "Measured: the adoption chapter's model of adoption within the weeks observed; drawn: the adoption "
            "still to come"
            + ("." if study.inputs.has_rollout else ", the pilot's extra attention (no rollout cohort).")
        )
    if factor == "effect":
        drawn = (["departments nobody measured"] if study.unmeasured_departments else []) + (
            [] if study.team_tuning_measured else ["the pilot teams' tuning"]
        )
        return "Measured: outcome model of each person's effect" + (f"; drawn: {', '.join(drawn)}." if drawn else ".")
    if factor == "data_mix":
        source = (
            "declared in assessment.yml"
            if package.settings.conversion.production_messy_share is not None
            else "measured on the records outside the pilot"
        )
        multiplier = (
            f"multiplier measured on {study.multiplier.people} people"
            if study.multiplier.measured
            else "multiplier drawn (not measurable)"
        )
        return f"Messy shares measured on the pilot's records; production's {source}; {multiplier}."
    if study.sustainment.value is None:
        return "Not projected: taken as 1 (no loss)."
    return (
        f"The support chapter's projection at the planned staffing "
        f"({study.sustainment.inputs['staffing_fte']:.1f} FTE); the loss when a ticket is late is a setting."
    )


def money_rows(headline: ConversionHeadline, package: PreparedPackage) -> list[tuple[str, str]]:
    """The money assumptions and figures (per year), or why there are none."""
    m = headline.money
    if m is None:
        metric = package.settings.conversion.value_metric.replace("_", " ")
        return [("Money", f"not computed: the value metric is {metric}, which has no conversion into hours or money")]
    c = m.currency

    def spanned(span: Span, style: str = "money") -> str:
        text = (lambda v: money_text(v, c)) if style == "money" else (lambda v: f"{v:,.0f} hours")
        return f"{text(span.estimate)} ({text(span.low)} to {text(span.high)})"

    return [
        ("Loaded hourly cost (assumption, assessment.yml)", f"{c} {m.loaded_hourly_cost:,.2f}"),
        ("Working weeks per year (assumption)", f"{m.working_weeks_per_year}"),
        (
            "Licence cost per seat",
            f"{c} {m.licence_cost_per_seat_per_month:,.2f} a month, {money_text(m.licence_cost_per_seat, c)} a year",
        ),
        ("Hours saved per person per year: pilot", spanned(m.pilot_hours_per_person, "hours")),
        ("Hours saved per person per year: production", spanned(m.production_hours_per_person, "hours")),
        ("Value per person per year: pilot", spanned(m.pilot_money_per_person)),
        ("Value per person per year: production", spanned(m.production_money_per_person)),
        ("Value per active user per year: production", spanned(m.value_per_active_user)),
        ("Net value per seat per year: production", spanned(m.net_value_per_seat)),
        ("Break-even adoption rate", break_even_text(m.break_even_adoption)),
        (
            "Production adoption (estimated)",
            f"{nf.share(headline.production_adoption.estimate)} ({interval_text(headline.production_adoption, '.0%')})",
        ),
    ]


# --- what this means -----------------------------------------------------------------------------------------------


def conversion_findings(study: ConversionStudy, package: PreparedPackage) -> list[str]:
    """Plain sentences for an executive: the rate, the biggest loss, what would have to be true, break-even."""
    headline = conversion_headline(study, package)
    low, high = headline.conversion_rate_interval
    pilot, production = headline.pilot_value_per_person, headline.production_value_per_person
    findings = [
        f"At full rollout the organisation can expect about {nf.share(headline.conversion_rate)} of the value per "
        f"person the pilot showed ({nf.number(production.estimate)} against {nf.number(pilot.estimate)} "
        f"{pilot.unit}); with {nf.share(headline.interval)} confidence, between {nf.share(low)} and {nf.share(high)}."
    ]
    worst = min(FACTORS, key=lambda f: study.point.factors[f])
    value = study.point.factors[worst]
    if value < 1:
        findings.append(
            f"The biggest loss is {FACTOR_LABELS[worst].lower()} (a factor of {value:.2f}, which alone "
            f"takes {nf.share(1 - value)} off the pilot's value): {LOSS_MEANINGS[worst]}."
        )
    swing = sensitivity.tornado(study).iloc[0]
    findings.append(
        f"The most uncertain factor is {swing['Factor'].lower()}: across its plausible range the "
        f"conversion rate runs from {nf.share(swing['rate_low'])} to {nf.share(swing['rate_high'])}."
    )
    findings.append(requirement_sentence(sensitivity.requirements(study), study.point.conversion_rate))
    if headline.money:
        findings.append(money_sentence(headline))
    if headline.notes:
        findings.append(
            "Some quantities behind the estimate could not be measured in the client's data and rest on "
            "stated assumptions (listed under the factor table); measuring them would make the estimate "
            "firmer."
        )
    return findings


def requirement_sentence(items: list[sensitivity.Requirement], rate: float) -> str:
    """What one factor alone would have to be for production to deliver the pilot's value per person."""
    if rate >= 1:
        return "Production is expected to deliver at least the pilot's value per person: nothing has to change."
    plausible = [r for r in items if r.within_interval and r.possible]
    if plausible:
        names = "; ".join(
            f"{FACTOR_LABELS[r.factor].lower()} at {r.required:.2f} (estimate {r.estimate:.2f})" for r in plausible
        )
        rest = "" if len(plausible) == len(items) else " No other factor could do it alone within its range."
        return (
            f"Within the plausible ranges, production could match the pilot if one factor alone reached: {names}.{rest}"
        )
    possible = [r for r in items if r.possible]
    closest = min(possible or items, key=lambda r: r.required / r.high)
    return (
        f"No single factor can close the gap within its plausible range: the nearest is "
        f"{FACTOR_LABELS[closest.factor].lower()}, which would have to reach {closest.required:.2f} against an "
        f"estimate of {closest.estimate:.2f} (range {closest.low:.2f} to {closest.high:.2f}). Matching the pilot "
        "takes several changes together, such as those of the what-if section."
    )


def money_sentence(headline: ConversionHeadline) -> str:
    m = headline.money
    assert m is not None  # findings ask for the sentence only with the money figures
    net, c = m.net_value_per_seat, m.currency
    assert net.high is not None  # an interval over the replicates has both ends
    verdict = "returns" if net.estimate >= 0 else "costs"
    sentence = (
        f"Valuing time at {c} {m.loaded_hourly_cost:,.0f} an hour (an assumption), each seat {verdict} "
        f"{money_text(abs(net.estimate), c)} a year more than its licence of "
        f"{money_text(m.licence_cost_per_seat, c)} ({money_text(net.low, c)} to "
        f"{money_text(net.high, c)} net)."
    )
    even = m.break_even_adoption
    if even is None or even.estimate > 1:
        return sentence + " The licence costs more than an active user saves: no adoption rate pays for it."
    side = "above" if headline.production_adoption.estimate >= even.estimate else "below"
    return sentence + (
        f" The licence pays for itself once {nf.share(even.estimate)} of employees use the assistant; "
        f"estimated production adoption, {nf.share(headline.production_adoption.estimate)}, is {side} that."
    )


def notes_sentences(headline: ConversionHeadline) -> list[str]:
    """What was drawn from a stated range (at least the adoption still to come after the data end)."""
    return list(headline.notes)

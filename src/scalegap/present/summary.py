"""The executive summary's visual block: headline tiles, the conditions in plain words, the headline figures as
glue names for the consultant's commentary.

Every value comes from results.json's content (the summarise step computed it once), formatted by one function
per figure, so a tile, a glued figure in a note and the conversion chapter show the same text.  Everything
rendered is HTML-escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from scalegap import number_format as nf
from scalegap.models import recommendation
from scalegap.models.recommendation import Recommendation
from scalegap.settings import BrandingSettings

#: the verdict's tone (a CSS class): colour and the verdict's own word, so it reads without colour too
TONES = {recommendation.GO: "go", recommendation.GO_WITH_CONDITIONS: "conditions", recommendation.NOT_YET: "stop"}


@dataclass(frozen=True)
class Tile:
    """One headline tile: what it is, its value, and the line under it (the interval, the unit)."""

    label: str
    value: str
    detail: str
    tone: str = "neutral"


def headline_texts(conversion: dict[str, Any]) -> dict[str, str]:
    """The conversion rate's headline figures as the book words them, by glue name (empty when not estimated).

    ``conversion`` is results.json's conversion block (:meth:`scalegap.models.value.ConversionHeadline.as_dict`).
    """
    if not conversion.get("available", True) or "conversion_rate" not in conversion:
        return {}
    low, high = conversion["conversion_rate_interval"]
    adoption = conversion["production_adoption"]
    pilot, production = conversion["pilot_value_per_person"], conversion["production_value_per_person"]
    texts = {
        "conversion_rate": nf.share(conversion["conversion_rate"]),
        "conversion_rate_interval": nf.interval(low, high, "share", conversion["conversion_rate"]),
        "interval_level": nf.share(conversion["interval"]),
        "production_adoption": nf.share(adoption["estimate"]),
        "production_adoption_interval": nf.interval(adoption["low"], adoption["high"], "share", adoption["estimate"]),
        "pilot_value_per_person": f"{pilot['estimate']:,.0f} {pilot['unit']}",
        "production_value_per_person": f"{production['estimate']:,.0f} {production['unit']}",
    }
    money = conversion.get("money")
    if money:
        net, currency = money["net_value_per_seat_per_year"], money["currency"]
        texts["net_value_per_seat"] = recommendation.money_text(net["estimate"], currency)
        texts["net_value_per_seat_interval"] = (
            f"{recommendation.money_text(net['low'], currency)} to {recommendation.money_text(net['high'], currency)}"
        )
    return texts


#: every name the conversion rate's figures are glued under (README: "Commentary"); one not estimated for this
#: client is glued as :data:`NOT_ESTIMATED`, so a note that cites it still builds
GLUED = (
    "conversion_rate",
    "conversion_rate_interval",
    "interval_level",
    "production_adoption",
    "production_adoption_interval",
    "pilot_value_per_person",
    "production_value_per_person",
    "net_value_per_seat",
    "net_value_per_seat_interval",
)
NOT_ESTIMATED = "not estimated"


def glued(texts: dict[str, str]) -> dict[str, str]:
    """``texts`` with every name of :data:`GLUED`, those it lacks as :data:`NOT_ESTIMATED`."""
    return {name: NOT_ESTIMATED for name in GLUED} | texts


def glue_names(document: dict[str, Any], advice: Recommendation) -> dict[str, str]:
    """What the executive summary glues, by name: the verdict and the conversion rate's headline figures."""
    return {"verdict": advice.verdict, **glued(headline_texts(document.get("conversion") or {}))}


def headline_tiles(document: dict[str, Any], advice: Recommendation) -> list[Tile]:
    """The verdict, the conversion rate, net value per seat and production adoption, each with its interval."""
    texts = headline_texts(document.get("conversion") or {})
    tiles = [Tile("Verdict", advice.verdict, "the rule is stated under the conditions", TONES[advice.verdict])]
    if not texts:
        return tiles
    level = texts["interval_level"]
    tiles.append(
        Tile(
            "Conversion rate",
            texts["conversion_rate"],
            f"of the pilot's value per person kept in production; {level} interval {texts['conversion_rate_interval']}",
        )
    )
    if "net_value_per_seat" in texts:
        tiles.append(
            Tile(
                "Net value per seat",
                texts["net_value_per_seat"],
                f"a year, after the licence; {level} interval {texts['net_value_per_seat_interval']}",
            )
        )
    tiles.append(
        Tile(
            "Production adoption",
            texts["production_adoption"],
            f"of employees using it at full rollout; {level} interval {texts['production_adoption_interval']}",
        )
    )
    return tiles


def tiles_html(tiles: list[Tile], prepared_by: str = "") -> str:
    """The tiles as escaped HTML (styled by scalegap.css), and who prepared the assessment under them."""
    cells = "".join(
        f'<div class="scalegap-tile scalegap-tile-{html.escape(tile.tone)}">'
        f'<div class="scalegap-tile-label">{html.escape(tile.label)}</div>'
        f'<div class="scalegap-tile-value">{html.escape(tile.value)}</div>'
        f'<div class="scalegap-tile-detail">{html.escape(tile.detail)}</div></div>'
        for tile in tiles
    )
    byline = f'<p class="scalegap-byline">{html.escape(prepared_by)}</p>' if prepared_by else ""
    return f'<div class="scalegap-tiles">{cells}</div>{byline}'


def prepared_by(branding: BrandingSettings) -> str:
    """ "Prepared by <consultant>, <consultancy>" (``branding``), or "" when neither is set."""
    names = ", ".join(name for name in (branding.consultant.strip(), branding.consultancy.strip()) if name)
    return f"Prepared by {names}" if names else ""


@dataclass(frozen=True)
class Condition:
    """A condition of the verdict in plain words: what must change, who owns it, by when, and the evidence."""

    change: str
    owner: str
    by_when: str
    evidence: str
    page: str
    #: the figure in full (the link's title)
    detail: str = ""


#: a red scorecard area (the metric's name before its colon): what must change and who usually owns it
PLAIN_AREAS = {
    "Reliability": ("Cut the outages, incidents and bugs users meet", "IT operations with the vendor"),
    "Security and compliance": ("Put the missing data-protection and incident safeguards in place", "Security lead"),
    "Integration": ("Automate the manual steps around the assistant before volume grows", "Workflow owners and IT"),
    "Support burden": ("Staff the service desk for the rollout's ticket volume", "Service-desk manager"),
    "Adoption": ("Get more of the people who have it to use it every week", "Business sponsor"),
    "Value": ("Raise the time saved per task before widening the rollout", "Business sponsor"),
}


def plain_conditions(document: dict[str, Any]) -> list[Condition]:
    """The conditions of a "Go with conditions" (or "Not yet"), worded for an executive: one per red scorecard
    metric and one per kind of governance action, each linked to the chapter with the figure."""
    when = "Before the first wave starts"
    conditions = []
    for red in document.get("scorecard_red") or []:
        area, _, _ = red["metric"].partition(":")
        change, owner = PLAIN_AREAS.get(area, (f"Bring {area.lower()} to green", "Rollout sponsor"))
        evidence = f"now {red['value'].split(' (')[0]}; {red['rule'].split(';')[0]} (Operational scorecard)"
        detail = f"{red['metric']}: now {red['value']}; {red['rule']}"
        conditions.append(Condition(change, owner, when, evidence, "65_scorecard", detail))
    items = document.get("governance_before_rollout") or []
    to_build = [item for item in items if item["action"].startswith("Put it in place")]
    to_own = [item for item in items if item not in to_build]
    if to_build:
        areas = sorted({item["area"].lower() for item in to_build})
        conditions.append(
            Condition(
                f"Put in place the missing safeguards for {', '.join(areas)}",
                "Governance lead (a named owner for each)",
                when,
                f"{', '.join(item['item'] for item in to_build)} absent (Governance readiness)",
                "60_governance",
                "; ".join(f"{item['item']}: {item.get('question', item['area'])}" for item in to_build),
            )
        )
    if to_own:
        conditions.append(
            Condition(
                f"Name an owner for {len(to_own)} more governance item{'s' if len(to_own) != 1 else ''}",
                "Executive sponsor",
                when,
                f"{', '.join(item['item'] for item in to_own)} (Governance readiness)",
                "60_governance",
                "; ".join(f"{item['item']}: {item.get('question', item['area'])}" for item in to_own),
            )
        )
    return conditions


def conditions_html(conditions: list[Condition]) -> str:
    """The conditions as an escaped table; the evidence is a link to the chapter that holds the figure."""
    if not conditions:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(c.change)}</td><td>{html.escape(c.owner)}</td><td>{html.escape(c.by_when)}</td>"
        f'<td><a href="{html.escape(c.page)}.html" title="{html.escape(c.detail)}">'
        f"{html.escape(c.evidence)}</a></td></tr>"
        for c in conditions
    )
    return (
        '<table class="scalegap-table scalegap-conditions"><caption>The conditions, in plain words</caption>'
        "<thead><tr><th>What must change</th><th>Suggested owner</th><th>By when</th><th>The figure behind it</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


#: how myst-nb finds a glued value that is not displayed where it is glued (myst_nb.ext.glue's GLUE_PREFIX)
GLUE_PREFIX = "application/papermill.record/"


def glue(names: dict[str, str]) -> None:
    """Glue each text under its name, undisplayed, for ``{glue:text}`name``` in the chapter's commentary.

    What ``myst_nb.glue(name, text, display=False)`` writes, without importing myst-nb (and Sphinx) into the
    kernel; the text is stored as is, so the role shows it without a string's quotes.
    """
    from IPython.display import display

    for name, text in names.items():
        display(
            {GLUE_PREFIX + "text/plain": text},
            raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}},
        )

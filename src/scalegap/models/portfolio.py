"""The portfolio (``scalegap compare``): several clients' headline figures side by side, each read from the
client's last good build's results.json (``_build/results.json``) and checked against the published schema.

Reading and aligning only; :mod:`scalegap.present.portfolio` renders it.  Each client is shown under an
anonymised label ("Client A", "Client B", in the order given) unless its real name is asked for.  A figure that
is null in results.json carries the reason results.json gives (``not_assessed``, or the conversion block's own).
A client without a usable results.json blocks the whole portfolio: a page without it would be wrong.
"""

from __future__ import annotations

import json
import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalegap.client import ClientFolder
from scalegap.errors import ConfigurationError, InputError, ScalegapError, raise_all
from scalegap.models.results import schema_problems

#: the reason shown for a null figure results.json gives none for
NO_REASON = "not assessed: results.json gives no reason"
#: the conversion rate's four factors, in results.json's order, and their names on the page
FACTORS = (
    ("adoption", "Adoption"),
    ("effect", "Effect per user"),
    ("data_mix", "Data mix"),
    ("sustainment", "Sustainment"),
)


@dataclass(frozen=True)
class Figure:
    """One client's figure: its estimate and interval, or (estimate None) the reason it was not assessed."""

    estimate: float | None
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    #: a value no replicate varies is an assumption (no interval): what results.json says of it
    assumption: str | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    #: how it is written: "index" (0–100), "share" (a percentage), "factor" (a multiplier), "money"
    kind: str


#: the portfolio's rows, in order
ROWS = (
    Row("readiness", "Readiness index, organisation (0–100)", "index"),
    Row("conversion_rate", "Conversion rate", "share"),
    *(Row(f"factor.{key}", f"Factor: {name}", "factor") for key, name in FACTORS),
    Row("net_value_per_seat", "Net value per seat per year at full rollout", "money"),
)


@dataclass(frozen=True)
class ClientFigures:
    """One client's column."""

    label: str
    #: the level of every interval of the client's figures (statistics.interval)
    interval: float
    #: the figures by :data:`ROWS` key
    figures: dict[str, Figure]
    #: the recommendation ("Go", "Go with conditions", "Not yet"); None with its reason
    verdict: str | None
    verdict_reason: str | None
    #: the currency of the money figures (None without them)
    currency: str | None
    #: when the client's results.json was written
    generated_at: str


@dataclass(frozen=True)
class Portfolio:
    clients: tuple[ClientFigures, ...]
    rows: tuple[Row, ...] = ROWS


def anonymous_label(position: int) -> str:
    """ "Client A" … "Client Z", then "Client 27" onwards (``position`` counts from 0)."""
    letters = string.ascii_uppercase
    return f"Client {letters[position]}" if position < len(letters) else f"Client {position + 1}"


def read_results_document(root: Path) -> dict[str, Any]:
    """The client's last good build's results.json; an error naming the client, with the hint, when it has none
    or it departs from the published schema."""
    path = ClientFolder(root).results
    if not root.is_dir():
        raise ConfigurationError("client folder not found", file=root, hint="check the folder's name")
    if not path.is_file():
        raise InputError(
            "this client has no results.json: it was never run", file=root, hint=f"run `scalegap run {root}` first"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"results.json cannot be read: {error}", file=path, hint=f"scalegap run {root}") from None
    problems = schema_problems(document)
    if problems:
        raise InputError(
            f"results.json departs from the published schema ({problems[0]})",
            file=path,
            hint=f"it was written by another scalegap: scalegap run {root}",
        )
    return dict(document)


def _span(block: Any, reason: str | None) -> Figure:
    """A span of results.json (estimate, low, high, perhaps an assumption) as a figure; ``reason`` without one."""
    if not isinstance(block, dict):
        return _figure(None, None, None, reason)
    return _figure(block.get("estimate"), block.get("low"), block.get("high"), reason, block.get("assumption"))


def _figure(
    estimate: float | None, low: float | None, high: float | None, reason: str | None, assumption: str | None = None
) -> Figure:
    if estimate is None:
        return Figure(None, reason=reason or NO_REASON)
    return Figure(estimate, low, high, assumption=assumption)


def client_figures(document: dict[str, Any], label: str) -> ClientFigures:
    """One client's figures, aligned on :data:`ROWS`, from its results.json."""
    missing: dict[str, str] = document.get("not_assessed") or {}
    conversion = document["conversion"]
    conversion_reason = missing.get("conversion_rate") or (
        None if conversion.get("available") else f"not assessed: {conversion.get('reason') or 'no reason given'}"
    )
    readiness = document["readiness"]
    low, high = document["conversion_rate_interval"] or (None, None)
    figures = {
        "readiness": _figure(
            readiness["organisation_index"],
            readiness["organisation_index_low"],
            readiness["organisation_index_high"],
            missing.get("readiness.organisation_index"),
        ),
        "conversion_rate": _figure(document["conversion_rate"], low, high, conversion_reason),
    }
    factors = conversion.get("factors") or {}
    for key, _ in FACTORS:
        figures[f"factor.{key}"] = _span(factors.get(key), conversion_reason)
    money = conversion.get("money") if conversion.get("available") else None
    money_reason = conversion_reason or "not assessed: the value is a quality score, which has no money value"
    figures["net_value_per_seat"] = _span((money or {}).get("net_value_per_seat_per_year"), money_reason)
    recommendation = document["recommendation"]
    return ClientFigures(
        label=label,
        interval=float(document["interval"]),
        figures=figures,
        verdict=recommendation.get("verdict"),
        verdict_reason=None if recommendation.get("verdict") else (conversion_reason or NO_REASON),
        currency=(money or {}).get("currency"),
        generated_at=str(document.get("generated_at") or ""),
    )


def portfolio_label(document: dict[str, Any], position: int, names: bool) -> str:
    """The client's name when ``names`` is asked for and its own settings allow it (``privacy.name_in_portfolios``,
    carried by its results.json; a results.json without it does not); else "Client A", "Client B" …"""
    return (
        document["client"]
        if names and document.get("client_named_in_portfolios") is True
        else anonymous_label(position)
    )


def read_portfolio(roots: Sequence[Path], names: bool = False) -> Portfolio:
    """Each client's figures in the order given, labelled "Client A", "Client B" … or (``names``) by the name in
    its results.json where its confidentiality setting allows (:func:`portfolio_label`).  Every client without a
    usable results.json is an error (one line each)."""
    documents: list[dict[str, Any]] = []
    errors: list[ScalegapError] = []
    for root in roots:
        try:
            documents.append(read_results_document(root))
        except ScalegapError as error:
            errors.append(error)
    raise_all(errors)
    if not documents:
        raise ConfigurationError("no client folder given", hint="scalegap compare DIR1 DIR2 …")
    return Portfolio(
        tuple(
            client_figures(document, portfolio_label(document, position, names))
            for position, document in enumerate(documents)
        )
    )

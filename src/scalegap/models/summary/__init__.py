"""Headline figures: what results.json carries and the executive summary states.

The summarise step computes results.json once (:func:`results_document`): every chapter's headline, the
conversion rate with its factors and intervals (the conversion study runs here, once), the gaps ranked by their
effect on it, and the recommendation (:mod:`scalegap.models.recommendation`).  The executive summary only reads
that document (the page functions, in :mod:`scalegap.models.summary_page`, take its content), so the book and
results.json cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scalegap.models import readiness, value
from scalegap.models.adoption import STUDY as ADOPTION_STUDY
from scalegap.models.adoption import adoption_headline, adoption_study, computed_adoption_study
from scalegap.models.adoption.demographic_cliff import forecast_by_department
from scalegap.models.governance import governance_headline
from scalegap.models.integration import integration_headline
from scalegap.models.population import validity_headline
from scalegap.models.recommendation import recommend
from scalegap.models.results import persist_study, read_results, results_path, write_document
from scalegap.models.rollout import rollout_headline, rollout_plan
from scalegap.models.scorecard import scorecard_headline
from scalegap.models.summary.blocks import (
    before_rollout_items,
    conversion_results,
    first_wave,
    readiness_by_department,
    red_metrics,
)
from scalegap.models.summary.headline import HeadlineFigures, headline_figures
from scalegap.models.summary.not_assessed import not_assessed
from scalegap.models.summary.page_rows import assessed_statement, summary_rows
from scalegap.models.support import support_headline
from scalegap.package import PreparedPackage

#: what the summary chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "HeadlineFigures",
    "assessed_statement",
    "load_results",
    "results_document",
    "summary_rows",
    "write_results",
]


# --- the results document --------------------------------------------------------------------------------------------


def write_results(package: PreparedPackage, generated_at: str) -> Path:
    """The summarise step: compute the adoption and conversion studies once (the slow, bootstrapped ones),
    persist them in the results folder, where the chapters' notebooks read them, and write results.json from
    what was persisted, so that the book and results.json show the same study."""
    adoption = computed_adoption_study(package)
    persist_study(package, ADOPTION_STUDY, adoption)
    persist_study(package, value.STUDY, value.computed_chapter_study(package, adoption.forecasts))
    return write_document(package, results_document(package, generated_at))


def load_results(package: PreparedPackage) -> dict[str, Any]:
    """The headline figures written by :func:`write_results`, or computed now when the package has none."""
    if results_path(package).is_file():
        return read_results(package)
    return results_document(package, generated_at="")


def results_document(package: PreparedPackage, generated_at: str) -> dict[str, Any]:
    """The content of _build/results.json."""
    headline = headline_figures(package)
    adoption = adoption_study(package)  # persisted by write_results; computed here only without it
    document = {
        "client": headline.client,
        "client_named_in_portfolios": package.settings.privacy.name_in_portfolios,
        "generated_at": generated_at,
        "scalegap_version": package.manifest["scalegap_version"],
        "interval": package.settings.statistics.interval,
        "inputs": [
            {"table": item["table"], "file": item["file"], "sha256": item["sha256"]}
            for item in package.manifest["inputs"]
        ],
        "headline": headline.as_dict(),
        "readiness": readiness.readiness_headline(package).as_dict(),
        "readiness_by_department": readiness_by_department(package),
        "pilot_validity": validity_headline(package).as_dict(),
        "adoption": adoption_headline(package, adoption).as_dict(),
        "adoption_by_department": forecast_by_department(adoption.data, adoption.forecasts),
        "support": support_headline(package).as_dict(),
        "integration": integration_headline(package).as_dict(),
        "governance": governance_headline(package).as_dict(),
        "governance_before_rollout": before_rollout_items(package),
    }
    # these chapters are built from the others' headline figures
    document["scorecard"] = scorecard_headline(package, results=document).as_dict()
    document["scorecard_red"] = red_metrics(package, document)
    plan = rollout_plan(package, results=document)
    document["rollout"] = rollout_headline(package, plan).as_dict()
    document["first_wave"] = first_wave(plan)
    document |= conversion_results(package)  # the conversion study: ~10–20 s on a client of 2,000 people
    missing = not_assessed(package, document, adoption)
    document["recommendation"] = recommend(document).as_dict()
    document["not_assessed"] = missing
    return document

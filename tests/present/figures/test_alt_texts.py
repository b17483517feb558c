"""Every figure's alt text: computed even when a chapter has no data (its figure is then not drawn), so each
alt-text function says what its figure shows, whatever it is given."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest

import scalegap.present.figures as figures

#: a value for each kind of argument an alt-text function takes besides its table
SAMPLES = {"str": "Department", "float": 0.5, "int": 5, "float | None": None}


def alt_functions() -> list:
    found = []
    for module in pkgutil.iter_modules(figures.__path__):
        loaded = importlib.import_module(f"{figures.__name__}.{module.name}")
        found += [
            function
            for name, function in inspect.getmembers(loaded, inspect.isfunction)
            if name.endswith("_alt") and function.__module__ == loaded.__name__
        ]
    return found


FRAME_FIRST = [
    function
    for function in alt_functions()
    if next(iter(inspect.signature(function).parameters.values())).annotation == "pd.DataFrame"
]


def test_every_figure_module_with_figures_has_alt_texts() -> None:
    modules = {function.__module__.rsplit(".", 1)[-1] for function in alt_functions()}
    assert modules >= {"intake", "readiness", "population", "adoption", "data_reality", "portability", "support"}
    assert modules >= {"integration", "governance", "scorecard", "conversion", "rollout"}
    assert len(FRAME_FIRST) >= 20


@pytest.mark.parametrize("function", FRAME_FIRST, ids=lambda function: function.__name__)
def test_an_alt_text_of_an_empty_table_still_says_what_the_figure_shows(function) -> None:
    parameters = list(inspect.signature(function).parameters.values())[1:]
    arguments = [
        pd.DataFrame() if parameter.annotation == "pd.DataFrame" else SAMPLES[parameter.annotation]
        for parameter in parameters
        if parameter.default is inspect.Parameter.empty
    ]
    text = function(pd.DataFrame(), *arguments)
    assert len(text) > 20 and text.endswith(".") and figures.check_alt(text)


def test_the_summary_waterfall_says_what_it_shows_or_why_it_is_missing() -> None:
    from scalegap.present.figures.conversion import waterfall_of, waterfall_of_alt

    def span(value: float) -> dict[str, float | str]:
        return {"estimate": value, "low": value * 0.8, "high": value * 1.2, "unit": "minutes"}

    factors = {name: {"estimate": 0.8} for name in ("adoption", "effect", "data_mix", "sustainment")}
    conversion = {
        "available": True,
        "conversion_rate": 0.41,
        "factors": factors,
        "pilot_value_per_person": span(100.0),
        "production_value_per_person": span(41.0),
    }
    alt = waterfall_of_alt(conversion)
    assert "a conversion rate of 41%" in alt and "(100.0 minutes)" in alt
    assert waterfall_of({"available": False}) is None
    assert "could not be estimated" in waterfall_of_alt({"available": False})

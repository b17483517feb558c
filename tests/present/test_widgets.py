"""The what-if sliders and the view they drive (the levers' arithmetic: tests/models/test_sensitivity.py)."""

from __future__ import annotations

import ipywidgets
import pytest

from scalegap import reads
from scalegap.models import sensitivity
from scalegap.present import widgets
from tests.models.test_sensitivity import UNPROJECTED, hand_study


def test_sliders_span_the_levers() -> None:
    sliders = widgets.what_if_sliders(hand_study(), None)
    assert list(sliders) == list(sensitivity.LEVERS)
    staffing = sliders["support_fte"]
    assert (staffing.min, staffing.value, staffing.max) == pytest.approx((2.0, 4.0, 8.0))
    assert sliders["volunteer_share"].max == 1.0 and not sliders["volunteer_share"].continuous_update
    assert widgets.what_if_sliders(hand_study(sustainment=UNPROJECTED), None)["support_fte"].disabled


def test_what_if_view_displays_the_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr(widgets, "display", shown.append)
    widgets.what_if_view(hand_study(sustainment=UNPROJECTED), None)(0.0, 1.0, 0.0, 0.0)
    assert len(shown) == 1 and "36 % (22 % to 54 %)" in shown[0].data


def test_the_what_if_cell_shows_live_sliders_in_jupyterlab_and_a_sentence_under_scalegap_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = []
    monkeypatch.setattr(widgets, "display", shown.append)
    monkeypatch.delenv(reads.HEADLESS_VARIABLE, raising=False)
    widgets.show_what_if(hand_study(sustainment=UNPROJECTED), None)
    assert isinstance(shown[-1], ipywidgets.interactive)  # (the view has shown its first scenario before it)
    shown.clear()
    monkeypatch.setenv(reads.HEADLESS_VARIABLE, "1")
    widgets.show_what_if(hand_study(sustainment=UNPROJECTED), None)
    assert len(shown) == 1 and "JupyterLab" in shown[0].data and not isinstance(shown[0], ipywidgets.Widget)

"""The what-if sliders and the view they drive (the levers' arithmetic: tests/models/test_sensitivity.py)."""

from __future__ import annotations

import pytest

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

"""Every figure with intervals names their level, the book's one ``statistics.interval``."""

from __future__ import annotations

import pandas as pd
import pytest

from scalegap import number_format as nf
from scalegap.models.support import RATE
from scalegap.present.figures import png_bytes, support
from scalegap.privacy import SUPPRESSED


def comparison() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Rate": ["Pilot members, observed", "Whole organisation, projected"],
            "People": [40, 400],
            RATE: [6.0, 4.0],
            "Interval low": [5.0, 3.0],
            "Interval high": [7.5, 5.5],
            SUPPRESSED: [False, False],
        }
    )


def curve() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Rollout share": [0.25, 0.5, 1.0],
            "Agents needed (FTE)": [1.0, 2.0, 4.0],
            "Agents needed low": [0.8, 1.6, 3.2],
            "Agents needed high": [1.3, 2.5, 5.0],
        }
    )


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95])
def test_the_ticket_rate_figure_names_its_interval_level(level: float) -> None:
    figure = support.ticket_rates(comparison(), 5, interval=level)
    assert figure is not None and f"with {nf.interval_label(level)}" in figure.axes[0].get_xlabel()
    png_bytes(figure)


def test_the_staffing_band_is_labelled_with_its_level() -> None:
    figure = support.staffing_curve(curve(), 3.0, 0.6, 0.1, interval=0.8)
    assert figure is not None
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert "80 % interval" in labels and "95 % interval" not in labels

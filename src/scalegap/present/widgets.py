"""The conversion chapter's live what-if controls (JupyterLab only; the book shows the what-if grid): four
sliders over the levers of :mod:`scalegap.models.sensitivity`, and the view that shows the scenario they set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets
from IPython.display import display

from scalegap import number_format as nf
from scalegap.models.conversion import ConversionStudy
from scalegap.models.sensitivity import LEVER_LABELS, STAFFING_RANGE, Levers, planned_staffing, scenario_table
from scalegap.package import PreparedPackage
from scalegap.present import tables


def what_if_view(study: ConversionStudy, package: PreparedPackage) -> Callable[..., None]:
    """A function of the four slider values that displays the updated estimate (for ``ipywidgets.interactive``)."""

    def view(
        volunteer_share: float, messy_share_reduction: float, support_fte: float, training_coverage: float
    ) -> None:
        levers = Levers(
            volunteer_share,
            messy_share_reduction,
            support_fte if planned_staffing(study) is not None else None,
            training_coverage,
        )
        display(
            tables.show(
                scenario_table(study, package, levers),
                f"What-if: the conversion rate under the levers ({nf.interval_label(study.interval)} in brackets)",
            )
        )

    return view


def what_if_sliders(study: ConversionStudy, package: PreparedPackage) -> dict[str, Any]:
    """The four ipywidgets sliders, keyed by the :func:`what_if_view` argument they set."""
    style = {"description_width": "18em"}
    layout = ipywidgets.Layout(width="40em")

    def share(lever: str) -> Any:
        return ipywidgets.FloatSlider(
            value=0.0,
            min=0.0,
            max=1.0,
            step=0.05,
            description=LEVER_LABELS[lever],
            readout_format=".0%",
            continuous_update=False,
            style=style,
            layout=layout,
        )

    planned = planned_staffing(study)
    staffing = ipywidgets.FloatSlider(
        value=planned or 0.0,
        min=STAFFING_RANGE[0] * (planned or 0.0),
        max=STAFFING_RANGE[1] * (planned or 1.0),
        step=(planned or 1.0) / 20,
        readout_format=".1f",
        continuous_update=False,
        disabled=planned is None,
        description=LEVER_LABELS["support_fte"] + ("" if planned else " (not projected)"),
        style=style,
        layout=layout,
    )
    return {
        "volunteer_share": share("volunteer_share"),
        "messy_share_reduction": share("messy_share_reduction"),
        "support_fte": staffing,
        "training_coverage": share("training_coverage"),
    }

"""The conversion chapter's live what-if controls (JupyterLab only; the book shows the what-if grid): four
sliders over the levers of :mod:`scalegap.models.sensitivity`, and the view that shows the scenario they set."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import ipywidgets
from IPython.display import HTML, display

from scalegap import number_format as nf
from scalegap import reads
from scalegap.models.conversion import ConversionStudy
from scalegap.models.sensitivity import LEVER_LABELS, STAFFING_RANGE, Levers, planned_staffing, scenario_table
from scalegap.package import PreparedPackage
from scalegap.present import tables

#: what a chapter executed by `scalegap run` shows where the live sliders would be
NOT_LIVE = "The live what-if sliders appear when this cell is run in JupyterLab (scalegap lab)."


def show_what_if(study: ConversionStudy, package: PreparedPackage) -> None:
    """The live what-if sliders (:func:`what_if_sliders` driving :func:`what_if_view`) where a browser runs the
    notebook; in the kernels of ``scalegap run``, which no browser is attached to, a sentence saying where they
    are instead.  Displaying live widgets there now and then left nbclient waiting for a reply that never came
    (jupyter/nbclient#312), which stalled the chapter for the whole cell timeout; the book shows the precomputed
    what-if grid, not this cell."""
    if os.environ.get(reads.HEADLESS_VARIABLE) == "1":
        display(HTML(tables.paragraphs([NOT_LIVE])))
        return
    display(ipywidgets.interactive(what_if_view(study, package), **what_if_sliders(study, package)))


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

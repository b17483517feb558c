"""Survey non-response: the conversion rate if non-respondents were less ready than respondents."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.adoption import forecast as adoption_forecast
from scalegap.models.conversion.arrays import roster_arrays
from scalegap.models.conversion.evidence import ConversionInputs
from scalegap.models.conversion.point_estimate import Draws, one_estimate
from scalegap.models.conversion.resampling import ConversionStudy, department_adoption

# --- survey non-response --------------------------------------------------------------------------------------------

NON_RESPONSE_SHIFTS = (0.0, 0.25, 0.5)


def with_less_ready_non_respondents(inputs: ConversionInputs, shift: float) -> ConversionInputs:
    """``inputs`` with the non-respondents' standardised readiness lowered by ``shift``."""
    people = inputs.people.assign(readiness_z=inputs.people["readiness_z"] - shift * (~inputs.people["responded"]))
    return dataclasses.replace(inputs, people=people)


def non_response_sensitivity(study: ConversionStudy, shifts: tuple[float, ...] = NON_RESPONSE_SHIFTS) -> pd.DataFrame:
    """How the point estimate moves if the roster's non-respondents are less ready than the respondents of
    their department by ``shift`` standard deviations of the readiness index (0: the estimate's assumption)."""
    forecasts, inputs = study.forecasts, study.inputs
    everyone = np.arange(len(forecasts.inputs.fit))
    answered = np.flatnonzero(forecasts.inputs.production["responded"].to_numpy())
    spread = float(np.nanstd(forecasts.inputs.production["readiness"].to_numpy(float)))
    rows = []
    for shift in shifts:
        draw = adoption_forecast.estimate(
            forecasts.inputs, everyone, answered, None, forecasts.point.scaling, production_shift=-shift * spread
        )
        shifted = with_less_ready_non_respondents(inputs, shift)
        estimate = one_estimate(
            roster_arrays(shifted),
            np.arange(len(shifted.people)),
            department_adoption(forecasts, draw, inputs.departments),
            draw.scaling.conditions,
            study.point.sustainment,
            Draws(),
        )
        rows.append(
            {
                "Non-respondents less ready by (standard deviations)": shift,
                "Production adoption": estimate.production_adoption,
                "Conversion rate": estimate.conversion_rate,
            }
        )
    return pd.DataFrame(rows)


def non_response_table(study: ConversionStudy) -> pd.DataFrame:
    """:func:`non_response_sensitivity` for display: shares as percentages, the rate to two decimals."""
    table = non_response_sensitivity(study)
    return pd.DataFrame(
        {
            "Non-respondents less ready than respondents of their department by": [
                "not at all (the estimate's assumption)" if s == 0 else f"{s:g} standard deviations"
                for s in table.iloc[:, 0]
            ],
            "Production adoption": [f"{nf.share(v)}" for v in table["Production adoption"]],
            "Conversion rate": [f"{v:.2f}" for v in table["Conversion rate"]],
        }
    )

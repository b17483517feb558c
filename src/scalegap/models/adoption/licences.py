"""Licence waste: licences never used, or idle for 28 days at the end of the data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalegap.models.adoption.access import AdoptionData
from scalegap.models.segments import label
from scalegap.privacy import suppress_small_counts, suppress_small_groups

INACTIVE_DAYS = 28


# --- licence waste ------------------------------------------------------------------------------------------------

NEVER_USED, NO_LONGER_USED, IN_USE = "Never used", "No longer used", "In use"


def licence_status(
    seats: pd.DataFrame, last_active: pd.Series, data_end: pd.Timestamp, window_days: int = INACTIVE_DAYS
) -> pd.DataFrame:
    """Per licence: its last activity (licence report or usage table, the later) and status.

    *Never used*: no activity at all.  *No longer used*: no activity in the ``window_days`` days ending on
    ``data_end``.  ``last_active`` is indexed by ``person_id``.
    """
    result = seats.copy()
    from_usage = result["person_id"].map(last_active) if len(last_active) else pd.Series(pd.NaT, index=result.index)
    last = pd.concat([pd.to_datetime(result["last_activity_at"]), pd.to_datetime(from_usage)], axis=1).max(axis=1)
    cutoff = pd.Timestamp(data_end).normalize() - pd.Timedelta(days=window_days - 1)
    result["last_activity"] = last
    result["status"] = np.select([last.isna(), last < cutoff], [NEVER_USED, NO_LONGER_USED], default=IN_USE)
    return result


def licences(data: AdoptionData) -> pd.DataFrame | None:
    """Every licence in the seats table with its status and the holder's segments (None: no seats table)."""
    if data.seats is None or data.data_end is None:
        return None
    last_active = data.people.set_index("person_id")["last_active"].dropna()
    status = licence_status(data.seats, last_active, data.data_end)
    segments = data.people.set_index("person_id")[data.segments]
    return status.join(segments, on="person_id")


def licence_waste_table(data: AdoptionData, segment: str) -> pd.DataFrame:
    """Per segment value: licences, never used, no longer used, and the wasted share (both together)."""
    status = licences(data)
    name = label(segment)
    columns = [name, "Licences", NEVER_USED, NO_LONGER_USED, "Wasted share"]
    if status is None or status.empty:
        return pd.DataFrame(columns=columns)
    groups = status[segment].fillna("(not in the roster)")
    counts = pd.crosstab(groups, status["status"]).reindex(columns=[NEVER_USED, NO_LONGER_USED, IN_USE], fill_value=0)
    table = pd.DataFrame(
        {
            name: counts.index,
            "Licences": counts.sum(axis=1).to_numpy(),
            NEVER_USED: counts[NEVER_USED].to_numpy(),
            NO_LONGER_USED: counts[NO_LONGER_USED].to_numpy(),
        }
    )
    table["Wasted share"] = (table[NEVER_USED] + table[NO_LONGER_USED]) / table["Licences"]
    shown = suppress_small_groups(table, "Licences", data.minimum)
    shown = suppress_small_counts(shown, NEVER_USED, data.minimum, ["Wasted share"])
    return suppress_small_counts(shown, NO_LONGER_USED, data.minimum, ["Wasted share"])


@dataclass(frozen=True)
class LicenceWaste:
    licences: int
    never_used: int
    no_longer_used: int
    window_start: str
    window_end: str

    @property
    def wasted(self) -> int:
        return self.never_used + self.no_longer_used


def licence_waste(data: AdoptionData) -> LicenceWaste | None:
    """Licence counts overall (every licence, in the roster or not)."""
    status = licences(data)
    if status is None:
        return None
    end = pd.Timestamp(data.data_end).normalize()
    return LicenceWaste(
        len(status),
        int((status["status"] == NEVER_USED).sum()),
        int((status["status"] == NO_LONGER_USED).sum()),
        (end - pd.Timedelta(days=INACTIVE_DAYS - 1)).date().isoformat(),
        end.date().isoformat(),
    )

from __future__ import annotations

import pandas as pd

from scalegap.models.segments import band_key, in_natural_order, rows_in_natural_order


def test_bands_sort_by_their_lower_bound() -> None:
    alphabetical = ["1-3 years", "10+ years", "3-5 years", "5-10 years", "<1 year"]
    assert in_natural_order(alphabetical) == ["<1 year", "1-3 years", "3-5 years", "5-10 years", "10+ years"]
    assert in_natural_order(["80–100", "0–20", "20–40", "(not recorded)"]) == [
        "0–20",
        "20–40",
        "80–100",
        "(not recorded)",
    ]
    assert in_natural_order(["under 25", "25-34", "55+"]) == ["under 25", "25-34", "55+"]
    assert band_key("Sales") is None and band_key("<1 year") < band_key("1-3 years")


def test_other_labels_sort_alphabetically_with_not_recorded_last() -> None:
    assert in_natural_order(["Sales", "(not recorded)", "IT", None, "IT"]) == ["IT", "Sales", "(not recorded)"]
    assert in_natural_order(["Team 10", "Sales"]) == ["Sales", "Team 10"]  # not every label is a band


def test_rows_follow_the_natural_order_and_keep_what_the_table_carries() -> None:
    frame = pd.DataFrame({"Tenure band": ["10+ years", "<1 year", "1-3 years"], "People": [3, 1, 2]})
    frame.attrs["min_group_size"] = 5
    ordered = rows_in_natural_order(frame, "Tenure band")
    assert ordered["People"].tolist() == [1, 2, 3] and ordered.attrs == {"min_group_size": 5}

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap import number_format as nf


def test_counts_have_separators_and_no_decimals() -> None:
    assert nf.count(1234) == "1,234"
    assert nf.count(12.0) == "12"
    assert nf.count(np.int64(3149)) == "3,149"
    assert nf.count(float("nan")) == "—"
    assert nf.count(None) == "—"
    assert nf.count(pd.NA) == "—"


def test_shares_are_whole_per_cent_with_one_decimal_below_ten() -> None:
    assert nf.share(0.382) == "38 %"
    assert nf.share(0.451) == "45 %"
    assert nf.share(0.045) == "4.5 %"
    assert nf.share(0.0) == "0 %"
    assert nf.share(1.0) == "100 %"
    assert nf.share(0.09996) == "10 %"  # rounds to ten: whole per cent
    assert nf.share(-0.03) == "-3.0 %"
    assert nf.share(0.382, decimals=1) == "38.2 %"


def test_factors_have_two_decimals() -> None:
    assert nf.factor(0.982) == "0.98"
    assert nf.factor(1.4) == "1.40"
    assert nf.factor(-0.0001) == "0.00"


def test_numbers_hours_and_money_drop_decimals_from_one_hundred() -> None:
    assert nf.number(1598.1) == "1,598"
    assert nf.number(62.34) == "62.3"
    assert nf.number(3.456) == "3.46"
    assert nf.hours(1598.1) == "1,598 h"
    assert nf.hours(12.46) == "12.5 h"
    assert nf.money(1598.4, "EUR") == "EUR 1,598"
    assert nf.money(-12.5, "EUR") == "−EUR 12.50"
    assert nf.money(30, "GBP") == "GBP 30"
    assert nf.amount(-3400.2) == "−3,400"


def test_intervals_take_one_precision_for_both_ends_and_the_point() -> None:
    assert nf.interval(0.0157, 0.6587, "share", point=0.38) == "2 % to 66 %"
    assert nf.interval(0.0157, 0.0587, "share") == "1.6 % to 5.9 %"
    assert nf.interval(12.04, 140.2, "number", point=60.0) == "12.0 to 140.2"
    assert nf.interval(float("nan"), 1.0) == "—"
    assert nf.interval(0.0027, 0.0034, "share") == "0.27 % to 0.34 %"  # ends that differ never read as one
    assert nf.interval(0.5, 0.5, "share") == "50 % to 50 %"
    assert nf.with_interval(0.52, 0.38, 0.66, "share", level=0.9) == "52 % (90 % interval 38 % to 66 %)"
    assert nf.with_interval(0.52, None, 0.66, "share") == "52 %"
    assert nf.interval_label(0.95) == "95 % interval"


def test_a_column_takes_one_precision() -> None:
    assert nf.column([12.0, 3.0, float("nan")]) == ["12", "3", "—"]
    assert nf.column([12.0, 12.5]) == ["12.0", "12.5"]
    assert nf.column([1598.1, 12.5]) == ["1,598", "12"]
    assert nf.column([0.982, 1.5], "factor") == ["0.98", "1.50"]
    assert nf.column([0.5, 0.04], "share") == ["50 %", "4 %"]
    assert nf.column([0.05, 0.04], "share") == ["5.0 %", "4.0 %"]
    assert nf.column(["Sales", True, None]) == ["Sales", "yes", "—"]


def test_shown_figures_read_back_as_numbers() -> None:
    assert nf.value_of("1,598") == 1598
    assert nf.value_of("38 %") == 0.38
    assert nf.value_of("4.5 %") == 0.045
    assert nf.value_of("1,598 h") == 1598
    assert nf.value_of("—") is None
    assert nf.value_of("Sales") == "Sales"
    assert nf.value_of("EUR 1,598") == "EUR 1,598"
    assert nf.value_of("-3.0 %") == -0.03

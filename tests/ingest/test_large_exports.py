"""The parts that let a usage export of millions of rows be read in bounded time and memory give what the plain
ways give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap.ingest import values
from scalegap.ingest.text import RowNumbers, duplicate_rows
from scalegap.ingest.usage import dates_per_distinct


def test_row_numbers_equal_the_tuple_of_the_same_numbers() -> None:
    numbers = RowNumbers(np.array([2, 4, 5]))
    assert numbers == (2, 4, 5) and (2, 4, 5) == numbers and numbers == [2, 4, 5]
    assert numbers != (2, 4) and numbers != (2, 4, 6)
    assert list(numbers) == [2, 4, 5] and numbers[1] == 4 and numbers[1:] == (4, 5)
    assert np.asarray(numbers).tolist() == [2, 4, 5]


def test_duplicate_rows_name_the_first_row_each_repeats() -> None:
    frame = pd.DataFrame({"a": ["x", "y", "x", "x", "y", "z"], "b": ["1", "2", "1", "1", "2", "1"]})
    assert duplicate_rows(frame, (2, 3, 5, 6, 7, 9)) == {
        2: "duplicate of row 2",
        3: "duplicate of row 2",
        4: "duplicate of row 3",
    }
    assert duplicate_rows(frame, RowNumbers(np.array([2, 3, 5, 6, 7, 9])))[4] == "duplicate of row 3"


def test_dates_of_distinct_values_weighted_by_rows_decide_as_the_whole_column() -> None:
    # 3 rows read by ISO 8601 and 4 that are not: the whole column is more than half unreadable as ISO
    cells = pd.Series(["2026-03-02"] * 3 + ["03/04/2026"] * 4, dtype="str")
    notes: list[str] = []
    expected, expected_bad = values.dates(cells, None, notes)
    distinct_notes: list[str] = []
    parsed, bad = dates_per_distinct(cells, None, distinct_notes)
    assert parsed.tolist() == expected.tolist() and bad.tolist() == expected_bad.tolist()
    assert distinct_notes == notes
    # unweighted, the two distinct values would be half ISO, and ISO would be kept
    assert values.dates(pd.Series(["2026-03-02", "03/04/2026"]))[0].notna().tolist() == [True, False]

"""The data-intake chapter's figures: totals per table, a readable size, and alt text with the headline."""

from __future__ import annotations

import pandas as pd

from scalegap.present.figures import png_bytes
from scalegap.present.figures.intake import completeness_alt, rows_alt, rows_by_table

WEEKLY = pd.DataFrame(
    {
        "Table": ["HR roster", "Licence reports", "Outcome records"],
        "Rows read": [2001, 3315, 10080],
        "Rows accepted": [1997, 194, 10067],
        "Rows superseded": [0, 3120, 0],
        "Rows rejected": [4, 1, 13],
    }
)


def test_one_bar_per_table_and_outcome_drawn_as_totals_without_whiskers() -> None:
    figure = rows_by_table(WEEKLY)
    ax = figure.axes[0]
    widths = sorted(round(patch.get_width()) for patch in ax.patches if patch.get_width())
    assert widths == sorted([1997, 194, 10067, 3120, 4, 1, 13])
    assert not ax.lines  # no confidence whiskers
    assert [label.get_text() for label in ax.get_yticklabels()] == list(WEEKLY["Table"])
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["accepted", "superseded", "rejected"]


def test_the_chart_is_a_sensible_height_and_its_log_axis_reads_as_numbers() -> None:
    figure = rows_by_table(WEEKLY)
    assert figure.get_size_inches()[1] < 6
    png_bytes(figure)
    ticks = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert "1,000" in ticks and not any("mathdefault" in tick or "$" in tick for tick in ticks)


def test_alt_texts_say_what_is_shown_and_the_headline() -> None:
    assert rows_alt(WEEKLY) == (
        "Bar chart of rows accepted, superseded and rejected per table; 12,258 of 15,396 rows read were accepted, "
        "3,120 superseded by later copies, 18 rejected."
    )
    completeness = pd.DataFrame(
        {
            "table": ["HR roster", "HR roster", "Licence reports"],
            "column": ["a", "b", "last_activity_at"],
            "completeness": [1.0, 0.95, 0.918],
        }
    )
    assert completeness_alt(completeness).endswith(
        "2 of 3 columns are under 99 % complete; the least complete is Licence reports · last_activity_at at 92%."
    )

import pandas as pd

from scalegap.present.tables import bullet_list, format_value, html_table, key_value_table


def test_every_cell_and_header_is_escaped() -> None:
    frame = pd.DataFrame({"<b>Team</b>": ["<script>alert(1)</script>"], "Rows": [3]})
    html = html_table(frame, "Caption & <more>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Team&lt;/b&gt;" in html and "Caption &amp; &lt;more&gt;" in html
    assert "<script>" not in bullet_list(["<script>"]) and "&lt;" in key_value_table([("<k>", "<v>")], "c")


def test_values_are_formatted_for_readers() -> None:
    assert format_value(1234) == "1,234"
    assert format_value(0.1234, percent=True) == "12.3%"
    assert format_value(float("nan")) == "—"
    assert format_value(True) == "yes"


def test_suppressed_rows_are_stated_under_the_table() -> None:
    frame = pd.DataFrame({"Group": ["a"], "Headcount": [None], "suppressed": [True]})
    html = html_table(frame, "x", min_group_size=5)
    assert "fewer than 5 people are suppressed" in html and "suppressed</th>" not in html

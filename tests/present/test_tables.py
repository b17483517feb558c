from pathlib import Path

import pandas as pd
import pytest

from scalegap.models.availability import chapter_notice
from scalegap.models.recommendation import Recommendation
from scalegap.present import tables
from scalegap.present.tables import bullet_list, format_value, html_table, key_value_table
from scalegap.privacy import SUPPRESSED, suppress_small_counts
from tests.models.test_availability import read, write_package


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


def test_no_notice_is_drawn_when_every_table_is_usable(tmp_path: Path) -> None:
    package = write_package(tmp_path)
    pd.DataFrame({"response_id": ["R1"]}).to_parquet(package.path / "survey.parquet", index=False)
    assert tables.notice(None) == "" and tables.show_notice(package, "integration") is None


def test_the_notice_is_escaped_html(tmp_path: Path) -> None:
    package = write_package(tmp_path, ("governance",), [read("governance", "exports/<b>list</b>.yml", 0, 0)])
    page = tables.notice(chapter_notice(package, "governance"))
    assert page.startswith('<div class="admonition warning scalegap-not-assessed">')
    assert "&lt;b&gt;list&lt;/b&gt;" in page and "<b>" not in page
    assert "Not assessed: governance checklist" in page
    assert tables.show_notice(package, "governance").data == page


def test_the_verdict_is_emphasised_and_escaped() -> None:
    advice = Recommendation("Go", "rule", ("Why <b>&</b>.",), ())
    assert tables.verdict(advice) == (
        '<p class="scalegap-verdict"><strong style="font-size: 1.3em">Go.</strong> Why &lt;b&gt;&amp;&lt;/b&gt;.</p>'
    )


def test_a_suppressed_table_states_the_minimum_it_carries_and_one_without_it_is_refused() -> None:
    frame = pd.DataFrame({"Group": ["A", "B"], "People": [3, 9]})
    suppressed = suppress_small_counts(frame, "People", 5)
    assert "Figures describing fewer than 5 people are suppressed (left blank) in 1 row(s)." in html_table(
        suppressed, "c"
    )
    assert "scalegap-note" not in html_table(frame, "c")  # nothing suppressed, no minimum: no note
    lost = pd.DataFrame({"Group": suppressed["Group"], SUPPRESSED: suppressed[SUPPRESSED]})
    with pytest.raises(ValueError, match="does not carry its minimum group size"):
        html_table(lost, "c")
    assert "fewer than 6 people" in html_table(lost, "c", min_group_size=6)  # suppressed elsewhere, said here


def test_a_status_column_shows_colour_symbol_and_word() -> None:
    frame = pd.DataFrame(
        {"Metric": ["a <b>", "b", "c", "d"], "Status": ["green", "amber", "red", "not measured"], "Rule": ["x"] * 4}
    )
    html = html_table(frame, "Scorecard", status_columns=("Status",))
    for kind, symbol, word in [
        ("green", "✔", "Green"),
        ("amber", "▲", "Amber"),
        ("red", "✖", "Red"),
        ("not-measured", "○", "Not measured"),
    ]:
        assert (
            f'<td><span class="scalegap-status scalegap-status-{kind}">'
            f'<span class="scalegap-status-symbol" aria-hidden="true">{symbol}</span> {word}</span></td>'
        ) in html
    assert "<td>red</td>" not in html and "a &lt;b&gt;" in html
    assert tables.status_badge("<odd>") == "&lt;odd&gt;"  # an unknown status stays plain, escaped text
    assert "scalegap-status" not in html_table(frame, "Scorecard")  # only in the columns named


def test_every_status_has_a_style_in_the_books_css() -> None:
    css = (Path(tables.__file__).parents[1] / "assets" / "book" / "_static" / "scalegap.css").read_text()
    for status in tables.STATUS_BADGES:
        assert f".scalegap-status-{status.replace(' ', '-')} {{" in css

from pathlib import Path

import pandas as pd
import pytest

from scalegap.models.availability import chapter_notice
from scalegap.models.recommendation import Recommendation
from scalegap.present import tables
from scalegap.present.tables import NUMBER_CLASS, bullet_list, html_table, key_value_table
from scalegap.privacy import SUPPRESSED, suppress_small_counts
from tests.models.test_availability import read, write_package


def test_every_cell_and_header_is_escaped() -> None:
    frame = pd.DataFrame({"<b>Team</b>": ["<script>alert(1)</script>"], "Rows": [3]})
    html = html_table(frame, "Caption & <more>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Team&lt;/b&gt;" in html and "Caption &amp; &lt;more&gt;" in html
    assert "<script>" not in bullet_list(["<script>"]) and "&lt;" in key_value_table([("<k>", "<v>")], "c")


def test_values_are_formatted_for_readers_one_precision_per_column() -> None:
    frame = pd.DataFrame(
        {"Team": ["a", "b"], "People": [1234, 12], "Hours": [12.0, 1598.1], "Share": [0.1234, 0.5], "On": [True, False]}
    )
    texts = tables.cell_texts(frame, percent_columns=("Share",), kinds={"Hours": "hours"})
    assert texts.to_dict("list") == {
        "Team": ["a", "b"],
        "People": ["1,234", "12"],
        "Hours": ["12 h", "1,598 h"],
        "Share": ["12 %", "50 %"],
        "On": ["yes", "no"],
    }
    assert tables.cell_texts(pd.DataFrame({"x": [12.0, 12.5]}))["x"].tolist() == ["12.0", "12.5"]


def test_figures_are_right_aligned_and_text_is_not() -> None:
    frame = pd.DataFrame({"Team": ["a", "b"], "People": [3, 9], "Interval": ["38 % to 66 %", "—"]})
    html = html_table(frame, "c")
    assert f'<th class="{NUMBER_CLASS}">People</th>' in html and f'<td class="{NUMBER_CLASS}">9</td>' in html
    assert f'<td class="{NUMBER_CLASS}">38 % to 66 %</td>' in html
    assert "<th>Team</th>" in html and "<td>a</td>" in html


def test_a_text_column_empty_in_every_row_is_dropped() -> None:
    frame = pd.DataFrame({"Team": ["a", "b"], "Note": ["", None], "Other": ["", "kept"]})
    html = html_table(frame, "c")
    assert "Note" not in html and "<th>Other</th>" in html


def test_a_suppressed_figure_shows_the_mark_alone() -> None:
    frame = pd.DataFrame({"Group": ["A", "B"], "People": [3, 9], "Share": [0.25, 0.75]})
    shown = suppress_small_counts(frame, "People", 5, derived=["Share"])
    texts = tables.cell_texts(shown, percent_columns=("Share",))
    assert texts.loc[0].tolist() == ["A", "suppressed", "suppressed"]
    assert texts.loc[1].tolist() == ["B", "9", "75 %"]


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
    assert "Figures describing fewer than 5 people are suppressed (shown as “suppressed”) in 1 row," in html_table(
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


def test_a_table_of_figures_names_their_interval_level_once() -> None:
    rows = [
        ("Conversion rate", "36 % (90 % interval 30 % to 50 %)"),
        ("Seats", "120"),
        ("Net", "5 (90 % interval 1 to 9)"),
    ]
    html = key_value_table(rows, "At a glance")
    assert "At a glance (in brackets: 90 % intervals)" in html and html.count("90 %") == 1
    assert "<td>36 % (30 % to 50 %)</td>" in html
    mixed = [("a", "1 (90 % interval 0 to 2)"), ("b", "1 (95 % interval 0 to 3)")]
    assert tables.level_named_once(mixed, "c") == (mixed, "c")

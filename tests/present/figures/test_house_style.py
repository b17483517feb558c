"""What every figure shares: plain-text labels, shortened long labels, and the same bytes on every run."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib
import pandas as pd

from scalegap.present.figures import LABEL_LIMIT, png_bytes, shortened, use_house_style
from scalegap.present.figures.intake import completeness_by_table, pilot_mix, rows_by_table

FIGURES = Path(__file__).resolve().parents[3] / "src" / "scalegap" / "present" / "figures"


def overview(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Department": names,
            "Headcount": [40, 30, 20][: len(names)],
            "Pilot members": [8, 6, 4][: len(names)],
            "suppressed": [False] * len(names),
        }
    )


def test_a_dollar_sign_in_client_data_is_text_not_math() -> None:
    use_house_style()
    figure = pilot_mix(overview(["Ops $5-$10k", "R&D $a_{b$ team", "Sales"]), "Department")
    png_bytes(figure)  # mathtext raises on '$a_{b$'
    ticks = figure.axes[0].get_yticklabels()
    assert {"Ops $5-$10k", "R&D $a_{b$ team"} <= {label.get_text() for label in ticks}
    assert not any(label.get_parse_math() for label in ticks)


def test_long_labels_are_shortened_with_an_ellipsis() -> None:
    long_name = "Customer Operations and Claims Handling (North-West Region, Tier 2)"
    figure = pilot_mix(overview([long_name, "Sales"]), "Department")
    png_bytes(figure)
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert shortened(long_name) in labels and len(shortened(long_name)) == LABEL_LIMIT
    assert shortened(long_name).endswith("…") and shortened("Sales") == "Sales"


def test_the_same_figure_gives_the_same_bytes() -> None:
    completeness = pd.DataFrame(
        {
            "table": ["HR roster"] * 4 + ["Usage"] * 3,
            "column": list("abcdefg"),
            "completeness": [1, 0.9, 0.5, 0.97, 1, 0.8, 0.99],
        }
    )
    accounting = pd.DataFrame(
        {"Table": ["HR roster", "Licences", "Licences"], "Rows accepted": [10, 0, 195], "Rows rejected": [1, 195, 1]}
    )
    for make in (lambda: completeness_by_table(completeness), lambda: rows_by_table(accounting)):
        assert png_bytes(make()) == png_bytes(make())


def test_the_intake_chart_adds_up_a_tables_files() -> None:
    accounting = pd.DataFrame(
        {"Table": ["HR roster", "Licences", "Licences"], "Rows accepted": [10, 0, 195], "Rows rejected": [1, 195, 1]}
    )
    figure = rows_by_table(accounting)
    widths = sorted(round(patch.get_width()) for patch in figure.axes[0].patches if patch.get_width())
    assert widths == [1, 10, 195, 196]


def test_every_seaborn_estimate_plot_draws_no_random_error_bars() -> None:
    """seaborn's bar, point and line plots bootstrap random error bars unless errorbar=None."""
    for path in FIGURES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"barplot", "pointplot", "lineplot"}:
                given = {keyword.arg: keyword.value for keyword in node.keywords}
                assert (
                    "errorbar" in given
                    and isinstance(given["errorbar"], ast.Constant)
                    and given["errorbar"].value is None
                ), f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"stripplot", "swarmplot"}:
                raise AssertionError(f"{path.name}:{node.lineno}: seaborn's jitter uses numpy's global random state")


def test_shortening_the_labels_keeps_the_room_a_legend_on_top_made_above_the_plot() -> None:
    from scalegap.present.figures import legend_on_top, new_figure

    figure, ax = new_figure(5, 3)
    ax.plot([0, 1], [0, 1], label="one")
    ax.plot([0, 1], [1, 0], label="two")
    ax.set_title("A title")
    legend_on_top(ax, 2)
    png_bytes(figure)  # shortens labels and titles first
    renderer = figure._get_renderer()  # noqa: SLF001
    legend = ax.get_legend().get_window_extent(renderer)
    assert ax.title.get_window_extent(renderer).y0 >= legend.y1 - 1  # the title stays above the legend


def test_the_figures_colours_follow_the_palette() -> None:
    from scalegap.present.figures import PALETTE, palette_colours

    try:
        use_house_style(["#112233", "#445566", "#778899", "#aabbcc"])
        assert PALETTE["pilot"] == "#112233" and PALETTE["accepted"] == "#778899" and PALETTE["rejected"] == "#aabbcc"
        assert [matplotlib.colors.to_hex(c) for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][:2]] == [
            "#112233",
            "#445566",
        ]
        use_house_style("deep")
        assert PALETTE["pilot"] == palette_colours("deep")[0] != "#112233"
    finally:
        use_house_style()
    assert PALETTE["pilot"] == palette_colours("colorblind")[0] == "#0173b2"

"""Showing a figure: an <img> with the PNG embedded and alt text that says what it shows."""

from __future__ import annotations

import base64
import re

import pytest

from scalegap.present.figures import check_alt, figure_html, new_figure, png_bytes, show


def small_figure():
    figure, ax = new_figure(3, 2)
    ax.plot([0, 1], [0, 1])
    return figure


def test_a_figure_is_an_img_with_its_alt_text_and_embedded_png() -> None:
    html = figure_html(small_figure(), 'Weekly active users; 412 "active" <last week>')
    assert html.startswith(
        '<img class="scalegap-figure" alt="Weekly active users; 412 &quot;active&quot; &lt;last week&gt;"'
    )
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(encoded) == png_bytes(small_figure())


def test_show_gives_the_html_and_the_text_when_there_is_no_figure() -> None:
    assert 'alt="Line chart of something; 3 points"' in show(small_figure(), "Line chart of something; 3 points").data
    assert show(None, "unused alt text here", instead="No figure & why").data == "<p>No figure &amp; why</p>"


@pytest.mark.parametrize("alt", ["", "   ", "chart", "_images/a9cd0123.png", "figure.PNG"])
def test_alt_text_that_is_empty_or_a_file_name_is_refused(alt: str) -> None:
    with pytest.raises(ValueError, match="alt text"):
        check_alt(alt)

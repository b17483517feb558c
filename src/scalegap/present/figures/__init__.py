"""The book's figures, drawn with seaborn in one house style: one module per chapter.

Each figure function returns a matplotlib Figure built without pyplot (no
global state, nothing shown twice); notebooks display it with :func:`show`.
Figures show aggregates only, and take tables whose small groups are already
suppressed.
"""

from __future__ import annotations

import base64
import html
import io
import re

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

#: the figures' named colours; :func:`use_house_style` sets them from the book's palette (branding.palette)
PALETTE = {"accepted": "#029e73", "rejected": "#d55e00", "pilot": "#0173b2", "organisation": "#a9b4c2"}
#: which of the palette's colours each named colour takes (the organisation stays a neutral grey)
PALETTE_ROLES = {"pilot": 0, "accepted": 2, "rejected": 3}
DEFAULT_PALETTE = "colorblind"


DPI = 110


#: labels from client data longer than this are shortened with an ellipsis in figures (tables keep them whole)
LABEL_LIMIT = 40
TITLE_LIMIT = 90


def palette_colours(palette: str | list[str] = DEFAULT_PALETTE) -> list[str]:
    """The palette's colours as #rrggbb: a seaborn palette's name (branding.palette) or the colours themselves."""
    return [str(colour) for colour in sns.color_palette(palette).as_hex()]


def use_house_style(palette: str | list[str] = DEFAULT_PALETTE) -> None:
    """seaborn's theme in the book's palette (``package.settings.branding.palette``); the named colours follow."""
    colours = palette_colours(palette)
    PALETTE.update({role: colours[index] for role, index in PALETTE_ROLES.items()})
    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans", palette=colours)
    matplotlib.rcParams.update({"axes.titleweight": "bold", "svg.hashsalt": "scalegap", "text.parse_math": False})


def shortened(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorten_labels(figure: Figure) -> None:
    """Cut long tick labels, legend entries and titles (client data: department names, workflows...)."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # the labels the axis's formatter will write at its ticks, without drawing the figure to see them (a
            # whole layout pass): categories (a seaborn bar chart's) are written as they are, numbers and dates are
            # never this long
            ticks = [float(tick) for tick in axis.get_majorticklocs()]
            labels = [str(label) for label in axis.get_major_formatter().format_ticks(ticks)]
            if any(len(label) > LABEL_LIMIT for label in labels):
                axis.set_ticks(ticks, labels=[shortened(label) for label in labels])
        legend = ax.get_legend()
        for text in legend.get_texts() if legend is not None else ():
            text.set_text(shortened(text.get_text()))
        ax.title.set_text(shortened(ax.title.get_text(), TITLE_LIMIT))  # keeps the title's pad (legend_on_top)


def png_bytes(figure: Figure) -> bytes:
    shorten_labels(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


#: alt text that names a file rather than saying what a figure shows ("_images/a9cd….png", "figure.png")
FILE_NAME = re.compile(r"^\S+\.(?:png|jpe?g|svg|gif)$", re.IGNORECASE)


def check_alt(alt: str) -> str:
    """``alt`` stripped; a ValueError when it is empty or a file name, which a screen reader would read out."""
    text = " ".join(alt.split())
    if len(text) < 12 or FILE_NAME.match(text):
        raise ValueError(f"a figure's alt text must say what it shows and its headline value, not {alt!r}")
    return text


def lacks(frame: pd.DataFrame, *columns: str) -> bool:
    """True when ``frame`` has no rows or lacks one of ``columns``: an alt text then says what the figure would
    show, and no headline (a chapter without its data draws no figure, but its alt text is still computed)."""
    return frame.empty or not set(columns) <= set(frame.columns)


def values_alt(what: str, frame: pd.DataFrame, label: str, value: str, fmt: str = "{:,.1f}", limit: int = 6) -> str:
    """Alt text that says what a figure shows and lists its values: "Bar chart of …; Sales: 12.0, IT: 9.5 and 3
    more." (rows without a value left out)."""
    shown = frame.dropna(subset=[value]) if value in frame else frame.iloc[0:0]
    items = [f"{row[label]}: {fmt.format(row[value])}" for _, row in shown.head(limit).iterrows()]
    more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
    return f"{what}; {', '.join(items)}{more}." if items else f"{what}."


def figure_html(figure: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with its alt text and the PNG embedded (a data URI: the book loads nothing)."""
    encoded = base64.b64encode(png_bytes(figure)).decode("ascii")
    return (
        f'<img class="scalegap-figure" alt="{html.escape(check_alt(alt), quote=True)}" '
        f'src="data:image/png;base64,{encoded}" />'
    )


def show(figure: Figure | None, alt: str, instead: str = "Every group is below the minimum group size: no figure."):
    """Display a figure in a notebook (and so in the book) as an embedded PNG with ``alt`` as its alt text, which
    says what the figure shows and its headline value; ``instead`` when there is no figure.

    myst-nb writes an ``image/png`` output to a file and takes its alt text from the file name, so the figure is
    shown as HTML: the ``<img>`` carries its own alt text.
    """
    from IPython.display import HTML

    if figure is None:
        return HTML(f"<p>{html.escape(instead)}</p>")
    return HTML(figure_html(figure, alt))


def blank_figure(width: float, height: float) -> Figure:
    """A figure whose texts are plain text: a ``$`` in a label from client data is a dollar, not math."""
    matplotlib.rcParams["text.parse_math"] = False
    return Figure(figsize=(width, height), layout="constrained")


def new_figure(width: float, height: float) -> tuple[Figure, matplotlib.axes.Axes]:
    figure = blank_figure(width, height)
    return figure, figure.subplots()


def legend_on_top(ax: matplotlib.axes.Axes, columns: int) -> None:
    """The legend between the title and the plot, in rows of ``columns``, where it hides no data."""
    handles, labels = ax.get_legend_handles_labels()
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=columns, fontsize=8, frameon=False)
    rows = -(-len(labels) // columns)
    ax.set_title(ax.get_title(), pad=8 + 15 * rows)

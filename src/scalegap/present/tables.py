"""Tables as the book shows them: escaped HTML, readable headers, suppression stated."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from scalegap import number_format as nf
from scalegap.models.availability import Notice, chapter_notice
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, SUPPRESSED_MARK, minimum_of, suppression_note

if TYPE_CHECKING:  # the verdict's chapters import it themselves: the other chapters' kernels need not
    from scalegap.models.recommendation import Recommendation


#: the class of a cell (and its header) that holds figures: right-aligned (``scalegap.css``)
NUMBER_CLASS = "scalegap-number"
#: a cell's text that reads as a figure: a number (a share, hours, an interval, a count with its share...)
_FIGURE = re.compile(r"^[−+\-]?(?:[A-Z]{3} )?[−\-]?\d[\d,.]*(?: ?%| h)?(?:$|[ –(])")


def shown_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader sees: without the ``suppressed`` marker, and without a text column that is empty in
    every row (a "Note" column with nothing to note)."""
    shown = frame.drop(columns=[SUPPRESSED], errors="ignore")
    empty = [
        column
        for column in shown.columns
        if not pd.api.types.is_numeric_dtype(shown[column])
        and all(nf.is_missing(v) or (isinstance(v, str) and not v.strip()) for v in shown[column])
        and len(shown) > 0
    ]
    return shown.drop(columns=empty)


def cell_texts(frame: pd.DataFrame, percent_columns: tuple[str, ...] = (), kinds: Mapping[str, nf.Kind] | None = None):
    """Every shown cell as text (by :mod:`scalegap.number_format`'s rules, one precision per column); a figure
    suppressed for privacy shows the suppressed mark alone."""
    shown = shown_columns(frame)
    suppressed = frame[SUPPRESSED].fillna(False).astype(bool).to_numpy() if SUPPRESSED in frame else None
    texts = {}
    for column in shown.columns:
        kind = (kinds or {}).get(column) or ("share" if column in percent_columns else None)
        values = list(shown[column])
        column_texts = nf.column(values, kind)
        if suppressed is not None:
            column_texts = [
                SUPPRESSED_MARK if hidden and nf.is_missing(value) else text
                for text, value, hidden in zip(column_texts, values, suppressed, strict=True)
            ]
        texts[column] = column_texts
    return pd.DataFrame(texts, index=shown.index, columns=shown.columns)


def is_figure_column(texts: pd.Series) -> bool:
    """A column every filled cell of which reads as a figure (and so is right-aligned)."""
    filled = [t for t in texts if t not in (nf.MISSING, SUPPRESSED_MARK, "")]
    return bool(filled) and all(_FIGURE.match(t) for t in filled)


#: a red / amber / green status as a reader sees it at a glance: a colour (the CSS class) and, for a reader who does
#: not tell the colours apart, a symbol of its own and the word
STATUS_BADGES = {
    "green": ("✔", "Green"),
    "amber": ("▲", "Amber"),
    "red": ("✖", "Red"),
    "not measured": ("○", "Not measured"),
}


def status_badge(status: object) -> str:
    """A status as an escaped HTML badge: ``<span class="scalegap-status scalegap-status-red">✖ Red</span>``; a
    status it does not know, as plain escaped text."""
    text = str(status)
    if text not in STATUS_BADGES:
        return html.escape(text)
    symbol, word = STATUS_BADGES[text]
    kind = text.replace(" ", "-")
    return (
        f'<span class="scalegap-status scalegap-status-{kind}">'
        f'<span class="scalegap-status-symbol" aria-hidden="true">{symbol}</span> {html.escape(word)}</span>'
    )


def html_table(
    frame: pd.DataFrame,
    caption: str,
    percent_columns: tuple[str, ...] = (),
    min_group_size: int | None = None,
    kinds: Mapping[str, nf.Kind] | None = None,
    status_columns: tuple[str, ...] = (),
) -> str:
    """An escaped HTML table; every header and cell passes through html.escape.  A table suppressed by
    :mod:`scalegap.privacy` carries its minimum group size, and the note beside it says what was suppressed;
    ``min_group_size`` is for a table suppressed elsewhere.  Figures follow :mod:`scalegap.number_format`
    (``percent_columns`` are shares, ``kinds`` names any other column's kind) and are right-aligned.  The cells
    of ``status_columns`` (red / amber / green) are shown as status badges (:func:`status_badge`)."""
    minimum = min_group_size if min_group_size is not None else minimum_of(frame)
    if minimum is None and SUPPRESSED in frame:
        raise ValueError(f"the table {caption!r} was suppressed but does not carry its minimum group size")
    texts = cell_texts(frame, percent_columns, kinds)
    figures = {column: is_figure_column(texts[column]) for column in texts.columns}
    head = "".join(f"<th{_class(figures[c])}>{html.escape(str(c))}</th>" for c in texts.columns)
    rows = []
    for _, row in texts.iterrows():
        cells = "".join(
            f"<td{_class(figures[c])}>{status_badge(row[c]) if c in status_columns else html.escape(row[c])}</td>"
            for c in texts.columns
        )
        rows.append(f"<tr>{cells}</tr>")
    note = ""
    if minimum is not None:
        note = f'<p class="scalegap-note">{html.escape(suppression_note(frame, minimum))}</p>'
    return (
        f'<table class="scalegap-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _class(figure: bool) -> str:
    return f' class="{NUMBER_CLASS}"' if figure else ""


def show(
    frame: pd.DataFrame,
    caption: str,
    percent_columns: tuple[str, ...] = (),
    min_group_size: int | None = None,
    empty: str = "There is nothing to show here.",
    kinds: Mapping[str, nf.Kind] | None = None,
    status_columns: tuple[str, ...] = (),
):
    """Display a table in a notebook (and so in the book); ``empty`` is said instead of an empty table."""
    from IPython.display import HTML

    if frame.empty:
        return HTML(paragraphs([empty]))
    return HTML(html_table(frame, caption, percent_columns, min_group_size, kinds=kinds, status_columns=status_columns))


def bullet_list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts)


#: where a figure's text names its interval's level: "36 % (90 % interval 30 % to 50 %)"
_LEVEL = re.compile(r"\((\d+(?:\.\d+)?) % interval ")
#: the level named once, at the end of a caption (:func:`level_named_once`)
LEVEL_IN_CAPTION = re.compile(r" \(in brackets: \d+(?:\.\d+)? % intervals\)$")


def level_named_once(rows: list[tuple[str, str]], caption: str) -> tuple[list[tuple[str, str]], str]:
    """Rows whose figures all carry intervals of one level name it once, in the caption, not in every row:
    "36 % (30 % to 50 %)" under "… (in brackets: 90 % intervals)".  Levels that differ stay in their rows."""
    levels = {level for _, value in rows for level in _LEVEL.findall(value)}
    if len(levels) != 1:
        return rows, caption
    (level,) = levels
    return [(key, _LEVEL.sub("(", value)) for key, value in rows], f"{caption} (in brackets: {level} % intervals)"


def key_value_table(rows: list[tuple[str, str]], caption: str) -> str:
    """A table of labelled figures; the interval level they share is named once, in the caption."""
    rows, caption = level_named_once(rows, caption)
    body = "".join(f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>" for key, value in rows)
    return (
        f'<table class="scalegap-table scalegap-headline"><caption>{html.escape(caption)}</caption>'
        f"<tbody>{body}</tbody></table>"
    )


def notice(found: Notice | None) -> str:
    """A chapter's availability notice as escaped HTML (an admonition box, as the book theme draws them); "" for
    None."""
    if found is None:
        return ""
    kind = "note" if found.assessed else "warning"
    body = "".join(f"<p>{html.escape(line)}</p>" for line in found.lines)
    return (
        f'<div class="admonition {kind} scalegap-not-assessed"><p class="admonition-title">'
        f"{html.escape(found.title)}</p>{body}</div>"
    )


def show_notice(package: PreparedPackage, chapter: str) -> object:
    """Display the chapter's notice in a notebook (and so in the book); nothing when every table is usable."""
    from IPython.display import HTML

    found = chapter_notice(package, chapter)
    return HTML(notice(found)) if found else None


def verdict(advice: Recommendation) -> str:
    """The recommendation's verdict, emphasised, and the one-sentence why, as escaped HTML."""
    return (
        f'<p class="scalegap-verdict"><strong style="font-size: 1.3em">{html.escape(advice.verdict)}.</strong> '
        f"{html.escape(advice.reasons[0])}</p>"
    )

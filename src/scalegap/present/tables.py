"""Tables as the book shows them: escaped HTML, readable headers, suppression stated."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from scalegap.models.availability import Notice, chapter_notice
from scalegap.package import PreparedPackage
from scalegap.privacy import SUPPRESSED, minimum_of, suppression_note

if TYPE_CHECKING:  # the verdict's chapters import it themselves: the other chapters' kernels need not
    from scalegap.models.recommendation import Recommendation


def format_value(value: object, percent: bool = False, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int,)) or (isinstance(value, float) and float(value).is_integer() and not percent):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:.{digits}%}" if percent else f"{value:,.{digits}f}"
    return str(value)


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


def cell_html(value: object, percent: bool = False, status: bool = False) -> str:
    """One cell's escaped content: a status badge in a status column, else the formatted value."""
    return status_badge(value) if status else html.escape(format_value(value, percent=percent))


def html_table(
    frame: pd.DataFrame,
    caption: str,
    percent_columns: tuple[str, ...] = (),
    min_group_size: int | None = None,
    status_columns: tuple[str, ...] = (),
) -> str:
    """An escaped HTML table; every header and cell passes through html.escape.  A table suppressed by
    :mod:`scalegap.privacy` carries its minimum group size, and the note beside it says what was suppressed;
    ``min_group_size`` is for a table suppressed elsewhere.  The cells of ``status_columns`` (red / amber / green)
    are shown as status badges (:func:`status_badge`)."""
    minimum = min_group_size if min_group_size is not None else minimum_of(frame)
    if minimum is None and SUPPRESSED in frame:
        raise ValueError(f"the table {caption!r} was suppressed but does not carry its minimum group size")
    shown = frame.drop(columns=[SUPPRESSED], errors="ignore")
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in shown.columns)
    rows = []
    for _, row in shown.iterrows():
        cells = "".join(
            f"<td>{cell_html(row[column], column in percent_columns, column in status_columns)}</td>"
            for column in shown.columns
        )
        rows.append(f"<tr>{cells}</tr>")
    note = ""
    if minimum is not None:
        note = f'<p class="scalegap-note">{html.escape(suppression_note(frame, minimum))}</p>'
    return (
        f'<table class="scalegap-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def show(
    frame: pd.DataFrame,
    caption: str,
    percent_columns: tuple[str, ...] = (),
    min_group_size: int | None = None,
    empty: str = "There is nothing to show here.",
    status_columns: tuple[str, ...] = (),
):
    """Display a table in a notebook (and so in the book); ``empty`` is said instead of an empty table."""
    from IPython.display import HTML

    if frame.empty:
        return HTML(paragraphs([empty]))
    return HTML(html_table(frame, caption, percent_columns, min_group_size, status_columns))


def bullet_list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts)


def key_value_table(rows: list[tuple[str, str]], caption: str) -> str:
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

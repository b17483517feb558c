"""Tables as the book shows them: escaped HTML, readable headers, suppression stated."""

from __future__ import annotations

import html

import pandas as pd

from scalegap.privacy import SUPPRESSED, suppression_note


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


def html_table(
    frame: pd.DataFrame, caption: str, percent_columns: tuple[str, ...] = (), min_group_size: int | None = None
) -> str:
    """An escaped HTML table; every header and cell passes through html.escape."""
    shown = frame.drop(columns=[SUPPRESSED], errors="ignore")
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in shown.columns)
    rows = []
    for _, row in shown.iterrows():
        cells = "".join(
            f"<td>{html.escape(format_value(row[column], percent=column in percent_columns))}</td>"
            for column in shown.columns
        )
        rows.append(f"<tr>{cells}</tr>")
    note = ""
    if min_group_size is not None:
        note = f'<p class="scalegap-note">{html.escape(suppression_note(frame, min_group_size))}</p>'
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
):
    """Display a table in a notebook (and so in the book); ``empty`` is said instead of an empty table."""
    from IPython.display import HTML

    if frame.empty:
        return HTML(paragraphs([empty]))
    return HTML(html_table(frame, caption, percent_columns, min_group_size))


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

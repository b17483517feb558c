"""The portfolio page (``scalegap compare``): one self-contained HTML file, one column per client, every text
escaped, its style inline, nothing fetched from the network."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from scalegap.models.portfolio import ClientFigures, Figure, Portfolio, Row, read_portfolio

TITLE = "Portfolio: readiness and conversion rate, client by client"
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8c8c8; padding: 0.45rem 0.7rem; vertical-align: top; }
thead th { background: #f0f0f0; }
tbody th { text-align: left; font-weight: 600; }
td.figure { text-align: right; font-variant-numeric: tabular-nums; }
td.missing { color: #595959; font-style: italic; text-align: left; }
.interval { display: block; font-size: 0.85em; color: #444; }
.verdict { font-weight: 600; }
p.note { font-size: 0.9em; color: #444; max-width: 60rem; }
"""


def _number(value: float, kind: str, currency: str | None) -> str:
    if kind == "share":
        return f"{value:.0%}"
    if kind == "index":
        return f"{value:.1f}"
    if kind == "factor":
        return f"×{value:.2f}"
    return f"{currency or ''} {value:,.0f}".strip()


def figure_text(figure: Figure, row: Row, client: ClientFigures) -> tuple[str, str | None]:
    """The figure as written on the page and its interval ("90% interval a to b"; for an assumption, what it
    assumes), None when it has neither."""
    if figure.estimate is None:
        return "not assessed", None
    text = _number(figure.estimate, row.kind, client.currency)
    if figure.low is None or figure.high is None:
        return text, f"assumed: {figure.assumption}" if figure.assumption else None
    low, high = (_number(value, row.kind, client.currency) for value in (figure.low, figure.high))
    return text, f"{client.interval:.0%} interval {low} to {high}"


def _cell(figure: Figure, row: Row, client: ClientFigures) -> str:
    text, interval = figure_text(figure, row, client)
    if figure.estimate is None:
        reason = (figure.reason or "").removeprefix("not assessed: ")
        return f'<td class="missing">not assessed<span class="interval">{html.escape(reason)}</span></td>'
    below = f'<span class="interval">{html.escape(interval)}</span>' if interval else ""
    return f'<td class="figure">{html.escape(text)}{below}</td>'


def _verdict_cell(client: ClientFigures) -> str:
    if client.verdict:
        return f'<td class="verdict">{html.escape(client.verdict)}</td>'
    reason = (client.verdict_reason or "").removeprefix("not assessed: ")
    return f'<td class="missing">not assessed<span class="interval">{html.escape(reason)}</span></td>'


def portfolio_html(portfolio: Portfolio) -> str:
    """The page: a row per figure, a column per client (its label as given: anonymised unless asked for)."""
    clients = portfolio.clients
    head = "".join(f'<th scope="col">{html.escape(client.label)}</th>' for client in clients)
    body = [
        f'<tr><th scope="row">Verdict</th>{"".join(_verdict_cell(client) for client in clients)}</tr>',
        *(
            f'<tr><th scope="row">{html.escape(row.label)}</th>'
            + "".join(_cell(client.figures[row.key], row, client) for client in clients)
            + "</tr>"
            for row in portfolio.rows
        ),
        '<tr><th scope="row">Results written</th>'
        + "".join(f"<td>{html.escape(client.generated_at[:10])}</td>" for client in clients)
        + "</tr>",
    ]
    note = (
        "Each column is one client's last good build (its <code>_build/results.json</code>). The conversion rate "
        "is the product of its four factors; each interval is at the level the client's assessment set. "
        "“not assessed” gives the reason the client's results state."
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(TITLE)}</title>",
            f"<style>{STYLE}</style></head>",
            "<body>",
            f"<h1>{html.escape(TITLE)}</h1>",
            "<table>",
            f'<thead><tr><th scope="col">Figure</th>{head}</tr></thead>',
            f"<tbody>{''.join(body)}</tbody>",
            "</table>",
            f'<p class="note">{note}</p>',
            "</body></html>",
            "",
        ]
    )


def write_portfolio(roots: Sequence[Path], out: Path, names: bool = False) -> Path:
    """Read each client's last good results (:func:`~scalegap.models.portfolio.read_portfolio`) and write the
    page to ``out``; its path."""
    page = portfolio_html(read_portfolio(roots, names))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out

"""The portfolio page as `scalegap compare` writes it: each client's figures with the values of its results.json,
anonymised unless --names, escaped, self-contained; a client never run is one line naming it, exit 2."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from scalegap.models.portfolio import read_portfolio
from scalegap.models.results import schema_problems
from scalegap.present.portfolio import portfolio_html
from tests.models.test_portfolio import base_document, client_folder  # noqa: F401 (the fixture)
from tests.test_cli import assert_one_line_error, scalegap

HOSTILE = '<script>alert("x")</script> & Sons'


class Cells(HTMLParser):
    """The page's table as text: one list of cell texts per row, and every tag and attribute met."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and self._cell is not None:
            self._cell.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_of(page: str) -> tuple[dict[str, list[str]], Cells]:
    cells = Cells()
    cells.feed(page)
    return {row[0]: row[1:] for row in cells.rows}, cells


def three_clients(tmp_path: Path, base: dict[str, Any]) -> list[Path]:
    return [
        client_folder(tmp_path / "acme", base, "Acme Ltd", rate=0.381063),
        client_folder(tmp_path / "hostile", base, HOSTILE, rate=0.61, readiness=48.0, verdict="Go"),
        client_folder(tmp_path / "initech", base, "Initech", rate=None, readiness=None, verdict=None),
    ]


def test_the_page_shows_each_clients_figures_as_its_results_json_holds_them(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    roots = three_clients(tmp_path, base_document)
    rows, _ = table_of(portfolio_html(read_portfolio(roots)))
    assert rows["Figure"] == ["Client A", "Client B", "Client C"]
    for root, rate, verdict in zip(roots, rows["Conversion rate"], rows["Verdict"]):
        document = json.loads((root / "_build" / "results.json").read_text(encoding="utf-8"))
        if document["conversion_rate"] is None:
            reason = document["not_assessed"]["conversion_rate"].removeprefix("not assessed: ")
            assert rate == f"not assessed | {reason}"
            assert verdict.startswith("not assessed | no outcome export")
            continue
        low, high = document["conversion_rate_interval"]
        assert rate == f"{document['conversion_rate']:.0%} | 90% interval {low:.0%} to {high:.0%}"
        assert verdict == document["recommendation"]["verdict"]
        net = document["conversion"]["money"]["net_value_per_seat_per_year"]
        assert rows["Net value per seat per year at full rollout"][roots.index(root)].startswith(
            f"GBP {net['estimate']:,.0f} | 90% interval GBP {net['low']:,.0f} to GBP {net['high']:,.0f}"
        )
        sustainment = document["conversion"]["factors"]["sustainment"]
        assert rows["Factor: Sustainment"][roots.index(root)].startswith(f"×{sustainment['estimate']:.2f} | ")
    assert rows["Conversion rate"][0].startswith("38% | ") and rows["Conversion rate"][1].startswith("61% | ")
    assert rows["Readiness index, organisation (0–100)"][:2] == [
        "55.5 | 90% interval 54.2 to 56.8",
        "48.0 | 90% interval 46.8 to 49.2",
    ]
    assert rows["Readiness index, organisation (0–100)"][2] == "not assessed | no survey export was supplied"


def test_no_client_name_or_folder_appears_unless_names_are_asked_for(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    roots = three_clients(tmp_path, base_document)
    out = tmp_path / "out" / "portfolio.html"
    done = scalegap("compare", *map(str, roots), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    page = out.read_text(encoding="utf-8")
    for secret in ("Acme", "Initech", "alert", "hostile", str(tmp_path)):
        assert secret.lower() not in page.lower(), secret
    named = scalegap("compare", *map(str, roots), "--out", str(out), "--names")
    assert named.returncode == 0, named.stderr
    rows, _ = table_of(out.read_text(encoding="utf-8"))
    assert rows["Figure"] == ["Acme Ltd", HOSTILE, "Initech"]


def test_a_hostile_client_name_is_escaped_and_the_page_fetches_nothing(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    page = portfolio_html(read_portfolio(three_clients(tmp_path, base_document), names=True))
    assert "<script" not in page and html.escape(HOSTILE) in page
    _, cells = table_of(page)
    assert {tag for tag, _ in cells.tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "table"} | {
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "p",
        "code",
    }
    assert not re.search(r"(src|href)\s*=|url\(|@import|https?://", page)


def test_a_client_never_run_is_one_line_naming_it_and_nothing_is_written(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    good = client_folder(tmp_path / "acme", base_document, "Acme Ltd")
    (tmp_path / "fresh").mkdir()
    out = tmp_path / "portfolio.html"
    done = scalegap("compare", str(good), str(tmp_path / "fresh"), "--out", str(out))
    assert_one_line_error(done, str(tmp_path / "fresh"), "never run", f"scalegap run {tmp_path / 'fresh'}")
    assert not out.exists()


def test_a_glob_names_the_clients_in_order_and_the_default_page_lands_in_the_current_folder(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    clients = tmp_path / "clients"
    client_folder(clients / "b-globex", base_document, "Globex", rate=0.61)
    client_folder(clients / "a-acme", base_document, "Acme", rate=0.38)
    done = scalegap("compare", str(clients / "*"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows, _ = table_of((tmp_path / "portfolio.html").read_text(encoding="utf-8"))
    assert [rate.split(" |")[0] for rate in rows["Conversion rate"]] == ["38%", "61%"]


def test_a_factor_that_is_an_assumption_says_so_instead_of_an_interval(
    tmp_path: Path,
    base_document: dict,  # noqa: F811
) -> None:
    root = client_folder(tmp_path / "acme", base_document, "Acme Ltd")
    path = root / "_build" / "results.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assumed = {"estimate": 0.9, "low": None, "high": None, "assumption": "no support data: the stated 0.9 is used"}
    document["conversion"]["factors"]["sustainment"] = assumed
    assert schema_problems(document) == []
    path.write_text(json.dumps(document), encoding="utf-8")
    rows, _ = table_of(portfolio_html(read_portfolio([root])))
    assert rows["Factor: Sustainment"] == ["×0.90 | assumed: no support data: the stated 0.9 is used"]

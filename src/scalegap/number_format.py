"""How the book writes a number: one rule per kind of figure, in tables and in sentences alike.

The rules (a reader sees the same precision for the same kind of figure on every page):

* **count** (people, rows, tickets): thousands separator, no decimals — ``1,234``; a table's column whose
  figures are all whole numbers is a count, so "12" never stands beside "12.0".
* **share** (a fraction shown as a percentage): whole per cent — ``38 %``; one decimal below 10 %, so a small
  share does not read as nothing — ``4.5 %`` (and ``0 %`` for exactly nothing).
* **factor** (rates, ratios, multipliers, coefficients): two decimals — ``0.98``.
* **number** (any other measurement, an index or a score): no decimals from 100 up, one decimal from 10 to
  100, two below 10 — ``1,598``, ``62.3``, ``3.45``.  In a table the column's largest figure sets the decimals
  of the whole column.
* **hours**: as a number, with its unit — ``1,598 h``, ``12.5 h``.
* **money**: the currency before the amount, no decimals from 100 up, two below — ``EUR 1,598``,
  ``EUR −12.50``.
* **interval**: both ends, and the point beside them, take one precision, set by the point (or, without one,
  by the larger end) — ``38 % to 66 %``, never ``1.57 % to 65.87 %``; ends that differ but would read as one
  take a decimal more (up to two): ``0.27 % to 0.34 %``, not ``0.3 % to 0.3 %``.  The level is named once, where the
  interval is introduced — ``90 % interval`` (:func:`interval_label`) — in a table's header or the sentence.

A missing figure is a dash (``—``); a figure suppressed for privacy is shown as the mark
:data:`scalegap.privacy.SUPPRESSED_MARK` and nothing else (:mod:`scalegap.present.tables`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

MISSING = "—"
#: the percent sign, with the space the book puts before it
PERCENT = " %"
Kind = Literal["count", "share", "factor", "number", "hours"]
KINDS: tuple[str, ...] = ("count", "share", "factor", "number", "hours")


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA (anything that is not a figure to write)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NA are not equal to themselves
    except (TypeError, ValueError):  # pandas' NA refuses to be a bool
        return True


def _finite(value: object) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text  # never "-0"


def count(value: object) -> str:
    """``1,234``: a whole number of things."""
    number = _finite(value)
    return MISSING if number is None else _fixed(round(number), 0)


def share_decimals(value: float) -> int:
    """Whole per cent, one decimal below 10 % (but none for exactly nothing)."""
    per_cent = abs(value) * 100
    return 1 if 0 < round(per_cent, 1) < 10 else 0


def share(value: object, decimals: int | None = None) -> str:
    """A fraction as a percentage: ``0.382`` → ``38 %``, ``0.045`` → ``4.5 %``."""
    number = _finite(value)
    if number is None:
        return MISSING
    places = share_decimals(number) if decimals is None else decimals
    return _fixed(number * 100, places) + PERCENT


def factor(value: object) -> str:
    """A rate, ratio, multiplier or coefficient: ``0.98``."""
    number = _finite(value)
    return MISSING if number is None else _fixed(number, 2)


def number_decimals(value: float) -> int:
    """None from 100 up, one from 10 to 100, two below 10."""
    size = abs(round(value, 2))
    return 0 if size >= 100 else 1 if size >= 10 else 2


def number(value: object, decimals: int | None = None) -> str:
    """A measurement: ``1,598``, ``62.3``, ``3.45``."""
    figure = _finite(value)
    if figure is None:
        return MISSING
    return _fixed(figure, number_decimals(figure) if decimals is None else decimals)


def hours(value: object, decimals: int | None = None) -> str:
    """``1,598 h``, ``12.5 h``."""
    text = number(value, decimals)
    return text if text == MISSING else f"{text} h"


def money(value: object, currency: str) -> str:
    """``EUR 1,598``; ``EUR −12.50`` (the minus before the amount, no decimals from 100 up)."""
    figure = _finite(value)
    if figure is None:
        return MISSING
    sign = "−" if round(figure, 2) < 0 else ""
    return f"{sign}{currency} {amount(abs(figure))}"


def amount(value: object) -> str:
    """A money amount without its currency (stated once beside it): ``1,598``, ``12.50``, ``−3,400``."""
    figure = _finite(value)
    if figure is None:
        return MISSING
    text = _fixed(abs(figure), 0 if abs(figure) >= 100 or float(figure).is_integer() else 2)
    return f"−{text}" if round(figure, 2) < 0 else text


def decimals_for(kind: Kind, values: Iterable[object]) -> int:
    """The decimals one precision for ``values`` takes: set by the largest of them (shares: by the largest
    non-zero share below 10 %, so one small share gets its decimal only when every other is small too)."""
    figures = [abs(f) for f in (_finite(v) for v in values) if f is not None]
    if not figures:
        return 0
    largest = max(figures)
    if kind == "share":
        return share_decimals(largest)
    if kind == "count":
        return 0
    if kind == "factor":
        return 2
    return number_decimals(largest)


def text(value: object, kind: Kind, decimals: int | None = None) -> str:
    """``value`` written as a figure of ``kind`` (with ``decimals`` fixed, when given)."""
    if kind == "count":
        return count(value)
    if kind == "share":
        return share(value, decimals)
    if kind == "factor":
        return factor(value) if decimals is None else number(value, decimals)
    if kind == "hours":
        return hours(value, decimals)
    return number(value, decimals)


def interval(low: object, high: object, kind: Kind = "number", point: object = None) -> str:
    """``38 % to 66 %``: both ends at one precision, set by ``point`` (or, without it, by the larger end); a
    dash when an end is missing."""
    if _finite(low) is None or _finite(high) is None:
        return MISSING
    places = decimals_for(kind, [point] if _finite(point) is not None else [low, high])
    for more in range(3):  # ends that differ never read as one ("0.3 % to 0.3 %"): a decimal more, up to two
        ends = text(low, kind, places + more), text(high, kind, places + more)
        if ends[0] != ends[1] or _finite(low) == _finite(high):
            break
    return f"{ends[0]} to {ends[1]}"


def with_interval(point: object, low: object, high: object, kind: Kind = "number", level: float | None = None) -> str:
    """``52 % (90 % interval 38 % to 66 %)``: the point and its interval at one precision; the level is named
    when given (leave it out where a header or the sentence already names it)."""
    places = decimals_for(kind, [point])
    if _finite(low) is None or _finite(high) is None:
        return text(point, kind, places)
    label = f"{interval_label(level)} " if level is not None else ""
    return f"{text(point, kind, places)} ({label}{interval(low, high, kind, point)})"


def interval_label(level: float) -> str:
    """How the book names an interval of ``level`` (``statistics.interval``): ``90 % interval``."""
    return f"{share(level, 0)} interval"


def column(values: Iterable[object], kind: Kind | None = None) -> list[str]:
    """A table column's figures as text at one precision: ``kind`` when given; otherwise a count when every
    figure is whole, a number (decimals set by the largest) when not.  Text, yes/no and missing values pass
    as they are."""
    values = list(values)
    figures = [v for v in values if _finite(v) is not None and not isinstance(v, str)]
    if kind is None:
        kind = "count" if figures and all(float(v).is_integer() for v in figures) else "number"  # type: ignore[arg-type]
    places = decimals_for(kind, figures)
    return [_cell(value, kind, places) for value in values]


def _cell(value: object, kind: Kind, places: int) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if is_missing(value):
        return MISSING
    if _finite(value) is None:
        return str(value)
    return text(value, kind, places)


def value_of(shown: str) -> float | str | None:
    """A shown figure read back as a number (for the downloads): ``1,598`` → 1598, ``38 %`` → 0.38,
    ``EUR −12.50`` stays text, ``—`` → None; text that is not a figure stays text."""
    cleaned = shown.strip()
    if cleaned in ("", MISSING):
        return None
    is_share = cleaned.endswith("%")
    digits = cleaned.removesuffix("%").removesuffix(" h").strip().replace(",", "").replace("−", "-")
    try:
        figure = float(digits)
    except ValueError:
        return shown
    if not math.isfinite(figure):
        return shown
    return round(figure / 100, 10) if is_share else figure

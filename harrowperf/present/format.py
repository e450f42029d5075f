"""Numbers as text: the one formatter for every table, sentence and chart label, and the one escaping point.

Every figure a reader sees goes through :func:`format_value` (value + unit -> text), so the same
figure reads the same on every page:

* blanks (None, NaN, ``pd.NA``, NaT) are "–", never "nan", "None" or "<NA>";
* counts and plain numbers have thousands separators, whole numbers no decimals, other numbers up
  to two decimals (1234.5 -> "1,234.5"; 0.372 -> "0.372");
* ``%`` values are percentages as the measure states them (7.49 -> "7.49%"); ``share`` values are
  fractions shown as percentages (0.83 -> "83%");
* ``s`` values are durations ("2:31"); ``rank`` values are ordinals ("22nd");
* money (``£``) in one style per table: ``"auto"`` for sentences ("£2.5m", "£0.8m", "£81,234"), ``"£m"``
  or ``"£000"`` for the cells of a table whose heading names the unit ("2.5", "2,500").

Text that comes from data (measure names, council names, file names) is escaped here too, before
it is put into Markdown (:func:`escape_markdown`) or HTML (:func:`escape_html`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from harrowperf.foundation.periods import financial_year_label, quarter_label
from harrowperf.read.numbers import scale_of

BLANK = "–"
MONEY_STYLES = ("auto", "£m", "£000")
PLAIN_UNITS = ("", "count", "ratio", "score", "rate")


def is_blank(value: Any) -> bool:
    """True for None, NaN, ``pd.NA`` and NaT: the values a reader sees as "–"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | int) and not isinstance(value, bool):
        return isinstance(value, float) and math.isnan(value)
    try:
        return bool(pd.isna(value)) if not isinstance(value, list | tuple | dict | str) else False
    except (TypeError, ValueError):
        return False


def ordinal(value: Any) -> str:
    """1 -> "1st", 22 -> "22nd", 13 -> "13th", 111 -> "111th"; "–" when blank."""
    if is_blank(value):
        return BLANK
    number = int(value)
    suffix = "th" if 10 <= abs(number) % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(abs(number) % 10, "th")
    return f"{number}{suffix}"


def number(value: float, decimals: int | None = None) -> str:
    """A number with thousands separators.

    ``decimals`` None: whole numbers without decimals, numbers under 1 to three significant figures,
    others to at most two decimals (trailing zeros dropped). Otherwise exactly ``decimals`` decimals.
    Never "-0".
    """
    value = float(value)
    if math.isinf(value):
        return "infinite" if value > 0 else "minus infinite"
    if decimals is None:
        if value.is_integer():
            decimals = 0
        elif abs(value) < 1:
            decimals = max(2, 2 - math.floor(math.log10(abs(value))))
        else:
            decimals = 2
        text = f"{value:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def duration(seconds: float) -> str:
    """Seconds as a clock shows them: 151 -> "2:31", 3723 -> "1:02:03"."""
    total = round(float(seconds))
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def money(amount: float, style: str = "auto", decimals: int | None = None) -> str:
    """Pounds as text in one of :data:`MONEY_STYLES`.

    ``"auto"`` (sentences): millions from £100,000 up, to one decimal ("£2.5m", "£0.8m", as members
    read budgets), whole pounds below ("£81,234"), pence under £100 ("£12.35"). ``"£m"`` and
    ``"£000"`` (table cells under a heading that names the unit): the amount in millions ("2.5", one
    decimal) or thousands ("2,500", no decimals).
    """
    if style not in MONEY_STYLES:
        raise ValueError(f"money style {style!r} is not one of {', '.join(MONEY_STYLES)}")
    if is_blank(amount):
        return BLANK
    amount = float(amount)
    if style == "£m":
        return number(amount / 1e6, 1 if decimals is None else decimals)
    if style == "£000":
        return number(amount / 1e3, 0 if decimals is None else decimals)
    size = abs(amount)
    if size >= 1e5:
        text = "£" + number(size / 1e6, 1 if decimals is None else decimals) + "m"
    elif size >= 100:
        text = "£" + number(size, 0 if decimals is None else decimals)
    else:
        text = "£" + number(size, decimals)
    return "-" + text if amount < 0 and text.strip("£m0.,") else text


def share(fraction: float, decimals: int | None = None) -> str:
    """A fraction as a percentage: 0.83 -> "83%", 0.047 -> "4.7%" (one decimal under 10%)."""
    if is_blank(fraction):
        return BLANK
    percent = float(fraction) * 100
    if decimals is None:
        decimals = 1 if abs(percent) < 10 else 0
    return number(percent, decimals) + "%"


def format_value(value: Any, unit: str | None = None, *, style: str = "auto", decimals: int | None = None,
                 signed: bool = False) -> str:
    """A value as a report prints it, by its unit (see the module docstring for the rules).

    ``style`` is the money style for ``£`` values; ``decimals`` fixes the decimals of numbers,
    percentages and money; ``signed`` puts "+" before positive numbers (changes).

    >>> format_value(2_500_000, "£"), format_value(1234.5, "count"), format_value(7.49, "%")
    ('£2.5m', '1,234.5', '7.49%')
    >>> format_value(float("nan"), "%"), format_value(22, "rank"), format_value(151, "s")
    ('–', '22nd', '2:31')
    """
    if is_blank(value):
        return BLANK
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Period):
        return _period_text(value)
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(format_value(part, unit, style=style, decimals=decimals) for part in value)
    if isinstance(value, Mapping):
        return json.dumps(value, default=str)
    if not isinstance(value, int | float) and not hasattr(value, "__float__"):
        return str(value)
    value = float(value)
    if unit in ("£", "GBP"):
        text = money(value, style, decimals)
    elif unit == "%":
        text = number(value, decimals) + "%"
    elif unit == "share":
        text = share(value, decimals)
    elif unit == "s":
        text = duration(value)
    elif unit == "rank":
        text = ordinal(value)
    elif unit is None or unit in PLAIN_UNITS:
        text = number(value, decimals)
    else:
        text = f"{number(value, decimals)} {unit}"
    return "+" + text if signed and value > 0 and not text.startswith("+") else text


def change(value: float, unit: str | None = None) -> str:
    """A signed change in a measure's unit: "+1.2 pts" for percentages (points, not per cent), "+12"."""
    if is_blank(value):
        return BLANK
    if unit == "%":
        return format_value(value, None, signed=True) + " pts"
    return format_value(value, unit, signed=True)


def parsed_text(parsed: Any) -> str:
    """A value read by :func:`harrowperf.read.values.parse_value` written back in the scorecard's own
    notation ("13-15%", "[60%]", "5.86 (28th)"), so that the grammar can be checked to round-trip.

    Numbers keep every significant digit (up to ten), unlike :func:`format_value`.
    """

    def num(value: float) -> str:
        return f"{value:,.10g}" if abs(value) >= 1000 else f"{value:.10g}"

    unit = "%" if parsed.unit == "%" else ""
    pound = "£" if parsed.unit == "£" else ""
    kind = parsed.kind
    if kind == "number":
        if parsed.rule == "duration":
            minutes, seconds = divmod(int(parsed.value), 60)
            return f"{minutes:02d}:{seconds:02d}"
        if parsed.rule == "ordinal":
            return ordinal(parsed.value)
        word = parsed.rule.removeprefix("number_") if parsed.rule.startswith("number_") else ""
        text = f"{pound}{num(parsed.value / scale_of(word))}{word}" if word else f"{pound}{num(parsed.value)}{unit}"
        if not math.isnan(parsed.numerator):
            text += f" ({num(parsed.numerator)}/{num(parsed.denominator)})"
        elif not math.isnan(parsed.rank):
            text += f" ({ordinal(parsed.rank)})"
        elif not math.isnan(parsed.secondary):
            text += f" ({num(parsed.secondary)})"
        return text
    if kind == "range":
        return f"{pound}{num(parsed.low)}-{pound}{num(parsed.high)}{unit}"
    if kind == "annual":
        return f"[{num(parsed.value)}{unit}]"
    if kind == "rank_range":
        return f"{ordinal(parsed.low)} to {ordinal(parsed.high)} {parsed.note}".strip()
    if kind == "empty":
        return ""
    if kind == "missing":
        return "-"
    return parsed.note


def _period_text(period: pd.Period) -> str:
    """"Q2 2016/17" for UK financial quarters, "2016/17" for financial years, "2025" for calendar years."""
    freq = period.freqstr
    if freq.startswith("Q-MAR"):
        return quarter_label(period)
    if freq in ("Y-MAR", "A-MAR", "Y-AUG"):
        return f"{period.year - 1}/{period.year % 100:02d}" if freq == "Y-AUG" else financial_year_label(period)
    if freq.startswith(("Y", "A")):
        return str(period.year)
    return str(period)


# ---------------------------------------------------------------------------------------------
# Escaping: the one place text from data is made safe for Markdown and HTML
# ---------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!$])")
_AUTOLINK_DOT = re.compile(r"(www)\.", re.IGNORECASE)


def escape_html(text: Any) -> str:
    """Text from data made safe inside HTML (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: Any) -> str:
    """Text from data made safe inside Markdown: HTML escaped and Markdown's marks backslashed, so a
    measure called ``*<b>x</b>*`` reads exactly so and never becomes markup.

    Renderers also turn bare addresses into links ("https://...", "www.x.org", "a@b.org": GFM's
    autolinks, nbconvert's ``url`` plugin), so every ``:``, ``@`` and the dot after "www" are written
    as character references: they read the same and nothing from data becomes a link.

    >>> escape_markdown("[a](https://x.org) <b>")
    '\\\\[a\\\\](https&#58;//x.org) &lt;b&gt;'
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
    return _AUTOLINK_DOT.sub(r"\1&#46;", escaped.replace(":", "&#58;").replace("@", "&#64;"))


__all__ = ["BLANK", "MONEY_STYLES", "change", "duration", "escape_html", "escape_markdown", "format_value",
           "is_blank", "money", "number", "ordinal", "parsed_text", "share"]

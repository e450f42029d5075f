"""Read budget workbooks (directorate tables, budget strategies, monitoring, published figures) into one tidy frame.

``read_budget(path)`` reads every sheet of a workbook, recognises its layout from its header words
(``conventions/budget.toml`` ``[layouts]``) and hands it to one small reader per layout:

==================  ==========================================================================
years_across        a budget strategy: lines down, financial years across ("2004-2005 £m"),
                    perhaps a "Change %" column (seed 001 Table 1)
change_analysis     a bridge by directorate: opening budget, movement columns (inflation,
                    capital financing, other, growth, savings), closing budget (seed 001)
funding_sources     "Sources of Income": lines in one column, running balances in the next
monitoring          in-year monitoring by directorate: original and latest budget, previous and
                    latest forecast outturn, variance, variance % (one sheet per quarter)
published_figures   one row per published figure: budget round, year, period, area, figure,
                    amount, unit, the passage it was read from, source URL and trust grade
==================  ==========================================================================

Whatever the layout, the result has the same columns (:data:`BUDGET_COLUMNS`):

=============  ===============================================================================
source         workbook file name
sheet          sheet name
layout         which reader read the sheet (above)
status         "real" or "illustrative" (file name or title rows say "illustrative"/"synthetic")
table          the sheet's title (first title row)
round          budget round ("vintage") the figure belongs to, e.g. "Draft 2023/24"; "" if none
round_date     when the round was reported, as printed ("Cabinet 9 Dec 2016")
round_month    that date as a monthly Period (NaT when the source gives no date)
year           financial year (Period, freq "Y-MAR": 2004/05 is Period("2005", "Y-MAR"))
year_end       last year a multi-year figure covers ("2015/16 to 2018/19"); = year otherwise
year_label     the year as printed
quarter        in-year position (Period, freq "Q-MAR"), NaT for annual figures and outturns
period_label   the in-year position as printed ("Q3 2021/22", "31 May 2018", "Outturn")
area           directorate, service, fund or line of a directorate table (spacing tidied,
               the most common spelling in the file when names differ only in case/spacing);
               "Whole council" for whole-council tables
area_id        stable key for ``area`` (lower-case words joined by "-")
area_kind      "service", "corporate", "funding", "capital", "council" or "total"
line           the row label (or published "Figure") as printed
column         the column header as printed (stacked header rows joined)
line_type      what the number is: original_budget, revised_budget, forecast_outturn, variance,
               inflation, growth, savings, gap, council_tax_income, ... (conventions/budget.toml)
is_total       the row is a total or subtotal of lines above it (do not add it to them)
amount         the figure in pounds for unit "GBP" (GBP 000 and GBP m are multiplied out),
               percentage points for "%", pounds per Band D property for "GBP per Band D";
               NaN for a range (see amount_low/high) or an unreadable cell (see text)
amount_low     low end of a published range; = amount otherwise
amount_high    high end of a published range; = amount otherwise
unit           "GBP", "%" or "GBP per Band D"
qualifier      "approximately", "almost", "balanced", "assumed"... as published; "" if none
text           the text Excel displays in the amount cell (published figures: the passage)
cell           the amount's cell address in the sheet (provenance)
source_ref     where the figure comes from: a URL, or a seed file and line (published figures),
               else the workbook's own description of its source
trust          trust grade A-D as given in docs/sources/real-figures.md ("" for seed tables)
note           anything the source or the transcription adds
=============  ===============================================================================

Signs are kept as printed: in monitoring and published figures overspends and gaps are positive
and underspends in brackets; income lines keep the sign their table gives them.

Subtotals and totals are checked against the sum of their lines (and, in a bridge, each row's
opening budget plus movements against its closing budget; in monitoring, variance against
forecast minus budget). Every mismatch is a finding naming the cells, in ``read_budget(path).findings``
(the findings table of :mod:`harrowperf.foundation.findings`); the source is never "fixed".
Issues: total_mismatch, missing_total, variance_mismatch, unparsed_amount,
mixed_units, name_variant, unknown_reference, unparsed_year, status_unclear, cell_not_read,
sheet_skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import BudgetError
from harrowperf.foundation.findings import Read, findings_table
from harrowperf.foundation.gc_pause import gc_paused
from harrowperf.foundation.periods import (
    QUARTER_FREQ,
    YEAR_FREQ,
    financial_year_label,
    parse_financial_year,
    parse_quarter,
    quarter_label,
)
from harrowperf.read.cells import Cell, read_sheets, workbook_properties
from harrowperf.read.grid import Grid
from harrowperf.read.number_formats import format_scale
from harrowperf.read.numbers import (
    CLOSE,
    CURRENCY,
    DIGITS,
    MINUS,
    OPEN,
    PERCENT,
    SCALES,
    scale_of,
    scale_words,
    to_number,
)
from harrowperf.read.numbers import decimals as count_decimals

BUDGET_COLUMNS = [
    "source", "sheet", "layout", "status", "table", "round", "round_date", "round_month", "year",
    "year_end", "year_label", "quarter", "period_label", "area", "area_id", "area_kind", "line",
    "column", "line_type", "is_total", "amount", "amount_low", "amount_high", "unit", "qualifier",
    "text", "cell", "source_ref", "trust", "note",
]
LAYOUTS = ("published_figures", "monitoring", "change_analysis", "funding_sources", "years_across")
MONTH_FREQ = "M"
HEADER_SEARCH_ROWS = 30  # a header row is looked for in the first rows of a sheet only
_PLACES_KEPT = 6  # decimal places kept after scaling to pounds or percentage points
_TEXT_COLUMNS = [c for c in BUDGET_COLUMNS if c not in (
    "round_month", "year", "year_end", "quarter", "is_total", "amount", "amount_low", "amount_high")]


# ---------------------------------------------------------------------------------------------
# Conventions, compiled once
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    units: tuple[tuple[str, re.Pattern, float], ...]
    line_types: tuple[tuple[re.Pattern, str, str], ...]
    totals: tuple[re.Pattern, ...]
    area_kinds: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    layouts: dict[str, tuple[re.Pattern, ...]]
    qualifiers: tuple[str, ...]
    nil_words: frozenset[str]
    balanced_words: frozenset[str]
    illustrative_words: tuple[str, ...]
    whole_council: str
    allow_rounding: bool


@cache
def _rules() -> _Rules:
    conv = settings().budget

    def compile_all(patterns) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    return _Rules(
        units=tuple((u.name, re.compile(u.pattern, re.IGNORECASE), u.scale) for u in conv.units),
        line_types=tuple((re.compile(r.pattern, re.IGNORECASE), r.line_type, r.unit) for r in conv.line_types),
        totals=compile_all(conv.totals.labels),
        area_kinds=tuple((kind, compile_all(patterns)) for kind, patterns in conv.area_kinds.items()),
        layouts={name: compile_all(spec.requires) for name, spec in conv.layouts.items()},
        qualifiers=tuple(sorted(conv.amounts.qualifiers, key=len, reverse=True)),
        nil_words=frozenset(conv.amounts.nil_words),
        balanced_words=frozenset(conv.amounts.balanced_words),
        illustrative_words=conv.status.illustrative_words,
        whole_council=conv.status.whole_council,
        allow_rounding=conv.totals.allow_rounding,
    )


def _clean(text: object) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()) if text is not None else ""


def classify_line(label: str) -> tuple[str, str]:
    """(line_type, unit override) for a row label, column header or published figure name.

    >>> classify_line("Basic Inflation")
    ('inflation', '')
    >>> classify_line("Council Tax")
    ('band_d_council_tax', 'GBP per Band D')
    """
    text = _clean(label)
    for pattern, line_type, unit in _rules().line_types:
        if pattern.search(text):
            return line_type, unit
    return "", ""


def area_kind(label: str) -> str:
    """What kind of line a directorate-table row is: total, funding, corporate, capital, council, service."""
    text = _clean(label)
    for kind, patterns in _rules().area_kinds:
        if any(p.search(text) for p in patterns):
            return kind
    return "service"


def area_slug(name: str) -> str:
    """Stable key for an area name: "People  first" and "People First" both give "people-first"."""
    text = str(name).replace("&", " and ").replace("'", "").replace("’", "")
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def unit_of(text: str) -> tuple[str, float] | None:
    """The unit a header names: ("GBP 000", 1000.0), ("GBP m", 1e6), ("GBP", 1.0), ("%", 1.0) or None."""
    cleaned = _clean(text)
    for name, pattern, scale in _rules().units:
        if pattern.search(cleaned):
            return name, scale
    if re.search(r"(?:^|\s|\()%(?:$|\s|\))", cleaned):
        return "%", 1.0
    return None


# ---------------------------------------------------------------------------------------------
# The amount grammar
# ---------------------------------------------------------------------------------------------

_AMOUNT = re.compile(
    rf"^(?P<open>{OPEN})?\s?(?P<sign>[-+])?\s?(?P<cur>{CURRENCY})?\s?(?P<sign2>[-+])?\s?(?P<num>{DIGITS})"
    rf"\s?(?P<suffix>{PERCENT}|{scale_words(*SCALES)})?\s?(?P<close>{CLOSE})?\s?(?P<trail>-)?$",
    re.IGNORECASE,
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|–|—|-)\s+|\s*(?:–|—)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """What an amount cell's text means.

    ``kind`` is "amount", "percent", "range", "nil", "balanced", "empty" or "unparsed". ``value``
    is the signed number as printed (not scaled); ``scale`` the multiplier to pounds the text
    itself gives ("£1.2m" -> 1e6, "£950" -> 1, a bare "1,234" -> None: use the column's unit);
    ``decimals`` the printed decimal places (for rounding checks).
    """

    kind: str
    value: float = math.nan
    low: float = math.nan
    high: float = math.nan
    scale: float | None = None
    decimals: int = 0
    qualifier: str = ""
    rule: str = ""
    exact: bool = False  # a stored number shown in full ("General"): not rounded for display

    @property
    def is_number(self) -> bool:
        return self.kind in ("amount", "percent", "nil", "balanced", "range")


def _single(text: str) -> Amount | None:
    match = _AMOUNT.match(text)
    if not match:
        return None
    groups = match.groupdict()
    if bool(groups["open"]) != bool(groups["close"]):
        return None
    number = to_number(groups["num"])
    negative = bool(groups["open"]) or groups["sign"] == "-" or groups["sign2"] == "-" or bool(groups["trail"])
    if sum(bool(x) for x in (groups["open"], groups["sign"] == "-", groups["sign2"] == "-", groups["trail"])) > 1:
        return None  # "(-5)" or "-5-": sign given twice, too ambiguous to read
    value = -number if negative else number
    decimals = count_decimals(groups["num"])
    suffix = (groups["suffix"] or "").lower()
    if suffix == "%":
        return Amount("percent", value, value, value, None, decimals, rule="percent")
    scale = scale_of(suffix)
    if scale is None and groups["cur"]:
        scale = 1.0
    rule = "brackets" if groups["open"] else ("trailing_minus" if groups["trail"] else "number")
    return Amount("amount", value, value, value, scale, decimals, rule=rule)


def parse_amount(text: object) -> Amount:
    """Read the text of an amount cell as a finance team writes it.

    Understands thousands separators, negatives in brackets "(1,234)", with a minus (also "−" and
    a trailing "1,234-"), currency and scale ("£1.2m", "£776k", "GBP 2.5m", "£1,242,000"),
    percentages, nil ("-", "nil"), "balanced", qualifiers ("about £12m") and ranges
    ("£6.321m to £13.143m"). Anything else comes back with ``kind == "unparsed"``.

    >>> parse_amount("(1,234)").value
    -1234.0
    >>> parse_amount("£776k").scale
    1000.0
    """
    raw = _clean(text).replace(MINUS, "-")
    if not raw:
        return Amount("empty", rule="empty")
    lowered = raw.lower()
    rules = _rules()
    if lowered in rules.nil_words:
        return Amount("nil", 0.0, 0.0, 0.0, None, 0, rule="nil")
    if lowered in rules.balanced_words:
        return Amount("balanced", 0.0, 0.0, 0.0, None, 0, qualifier="balanced", rule="balanced")
    qualifier = ""
    for word in rules.qualifiers:
        if lowered.startswith(word + " ") or (word.endswith(".") and lowered.startswith(word)):
            qualifier = word
            raw = raw[len(word):].strip()
            break
    single = _single(raw)
    if single is not None:
        return Amount(single.kind, single.value, single.low, single.high, single.scale, single.decimals,
                      qualifier, single.rule)
    parts = _RANGE_SPLIT.split(raw)
    if len(parts) == 2:
        low, high = _single(parts[0]), _single(parts[1])
        if low is not None and high is not None and low.kind == high.kind and low.value <= high.value:
            scale = high.scale if high.scale is not None else low.scale
            return Amount("range", math.nan, low.value, high.value, scale,
                          max(low.decimals, high.decimals), qualifier, "range")
    return Amount("unparsed", rule="unparsed", qualifier=qualifier)


def cell_amount(record: Cell) -> Amount:
    """The Amount of one cell of the cell table (a stored number or typed text).

    A stored number is read as its number format shows it (:func:`harrowperf.read.number_formats.format_scale`,
    the one reading of formats): a ``%`` code makes it percentage points (a quoted or escaped ``"%"`` shows
    the points as stored), thousands commas (``#,##0,``)
    show thousands of the stored pounds, and the stored number is the figure in every case.
    """
    if record.kind == "number" and isinstance(record.value, int | float):
        number = float(record.value)
        text = record.text
        number_format = record.number_format or "General"
        decimals = count_decimals(text)
        shown_as = format_scale(number, number_format)
        if shown_as >= 100.0:
            points = number * 100
            return Amount("percent", points, points, points, None, decimals, rule="percent_format")
        if shown_as == 1.0 and text.rstrip().endswith("%"):  # a quoted or escaped "%": the number is the points
            return Amount("percent", number, number, number, None, decimals, rule="percent_text")
        if shown_as < 1.0:
            # The format shows thousands of the stored number: the number itself is in pounds.
            thousands = round(math.log(1 / shown_as, 1000))
            return Amount("amount", number, number, number, 1.0, decimals - 3 * thousands, rule="scaled_format")
        scale = 1.0 if "£" in number_format else None
        exact = number_format.lower() in ("general", "@", "")
        return Amount("amount", number, number, number, scale, decimals, rule="number", exact=exact)
    return parse_amount(record.text)


@dataclass
class _Header:
    """A table's header: its first row, the rows it spans, and each column's stacked text."""

    layout: str
    row: int
    last_row: int
    columns: dict[int, str]
    cells: dict[int, list[str]]  # column -> header addresses


def _stacked_header(grid: Grid, row: int, label_col: int) -> tuple[int, dict[int, str], dict[int, list[str]]]:
    """Join header rows that continue the first one (no text in the label column) column by column."""
    last = row
    while (last + 1 in grid.rows and not grid.tidy(last + 1, label_col) and grid.cols(last + 1)
           and all(grid.record(last + 1, c).kind != "number" or _looks_like_year(grid.tidy(last + 1, c))
                   for c in grid.cols(last + 1))):
        last += 1
    columns: dict[int, str] = {}
    addresses: dict[int, list[str]] = {}
    for r in range(row, last + 1):
        for col in grid.cols(r):
            text = grid.tidy(r, col)
            if not text:
                continue
            before = columns.get(col, "")
            joiner = "" if not before or before.endswith(("-", "/")) else " "
            columns[col] = before + joiner + text
            addresses.setdefault(col, []).append(grid.address(r, col))
    return last, columns, addresses


def _looks_like_year(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", text))


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})\s*[-/]\s*(\d{4}|\d{2})(?!\d)")


def year_in(text: str) -> pd.Period | None:
    """The first financial year named in a header ("2003-2004 Original" -> 2003/04)."""
    for match in _YEAR_IN_TEXT.finditer(text):
        period = parse_financial_year(f"{match.group(1)}/{match.group(2)}")
        if period is not None:
            return period
    return None


def _detect(grid: Grid) -> _Header | None:
    rules = _rules()
    label_col = min(c for _, c in grid.content)  # the table's leftmost column
    for row in grid.rows[:HEADER_SEARCH_ROWS]:
        cols = grid.cols(row)
        if not cols:
            continue
        last, columns, addresses = _stacked_header(grid, row, label_col)
        texts = list(columns.values())
        for layout in ("published_figures", "monitoring", "change_analysis"):
            patterns = rules.layouts[layout]
            if len(texts) >= 3 and all(any(p.search(t) for t in texts) for p in patterns):
                return _Header(layout, row, last, columns, addresses)
        if len(cols) <= 2 and any(rules.layouts["funding_sources"][0].search(t) for t in texts) \
                and any(unit_of(t) for t in texts):
            return _Header("funding_sources", row, row, columns, addresses)
        years = [c for c, t in columns.items() if year_in(t) is not None]
        if len(years) >= 2 and (grid.tidy(row, label_col) or len(cols) >= 3):
            return _Header("years_across", row, last, columns, addresses)
    return None


# ---------------------------------------------------------------------------------------------
# Building records
# ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    grid: Grid
    header: _Header
    status: str
    table: str
    source_ref: str
    titles: list[str]


def _record(ctx: _Context, **values) -> dict:
    base = {column: "" for column in _TEXT_COLUMNS}
    base.update(source=ctx.grid.source, sheet=ctx.grid.name, layout=ctx.header.layout, status=ctx.status,
                table=ctx.table, source_ref=ctx.source_ref, round_month=None, year=None, year_end=None,
                quarter=None, is_total=False, amount=math.nan, amount_low=math.nan, amount_high=math.nan)
    base.update(values)
    if base["year_end"] is None:
        base["year_end"] = base["year"]
    if not base["year_label"] and base["year"] is not None:
        base["year_label"] = financial_year_label(base["year"])
    return base


@dataclass
class _Value:
    """An amount read from a cell, in GBP (or points), with what the rounding check needs."""

    amount: float
    low: float
    high: float
    unit: str
    half_unit: float  # half of the last printed place, in the amount's unit
    qualifier: str
    text: str
    exact_zero: bool = False
    scale: float = 1.0  # the printed unit, in pounds (1000 for a £000 column)
    decimals: int = 0  # printed decimal places

    def __post_init__(self) -> None:
        # 8.153 x 1e6 is 8153000.000000001 in binary floating point: keep what was printed.
        for name in ("amount", "low", "high"):
            value = getattr(self, name)
            if math.isfinite(value):
                setattr(self, name, round(value, _PLACES_KEPT))


def _value(ctx: _Context, row: int, col: int, column_unit: tuple[str, float] | None,
           line_unit: str = "") -> _Value | None:
    """Read one amount cell; None when empty. Findings for unreadable text or a unit that differs."""
    grid = ctx.grid
    record = grid.record(row, col)
    if record is None:
        return None
    grid.mark(row, col, "amount")
    parsed = cell_amount(record)
    text = grid.tidy(row, col)
    address = grid.address(row, col)
    if parsed.kind == "empty":
        return None
    if parsed.kind == "unparsed":
        grid.find(address, "warning", "unparsed_amount",
                  f"{text!r} is not an amount; the row is kept with no amount", text)
        return _Value(math.nan, math.nan, math.nan, line_unit or _unit_name(column_unit), math.nan,
                      parsed.qualifier, text)
    if parsed.kind == "percent" or line_unit == "%":
        if parsed.kind != "percent" and line_unit == "%" and column_unit and column_unit[0] != "%":
            pass  # a percentage line in a money column, printed without "%": the line says what it is
        half = 0.0 if parsed.exact else 0.5 * 10 ** -parsed.decimals
        return _Value(parsed.value, parsed.low, parsed.high, "%", half, parsed.qualifier, text,
                      parsed.kind == "nil", 1.0, parsed.decimals)
    if line_unit == "GBP per Band D":
        scale = parsed.scale or 1.0
        return _Value(parsed.value * scale, parsed.low * scale, parsed.high * scale, line_unit,
                      0.5 * 10 ** -parsed.decimals * scale, parsed.qualifier, text, False, scale,
                      parsed.decimals)
    own = parsed.scale
    column_scale = column_unit[1] if column_unit and column_unit[0] != "%" else None
    if own is not None and column_scale is not None and own != column_scale:
        grid.find(address, "warning", "mixed_units",
                  f"{text!r} carries its own unit, which differs from the column's "
                  f"({column_unit[0]}); read in its own unit", text)
    scale = own if own is not None else column_scale
    if scale is None:
        if column_unit and column_unit[0] == "%":
            grid.find(address, "warning", "mixed_units",
                      f"{text!r} is in a percentage column but is not a percentage; read as a "
                      "percentage", text)
            return _Value(parsed.value, parsed.low, parsed.high, "%", 0.5 * 10 ** -parsed.decimals,
                          parsed.qualifier, text, False, 1.0, parsed.decimals)
        raise grid.error("an amount with no unit: neither its header nor its sheet title says £, "
                         "£000 or £m; add the unit to the header", row, col)
    rounded = parsed.kind not in ("nil", "balanced") and not parsed.exact
    half = 0.5 * 10 ** -parsed.decimals * scale if rounded else 0.0
    return _Value(parsed.value * scale, parsed.low * scale, parsed.high * scale, "GBP", half,
                  parsed.qualifier, text, parsed.kind in ("nil", "balanced"), scale, parsed.decimals)


def _unit_name(unit: tuple[str, float] | None) -> str:
    if unit is None:
        return ""
    return "%" if unit[0] == "%" else "GBP"


def _sheet_unit(ctx: _Context) -> tuple[str, float] | None:
    for title in ctx.titles:
        found = unit_of(title)
        if found:
            return found
    return None


def _column_units(ctx: _Context, columns: list[int]) -> dict[int, tuple[str, float] | None]:
    sheet_default = _sheet_unit(ctx)
    units = {col: unit_of(ctx.header.columns.get(col, "")) or sheet_default for col in columns}
    money = {col: u for col, u in units.items() if u and u[0] != "%"}
    scales = {u[1] for u in money.values()}
    if len(scales) > 1:
        names = ", ".join(f"{ctx.header.cells[c][-1]} {u[0]}" for c, u in money.items() if c in ctx.header.cells)
        ctx.grid.find(", ".join(ctx.header.cells[c][-1] for c in money if c in ctx.header.cells), "warning",
                      "mixed_units", f"the columns of this sheet are in different units ({names}); each is "
                                     "read in its own unit")
    if sheet_default and sheet_default[0] != "%":
        for col in money:
            own = unit_of(ctx.header.columns.get(col, ""))
            if own and own[0] != "%" and own[1] != sheet_default[1]:
                ctx.grid.find(ctx.header.cells[col][-1], "warning", "mixed_units",
                              f"the title says {sheet_default[0]} but this column says {own[0]}; the column's "
                              "unit is used")
    return units


def _is_total(grid: Grid, row: int, label_col: int, label: str) -> bool:
    cell = grid.record(row, label_col)
    return any(p.search(label) for p in _rules().totals) or bool(cell and cell.bold)


# ---------------------------------------------------------------------------------------------
# Total checks
# ---------------------------------------------------------------------------------------------


@dataclass
class _Part:
    address: str
    value: _Value | None


def check_sum(grid: Grid, total_address: str, total: _Value | None, parts: list[_Part],
              what: str, sign: float = 1.0, start: _Part | None = None,
              issue: str = "total_mismatch") -> None:
    """Compare a printed total with start + sign * sum(parts); record a finding when they differ.

    Empty part cells count as nothing and are named in the message. Each printed figure is rounded
    to its last printed place, so a difference that rounding could explain is reported as "info".
    """
    present = [p for p in parts if p.value is not None and not math.isnan(p.value.amount)]
    if start is not None and (start.value is None or math.isnan(start.value.amount)):
        return
    if total is None or math.isnan(total.amount):
        return
    if not present and start is None:
        return
    expected = (start.value.amount if start else 0.0) + sign * sum(p.value.amount for p in present)
    difference = total.amount - expected
    tolerance = total.half_unit + sum(p.value.half_unit for p in present) + (start.value.half_unit if start else 0)
    scale = 1e-9 * max(1.0, abs(total.amount))
    if abs(difference) <= scale:
        return
    empty = [p.address for p in parts if p.value is None]
    within = _rules().allow_rounding and abs(difference) <= tolerance + scale
    involved = ([start.address] if start else []) + [p.address for p in parts]
    names = [p.address for p in parts]
    if start is None:
        arithmetic = f"{_span(names)} add up to"
    else:
        arithmetic = f"{start.address} {'less' if sign < 0 else 'plus'} {_span(names)} come to"
    places = _places(total, [p.value for p in present] + ([start.value] if start else []))
    message = (f"{what}: {total_address} shows {_show(total)} but {arithmetic} "
               f"{_in_units(expected, total, places)} (difference {_in_units(difference, total, places)}"
               f"{_unit_words(total)})")
    if empty:
        message += f"; {', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty"
    message += ("; within what rounding each printed figure could explain" if within
                else "; more than rounding explains")
    grid.find(", ".join([total_address, *involved]), "info" if within else "warning", issue,
              message, total.text)


def _span(addresses: list[str]) -> str:
    return addresses[0] if len(addresses) == 1 else f"{', '.join(addresses[:-1])} and {addresses[-1]}"


def _show(value: _Value) -> str:
    return value.text or _in_units(value.amount, value)


def _in_units(amount: float, like: _Value, decimals: int | None = None) -> str:
    """An amount printed in the unit of ``like`` (e.g. £000), with enough decimal places."""
    places = like.decimals if decimals is None else decimals
    return f"{amount / like.scale:,.{max(places, 0)}f}"


def _places(total: _Value, values: list[_Value]) -> int:
    """Decimal places that show every figure exactly when printed in the total's unit."""
    return max([total.decimals] + [v.decimals + round(math.log10(total.scale / v.scale))
                                   for v in values if v.scale > 0])


def _unit_words(like: _Value) -> str:
    if like.unit == "%":
        return " percentage points"
    names = {1e6: "£m", 1e3: "£000", 1.0: "£"}
    return f", in {names.get(like.scale, f'units of £{like.scale:,.0f}')}"


def _running_totals(grid: Grid, rows: list[tuple[int, str, bool]], values: dict[tuple[int, int], _Value],
                    col: int, what: str) -> None:
    """Each total = the previous total (if any) + the lines since it (finance tables' running subtotals)."""
    previous: _Part | None = None
    lines: list[_Part] = []
    for row, _label, is_total in rows:
        part = _Part(grid.address(row, col), values.get((row, col)))
        if is_total:
            if part.value is None:
                if lines and any(p.value is not None for p in lines):
                    grid.find(part.address, "warning", "missing_total",
                              f"{what}: the total cell is empty although its lines hold amounts")
                previous, lines = None, []
                continue
            check_sum(grid, part.address, part.value, lines, what, start=previous)
            previous, lines = part, []
        else:
            lines.append(part)


# ---------------------------------------------------------------------------------------------
# One reader per layout
# ---------------------------------------------------------------------------------------------


def _body_rows(ctx: _Context, label_col: int) -> list[tuple[int, str, bool]]:
    """(row, label, is_total) for every row under the header that holds anything."""
    grid = ctx.grid
    out = []
    for row in grid.rows:
        if row <= ctx.header.last_row:
            continue
        label = grid.tidy(row, label_col)
        if label:
            grid.mark(row, label_col, "label")
        out.append((row, label, bool(label) and _is_total(grid, row, label_col, label)))
    return out


def _body_amounts(ctx: _Context, rows: list[tuple[int, str, bool]], amount_cols: list[int], units: dict,
                  line_unit, unlabelled: str | None) -> tuple[list[tuple[int, int, str, bool, _Value]], dict]:
    """Every amount in the table body as (row, col, label, is_total, value), and the values by (row, col).

    ``line_unit(label, col)`` is a unit that overrides the column's ("" keeps it). When ``unlabelled``
    is given, an amount on a row with no label is a finding with that message.
    """
    grid = ctx.grid
    amounts, values = [], {}
    for row, label, is_total in rows:
        for col in amount_cols:
            value = _value(ctx, row, col, units[col], line_unit(label, col))
            if value is None:
                continue
            values[(row, col)] = value
            if not label and unlabelled:
                grid.find(grid.address(row, col), "warning", "missing_label", unlabelled, value.text)
            amounts.append((row, col, label, is_total, value))
    return amounts, values


def _amount_fields(grid: Grid, row: int, col: int, value: _Value) -> dict:
    """The record fields of one amount and its cell."""
    return dict(amount=value.amount, amount_low=value.low, amount_high=value.high, unit=value.unit,
                qualifier=value.qualifier, text=value.text, cell=grid.address(row, col))


def _area_fields(grid: Grid, row: int, label_col: int) -> dict:
    """The record fields of a row named by its area (a directorate or service), as written."""
    area = grid.raw(row, label_col)
    return dict(area=area, line=area.strip(), _area_cell=grid.address(row, label_col))


def _read_years_across(ctx: _Context) -> list[dict]:
    grid, header = ctx.grid, ctx.header
    label_col = min(c for _, c in grid.content)
    years = {c: year_in(t) for c, t in header.columns.items() if c != label_col}
    amount_cols = sorted(c for c in years if c > label_col)
    year_of: dict[int, pd.Period | None] = {}
    current = None
    for col in amount_cols:  # a "Change %" column belongs to the year on its left
        current = years[col] or current
        year_of[col] = current
    units = _column_units(ctx, amount_cols)
    whole = _rules().whole_council
    rows = _body_rows(ctx, label_col)
    amounts, values = _body_amounts(ctx, rows, amount_cols, units, lambda label, _: classify_line(label)[1],
                                    "an amount on a row with no label; kept with an empty line")
    records = [_record(ctx, year=year_of[col], area=whole, line=label, column=header.columns.get(col, ""),
                       line_type=classify_line(label)[0] or ("total" if is_total else "other"), is_total=is_total,
                       **_amount_fields(grid, row, col, value))
               for row, col, label, is_total, value in amounts]
    for col in amount_cols:
        checked = [(r, lab, tot) for r, lab, tot in rows
                   if (r, col) not in values or values[(r, col)].unit == _unit_name(units[col])]
        _running_totals(grid, checked, values, col, f"column {header.columns.get(col, '')!r}")
    return records


def _read_change_analysis(ctx: _Context) -> list[dict]:
    grid, header = ctx.grid, ctx.header
    label_col = min(c for _, c in grid.content)
    amount_cols = sorted(c for c in header.columns if c > label_col)
    kinds = {c: classify_line(header.columns[c])[0] for c in amount_cols}
    years = {c: year_in(header.columns[c]) for c in amount_cols}
    year_cols = [c for c in amount_cols if years[c] is not None]
    if len(year_cols) < 2:
        raise grid.error("a change analysis needs an opening and a closing year column "
                         "(e.g. '2003-2004 Original' ... '2004-2005 Original')", header.row, amount_cols[0])
    opening, closing = year_cols[0], year_cols[-1]
    movements = [c for c in amount_cols if opening < c < closing]
    units = _column_units(ctx, amount_cols)
    rows = _body_rows(ctx, label_col)
    amounts, values = _body_amounts(ctx, rows, amount_cols, units, lambda *_: "", None)
    records = [_record(ctx, year=years[col] if col in (opening, closing) else years[closing],
                       column=header.columns[col], is_total=is_total,
                       line_type=kinds[col] or ("original_budget" if col in (opening, closing) else "other"),
                       **_area_fields(grid, row, label_col), **_amount_fields(grid, row, col, value))
               for row, col, _, is_total, value in amounts]
    for row, label, _ in rows:
        present = [values.get((row, c)) for c in [opening, *movements]]
        if label and values.get((row, closing)) is None and any(v is not None for v in present):
            given = [v for v in present if v is not None]
            expected = sum(v.amount for v in given)
            grid.find(grid.address(row, closing), "warning", "missing_total",
                      f"{label!r}: the closing budget ({header.columns[closing]!r}) is empty; its opening "
                      f"budget and movements come to {_in_units(expected, given[0], _places(given[0], given))}"
                      f" ({_unit_words(given[0]).lstrip(', ')})", label)
        elif label:
            check_sum(grid, grid.address(row, closing), values.get((row, closing)),
                      [_Part(grid.address(row, c), values.get((row, c))) for c in movements],
                      f"row {label!r}: opening budget plus movements",
                      start=_Part(grid.address(row, opening), values.get((row, opening))))
    for col in amount_cols:
        _running_totals(grid, rows, values, col, f"column {header.columns[col]!r}")
    return records


def _read_funding_sources(ctx: _Context) -> list[dict]:
    grid, header = ctx.grid, ctx.header
    label_col = min(c for _, c in grid.content)
    line_col = min(header.columns)
    balance_col = line_col + 1
    title = header.columns[line_col]
    unit = unit_of(title) or _sheet_unit(ctx)
    year = year_in(title)
    records: list[dict] = []
    previous: tuple[str, _Value] | None = None
    lines: list[_Part] = []
    for row, label, _ in _body_rows(ctx, label_col):
        line_type, _ = classify_line(label)
        for col in (line_col, balance_col):
            value = _value(ctx, row, col, unit)
            if value is None:
                continue
            address = grid.address(row, col)
            is_balance = col == balance_col
            records.append(_record(
                ctx, year=year, area=_rules().whole_council, line=label, column=title, is_total=is_balance,
                line_type=line_type or "other", amount=value.amount, amount_low=value.low,
                amount_high=value.high, unit=value.unit, qualifier=value.qualifier, text=value.text,
                cell=address))
            if is_balance:
                if previous is not None:
                    check_sum(grid, address, value, lines, "balance after the lines above it", sign=-1.0,
                              start=_Part(previous[0], previous[1]))
                previous, lines = (address, value), []
            else:
                lines.append(_Part(address, value))
    return records


def _quarter_of(ctx: _Context) -> pd.Period | None:
    for text in (ctx.grid.name, *ctx.titles):
        for match in re.finditer(r"Q(?:uarter)?\s*([1-4])\D{0,12}?(\d{4}\s*[-/]\s*\d{2,4})", text, re.IGNORECASE):
            found = parse_quarter(f"Q{match.group(1)} {match.group(2).replace(' ', '')}")
            if found is not None:
                return found
    return None


def _read_monitoring(ctx: _Context) -> list[dict]:
    grid, header = ctx.grid, ctx.header
    label_col = min(c for _, c in grid.content)
    quarter = _quarter_of(ctx)
    if quarter is None:
        raise grid.error("a monitoring sheet must say its quarter in the sheet name or title "
                         "(e.g. 'Q2 2016-17' or 'Quarter 2 2016/17')")

    amount_cols = sorted(c for c in header.columns if c > label_col)
    kinds = {c: classify_line(header.columns[c]) for c in amount_cols}
    units = _column_units(ctx, amount_cols)
    rows = _body_rows(ctx, label_col)
    amounts, values = _body_amounts(ctx, rows, amount_cols, units, lambda _, col: kinds[col][1],
                                    "an amount on a row with no directorate name; kept with an empty area")
    records = [_record(ctx, year=quarter.asfreq(YEAR_FREQ), quarter=quarter, period_label=quarter_label(quarter),
                       column=header.columns[col], line_type=kinds[col][0] or "other", is_total=is_total,
                       **_area_fields(grid, row, label_col), **_amount_fields(grid, row, col, value))
               for row, col, _, is_total, value in amounts]
    col_of = {kinds[c][0]: c for c in amount_cols}
    budget_col = col_of.get("revised_budget", col_of.get("original_budget"))
    if {"forecast_outturn", "variance"} <= col_of.keys() and budget_col is not None:
        for row, label, _ in rows:
            check_sum(grid, grid.address(row, col_of["variance"]), values.get((row, col_of["variance"])),
                      [_Part(grid.address(row, budget_col), values.get((row, budget_col)))],
                      f"{label!r}: variance against forecast minus budget", sign=-1.0,
                      start=_Part(grid.address(row, col_of["forecast_outturn"]),
                                  values.get((row, col_of["forecast_outturn"]))),
                      issue="variance_mismatch")
    for col in amount_cols:
        if kinds[col][1] != "%":
            _running_totals(grid, rows, values, col, f"column {header.columns[col]!r}")
    return records


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def parse_round_month(text: str) -> pd.Period | None:
    """The month a budget round was reported in ("Cabinet 9 Dec 2016" -> 2016-12; "10/12/2021" -> 2021-12)."""
    found = []
    for match in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        found.append((match.start(), int(match.group(3)), int(match.group(2))))
    for match in re.finditer(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b",
                             text, re.IGNORECASE):
        found.append((match.start(), int(match.group(2)), _MONTHS[match.group(1).lower()]))
    if not found:
        return None
    _, year, month = min(found)
    if not 1 <= month <= 12:
        return None
    return pd.Period(year=year, month=month, freq=MONTH_FREQ)


def parse_year_span(text: str) -> tuple[pd.Period | None, pd.Period | None]:
    """("2015/16 to 2018/19") -> (2015/16, 2018/19); a single year gives it twice; else (None, None)."""
    parts = re.split(r"\s+to\s+|\s*[–—]\s*", _clean(text))
    periods = [parse_financial_year(p) for p in parts]
    if len(periods) == 1 and periods[0] is not None:
        return periods[0], periods[0]
    if len(periods) == 2 and all(p is not None for p in periods) and periods[0] <= periods[1]:
        return periods[0], periods[1]
    return None, None


def _period_position(text: str) -> pd.Period | None:
    """In-year position: a quarter label, or a date ("31 May 2018") -> the quarter it falls in."""
    quarter = parse_quarter(text)
    if quarter is not None:
        return quarter
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if match and match.group(2)[:3].lower() in _MONTHS:
        month = pd.Period(year=int(match.group(3)), month=_MONTHS[match.group(2)[:3].lower()], freq=MONTH_FREQ)
        return month.asfreq(QUARTER_FREQ)
    return None


_FIGURE_FIELDS = {
    "ref": "ref", "budget round": "round", "round date": "round_date", "year": "year", "period": "period",
    "area": "area", "figure": "figure", "amount": "amount", "low": "low", "high": "high", "unit": "unit",
    "qualifier": "qualifier", "as published": "quote", "source": "source", "trust": "trust",
    "part of": "part_of", "note": "note",
}
_UNIT_WORDS = {"£m": ("GBP m", 1e6), "£000": ("GBP 000", 1e3), "£": ("GBP", 1.0), "%": ("%", 1.0)}


def _read_published(ctx: _Context) -> list[dict]:
    grid, header = ctx.grid, ctx.header
    fields: dict[str, int] = {}
    for col, text in header.columns.items():
        key = _FIGURE_FIELDS.get(re.sub(r"\s*\(.*\)$", "", text.lower()))
        if key:
            fields[key] = col
    for required in ("figure", "amount", "unit", "source"):
        if required not in fields:
            raise grid.error(f"a published-figures sheet needs a {required!r} column", header.row, min(header.columns))
    records: list[dict] = []
    parts: dict[str, list[tuple[str, _Value | None]]] = {}
    totals: dict[str, tuple[str, _Value | None]] = {}
    for row in grid.rows:
        if row <= header.last_row or not grid.cols(row):
            continue
        get = {key: grid.tidy(row, col) for key, col in fields.items()}
        for key, col in fields.items():
            if (row, col) in grid.content and key not in ("amount", "low", "high"):
                grid.mark(row, col, key)
        unit_text = get.get("unit", "")
        unit = _UNIT_WORDS.get(unit_text.replace(" ", "")) or unit_of(unit_text)
        amount_col = fields["amount"]
        cells = {k: (row, fields[k]) for k in ("amount", "low", "high") if k in fields}
        if unit is None and any(grid.tidy(*rc) for rc in cells.values()):
            grid.find(grid.address(row, fields["unit"]), "warning", "missing_unit",
                      f"row {row} has an amount but no unit (£m, £000, £ or %); the amount is not read",
                      unit_text)
            for rc in cells.values():
                grid.mark(*rc, "amount")
            value = low = high = None
        else:
            line_unit = "%" if unit and unit[0] == "%" else ""
            value = _value(ctx, *cells["amount"], unit, line_unit)
            low = _value(ctx, *cells["low"], unit, line_unit) if "low" in cells else None
            high = _value(ctx, *cells["high"], unit, line_unit) if "high" in cells else None
        qualifier = get.get("qualifier", "")
        figure = get.get("figure", "")
        if value is None and low is None and high is None and not figure:
            continue
        if value is None and (low is not None or high is not None):
            low_amount = low.amount if low else math.nan
            high_amount = high.amount if high else math.nan
            amount, unit_name, text = math.nan, (low or high).unit, (low or high).text
            cell = grid.address(*cells["low" if low else "high"])
        elif value is not None:
            amount, low_amount, high_amount, unit_name, text = (
                value.amount, value.amount, value.amount, value.unit, value.text)
            cell = grid.address(*cells["amount"])
            qualifier = qualifier or value.qualifier
        else:
            amount = low_amount = high_amount = math.nan
            unit_name, text, cell = _unit_name(unit), "", grid.address(row, amount_col)
        year, year_end = parse_year_span(get.get("year", ""))
        year_text = get.get("year", "")
        if year is None and year_text and year_text.lower() not in ("not stated", "n/a", "unknown"):
            grid.find(grid.address(row, fields["year"]), "warning", "unparsed_year",
                      f"{year_text!r} is not a financial year or a span of them ('2015/16 to 2018/19')",
                      year_text)
        period_text = get.get("period", "")
        line_type, _ = classify_line(figure)
        area = grid.raw(row, fields["area"]) if "area" in fields and get.get("area") else _rules().whole_council
        records.append(_record(
            ctx, round=get.get("round", ""), round_date=get.get("round_date", ""),
            round_month=parse_round_month(get.get("round_date", "")), year=year, year_end=year_end,
            year_label=year_text, quarter=_period_position(period_text) if period_text else None,
            period_label=period_text, area=area, line=figure, column=header.columns[amount_col],
            line_type=line_type or "other", amount=amount, amount_low=low_amount, amount_high=high_amount,
            unit=unit_name, qualifier=qualifier, text=get.get("quote", "") or text, cell=cell,
            source_ref=get.get("source", ""), trust=get.get("trust", ""), note=get.get("note", ""),
            _area_cell=grid.address(row, fields["area"]) if "area" in fields else ""))
        ref, part_of = get.get("ref", ""), get.get("part_of", "")
        if ref:
            totals[ref] = (cell, value)
        if part_of:
            parts.setdefault(part_of, []).append((cell, value))
            records[-1]["_part_of"] = part_of
        if ref:
            records[-1]["_ref"] = ref
    for ref, members in parts.items():
        if ref not in totals:
            grid.find(members[0][0], "warning", "unknown_reference",
                      f"'Part of' names {ref!r}, which is not the Ref of any row of this sheet", ref)
            continue
        address, total = totals[ref]
        check_sum(grid, address, total, [_Part(a, v) for a, v in members], f"figure {ref} and its parts")
    referenced = set(parts)
    for record in records:
        record["is_total"] = record.pop("_ref", "") in referenced
        record.pop("_part_of", None)
    return records


_READERS = {
    "years_across": _read_years_across,
    "change_analysis": _read_change_analysis,
    "funding_sources": _read_funding_sources,
    "monitoring": _read_monitoring,
    "published_figures": _read_published,
}


# ---------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------


def _status(source: str, sheet: str, titles: list[str], grid: Grid) -> str:
    words = _rules().illustrative_words
    in_name = any(w in source.lower() for w in words)
    in_title = any(w in t.lower() for t in titles for w in words)
    if in_name != in_title:
        where = "file name" if in_name else "title"
        grid.find("A1", "warning", "status_unclear",
                  f"only the {where} says the figures are illustrative; they are all treated as "
                  "illustrative. Say so in both the file name and the title")
    return "illustrative" if in_name or in_title else "real"


def _workbook_description(path: Path) -> str:
    properties = workbook_properties(path, BudgetError)
    return _clean(properties.description or properties.title or "")


@gc_paused()
def read_budget(path: str | Path) -> Read:
    """Read a budget workbook: ``.frame`` is the tidy budget frame (:data:`BUDGET_COLUMNS`) and
    ``.findings`` its findings (total mismatches, unreadable amounts, name variants...).

    Raises :class:`harrowperf.BudgetError` (naming the file, sheet and cell) for a file that is not
    a readable workbook, a workbook with no budget table on any sheet, or an amount whose unit
    cannot be known. Sheets with no budget table are skipped and listed as findings.

    >>> budget = read_budget("data/raw/budget/harrow_budget_2004-05_bvpp_tables.xlsx")  # doctest: +SKIP
    >>> budget.frame, budget.findings  # doctest: +SKIP
    """
    path = Path(path)
    sheets = read_sheets(path, error=BudgetError)
    description = _workbook_description(path)
    records: list[dict] = []
    findings: list[dict] = []
    read_any = False
    for sheet in sheets:
        grid = Grid(path.name, sheet, BudgetError)
        if not grid.content:
            continue
        header = _detect(grid)
        if header is None:
            grid.find("", "warning", "sheet_skipped",
                      "no budget table found on this sheet (no header naming years, budget and forecast, "
                      "movements, sources of income or published figures); it was not read")
            findings.extend(grid.findings)
            continue
        read_any = True
        titles = [_clean(" ".join(grid.tidy(r, c) for c in grid.cols(r))) for r in grid.rows if r < header.row]
        for r in grid.rows:
            if r < header.row:
                for c in grid.cols(r):
                    grid.mark(r, c, "title")
        for r in range(header.row, header.last_row + 1):
            for c in grid.cols(r):
                grid.mark(r, c, "header")
        ctx = _Context(grid, header, _status(path.name, sheet.name, titles, grid),
                       titles[0] if titles else sheet.name, description, titles)
        records.extend(_READERS[header.layout](ctx))
        for row, col in grid.unmarked():
            grid.find(grid.address(row, col), "warning", "cell_not_read",
                      "a cell outside the table's columns; it was not read", grid.tidy(row, col))
        findings.extend(grid.findings)
    if not read_any:
        raise BudgetError("no budget table on any sheet: expected a header naming financial years, "
                          "budget and forecast columns, movements (inflation, growth, savings), sources "
                          "of income, or published figures (Figure, Amount, Source)", file=path.name)
    area_cells = [record.get("_area_cell", "") for record in records]
    frame = _to_frame(records)
    frame = _tidy_areas(frame, area_cells, findings)
    return Read(frame=frame, findings=findings_table(findings))


def _tidy_areas(frame: pd.DataFrame, area_cells: list[str], findings: list[dict]) -> pd.DataFrame:
    """One spelling per area (the most common); report names that differ only in case or spacing.

    ``area_cells`` holds, row by row, the cell the area's name was read from (for the finding).
    """
    if frame.empty:
        return frame
    frame = frame.copy()
    printed = frame["area"].astype(str)
    frame["area_id"] = printed.map(area_slug)
    cells = pd.Series(area_cells, index=frame.index, dtype=object)
    canonical = {}
    for area_id, group in frame.groupby("area_id", sort=False):
        spellings = Counter(group["area"].tolist())
        usual = spellings.most_common(1)[0][0]
        canonical[area_id] = _clean(usual)
        odd = group[group["area"] != usual].drop_duplicates(["sheet", "area"])
        for index, row in odd.iterrows():
            how = "spacing" if _clean(row["area"]) == _clean(usual) else "case or spacing"
            findings.append({
                "source": row["source"], "sheet": row["sheet"], "cell": cells[index], "severity": "warning",
                "issue": "name_variant", "text": row["area"],
                "message": f"{row['area']!r} differs from {usual!r} only in {how}; read as {canonical[area_id]!r}"})
    frame["area"] = frame["area_id"].map(canonical)
    frame["area_kind"] = [
        "total" if is_total and layout != "published_figures" else
        ("council" if area == _rules().whole_council else area_kind(area))
        for area, is_total, layout in zip(frame["area"], frame["is_total"], frame["layout"], strict=True)]
    return frame


def _to_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=BUDGET_COLUMNS)
    for column, freq in (("year", YEAR_FREQ), ("year_end", YEAR_FREQ), ("quarter", QUARTER_FREQ),
                         ("round_month", MONTH_FREQ)):
        frame[column] = pd.array(
            [pd.NaT if v is None or v is pd.NaT else v for v in frame[column]], dtype=pd.PeriodDtype(freq))
    for column in ("amount", "amount_low", "amount_high"):
        frame[column] = frame[column].astype("float64")
    frame["is_total"] = frame["is_total"].astype(bool)
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def empty_frame() -> pd.DataFrame:
    """A budget frame with no rows and the right column types."""
    return _to_frame([])


__all__ = ["Amount", "BUDGET_COLUMNS", "area_kind", "area_slug", "cell_amount", "classify_line", "empty_frame",
           "parse_amount", "parse_round_month", "parse_year_span", "read_budget", "unit_of", "year_in"]

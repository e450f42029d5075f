"""Read a long history file (one row per indicator per period, CSV or XLSX) through its mapping.

Performance systems export history as long tables: Pentana/InPhase exports, LG Inform downloads,
a council's own spreadsheet of past years. :func:`read_long` turns such a file into rows of the tidy
scorecard frame (:data:`harrowperf.foundation.schema.SCORECARD_COLUMNS`), so that they collate with
the scorecard workbooks like the cited history does.

Which column holds what, and how periods, polarities, RAGs and units are written, is data: a
**mapping**, a small TOML file (:class:`LongMapping`). ``data/raw/history/<file>.mapping.toml`` sits
beside ``<file>`` (``.csv``, ``.xlsx`` or ``.xlsm``); ready mappings ship in
``harrowperf/conventions/long_mappings/`` (``pentana``, ``lg_inform``), and a mapping may start from
one of them (``base = "pentana"``) and change only what differs. See the README section "Long history
files" for the format.

Periods are read by the one period grammar, :func:`harrowperf.foundation.periods.parse_period`;
:func:`place_period` adds only what a mapping says about the file: the frequency of each row, and
that a quarter or year written as one month names its last (or first) month.

Where each value came from: ``cell_actual``, ``cell_target``, ``cell_rag`` and ``cell_measure`` hold
the address of the cell a spreadsheet shows for it: ``"Data!D17"`` in a workbook (sheet and cell, as
the scorecard reader gives them) and ``"D17"`` in a CSV (row 17 counting the header line as row 1, in
the fourth column, as Excel or LibreOffice show the file when they open it). Findings carry the same
address in ``cell`` and name the column in words.

Nothing is lost: every row of the file below the header is either a row of ``.frame`` or named in
``.findings``. Issues:

- ``unplaced_period`` (warning): the period cannot be placed: not a period, or not one of the row's
  frequency (a quarterly row dated in a month that ends no quarter), or, in a file whose mapping gives
  no frequency, "2010-11" (the financial year 2010/11 or November 2010: the finding says to set
  ``[periods] frequency``). The row is not in the frame; it is never moved to a nearby period.
- ``mixed_frequencies`` (warning): a measure given at several frequencies: every row is kept, each
  frequency a series of its own, as :func:`harrowperf.read.collate.mixed_frequencies` says (the one rule).
- ``repeated_period`` (info: the same figures again, the first is kept) and ``conflicting_period``
  (warning: different figures for one measure and period; neither is used).
- ``no_measure`` (warning): a row with content but no measure name.
- ``unparsed_value`` (warning): an actual or target the value grammar does not understand (kept as text).
  A figure with a statistical marker ("12.3r", "12.3 [r]", "45 (p)", "1,234 [e]") is the figure, with
  "revised", "provisional", "estimated" in ``status_note``; "[c]", "[x]", "[z]" alone are no figure, the
  note saying why ("confidential (suppressed)"). Another marker, or "45p", is this finding.
- ``unknown_word`` (warning): a polarity, RAG, unit or frequency word the mapping does not list.
- ``rows_left_out`` (info): rows the mapping's ``[keep]`` leaves out (other councils), one per value.
- ``columns_not_read`` (info): the columns of the file no mapping key names.

A mapping that names a column the file does not have raises :class:`~harrowperf.LongFileError` naming
the data file, the mapping file and the column.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
import types
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from harrowperf.foundation.conventions import load_table, read_toml
from harrowperf.foundation.errors import AmbiguousPeriodError, LongFileError, SettingsError
from harrowperf.foundation.findings import Read, findings_table
from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.periods import (
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    FISCAL_YEAR,
    MONTH,
    PERIOD_COLUMNS,
    QUARTER,
    QUARTER_FREQ,
    Span,
    parse_period,
    reporting_quarter,
)
from harrowperf.foundation.schema import COMMENTARY_COLUMNS, SCORECARD_COLUMNS
from harrowperf.read.cells import cell_address, column_letter, read_sheets
from harrowperf.read.collate import mixed_frequencies
from harrowperf.read.fills import normalise_code
from harrowperf.read.values import parse_value

MAPPING_SUFFIX = ".mapping.toml"
DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm")
SHIPPED = "long_mappings"  # folder of harrowperf/conventions/ with the ready mappings
Frequency = Literal["month", "quarter", "year"]
# The frequency words of a mapping; a "year" is a financial, calendar or fiscal year (see Periods.year_starts).
WORDS_FOR_FREQUENCY: tuple[str, ...] = ("month", "quarter", "year")
PolarityWord = Literal["higher", "lower", "in_range", "none"]
RagWord = Literal["HG", "LG", "G", "A", "LR", "HR", "R", "none"]
UnitWord = Literal["%", "count", "s", "rank", "ratio", "£", ""]
MAX_CSV_BYTES = 200_000_000


def _empty_mapping() -> Mapping[str, Any]:
    return types.MappingProxyType({})


@dataclass(frozen=True)
class FileLayout:
    """``[file]``: where the table is in the file."""

    sheet: str = ""  # a workbook's sheet holding the table ("" = the first sheet); not used for a CSV
    header_row: int = 1  # the row with the column names (1 = the first row); rows below it are data
    encoding: str = "utf-8-sig"  # a CSV's text encoding ("utf-8-sig" also reads plain UTF-8)
    delimiter: str = ","  # a CSV's separator
    missing: tuple[str, ...] = ("",)  # texts that mean "no figure" in a value column (besides blank)
    # The decimal mark of figures written as text: "." or "," (a European export: "3,5" is 3.5, and a
    # dot or space between digits groups thousands, "1.234,5" is 1234.5).
    decimal: str = "."

    def __post_init__(self) -> None:
        if self.decimal not in (".", ","):
            raise ValueError(f"decimal must be \".\" or \",\", not {self.decimal!r}")
        if self.header_row < 1:
            raise ValueError(f"header_row must be 1 or more, not {self.header_row}")
        if len(self.delimiter) != 1:
            raise ValueError(f"delimiter must be one character, not {self.delimiter!r}")


@dataclass(frozen=True)
class Columns:
    """``[columns]``: the file's column name for each field ("" = the file has no such column).

    A heading that differs only in case or spacing, or by a byte-order mark, is the same column."""

    measure: str
    period: str
    actual: str
    theme: str = ""
    measure_ref: str = ""
    target: str = ""
    rag: str = ""
    polarity: str = ""
    unit: str = ""
    commentary: str = ""
    frequency: str = ""


@dataclass(frozen=True)
class Periods:
    """``[periods]``: how the period column is written."""

    # The frequency of every row when the file has no frequency column ("" = as the period text says:
    # "Apr 2016" a month, "Q2 2016/17" a quarter, "2016/17" or "2016" a year).
    frequency: Literal["", "month", "quarter", "year"] = ""
    # Words of the frequency column -> month / quarter / year (e.g. Monthly = "month").
    frequencies: Mapping[str, Frequency] = field(default_factory=_empty_mapping)
    # A quarter or year written as one month or date ("Sep 2016", 2016-09-30) names its last month
    # ("end") or its first month ("start").
    dated_by: Literal["end", "start"] = "end"
    # The month this file's years start in: 4 (April, the UK financial year), 1 (calendar years),
    # 7 (July, e.g. New York City's fiscal year). An annual row dated in a month must fit it.
    year_starts: int = 4
    # How a year that starts in another month than April or January is named, e.g. "NYC FY{end_year}";
    # the months it covers follow in brackets. "" = by its months only ("Jul 2009-Jun 2010").
    year_name: str = ""
    # How a date written as text is written, e.g. "%d/%m/%Y" for "31/03/2020" (Python's strptime codes);
    # an ISO date ("2020-03-31", "2020-03-31 00:00:00") needs none. Read as a workbook's date cell is.
    date_format: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.year_starts <= 12:
            raise ValueError(f"year_starts must be a month number 1-12, not {self.year_starts}")
        if self.year_name and "{end_year}" not in self.year_name and "{start_year}" not in self.year_name:
            raise ValueError("year_name must hold {end_year} or {start_year}, e.g. \"FY{end_year}\"")


@dataclass(frozen=True)
class Keep:
    """``[keep]``: only rows whose ``column`` holds one of ``values`` (e.g. your council in a download of many),
    compared ignoring case and spacing ("HARROW " is "Harrow")."""

    column: str = ""
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.column and not self.values:
            raise ValueError(f"[keep] column {self.column!r} needs the values to keep, e.g. values = [\"Harrow\"]")


@dataclass(frozen=True)
class LongMapping:
    """A long file's mapping (the TOML file's tables and keys). Read with :func:`load_mapping`."""

    columns: Columns
    name: str = ""  # what kind of file this maps, in words ("Pentana PI export")
    base: str = ""  # a shipped mapping this one starts from (e.g. "pentana"), "" for none
    file: FileLayout = field(default_factory=FileLayout)
    periods: Periods = field(default_factory=Periods)
    # Words of the polarity column -> higher / lower / in_range / none (no better direction).
    polarity: Mapping[str, PolarityWord] = field(default_factory=_empty_mapping)
    # Words of the RAG column -> RAG codes ("none": not a RAG, e.g. "Data only"); RAG codes and
    # "Green", "Amber", "Red" ... are understood without being listed.
    rag: Mapping[str, RagWord] = field(default_factory=_empty_mapping)
    # Words of the unit column -> the frame's units (%, count, s, rank, ratio, £, "" for unknown).
    units: Mapping[str, UnitWord] = field(default_factory=_empty_mapping)
    keep: Keep = field(default_factory=Keep)
    path: str = ""  # set by load_mapping: the mapping file (or shipped mapping) it was read from


@dataclass(frozen=True)
class LongRead(Read):
    """What :func:`read_long` returns: ``.frame`` (scorecard rows), ``.findings`` and ``.commentary``
    (the commentary column's texts, :data:`~harrowperf.foundation.schema.COMMENTARY_COLUMNS`)."""

    commentary: pd.DataFrame
    mapping: LongMapping


# ---------------------------------------------------------------------------------------------
# Mappings
# ---------------------------------------------------------------------------------------------


def shipped_mappings() -> list[str]:
    """The names of the ready mappings in ``harrowperf/conventions/long_mappings/`` ("lg_inform", "pentana")."""
    folder = resources.files("harrowperf") / "conventions" / SHIPPED
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def mapping_path(data_file: str | Path) -> Path:
    """The mapping file beside a data file: ``pis.csv`` -> ``pis.csv.mapping.toml``."""
    data_file = Path(data_file)
    return data_file.with_name(data_file.name + MAPPING_SUFFIX)


def load_mapping(mapping: str | Path | LongMapping) -> LongMapping:
    """A mapping from a TOML file, or a shipped one by name ("pentana", "lg_inform").

    A mapping with ``base = "<name>"`` starts from that shipped mapping: each of its tables replaces
    keys of the base's table of the same name. Raises :class:`~harrowperf.SettingsError` naming the
    mapping file, the table and the key of an unknown, missing or wrongly typed key.
    """
    if isinstance(mapping, LongMapping):
        return mapping
    text, label = _mapping_text(mapping)
    data = read_toml(text, file=label)
    base = data.get("base", "")
    if base:
        if not isinstance(base, str) or base not in shipped_mappings():
            raise SettingsError(f"should name a shipped mapping ({', '.join(shipped_mappings())}), not {base!r}",
                                file=label, key="base")
        base_text, base_label = _mapping_text(base)
        data = _merge(read_toml(base_text, file=base_label), data)
    loaded = load_table(LongMapping, data, file=label)
    return _with_path(loaded, label)


def _mapping_text(mapping: str | Path) -> tuple[str, str]:
    if isinstance(mapping, str) and mapping in shipped_mappings():
        folder = resources.files("harrowperf") / "conventions" / SHIPPED
        return (folder / f"{mapping}.toml").read_text("utf-8"), f"conventions/{SHIPPED}/{mapping}.toml"
    path = Path(mapping)
    try:
        return path.read_text("utf-8"), path.name
    except FileNotFoundError:
        raise LongFileError(f"mapping file not found; give a mapping file or one of the shipped mappings "
                            f"({', '.join(shipped_mappings())})", mapping=str(path)) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key in ("file", "columns", "periods",
                                                                                      "keep"):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _with_path(mapping: LongMapping, label: str) -> LongMapping:
    values = {f.name: getattr(mapping, f.name) for f in fields(mapping)}
    values["path"] = label
    return LongMapping(**values)


# ---------------------------------------------------------------------------------------------
# Periods: the period text (and the row's frequency) -> the period it covers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A period of a long file: a :class:`~harrowperf.foundation.periods.Span` and its label in this file."""

    span: Span
    label: str

    @property
    def start(self) -> pd.Timestamp:
        return self.span.start

    @property
    def end(self) -> pd.Timestamp:
        return self.span.end

    @property
    def frequency(self) -> str:
        return self.span.frequency

    @cached_property
    def quarter(self) -> pd.Period:
        """The reporting quarter (Q-MAR) the period ends in: where the frame's ``period`` puts it."""
        return reporting_quarter(self.span.end)


def _months_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """"Jul-Sep 2012", "Jul 2009-Jun 2010": a span named by its months only."""
    if start.year == end.year:
        return f"{start:%b}-{end:%b %Y}"
    return f"{start:%b %Y}-{end:%b %Y}"


def place_period(text: str, frequency: str, periods: Periods, date: pd.Timestamp | None = None) -> Placed | str:
    """The period a long file's row is about, or the reason it cannot be placed (a sentence).

    ``text`` is the period cell as written, read by the one period grammar
    (:func:`~harrowperf.foundation.periods.parse_period`: "Apr 2016", "Q2 2016/17", "2016/17", "2016" ...);
    ``frequency`` the row's frequency ("month", "quarter", "year", or "" when the file does not say);
    ``date`` a workbook cell's date, read as its month when the text it shows is not a period.
    A quarter or year written as one month is the quarter or year that month ends (``dated_by = "end"``)
    or starts; a month that ends (starts) none is not placed, never moved. A year whose months
    (``year_starts``) are not April-March or January-December is a ``fiscal year``.

    >>> place_period("Sep 2012", "quarter", Periods(year_starts=7)).label
    'Jul-Sep 2012'
    >>> place_period("Oct 2012", "quarter", Periods(year_starts=7))
    'Oct 2012 is not the last month of a quarter (March, June, September or December)'
    """
    text = " ".join(str(text).split())
    if frequency not in ("", *WORDS_FOR_FREQUENCY):
        return f"frequency {frequency!r} is not one of {', '.join(WORDS_FOR_FREQUENCY)}"
    # "2010-11" is both the financial year 2010/11 and November 2010: the row's frequency says which (a
    # monthly or quarterly row is dated by a month; an annual row of a file of financial years is one)
    reading = {"month": MONTH, "quarter": MONTH, "year": FINANCIAL_YEAR if periods.year_starts == 4 else MONTH}
    span = parse_period(text, reading[frequency]) if frequency else None
    ambiguous = ""
    if span is None:
        try:
            span = parse_period(text)
        except AmbiguousPeriodError as error:
            ambiguous = error.message
    if span is None and date is None:
        date = _text_date(text, periods.date_format)
    if span is None and date is not None:
        span = parse_period(date)  # a real date: the month it is in (a cell formatted "yyyy-mm" shows "2010-11")
    if span is None and ambiguous:
        return ambiguous
    if span is None:
        hint = " (a date written as text: set [periods] date_format, e.g. \"%d/%m/%Y\")" if \
            _DAY_TEXT.fullmatch(text) and not periods.date_format else ""
        return f"{text!r} is not a period (a month, a financial quarter, a financial or calendar year){hint}" \
            if text else "the period is empty"
    written = span.frequency
    if written == FINANCIAL_YEAR and periods.year_starts not in (1, 4) and frequency in ("", "year"):
        # "2016/17" in a file whose years start in another month (an academic year from September,
        # New York City's from July) is that file's year starting in 2016, never April to March
        first = pd.Period(year=span.start.year, month=periods.year_starts, freq="M")
        year = Span(first.start_time.normalize(), (first + 11).end_time.normalize(), FISCAL_YEAR)
        return Placed(year, _label(year, periods))
    if not frequency or (frequency == "year" and written in (FINANCIAL_YEAR, CALENDAR_YEAR)) or \
            frequency == written:
        return Placed(span, _label(span, periods))
    if written != MONTH:
        return f"{text!r} is a {written} but the row is {_adjective(frequency)}"
    month = pd.Period(span.start, freq="M")
    months = 3 if frequency == "quarter" else 12
    first = month - (months - 1) if periods.dated_by == "end" else month
    edge = "last" if periods.dated_by == "end" else "first"
    if frequency == "quarter":
        quarter = parse_period(pd.Period(first.start_time, freq=QUARTER_FREQ))
        if quarter.start != first.start_time:
            named = "March, June, September or December" if periods.dated_by == "end" else \
                "January, April, July or October"
            return f"{_as_read(text, month)} is not the {edge} month of a quarter ({named})"
        return Placed(quarter, _label(quarter, periods))
    if first.month != periods.year_starts:
        expected = (periods.year_starts - 2) % 12 + 1 if periods.dated_by == "end" else periods.year_starts
        return f"{_as_read(text, month)} is not the {edge} month of a year of this file (its years " \
               f"{'end' if periods.dated_by == 'end' else 'start'} in {_month_name(expected)})"
    last = first + 11
    if periods.year_starts in (4, 1):
        year = parse_period(pd.Period(first.start_time, freq="Y-MAR" if periods.year_starts == 4 else "Y-DEC"))
        return Placed(year, _label(year, periods))
    year = Span(first.start_time.normalize(), last.end_time.normalize(), FISCAL_YEAR)
    return Placed(year, _label(year, periods))


_DAY_TEXT = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?: [\d:]+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def _text_date(text: str, date_format: str) -> pd.Timestamp | None:
    """A date written as text: ISO ("2020-03-31", as CSV exports write a date cell) or the mapping's format."""
    match = _ISO_DATE.fullmatch(text)
    try:
        if match:
            return pd.Timestamp(datetime.date(*(int(part) for part in match.groups())))
        if date_format:
            return pd.Timestamp(datetime.datetime.strptime(text, date_format))
    except ValueError:  # not a day of the calendar ("2020-02-30"), or not in the mapping's format
        return None
    return None


def _as_read(text: str, month: pd.Period) -> str:
    """The month a text was read as, in words: "Oct 2012", or "'2009-11' (read as Nov 2009)"."""
    shown = month.strftime("%b %Y")
    return shown if text.lower() == shown.lower() or not text else f"{text!r} (read as {shown})"


def _label(span: Span, periods: Periods) -> str:
    """As councils print it ("Apr 2016", "Q2 2016/17", "2016/17", "2016"), except where that would pretend:
    a quarter of a file whose years are not UK financial years is named by its months ("Jul-Sep 2012"),
    and a fiscal year by its months after the mapping's name for it ("NYC FY2010 (Jul 2009-Jun 2010)")."""
    if span.frequency == QUARTER and periods.year_starts != 4:
        return _months_label(span.start, span.end)
    if span.frequency == FISCAL_YEAR:
        months = _months_label(span.start, span.end)
        if not periods.year_name:
            return months
        return f"{periods.year_name.format(start_year=span.start.year, end_year=span.end.year)} ({months})"
    return span.label


def _month_name(number: int) -> str:
    return pd.Timestamp(year=2000, month=number, day=1).strftime("%B")


def _adjective(frequency: str) -> str:
    if frequency.endswith("year"):
        return "annual" if frequency == "year" else f"annual ({frequency})"
    return {"month": "monthly", "quarter": "quarterly"}.get(frequency, frequency)


# ---------------------------------------------------------------------------------------------
# Reading the file: rows of (column name -> (text, address, number))
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    text: str
    address: str
    number: float = math.nan  # a workbook's stored number (already in percentage points for a % format)
    date: pd.Timestamp | None = None  # a workbook's date (a number in a date format); ``text`` shows it


class _Row:
    """A data row: its number, whether any of its cells has content, and the cells of the named columns.

    A CSV row keeps its texts and makes a cell only when one is asked for (most rows of a download of
    many areas are only looked at for their area).
    """

    __slots__ = ("_cells", "_columns", "_record", "content", "number")

    def __init__(self, number: int, content: bool, cells: dict[str, _Cell] | None = None,
                 record: list[str] | None = None, columns: dict[str, int] | None = None) -> None:
        self.number, self.content, self._cells = number, content, cells
        self._record, self._columns = record, columns

    def get(self, name: str) -> _Cell:
        """The cell of column ``name`` (an empty cell without an address when the row has none)."""
        if self._cells is not None:
            return self._cells.get(name, _EMPTY)
        col = (self._columns or {}).get(name)
        if col is None or col >= len(self._record or []):
            return _EMPTY
        return _Cell(self._record[col], f"{column_letter(col + 1)}{self.number}")

    @property
    def cells(self) -> dict[str, _Cell]:
        if self._cells is not None:
            return self._cells
        return {name: self.get(name) for name in self._columns or {}}


_EMPTY = _Cell("", "")


def _named_columns(mapping: LongMapping) -> set[str]:
    named = {getattr(mapping.columns, f.name) for f in fields(mapping.columns)} | {mapping.keep.column}
    return named - {""}


def name_key(text: str) -> str:
    """A column name or area as compared with the mapping's: case, spacing, a byte-order mark and
    non-breaking or zero-width spaces do not matter ("\ufeffArea Name " and "area  name" are one name)."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").replace("\u200b", "")
    return " ".join(text.split()).casefold()


def _as_mapped(header: list[str], mapping: LongMapping, path: Path, sheet: str = "") -> list[str]:
    """The header with each name the mapping names written as the mapping writes it.

    A heading that differs from the mapping's only by case or spacing ("indicator ", "PERIOD") is that
    column; the heading exactly as the mapping writes it wins, and two headings that both match only
    loosely stop with a :class:`~harrowperf.LongFileError` naming them.
    """
    header = list(header)
    for name in sorted(_named_columns(mapping)):
        if name in header:
            continue
        loose = [i for i, heading in enumerate(header) if heading and name_key(heading) == name_key(name)]
        if len(loose) > 1:
            raise LongFileError(f"column {name!r} of the mapping matches {len(loose)} columns of the file "
                                f"({', '.join(repr(header[i]) for i in loose)}); name one exactly",
                                file=path.name, mapping=mapping.path, column=name, sheet=sheet or None)
        if loose:
            header[loose[0]] = name
    return header


def _header_hint(rows: list[list[str]], mapping: LongMapping, header_row: int) -> str:
    """Where the mapping's columns are when they are not in the header row: a hint for the error."""
    wanted = {name_key(n) for n in _named_columns(mapping)}
    for number, names in enumerate(rows[:30], start=1):
        if number != header_row and wanted <= {name_key(n) for n in names if str(n).strip()}:
            return f"; row {number} holds the mapping's columns: set [file] header_row = {number}"
    if len(rows) >= header_row:
        names = [n for n in rows[header_row - 1] if str(n).strip()]
        for separator in (";", "\t", "|"):
            if len(names) == 1 and separator in names[0] and separator != mapping.file.delimiter:
                return f"; the header looks separated by {separator!r}: set [file] delimiter = {separator!r}"
    return ""


def _read_rows(path: Path, mapping: LongMapping) -> tuple[str, list[str], list[_Row], str]:
    """(sheet, header names, data rows below the header, a hint where the header is) of a CSV file or
    a workbook's sheet."""
    if path.suffix.lower() == ".csv":
        return "", *_csv_rows(path, mapping)
    return _workbook_rows(path, mapping)


def _csv_rows(path: Path, mapping: LongMapping) -> tuple[list[str], list[_Row], str]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise LongFileError(f"the file is larger than {MAX_CSV_BYTES:,} bytes; refusing to read it",
                            file=path.name, mapping=mapping.path)
    try:
        with path.open(newline="", encoding=mapping.file.encoding) as handle:
            reader = csv.reader(handle, delimiter=mapping.file.delimiter)
            records, last_record_line, lines_read = [], 1, 0
            for record in reader:
                last_record_line, lines_read = lines_read + 1, reader.line_num
                records.append(record)
    except UnicodeDecodeError as error:
        raise LongFileError(f"the file is not {mapping.file.encoding} text ({error.reason} at byte {error.start}); "
                            "set [file] encoding in the mapping (a CSV saved by Excel on Windows is usually "
                            "encoding = \"cp1252\")", file=path.name, mapping=mapping.path) from None
    except csv.Error as error:
        raise LongFileError(f"not a readable CSV file: {error}", file=path.name, mapping=mapping.path) from None
    if records and any("\n" in field for field in records[-1]) and _quote_left_open(path, mapping):
        raise LongFileError(f'a quote (") opened in the row on line {last_record_line} is never closed, so every '
                            "line after it was read as one value; close the quote (or remove it) and save again",
                            file=path.name, mapping=mapping.path)
    header_row = mapping.file.header_row
    if len(records) < header_row:
        raise LongFileError(f"the file has {len(records)} row(s), so no header in row {header_row}",
                            file=path.name, mapping=mapping.path)
    header = _as_mapped([name.strip() for name in records[header_row - 1]], mapping, path)
    wanted = {name: col for col, name in enumerate(header) if name in _named_columns(mapping)}
    rows = [_Row(number, bool("".join(record).strip()), record=record, columns=wanted)
            for number, record in enumerate(records[header_row:], start=header_row + 1)]
    hint = "" if _named_columns(mapping) <= set(header) else _header_hint(records, mapping, header_row)
    return header, rows, hint


def _quote_left_open(path: Path, mapping: LongMapping) -> bool:
    """Whether the file holds an odd number of quote characters (a quoted field that runs to its end).

    Only asked when the last row holds a line break: a CSV reader reads an unclosed quote to the end of
    the file without complaint, so the rows after it would be one value.
    """
    return path.read_text(encoding=mapping.file.encoding).count('"') % 2 == 1


_DATE_FORMAT = re.compile(r"[dmy]", re.IGNORECASE)


def _workbook_rows(path: Path, mapping: LongMapping) -> tuple[str, list[str], list[_Row], str]:
    sheets = [mapping.file.sheet] if mapping.file.sheet else None
    first = read_sheets(path, sheets, error=_workbook_error(mapping))[:1]
    if not first:
        raise LongFileError("the workbook has no worksheet", file=path.name, mapping=mapping.path)
    sheet = first[0]
    header_row = mapping.file.header_row
    by_row: dict[int, dict[int, Any]] = {}
    for record in sheet.records:
        by_row.setdefault(record.row, {})[record.col] = record
    header = {col: str(cell.text).strip() for col, cell in by_row.get(header_row, {}).items() if str(cell.text).strip()}
    texts = [[str(cell.text) for _, cell in sorted(by_row.get(number, {}).items())]
             for number in range(1, min(max(by_row, default=0), 30) + 1)]
    if not header:
        raise LongFileError(f"row {header_row} (the header row) is empty{_header_hint(texts, mapping, header_row)}",
                            file=path.name, mapping=mapping.path, sheet=sheet.name)
    header = dict(zip(header, _as_mapped(list(header.values()), mapping, path, sheet.name), strict=True))
    rows = []
    named = _named_columns(mapping)
    for number in sorted(r for r in by_row if r > header_row):
        cells = {}
        content = any(record.kind != "blank" and str(record.text).strip() for record in by_row[number].values())
        for col, record in sorted(by_row[number].items()):
            if record.kind == "blank" or header.get(col) not in named:
                continue
            name = header[col]
            address = f"{sheet.name}!{cell_address(number, col)}"
            text, number_value, date = str(record.text), math.nan, None
            if record.kind == "number" and isinstance(record.value, int | float):
                number_value = float(record.value)
                section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", str(record.number_format))
                if "%" in section:
                    number_value *= 100
                elif _DATE_FORMAT.search(section) and section.lower() != "general":
                    date = _excel_date(number_value)
                    number_value = math.nan
            cells[name] = _Cell(text, address, number_value, date)
        rows.append(_Row(number, content, cells=cells))
    names = [header[c] for c in sorted(header)]
    hint = "" if _named_columns(mapping) <= set(names) else _header_hint(texts, mapping, header_row)
    return sheet.name, names, rows, hint


def _excel_date(serial: float) -> pd.Timestamp | None:
    from openpyxl.utils.datetime import from_excel

    try:
        return pd.Timestamp(from_excel(serial))
    except (ValueError, OverflowError, TypeError):
        return None


def _workbook_error(mapping: LongMapping) -> type[LongFileError]:
    class _Error(LongFileError):
        def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                     cell: str | None = None, row: int | None = None) -> None:
            super().__init__(message, file=file, mapping=mapping.path, sheet=sheet, cell=cell)

    _Error.__name__ = "LongFileError"
    return _Error


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------

def read_long(path: str | Path, mapping: str | Path | LongMapping | None = None) -> LongRead:
    """Read a long file (CSV or XLSX, one row per indicator per period) into scorecard-frame rows.

    ``mapping`` is a mapping file, the name of a shipped mapping ("pentana", "lg_inform"), a
    :class:`LongMapping`, or ``None`` for the mapping file beside the data file
    (``<file>.mapping.toml``). Returns a :class:`LongRead`: ``.frame`` (the columns of
    :data:`~harrowperf.foundation.schema.SCORECARD_COLUMNS`; each row at its own ``frequency``, "month",
    "quarter", "financial year", "calendar year" or "fiscal year", from ``period_start`` to ``period_end``;
    ``period`` is the reporting quarter the period ends in), ``.findings`` and ``.commentary``. Every data
    row is in ``.frame`` or in ``.findings`` (see the module docstring for the issues).

    Raises :class:`~harrowperf.LongFileError` naming the data file, the mapping file and the column when
    the mapping names a column the file lacks, and :class:`~harrowperf.SettingsError` for a bad mapping.
    """
    path = Path(path)
    if mapping is None:
        beside = mapping_path(path)
        if not beside.exists():
            raise LongFileError(f"no mapping: put the mapping file {beside.name} beside it, or pass one "
                                f"(a file, or one of {', '.join(shipped_mappings())})", file=path.name)
        mapping = beside
    mapping = load_mapping(mapping)
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise LongFileError(f"not a {', '.join(DATA_SUFFIXES)} file", file=path.name, mapping=mapping.path)
    if not path.exists():
        raise LongFileError("file not found", file=str(path), mapping=mapping.path)
    sheet, header, rows, hint = _read_rows(path, mapping)
    _check_columns(path, mapping, header, hint)
    return _Reader(path, mapping, sheet, header).read(rows)


def _check_columns(path: Path, mapping: LongMapping, header: list[str], hint: str = "") -> None:
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    named = {f.name: getattr(mapping.columns, f.name) for f in fields(mapping.columns)}
    if mapping.keep.column:
        named["[keep] column"] = mapping.keep.column
    for key, column in named.items():
        if column and column not in header:
            where = key if key.startswith("[") else f"{key} in [columns]"
            raise LongFileError(f"column {column!r} named as {where} is not in the file; its columns are "
                                f"{', '.join(repr(h) for h in header if h)}{hint}", file=path.name,
                                mapping=mapping.path, column=column)
        if column and column in repeated:
            raise LongFileError(f"column {column!r} named as {key} appears more than once in the header",
                                file=path.name, mapping=mapping.path, column=column)
    if mapping.periods.frequency == "" and not mapping.columns.frequency:
        return
    if mapping.columns.frequency and not mapping.periods.frequencies:
        raise SettingsError("the file has a frequency column, so [periods] frequencies must say what its words "
                            "mean (e.g. Monthly = \"month\")", file=mapping.path, table="periods", key="frequencies")


class _Reader:
    def __init__(self, path: Path, mapping: LongMapping, sheet: str, header: list[str]) -> None:
        self.path, self.mapping, self.sheet, self.header = path, mapping, sheet, header
        self.columns = mapping.columns
        self.missing = {m.strip().lower() for m in mapping.file.missing} | {""}
        self.findings: list[dict[str, Any]] = []
        self.placed: dict[tuple, Placed | str] = {}  # period text, frequency, date -> where (files repeat them)
        self.slugs: dict[str, str] = {}
        self.lowered: dict[int, dict[str, str]] = {}  # a mapping's word table, by lower-case word
        self.values: dict[str, dict[str, Any]] = {}  # value text -> what it means (files repeat them)

    def find(self, cell: str, severity: str, issue: str, text: str, message: str) -> None:
        address = cell.rpartition("!")[2]
        self.findings.append({"source": self.path.name, "sheet": self.sheet, "cell": address, "severity": severity,
                              "issue": issue, "text": text, "message": message})

    def read(self, rows: list[_Row]) -> LongRead:
        records, left_out = [], Counter()
        first_left_out: dict[str, str] = {}
        keep_column = self.mapping.keep.column
        kept_keys = {name_key(value) for value in self.mapping.keep.values}
        for row in rows:
            if not row.content:
                continue  # an empty row holds nothing to lose
            number = row.number
            if keep_column:
                kept = row.get(keep_column)
                if name_key(kept.text) not in kept_keys:
                    left_out[kept.text.strip()] += 1
                    first_left_out.setdefault(kept.text.strip(), kept.address or f"row {number}")
                    continue
            record = self.row(number, row)
            if record is not None:
                records.append(record)
        for value, count in left_out.items():
            self.find(first_left_out[value], "info", "rows_left_out", value,
                      f"{count} row(s) with {self.mapping.keep.column} {value!r} left out: the mapping's [keep] "
                      f"reads only {', '.join(repr(v) for v in self.mapping.keep.values)}")
        named = {getattr(self.columns, f.name) for f in fields(self.columns)} | {self.mapping.keep.column}
        unread = [h for h in self.header if h and h not in named]
        if unread:
            self.find("", "info", "columns_not_read", ", ".join(unread),
                      f"the mapping names no field for column(s) {', '.join(repr(h) for h in unread)}; not read")
        records = self.one_value_per_period(self.identify(records))
        frame = self.frame(records)
        # the one rule for a measure given at several frequencies (collation's): every row kept, each
        # frequency a series of its own, and a finding at the first cell of each less common frequency
        self.findings += mixed_frequencies(frame)
        return LongRead(frame=frame, findings=findings_table(self.findings), commentary=self.commentary(records),
                        mapping=self.mapping)

    def text(self, cells: _Row, column: str) -> _Cell:
        return cells.get(column) if column else _EMPTY

    def word(self, cell: _Cell, table: Mapping[str, str], what: str, key: str) -> str | None:
        """A word of a polarity/RAG/unit/frequency column through the mapping's table (None: not listed)."""
        text = " ".join(cell.text.split())
        if id(table) not in self.lowered:
            self.lowered[id(table)] = {" ".join(w.split()).lower(): m for w, m in table.items()}
        meaning = self.lowered[id(table)].get(text.lower())
        if meaning is not None:
            return meaning
        self.find(cell.address, "warning", "unknown_word", text,
                  f"{what} {text!r} is not in the mapping's [{key}] ({', '.join(repr(w) for w in table) or 'empty'}); "
                  f"add it there")
        return None

    def row(self, number: int, cells: _Row) -> dict[str, Any] | None:
        columns = self.columns
        measure_cell = self.text(cells, columns.measure)
        measure = " ".join(measure_cell.text.split())
        period_cell = self.text(cells, columns.period)
        where = f"row {number}"
        if not measure:
            shown = "; ".join(f"{k}={c.text!r}" for k, c in cells.cells.items() if c.text.strip())[:200] or \
                "(content only in columns the mapping does not read)"
            self.find(measure_cell.address or cell_address(number, 1), "warning", "no_measure", shown,
                      f"{where} has no measure name in column {columns.measure!r}; not read")
            return None
        frequency = self.mapping.periods.frequency
        if columns.frequency:
            frequency_cell = self.text(cells, columns.frequency)
            meaning = self.word(frequency_cell, self.mapping.periods.frequencies, "frequency", "periods.frequencies")
            if meaning is None:
                self.find(period_cell.address or cell_address(number, 1), "warning", "unplaced_period",
                          period_cell.text, f"{where} ({measure}): the frequency {frequency_cell.text!r} is not "
                                            "known, so the period cannot be placed; not read")
                return None
            frequency = meaning
        key = (period_cell.text, frequency, period_cell.date)
        if key not in self.placed:
            self.placed[key] = place_period(period_cell.text, frequency, self.mapping.periods, date=period_cell.date)
        placed = self.placed[key]
        if isinstance(placed, str):
            self.find(period_cell.address or cell_address(number, 1), "warning", "unplaced_period",
                      period_cell.text, f"{where} ({measure}), column {columns.period!r}: {placed}; not read "
                                        "(never moved to another period)")
            return None
        actual_cell, target_cell, rag_cell = (self.text(cells, c) for c in (columns.actual, columns.target,
                                                                                  columns.rag))
        actual = self.value(actual_cell, columns.actual, where)
        target = self.value(target_cell, columns.target, where)
        notes = [n for n in (actual["note"], target["note"]) if n]
        polarity = None
        polarity_cell = self.text(cells, columns.polarity)
        if polarity_cell.text.strip():  # a blank polarity says nothing: no better direction
            word = self.word(polarity_cell, self.mapping.polarity, "polarity", "polarity")
            polarity = None if word in (None, "none") else word
        rag = None
        if rag_cell.text.strip():
            code = normalise_code(rag_cell.text)
            if code is None:
                listed = {w.strip().lower(): m for w, m in self.mapping.rag.items()}
                code = listed.get(" ".join(rag_cell.text.split()).lower())
                if code is None:
                    self.word(rag_cell, self.mapping.rag, "RAG", "rag")
            rag = None if code in (None, "none") else code
        unit = actual["unit"] or target["unit"]
        unit_text = " ".join(self.text(cells, columns.unit).text.split())
        if unit_text:
            unit = self.word(self.text(cells, columns.unit), self.mapping.units, "unit", "units") or ""
        theme = " ".join(self.text(cells, columns.theme).text.split())
        commentary = self.text(cells, columns.commentary)
        return {
            "source": self.path.name, "sheet": self.sheet, "theme": theme,
            "measure_ref": " ".join(self.text(cells, columns.measure_ref).text.split()), "measure": measure,
            "measure_id": "", "polarity": polarity, "period": placed.quarter, "period_label": placed.label,
            "target": target["value"], "target_low": target["low"], "target_high": target["high"],
            "target_kind": target["kind"], "actual": actual["value"], "numerator": actual["numerator"],
            "denominator": actual["denominator"], "rank": actual["rank"], "secondary": actual["secondary"],
            "unit": unit, "rag": rag, "rag_source": "text" if rag else None,
            "status_note": "; ".join(notes) or None, "period_covered": None,
            "target_text": target_cell.text, "actual_text": actual_cell.text, "rag_text": rag_cell.text,
            "cell_target": target_cell.address, "cell_actual": actual_cell.address or cell_address(number, 1),
            "cell_rag": rag_cell.address, "cell_measure": measure_cell.address,
            "frequency": placed.frequency, "period_start": placed.start, "period_end": placed.end,
            "_commentary": commentary.text.strip(), "_cell_commentary": commentary.address, "_row": number,
            "_unit_text": unit_text,
        }

    def value(self, cell: _Cell, column: str, where: str) -> dict[str, Any]:
        """A value cell read by the value grammar (as a scorecard cell is)."""
        if math.isnan(cell.number) and cell.text in self.values:
            return self.values[cell.text]
        result = self._value(cell, column, where)
        if math.isnan(cell.number) and result is not None:
            self.values[cell.text] = result
        return result if result is not None else self._blank()

    @staticmethod
    def _blank() -> dict[str, Any]:
        nan = math.nan
        return {"value": nan, "low": nan, "high": nan, "numerator": nan, "denominator": nan, "rank": nan,
                "secondary": nan, "unit": "", "note": "", "kind": "none"}

    def _value(self, cell: _Cell, column: str, where: str) -> dict[str, Any] | None:
        """What a value cell means; ``None`` (and a finding) when the grammar does not understand it."""
        nan = math.nan
        blank = {"value": nan, "low": nan, "high": nan, "numerator": nan, "denominator": nan, "rank": nan,
                 "secondary": nan, "unit": "", "note": "", "kind": "none"}
        text = " ".join(cell.text.split())
        if text.lower() in self.missing:
            return blank
        shorthand = _SHORTHAND.fullmatch(text)
        if shorthand:  # the statistical "[c]", "[x]", "[z]": no figure, and why
            return {**blank, "note": f"{text}: {_SHORTHAND_WORDS[shorthand['letter'].lower()]}"}
        marked = _MARKED.fullmatch(text)
        marker = ""
        if marked and math.isnan(cell.number):  # "12.3 [r]", "45 (p)", "12.3r": the figure, and a note
            letter = marked["letter"] or marked["paren"] or "r"
            text, marker = marked["figure"], _MARKER_WORDS[letter.lower()]
        parsed = parse_value(_decimal_point(text) if self.mapping.file.decimal == "," and math.isnan(cell.number)
                             else text)
        if parsed.kind in ("number", "range", "annual"):
            value = parsed.value
            if not math.isnan(cell.number) and parsed.kind == "number":
                value = cell.number  # the stored number, not its rounded display
            low = parsed.low if parsed.kind == "range" else value
            high = parsed.high if parsed.kind == "range" else value
            return {**blank, "value": nan if parsed.kind == "range" else value, "low": low, "high": high,
                    "numerator": parsed.numerator, "denominator": parsed.denominator, "rank": parsed.rank,
                    "secondary": parsed.secondary, "unit": parsed.unit, "note": marker,
                    "kind": "range" if parsed.kind == "range" else "annual" if parsed.kind == "annual" else "point"}
        if parsed.kind in ("missing", "empty"):
            return blank
        if parsed.kind in ("status", "note", "no_target"):
            return {**blank, "note": parsed.note or text}
        text = " ".join(cell.text.split())
        hint = "; if the file writes decimals with a comma, set [file] decimal = \",\"" if \
            self.mapping.file.decimal == "." and _DECIMAL_COMMA.search(text) else ""
        self.find(cell.address, "warning", "unparsed_value", text,
                  f"{where}, column {column!r}: {text!r} is not a figure the value grammar understands; "
                  f"its text is kept, its number left empty{hint}")
        return None

    def identify(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """measure_id: the name's slug, with the theme added when one name is used in several themes.

        One name given in several units within a theme (a percentage and a tonnage of the same indicator)
        is that many measures: each is named "<name> (<unit as written>)", as a cited history figure
        with a basis is (so the measure catalogue and collation keep them apart too).
        """
        units: dict[tuple[str, str], set[str]] = {}
        for record in records:
            units.setdefault((self.slug(record["measure"]), record["theme"]), set()).add(record["_unit_text"])
        for record in records:
            if len(units[(self.slug(record["measure"]), record["theme"])]) > 1 and record["_unit_text"]:
                record["measure"] = f"{record['measure']} ({record['_unit_text']})"
        themes: dict[str, set[str]] = {}
        for record in records:
            themes.setdefault(self.slug(record["measure"]), set()).add(record["theme"])
        for record in records:
            slug = self.slug(record["measure"])
            record["measure_id"] = f"{slug}-{measure_slug(record['theme'])}" if len(themes[slug]) > 1 and \
                record["theme"] else slug
        return records

    def slug(self, name: str) -> str:
        if name not in self.slugs:
            self.slugs[name] = measure_slug(name)
        return self.slugs[name]

    def one_value_per_period(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        groups: dict[tuple, list[dict[str, Any]]] = {}
        for record in records:
            groups.setdefault((record["measure_id"], record["period_start"], record["period_end"]), []).append(record)
        dropped: set[int] = set()
        for group in groups.values():
            if len(group) < 2:
                continue
            first = group[0]
            same = all(_figures(r) == _figures(first) for r in group[1:])
            for other in group[1:] if same else group:
                dropped.add(id(other))
                if same:
                    self.find(other["cell_actual"], "info", "repeated_period", other["actual_text"],
                              f"row {other['_row']} repeats {first['measure']} for {first['period_label']} with the "
                              f"same figures as {first['cell_actual']}; the first is kept")
                else:
                    cells = ", ".join(r["cell_actual"] for r in group)
                    self.find(other["cell_actual"], "warning", "conflicting_period", other["actual_text"],
                              f"row {other['_row']}: {first['measure']} has {len(group)} different figures for "
                              f"{first['period_label']} ({cells}); none is used until the file has one")
        return [r for r in records if id(r) not in dropped]

    def frame(self, records: list[dict[str, Any]]) -> pd.DataFrame:
        columns = [*SCORECARD_COLUMNS, *(c for c in PERIOD_COLUMNS if c not in SCORECARD_COLUMNS)]
        frame = pd.DataFrame.from_records([{k: r[k] for k in columns} for r in records], columns=columns)
        frame["period"] = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ) if len(frame) else \
            pd.Series([], dtype=f"period[{QUARTER_FREQ}]")
        for column in ("target", "target_low", "target_high", "actual", "numerator", "denominator", "rank",
                       "secondary"):
            frame[column] = frame[column].astype("float64")
        for column in ("period_start", "period_end"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        frame["frequency"] = frame["frequency"].astype(str)
        return frame

    def commentary(self, records: list[dict[str, Any]]) -> pd.DataFrame:
        rows = [{"source": r["source"], "sheet": r["sheet"], "row": r["_row"], "theme": r["theme"],
                 "measure": r["measure"], "heading": "", "commentary": r["_commentary"], "quarter": r["period"],
                 "quarter_label": r["period_label"], "cell_measure": r["cell_measure"],
                 "cell_commentary": r["_cell_commentary"]} for r in records if r.get("_commentary")]
        frame = pd.DataFrame(rows, columns=COMMENTARY_COLUMNS)
        frame["quarter"] = pd.PeriodIndex(frame["quarter"], freq=QUARTER_FREQ) if len(frame) else \
            pd.Series([], dtype=f"period[{QUARTER_FREQ}]")
        frame["row"] = frame["row"].astype(int)
        return frame


# The Government Statistical Service's shorthand (and the older trailing "r"): a figure followed by a marker
# is that figure with a note; a marker alone is no figure.
_MARKER_WORDS = {"r": "revised", "p": "provisional", "e": "estimated", "u": "low reliability",
                 "b": "break in series"}
_SHORTHAND_WORDS = {"c": "confidential (suppressed)", "x": "not available", "z": "not applicable",
                    "low": "rounds to zero"}
_MARKED = re.compile(r"(?P<figure>.*\d%?)\s*(?:\[(?P<letter>[rpeub])\]|\((?P<paren>[rpe])\)|r)", re.IGNORECASE)
_SHORTHAND = re.compile(r"\[(?P<letter>c|x|z|low)\]", re.IGNORECASE)
_THOUSANDS_MARK = re.compile(r"(?<=\d)[. \u00a0\u202f](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"\d,(?:\d{1,2}|\d{4,})(?!\d)")  # "3,5", "0,25": not a thousands comma


def _decimal_point(text: str) -> str:
    """A figure written with a decimal comma as the value grammar reads it: "1.234,5" -> "1234.5".

    >>> _decimal_point("1.234,5 %"), _decimal_point("3,5"), _decimal_point("12 345")
    ('1234.5 %', '3.5', '12345')
    """
    return re.sub(r"(?<=\d),(?=\d)", ".", _THOUSANDS_MARK.sub("", text))


def _figures(record: dict[str, Any]) -> tuple:
    def same(value: Any) -> Any:
        return None if isinstance(value, float) and math.isnan(value) else value

    return tuple(same(record[k]) for k in ("actual", "target_low", "target_high", "rag"))


__all__ = ["WORDS_FOR_FREQUENCY", "Columns", "FileLayout", "Keep", "LongMapping", "LongRead", "Periods",
           "Placed", "load_mapping", "mapping_path", "place_period", "read_long", "shipped_mappings"]

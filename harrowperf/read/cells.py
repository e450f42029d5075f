"""Read a workbook into a cell table: one record per non-empty cell with its value, format, displayed text and fill.

This is the first step of every reader (as in tidyxl): cells first, structure
second, types last. The table has one row per cell that holds a value or a
fill, with columns

=============  ==============================================================
sheet          sheet name
row, col       1-based row and column numbers
address        "B7"
value          the stored value: str, float, bool, or None for a blank with a fill
kind           "text", "number", "bool", "error", "formula_no_cache", "blank"
number_format  Excel number format ("General", "0.00%", "mm:ss", ...)
text           the text Excel displays for the cell (see :func:`display_text`)
fill           solid fill colour as "RRGGBB" (theme colours and tints resolved,
               conditional-formatting fills applied), or "" for none
bold           whether the font is bold
=============  ==============================================================

Workbooks are untrusted. Before anything is parsed the file is checked (a zip, not
encrypted, not expanding beyond :data:`LIMITS`). Each worksheet's XML is then read in one
pass of expat: a DOCTYPE or entity declaration is refused, and so is a sheet with more rows
or cells than the limits allow; the pass keeps every cell's stored value, type and style,
merged ranges, conditional formats and formulas that have no saved result. Styles, shared
text and document properties are parsed into openpyxl's public models (``Stylesheet``,
``read_string_table``, ``DocumentProperties``); theme colours come from the theme part.
No private openpyxl module or attribute is used, so an openpyxl release cannot change how
a cell is read.

A number in a date or time format is kept as the number stored in the file (Excel's serial
date), so no value is altered; its displayed text follows the format.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import math
import posixpath
import re
import stat
import time
import xml.parsers.expat as expat
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element, TreeBuilder

import pandas as pd
from defusedxml.ElementTree import fromstring as parse_xml
from openpyxl.formatting.formatting import ConditionalFormatting
from openpyxl.packaging.core import DocumentProperties
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter

from harrowperf.foundation.errors import HarrowperfError, ScorecardError

CELL_COLUMNS = ["sheet", "row", "col", "address", "value", "kind", "number_format", "text", "fill", "bold"]


@dataclass(frozen=True)
class Limits:
    """What one workbook may expand to before we refuse it (zip bombs, runaway sheets)."""

    max_file_bytes: int = 50_000_000
    max_uncompressed_bytes: int = 500_000_000
    max_compression_ratio: float = 200.0
    max_rows: int = 100_000
    max_cells: int = 2_000_000
    max_workbook_cells: int = 4_000_000  # memory is bounded per workbook, not only per sheet
    max_seconds: float = 120.0  # time is bounded too: a real scorecard reads in well under a second

    def deadline(self) -> float:
        """The moment (``time.monotonic()``) by which a workbook started now must have been read."""
        return time.monotonic() + self.max_seconds


LIMITS = Limits()


class Cell(NamedTuple):
    """One cell as read: the record behind each row of the cell table."""

    row: int
    col: int
    value: Any
    kind: str
    number_format: str
    text: str
    fill: str
    bold: bool


RECORD_FIELDS = Cell._fields


@dataclass
class SheetCells:
    """The cells of one sheet plus what the layout needs: merged ranges and conditional-format notes.

    ``records`` holds one :class:`Cell` per cell (fast to scan);
    ``cells`` is the same as a DataFrame with :data:`CELL_COLUMNS`.
    """

    name: str
    records: list[Cell]
    merged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden: bool = False  # the sheet is hidden (or "very hidden") in Excel

    @cached_property
    def cells(self) -> pd.DataFrame:
        frame = pd.DataFrame.from_records(self.records, columns=list(RECORD_FIELDS))
        frame["value"] = frame["value"].astype(object)
        frame.insert(0, "sheet", self.name)
        frame.insert(3, "address", [f"{column_letter(c)}{r}" for r, c in
                                    zip(frame["row"], frame["col"], strict=True)])
        return frame[CELL_COLUMNS]


@cache
def column_letter(col: int) -> str:
    """1 -> "A", 28 -> "AB" (cached: called for every cell)."""
    return get_column_letter(col)


def cell_address(row: int, col: int) -> str:
    """(7, 2) -> "B7"."""
    return f"{column_letter(col)}{row}"


# ---------------------------------------------------------------------------
# Safety checks before openpyxl sees the file
# ---------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook_file(path: Path, error: type[HarrowperfError] = ScorecardError,
                        limits: Limits = LIMITS) -> None:
    """Refuse files that are not xlsx workbooks, are encrypted, or would expand too far."""
    name = path.name
    try:
        info = path.stat()  # follows links: a link to a workbook is read, a loop of links is an OSError
    except FileNotFoundError:
        raise error("file not found", file=name) from None
    except OSError as exc:
        raise error(f"cannot open it ({exc.strerror or exc}); it is not a regular file", file=name) from None
    if not stat.S_ISREG(info.st_mode):  # a folder, a named pipe (opening it would wait for ever), a device
        raise error("this is not a regular file (a folder, a pipe or a device named like a workbook); "
                    "only workbook files are read", file=name)
    if info.st_size > limits.max_file_bytes:
        raise error(f"file is larger than {limits.max_file_bytes:,} bytes; refusing to read it", file=name)
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if head[:8] == _OLE_MAGIC:
        raise error(
            "this is an old-style .xls file or a password-protected workbook; "
            "open it in Excel, remove any password and save it as .xlsx",
            file=name,
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):
            raise error("the workbook is damaged or truncated (its zip directory is missing); "
                        "ask for it to be re-sent", file=name)
        kind = "a CSV or text file" if _looks_like_text(head) else "not an Excel .xlsx workbook"
        raise error(f"this file is {kind}; save it from Excel as .xlsx", file=name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            total = sum(member.file_size for member in members)
            packed = sum(member.compress_size for member in members) or 1
            broken = archive.testzip() if total <= limits.max_uncompressed_bytes else None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise error(f"the workbook is damaged or truncated ({exc}); ask for it to be re-sent", file=name) from exc
    repeated = sorted(part for part, copies in Counter(member.filename for member in members).items() if copies > 1)
    if repeated:
        raise error(f"the zip holds two copies of {repeated[0]} (which one Excel shows is unknown); "
                    "ask for the workbook to be saved again from Excel", file=name)
    if "xl/workbook.xml" not in names:
        raise error("this zip file is not an Excel workbook (no xl/workbook.xml)", file=name)
    if total > limits.max_uncompressed_bytes or total / packed > limits.max_compression_ratio:
        raise error(
            f"the workbook would expand to {total:,} bytes ({total / packed:.0f} times its size); "
            "refusing to read it (possible zip bomb)",
            file=name,
        )
    if broken is not None:
        raise error(f"the workbook is damaged: part {broken} fails its checksum", file=name)


def _looks_like_text(head: bytes) -> bool:
    """Empty, or UTF-8 text without control characters (a CSV, a text file)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\t\r\n\ufeff" for ch in text)


# ---------------------------------------------------------------------------
# Number formats: what Excel displays
# ---------------------------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*)"')
_ESCAPED = re.compile(r"\\(.)")
_BRACKETS = re.compile(r"\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]", re.IGNORECASE)
_FILLERS = re.compile(r"[_*].")


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e11:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{int(exponent):+03d}"
    return text


def _seconds(value: float) -> int:
    return int(round(value * 86400))


def _time_text(section: str, value: float) -> str:
    """Render a time or duration format (h, m, s tokens, [h] elapsed hours, AM/PM)."""
    total = _seconds(value)
    lowered = section.lower()
    elapsed = re.search(r"\[(h+|m+|s+)\]", lowered)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if not elapsed:
        hours %= 24
    elif elapsed.group(1).startswith("m"):
        minutes, seconds = divmod(total, 60)
        hours = 0
    elif elapsed.group(1).startswith("s"):
        seconds, minutes, hours = total, 0, 0
    ampm = "am/pm" in lowered or "a/p" in lowered
    shown_hours = (hours % 12 or 12) if ampm else hours
    tokens = re.findall(r"am/pm|a/p|\[?h+\]?|\[?m+\]?|\[?s+\]?|[^hmsap\[\]]+|[ap\[\]]", section, re.IGNORECASE)
    out = []
    for token in tokens:
        bare = token.strip("[]").lower()
        if bare.startswith("h"):
            out.append(f"{shown_hours:0{len(bare)}d}")
        elif bare.startswith("m"):
            out.append(f"{minutes:0{min(len(bare), 2)}d}")
        elif bare.startswith("s"):
            out.append(f"{seconds:0{min(len(bare), 2)}d}")
        elif bare == "am/pm":
            out.append("AM" if hours < 12 else "PM")
        elif bare == "a/p":
            out.append("A" if hours < 12 else "P")
        else:
            out.append(token)
    return "".join(out)


def _date_text(section: str, value: float) -> str:
    try:
        moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=value)
    except OverflowError:
        return _general(value)
    tokens = re.findall(r"y+|m+|d+|h+|s+|am/pm|[^ymdhs]+", section, re.IGNORECASE)
    out, after_hour = [], False
    for token in tokens:
        low = token.lower()
        if low.startswith("y"):
            out.append(moment.strftime("%Y" if len(low) > 2 else "%y"))
        elif low.startswith("d"):
            out.append({1: str(moment.day), 2: f"{moment.day:02d}", 3: moment.strftime("%a")}.get(
                len(low), moment.strftime("%A")))
        elif low.startswith("m") and not after_hour:
            out.append({1: str(moment.month), 2: f"{moment.month:02d}", 3: moment.strftime("%b")}.get(
                len(low), moment.strftime("%B")))
        elif low.startswith("m"):
            out.append(f"{moment.minute:02d}")
        elif low.startswith("h"):
            out.append(f"{moment.hour:02d}")
            after_hour = True
        elif low.startswith("s"):
            out.append(f"{moment.second:02d}")
        else:
            out.append(token)
    return "".join(out)


def display_text(value: Any, number_format: str = "General") -> str:
    """The text Excel shows for a stored value under a number format.

    Covers the formats found in council workbooks: General, fixed decimals,
    thousands separators, percentages, currency and literal text (locale currency
    tags too: ``[$£-809]`` shows "£", ``[$-809]`` nothing), negative sections and
    brackets, scientific ("0.00E+00", engineering "##0.0E+0"), fractions ("# ?/?",
    "# ??/??", "# ?/8"; the spaces Excel pads ``?`` with are kept in the text),
    times ("mm:ss", "[h]:mm:ss", "h:mm AM/PM") and dates. Sections, with or without
    conditions such as ``[<1000]``, follow Excel's rules (see :func:`format_section`);
    an empty section (``;;;``) shows nothing.

    >>> display_text(0.0749, "0.00%")
    '7.49%'
    >>> display_text(7.49, '0.00"%"'), display_text(7.49, "0.0\\\\%")
    ('7.49%', '7.5%')
    >>> display_text(35582, "#,##0"), display_text(0, '0;-0;"-"'), display_text(5, ";;;")
    ('35,582', '-', '')
    >>> display_text(131 / 86400, "mm:ss"), display_text(0.75, "h:mm AM/PM")
    ('02:11', '6:00 PM')
    >>> display_text(1234, "0.00E+00"), display_text(1.5, "# ?/?"), display_text(1234.5, "[$£-809]#,##0.00")
    ('1.23E+03', '1 1/2', '£1,234.50')
    >>> display_text(0.5, "[>=1]0.0;0.00"), display_text(25000, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"')
    ('0.50', '25.0k')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value)
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a double: shown as stored
        return str(value)
    if not math.isfinite(number):
        return str(value)
    return _shown(number + 0.0, number_format)  # + 0.0: -0.0 is shown as 0.0 is, and is one key with it


@lru_cache(maxsize=65536)
def _shown(number: float, number_format: str) -> str:
    # cached: targets, thresholds and many actuals repeat across a workbook's cells
    plan, signed = _choose(number, number_format)
    try:
        return _render(plan, number, signed)
    except (ArithmeticError, ValueError, KeyError):  # a number too large for its format's decimals
        return ("-" if number < 0 and not signed else "") + _general(abs(number))


def format_section(value: float, number_format: str) -> str:
    """What the section of ``number_format`` that applies to ``value`` shows: "general", "number",
    "date", "time", "text" (only literal text, such as "-" for zero) or "hidden" (an empty section).

    Excel's rules: one section serves every number; with two, the second serves negatives; with
    three or four, the third serves zero (a fourth serves text, not numbers). Conditions in the first
    two sections (``[>=100]"High";0``) change which section serves which number (see :func:`_choose`).

    >>> format_section(0, '0.0;-0.0;"-"'), format_section(3, ";;;"), format_section(-1, "0;;0")
    ('text', 'hidden', 'hidden')
    """
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return "general"
    plan, _ = _choose(number, number_format)
    return {"literal": "text"}.get(plan.kind, plan.kind)


def format_scale(value: float, number_format: str) -> float:
    """What the applicable section multiplies the stored value by before showing it: 100 for each
    ``%`` that is a format code (not a quoted ``"%"`` or an escaped ``\\%``), 1/1000 for each
    thousands comma after the digits.

    >>> format_scale(0.0749, "0.00%"), format_scale(7.49, '0.00"%"'), format_scale(7.49, "0.0\\\\%")
    (100.0, 1.0, 1.0)
    """
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return 1.0
    plan, _ = _choose(number, number_format)
    return float(100**plan.percent) / float(1000**plan.thousands) if plan.kind == "number" else 1.0


def _choose(number: float, number_format: str) -> tuple[_Plan, bool]:
    """The section that shows ``number``, and whether that section supplies its own sign.

    Without conditions: one section serves every number; with two, the second serves negatives; with
    three or more, the third serves zero (a fourth serves text). When the first or second section has
    a condition (``[>=1000]``), Excel's older rule applies (Microsoft KB Q67469, "Using Conditions in
    Number Formats"): only the first two sections can hold conditions; a number goes to the first
    section whose condition it meets, the first taking priority; a first section without a condition
    means "> 0" (">= 0" when there are only two sections), a second without one means "< 0" (anything
    the first did not take, when there are only two sections); the third section takes the rest. A
    number no section takes (two sections, both conditional) is shown by the first, as SheetJS does.
    A section shows the number's minus sign itself unless it is a negative section: a second section
    without a condition, or one whose condition is ``<`` or ``<=`` a number not above zero (KB Q67469:
    -5 under ``[>100]General;[<100](General)`` shows ``-(5)``, under ``[<0](General)`` ``(5)``).
    """
    sections = _sections(number_format or "General")[:3]  # a fourth section is for text
    first = sections[0].condition
    second = sections[1].condition if len(sections) >= 2 else None
    if first is None and second is None:
        if number < 0 and len(sections) >= 2:
            return sections[1], True
        if number == 0 and len(sections) >= 3:
            return sections[2], True
        return sections[0], False
    if _meets(number, first or ((">", 0.0) if len(sections) >= 3 else (">=", 0.0))):
        return sections[0], _negative_only(first)
    if len(sections) >= 2 and (second is None and len(sections) == 2
                               or _meets(number, second or ("<", 0.0))):
        return sections[1], second is None or _negative_only(second)
    if len(sections) >= 3:
        return sections[2], False
    return sections[0], False


def _meets(number: float, condition: tuple[str, float]) -> bool:
    operator, bound = condition
    return {"<": number < bound, "<=": number <= bound, ">": number > bound, ">=": number >= bound,
            "=": number == bound, "<>": number != bound}[operator]


def _negative_only(condition: tuple[str, float] | None) -> bool:
    """Whether a condition takes only numbers at or below zero, so its section supplies the sign."""
    return condition is not None and condition[0] in ("<", "<=") and condition[1] <= 0


@dataclass(frozen=True)
class _Plan:
    """One section of a number format, analysed once (formats repeat across thousands of cells)."""

    kind: str  # "general", "date", "time", "literal", "number", "hidden"
    literal: str = ""
    percent: int = 0
    decimals: int = 0
    grouped: bool = False
    thousands: int = 0
    strip_zeros: bool = False
    drop_leading_zero: bool = False
    before: str = ""
    after: str = ""
    condition: tuple[str, float] | None = None  # ("<", 1000.0) for a section that starts "[<1000]"
    # scientific ("0.00E+00"): the mantissa's digit places before the point (more than one makes the
    # exponent a multiple of them: "##0.0E+0" is engineering notation), the zeros among them, the
    # exponent's letter ("E+", "E-", "e+"...) and its zero-padded width
    mantissa_places: int = 0
    mantissa_zeros: int = 0
    exponent_sign: str = ""
    exponent_width: int = 0
    # a fraction ("# ?/?", "?/8"): the whole-number code ("" for none), the spaces after it, the
    # numerator's and denominator's codes (digits for a fixed denominator)
    fraction: tuple[str, str, str, str] | None = None


_SECTION_PARTS = re.compile(r'"[^"]*"|\\.|;|[^"\\;]+|["\\]')
_HIDDEN = _Plan("hidden")


@lru_cache(maxsize=1024)
def _sections(number_format: str) -> tuple[_Plan, ...]:
    """The sections of a format, split at the ``;`` that are not quoted or escaped; empty ones hide."""
    sections, current = [], []
    for part in _SECTION_PARTS.findall(number_format):
        if part == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(part)
    sections.append("".join(current))
    if len(sections) == 1 and not sections[0]:
        return (_Plan("general"),)
    return tuple(_compile(section) if section else _HIDDEN for section in sections)


_CURRENCY = re.compile(r"\[\$([^\]\-]*)(?:-[^\]]*)?\]")
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\]")
_SCIENTIFIC = re.compile(r"([0#?][0#?,]*)?(\.[0#?]*)?([Ee][+-])([0#?]+)")
_FRACTION = re.compile(r"(?:([0#?]+)( +))?([0#?]+)/([0#?]+|[1-9]\d*)")
_NUMBER_CODE = r"[0#?][0#?,.]*"
_SCIENTIFIC_CODE = r"(?:[0#?][0#?,]*)?(?:\.[0#?]*)?[Ee][+-][0#?]+"
_FRACTION_CODE = r"(?:[0#?]+ +)?[0#?]+/(?:[0#?]+|[1-9]\d*)"


def _unquoted(change: Callable[[str], str], section: str) -> str:
    """``change`` applied to the parts of a section outside quoted text and escaped characters."""
    parts = re.split(r'("[^"]*"|\\.)', section)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


def _compile(section: str) -> _Plan:
    """One section's plan. A locale tag ``[$£-809]`` shows its text (``£``) and ``[$-809]`` nothing;
    a condition ``[>=1000]`` is kept for :func:`_choose`; colours and other tags show nothing."""
    if section.lower() == "general" or section == "@":
        return _Plan("general")
    found = _CONDITION.search(_ESCAPED.sub("", _QUOTED.sub("", section)))  # a condition, not quoted text
    condition = (found.group(1), float(found.group(2))) if found else None
    if is_date_format(section):
        literal = _unquoted(lambda text: _FILLERS.sub("", _BRACKETS.sub("", text)), section)
        probe = _ESCAPED.sub("", _QUOTED.sub("", literal))
        return _Plan("date" if re.search(r"[dy]", probe, re.IGNORECASE) else "time", literal, condition=condition)
    # a currency's text in a locale tag is literal text (escaped character by character); colours,
    # conditions and other tags show nothing; quoted text is kept as it is
    literal = _unquoted(lambda text: _FILLERS.sub("", _BRACKETS.sub("", _CURRENCY.sub(
        lambda tag: "".join("\\" + ch for ch in tag.group(1)), text))), section)
    probe = _ESCAPED.sub("", _QUOTED.sub("", literal))
    if re.search("general", probe, re.IGNORECASE):  # "(General)", 'General" mins"': General with text
        before, after = _split_literal(literal, "(?i:general)")
        return _Plan("general", literal, before=_unquote(before), after=_unquote(after), condition=condition)
    scientific = _SCIENTIFIC.search(probe)
    if scientific and (scientific.group(1) or scientific.group(2)):
        integer_part = (scientific.group(1) or "").replace(",", "")
        decimals = min(len(scientific.group(2)) - 1 if scientific.group(2) else 0, 30)
        before, after = _split_literal(literal, _SCIENTIFIC_CODE)
        return _Plan(
            "number", literal, percent=min(probe.count("%"), 8), decimals=decimals,
            strip_zeros=bool(decimals and "#" in scientific.group(2)),
            before=_unquote(before), after=_unquote(after), condition=condition,
            mantissa_places=max(len(integer_part), 1), mantissa_zeros=min(integer_part.count("0"), 30),
            exponent_sign=scientific.group(3), exponent_width=min(scientific.group(4).count("0"), 30))
    fraction = _FRACTION.search(probe)
    if fraction:
        whole, gap, numerator, denominator = (part or "" for part in fraction.groups())
        if len(denominator) > 7 and not denominator.isdigit():  # Excel allows denominators of up to 7 digits
            denominator = "?" * 7
        before, after = _split_literal(literal, _FRACTION_CODE)
        return _Plan("number", literal, percent=min(probe.count("%"), 8), before=_unquote(before),
                     after=_unquote(after), condition=condition,
                     fraction=(whole, gap, numerator[:30], denominator[:30]))
    digits = re.search(r"[0#?][0#?,]*(\.[0#?]*)?(,*)", probe)
    if not digits:
        return _Plan("literal", _unquote(literal), condition=condition)
    spec = digits.group(0)[: len(digits.group(0)) - len(digits.group(2))]
    integer_part = spec.split(".")[0]
    decimals = min(len(digits.group(1)) - 1 if digits.group(1) else 0, 30)  # Excel shows at most 30
    before, after = _split_literal(literal, _NUMBER_CODE)
    return _Plan(
        "number", literal, percent=min(probe.count("%"), 8), decimals=decimals,
        grouped="," in integer_part.rstrip(","),
        thousands=min(len(integer_part) - len(integer_part.rstrip(",")) + len(digits.group(2)), 8),
        strip_zeros=bool(decimals and "#" in digits.group(1)),
        drop_leading_zero=bool(decimals and "0" not in integer_part),
        before=_unquote(before), after=_unquote(after), condition=condition,
    )


_WIDE = Context(prec=400, Emax=10_000, Emin=-10_000)


def _render(plan: _Plan, number: float, signed: bool) -> str:
    if plan.kind == "hidden":
        return ""
    if plan.kind == "general" and (plan.before or plan.after):  # KB Q67469: -5 under [<0](General) is (5)
        return f"{'-' if number < 0 and not signed else ''}{plan.before}{_general(abs(number))}{plan.after}"
    if plan.kind == "general":
        return ("-" if signed and number < 0 else "") + _general(abs(number) if signed else number)
    if plan.kind == "date":
        return _date_text(plan.literal, number)
    if plan.kind == "time":
        return ("-" if number < 0 else "") + _time_text(plan.literal, abs(number))
    if plan.kind == "literal":
        return plan.literal
    magnitude = Decimal(repr(abs(number))) * 100**plan.percent / 1000**plan.thousands
    sign = "-" if number < 0 and not signed else ""
    if plan.exponent_sign:
        return f"{sign}{plan.before}{_scientific(plan, magnitude)}{plan.after}"
    if plan.fraction:
        return f"{sign}{plan.before}{_fraction(plan.fraction, magnitude)}{plan.after}"
    # Excel rounds half away from zero (Python's format rounds half to even).
    rounded = magnitude.quantize(_QUANTUM[plan.decimals], rounding=ROUND_HALF_UP, context=_WIDE)
    body = f"{rounded:{',' if plan.grouped else ''}.{plan.decimals}f}"
    if plan.strip_zeros:
        body = body.rstrip("0").rstrip(".")
    if plan.drop_leading_zero and body.startswith("0") and magnitude < 1:
        body = body[1:]
    return f"{sign}{plan.before}{body}{plan.after}"


def _scientific(plan: _Plan, magnitude: Decimal) -> str:
    """``1234`` under ``0.00E+00`` is ``1.23E+03``; under ``##0.0E+0`` ``1.2E+3`` (with a ``#`` before the
    point the exponent is a multiple of the mantissa's digit places: engineering notation); with only
    zeros before the point (``00.00E+00``) the mantissa fills them (``12.35E+03``); ``E-`` shows the
    exponent's sign only when it is negative."""
    places, exponent = plan.mantissa_places, 0
    rounded = Decimal(0).quantize(_QUANTUM[plan.decimals])
    if magnitude:
        exponent = magnitude.adjusted() // places * places if plan.mantissa_zeros < places \
            else magnitude.adjusted() - places + 1
        rounded = magnitude.scaleb(-exponent, _WIDE).quantize(_QUANTUM[plan.decimals], ROUND_HALF_UP, _WIDE)
        if rounded >= 10**places:  # 9.996 shown with two decimals is 10.00: one more power of ten
            exponent += places if plan.mantissa_zeros < places else 1
            rounded = magnitude.scaleb(-exponent, _WIDE).quantize(_QUANTUM[plan.decimals], ROUND_HALF_UP, _WIDE)
    body = f"{rounded:.{plan.decimals}f}"
    if plan.strip_zeros:
        body = body.rstrip("0").rstrip(".")
    whole, point, decimals = body.partition(".")
    whole = whole.lstrip("0").rjust(plan.mantissa_zeros, "0")
    exponent_sign = "-" if exponent < 0 else "+" if plan.exponent_sign[1] == "+" else ""
    return f"{whole}{point}{decimals}{plan.exponent_sign[0]}{exponent_sign}{abs(exponent):0{plan.exponent_width}d}"


def _fraction(fraction: tuple[str, str, str, str], magnitude: Decimal) -> str:
    """``1.5`` under ``# ?/?`` is ``1 1/2``; under ``?/?`` ``3/2``; under ``# ?/8`` ``1 4/8``.

    A variable denominator (``?/?`` up to 9, ``??/??`` up to 99) is the best approximation with that
    many digits; a fixed one (``/8``, ``/100``) is used as written, the numerator rounded half away
    from zero. As in Excel, ``?`` codes pad with spaces (so fractions line up in a column) and a whole
    number with no fraction left shows spaces where the fraction would be: the text keeps those spaces.
    """
    whole_code, gap, numerator_code, denominator_code = fraction
    exact = Fraction(magnitude)
    if denominator_code.isdigit():
        denominator = int(denominator_code)
        total = int((magnitude * denominator).quantize(Decimal(1), ROUND_HALF_UP, _WIDE))
        whole, numerator = divmod(total, denominator) if whole_code else (0, total)
    else:
        whole = math.floor(exact) if whole_code else 0
        approximation = (exact - whole).limit_denominator(10 ** len(denominator_code) - 1)
        numerator, denominator = approximation.numerator, approximation.denominator
        if whole_code and numerator == denominator:  # 0.99 with one digit is 1/1: the next whole number
            whole, numerator = whole + 1, 0
    if not whole_code:
        return f"{_pad(numerator, numerator_code)}/{_pad(denominator, denominator_code, right=True)}"
    whole_text = str(whole) if whole or numerator == 0 or "0" in whole_code else ""
    if numerator == 0:  # no fraction left: "?" codes still hold its place with spaces
        if "?" not in numerator_code + denominator_code:
            return whole_text
        return f"{whole_text}{gap}{' ' * (len(numerator_code) + 1 + len(denominator_code))}"
    return (f"{whole_text}{gap}{_pad(numerator, numerator_code)}/"
            f"{_pad(denominator, denominator_code, right=True)}")


def _pad(number: int, code: str, right: bool = False) -> str:
    """A numerator or denominator in its code's width: ``0`` pads with zeros, ``?`` with spaces."""
    if code.isdigit():
        return str(number)
    text = str(number).rjust(code.count("0"), "0") if not right else str(number)
    if "?" in code:
        text = text.ljust(len(code)) if right else text.rjust(len(code))
    return text


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(0, 31)}


def _unquote(fragment: str) -> str:
    return _QUOTED.sub(r"\1", _ESCAPED.sub(r"\1", fragment))


def _split_literal(literal: str, code: str) -> tuple[str, str]:
    """Split a format into the text before and after its digit placeholders (``code``), honouring quotes."""
    pieces = re.findall(rf'"[^"]*"|\\.|{code}|.', literal)
    before, after, seen = [], [], False
    for piece in pieces:
        if re.fullmatch(code, piece):
            seen = True
            continue
        (after if seen else before).append(piece)
    return "".join(before), "".join(after)


# ---------------------------------------------------------------------------
# Colours
# ---------------------------------------------------------------------------


# Office's default theme colours, in Excel's index order: what a theme colour means in a workbook that
# carries no theme part (as Excel itself reads it).
DEFAULT_THEME = ("FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6",
                 "F79646", "0000FF", "800080")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C|E\x00N\x00T)")


def _theme_palette(theme_xml: bytes | None) -> list[str]:
    """Theme colours in Excel's index order (lt1, dk1, lt2, dk2, accent1-6, hlink, folHlink)."""
    if not theme_xml:
        return []
    try:
        root = parse_xml(theme_xml)
    except Exception:  # a broken theme only costs us theme colours
        return []
    scheme = root.find(f".//{{{_DRAWING}}}clrScheme")
    if scheme is None:
        return []
    colours = []
    for slot in scheme:
        child = next(iter(slot), None)
        if child is None:
            colours.append("000000")
        elif child.get("lastClr"):
            colours.append(child.get("lastClr"))
        else:
            colours.append(child.get("val", "000000"))
    if len(colours) >= 4:  # Excel swaps dark/light pairs relative to the XML order
        colours[0], colours[1], colours[2], colours[3] = colours[1], colours[0], colours[3], colours[2]
    return colours


def _apply_tint(rgb: str, tint: float) -> str:
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(red, green, blue)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    red, green, blue = colorsys.hls_to_rgb(hue, min(max(light, 0), 1), sat)
    return "".join(f"{round(channel * 255):02X}" for channel in (red, green, blue))


def resolve_colour(colour, theme: list[str], indexed: tuple[str, ...] = ()) -> str:
    """An openpyxl Color as "RRGGBB" ("" when unset or automatic).

    An indexed colour is looked up in the workbook's own palette (``indexed``, from its styles part)
    when it has one, else in Excel's default palette.
    """
    if colour is None:
        return ""
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:].upper()
        return rgb if re.fullmatch(r"[0-9A-F]{6}", rgb) else ""
    if kind == "theme" and theme and 0 <= (colour.theme or 0) < len(theme):
        return _apply_tint(theme[colour.theme].upper(), colour.tint or 0.0)
    if kind == "indexed" and colour.indexed is not None and 0 <= colour.indexed < len(indexed or ()):
        rgb = indexed[colour.indexed][-6:].upper()  # the workbook's own palette
        return rgb if re.fullmatch(r"[0-9A-F]{6}", rgb) else ""
    if kind == "indexed" and colour.indexed is not None and 0 <= colour.indexed < 64:
        return COLOR_INDEX[colour.indexed][-6:].upper()  # Excel's default palette
    return ""


def _fill_colour(fill, theme: list[str], indexed: tuple[str, ...] = ()) -> str:
    if fill is None or getattr(fill, "patternType", None) in (None, "none"):
        return ""
    if fill.patternType == "solid":
        return resolve_colour(fill.fgColor, theme, indexed) or resolve_colour(fill.bgColor, theme, indexed)
    return resolve_colour(fill.fgColor, theme, indexed)


# ---------------------------------------------------------------------------
# The workbook's own XML parts: what openpyxl's read-only mode does not give
# ---------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CORE_PROPERTIES = "docProps/core.xml"


@dataclass
class _Package:
    """Where a workbook's parts are: each worksheet's XML (by sheet name), its styles, theme and shared text."""

    worksheets: dict[str, str]
    styles: str | None
    theme: str | None
    shared_strings: str | None
    hidden: frozenset[str] = frozenset()  # sheets whose state is "hidden" or "veryHidden"
    problems: tuple[tuple[str, str], ...] = ()  # (sheet, why): sheets that cannot be accounted for

    @classmethod
    def read(cls, archive: zipfile.ZipFile) -> _Package:
        relationships = {}
        for relation in parse_xml(archive.read("xl/_rels/workbook.xml.rels")):
            target = relation.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            relationships[relation.get("Id")] = (relation.get("Type", "").rpartition("/")[2], part)
        present = set(archive.namelist())
        declared = {}  # parts found by content type, as Excel and openpyxl also find them
        if "[Content_Types].xml" in present:
            for override in parse_xml(archive.read("[Content_Types].xml")):
                kind = override.get("ContentType", "").rpartition(".")[2].partition("+")[0]
                part = override.get("PartName", "").lstrip("/")
                if part in present:
                    declared.setdefault(kind, part)
        worksheets, hidden, problems, folded = {}, set(), [], {}
        for sheet in parse_xml(archive.read("xl/workbook.xml")).iter(f"{{{_MAIN}}}sheet"):
            kind, part = relationships.get(sheet.get(f"{{{_RELATIONSHIPS}}}id"), ("", ""))
            name = sheet.get("name") or ""
            if name.casefold() in folded:  # Excel never allows this; one of the two would be lost
                problems.append((name, f"two sheets are named {folded[name.casefold()]!r} and {name!r} (Excel "
                                       "treats names differing only in case as the same); rename one"))
            folded.setdefault(name.casefold(), name)
            if kind == "worksheet" and part not in present:
                problems.append((name, f"the sheet is listed in the workbook but its part {part} is missing"))
            if kind == "worksheet" and part in present:
                worksheets.setdefault(name, part)
                if sheet.get("state", "visible") != "visible":
                    hidden.add(name)

        def first(kind: str) -> str | None:
            related = (part for k, part in relationships.values() if k == kind and part in present)
            return next(related, None) or declared.get(kind)

        return cls(worksheets, first("styles"), first("theme"), first("sharedStrings"), frozenset(hidden),
                   tuple(problems))


@dataclass
class _SheetFacts:
    """What the scan of one worksheet's XML found besides its cells: merged ranges and conditional formats."""

    merged: list[str] = field(default_factory=list)
    conditional: list[Element] = field(default_factory=list)  # <conditionalFormatting> elements


class _SheetScan:
    """One pass of expat over a worksheet's XML: its cells, merged ranges and conditional formats.

    It refuses a DOCTYPE or entity declaration (a worksheet never needs one, and refusing it
    stops entity-expansion "billion laughs" attacks) and counts rows and cells with content (a
    value, a formula or formatting) against the limits. Each cell keeps the value stored in the
    file: a number in a date format stays the number (no rounding to a date), a formula with no
    saved result is kept as its formula text.
    """

    _CELL, _ROW, _VALUE, _FORMULA, _TEXT = (f"{_MAIN} {name}" for name in ("c", "row", "v", "f", "t"))
    _INLINE, _PHONETIC = f"{_MAIN} is", f"{_MAIN} rPh"
    _MERGE, _CONDITIONAL = f"{_MAIN} mergeCell", f"{_MAIN} conditionalFormatting"

    def __init__(self, limits: Limits, too_big, shared_strings: list[str], styles: _Styles,
                 deadline: float = math.inf) -> None:
        self.limits = limits
        self.deadline = deadline
        self.too_big = too_big  # called with (message, row, col) when a limit is passed or a cell is damaged
        self.shared_strings = shared_strings
        self.styles = styles
        self.facts = _SheetFacts()
        self.records: list[Cell] = []
        self.row = self.col = 0
        self.cell_ref: str | None = None
        self.cell_type = "n"
        self.style_id = "0"
        self.stored: str | None = None
        self.formula: list[str] | None = None
        self.inline: list[str] | None = None
        self.in_phonetic = False
        self.capture: list[str] | None = None
        self.rows_with_content = self.cells_with_content = self.last_row = 0
        self.tree: TreeBuilder | None = None
        self.depth = 0

    def parse(self, source) -> _SheetScan:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.refuse
        parser.EntityDeclHandler = self.refuse
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.ParseFile(source)
        return self

    @staticmethod
    def refuse(*_args) -> None:
        raise ValueError("the sheet's XML declares a DOCTYPE or entities, which a worksheet never needs "
                         "(possible entity-expansion attack)")

    def start(self, name: str, attrs: dict) -> None:
        if self.tree is not None:
            self.depth += 1
            self.tree.start(_clark(name), attrs)
        elif name == self._CELL:
            self.cell_ref = attrs.get("r")
            self.cell_type = attrs.get("t", "n")
            self.style_id = attrs.get("s", "0")
            self.stored = self.formula = self.inline = None
        elif name == self._VALUE:
            self.capture = []
        elif name == self._ROW:
            number = attrs.get("r")
            self.row = int(float(number)) if number else self.row + 1
            self.col = 0
        elif name == self._TEXT and self.inline is not None and not self.in_phonetic:
            self.capture = []
        elif name == self._FORMULA:
            self.formula = self.capture = []
        elif name == self._INLINE:
            self.inline = []
        elif name == self._PHONETIC:  # a pronunciation guide, not part of the text
            self.in_phonetic = True
        elif name == self._MERGE:
            self.facts.merged.append(attrs.get("ref", ""))
        elif name == self._CONDITIONAL:
            self.tree, self.depth = TreeBuilder(), 1
            self.tree.start(_clark(name), attrs)

    def characters(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)
        elif self.tree is not None:
            self.tree.data(data)

    def end(self, name: str) -> None:
        if self.tree is not None:
            self.tree.end(_clark(name))
            self.depth -= 1
            if not self.depth:
                self.facts.conditional.append(self.tree.close())
                self.tree = None
        elif name == self._VALUE:
            self.stored = "".join(self.capture or ())
            self.capture = None
        elif name == self._TEXT and self.capture is not None:
            self.inline.append("".join(self.capture))
            self.capture = None
        elif name == self._FORMULA:
            self.capture = None
        elif name == self._PHONETIC:
            self.in_phonetic = False
        elif name == self._CELL:
            self.finish_cell()

    def finish_cell(self) -> None:
        if self.cell_ref:
            self.row, self.col = _split_reference(self.cell_ref)
        else:
            self.col += 1
        row, col = self.row, self.col
        number_format, colour, bold = self.styles.of(self.style_id)
        value, kind = self.value()
        if value is None:
            if self.formula is not None and self.cell_type != "str":
                value, kind = "=" + "".join(self.formula), "formula_no_cache"
            elif not colour:
                if self.style_id in ("0", ""):
                    return
                self.count(row, col)  # formatting only: counts against the limits, holds nothing
                return
        self.count(row, col)
        if kind == "number":
            text = display_text(value, number_format)
        elif kind == "bool":
            text = display_text(value)
        else:
            text = "" if value is None or kind == "formula_no_cache" else value
        self.records.append(Cell(row, col, value, kind, number_format, text, colour, bold))

    def value(self) -> tuple[Any, str]:
        """The cell's value as stored, and its kind."""
        kind, stored = self.cell_type, self.stored
        if kind == "inlineStr":
            return ("".join(self.inline), "text") if self.inline else (None, "blank")
        if not stored:
            return None, "blank"
        if kind == "n":
            try:
                is_float = "." in stored or "e" in stored or "E" in stored  # no generator: once per cell
                return (float(stored) if is_float else int(stored)), "number"
            except ValueError:
                self.too_big(f"the cell says it holds a number but holds {stored[:40]!r}", self.row, self.col)
        if kind == "s":
            try:
                return self.shared_strings[int(stored)], "text"
            except (ValueError, IndexError):
                self.too_big(f"the cell points at shared text {stored[:40]!r}, which the workbook does not have",
                             self.row, self.col)
        if kind == "b":
            return stored.strip() in ("1", "true"), "bool"
        if kind == "e":
            return stored, "error"
        return stored, "text"  # "str" (a formula's text result) and "d" (an ISO date as text)

    def count(self, row: int, col: int) -> None:
        limits = self.limits
        if row != self.last_row:
            self.rows_with_content += 1
            self.last_row = row
            if self.rows_with_content > limits.max_rows:
                self.too_big(f"the sheet has more than {limits.max_rows:,} rows with content; a scorecard or "
                             "budget never does. Delete the rows below the table and save again", row, col)
        self.cells_with_content += 1
        if not self.cells_with_content % 4096 and time.monotonic() > self.deadline:
            self.too_big(_too_slow(limits), row, col)
        if self.cells_with_content > limits.max_cells:
            self.too_big(f"the sheet has more than {limits.max_cells:,} cells with content; refusing to read it",
                         None, None)


def _clark(name: str) -> str:
    """expat's "namespace local" name as ElementTree's "{namespace}local"."""
    namespace, _, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if namespace else local


_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d+)")


@lru_cache(maxsize=100_000)
def _split_reference(reference: str) -> tuple[int, int]:
    match = _REFERENCE.fullmatch(reference.replace("$", ""))
    if not match:
        raise ValueError(f"cell reference {reference!r} is not valid")
    return int(match.group(2)), _column_index(match.group(1).upper())


@lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    """"B" -> 2 (cached: a sheet repeats the same few columns on every row)."""
    return column_index_from_string(letters)


# ---------------------------------------------------------------------------
# Conditional formatting: the simple rules councils use to colour RAG cells
# ---------------------------------------------------------------------------

_OPERATORS = {
    "equal": lambda v, a, b: v == a,
    "notEqual": lambda v, a, b: v != a,
    "greaterThan": lambda v, a, b: v > a,
    "greaterThanOrEqual": lambda v, a, b: v >= a,
    "lessThan": lambda v, a, b: v < a,
    "lessThanOrEqual": lambda v, a, b: v <= a,
    "between": lambda v, a, b: min(a, b) <= v <= max(a, b),
    "notBetween": lambda v, a, b: not (min(a, b) <= v <= max(a, b)),
}


def _constant(formula: str) -> Any:
    formula = formula.strip()
    if len(formula) >= 2 and formula[0] == formula[-1] == '"':
        return formula[1:-1].replace('""', '"')
    try:
        return float(formula)
    except ValueError:
        return None


def _rule_matches(rule, value: Any, text: str) -> bool | None:
    """True/False for rules we can evaluate on the cell's own value; None for rules we cannot."""
    kind = rule.type
    if kind == "cellIs" and rule.operator in _OPERATORS and rule.formula:
        constants = [_constant(f) for f in rule.formula[:2]]
        if any(c is None for c in constants):
            return None
        first, second = (constants + constants)[:2]
        if isinstance(first, str) or isinstance(value, str):
            subject = text.strip().lower()
            first, second = str(first).lower(), str(second).lower()
        else:
            subject = value
        if subject is None:
            return False
        try:
            return bool(_OPERATORS[rule.operator](subject, first, second))
        except TypeError:
            return False
    if kind in ("containsText", "notContainsText", "beginsWith", "endsWith") and rule.text is not None:
        needle, hay = rule.text.lower(), text.lower()
        return {"containsText": needle in hay, "notContainsText": needle not in hay,
                "beginsWith": hay.startswith(needle), "endsWith": hay.endswith(needle)}[kind]
    if kind == "containsBlanks":
        return not text.strip()
    if kind == "notContainsBlanks":
        return bool(text.strip())
    return None


def _formatting_blocks(elements: list[Element]) -> list[ConditionalFormatting]:
    """openpyxl's own model of each <conditionalFormatting> element (a damaged one is skipped, as openpyxl does)."""
    blocks = []
    for element in elements:
        try:
            blocks.append(ConditionalFormatting.from_tree(element))
        except TypeError:
            continue
    return blocks


def _apply_conditional_fills(records: list[Cell], formatting: list[ConditionalFormatting],
                             dxf_fills: list[str]) -> list[str]:
    """Replace the fill of cells matched by simple conditional-format rules; note rules we cannot evaluate."""
    notes: list[str] = []
    if not formatting or not records:
        return notes
    for block in formatting:
        rules = sorted(block.rules, key=lambda rule: rule.priority or 0)
        for cell_range in block.sqref.ranges:
            # the used cells inside the range, never every address of it (A1:XFD1048576 is 17 billion)
            inside = [i for i, record in enumerate(records)
                      if cell_range.min_row <= record.row <= cell_range.max_row
                      and cell_range.min_col <= record.col <= cell_range.max_col]
            for index in inside:
                record = records[index]
                for rule in rules:
                    matched = _rule_matches(rule, record.value, record.text)
                    if matched is None:
                        notes.append(f"conditional format of type {rule.type!r} on {cell_range.coord} "
                                     "was not evaluated")
                        break
                    if matched:
                        dxf = rule.dxfId
                        colour = dxf_fills[dxf] if isinstance(dxf, int) and 0 <= dxf < len(dxf_fills) else ""
                        if colour:
                            records[index] = record._replace(fill=colour)
                        break
    return sorted(set(notes))


class _Styles:
    """Each cell style's number format, fill colour and boldness, from the workbook's styles part.

    The part is parsed into openpyxl's public ``Stylesheet`` model; a style is resolved the first
    time a cell uses it. A style number the workbook does not define reads as "General", no fill.
    """

    _PLAIN = ("General", "", False)

    def __init__(self, styles_xml: bytes | None, theme: list[str]) -> None:
        self.theme = theme
        self.cache: dict[str, tuple[str, str, bool]] = {}
        self.stylesheet = Stylesheet.from_tree(parse_xml(styles_xml)) if styles_xml else None
        colours = getattr(self.stylesheet, "colors", None)
        # the workbook's own indexed palette (<colors><indexedColors>), which replaces Excel's default one
        self.indexed: tuple[str, ...] = tuple(
            str(colour.rgb or "") for colour in (getattr(colours, "indexedColors", None) or ()))

    def of(self, style_id: str) -> tuple[str, str, bool]:
        style = self.cache.get(style_id)
        if style is None:
            style = self.cache[style_id] = self._resolve(style_id)
        return style

    def _resolve(self, style_id: str) -> tuple[str, str, bool]:
        sheet = self.stylesheet
        index = int(style_id) if style_id.isdigit() else -1
        if sheet is None or not 0 <= index < len(sheet.cellXfs.xf):
            return self._PLAIN
        xf = sheet.cellXfs.xf[index]
        number_format = sheet.custom_formats.get(xf.numFmtId) or BUILTIN_FORMATS.get(xf.numFmtId) or "General"
        fill = _item(sheet.fills, xf.fillId)
        font = _item(sheet.fonts, xf.fontId)
        return number_format, _fill_colour(fill, self.theme, self.indexed), bool(font is not None and font.b)

    @cached_property
    def dxf_fills(self) -> list[str]:
        """The fill colour of each differential style (what a conditional format paints), in order."""
        colours = []
        for dxf in self.stylesheet.dxfs if self.stylesheet is not None else ():
            fill = dxf.fill
            colours.append("" if fill is None else
                           resolve_colour(fill.bgColor, self.theme, self.indexed)
                           or resolve_colour(fill.fgColor, self.theme, self.indexed))
        return colours


def _item(items, index: int | None):
    return items[index] if index is not None and 0 <= index < len(items) else None


def _too_slow(limits: Limits) -> str:
    return (f"reading the workbook took longer than {limits.max_seconds:g} seconds, the limit for one workbook; "
            "no scorecard needs that long. Remove what the report does not need (unused sheets, rows "
            "far below the table, formatting applied to whole columns) and save again")


def _scan_sheet(archive: zipfile.ZipFile, part: str, file_name: str, sheet: str, error: type[HarrowperfError],
                limits: Limits, shared_strings: list[str], styles: _Styles,
                deadline: float = math.inf) -> _SheetScan:
    """Read one worksheet's XML; errors name the file, the sheet and, where there is one, the cell."""

    def too_big(message: str, row: int | None, col: int | None) -> None:
        cell = cell_address(row, col) if row is not None and col is not None else None
        raise error(message, file=file_name, sheet=sheet, cell=cell)

    try:
        with archive.open(part) as source:
            return _SheetScan(limits, too_big, shared_strings, styles, deadline).parse(source)
    except HarrowperfError:
        raise
    except Exception as exc:
        raise error(f"cannot read the sheet ({type(exc).__name__}: {exc})", file=file_name, sheet=sheet) from exc


def read_sheets(path: str | Path, sheets: list[str] | None = None,
                error: type[HarrowperfError] = ScorecardError, limits: Limits = LIMITS) -> list[SheetCells]:
    """Check a workbook, then read the chosen sheets (all worksheets by default) into :class:`SheetCells`."""
    path = Path(path)
    deadline = limits.deadline()
    check_workbook_file(path, error, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _Package.read(archive)
            if parts.problems:
                raise error(parts.problems[0][1], file=path.name, sheet=parts.problems[0][0])
            available = list(parts.worksheets)
            wanted = available if sheets is None else list(sheets)
            missing = [name for name in wanted if name not in parts.worksheets]
            if missing:
                raise error(f"no sheet named {missing[0]!r}; the sheets are {available}", file=path.name)
            for part in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", parts.styles,
                         parts.theme, parts.shared_strings):
                if part and part in archive.namelist() and _DOCTYPE.search(archive.read(part)):
                    raise error(f"part {part} declares a DOCTYPE or entities, which no workbook needs; "
                                "refusing to read it", file=path.name)
            theme = _theme_palette(archive.read(parts.theme)) if parts.theme else list(DEFAULT_THEME)
            styles = _Styles(archive.read(parts.styles) if parts.styles else None, theme)
            shared_strings = []
            if parts.shared_strings:
                with archive.open(parts.shared_strings) as source:
                    shared_strings = read_string_table(source)
            result, total = [], 0
            for name in wanted:
                if time.monotonic() > deadline:
                    raise error(_too_slow(limits), file=path.name, sheet=name)
                scan = _scan_sheet(archive, parts.worksheets[name], path.name, name, error, limits,
                                   shared_strings, styles, deadline)
                total += len(scan.records)
                if total > limits.max_workbook_cells:
                    raise error(f"the workbook has more than {limits.max_workbook_cells:,} cells with content "
                                "across its sheets; refusing to read it", file=path.name, sheet=name)
                notes = []
                if scan.facts.conditional:
                    notes = _apply_conditional_fills(scan.records, _formatting_blocks(scan.facts.conditional),
                                                     styles.dxf_fills)
                if time.monotonic() > deadline:
                    raise error(_too_slow(limits), file=path.name, sheet=name)
                result.append(SheetCells(name, scan.records, scan.facts.merged, notes, name in parts.hidden))
    except HarrowperfError:
        raise
    except Exception as exc:  # the XML parsers and openpyxl's models raise many types for damaged files
        raise error(f"cannot open the workbook ({type(exc).__name__}: {exc})", file=path.name) from exc
    return result


def workbook_properties(path: str | Path, error: type[HarrowperfError] = ScorecardError) -> DocumentProperties:
    """The workbook's document properties (title, description, creator...); empty ones when it has none."""
    path = Path(path)
    check_workbook_file(path, error)
    try:
        with zipfile.ZipFile(path) as archive:
            if _CORE_PROPERTIES not in archive.namelist():
                return DocumentProperties()
            return DocumentProperties.from_tree(parse_xml(archive.read(_CORE_PROPERTIES)))
    except Exception as exc:
        raise error(f"cannot read the workbook's properties ({type(exc).__name__}: {exc})", file=path.name) from exc


def read_cells(path: str | Path, sheets: list[str] | None = None) -> pd.DataFrame:
    """One row per non-empty (or filled) cell of the workbook; columns :data:`CELL_COLUMNS`."""
    frames = [sheet.cells for sheet in read_sheets(path, sheets)]
    if not frames:
        return pd.DataFrame(columns=CELL_COLUMNS)
    return pd.concat(frames, ignore_index=True)[CELL_COLUMNS]

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

Workbooks are untrusted: the file is checked before openpyxl opens it (a zip,
not encrypted, not expanding beyond :data:`LIMITS`), XML is parsed with
defusedxml, and a sheet may not hold more than a set number of rows or cells.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import math
import re
import warnings
import xml.parsers.expat as expat
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE, is_date_format
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

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


# ---------------------------------------------------------------------------
# Safety checks before openpyxl sees the file
# ---------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook_file(path: Path, error: type[HarrowperfError] = ScorecardError,
                        limits: Limits = LIMITS) -> None:
    """Refuse files that are not xlsx workbooks, are encrypted, or would expand too far."""
    name = path.name
    if not path.exists():
        raise error("file not found", file=name)
    if path.stat().st_size > limits.max_file_bytes:
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
    tokens = re.findall(r"\[?h+\]?|\[?m+\]?|\[?s+\]?|am/pm|a/p|[^hms\[\]]+", section, re.IGNORECASE)
    out = []
    for token in tokens:
        bare = token.strip("[]").lower()
        if bare.startswith("h"):
            out.append(f"{shown_hours:0{len(bare)}d}")
        elif bare.startswith("m"):
            out.append(f"{minutes:0{min(len(bare), 2)}d}")
        elif bare.startswith("s"):
            out.append(f"{seconds:0{min(len(bare), 2)}d}")
        elif bare in ("am/pm", "a/p"):
            out.append("AM" if hours < 12 else "PM")
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
    thousands separators, percentages, currency and literal text, negative
    sections and brackets, times ("mm:ss", "[h]:mm:ss") and dates.

    >>> display_text(0.0749, "0.00%")
    '7.49%'
    >>> display_text(35582, "#,##0")
    '35,582'
    >>> display_text(131 / 86400, "mm:ss")
    '02:11'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value)
    number = float(value)
    if not math.isfinite(number):
        return str(value)
    sections = _sections(number_format or "General")
    if number < 0 and len(sections) >= 2 and sections[1] is not None:
        plan, signed = sections[1], True
    elif number == 0 and len(sections) >= 3 and sections[2] is not None:
        plan, signed = sections[2], True
    else:
        plan, signed = sections[0], False
    return _render(plan, number, signed)


@dataclass(frozen=True)
class _Plan:
    """One section of a number format, analysed once (formats repeat across thousands of cells)."""

    kind: str  # "general", "date", "time", "literal", "number"
    literal: str = ""
    percent: int = 0
    decimals: int = 0
    grouped: bool = False
    thousands: int = 0
    strip_zeros: bool = False
    drop_leading_zero: bool = False
    before: str = ""
    after: str = ""


@lru_cache(maxsize=1024)
def _sections(number_format: str) -> tuple[_Plan | None, ...]:
    return tuple(_compile(section) if section else None for section in number_format.split(";"))


def _compile(section: str) -> _Plan:
    if section.lower() in ("general", "") or section == "@":
        return _Plan("general")
    literal = _FILLERS.sub("", _BRACKETS.sub("", section))
    probe = _ESCAPED.sub("", _QUOTED.sub("", literal))
    if is_date_format(section):
        return _Plan("date" if re.search(r"[dy]", probe, re.IGNORECASE) else "time", literal)
    digits = re.search(r"[0#?][0#?,]*(\.[0#?]*)?(,*)", probe)
    if not digits:
        return _Plan("literal", _unquote(literal))
    spec = digits.group(0)[: len(digits.group(0)) - len(digits.group(2))]
    integer_part = spec.split(".")[0]
    decimals = len(digits.group(1)) - 1 if digits.group(1) else 0
    before, after = _split_literal(literal)
    return _Plan(
        "number", literal, percent=probe.count("%"), decimals=decimals,
        grouped="," in integer_part.rstrip(","),
        thousands=len(integer_part) - len(integer_part.rstrip(",")) + len(digits.group(2)),
        strip_zeros=bool(decimals and "#" in digits.group(1)),
        drop_leading_zero=bool(decimals and "0" not in integer_part),
        before=_unquote(before), after=_unquote(after),
    )


def _render(plan: _Plan, number: float, signed: bool) -> str:
    if plan.kind == "general":
        return ("-" if signed and number < 0 else "") + _general(abs(number) if signed else number)
    if plan.kind == "date":
        return _date_text(plan.literal, number)
    if plan.kind == "time":
        return ("-" if number < 0 else "") + _time_text(plan.literal, abs(number))
    if plan.kind == "literal":
        return plan.literal
    magnitude = abs(number) * 100**plan.percent / 1000**plan.thousands
    # Excel rounds half away from zero (Python's format rounds half to even).
    rounded = Decimal(repr(magnitude)).quantize(_QUANTUM[plan.decimals], rounding=ROUND_HALF_UP)
    body = f"{rounded:{',' if plan.grouped else ''}.{plan.decimals}f}"
    if plan.strip_zeros:
        body = body.rstrip("0").rstrip(".")
    if plan.drop_leading_zero and body.startswith("0") and magnitude < 1:
        body = body[1:]
    sign = "-" if number < 0 and not signed else ""
    return f"{sign}{plan.before}{body}{plan.after}"


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(0, 31)}


def _unquote(fragment: str) -> str:
    return _QUOTED.sub(r"\1", _ESCAPED.sub(r"\1", fragment))


def _split_literal(literal: str) -> tuple[str, str]:
    """Split a format into the text before and after its digit placeholders, honouring quotes."""
    pieces = re.findall(r'"[^"]*"|\\.|[0#?][0#?,.]*|.', literal)
    before, after, seen = [], [], False
    for piece in pieces:
        if re.fullmatch(r"[0#?][0#?,.]*", piece):
            seen = True
            continue
        (after if seen else before).append(piece)
    return "".join(before), "".join(after)


# ---------------------------------------------------------------------------
# Colours
# ---------------------------------------------------------------------------

_DEFAULT_INDEXED = None  # filled lazily from openpyxl


def _theme_palette(workbook) -> list[str]:
    """Theme colours in Excel's index order (lt1, dk1, lt2, dk2, accent1-6, hlink, folHlink)."""
    raw = getattr(workbook, "loaded_theme", None)
    if not raw:
        return []
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw)
    except Exception:  # a broken theme only costs us theme colours
        return []
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{ns}clrScheme")
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


def resolve_colour(colour, theme: list[str]) -> str:
    """An openpyxl Color as "RRGGBB" ("" when unset or automatic)."""
    global _DEFAULT_INDEXED
    if colour is None:
        return ""
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:].upper()
        return rgb if re.fullmatch(r"[0-9A-F]{6}", rgb) else ""
    if kind == "theme" and theme and 0 <= (colour.theme or 0) < len(theme):
        return _apply_tint(theme[colour.theme].upper(), colour.tint or 0.0)
    if kind == "indexed" and colour.indexed is not None:
        if _DEFAULT_INDEXED is None:
            from openpyxl.styles.colors import COLOR_INDEX

            _DEFAULT_INDEXED = COLOR_INDEX
        if colour.indexed < 64:
            return _DEFAULT_INDEXED[colour.indexed][-6:].upper()
    return ""


def _fill_colour(fill, theme: list[str]) -> str:
    if fill is None or getattr(fill, "patternType", None) in (None, "none"):
        return ""
    if fill.patternType == "solid":
        return resolve_colour(fill.fgColor, theme) or resolve_colour(fill.bgColor, theme)
    return resolve_colour(fill.fgColor, theme)


# ---------------------------------------------------------------------------
# The sheet parser
# ---------------------------------------------------------------------------

class _SheetXML:
    """A lean, safe streaming reader of one worksheet's XML (pyexpat callbacks, no element tree).

    It keeps only what the readers need: each cell's reference, type, style, cached value and
    whether it holds a formula; merged ranges; and whether conditional formatting is present.
    A DOCTYPE or entity declaration is refused outright: worksheets never need one, and
    refusing it stops entity-expansion ("billion laughs") attacks.
    """

    _CAPTURE = {"v", "f", "t"}

    def __init__(self, shared_strings, on_cell) -> None:
        self.shared_strings = shared_strings
        self.on_cell = on_cell
        self.merged: list[str] = []
        self.has_conditional_formatting = False
        self.row = 0
        self.col = 0
        self.in_inline = False
        self.buffer: list[str] | None = None
        self.cell_ref = self.cell_type = None
        self.style = 0
        self.value: str | None = None
        self.inline: list[str] = []
        self.formula: str | None = None

    def parse(self, source) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.refuse
        parser.EntityDeclHandler = self.refuse
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.ParseFile(source)

    @staticmethod
    def refuse(*_args) -> None:
        raise ValueError("the sheet's XML declares a DOCTYPE or entities, which a worksheet never needs "
                         "(possible entity-expansion attack)")

    def start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            self.cell_ref = attrs.get("r")
            self.cell_type = attrs.get("t", "n")
            self.style = int(attrs.get("s", 0) or 0)
            self.value = self.formula = None
            self.inline = []
        elif local == "row":
            number = attrs.get("r")
            self.row = int(float(number)) if number else self.row + 1
            self.col = 0
        elif local in self._CAPTURE:
            self.buffer = []
        elif local == "is":
            self.in_inline = True
        elif local == "rPh":  # phonetic guide text is not part of the cell's value
            self.in_inline = False
        elif local == "mergeCell":
            self.merged.append(attrs.get("ref", ""))
        elif local == "conditionalFormatting":
            self.has_conditional_formatting = True

    def characters(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in self._CAPTURE and self.buffer is not None:
            text = "".join(self.buffer)
            self.buffer = None
            if local == "v":
                self.value = text
            elif local == "f":
                self.formula = text
            elif self.in_inline:
                self.inline.append(text)
        elif local == "is":
            self.in_inline = False
        elif local == "c":
            self.finish_cell()

    def finish_cell(self) -> None:
        if self.cell_ref:
            row, col = _split_reference(self.cell_ref)
            self.row, self.col = row, col
        else:
            self.col += 1
            row, col = self.row, self.col
        kind, raw = self.cell_type, self.value
        if self.formula is not None and not raw and kind != "str":
            self.on_cell(row, col, "=" + self.formula, "formula_no_cache", self.style)
            return
        if kind == "inlineStr":
            value, kind = "".join(self.inline), "text"
        elif raw is None or raw == "":
            value, kind = None, "blank"
        elif kind == "s":
            value, kind = str(self.shared_strings[int(raw)]), "text"
        elif kind == "n":
            value = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
            kind = "number"
        elif kind == "b":
            value, kind = raw.strip() in ("1", "true"), "bool"
        elif kind == "e":
            value, kind = raw, "error"
        else:  # "str" (formula text result) and "d" (ISO date text)
            value, kind = raw, "text"
        self.on_cell(row, col, value, kind, self.style)


_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d+)")


@lru_cache(maxsize=100_000)
def _split_reference(reference: str) -> tuple[int, int]:
    match = _REFERENCE.fullmatch(reference.replace("$", ""))
    if not match:
        raise ValueError(f"cell reference {reference!r} is not valid")
    return int(match.group(2)), column_index_from_string(match.group(1).upper())


@dataclass
class _Style:
    number_format: str
    fill: str
    bold: bool
    is_date: bool


class _Styles:
    """Per-workbook cache: style id -> number format, fill colour, bold."""

    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self.theme = _theme_palette(workbook)
        self.cache: dict[int, _Style] = {}

    def get(self, style_id: int) -> _Style:
        style = self.cache.get(style_id)
        if style is None:
            style = self.cache[style_id] = self._build(style_id)
        return style

    def _build(self, style_id: int) -> _Style:
        workbook = self.workbook
        try:
            array = workbook._cell_styles[style_id]
        except IndexError:
            return _Style("General", "", False, False)
        format_id = array.numFmtId
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(format_id, "General")
        else:
            number_format = workbook._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE]
        fill = _fill_colour(workbook._fills[array.fillId], self.theme)
        font = workbook._fonts[array.fontId]
        return _Style(number_format, fill, bool(font.b), is_date_format(number_format))

    def dxf_fill(self, dxf_id: int | None) -> str:
        try:
            dxf = self.workbook._differential_styles[dxf_id]
        except (IndexError, TypeError):
            return ""
        if dxf.fill is None:
            return ""
        return resolve_colour(dxf.fill.bgColor, self.theme) or resolve_colour(dxf.fill.fgColor, self.theme)


def _parse_sheet(parts: _Parts, name: str, styles: _Styles, file_name: str, error,
                 limits: Limits) -> SheetCells:
    records: list[Cell] = []
    rows_with_content = 0
    last_row = 0

    def on_cell(row: int, col: int, value: Any, kind: str, style_id: int) -> None:
        nonlocal rows_with_content, last_row
        style = styles.get(style_id)
        if kind == "blank":
            if not style.fill:
                return
            text = ""
        elif kind == "number":
            text = display_text(value, style.number_format)
        elif kind == "formula_no_cache":
            text = ""
        else:
            text = display_text(value)
        if row != last_row:
            rows_with_content += 1
            last_row = row
            if rows_with_content > limits.max_rows:
                raise error(f"the sheet has more than {limits.max_rows:,} rows with content; a scorecard or "
                            "budget never does. Delete the rows below the table and save again",
                            file=file_name, sheet=name, cell=f"{column_letter(col)}{row}")
        records.append(Cell(row, col, value, kind, style.number_format, text, style.fill, style.bold))
        if len(records) > limits.max_cells:
            raise error(f"the sheet has more than {limits.max_cells:,} cells with content; refusing to read it",
                        file=file_name, sheet=name)

    reader = _SheetXML(parts.shared_strings, on_cell)
    with parts.archive.open(parts.sheet_parts[name]) as source:
        reader.parse(source)
    notes: list[str] = []
    if reader.has_conditional_formatting:
        notes = _apply_conditional_fills(records, _conditional_formatting(parts, name), styles)
    return SheetCells(name, records, reader.merged, notes)


def _conditional_formatting(parts: _Parts, name: str) -> list:
    """The sheet's conditional-format rules, parsed by openpyxl (only for sheets that have any)."""
    with parts.archive.open(parts.sheet_parts[name]) as source:
        parser = WorkSheetParser(source, parts.shared_strings, data_only=True)
        for _ in parser.parse():
            pass
    return parser.formatting


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


def _apply_conditional_fills(records: list[Cell], formatting, styles: _Styles) -> list[str]:
    """Replace the fill of cells matched by simple conditional-format rules; note rules we cannot evaluate."""
    notes: list[str] = []
    if not formatting or not records:
        return notes
    position = {(record.row, record.col): i for i, record in enumerate(records)}
    for block in formatting:
        rules = sorted(block.rules, key=lambda rule: rule.priority or 0)
        for cell_range in block.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for col in range(cell_range.min_col, cell_range.max_col + 1):
                    index = position.get((row, col))
                    if index is None:
                        continue
                    record = records[index]
                    for rule in rules:
                        matched = _rule_matches(rule, record.value, record.text)
                        if matched is None:
                            notes.append(f"conditional format of type {rule.type!r} on {cell_range.coord} "
                                         "was not evaluated")
                            break
                        if matched:
                            colour = styles.dxf_fill(rule.dxfId)
                            if colour:
                                records[index] = record._replace(fill=colour)
                            break
    return sorted(set(notes))


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def open_workbook(path: str | Path, error: type[HarrowperfError] = ScorecardError, limits: Limits = LIMITS):
    """Check then open a workbook read-only with cached values; errors name the file."""
    path = Path(path)
    check_workbook_file(path, error, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions; harmless here
            return load_workbook(path, read_only=True, data_only=True)
    except HarrowperfError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise error(f"cannot open the workbook ({type(exc).__name__}: {exc})", file=path.name) from exc


@dataclass
class _Parts:
    """A workbook opened for cell reading: styles, shared strings and where each sheet's XML is."""

    workbook: Any
    archive: zipfile.ZipFile
    shared_strings: list
    sheet_parts: dict[str, str]


def _open_parts(path: Path, error: type[HarrowperfError], limits: Limits) -> _Parts:
    """Open only what cell reading needs (openpyxl's load_workbook would also pre-scan every sheet)."""
    check_workbook_file(path, error, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions; harmless here
            reader = ExcelReader(path, read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            reader.read_theme()
            apply_stylesheet(reader.archive, reader.wb)
            parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()
                     if rel.target in reader.valid_files and "chartsheet" not in rel.Type}
    except HarrowperfError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise error(f"cannot open the workbook ({type(exc).__name__}: {exc})", file=path.name) from exc
    return _Parts(reader.wb, reader.archive, reader.shared_strings, parts)


def read_sheets(path: str | Path, sheets: list[str] | None = None,
                error: type[HarrowperfError] = ScorecardError, limits: Limits = LIMITS) -> list[SheetCells]:
    """Read the chosen sheets (all worksheets by default) of a workbook into :class:`SheetCells`."""
    path = Path(path)
    parts = _open_parts(path, error, limits)
    try:
        available = list(parts.sheet_parts)
        wanted = available if sheets is None else list(sheets)
        missing = [name for name in wanted if name not in available]
        if missing:
            raise error(f"no sheet named {missing[0]!r}; the sheets are {available}", file=path.name)
        styles = _Styles(parts.workbook)
        result = []
        for name in wanted:
            try:
                result.append(_parse_sheet(parts, name, styles, path.name, error, limits))
            except HarrowperfError:
                raise
            except Exception as exc:
                raise error(f"cannot read the sheet ({type(exc).__name__}: {exc})",
                            file=path.name, sheet=name) from exc
        return result
    finally:
        parts.archive.close()


def read_cells(path: str | Path, sheets: list[str] | None = None) -> pd.DataFrame:
    """One row per non-empty (or filled) cell of the workbook; columns :data:`CELL_COLUMNS`."""
    frames = [sheet.cells for sheet in read_sheets(path, sheets)]
    if not frames:
        return pd.DataFrame(columns=CELL_COLUMNS)
    return pd.concat(frames, ignore_index=True)[CELL_COLUMNS]

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
text           the text Excel displays for the cell
               (see :func:`harrowperf.read.number_formats.display_text`)
fill           solid fill colour as "RRGGBB" (theme colours and tints resolved,
               conditional-formatting fills applied), or "" for none
bold           whether the font is bold
=============  ==============================================================

Workbooks are untrusted. Before anything is parsed the file is checked (a zip, not
encrypted, not expanding beyond :data:`LIMITS`). Each worksheet's XML is then read in one
pass of expat: a DOCTYPE or entity declaration is refused, and so is a sheet with more rows
or cells than the limits allow; the pass keeps every cell's stored value, type and style,
merged ranges, conditional formats and formulas that have no saved result. A cell outside
Excel's grid, a cell given twice, a stored number outside the file format's grammar ('1_000',
full-width digits, 'NaN') and a shared-text index that is not one are refused, naming the cell:
each would otherwise invent, lose or change a value. Styles, shared
text and document properties are parsed into openpyxl's public models (``Stylesheet``,
``read_string_table``, ``DocumentProperties``); theme colours come from the theme part.
No private openpyxl module or attribute is used, so an openpyxl release cannot change how
a cell is read.

A number in a date or time format is kept as the number stored in the file (Excel's serial
date), so no value is altered; its displayed text follows the format.
"""

from __future__ import annotations

import colorsys
import contextlib
import io
import math
import posixpath
import re
import stat
import time
import xml.parsers.expat as expat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
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
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter

from harrowperf.foundation.errors import HarrowperfError, ScorecardError
from harrowperf.read.number_formats import display_text

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
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid: A1 to XFD1048576
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
        self.last_cell: tuple[int, int] = (0, 0)
        self.seen: set[tuple[int, int]] | None = None  # built only for a sheet whose cells are out of order
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
            if not 0 < self.row <= MAX_ROW:
                self.too_big(f"the sheet's XML has a row numbered {number}: row {self.row}, outside Excel's grid "
                             f"(rows 1 to {MAX_ROW:,}); the file is damaged", None, None)
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
            if not (0 < self.row <= MAX_ROW and 0 < self.col <= MAX_COLUMN):
                self.too_big(f"the sheet's XML has a cell {self.cell_ref[:40]}, outside Excel's grid "
                             f"(A1 to XFD{MAX_ROW}); the file is damaged", None, None)
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
        if self.seen is not None or (row, col) <= self.last_cell:  # spreadsheet programs write cells in order
            self.check_not_seen(row, col)
        self.last_cell = (row, col)
        self.records.append(Cell(row, col, value, kind, number_format, text, colour, bold))

    def value(self) -> tuple[Any, str]:
        """The cell's value as stored, and its kind."""
        kind, stored = self.cell_type, self.stored
        if kind == "inlineStr":
            return ("".join(self.inline), "text") if self.inline else (None, "blank")
        if not stored:
            return None, "blank"
        if kind == "n":
            # Python's int() and float() also read '1_000', full-width digits, 'nan' and 'inf', none of
            # which is a number in the file format: each would be a value the file does not hold.
            try:
                if not stored.isascii() or "_" in stored:
                    raise ValueError(stored)
                if "." in stored or "e" in stored or "E" in stored:  # no generator: once per cell
                    number = float(stored)
                    if not math.isfinite(number):
                        raise ValueError(stored)
                    return number, "number"
                return int(stored), "number"
            except ValueError:
                self.too_big(f"the cell says it holds a number but holds {stored[:40]!r}", self.row, self.col)
        if kind == "s":
            index = stored.strip()
            if index.isascii() and index.isdigit() and int(index) < len(self.shared_strings):
                return self.shared_strings[int(index)], "text"
            self.too_big(f"the cell points at shared text {stored[:40]!r}, which the workbook does not have",
                         self.row, self.col)
        if kind == "b":
            return stored.strip() in ("1", "true"), "bool"
        if kind == "e":
            return stored, "error"
        return stored, "text"  # "str" (a formula's text result) and "d" (an ISO date as text)

    def check_not_seen(self, row: int, col: int) -> None:
        """Refuse a cell the sheet's XML has already given: one of its two values would be silently lost."""
        if self.seen is None:
            self.seen = {(record.row, record.col) for record in self.records}
        if (row, col) in self.seen:
            self.too_big("the sheet's XML holds this cell twice, so one of its values would be lost; "
                         "the file is damaged or was not written by a spreadsheet program", row, col)
        self.seen.add((row, col))

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
            try:
                # openpyxl prints "7 is out of range" for a style list it cannot index: keep it off the console
                with contextlib.redirect_stdout(io.StringIO()):
                    styles = _Styles(archive.read(parts.styles) if parts.styles else None, theme)
            except Exception as exc:
                raise error(f"the workbook's styles part ({parts.styles}) is damaged ({type(exc).__name__}: {exc}), "
                            "so no cell's format or colour can be read; open the file in Excel and save it "
                            "again", file=path.name) from exc
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

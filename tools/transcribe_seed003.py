"""Transcribe the three "Corporate Scorecard 2016/17" tables of seed 003 into a council-layout xlsx.

The seed (``tests/fixtures/seeds/003_405e00269b3432ab.txt``) is the text extracted from Harrow
Council's Strategic Performance Report, Quarter 2 2016/17. Each scorecard table is a run of
tab-separated lines under "Corporate Scorecard 2016/17", split into blocks wherever the printed
table broke across pages (the header block is repeated), and followed by "Note n: ..." lines.

This script copies every printed cell, in the seed's tab positions, into one sheet per table,
laid out the way the council's performance team keeps its scorecard workbooks (see
``data/raw/SOURCES.md`` for the judgement calls). Nothing is computed or corrected: the text
Excel displays for each cell is the seed's text. Re-running gives a byte-identical file.

Usage::

    .venv/bin/python tools/transcribe_seed003.py [--seed SEED.txt] [--out WORKBOOK.xlsx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ScorecardError
from harrowperf.foundation.periods import parse_quarter
from harrowperf.present.exports import save_workbook_reproducibly

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seeds" / "003_405e00269b3432ab.txt"
WORKBOOK = ROOT / "data" / "raw" / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"

REPORT = "Harrow Council Strategic Performance Report Quarter 2 2016/17"
TABLE_TITLE = "Corporate Scorecard 2016/17"
MEASURE_HEADER = "Measure (Annual measures are shown only in the quarter in which they report)"
GOOD_HEADER = "Good ="
SUB_HEADERS = ("Target", "Actual", "RAG Status")
RAG_HEADER = "RAG Status"
NOTE_PREFIX = "Note"

# Theme title as printed above each table -> the sheet name the performance team uses.
SHEET_FOR_THEME = {
    "Build a better Harrow": "Better Harrow",
    "Be more business-like and business friendly": "Business",
    "Protect the most vulnerable and support families": "Vulnerable",
}
# The Business sheet is kept as a hand-typed sheet: every cell is text, as printed.
TEXT_ONLY_SHEETS = frozenset({"Business"})

# Fixed document timestamps so that re-running the script gives an identical file. They are
# not the report's date (the seed does not print one); SOURCES.md says so.
FIXED_TIMESTAMP = dt.datetime(2017, 1, 1, 0, 0, 0)

# Look of the sheet (layout only; council colours come from conventions/rag.toml).
HEADER_GREY = "D9D9D9"
TITLE_POINTS = 14
NAME_COLUMN_WIDTH = 58
GOOD_COLUMN_WIDTH = 10
VALUE_COLUMN_WIDTH = 13
FIRST_TABLE_ROW = 4  # rows 1-3: theme title, "Corporate Scorecard 2016/17", blank

# The seed's value grammar for cells that are plain numbers (everything else is text).
_PERCENT = re.compile(r"^-?\d+(?:\.(\d+))?%$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+$")
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")
_MIN_SEC = re.compile(r"^(\d{2}):(\d{2})$")
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class SeedRow:
    """One tab-separated seed line: its 1-based line number and its cells (stray column folded)."""

    line: int
    cells: tuple[str, ...]
    is_qualifier: bool = False


@dataclass(frozen=True)
class SeedBlock:
    """A header block (two rows) and the measure/qualifier rows printed under it."""

    header: tuple[SeedRow, SeedRow]
    rows: tuple[SeedRow, ...]
    stray_moves: tuple[int, ...]  # seed lines whose stray trailing cell went to RAG Status

    @property
    def width(self) -> int:
        return len(self.header[1].cells)

    @property
    def rag_columns(self) -> frozenset[int]:
        """0-based positions of the "RAG Status" columns."""
        return frozenset(i for i, text in enumerate(self.header[1].cells) if text == RAG_HEADER)

    @property
    def good_column(self) -> int:
        return self.header[0].cells.index(GOOD_HEADER)


@dataclass(frozen=True)
class SeedTable:
    """One scorecard table of the seed: its theme, sheet name, blocks and notes."""

    theme: str
    sheet: str
    title_line: int
    blocks: tuple[SeedBlock, ...]
    notes: tuple[str, ...]


def cell_value(text: str) -> tuple[str | int | float, str]:
    """The Excel value and number format that display ``text`` exactly as the seed prints it.

    Plain numbers become numbers ("7.49%" -> 0.0749 shown "0.00%", "33,000" -> 33000 shown
    "#,##0", "01:30" -> a fraction of a day shown "mm:ss"); anything else stays text ("@").

    >>> cell_value("7.49%")
    (0.0749, '0.00%')
    >>> cell_value("13-15%")
    ('13-15%', '@')
    """
    if match := _PERCENT.match(text):
        places = len(match.group(1) or "")
        return float(Decimal(text[:-1]) / 100), "0" + _fraction_format(places) + "%"
    if _THOUSANDS.match(text):
        return int(text.replace(",", "")), "#,##0"
    if _INTEGER.match(text):
        return int(text), "0"
    if match := _DECIMAL.match(text):
        return float(Decimal(text)), "0" + _fraction_format(len(match.group(1)))
    if match := _MIN_SEC.match(text):
        minutes, seconds = (int(part) for part in match.groups())
        if minutes < 60 and seconds < 60:
            return (minutes * 60 + seconds) / SECONDS_PER_DAY, "mm:ss"
    return text, "@"


def _fraction_format(places: int) -> str:
    return "." + "0" * places if places else ""


def parse_seed(text: str, source: str = SEED.name) -> tuple[SeedTable, ...]:
    """Every "Corporate Scorecard 2016/17" table of the seed text, in the order printed.

    Raises ScorecardError (naming the seed file and line) when a table does not have the shape
    this transcription knows: a repeated two-row header block, rows of the header's width, notes.
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == TABLE_TITLE]
    if not starts:
        raise ScorecardError(f"no {TABLE_TITLE!r} title found", file=source)
    return tuple(_parse_table(lines, start, source) for start in starts)


def _parse_table(lines: list[str], title_index: int, source: str) -> SeedTable:
    theme_index = _previous_text_line(lines, title_index)
    theme = lines[theme_index].strip()
    if theme not in SHEET_FOR_THEME:
        raise ScorecardError(
            f"theme title {theme!r} above the table is not one of {sorted(SHEET_FOR_THEME)}",
            file=source,
            row=theme_index + 1,
        )
    blocks: list[SeedBlock] = []
    index = _next_text_line(lines, title_index + 1)
    while index < len(lines) and lines[index].startswith(MEASURE_HEADER):
        block, index = _parse_block(lines, index, source)
        blocks.append(block)
        index = _next_text_line(lines, index)
    if not blocks:
        raise ScorecardError(
            f"no header block starting {MEASURE_HEADER[:20]!r} under the table title",
            file=source,
            row=title_index + 1,
        )
    notes: list[str] = []
    while index < len(lines) and lines[index].startswith(NOTE_PREFIX):
        if "\t" in lines[index]:
            raise ScorecardError("a note line contains tabs", file=source, row=index + 1)
        notes.append(lines[index])
        index = _next_text_line(lines, index + 1)
    return SeedTable(
        theme=theme,
        sheet=SHEET_FOR_THEME[theme],
        title_line=title_index + 1,
        blocks=tuple(blocks),
        notes=tuple(notes),
    )


def _parse_block(lines: list[str], index: int, source: str) -> tuple[SeedBlock, int]:
    """Read a header block at ``lines[index]``; return it and the index after its last row."""
    if index + 1 >= len(lines):
        raise ScorecardError("header block has only one row", file=source, row=index + 1)
    top, bottom = lines[index].split("\t"), lines[index + 1].split("\t")
    width = _header_width(top, bottom, source, index + 1)
    header = (
        SeedRow(index + 1, _fold(top, width, source, index + 1)[0]),
        SeedRow(index + 2, _fold(bottom, width, source, index + 2)[0]),
    )
    good = header[0].cells.index(GOOD_HEADER)
    rows: list[SeedRow] = []
    moves: list[int] = []
    index += 2
    while index < len(lines) and "\t" in lines[index] and not lines[index].startswith(MEASURE_HEADER):
        cells, moved = _fold(lines[index].split("\t"), width, source, index + 1)
        is_qualifier = not any(cells[: good + 1])
        if is_qualifier and not rows:
            raise ScorecardError("a continuation line comes before any measure", file=source, row=index + 1)
        rows.append(SeedRow(index + 1, cells, is_qualifier))
        if moved:
            moves.append(index + 1)
        index += 1
    if not rows:
        raise ScorecardError("header block has no measure rows", file=source, row=index)
    return SeedBlock(header, tuple(rows), tuple(moves)), index


def _header_width(top: list[str], bottom: list[str], source: str, line: int) -> int:
    """Columns of a header block: up to its last "RAG Status"; checks the block's shape."""
    if GOOD_HEADER not in top:
        raise ScorecardError(f"header has no {GOOD_HEADER!r} cell", file=source, row=line)
    if RAG_HEADER not in bottom:
        raise ScorecardError(f"second header row has no {RAG_HEADER!r}", file=source, row=line + 1)
    width = len(bottom) - bottom[::-1].index(RAG_HEADER)
    first_value = top.index(GOOD_HEADER) + 1
    quarters = top[first_value:width:3]
    subheaders = bottom[first_value:width]
    if (
        subheaders != list(SUB_HEADERS) * len(quarters)
        or any(parse_quarter(label) is None for label in quarters)
        or any(top[first_value:width][i] for i in range(len(subheaders)) if i % 3)
    ):
        raise ScorecardError(
            "header is not 'Good =' followed by quarter labels over Target/Actual/RAG Status",
            file=source,
            row=line,
        )
    return width


def _fold(cells: list[str], width: int, source: str, line: int) -> tuple[tuple[str, ...], bool]:
    """Cells cut to the header's width; a stray trailing cell moves into an empty RAG Status.

    The PDF extraction of one Better Harrow block shows an extra trailing column; the only values
    in it are RAG codes whose own RAG Status cell is empty (measures 48 and 49). Anything else in
    a stray column would be a new situation needing a human decision, so it is an error.
    """
    if len(cells) < width:
        raise ScorecardError(
            f"line has {len(cells)} tab-separated cells, its header has {width}",
            file=source,
            row=line,
        )
    kept, stray = list(cells[:width]), [text for text in cells[width:] if text]
    if not stray:
        return tuple(kept), False
    if len(stray) == 1 and len(cells) == width + 1 and not kept[-1]:
        kept[-1] = stray[0]
        return tuple(kept), True
    raise ScorecardError(
        f"values {stray!r} beyond the header's last column cannot be placed",
        file=source,
        row=line,
    )


def _previous_text_line(lines: list[str], index: int) -> int:
    index -= 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    return index


def _next_text_line(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def build_workbook(tables: Sequence[SeedTable], source: str = SEED.name) -> Workbook:
    """A workbook with one council-layout sheet per table, in the seed's order."""
    colours = settings().rag.colours
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _write_sheet(workbook.create_sheet(table.sheet), table, colours)
    props = workbook.properties
    props.title = f"{TABLE_TITLE}, Quarter 2 2016/17 (Harrow Council)"
    props.subject = "Corporate scorecard: targets, actuals and RAG status by theme"
    props.creator = "harrowperf tools/transcribe_seed003.py"
    props.description = (
        f"Transcribed cell for cell from the text of the {REPORT} (seed file {source}): "
        f"the three '{TABLE_TITLE}' tables, one sheet per theme. Judgement calls are listed in "
        "data/raw/SOURCES.md."
    )
    props.keywords = "Harrow; corporate scorecard; 2016/17; Q2; RAG"
    props.lastModifiedBy = None
    props.created = props.modified = FIXED_TIMESTAMP
    return workbook


def _write_sheet(sheet: Worksheet, table: SeedTable, colours: dict[str, str]) -> None:
    numeric = table.sheet not in TEXT_ONLY_SHEETS
    sheet["A1"] = table.theme
    sheet["A1"].font = Font(bold=True, size=TITLE_POINTS)
    sheet["A2"] = TABLE_TITLE
    sheet["A2"].font = Font(bold=True)
    row = FIRST_TABLE_ROW
    for number, block in enumerate(table.blocks):
        if number:
            row += 1  # one blank row before a repeated header block, as between printed pages
        _write_header(sheet, block, row)
        row += 2
        for seed_row in block.rows:
            _write_row(sheet, block, seed_row, row, numeric, colours)
            row += 1
    if table.notes:
        row += 1
        for note in table.notes:
            sheet.cell(row=row, column=1, value=note).number_format = "@"
            row += 1
    _set_widths(sheet, table)
    sheet.sheet_view.zoomScale = 90
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{FIRST_TABLE_ROW}:{FIRST_TABLE_ROW + 1}"


def _write_header(sheet: Worksheet, block: SeedBlock, row: int) -> None:
    top, bottom = block.header[0].cells, block.header[1].cells
    fill = PatternFill(fill_type="solid", fgColor=HEADER_GREY)
    for offset, cells in enumerate((top, bottom)):
        for position, text in enumerate(cells):
            cell = sheet.cell(row=row + offset, column=position + 1)
            if text:
                cell.value = text
                cell.number_format = "@"
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.border = _THIN_BOX
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    # A header cell spans the empty cells to its right; it spans both rows when the cells under
    # it are empty too ("Measure ...", "Good ="), as in the printed header.
    labelled = [i for i, text in enumerate(top) if text] + [len(top)]
    for start, end in zip(labelled, labelled[1:], strict=False):
        depth = 1 if any(bottom[start:end]) else 2
        if end - start > 1 or depth > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=start + 1,
                end_row=row + depth - 1,
                end_column=end,
            )


def _write_row(
    sheet: Worksheet,
    block: SeedBlock,
    seed_row: SeedRow,
    row: int,
    numeric: bool,
    colours: dict[str, str],
) -> None:
    good = block.good_column
    for position, text in enumerate(seed_row.cells):
        cell = sheet.cell(row=row, column=position + 1)
        cell.border = _THIN_BOX
        is_name = position < good
        cell.alignment = Alignment(
            wrap_text=True,
            vertical="top",
            horizontal="left" if is_name and not _INTEGER.match(text) else "center",
        )
        if not text:
            continue
        value, number_format = cell_value(text) if numeric else (text, "@")
        cell.value = value
        cell.number_format = number_format
        if position in block.rag_columns and text in colours:
            cell.fill = PatternFill(fill_type="solid", fgColor=colours[text])


def _set_widths(sheet: Worksheet, table: SeedTable) -> None:
    """Measure-name columns wide, "Good =" narrow, quarter columns even."""
    widths: dict[int, int] = {}
    for block in table.blocks:
        for position in range(block.width):
            if position < block.good_column:
                width = NAME_COLUMN_WIDTH
            elif position == block.good_column:
                width = GOOD_COLUMN_WIDTH
            else:
                width = VALUE_COLUMN_WIDTH
            widths[position] = max(widths.get(position, 0), width)
    for position, width in sorted(widths.items()):
        sheet.column_dimensions[get_column_letter(position + 1)].width = width


_THIN = Side(style="thin", color="808080")
_THIN_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def save_deterministic(workbook: Workbook, path: Path) -> None:
    """Save so that the same workbook always gives the same bytes (fixed document and zip times)."""
    save_workbook_reproducibly(workbook, path, FIXED_TIMESTAMP)


def counts(tables: Sequence[SeedTable]) -> dict[str, dict[str, int]]:
    """Per sheet: measures, qualifier rows, observation cells (non-empty target/actual/RAG)."""
    result: dict[str, dict[str, int]] = {}
    for table in tables:
        measures = qualifiers = observations = 0
        for block in table.blocks:
            for seed_row in block.rows:
                qualifiers += seed_row.is_qualifier
                measures += not seed_row.is_qualifier
                observations += sum(bool(t) for t in seed_row.cells[block.good_column + 1 :])
        result[table.sheet] = {
            "measures": measures,
            "qualifier_rows": qualifiers,
            "observation_cells": observations,
        }
    return result


def transcribe(seed: Path = SEED, out: Path = WORKBOOK) -> tuple[SeedTable, ...]:
    """Parse ``seed`` and write the workbook to ``out``; return the parsed tables."""
    try:
        text = seed.read_text(encoding="utf-8")
    except OSError as error:
        raise ScorecardError(f"cannot read the seed: {error.strerror}", file=str(seed)) from None
    tables = parse_seed(text, seed.name)
    save_deterministic(build_workbook(tables, seed.name), out)
    return tables


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=Path, default=SEED, help="seed text file")
    parser.add_argument("--out", type=Path, default=WORKBOOK, help="workbook to write")
    args = parser.parse_args(argv)
    try:
        tables = transcribe(args.seed, args.out)
    except ScorecardError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    for table in tables:
        moves = [line for block in table.blocks for line in block.stray_moves]
        tally = counts([table])[table.sheet]
        print(
            f"  {table.sheet!r}: {tally['measures']} measures, {tally['qualifier_rows']} "
            f"qualifier rows, {tally['observation_cells']} observation cells, "
            f"{len(table.blocks)} header blocks, {len(table.notes)} notes"
            + (f"; stray-column RAG moved on seed lines {moves}" if moves else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Read council scorecard workbooks into the tidy scorecard frame (one row per measure x period column group).

The reader works on the cell table of :mod:`harrowperf.read.cells`: it finds each
header block (a "Good =" cell with period labels beside it and "Target |
Actual | RAG Status" under them), then attaches every cell below to its
measure and period by direction. A period label is a month ("Apr-16", or a real date formatted as a
month), a financial quarter ("Q2 2016/17", "Jul-Sep 2016") or a year ("2016/17", "2016"); a block
has one frequency (that of most of its labels). What a header block looks like is said once,
in :data:`LAYOUT`; what a value means is :mod:`harrowperf.read.values`' job.

Other councils' layouts are read too: a sheet with no "Good =" heading anchors each table on its
"Measure" ("Indicator", "KPI") heading and leaves the polarity unknown (one finding says so); one
heading row may name period and column together ("Q1 2016/17 Target", :func:`combined_heading`);
and in a table without "Good =", period labels with no "Target | Actual" row under them head
columns of figures, each read as that period's actual.

Every non-empty cell of a sheet ends up with a role (title, header, measure,
polarity, target, actual, rag, qualifier, footnote) or is listed in the
findings table (:mod:`harrowperf.foundation.findings`) with its address: nothing is
dropped silently. :func:`read_scorecard` returns the frame and the findings side by side.
"""

from __future__ import annotations

import bisect
import datetime
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.cell import range_boundaries

from harrowperf.foundation.errors import AmbiguousPeriodError, ScorecardError
from harrowperf.foundation.findings import Read, findings_table
from harrowperf.foundation.gc_pause import gc_paused
from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.periods import (
    QUARTER,
    QUARTER_FREQ,
    Span,
    parse_period,
    parse_quarter,
    span_columns,
    with_period_columns,
)
from harrowperf.foundation.schema import SCORECARD_COLUMNS
from harrowperf.read import fills as rag_codes
from harrowperf.read.cells import SheetCells, cell_address, read_sheets
from harrowperf.read.grid import Grid
from harrowperf.read.number_formats import display_text, format_scale, format_section
from harrowperf.read.values import Parsed, parse_value

# ---------------------------------------------------------------------------
# Layout knowledge (declarative): what the parts of a scorecard table look like
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Patterns that recognise the parts of a scorecard table (case-insensitive, on displayed text)."""

    polarity_header: re.Pattern = re.compile(r"^(good\s*=?|good is|polarity|direction)$", re.I)
    measure_header: re.Pattern = re.compile(r"^(measure|indicator|kpi|performance (measure|indicator))\b", re.I)
    # a heading that can anchor a table with no "Good =": the whole cell is the heading ("Indicator",
    # "Measure name", "KPI (annual measures ...)"), never a measure's name ("KPI 01: calls answered")
    measure_heading: re.Pattern = re.compile(
        r"^(measures?|indicators?|kpis?|performance (measures?|indicators?))(\s+(name|title|description))?"
        r"(\s*\(.*\))?$", re.I | re.S)
    target_header: re.Pattern = re.compile(r"^target$", re.I)
    actual_header: re.Pattern = re.compile(r"^(actual|outturn|performance)$", re.I)
    rag_header: re.Pattern = re.compile(r"^(rag(\s+status|\s+rating)?|status)$", re.I)
    footnote: re.Pattern = re.compile(r"^notes?\s*\d+(\s*(,|&|and)\s*\d+)*\s*:", re.I)
    measure_ref: re.Pattern = re.compile(r"^(\d{1,4}[a-z]?)[.)]?\s+(\S.*)$", re.I | re.S)
    polarity_values: tuple[tuple[str, str], ...] = (
        ("higher", "higher"), ("high", "higher"), ("higher is better", "higher"), ("up", "higher"),
        ("bigger is better", "higher"), ("increase", "higher"), ("maximise", "higher"), ("maximize", "higher"),
        ("aim to maximise", "higher"), ("aim to maximize", "higher"), ("\u2191", "higher"),
        ("lower", "lower"), ("low", "lower"), ("lower is better", "lower"), ("down", "lower"),
        ("smaller is better", "lower"), ("decrease", "lower"), ("minimise", "lower"), ("minimize", "lower"),
        ("aim to minimise", "lower"), ("aim to minimize", "lower"), ("\u2193", "lower"),
        ("in range", "in_range"), ("within range", "in_range"), ("range", "in_range"),
    )


LAYOUT = Layout()
_POLARITY = dict(LAYOUT.polarity_values)

FRAME_COLUMNS = SCORECARD_COLUMNS  # the contract, defined once in foundation.schema
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)
LAYOUT_COLUMNS = ["source", "sheet", "cell", "row", "col", "role", "text"]

# A measure's unit when its values do not say: words in its name.
UNIT_NAME_PATTERNS = {
    "%": r"%|\bpercentage\b|\bproportion\b|\brate of proven\b",
    "count": r"\b(?:number|no\.? of|total|incidents|offences|burglaries|logins|appointments)\b",
}

_TARGET_KIND = {
    "number": "point", "range": "range", "annual": "annual", "yoy_reduction": "yoy_reduction",
    "yoy_increase": "yoy_reduction", "rank_range": "rank_range", "baseline": "baseline",
}


# ---------------------------------------------------------------------------
# Result containers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRead(Read):
    """Everything one read produced: the tidy frame, the findings, each cell's role and the footnotes."""

    layout: pd.DataFrame
    notes: pd.DataFrame
    hidden_sheets: tuple[str, ...] = ()  # sheets hidden in Excel whose tables were read (and marked)


@dataclass
class _Group:
    span: Span  # the group's period: a month, quarter or year
    label: str
    label_cell: str
    target: int | None = None
    actual: int | None = None
    rag: int | None = None
    period_columns: dict = field(init=False)  # the frame's period columns, made once for every row

    def __post_init__(self) -> None:
        self.period_columns = span_columns(self.span)


@dataclass
class _Block:
    header_row: int
    sub_row: int
    polarity_col: int | None  # None: the table has no "Good =" column (its "Measure" heading anchors it)
    measure_cols: list[int]
    groups: list[_Group]
    first_row: int  # first row of the header block (quarter-label row)
    titles: list[tuple[int, int, str]] = field(default_factory=list)
    first_col: int = 1            # the columns the table spans: the whole sheet, unless another table
    last_col: int = 16_384        # stands beside it (each then has the columns up to the other's)

    @property
    def name_cols(self) -> tuple[int, ...]:
        """The columns that say which measure a row is: its name (and number) and "Good =", if any."""
        return (*self.measure_cols, self.polarity_col) if self.polarity_col is not None else tuple(self.measure_cols)

    def cols(self, sheet: Grid, row: int) -> list[int]:
        """The columns of ``row`` with content that belong to this table."""
        return [c for c in sheet.cols(row) if self.first_col <= c <= self.last_col]


def _sheet(source: str, sheet_cells: SheetCells) -> Grid:
    """The sheet as a grid; a formula with no saved result stops the read (its value is unknown)."""
    formulas = [c for c in sheet_cells.records if c.kind == "formula_no_cache"]
    if formulas:
        raise ScorecardError(
            f"formula {formulas[0].value} has no saved result ({len(formulas)} such cells on this sheet): "
            "the workbook was written by a program and never opened in Excel. Open it in Excel, "
            "save it, and read it again", file=source, sheet=sheet_cells.name,
            cell=cell_address(formulas[0].row, formulas[0].col))
    return Grid(source, sheet_cells, ScorecardError)


def _find(sheet: Grid, row: int, col: int, severity: str, issue: str, message: str) -> None:
    """A finding about one cell, quoting its text."""
    sheet.find(sheet.address(row, col), severity, issue, message, sheet.text(row, col))


# ---------------------------------------------------------------------------
# Finding header blocks
# ---------------------------------------------------------------------------


def _find_blocks(sheet: Grid) -> list[_Block]:
    """The header blocks of a sheet, top to bottom; tables side by side (two "Good =" headings on one row)
    each get the columns up to the next one's first measure column.

    A sheet with no "Good =" heading anywhere may still hold tables: each "Measure" (or "Indicator",
    "KPI") heading with period labels beside it anchors one, whose polarity is not known.
    """
    anchors = sorted((r, c) for (r, c), text in sheet.content.items() if LAYOUT.polarity_header.match(text))
    has_polarity = bool(anchors)
    if not has_polarity:
        anchors = sorted((r, c) for (r, c), text in sheet.content.items() if LAYOUT.measure_heading.match(text))
    blocks = []
    for row, col in anchors:
        beside = [c for r, c in anchors if r == row]
        index = beside.index(col)
        if has_polarity:
            first_col = _table_start(sheet, row, beside[index - 1], col) if index else 1
            last_col = _table_start(sheet, row, col, beside[index + 1]) - 1 if index + 1 < len(beside) else 16_384
        else:  # each table from its own "Measure" heading (or the sheet's edge) to the next one's
            first_col = col if index else 1
            last_col = beside[index + 1] - 1 if index + 1 < len(beside) else 16_384
        block = _read_header(sheet, row, col, first_col, last_col, has_polarity)
        if block is not None:
            blocks.append(block)
    return blocks


def _table_start(sheet: Grid, row: int, left_polarity: int, polarity: int) -> int:
    """Where a table beside another begins: its "Measure" heading between the two "Good =" columns, or
    the column before its own "Good =" (its measure names) when it has none."""
    headings = [c for c in sheet.cols(row) if left_polarity < c < polarity
                and LAYOUT.measure_header.match(sheet.text(row, c))]
    return min(headings) if headings else polarity - 1


def _without_bracketed_note(text: str) -> str:
    """"Q2 2016/17 (provisional)" -> "Q2 2016/17"; "" when the text does not end with such a note.
    Found by position, not by a pattern, so a long run of brackets takes linear time."""
    opening = text.rfind("(")
    if not text.endswith(")") or opening <= 0 or ")" in text[opening + 1 : -1]:
        return ""
    return text[:opening].rstrip()


def _period_of(text: str) -> tuple[Span | None, str]:
    """The period a header label names (:func:`parse_period`: a month, a financial quarter, a financial
    or calendar year), and how it was recognised ("" when printed as the council prints it); for a label
    that names two periods ("2010-11"), ``None`` and why.

    Besides "Q2 2016/17", "Apr-16", "2016/17" or "2016": a label with a note in brackets ("Q2 2016/17
    (provisional)") and a quarter written as its months ("Jul-Sep 2016", "Jan-Mar 2017").
    """
    if (quarter := parse_quarter(text)) is not None:
        return parse_period(quarter), ""
    try:
        if (span := parse_period(text)) is not None:
            return span, ("as a range of months" if span.frequency == QUARTER else "")
        base = _without_bracketed_note(text)
        if base and (span := parse_period(base)) is not None:
            return span, "with a note in brackets"
    except AmbiguousPeriodError as error:  # "2010-11": the financial year or November? a header cannot say
        return None, error.message
    return None, ""


def _label_period(sheet: Grid, row: int, col: int) -> tuple[Span | None, str]:
    """The period of the header label at (row, col): from its text, or, for a real date (a number in a
    date format, as Excel stores "Apr-16" typed into a cell), the month of the date."""
    span, how = _period_of(sheet.text(row, col))
    if span is not None:
        return span, how
    why = how  # why the text is not a period, if it says (it names two)
    record = sheet.record(row, col)
    if record is not None and record.kind == "number" and is_date_format(record.number_format or "General"):
        try:
            moment = _EXCEL_EPOCH + datetime.timedelta(days=float(record.value))
        except (OverflowError, ValueError, TypeError):
            return None, ""
        if (span := parse_period(moment)) is not None:
            return span, "a date, as its month"
    return None, why


def _read_header(sheet: Grid, row: int, anchor_col: int, first_col: int = 1,
                 right_edge: int = 16_384, has_polarity: bool = True) -> _Block | None:
    """A header block: quarter labels over groups of Target | Actual | RAG Status columns.

    ``anchor_col`` is the "Good =" heading, or the "Measure" heading of a table without one
    (``has_polarity`` false). Every column of the block is placed in a group or listed: a label that is
    not a quarter starts a group of its own, whose columns are listed and never given to the group before
    it; a label may sit over any column of its group; a group's three headings are unique (a repeated
    one is listed).
    """
    polarity_col = anchor_col  # the last column before the periods' columns

    def cols(r: int) -> list[int]:  # the table's columns of a row, right of "Good =" (or "Measure")
        return [c for c in sheet.cols(r) if polarity_col < c <= right_edge]

    # Period labels sit on the "Good =" row (or the row above it, in some layouts).
    for label_row in (row, row - 1):
        labels = [(c, sheet.text(label_row, c)) for c in cols(label_row)
                  if _label_period(sheet, label_row, c)[0] is not None]
        if labels:
            break
    sub_row = next((r for r in (row + 1, row, row + 2)
                    if any(_subheader(sheet.text(r, c)) for c in cols(r))),
                   None)
    if not labels and sub_row is None:
        # one heading row whose cells name both ("Q1 2016/17 Target"), or a "Good =" in running text
        heads = _combined_headings(sheet, row, cols(row))
        if not heads:
            return None
        label_row = sub_row = row
        groups = _combined_groups(sheet, row, heads)
    elif sub_row is None and not has_polarity:
        # labels with no Target | Actual row under them in a table without "Good =": a history of figures
        sub_row = label_row
        groups = _figure_groups(sheet, label_row, labels)
    else:
        groups = _stacked_groups(sheet, row, label_row, sub_row, labels, cols(label_row),
                                 cols(sub_row) if sub_row is not None else [], polarity_col, right_edge)
    if has_polarity:
        measure_cols = _measure_columns(sheet, row, polarity_col, first_col)
    else:  # the "Measure" column and any before it at or below the heading (a reference number)
        start = min(c for r, c in sheet.cells if first_col <= c <= anchor_col and r >= row)
        measure_cols = list(range(start, anchor_col + 1))
        _find(sheet, row, anchor_col, "info", "no_polarity_column",
              "this table has no 'Good =' (polarity) column, so whether higher or lower is better is not known: "
              "RAG statuses are read as reported and no RAG is checked; add a 'Good =' column to say it")
    for r in {row, label_row, sub_row}:
        for c in sheet.cols(r):
            if first_col <= c <= polarity_col and sheet.text(r, c):
                sheet.mark(r, c, "header")
    sheet.mark(row, polarity_col, "header")
    return _Block(max(row, label_row), sub_row, polarity_col if has_polarity else None, measure_cols, groups,
                  min(row, label_row), first_col=first_col, last_col=right_edge)


def _stacked_groups(sheet: Grid, row: int, label_row: int, sub_row: int | None, labels: list[tuple[int, str]],
                    label_row_cols: list[int], sub_row_cols: list[int], polarity_col: int,
                    right_edge: int) -> list[_Group]:
    """The groups of period labels over a row of Target | Actual | RAG Status headings."""
    if sub_row is None:
        raise sheet.error("this header block has quarter labels but no 'Target | Actual | RAG Status' "
                          "row under them", row, polarity_col)
    if not labels:
        first = min(c for r, c in sheet.cells if r == sub_row and polarity_col < c <= right_edge)
        raise sheet.error("this header block has Target/Actual columns but no quarter label (such as "
                          "'Q2 2016/17') above them", sub_row, first)
    sub_cols = [c for c in sub_row_cols if _subheader(sheet.text(sub_row, c))]
    # every text on the label row is a group's label, recognised or not
    all_labels = label_row_cols if label_row != sub_row else [c for c, _ in labels]
    starts = _group_starts(sheet, sub_row, all_labels, sub_cols)
    last_col = max(sub_cols + all_labels)
    periods = {c: _label_period(sheet, label_row, c) for c in all_labels}
    frequency = _block_frequency([span for span, _ in periods.values() if span is not None])
    groups = []
    for i, (start, label_col) in enumerate(zip(starts, all_labels, strict=True)):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else last_col
        text = sheet.text(label_row, label_col)
        span, how = periods[label_col]
        sheet.mark(label_row, label_col, "header")
        columns = (f"columns {sheet.address(sub_row, start)[:-len(str(sub_row))]}"
                   f"-{sheet.address(sub_row, end)[:-len(str(sub_row))]}")
        if span is None or span.frequency != frequency:
            if span is None:
                _find(sheet, label_row, label_col, "warning", "unrecognised_quarter_label",
                      f"the label over {columns} is not a period (a month such as 'Apr 2016', a quarter such as "
                      "'Q2 2016/17', a year such as '2016/17')" + (f": {how}" if how else "") +
                      "; those columns are not read (and not given to another period)")
            else:
                _find(sheet, label_row, label_col, "warning", "mixed_frequencies",
                      f"the label over {columns} is a {span.frequency} ({span.label}) in a block of "
                      f"{_plural(frequency)}; those columns are not read (and not given to another period)")
            for sub_col in (c for c in sub_cols if start <= c <= end):
                sheet.mark(sub_row, sub_col, "header")
            continue
        if how:
            _find(sheet, label_row, label_col, "info", "quarter_label_read",
                  f"the label is read as {span.label} ({how})")
        group = _Group(span, _group_label(text, span, how), sheet.address(label_row, label_col))
        for sub_col in (c for c in sub_cols if start <= c <= end):
            part = _subheader(sheet.text(sub_row, sub_col))
            sheet.mark(sub_row, sub_col, "header")
            if getattr(group, part) is not None:
                _find(sheet, sub_row, sub_col, "warning", "repeated_heading",
                      f"a second {sheet.text(sub_row, sub_col)!r} heading in the {group.label} columns; the first "
                      f"({sheet.address(sub_row, getattr(group, part))}) is read, this column is not")
                continue
            setattr(group, part, sub_col)
        _find_missing_parts(sheet, group, label_row, label_col)
        groups.append(group)
    return groups


# the column words a heading may carry beside its period, longest first ("rag status" before "status")
_COLUMN_WORDS = ("rag status", "rag rating", "performance", "outturn", "target", "actual", "status", "rag")
_SEPARATORS = " -\u2013:"


def combined_heading(text: str) -> tuple[Span, str] | None:
    """The period and the column a heading names at once, or None.

    >>> span, part = combined_heading("Q1 2016/17 Target")
    >>> span.label, part
    ('Q1 2016/17', 'target')
    >>> combined_heading("Actual 2016/17")[1], combined_heading("Target") is None
    ('actual', True)
    """
    text = " ".join(text.split())
    lowered = text.lower()
    for word in _COLUMN_WORDS:  # by position, not a pattern: linear in the text however long and odd
        before, after = lowered[: -len(word)], lowered[len(word):]
        if lowered.endswith(word) and before and before[-1] in _SEPARATORS:
            period = text[: -len(word)].rstrip(_SEPARATORS)
        elif lowered.startswith(word) and after and after[0] in _SEPARATORS:
            period = text[len(word):].lstrip(_SEPARATORS)
        else:
            continue
        span, _ = _period_of(period) if period else (None, "")
        return (span, _subheader(word)) if span is not None else None
    return None


def _combined_headings(sheet: Grid, row: int, cols: list[int]) -> dict[int, tuple[Span, str]]:
    """The cells of a heading row that name a period and a column at once ("Q1 2016/17 Target",
    "Actual 2016/17", "Q2 2016/17 - RAG"): column -> (period, "target" | "actual" | "rag")."""
    return {col: head for col in cols if (head := combined_heading(sheet.text(row, col))) is not None}


def _combined_groups(sheet: Grid, row: int, heads: dict[int, tuple[Span, str]]) -> list[_Group]:
    """The groups of a one-row heading: the columns of each period, in the order the periods first appear."""
    frequency = _block_frequency([span for span, _ in heads.values()])
    groups: dict[Span, _Group] = {}
    for col, (span, part) in sorted(heads.items()):
        sheet.mark(row, col, "header")
        if _of_another_frequency(sheet, row, col, span, frequency):
            continue
        group = groups.setdefault(span, _Group(span, span.label, sheet.address(row, col)))
        if getattr(group, part) is not None:
            _find(sheet, row, col, "warning", "repeated_heading",
                  f"a second {part} heading for {span.label}; the first ({sheet.address(row, getattr(group, part))}) "
                  "is read, this column is not")
            continue
        setattr(group, part, col)
    for group in groups.values():
        _find_missing_parts(sheet, group, row, min(c for c in (group.target, group.actual, group.rag) if c))
    return list(groups.values())


def _figure_groups(sheet: Grid, row: int, labels: list[tuple[int, str]]) -> list[_Group]:
    """One group per period label, its column holding the figure (the actual): a table of past years."""
    periods = {col: _label_period(sheet, row, col) for col, _ in labels}
    frequency = _block_frequency([span for span, _ in periods.values()])
    groups = []
    for col, text in labels:
        span, how = periods[col]
        sheet.mark(row, col, "header")
        if _of_another_frequency(sheet, row, col, span, frequency):
            continue
        groups.append(_Group(span, _group_label(text, span, how), sheet.address(row, col), actual=col))
    return groups


def _of_another_frequency(sheet: Grid, row: int, col: int, span: Span, frequency: str | None) -> bool:
    """Whether a one-row heading names a period of another frequency than its row's (then listed, not read)."""
    if span.frequency == frequency:
        return False
    _find(sheet, row, col, "warning", "mixed_frequencies",
          f"the heading names a {span.frequency} ({span.label}) in a row of {_plural(frequency)}; "
          "its column is not read (and not given to another period)")
    return True


def _group_label(text: str, span: Span, how: str) -> str:
    """A group's period label: a quarter as the council printed it, anything else (or a quarter read another
    way, "Jul-Sep 2016") as the period's own label."""
    return text if span.frequency == QUARTER and not how else span.label


def _find_missing_parts(sheet: Grid, group: _Group, row: int, col: int) -> None:
    """A finding at the group's label for each of Target, Actual and RAG Status it has no column for."""
    for part, heading in (("target", "Target"), ("actual", "Actual"), ("rag", "RAG Status")):
        if getattr(group, part) is None:
            _find(sheet, row, col, "warning", f"missing_{part}_column",
                  f"the {group.label} columns have no '{heading}' heading; its values are left empty")


def _block_frequency(spans: list[Span]) -> str | None:
    """The frequency of a header block: that of most of its labels (of the first label, on a tie)."""
    counts = Counter(span.frequency for span in spans)
    if not counts:
        return None
    most = max(counts.values())
    return next(span.frequency for span in spans if counts[span.frequency] == most)


def _plural(frequency: str | None) -> str:
    return {"month": "months", "quarter": "quarters", "financial year": "financial years",
            "calendar year": "calendar years"}.get(frequency or "", str(frequency))


def _group_starts(sheet: Grid, sub_row: int, labels: list[int], sub_cols: list[int]) -> list[int]:
    """Where each label's group begins: at its own column, or, when every label sits the same number of
    columns into a run of headings (a label typed over the middle column), that many columns before."""
    if not sub_cols or not labels:
        return labels
    offset = labels[0] - sub_cols[0]
    first_part = _subheader(sheet.text(sub_row, sub_cols[0]))
    if offset > 0 and all(c - offset in sub_cols and _subheader(sheet.text(sub_row, c - offset)) == first_part
                          for c in labels):
        return [c - offset for c in labels]
    return labels


def _subheader(text: str) -> str | None:
    text = text.strip()
    if LAYOUT.target_header.match(text):
        return "target"
    if LAYOUT.actual_header.match(text):
        return "actual"
    if LAYOUT.rag_header.match(text):
        return "rag"
    return None


def _measure_columns(sheet: Grid, row: int, polarity_col: int, first_col: int = 1) -> list[int]:
    header = [c for c in sheet.cols(row) if first_col <= c < polarity_col
              and LAYOUT.measure_header.match(sheet.text(row, c))]
    start = min(header) if header else min(
        [c for _, c in sheet.cells if first_col <= c < polarity_col] or [polarity_col - 1])
    return list(range(max(start, first_col), polarity_col))


# ---------------------------------------------------------------------------
# Reading the rows under a header block
# ---------------------------------------------------------------------------


def _is_footnote(sheet: Grid, row: int, cols: list[int]) -> bool:
    return bool(cols) and bool(LAYOUT.footnote.match(sheet.text(row, min(cols))))


def _value_cols(block: _Block) -> list[tuple[_Group, str, int]]:
    return [(g, part, getattr(g, part)) for g in block.groups for part in ("target", "actual", "rag")
            if getattr(g, part) is not None]


def _read_block_rows(sheet: Grid, block: _Block, end_row: int, next_block: _Block | None,
                     observations: list[dict], notes: list[dict], theme: str) -> None:
    value_cols = _value_cols(block)
    known_cols = set(block.name_cols) | {c for _, _, c in value_cols}
    current: list[dict] | None = None  # observation rows of the measure being read
    trailing_titles: list[tuple[int, int, str]] = []
    for row in range(block.sub_row + 1, end_row + 1):
        cols = block.cols(sheet, row)
        if not cols:
            continue
        if _is_footnote(sheet, row, cols):
            for c in cols:
                sheet.mark(row, c, "footnote")
                notes.append({"source": sheet.source, "sheet": sheet.name, "cell": sheet.address(row, c),
                              "text": sheet.text(row, c)})
            trailing_titles = []
            continue
        measure_text = " ".join([text for text in (sheet.text(row, c) for c in block.measure_cols) if text])
        values_present = [c for c in cols if c in known_cols and c not in block.measure_cols]
        if measure_text and values_present:
            current = _read_measure_row(sheet, block, row, measure_text, observations, theme)
            trailing_titles = []
        elif measure_text:
            # A lone text row: a title of the next block if nothing but blanks, footnotes or
            # other titles follow before it; otherwise a row we do not understand.
            trailing_titles.append((row, min(cols), measure_text))
        elif current is not None:
            _read_qualifier_row(sheet, block, row, current)
        else:
            for c in cols:
                _find(sheet, row, c, "warning", "row_not_understood",
                           "a row under the header with no measure name; its cells are not read")
        for c in cols:
            if c not in known_cols:
                _find(sheet, row, c, "warning", "cell_outside_table",
                           "a cell outside the table's columns; it is not read")
    for row, col, _ in trailing_titles:
        if next_block is None:
            _find(sheet, row, col, "warning", "row_not_understood",
                       "a text row under the table that is not a measure, a note or a title")
        else:
            for c in block.cols(sheet, row):
                sheet.mark(row, c, "title")
    if next_block is not None:
        next_block.titles = trailing_titles


def _read_measure_row(sheet: Grid, block: _Block, row: int, measure_text: str,
                      observations: list[dict], theme: str) -> list[dict]:
    match = LAYOUT.measure_ref.match(measure_text)
    ref, name = (match.group(1), match.group(2).strip()) if match else ("", measure_text)
    for c in block.measure_cols:
        sheet.mark(row, c, "measure")
    name_col = next((c for c in block.measure_cols if sheet.text(row, c)), block.measure_cols[0])
    polarity = None
    if block.polarity_col is not None:  # a table without the column has one finding, at its heading
        polarity_text = sheet.text(row, block.polarity_col)
        polarity = _POLARITY.get(" ".join(polarity_text.lower().split()))
        if polarity_text and polarity is None:
            raise sheet.error(f"'Good =' value {polarity_text!r} is not Higher, Lower or In range (or another "
                              f"word for them: {', '.join(sorted(_POLARITY))})",
                              row, block.polarity_col)
        if not polarity_text:
            _find(sheet, row, block.polarity_col, "warning", "missing_polarity",
                  f"measure {name!r} has no 'Good =' value; its RAG cannot be checked")
        sheet.mark(row, block.polarity_col, "polarity")
    measure = {"source": sheet.source, "sheet": sheet.name, "theme": theme, "measure_ref": ref,
               "measure": name, "measure_id": measure_slug(name), "polarity": polarity,
               "cell_measure": sheet.ref(row, name_col)}
    where = {"measure_cols": block.measure_cols, "polarity_col": block.polarity_col,
             "row_fill": _row_fill(sheet, row, block.name_cols)}
    rows = [_observation(sheet, group, row, measure, where) for group in block.groups]
    observations.extend(rows)
    return rows


def _cell(sheet: Grid, row: int, col: int | None) -> tuple[str, Parsed, object]:
    """A value cell's text, what it means, and its record.

    A number whose number format shows only text for it (a zero section of ``"-"``, or an empty,
    hidden section such as ``;;;``) is the number it holds, never "not reported": it is read as
    stored and the cell is listed.
    """
    text = sheet.text(row, col)
    record = sheet.record(row, col)
    if record is not None and record.kind == "number":
        shown = format_section(record.value, record.number_format)
        if shown in ("number", "general") and parse_value(text).kind == "unparsed" \
                and parse_value(display_text(record.value)).kind == "number" \
                and format_scale(record.value, record.number_format) in (1.0, 100.0):
            # "(3.5)", "7.49E+00", "12 mins": what the format shows is not in the value grammar;
            # the stored number, scaled as the format scales it, is the value
            scale = format_scale(record.value, record.number_format)
            value = float(f"{float(record.value) * scale:.12g}")
            _find(sheet, row, col, "info", "number_shown_as_text",
                  f"the cell holds {display_text(record.value)} but its number format ({record.number_format!r}) "
                  f"shows {text!r}; read as {value:g}")
            return text, Parsed("number", "stored_number", value=value, low=value, high=value,
                                unit="%" if scale == 100.0 else ""), record
        parsed = parse_value(text)
        try:
            stored = float(record.value)
        except OverflowError:  # an integer beyond any double: what it shows is listed as out of range
            return text, parsed, record
        if shown == "number" and parsed.kind == "number" and format_scale(stored, record.number_format) < 1:
            # shown in thousands or millions by the format's commas ("0.0,,"m"" shows 1 as "0.0m"):
            # the stored number is the figure, exactly
            value = float(f"{stored:.12g}")
            return text, Parsed("number", "stored_number", value=value, low=value, high=value,
                                unit=parsed.unit), record
        if shown == "number" and parsed.kind == "number" and stored < 0 < parsed.value:
            # a section that prints negatives without their minus ("0;0", a condition's "else" section)
            value = float(f"{stored * format_scale(stored, record.number_format):.12g}")
            _find(sheet, row, col, "warning", "number_shown_as_text",
                  f"the cell holds {display_text(record.value)} but its number format ({record.number_format!r}) "
                  f"shows {text!r}, without its minus sign; read as {value:g}")
            return text, Parsed("number", "stored_number", value=value, low=value, high=value,
                                unit=parsed.unit), record
        if shown in ("hidden", "text"):
            stored = display_text(record.value)
            parsed = parse_value(stored)
            if shown == "hidden":
                _find(sheet, row, col, "warning", "value_hidden_by_format",
                      f"the cell holds {stored} but its number format ({record.number_format!r}) hides it; "
                      f"read as {stored}")
                return stored, parsed, record
            _find(sheet, row, col, "info", "number_shown_as_text",
                  f"the cell holds {stored} but its number format ({record.number_format!r}) shows {text!r}; "
                  f"read as {stored}")
            return text, parsed, record
    return text, parse_value(text), record


def _precise(parsed: Parsed, record) -> float:
    """Prefer the stored number over its displayed rounding ("7.49%" shown for 0.074912).

    The stored number is scaled as its number format scales it: by 100 only when the format's
    ``%`` is a code (``0.00%``), not literal text (``0.00"%"``, ``0.0\\%``).
    """
    if record is None or record.kind != "number" or parsed.kind != "number" or parsed.rule not in (
            "number", "duration"):
        return parsed.value
    stored = float(record.value)
    if parsed.unit == "s":
        return float(f"{stored * 86400.0:.12g}")
    scale = format_scale(stored, record.number_format)
    if parsed.unit == "%" and scale == 100.0:
        return float(f"{stored * scale:.12g}")
    # the text of a number cell is always the format's rendering of the stored number: the stored one
    # is the figure ("2" shown for 1.5 under "0" is 1.5)
    return float(f"{stored:.12g}")


# A measure of time: its "3m" is three minutes, not three million.
_TIME_MEASURE = re.compile(r"\b(?:minutes?|mins?|seconds?|secs?|hours?|hrs?|duration|"
                           r"(?:waiting|response|answer(?:ing)?|average|call) times?|time (?:to|taken))\b",
                           re.IGNORECASE)


def _in_measure_units(sheet: Grid, row: int, col: int | None, parsed: Parsed, measure: dict) -> Parsed:
    """A value in the units its measure is about: "3m" in a measure of minutes is 180 seconds."""
    if not parsed.rule.startswith("number_") or not _TIME_MEASURE.search(measure["measure"]):
        return parsed
    if parsed.rule != "number_m":
        _find(sheet, row, col, "warning", "unit_does_not_fit_measure",
              f"a scale word ({parsed.rule.removeprefix('number_')}) in a measure of time; its number is left empty")
        return Parsed("unparsed", "unit_does_not_fit_measure", note=sheet.text(row, col))
    seconds = parsed.value / 1e6 * 60
    _find(sheet, row, col, "info", "minutes_from_m",
          f"'m' read as minutes ({seconds:g} seconds), as the measure is about time, not as millions")
    return Parsed("number", "minutes", value=seconds, low=seconds, high=seconds, unit="s")


def _observation(sheet: Grid, group: _Group, row: int, measure: dict, where: dict | None = None) -> dict:
    """One measure x period: the measure's own fields plus what the group's three cells say."""
    polarity = measure["polarity"]
    notes: list[str] = []
    target_text, target, target_record = _cell(sheet, row, group.target)
    actual_text, actual, actual_record = _cell(sheet, row, group.actual)
    rag_text, rag_parsed, rag_record = _cell(sheet, row, group.rag)
    target = _in_measure_units(sheet, row, group.target, target, measure)
    actual = _in_measure_units(sheet, row, group.actual, actual, measure)

    # target
    kind = _TARGET_KIND.get(target.kind, "none")
    target_value = _precise(target, target_record)
    low, high = (target_value, target_value) if target.kind in ("number", "annual") else (target.low, target.high)
    point = target_value if target.kind in ("number", "annual") else math.nan
    if target.kind in ("status", "note", "no_target", "period"):
        notes.append(target.note)
    _mark_value(sheet, row, group.target, "target", target)

    # actual
    actual_value = _precise(actual, actual_record) if actual.kind == "number" else math.nan
    if actual.kind in ("status", "note", "no_target", "period"):
        notes.append(actual.note)
    _mark_value(sheet, row, group.actual, "actual", actual)

    # reported RAG: text wins; the fill is read when there is no code in the text
    rag, rag_source = None, None
    if rag_parsed.kind == "rag":
        rag, rag_source = rag_parsed.note, "text"
    elif rag_parsed.kind in ("status", "note", "no_target", "missing", "period"):
        if rag_parsed.note:
            notes.append(rag_parsed.note)
    fill_code = rag_codes.code_from_fill(rag_record.fill) if rag_record is not None else None
    if fill_code and where and where["row_fill"] == rag_record.fill:
        if rag is None:
            _find(sheet, row, group.rag, "info", "row_fill_not_rag",
                  f"the whole row is filled {rag_record.fill}; a highlighted row is formatting, not a RAG status")
        fill_code = None
    elif rag is None and not fill_code and rag_record is not None and _unknown_colour(rag_record.fill):
        _find(sheet, row, group.rag, "warning", "fill_not_a_rag",
              f"the RAG cell is filled {rag_record.fill}, which is not a red, amber or green; no RAG is read")
    if fill_code and polarity == "in_range" and rag_codes.colour_group(fill_code) == "green":
        fill_code = "G"
    if rag is None and fill_code:
        rag, rag_source = fill_code, "fill"
        sheet.mark(row, group.rag, "rag")
    elif rag and fill_code and _fill_disagrees(rag, fill_code):
        _find(sheet, row, group.rag, "warning", "rag_text_fill_conflict",
                   f"the cell says {rag} but is coloured as {fill_code}; the text is used")
    _mark_value(sheet, row, group.rag, "rag", rag_parsed)

    unit = target.unit or actual.unit
    return {
        **measure, **group.period_columns, "period_label": group.label,
        "target": point, "target_low": low, "target_high": high,
        "target_kind": kind, "actual": actual_value, "numerator": actual.numerator,
        "denominator": actual.denominator, "rank": actual.rank, "secondary": actual.secondary,
        "unit": unit, "rag": rag, "rag_source": rag_source,
        "status_note": "; ".join(notes) if notes else None, "period_covered": None,
        "target_text": target_text, "actual_text": actual_text, "rag_text": rag_text,
        "cell_target": sheet.ref(row, group.target), "cell_actual": sheet.ref(row, group.actual),
        "cell_rag": sheet.ref(row, group.rag),
    }


def _row_fill(sheet: Grid, row: int, cols: tuple[int, ...]) -> str | None:
    """The fill shared by the measure's name and 'Good =' cells (a highlighted row), else None.

    A RAG cell filled the same is the row's highlight, not a RAG status.
    """
    fills = {getattr(sheet.record(row, col), "fill", None) for col in cols}
    return fills.pop() if len(fills) == 1 else None


def _unknown_colour(fill: str) -> bool:
    """A fill that is a colour (not white, black or grey) but none of the RAG colours (BRAG blue, purple)."""
    if len(fill or "") != 6:
        return False
    try:
        red, green, blue = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return max(red, green, blue) - min(red, green, blue) > 40


def _fill_disagrees(code: str, fill_code: str) -> bool:
    """Three-level codes (G, R) only say the colour; five-level codes must match exactly."""
    if code in ("G", "R"):
        return rag_codes.colour_group(code) != rag_codes.colour_group(fill_code)
    return code != fill_code


def _mark_value(sheet: Grid, row: int, col: int | None, role: str, parsed: Parsed) -> None:
    if col is None or (row, col) not in sheet.content:
        return
    if parsed.rule == "unit_does_not_fit_measure":
        sheet.mark(row, col, "unparsed")
    elif parsed.kind == "unparsed" or (role != "rag" and parsed.kind == "rag") or (
            role == "rag" and parsed.kind not in ("rag", "status", "note", "no_target", "missing", "period")):
        why = ("is a number beyond what Excel can hold" if parsed.rule == "out_of_range" else "is not understood")
        _find(sheet, row, col, "warning", "unparsed_value",
                   f"the {role} text {why}; kept as text, its number is left empty")
        sheet.mark(row, col, "unparsed")
    else:
        sheet.mark(row, col, role)


def _read_qualifier_row(sheet: Grid, block: _Block, row: int, current: list[dict]) -> None:
    """A row under a measure with no name: period covered, notes, or a RAG on its own line."""
    by_group = dict(zip((g.label for g in block.groups), current, strict=True))
    for group, part, col in _value_cols(block):
        text = sheet.text(row, col)
        if not text:
            continue
        parsed = parse_value(text)
        observation = by_group[group.label]
        if parsed.kind == "period":
            observation["period_covered"] = parsed.note
        elif parsed.kind in ("status", "note", "no_target"):
            observation["status_note"] = "; ".join(filter(None, [observation["status_note"], parsed.note]))
        elif part == "rag" and parsed.kind == "rag" and observation["rag"] is None:
            observation.update(rag=parsed.note, rag_source="text", rag_text=text,
                               cell_rag=sheet.ref(row, col))
        else:
            _find(sheet, row, col, "warning", "unparsed_value",
                       "text on the line under a measure that is not a period, note or status; not read")
            sheet.mark(row, col, "unparsed")
            continue
        sheet.mark(row, col, "qualifier")


# ---------------------------------------------------------------------------
# Whole sheets and workbooks
# ---------------------------------------------------------------------------


def _read_sheet(sheet: Grid, observations: list[dict], notes: list[dict]) -> bool:
    blocks = _find_blocks(sheet)
    if not blocks:
        return False
    for i, block in enumerate(blocks):
        if not any(_beside_or_above(other, block) for other in blocks[:i]):
            # the first table of its columns: the rows above it in those columns are its titles
            block.titles = [(r, min(cols), " ".join(sheet.text(r, c) for c in cols))
                            for r in range(1, block.first_row) if (cols := block.cols(sheet, r))]
            for r, _, _ in block.titles:
                for c in block.cols(sheet, r):
                    sheet.mark(r, c, "title")
    theme = {}
    for i, block in enumerate(blocks):
        # a table's theme is its title, else that of the table above it in its columns, else the sheet's name
        above = next((other for other in reversed(blocks[:i]) if _beside_or_above(other, block)), None)
        theme[i] = block.titles[0][2] if block.titles else theme[blocks.index(above)] if above else sheet.name
        following = next((other for other in blocks[i + 1:] if _beside_or_above(block, other)), None)
        end_row = following.first_row - 1 if following else sheet.last_row
        _read_block_rows(sheet, block, end_row, following, observations, notes, theme[i])
    return True


def _beside_or_above(upper: _Block, lower: _Block) -> bool:
    """Whether ``upper`` is a table above ``lower`` sharing some of its columns (so ``lower`` ends ``upper``)."""
    return upper.first_row < lower.first_row and upper.first_col <= lower.last_col \
        and lower.first_col <= upper.last_col


def _check_sheet_extras(sheet: Grid) -> None:
    measure_rows = sorted({row for (row, _), role in sheet.roles.items() if role == "measure"})
    for rng in sheet.merged:
        try:
            first_col, first_row, last_col, last_row = range_boundaries(rng)
        except (TypeError, ValueError):
            raise sheet.error(f"the merged range {rng!r} is not a valid range of cells") from None
        if None in (first_col, first_row, last_col, last_row):
            raise sheet.error(f"the merged range {rng!r} is not a valid range of cells")
        min_col, max_col = sorted((first_col, last_col))  # "E4:C4" is C4:E4
        min_row, max_row = sorted((first_row, last_row))
        # a measure row inside the range, found by bisection: a hostile sheet merges A1:XFD1048576 many times
        first_measure_row = bisect.bisect_left(measure_rows, min_row)
        crosses_data = first_measure_row < len(measure_rows) and measure_rows[first_measure_row] <= max_row
        if crosses_data and (max_col > min_col or max_row > min_row):
            _find(sheet, min_row, min_col, "warning", "merged_cells_in_data",
                       f"cells {rng} are merged across the data area; the value is read from "
                       f"{sheet.address(min_row, min_col)} only")
    for note in sheet.notes:
        sheet.find("", "info", "conditional_format_not_evaluated", note)
    listed = {f["cell"] for f in sheet.findings}
    blanks = sorted(key for key, cell in sheet.cells.items() if cell.kind == "blank")
    for row, col in blanks:
        cell = sheet.cells[(row, col)]
        if (row, col) not in sheet.roles and sheet.address(row, col) not in listed \
                and rag_codes.code_from_fill(cell.fill):
            sheet.find(sheet.address(row, col), "info", "fill_outside_table",
                       f"a blank cell coloured {cell.fill} (a RAG colour) where no RAG status is read; not read")
    for row, col in sheet.unmarked():
        if sheet.address(row, col) not in listed:
            _find(sheet, row, col, "warning", "cell_not_read", "a cell the reader did not attribute to the table")


@gc_paused()
def read_scorecard(path: str | Path, sheets: list[str] | None = None) -> ScorecardRead:
    """Read a scorecard workbook: the tidy frame, its findings, each cell's role and the footnotes.

    ``.frame`` is the tidy scorecard frame (one row per measure x quarter; columns
    :data:`FRAME_COLUMNS`, documented in the README). ``.findings`` lists every cell the reader
    could not understand or attribute, with its address (columns
    :data:`harrowperf.foundation.findings.FINDING_COLUMNS`). ``.layout`` gives each non-empty
    cell's role (:data:`LAYOUT_COLUMNS`) and ``.notes`` the footnotes under the tables.

    Sheets with no scorecard table are skipped (and listed) when ``sheets`` is None; a sheet you name
    that has no table, or a workbook with no table at all, raises :class:`ScorecardError`.

    >>> scorecard = read_scorecard("data/raw/scorecards/corporate_scorecard_2016-17_q2.xlsx")  # doctest: +SKIP
    >>> scorecard.frame, scorecard.findings  # doctest: +SKIP
    """
    path = Path(path)
    observations: list[dict] = []
    notes: list[dict] = []
    findings: list[dict] = []
    layout_rows: list[tuple] = []
    lock = path.with_name(f"~${path.name}")
    if lock.exists():
        findings.append({"source": path.name, "sheet": "", "cell": "", "severity": "warning",
                         "issue": "workbook_open_in_excel", "text": lock.name,
                         "message": "the workbook seems to be open in Excel (lock file present); "
                                    "it was read as last saved"})
    found_any = False
    hidden: list[str] = []
    source = path.name
    for sheet_cells in read_sheets(path, sheets):
        sheet = _sheet(source, sheet_cells)
        if _read_sheet(sheet, observations, notes):
            found_any = True
            _check_sheet_extras(sheet)
            if sheet_cells.hidden:
                hidden.append(sheet.name)
                findings.append({"source": path.name, "sheet": sheet.name, "cell": "", "severity": "warning",
                                 "issue": "hidden_sheet", "text": "",
                                 "message": "this sheet is hidden in Excel; its table was read, but its "
                                            "values never replace those of a visible sheet"})
        elif sheets is not None:
            raise ScorecardError("no scorecard header block (a 'Good =' cell with quarter labels and "
                                 "'Target | Actual | RAG Status' under them) on this sheet",
                                 file=path.name, sheet=sheet.name)
        elif sheet.cells:
            findings.append({"source": path.name, "sheet": sheet.name, "cell": "", "severity": "info",
                             "issue": "sheet_skipped", "text": "",
                             "message": "no scorecard table on this sheet; skipped"})
        findings.extend(sheet.findings)
        for (row, col), role in sheet.roles.items():
            layout_rows.append((source, sheet.name, sheet.address(row, col), row, col, role,
                                sheet.raw(row, col)))
    if not found_any:
        raise ScorecardError("no scorecard header block (a 'Good =' cell with quarter labels and "
                             "'Target | Actual | RAG Status' under them) on any sheet", file=path.name)
    frame = _to_frame(observations)
    _find_duplicates(frame, findings)
    return ScorecardRead(
        frame=frame,
        findings=findings_table(findings),
        layout=pd.DataFrame(layout_rows, columns=LAYOUT_COLUMNS),
        notes=pd.DataFrame(notes, columns=["source", "sheet", "cell", "text"]),
        hidden_sheets=tuple(hidden),
    )


def _find_duplicates(frame: pd.DataFrame, findings: list[dict]) -> None:
    duplicated = frame[frame.duplicated(["source", "sheet", "measure_id", "frequency", "period_start"],
                                        keep="first")]
    for _, row in duplicated.iterrows():
        findings.append({"source": row["source"], "sheet": row["sheet"],
                         "cell": str(row["cell_actual"]).split("!")[-1], "severity": "warning",
                         "issue": "duplicate_measure", "text": row["measure"],
                         "message": f"measure {row['measure']!r} appears more than once for "
                                    f"{row['period_label']}; both rows are kept"})


def _infer_units(frame: pd.DataFrame) -> pd.Series:
    """One unit per measure: from its values ("%", seconds, £, rank) or its name, else count or ""."""
    if frame.empty:
        return frame["unit"]
    # one grouping for every flag: the keys are factorised once
    in_measure = pd.DataFrame({
        "%": frame["unit"].eq("%"), "s": frame["unit"].eq("s"), "£": frame["unit"].eq("£"),
        "rank": frame["unit"].eq("rank"), "actual": frame["actual"].notna(),
    }).groupby([frame["source"], frame["sheet"], frame["measure_id"]], sort=False).transform("any")
    name = frame["measure"].str.lower()
    rules = [
        ("%", in_measure["%"] | name.str.contains(UNIT_NAME_PATTERNS["%"])),
        ("s", in_measure["s"]),
        ("£", in_measure["£"]),
        ("ratio", frame["polarity"].eq("in_range")),
        ("count", name.str.contains(UNIT_NAME_PATTERNS["count"])),
        ("rank", in_measure["rank"] & ~in_measure["actual"]),
    ]
    return pd.Series(np.select([flags.to_numpy(bool) for _, flags in rules], [unit for unit, _ in rules],
                               default=""), index=frame.index)


def _to_frame(observations: list[dict]) -> pd.DataFrame:
    # column by column: several times faster than pandas' list-of-dicts constructor for 10,000s of rows
    # (every observation has every column: _observation makes them all)
    columns = zip(*map(itemgetter(*FRAME_COLUMNS), observations), strict=True) if observations else \
        ([] for _ in FRAME_COLUMNS)
    frame = pd.DataFrame(dict(zip(FRAME_COLUMNS, map(list, columns), strict=True)), columns=FRAME_COLUMNS)
    frame["period"] = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ) if len(frame) else \
        pd.Series([], dtype=f"period[{QUARTER_FREQ}]")
    for column in ("target", "target_low", "target_high", "actual", "numerator", "denominator", "rank",
                   "secondary"):
        frame[column] = frame[column].astype("float64")
    frame["unit"] = _infer_units(frame)
    return with_period_columns(frame)


__all__ = ["FRAME_COLUMNS", "LAYOUT", "LAYOUT_COLUMNS", "ScorecardRead", "measure_slug", "read_scorecard"]


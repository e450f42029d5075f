"""Build small scorecard workbooks with openpyxl for tests (synthetic layouts, not real figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

MEASURE_HEADER = "Measure (Annual measures are shown only in the quarter in which they report)"


def header_rows(quarters: list[str], measure_cols: int = 1, parts=("Target", "Actual", "RAG Status")):
    """The council's two-row header: quarter labels over Target | Actual | RAG Status."""
    first = [MEASURE_HEADER] + [None] * (measure_cols - 1) + ["Good ="]
    second = [None] * (measure_cols + 1)
    for quarter in quarters:
        first += [quarter] + [None] * (len(parts) - 1)
        second += list(parts)
    return [first, second]


def write_sheet(sheet, rows: list[list[Any]], fills: dict[str, str] | None = None,
                formats: dict[str, str] | None = None) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    for address, colour in (fills or {}).items():
        sheet[address].fill = PatternFill("solid", fgColor=colour)
    for address, number_format in (formats or {}).items():
        sheet[address].number_format = number_format


def build(path: Path, sheets: dict[str, list[list[Any]]], fills=None, formats=None) -> Path:
    """Write a workbook with one sheet per entry; ``fills``/``formats`` map sheet -> {address: value}."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        write_sheet(sheet, rows, (fills or {}).get(name), (formats or {}).get(name))
    workbook.save(path)
    return path


def simple_scorecard(path: Path, measures: list[list[Any]] | None = None,
                     quarters=("Q1 2016/17", "Q2 2016/17"), title="Be more business-like") -> Path:
    rows = [[title], ["Corporate Scorecard 2016/17"], [], *header_rows(list(quarters))]
    rows += measures or [
        ["1 Reduction in vacancy rates", "Lower", "9.25%", "4.94%", "HG", "9.25%", "7.08%", "HG"],
        ["3 % of contract spend placed locally", "Higher", "13-15%", "14%", "G", "13-15%", "12%", "LR"],
    ]
    return build(path, {"Business": rows})


# --- many quarters: one workbook per quarter, each repeating the quarter before and the same quarter last year


def quarter_labels(first: str, count: int) -> list[str]:
    """``count`` consecutive quarter labels from ``first`` ("Q1 2009/10")."""
    from harrowperf.foundation.periods import quarter_label, to_quarter

    start = to_quarter(first)
    return [quarter_label(start + i) for i in range(count)]


def quarterly_workbooks(folder: Path, quarters: list[str], measures: dict[str, dict[str, Any]],
                        value, rag, *, renames: dict[str, tuple[str, str]] | None = None,
                        starts: dict[str, str] | None = None, sheet: str = "Business",
                        blank_target=lambda name, quarter: False) -> list[Path]:
    """One SYNTHETIC scorecard workbook per quarter in the council's layout (made up in code).

    Each workbook shows the same quarter last year, the previous quarter and its own quarter.
    ``measures`` maps a name to {"polarity": "Higher"/"Lower", "target": number};
    ``value(name, shown_quarter, workbook_quarter)`` gives the actual (a late revision is a value
    that depends on the workbook) and ``rag(name, actual)`` its RAG text; ``blank_target(name, quarter)``
    leaves a target cell empty. ``renames`` maps a name
    to (new name, first workbook quarter printing it); ``starts`` a measure to its first workbook.
    """
    from harrowperf.foundation.periods import quarter_label, to_quarter

    folder.mkdir(parents=True, exist_ok=True)
    order = {label: number for number, label in enumerate(quarters)}
    paths = []
    for label in quarters:
        period = to_quarter(label)
        shown = [quarter_label(period - 4), quarter_label(period - 1), label]
        rows = [["Be more business-like"], [f"Corporate Scorecard {label}"], [], *header_rows(shown)]
        for number, (name, spec) in enumerate(measures.items(), start=1):
            if starts and name in starts and order[label] < order[starts[name]]:
                continue
            printed = name
            if renames and name in renames and order[label] >= order[renames[name][1]]:
                printed = renames[name][0]
            row: list[Any] = [f"{number} {printed}", spec["polarity"]]
            for quarter in shown:
                actual = value(name, quarter, label)
                row += [None if blank_target(name, quarter) else spec["target"], actual, rag(name, actual)]
            rows.append(row)
        paths.append(build(folder / f"corporate_scorecard_{label[3:].replace('/', '-')}_q{label[1]}.xlsx",
                           {sheet: rows}))
    return paths


def add_quarter_group(source: Path, target: Path, new_label: str) -> Path:
    """What an officer does each quarter: copy last quarter's workbook, copy its newest column group
    (Target | Actual | RAG Status) to the right as ``new_label``, save it under a new name.

    The new group's figures are the old group's (SYNTHETIC: made up in code, only in a test folder).
    """
    from copy import copy

    from openpyxl import load_workbook

    workbook = load_workbook(source)
    for sheet in workbook.worksheets:
        starts = [cell.row for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.strip().lower() == "good ="]
        for number, start in enumerate(starts):  # each header block: rows up to the next block
            end = starts[number + 1] - 1 if number + 1 < len(starts) else sheet.max_row
            last = max(cell.column for row in sheet.iter_rows(min_row=start, max_row=start + 2) for cell in row
                       if isinstance(cell.value, str) and cell.value.strip().lower() == "rag status")
            for row in sheet.iter_rows(min_row=start, max_row=end, min_col=last - 2, max_col=last):
                for cell in row:
                    new = sheet.cell(cell.row, cell.column + 3)
                    new.value = cell.value
                    if isinstance(new.value, str) and new.value.strip()[:1] == "Q" and "/" in new.value:
                        new.value = new_label
                    if cell.has_style:
                        new.font, new.fill, new.border = copy(cell.font), copy(cell.fill), copy(cell.border)
                        new.number_format, new.alignment = cell.number_format, copy(cell.alignment)
    workbook.save(target)
    return target

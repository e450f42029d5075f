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

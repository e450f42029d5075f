"""The scorecard written back as a formatted Excel workbook: computed RAG beside the reported one.

One sheet per theme laid out as the council's scorecard (a measure per row; per quarter Target,
Actual, the reported RAG, the computed RAG and the gap), RAG cells filled with the council's
colours (``conventions/rag.toml`` ``[colours]``), then the RAG check, the exception list, every
observation as a filterable table, and a sheet saying how the workbook was made. Headers are
frozen and column widths set. Every piece of text goes through
:func:`harrowperf.present.exports.neutralise_formula`, so a cell that begins with "=", "+", "-" or "@" is
never evaluated by Excel; the workbook holds no formulas at all.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from harrowperf import __version__, rag
from harrowperf.analyse.gaps import analyse_if_needed, exceptions, recent
from harrowperf.foundation.conventions import RagBands, settings, with_overrides
from harrowperf.foundation.errors import HarrowperfError
from harrowperf.foundation.periods import quarter_label
from harrowperf.present import words
from harrowperf.present.exports import neutralise_formula
from harrowperf.present.format import escape_markdown, share

HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FLAGGED = Border(left=Side(style="medium"), right=Side(style="medium"), top=Side(style="medium"),
                 bottom=Side(style="medium"))
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
QUARTER_COLUMNS = ["Target", "Actual", "RAG reported", "RAG computed", "Gap"]
PERCENT = "0.0%"

DATA_COLUMNS = {  # column of the analysed frame -> heading on the "All observations" sheet
    "theme": "Theme", "measure_ref": "No.", "measure": "Measure", "measure_id": "Measure id",
    "polarity": "Good =", "period_label": "Quarter", "target_text": "Target (as printed)",
    "actual_text": "Actual (as printed)", "target": "Target", "target_low": "Target from",
    "target_high": "Target to", "actual": "Actual", "unit": "Unit", "rag": "RAG reported",
    "rag_computed": "RAG computed", "rag_agrees": "RAG agrees", "rag_note": "Why no computed RAG",
    "gap_reference": "Compared with", "gap": "Gap (positive = better)", "gap_rel": "Gap, % of target",
    "on_target": "On target", "status_note": "Notes", "source": "Source file", "cell_target": "Target cell",
    "cell_actual": "Actual cell", "cell_rag": "RAG cell",
}


def write_if_asked(frame: pd.DataFrame, path: str | Path | None, quarter: str | pd.Period | None = None
                   ) -> words.Markdown:
    """For a report: write the workbook (:func:`write_scorecard`) when ``path`` is given, and say in a
    sentence what was done."""
    if not path:
        return words.Markdown("No workbook was requested.")
    written = write_scorecard(frame, path, quarter)
    return words.Markdown(f"The scorecard workbook was written to {escape_markdown(written.name)}.")


def write_scorecard(frame: pd.DataFrame, path: str | Path, quarter: str | pd.Period | None = None,
                    bands: dict[str, float] | None = None) -> Path:
    """Write the formatted scorecard workbook to ``path`` (replaced in one step; parents are created).

    ``frame`` is a scorecard frame, analysed by :func:`harrowperf.analyse.gaps.analyse` (analysed here if
    not). With ``quarter``, theme sheets show the quarters of :func:`harrowperf.analyse.gaps.recent` ending
    with it and an "Exceptions" sheet lists that quarter's exceptions; without it, every quarter is
    shown. ``bands`` are the RAG bands the frame was (or is to be) assessed with, as in
    :func:`harrowperf.analyse.rag.assess`; the "About" sheet states them. Returns the path written.
    Raises :class:`HarrowperfError` if the file cannot be written (for example when it is open in Excel).
    """
    data = analyse_if_needed(frame, bands)
    shown = recent(data, quarter, count=None) if quarter is not None else data
    if shown.empty:
        raise HarrowperfError("there are no observations to write")
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    for theme, rows in shown.groupby("theme", sort=False):
        _theme_sheet(book.create_sheet(_sheet_name(rows, str(theme), names)), rows, str(theme), bands)
    _check_sheet(book.create_sheet(_unique("RAG check", names)), data, bands)
    if quarter is not None:
        _table_sheet(book.create_sheet(_unique("Exceptions", names)), exceptions(data, quarter),
                     f"Exceptions, {quarter_label(pd.Period(shown['period'].max()))}")
    _data_sheet(book.create_sheet(_unique("All observations", names)), data)
    chosen = with_overrides(settings().rag.bands, bands, what="RAG band")
    _about_sheet(book.create_sheet(_unique("About", names)), data, chosen)
    book.properties.title = "Corporate scorecard with computed RAG"
    book.properties.creator = f"harrowperf {__version__}"
    return _save(book, Path(path))


# ---------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------


def _theme_sheet(sheet: Worksheet, rows: pd.DataFrame, theme: str, bands: dict[str, float] | None) -> None:
    periods = sorted(rows["period"].unique())
    _put(sheet, 1, 1, theme).font = TITLE
    _put(sheet, 2, 1, "Computed RAG beside the RAG reported; gap as a share of target (positive = better). "
                      "A thick border marks a computed RAG that differs; its comment says why.")
    header, sub = 4, 5
    for column, heading in enumerate(["No.", "Measure", "Good ="], start=1):
        _put(sheet, header, column, heading)
        sheet.merge_cells(start_row=header, start_column=column, end_row=sub, end_column=column)
    for index, period in enumerate(periods):
        first = 4 + index * len(QUARTER_COLUMNS)
        _put(sheet, header, first, quarter_label(period))
        sheet.merge_cells(start_row=header, start_column=first, end_row=header,
                          end_column=first + len(QUARTER_COLUMNS) - 1)
        for offset, heading in enumerate(QUARTER_COLUMNS):
            _put(sheet, sub, first + offset, heading)
    last_column = 3 + len(periods) * len(QUARTER_COLUMNS)
    for row in (header, sub):
        for column in range(1, last_column + 1):
            cell = sheet.cell(row, column)
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTRE, BOX

    explanations = _explanations(rows, bands)
    measures = rows.drop_duplicates("measure_id")[["measure_id", "measure_ref", "measure", "polarity"]]
    by_key = {(m, p): r for m, p, r in zip(rows["measure_id"], rows["period"],
                                             rows.itertuples(index=False), strict=True)}
    for line, measure in enumerate(measures.itertuples(index=False), start=sub + 1):
        for column in range(1, last_column + 1):
            sheet.cell(line, column).border = BOX
        _put(sheet, line, 1, measure.measure_ref)
        _put(sheet, line, 2, measure.measure).alignment = WRAP
        _put(sheet, line, 3, _polarity(measure.polarity))
        for index, period in enumerate(periods):
            observation = by_key.get((measure.measure_id, period))
            if observation is None:
                continue
            first = 4 + index * len(QUARTER_COLUMNS)
            _put(sheet, line, first, observation.target_text)
            _put(sheet, line, first + 1, observation.actual_text)
            _rag_cell(_put(sheet, line, first + 2, observation.rag), observation.rag)
            computed = _put(sheet, line, first + 3, observation.rag_computed)
            _rag_cell(computed, observation.rag_computed)
            why = explanations.get((measure.measure_id, period))
            if why:
                computed.border = FLAGGED
                computed.comment = Comment(str(neutralise_formula(why)), "harrowperf")
            elif _missing(observation.rag_computed) and isinstance(observation.rag_note, str):
                computed.comment = Comment(str(neutralise_formula(f"No computed RAG: {observation.rag_note}")),
                                           "harrowperf")
            gap = _put(sheet, line, first + 4, observation.gap_rel)
            gap.number_format = PERCENT
    widths = {1: 6, 2: 60, 3: 9}
    for index in range(len(periods)):
        first = 4 + index * len(QUARTER_COLUMNS)
        widths.update({first: 12, first + 1: 13, first + 2: 10, first + 3: 10, first + 4: 9})
    _widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(sub + 1, 4)


def _check_sheet(sheet: Worksheet, data: pd.DataFrame, bands: dict[str, float] | None) -> None:
    _put(sheet, 1, 1, "RAG check: the reported RAG against the RAG computed from target and actual").font = TITLE
    _put(sheet, 2, 1, words.rag_agreement(data)).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
    sheet.row_dimensions[2].height = 60
    table = rag.agreement(data, bands)
    differing = table[table["outcome"] != "exact"]
    columns = {"theme": "Theme", "measure_ref": "No.", "measure": "Measure", "period_label": "Quarter",
               "target_text": "Target", "actual_text": "Actual", "rag": "RAG reported",
               "rag_computed": "RAG computed", "outcome": "Outcome", "explanation_kind": "Explained by",
               "explanation": "Explanation", "cell_rag": "RAG cell"}
    _write_table(sheet, differing[list(columns)].rename(columns=columns), start_row=4)
    _widths(sheet, {1: 24, 2: 6, 3: 50, 4: 12, 5: 14, 6: 14, 7: 10, 8: 10, 9: 16, 10: 16, 11: 70, 12: 20})


def _table_sheet(sheet: Worksheet, table: pd.DataFrame, title: str) -> None:
    _put(sheet, 1, 1, title).font = TITLE
    if table.empty:
        _put(sheet, 3, 1, "No measure is an exception in this quarter.")
        return
    columns = {"theme": "Theme", "measure_ref": "No.", "measure": "Measure", "as_of": "Figure for",
               "target_text": "Target", "actual_text": "Actual", "gap": "Gap (positive = better)",
               "gap_unit": "Gap unit", "gap_rel": "Gap, % of target", "rag_status": "RAG",
               "rag": "RAG reported", "streak": "Quarters running in this colour",
               "previous_quarter": "Quarter before", "rag_previous": "RAG quarter before",
               "cell_actual": "Actual cell"}
    _write_table(sheet, table[list(columns)].rename(columns=columns), start_row=3)
    _widths(sheet, {1: 24, 2: 6, 3: 50, 4: 12, 5: 14, 6: 14, 7: 12, 8: 9, 9: 10, 10: 8, 11: 10, 12: 12, 13: 12,
                    14: 10, 15: 20})


def _data_sheet(sheet: Worksheet, data: pd.DataFrame) -> None:
    present = [c for c in DATA_COLUMNS if c in data.columns]
    table = data[present].rename(columns=DATA_COLUMNS)
    _write_table(sheet, table, start_row=1)
    widths = {i: 14 for i in range(1, len(present) + 1)}
    widths[present.index("measure") + 1] = 50
    _widths(sheet, widths)


def _about_sheet(sheet: Worksheet, data: pd.DataFrame, bands: RagBands) -> None:
    pct = {name: share(getattr(bands, name), 0) for name in ("hg_from", "lg_from", "amber_above", "lr_from")}
    lines = [
        ("About this workbook", TITLE),
        (f"Written by harrowperf {__version__} from: "
         f"{', '.join(sorted(data['source'].dropna().astype(str).unique()))}.", None),
        ("RAG reported is the status printed in the scorecard; RAG computed is the status the "
         "council's five-point scale gives from the target, the actual and whether higher or lower "
         "is better. d is the distance from target as a share of the target, positive when better:", None),
        (f"HG when d >= {pct['hg_from']}; LG when {pct['lg_from']} <= d < {pct['hg_from']}; "
         f"A when {pct['amber_above']} < d < {pct['lg_from']}; LR when {pct['lr_from']} <= d "
         f"<= {pct['amber_above']}; HR when d < {pct['lr_from']}. Inside a target range: G.", None),
        ("Rank ranges use the rank; 'Year on year reduction' compares with the same quarter a year "
         "earlier. No computed RAG where there is no target, a target of 0, no actual, or an annual "
         "target before Q4 (see the cell comment or 'Why no computed RAG').", None),
        ("Text that Excel could read as a formula is written with a leading apostrophe.", None),
        ("Codes and colours:", BOLD),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, text)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
    start = len(lines) + 1
    for offset, (code, entry) in enumerate(settings().rag.codes.items()):
        _rag_cell(_put(sheet, start + offset, 1, code), code)
        _put(sheet, start + offset, 2, entry.label)
    _widths(sheet, {1: 110, 2: 24})


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _put(sheet: Worksheet, row: int, column: int, value: object):
    """Write one value: text neutralised, missing values left empty, numpy scalars as Python values."""
    if _missing(value):
        value = None
    elif isinstance(value, str):
        value = neutralise_formula(value)
    elif hasattr(value, "item"):
        value = value.item()
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def _rag_cell(cell, code: object) -> None:
    colours = settings().rag.colours
    if isinstance(code, str) and code in colours:
        cell.fill = PatternFill("solid", fgColor=colours[code])
        cell.font = BOLD
    cell.alignment = CENTRE


def _write_table(sheet: Worksheet, table: pd.DataFrame, start_row: int) -> None:
    """A header row (bold, grey, frozen, filterable) then the rows; RAG columns filled."""
    rag_columns = {i for i, name in enumerate(table.columns, start=1) if str(name).startswith("RAG")}
    percent_columns = {i for i, name in enumerate(table.columns, start=1) if "% of target" in str(name)}
    for column, name in enumerate(table.columns, start=1):
        cell = _put(sheet, start_row, column, str(name))
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTRE, BOX
    for row_number, values in enumerate(table.itertuples(index=False), start=start_row + 1):
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row_number, column, value)
            if column in rag_columns:
                _rag_cell(cell, value)
            if column in percent_columns:
                cell.number_format = PERCENT
    last = get_column_letter(max(len(table.columns), 1))
    sheet.auto_filter.ref = f"A{start_row}:{last}{start_row + max(len(table), 1)}"
    sheet.freeze_panes = sheet.cell(start_row + 1, 1)


def _widths(sheet: Worksheet, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _polarity(value: object) -> str | None:
    return {"higher": "Higher", "lower": "Lower", "in_range": "In range"}.get(value) if isinstance(value, str) \
        else None


def _explanations(rows: pd.DataFrame, bands: dict[str, float] | None) -> dict[tuple[str, pd.Period], str]:
    """(measure_id, period) -> why the computed RAG differs from the reported one."""
    reported = rows[rows["rag"].notna()]
    if reported.empty:
        return {}
    table = rag.agreement(reported, bands)
    differing = (table["outcome"] != "exact").to_numpy()
    return {(m, p): f"{kind}: {text}" for m, p, kind, text, flag in zip(
        reported["measure_id"], reported["period"], table["explanation_kind"], table["explanation"], differing,
        strict=True) if flag}


_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(rows: pd.DataFrame, theme: str, taken: set[str]) -> str:
    sheets = rows["sheet"].dropna().astype(str)
    base = sheets.mode().iloc[0] if len(sheets) else theme
    return _unique(base, taken)


def _unique(name: str, taken: set[str]) -> str:
    """An Excel sheet name (no []:*?/\\, at most 31 characters) not yet used in the workbook."""
    base = _NOT_IN_SHEET_NAME.sub(" ", name).strip().strip("'")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _save(book: Workbook, path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".xlsx", dir=path.parent)
        os.close(handle)
        try:
            book.save(temporary)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    except OSError as exc:
        raise HarrowperfError(f"could not write the workbook ({exc.strerror or exc}); if it is open in "
                              "Excel, close it and run again", file=str(path)) from exc
    return path


__all__ = ["write_scorecard"]

"""An HTML view of a sheet coloured by what the reader understood (headers, measures, values, notes, problems)."""

from __future__ import annotations

import html
from pathlib import Path

from openpyxl.utils import get_column_letter

from harrowperf.foundation.conventions import settings
from harrowperf.read.cells import read_sheets
from harrowperf.read.scorecard import read_scorecard


class Preview:
    """HTML that notebooks display inline (``_repr_html_``) and that can be saved with :meth:`save`."""

    def __init__(self, markup: str) -> None:
        self.html = markup

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | Path) -> None:
        Path(path).write_text(f"<!doctype html><meta charset='utf-8'>{self.html}", "utf-8")


def preview(path: str | Path, sheet: str) -> Preview:
    """Render one sheet as an HTML table, each cell coloured by the role the reader gave it.

    Hover a cell to see its address, role and the reader's message; cells the reader could not
    understand are red, so an analyst sees at a glance what was and was not read. Long runs of empty
    rows or columns are one line saying which are empty, and very large sheets are cut after
    ``[preview] max_rows`` and ``max_columns`` (``conventions/reports.toml``), saying how much is left out.
    """
    options = settings().reports.preview  # colours, key and limits: conventions/reports.toml [preview]
    styles = options.roles
    scorecard = read_scorecard(path, [sheet])
    cells = read_sheets(path, [sheet])[0].cells
    roles = {row.cell: row.role for row in scorecard.layout.itertuples()}
    messages = {row.cell: row.message for row in scorecard.findings.itertuples() if row.cell}
    texts = {(int(r), int(c)): t for r, c, t in zip(cells["row"], cells["col"], cells["text"], strict=True)}
    fills = {(int(r), int(c)): f for r, c, f in zip(cells["row"], cells["col"], cells["fill"], strict=True)}
    rows, rows_left = _shown({r for r, _ in texts}, options.empty_run, options.max_rows)
    columns, columns_left = _shown({c for _, c in texts}, options.empty_run, options.max_columns)
    width = len(columns) + (columns_left > 0)
    out = ["<div class='harrowperf-preview' style='overflow:auto'>",
           f"<p><b>{html.escape(Path(path).name)}</b>, sheet <b>{html.escape(sheet)}</b></p>",
           "<p>" + " ".join(f"<span style='background:{style.colour};padding:1px 6px;margin-right:4px'>"
                            f"{html.escape(style.label)}</span>" for style in styles.values()) + "</p>",
           "<table style='border-collapse:collapse;font:12px sans-serif'>",
           "<tr><th></th>" + "".join(
               f"<th>{get_column_letter(col)}</th>" if isinstance(col, int) else
               f"<th title='columns {get_column_letter(col[0])} to {get_column_letter(col[1])} are empty'>"
               "&hellip;</th>" for col in columns)
           + (f"<th>{columns_left:,} more columns with content are not shown</th>" if columns_left else "")
           + "</tr>"]
    for row in rows:
        if isinstance(row, tuple):
            out.append(_note_row(f"rows {row[0]:,} to {row[1]:,} are empty", width))
            continue
        out.append(f"<tr><th>{row}</th>")
        for col in columns:
            if isinstance(col, tuple):
                out.append("<td style='background:#f5f5f5;border:1px solid #ccc'></td>")
                continue
            address = f"{get_column_letter(col)}{row}"
            text = texts.get((row, col), "")
            role = roles.get(address)
            if role is None and text.strip():
                role = "unread"
            colour = styles[role].colour if role else "#ffffff"
            tip = f"{address}: {role or 'empty'}"
            if address in messages:
                tip += f" - {messages[address]}"
            swatch = fills.get((row, col))
            border = f"border-left:4px solid #{swatch};" if swatch else ""
            out.append(f"<td title='{html.escape(tip, quote=True)}' style='background:{colour};{border}"
                       f"border:1px solid #ccc;padding:2px 4px;max-width:28em'>{html.escape(text)}</td>")
        out.append("<td></td></tr>" if columns_left else "</tr>")
    if rows_left:
        out.append(_note_row(f"{rows_left:,} more rows with content are not shown (the preview shows "
                             f"{options.max_rows:,}); the findings list every cell the reader could not read",
                             width))
    out.append("</table></div>")
    return Preview("".join(out))


def _shown(used: set[int], empty_run: int, most: int) -> tuple[list[int | tuple[int, int]], int]:
    """The rows (or columns) to show, from 1 to the last used one, and how many used ones are left out.

    Each is a number, or ``(first, last)`` for a run of more than ``empty_run`` empty ones, shown as one
    line; after ``most`` used ones the rest are left out and counted.

    >>> _shown({1, 2, 4, 100}, 3, 10)
    ([1, 2, 3, 4, (5, 99), 100], 0)
    >>> _shown({1, 2, 4, 100}, 3, 2)
    ([1, 2], 2)
    """
    ordered = sorted(used)
    shown: list[int | tuple[int, int]] = []
    previous = 0
    for index in ordered[:most]:
        if index - previous - 1 > empty_run:
            shown.append((previous + 1, index - 1))
        else:
            shown.extend(range(previous + 1, index))
        shown.append(index)
        previous = index
    return shown, max(len(ordered) - most, 0)


def _note_row(words: str, width: int) -> str:
    """A row of the preview that says something about the rows around it."""
    return (f"<tr><th>&vellip;</th><td colspan='{width}' style='color:#555;padding:2px 4px'>"
            f"{html.escape(words)}</td></tr>")

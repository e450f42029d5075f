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
    understand are red, so an analyst sees at a glance what was and was not read.
    """
    styles = settings().reports.preview.roles  # colours and key: conventions/reports.toml [preview]
    scorecard = read_scorecard(path, [sheet])
    cells = read_sheets(path, [sheet])[0].cells
    roles = {row.cell: row.role for row in scorecard.layout.itertuples()}
    messages = {row.cell: row.message for row in scorecard.findings.itertuples() if row.cell}
    texts = {(int(r), int(c)): t for r, c, t in zip(cells["row"], cells["col"], cells["text"], strict=True)}
    fills = {(int(r), int(c)): f for r, c, f in zip(cells["row"], cells["col"], cells["fill"], strict=True)}
    max_row = max((r for r, _ in texts), default=0)
    max_col = max((c for _, c in texts), default=0)
    out = ["<div class='harrowperf-preview' style='overflow:auto'>",
           f"<p><b>{html.escape(Path(path).name)}</b>, sheet <b>{html.escape(sheet)}</b></p>",
           "<p>" + " ".join(f"<span style='background:{style.colour};padding:1px 6px;margin-right:4px'>"
                            f"{html.escape(style.label)}</span>" for style in styles.values()) + "</p>",
           "<table style='border-collapse:collapse;font:12px sans-serif'>",
           "<tr><th></th>" + "".join(f"<th>{get_column_letter(c)}</th>" for c in range(1, max_col + 1)) + "</tr>"]
    for row in range(1, max_row + 1):
        out.append(f"<tr><th>{row}</th>")
        for col in range(1, max_col + 1):
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
        out.append("</tr>")
    out.append("</table></div>")
    return Preview("".join(out))

"""One sheet as a grid: the cell look-ups every reader needs, and what the reader made of each cell.

Both the scorecard and the budget reader walk a sheet by row and column; this is the one
place that answers "what is in B7?", "which columns of row 7 hold something?", "what is B7's
address?", and that keeps the reader's findings and the role it gave each cell.

A cell has *content* when its displayed text is not blank or it holds a number; blanks kept
only for their fill (a RAG shown by colour) are in :attr:`Grid.cells` but not content.
"""

from __future__ import annotations

from harrowperf.foundation.errors import HarrowperfError
from harrowperf.read.cells import Cell, SheetCells, cell_address

FINDING_FIELDS = ("source", "sheet", "cell", "severity", "issue", "text", "message")


class Grid:
    """The cells of one sheet by (row, column), with the findings and roles a reader records."""

    def __init__(self, source: str, sheet: SheetCells, error: type[HarrowperfError]) -> None:
        self.source = source
        self.name = sheet.name
        self.merged = sheet.merged
        self.notes = sheet.notes  # conditional formats the cell reader could not evaluate
        self.error_type = error
        self.cells: dict[tuple[int, int], Cell] = {}
        self.content: dict[tuple[int, int], str] = {}  # cells with content -> text without outer spaces
        by_row: dict[int, list[int]] = {}
        for cell in sheet.records:
            key = (cell.row, cell.col)
            self.cells[key] = cell
            text = cell.text.strip()
            if text or cell.kind == "number":
                self.content[key] = text
                by_row.setdefault(cell.row, []).append(cell.col)
        self._cols = {row: tuple(sorted(cols)) for row, cols in by_row.items()}
        self.rows: list[int] = sorted(by_row)  # rows with content
        self.last_row = max((row for row, _ in self.cells), default=0)
        self.roles: dict[tuple[int, int], str] = {}
        self.findings: list[dict] = []

    # --- look-ups ---------------------------------------------------------------

    def record(self, row: int, col: int | None) -> Cell | None:
        """The cell at (row, col), blanks with a fill included; None when nothing is there."""
        return None if col is None else self.cells.get((row, col))

    def text(self, row: int, col: int | None) -> str:
        """The displayed text without outer spaces ("" for no cell)."""
        return "" if col is None else self.content.get((row, col), "")

    def tidy(self, row: int, col: int | None) -> str:
        """The displayed text with every run of spaces (non-breaking ones too) made one space."""
        return " ".join(self.text(row, col).replace("\u00a0", " ").split())

    def raw(self, row: int, col: int | None) -> str:
        """The displayed text exactly as shown, spacing kept (for names that differ only in spacing)."""
        cell = self.record(row, col)
        return cell.text if cell is not None else ""

    def cols(self, row: int) -> tuple[int, ...]:
        """The columns of a row that hold content, left to right."""
        return self._cols.get(row, ())

    def address(self, row: int, col: int) -> str:
        """(7, 2) -> "B7"."""
        return cell_address(row, col)

    def ref(self, row: int, col: int | None) -> str:
        """"Sheet!B7", or "" when there is no column."""
        return "" if col is None else f"{self.name}!{cell_address(row, col)}"

    # --- what the reader made of the cells -------------------------------------------

    def mark(self, row: int, col: int | None, role: str) -> None:
        """Record the role a reader gave a cell (only cells that exist get one)."""
        if col is not None and (row, col) in self.cells:
            self.roles[(row, col)] = role

    def unmarked(self) -> list[tuple[int, int]]:
        """Cells with content that no role was given, in row then column order."""
        return sorted(key for key in self.content if key not in self.roles)

    def find(self, cell: str, severity: str, issue: str, message: str, text: str = "") -> None:
        """Record a data-quality finding about a cell (or cells, "B7, C7"; "" for the whole sheet)."""
        self.findings.append(dict(zip(FINDING_FIELDS, (self.source, self.name, cell, severity, issue, text,
                                                       message), strict=True)))

    def error(self, message: str, row: int | None = None, col: int | None = None) -> HarrowperfError:
        """The reader's error naming the file, the sheet and the cell (or only the row)."""
        cell = cell_address(row, col) if row is not None and col is not None else None
        return self.error_type(message, file=self.source, sheet=self.name, cell=cell,
                               row=row if cell is None else None)

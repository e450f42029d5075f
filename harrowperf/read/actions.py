"""Read action-plan workbooks: plan actions with their due dates, status and progress, and commentary on measures.

A council keeps its plan actions in a table (Theme/Priority | Objective | Action | Lead | Due | Status |
Progress) and the services' words about measures in a commentary sheet (Theme | Measure | Commentary).
:func:`read_actions` finds both kinds of table on every sheet by their header words
(``conventions/actions.toml`` ``[layout]``) and returns the tidy actions frame, the commentary frame
and the findings, each row with the cells it came from.

Where is a due date read? :func:`harrowperf.foundation.periods.parse_when`. Where is a status word,
RAG code or fill read? :func:`status_of`, using :mod:`harrowperf.read.fills` for codes and colours.
Nothing is dropped: an action without a due date, a date that cannot be read, a status word not on
the scale and a repeated action are kept and listed as findings with their cell.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ActionsError
from harrowperf.foundation.findings import FINDING_COLUMNS, Read, findings_table
from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.periods import (
    NO_DATE_WORDS,
    QUARTER_FREQ,
    find_quarter,
    parse_quarter,
    parse_when,
    quarter_label,
)
from harrowperf.foundation.schema import ACTION_COLUMNS, COMMENTARY_COLUMNS, validate_actions, validate_commentary
from harrowperf.read import fills
from harrowperf.read.cells import Cell, column_letter, read_sheets

_ACTION_FIELDS = ("theme", "objective", "action", "lead", "due", "status", "progress", "quarter")
_COMMENTARY_FIELDS = ("theme", "measure", "heading", "commentary", "quarter")


@dataclass(frozen=True)
class ActionsRead(Read):
    """What one read of an action-plan workbook produced: actions, commentary and findings."""

    commentary: pd.DataFrame


def _words(text: object) -> str:
    return " ".join(str(text).split()).lower() if text is not None else ""


def _layout() -> dict[str, set[str]]:
    return {name: set(words) for name, words in settings().actions.layout.items()}


def status_of(text: str, fill: str = "") -> tuple[str, str] | None:
    """A status cell as (status, how it was read), or ``None`` when the words are not on the scale.

    Words come first ("Complete", "on track"), then RAG codes ("HG", "Amber" -> by colour group),
    then the cell's fill colour when the cell is empty. An empty, unfilled cell is "no status".

    >>> status_of("Amber")
    ('at risk', 'code')
    >>> status_of("", "FF0000")
    ('off track', 'fill')
    """
    scale = settings().actions.status
    words = _words(text)
    code, how = (fills.normalise_code(text), "code") if words else (fills.code_from_fill(fill), "fill")
    for status, spellings in scale.words.items():
        if words in spellings and (words or code is None):
            return status, ("words" if words else "empty")
    group = fills.colour_group(code)
    if group in scale.rag_groups:
        return scale.rag_groups[group], how
    return None


class _Table:
    """One table found on a sheet: its header row and which column holds each field."""

    def __init__(self, source: str, sheet: str, records: list[Cell], fields: tuple[str, ...]) -> None:
        self.source, self.sheet = source, sheet
        self.by_position = {(cell.row, cell.col): cell for cell in records}
        self.fields = fields
        self.header_row, self.columns = self._find_header(records)
        self.quarter_label = self._quarter_above()

    def _find_header(self, records: list[Cell]) -> tuple[int, dict[str, int]]:
        layout = _layout()
        rows: dict[int, list[Cell]] = {}
        for cell in records:
            rows.setdefault(cell.row, []).append(cell)
        for row in sorted(rows):
            columns: dict[str, int] = {}
            for cell in sorted(rows[row], key=lambda c: c.col):
                words = _words(cell.text)
                for name in self.fields:
                    if words in layout[name] and name not in columns and cell.col not in columns.values():
                        columns[name] = cell.col
            if self._is_header(columns):
                return row, columns
        return 0, {}

    def _is_header(self, columns: dict[str, int]) -> bool:
        if "action" in self.fields:
            return "action" in columns and bool({"due", "status", "progress"} & set(columns))
        return {"measure", "commentary"} <= set(columns)

    def _quarter_above(self) -> str:
        """The report quarter written above the table ("Quarter | Q2 2016/17" or a title naming it)."""
        for row in range(1, self.header_row):
            cells = sorted((c for (r, _), c in self.by_position.items() if r == row), key=lambda c: c.col)
            for cell in cells:
                period = find_quarter(cell.text)
                if period is not None:
                    return quarter_label(period)
        return ""

    def cell(self, row: int, name: str) -> Cell | None:
        col = self.columns.get(name)
        return None if col is None else self.by_position.get((row, col))

    def text(self, row: int, name: str) -> str:
        cell = self.cell(row, name)
        return "" if cell is None else str(cell.text).strip()

    def address(self, row: int, name: str) -> str:
        col = self.columns.get(name)
        return "" if col is None else f"{self.sheet}!{column_letter(col)}{row}"

    def data_rows(self) -> list[int]:
        cols = set(self.columns.values())
        return sorted({r for (r, c), cell in self.by_position.items()
                       if r > self.header_row and c in cols and str(cell.text).strip()})


class _Findings:
    def __init__(self, source: str) -> None:
        self.source, self.rows = source, []

    def add(self, sheet: str, cell: str, severity: str, issue: str, text: str, message: str) -> None:
        self.rows.append({"source": self.source, "sheet": sheet, "cell": cell.split("!")[-1],
                          "severity": severity, "issue": issue, "text": text, "message": message})

    def frame(self) -> pd.DataFrame:
        return findings_table(self.rows)


def action_id(theme: str, action: str) -> str:
    """A stable key for an action across quarters: its words, shortened, and a checksum of theme and text.

    >>> action_id("Build a better Harrow", "Develop a recycling strategy")
    'develop-a-recycling-strategy-acf301'
    >>> action_id("Build a better Harrow", "")
    'action-ca69b2'
    """
    key = f"{_words(theme)}|{_words(action)}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    words = "-".join(measure_slug(action).split("-")[:8])
    return f"{words or 'action'}-{digest}"  # a row with no action text (a finding) still has a valid key


def _due(table: _Table, row: int, findings: _Findings, action: str) -> dict:
    text = table.text(row, "due")
    parsed = parse_when(text) if text else None
    years = settings().actions.due
    if parsed is not None and not years.earliest_year <= parsed.start.year <= parsed.end.year <= years.latest_year:
        parsed = None  # "1000" or "20199": read as unreadable below, the text kept
    when = None if parsed is None else (parsed.start, parsed.end, parsed.kind)
    address = table.address(row, "due") or table.address(row, "action")
    if when is None and text and _words(text) not in NO_DATE_WORDS:
        findings.add(table.sheet, address, "warning", "unreadable_due_date", text,
                     f"the due date {text!r} of action {action[:60]!r} is not a date or period harrowperf can "
                     "read (write e.g. 'March 2012', '31/03/2012', 'Spring 2012', 'Q3 2016/17', '2011/12'); "
                     "the text is kept")
    elif when is None:
        findings.add(table.sheet, address, "info", "no_due_date", text,
                     f"action {action[:60]!r} has no due date" + (f" ({text!r})" if text else ""))
    start, end, kind = when if when else (pd.NaT, pd.NaT, "")
    return {"due_text": text, "due_start": start, "due_end": end, "due_kind": kind}


def _status(table: _Table, row: int, findings: _Findings, action: str) -> dict:
    cell = table.cell(row, "status")
    text = "" if cell is None else str(cell.text).strip()
    fill = "" if cell is None else cell.fill
    read = status_of(text, fill)
    if read is None:
        findings.add(table.sheet, table.address(row, "status"), "warning", "unknown_status", text,
                     f"the status {text!r} of action {action[:60]!r} is not on the scale "
                     f"({', '.join(settings().actions.status.scale)}); it is kept as text and "
                     "counted as 'no status'. Add the word to conventions/actions.toml if it means one")
        status, how = "no status", "unknown"
    else:
        status, how = read
    given = status != "no status"
    return {"status": status, "status_text": text, "status_source": "given" if given else "",
            "status_read_from": how if given else ""}


def _read_actions_table(table: _Table, quarter: str, findings: _Findings) -> list[dict]:
    rows = []
    for row in table.data_rows():
        action = table.text(row, "action")
        if not action:
            findings.add(table.sheet, table.address(row, "action"), "warning", "no_action_text",
                         table.text(row, "progress")[:60],
                         "a row with no action text; its other cells are kept")
        row_quarter = table.text(row, "quarter") or table.quarter_label or quarter
        period = parse_quarter(row_quarter) if row_quarter else None
        theme = table.text(row, "theme")
        rows.append({
            "source": table.source, "sheet": table.sheet, "row": row, "theme": theme,
            "objective": table.text(row, "objective"), "action": action,
            "action_id": action_id(theme, action), "lead": table.text(row, "lead"),
            **_due(table, row, findings, action), **_status(table, row, findings, action),
            "progress": table.text(row, "progress"),
            "quarter": period, "quarter_label": quarter_label(period) if period is not None else "",
            "cell_action": table.address(row, "action"), "cell_due": table.address(row, "due"),
            "cell_status": table.address(row, "status"), "cell_progress": table.address(row, "progress"),
        })
    return rows


def _read_commentary_table(table: _Table, quarter: str) -> list[dict]:
    rows = []
    for row in table.data_rows():
        row_quarter = table.text(row, "quarter") or table.quarter_label or quarter
        period = parse_quarter(row_quarter) if row_quarter else None
        rows.append({
            "source": table.source, "sheet": table.sheet, "row": row, "theme": table.text(row, "theme"),
            "measure": table.text(row, "measure"), "heading": table.text(row, "heading"),
            "commentary": table.text(row, "commentary"),
            "quarter": period, "quarter_label": quarter_label(period) if period is not None else "",
            "cell_measure": table.address(row, "measure"), "cell_commentary": table.address(row, "commentary"),
        })
    return rows


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    frame["quarter"] = pd.Series(pd.PeriodIndex(frame["quarter"], freq=QUARTER_FREQ), index=frame.index) \
        if len(frame) else pd.Series([], dtype=pd.PeriodDtype(QUARTER_FREQ))
    frame["row"] = frame["row"].astype("int64")
    for column in ("due_start", "due_end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")  # also when all are missing
    return frame


def _find_repeats(frame: pd.DataFrame, findings: _Findings) -> None:
    repeated = frame[frame.duplicated(["source", "action_id", "quarter_label"], keep="first")
                     & frame["action"].ne("")]
    for _, row in repeated.iterrows():
        findings.add(row["sheet"], row["cell_action"], "warning", "duplicate_action", row["action"][:60],
                     f"action {row['action'][:60]!r} appears more than once"
                     + (f" for {row['quarter_label']}" if row["quarter_label"] else "") + "; both rows are kept")


def read_actions(path: str | Path, quarter: str | None = None) -> ActionsRead:
    """Read every actions table and commentary table of an action-plan workbook.

    ``quarter`` is the report quarter ("Q2 2016/17") for tables that do not say it themselves (in a
    "Quarter" column, or a cell above the header such as "Quarter | Q2 2016/17"); a plan with no
    progress report yet has none. Returns :class:`ActionsRead`: ``frame`` (columns
    :data:`~harrowperf.foundation.schema.ACTION_COLUMNS`), ``commentary`` (columns
    :data:`~harrowperf.foundation.schema.COMMENTARY_COLUMNS`) and ``findings``. Raises
    :class:`~harrowperf.foundation.errors.ActionsError` naming the file when no sheet has an actions or
    commentary table.

    >>> read = read_actions("data/raw/actions/harrow_ambition_plan_2016-17_q2.xlsx")  # doctest: +SKIP
    >>> read.frame[["theme", "action", "due_text", "due_end", "status"]]  # doctest: +SKIP
    """
    path = Path(path)
    if quarter is not None and parse_quarter(quarter) is None:
        raise ActionsError(f"quarter {quarter!r} is not a financial quarter; write it like 'Q2 2016/17'",
                           file=path.name)
    findings = _Findings(path.name)
    actions, commentary = [], []
    tables = 0
    for sheet in read_sheets(path, error=ActionsError):
        found = False
        for fields, reader, into in ((_ACTION_FIELDS, _read_actions_table, actions),
                                     (_COMMENTARY_FIELDS, None, commentary)):
            table = _Table(path.name, sheet.name, sheet.records, fields)
            if not table.header_row:
                continue
            found = True
            tables += 1
            into.extend(reader(table, quarter or "", findings) if reader else
                        _read_commentary_table(table, quarter or ""))
            break
        if not found and sheet.records:
            findings.add(sheet.name, "", "info", "sheet_skipped", "",
                         "no actions table (an 'Action' column with 'Due', 'Status' or 'Progress') or commentary "
                         "table ('Measure' and 'Commentary' columns) on this sheet; skipped")
    if not tables:  # a table with a header and no rows yet is an empty plan, not an error
        raise ActionsError("no actions table (a header row with 'Action' and 'Due', 'Status' or 'Progress') "
                           "and no commentary table ('Measure' and 'Commentary') on any sheet", file=path.name)
    frame = _frame(actions, ACTION_COLUMNS)
    _find_repeats(frame, findings)
    return ActionsRead(frame=validate_actions(frame), commentary=validate_commentary(_frame(commentary,
                       COMMENTARY_COLUMNS)), findings=findings.frame())


@dataclass(frozen=True)
class LinkedCommentary(Read):
    """Commentary with the scorecard measure each row is about, and what could not be linked."""


def link_commentary(commentary: pd.DataFrame, scorecard: pd.DataFrame,
                    catalogue: pd.DataFrame | str | Path | None = None) -> LinkedCommentary:
    """Give each commentary row the ``measure_id`` of its measure, through the measure catalogue.

    A measure is found by its name or an alias in ``data/measures.csv`` (within the row's theme first), as
    the scorecard's measures are. Adds ``measure_id`` ("" when the catalogue does not know the name) and
    ``on_scorecard`` (the measure is in ``scorecard`` for the commentary's quarter, or at all when the
    commentary has no quarter). Commentary about a measure that is not on the scorecard is kept and listed
    as a finding with its cell.
    """
    from harrowperf.read.catalogue import match

    result = commentary.copy()
    matched = match(result, catalogue) if len(result) else pd.Series([], dtype=object)
    result["measure_id"] = matched.fillna("").astype(str)
    reported = set(zip(scorecard["measure_id"], scorecard["period"], strict=True))
    anywhere = set(scorecard["measure_id"])
    result["on_scorecard"] = [(mid, quarter) in reported if not pd.isna(quarter) else mid in anywhere
                              for mid, quarter in zip(result["measure_id"], result["quarter"], strict=True)]
    findings = _Findings("")
    for _, row in result[~result["on_scorecard"]].iterrows():
        findings.source = row["source"]
        where = f" for {row['quarter_label']}" if row["quarter_label"] else ""
        reason = "is not in the measure catalogue (data/measures.csv)" if not row["measure_id"] else \
            f"({row['measure_id']}) has no row on the scorecard{where}"
        findings.add(row["sheet"], row["cell_measure"], "warning", "commentary_measure_not_on_scorecard",
                     row["measure"][:60], f"commentary on measure {row['measure'][:60]!r}, which {reason}; the "
                     "commentary is kept but shown beside no measure")
    return LinkedCommentary(frame=result, findings=findings.frame())


__all__ = ["FINDING_COLUMNS", "ActionsRead", "LinkedCommentary", "action_id", "link_commentary", "read_actions",
           "status_of"]

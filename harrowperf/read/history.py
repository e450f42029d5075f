"""Read the cited history CSV (``data/raw/history/``): earlier published figures of scorecard measures.

Each row is one published figure with its source, passage and trust grade; :func:`read_history` turns
them into rows of the scorecard-frame contract, to be appended to the scorecard frame by ``clean``.
Like every reader it returns a :class:`~harrowperf.foundation.findings.Read`; its findings are always
empty, because a bad row is an error naming its line, not a finding.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from harrowperf.foundation.errors import ScorecardError
from harrowperf.foundation.findings import Read, findings_table
from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.periods import (
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    MONTH,
    QUARTER,
    QUARTER_FREQ,
    Span,
    parse_period,
    span_columns,
    with_period_columns,
)
from harrowperf.foundation.schema import POLARITIES, SCORECARD_COLUMNS

HISTORY_COLUMNS = (
    "measure", "measure_ref", "theme", "polarity", "unit", "basis", "period_kind", "period_label",
    "period_covered", "actual", "target", "source", "passage", "trust", "note",
)
PERIOD_KINDS = ("quarter", "year", "month", "calendar_year")
TRUST_GRADES = ("A", "B", "C", "D")
# the frequency each period_kind names, for the one period grammar (foundation.periods.parse_period)
_FREQUENCY = {"quarter": QUARTER, "year": FINANCIAL_YEAR, "month": MONTH, "calendar_year": CALENDAR_YEAR}


def history_span(kind: str, label: str) -> Span | None:
    """The period a history figure is about, at its own frequency; ``None`` if ``label`` is not a ``kind``.

    quarter: a financial quarter ("Q1 2018/19"); year: a financial year ("2016/17"); month: a month
    ("June 2003"); calendar_year: a calendar year ("2013"). Read by
    :func:`~harrowperf.foundation.periods.parse_period` with the frequency the kind names, so "2010-11"
    in a year row is the financial year 2010/11 and in a month row November 2010.

    >>> history_span("month", "June 2003").label, history_span("year", "2013/14").label
    ('Jun 2003', '2013/14')
    """
    frequency = _FREQUENCY.get(kind)
    return None if frequency is None else parse_period(label, frequency)


def history_period(kind: str, label: str) -> pd.Period | None:
    """The Q-MAR quarter a history figure is reported in: the quarter its period ends in.

    quarter: that quarter; year (financial, "2016/17"): its Q4; month ("June 2003"): the quarter
    containing it; calendar_year ("2013"): the quarter containing December of that year.
    """
    span = history_span(kind, label)
    return None if span is None else span.quarter


def read_history(path: str | Path) -> Read:
    """Read the cited history CSV: ``.frame`` holds its rows in the scorecard-frame contract.

    Each CSV row is one published figure (see ``docs/trend.md``). A row whose ``basis`` is filled
    (e.g. "rolling 12 months") measures something other than the scorecard row of the same name,
    so it becomes its own series: the measure is named "<measure> (<basis>)" and gets its own
    ``measure_id``. Each figure is at its own frequency (``period_kind``): a month, a financial quarter,
    a financial or calendar year, with ``frequency``, ``period_start``, ``period_end`` and
    ``period_label`` ("Jun 2003", "Q1 2018/19", "2013/14", "2013") as the frame's contract says, and
    ``period`` the quarter it ends in (a financial year's Q4); ``period_covered`` keeps the period the
    source states. ``status_note`` carries the citation and trust grade.

    Raises :class:`harrowperf.ScorecardError` naming the file, row and column of a bad value.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in HISTORY_COLUMNS if c not in header]
            if missing:
                raise ScorecardError(
                    f"history file lacks column(s) {', '.join(missing)}; expected: "
                    f"{', '.join(HISTORY_COLUMNS)}",
                    file=str(path),
                )
            records = [_history_record(path, line, raw) for line, raw in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise ScorecardError("history file not found", file=str(path)) from None
    frame = pd.DataFrame.from_records(records, columns=SCORECARD_COLUMNS)
    frame["period"] = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ) if len(frame) else \
        pd.Series([], dtype=f"period[{QUARTER_FREQ}]")
    for column in ("target", "target_low", "target_high", "actual", "numerator", "denominator",
                   "rank", "secondary"):
        frame[column] = frame[column].astype("float64")
    return Read(frame=with_period_columns(frame), findings=findings_table())


def _history_record(path: Path, line: int, raw: dict[str, str]) -> dict[str, Any]:
    def fail(column: str, message: str) -> ScorecardError:
        return ScorecardError(f"column {column!r}: {message}", file=str(path), row=line)

    row = {k: (raw.get(k) or "").strip() for k in HISTORY_COLUMNS}
    for column in ("measure", "polarity", "period_kind", "period_label", "actual", "source",
                   "passage", "trust"):
        if not row[column]:
            raise fail(column, "is empty; every figure needs it")
    if row["polarity"] not in POLARITIES:
        raise fail("polarity", f"{row['polarity']!r} is not one of {', '.join(POLARITIES)}")
    if row["period_kind"] not in PERIOD_KINDS:
        raise fail("period_kind", f"{row['period_kind']!r} is not one of {', '.join(PERIOD_KINDS)}")
    if row["trust"] not in TRUST_GRADES:
        raise fail("trust", f"{row['trust']!r} is not a trust grade ({', '.join(TRUST_GRADES)})")
    span = history_span(row["period_kind"], row["period_label"])
    if span is None:
        raise fail("period_label", f"{row['period_label']!r} is not a {row['period_kind'].replace('_', ' ')}")
    numbers = {}
    for column in ("actual", "target"):
        if not row[column]:
            numbers[column] = math.nan
            continue
        try:
            numbers[column] = float(row[column].replace(",", ""))
        except ValueError:
            raise fail(column, f"{row[column]!r} is not a number") from None
        if not math.isfinite(numbers[column]):
            raise fail(column, f"{row[column]!r} is not a finite number")
    measure = f"{row['measure']} ({row['basis']})" if row["basis"] else row["measure"]
    target = numbers["target"]
    citation = f"History figure, trust {row['trust']}: {_document(row['source'])}"
    note = f"{citation}. {row['note']}" if row["note"] else citation
    return {
        "source": path.name, "sheet": None, "theme": row["theme"] or None,
        "measure_ref": row["measure_ref"] or None, "measure": measure,
        "measure_id": measure_slug(measure), "polarity": row["polarity"], **span_columns(span),
        "target": target, "target_low": target,
        "target_high": target, "target_kind": "point" if math.isfinite(target) else "none",
        "actual": numbers["actual"], "numerator": math.nan, "denominator": math.nan,
        "rank": math.nan, "secondary": math.nan, "unit": row["unit"], "rag": None,
        "rag_source": None, "status_note": note,
        "period_covered": row["period_covered"] or row["period_label"],
        "target_text": row["target"] or None, "actual_text": row["actual"], "rag_text": None,
        "cell_target": None, "cell_actual": None, "cell_rag": None, "cell_measure": None,
    }


_FILE_THEN_TITLE = re.compile(r"^\S+\.(?:txt|pdf|html?|xlsx|csv)\s*\((.+)\)\s*$")


def _document(source: str) -> str:
    """A source as a council report cites it: the document's title and date, not the file it was copied to.

    >>> _document("tests/fixtures/seeds/004_09b0ca965b5dee39.txt (Harrow Council progress report, as at Q2 2018/19)")
    'Harrow Council progress report, as at Q2 2018/19'
    >>> _document("Harrow Council Corporate Plan 2015-19, page 12")
    'Harrow Council Corporate Plan 2015-19, page 12'
    """
    match = _FILE_THEN_TITLE.match(str(source))
    return match.group(1) if match else str(source)

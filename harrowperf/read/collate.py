"""Collate many scorecard workbooks into one history: exactly one value per measure x period (month, quarter or year).

Every quarter's scorecard repeats earlier quarters (the council's layout shows the quarter, the
previous quarter and the same quarter last year), so the same measure x quarter arrives in several
workbooks. Each workbook is a **vintage**: the newest quarter it reports (on its visible sheets).
The rules, applied per ``measure_id`` x period (``frequency`` and ``period_start``: a month, quarter
or year; so after :func:`harrowperf.read.catalogue.apply`):

- the value of the **newest vintage wins** (of two workbooks of one vintage quarter, the one whose
  newest period ends later: monthly workbooks); history figures (``data/raw/history``, no vintage)
  are older than any workbook;
- an **identical repeat** is silent: the row kept is the one of the workbook that first published
  the value (so a quarter's figures keep pointing at that quarter's own workbook and cells);
- a **different value** in an older vintage is a **revision**: the newest value is kept, and the
  change is a row of the revisions table (:data:`REVISION_COLUMNS`) and a finding whose ``issue``
  is ``revised``; one revision per change between consecutive vintages;
- a sheet **hidden** in Excel never overrides a visible sheet: its rows are used only for a
  measure x quarter no visible sheet reports, and a hidden value that differs from the visible
  one is a ``hidden_sheet_differs`` finding naming both cells;
- a measure a quarter's own workbook did not show, printed with **blank cells** (no target, actual
  or RAG) for that quarter by a later workbook (a new measure's first scorecard shows the quarters
  before it started), adds nothing to that quarter;
- two **history figures** (no vintage) that differ are a ``history_differs`` finding naming both cells;
  the figure of the file whose name sorts last is the one used (and compared with the workbooks);
- two **different values in the same vintage** from visible sheets (two sheets, or two files of the
  same quarter) are a **conflict**: :func:`collate` raises :class:`ScorecardError` naming both
  cells, so neither value reaches an analysis. Keep one of the workbooks (or correct the sheet).

A measure given at more than one frequency (months in one workbook, quarters in another) keeps every
row and is a ``mixed_frequencies`` finding (:func:`mixed_frequencies`): each frequency is its own series.

"The value" is the target (low and high), the actual and the reported RAG; for a history figure only
the actual (history has no RAG). Numbers are equal when they agree to nine significant figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from harrowperf.foundation.errors import ScorecardError
from harrowperf.foundation.findings import Read, findings_table
from harrowperf.foundation.periods import QUARTER_FREQ, period_label, quarter_label, with_period_columns

VALUE_COLUMNS = ("target_low", "target_high", "actual", "rag")
REVISION_COLUMNS = ["measure_id", "measure", "period_label", "changed", "old_value", "old_source", "old_cell",
                    "new_value", "new_source", "new_cell", "old_vintage", "new_vintage"]
SHOWN_CONFLICTS = 5
# One observation: a measure in one period (a month, quarter or year: its frequency and first day).
OBSERVATION_KEYS = ("measure_id", "frequency", "period_start")


@dataclass(frozen=True)
class Collated(Read):
    """What :func:`collate` returns: the frame (one row per measure x period), its findings and the revisions."""

    revisions: pd.DataFrame


def vintage(frame: pd.DataFrame, hidden_sheets: Iterable[str] = ()) -> pd.Period | None:
    """A workbook's vintage: the newest quarter its visible sheets report (all sheets if every one is hidden)."""
    hidden = set(hidden_sheets)
    visible = frame[~frame["sheet"].isin(hidden)] if hidden else frame
    periods = (visible if len(visible) else frame)["period"].dropna()
    return periods.max() if len(periods) else None


def collate(frame: pd.DataFrame, hidden: Iterable[tuple[str, str]] = ()) -> Collated:
    """One row per ``measure_id`` x ``period``, by the rules in the module docstring; return a new frame.

    ``frame`` is scorecard rows with a ``vintage`` column (a Period; missing for history rows);
    ``hidden`` lists the (source, sheet) pairs of sheets hidden in Excel. The result keeps the
    frame's columns and row order (of the rows kept). Raises :class:`ScorecardError` naming both
    cells when one vintage gives two different values.
    """
    if not len(frame):
        return Collated(frame=frame.copy(), findings=findings_table(), revisions=_revisions([]))
    hidden_keys = set(hidden)
    data = _without_blank_additions(with_period_columns(frame.reset_index(drop=True)))
    is_hidden = pd.Series([(s, h) in hidden_keys for s, h in zip(data["source"], data["sheet"], strict=True)],
                          index=data.index)
    vintages = pd.PeriodIndex(data["vintage"], freq=QUARTER_FREQ)
    # Within a vintage quarter, a workbook reporting a later month is newer (monthly workbooks of one quarter).
    newest = data.assign(_end=data["period_end"].where(~vintages.isna())).groupby("source")["_end"].transform("max")
    days = ((newest - pd.Timestamp("1900-01-01")).dt.days).fillna(0).astype("int64")
    order = pd.DataFrame({"hidden": is_hidden, "has_vintage": ~vintages.isna(),
                          "vintage": [v.ordinal * 1_000_000 + d if not pd.isna(v) else -10**12
                                      for v, d in zip(vintages, days, strict=True)],
                          "source": data["source"].astype(str), "sheet": data["sheet"].fillna("").astype(str)})
    # best first: visible before hidden, newest vintage first, then by file and sheet name (stable)
    ranked = order.sort_values(["hidden", "vintage", "source", "sheet"], ascending=[True, False, True, True],
                               kind="stable").index
    keys = data.loc[ranked, list(OBSERVATION_KEYS)]
    repeated = keys.duplicated(keep=False)
    keep = set(ranked[~repeated.to_numpy()])
    findings: list[dict] = []
    revisions: list[dict] = []
    conflicts: list[str] = []
    for _, group in keys[repeated.to_numpy()].groupby(list(OBSERVATION_KEYS), sort=False):
        rows = list(group.index)  # best first
        best = rows[0]
        top = [r for r in rows if not is_hidden[r] and order.at[r, "vintage"] == order.at[best, "vintage"]
               and not pd.isna(vintages[r])]
        for other in top[1:]:
            if not _same(data.loc[best], data.loc[other], history=False):
                conflicts.append(_conflict(data.loc[best], data.loc[other]))
        for other in rows[1:]:
            if is_hidden[other] and not is_hidden[best] and not _same(data.loc[best], data.loc[other],
                                                                      history=False):
                findings.append(_hidden_differs(data.loc[best], data.loc[other]))
        # revisions: visible rows from the oldest vintage to the newest, one per change
        visible = [r for r in rows if not is_hidden[r] or is_hidden[best]]
        chain = []
        for r in reversed(visible):  # oldest first
            if chain and order.at[r, "vintage"] == order.at[chain[-1], "vintage"]:
                continue  # same vintage: identical (a conflict was reported above)
            chain.append(r)
        first_of_value = chain[0] if chain else best  # where the value kept was first published
        for old, new in zip(chain, chain[1:], strict=False):
            history = pd.isna(vintages[old]) or pd.isna(vintages[new])
            if not _same(data.loc[old], data.loc[new], history=history):
                revision = _revision(data.loc[old], data.loc[new], history=history)
                revisions.append(revision)
                findings.append(_revised_finding(revision, data.loc[new]))
                first_of_value = new
            elif pd.isna(vintages[first_of_value]):
                first_of_value = new  # a workbook row (with its RAG and cells) rather than a history figure
        keep.add(first_of_value if first_of_value in chain else best)
        # history figures (no vintage) are all equally old: the chain compared only one of them
        if chain and pd.isna(vintages[chain[0]]):
            for other in visible:
                if pd.isna(vintages[other]) and other != chain[0] and \
                        not _same(data.loc[chain[0]], data.loc[other], history=True):
                    findings.append(_history_differs(data.loc[chain[0]], data.loc[other]))
    if conflicts:
        more = f" (and {len(conflicts) - SHOWN_CONFLICTS} more)" if len(conflicts) > SHOWN_CONFLICTS else ""
        raise ScorecardError(
            f"{len(conflicts)} measure x period value(s) differ between workbooks or sheets of the same period, "
            f"so neither value can be used: " + "; ".join(conflicts[:SHOWN_CONFLICTS]) + more +
            ". Keep one workbook per quarter in data/raw (move the other out) or correct the sheet")
    result = data.loc[sorted(keep)].reset_index(drop=True)
    findings += mixed_frequencies(result)
    return Collated(frame=result, findings=findings_table(findings), revisions=_revisions(revisions))


_PLURAL = {"month": "months", "quarter": "quarters", "financial year": "financial years",
           "calendar year": "calendar years", "fiscal year": "fiscal years"}


def mixed_frequencies(frame: pd.DataFrame) -> list[dict]:
    """A ``mixed_frequencies`` finding for each measure given at more than one frequency.

    Such a measure keeps every row: each frequency is its own series for trends, SPC and forecasts
    (never compared with the other). The finding names the first cell of each less common frequency.
    """
    if not len(frame) or "frequency" not in frame.columns:
        return []
    counts = frame.groupby(["measure_id", "frequency"], sort=False).size()
    mixed = counts.groupby(level=0).size()
    found = []
    for measure_id in mixed[mixed > 1].index:
        per = counts.loc[measure_id].sort_values(ascending=False, kind="stable")
        rows = frame[frame["measure_id"] == measure_id].sort_values("period_start", kind="stable")
        main = per.index[0]
        # the frequencies by name, not by count: a later workbook adds rows, never changes this finding
        names = [_PLURAL.get(freq, freq) for freq in per.index]
        said = f"{', '.join(names[:-1])} and {names[-1]}"
        for other in per.index[1:]:
            first = rows[rows["frequency"] == other].iloc[0]
            found.append(_finding(first, "warning", "mixed_frequencies",
                                  f"this measure is given at more than one frequency ({said}); its "
                                  f"{_PLURAL.get(other, other)} (from {first['period_label']}) are a series "
                                  f"of their own, never compared with its {_PLURAL.get(main, main)}"))
    return found


def _without_blank_additions(data: pd.DataFrame) -> pd.DataFrame:
    """Drop later workbooks' blank rows for a measure the quarter's own workbook did not show."""
    vintages = pd.PeriodIndex(data["vintage"], freq=QUARTER_FREQ)
    own = (vintages == pd.PeriodIndex(data["period"], freq=QUARTER_FREQ)) & ~vintages.isna()
    reported_quarters = set(data.loc[own, "period"])
    own_keys = set(zip(data.loc[own, "measure_id"], data.loc[own, "period"], strict=True))
    blank = data["actual"].isna() & data["target_low"].isna() & data["target_high"].isna() & data["rag"].isna()
    added = pd.Series([period in reported_quarters and (measure, period) not in own_keys
                       for measure, period in zip(data["measure_id"], data["period"], strict=True)], index=data.index)
    return data[~(blank & added & ~own)].reset_index(drop=True)


def _number_same(a: object, b: object) -> bool:
    a_missing = a is None or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    return float(f"{float(a):.9g}") == float(f"{float(b):.9g}")


def _same(a: pd.Series, b: pd.Series, *, history: bool) -> bool:
    return not _changed(a, b, history=history)


def _changed(a: pd.Series, b: pd.Series, *, history: bool) -> list[str]:
    columns = ("actual",) if history else VALUE_COLUMNS
    changed = []
    for column in columns:
        if column == "rag":
            if (a[column] if pd.notna(a[column]) else None) != (b[column] if pd.notna(b[column]) else None):
                changed.append(column)
        elif not _number_same(a[column], b[column]):
            changed.append(column)
    if "target_low" in changed and "target_high" in changed:
        changed = ["target" if c == "target_low" else c for c in changed if c != "target_high"]
    return [("target" if c in ("target_low", "target_high") else c) for c in changed]


def _shown(row: pd.Series, changed: list[str]) -> str:
    """The changed parts of a value as the workbook shows them."""
    texts = {"target": row.get("target_text"), "actual": row.get("actual_text"), "rag": row.get("rag_text")}
    parts = []
    for part in dict.fromkeys(changed):
        text = texts.get(part)
        parts.append(f"{part} {text if isinstance(text, str) and text else '(blank)'}")
    return ", ".join(parts)


def _cell(row: pd.Series) -> str:
    cell = row.get("cell_actual")
    return str(cell) if isinstance(cell, str) and cell else ""


def _where(row: pd.Series) -> str:
    cell = _cell(row)
    return f"{row['source']} {cell}" if cell else str(row["source"])


def _vintage_label(row: pd.Series) -> str:
    value = row.get("vintage")
    return "" if value is None or pd.isna(value) else quarter_label(value)


def _period_of(row: pd.Series) -> str:
    """The row's period as printed: "Q2 2016/17", "Apr 2016", "2016/17" (its own label where it has one:
    a long file's "Jul-Sep 2012" is not called a UK quarter)."""
    label = row.get("period_label")
    return label if isinstance(label, str) and label else period_label(row["period_start"], row["frequency"])


def _revision(old: pd.Series, new: pd.Series, *, history: bool) -> dict:
    changed = list(dict.fromkeys(_changed(old, new, history=history)))
    return {"measure_id": new["measure_id"], "measure": new["measure"], "period_label": _period_of(new),
            "changed": ", ".join(changed), "old_value": _shown(old, changed), "old_source": old["source"],
            "old_cell": _cell(old), "new_value": _shown(new, changed), "new_source": new["source"],
            "new_cell": _cell(new), "old_vintage": _vintage_label(old), "new_vintage": _vintage_label(new)}


def _finding(row: pd.Series, severity: str, issue: str, message: str) -> dict:
    """A finding about the actual cell of one row, quoting its measure."""
    sheet, _, cell = _cell(row).rpartition("!")
    return {"source": row["source"], "sheet": sheet, "cell": cell, "severity": severity, "issue": issue,
            "text": row["measure"], "message": message}


def _revised_finding(revision: dict, new: pd.Series) -> dict:
    return _finding(new, "info", "revised",
                    f"{revision['period_label']} was revised: {revision['old_value']} in "
                    f"{revision['old_source']} {revision['old_cell']}".rstrip() +
                    f", now {revision['new_value']}; the newest value is used")


def _conflict(a: pd.Series, b: pd.Series) -> str:
    changed = _changed(a, b, history=False)
    return (f"{a['measure']!r} in {_period_of(a)}: {_shown(a, changed)} at {_where(a)} but "
            f"{_shown(b, changed)} at {_where(b)}")


def _hidden_differs(visible: pd.Series, hidden: pd.Series) -> dict:
    changed = _changed(visible, hidden, history=False)
    return _finding(hidden, "warning", "hidden_sheet_differs",
                    f"{_period_of(hidden)} on this hidden sheet says {_shown(hidden, changed)}, "
                    f"but {_where(visible)} says {_shown(visible, changed)}; the visible sheet's value is used")


def _history_differs(used: pd.Series, other: pd.Series) -> dict:
    changed = _changed(used, other, history=True)
    return _finding(other, "warning", "history_differs",
                    f"{other['period_label']}: this history file says {_shown(other, changed)}, but {_where(used)} "
                    f"says {_shown(used, changed)}; two history files disagree and neither is newer; "
                    f"{used['source']}'s figure is used: correct one of the files")


def _revisions(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=REVISION_COLUMNS)


__all__ = ["OBSERVATION_KEYS", "REVISION_COLUMNS", "VALUE_COLUMNS", "Collated", "collate", "mixed_frequencies",
           "vintage"]

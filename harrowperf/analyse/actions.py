"""Plan actions in numbers: status counts, overdue actions, missing updates, status changes, quoted figures.

Every function takes the actions frame of :func:`harrowperf.read.actions.read_actions` (columns
:data:`~harrowperf.foundation.schema.ACTION_COLUMNS`, one row per action per report quarter) and
returns a new frame; nothing here makes text for a reader (that is :mod:`harrowperf.present.actions`).

- :func:`counts`: how many actions of each status, per theme and in all;
- :func:`at_risk`: actions at risk or off track;
- :func:`overdue`: actions due on or before the last day of the report quarter and not complete;
- :func:`no_update`: actions whose progress text is empty, or the same as in the previous report;
- :func:`status_changes`: actions whose status moved since the previous report, and new or dropped ones;
- :func:`quoted_figures`: amounts, percentages and counts quoted in progress text, each with its sentence;
- :func:`infer_status`: an optional status read from the progress wording, for actions the service gave
  none, marked ``status_source == "inferred"`` and never counted as given;
- :func:`linked_measures`: the scorecard measures of each action's theme or priority, through the
  measure catalogue (``data/measures.csv``), with their RAG in the report quarter.

A quarter with no report in the frame gives empty results (a quarterly run for a quarter whose
actions were not reported still finishes, and says so). "The previous report" is the latest report
quarter in the frame before the one asked for (a council that reports half-yearly compares with the
report before); its label is in the ``compared_with`` column.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import quarter_label, to_quarter
from harrowperf.foundation.schema import ACTION_STATUSES
from harrowperf.read.numbers import DIGITS, SCALES, scale_words, to_number

ALL_THEMES = "All themes"
COUNT_COLUMNS = ["theme", "actions", *ACTION_STATUSES, "inferred", "due_dated"]
_KEY = ["theme", "action_id", "action"]
OVERDUE_COLUMNS = [*_KEY, "lead", "due_text", "due_end", "days_overdue", "status", "status_source", "quarter_label",
                   "cell_action", "cell_due"]
AT_RISK_COLUMNS = [*_KEY, "lead", "due_text", "status", "status_source", "progress", "quarter_label",
                   "cell_status"]
NO_UPDATE_COLUMNS = [*_KEY, "reason", "progress", "quarter_label", "compared_with", "cell_progress"]
CHANGE_COLUMNS = [*_KEY, "status_before", "status", "change", "quarter_label", "compared_with", "cell_status"]
FIGURE_COLUMNS = [*_KEY, "kind", "text", "value", "unit", "sentence", "quarter_label", "cell_progress"]
LINK_COLUMNS = [*_KEY, "linked_by", "measure_id", "measure", "rag_status", "actual_text", "target_text",
                "cell_actual"]
# Better to worse, for "better" and "worse" changes; "not started" and "no status" are outside it.
_PROGRESS_ORDER = ["complete", "on track", "at risk", "off track"]


def reported_quarters(frame: pd.DataFrame) -> list[str]:
    """The report quarters in the frame, oldest first, as labels ("Q2 2016/17")."""
    return [quarter_label(p) for p in sorted(frame["quarter"].dropna().unique())]


def report_quarter(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.Period:
    """The report quarter as a Period; :class:`ParameterError` when it is not written like "Q2 2016/17".

    A quarter with no report in the frame is not an error: the functions below then find nothing to
    list (the report says in words that there is no report for it, see :func:`has_report`).
    """
    try:
        return to_quarter(quarter)
    except ValueError as error:
        raise ParameterError(str(error)) from None


def has_report(frame: pd.DataFrame, quarter: str | pd.Period) -> bool:
    """Whether the frame holds a progress report for ``quarter``."""
    return bool((frame["quarter"] == report_quarter(frame, quarter)).any())


def previous_report(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.Period | None:
    """The latest report quarter in the frame before ``quarter``; ``None`` for the first report."""
    period = report_quarter(frame, quarter)
    earlier = [p for p in frame["quarter"].dropna().unique() if p < period]
    return max(earlier) if earlier else None


def of_report(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """The rows of the ``quarter`` progress report (none when there is no report for it)."""
    return _of_quarter(frame, report_quarter(frame, quarter)).copy()


def _of_quarter(frame: pd.DataFrame, period: pd.Period | None) -> pd.DataFrame:
    if period is None:
        return frame.iloc[0:0]
    return frame[frame["quarter"] == period]


def counts(frame: pd.DataFrame, quarter: str | pd.Period | None = None) -> pd.DataFrame:
    """How many actions of each status, per theme (in order of first appearance) and in all (last row).

    ``quarter`` picks one report quarter; ``None`` counts every row (a plan without reports). Columns:
    :data:`COUNT_COLUMNS`: ``actions``, one column per status of the scale, ``inferred`` (how many of the
    counted statuses were inferred by :func:`infer_status` rather than given) and ``due_dated`` (how
    many have a due date that could be read).
    """
    rows = frame if quarter is None else _of_quarter(frame, report_quarter(frame, quarter))
    parts = [(theme, group) for theme, group in rows.groupby("theme", sort=False)]
    parts.append((ALL_THEMES, rows))
    table = []
    for theme, group in parts:
        tally = group["status"].value_counts()
        table.append({"theme": theme, "actions": len(group),
                      **{status: int(tally.get(status, 0)) for status in ACTION_STATUSES},
                      "inferred": int((group["status_source"] == "inferred").sum()),
                      "due_dated": int(group["due_end"].notna().sum())})
    return pd.DataFrame(table, columns=COUNT_COLUMNS)


def overdue(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Actions of the ``quarter`` report due on or before the quarter's last day and not complete.

    An action due "by March 2012" is due on 31 March 2012 (the last day of what was written; see
    :func:`harrowperf.foundation.periods.parse_when`). An action with no status is listed too (nobody
    said it was complete), with its status shown. ``days_overdue`` counts from the due date to the
    quarter's last day. Most overdue first. Columns: :data:`OVERDUE_COLUMNS`.
    """
    period = report_quarter(frame, quarter)
    last_day = period.end_time.normalize()
    rows = _of_quarter(frame, period)
    late = rows[rows["due_end"].notna() & (rows["due_end"] <= last_day) & (rows["status"] != "complete")].copy()
    late["days_overdue"] = (last_day - late["due_end"]).dt.days.astype("int64")
    late = late.sort_values(["days_overdue", "theme"], ascending=[False, True], kind="stable")
    return late.reindex(columns=OVERDUE_COLUMNS).reset_index(drop=True)


def at_risk(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Actions of the ``quarter`` report that are at risk or off track (off track first, then by theme).
    Columns: :data:`AT_RISK_COLUMNS`."""
    rows = _of_quarter(frame, report_quarter(frame, quarter))
    chosen = rows[rows["status"].isin(["off track", "at risk"])]
    chosen = chosen.sort_values("status", key=lambda s: s.map({"off track": 0, "at risk": 1}), kind="stable")
    return chosen.reindex(columns=AT_RISK_COLUMNS).reset_index(drop=True)


def _same_words(a: object, b: object) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def no_update(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Actions with no update since the previous report (:func:`previous_report`).

    ``reason`` is "no progress text" (the progress cell is empty), "same as <quarter>" (the progress text
    is word for word the one of the previous report, ignoring spacing and case) or "not in this report"
    (the action was in the previous report and is missing from this one; its last progress is shown).
    Complete actions are not listed. Columns: :data:`NO_UPDATE_COLUMNS`.
    """
    period = report_quarter(frame, quarter)
    before_period = previous_report(frame, period)
    before_label = quarter_label(before_period) if before_period is not None else ""
    now = _of_quarter(frame, period)
    before = _of_quarter(frame, before_period if len(now) else None).drop_duplicates("action_id")
    previous_progress = before.set_index("action_id")["progress"]
    rows = []
    for _, row in now[now["status"] != "complete"].iterrows():
        if not row["progress"].strip():
            reason = "no progress text"
        elif row["action_id"] in previous_progress.index and \
                _same_words(row["progress"], previous_progress[row["action_id"]]):
            reason = f"same as {before_label}"
        else:
            continue
        rows.append({**row.to_dict(), "reason": reason})
    dropped = before[~before["action_id"].isin(now["action_id"]) & (before["status"] != "complete")]
    for _, row in dropped.iterrows():
        rows.append({**row.to_dict(), "reason": "not in this report", "quarter_label": quarter_label(period)})
    result = pd.DataFrame(rows).reindex(columns=NO_UPDATE_COLUMNS)
    result["compared_with"] = before_label
    return result.reset_index(drop=True)


def _direction(before: str, after: str) -> str:
    if before in _PROGRESS_ORDER and after in _PROGRESS_ORDER:
        return "better" if _PROGRESS_ORDER.index(after) < _PROGRESS_ORDER.index(before) else "worse"
    if after == "complete":
        return "better"
    return "changed"


def status_changes(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Actions whose status differs from the previous report's (:func:`previous_report`), matched on
    ``action_id``; and actions new in this report or dropped from it.

    ``change`` is "better" or "worse" along complete > on track > at risk > off track (reaching
    "complete" from any status is better), "changed" for any other move (e.g. on track -> no status),
    "new" (not in the previous report) or "dropped" (in the previous report, not in this one). With no
    previous report nothing has changed and the frame is empty. Columns: :data:`CHANGE_COLUMNS`.
    """
    period = report_quarter(frame, quarter)
    before_period = previous_report(frame, period)
    if before_period is None or not has_report(frame, period):
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    now = _of_quarter(frame, period).drop_duplicates("action_id")
    before = _of_quarter(frame, before_period).drop_duplicates("action_id")
    merged = now.merge(before[["action_id", "status"]].rename(columns={"status": "status_before"}),
                       on="action_id", how="outer", indicator=True)
    merged = merged.set_index("action_id")
    gone = merged["_merge"] == "right_only"
    for column in ("theme", "action", "cell_status"):
        merged.loc[gone, column] = before.set_index("action_id").loc[merged.index[gone], column]
    merged.loc[gone, "status"] = ""
    change = np.select([merged["_merge"] == "left_only", gone], ["new", "dropped"],
                       default=[_direction(b, a) if a != b else "" for a, b in
                                zip(merged["status"], merged["status_before"], strict=True)])
    merged["change"] = change
    merged["status_before"] = merged["status_before"].fillna("")
    merged["quarter_label"] = quarter_label(period)
    merged["compared_with"] = quarter_label(before_period)
    changed = merged[merged["change"] != ""].reset_index()
    order = {"worse": 0, "better": 1, "changed": 2, "new": 3, "dropped": 4}
    changed = changed.sort_values("change", key=lambda c: c.map(order), kind="stable")
    return changed.reindex(columns=CHANGE_COLUMNS).reset_index(drop=True)


# --------------------------------------------------------------------------- figures quoted in progress text

_SCALE = scale_words(*SCALES)
_AMOUNT = re.compile(rf"£\s?(?P<number>{DIGITS})(?:\s?(?P<scale>{_SCALE})\b)?", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\w.,£/])(?P<number>{DIGITS})\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_MONTH_AFTER = r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"  # "23 November 2016"
_COUNT = re.compile(rf"(?<![\w.,£/:-])(?<!quarter )(?P<number>{DIGITS})"
                    rf"(?![\w%/:]|[.,]\d|\s?per\s?cent|-\w|{_MONTH_AFTER})", re.IGNORECASE)
_YEAR_LIKE = re.compile(r"^(?:19|20)\d{2}$")


def _sentences(text: str) -> list[str]:
    """Sentences of a progress text: split after ".", "!" or "?" followed by a space, and at line ends."""
    parts = []
    for line in text.split("\n"):
        parts.extend(part.strip() for part in re.split(r"(?<=[.!?])\s+", line) if part.strip())
    return parts


def figures_in(text: str) -> list[dict]:
    """The amounts (£), percentages and counts written in a text, each with the sentence it is in.

    Years ("2018", "2018/19"), dates, ordinals ("11th"), times, days of a
    date ("23 November") and "Quarter 2" are not counts. An amount's value is
    in pounds ("£32m" -> 32,000,000).

    >>> [(f["kind"], f["text"], f["value"]) for f in figures_in("We spent £3.2m; 21% agreed. 86 new homes.")]
    [('amount', '£3.2m', 3200000.0), ('percentage', '21%', 21.0), ('count', '86', 86.0)]
    """
    found = []
    for sentence in _sentences(text):
        here: list[tuple[int, int, dict]] = []
        for kind, pattern, unit in (("amount", _AMOUNT, "£"), ("percentage", _PERCENT, "%"),
                                    ("count", _COUNT, "count")):
            for match in pattern.finditer(sentence):
                start, end = match.span()
                number = match.group("number")
                if any(start < stop and end > begin for begin, stop, _ in here) or \
                        (kind == "count" and _YEAR_LIKE.match(number)):
                    continue
                value = to_number(number)
                if kind == "amount":  # in pounds, to the penny ("£8.2m" -> 8,200,000.0)
                    value = round(value * SCALES.get((match.group("scale") or "").lower(), 1.0), 2)
                here.append((start, end, {"kind": kind, "text": match.group(0).strip(), "value": value,
                                          "unit": unit, "sentence": sentence}))
        found.extend(figure for _, _, figure in sorted(here, key=lambda item: item[0]))
    return found


def quoted_figures(frame: pd.DataFrame, quarter: str | pd.Period | None = None) -> pd.DataFrame:
    """Every amount, percentage and count quoted in the progress text, one row each, with its sentence and
    the progress cell, so an analyst can check it against the source. ``quarter`` picks one report.
    Columns: :data:`FIGURE_COLUMNS`."""
    rows = frame if quarter is None else _of_quarter(frame, report_quarter(frame, quarter))
    found = [{**row, **figure} for row in rows.to_dict("records") for figure in figures_in(row["progress"])]
    result = pd.DataFrame(found).reindex(columns=FIGURE_COLUMNS)
    result["value"] = result["value"].astype("float64")
    return result


# --------------------------------------------------------------------------- inferred status


def infer_status(frame: pd.DataFrame, infer: bool = True) -> pd.DataFrame:
    """Add a status read from the progress wording where the service gave none; return a new frame.

    Only rows whose ``status`` is "no status" and that have progress text are changed: ``status`` becomes
    the first status of ``conventions/actions.toml`` ``[inferred]`` one of whose phrases the text holds,
    ``status_source`` "inferred" and ``status_read_from`` "progress". ``status_evidence`` holds the phrase
    ("" elsewhere). Given statuses are never changed. Reports must say an inferred status is inferred
    (:mod:`harrowperf.present.actions` does). With ``infer=False`` nothing is inferred (a notebook
    parameter switches it): the frame comes back with an empty ``status_evidence``.
    """
    phrases = settings().actions.inferred
    result = frame.copy()
    evidence = pd.Series("", index=frame.index, dtype=object)
    open_rows = (frame["status"] == "no status") & frame["progress"].str.strip().ne("") & infer
    for index, text in frame.loc[open_rows, "progress"].items():
        lowered = " ".join(text.split()).casefold()
        for status, words in phrases.items():
            hit = next((word for word in words if word.casefold() in lowered), None)
            if hit is not None:
                result.loc[index, ["status", "status_source", "status_read_from"]] = [status, "inferred", "progress"]
                evidence[index] = hit
                break
    result["status_evidence"] = evidence
    return result


# --------------------------------------------------------------------------- actions and scorecard measures


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def linked_measures(actions: pd.DataFrame, scorecard: pd.DataFrame, quarter: str | pd.Period,
                    catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each action of the ``quarter`` report beside the scorecard measures of its theme or priority.

    A measure is linked when the measure catalogue (``data/measures.csv``) gives it the action's theme,
    or names the action's theme or objective among its priorities (``linked_by`` says which). The
    measure's RAG, figure and target are those of ``scorecard`` (an analysed frame, see
    :func:`harrowperf.analyse.gaps.analyse`) in the same quarter; a linked measure without a row that
    quarter is listed with blanks. One row per action and measure; actions with no linked measure are
    left out. Columns: :data:`LINK_COLUMNS`.
    """
    from harrowperf.analyse.gaps import analyse_if_needed
    from harrowperf.read.catalogue import load

    period = report_quarter(actions, quarter)
    table = load() if catalogue is None else catalogue
    by_theme: dict[str, list[str]] = {}
    by_priority: dict[str, list[str]] = {}
    for row in table.itertuples(index=False):
        by_theme.setdefault(_norm(row.theme), []).append(row.measure_id)
        for priority in str(row.priority if isinstance(row.priority, str) else "").split(";"):
            if priority.strip():
                by_priority.setdefault(_norm(priority), []).append(row.measure_id)
    data = analyse_if_needed(scorecard)
    now = data[data["period"] == period].drop_duplicates("measure_id").set_index("measure_id")
    names = table.set_index("measure_id")["name"]
    rows = []
    for action in _of_quarter(actions, period).to_dict("records"):
        links: dict[str, str] = {}
        for measure_id in by_theme.get(_norm(action["theme"]), []):
            links.setdefault(measure_id, "theme")
        for field in ("theme", "objective"):
            for measure_id in by_priority.get(_norm(action[field]), []):
                links.setdefault(measure_id, "priority")
        for measure_id, how in links.items():
            seen = now.loc[measure_id] if measure_id in now.index else None
            rows.append({**{k: action[k] for k in _KEY}, "linked_by": how, "measure_id": measure_id,
                         "measure": seen["measure"] if seen is not None else names.get(measure_id, measure_id),
                         **{column: (seen[column] if seen is not None else None)
                            for column in ("rag_status", "actual_text", "target_text", "cell_actual")}})
    return pd.DataFrame(rows).reindex(columns=LINK_COLUMNS)


__all__ = ["ALL_THEMES", "AT_RISK_COLUMNS", "CHANGE_COLUMNS", "COUNT_COLUMNS", "FIGURE_COLUMNS", "LINK_COLUMNS",
           "NO_UPDATE_COLUMNS", "OVERDUE_COLUMNS", "at_risk", "counts", "figures_in", "infer_status",
           "has_report", "linked_measures", "no_update", "of_report", "overdue", "previous_report", "quoted_figures",
           "report_quarter", "reported_quarters", "status_changes"]

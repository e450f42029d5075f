"""Plan actions for readers: the actions report's sentences and tables.

Every function takes what :mod:`harrowperf.analyse.actions` returned and gives a :class:`Markdown`
sentence or a frame of text with plain headings (shown with :func:`harrowperf.present.tables.display`).
Figures go through the one formatter (:mod:`harrowperf.present.format`); text from the workbooks is
escaped in sentences (and by ``display`` in tables). A status the service did not give but an analysis
inferred from the progress wording always says so ("on track (inferred from the progress text)"); an
action without a status says "no status given".
"""

from __future__ import annotations

import pandas as pd

from harrowperf.analyse import actions
from harrowperf.foundation.periods import quarter_label
from harrowperf.foundation.schema import ACTION_STATUSES
from harrowperf.present.format import BLANK, format_value, is_blank
from harrowperf.present.format import escape_markdown as md
from harrowperf.present.words import Markdown

INFERRED = "inferred from the progress text, not given by the service"
NO_THEME = "No theme given"


def theme_label(theme: object) -> str:
    """A theme as a report names it; a plan without themes (seed 004) is "No theme given".

    >>> theme_label(""), theme_label("Homes")
    ('No theme given', 'Homes')
    """
    return NO_THEME if is_blank(theme) or not str(theme).strip() else str(theme)


def status_label(status: str, source: str = "given") -> str:
    """A status as a report shows it.

    >>> status_label("on track"), status_label("at risk", "inferred"), status_label("no status", "")
    ('on track', 'at risk (inferred from the progress text, not given by the service)', 'no status given')
    """
    if status == "no status" or is_blank(status):
        return "no status given"
    return f"{status} ({INFERRED})" if source == "inferred" else str(status)


def _labels(table: pd.DataFrame) -> list[str]:
    return [status_label(s, src) for s, src in zip(table["status"], table["status_source"], strict=True)]


def _day(value: object) -> str:
    if is_blank(value):
        return BLANK
    day = pd.Timestamp(value)
    return f"{day.day} {day:%B %Y}"


def _text(values: pd.Series) -> list[str]:
    return [BLANK if is_blank(v) or v == "" else str(v) for v in values]


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{format_value(count, 'count')} {noun if count == 1 else plural or noun + 's'}"


# --------------------------------------------------------------------------- sentences


def _no_report(frame: pd.DataFrame, label: str) -> str:
    present = actions.reported_quarters(frame)
    return (f"There is no progress report on actions for {md(label)} in the data; "
            + (f"the reports present are for {md(', '.join(present))}." if present else
               "the actions in the data have no report quarter (plans without progress reports)."))


def summary(frame: pd.DataFrame, quarter: str | pd.Period) -> Markdown:
    """The quarter's actions in a few sentences: how many, by status, how many overdue and at risk, and
    how many have no status given (never counted as on track)."""
    period = actions.report_quarter(frame, quarter)
    label = quarter_label(period)
    if not actions.has_report(frame, period):
        return Markdown(_no_report(frame, label))
    overall = actions.counts(frame, period).iloc[-1]
    themes = len(actions.counts(frame, period)) - 1
    given = [f"{int(overall[s])} {s}" for s in ACTION_STATUSES if s != "no status" and overall[s]]
    parts = [f"The {md(label)} report has {_plural(int(overall['actions']), 'action')} in "
             f"{_plural(themes, 'theme')}."]
    if given:
        inferred = int(overall["inferred"])
        parts.append("By status: " + ", ".join(given) + "."
                     + (f" {inferred} of these statuses {'is' if inferred == 1 else 'are'} {INFERRED}."
                        if inferred else ""))
    missing = int(overall["no status"])
    if missing and missing == overall["actions"]:
        parts.append("The service gave no status for any of them; the progress text is shown for each.")
    elif missing:
        parts.append(f"{_plural(missing, 'action')} {'has' if missing == 1 else 'have'} no status given by the "
                     "service; the progress text is shown for each.")
    late = actions.overdue(frame, period)
    risky = actions.at_risk(frame, period)
    due = f"due by {_day(period.end_time)} and not complete"
    parts.append((f"{_plural(len(late), 'action')} {'is' if len(late) == 1 else 'are'} overdue ({due})"
                  if len(late) else f"No action is overdue ({due})")
                 + (f"; {len(risky)} {'is' if len(risky) == 1 else 'are'} at risk or off track." if len(risky)
                    else "."))
    return Markdown(" ".join(parts))


def changes_summary(frame: pd.DataFrame, quarter: str | pd.Period) -> Markdown:
    """What changed since the previous report, in one or two sentences."""
    period = actions.report_quarter(frame, quarter)
    before = actions.previous_report(frame, period)
    if not actions.has_report(frame, period):
        return Markdown(_no_report(frame, quarter_label(period)))
    if before is None:
        return Markdown(f"There is no earlier report than {md(quarter_label(period))} in the data to compare with.")
    changes = actions.status_changes(frame, period)
    tally = changes["change"].value_counts()
    said = [f"{int(tally[kind])} {word}" for kind, word in (("better", "improved"), ("worse", "got worse"),
                                                             ("changed", "changed otherwise"), ("new", "new"),
                                                             ("dropped", "no longer reported")) if tally.get(kind)]
    stale = actions.no_update(frame, period)
    return Markdown(f"Since the {md(quarter_label(before))} report: "
                    + (", ".join(said) if said else "no action changed status") + ". "
                    f"{_plural(len(stale), 'action')} {'has' if len(stale) == 1 else 'have'} no new update.")


# --------------------------------------------------------------------------- tables


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.counts` with plain headings, one row per theme (the row label)."""
    shown = pd.DataFrame({
        "Theme": [theme_label(t) for t in table["theme"]],
        "Actions": [format_value(v, "count") for v in table["actions"]],
        **{("No status given" if s == "no status" else s.capitalize()): [format_value(v, "count") for v in table[s]]
           for s in ACTION_STATUSES},
        "Of which inferred": [format_value(v, "count") for v in table["inferred"]],
        "With a due date": [format_value(v, "count") for v in table["due_dated"]],
    })
    return shown.set_index("Theme")


def overdue(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.overdue` for a report."""
    return pd.DataFrame({
        "Theme": _text(table["theme"]), "Action": _text(table["action"]), "Lead": _text(table["lead"]),
        "Due (as written)": _text(table["due_text"]), "Due by": [_day(v) for v in table["due_end"]],
        "Days overdue at quarter end": [format_value(v, "count") for v in table["days_overdue"]],
        "Status": _labels(table), "Cell": _text(table["cell_action"])})


def at_risk(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.at_risk` for a report."""
    return pd.DataFrame({
        "Theme": _text(table["theme"]), "Action": _text(table["action"]), "Status": _labels(table),
        "Due (as written)": _text(table["due_text"]), "Progress": _text(table["progress"]),
        "Cell": _text(table["cell_status"])})


def no_update(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.no_update` for a report."""
    return pd.DataFrame({
        "Theme": _text(table["theme"]), "Action": _text(table["action"]), "Why it is listed": _text(table["reason"]),
        "Progress": _text(table["progress"]), "Cell": _text(table["cell_progress"])})


def status_changes(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.status_changes` for a report."""
    words = {"better": "improved", "worse": "got worse", "changed": "changed", "new": "new this quarter",
             "dropped": "no longer reported"}
    return pd.DataFrame({
        "Theme": _text(table["theme"]), "Action": _text(table["action"]),
        "Before": [BLANK if s == "" else status_label(s) for s in table["status_before"]],
        "Now": [BLANK if s == "" else status_label(s) for s in table["status"]],
        "Change": [words.get(c, c) for c in table["change"]], "Cell": _text(table["cell_status"])})


def quoted_figures(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.quoted_figures` for a report: each figure as written and as read."""
    kinds = {"amount": "amount", "percentage": "percentage", "count": "count"}
    return pd.DataFrame({
        "Action": _text(table["action"]), "Figure as written": _text(table["text"]),
        "Read as": [format_value(v, "£" if u == "£" else "%" if u == "%" else "count")
                    for v, u in zip(table["value"], table["unit"], strict=True)],
        "Kind": [kinds.get(k, k) for k in table["kind"]], "Sentence": _text(table["sentence"]),
        "Cell": _text(table["cell_progress"])})


def actions_table(frame: pd.DataFrame, quarter: str | pd.Period | None = None) -> pd.DataFrame:
    """Every action (of the ``quarter`` report), by theme in workbook order: what, who, when, status,
    progress and the cell."""
    rows = frame if quarter is None else frame[frame["quarter"] == actions.report_quarter(frame, quarter)]
    return pd.DataFrame({
        "Theme": _text(rows["theme"]), "Action": _text(rows["action"]), "Lead": _text(rows["lead"]),
        "Due (as written)": _text(rows["due_text"]), "Status": _labels(rows), "Progress": _text(rows["progress"]),
        "Cell": _text(rows["cell_action"])}).reset_index(drop=True)


def linked_measures(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.actions.linked_measures` summarised per theme: how many actions, the
    measures linked to them and how many of those are red, amber and green this quarter."""
    from harrowperf.foundation.conventions import settings

    groups = settings().rag.groups
    rows = []
    for theme, group in table.groupby("theme", sort=False):
        measures = group.drop_duplicates("measure_id")
        colour = measures["rag_status"].map(lambda code: groups.get(code) if isinstance(code, str) else None)
        red = measures.loc[colour == "red", "measure"].astype(str).tolist()
        rows.append({"Theme": theme, "Actions": format_value(group["action_id"].nunique(), "count"),
                     "Linked measures": format_value(len(measures), "count"),
                     "Red": format_value(int((colour == "red").sum()), "count"),
                     "Amber": format_value(int((colour == "amber").sum()), "count"),
                     "Green": format_value(int((colour == "green").sum()), "count"),
                     "Red measures": "; ".join(red) if red else BLANK})
    return pd.DataFrame(rows, columns=["Theme", "Actions", "Linked measures", "Red", "Amber", "Green",
                                       "Red measures"])


__all__ = ["INFERRED", "NO_THEME", "actions_table", "at_risk", "changes_summary", "linked_measures", "no_update",
           "overdue", "quoted_figures", "status_changes", "status_counts", "status_label", "summary", "theme_label"]

"""Target gaps: how far each measure is from target, per theme and overall, streaks, and the exception list.

Every function takes a scorecard frame and returns a new one. :func:`analyse` runs the whole
chain (:func:`harrowperf.analyse.rag.assess`, :func:`target_gaps`, :func:`rag_status`, :func:`streaks`)
so a notebook needs one call; each step can also be used on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from harrowperf.analyse import rag
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import quarter_label, require_quarter
from harrowperf.foundation.schema import RAG_ORDER

GAP_COLUMNS = ["gap", "gap_rel", "gap_reference", "gap_unit", "on_target"]
STATUS_ORDER = list(RAG_ORDER)
SUMMARY_COLUMNS = ["theme", "measures", "rated", *STATUS_ORDER, "not_rated", "with_gap", "on_target",
                   "share_on_target", "worst_measure", "worst_gap_rel"]
EXCEPTION_COLUMNS = ["theme", "measure_ref", "measure", "measure_id", "as_of", "target_text", "actual_text",
                     "gap_reference", "actual", "gap", "gap_unit", "gap_rel", "rag_status", "rag", "streak",
                     "previous_quarter", "rag_previous", "status_note", "cell_actual"]
COMMENTARY_COLUMNS = ["commentary_heading", "commentary", "cell_commentary"]


def target_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Add each observation's gap to target; return a new frame.

    Columns added: ``gap`` (actual minus what it is compared with, in the measure's unit, signed
    so that positive is better: +0.5 on a "Lower" measure means 0.5 below target), ``gap_rel``
    (gap / |target|; NaN for a target of 0), ``gap_reference`` (the target, the nearer bound of a
    range, or last year's figure for "Year on year reduction"), ``gap_unit`` (the measure's
    unit, or "rank" for rank ranges: the gap is then in places) and ``on_target`` (gap >= 0;
    missing where there is no gap). Inside a target range the gap is 0. A target of 0 has a gap
    (and ``on_target``) but no relative gap. Uses the ``rag_*`` columns of
    :func:`harrowperf.analyse.rag.assess` when present, else :func:`harrowperf.analyse.rag.compare`.
    """
    comparison = frame if "rag_gap" in frame.columns else rag.compare(frame)
    decimals = settings().target_gap.assessment.deviation_decimals
    result = frame.drop(columns=[c for c in GAP_COLUMNS if c in frame.columns]).copy()
    gap = comparison["rag_gap"].astype("float64")
    result["gap"] = gap
    result["gap_rel"] = comparison["rag_deviation"].astype("float64")
    result["gap_reference"] = comparison["rag_reference"].astype("float64")
    unit = frame["unit"].astype(object).fillna("")
    is_rank = comparison["rag_basis"].astype(object) == "rank range"
    result["gap_unit"] = pd.array(np.where(is_rank, "rank", unit), dtype="string")
    met = gap.round(decimals) >= 0
    result["on_target"] = pd.array(np.where(gap.isna(), None, met), dtype="boolean")
    return result


def rag_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``rag_status``: the computed RAG where there is one, else the reported RAG; and
    ``rag_status_from`` ("computed" or "reported"). Needs :func:`harrowperf.analyse.rag.assess` first."""
    _require(frame, ["rag_computed"], "harrowperf.analyse.rag.assess")
    result = frame.copy()
    computed = frame["rag_computed"].astype(object)
    reported = frame["rag"].astype(object)
    result["rag_status"] = pd.array(computed.where(computed.notna(), reported), dtype="string")
    result["rag_status_from"] = pd.array(
        np.select([computed.notna().to_numpy(), reported.notna().to_numpy()], ["computed", "reported"],
                  default=None), dtype="string")
    return result


def streaks(frame: pd.DataFrame, status: str = "rag_status") -> pd.DataFrame:
    """Add ``streak``: how many consecutive quarters, up to and including this one, the measure's
    ``status`` has been in the same colour group (green, amber, red); and ``streak_colour``.

    Quarters must follow one another: Q2 2015/16 then Q1 2016/17 is a break, so a streak never
    spans a gap in the data. Missing where there is no status. Measures are matched on
    ``measure_id`` (apply :func:`harrowperf.read.catalogue.apply` first so ids are stable).
    """
    _require(frame, [status], "harrowperf.analyse.gaps.rag_status")
    groups = settings().rag.groups
    # positions, not labels: the frame's index may repeat labels
    order = frame.reset_index(drop=True).sort_values(["measure_id", "period"], kind="stable")
    colour = order[status].astype(object).map(groups)
    ordinal = pd.Series(order["period"].array.asi8, index=order.index)
    by_measure = order["measure_id"]
    follows = ordinal.groupby(by_measure).diff() == 1
    same = colour.eq(colour.groupby(by_measure).shift())
    starts = ~(follows & same & colour.notna())
    run = starts.cumsum()
    length = (run.groupby(run).cumcount() + 1).where(colour.notna())
    result = frame.copy()
    result["streak"] = pd.array(length.sort_index().to_numpy(), dtype="Int64")
    result["streak_colour"] = pd.array(colour.sort_index().to_numpy(), dtype="string")
    return result


def analyse(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """The whole chain: RAG assessed (:func:`harrowperf.analyse.rag.assess`), gaps, status and streaks.

    First each measure is given one row per quarter (:func:`harrowperf.analyse.series.one_per_quarter`):
    a monthly measure its quarter's last month (the rule in conventions/target_gap.toml), an annual one
    its year, in the quarter the year ends. Frames of quarters only are unchanged.
    """
    from harrowperf.analyse.series import one_per_quarter

    return streaks(rag_status(target_gaps(rag.assess(one_per_quarter(frame), bands))))


# ---------------------------------------------------------------------------
# Per-quarter views: summary, worst gaps, exceptions
# ---------------------------------------------------------------------------


def quarters(frame: pd.DataFrame) -> list[str]:
    """The quarters in the data, oldest first, as labels ("Q2 2016/17")."""
    return [quarter_label(p) for p in sorted(frame["period"].dropna().unique())]


def check_quarter(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.Period:
    """The quarter as a Period; :class:`ParameterError` listing the quarters present if it is not in the data."""
    return require_quarter(quarter, quarters(frame))


def recent(frame: pd.DataFrame, quarter: str | pd.Period | None = None, count: int | None = None) -> pd.DataFrame:
    """The rows of the ``count`` calendar quarters ending with ``quarter`` (default: the latest in
    the data; ``count`` defaults to ``[summary] recent_quarters``). Rows after the quarter are left out."""
    if frame.empty:
        return frame
    period = check_quarter(frame, quarter) if quarter is not None else frame["period"].max()
    span = settings().target_gap.summary.recent_quarters if count is None else count
    return frame[(frame["period"] <= period) & (frame["period"] > period - span)].copy()


def as_reported(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """The rows of the quarters the council's scorecard for ``quarter`` shows: the quarter, the quarter
    before and the same quarter last year (so a quarter's RAG check counts what its scorecard reported,
    however many later workbooks repeat those quarters)."""
    period = check_quarter(frame, quarter)
    return frame[frame["period"].isin([period - 4, period - 1, period])].copy()


def select_theme(frame: pd.DataFrame, theme: str | None) -> pd.DataFrame:
    """The rows of one theme (case and spacing do not matter); the whole frame when theme is None.

    Raises :class:`ParameterError` listing the themes present when ``theme`` is not one of them.
    """
    if theme is None:
        return frame
    wanted = " ".join(str(theme).split()).casefold()
    names = frame["theme"].astype(object)
    chosen = names.map(lambda name: " ".join(str(name).split()).casefold()) == wanted
    if not chosen.any():
        present = ", ".join(repr(t) for t in dict.fromkeys(names.dropna()))
        raise ParameterError(f"theme {theme!r} is not in the data; the themes present are: {present}")
    return frame[chosen].copy()


def analyse_if_needed(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """``frame`` itself if :func:`analyse` has been run on it, else ``analyse(frame, bands)``."""
    return frame if "streak" in frame.columns and "gap" in frame.columns else analyse(frame, bands)


def summary(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Per theme and overall ("All themes", last row), for one quarter: how many measures, how
    many rated, the count of each RAG status (:data:`STATUS_ORDER`), how many have a gap to target
    and how many of those are on target (and the share), and the measure furthest below target.
    Columns: :data:`SUMMARY_COLUMNS`. Statuses are ``rag_status`` (computed, else reported).
    """
    data = analyse_if_needed(frame)
    period = check_quarter(data, quarter)
    rows = data[data["period"] == period]
    parts = [(theme, group) for theme, group in rows.groupby("theme", sort=False)]
    parts.append(("All themes", rows))
    return pd.DataFrame([_summary_row(theme, group) for theme, group in parts], columns=SUMMARY_COLUMNS)


def _summary_row(theme: str, rows: pd.DataFrame) -> dict:
    counts = rows["rag_status"].value_counts()
    with_gap = int(rows["on_target"].notna().sum())
    on_target = int(rows["on_target"].fillna(False).sum())
    worst = rows[rows["gap_rel"].notna()].sort_values("gap_rel", kind="stable").head(1)
    worst_met = worst.empty or worst["gap_rel"].iloc[0] >= 0
    return {
        "theme": theme, "measures": int(rows["measure_id"].nunique()),
        "rated": int(rows["rag_status"].notna().sum()),
        **{code: int(counts.get(code, 0)) for code in STATUS_ORDER},
        "not_rated": int(rows["rag_status"].isna().sum()), "with_gap": with_gap, "on_target": on_target,
        "share_on_target": on_target / with_gap if with_gap else np.nan,
        "worst_measure": None if worst_met else worst["measure"].iloc[0],
        "worst_gap_rel": np.nan if worst_met else float(worst["gap_rel"].iloc[0]),
    }


def without_polarity(frame: pd.DataFrame, quarter: str | pd.Period) -> int:
    """How many measures have a target and a figure in the quarter but no polarity ("Good ="), so no gap:
    whether a figure above target is better or worse is not known."""
    data = analyse_if_needed(frame)
    period = check_quarter(data, quarter)
    rows = data[data["period"] == period]
    has_target = rows["target"].notna() | rows["target_low"].notna() | rows["target_high"].notna()
    unsigned = rows[has_target & rows["actual"].notna() & rows["polarity"].isna()]
    return int(unsigned["measure_id"].nunique())


def worst_gaps(frame: pd.DataFrame, quarter: str | pd.Period, n: int | None = None) -> pd.DataFrame:
    """The ``n`` observations of the quarter furthest below target (most negative ``gap_rel``),
    worst first; ``n`` defaults to ``conventions/target_gap.toml`` ``[summary] worst_gaps``."""
    data = analyse_if_needed(frame)
    period = check_quarter(data, quarter)
    count = settings().target_gap.summary.worst_gaps if n is None else n
    rows = data[(data["period"] == period) & (data["gap_rel"] < 0)]
    columns = ["theme", "measure_ref", "measure", "target_text", "actual_text", "gap", "gap_unit", "gap_rel",
               "rag_status", "cell_actual"]
    return rows.sort_values("gap_rel", kind="stable").head(count)[columns].reset_index(drop=True)


def exceptions(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """The exception list for a quarter, in the shape of a scorecard's "Summary of key challenges".

    A measure is listed when its latest figure (the quarter itself, or for figures reported in
    arrears up to ``[exceptions] max_age_quarters`` earlier) is in a colour group of
    ``[exceptions] groups`` (red by default) by its computed status or by the reported one, so a
    status the service reported red is never hidden. One row per measure: theme, measure, the
    quarter of the figure (``as_of``), target and actual as printed, the gap, the relative gap,
    the status (computed, else reported) beside the reported RAG, the streak of quarters in that
    colour, and the RAG of the quarter before. Worst relative gap first. Columns:
    :data:`EXCEPTION_COLUMNS`.
    """
    data = analyse_if_needed(frame)
    period = check_quarter(data, quarter)
    exceptions = settings().target_gap.exceptions
    groups = settings().rag.groups
    oldest = period - exceptions.max_age_quarters
    window = data[(data["period"] <= period) & (data["period"] >= oldest)
                  & (data["rag_status"].notna() | data["rag"].notna())]
    latest = window.sort_values(["measure_id", "period"], kind="stable").groupby("measure_id").tail(1)
    flagged = latest["rag_status"].astype(object).map(groups).isin(exceptions.groups) | \
        latest["rag"].astype(object).map(groups).isin(exceptions.groups)
    chosen = latest[flagged].copy()
    before = data.assign(period=data["period"] + 1)[["measure_id", "period", "rag_status", "period_label"]]
    before = before.drop_duplicates(["measure_id", "period"]).rename(
        columns={"rag_status": "rag_previous", "period_label": "previous_quarter"})
    chosen = chosen.merge(before, on=["measure_id", "period"], how="left")
    chosen["as_of"] = chosen["period_label"]
    ordered = chosen.sort_values(["gap_rel", "theme", "measure_id"], kind="stable", na_position="last")
    return ordered.reindex(columns=EXCEPTION_COLUMNS).reset_index(drop=True)


def _commentary_of(commentary: pd.DataFrame, period: pd.Period) -> pd.DataFrame:
    """The linked commentary rows about ``period`` (and undated ones), with a ``measure_id``."""
    if "measure_id" not in commentary.columns:
        raise ParameterError("the commentary has no measure_id column; link it to the scorecard first with "
                             "harrowperf.read.actions.link_commentary (harrowperf clean does, into "
                             "data/clean/commentary.parquet)")
    about = commentary["quarter"].isna() | (commentary["quarter"] == period)
    return commentary[about & commentary["measure_id"].astype(str).ne("")]


def exceptions_with_commentary(frame: pd.DataFrame, commentary: pd.DataFrame,
                               quarter: str | pd.Period) -> pd.DataFrame:
    """The exception list (:func:`exceptions`) with the service's commentary beside each measure.

    ``commentary`` is the linked commentary frame (``data/clean/commentary.parquet``, or
    :func:`harrowperf.read.actions.link_commentary`): rows about ``quarter`` (or undated) are attached by
    ``measure_id``. Adds ``commentary_heading`` (the heading the service wrote it under),
    ``commentary`` (its words, paragraphs separated by a blank line; "" when there is none) and
    ``cell_commentary`` (where it is). Several rows about one measure are joined in their order.
    Commentary about a measure that is not on the list is not lost: :func:`unlisted_commentary` gives it.
    Columns: :data:`EXCEPTION_COLUMNS` then :data:`COMMENTARY_COLUMNS`.
    """
    listed = exceptions(frame, quarter)
    period = check_quarter(analyse_if_needed(frame), quarter)
    about = _commentary_of(commentary, period)
    joined = about.groupby("measure_id", sort=False).agg(
        commentary_heading=("heading", lambda h: "; ".join(dict.fromkeys(t for t in h if t))),
        commentary=("commentary", lambda c: "\n\n".join(c)),
        cell_commentary=("cell_commentary", lambda c: ", ".join(c)))
    result = listed.merge(joined, left_on="measure_id", right_index=True, how="left")
    for column in COMMENTARY_COLUMNS:
        result[column] = result[column].fillna("").astype(object)
    return result.reindex(columns=[*EXCEPTION_COLUMNS, *COMMENTARY_COLUMNS]).reset_index(drop=True)


def unlisted_commentary(frame: pd.DataFrame, commentary: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """Commentary about ``quarter`` that :func:`exceptions_with_commentary` shows beside no measure: about a
    measure not on the exception list, or not linked to a scorecard measure at all. Same columns as
    ``commentary``."""
    period = check_quarter(analyse_if_needed(frame), quarter)
    if "measure_id" not in commentary.columns:
        _commentary_of(commentary, period)  # raises the plain message
    about = commentary[commentary["quarter"].isna() | (commentary["quarter"] == period)]
    listed = set(exceptions(frame, quarter)["measure_id"])
    return about[~about["measure_id"].isin(listed)].reset_index(drop=True)


def _require(frame: pd.DataFrame, columns: list[str], step: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"the frame has no {', '.join(missing)} column; run {step}(frame) first "
                             "(or harrowperf.analyse.gaps.analyse(frame), which runs every step)")


__all__ = ["COMMENTARY_COLUMNS", "EXCEPTION_COLUMNS", "GAP_COLUMNS", "SUMMARY_COLUMNS", "analyse",
           "analyse_if_needed", "check_quarter", "exceptions", "exceptions_with_commentary", "quarters", "recent",
           "rag_status", "select_theme", "streaks", "summary", "target_gaps", "unlisted_commentary", "worst_gaps"]

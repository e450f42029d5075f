"""Direction of travel for every measure, the measure overview, and the trend notebook's parameter check.

The functions take the tidy scorecard frame (one row per measure x period) and return new frames:

* :func:`direction` adds the change on the previous quarter and on the same quarter last year and
  labels it improving / declining / no change by the measure's polarity;
* :func:`overview` joins that with the SPC icons (:mod:`harrowperf.analyse.spc`) into one row per measure
  (:func:`harrowperf.present.tables.trend_overview` turns it into the table a report shows first);
* :func:`check_parameters` validates the trend notebook's parameters.

The series helpers (:mod:`harrowperf.analyse.series`) are shared with :mod:`harrowperf.analyse.spc`
and :mod:`harrowperf.analyse.forecast`: one series is one measure (and area, when the frame has
``area_code``), ordered by quarter.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from harrowperf.analyse.series import (
    available_quarters,
    one_per_quarter,
    series_keys,
    sort_series,
    value_codes,
    with_columns,
)
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import (
    QUARTER_FREQ,
    quarter_label,
    require_quarter,
    to_quarter,
)

DIRECTIONS = ("improving", "declining", "no change")
# What a direction compares with: a quarter's, a month's and a year's (a year's previous is last year's).
DIRECTION_BASES = ("previous quarter", "same quarter last year", "previous month", "same month last year",
                   "previous year")
YEAR_ON_YEAR_BASES = ("same quarter last year", "same month last year", "previous year")
COMPARISONS = ("auto", "previous", "year")


# ---------------------------------------------------------------------------
# Direction of travel
# ---------------------------------------------------------------------------


def direction(
    frame: pd.DataFrame,
    *,
    compare: str | None = None,
    keys: str | tuple[str, ...] | list[str] | None = None,
    value: str = "actual",
) -> pd.DataFrame:
    """Direction of travel of every observation, by the measure's polarity.

    ``compare``: "auto" (default, from conventions/spc.toml) compares with the same quarter last
    year when that has a value and otherwise with the previous quarter; "previous" or "year" force
    one. Quarters are matched by date, not by row: a missing quarter gives no comparison. Each
    series compares like with like at its own frequency (``frequency``): a month with the previous
    month and the same month last year (12 back), a year with the year before.

    Returns a new frame (rows in input order) with added columns ``change_prev`` and
    ``change_prev_pct`` (change on the previous period, in the measure's unit and as % of the
    earlier value), ``change_yoy`` and ``change_yoy_pct`` (on the same period a year earlier),
    ``direction`` ("improving", "declining", "no change"; missing without a comparison, a value or
    a polarity) and ``direction_basis`` ("previous quarter", "same quarter last year", "previous
    month", "same month last year" or "previous year").

    "In range" measures improve when they move closer to (or into) their target range.

    >>> from harrowperf import synthetic
    >>> f = synthetic.frame_from_values([5.0, 6.0], polarity="lower")
    >>> later = direction(f).iloc[1]
    >>> float(later["change_prev"]), later["direction"]
    (1.0, 'declining')
    """
    conventions = settings().spc.direction
    compare = compare or conventions.compare
    if compare not in COMPARISONS:
        raise ParameterError(f"compare must be one of {', '.join(COMPARISONS)}, not {compare!r}")
    if value not in frame.columns:
        raise ParameterError(f"the frame has no column {value!r}")
    series = sort_series(frame, keys)
    n = series.size
    y = frame[value].to_numpy(dtype=np.float64, na_value=np.nan)[series.order]
    y[~np.isfinite(y)] = np.nan

    def earlier(lag: np.ndarray | int) -> np.ndarray:
        """Value of the same series ``lag`` periods earlier, per row (NaN when that period is absent).

        Rows are unique and sorted by series then period, so that period, if present, is one
        of the ``lag`` rows just before.
        """
        out = np.full(n, np.nan)
        steps, codes, has_period = series.steps, series.codes, series.has_period
        for back in range(1, min(int(np.max(lag, initial=0)), n - 1) + 1):
            # row i (from ``back`` on) against row i - back, as slices; adding to the earlier
            # step (never subtracting) keeps missing periods from overflowing
            found = steps[:-back] + (lag if isinstance(lag, int) else lag[back:]) == steps[back:]
            found &= codes[back:] == codes[:-back]
            found &= has_period[back:]
            found &= has_period[:-back]
            out[back:][found] = y[:-back][found]
        return out

    per_year = series.per_year
    one_frequency = n and per_year.min() == per_year.max()
    previous = earlier(1)
    last_year = earlier(int(per_year[0]) if one_frequency else per_year)
    change_prev, change_yoy = y - previous, y - last_year
    prev_pct, yoy_pct = _percent_change(change_prev, previous), _percent_change(change_yoy, last_year)

    use_year = {
        "auto": np.isfinite(change_yoy),
        "year": np.ones(n, dtype=bool),
        "previous": np.zeros(n, dtype=bool),
    }[compare]
    reference = np.where(use_year, last_year, previous)
    delta = y - reference
    # basis codes (DIRECTION_BASES): quarters 0/1, months 2/3, years 4 either way
    monthly, yearly = per_year == 12, per_year == 1
    previous_code = np.select([monthly, yearly], [np.int8(2), np.int8(4)], np.int8(0))
    year_code = np.select([monthly, yearly], [np.int8(3), np.int8(4)], np.int8(1))
    basis = np.where(np.isfinite(delta), np.where(use_year, year_code, previous_code), np.int8(-1))

    polarity = (value_codes(frame["polarity"], ("higher", "lower", "in_range"))[series.order]
                if "polarity" in frame.columns else np.full(n, -1, dtype=np.int8))
    higher, lower, in_range = polarity == 0, polarity == 1, polarity == 2

    tolerance = conventions.no_change_tolerance
    # "better" is positive when the value moved in the good direction
    better = np.full(n, np.nan)
    np.copyto(better, delta, where=higher)
    np.negative(delta, out=better, where=lower)
    if in_range.any():  # only these rows need their targets
        rows = series.order[in_range]
        low = _float_column(frame, "target_low")[rows]
        high = _float_column(frame, "target_high")[rows]
        better[in_range] = (_distance_outside(reference[in_range], low, high)
                            - _distance_outside(y[in_range], low, high))
    label = np.full(n, -1, dtype=np.int8)
    known = np.isfinite(better)
    label[known & (better > tolerance)] = DIRECTIONS.index("improving")
    label[known & (better < -tolerance)] = DIRECTIONS.index("declining")
    label[known & (np.abs(better) <= tolerance)] = DIRECTIONS.index("no change")
    basis[~known] = -1

    inverse = series.inverse
    return with_columns(frame, {
        "change_prev": change_prev[inverse],
        "change_prev_pct": prev_pct[inverse],
        "change_yoy": change_yoy[inverse],
        "change_yoy_pct": yoy_pct[inverse],
        "direction": pd.Categorical.from_codes(label[inverse], categories=list(DIRECTIONS)),
        "direction_basis": pd.Categorical.from_codes(basis[inverse], categories=list(DIRECTION_BASES)),
    })


def _percent_change(change: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``change`` as a percentage of the size of ``base`` (NaN where base is 0), in place of new arrays."""
    percent = np.abs(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(change, percent, out=percent)
    percent *= 100
    percent[base == 0] = np.nan
    return percent


def _distance_outside(y: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """How far a value lies outside [low, high] (0 inside; NaN when a bound or the value is missing)."""
    with np.errstate(invalid="ignore"):
        return np.maximum(np.maximum(low - y, y - high), 0.0) + 0 * (low + high + y)


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype=np.float64, na_value=np.nan)


# ---------------------------------------------------------------------------
# Overview: one row per measure, direction of travel and SPC icons
# ---------------------------------------------------------------------------


def overview(
    frame: pd.DataFrame,
    quarter: str | pd.Period | None = None,
    *,
    keys: str | tuple[str, ...] | list[str] | None = None,
    **spc_options: Any,
) -> pd.DataFrame:
    """One row per measure as at ``quarter`` (default: the latest quarter in the frame).

    Columns: the series keys, ``theme``, ``measure_ref``, ``measure``, ``unit``, ``polarity``,
    ``actual`` and ``target`` at the quarter, ``change_prev``, ``change_yoy``, ``direction``,
    ``direction_basis`` at the quarter, then the :func:`harrowperf.analyse.spc.summary` columns
    (``latest_period_label``, ``variation``, ``variation_icon``, ``variation_text``,
    ``assurance``, ``assurance_text``, ``points``, ``short_series``, ``status``, ...).
    Rows are ordered by theme and measure reference as the scorecard prints them.
    """
    from harrowperf.analyse import spc

    if len(frame) == 0:
        raise ParameterError("the frame is empty: there are no measures to summarise")
    quarters = available_quarters(frame)
    wanted = quarter_label(to_quarter(quarter)) if quarter is not None else quarters[-1]
    upto = spc.frame_up_to(frame, wanted)
    key_columns = series_keys(upto, keys)
    travel = direction(upto, keys=key_columns)
    travel = one_per_quarter(travel, keys=keys, across_frequencies=False)  # a monthly series: its quarter's month
    at_quarter = travel.loc[np.asarray(pd.PeriodIndex(travel["period"]) == to_quarter(wanted))]
    icons = spc.summary(upto, keys=key_columns, **spc_options)
    columns = [
        c for c in (
            "actual", "target", "change_prev", "change_yoy", "direction", "direction_basis"
        ) if c in at_quarter.columns
    ]
    # actual and target are those of the quarter asked for; the icons keep their latest point
    merged = icons.drop(columns=["target"]).merge(
        at_quarter[[*key_columns, *columns]], on=list(key_columns), how="left", validate="one_to_one"
    )
    first = upto.drop_duplicates(list(key_columns))
    extra = [c for c in ("measure_ref", "sheet") if c in first.columns and c not in merged.columns]
    if extra:
        merged = merged.merge(first[[*key_columns, *extra]], on=list(key_columns), how="left")
    merged.insert(0, "quarter", wanted)
    lead = [
        c for c in ("quarter", "theme", "measure_ref", "measure", *key_columns, "unit", "polarity",
                    "actual", "target", "change_prev", "change_yoy", "direction", "direction_basis")
        if c in merged.columns
    ]
    merged = merged[lead + [c for c in merged.columns if c not in lead]]
    return _scorecard_order(merged).reset_index(drop=True)


def _scorecard_order(frame: pd.DataFrame) -> pd.DataFrame:
    if "measure_ref" not in frame.columns:
        return frame
    ref = pd.to_numeric(frame["measure_ref"], errors="coerce")
    themes = frame["theme"] if "theme" in frame.columns else pd.Series("", index=frame.index)
    theme_rank = themes.map({t: i for i, t in enumerate(pd.unique(themes))})
    return frame.assign(_t=theme_rank, _r=ref).sort_values(["_t", "_r"], kind="stable").drop(
        columns=["_t", "_r"]
    )


@dataclass(frozen=True)
class DetailSelection:
    """Which measures a report charts in detail, and why.

    ``basis`` is "none" (no measures), "chosen" (the measure asked for), "special cause" (the
    counts say how many of each kind there were; at most ``limit`` are picked) or "longest series".
    :func:`harrowperf.present.words.detail_reason` says it in words.
    """

    measure_ids: tuple[str, ...]
    trend_measure_id: str | None
    basis: str
    chosen_measure: str = ""
    concern: int = 0
    improvement: int = 0
    failing: int = 0
    limit: int = 0


ATTENTION_REASONS = ("concern", "improvement", "failing")


def needs_attention(summary_frame: pd.DataFrame, *, limit: int | None = None,
                    reasons: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """The measures that need attention, one row each, in the order a report charts them.

    ``summary_frame`` is :func:`overview`'s or :func:`harrowperf.analyse.spc.summary`'s result.
    ``reasons`` (default ``[report] attention`` in ``conventions/spc.toml``) are taken in order:
    "concern" and "improvement" (special cause at the latest point), "failing" (consistently fails
    its target on a series long enough for settled limits: a short series' assurance is
    provisional, never a reason to headline a measure). A measure is listed once, under its first
    reason; within a reason the scorecard order is kept. Returns the rows of ``summary_frame``
    (the first ``limit``, all when None) with an added column ``attention`` (the reason).
    """
    reasons = tuple(settings().spc.report.attention if reasons is None else reasons)
    unknown = [r for r in reasons if r not in ATTENTION_REASONS]
    if unknown:
        raise ParameterError(f"unknown reason(s) {', '.join(map(repr, unknown))}; "
                             f"the reasons are: {', '.join(ATTENTION_REASONS)}")
    variation = summary_frame["variation"].astype(object)
    settled = (~summary_frame["short_series"].astype(bool) if "short_series" in summary_frame
               else pd.Series(True, index=summary_frame.index))
    failing = ((summary_frame["assurance"].astype(object) == "consistently_fails") & settled
               & ~variation.isin(["concern", "improvement"]))
    masks = {"concern": variation == "concern", "improvement": variation == "improvement", "failing": failing}
    parts = [summary_frame.loc[masks[r].to_numpy(dtype=bool)].assign(attention=r) for r in reasons]
    picked = pd.concat(parts) if parts else summary_frame.iloc[:0].assign(attention="")
    picked = picked.drop_duplicates("measure_id")
    return picked if limit is None else picked.head(limit)


def detail_selection(
    summary_frame: pd.DataFrame, measure_id: str | None = None, *, limit: int | None = None
) -> DetailSelection:
    """Pick the measures to chart in detail from :func:`overview`'s result.

    The measure asked for, if any; else :func:`needs_attention` (special cause at the latest
    point, concern first, then those that consistently fail their target on a settled series),
    at most ``limit`` (default ``[report] detail_charts`` in ``conventions/spc.toml``); if there are
    none, the measures with the longest series. ``trend_measure_id`` is the one to show with its
    trend and forecast: the measure asked for, else the longest series among those picked.
    """
    if limit is None:
        limit = settings().spc.report.detail_charts
    if len(summary_frame) == 0:
        return DetailSelection((), None, "none")
    frame = summary_frame.assign(_points=summary_frame["points"].astype(int))
    if measure_id is not None:
        chosen = frame.loc[frame["measure_id"] == measure_id]
        ids = tuple(chosen["measure_id"])
        name = str(chosen["measure"].iloc[0]) if len(chosen) else ""
        return DetailSelection(ids, ids[0] if ids else None, "chosen" if ids else "none", chosen_measure=name)
    every = needs_attention(frame)
    counts = every["attention"].value_counts()
    picked = every.head(limit)
    basis = "special cause"
    if not len(picked):
        picked = frame.sort_values("_points", ascending=False, kind="stable").head(min(limit, 3))
        basis = "longest series"
    trend_pick = picked.sort_values("_points", ascending=False, kind="stable")["measure_id"].iloc[0]
    return DetailSelection(tuple(picked["measure_id"]), trend_pick, basis, concern=int(counts.get("concern", 0)),
                           improvement=int(counts.get("improvement", 0)), failing=int(counts.get("failing", 0)),
                           limit=limit)


# ---------------------------------------------------------------------------
# Notebook parameters
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendParameters:
    """The trend notebook's validated parameters and the data they select.

    ``frame``: scorecard rows of the selected theme up to and including ``quarter``;
    ``measure_id``: the selected measure (None for all); ``quarters``: every quarter in the data.
    """

    quarter: pd.Period
    quarter_label: str
    theme: str | None
    measure_id: str | None
    frame: pd.DataFrame
    quarters: tuple[str, ...]


def check_parameters(
    frame: pd.DataFrame,
    quarter: str | pd.Period = "Q2 2016/17",
    theme: str | None = None,
    measure: str | None = None,
) -> TrendParameters:
    """Validate the trend notebook's parameters against the scorecard frame and select its rows.

    Raises :class:`harrowperf.ParameterError` with a message saying what is accepted: a quarter
    not in the data lists the quarters that are; an unknown theme lists the themes; an unknown
    measure suggests the nearest names.
    """
    quarters = tuple(available_quarters(frame))
    wanted = require_quarter(quarter, list(quarters))
    if theme is not None:
        themes = [t for t in pd.unique(frame["theme"].dropna())]
        chosen = [t for t in themes if str(t).casefold() == str(theme).strip().casefold()]
        if not chosen:
            raise ParameterError(f"theme {theme!r} is not in the data; themes: {'; '.join(themes)}")
        theme = chosen[0]
        frame = frame.loc[frame["theme"] == theme]
    measure_id = None
    if measure is not None:
        measure_id = _find_measure(frame, measure)
    periods = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ)
    frame = frame.loc[np.asarray(periods <= wanted)].reset_index(drop=True)
    return TrendParameters(
        quarter=wanted, quarter_label=quarter_label(wanted), theme=theme, measure_id=measure_id, frame=frame,
        quarters=quarters,
    )


def _find_measure(frame: pd.DataFrame, measure: str) -> str:
    wanted = str(measure).strip().casefold()
    names = frame.drop_duplicates("measure_id")[["measure_id", "measure"]]
    for row in names.itertuples(index=False):
        if wanted in (str(row.measure_id).casefold(), str(row.measure).casefold()):
            return str(row.measure_id)
    close = difflib.get_close_matches(
        str(measure), [str(m) for m in names["measure"]] + [str(m) for m in names["measure_id"]], n=3
    )
    hint = f"; did you mean: {'; '.join(close)}" if close else ""
    raise ParameterError(f"measure {measure!r} is not in the data (give its name or measure_id){hint}")


__all__ = [
    "COMPARISONS",
    "DIRECTIONS",
    "ATTENTION_REASONS",
    "DetailSelection",
    "TrendParameters",
    "available_quarters",
    "check_parameters",
    "detail_selection",
    "direction",
    "needs_attention",
    "overview",
]

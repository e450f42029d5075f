"""Statistical process control: XmR charts for every measure at once, as NHS England's Making Data Count.

The method is the one implemented by the R package NHSRplotthedots, read as a sentence:
options are validated into one frozen :class:`SpcOptions`; the centre line and process limits are
computed per measure and segment; each special-cause rule is a small pure function over arrays;
the point types and the variation and assurance icons are derived from the result.

Example::

    from harrowperf import spc, synthetic
    frame = synthetic.frame_from_values([10, 12, 11, 13, 12, 11, 30], polarity="higher")
    spc.xmr(frame)[["period_label", "actual", "centre", "upper_limit", "rule", "point_type"]]
    spc.summary(frame)   # variation "improvement", icon "improvement_high"

Everything is vectorised with numpy over the whole frame (one sort, then array arithmetic with
segment boundaries), so 10,000 measures cost about as much as a pandas ``groupby().rolling()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from harrowperf.analyse.series import (
    SortedSeries,
    available_quarters,
    series_keys,
    sort_series,
    value_codes,
    with_columns,
)
from harrowperf.foundation.conventions import SpcSettings, settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import QUARTER_FREQ, quarter_label, require_quarter, to_quarter

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
RULES = ("outside_limits", "trend", "two_of_three", "shift")
STATUSES = ("ok", "short", "too_few_points", "no_variation", "screened_to_zero", "no_data")
VARIATIONS = ("common_cause", "improvement", "concern", "neutral", "not_enough_points")
ASSURANCES = ("consistently_meets", "consistently_fails", "hit_and_miss")
TWO_OF_THREE_MODES = ("nhsr", "mdc_2023")


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


def _default(read: Callable[[SpcSettings], Any]) -> Any:
    """A field whose default is read from ``conventions/spc.toml`` when an options object is made."""
    return field(default_factory=lambda: read(settings().spc))


@dataclass(frozen=True)
class SpcOptions:
    """Validated options of an XmR calculation (defaults from ``conventions/spc.toml``).

    keys: columns that identify one series (default: ``measure_id`` plus ``area_code`` if present).
    value / period: the value and Q-MAR period columns.
    screen_outliers: drop moving ranges of ``screening_factor`` x the mean moving range or more
        before recomputing the mean moving range (off reproduces the MDC Excel tool).
    fix_after_n_points: compute the centre and limits from the first N points of each segment
        only (N >= 12) and hold them for the later points.
    rebase: quarters at which a new segment (with its own limits) starts; a tuple of
        ``(key, periods)`` pairs where key ``None`` applies to every series.
    shift_length, trend_length: run lengths in points.
    two_of_three_mode: "nhsr" (NHSRplotthedots) or "mdc_2023" (November 2023 MDC revision).
    minimum_points: a segment with fewer points is marked short.
    """

    keys: tuple[str, ...] | None = None
    value: str = "actual"
    period: str = "period"
    screen_outliers: bool = _default(lambda spc: spc.limits.screen_outliers)
    fix_after_n_points: int | None = None
    rebase: tuple[tuple[Any, tuple[pd.Period, ...]], ...] = ()
    shift_length: int = _default(lambda spc: spc.rules.shift_length)
    trend_length: int = _default(lambda spc: spc.rules.trend_length)
    two_of_three_mode: str = _default(lambda spc: spc.rules.two_of_three_mode)
    minimum_points: int = _default(lambda spc: spc.series.minimum_points)

    @classmethod
    def from_options(cls, frame: pd.DataFrame | None = None, **options: Any) -> SpcOptions:
        """Validate keyword options (as accepted by :func:`xmr`) into one object.

        Raises :class:`harrowperf.ParameterError` naming the option and the values it accepts.
        """
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(options) - set(names))
        if unknown:
            raise ParameterError(
                f"unknown SPC option(s) {', '.join(map(repr, unknown))}; "
                f"the options are: {', '.join(names)}"
            )
        values = dict(options)
        if "keys" in values and values["keys"] is not None:
            keys = values["keys"]
            values["keys"] = (keys,) if isinstance(keys, str) else tuple(keys)
            if not values["keys"] or not all(isinstance(k, str) for k in values["keys"]):
                raise ParameterError(f"keys must be a column name or a list of them, not {keys!r}")
        if "rebase" in values:
            values["rebase"] = _normalise_rebase(values["rebase"])
        made = cls(**values)
        made._check(frame)
        return made

    def _check(self, frame: pd.DataFrame | None) -> None:
        if not isinstance(self.screen_outliers, bool):
            raise ParameterError(f"screen_outliers must be True or False, not {self.screen_outliers!r}")
        minimum_fix = settings().spc.series.minimum_fix_points
        if self.fix_after_n_points is not None and (
            not _is_int(self.fix_after_n_points) or self.fix_after_n_points < minimum_fix
        ):
            raise ParameterError(
                f"fix_after_n_points must be a whole number of at least {minimum_fix} "
                f"(or None), not {self.fix_after_n_points!r}"
            )
        for name in ("shift_length", "trend_length", "minimum_points"):
            value = getattr(self, name)
            if not _is_int(value) or value < 2:
                raise ParameterError(f"{name} must be a whole number of at least 2, not {value!r}")
        if self.two_of_three_mode not in TWO_OF_THREE_MODES:
            raise ParameterError(
                f"two_of_three_mode must be one of {', '.join(TWO_OF_THREE_MODES)}, "
                f"not {self.two_of_three_mode!r}"
            )
        if frame is not None:
            keys = series_keys(frame, self.keys)
            missing = [c for c in (*keys, self.value, self.period) if c not in frame.columns]
            if missing:
                raise ParameterError(
                    f"the frame has no column(s) {', '.join(map(repr, missing))}; "
                    f"it has: {', '.join(map(str, frame.columns))}"
                )
            if not pd.api.types.is_numeric_dtype(frame[self.value]):
                raise ParameterError(
                    f"column {self.value!r} must be numeric, not {frame[self.value].dtype}"
                )


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _normalise_rebase(rebase: Any) -> tuple[tuple[Any, tuple[pd.Period, ...]], ...]:
    """Accept a quarter, a list of quarters (every series) or {key: quarter(s)} (named series)."""
    if rebase is None:
        return ()
    if isinstance(rebase, Mapping):
        items = [(key, _quarters(value)) for key, value in rebase.items()]
    else:
        items = [(None, _quarters(rebase))]
    return tuple((key, periods) for key, periods in items if periods)


def _quarters(value: Any) -> tuple[pd.Period, ...]:
    if isinstance(value, str | pd.Period):
        value = [value]
    if not isinstance(value, Iterable):
        raise ParameterError(f"rebase needs quarters such as 'Q1 2016/17', not {value!r}")
    periods = []
    for item in value:
        try:
            periods.append(to_quarter(item))
        except (ValueError, TypeError) as error:
            raise ParameterError(f"rebase: {error}") from None
    return tuple(sorted(set(periods)))


# ---------------------------------------------------------------------------
# Special-cause rules: small pure functions over arrays in series order.
# ``first`` marks the first point of each segment; runs and windows never cross a segment start.
# ---------------------------------------------------------------------------


def _run_lengths(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Length of the run of equal values each element belongs to (runs restart at segment starts)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = first.copy()
    starts[1:] |= values[1:] != values[:-1]
    run_id = np.cumsum(starts)
    run_id -= 1
    return np.bincount(run_id)[run_id]


def _window_sum(values: np.ndarray, width: int) -> np.ndarray:
    """Sum of ``values`` (small integers or booleans) over the window of ``width`` elements ending at each element."""
    total = np.cumsum(values, dtype=np.int32 if values.size < 2**31 // 2 else np.int64)
    total[width:] -= total[:-width].copy()  # (copied: the slices overlap)
    return total


def _in_any_window(window_ok: np.ndarray, width: int) -> np.ndarray:
    """True for elements inside any qualifying window (windows are marked at their last element)."""
    total = np.cumsum(window_ok, dtype=np.int64)
    ahead = np.full(total.size, total[-1] if total.size else 0)  # qualifying windows ending before i + width
    ahead[: max(total.size - width + 1, 0)] = total[width - 1:]
    before = np.zeros(total.size, dtype=np.int64)  # ... and before i
    before[1:] = total[:-1]
    return ahead - before > 0


def rule_outside_limits(y: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """A point strictly above the upper or below the lower process limit."""
    return (y > upper) | (y < lower)


def rule_shift(side: np.ndarray, first: np.ndarray, length: int) -> np.ndarray:
    """Every point of a run of ``length`` or more points on one side of the mean.

    ``side`` is -1/0/+1 (below/on/above the mean); a point on the mean (0) breaks a run.
    """
    return (side != 0) & (_run_lengths(side, first) >= length)


def rule_trend(
    y: np.ndarray, first: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every point of a run of ``length`` or more points each strictly above (below) the last.

    A tie breaks the run. Returns the flags and each flagged point's direction (+1 increasing,
    -1 decreasing; a point joining two trends takes the direction of the trend it starts).
    """
    step = np.zeros(y.size, dtype=np.int8)
    if y.size > 1:
        step[1:] = np.sign(y[1:] - y[:-1])
    step[first] = 0
    run_steps = (step != 0) & (_run_lengths(step, first) >= length - 1)
    # the step into point i belongs to point i; the point before the run's first step also belongs
    next_in_run = np.zeros(y.size, dtype=bool)
    next_in_run[:-1] = run_steps[1:] & ~first[1:]
    flagged = run_steps | next_in_run
    next_step = np.zeros(y.size, dtype=np.int8)
    next_step[:-1] = step[1:]
    direction = np.where(next_in_run, next_step, np.where(run_steps, step, 0))
    return flagged, direction


def rule_two_of_three(
    y: np.ndarray,
    side: np.ndarray,
    position: np.ndarray,
    limits: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    mode: str,
    window: int,
    count: int,
) -> np.ndarray:
    """Points beyond a near limit in a window of ``window`` points with ``count`` or more such points.

    ``limits`` is (lower, near_lower, near_upper, upper). ``position`` is each point's index in its
    segment (windows never cross a segment start).

    mode "nhsr" (NHSRplotthedots): only points between the near and the outer limit count, every
    point of the window must lie on the same side of the mean, and only the counting points are
    flagged. mode "mdc_2023": any point beyond the near limit counts (also beyond the outer limit),
    per side; the remaining point of the window may lie anywhere.
    """
    lower, near_lower, near_upper, upper = limits
    whole_window = position >= window - 1
    if mode == "nhsr":
        outside = rule_outside_limits(y, lower, upper)
        close = ~outside & ((y < near_lower) | (y > near_upper))
        window_ok = (
            whole_window
            & (_window_sum(close, window) >= count)
            & (np.abs(_window_sum(side, window)) == window)
        )
        return close & _in_any_window(window_ok, window)
    flagged = np.zeros(y.size, dtype=bool)
    for beyond in (y > near_upper, y < near_lower):
        window_ok = whole_window & (_window_sum(beyond, window) >= count)
        flagged |= beyond & _in_any_window(window_ok, window)
    return flagged


# ---------------------------------------------------------------------------
# Limits and point types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    """Arrays in series order (see :class:`harrowperf.analyse.series.SortedSeries`) for every row.

    ``at(name, rows)`` is a result column at the given rows only (summary reads one row per
    series, xmr every row in input order), made when asked for; ``points[name]`` is a per-point
    column's value at each row with a value (``valid``).
    """

    series: SortedSeries
    valid: np.ndarray
    segment: np.ndarray
    at: Callable[[str, np.ndarray], np.ndarray]
    points: dict[str, np.ndarray]


def _segments(series: SortedSeries, options: SpcOptions, frame: pd.DataFrame) -> np.ndarray:
    """Segment number of every row within its series (0 before the first rebase quarter)."""
    segment = np.zeros(series.size, dtype=np.int64)
    for key, periods in options.rebase:
        ordinals = np.sort(np.array([p.ordinal for p in periods], dtype=np.int64))
        if key is None:
            rows = np.ones(series.size, dtype=bool)
        else:
            key_values = key if isinstance(key, tuple) else (key,)
            if len(key_values) > len(series.keys):
                raise ParameterError(f"rebase key {key!r} has more parts than the keys {series.keys}")
            rows = np.ones(series.size, dtype=bool)
            for column, wanted in zip(series.keys, key_values, strict=False):
                rows &= (frame[column].to_numpy()[series.order] == wanted)
            if not rows.any():
                raise ParameterError(
                    f"rebase names {key!r}, which is not a series in the frame "
                    f"(keys: {', '.join(series.keys)})"
                )
        segment[rows] = np.maximum(
            segment[rows], np.searchsorted(ordinals, series.ordinals[rows], side="right")
        )
    return segment


def _compute(frame: pd.DataFrame, options: SpcOptions) -> _Result:
    conventions = settings().spc
    series = sort_series(frame, options.keys, period=options.period)
    y_all = frame[options.value].to_numpy(dtype=np.float64, na_value=np.nan)[series.order]
    valid = np.isfinite(y_all) & series.has_period
    segment = _segments(series, options, frame)

    # Work on the valid points only: each (series, segment) is one run of consecutive rows.
    every_row_valid = bool(valid.all())
    y = y_all if every_row_valid else y_all[valid]
    n_rebase = int(segment.max(initial=0))
    seg_key = series.codes if every_row_valid else series.codes[valid]
    if n_rebase:
        seg_key = seg_key * (n_rebase + 1) + segment[valid]
    n = y.size
    first = np.ones(n, dtype=bool)
    first[1:] = seg_key[1:] != seg_key[:-1]
    seg_id = np.cumsum(first) - 1
    n_seg = int(seg_id[-1]) + 1 if n else 0
    seg_start = np.flatnonzero(first)
    position = np.arange(n)
    position -= seg_start[seg_id]
    points = np.bincount(seg_id, minlength=n_seg)

    if options.fix_after_n_points is None:  # every point counts
        centre = np.bincount(seg_id, weights=y, minlength=n_seg) / np.maximum(points, 1)
        has_range = ~first
    else:
        fixed = position < options.fix_after_n_points
        centre = np.bincount(seg_id, weights=np.where(fixed, y, 0.0), minlength=n_seg) / np.maximum(
            np.bincount(seg_id, weights=fixed, minlength=n_seg), 1
        )
        has_range = ~first & fixed
    moving_range = np.full(n, np.nan)
    if n > 1:
        np.subtract(y[1:], y[:-1], out=moving_range[1:])
        np.abs(moving_range, out=moving_range)
    moving_range[~has_range] = np.nan

    def mean_range(use: np.ndarray) -> np.ndarray:
        total = np.bincount(seg_id, weights=np.where(use, moving_range, 0.0), minlength=n_seg)
        count = np.bincount(seg_id, weights=use, minlength=n_seg)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)

    raw_amr = mean_range(has_range)
    screened_out = np.zeros(n, dtype=bool)
    if options.screen_outliers:
        keep = has_range & (moving_range < (conventions.limits.screening_factor * raw_amr)[seg_id])
        screened_out = has_range & ~keep
        amr = mean_range(keep)
    else:
        amr = raw_amr

    status = np.full(n_seg, STATUSES.index("ok"), dtype=np.int8)
    status[points < options.minimum_points] = STATUSES.index("short")
    status[np.isnan(raw_amr)] = STATUSES.index("too_few_points")
    status[raw_amr == 0] = STATUSES.index("no_variation")
    status[(raw_amr > 0) & ~(amr > 0)] = STATUSES.index("screened_to_zero")
    usable_seg = status <= STATUSES.index("short")

    width = conventions.limits.sigma_factor * np.where(usable_seg, amr, np.nan)
    near_width = conventions.limits.near_limit_fraction * width
    # limits per segment, then to the points (the same sums as per point, fewer passes)
    lower, upper = (centre - width)[seg_id], (centre + width)[seg_id]
    near_lower, near_upper = (centre - near_width)[seg_id], (centre + near_width)[seg_id]
    usable = usable_seg[seg_id]

    deviation = np.subtract(y, centre[seg_id])
    side = np.sign(deviation, out=deviation).astype(np.int8)
    del deviation
    rules = conventions.rules
    fired = {
        "outside_limits": rule_outside_limits(y, lower, upper),
        "two_of_three": rule_two_of_three(
            y, side, position, (lower, near_lower, near_upper, upper),
            mode=options.two_of_three_mode,
            window=rules.two_of_three_window,
            count=rules.two_of_three_count,
        ),
        "shift": rule_shift(side, first, options.shift_length),
    }
    fired["trend"], trend_direction = rule_trend(y, first, options.trend_length)
    for name in fired:
        fired[name] &= usable

    rule_code = np.full(n, -1, dtype=np.int8)
    for name in reversed(rules.precedence):
        rule_code[fired[name]] = RULES.index(name)
    special = rule_code >= 0
    direction = np.where(rule_code == RULES.index("trend"), trend_direction, side)

    polarity = _polarity_sign(frame, series)
    if not every_row_valid:
        polarity = polarity[valid]
    oriented = direction * polarity
    code = {name: np.int8(POINT_TYPES.index(name)) for name in POINT_TYPES}
    point_code = np.where(
        ~special,
        code["common_cause"],
        np.where(
            polarity == 0,
            np.where(direction > 0, code["special_cause_neutral_high"], code["special_cause_neutral_low"]),
            np.where(oriented > 0, code["special_cause_improvement"], code["special_cause_concern"]),
        ),
    ).astype(np.int8)
    point_code[~usable] = -1

    # Spread back to every row: segment statistics reach the rows without a value too.
    valid_rows = np.flatnonzero(valid)
    if n == series.size:  # every row has a value: its segment is its point's
        seg_of_row, row_has_seg = seg_id, np.ones(series.size, dtype=bool)
    elif n:
        all_seg_key = series.codes * (segment.max(initial=0) + 1) + segment
        seg_of_row = np.minimum(np.searchsorted(seg_key[seg_start], all_seg_key), n_seg - 1)
        row_has_seg = seg_key[seg_start][seg_of_row] == all_seg_key
    else:
        seg_of_row = np.zeros(series.size, dtype=np.int64)
        row_has_seg = np.zeros(series.size, dtype=bool)

    every_row_has_seg = bool(row_has_seg.all())

    seg_width = np.where(usable_seg, width, np.nan)
    seg_near = np.where(usable_seg, near_width, np.nan)
    # Each column is a value per segment or per point (a row with a value), with the value of a
    # row that has none; spread to the rows when read (summary reads only some, at some rows).
    segment_values: dict[str, tuple[np.ndarray, Any]] = {
        "centre": (centre, np.nan),
        "mean_moving_range": (np.where(usable_seg, amr, np.nan), np.nan),
        "lower_limit": (centre - seg_width, np.nan),
        "upper_limit": (centre + seg_width, np.nan),
        "near_lower_limit": (centre - seg_near, np.nan),
        "near_upper_limit": (centre + seg_near, np.nan),
        "segment_points": (points, 0),
        "short_series": (points < options.minimum_points, True),
        "spc_status": (status.astype(np.int64), STATUSES.index("no_data")),
    }
    point_values: dict[str, tuple[np.ndarray, Any]] = {
        "moving_range": (moving_range, np.nan),
        "moving_range_screened_out": (screened_out, False),
        "_usable": (usable, False),
        "_special": (special, False),
        "_rule": (rule_code, -1),  # int8 codes
        "_point": (point_code, -1),
        "_direction": (np.where(special, direction, np.int8(0)).astype(np.int8), 0),
        **{f"_fired_{name}": (flags, False) for name, flags in fired.items()},
    }

    # where the rows asked for last find their values (xmr asks every column at the same rows)
    found_at: dict[str, tuple[np.ndarray, np.ndarray | None, np.ndarray]] = {}

    def locate(kind: str, rows: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """The rows that have a value (None: all of them) and where each finds it."""
        if kind in found_at and found_at[kind][0] is rows:
            return found_at[kind][1], found_at[kind][2]
        if kind == "segment":
            has, index = (None, seg_of_row[rows]) if every_row_has_seg else (row_has_seg[rows], seg_of_row[rows])
        else:
            has, index = (None, rows) if every_row_valid else (valid[rows], np.searchsorted(valid_rows, rows))
        if has is not None:
            index = index[has]
        found_at[kind] = (rows, has, index)
        return has, index

    def at(name: str, rows: np.ndarray) -> np.ndarray:
        kind = "segment" if name in segment_values else "point"
        values, missing = segment_values[name] if kind == "segment" else point_values[name]
        dtype = np.result_type(values, type(missing))
        has, index = locate(kind, rows)
        if has is None:
            return values.astype(dtype, copy=False)[index]
        out = np.full(rows.size, missing, dtype=dtype)
        out[has] = values[index]
        return out

    return _Result(series=series, valid=valid, segment=segment, at=at,
                   points={name: values for name, (values, _) in point_values.items()})


def _polarity_sign(frame: pd.DataFrame, series: SortedSeries) -> np.ndarray:
    """+1 higher is better, -1 lower is better, 0 in range or unknown, per row in series order."""
    if "polarity" not in frame.columns:
        return np.zeros(series.size, dtype=np.int8)
    sign = np.array([1, -1, 0], dtype=np.int8)  # higher, lower, anything else (-1)
    return sign[value_codes(frame["polarity"], ("higher", "lower"))[series.order]]


def _labels(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=list(categories))


def _nullable_bool(values_usable: tuple[np.ndarray, np.ndarray]) -> pd.arrays.BooleanArray:
    values, usable = values_usable
    return pd.arrays.BooleanArray(values & usable, ~usable)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def xmr(frame: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """XmR (individuals) chart values for every observation, Making Data Count style.

    Options (validated into :class:`SpcOptions`): ``keys``, ``value``, ``period``,
    ``screen_outliers``, ``fix_after_n_points``, ``rebase``, ``shift_length``, ``trend_length``,
    ``two_of_three_mode``, ``minimum_points``.

    Returns a new frame, rows in the input order, with the input columns plus:
    ``segment`` (0, 1, ... from each rebase), ``centre`` (mean), ``moving_range``,
    ``moving_range_screened_out``, ``mean_moving_range`` (after screening), ``lower_limit``,
    ``upper_limit``, ``near_lower_limit``, ``near_upper_limit``, ``segment_points``,
    ``short_series`` (segment under ``minimum_points``), ``spc_status`` (ok, short,
    too_few_points, no_variation, screened_to_zero, no_data), ``special_cause`` (nullable bool:
    missing where the value is missing or no limits exist), ``rule`` (the first rule that fired, in
    NHSRplotthedots' order: outside_limits, trend, two_of_three, shift), ``rule_outside_limits``,
    ``rule_trend``, ``rule_two_of_three``, ``rule_shift`` and ``point_type`` (common_cause,
    special_cause_improvement, special_cause_concern, special_cause_neutral_high/low).

    Points with a missing or non-finite value are left out of the calculation (the runs join the
    points either side) and get no status. Limits and rules use the points of the same segment.
    """
    opts = SpcOptions.from_options(frame, **options)
    result = _compute(frame, opts)
    return _to_frame(frame, result)


def _to_frame(frame: pd.DataFrame, result: _Result) -> pd.DataFrame:
    inverse = result.series.inverse  # every column at the input's rows, in one gather each
    out: dict[str, Any] = {"segment": result.segment[inverse]}
    for name in (
        "centre", "moving_range", "moving_range_screened_out", "mean_moving_range",
        "lower_limit", "upper_limit", "near_lower_limit", "near_upper_limit", "segment_points",
        "short_series",
    ):
        out[name] = result.at(name, inverse)
    out["spc_status"] = _labels(result.at("spc_status", inverse), STATUSES)
    usable = result.at("_usable", inverse)
    out["special_cause"] = _nullable_bool((result.at("_special", inverse), usable))
    out["rule"] = _labels(result.at("_rule", inverse), RULES)
    for name in RULES:
        out[f"rule_{name}"] = _nullable_bool((result.at(f"_fired_{name}", inverse), usable))
    out["point_type"] = _labels(result.at("_point", inverse), POINT_TYPES)
    return with_columns(frame, out)


def summary(frame: pd.DataFrame, quarter: str | pd.Period | None = None, **options: Any) -> pd.DataFrame:
    """One row per measure: the variation and assurance icons as at ``quarter`` (default: latest).

    Only observations up to ``quarter`` are used, so the answer is what the analyst would have
    seen that quarter. The latest point is the measure's last quarter with a value (see
    ``latest_period``; it may be earlier than ``quarter``).

    Columns: the series keys, ``measure``/``theme``/``unit``/``polarity`` where present,
    ``latest_period``, ``latest_period_label``, ``latest_actual``, ``target``, ``centre``,
    ``lower_limit``, ``upper_limit``, ``points`` (values in the series), ``segment_points``,
    ``short_series`` (latest segment under the MDC minimum of 13 points), ``special_cause_points``
    (in the latest segment), ``latest_rule``, ``variation`` (common_cause, improvement, concern,
    neutral, not_enough_points; missing when there is no variation or no value), ``variation_icon``
    (MDC icon name such as improvement_high), ``variation_text``, ``assurance``
    (consistently_meets, consistently_fails, hit_and_miss; missing without a target or limits),
    ``assurance_text``, ``status`` and ``status_text``.
    """
    opts = SpcOptions.from_options(frame, **options)
    if quarter is not None:
        frame = frame_up_to(frame, quarter, period=opts.period)
    result = _compute(frame, opts)
    return _summarise(frame, result, opts)


def frame_up_to(frame: pd.DataFrame, quarter: str | pd.Period, *, period: str = "period") -> pd.DataFrame:
    """The rows of ``frame`` up to and including ``quarter``; ParameterError if it is not in the frame."""
    wanted = require_quarter(quarter, available_quarters(frame, period=period))
    periods = pd.PeriodIndex(frame[period], freq=QUARTER_FREQ)
    return frame.loc[np.asarray(periods <= wanted)]


def _summarise(frame: pd.DataFrame, result: _Result, opts: SpcOptions) -> pd.DataFrame:
    series = result.series
    conventions = settings().spc
    order = series.order
    codes = series.codes
    n_groups = series.n_groups

    # first row of each series (for its keys) and its latest valid row
    first_row = np.full(n_groups, -1, dtype=np.int64)
    first_row[codes[::-1]] = np.arange(series.size)[::-1]
    latest = np.full(n_groups, -1, dtype=np.int64)
    valid_pos = np.flatnonzero(result.valid)
    latest[codes[valid_pos]] = valid_pos  # sorted: the last assignment wins
    has_latest = latest >= 0
    pick = np.where(has_latest, latest, first_row)

    rows = order[pick]
    out = frame[
        [c for c in (*series.keys, "theme", "measure", "unit", "polarity") if c in frame.columns]
    ].iloc[rows].reset_index(drop=True)
    ordinals = np.where(has_latest, series.ordinals[pick], np.iinfo(np.int64).min)
    out["latest_period"] = pd.PeriodIndex.from_ordinals(ordinals, freq=QUARTER_FREQ)
    unique = np.unique(ordinals[has_latest])
    labels = np.array(
        [quarter_label(pd.Period(ordinal=int(o), freq=QUARTER_FREQ)) for o in unique], dtype=object
    )
    label_of = np.full(n_groups, None, dtype=object)
    label_of[has_latest] = labels[np.searchsorted(unique, ordinals[has_latest])]
    if "frequency" in frame.columns and "period_label" in frame.columns:  # a month or a year: its own label
        own = frame["period_label"].iloc[rows].astype(object).to_numpy()
        label_of[has_latest] = own[has_latest]
    out["latest_period_label"] = pd.array(label_of, dtype="string")
    y = frame[opts.value].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    out["latest_actual"] = np.where(has_latest, y, np.nan)
    target = _column(frame, "target")[rows]
    low = _column(frame, "target_low")[rows]
    high_target = _column(frame, "target_high")[rows]
    out["target"] = np.where(has_latest, target, np.nan)
    for name in ("centre", "lower_limit", "upper_limit"):
        out[name] = np.where(has_latest, result.at(name, pick), np.nan)
    point_codes = codes[valid_pos]
    out["points"] = np.bincount(point_codes, minlength=n_groups)
    out["segment_points"] = np.where(has_latest, result.at("segment_points", pick), 0)
    out["short_series"] = np.where(has_latest, result.at("short_series", pick), True)

    # special-cause points of the latest segment (only points can be special)
    latest_segment = result.segment[pick]
    in_latest_segment = result.segment[valid_pos] == latest_segment[point_codes]
    special, usable = result.points["_special"], result.points["_usable"]
    out["special_cause_points"] = np.bincount(
        point_codes, weights=(special & usable & in_latest_segment), minlength=n_groups
    ).astype(np.int64)
    rule = np.where(has_latest, result.at("_rule", pick), -1)
    out["latest_rule"] = _labels(rule, RULES)

    status = np.where(has_latest, result.at("spc_status", pick), STATUSES.index("no_data"))
    point = np.where(has_latest, result.at("_point", pick), -1)
    variation = np.full(n_groups, -1, dtype=np.int64)
    variation[point == POINT_TYPES.index("common_cause")] = VARIATIONS.index("common_cause")
    variation[point == POINT_TYPES.index("special_cause_improvement")] = VARIATIONS.index("improvement")
    variation[point == POINT_TYPES.index("special_cause_concern")] = VARIATIONS.index("concern")
    variation[point >= POINT_TYPES.index("special_cause_neutral_high")] = VARIATIONS.index("neutral")
    variation[status == STATUSES.index("too_few_points")] = VARIATIONS.index("not_enough_points")
    out["variation"] = _labels(variation, VARIATIONS)

    direction = np.where(has_latest, result.at("_direction", pick), 0)
    # names and texts looked up in small tables: [variation + 1 (0 = none), high] and [code + 1]
    icons = conventions.variation_icons
    icon_names = np.array([[_icon_name(v, d) for d in (0, 1)] for v in range(-1, len(VARIATIONS))], dtype=object)
    icon_texts = np.array([
        [icons[i].label if isinstance(i, str) else (conventions.variation[VARIATIONS[v]] if v >= 0 else None)
         for i in icon_names[v + 1]]
        for v in range(-1, len(VARIATIONS))
    ], dtype=object)
    high = (direction > 0).astype(np.int64)
    out["variation_icon"] = pd.array(icon_names[variation + 1, high], dtype="string")
    out["variation_text"] = pd.array(icon_texts[variation + 1, high], dtype="string")
    assurance = _assurance(
        out["polarity"].astype(object).to_numpy() if "polarity" in out else np.full(n_groups, None),
        target, low, high_target, out["lower_limit"].to_numpy(), out["upper_limit"].to_numpy(),
    )
    assurance[~has_latest] = -1
    out["assurance"] = _labels(assurance, ASSURANCES)
    assurance_texts = np.array([None, *(conventions.assurance[a].label for a in ASSURANCES)], dtype=object)
    out["assurance_text"] = pd.array(assurance_texts[assurance + 1], dtype="string")
    out["status"] = _labels(status, STATUSES)
    status_texts = np.array([conventions.status[s] for s in STATUSES], dtype=object)
    out["status_text"] = pd.array(status_texts[status], dtype="string")
    return out


def _icon_name(variation: int, direction: int) -> str | None:
    """MDC variation icon name: common_cause, improvement_high, concern_low, neutral_high, ..."""
    if variation < 0 or VARIATIONS[variation] == "not_enough_points":
        return None
    name = VARIATIONS[variation]
    if name == "common_cause":
        return "common_cause"
    high = direction > 0
    if name == "neutral":
        return "neutral_high" if high else "neutral_low"
    return f"{name}_{'high' if high else 'low'}"


def _assurance(
    polarity: np.ndarray,
    target: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    lower_limit: np.ndarray,
    upper_limit: np.ndarray,
) -> np.ndarray:
    """Assurance code per measure: target outside the limits on the good side meets, bad side fails.

    For "in range" measures: both limits inside the range meets, both on one side outside fails.
    Missing (-1) without a target, without limits, or with an unknown polarity.
    """
    meets, fails, hit_and_miss = (ASSURANCES.index(a) for a in ASSURANCES)
    code = np.full(polarity.size, -1, dtype=np.int64)
    limits_ok = np.isfinite(lower_limit) & np.isfinite(upper_limit)
    point = limits_ok & np.isfinite(target)
    higher = point & (polarity == "higher")
    lower = point & (polarity == "lower")
    code[higher] = np.select(
        [target[higher] < lower_limit[higher], target[higher] > upper_limit[higher]],
        [meets, fails], hit_and_miss,
    )
    code[lower] = np.select(
        [target[lower] > upper_limit[lower], target[lower] < lower_limit[lower]],
        [meets, fails], hit_and_miss,
    )
    in_range = limits_ok & (polarity == "in_range") & np.isfinite(low) & np.isfinite(high)
    code[in_range] = np.select(
        [
            (lower_limit[in_range] >= low[in_range]) & (upper_limit[in_range] <= high[in_range]),
            (upper_limit[in_range] < low[in_range]) | (lower_limit[in_range] > high[in_range]),
        ],
        [meets, fails], hit_and_miss,
    )
    return code


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype=np.float64, na_value=np.nan)


__all__ = [
    "ASSURANCES",
    "POINT_TYPES",
    "RULES",
    "STATUSES",
    "SpcOptions",
    "VARIATIONS",
    "frame_up_to",
    "rule_outside_limits",
    "rule_shift",
    "rule_trend",
    "rule_two_of_three",
    "summary",
    "xmr",
]

"""Series helpers shared by trend, SPC and forecasts: which columns make a series, and series order.

One series is one measure (and area, when the frame has ``area_code``) at one frequency (when the
frame has ``frequency``: a measure given monthly and quarterly is two series, never compared), ordered
by period: by month, quarter or year, from ``period_start``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from harrowperf.foundation.errors import ParameterError, ScorecardError
from harrowperf.foundation.periods import PERIODS_PER_YEAR, QUARTER_FREQ, quarter_label, to_quarter

MEASURE_KEY = "measure_id"
AREA_KEY = "area_code"
FREQUENCY_KEY = "frequency"



Keys = str | tuple[str, ...] | list[str] | None


def series_keys(frame: pd.DataFrame, keys: Keys = None) -> tuple[str, ...]:
    """The columns that identify one series: ``keys`` if given, else measure_id (+ area_code); then
    ``frequency`` when the frame has it (each frequency of a measure is a series of its own)."""
    if keys is not None:
        chosen = (keys,) if isinstance(keys, str) else tuple(keys)
    else:
        chosen = (MEASURE_KEY, AREA_KEY) if AREA_KEY in frame.columns else (MEASURE_KEY,)
    if FREQUENCY_KEY in frame.columns and FREQUENCY_KEY not in chosen:
        chosen = (*chosen, FREQUENCY_KEY)
    return chosen


@dataclass(frozen=True)
class SortedSeries:
    """A frame's rows put in series order (by keys, then period), as integer arrays.

    ``order[i]`` is the input row at series position i and ``inverse`` maps back; ``codes`` numbers
    the series 0..n_groups-1 in key order; ``ordinals`` are the reporting quarters' Period ordinals
    (``has_period`` is False where the quarter is missing); ``steps`` number the periods in the series'
    own frequency (consecutive months, quarters or years differ by 1; equal to ``ordinals`` for
    quarters) and ``per_year`` is how many steps make a year (12, 4 or 1).
    """

    keys: tuple[str, ...]
    order: np.ndarray
    inverse: np.ndarray
    codes: np.ndarray
    n_groups: int
    ordinals: np.ndarray
    has_period: np.ndarray
    steps: np.ndarray | None = None
    per_year: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.steps is None:
            object.__setattr__(self, "steps", self.ordinals)
        if self.per_year is None:
            object.__setattr__(self, "per_year", np.full(self.ordinals.size, 4, dtype=np.int64))

    @property
    def size(self) -> int:
        return int(self.order.size)


def quarter_ordinals(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Q-MAR Period ordinals of a column of Periods or quarter labels, and where one is present."""
    if isinstance(values.dtype, pd.PeriodDtype):
        index = pd.PeriodIndex(values)
        if index.freqstr != QUARTER_FREQ:
            index = index.asfreq(QUARTER_FREQ, how="end")
    else:
        labels = pd.unique(values.astype(object))
        lookup: dict[Any, Any] = {}
        for label in labels:
            if label is None or (isinstance(label, float) and math.isnan(label)) or label is pd.NaT:
                lookup[label] = pd.NaT
                continue
            try:
                lookup[label] = to_quarter(label)
            except (ValueError, TypeError) as error:
                raise ParameterError(f"period column: {error}") from None
        index = pd.PeriodIndex([lookup[v] for v in values.astype(object)], freq=QUARTER_FREQ)
    has_period = ~np.asarray(index.isna())
    ordinals = index.asi8.astype(np.int64)
    ordinals = np.where(has_period, ordinals, np.iinfo(np.int64).min)
    return ordinals, has_period


def _key_codes(frame: pd.DataFrame, key_columns: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray | None]:
    """Series numbers 0..n-1 in the sorted order of the key values (missing keys last), per row.

    The same numbers as ``frame.groupby(keys, sort=True, dropna=False).ngroup()``, from one
    factorize per key column (several times faster on millions of rows). Rows usually come a
    series at a time, so only the rows where some key differs from the row before are factorized
    (a few per cent of them), and the rest take the number of the row before. Also returns those
    rows (every key is the same from one to the next), or None when every row was factorized.
    """
    columns = [frame[column].array for column in key_columns]
    starts = _run_starts(columns)
    if starts is not None:
        head_codes = _combined_codes([values.take(starts) for values in columns])
        return np.repeat(head_codes, np.diff(np.append(starts, len(frame)))), starts
    return _combined_codes(columns), None


def _run_starts(columns: list[Any]) -> np.ndarray | None:
    """The rows where some key value may differ from the row before (always row 0), or None when
    that cannot be told cheaply or more than a quarter of the rows start a run (factorize them all).

    A row is left out only when every key compares equal to the row before; missing values and
    anything that does not compare as a plain True/False start a run of their own.
    """
    n = len(columns[0]) if columns else 0
    if n < 2:
        return None
    changed = np.zeros(n, dtype=bool)
    changed[0] = True
    for values in columns:
        if isinstance(values, pd.arrays.NumpyExtensionArray):
            values = values.to_numpy()  # numpy compares objects several times faster than pandas
        try:
            differs = values[1:] != values[:-1]
            if isinstance(differs, pd.api.extensions.ExtensionArray):
                differs = differs.to_numpy(dtype=bool, na_value=True)
            differs = np.asarray(differs)
        except (TypeError, ValueError):
            return None
        if differs.dtype != bool or differs.shape != (n - 1,):
            return None
        changed[1:] |= differs
        if np.count_nonzero(changed) > n // 4:
            return None
    return np.flatnonzero(changed)


def _combined_codes(columns: list[Any]) -> np.ndarray:
    """Numbers of the key combinations in sorted order (missing keys last), one per element."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, uniques = pd.factorize(pd.Series(values, copy=False), sort=True, use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        codes = np.where(codes < 0, len(uniques), codes)  # missing keys sort last, as groupby puts them
        combined = combined * (len(uniques) + 1) + codes
    if len(columns) > 1 and combined.size:  # renumber the combinations present, keeping their order
        top = int(combined.max()) + 1
        if top <= 8 * combined.size + 1_000_000:
            present = np.zeros(top, dtype=bool)
            present[combined] = True
            combined = (np.cumsum(present) - 1)[combined]
        else:
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
    return combined


def _series_order(codes: np.ndarray, ordinals: np.ndarray, has_period: np.ndarray) -> np.ndarray:
    """The row order by series, then period (rows without a period first in their series), stable.

    Rows are usually stored in this order already; that is checked in one pass and costs nothing
    more. Otherwise one stable sort of a single int64 key (or a lexsort, if the key would overflow).
    """
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64)
    known = ordinals[has_period]
    low = int(known.min()) if known.size else 0
    span = (int(known.max()) if known.size else 0) - low + 2
    if int(codes.max()) < np.iinfo(np.int64).max // span - 1:
        key = np.subtract(ordinals, low - 1)  # in place from here: these arrays are long
        key[~has_period] = 0
        key += codes * span
        if bool(np.all(key[1:] >= key[:-1])):
            return np.arange(codes.size, dtype=np.int64)
        return np.argsort(key, kind="stable").astype(np.int64)
    return np.lexsort((ordinals, codes)).astype(np.int64)


def sort_series(
    frame: pd.DataFrame, keys: str | tuple[str, ...] | list[str] | None = None, *, period: str = "period"
) -> SortedSeries:
    """Sort a frame's rows into series order; raise ScorecardError if a series repeats a quarter."""
    key_columns = series_keys(frame, keys)
    missing = [c for c in (*key_columns, period) if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"the frame has no column(s) {', '.join(map(repr, missing))}; "
            f"it has: {', '.join(map(str, frame.columns))}"
        )
    if len(frame) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return SortedSeries(key_columns, empty, empty, empty, 0, empty, np.zeros(0, dtype=bool))
    codes, starts = _key_codes(frame, key_columns)
    ordinals, has_period = quarter_ordinals(frame[period])
    steps, per_year = _steps(frame, period, ordinals,
                             frequency_runs=starts if FREQUENCY_KEY in key_columns else None)
    one_frequency = bool(per_year.min() == per_year.max())
    order = _series_order(codes, steps, has_period)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    s_codes, s_ord, s_has = codes[order], ordinals[order], has_period[order]
    s_steps = s_ord if steps is ordinals else steps[order]  # quarters count in quarters: one array
    repeat = np.zeros(order.size, dtype=bool)
    repeat[1:] = (s_codes[1:] == s_codes[:-1]) & (s_steps[1:] == s_steps[:-1]) & s_has[1:]
    if repeat.any():
        rows = frame.iloc[order[np.flatnonzero(repeat)[:5]]]
        examples = "; ".join(
            f"{' / '.join(str(row[k]) for k in key_columns)} in "
            f"{row['period_label'] if 'period_label' in row.index else quarter_label(row[period])}"
            if not pd.isna(row[period]) else str(row[key_columns[0]])
            for _, row in rows.iterrows()
        )
        source = str(rows["source"].iloc[0]) if "source" in rows.columns else None
        raise ScorecardError(
            f"{int(repeat.sum())} series have the same period twice (e.g. {examples}); "
            "each measure can have one value per period: remove the duplicate rows "
            "(history rows must not repeat a scorecard period)",
            file=source,
        )
    return SortedSeries(
        keys=key_columns,
        order=order,
        inverse=inverse,
        codes=s_codes,
        n_groups=int(s_codes[-1]) + 1,
        ordinals=s_ord,
        has_period=s_has,
        steps=s_steps,
        per_year=per_year if one_frequency else per_year[order],
    )


def _steps(frame: pd.DataFrame, period: str, ordinals: np.ndarray,
           frequency_runs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each row's position in its own frequency (months, quarters or years) and the steps in a year.

    Quarterly rows, and frames without ``frequency``/``period_start``, count quarters (the ordinals).
    ``frequency_runs``: rows where the frequency may change (it is that of the row before elsewhere).
    """
    per_year = np.full(len(frame), 4, dtype=np.int64)
    if period != "period" or FREQUENCY_KEY not in frame.columns or "period_start" not in frame.columns:
        return ordinals, per_year
    if frequency_runs is not None and bool(
        np.all(frame[FREQUENCY_KEY].array.take(frequency_runs).to_numpy(dtype=object) == "quarter")
    ):
        return ordinals, per_year
    frequency = frame[FREQUENCY_KEY].astype(object).to_numpy()
    if bool(np.all(frequency == "quarter")):
        return ordinals, per_year
    start = pd.to_datetime(frame["period_start"])
    year = start.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    months = year * 12 + start.dt.month.to_numpy(dtype=np.float64, na_value=np.nan) - 1
    is_month = frequency == "month"
    is_year = np.isin(frequency, [f for f, n in PERIODS_PER_YEAR.items() if n == 1])
    known = np.isfinite(months)
    steps = np.where(known & is_month, np.nan_to_num(months), ordinals)
    steps = np.where(known & is_year, np.nan_to_num(year), steps).astype(np.int64)
    per_year = np.where(is_month, 12, np.where(is_year, 1, 4)).astype(np.int64)
    return steps, per_year


def value_codes(values: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """Per row, which of ``names`` the value equals (0, 1, ...; -1 for another value or a missing one), int8.

    Values usually repeat down the rows (a measure's polarity on each of its rows), so when they do
    only the rows where the value changes are compared.
    """
    array = values.array
    starts = _run_starts([array])
    codes, uniques = pd.factorize(pd.Series(array.take(starts) if starts is not None else array, copy=False),
                                  use_na_sentinel=True)
    lookup = np.full(len(uniques) + 1, -1, dtype=np.int8)  # the last place answers the missing (-1)
    for position, unique in enumerate(uniques.astype(object)):
        for code, name in enumerate(names):
            if unique == name:
                lookup[position] = code
                break
    found = lookup[codes]
    return found if starts is None else np.repeat(found, np.diff(np.append(starts, len(array))))


def with_columns(frame: pd.DataFrame, columns: dict[str, Any]) -> pd.DataFrame:
    """A new frame: ``frame``'s columns, then ``columns`` (arrays of the frame's length) added.

    The same frame as setting each column on a shallow copy, without copying the new arrays (pass
    arrays nothing else holds). A column the frame already has is replaced where it stands.
    """
    if (any(name in frame.columns for name in columns) or frame.columns.has_duplicates
            or isinstance(frame.columns, pd.MultiIndex)):
        out = frame.copy(deep=False)
        for name, values in columns.items():
            out[name] = values
        return out
    added = pd.DataFrame(columns, index=frame.index, copy=False)
    return pd.concat([frame, added], axis=1).__finalize__(frame)


MONTH_RULES = ("last", "latest reported")
_FREQUENCY_PREFERENCE = {"quarter": 0, "month": 1, "financial year": 2, "calendar year": 3, "fiscal year": 4}


def one_per_quarter(frame: pd.DataFrame, month_rule: str | None = None, *, keys: Keys = None,
                    across_frequencies: bool = True, value: str = "actual") -> pd.DataFrame:
    """Each measure's value for each reporting quarter: the rows a quarter's report uses (a new frame).

    Quarterly rows are their quarter's value. Of a monthly series' months in a quarter, ``month_rule``
    picks one (default ``[assessment] month_in_quarter`` in conventions/target_gap.toml): "last" = the
    quarter's last month (June for Q1; none if June is not given), "latest reported" = the latest
    month of the quarter with a ``value``. A year is the value of the quarter it ends in (a financial
    year in Q4, a calendar year in Q3). With ``across_frequencies``, a measure given at several
    frequencies keeps one row per quarter: its quarter, else its month, else its year. Frames
    without ``frequency`` are returned as they are.
    """
    if FREQUENCY_KEY not in frame.columns or not len(frame) or bool((frame[FREQUENCY_KEY] == "quarter").all()):
        return frame
    if month_rule is None:
        from harrowperf.foundation.conventions import settings

        month_rule = settings().target_gap.assessment.month_in_quarter
    if month_rule not in MONTH_RULES:
        raise ParameterError(f"month_rule must be one of {', '.join(map(repr, MONTH_RULES))}, not {month_rule!r}")
    measure_keys = [k for k in series_keys(frame, keys) if k != FREQUENCY_KEY]
    is_month = (frame[FREQUENCY_KEY] == "month").to_numpy()
    months = frame.loc[is_month]
    if month_rule == "last":
        quarter_end = pd.PeriodIndex(months["period"], freq=QUARTER_FREQ).end_time.normalize()
        chosen = months.loc[np.asarray(pd.to_datetime(months["period_end"]) == quarter_end)]
    else:
        reported = months.assign(_reported=np.isfinite(months[value].to_numpy(dtype=np.float64, na_value=np.nan)))
        ordered = reported.sort_values(["_reported", "period_start"], kind="stable")
        chosen = ordered.drop_duplicates([*measure_keys, FREQUENCY_KEY, "period"], keep="last").drop(
            columns="_reported")
    result = pd.concat([frame.loc[~is_month], chosen]).sort_index(kind="stable")
    if across_frequencies:
        preference = result[FREQUENCY_KEY].map(_FREQUENCY_PREFERENCE).fillna(9)
        result = result.assign(_p=preference).sort_values("_p", kind="stable").drop_duplicates(
            [*measure_keys, "period"], keep="first").drop(columns="_p").sort_index(kind="stable")
    return result


def available_quarters(frame: pd.DataFrame, *, period: str = "period") -> list[str]:
    """The quarters present in a frame, in time order, as labels ("Q2 2016/17")."""
    ordinals, has_period = quarter_ordinals(frame[period])
    unique = np.unique(ordinals[has_period])
    return [quarter_label(pd.Period(ordinal=int(o), freq=QUARTER_FREQ)) for o in unique]

"""Series helpers shared by trend, SPC and forecasts: which columns make a series, and series order.

One series is one measure (and area, when the frame has ``area_code``), ordered by quarter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from harrowperf.foundation.errors import ParameterError, ScorecardError
from harrowperf.foundation.periods import QUARTER_FREQ, quarter_label, to_quarter

MEASURE_KEY = "measure_id"
AREA_KEY = "area_code"



Keys = str | tuple[str, ...] | list[str] | None


def series_keys(frame: pd.DataFrame, keys: Keys = None) -> tuple[str, ...]:
    """The columns that identify one series: ``keys`` if given, else measure_id (+ area_code)."""
    if keys is not None:
        return (keys,) if isinstance(keys, str) else tuple(keys)
    return (MEASURE_KEY, AREA_KEY) if AREA_KEY in frame.columns else (MEASURE_KEY,)


@dataclass(frozen=True)
class SortedSeries:
    """A frame's rows put in series order (by keys, then quarter), as integer arrays.

    ``order[i]`` is the input row at series position i and ``inverse`` maps back; ``codes`` numbers
    the series 0..n_groups-1 in key order; ``ordinals`` are the quarters' Period ordinals
    (``has_period`` is False where the quarter is missing).
    """

    keys: tuple[str, ...]
    order: np.ndarray
    inverse: np.ndarray
    codes: np.ndarray
    n_groups: int
    ordinals: np.ndarray
    has_period: np.ndarray

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


def _key_codes(frame: pd.DataFrame, key_columns: tuple[str, ...]) -> np.ndarray:
    """Series numbers 0..n-1 in the sorted order of the key values (missing keys last), per row.

    The same numbers as ``frame.groupby(keys, sort=True, dropna=False).ngroup()``, from one
    factorize per key column (several times faster on millions of rows).
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in key_columns:
        codes, uniques = pd.factorize(frame[column], sort=True, use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        codes = np.where(codes < 0, len(uniques), codes)  # missing keys sort last, as groupby puts them
        combined = combined * (len(uniques) + 1) + codes
    if len(key_columns) > 1 and combined.size:  # renumber the combinations present, keeping their order
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
        key = codes * span + np.where(has_period, ordinals - low + 1, 0)
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
    codes = _key_codes(frame, key_columns)
    ordinals, has_period = quarter_ordinals(frame[period])
    order = _series_order(codes, ordinals, has_period)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    s_codes, s_ord, s_has = codes[order], ordinals[order], has_period[order]
    repeat = np.zeros(order.size, dtype=bool)
    repeat[1:] = (s_codes[1:] == s_codes[:-1]) & (s_ord[1:] == s_ord[:-1]) & s_has[1:]
    if repeat.any():
        rows = frame.iloc[order[np.flatnonzero(repeat)[:5]]]
        examples = "; ".join(
            f"{' / '.join(str(row[k]) for k in key_columns)} in {quarter_label(row[period])}"
            if not pd.isna(row[period]) else str(row[key_columns[0]])
            for _, row in rows.iterrows()
        )
        source = str(rows["source"].iloc[0]) if "source" in rows.columns else None
        raise ScorecardError(
            f"{int(repeat.sum())} series have the same quarter twice (e.g. {examples}); "
            "each measure can have one value per quarter: remove the duplicate rows "
            "(history rows must not repeat a scorecard quarter)",
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
    )


def available_quarters(frame: pd.DataFrame, *, period: str = "period") -> list[str]:
    """The quarters present in a frame, in time order, as labels ("Q2 2016/17")."""
    ordinals, has_period = quarter_ordinals(frame[period])
    unique = np.unique(ordinals[has_period])
    return [quarter_label(pd.Period(ordinal=int(o), freq=QUARTER_FREQ)) for o in unique]

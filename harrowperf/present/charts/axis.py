"""The one period axis every chart uses: periods in time order, spaced by real time.

A chart whose x axis is a period (quarter, financial, academic or calendar year) takes its axis
from :func:`period_x`. The axis is an ordinal scale whose domain is every period from the first to
the last in time order, so a year missing from the data leaves a gap of one year on the axis (a
straight line stays straight) and no period is ever placed by the order rows arrive in. Periods
of different lengths on one axis (a year beside a quarter) are ordered by start date and not
filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from harrowperf.foundation.periods import QUARTER_FREQ, quarter_label


def period_label(period: pd.Period) -> str:
    """How the council prints a period: "Apr 2016", "Q2 2016/17", "2016/17" (financial or academic year), "2021"."""
    freq = period.freqstr
    if freq == "M":
        return period.strftime("%b %Y")
    if freq.startswith("Q"):
        return quarter_label(period.asfreq(QUARTER_FREQ) if freq != QUARTER_FREQ else period)
    if freq in ("Y-DEC", "A-DEC", "Y", "A"):
        return str(period.year)
    if freq.startswith(("Y-", "A-")):
        # a year ending in March (financial) or August (academic), printed by the years it spans
        start = period.start_time.year
        return f"{start}/{(start + 1) % 100:02d}"
    return str(period)


def period_domain(periods: Iterable[Any], labels: Mapping[Any, str] | None = None) -> list[str]:
    """The labels of an axis of ``periods``: time order, with every period between first and last.

    ``periods`` are pandas Periods (missing values are ignored); ``labels`` maps a period to the
    label the data uses for it (default: :func:`period_label`). Periods of one frequency are filled
    in, so the axis is spaced by real time; periods of mixed frequencies are sorted by start date.
    """
    known = {p for p in periods if isinstance(p, pd.Period)}
    labels = labels or {}
    if not known:
        return []
    freqs = {p.freqstr for p in known}
    if len(freqs) == 1:
        ordered = list(pd.period_range(min(known), max(known), freq=freqs.pop()))
    else:
        ordered = sorted(known, key=lambda p: (p.start_time, p.end_time))
    return list(dict.fromkeys(labels.get(p) or period_label(p) for p in ordered))


_OWN_FREQ = {"month": "M", "quarter": QUARTER_FREQ, "financial year": "Y-MAR", "calendar year": "Y-DEC"}


def own_periods(frame: pd.DataFrame) -> pd.Series:
    """Each row's period at its own frequency (a month as ``Period("2016-04", "M")``), from ``frequency``
    and ``period_start``; the frame's ``period`` (the reporting quarter) where those are missing or
    the rows are of several frequencies. A chart of a monthly series places its points by month."""
    if "frequency" not in frame.columns or "period_start" not in frame.columns or not len(frame):
        return frame["period"]
    frequencies = set(frame["frequency"].dropna())
    if len(frequencies) != 1 or next(iter(frequencies)) not in _OWN_FREQ or frequencies == {"quarter"}:
        return frame["period"]
    freq = _OWN_FREQ[next(iter(frequencies))]
    return pd.Series(pd.PeriodIndex(pd.to_datetime(frame["period_start"]), freq=freq), index=frame.index)


def labels_of(frame: pd.DataFrame, period: str = "period", label: str = "period_label") -> dict[Any, str]:
    """{period: label} as a frame prints them (the first label seen for each period)."""
    pairs = frame[[period, label]].dropna().drop_duplicates(period)
    return dict(zip(pairs[period], pairs[label].astype(str), strict=True))


def period_x(field: str, domain: list[str], *, fixed: bool = True, **axis: Any) -> alt.X:
    """An x encoding of ``field`` (the period labels) with ``domain`` (from :func:`period_domain`).

    ``fixed=False`` only sorts by ``domain`` and lets each panel of a small-multiple chart take the
    periods of its own rows (which must then include its gaps: empty rows for missing periods).
    """
    options = {"labelAngle": -45, "labelOverlap": True, **axis}
    scale = alt.Scale(domain=domain) if fixed else alt.Undefined
    return alt.X(f"{field}:O", sort=domain, scale=scale, title=None, axis=alt.Axis(**options))


__all__ = ["labels_of", "own_periods", "period_domain", "period_label", "period_x"]

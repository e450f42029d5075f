"""UK financial periods: "Q2 2016/17" <-> Period("2017Q2", "Q-MAR") and "2016/17" <-> Period("2017", "Y-MAR").

The UK public-sector financial year runs April to March. Pandas' "Q-MAR"
frequency numbers quarters the same way (Q1 = Apr-Jun) and names the fiscal
year by the calendar year in which it ends, so financial year 2016/17 is
fiscal year 2017 and "Q2 2016/17" (Jul-Sep 2016) is ``Period("2017Q2", "Q-MAR")``.
"""

from __future__ import annotations

import re

import pandas as pd

QUARTER_FREQ = "Q-MAR"
YEAR_FREQ = "Y-MAR"

_QUARTER = re.compile(
    r"^\s*(?:Q|Qtr\.?\s*|Quarter\s*)([1-4])\s*[,/-]?\s*(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$",
    re.IGNORECASE,
)
_YEAR_FIRST_QUARTER = re.compile(
    r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*[;,\s]\s*Q([1-4])\s*$", re.IGNORECASE
)
_FINANCIAL_YEAR = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)


def _end_year(start: str, end: str) -> int | None:
    """The calendar year a financial year ends in, or None if start/end are not consecutive."""
    first = int(start)
    last = int(end) if len(end) == 4 else (first // 100) * 100 + int(end)
    if len(end) == 2 and last < first:  # 1999/00
        last += 100
    return last if last == first + 1 else None


def parse_quarter(label: str) -> pd.Period | None:
    """Parse a financial-quarter label such as "Q2 2016/17" or "2018-19;Q1".

    Returns ``None`` when the text is not a financial-quarter label (callers
    decide whether that is an error).

    >>> parse_quarter("Q2 2016/17")
    Period('2017Q2', 'Q-MAR')
    >>> parse_quarter("2018-19;Q1")
    Period('2019Q1', 'Q-MAR')
    """
    if not isinstance(label, str):
        return None
    match = _QUARTER.match(label)
    if match:
        quarter, start, end = match.groups()
    else:
        match = _YEAR_FIRST_QUARTER.match(label)
        if not match:
            return None
        start, end, quarter = match.groups()
    year = _end_year(start, end)
    if year is None:
        return None
    return pd.Period(year=year, quarter=int(quarter), freq=QUARTER_FREQ)


def parse_financial_year(label: str) -> pd.Period | None:
    """Parse "2016/17", "2016-17" or "2016-2017" into ``Period("2017", "Y-MAR")``; else ``None``."""
    if not isinstance(label, str):
        return None
    match = _FINANCIAL_YEAR.match(label)
    if not match:
        return None
    year = _end_year(*match.groups())
    return None if year is None else pd.Period(year=year, freq=YEAR_FREQ)


def quarter_label(period: pd.Period) -> str:
    """Format a Q-MAR period as the council prints it: ``Period("2017Q2", "Q-MAR")`` -> "Q2 2016/17"."""
    period = pd.Period(period, freq=QUARTER_FREQ)
    return f"Q{period.quarter} {financial_year_label(period)}"


def financial_year_label(period: pd.Period) -> str:
    """The financial year of a period as printed: "2016/17"."""
    end = pd.Period(period, freq=YEAR_FREQ).year
    return f"{end - 1}/{end % 100:02d}"


def to_quarter(value: str | pd.Period) -> pd.Period:
    """Accept a label or a Period and return the Q-MAR Period; raise ValueError naming the bad text."""
    if isinstance(value, pd.Period):
        return value.asfreq(QUARTER_FREQ) if value.freqstr != QUARTER_FREQ else value
    period = parse_quarter(value)
    if period is None:
        raise ValueError(
            f"{value!r} is not a financial quarter; write it as the scorecard does, e.g. 'Q2 2016/17'"
        )
    return period


def require_quarter(quarter: str | pd.Period, present: list[str], where: str = "the data") -> pd.Period:
    """``quarter`` as a Period, if it is one of the ``present`` quarter labels.

    Otherwise raise :class:`~harrowperf.foundation.errors.ParameterError` saying which quarters are present,
    so a notebook asked for a quarter it has no data for fails in plain words.
    """
    from harrowperf.foundation.errors import ParameterError

    listed = ", ".join(present) or "none"
    try:
        period = to_quarter(quarter)
    except (ValueError, TypeError) as error:
        raise ParameterError(f"quarter: {error}; the quarters present are: {listed}") from None
    if quarter_label(period) not in present:
        raise ParameterError(f"quarter {quarter_label(period)} is not in {where}; the quarters present are: {listed}")
    return period


def same_quarter_last_year(period: pd.Period) -> pd.Period:
    """The quarter a year earlier (for year-on-year comparisons)."""
    return period - 4

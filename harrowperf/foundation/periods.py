"""UK financial periods: "Q2 2016/17" <-> Period("2017Q2", "Q-MAR") and "2016/17" <-> Period("2017", "Y-MAR").

The UK public-sector financial year runs April to March. Pandas' "Q-MAR"
frequency numbers quarters the same way (Q1 = Apr-Jun) and names the fiscal
year by the calendar year in which it ends, so financial year 2016/17 is
fiscal year 2017 and "Q2 2016/17" (Jul-Sep 2016) is ``Period("2017Q2", "Q-MAR")``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

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


def require_quarter(quarter: str | pd.Period, present: list[str], where: str = "the data",
                    what: str = "the quarters present") -> pd.Period:
    """``quarter`` as a Period, if it is one of the ``present`` quarter labels.

    Otherwise raise :class:`~harrowperf.foundation.errors.ParameterError` saying which quarters are present,
    so a notebook asked for a quarter it has no data for fails in plain words.
    """
    from harrowperf.foundation.errors import ParameterError

    listed = ", ".join(present) or "none"
    try:
        period = to_quarter(quarter)
    except (ValueError, TypeError) as error:
        raise ParameterError(f"quarter: {error}; {what} are: {listed}") from None
    if quarter_label(period) not in present:
        raise ParameterError(f"quarter {quarter_label(period)} is not in {where}; {what} are: {listed}")
    return period


def same_quarter_last_year(period: pd.Period) -> pd.Period:
    """The quarter a year earlier (for year-on-year comparisons)."""
    return period - 4


# ---------------------------------------------------------------------------------------------
# Dates as plans write them: "March 2012", "31st March 2012", "Spring 2012", "2011/12", "2019"
# ---------------------------------------------------------------------------------------------

_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH_NUMBER.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTH_NUMBER["sept"] = 9
# Meteorological seasons, as UK plans use them ("Spring 2012" is March to May 2012).
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
NO_DATE_WORDS = frozenset({"tbc", "tba", "tbd", "ongoing", "n/a", "na", "none", "-", "to be confirmed"})

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]00:00(?::00)?)?$")  # as Excel shows a date cell
_QUARTER_IN_TEXT = re.compile(r"\b(?:Q|Qtr\.?\s*|Quarter\s*)[1-4]\s*[,/-]?\s*\d{4}\s*[/-]\s*\d{2,4}\b", re.I)
_LEAD_WORDS = re.compile(r"^(?:(?:by|before|in|on|from|throughout|to|until|during|due)\s+)?(?:the\s+)?"
                         r"(?:(?:end|close)\s+of\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class When:
    """A date or period written in words: its first and last day and what kind of span it is.

    ``kind`` is "day", "month", "season", "quarter", "financial year" or "year".
    """

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str


def parse_when(text: str) -> When | None:
    """Read a date or period as plans and trackers write it; ``None`` when it is not one.

    Accepts a day ("31st March 2012", "31/03/2012" in UK order, "2012-03-31"), a month ("March 2012", "Sept 2011"),
    a season ("Spring 2012", "Winter 2012" = Dec 2012 to Feb 2013), a financial quarter ("Q3 2016/17"),
    a financial year ("2011/12"), a calendar year ("2019"), each optionally after "by", "before", "in",
    "on", "from", "throughout", "to", "until", "due" and "(the) end of". Words meaning "no date yet"
    ("TBC", "ongoing") give ``None``, as does anything else.

    >>> parse_when("by March 2012")
    When(start=Timestamp('2012-03-01 00:00:00'), end=Timestamp('2012-03-31 00:00:00'), kind='month')
    >>> parse_when("Spring 2012").end
    Timestamp('2012-05-31 00:00:00')
    >>> parse_when("TBC") is None
    True
    """
    if not isinstance(text, str):
        return None
    words = " ".join(text.replace("\u2019", "'").split()).strip(" .,;")
    if words.lower() in NO_DATE_WORDS:
        return None
    words = _LEAD_WORDS.sub("", words).strip()
    lowered = words.lower()
    if (quarter := parse_quarter(words)) is not None:
        return When(quarter.start_time.normalize(), quarter.end_time.normalize(), "quarter")
    if (year := parse_financial_year(words)) is not None:
        return When(year.start_time.normalize(), year.end_time.normalize(), "financial year")
    if match := _DAY_MONTH_YEAR.match(lowered):
        day, month, year_text = match.groups()
        return _day(int(year_text), _MONTH_NUMBER.get(month), int(day))
    if match := _NUMERIC_DATE.match(lowered):
        day, month, year_text = (int(part) for part in match.groups())
        return _day(year_text, month, day)
    if match := _ISO_DATE.match(lowered):
        year_text, month, day = (int(part) for part in match.groups())
        return _day(year_text, month, day)
    if match := _MONTH_YEAR.match(lowered):
        name, year_text = match.groups()
        if name in _MONTH_NUMBER:
            month = pd.Period(year=int(year_text), month=_MONTH_NUMBER[name], freq="M")
            return When(month.start_time.normalize(), month.end_time.normalize(), "month")
        if name in SEASONS:
            first, last = SEASONS[name]
            start = pd.Timestamp(year=int(year_text), month=first, day=1)
            end_year = int(year_text) + (last < first)
            end = pd.Period(year=end_year, month=last, freq="M").end_time.normalize()
            return When(start, end, "season")
        return None
    if match := _YEAR.match(lowered):
        year = pd.Period(year=int(match.group(1)), freq="Y")
        return When(year.start_time.normalize(), year.end_time.normalize(), "year")
    return None


def _day(year: int, month: int | None, day: int) -> When | None:
    if month is None or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    moment = pd.Timestamp(year=year, month=month, day=day)
    return When(moment, moment, "day")


def find_quarter(text: str) -> pd.Period | None:
    """The first financial-quarter label inside a longer text ("Commentary for Q2 2016/17"), else ``None``."""
    if not isinstance(text, str):
        return None
    match = _QUARTER_IN_TEXT.search(text)
    return parse_quarter(match.group(0)) if match else None

"""UK financial periods: "Q2 2016/17" <-> Period("2017Q2", "Q-MAR") and "2016/17" <-> Period("2017", "Y-MAR").

The UK public-sector financial year runs April to March. Pandas' "Q-MAR"
frequency numbers quarters the same way (Q1 = Apr-Jun) and names the fiscal
year by the calendar year in which it ends, so financial year 2016/17 is
fiscal year 2017 and "Q2 2016/17" (Jul-Sep 2016) is ``Period("2017Q2", "Q-MAR")``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from harrowperf.foundation.errors import AmbiguousPeriodError

QUARTER_FREQ = "Q-MAR"
YEAR_FREQ = "Y-MAR"

_QUARTER = re.compile(
    r"^\s*(?:Q|Qtr\.?\s*|Quarter\s*)([1-4])\s*[,/-]?\s*(?:FY\s*|Financial\s+year\s*:?\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$",
    re.IGNORECASE,
)
_YEAR_FIRST_QUARTER = re.compile(
    r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*[;,\s]\s*Q([1-4])\s*$", re.IGNORECASE
)
_FINANCIAL_YEAR = re.compile(r"^\s*(?:FY\s*|Financial\s+year\s*:?\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$",
                             re.IGNORECASE)


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


# ---------------------------------------------------------------------------------------------
# Periods of any frequency: a month, a financial quarter, a financial year or a calendar year
# ---------------------------------------------------------------------------------------------

MONTH = "month"
QUARTER = "quarter"
FINANCIAL_YEAR = "financial year"
CALENDAR_YEAR = "calendar year"
FISCAL_YEAR = "fiscal year"  # a year starting in another month than April or January (New York City: July)
# The frequencies an observation can have (the frame's ``frequency`` column), shortest first.
FREQUENCIES = (MONTH, QUARTER, FINANCIAL_YEAR, CALENDAR_YEAR, FISCAL_YEAR)
# How many periods back the same period last year is, per frequency (like-with-like comparisons).
PERIODS_PER_YEAR = {MONTH: 12, QUARTER: 4, FINANCIAL_YEAR: 1, CALENDAR_YEAR: 1, FISCAL_YEAR: 1}
_PANDAS_FREQ = {MONTH: "M", QUARTER: QUARTER_FREQ, FINANCIAL_YEAR: YEAR_FREQ, CALENDAR_YEAR: "Y-DEC"}

_TWO_OR_FOUR_DIGIT_YEAR = r"(\d{4}|\d{2})"
_MONTH_AND_YEAR = re.compile(rf"^([a-z]+)\.?(?:\s*[-'\s]\s*|\s*){_TWO_OR_FOUR_DIGIT_YEAR}$")
_MONTH_RANGE = re.compile(rf"^([a-z]+)\.?(?:\s*,?\s*{_TWO_OR_FOUR_DIGIT_YEAR})?\s*(?:-|to)\s*([a-z]+)\.?,?"
                          rf"(?:\s*[-'\s]\s*|\s*){_TWO_OR_FOUR_DIGIT_YEAR}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")  # ISO: "2016-07"
_MONTH_SLASH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")  # "07/2016"
_CALENDAR_YEAR = re.compile(r"^(?:CY\s*)?(\d{4})$", re.IGNORECASE)
_COMPACT_YEAR = re.compile(r"^(\d{4})(\d{2})$")  # "201617", as DfE's Explore Education Statistics writes a year
_FIRST_YEAR, _LAST_YEAR = 1900, 2199  # a four-digit number outside this range is not a year of a scorecard


@dataclass(frozen=True)
class Span:
    """One observation's period: its first and last day and its frequency (one of :data:`FREQUENCIES`).

    :func:`parse_period` never gives a ``"fiscal year"`` (a year starting in a month other than April or
    January): only a long file's mapping can say a file's years start in July.

    >>> span = parse_period("Jul-Sep 2016")
    >>> span.frequency, span.label, span.quarter
    ('quarter', 'Q2 2016/17', Period('2017Q2', 'Q-MAR'))
    >>> parse_period("Apr-16").label, parse_period("2016/17").label, parse_period("2016").label
    ('Apr 2016', '2016/17', '2016')
    """

    start: pd.Timestamp
    end: pd.Timestamp
    frequency: str

    @property
    def label(self) -> str:
        """The period as councils print it: "Apr 2016", "Q2 2016/17", "2016/17" or "2016"."""
        return period_label(self.start, self.frequency)

    @property
    def quarter(self) -> pd.Period:
        """The reporting quarter: the financial quarter (Q-MAR) the period ends in."""
        return reporting_quarter(self.end)


def _span(period: pd.Period, frequency: str) -> Span:
    return Span(period.start_time.normalize(), period.end_time.normalize(), frequency)


def month_span(year: int, month: int) -> Span | None:
    """The month ``month`` of ``year`` as a :class:`Span`; ``None`` if the month or year is out of range."""
    if not 1 <= month <= 12 or not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    return _span(pd.Period(year=year, month=month, freq="M"), MONTH)


def period_label(start: pd.Timestamp, frequency: str) -> str:
    """The label of the period of ``frequency`` starting on ``start``, as councils print it.

    >>> period_label(pd.Timestamp("2016-04-01"), "month"), period_label(pd.Timestamp("2016-07-01"), "quarter")
    ('Apr 2016', 'Q2 2016/17')
    >>> start = pd.Timestamp("2016-04-01")
    >>> period_label(start, "financial year"), period_label(pd.Timestamp("2016-01-01"), "calendar year")
    ('2016/17', '2016')
    """
    start = pd.Timestamp(start)
    if frequency == MONTH:
        return f"{calendar.month_abbr[start.month]} {start.year}"
    if frequency == QUARTER:
        return quarter_label(pd.Period(start, freq=QUARTER_FREQ))
    if frequency == FINANCIAL_YEAR:
        return financial_year_label(pd.Period(start, freq=YEAR_FREQ))
    if frequency == CALENDAR_YEAR:
        return str(start.year)
    if frequency == FISCAL_YEAR:
        end = start + pd.DateOffset(months=11)
        return f"{calendar.month_abbr[start.month]} {start.year}-{calendar.month_abbr[end.month]} {end.year}"
    raise ValueError(f"{frequency!r} is not a frequency; use one of {', '.join(FREQUENCIES)}")


def reporting_quarter(end: pd.Timestamp) -> pd.Period:
    """The financial quarter (Q-MAR) containing the day ``end``: the quarter a period is reported in."""
    return pd.Period(pd.Timestamp(end), freq=QUARTER_FREQ)


def _year(text: str) -> int:
    """A year written with four digits, or two (00-69 are 2000-2069, 70-99 are 1970-1999, as Excel reads them)."""
    number = int(text)
    if len(text) == 4:
        return number
    return 2000 + number if number < 70 else 1900 + number


def _from_months(first_year: int, first_month: int, last_year: int, last_month: int) -> Span | None:
    """The span from one month to another, if it is a month, a financial quarter or a year; else ``None``."""
    first = month_span(first_year, first_month)
    last = month_span(last_year, last_month)
    if first is None or last is None or last.start < first.start:
        return None
    months = (last_year - first_year) * 12 + last_month - first_month + 1
    if months == 1:
        return first
    if months == 3 and first_month in (1, 4, 7, 10):
        return Span(first.start, last.end, QUARTER)
    if months == 12 and first_month == 4:
        return Span(first.start, last.end, FINANCIAL_YEAR)
    if months == 12 and first_month == 1:
        return Span(first.start, last.end, CALENDAR_YEAR)
    return None


def ambiguous_year_month(text: str) -> str | None:
    """Why ``text`` names two periods, if it is "YYYY-NN" (or "YYYYNN") that is both a financial year and a month;
    else ``None``.

    "2010-11" is the financial year 2010/11 (as UK councils write it) and November 2010 (as ISO dates
    and many exports write it). Only a year followed by the next year's last two digits, 01 to 12, is
    both: "2009-11" can only be November 2009 (a financial year would be 2009-10) and "2016-17" only
    the financial year 2016/17 (there is no 17th month). A slash ("2010/11") or four digits
    ("2010-2011") always mean the financial year.

    >>> ambiguous_year_month("2009-11") is None, ambiguous_year_month("2016-17") is None
    (True, True)
    >>> ambiguous_year_month("2010-11")[:57]
    "'2010-11' could be the financial year 2010/11 or Nov 2010"
    """
    words = _with_separator(" ".join(text.replace("\u2013", "-").replace("\u2014", "-").split()))
    match = _YEAR_MONTH.match(words)
    if not match or len(match.group(2)) != 2 or not 1 <= int(match.group(2)) <= 12:
        return None
    year, number = match.groups()
    if _end_year(year, number) is None:
        return None
    month = f"{calendar.month_abbr[int(number)]} {year}"
    return (f"{text.strip()!r} could be the financial year {year}/{number} or {month}, so it is not read as "
            f"either: say which by giving the frequency (in a long file's mapping, [periods] frequency = \"year\" "
            f"or \"month\"; in code, parse_period(text, frequency=\"financial year\" or \"month\")), or write "
            f"the year as {year}/{number} or the month as {month}")


def _with_separator(words: str) -> str:
    """"201617" -> "2016-17": a year (or a month) written without its separator, as DfE writes it."""
    match = _COMPACT_YEAR.match(words)
    return f"{match.group(1)}-{match.group(2)}" if match else words


def _from_text(text: str, frequency: str | None) -> Span | None:
    written = " ".join(text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").split()).strip(" .,;")
    words = _with_separator(written)
    if frequency == MONTH and (match := _YEAR_MONTH.match(words)):  # "2011-12" is December 2011, not 2011/12
        return month_span(int(match.group(1)), int(match.group(2)))
    if frequency is None and (reason := ambiguous_year_month(written)) is not None:
        raise AmbiguousPeriodError(reason, text=text)
    if (quarter := parse_quarter(words)) is not None:
        return _span(quarter, QUARTER)
    if (year := parse_financial_year(words)) is not None:
        return _span(year, FINANCIAL_YEAR)
    lowered = words.lower()
    if match := _CALENDAR_YEAR.match(lowered):
        number = int(match.group(1))
        return _span(pd.Period(year=number, freq="Y-DEC"), CALENDAR_YEAR) if _FIRST_YEAR <= number <= _LAST_YEAR \
            else None
    if match := _YEAR_MONTH.match(lowered):
        return month_span(int(match.group(1)), int(match.group(2)))
    if match := _MONTH_SLASH_YEAR.match(lowered):
        return month_span(int(match.group(2)), int(match.group(1)))
    if match := _MONTH_AND_YEAR.match(lowered):
        name, year_text = match.groups()
        month = _MONTH_NUMBER.get(name)
        return None if month is None else month_span(_year(year_text), month)
    if match := _MONTH_RANGE.match(lowered):
        first_name, first_year_text, last_name, last_year_text = match.groups()
        first_month, last_month = _MONTH_NUMBER.get(first_name), _MONTH_NUMBER.get(last_name)
        if first_month is None or last_month is None:
            return None
        last_year = _year(last_year_text)
        if first_year_text is not None:
            first_year = _year(first_year_text)
        else:  # "Nov-Jan 2017" runs from November 2016
            first_year = last_year - (first_month > last_month)
        return _from_months(first_year, first_month, last_year, last_month)
    return None


def parse_period(value: object, frequency: str | None = None) -> Span | None:
    """Read a period written any common way, at any frequency; ``None`` when it is not exactly one period.

    - a month: "Apr-16", "Apr 2016", "April 2016", "Sept 2016", "2016-04", "201604", "04/2016", a one-month
      range, or a real date (a ``datetime``/``date``/``Timestamp``, as a date header formatted as a
      month gives): the month containing it;
    - a financial quarter: "Q2 2016/17", "Quarter 2 2016-17", "2016-17;Q2", "Jul-Sep 2016",
      "July to September 2016";
    - a financial year (April to March): "2016/17", "2016-17", "2016-2017", "FY 2016/17", "Financial Year 2016/17",
      "Apr 2016 - Mar 2017", and "201617" (or the number 201617) as DfE's Explore Education Statistics
      writes it (read like "2016-17", so "201112" names two periods, as "2011-12" does);
    - a calendar year: "2016", "CY2016", "Jan-Dec 2016", or the number 2016;
    - a pandas ``Period`` of freq "M", "Q-MAR", "Y-MAR" or "Y-DEC".

    A year and a month written "YYYY-NN" are a month ("2016-07", "2009-11"), except that "2016-17" is
    the financial year 2016/17 (there is no 17th month). Text that is both, a year followed by the next
    year's last two digits 01 to 12 ("2010-11": the financial year 2010/11 or November 2010), is never
    guessed: without ``frequency`` it raises :class:`~harrowperf.AmbiguousPeriodError` naming the text
    (:func:`ambiguous_year_month` says why); pass ``frequency="financial year"`` or ``"month"`` to say which.
    With ``frequency`` given, a period of another frequency is ``None``.

    Anything else is ``None`` rather than a guess: "Q5 2016/17", "2016/18" (not consecutive years),
    "13/2016", a three-month range that is not a financial quarter ("Aug-Oct 2016"), a calendar
    quarter written "Q2 2016", "FY2017" (which year it means differs between organisations), a single
    day written as text ("31/03/2016"), and words.

    >>> parse_period("Apr-16")
    Span(start=Timestamp('2016-04-01 00:00:00'), end=Timestamp('2016-04-30 00:00:00'), frequency='month')
    >>> parse_period("Q5 2016/17") is None, parse_period("2016/18") is None, parse_period("13/2016") is None
    (True, True, True)
    """
    if frequency is not None and frequency not in FREQUENCIES:
        raise ValueError(f"{frequency!r} is not a frequency; use one of {', '.join(FREQUENCIES)}")
    span = _parse_period(value, frequency)
    return span if span is None or frequency is None or span.frequency == frequency else None


def _parse_period(value: object, frequency: str | None) -> Span | None:
    if isinstance(value, Span):
        return value
    if isinstance(value, pd.Period):
        for frequency, freq in _PANDAS_FREQ.items():
            if value.freqstr == pd.Period("2000", freq=freq).freqstr:
                return _span(value, frequency)
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime | datetime.date):  # pd.Timestamp is a datetime
        if pd.isna(value):
            return None
        return month_span(value.year, value.month)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and _FIRST_YEAR <= value <= _LAST_YEAR:
            return _span(pd.Period(year=int(value), freq="Y-DEC"), CALENDAR_YEAR)
        if float(value).is_integer() and 100 * _FIRST_YEAR <= value < 100 * (_LAST_YEAR + 1):  # 201617
            return _from_text(str(int(value)), frequency)
        return None
    if isinstance(value, str):
        return _from_text(value, frequency)
    return None


def span_columns(span: Span) -> dict[str, object]:
    """The period columns of a scorecard-frame row for ``span`` (``period``, ``period_label``, ``frequency``,
    ``period_start``, ``period_end``)."""
    return dict(_span_columns(span))


@lru_cache(maxsize=4096)
def _span_columns(span: Span) -> tuple[tuple[str, object], ...]:
    # made once per period: a workbook repeats each of its periods on every measure's row
    return (("period", span.quarter), ("period_label", span.label), ("frequency", span.frequency),
            ("period_start", span.start), ("period_end", span.end))


PERIOD_COLUMNS = ("frequency", "period_start", "period_end")


def with_period_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a scorecard frame with ``frequency``, ``period_start`` and ``period_end`` filled in.

    Rows that lack them (frames from readers that only know quarters, clean data and history files
    written before these columns existed) are quarters: their ``period`` gives the first and last day.
    Rows that have them keep them. The new columns follow ``period_label``. In clean data written
    before then, ``frequency`` was the measure catalogue's ("quarterly", "annual"): it becomes
    ``catalogue_frequency``, as :func:`harrowperf.read.catalogue.apply` now names it.
    """
    frame = frame.copy()
    if "frequency" in frame.columns and "period_start" not in frame.columns and "catalogue_frequency" not in frame:
        frame = frame.rename(columns={"frequency": "catalogue_frequency"})
    quarters = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ) if len(frame) else \
        pd.PeriodIndex([], freq=QUARTER_FREQ)
    starts = pd.Series(quarters.start_time.normalize(), index=frame.index, dtype="datetime64[ns]")
    ends = pd.Series(quarters.end_time.normalize(), index=frame.index, dtype="datetime64[ns]")
    if "frequency" in frame.columns:
        missing = frame["frequency"].isna()
        frequency = frame["frequency"].astype(object).where(~missing, QUARTER)
    else:
        missing = pd.Series(True, index=frame.index)
        frequency = pd.Series(QUARTER, index=frame.index, dtype=object)
    start = pd.to_datetime(frame["period_start"]).astype("datetime64[ns]") if "period_start" in frame.columns \
        else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    end = pd.to_datetime(frame["period_end"]).astype("datetime64[ns]") if "period_end" in frame.columns \
        else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    frame["frequency"] = frequency
    frame["period_start"] = start.where(~(missing | start.isna()), starts)
    frame["period_end"] = end.where(~(missing | end.isna()), ends)
    if "period_label" in frame.columns:
        columns = [c for c in frame.columns if c not in PERIOD_COLUMNS]
        at = columns.index("period_label") + 1
        frame = frame[[*columns[:at], *PERIOD_COLUMNS, *columns[at:]]]
    return frame

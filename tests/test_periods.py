"""UK financial periods."""

import pandas as pd
import pytest

import harrowperf as hp
from harrowperf.foundation.periods import (
    financial_year_label,
    parse_financial_year,
    parse_quarter,
    quarter_label,
    same_quarter_last_year,
    to_quarter,
)


@pytest.mark.parametrize("label, expected", [
    ("Q2 2016/17", pd.Period("2017Q2", "Q-MAR")),
    ("Q1 2016/17", pd.Period("2017Q1", "Q-MAR")),
    ("Q2 2015/16", pd.Period("2016Q2", "Q-MAR")),
    ("Q4 1999/00", pd.Period("2000Q4", "Q-MAR")),
    ("Quarter 3 2016-17", pd.Period("2017Q3", "Q-MAR")),
    ("2018-19;Q1", pd.Period("2019Q1", "Q-MAR")),
    ("q3 2020/2021", pd.Period("2021Q3", "Q-MAR")),
])
def test_parse_quarter(label, expected):
    assert parse_quarter(label) == expected


def test_q2_is_july_to_september():
    period = parse_quarter("Q2 2016/17")
    assert period.start_time == pd.Timestamp("2016-07-01")
    assert period.end_time.normalize() == pd.Timestamp("2016-09-30")


@pytest.mark.parametrize("label", ["Q5 2016/17", "Q2 2016/18", "2016/17", "Target", "", None, 3])
def test_not_a_quarter(label):
    assert parse_quarter(label) is None


def test_labels_round_trip():
    for label in ["Q1 2016/17", "Q4 2019/20", "Q2 1999/00"]:
        assert quarter_label(parse_quarter(label)) == label


def test_financial_years():
    assert parse_financial_year("2004-05") == pd.Period("2005", "Y-MAR")
    assert parse_financial_year("2016/17") == pd.Period("2017", "Y-MAR")
    assert parse_financial_year("2016-2017") == pd.Period("2017", "Y-MAR")
    assert parse_financial_year("2016/18") is None
    assert financial_year_label(pd.Period("2017Q2", "Q-MAR")) == "2016/17"


def test_to_quarter_and_year_on_year():
    assert same_quarter_last_year(to_quarter("Q2 2016/17")) == to_quarter("Q2 2015/16")
    with pytest.raises(ValueError, match="Q2 2016/17"):
        to_quarter("second quarter")


# ---------------------------------------------------------------------------------------------
# Periods of any frequency (issue 14): parse_period, labels, the frame's period columns
# ---------------------------------------------------------------------------------------------
import calendar  # noqa: E402
import datetime  # noqa: E402

import pandera.errors  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from harrowperf.foundation.periods import (  # noqa: E402
    FREQUENCIES,
    Span,
    parse_period,
    period_label,
    with_period_columns,
)
from harrowperf.foundation.schema import SCORECARD_COLUMNS, TEXT_COLUMNS, validate_scorecard  # noqa: E402
from harrowperf.read.synthetic import frame_from_values  # noqa: E402


def _filled(frame):
    """A synthetic frame with the text columns clean fills ("" where a source has nothing to say)."""
    return frame.assign(**{c: frame[c].fillna("") for c in TEXT_COLUMNS})


def _day(text):
    return pd.Timestamp(text)


@pytest.mark.parametrize("written, start, end, frequency, label", [
    # months, written the ways exports and scorecards write them
    ("Apr-16", "2016-04-01", "2016-04-30", "month", "Apr 2016"),
    ("Apr 2016", "2016-04-01", "2016-04-30", "month", "Apr 2016"),
    ("April 2016", "2016-04-01", "2016-04-30", "month", "Apr 2016"),
    ("Sept 2016", "2016-09-01", "2016-09-30", "month", "Sep 2016"),
    ("Feb-24", "2024-02-01", "2024-02-29", "month", "Feb 2024"),  # a leap year's February
    ("Feb-23", "2023-02-01", "2023-02-28", "month", "Feb 2023"),
    ("Dec-99", "1999-12-01", "1999-12-31", "month", "Dec 1999"),  # two-digit years as Excel reads them
    ("2016-07", "2016-07-01", "2016-07-31", "month", "Jul 2016"),
    ("07/2016", "2016-07-01", "2016-07-31", "month", "Jul 2016"),
    ("  jan   2017 ", "2017-01-01", "2017-01-31", "month", "Jan 2017"),
    # financial quarters: Q1 is April to June; Q4 2016/17 is January to March 2017
    ("Q2 2016/17", "2016-07-01", "2016-09-30", "quarter", "Q2 2016/17"),
    ("Jul-Sep 2016", "2016-07-01", "2016-09-30", "quarter", "Q2 2016/17"),
    ("Jul\u2013Sep 2016", "2016-07-01", "2016-09-30", "quarter", "Q2 2016/17"),  # an en dash
    ("July to September 2016", "2016-07-01", "2016-09-30", "quarter", "Q2 2016/17"),
    ("Jan-Mar 2017", "2017-01-01", "2017-03-31", "quarter", "Q4 2016/17"),
    ("Oct 16 - Dec 16", "2016-10-01", "2016-12-31", "quarter", "Q3 2016/17"),
    ("2018-19;Q1", "2018-04-01", "2018-06-30", "quarter", "Q1 2018/19"),
    # years: financial (April to March) and calendar
    ("2016/17", "2016-04-01", "2017-03-31", "financial year", "2016/17"),
    ("FY 2016-17", "2016-04-01", "2017-03-31", "financial year", "2016/17"),
    ("1999/00", "1999-04-01", "2000-03-31", "financial year", "1999/00"),
    ("Apr 2016 - Mar 2017", "2016-04-01", "2017-03-31", "financial year", "2016/17"),
    ("2016", "2016-01-01", "2016-12-31", "calendar year", "2016"),
    ("Jan-Dec 2016", "2016-01-01", "2016-12-31", "calendar year", "2016"),
])
def test_parse_period_reads_each_way_of_writing_a_period(written, start, end, frequency, label):
    span = parse_period(written)
    assert span == Span(_day(start), _day(end), frequency)
    assert span.label == label


@pytest.mark.parametrize("value, label", [
    (datetime.date(2016, 4, 30), "Apr 2016"),  # an Excel date header formatted as a month
    (datetime.datetime(2016, 4, 1, 0, 0), "Apr 2016"),
    (pd.Timestamp("2017-03-15"), "Mar 2017"),
    (pd.Period("2016-04", "M"), "Apr 2016"),
    (pd.Period("2017Q2", "Q-MAR"), "Q2 2016/17"),
    (pd.Period("2017", "Y-MAR"), "2016/17"),
    (pd.Period("2016", "Y-DEC"), "2016"),
    (2016, "2016"),  # a year header stored as a number
    (2016.0, "2016"),
])
def test_parse_period_reads_dates_periods_and_year_numbers(value, label):
    assert parse_period(value).label == label


@pytest.mark.parametrize("written", [
    "Q5 2016/17", "Q0 2016/17", "2016/18", "2016/16", "13/2016", "00/2016", "2016-13", "2016-00",
    "Aug-Oct 2016",  # three months, but not a financial quarter
    "Mar-Apr 2016", "Nov-Jan 2017", "Jul-Jun 2016",  # two months; not a period; ends before it starts
    "Q2 2016",  # a calendar quarter? a financial one? not said
    "FY2017",  # ends in 2017, but organisations differ on when their year starts
    "31/03/2016", "2016-03-31",  # a day is not a month, quarter or year
    "Smarch 2016", "Spring 2016", "Target", "", "   ", "2016/17 Q5", "12345", "0016",
])
def test_parse_period_never_guesses(written):
    assert parse_period(written) is None


@pytest.mark.parametrize("value", [None, True, 3, 42461, 2016.5, float("nan"), pd.NaT, pd.Period("2016-07-01", "D"),
                                   ["Apr-16"]])
def test_parse_period_refuses_values_that_are_not_periods(value):
    assert parse_period(value) is None


_MONTHS = st.builds(lambda year, month: (year, month), st.integers(1950, 2150), st.integers(1, 12))


@given(_MONTHS, st.sampled_from(["{abbr} {year}", "{name} {year}", "{abbr}-{yy:02d}", "{year}-{month:02d}",
                                 "{month:02d}/{year}", "{month}/{year}"]))
def test_every_month_written_any_way_is_that_month(year_month, pattern):
    year, month = year_month
    if "{yy" in pattern and not 1970 <= year <= 2069:
        return  # two-digit years mean 1970-2069
    text = pattern.format(abbr=calendar.month_abbr[month], name=calendar.month_name[month], year=year,
                          yy=year % 100, month=month)
    span = parse_period(text, frequency="month")
    assert span.frequency == "month"
    assert (span.start.year, span.start.month, span.start.day) == (year, month, 1)
    assert span.end == span.start + pd.offsets.MonthEnd(0)
    assert parse_period(span.label) == span  # the printed label reads back as the same month


@given(st.integers(1950, 2150), st.integers(1, 4))
def test_every_financial_quarter_reads_back_from_its_label_and_its_months(end_year, quarter):
    period = pd.Period(year=end_year, quarter=quarter, freq="Q-MAR")
    span = parse_period(quarter_label(period))
    assert (span.frequency, span.quarter) == ("quarter", period)
    assert (span.start, span.end) == (period.start_time, period.end_time.normalize())
    months = f"{span.start:%b}-{span.end:%b} {span.end.year}"
    assert parse_period(months) == span
    assert parse_period(span.label) == span


@given(st.integers(1950, 2150))
def test_every_year_reads_back_from_its_label(year):
    financial = parse_period(f"{year}/{(year + 1) % 100:02d}")
    assert (financial.start, financial.end) == (pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 3, 31))
    assert parse_period(financial.label) == financial
    assert financial.quarter == pd.Period(year=year + 1, quarter=4, freq="Q-MAR")  # reported in its Q4
    assert parse_period(f"{year}/{(year + 2) % 100:02d}") is None  # two years apart: not a financial year
    calendar_year = parse_period(str(year))
    assert (calendar_year.start, calendar_year.end) == (pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31))
    assert calendar_year.quarter == pd.Period(year=year + 1, quarter=3, freq="Q-MAR")  # December is in Q3


@given(st.integers(1900, 2199), st.integers(1, 12))
def test_year_dash_month_is_a_month_unless_it_is_also_a_financial_year(year, month):
    text = f"{year}-{month:02d}"
    as_month = parse_period(text, frequency="month")
    assert (as_month.frequency, as_month.start) == ("month", pd.Timestamp(year, month, 1))
    if month == (year + 1) % 100:  # "2010-11": the financial year 2010/11 or November 2010
        with pytest.raises(hp.AmbiguousPeriodError) as raised:
            parse_period(text)
        assert raised.value.text == text and f"{year}/{month:02d}" in str(raised.value)
        as_year = parse_period(text, frequency="financial year")
        assert (as_year.start, as_year.end) == (pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 3, 31))
    else:
        assert parse_period(text) == as_month
        assert parse_period(text, frequency="financial year") is None


@given(st.text(max_size=30))
def test_parse_period_of_any_text_is_none_or_a_whole_period(text):
    try:
        span = parse_period(text)
    except hp.AmbiguousPeriodError as error:  # only "YYYY-NN" that is a financial year and a month
        assert error.text == text and parse_period(text, frequency="month") is not None
        return
    if span is None:
        return
    assert span.frequency in FREQUENCIES
    assert span.start.day == 1 and span.end.is_month_end and span.start <= span.end
    months = (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1
    assert months == {"month": 1, "quarter": 3, "financial year": 12, "calendar year": 12}[span.frequency]
    assert parse_period(span.label) == span


@given(st.integers(1, 4), st.integers(2000, 2100), st.integers(5, 9))
def test_quarters_outside_one_to_four_are_never_read(quarter, year, bad):
    assert parse_period(f"Q{bad} {year}/{(year + 1) % 100:02d}") is None
    assert parse_period(f"Q{quarter} {year}/{(year + 2) % 100:02d}") is None


def test_a_year_and_month_that_is_also_a_financial_year_is_never_guessed():
    # "2011-12" is the financial year 2011/12 and December 2011: without a frequency, an error naming it
    with pytest.raises(hp.AmbiguousPeriodError, match=r"'2011-12' could be the financial year 2011/12 or Dec "
                                                      r"2011.*\[periods\] frequency") as raised:
        parse_period("2011-12")
    assert raised.value.text == "2011-12" and isinstance(raised.value, ValueError)
    assert parse_period("2011-12", frequency="month").label == "Dec 2011"
    assert parse_period("2011-12", frequency="financial year").label == "2011/12"
    assert parse_period("2011-12", frequency="quarter") is None
    assert parse_period("2016-07").label == "Jul 2016"  # not a financial year: no doubt
    assert parse_period("2009-11").label == "Nov 2009"  # a financial year would be 2009-10: only a month
    assert parse_period("2016-17").label == "2016/17"  # no 17th month: only a financial year
    assert parse_period("2011/12").label == "2011/12"  # a slash is a financial year
    assert parse_period("2011-2012").label == "2011/12"
    assert parse_period("Q2 2016/17", frequency="month") is None
    assert parse_period("2016/17", frequency="financial year").label == "2016/17"
    with pytest.raises(ValueError, match="'monthly' is not a frequency"):
        parse_period("Apr-16", frequency="monthly")


def test_period_labels_per_frequency_and_unknown_frequency():
    start = pd.Timestamp("2016-04-01")
    assert [period_label(start, f) for f in ("month", "quarter", "financial year")] == ["Apr 2016", "Q1 2016/17",
                                                                                         "2016/17"]
    assert period_label(pd.Timestamp("2016-01-01"), "calendar year") == "2016"
    with pytest.raises(ValueError, match="'weekly' is not a frequency"):
        period_label(start, "weekly")


def _mixed_frame():
    """One frame, three frequencies: Apr 2016 (month), Q2 2016/17 (quarter), 2016/17 (financial year)."""
    frame = _filled(frame_from_values([1.0, 2.0, 3.0]))
    for i, text in enumerate(["Apr-16", "Q2 2016/17", "2016/17"]):
        span = parse_period(text)
        frame.loc[i, ["period", "period_label", "frequency", "period_start", "period_end"]] = [
            span.quarter, span.label, span.frequency, span.start, span.end]
    return frame


def test_the_frame_holds_periods_of_each_frequency():
    frame = _mixed_frame()
    assert list(frame.columns[:len(SCORECARD_COLUMNS)]) == SCORECARD_COLUMNS
    checked = validate_scorecard(frame)
    assert checked["frequency"].tolist() == ["month", "quarter", "financial year"]
    assert checked["period_label"].tolist() == ["Apr 2016", "Q2 2016/17", "2016/17"]
    assert [quarter_label(p) for p in checked["period"]] == ["Q1 2016/17", "Q2 2016/17", "Q4 2016/17"]


@pytest.mark.parametrize("change, message", [
    ({"period_end": pd.Timestamp("2016-03-31")}, "period_start must not be after period_end"),
    ({"period_end": pd.Timestamp("2016-05-31")}, "as many as the frequency says"),  # two months called a month
    ({"frequency": "weekly"}, "isin"),
    ({"period": pd.Period("2017Q2", "Q-MAR")}, "the financial quarter the period ends in"),
])
def test_the_schema_refuses_inconsistent_period_columns(change, message):
    frame = _mixed_frame()
    for column, value in change.items():
        frame.loc[0, column] = value
    with pytest.raises(pandera.errors.SchemaErrors, match=message):
        validate_scorecard(frame)


def test_frames_without_the_new_columns_get_them_as_quarters():
    old = _filled(frame_from_values([1.0, 2.0])).drop(columns=["frequency", "period_start", "period_end"])
    old["frequency"] = "quarterly"  # clean data of before: the measure catalogue's frequency
    filled = with_period_columns(old)
    assert filled["frequency"].tolist() == ["quarter", "quarter"]
    assert filled["catalogue_frequency"].tolist() == ["quarterly", "quarterly"]
    assert filled["period_start"].tolist() == [pd.Timestamp("2015-04-01"), pd.Timestamp("2015-07-01")]
    assert filled["period_end"].tolist() == [pd.Timestamp("2015-06-30"), pd.Timestamp("2015-09-30")]
    assert list(filled.columns[:len(SCORECARD_COLUMNS)]) == SCORECARD_COLUMNS
    validate_scorecard(filled)
    mixed = _mixed_frame()
    assert with_period_columns(mixed)[["frequency", "period_start"]].equals(mixed[["frequency", "period_start"]])


@given(st.integers(1950, 2150))
def test_a_year_written_without_its_separator_reads_as_with_it(start):
    """DfE's Explore Education Statistics writes 2016/17 as "201617"; "201112" names two periods as "2011-12" does."""
    end = f"{(start + 1) % 100:02d}"
    compact, dashed = f"{start}{end}", f"{start}-{end}"
    if 1 <= int(end) <= 12:
        with pytest.raises(hp.AmbiguousPeriodError, match=f"'{compact}' could be the financial year"):
            parse_period(compact)
        assert parse_period(compact, "financial year") == parse_period(f"{start}/{end}")
        assert parse_period(int(compact), "month") == parse_period(dashed, "month")
    else:
        assert parse_period(compact) == parse_period(int(compact)) == parse_period(f"{start}/{end}")
        assert parse_period(compact).frequency == "financial year"


def test_compact_years_and_months_by_hand():
    assert parse_period("201617").label == "2016/17"
    assert parse_period("201609").label == "Sep 2016"  # not a year: 2016 and 2009 are not consecutive
    assert parse_period("201613") is None and parse_period("20161") is None

"""UK financial periods."""

import pandas as pd
import pytest

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

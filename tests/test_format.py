"""The one value -> text formatter: hand-computed cases for every unit, and properties over any number."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harrowperf.foundation.periods import to_quarter
from harrowperf.present import format as fmt
from harrowperf.read.values import parse_value


@pytest.mark.parametrize("value, unit, text", [
    # blanks are one dash whatever shape they come in
    (None, "%", "–"), (np.nan, "count", "–"), (pd.NA, "£", "–"), (pd.NaT, None, "–"), (float("nan"), "s", "–"),
    # percentages as the measure states them
    (7.49, "%", "7.49%"), (1.950, "%", "1.95%"), (97.0, "%", "97%"), (13.333333, "%", "13.33%"),
    (-0.001, "%", "-0.001%"),
    # counts and plain numbers: separators, whole numbers without decimals, at most two decimals
    (1234.5, "count", "1,234.5"), (1234.5, None, "1,234.5"), (263, "count", "263"), (1_000_000, "", "1,000,000"),
    (0.372, "score", "0.372"), (0.001234, None, "0.00123"), (12.345, "ratio", "12.35"), (-4.0, "count", "-4"),
    (np.int64(42), "count", "42"),
    # other units are named after the number
    (9.2, "days", "9.2 days"),
    # durations, ranks
    (151, "s", "2:31"), (59.6, "s", "1:00"), (3723, "s", "1:02:03"),
    (1, "rank", "1st"), (2, "rank", "2nd"), (3, "rank", "3rd"), (11, "rank", "11th"), (22.0, "rank", "22nd"),
    (113, "rank", "113th"),
    # money: the same amount always reads the same in a sentence
    (2_500_000, "£", "£2.5m"), (24_655_000, "£", "£24.7m"), (-800_000, "£", "-£0.8m"), (99_999, "£", "£99,999"),
    (-1_250_000, "GBP", "-£1.2m"), (81_234.4, "£", "£81,234"), (12.345, "£", "£12.35"), (0, "£", "£0"),
    # fractions as percentages
    (0.83, "share", "83%"), (0.047, "share", "4.7%"), (-0.8333, "share", "-83%"),
    # other types a chart table may hold
    (True, None, "yes"), ("Harrow", None, "Harrow"), (to_quarter("Q2 2016/17"), None, "Q2 2016/17"),
    (pd.Period("2017", freq="Y-MAR"), None, "2016/17"), (pd.Period("2025", freq="Y-DEC"), None, "2025"),
    (pd.Timestamp("2016-07-01"), None, "2016-07-01"), ([1, 2], "count", "1, 2"), (float("inf"), None, "infinite"),
])
def test_format_value(value, unit, text):
    assert fmt.format_value(value, unit) == text


@pytest.mark.parametrize("amount, style, text", [
    (2_500_000, "£m", "2.5"), (2_500_000, "£000", "2,500"), (-40_000, "£m", "0.0"), (-400, "£000", "0"),
    (24_655_000, "£m", "24.7"), (np.nan, "£000", "–"),
])
def test_money_styles_for_table_cells(amount, style, text):
    assert fmt.money(amount, style) == text


def test_money_decimals_and_unknown_style():
    assert fmt.money(24_655_000, "£m", decimals=3) == "24.655"
    assert fmt.format_value(24_655_000, "£", style="£m", decimals=2) == "24.66"
    with pytest.raises(ValueError, match="money style"):
        fmt.money(1, "£k")


def test_fixed_decimals_and_signed_changes():
    assert fmt.format_value(2.25, "%", decimals=1) == "2.2%"  # round half to even, as Python does
    assert fmt.format_value(-0.04, "%", decimals=1) == "0.0%"  # never "-0.0%"
    assert fmt.format_value(1234.5, "count", decimals=2) == "1,234.50"
    assert fmt.change(1.234, "%") == "+1.23 pts"
    assert fmt.change(-12, "count") == "-12"
    assert fmt.change(0.0, "count") == "0"
    assert fmt.change(np.nan, "%") == "–"
    assert fmt.change(90, "s") == "+1:30"


@pytest.mark.parametrize("text", ["13-15%", "[60%]", "5.86 (28th)", "12th to 20th in London", "£1,234", "02:31",
                                  "44% (12/27)", "-"])
def test_parsed_text_round_trips_the_grammar(text):
    parsed = parse_value(text)
    assert parse_value(fmt.parsed_text(parsed)) == parsed


def test_escaping_data_for_markdown_and_html():
    assert fmt.escape_html('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert fmt.escape_markdown("*Bold* [link](x) <b>") == r"\*Bold\* \[link\](x) &lt;b&gt;"
    assert fmt.escape_markdown("£5 & 10%") == "£5 &amp; 10%"


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@given(finite, st.sampled_from(["%", "count", None, "£", "s", "share", "days", "score"]))
def test_any_number_gives_plain_text(value, unit):
    text = fmt.format_value(value, unit)
    assert text and not any(bad in text.lower() for bad in ("nan", "none", "<na>", "e+", "e-", "-0%"))
    assert text != "-0"


@given(st.floats(min_value=1, max_value=1e12, allow_nan=False))
def test_numbers_read_back_within_their_rounding(value):
    text = fmt.format_value(value, "count")
    assert abs(float(text.replace(",", "")) - value) <= 0.005 + 1e-9 * value


@given(st.integers(min_value=1, max_value=10_000))
def test_ordinals_read_back(n):
    text = fmt.ordinal(n)
    assert int(text[:-2]) == n and text[-2:] in ("st", "nd", "rd", "th")
    assert parse_value(text).value == n


def test_money_sentence_style_reads_back():
    for amount in (2_500_000.0, 812_345.0, 81_234.0, 99.5, -3_200_000.0):
        text = fmt.money(amount)
        number = float(text.replace("£", "").replace("m", "").replace(",", ""))
        scale = 1e6 if text.endswith("m") else 1
        assert math.isclose(number * scale, amount, rel_tol=0.05)

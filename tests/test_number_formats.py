"""The number-format model: literal text from codes, Excel's section rules, times, and bounds."""

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harrowperf.read.number_formats import display_text, format_scale, format_section
from harrowperf.read.values import LARGEST, parse_value


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (7.49, '0.00"%"', "7.49%"),          # a quoted % is text: no scaling
    (7.49, "0.0\\%", "7.5%"),            # so is an escaped one
    (0.0749, "0.00%", "7.49%"),          # a % code scales by 100
    (5, ";;;", ""),                      # every section empty: hidden
    (-5, "0;;0", ""),                    # an empty negative section hides negatives
    (0, "0.0;-0.0;;@", ""),              # an empty zero section hides zero
    (0, '0;-0;"-"', "-"),                # the zero section as a dash
    (-3, "0;(0)", "(3)"),                # the negative section supplies its own sign
    (-3, "0", "-3"),                     # one section: Excel adds the minus
    (0, "0;(0)", "0"),                   # two sections: zero uses the first
    (1234.5, '#,##0.0;"minus "#,##0.0', "1,234.5"),
    (3_000_000, '0.0,,"m"', "3.0m"),     # thousands commas after the digits divide
    (12, '0" mins"', "12 mins"),
    (2, '0" ;x"', "2 ;x"),               # a quoted ; is not a section break
    (0.5, "h:mm AM/PM", "12:00 PM"),
    (0.75, "h:mm AM/PM", "6:00 PM"),
    (0.25, "hh:mm am/pm", "06:00 AM"),
    (0.75, "h:mm A/P", "6:00 P"),
    (1.5, "[h]:mm:ss", "36:00:00"),
    (5, '0" [<3]"', "5 [<3]"),           # a quoted condition is text, not a condition
    (-5, '0" [<3]";0', "5"),              # ... so the second section serves negatives as usual
])
def test_excel_shows(value, number_format, shown):
    assert display_text(value, number_format) == shown


@pytest.mark.parametrize(("value", "number_format", "section", "scale"), [
    (7.49, '0.00"%"', "number", 1.0),
    (7.49, "0.0\\%", "number", 1.0),
    (0.0749, "0.0%", "number", 100.0),
    (0.0749, '0.0%;"-"', "number", 100.0),
    (-0.0749, '0.0%;-0.0"%"', "number", 1.0),   # the negative section's % is text
    (3e6, '0.0,,"m"', "number", 1e-6),
    (0, '0;-0;"-"', "text", 1.0),
    (4, ";;;", "hidden", 1.0),
    (4, "General", "general", 1.0),
    (44000, "dd/mm/yyyy", "date", 1.0),
    (0.5, "h:mm AM/PM", "time", 1.0),
])
def test_the_section_that_applies_and_its_scale(value, number_format, section, scale):
    assert format_section(value, number_format) == section
    assert format_scale(value, number_format) == scale


# Formats built from the pieces people type: codes, quoted and escaped text, colours, conditions, sections.
PIECES = st.sampled_from(["0", "#", "?", ".", ",", "%", '"%"', "\\%", '"-"', '"m"', "E+", "_)", "*-", "(", ")",
                          "[Red]", "[>=100]", "h", "mm", "ss", "AM/PM", "A/P", "[h]", "dd", "yyyy", "@", " ",
                          "General", ";", "\\;", '";"', "0" * 40, "%" * 12, ",,,,,,,,,,",
                          "E-", "e+", "/", "?/?", "/8", "/0", "?" * 12, "[$£-809]", "[$-809]", "[$€-x-euro2]",
                          "[<1000]", "[<=0]", "[<>5]", "[=0]", '"[<5]"'])
FORMATS = st.lists(PIECES, max_size=12).map("".join)
VALUES = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**400, 10**400),
                   st.just(0), st.just(-0.0))


@given(VALUES, FORMATS)
def test_any_value_under_any_format_shows_some_text_and_never_raises(value, number_format):
    shown = display_text(value, number_format)
    assert isinstance(shown, str)
    assert format_section(value, number_format) in ("general", "number", "date", "time", "text", "hidden")
    assert math.isfinite(format_scale(value, number_format))


KM = '[<1000]0;[<1000000]0.0,"k";0.0,,"m"'


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_a_conditional_thousands_and_millions_format_reads_back_to_the_number(number):
    """Each section is chosen by its condition, and the text, its section and its scale agree."""
    shown, scale = display_text(number, KM), format_scale(number, KM)
    parsed = parse_value(shown)
    assert parsed.kind == "number" and format_section(number, KM) == "number"
    if number < 1000:
        assert scale == 1.0 and abs(parsed.value - number) <= 0.5
    elif number < 1e6:
        assert scale == 1e-3 and shown.endswith("k") and abs(parsed.value - number) <= 50
    else:
        assert scale == 1e-6 and shown.endswith("m") and abs(parsed.value - number) <= 50_000


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_literal_percent_is_never_scaled(number):
    expected = f"{Decimal(number).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}%"
    assert display_text(float(number), '0.00"%"') == expected
    assert display_text(float(number), "0.00\\%") == expected
    assert format_scale(float(number), '0.00"%"') == 1.0


@given(st.text("0123456789", min_size=1, max_size=500), st.sampled_from(["", "%", "£", "m", ",000"]))
def test_no_typed_number_is_infinite_or_beyond_excel(digits, extra):
    text = f"£{digits}" if extra == "£" else digits + extra
    parsed = parse_value(text)
    numbers = [parsed.value, parsed.low, parsed.high]
    assert all(math.isnan(n) or abs(n) <= LARGEST for n in numbers)
    if len(digits.lstrip("0")) > 310:
        assert parsed.kind == "unparsed" and parsed.rule == "out_of_range" and parsed.note == text

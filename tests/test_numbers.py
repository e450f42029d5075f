"""The number lexer shared by the scorecard value grammar and the budget amount grammar."""

import re
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harrowperf.read import numbers
from harrowperf.read.budget import _AMOUNT, parse_amount
from harrowperf.read.values import _RANGE, _SIMPLE_NUMBER, parse_value

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse


@pytest.mark.parametrize("text, value, places", [
    ("1,234.5", 1234.5, 1),
    ("33000", 33000.0, 0),
    (".5", 0.5, 1),
    ("−1,234.50", -1234.5, 2),
    ("+7", 7.0, 0),
    ("1,000,000", 1e6, 0),
])
def test_signed_numbers_are_read(text, value, places):
    assert re.fullmatch(numbers.SIGNED, text)
    assert numbers.to_number(text) == value
    assert numbers.decimals(text) == places


@pytest.mark.parametrize("text", ["1,23", "12,3456", "1.", "1,234.", ",5", "--1", "1 000", ""])
def test_malformed_numbers_are_not_numbers(text):
    assert not re.fullmatch(numbers.SIGNED, text)


def test_scale_words():
    assert numbers.scale_of("k") == 1e3
    assert numbers.scale_of("Million") == 1e6
    assert numbers.scale_of("bn") == 1e9
    assert numbers.scale_of(None) is None and numbers.scale_of("thousand") is None
    assert numbers.scale_words("k", "m", "bn") == "bn|k|m"  # longest first
    with pytest.raises(ValueError, match="not a scale word: 'lakh'"):
        numbers.scale_words("k", "lakh")


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(0, 6), st.sampled_from(["-", "−"]), st.booleans())
def test_printed_numbers_read_back(number, places, minus, grouped):
    """Any number printed with or without thousands separators, with either minus, reads back as printed."""
    text = f"{number:{',' if grouped else ''}.{places}f}".replace("-", minus)
    assert re.fullmatch(numbers.SIGNED, text)
    assert numbers.to_number(text) == float(f"{number:.{places}f}")
    assert numbers.decimals(text) == places


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.integers(0, 3),
       st.sampled_from(sorted(numbers.SCALES)))
def test_both_grammars_use_the_lexers_scales(number, places, word):
    printed = f"{number:,.{places}f}"
    amount = parse_amount(f"£{printed}{word}")
    assert amount.scale == numbers.SCALES[word] and amount.value == float(f"{number:.{places}f}")
    assert parse_amount(f"({printed})").value == -float(f"{number:.{places}f}")  # brackets: negative
    value = parse_value(f"£{printed}{word}")
    if word in ("k", "m", "bn"):  # the scorecard grammar takes the short words only
        assert value.kind == "number" and value.value == float(printed.replace(",", "")) * numbers.SCALES[word]
    else:
        assert value.kind == "unparsed"


# --- linear time -----------------------------------------------------------------------------------

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def _nested_unbounded_repeats(parsed, inside: bool = False) -> list[str]:
    """Unbounded repeats inside other unbounded repeats: the shape that makes a pattern backtrack badly."""
    found = []
    for op, argument in parsed:
        if op in _REPEATS:
            unbounded = argument[1] == sre_constants.MAXREPEAT
            if unbounded and inside:
                found.append(str(argument[2]))
            found += _nested_unbounded_repeats(argument[2], inside or unbounded)
        elif op == sre_constants.BRANCH:
            for branch in argument[1]:
                found += _nested_unbounded_repeats(branch, inside)
        elif op == sre_constants.SUBPATTERN:
            found += _nested_unbounded_repeats(argument[-1], inside)
    return found


def test_the_checker_finds_a_backtracking_pattern():
    assert _nested_unbounded_repeats(sre_parse.parse(r"^(a+)+$"))
    assert _nested_unbounded_repeats(sre_parse.parse(r"^(?:x(?:\d+,)*)+$"))
    assert not _nested_unbounded_repeats(sre_parse.parse(r"^\d{1,3}(?:,\d{3})+$"))


@pytest.mark.parametrize("pattern", [numbers.DIGITS, numbers.SIGNED, numbers.CURRENCY, _AMOUNT.pattern,
                                     _SIMPLE_NUMBER.pattern, _RANGE.pattern])
def test_number_patterns_cannot_backtrack_badly(pattern):
    assert _nested_unbounded_repeats(sre_parse.parse(pattern)) == []


@pytest.mark.parametrize("text", ["1" + "(" * 20_000, "(" * 20_000 + "1)", "a(" + "b(" * 10_000 + ")",
                                  "[" * 5_000 + "5" + "]" * 5_000, "1," * 20_000, "£" + "1 " * 20_000 + "x"])
def test_long_odd_text_is_read_without_hanging_or_crashing(text):
    """Text no rule understands is "unparsed", even 20,000 characters of it (a slow pattern would hang here)."""
    assert parse_value(text).kind == "unparsed"
    assert parse_amount(text).kind == "unparsed"

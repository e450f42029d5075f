"""The value grammar: every example from the scorecards, and properties over any text."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harrowperf.present.format import parsed_text
from harrowperf.read.values import Parsed, parse_value

NAN = math.nan

# text -> (kind, value, low, high, extra fields, unit, note)
EXAMPLES = {
    "7.49%": ("number", 7.49, 7.49, 7.49, {}, "%", ""),
    "13-15%": ("range", NAN, 13.0, 15.0, {}, "%", ""),
    "7-15%": ("range", NAN, 7.0, 15.0, {}, "%", ""),
    "[60%]": ("annual", 60.0, 60.0, 60.0, {}, "%", "annual target"),
    "-10%": ("number", -10.0, -10.0, -10.0, {}, "%", ""),
    "33,000": ("number", 33000.0, 33000.0, 33000.0, {}, "", ""),
    "01:30": ("number", 90.0, 90.0, 90.0, {}, "s", ""),
    "02:11": ("number", 131.0, 131.0, 131.0, {}, "s", ""),
    "8.18": ("number", 8.18, 8.18, 8.18, {}, "", ""),
    "Year on year reduction": ("yoy_reduction", NAN, NAN, NAN, {}, "", "Year on year reduction"),
    "12th to 20th in London": ("rank_range", NAN, 12.0, 20.0, {}, "rank", "in London"),
    "42.5% (62/146)": ("number", 42.5, 42.5, 42.5, {"numerator": 62.0, "denominator": 146.0}, "%", ""),
    "5.86 (28th)": ("number", 5.86, 5.86, 5.86, {"rank": 28.0}, "", ""),
    "89 (378)": ("number", 89.0, 89.0, 89.0, {"secondary": 378.0}, "", ""),
    "0.9-1.1": ("range", NAN, 0.9, 1.1, {}, "", ""),
    "BL": ("baseline", NAN, NAN, NAN, {}, "", "BL"),
    "-": ("missing", NAN, NAN, NAN, {}, "", ""),
    "None": ("status", NAN, NAN, NAN, {}, "", "None"),
    "No target": ("no_target", NAN, NAN, NAN, {}, "", "No target"),
    "New in 2016/17": ("status", NAN, NAN, NAN, {}, "", "New in 2016/17"),
    "No survey this qtr": ("status", NAN, NAN, NAN, {}, "", "No survey this qtr"),
    "Reports in Q4 only": ("status", NAN, NAN, NAN, {}, "", "Reports in Q4 only"),
    "No actual": ("status", NAN, NAN, NAN, {}, "", "No actual"),
    "Note 1": ("note", NAN, NAN, NAN, {}, "", "Note 1"),
    "Note 1&2": ("note", NAN, NAN, NAN, {}, "", "Note 1&2"),
    "Oct 12 to Sep 13": ("period", NAN, NAN, NAN, {}, "", "Oct 12 to Sep 13"),
    "Oct 13 to Sept 14": ("period", NAN, NAN, NAN, {}, "", "Oct 13 to Sept 14"),
    "HG": ("rag", NAN, NAN, NAN, {}, "", "HG"),
    "Low red": ("rag", NAN, NAN, NAN, {}, "", "LR"),
    "": ("empty", NAN, NAN, NAN, {}, "", ""),
    "11.90%": ("number", 11.9, 11.9, 11.9, {}, "%", ""),
    "1,100": ("number", 1100.0, 1100.0, 1100.0, {}, "", ""),
    "£1.2m": ("number", 1.2e6, 1.2e6, 1.2e6, {}, "£", ""),
    "13% - 15%": ("range", NAN, 13.0, 15.0, {}, "%", ""),
    "00:02:11": ("number", 131.0, 131.0, 131.0, {}, "s", ""),
    "28th": ("number", 28.0, NAN, NAN, {"rank": 28.0}, "rank", ""),
}


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_grammar_examples(text):
    kind, value, low, high, extra, unit, note = EXAMPLES[text]
    parsed = parse_value(text)
    assert parsed.kind == kind
    assert same(parsed.value, value)
    assert same(parsed.low, low) and same(parsed.high, high)
    for field, expected in extra.items():
        assert getattr(parsed, field) == expected
    for field in {"numerator", "denominator", "rank", "secondary"} - set(extra):
        assert math.isnan(getattr(parsed, field)), field
    assert parsed.unit == unit
    assert parsed.note == note


@pytest.mark.parametrize("text", ["hello", "13-15-17%", "5 (abc)", "Q2", "1.2.3", "=SUM(A1)", "12th to"])
def test_text_no_rule_understands_is_unparsed_and_kept(text):
    parsed = parse_value(text)
    assert parsed.kind == "unparsed"
    assert parsed.note == text
    assert math.isnan(parsed.value)


def test_reversed_range_is_not_silently_reordered():
    assert parse_value("15-13%").kind == "unparsed"


def test_spacing_and_non_breaking_spaces_do_not_matter():
    assert parse_value("  7.49\u00a0% ") == parse_value("7.49%")


@pytest.mark.parametrize("text", [t for t, spec in EXAMPLES.items()
                                  if spec[0] in ("number", "range", "annual", "rank_range")])
def test_numbers_format_back_to_the_same_meaning(text):
    parsed = parse_value(text)
    assert parse_value(parsed_text(parsed)) == parsed


# --- properties ----------------------------------------------------------------

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_any_text_parses_to_a_known_kind_and_never_raises(text):
    parsed = parse_value(text)
    assert isinstance(parsed, Parsed)
    assert parsed.kind in {"empty", "missing", "number", "range", "annual", "yoy_reduction", "yoy_increase",
                           "rank_range", "baseline", "no_target", "status", "note", "period", "rag", "unparsed"}
    if parsed.kind == "unparsed":
        assert parsed.note == " ".join(text.replace("\u00a0", " ").split())
    numeric = [parsed.value, parsed.low, parsed.high]
    assert all(math.isnan(x) or math.isfinite(x) for x in numeric)


@settings(max_examples=300)
@given(numbers, st.sampled_from(["", "%"]))
def test_any_number_round_trips(value, unit):
    text = f"{value:,.2f}{unit}"
    parsed = parse_value(text)
    assert parsed.kind == "number"
    assert parsed.value == pytest.approx(value)
    assert parse_value(parsed_text(parsed)).value == pytest.approx(value)


@settings(max_examples=200)
@given(numbers, numbers, st.sampled_from(["", "%"]))
def test_any_range_round_trips(a, b, unit):
    low, high = sorted((abs(a), abs(b)))
    parsed = parse_value(f"{low:.2f}-{high:.2f}{unit}")
    assert parsed.kind == "range"
    assert (parsed.low, parsed.high) == (pytest.approx(low), pytest.approx(high))
    assert parse_value(parsed_text(parsed)) == parsed


@settings(max_examples=200)
@given(st.integers(0, 59), st.integers(0, 59))
def test_durations_are_seconds(minutes, seconds):
    parsed = parse_value(f"{minutes:02d}:{seconds:02d}")
    assert parsed.value == minutes * 60 + seconds and parsed.unit == "s"
    assert parsed_text(parsed) == f"{minutes:02d}:{seconds:02d}"

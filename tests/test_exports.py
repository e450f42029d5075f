"""Formula-like text is neutralised in exports; everything else is left alone."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harrowperf.present.exports import neutralise_formula, safe_text_frame


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("\t=1", "'\t=1"),
    ("-10%", "-10%"), ("-", "-"), ("+5", "+5"), ("-1,234.5", "-1,234.5"), ("Staff turnover", "Staff turnover"),
    (3.5, 3.5), (None, None),
])
def test_neutralise_formula(text, safe):
    assert neutralise_formula(text) == safe


@given(st.text())
def test_no_text_starts_a_formula_after_neutralising(text):
    safe = neutralise_formula(text)
    assert not safe.startswith(("=", "@", "\t", "\r"))
    assert safe == text or safe == "'" + text


def test_frame_copy_is_neutralised_and_original_untouched():
    frame = pd.DataFrame({"a": ["=1", "ok"], "b": [1.0, 2.0]})
    safe = safe_text_frame(frame)
    assert safe["a"].tolist() == ["'=1", "ok"] and safe["b"].tolist() == [1.0, 2.0]
    assert frame["a"].tolist() == ["=1", "ok"]

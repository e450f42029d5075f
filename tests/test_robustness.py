"""Hostile and broken scorecards: each gives its documented outcome, quickly, and loses nothing."""

import math
import time

import pandas as pd
import pytest
from badinputs import CASES

import harrowperf as hp
from harrowperf.pipeline.clean import clean


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_has_its_documented_outcome(tmp_path, case):
    build, (outcome, expected) = CASES[case]
    path = build(tmp_path)
    started = time.perf_counter()
    if outcome == "error":
        with pytest.raises(hp.ScorecardError, match=expected):
            hp.read_scorecard(path)
    else:
        result = hp.read_scorecard(path)
        frame = result.frame
        if outcome == "finding":
            assert expected in set(result.findings["issue"])
        else:
            assert expected(frame)
    assert time.perf_counter() - started < 60, "must never hang"  # a guard, not a speed goal


def test_clean_reports_every_bad_file_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw" / "scorecards"
    raw.mkdir(parents=True)
    errors = [name for name, (_, (outcome, _)) in CASES.items() if outcome == "error" and "rows" not in name]
    for name in errors:
        CASES[name][0](raw)
    for leftover in raw.glob("*"):
        if leftover.suffix != ".xlsx" or leftover.name in ("whole.xlsx", "plain.xlsx"):
            leftover.unlink()
    result = clean(tmp_path / "raw", tmp_path / "clean", stream=None)
    assert len(result.errors) == len(list(raw.glob("*.xlsx")))
    assert not (tmp_path / "clean" / "scorecard.parquet").exists()


# --- no status from missing or non-finite input (RAG, gaps, SPC) -----------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from harrowperf import gaps, rag, spc  # noqa: E402
from harrowperf.read.synthetic import frame_from_values  # noqa: E402

maybe_bad = st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")), st.just(float("inf")),
                      st.just(float("-inf")))


@given(st.lists(st.tuples(maybe_bad, maybe_bad), min_size=1, max_size=8),
       st.sampled_from(["higher", "lower", "in_range"]))
def test_no_rag_gap_or_spc_status_for_missing_or_non_finite_input(pairs, polarity):
    actuals = [a for a, _ in pairs]
    targets = [t for _, t in pairs]
    frame = frame_from_values(actuals, polarity=polarity, target=targets)
    bad = ~(pd.Series(actuals).map(math.isfinite) & pd.Series(targets).map(math.isfinite)).to_numpy()
    assessed = rag.assess(frame)
    assert assessed.loc[bad, "rag_computed"].isna().all()
    gapped = gaps.target_gaps(frame)
    assert gapped.loc[bad, "on_target"].isna().all()
    assert gapped.loc[bad, "gap"].isna().all()
    charted = spc.xmr(frame)
    no_actual = ~pd.Series(actuals).map(math.isfinite).to_numpy()
    assert not charted.loc[no_actual, "special_cause"].fillna(False).astype(bool).any()

"""Hostile and broken scorecards: each gives its documented outcome, quickly, and loses nothing."""

import time

import pytest
from badinputs import CASES

import harrowperf as hp
from harrowperf.clean import clean


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_has_its_documented_outcome(tmp_path, case):
    build, (outcome, expected) = CASES[case]
    path = build(tmp_path)
    started = time.perf_counter()
    if outcome == "error":
        with pytest.raises(hp.ScorecardError, match=expected):
            hp.read_scorecard(path)
    else:
        frame = hp.read_scorecard(path)
        if outcome == "finding":
            assert expected in set(hp.quality(frame)["issue"])
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

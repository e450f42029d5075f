"""The workbook readers pause Python's cyclic garbage collector while they read (its repeated passes
were a third of a large read) and always leave it as they found it."""

from __future__ import annotations

import gc

import pytest
from conftest import RAW
from workbooks import build, simple_scorecard

from harrowperf.foundation.errors import ScorecardError
from harrowperf.foundation.gc_pause import gc_paused
from harrowperf.read.budget import read_budget
from harrowperf.read.scorecard import read_scorecard


def _collections_during(read) -> list[int]:
    """The generation of each collector pass made while ``read`` runs."""
    passes: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(record)
    try:
        read()
    finally:
        gc.callbacks.remove(record)
    return passes


def _large_scorecard(path):
    measures = [[f"{m} Synthetic measure {m}", "Higher", "90%", f"{80 + m % 20}%", "A", "90%", "91%", "LG"]
                for m in range(1, 301)]
    return simple_scorecard(path, measures)


def test_a_scorecard_read_makes_one_young_pass_at_the_end_instead_of_many(tmp_path):
    path = _large_scorecard(tmp_path / "large.xlsx")
    assert gc.isenabled()
    with gc_paused():  # the same read with the collector off throughout: the reader adds no pass
        assert _collections_during(lambda: read_scorecard(path)) == []
    # without the pause the same read sets off a pass for every few hundred new objects (eleven on Python 3.11)
    assert _collections_during(lambda: read_scorecard(path)) == [0]
    assert gc.isenabled()


def test_a_budget_read_makes_one_young_pass_at_the_end():
    assert _collections_during(lambda: read_budget(RAW / "budget" / "harrow_budget_gaps_by_round.xlsx")) == [0]


def test_a_failed_read_switches_the_collector_back_on(tmp_path):
    path = build(tmp_path / "no_table.xlsx", {"Notes": [["nothing here is a scorecard"]]})
    with pytest.raises(ScorecardError):
        read_scorecard(path)
    assert gc.isenabled()


def test_a_collector_the_caller_switched_off_stays_off(tmp_path):
    path = _large_scorecard(tmp_path / "large.xlsx")
    gc.disable()
    try:
        read_scorecard(path)
        assert not gc.isenabled()
    finally:
        gc.enable()

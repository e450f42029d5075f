"""Hostile input, round two (tests/hostile_cases.py): every case has its documented outcome, and
docs/robustness.md lists every case."""

import re
import time

import pytest
from conftest import ROOT
from hostile_cases import CASES

import harrowperf as hp


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_has_its_documented_outcome(tmp_path, case):
    build, outcome, _ = CASES[case]
    path = build(tmp_path)
    started = time.perf_counter()
    if outcome[0] == "error":
        with pytest.raises(hp.ScorecardError, match=outcome[1]):
            hp.read_scorecard(path)
    else:
        read = hp.read_scorecard(path)
        if outcome[0] == "finding":
            assert outcome[1] in set(read.findings["issue"]), read.findings[["cell", "issue", "message"]]
            assert outcome[2](read), (read.frame.iloc[0].to_dict(), read.findings[["cell", "issue", "message"]])
        else:
            assert outcome[1](read), (read.frame.iloc[0].to_dict(), read.findings[["cell", "issue", "message"]])
    assert time.perf_counter() - started < 60, "must never hang"  # a guard, not a speed goal


def test_the_corpus_is_large_and_documented():
    assert len(CASES) >= 60
    doc = (ROOT / "docs" / "robustness.md").read_text("utf-8")
    section = doc.split("## Hostile input, round two")[1].split("\n## ")[0]
    for name, (_, outcome, said) in CASES.items():
        row = next((line for line in section.splitlines() if line.startswith(f"| {_cell(name)} |")), None)
        assert row is not None, name
        assert _cell(said) in row and (outcome[1] if outcome[0] == "finding" else outcome[0]) in row, name


def _cell(text: str) -> str:
    """Text as written in a Markdown table cell of the doc."""
    return re.sub(r"([|])", r"\\\1", text)


def test_memory_is_bounded_per_workbook_not_only_per_sheet(tmp_path):
    from workbooks import build

    from harrowperf.read.cells import Limits, read_sheets

    rows = [[f"text {r}-{c}" for c in range(10)] for r in range(30)]  # 300 cells a sheet
    path = build(tmp_path / "many_sheets.xlsx", {f"S{i}": rows for i in range(5)})
    limits = Limits(max_cells=400, max_workbook_cells=1000)  # each sheet within its limit, the workbook not
    with pytest.raises(hp.ScorecardError, match=r"many_sheets\.xlsx, sheet 'S3': .*more than 1,000 cells"):
        read_sheets(path, limits=limits)
    assert len(read_sheets(path, limits=Limits(max_cells=400, max_workbook_cells=1500))) == 5

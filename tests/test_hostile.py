"""Hostile input, round two (tests/hostile_cases.py): every case has its documented outcome, and
docs/robustness.md lists every case."""

import re
import time

import pandas as pd
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


LONG = ["(" * 50_000 + "Q2 2016/17" + ")" * 50_000, "Q2 2016/17 " + "(x)" * 30_000, "Jul-" * 30_000 + "Sep 2016",
        "Q2 2016/17 (" + " " * 60_000 + ")", "1," * 40_000, "[" * 20_000 + "60%" + "]" * 20_000]


@pytest.mark.parametrize("text", LONG, ids=[f"{text[:12]}...{len(text)}" for text in LONG])
def test_long_adversarial_text_in_any_reader_step_is_linear(text):
    """Header labels, values, number formats, Markdown escaping and page clean-up on 50-100,000 characters
    of odd text: each finishes (a backtracking pattern would hang here) and gives its plain outcome."""
    from harrowperf.pipeline import pages
    from harrowperf.present.format import escape_markdown
    from harrowperf.read.number_formats import display_text, format_section
    from harrowperf.read.scorecard import _period_of, combined_heading
    from harrowperf.read.values import parse_value

    span = _period_of(text)[0]  # a note of spaces is still a note
    assert span is None or (span.frequency, span.quarter) == ("quarter", pd.Period("2017Q2", "Q-MAR"))
    assert parse_value(text).kind == "unparsed"
    assert combined_heading(text) is None and combined_heading(text + " Target") in (None, (span, "target"))
    assert isinstance(display_text(1.5, text), str) and format_section(1.5, text)
    assert "<" not in escape_markdown(text) and "(" in escape_markdown(text) + "("
    html = f"<div><a href=\"#x\">{escape_markdown(text)}</a></div>"
    assert pages._STYLE_ATTRIBUTE.sub(r"\1", html) == html
    assert pages._EXTERNAL_LINK.sub("", html) == html


# --- a property over generated workbooks: random layouts, number formats and fills ----------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# (format, what it multiplies the stored number by, or (for 0 and up, for negatives); None when the cell
# shows a date, never a figure)
FORMATS = [("General", 1), ("0.00", 1), ("#,##0", 1), ("0.00%", 100), ('0.00"%"', 1), ("0.0\\%", 1), (";;;", 1),
           ('0;-0;"-"', 1), ("0.0;(0.0)", 1), ('0.0%;-0.0"%"', (100, 1)), ('0.0,,"m"', 1), ("[Red]0.0;[Blue]-0.0", 1),
           ('[>=100]"High";0', 1), ("dd/mm/yyyy", None), ('0" mins"', 1)]
FILLS = [None, "00B050", "FF0000", "FFC000", "0070C0", "D9D9D9"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(FORMATS), st.one_of(st.integers(-500, 500), st.floats(-1e4, 1e4)),
                          st.sampled_from(FILLS)), min_size=1, max_size=6),
       st.integers(1, 3), st.booleans())
def test_generated_workbooks_round_trip_every_value_or_list_it(tmp_path_factory, cells, quarters, title_rows):
    """Each actual is its stored number exactly (scaled only by a % code), or its cell is listed; a RAG is
    read from a RAG-coloured fill, never from another colour, or the cell is listed. Never an infinity."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill
    from workbooks import build, header_rows

    from harrowperf.read.cells import cell_address

    labels = ["Q1 2016/17", "Q2 2016/17", "Q3 2016/17"][:quarters]
    top = [["Theme"]] * title_rows
    measures = [[f"{i + 1} Measure {i + 1}", "Higher"] + ["5", value, None] * quarters
                for i, (_, value, _) in enumerate(cells)]
    path = build(tmp_path_factory.mktemp("gen") / "generated.xlsx",
                 {"S": [*top, *header_rows(labels), *measures]})
    workbook = load_workbook(path)
    first = len(top) + 3
    for i, ((fmt, _), _, fill) in enumerate(cells):
        for q in range(quarters):
            actual, rag = workbook["S"].cell(first + i, 4 + 3 * q), workbook["S"].cell(first + i, 5 + 3 * q)
            actual.number_format = fmt
            if fill:
                rag.fill = PatternFill("solid", fgColor=fill)
    workbook.save(path)
    read = hp.read_scorecard(path)
    listed = set(read.findings["cell"])
    frame = read.frame
    assert frame["actual"].map(lambda v: v != float("inf") and v != float("-inf")).all()
    for i, ((fmt, scale), value, fill) in enumerate(cells):
        for q, label in enumerate(labels):
            row = frame[(frame["measure"] == f"Measure {i + 1}") & (frame["period_label"] == label)].iloc[0]
            actual_cell, rag_cell = cell_address(first + i, 4 + 3 * q), cell_address(first + i, 5 + 3 * q)
            factor = scale[value < 0] if isinstance(scale, tuple) else scale
            if factor is not None and math.isclose(row["actual"], float(f"{value * factor:.12g}"), abs_tol=1e-9):
                pass
            else:
                assert actual_cell in listed, (fmt, value, row["actual"])
            colour = {"00B050": "green", "FF0000": "red", "FFC000": "amber"}.get(fill or "")
            if colour:
                assert (not pd.isna(row["rag"]) and rag_codes.colour_group(row["rag"]) == colour) \
                    or rag_cell in listed, (fill, row["rag"])
            else:
                assert pd.isna(row["rag"]) or rag_cell in listed, (fill, row["rag"])


import math  # noqa: E402

from harrowperf.read import fills as rag_codes  # noqa: E402


def test_non_latin_measure_names_are_cleaned_with_keys_of_their_own(tmp_path):
    """A non-Latin measure name once aborted the whole clean ("a harrowperf bug"): its key was empty."""
    from workbooks import build, header_rows

    from harrowperf.pipeline.clean import clean

    names = ["住民満足度", "住民不満", "Удовлетворённость жителей", "% of calls answered"]
    rows = [["Theme"], *header_rows(["Q1 2016/17"])] + [[f"{i + 1} {name}", "Higher", "5", "6", "G"]
                                                        for i, name in enumerate(names)]
    (tmp_path / "raw" / "scorecards").mkdir(parents=True)
    build(tmp_path / "raw" / "scorecards" / "non_latin.xlsx", {"S": rows})
    result = clean(tmp_path / "raw", tmp_path / "clean", stream=None)
    assert result.errors == []
    frame = pd.read_parquet(tmp_path / "clean" / "scorecard.parquet")
    assert sorted(frame["measure"]) == sorted(names)
    assert frame["measure_id"].nunique() == 4 and "pct-of-calls-answered" in set(frame["measure_id"])

"""Collation: many overlapping quarterly workbooks give one right history (newest vintage wins, revisions listed)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from conftest import RAW
from openpyxl import load_workbook
from workbooks import build, header_rows, quarter_labels, quarterly_workbooks

from harrowperf import gaps
from harrowperf.foundation.errors import ScorecardError
from harrowperf.foundation.periods import QUARTER_FREQ, quarter_label, to_quarter
from harrowperf.pipeline.clean import clean
from harrowperf.read import catalogue
from harrowperf.read.collate import collate
from harrowperf.read.scorecard import read_scorecard

QUARTERS = quarter_labels("Q1 2009/10", 33)  # eight years and a quarter of workbooks
MEASURES = {
    "Synthetic days to process a claim": {"polarity": "Lower", "target": 20},
    "Synthetic calls answered": {"polarity": "Higher", "target": 80},
    "Synthetic staff turnover": {"polarity": "Lower", "target": 12},
    "Synthetic visits to libraries": {"polarity": "Higher", "target": 1000},
    "Synthetic new homes built": {"polarity": "Higher", "target": 50},
}
RENAMES = {"Synthetic staff turnover": ("Synthetic staff turnover rate", "Q3 2013/14")}
STARTS = {"Synthetic new homes built": "Q1 2014/15"}
# (measure, quarter) -> the workbook from which a different (revised) figure is printed
REVISED = {("Synthetic calls answered", "Q2 2010/11"): "Q3 2010/11",
           ("Synthetic days to process a claim", "Q4 2012/13"): "Q4 2013/14",
           ("Synthetic visits to libraries", "Q1 2015/16"): "Q2 2015/16"}


def base_value(name: str, quarter: str) -> float:
    """A made-up figure: on target in most quarters, off target in every fifth."""
    spec = MEASURES[name]
    ordinal = to_quarter(quarter).ordinal
    better = 1 if spec["polarity"] == "Higher" else -1
    off = ordinal % 5 == 0
    return float(spec["target"] + better * (-1 if off else 1) * (2 + ordinal % 3))


def value(name: str, quarter: str, workbook: str) -> float | None:
    if name in STARTS and to_quarter(quarter) < to_quarter(STARTS[name]):
        return None  # a new measure's first workbooks leave the quarters before it blank
    revised_in = REVISED.get((name, quarter))
    late = revised_in is not None and to_quarter(workbook) >= to_quarter(revised_in)
    return base_value(name, quarter) + (0.5 if late else 0.0)  # a revision that keeps the RAG


def rag(name: str, actual: float | None) -> str | None:
    if actual is None:
        return None
    spec = MEASURES[name]
    good = actual >= spec["target"] if spec["polarity"] == "Higher" else actual <= spec["target"]
    return "G" if good else "R"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    paths = quarterly_workbooks(raw / "scorecards", QUARTERS, MEASURES, value, rag, renames=RENAMES,
                                starts=STARTS,
                                blank_target=lambda name, quarter: value(name, quarter, quarter) is None)
    out = raw.parent / "clean"
    result = clean(raw, out, stream=None)
    assert result.errors == []
    return paths, result, out


def test_eight_years_of_workbooks_collate_to_one_row_per_measure_and_quarter(history):
    paths, result, out = history
    frame = pd.read_parquet(out / "scorecard.parquet")
    assert len(paths) == 33
    assert not frame.duplicated(["measure_id", "period"]).any()
    # by hand: workbooks Q1 2009/10 .. Q1 2017/18 show Q1 2008/09 .. Q1 2017/18 (37 quarters) for the
    # three steady measures; the new one from Q1 2014/15 (13: its first workbooks' blank cells for the
    # quarters before it add nothing to quarters whose own workbook did not show it); the old name
    # Q1 2008/09 .. Q2 2013/14 (22) and the new name, printed from the Q3 2013/14 workbook,
    # Q3 2012/13 .. Q1 2017/18 (19)
    expected = set()
    for name in MEASURES:
        for workbook in QUARTERS:
            if name in STARTS and to_quarter(workbook) < to_quarter(STARTS[name]):
                continue
            for shown in (to_quarter(workbook) - 4, to_quarter(workbook) - 1, to_quarter(workbook)):
                renamed = name in RENAMES and to_quarter(workbook) >= to_quarter(RENAMES[name][1])
                if value(name, quarter_label(shown), workbook) is not None:
                    expected.add((RENAMES[name][0] if renamed else name, shown))
    assert len(frame) == len(expected) == 3 * 37 + 13 + 22 + 19
    assert set(zip(frame["measure"], frame["period"], strict=True)) == expected


def test_the_newest_value_wins_and_each_revision_is_listed_once(history):
    _, result, out = history
    frame = pd.read_parquet(out / "scorecard.parquet")
    revisions = pd.read_csv(out / "revisions.csv", dtype=str, keep_default_na=False)
    assert len(revisions) == len(REVISED) == 3
    for (name, quarter), workbook in REVISED.items():
        row = frame[(frame["measure"] == name) & (frame["period"] == to_quarter(quarter))].iloc[0]
        assert row["actual"] == base_value(name, quarter) + 0.5
        revision = revisions[(revisions["measure"] == name) & (revisions["period_label"] == quarter)].iloc[0]
        assert revision["changed"] == "actual"
        assert revision["new_vintage"] == workbook
        shown_by = [to_quarter(quarter) + step for step in (0, 1, 4)]  # the workbooks showing the quarter
        assert to_quarter(revision["old_vintage"]) == max(p for p in shown_by if p < to_quarter(workbook))
        assert revision["old_value"] == f"actual {base_value(name, quarter):g}"
        assert revision["new_value"] == f"actual {base_value(name, quarter) + 0.5:g}"
    quality = pd.read_csv(out / "quality.csv", dtype=str, keep_default_na=False)
    revised = quality[quality["issue"] == "revised"]
    assert len(revised) == 3
    assert set(revised["text"]) == {name for name, _ in REVISED}
    assert revised["cell"].str.match(r"^[A-Z]+\d+$").all()
    # identical repeats are silent: nothing else about collation was found
    assert not quality["issue"].isin(["hidden_sheet_differs"]).any()
    # an unrevised value keeps its first figure
    row = frame[(frame["measure"] == "Synthetic calls answered") & (frame["period"] == to_quarter("Q3 2010/11"))]
    assert row["actual"].tolist() == [base_value("Synthetic calls answered", "Q3 2010/11")]


@pytest.mark.parametrize("quarter", ["Q1 2009/10", "Q2 2010/11", "Q4 2013/14", "Q1 2015/16", "Q1 2017/18"])
def test_target_gap_counts_for_a_quarter_equal_those_of_its_own_workbook(history, quarter):
    paths, _, out = history
    frame = pd.read_parquet(out / "scorecard.parquet")
    alone = catalogue.apply(read_scorecard(paths[QUARTERS.index(quarter)]).frame)
    counts = ["measures", "rated", "with_gap", "on_target", "HG", "LG", "G", "A", "LR", "HR", "R"]
    together = gaps.summary(gaps.analyse(frame), quarter)
    own = gaps.summary(gaps.analyse(alone), quarter)
    assert together[counts].to_dict("records") == own[counts].to_dict("records")
    assert int(together.iloc[-1]["measures"]) == (5 if to_quarter(quarter) >= to_quarter("Q1 2014/15") else 4)


# --- the rules, on small frames ------------------------------------------------------------------


def rows(*specs) -> pd.DataFrame:
    """Scorecard rows: (source, sheet, vintage, quarter, actual, cell)."""
    records = []
    for source, sheet, vintage, quarter, actual, cell in specs:
        records.append({"source": source, "sheet": sheet, "measure": "Synthetic measure", "measure_id": "m",
                        "period": to_quarter(quarter), "target_low": 5.0, "target_high": 5.0, "actual": actual,
                        "rag": "G", "actual_text": f"{actual:g}", "target_text": "5", "rag_text": "G",
                        "cell_actual": f"{sheet}!{cell}",
                        "vintage": to_quarter(vintage) if vintage else None})
    frame = pd.DataFrame(records)
    frame["vintage"] = pd.PeriodIndex(frame["vintage"], freq=QUARTER_FREQ)
    return frame


def test_identical_repeats_are_silent_and_the_newest_vintage_wins():
    frame = rows(("q2.xlsx", "S", "Q2 2016/17", "Q1 2016/17", 7.0, "F6"),
                 ("q3.xlsx", "S", "Q3 2016/17", "Q1 2016/17", 7.0, "C6"),
                 ("q4.xlsx", "S", "Q4 2016/17", "Q1 2016/17", 8.0, "C6"))
    result = collate(frame)
    assert result.frame["source"].tolist() == ["q4.xlsx"]
    assert result.revisions[["old_source", "old_cell", "new_source", "new_cell"]].values.tolist() == [
        ["q3.xlsx", "S!C6", "q4.xlsx", "S!C6"]]
    assert result.findings["issue"].tolist() == ["revised"]


def test_two_values_in_one_vintage_stop_with_both_cells_named():
    frame = rows(("q3.xlsx", "S", "Q3 2016/17", "Q3 2016/17", 7.0, "F6"),
                 ("q3 final.xlsx", "S", "Q3 2016/17", "Q3 2016/17", 9.0, "F6"))
    with pytest.raises(ScorecardError) as error:
        collate(frame)
    assert "q3.xlsx S!F6" in str(error.value) and "q3 final.xlsx S!F6" in str(error.value)
    assert "actual 7" in str(error.value) and "actual 9" in str(error.value)


def test_a_hidden_sheet_never_overrides_a_visible_one():
    frame = rows(("q3.xlsx", "Old", "Q3 2016/17", "Q3 2016/17", 9.0, "F6"),
                 ("q3.xlsx", "S", "Q3 2016/17", "Q3 2016/17", 7.0, "F6"),
                 ("q3.xlsx", "Old", "Q3 2016/17", "Q2 2016/17", 4.0, "C6"))
    result = collate(frame, hidden=[("q3.xlsx", "Old")])
    kept = result.frame.set_index("period")["actual"]
    assert kept[to_quarter("Q3 2016/17")] == 7.0
    assert kept[to_quarter("Q2 2016/17")] == 4.0  # only the hidden sheet has it: kept, and marked
    assert result.findings["issue"].tolist() == ["hidden_sheet_differs"]
    assert result.findings["cell"].tolist() == ["F6"] and "S!F6" in result.findings["message"][0]


def test_a_hidden_sheet_is_marked_when_read(tmp_path):
    path = build(tmp_path / "q.xlsx", {
        "S": [["Synthetic theme"], *header_rows(["Q1 2016/17"]), ["1 Synthetic measure", "Higher", 5, 7, "G"]],
        "Old": [["Synthetic theme"], *header_rows(["Q1 2016/17"]), ["1 Synthetic measure", "Higher", 5, 6, "G"]]})
    workbook = load_workbook(path)
    workbook["Old"].sheet_state = "hidden"
    workbook.save(path)
    read = read_scorecard(path)
    assert read.hidden_sheets == ("Old",)
    assert read.findings[read.findings["issue"] == "hidden_sheet"]["sheet"].tolist() == ["Old"]
    raw = tmp_path / "raw"
    (raw / "scorecards").mkdir(parents=True)
    shutil.copy(path, raw / "scorecards" / "q.xlsx")
    result = clean(raw, tmp_path / "clean", stream=None)
    assert result.errors == []
    assert result.scorecard["actual"].tolist() == [7.0]
    assert set(result.findings["issue"]) >= {"hidden_sheet", "hidden_sheet_differs"}


# --- the Q3 scenario: the Q2 workbook and a Q3 copy with one more column group, side by side ------


@pytest.fixture(scope="module")
def q2_and_q3(tmp_path_factory):
    from workbooks import add_quarter_group

    alone, both = tmp_path_factory.mktemp("q2_alone"), tmp_path_factory.mktemp("q2_q3")
    for folder in (alone, both):
        shutil.copytree(RAW / "scorecards", folder / "raw" / "scorecards")
        shutil.copytree(RAW / "history", folder / "raw" / "history")
    q2 = both / "raw" / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
    add_quarter_group(q2, q2.with_name("corporate_scorecard_2016-17_q3.xlsx"), "Q3 2016/17")
    results = {}
    for name, folder in (("alone", alone), ("both", both)):
        results[name] = clean(folder / "raw", folder / "clean", stream=None)
        assert results[name].errors == []
    return alone / "clean", both / "clean", results


def test_the_q3_workbook_beside_the_q2_one_changes_nothing_about_q2(q2_and_q3):
    from harrowperf import rag, words

    alone, both, results = q2_and_q3
    frames = {name: pd.read_parquet(folder / "scorecard.parquet") for name, folder in (("alone", alone),
                                                                                         ("both", both))}
    assert len(frames["both"]) == len(frames["alone"]) + 83  # one Q3 row per measure, nothing repeated
    assert not frames["both"].duplicated(["measure_id", "period"]).any()
    assert results["both"].revisions.empty and results["both"].findings.equals(results["alone"].findings)
    checked = {name: gaps.analyse(frame) for name, frame in frames.items()}
    for name in ("alone", "both"):
        assert str(words.target_gap_summary(checked[name], "Q2 2016/17")).startswith(
            "In Q2 2016/17 the data has 83 measures, of which 56 have a RAG status")
        assert str(words.rag_agreement(gaps.as_reported(checked[name], "Q2 2016/17"))).startswith(
            "Of 184 RAG statuses reported, 175")
    assert gaps.summary(checked["both"], "Q2 2016/17").equals(gaps.summary(checked["alone"], "Q2 2016/17"))
    assert gaps.exceptions(checked["both"], "Q2 2016/17").equals(gaps.exceptions(checked["alone"], "Q2 2016/17"))
    assert rag.disagreements(gaps.as_reported(checked["both"], "Q2 2016/17")).equals(
        rag.disagreements(gaps.as_reported(checked["alone"], "Q2 2016/17")))
    # the Q3 report counts the Q3 figures (copies of Q2's in this made-up workbook)
    assert str(words.target_gap_summary(checked["both"], "Q3 2016/17")).startswith(
        "In Q3 2016/17 the data has 83 measures, of which 56 have a RAG status")


@pytest.mark.notebook
def test_the_trend_and_target_gap_notebooks_run_on_q2_and_q3(q2_and_q3, run_notebook):
    from test_trend_notebook import outputs

    alone, both, _ = q2_and_q3
    varying = r"T_[0-9a-f]{5}|0x[0-9a-f]+|hp-chart-[0-9a-f-]+"  # styler ids, object addresses, chart ids
    reports = {name: re.sub(varying, "", outputs(run_notebook("target_gap.ipynb", clean_dir=str(folder),
                                                              quarter="Q2 2016/17")))
               for name, folder in (("alone", alone), ("both", both))}
    assert reports["both"] == reports["alone"]
    assert "Of 184 RAG statuses reported" in reports["both"]
    trend = outputs(run_notebook("trend.ipynb", clean_dir=str(both), quarter="Q3 2016/17"))
    assert "Quarter: **Q3 2016/17**" in trend


# --- measures that change --------------------------------------------------------------------------


def test_each_new_or_renamed_measure_is_one_finding_at_the_cell_of_its_name(history):
    paths, result, _ = history
    new = result.findings[result.findings["issue"] == "new_measure"]
    # the synthetic measures are not in data/measures.csv: one finding per measure, not per workbook
    assert sorted(new["text"]) == sorted([*MEASURES, "Synthetic staff turnover rate"])
    first = new.set_index("text")
    assert first.loc["Synthetic new homes built", "source"] == "corporate_scorecard_2014-15_q1.xlsx"
    assert first.loc["Synthetic staff turnover rate", "source"] == "corporate_scorecard_2013-14_q3.xlsx"
    assert first.loc["Synthetic staff turnover rate", "sheet"] == "Business"
    assert first.loc["Synthetic staff turnover rate", "cell"] == "A8"  # the name (row 3 of the table)
    assert "did you mean: Synthetic staff turnover?" in first.loc["Synthetic staff turnover rate", "message"]
    assert "did you mean" not in first.loc["Synthetic new homes built", "message"]


def test_a_rename_is_printed_with_a_suggestion_and_an_alias_joins_the_series(tmp_path, monkeypatch):
    import io

    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'throwaway'\n")
    (project / "data").mkdir()
    catalogue_file = project / "data" / "measures.csv"
    shutil.copy(RAW.parents[1] / "data" / "measures.csv", catalogue_file)
    monkeypatch.chdir(project)
    q2 = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
    (project / "raw" / "scorecards").mkdir(parents=True)
    shutil.copy(q2, project / "raw" / "scorecards")
    q3 = project / "raw" / "scorecards" / "corporate_scorecard_2016-17_q3.xlsx"
    from workbooks import add_quarter_group

    add_quarter_group(q2, q3, "Q3 2016/17")
    workbook = load_workbook(q3)
    name_cell = next(cell for row in workbook["Business"].iter_rows() for cell in row
                     if isinstance(cell.value, str) and "Staff sickness" in cell.value)
    old_name = name_cell.value
    name_cell.value = old_name.replace("Staff sickness", "Staff sickness absence")
    workbook.save(q3)
    stream = io.StringIO()
    result = clean("raw", "clean", stream=stream)
    assert result.errors == []
    log = stream.getvalue()
    assert "new or renamed measures, not in the measure catalogue (1 finding):" in log
    new = result.findings[result.findings["issue"] == "new_measure"]
    assert len(new) == 1 and new["cell"].tolist() == [name_cell.coordinate] and new["sheet"].tolist() == ["Business"]
    assert f"Business!{name_cell.coordinate}" in log
    measure = old_name.split(" ", 1)[1]
    assert f"did you mean: {measure}?" in log
    # the analyst adds the new name as an alias: the next run re-cleans and the series is one again
    table = pd.read_csv(catalogue_file, dtype=str, keep_default_na=False)
    row = table["name"] == measure
    assert row.sum() == 1
    new_name = name_cell.value.split(" ", 1)[1]
    table.loc[row, "aliases"] = "|".join(filter(None, [table.loc[row, "aliases"].iloc[0], new_name]))
    table.to_csv(catalogue_file, index=False)
    again = clean("raw", "clean", force=False, stream=None)
    assert not again.skipped and again.errors == []
    assert not (again.findings["issue"] == "new_measure").any()
    ids = again.scorecard[again.scorecard["measure"].isin([measure, new_name])]["measure_id"]
    assert ids.nunique() == 1 and len(ids) == 4  # Q2 2015/16, Q1, Q2 and Q3 2016/17: one series

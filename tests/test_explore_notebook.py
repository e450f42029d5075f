"""The explorer notebook: everything about one measure, run top to bottom under papermill on the real data."""

import pandas as pd
from conftest import NOTEBOOKS, execute_notebook
from workbooks import quarterly_workbooks

from harrowperf.analyse import profile
from harrowperf.pipeline.clean import clean
from harrowperf.pipeline.notebook import load_revisions
from harrowperf.pipeline.run import select_notebooks
from harrowperf.present import tables, words


def _text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(str(data.get("text/markdown") or data.get("text/html") or ""))
    return "\n".join(parts)


def test_explore_shows_one_measure_in_full(real_clean_dir, tmp_path):
    executed = execute_notebook("explore.ipynb", tmp_path, clean_dir=str(real_clean_dir))
    text = _text(executed)
    # Seed 003, Corporate Scorecard "Build a better Harrow": 43% (Q2 2015/16), 38% (Q1 2016/17), target 50%, HR
    assert ("3 quarters in the data, Q2 2015/16 to Q2 2016/17. Latest actual: 38% in Q1 2016/17 "
            "(target 50%, RAG HR).") in text
    assert "Better Harrow!D39" in text and "Better Harrow!G39" in text  # where each figure was read
    assert "Statistical process control" in text                          # the XmR chart's description
    assert "The service wrote no commentary" not in text                  # seed 003 comments on recycling
    assert "No public benchmark is linked to this measure" in text       # no public recycling link yet
    # the theme chart, static in a report: drawn for the chosen measure
    assert "52 – % of household waste recycled and composted" in text


def test_the_theme_chart_carries_its_own_list_of_the_themes_measures(real_clean_dir):
    from harrowperf.present.charts.explorer import explorer_chart, explorer_data

    scorecard = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    rows = profile.same_theme(scorecard, "household-waste-recycled")
    assert set(rows["theme"]) == {"Build a better Harrow"}
    spec = explorer_chart(explorer_data(rows, pd.Period("2017Q2", "Q-MAR")),
                          "% of household waste recycled and composted", picker=True).to_dict()
    params = {param["name"]: param for param in spec["params"]}
    assert params["zoom"]["bind"] == "scales" and params["zoom"]["select"]["encodings"] == ["x"]  # pan/zoom in time
    param = params["measure"]
    assert param["value"] == "52 – % of household waste recycled and composted"
    assert param["bind"]["input"] == "select"
    up_to_the_quarter = rows.loc[rows["period"] <= pd.Period("2017Q2", "Q-MAR"), "measure_id"]
    assert len(param["bind"]["options"]) == up_to_the_quarter.nunique() > 1


def test_history_table_gives_the_figures_and_both_rags_by_quarter(real_clean_dir):
    scorecard = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    scorecard = scorecard.loc[scorecard["period"] <= pd.Period("2017Q2", "Q-MAR")]
    table = tables.measure_history(profile.history(scorecard, "household-waste-recycled"))
    assert table.to_dict("list") == {
        "Quarter": ["Q2 2015/16", "Q1 2016/17", "Q2 2016/17"],
        "Target": ["50%", "50%", "–"],
        "Actual": ["43%", "38%", "–"],
        "RAG reported": ["HR", "HR", "–"],
        "RAG from the figures": ["HR", "HR", "–"],
        "Read from": ["corporate_scorecard_2016-17_q2.xlsx Better Harrow!D39",
                      "corporate_scorecard_2016-17_q2.xlsx Better Harrow!G39",
                      "corporate_scorecard_2016-17_q2.xlsx Better Harrow!J39"],
    }
    assert words.measure_profile(profile.history(scorecard, "no-such-measure"), "Nothing") == \
        "**Nothing** has no figures up to this quarter."


def test_the_explorer_is_not_a_quarterly_report_but_runs_by_name():
    assert "explore" not in [path.stem for path in select_notebooks(None, NOTEBOOKS)]
    assert [path.stem for path in select_notebooks(["explore"], NOTEBOOKS)] == ["explore"]


def test_a_figure_revised_by_a_later_workbook_is_shown_with_both_cells(tmp_path):
    # two SYNTHETIC workbooks: Q1 2016/17 prints calls answered at 81 for its own quarter; the Q2 workbook
    # prints the same quarter again as 83 (a revision); every other figure is printed alike in both
    def value(name, shown, workbook):
        return 83.0 if (shown, workbook) == ("Q1 2016/17", "Q2 2016/17") else 81.0

    quarterly_workbooks(tmp_path / "raw" / "scorecards", ["Q1 2016/17", "Q2 2016/17"],
                        {"Synthetic calls answered": {"polarity": "Higher", "target": 80}}, value,
                        lambda name, actual: "G")
    clean(tmp_path / "raw", tmp_path / "clean", stream=None)
    rows = profile.revisions(load_revisions(tmp_path / "clean"), "synthetic-calls-answered")
    table = tables.revisions(rows)
    # the measure is on row 6 (title, scorecard name, blank, two header rows); each workbook shows the quarter
    # a year back, the previous one and its own (Target | Actual | RAG from column C): Q1 2016/17 is the Q1
    # workbook's third group (actual in J) and the Q2 workbook's second (actual in G)
    assert table.to_dict("list") == {
        "Quarter": ["Q1 2016/17"], "What changed": ["actual"], "Printed before": ["actual 81"],
        "Read from": ["corporate_scorecard_2016-17_q1.xlsx Business!J6 (the Q1 2016/17 workbook)"],
        "Revised to": ["actual 83"],
        "Revised in": ["corporate_scorecard_2016-17_q2.xlsx Business!G6 (the Q2 2016/17 workbook)"],
    }
    assert profile.revisions(load_revisions(tmp_path / "clean"), "another-measure").empty

    executed = execute_notebook("explore.ipynb", tmp_path / "run", clean_dir=str(tmp_path / "clean"),
                                measure="Synthetic calls answered", quarter="Q2 2016/17")
    text = _text(executed)
    assert "actual 81" in text and "actual 83" in text and "corporate_scorecard_2016-17_q2.xlsx Business!G6" in text
    assert "has been revised by a later workbook" not in text


def test_no_revisions_file_means_nothing_known_to_be_revised(tmp_path):
    assert load_revisions(tmp_path).empty  # a clean folder from before revisions were listed


def test_a_measure_linked_to_a_public_benchmark_shows_the_councils_position(real_clean_dir, tmp_path):
    from conftest import RAW

    from harrowperf.pipeline.notebook import load_linked_benchmark

    data_dir = RAW / "benchmark"
    position = profile.benchmark_position(load_linked_benchmark("neet-16-18", data_dir), "neet-16-18", "Harrow",
                                          data_dir)
    # DfE NCCIS 2025 (data/raw/benchmark/dfe_nccis): Harrow 1.3% NEET, 8th of 32 London boroughs, median 1.95%
    [row] = position.to_dict("records")
    assert (row["measure_id"], row["period_label"], row["rank"], row["rank_of"]) == ("neet_16_17", "2025", 8, 32)
    assert row["actual"] == 1.3 and row["group_median"] == 1.95 and row["link_match"] == "related"
    said = words.benchmark_position(position)
    assert said.startswith("Harrow ranks 8th of 32 London boroughs for 16-17 year olds not in education")
    assert "related to the scorecard's, not the same: the DfE figure counts 16 and 17 year olds" in said
    assert profile.benchmark_position(load_linked_benchmark("household-waste-recycled", data_dir),
                                      "household-waste-recycled", "Harrow", data_dir).empty

    executed = execute_notebook("explore.ipynb", tmp_path, clean_dir=str(real_clean_dir), measure="neet-16-18")
    assert "Harrow ranks 8th of 32 London boroughs" in _text(executed)

"""The explorer notebook: everything about one measure, run top to bottom under papermill on the real data."""

import pandas as pd
from conftest import NOTEBOOKS, execute_notebook

from harrowperf.analyse import profile
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
    # the theme chart, static in a report: drawn for the chosen measure
    assert "52 – % of household waste recycled and composted" in text


def test_the_theme_chart_carries_its_own_list_of_the_themes_measures(real_clean_dir):
    from harrowperf.present.charts.explorer import explorer_chart, explorer_data

    scorecard = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    rows = profile.same_theme(scorecard, "household-waste-recycled")
    assert set(rows["theme"]) == {"Build a better Harrow"}
    spec = explorer_chart(explorer_data(rows, pd.Period("2017Q2", "Q-MAR")),
                          "% of household waste recycled and composted", picker=True).to_dict()
    [param] = spec["params"]
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

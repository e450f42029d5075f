"""The trend notebook runs under papermill (synthetic and real data, several quarters) and explains bad parameters."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest
from conftest import NOTEBOOKS

from harrowperf import forecast, spc, synthetic, trend
from harrowperf.analyse import series
from harrowperf.present import tables
from harrowperf.present.charts import trend as spc_charts

NOTEBOOK = "trend.ipynb"
# the first and last quarters of the Q2 2016/17 scorecard and the earliest and latest history quarters
# (the fast test below covers every quarter present without a kernel)
REAL_QUARTERS = ["Q2 2015/16", "Q2 2016/17", "Q1 2003/04", "Q1 2019/20"]


def outputs(nb) -> str:
    """Every text, Markdown and HTML output of an executed notebook, joined."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.extend(str(data.get(kind, "")) for kind in ("text/markdown", "text/html", "text/plain"))
            parts.append(json.dumps(data.get("application/vnd.vegalite.v5+json", "")))
    return "\n".join(parts)


def test_its_quarter_defaults_to_the_seed_quarter():
    # (title, parameters cell and setup, and no outputs: test_committed_notebooks.py, for every notebook)
    assert 'quarter = "Q2 2016/17"' in nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4).cells[1].source


@pytest.mark.notebook
def test_notebook_runs_on_a_synthetic_clean_folder(run_notebook, tmp_path):
    synthetic.write_scorecard_parquet(tmp_path / "clean", synthetic.scorecard_frame(9, 20, seed=7))
    nb = run_notebook(NOTEBOOK, clean_dir=str(tmp_path / "clean"))
    text = outputs(nb)
    assert "Quarter: **Q2 2016/17**" in text
    assert "Synthetic measure 0009" in text  # every measure is in the summary table
    assert "Statistical process control: all measures" in text
    assert "forecast to Q4 2016/17" in text  # 20 quarters: the forecast section has a chart


@pytest.mark.notebook
@pytest.mark.parametrize("quarter", REAL_QUARTERS)
def test_notebook_runs_on_real_data_for_quarters_present(run_notebook, real_clean_dir, quarter):
    nb = run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), quarter=quarter)
    text = outputs(nb)
    assert f"Quarter: **{quarter}**" in text
    if quarter == "Q2 2016/17":
        assert "Staff sickness - average days per FTE excluding schools" in text
        assert "Fewer than 13 points: limits are provisional" in text


@pytest.mark.notebook
def test_a_quarter_not_in_the_data_fails_with_the_quarters_present(run_notebook, tmp_path):
    import papermill

    synthetic.write_scorecard_parquet(tmp_path / "clean", synthetic.scorecard_frame(3, 4, seed=1))
    with pytest.raises(papermill.PapermillExecutionError) as error:
        run_notebook(NOTEBOOK, clean_dir=str(tmp_path / "clean"), quarter="Q4 2016/17")
    message = str(error.value)
    assert "ParameterError" in message
    assert "Q3 2015/16, Q4 2015/16, Q1 2016/17, Q2 2016/17" in message


def test_the_notebook_steps_work_for_every_quarter_in_the_real_data(real_clean_dir):
    """The notebook's library calls, without a kernel, for every quarter present (fast)."""
    frame = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    quarters = series.available_quarters(frame)
    assert set(REAL_QUARTERS) <= set(quarters)
    for quarter in quarters:
        upto = spc.frame_up_to(frame, quarter)
        view = trend.overview(upto, quarter)
        # one row per series: a measure at two frequencies (the cited history's financial year 2016/17 of
        # first time entrants beside its scorecard quarters) is two series, never one
        assert len(view) == len(upto.drop_duplicates(list(series.series_keys(upto))))
        assert set(view["measure_id"]) == set(upto["measure_id"])
        assert tables.trend_overview(view).notna().all().all()
        points, icons = spc.xmr(upto), spc.summary(upto)
        spc_charts.theme_small_multiples(points, None, icons).to_dict()
        selection = trend.detail_selection(view)
        assert selection.measure_ids, quarter
        spc_charts.detail_charts(points, list(selection.measure_ids), icons).to_dict()
        trends, year_ends = forecast.linear_trend(upto), forecast.year_end(upto, quarter)
        assert not tables.forecast(trends, year_ends).isna().any().any()
        chart = spc_charts.trend_chart(upto, selection.trend_measure_id, trend=trends,
                                       paths=forecast.paths(upto, quarter), year_end=year_ends).to_dict()
        assert chart["description"] and chart["title"]

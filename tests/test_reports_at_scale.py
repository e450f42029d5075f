"""The trend and target-gap reports hold at scale: 150 measures x 40 quarters (6,000 rows, SYNTHETIC).

6,000 observations is above Altair's default limit of 5,000 rows per chart, which one chart of
every measure and quarter would hit (MaxRowsError). The workbooks are made up in code
(:func:`harrowperf.synthetic.write_scorecard_workbooks`) in one theme, so no per-theme split keeps a
chart under the limit by luck; they go through the real clean job, the notebooks run under
papermill and the pages are rendered as the quarterly run renders them.
"""

from __future__ import annotations

import json

import pytest
from conftest import execute_notebook

from harrowperf import gaps, spc, synthetic, trend
from harrowperf.foundation.conventions import settings
from harrowperf.pipeline.clean import clean
from harrowperf.pipeline.pages import render_report
from harrowperf.present.charts import target_gap as gap_charts
from harrowperf.present.charts import trend as spc_charts

MEASURES, QUARTERS = 150, 40
QUARTER = "Q2 2016/17"
PAGE_LIMIT = 5_000_000  # bytes


@pytest.fixture(scope="module")
def scale_clean(tmp_path_factory):
    """SYNTHETIC workbooks of 150 measures x 40 quarters, cleaned by the clean job."""
    folder = tmp_path_factory.mktemp("scale")
    frame = synthetic.scorecard_frame(MEASURES, QUARTERS, end=QUARTER, seed=5, themes=1)
    synthetic.write_scorecard_workbooks(folder / "raw" / "scorecards", frame)
    result = clean(folder / "raw", folder / "clean", stream=None)
    assert result.errors == []
    assert len(result.scorecard) == MEASURES * QUARTERS > 5000  # Altair's default row limit
    return folder / "clean"


def _datasets(spec: dict) -> list[list]:
    return list(spec.get("datasets", {}).values())


def test_every_chart_stays_under_the_row_limit_and_says_what_it_leaves_out(scale_clean):
    """The library calls the two pages make, without a kernel: no chart carries every row."""
    import pandas as pd

    frame = pd.read_parquet(scale_clean / "scorecard.parquet")
    data = trend.check_parameters(frame, QUARTER)
    view = trend.overview(data.frame, data.quarter)
    points, icons = spc.xmr(data.frame), spc.summary(data.frame)
    small = spc_charts.theme_small_multiples(points, None, icons).to_dict()
    panels = {row["Panel"] for row in _datasets(small)[0]}
    assert 0 < len(panels) <= settings().spc.report.small_multiple_panels
    assert f"of {MEASURES} measures that need attention are drawn" in small["description"]
    selection = trend.detail_selection(view)
    assert 0 < len(selection.measure_ids) <= settings().spc.report.detail_charts
    spc_charts.detail_charts(points, list(selection.measure_ids), icons).to_dict()

    scorecard = gaps.analyse(frame)
    limits = settings().target_gap.charts
    gap = gap_charts.gap_chart(scorecard, QUARTER).to_dict()
    assert len(_datasets(gap)[0]) == limits.gap_chart_measures
    assert f"The {limits.gap_chart_measures} of " in gap["description"]
    heatmap = gap_charts.rag_heatmap(scorecard, QUARTER).to_dict()
    assert len({row["Measure"] for row in _datasets(heatmap)[0]}) == limits.heatmap_measures
    targets = gap_charts.target_charts(scorecard, QUARTER).to_dict()
    drawn = _datasets(targets)[0]
    assert len({row["Measure"] for row in drawn}) == limits.target_chart_measures
    earlier = {row["Quarter"] for row in drawn if row["Kind"] == "earlier quarter"}
    assert len(earlier) == limits.target_chart_history  # earlier figures: the configured quarters only
    for spec in (small, gap, heatmap, targets):
        assert all(len(rows) <= 5000 for rows in _datasets(spec))


@pytest.mark.notebook
@pytest.mark.parametrize("name", ["trend.ipynb", "target_gap.ipynb"])
def test_the_page_runs_and_stays_under_5_mb(scale_clean, tmp_path, name):
    executed = execute_notebook(name, tmp_path, clean_dir=str(scale_clean), quarter=QUARTER)
    shown = json.dumps([cell.get("outputs", []) for cell in executed.cells])
    assert "MaxRowsError" not in shown and "hp-chart-error" not in shown
    page = render_report(executed, ipynb=name, quarter=QUARTER)
    size = len(getattr(page, "html", page).encode("utf-8"))
    assert 0 < size < PAGE_LIMIT, f"{name}: {size:,} bytes"
    assert "measures that need attention are drawn" in shown or "furthest below target are drawn" in shown

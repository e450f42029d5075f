"""The real quarterly run, read as a director would: every page of one full run of the real notebooks.

One run of ``harrowperf run`` on the repository's data (module fixture) produces the pages; the
tests read them as they are published: every chart with a period axis has its periods in time
order and spaced by real time.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import ROOT, _ensure_kernel
from throwaway_notebooks import run_in

from harrowperf.foundation.periods import parse_financial_year, parse_quarter

QUARTER = "Q2 2016/17"
SLUG = "2016-17-Q2"

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("real_quarterly_run")]


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    """``harrowperf run --quarter "Q2 2016/17"`` of every notebook on the real data; the reports folder."""
    _ensure_kernel()
    out = tmp_path_factory.mktemp("real_run")
    code, log = run_in(ROOT, QUARTER, out_dir=out / "reports", clean_dir=out / "clean", jobs=2)
    assert code == 0, log
    return out / "reports"


def pages(reports: Path) -> list[Path]:
    return sorted(reports.rglob("*.html"))


# --- charts: periods in time order, spaced by real time ------------------------------------------

_AXIS = re.compile(r'<g class="mark-group role-axis"[^>]*aria-label="X-axis[^"]*"[^>]*>(.*?)'
                   r'<g class="mark-rule role-axis-domain"', re.DOTALL)
_LABEL = re.compile(r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)[^"]*"[^>]*>([^<]*)</text>')


def _when(label: str) -> float | None:
    """A period label as months since year 0 (its start), or None if it is not a period."""
    label = html.unescape(label).strip()
    quarter = parse_quarter(label)
    if quarter is not None and re.fullmatch(r"Q[1-4] \d{4}/\d{2}", label):
        return quarter.start_time.year * 12 + quarter.start_time.month
    year = parse_financial_year(label)
    if year is not None and re.fullmatch(r"\d{4}/\d{2}", label):
        return year.start_time.year * 12 + year.start_time.month
    if re.fullmatch(r"(19|20)\d{2}", label):
        return int(label) * 12 + 1
    return None


def period_axes(page: str) -> list[list[tuple[float, str, float]]]:
    """Every x axis of the page whose labels are all periods: [(x position, label, months)]."""
    axes = []
    for block in _AXIS.findall(page):
        labels = [(float(x), text, _when(text)) for x, text in _LABEL.findall(block)]
        if len(labels) >= 2 and all(when is not None for _, _, when in labels):
            axes.append(labels)
    return axes


def test_every_period_axis_on_every_page_is_in_time_order_and_spaced_by_real_time(real_run):
    checked = {}
    for path in pages(real_run):
        axes = period_axes(path.read_text("utf-8"))
        checked[path.name] = len(axes)
        for labels in axes:
            by_position = sorted(labels)
            months = [when for _, _, when in by_position]
            assert months == sorted(months) and len(set(months)) == len(months), (path.name, by_position)
            (x0, _, t0), (x1, _, t1) = by_position[0], by_position[-1]
            step = (x1 - x0) / (t1 - t0)
            for x, label, when in by_position:
                assert abs((x - x0) - step * (when - t0)) <= 1.0, (path.name, label, by_position)
    # the charts with a period axis: benchmark trends (NEET, adult social care) and LGBF series,
    # the MTFS gap by year, the RAG heatmap, the SPC small multiples and detail charts
    assert checked["benchmark.html"] >= 4 and checked["budget_gap.html"] >= 1
    assert checked["target_gap.html"] >= 1 and checked["trend.html"] >= 10, checked

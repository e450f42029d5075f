"""Charts in two renderings: live Vega-Lite while exploring in JupyterLab, static SVG figures in the reports."""

import os
from pathlib import Path

import nbformat
import pytest
from conftest import KERNEL, NOTEBOOKS, ROOT, _ensure_kernel
from nbclient import NotebookClient

from harrowperf.foundation.errors import ParameterError
from harrowperf.pipeline.notebook import chart_mode
from harrowperf.pipeline.run import _kernel_manager


@pytest.mark.parametrize("environ, mode", [
    ({}, "static"),                                                             # papermill, nbconvert, cron
    ({"JPY_SESSION_NAME": "notebooks/trend.ipynb"}, "interactive"),                 # a JupyterLab kernel
    ({"JPY_SESSION_NAME": "trend.ipynb", "HARROWPERF_CHARTS": "static"}, "static"),
    ({"HARROWPERF_CHARTS": " Interactive "}, "interactive"),
])
def test_chart_mode_follows_the_setting_then_the_kind_of_kernel(environ, mode):
    assert chart_mode(environ) == mode


def test_an_unknown_chart_mode_is_refused_in_plain_words():
    with pytest.raises(ParameterError, match="HARROWPERF_CHARTS='svg': say 'static' or 'interactive'"):
        chart_mode({"HARROWPERF_CHARTS": "svg"})


def _executed(clean_dir: Path, **client_options) -> nbformat.NotebookNode:
    """target_gap.ipynb on ``clean_dir``, executed by nbclient in a kernel JupyterLab would start."""
    _ensure_kernel()
    notebook = nbformat.read(NOTEBOOKS / "target_gap.ipynb", as_version=4)
    parameters = next(cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))
    assert 'clean_dir = "data/clean"' in parameters.source
    parameters.source = parameters.source.replace('clean_dir = "data/clean"', f"clean_dir = {str(clean_dir)!r}")
    environ = {k: v for k, v in os.environ.items() if k != "HARROWPERF_CHARTS"}
    environ["JPY_SESSION_NAME"] = str(NOTEBOOKS / "target_gap.ipynb")  # what Jupyter server sets for its kernels
    NotebookClient(notebook, kernel_name=KERNEL, timeout=600, resources={"metadata": {"path": str(ROOT)}},
                   **client_options).execute(env=environ)
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [output.get("data", {}) for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _has_tooltip(node) -> bool:
    if isinstance(node, dict):
        return "tooltip" in node or any(_has_tooltip(value) for value in node.values())
    return isinstance(node, list) and any(_has_tooltip(value) for value in node)


def test_in_jupyterlab_charts_are_live_vega_lite_with_tooltips(real_clean_dir):
    outputs = _outputs(_executed(real_clean_dir))
    specs = [value for data in outputs for kind, value in data.items() if kind.startswith("application/vnd.vegalite")]
    assert len(specs) >= 3                      # heatmap, gap chart, actual against target
    assert all(_has_tooltip(spec) for spec in specs)
    assert not any("<svg" in data.get("text/html", "") for data in outputs)


def test_the_run_kernel_draws_the_same_notebook_as_report_figures_even_from_jupyterlab(real_clean_dir):
    outputs = _outputs(_executed(real_clean_dir, kernel_manager_class=_kernel_manager(ROOT)))
    figures = [data["text/html"] for data in outputs if '<figure class="hp-chart"' in data.get("text/html", "")]
    assert len(figures) >= 3 and all("<svg" in figure for figure in figures)
    assert not any(kind.startswith("application/vnd.vegalite") for data in outputs for kind in data)

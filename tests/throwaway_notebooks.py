"""Small notebooks written in tmp folders for the runner and report tests (independent of notebooks/)."""

from __future__ import annotations

from pathlib import Path

import nbformat

KERNELSPEC = {"name": "harrowperf", "display_name": "Python (harrowperf)", "language": "python"}
MEASURE_WITH_MARKUP = "<script>alert(1)</script>"


def markdown(source: str):
    return nbformat.v4.new_markdown_cell(source)


def code(source: str, *tags: str):
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})


def write_notebook(path: Path, cells: list) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def good_notebook(path: Path) -> Path:
    """Declares quarter, clean_dir, limit and fail; prints what it was given; fails when fail is true."""
    return write_notebook(path, [
        markdown("# Good report\n\nA report that works: it prints its parameters."),
        code('quarter = "Q2 2016/17"  # the quarter to report\n'
             'clean_dir = "data/clean"  # clean data folder\n'
             "limit = 3  # how many rows\n"
             "fail = False  # fail on purpose (for tests)", "parameters"),
        code('import harrowperf as hp\n'
             'params = hp.notebook.setup("good", quarter=quarter, clean_dir=clean_dir)'),
        markdown("## Numbers"),
        code('print(f"quarter={params.quarter} limit={limit!r} type={type(limit).__name__}")\n'
             'import os\nprint(f"cwd={os.getcwd()}")\nprint(f"kernel parent={os.getppid()}")\n'
             'import sys\nprint(f"rfc3987_syntax skipped={sys.modules.get(\'rfc3987_syntax\', 1) is None}")'),
        code("if fail:\n    raise RuntimeError('asked to fail')"),
    ])


def chart_notebook(path: Path) -> Path:
    """Declares only quarter; draws one chart (with a measure name holding markup) and a table."""
    return write_notebook(path, [
        markdown("# Chart report\n\nOne bar per measure."),
        code('quarter = "Q2 2016/17"  # the quarter to report', "parameters"),
        code("import harrowperf as hp\n"
             'params = hp.notebook.setup("chart", quarter=quarter)\n'
             "import altair as alt\nimport pandas as pd"),
        markdown("## Measures\n\nThe bars show each measure's value."),
        code(f"frame = pd.DataFrame({{'measure': [{MEASURE_WITH_MARKUP!r}, 'Waste recycled'],\n"
             "                      'value': [1.5, 2.0], 'rag': ['HG', 'HR']})\n"
             "(alt.Chart(frame, title='Measures this quarter',\n"
             "           description='One bar per measure; the label says its RAG rating.')\n"
             " .mark_bar().encode(x='measure:N', y=alt.Y('value:Q', title='Value (%)'), color='rag:N'))"),
        markdown("### The figures"),
        code("frame"),
        code("import warnings\nwarnings.warn('a warning for analysts only')"),
    ])


def failing_notebook(path: Path) -> Path:
    """Declares quarter; raises in its sixth cell under the heading "Broken part"."""
    return write_notebook(path, [
        markdown("# Failing report\n\nThis one breaks."),
        code('quarter = "Q2 2016/17"  # the quarter to report', "parameters"),
        markdown("## Before"),
        code("print('fine so far')\nimport os\nprint(f'kernel parent={os.getppid()}')"),
        markdown("## Broken part"),
        code("total = 1\nraise ValueError('deliberate failure in ' + quarter)"),
        code("print('never printed')"),
    ])


def slow_notebook(path: Path, seconds: float) -> Path:
    return write_notebook(path, [
        markdown("# Slow report"),
        code("seconds = 1.0  # how long to sleep", "parameters"),
        markdown("## Waiting"),
        code(f"import time\ntime.sleep({seconds})"),
    ])


def empty_notebook(path: Path) -> Path:
    return write_notebook(path, [code("pass")])


def make_project(root: Path, *notebooks: str) -> Path:
    """A folder laid out like the repository: pyproject.toml, notebooks/, the measure catalogue and a
    data/raw/ holding one small SYNTHETIC scorecard workbook (made up in code) reporting Q1 and Q2 2016/17."""
    import shutil

    from workbooks import simple_scorecard

    (root / "data" / "raw" / "scorecards").mkdir(parents=True, exist_ok=True)
    simple_scorecard(root / "data" / "raw" / "scorecards" / "synthetic_scorecard_2016-17_q2.xlsx")
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "measures.csv", root / "data" / "measures.csv")
    (root / "pyproject.toml").write_text("[project]\nname = 'throwaway'\n", "utf-8")
    makers = {"good": good_notebook, "chart": chart_notebook, "failing": failing_notebook}
    for name in notebooks:
        makers[name](root / "notebooks" / f"{name}.ipynb")
    (root / "notebooks").mkdir(exist_ok=True)
    return root


def run_in(root: Path, quarter: str = "Q2 2016/17", **options) -> tuple[int, str]:
    """Run the quarter from ``root`` (as `harrowperf run` would from a project folder); exit code and log.

    Module-scoped fixtures cannot use monkeypatch.chdir, so the working folder is restored here.
    """
    import io
    import os

    from harrowperf.pipeline.run import run_quarter

    stream = io.StringIO()
    previous = os.getcwd()
    os.chdir(root)
    try:
        return run_quarter(quarter, stream=stream, **options), stream.getvalue()
    finally:
        os.chdir(previous)

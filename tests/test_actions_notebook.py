"""notebooks/actions.ipynb under papermill: on clean data made by the clean job (seed 003's Ambition Plan actions)."""

import re

import nbformat
import pytest
from conftest import NOTEBOOKS
from papermill.exceptions import PapermillExecutionError
from test_target_gap_notebook import _outputs

NOTEBOOK = "actions.ipynb"
pytestmark = pytest.mark.notebook


def test_its_parameters_default_to_the_seed_quarter_and_given_statuses_only():
    # (title, parameters cell and setup, and no outputs: test_committed_notebooks.py, for every notebook)
    parameters = nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4).cells[1]
    assert 'quarter = "Q2 2016/17"' in parameters.source and "infer_status = False" in parameters.source


def test_runs_with_its_defaults(real_clean_dir, run_notebook):
    shown = _outputs(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir)))
    assert ("The Q2 2016/17 report has 37 actions in 3 themes. The service gave no status for any of them"
            in shown)
    assert "No action is overdue (due by 30 September 2016 and not complete)" in shown
    assert "There is no earlier report than Q2 2016/17 in the data to compare with." in shown
    assert "Actions by status, Q2 2016/17" in shown and "hp-chart-error" not in shown
    assert "To have moved into a new civic centre by 2019" in shown  # the full table
    assert "Actions!F32" in shown  # "100%" quoted in a progress text, with its cell
    assert "No due date" in shown and "no_due_date" not in shown  # the findings of the actions workbook, in words
    assert "inferred from the progress text, not given" not in shown  # nothing inferred unless asked


def test_inferred_statuses_are_labelled_when_asked(real_clean_dir, run_notebook):
    shown = _outputs(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), infer_status=True))
    assert "inferred from the progress text, not given by the service" in shown
    assert "The service gave no status for any of them" not in shown


def test_a_quarter_without_a_progress_report_says_so(real_clean_dir, run_notebook):
    shown = _outputs(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), quarter="Q1 2016/17"))
    assert "There is no progress report on actions for Q1 2016/17 in the data; the reports present are for " \
           "Q2 2016/17, Q2 2018/19." in shown
    assert "There are no actions to show for Q1 2016/17." in shown


def test_a_bad_quarter_fails_with_a_clear_message(real_clean_dir, run_notebook):
    with pytest.raises(PapermillExecutionError) as failure:
        run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), quarter="third quarter")
    assert failure.value.ename == "ParameterError"
    assert re.search(r"is not a financial quarter; write it like 'Q2 2016/17'", failure.value.evalue)


def test_seed_004_commitments_for_q2_2018_19(real_clean_dir, run_notebook):
    # the quarter is not on the scorecard: the actions report still runs, on the actions alone
    shown = _outputs(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), quarter="Q2 2018/19"))
    assert "The Q2 2018/19 report has 127 actions in 1 theme. The service gave no status for any of them" in shown
    assert "No theme given" in shown and "£381,227" in shown


def test_markup_in_the_action_workbooks_is_shown_as_text_and_never_live(tmp_path, monkeypatch):
    """Every action, progress, objective, heading and commentary cell holds markup and Markdown payloads
    (tests/hostile_markup.py): the actions page and the key challenges of the target-gap page show them
    as text, and nothing from them is live."""
    import io
    import shutil

    from conftest import RAW, ROOT, _ensure_kernel
    from hostile_markup import MARKER, PAYLOAD, PageFacts
    from openpyxl import load_workbook

    from harrowperf.pipeline.run import run_quarter

    _ensure_kernel()
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    for path in sorted((raw / "actions").glob("*.xlsx")):
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            header = [cell.value for cell in sheet[4]]
            for row in sheet.iter_rows(min_row=5):
                for cell, name in zip(row, header, strict=False):
                    if isinstance(cell.value, str) and name not in ("Measure", "Due", "Status"):
                        cell.value = f"{cell.value} {PAYLOAD}"  # the measure name stays, so commentary links
        workbook.save(path)
    monkeypatch.chdir(ROOT)
    stream = io.StringIO()
    code = run_quarter("Q2 2016/17", notebooks=["actions", "target_gap"], out_dir=tmp_path / "reports", raw_dir=raw,
                       clean_dir=tmp_path / "clean", jobs=2, stream=stream)
    assert code == 0, stream.getvalue()
    for name in ("actions", "target_gap"):
        facts = PageFacts.of((tmp_path / "reports" / "2016-17-Q2" / f"{name}.html").read_text("utf-8"))
        assert facts.live() == [], name
        assert MARKER in facts.shown() and '<script>alert("hp")</script>' in facts.shown(), name

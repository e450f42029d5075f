"""notebooks/target_gap.ipynb under papermill: on clean data made by the clean job, for every quarter present."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from conftest import NOTEBOOKS, execute_notebook
from papermill.exceptions import PapermillExecutionError

import harrowperf as hp

NOTEBOOK = "target_gap.ipynb"
pytestmark = pytest.mark.notebook


def _outputs(notebook) -> str:
    """Everything the executed notebook showed, as one string."""
    shown = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            shown.append(output.get("text", ""))
            shown.extend(str(value) for value in output.get("data", {}).values())
    return "\n".join(shown)


def test_its_parameters_default_to_the_seed_quarter_and_every_theme():
    # (title, parameters cell and setup, and no outputs: test_committed_notebooks.py, for every notebook)
    parameters = nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4).cells[1]
    assert 'quarter = "Q2 2016/17"' in parameters.source and "theme = None" in parameters.source


def test_runs_with_its_defaults(real_clean_dir, run_notebook):
    executed = run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir))
    shown = _outputs(executed)
    assert "In Q2 2016/17 the data has 83 measures, of which 56 have a RAG status" in shown
    # the agreement figure, on every reported RAG of the data
    assert "Of 184 RAG statuses reported, 175 (95%) are reproduced exactly" in shown
    assert "177 (96%) have the same colour" in shown
    assert "Better Harrow!K52" in shown  # the one disagreement that stands, with its cell
    assert "Reported RAG not supported by the figures" in shown  # ... and listed among the findings, in words
    assert "rag_disagrees" not in shown
    assert shown.count('class=\\"hp-chart\\"') + shown.count('class="hp-chart"') >= 3
    assert "hp-chart-error" not in shown
    # the service's words beside the red measure (seed 003, Summary of key challenges)
    assert "Call levels in Public Realm has impacted negatively on wait times" in shown
    assert "All the commentary for this quarter is shown beside its measure above." in shown


def test_runs_for_every_quarter_in_the_data(real_clean_dir, tmp_path):
    quarters = hp.notebook.reported_quarters(real_clean_dir)
    assert quarters == ["Q2 2015/16", "Q1 2016/17", "Q2 2016/17"]  # history figures make no quarter reportable

    def run(quarter: str):
        folder = tmp_path / quarter.replace(" ", "_").replace("/", "-")
        return quarter, execute_notebook(NOTEBOOK, folder, quarter=quarter, clean_dir=str(real_clean_dir))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, quarters))
    for quarter, executed in results:
        shown = _outputs(executed)
        assert f"In {quarter} the data has" in shown, quarter
        assert "hp-chart-error" not in shown, quarter


def test_one_theme(real_clean_dir, run_notebook):
    theme = "Protect the most vulnerable and support families"
    shown = _outputs(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), theme=theme))
    assert "In Q2 2016/17 the data has 14 measures" in shown  # the theme's 14, not all 83
    assert "1 measure is on the exception list; the furthest from target is 'Delayed Transfers of Care" in shown


def test_writes_the_workbook_when_asked(real_clean_dir, run_notebook, tmp_path):
    target = tmp_path / "scorecard.xlsx"
    run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), excel_output=str(target))
    assert target.exists()


@pytest.mark.parametrize(("parameters", "message"), [
    ({"quarter": "Q3 2016/17"}, r"quarter Q3 2016/17 is not in any scorecard workbook; the quarters a scorecard "
                                r"reports are: Q2 2015/16, Q1 2016/17, Q2 2016/17$"),
    # a quarter only a history figure falls in cannot be reported
    ({"quarter": "Q4 2016/17"}, r"quarter Q4 2016/17 is not in any scorecard workbook"),
    ({"quarter": "third quarter"}, r"is not a financial quarter; write it like 'Q2 2016/17'"),
    ({"theme": "Make Harrow great"}, r"theme 'Make Harrow great' is not in the data; the themes present are"),
])
def test_bad_parameters_fail_with_a_clear_message(real_clean_dir, run_notebook, parameters, message):
    with pytest.raises(PapermillExecutionError) as failure:
        run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), **parameters)
    assert failure.value.ename == "ParameterError"
    assert re.search(message, failure.value.evalue), failure.value.evalue


def test_missing_clean_data_says_to_run_clean(tmp_path, run_notebook):
    with pytest.raises(PapermillExecutionError) as failure:
        run_notebook(NOTEBOOK, clean_dir=str(tmp_path / "nowhere"))
    assert "harrowperf clean" in failure.value.evalue
    assert json.dumps(failure.value.ename) == '"ParameterError"'

"""notebooks/budget_gap.ipynb: follows the notebook convention and runs under papermill on cleaned data."""

from __future__ import annotations

import nbformat
import pytest
from conftest import NOTEBOOKS

NOTEBOOK = "budget_gap.ipynb"


def shown(notebook) -> str:
    """Everything the executed notebook shows: markdown, text, HTML and chart captions."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                parts.append(f"ERROR {output['ename']}: {output['evalue']}")
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            for value in output.get("data", {}).values():
                parts.append(value if isinstance(value, str) else str(value))
    return "\n".join(parts)


def test_the_quarter_comes_first_and_the_data_is_loaded_after_setup():
    # (title, parameters cell and setup, and no outputs: test_committed_notebooks.py, for every notebook)
    notebook = nbformat.read(NOTEBOOKS / NOTEBOOK, as_version=4)
    assert notebook.cells[1].source.splitlines()[0].startswith('quarter = "Q2 2016/17"  #')
    assert "budget.check_parameters(" in notebook.cells[3].source


@pytest.mark.notebook
def test_runs_with_its_defaults(run_notebook, real_clean_dir):
    text = shown(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir)))
    assert "ERROR" not in text
    assert "Quarter: **Q2 2016/17**. Headline year: **2016/17**" in text
    assert "**The budget gap for 2016/17** was put at £20.8m in the MTFS 2014/15 to 2016/17 round" in text
    assert "Budget gap by year, MTFS 2014/15 to 2016/17" in text
    assert "Budget gap for each year, as forecast at each budget round" in text
    assert "How the budget moved from 2003/04 to 2004/05: Total Net Expenditure" in text
    assert "2 published in-year figures for Q2 2016/17" in text
    assert "ILLUSTRATIVE (made-up figures): Forecast variance by area, Q3 2004/05" in text
    assert "the gap over 2025/26 to 2026/27 would be £32.4m instead of £17.6m" in text
    assert "Total does not add up" in text and "Total missing" in text   # findings in words, not codes
    assert "total_mismatch" not in text
    assert "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=131853" in text


@pytest.mark.notebook
def test_runs_for_a_quarter_with_real_monitoring_and_another_headline_year(run_notebook, real_clean_dir):
    text = shown(run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), quarter="Q3 2021/22", financial_year="2025/26",
                              council_tax_rise=4.99, grant_change=0.0, extra_inflation=0.0,
                              illustrative_quarter=None))
    assert "ERROR" not in text
    assert "Budget gap by year, Draft 2022/23" in text  # the round current at the end of December 2021
    assert "first put at £11.0m in the Draft 2023/24 round" in text
    assert "Revenue (General Fund): forecast underspend of £0.8m (-0.4% of the £179.4m budget), RAG G" in text
    assert "would be £17.6m instead of £17.6m" in text  # no change to the plan's assumptions
    assert "No forecast variance in the data" in text  # no illustrative quarter chosen


@pytest.mark.notebook
def test_a_wrong_parameter_stops_in_the_first_cells_with_a_plain_message(run_notebook, real_clean_dir):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as raised:
        run_notebook(NOTEBOOK, clean_dir=str(real_clean_dir), scenario_round="Budget 2099/00")
    assert "ParameterError" in str(raised.value) and "the rounds are: MTFS 2014/15 to 2016/17" in str(raised.value)

"""The benchmark notebook: committed clean, runs under papermill with its defaults and with parameters."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import NOTEBOOKS

NAME = "benchmark.ipynb"


def outputs_text(notebook) -> str:
    """Every output of every code cell as one string (markdown, plain text, HTML)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                parts.append(f"ERROR {output.get('ename')}: {output.get('evalue')}")
            parts.append(output.get("text", ""))
            for value in output.get("data", {}).values():
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def test_its_parameters_default_to_harrow_among_london_boroughs():
    # (title, parameters cell and setup, and no outputs: test_committed_notebooks.py, for every notebook)
    parameters = nbformat.read(NOTEBOOKS / NAME, as_version=4).cells[1]
    assert 'council = "Harrow"' in parameters.source and 'comparator_group = "london_boroughs"' in parameters.source


@pytest.mark.notebook
def test_runs_with_defaults(run_notebook):
    text = outputs_text(run_notebook(NAME))
    assert "ERROR" not in text
    assert ("Harrow ranks 8th of 32 London boroughs for 16-17 year olds not in education, employment "
            "or training (NEET) in 2025 (lower is better)") in text
    assert "Harrow ranks 140th of 149 English councils for Service users who find it easy" in text
    assert "Harrow among London boroughs: 16-17 year olds not in education" in text  # ranked chart
    assert "Harrow against the median of London boroughs over time" in text         # small multiples
    assert "Aberdeen City: % of Crisis Grant Decisions Within 1 Day**, 21 quarters" in text
    assert "13 financial years from 2010/11 to 2022/23" in text
    assert "Special cause improvement" in text  # the SPC chart of the real quarterly series


@pytest.mark.notebook
def test_runs_with_other_parameters(run_notebook):
    text = outputs_text(run_notebook(NAME, council="Barnet", comparator_group="west_london_alliance",
                                     measures=["neet_16_17"], period="2024",
                                     rank_target="12th to 20th in London", asc_measures=["ASC5"]))
    assert "ERROR" not in text
    assert "Barnet ranks 1st of 7 West London Alliance boroughs for 16-17 year olds not in" in text
    assert "in 2024" in text
    assert "1st in London is better than the target range 12th to 20th (**exceeded**)" in text


@pytest.mark.notebook
def test_bad_council_stops_in_the_first_cell_with_a_plain_message(run_notebook):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="did you mean Harrow"):
        run_notebook(NAME, council="Harow")

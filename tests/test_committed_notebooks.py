"""Notebooks are committed without outputs or execution counts (narrative, parameters and library calls only)."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_a_notebook_has_no_outputs_and_no_execution_counts(path):
    notebook = nbformat.read(path, as_version=4)
    left = [f"cell {number} has {'outputs' if cell.outputs else 'an execution count'}"
            for number, cell in enumerate(notebook.cells, start=1)
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert left == [], (f"{path.name} was saved with results: {', '.join(left)}. Clear them before committing "
                        "(JupyterLab: Edit > Clear Outputs of All Cells; or `jupyter nbconvert --clear-output "
                        "--inplace notebooks/*.ipynb`)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_a_notebook_opens_with_title_parameters_and_setup(path):
    """Every notebook: a Markdown title, then the cell papermill fills (tagged ``parameters``, one
    parameter per line, each explained by a comment, the quarter and clean folder among them), then the
    imports with ``hp.notebook.setup``."""
    title, parameters, setup = nbformat.read(path, as_version=4).cells[:3]
    assert title.cell_type == "markdown" and title.source.startswith("# ")
    assert parameters.cell_type == "code" and parameters.metadata.get("tags") == ["parameters"]
    lines = [line for line in parameters.source.splitlines() if line.strip()]
    assert all(" = " in line and "  # " in line and line.split("#", 1)[1].strip() for line in lines), \
        f"{path.name}: every parameter on its own line with a comment saying what it is"
    assert any(line.startswith('clean_dir = "data/clean"  #') for line in lines)
    assert setup.source.startswith("import harrowperf as hp") and "hp.notebook.setup(" in setup.source

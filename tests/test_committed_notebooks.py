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

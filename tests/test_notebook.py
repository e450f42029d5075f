"""The first-cell helpers of every notebook: parameter checks, the repository root, loading clean data."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import QUARTER_FREQ
from harrowperf.pipeline.notebook import load_scorecard, setup

NOTEBOOK_NAMES = sorted(path.name for path in (Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository-like folder with data/clean; the test starts in it and altair is restored after."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "clean").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.chdir(tmp_path)
    previous = alt.renderers.active
    yield tmp_path
    alt.renderers.enable(previous)


def test_setup_returns_the_parameters_with_the_quarter_as_label_and_period(project):
    params = setup("trend", quarter="q2 2016-17", clean_dir="data/clean", limit=3, period="2024")
    assert params.quarter == "Q2 2016/17"
    assert params.quarter_period == pd.Period("2017Q2", freq=QUARTER_FREQ)
    assert params.clean_dir == project / "data" / "clean" and params.limit == 3
    assert params.period == "2024"          # a notebook's own parameter (benchmark's DfE year)
    assert params.notebook == "trend" and dict(params.values)["limit"] == 3


def test_the_parameters_cannot_be_changed_and_a_misspelt_one_is_named(project):
    params = setup("trend", quarter="Q2 2016/17", limit=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.limit = 4
    with pytest.raises(TypeError):
        params.values["limit"] = 4
    with pytest.raises(AttributeError, match="trend has no parameter 'limt'; the parameters are: limit, "
                                             "notebook, quarter, quarter_period"):
        params.limt  # noqa: B018


def test_a_parameter_may_not_take_a_name_setup_gives_its_own_meaning(project):
    with pytest.raises(ParameterError, match="trend: a parameter may not be called quarter_period"):
        setup("trend", quarter_period="Q2 2016/17")


def test_setup_switches_charts_to_the_report_renderer(project):
    alt.renderers.enable("default")
    setup("trend", quarter="Q2 2016/17")
    assert alt.renderers.active == "harrowperf"


def test_a_bad_quarter_fails_in_the_first_cell_naming_the_notebook(project):
    with pytest.raises(ParameterError, match="trend: quarter 'Q7 2016/17' is not a financial quarter"):
        setup("trend", quarter="Q7 2016/17")


def test_a_missing_folder_says_to_run_clean(project):
    with pytest.raises(ParameterError, match="clean_dir 'data/elsewhere' does not exist; run `harrowperf clean`"):
        setup("trend", clean_dir="data/elsewhere")
    assert os.getcwd() == str(project)


def test_from_the_notebooks_folder_relative_paths_are_found_at_the_project_root(project, monkeypatch):
    # JupyterLab starts kernels in the notebook's folder; papermill in the project folder.
    monkeypatch.chdir(project / "notebooks")
    params = setup("trend", quarter="Q2 2016/17", clean_dir="data/clean")
    assert params.clean_dir == project / "data" / "clean"
    assert os.getcwd() == str(project / "notebooks")        # the kernel stays where it started


def test_relative_paths_are_always_taken_from_the_project_root(project, monkeypatch):
    (project / "notebooks" / "data" / "clean").mkdir(parents=True)
    monkeypatch.chdir(project / "notebooks")
    assert setup("trend", clean_dir="data/clean").clean_dir == project / "data" / "clean"
    assert setup("trend", clean_dir=str(project / "notebooks" / "data")).clean_dir == project / "notebooks" / "data"


def test_outside_a_project_relative_paths_are_taken_from_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    previous = alt.renderers.active
    try:
        assert setup("trend", data_dir="data").data_dir == Path("data")
    finally:
        alt.renderers.enable(previous)


def scorecard(path, quarters):
    frame = pd.DataFrame({"measure_id": ["m1"] * len(quarters), "actual": [1.0] * len(quarters),
                          "period": pd.PeriodIndex([pd.Period(q, freq=QUARTER_FREQ) for q in quarters])})
    frame.to_parquet(path / "scorecard.parquet", index=False)


def test_load_scorecard_reads_the_clean_frame(project):
    scorecard(project / "data" / "clean", ["2017Q1", "2017Q2"])
    frame = load_scorecard("data/clean", "Q2 2016/17")
    assert len(frame) == 2 and isinstance(frame["period"].dtype, pd.PeriodDtype)


def test_load_scorecard_lists_the_quarters_present_when_the_quarter_is_missing(project):
    scorecard(project / "data" / "clean", ["2017Q1", "2017Q2"])
    with pytest.raises(ParameterError, match="quarter Q3 2016/17 is not in any scorecard workbook; the quarters a "
                                             "scorecard reports are: Q1 2016/17, Q2 2016/17"):
        load_scorecard("data/clean", "Q3 2016/17")


def test_load_scorecard_without_clean_data_says_to_run_clean(project):
    with pytest.raises(ParameterError, match="scorecard.parquet does not exist; run `harrowperf clean`"):
        load_scorecard("data/clean")


@pytest.mark.notebook
def test_a_notebook_runs_with_its_defaults_from_the_notebooks_folder_as_jupyterlab_starts_it(tmp_path):
    import nbformat
    import papermill
    from conftest import _ensure_kernel
    from throwaway_notebooks import good_notebook, make_project

    _ensure_kernel()
    root = make_project(tmp_path)
    (root / "data" / "clean").mkdir()
    (root / "data" / "clean" / "note.txt").write_text("found from the root")
    notebook = good_notebook(root / "notebooks" / "lab.ipynb")
    source = nbformat.read(notebook, as_version=4)
    source.cells.append(nbformat.v4.new_code_cell("print((params.clean_dir / 'note.txt').read_text())"))
    nbformat.write(source, notebook)
    executed = papermill.execute_notebook(str(notebook), str(tmp_path / "out.ipynb"), kernel_name="harrowperf",
                                          cwd=str(root / "notebooks"), progress_bar=False)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "quarter=Q2 2016/17 limit=3" in printed and "found from the root" in printed
    assert f"cwd={root / 'notebooks'}" in printed        # setup did not move the kernel


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_every_notebook_follows_one_pattern(name):
    """Parameters, then ``params = hp.notebook.setup(...)`` alone with the imports, then the data loaded
    explicitly; after that only calls into the library: no Markdown built in a cell, no ``.iloc`` look-ups,
    no catalogue applied again (clean has applied it)."""
    import nbformat
    from conftest import NOTEBOOKS

    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    parameters, setup_cell, data_cell = code[:3]
    assert [line.split(" = ")[0] for line in setup_cell.splitlines() if " = " in line] == ["params"]
    assert "params = hp.notebook.setup(" in setup_cell
    assert "params." in data_cell and "hp.notebook.setup(" not in "\n".join(code[2:])
    for source in code[1:]:
        for habit in ("Markdown(", ".iloc[", "catalogue.apply(", " if "):
            assert habit not in source, (name, habit, source)
        assert not re.search(r"(?<!\w)f[\"']", source), (name, "builds text with an f-string", source)


def test_load_actions_and_commentary_are_empty_without_action_workbooks(project):
    from harrowperf.foundation.schema import ACTION_COLUMNS
    from harrowperf.pipeline.notebook import load_actions, load_commentary

    actions, commentary = load_actions("data/clean"), load_commentary("data/clean")
    assert actions.empty and set(ACTION_COLUMNS) <= set(actions.columns)
    assert commentary.empty and {"measure_id", "commentary", "quarter"} <= set(commentary.columns)
    with pytest.raises(ParameterError, match="does not exist; run `harrowperf clean` first"):
        load_commentary("data/elsewhere")

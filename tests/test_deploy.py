"""The scheduling recipes in deploy/: the example Airflow DAG builds the right tasks (Airflow stubbed)."""

from __future__ import annotations

import os
import runpy
import sys
import types

import pytest
from conftest import ROOT

from harrowperf.pipeline.run import declared_parameters, select_notebooks

DAG_FILE = ROOT / "deploy" / "airflow" / "harrowperf_quarterly.py"


class _Task:
    def __init__(self, *, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream: set[str] = set()
        _Task.created.append(self)

    def __rshift__(self, other):
        self.downstream.add(other.task_id)
        return other


class _Papermill(_Task):
    def __init__(self, *, input_nb, output_nb, parameters, kernel_name, language_name, **kwargs):
        super().__init__(**kwargs)
        self.input_nb, self.output_nb, self.parameters = input_nb, output_nb, parameters
        self.kernel_name, self.language_name = kernel_name, language_name

    def execute(self, context):
        self.ran_in = os.getcwd()
        self.reads = os.environ.get("HARROWPERF_READS")   # the kernel papermill starts inherits it


class _Dag:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def dag(monkeypatch, tmp_path):
    _Task.created = []
    modules = {
        "airflow": types.SimpleNamespace(DAG=_Dag),
        "airflow.providers.papermill.operators.papermill": types.SimpleNamespace(PapermillOperator=_Papermill),
        "airflow.providers.standard.operators.bash": types.SimpleNamespace(BashOperator=_Task),
        "airflow.providers.standard.operators.python": types.SimpleNamespace(PythonOperator=_Task),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setenv("HARROWPERF_HOME", str(ROOT))
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(DAG_FILE), run_name="harrowperf_dag")
    return namespace, {task.task_id: task for task in _Task.created}


def test_the_dag_has_clean_then_one_papermill_task_per_notebook_then_publish(dag):
    namespace, tasks = dag
    notebooks = select_notebooks(None, ROOT / "notebooks")
    assert set(tasks) == {"clean", "publish", *(f"run_{p.stem}" for p in notebooks)}
    assert tasks["clean"].downstream == {f"run_{p.stem}" for p in notebooks}
    for path in notebooks:
        task = tasks[f"run_{path.stem}"]
        assert task.downstream == {"publish"}
        assert task.kernel_name == "harrowperf" and task.input_nb == f"notebooks/{path.name}"
        assert set(task.parameters) == {"quarter", "clean_dir", "raw_dir"} & set(declared_parameters(path))
    assert tasks["clean"].kwargs["bash_command"].endswith(
        "-m harrowperf clean data/raw --out data/clean --if-changed")
    assert tasks["clean"].kwargs["cwd"] == str(ROOT)
    assert tasks["publish"].kwargs["trigger_rule"] == "all_done"
    assert namespace["dag"].kwargs["user_defined_macros"]["previous_quarter"]("2016-11-15") == "Q2 2016/17"


def test_notebook_tasks_run_from_the_repository_folder(dag, tmp_path):
    _, tasks = dag
    task = next(t for name, t in tasks.items() if name.startswith("run_"))
    task.output_nb = str(tmp_path / "executed" / "x.ipynb")
    task.execute({})
    assert task.ran_in == str(ROOT) and os.getcwd() == str(tmp_path)
    # the kernel lists the files it reads beside the executed notebook, for publish_executed
    assert task.reads == str(tmp_path / "executed" / ".x.reads.jsonl")
    assert (tmp_path / "executed" / ".x.reads.jsonl").is_file() and "HARROWPERF_READS" not in os.environ

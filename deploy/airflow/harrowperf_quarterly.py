"""Example Airflow DAG: the quarterly harrowperf run, one PapermillOperator task per notebook.

For councils that already run Airflow. Each notebook is its own task (its own log, retry and
duration in the Airflow UI); a last task publishes them exactly as ``harrowperf run`` does (report
pages, index pages, run.json, and a failed notebook never replacing a good report).

Needs, on the Airflow workers: ``apache-airflow-providers-papermill``, harrowperf installed in
Airflow's Python (``pip install -e /opt/harrowperf``) and the kernel registered there
(``python -m ipykernel install --sys-prefix --name harrowperf``). Set HARROWPERF_HOME to the
checkout. Copy this file into the DAGs folder. See docs/scheduling.md.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path

from airflow import DAG
from airflow.providers.papermill.operators.papermill import PapermillOperator

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.providers.standard.operators.python import PythonOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator
    from airflow.operators.python import PythonOperator

from harrowperf.foundation.reads import READS_VARIABLE
from harrowperf.pipeline.run import (
    declared_parameters,
    previous_quarter,
    publish_executed,
    reads_file,
    select_notebooks,
)

HOME = Path(os.environ.get("HARROWPERF_HOME", "/opt/harrowperf"))
KERNEL = "harrowperf"
# Templated by Airflow at run time: the quarter given when the run was triggered
# (`airflow dags trigger harrowperf_quarterly --conf '{"quarter": "Q2 2016/17"}'`), else the quarter
# that ended before this run's date.
QUARTER = "{{ (dag_run.conf or {}).get('quarter') or previous_quarter(data_interval_end) }}"
EXECUTED = "reports/.airflow/{{ run_id | replace(':', '-') | replace('+', '-') }}"


class RepoPapermillOperator(PapermillOperator):
    """PapermillOperator run from the repository folder, as `harrowperf run` does.

    Notebooks name their data relative to the repository ("data/clean"); an Airflow worker starts
    tasks somewhere else. The kernel lists the files the notebook reads beside the executed notebook,
    so its page lists them (see harrowperf.foundation.reads).
    """

    def execute(self, context):
        output = HOME / self.output_nb
        output.parent.mkdir(parents=True, exist_ok=True)
        reads = reads_file(output.parent, output.stem)
        reads.write_text("", "utf-8")
        before = os.environ.get(READS_VARIABLE)
        os.environ[READS_VARIABLE] = str(reads)   # the kernel papermill starts inherits it
        try:
            with contextlib.chdir(HOME):
                return super().execute(context)
        finally:
            if before is None:
                os.environ.pop(READS_VARIABLE, None)
            else:
                os.environ[READS_VARIABLE] = before


def publish(quarter: str, executed: str) -> None:
    """Publish what the notebook tasks left (failed ones included), then fail if any notebook failed."""
    with contextlib.chdir(HOME):
        code = publish_executed(quarter, executed)
        shutil.rmtree(executed, ignore_errors=True)
    if code != 0:
        raise RuntimeError(f"harrowperf: a notebook failed; see {HOME / 'reports' / 'index.html'}")


with DAG(
    dag_id="harrowperf_quarterly",
    description="Clean the scorecard and budget workbooks, run the analysis notebooks, publish reports",
    schedule="0 7 15 2,5,8,11 *",          # six weeks after each financial quarter ends
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    user_defined_macros={"previous_quarter": previous_quarter},
    default_args={"retries": 0},            # a notebook that failed fails again; fix, then re-run
    tags=["harrowperf"],
) as dag:
    clean = BashOperator(
        task_id="clean",
        # The Python Airflow runs (and harrowperf is installed in), whatever is on the PATH.
        bash_command=f"{shlex.quote(sys.executable)} -m harrowperf clean data/raw --out data/clean --if-changed",
        cwd=str(HOME),
    )
    publish_reports = PythonOperator(
        task_id="publish",
        python_callable=publish,
        op_kwargs={"quarter": QUARTER, "executed": EXECUTED},
        trigger_rule="all_done",            # publish failed notebooks too: their pages say why
    )
    for notebook in select_notebooks(None, HOME / "notebooks"):
        declared = declared_parameters(notebook)
        run_values = {"quarter": QUARTER, "clean_dir": "data/clean", "raw_dir": "data/raw"}
        task = RepoPapermillOperator(
            task_id=f"run_{notebook.stem}",
            input_nb=f"notebooks/{notebook.name}",
            output_nb=f"{EXECUTED}/{notebook.name}",
            parameters={name: value for name, value in run_values.items() if name in declared},
            kernel_name=KERNEL,
            language_name="python",
        )
        clean >> task >> publish_reports

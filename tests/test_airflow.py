"""The Airflow DAG in deploy/airflow under real Apache Airflow: `airflow dags test` for one quarter on a copy
of the project publishes the same reports as `harrowperf run`.

Airflow lives in its own environment (``make airflow-env``: tools/airflow-env.sh, pinned by
tools/airflow-constraints.txt), SQLite and standalone. ``make test-airflow`` runs this; .ci/run does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.airflow

QUARTER, SLUG = "Q2 2016/17", "2016-17-Q2"
IGNORED = shutil.ignore_patterns(".git", ".venv", ".airflow-venv", "reports", "clean", "__pycache__", ".*cache")


@pytest.fixture(scope="module")
def airflow_venv() -> Path:
    venv = Path(os.environ.get("AIRFLOW_VENV", ROOT / ".airflow-venv"))
    subprocess.run([str(ROOT / "tools" / "airflow-env.sh")], check=True, env={**os.environ, "AIRFLOW_VENV": str(venv)})
    assert (venv / "bin" / "airflow").exists()
    return venv


def copy_project(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=IGNORED)
    (target / "data" / "clean").mkdir(exist_ok=True)
    return target


def published(folder: Path) -> tuple[dict, set[str]]:
    record = json.loads((folder / "run.json").read_text())
    entries = {e["name"]: (e["status"], e["title"], e["summary"], e["parameters"]) for e in record["notebooks"]}
    return entries, {p.name for p in folder.iterdir()}


def test_the_dag_under_real_airflow_publishes_what_harrowperf_run_publishes(airflow_venv, tmp_path):
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "airflow"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(project / "deploy" / "airflow"), "HARROWPERF_HOME": str(project)}
    airflow = str(airflow_venv / "bin" / "airflow")
    subprocess.run([airflow, "db", "migrate"], check=True, env=env, capture_output=True, cwd=tmp_path)
    # A logical date after the DAG's start date; the quarter comes from the run's conf.
    run = subprocess.run([airflow, "dags", "test", "harrowperf_quarterly", "2024-11-15T07:00:00+00:00",
                          "--conf", json.dumps({"quarter": QUARTER})],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "state=success" in run.stdout + run.stderr
    by_airflow = project / "reports" / SLUG
    assert (by_airflow / "run.json").exists(), run.stdout[-3000:]

    reference = copy_project(tmp_path / "reference")
    subprocess.run([sys.executable, "-m", "harrowperf", "run", "--quarter", QUARTER, "--jobs", "2"],
                   check=True, cwd=reference, capture_output=True)
    airflow_entries, airflow_files = published(by_airflow)
    run_entries, run_files = published(reference / "reports" / SLUG)
    assert airflow_entries == run_entries
    assert all(status == "ok" for status, *_ in airflow_entries.values())
    assert airflow_files == run_files
    assert (project / "reports" / "index.html").exists()

#!/usr/bin/env bash
# A separate environment with real Apache Airflow (SQLite, standalone) for tests/test_airflow.py:
# Airflow, the papermill and standard providers and harrowperf itself, at the versions in
# tools/airflow-constraints.txt, with the harrowperf kernel registered inside it.
# Idempotent: does nothing when the environment is already installed from the same constraints.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV="${AIRFLOW_VENV:-.airflow-venv}"
STAMP="$VENV/.installed"
if [ -f "$STAMP" ] && cmp -s "$STAMP" tools/airflow-constraints.txt; then
  exit 0
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c tools/airflow-constraints.txt \
  apache-airflow apache-airflow-providers-papermill apache-airflow-providers-standard -e .
"$VENV/bin/python" -m ipykernel install --sys-prefix --name harrowperf --display-name "Python (harrowperf)" >/dev/null
cp tools/airflow-constraints.txt "$STAMP"

# Jobs people do. Each target sets up what it needs, so on a fresh machine
#   make report   cleans data/raw, runs every notebook and renders reports/
#   make test     runs the whole test suite (CI runs this via .ci/run)
# Python 3.11 is expected; override with `make PYTHON=python3.11 ...`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
QUARTER ?= Q2 2016/17
JOBS   ?= 2
# The exact version of every package, tested by CI: `make setup` installs these, `make lock` renews them.
LOCK   := constraints.txt

.PHONY: setup report clean-data test lint lab chromium bench lock airflow-env test-airflow

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml or the lock changes, with the locked versions, so every
# quarterly report is computed by the same packages; register the kernel under a fixed name so
# notebook runs never depend on what else is installed on the machine.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name harrowperf --display-name "Python (harrowperf)" >/dev/null
	touch $@

setup: $(VENV)/.installed

report: setup
	$(BIN)/harrowperf run --quarter "$(QUARTER)" --jobs $(JOBS)

clean-data: setup
	$(BIN)/harrowperf clean data/raw --out data/clean

# Headless Chromium for the offline-report browser test (Debian package).
chromium:
	@command -v chromium >/dev/null 2>&1 || ./tools/install-chromium.sh

test: setup chromium lint
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadgroup -m "not airflow"

# Real Apache Airflow in its own environment (.airflow-venv, a few minutes to install the first time),
# then the DAG in deploy/airflow run by `airflow dags test` (tests/test_airflow.py). .ci/run runs it.
airflow-env:
	PYTHON=$(PYTHON) ./tools/airflow-env.sh

test-airflow: setup airflow-env
	AIRFLOW_VENV=$(CURDIR)/.airflow-venv $(BIN)/python -m pytest -q -m airflow tests/test_airflow.py

# ruff, and the layer contract in .importlinter (pipeline -> present -> analyse -> read -> foundation)
lint: setup
	$(BIN)/ruff check harrowperf tests bench tools deploy
	$(BIN)/lint-imports

lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir=. --FileContentsManager.preferred_dir=notebooks

# Renew the lock: the newest versions pyproject.toml allows, resolved in a fresh environment.
# Then raise the floors in pyproject.toml and environment.yml to match, run `make test`, commit.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	{ echo "# Made by \`make lock\` with Python $$(.lock-venv/bin/python -c 'import platform; print(platform.python_version())'). Do not edit."; \
	  .lock-venv/bin/python -m pip freeze --exclude harrowperf; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .lock-venv build

bench: setup
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

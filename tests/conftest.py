"""Shared test helpers: paths, and running a notebook under papermill on the project's kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# These machines are shared and noisy: hypothesis' per-example time limit would make tests flaky
# (speed is measured by bench/, never asserted in tests).
settings.register_profile("harrowperf", deadline=None, print_blob=True)
settings.load_profile("harrowperf")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
NOTEBOOKS = ROOT / "notebooks"
SEEDS = ROOT.parent / "shared" / "seeds"  # the documents the project started from (may be absent)
KERNEL = "harrowperf"


def _ensure_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        subprocess.run(
            [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL],
            check=True,
            capture_output=True,
        )


def execute_notebook(name: str, out_dir: Path, **parameters):
    """Run notebooks/<name> top to bottom with papermill; return the executed notebook node."""
    import papermill

    _ensure_kernel()
    out_dir.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(out_dir / name),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(ROOT),
        progress_bar=False,
    )


@pytest.fixture
def run_notebook(tmp_path):
    """``run_notebook("trend.ipynb", quarter="Q2 2016/17")`` executes the notebook in tmp_path."""

    def _run(name: str, **parameters):
        return execute_notebook(name, tmp_path, **parameters)

    return _run


@pytest.fixture(scope="session")
def real_clean_dir(tmp_path_factory):
    """data/raw cleaned by the project's own clean job into a temporary folder (once per test process)."""
    from harrowperf.pipeline.clean import clean

    out = tmp_path_factory.mktemp("real_clean")
    result = clean(RAW, out, stream=None)
    assert result.errors == [], result.errors
    return out


CHROMIUM = Path("/usr/bin/chromium")


def chromium() -> Path:
    """The Debian Chromium the browser tests drive; a failure (never a skip) when it is missing."""
    import shutil

    found = CHROMIUM if CHROMIUM.exists() else (Path(p) if (p := shutil.which("chromium")) else None)
    if found is None:
        pytest.fail("Chromium is not installed: run tools/install-chromium.sh (needs root or sudo; `make test` "
                    "runs it). The report checks need a real browser, so they fail rather than skip.",
                    pytrace=False)
    return found


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, through Playwright; nothing is downloaded)."""
    import os

    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True,
                                              args=["--no-sandbox"] if os.geteuid() == 0 else [])
        yield launched
        launched.close()

"""Nothing lost, end to end: every value cell of data/raw is in data/clean or in the quality report;
an interrupted clean leaves the previous outputs whole."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import RAW, ROOT, _ensure_kernel
from throwaway_notebooks import make_project, run_in, slow_notebook

from harrowperf.pipeline.clean import OUTPUTS, clean
from harrowperf.read.cells import read_cells
from harrowperf.read.scorecard import read_scorecard

pytestmark = pytest.mark.xdist_group("clean_real_raw")


def _cells_named(series: pd.Series) -> set[str]:
    """Cell references in a column, which may hold one address or a comma-separated list."""
    names = set()
    for text in series.dropna().astype(str):
        names.update(part.strip() for part in text.split(",") if part.strip())
    return names


def test_every_scorecard_value_cell_is_in_clean_data_or_the_quality_report(real_clean_dir):
    frame = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    quality = pd.read_csv(real_clean_dir / "quality.csv", dtype=str, keep_default_na=False)
    in_frame = set(frame["cell_target"]) | set(frame["cell_actual"]) | set(frame["cell_rag"])
    listed = set(quality["sheet"] + "!" + quality["cell"])
    checked = 0
    for path in sorted((RAW / "scorecards").glob("*.xlsx")):
        layout = read_scorecard(path).layout
        values = layout[layout["role"].isin(["target", "actual", "rag", "unparsed"])]
        refs = values["sheet"] + "!" + values["cell"]
        missing = sorted(set(refs) - in_frame - listed)
        assert not missing, f"{path.name}: {missing[:10]}"
        qualifiers = layout[layout["role"] == "qualifier"]
        # a line under a measure is folded into its observation: its text must be there
        texts = set(frame["period_covered"].dropna()) | {
            part for note in frame["status_note"].dropna() for part in note.split("; ")} | set(frame["rag_text"])
        assert set(qualifiers["text"].str.strip()) <= texts
        checked += len(values) + len(qualifiers)
    assert checked >= 671  # the seed-003 workbook alone has 671 value cells


def test_every_budget_number_is_in_clean_data_or_the_quality_report(real_clean_dir):
    budget = pd.read_parquet(real_clean_dir / "budget.parquet")
    quality = pd.read_csv(real_clean_dir / "quality.csv", dtype=str, keep_default_na=False)
    checked = 0
    for path in sorted((RAW / "budget").glob("*.xlsx")):
        cells = read_cells(path)
        numbers = cells[cells["kind"] == "number"]
        mine = budget[budget["source"] == path.name]
        found = {(s, c) for s, c in zip(mine["sheet"], mine["cell"], strict=True)}
        # a range's high end sits beside its low end: the row's amount_high holds it (in GBP)
        by_row = {}
        for row in mine.itertuples():
            key = (row.sheet, int("".join(ch for ch in row.cell.split(",")[0] if ch.isdigit())))
            by_row.setdefault(key, set()).update(
                round(v) for v in (row.amount, row.amount_low, row.amount_high) if pd.notna(v))
        listed_here = quality[quality["source"] == path.name]
        listed = {(s, c) for s, text in zip(listed_here["sheet"], listed_here["cell"], strict=True)
                  for c in _cells_named(pd.Series([text]))}
        for sheet, address, row, value in zip(numbers["sheet"], numbers["address"], numbers["row"],
                                              numbers["value"], strict=True):
            in_row = {round(float(value) * scale) for scale in (1, 1e3, 1e6)} & by_row.get((sheet, row), set())
            assert (sheet, address) in found or (sheet, address) in listed or in_row, (path.name, sheet, address)
            checked += 1
    assert checked > 300


def test_clean_of_the_real_raw_folder_is_repeatable(real_clean_dir, tmp_path):
    clean(RAW, tmp_path, stream=None)
    for name in [*OUTPUTS, "budget.parquet", "budget.csv"]:
        assert (tmp_path / name).read_bytes() == (real_clean_dir / name).read_bytes(), name


def test_an_interrupted_clean_leaves_the_previous_outputs_whole(real_clean_dir, tmp_path):
    out = tmp_path / "clean"
    clean(RAW, out, stream=None)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for delay in (0.5, 1.5, 3.0):  # kill it at different points of its work
        process = subprocess.Popen([sys.executable, "-m", "harrowperf", "clean", str(RAW), "--out", str(out)],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        assert after == before


@pytest.mark.notebook
def test_an_interrupted_run_leaves_the_previous_reports_whole(tmp_path):
    """Kill `harrowperf run` while a notebook is executing: the published reports do not change."""
    _ensure_kernel()
    project = make_project(tmp_path, "good")
    slow = slow_notebook(project / "notebooks" / "slow.ipynb", 30)
    slow.write_text(slow.read_text().replace("time.sleep(30)", "time.sleep(0)"))
    assert run_in(project)[0] == 0
    reports = project / "reports"
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    slow.write_text(slow.read_text().replace("time.sleep(0)", "time.sleep(30)"))
    process = subprocess.Popen([sys.executable, "-m", "harrowperf", "run", "--quarter", "Q2 2016/17"],
                               cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(p.name.startswith(".") for p in reports.iterdir()):
        time.sleep(0.2)  # wait until the run has started writing its temporary folder
    time.sleep(2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(reports).parts)}
    assert after == before

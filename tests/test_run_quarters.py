"""Reporting quarters: only a quarter a scorecard workbook reports can be reported; latest, previous, and
a quarter with no scorecard stopping the run before anything is written to reports/."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import RAW

import harrowperf as hp
from harrowperf.foundation.errors import ParameterError
from harrowperf.pipeline import cli
from harrowperf.pipeline.run import resolve_quarter, run_quarter

REPORTED = ["Q2 2015/16", "Q1 2016/17", "Q2 2016/17"]


def test_the_reported_quarters_leave_out_history_only_quarters(real_clean_dir):
    frame = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    # a history figure is reported in Q4 2016/17: the financial year 2016/17 of first time entrants
    in_q4 = frame[pd.PeriodIndex(frame["period"], freq="Q-MAR") == pd.Period("2017Q4", "Q-MAR")]
    assert in_q4[["source", "period_label", "frequency"]].values.tolist() == [
        ["harrow_measure_history.csv", "2016/17", "financial year"]]
    assert hp.notebook.reported_quarters(real_clean_dir) == REPORTED
    assert hp.notebook.reported_quarters(frame) == REPORTED


def test_load_scorecard_checks_the_quarter_and_returns_every_row(real_clean_dir):
    frame = hp.load_scorecard(real_clean_dir, quarter="Q1 2016/17")
    assert len(frame) == len(pd.read_parquet(real_clean_dir / "scorecard.parquet"))  # as its docstring says
    with pytest.raises(ParameterError, match="Q4 2016/17 is not in any scorecard workbook; the quarters a "
                                             "scorecard reports are: Q2 2015/16, Q1 2016/17, Q2 2016/17$"):
        hp.load_scorecard(real_clean_dir, quarter="Q4 2016/17")


@pytest.mark.parametrize(("quarter", "today", "expected"), [
    ("latest", None, "Q2 2016/17"),
    ("LATEST", None, "Q2 2016/17"),
    ("previous", "2016-11-15", "Q2 2016/17"),
    ("previous", "2016-08-01", "Q1 2016/17"),
    ("q1 2016/17", None, "Q1 2016/17"),
])
def test_resolve_quarter(quarter, today, expected):
    assert resolve_quarter(quarter, REPORTED, today=today) == expected


@pytest.mark.parametrize(("quarter", "today", "message"), [
    ("previous", "2026-12-02", r"--quarter previous is Q2 2026/27 \(the last quarter that has ended\), but no "
                               r"scorecard workbook reports it.*Q2 2016/17 \(--quarter latest\)"),
    ("Q4 2016/17", None, r"no scorecard workbook reports Q4 2016/17.*Q2 2015/16, Q1 2016/17, Q2 2016/17$"),
    ("", None, r"--quarter is empty"),
    ("   ", None, r"--quarter is empty"),
    ("third quarter", None, r"not a financial quarter"),
])
def test_resolve_quarter_refuses(quarter, today, message):
    with pytest.raises(ParameterError, match=message):
        resolve_quarter(quarter, REPORTED, today=today)


def test_no_scorecard_means_nothing_to_report():
    with pytest.raises(ParameterError, match="no scorecard workbook reports any quarter"):
        resolve_quarter("latest", [])


@pytest.mark.parametrize("quarter", ["Q4 2016/17", "previous", ""])
def test_a_quarter_no_scorecard_reports_runs_nothing_and_writes_nothing(tmp_path, monkeypatch, capsys, quarter):
    monkeypatch.chdir(RAW.parents[1])  # the project folder: its notebooks
    out = tmp_path / "reports"
    code = cli.main(["run", "--quarter", quarter, "--raw", str(RAW), "--clean", str(tmp_path / "clean"),
                     "--out", str(out)])
    assert code == 2
    assert not out.exists()
    error = capsys.readouterr().err
    assert "harrowperf: error:" in error and "Traceback" not in error


@pytest.mark.notebook
def test_quarter_latest_reports_the_newest_scorecard_quarter(tmp_path, monkeypatch):
    monkeypatch.chdir(RAW.parents[1])
    out = tmp_path / "reports"
    code = run_quarter("latest", notebooks=["target_gap"], out_dir=out, raw_dir=RAW, clean_dir=tmp_path / "clean")
    assert code == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["2016-17-Q2"]


# --- incremental runs -------------------------------------------------------------------------------


@pytest.mark.notebook
def test_a_second_run_with_nothing_changed_reexecutes_nothing(tmp_path):
    import json

    from throwaway_notebooks import make_project, run_in
    from workbooks import simple_scorecard

    root = make_project(tmp_path, "good", "chart")
    code, _ = run_in(root)
    assert code == 0
    folder = root / "reports" / "2016-17-Q2"
    first = json.loads((folder / "run.json").read_text())
    assert all(len(entry["inputs"]) == 64 for entry in first["notebooks"])
    pages = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    code, log = run_in(root)
    assert code == 0
    assert "nothing changed since the last report of Q2 2016/17" in log
    assert "none of the 2 notebooks were re-run (--force re-runs them)" in log
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == pages  # not even rewritten

    # a parameter changes: only the notebook that declares it runs again
    code, log = run_in(root, parameters={"limit": "4"})
    assert code == 0 and "unchanged since the last report, not re-run: chart" in log
    record = json.loads((folder / "run.json").read_text())
    assert record["notebooks"][0]["name"] == "chart" and record["notebooks"][0]["finished"] == \
        first["notebooks"][0]["finished"]
    assert record["notebooks"][1]["finished"] != first["notebooks"][1]["finished"]

    # the data changes (a new figure in the workbook): clean runs, and the notebook reading the clean data
    # runs again; the chart notebook reads no data folder (it declares no clean_dir), so it is kept
    simple_scorecard(root / "data" / "raw" / "scorecards" / "synthetic_scorecard_2016-17_q2.xlsx", measures=[
        ["1 Reduction in vacancy rates", "Lower", "9.25%", "4.94%", "HG", "9.25%", "7.10%", "HG"]])
    code, log = run_in(root, parameters={"limit": "4"})
    assert code == 0 and "unchanged since the last report, not re-run: chart" in log and "good: started" in log
    assert "wrote" in log  # the clean ran

    # --force runs everything even when nothing changed
    code, log = run_in(root, parameters={"limit": "4"}, force=True)
    assert code == 0 and "nothing changed" not in log
    assert json.loads((folder / "run.json").read_text())["finished"] != record["finished"]

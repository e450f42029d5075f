"""Run progress: bars in a terminal (one position per parallel job), plain lines in a log."""

from __future__ import annotations

import io
from types import SimpleNamespace

from harrowperf.pipeline.progress import RunProgress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def finished(status="ok", cells=5, failure=None):
    return SimpleNamespace(status=status, cells=cells, duration_seconds=1.25, failure=failure)


def test_a_log_gets_plain_lines_and_papermill_no_bar():
    log = io.StringIO()
    progress = RunProgress(["trend", "budget_gap"], jobs=2, stream=log)
    assert progress.start("trend") is False
    progress.finish("trend", finished())
    progress.start("budget_gap")
    progress.finish("budget_gap", finished("failed", 3, {"error": "ValueError: x"}))
    assert log.getvalue().splitlines() == [
        "trend: started",
        "[1/2] trend: done, 5 cells in 1.2 s",
        "budget_gap: started",
        "[2/2] budget_gap: FAILED, 3 cells in 1.2 s - ValueError: x",
    ]


def test_a_terminal_gets_one_bar_position_per_running_notebook():
    terminal = Terminal()
    progress = RunProgress(["trend", "budget_gap", "benchmark"], jobs=2, stream=terminal)
    first, second = progress.start("trend"), progress.start("budget_gap")
    assert {first["position"], second["position"]} == {1, 2}          # 0 is the bar of notebooks
    assert first["desc"] == "trend     " and "file" not in first and first["leave"] is False
    progress.finish("trend", finished())
    assert progress.start("benchmark")["position"] == first["position"]   # the freed position
    progress.close()
    assert "trend: done, 5 cells in 1.2 s" in terminal.getvalue()

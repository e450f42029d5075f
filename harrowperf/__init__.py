"""harrowperf: council scorecards and budgets to tidy frames, analyses, charts and reports.

Quick use::

    import harrowperf as hp
    scorecard = hp.read_scorecard("data/raw/scorecards/corporate_scorecard_2016-17_q2.xlsx")
    scorecard.frame              # the tidy frame: one row per measure x period
    scorecard.findings           # cells the reader could not parse, with their addresses
    hp.preview("data/raw/scorecards/corporate_scorecard_2016-17_q2.xlsx", "Business")

The package is four layers over a small foundation; each imports only from the ones below it
(``make lint`` checks this with import-linter)::

    foundation/  errors, periods, conventions, frame contracts, the findings table, ids
    read/        files -> tidy frames (cells, value grammar, scorecard, budget, catalogue, comparative)
    analyse/     numbers only (rag, gaps, trend, spc, forecast, budget, benchmark, actions)
    present/     numbers -> text (one formatter), tables, words, charts, figures, Excel
    pipeline/    clean, notebook setup, the quarterly run, report pages, publishing, the command line

Heavy modules (altair, statsmodels) are imported only when used, so
``import harrowperf`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from harrowperf.foundation.errors import (
    AmbiguousPeriodError,
    BenchmarkError,
    BudgetError,
    HarrowperfError,
    LongFileError,
    ParameterError,
    RunError,
    ScorecardError,
    SettingsError,
)

__version__ = "0.1.0"

# public name -> module that defines it (imported on first use)
_LAZY = {
    # foundation: the findings table, reading a period written any way
    "concat_findings": "foundation.findings",
    "parse_period": "foundation.periods",
    # read: files -> frames (each returns a Read: .frame and .findings)
    "read_scorecard": "read.scorecard",
    "preview": "read.preview",
    "read_budget": "read.budget",
    "read_history": "read.history",
    "read_actions": "read.actions",
    "read_long": "read.long",
    # analyse: numbers
    "assess": "analyse.rag",
    "target_gaps": "analyse.gaps",
    "exceptions": "analyse.gaps",
    "direction": "analyse.trend",
    "xmr": "analyse.spc",
    # present
    "chart_html": "present.figures",
    # pipeline
    "load_scorecard": "pipeline.notebook",
    "quality": "pipeline.clean",
    "run_quarter": "pipeline.run",
    "publish_executed": "pipeline.run",
}
# modules by their everyday name, for hp.gaps.summary(...), hp.budget.variance(...) and so on
_MODULES = {
    "catalogue": "read.catalogue",
    "comparative": "read.comparative",
    "budget_reader": "read.budget",
    "synthetic": "read.synthetic",
    "rag": "analyse.rag",
    "gaps": "analyse.gaps",
    "actions": "analyse.actions",
    "profile": "analyse.profile",
    "trend": "analyse.trend",
    "spc": "analyse.spc",
    "forecast": "analyse.forecast",
    "budget": "analyse.budget",
    "benchmark": "analyse.benchmark",
    "format": "present.format",
    "tables": "present.tables",
    "words": "present.words",
    "charts": "present.charts",
    "figures": "present.figures",
    "excel": "present.excel",
    "notebook": "pipeline.notebook",
    "clean": "pipeline.clean",
    "run": "pipeline.run",
    "pages": "pipeline.pages",
}

__all__ = [
    "AmbiguousPeriodError",
    "BenchmarkError",
    "BudgetError",
    "HarrowperfError",
    "LongFileError",
    "ParameterError",
    "RunError",
    "ScorecardError",
    "SettingsError",
    "__version__",
    *_LAZY,
    *_MODULES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    elif name in _MODULES:
        value = import_module(f"{__name__}.{_MODULES[name]}")
    else:
        raise AttributeError(f"module 'harrowperf' has no attribute {name!r}")
    globals()[name] = value
    return value

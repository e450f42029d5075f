"""harrowperf: council scorecards and budgets to tidy frames, analyses, charts and reports.

Quick use::

    import harrowperf as hp
    frame = hp.read_scorecard("data/raw/corporate_scorecard_2016-17_q2.xlsx")
    hp.quality(frame)            # cells the reader could not parse, with their addresses
    hp.preview("data/raw/corporate_scorecard_2016-17_q2.xlsx", "Business")

Heavy modules (altair, statsmodels) are imported only when used, so
``import harrowperf`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import (
    BenchmarkError,
    BudgetError,
    HarrowperfError,
    ParameterError,
    RunError,
    ScorecardError,
)

__version__ = "0.1.0"

# public name -> module that defines it (imported on first use)
_LAZY = {
    # reading
    "read_scorecard": "scorecard",
    "quality": "scorecard",
    "preview": "sheet_preview",
    "read_budget": "budget_readers",
    "read_history": "trend",
    # analyses (functions)
    "assess": "rag",
    "target_gaps": "gaps",
    "exceptions": "gaps",
    "direction": "trend",
    "xmr": "spc",
    "load_scorecard": "notebook",
    "run_quarter": "run",
    "publish_executed": "run",
    "chart_html": "render",
}
# modules, for hp.gaps.summary(...), hp.budget.variance(...) and so on
_MODULES = ("rag", "gaps", "catalogue", "excel", "trend", "spc", "forecast", "synthetic", "budget",
            "budget_readers", "comparative", "benchmark", "charts", "notebook", "run", "clean", "render", "report")

__all__ = [
    "BenchmarkError",
    "BudgetError",
    "HarrowperfError",
    "ParameterError",
    "RunError",
    "ScorecardError",
    "__version__",
    *_LAZY,
    *_MODULES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY or name in _MODULES:
        module = import_module(f".{_LAZY.get(name, name)}", __name__)
        value = module if name in _MODULES else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'harrowperf' has no attribute {name!r}")

"""A quarter's headline figures for its index page: measures by RAG, exceptions, the budget gap, benchmark positions.

Every figure is computed here from the clean frames (the scorecard, the budget) and the benchmark
summaries, by the same functions the report pages use, so the index and the pages agree:

* :func:`measure_counts`: how many measures the quarter's scorecard holds, by RAG status, how many are
  below target and on the exception list; and how many measures have figures only from earlier
  quarters (the history file), which the trend report also charts. This is why the trend report can
  count more measures than the target-gap report for the same quarter.
* :func:`budget_gap`: the budget gap for the quarter's financial year, first and last published.
* :func:`benchmark_positions`: the council's quartile on each ranked benchmark measure.

Formatting is left to :mod:`harrowperf.present.format`; nothing here is text for readers except names
from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from harrowperf.analyse import budget, gaps
from harrowperf.foundation.periods import YEAR_FREQ, financial_year_label, quarter_label, to_quarter


@dataclass(frozen=True)
class MeasureCounts:
    """How many measures a quarter has, and in which state (see :func:`measure_counts`)."""

    quarter: str                 # "Q2 2016/17"
    on_scorecard: int            # measures with a row for the quarter (the target-gap report's count)
    with_figure: int             # of those, with a figure for the quarter
    rated: int                   # of those, with a RAG status (computed from the figures, else reported)
    by_status: dict[str, int]    # RAG code ("HG", "LG", "G", "A", "LR", "HR", "R") -> measures
    with_target: int             # with both a figure and a target to compare
    below_target: int            # of those, worse than target
    exceptions: int              # on the exception list (red, or reported red; see gaps.exceptions)
    earlier_only: int            # measures with figures only before the quarter (not on its scorecard)
    first_quarter: str           # the earliest quarter of any figure up to the quarter

    @property
    def all_measures(self) -> int:
        """Every measure with a figure up to the quarter: the trend report's count."""
        return self.on_scorecard + self.earlier_only


def measure_counts(frame: pd.DataFrame, quarter: str | pd.Period) -> MeasureCounts:
    """The measure counts of a quarter from a clean scorecard frame (all quarters, history included).

    A measure is *on the scorecard* for the quarter when the frame has a row for it in that quarter
    (with or without a figure); ``earlier_only`` counts the measures whose every row is earlier, such
    as figures cited in ``data/raw/history``.
    """
    data = gaps.analyse_if_needed(frame)
    period = gaps.check_quarter(data, quarter)
    rows = data[data["period"] == period]
    overall = gaps.summary(data, period).iloc[-1]
    upto = data[data["period"] <= period]
    return MeasureCounts(
        quarter=quarter_label(period), on_scorecard=int(overall["measures"]),
        with_figure=int(rows.loc[rows["actual"].notna(), "measure_id"].nunique()),
        rated=int(overall["rated"]),
        by_status={code: int(overall[code]) for code in gaps.STATUS_ORDER},
        with_target=int(overall["with_gap"]), below_target=int(overall["with_gap"] - overall["on_target"]),
        exceptions=len(gaps.exceptions(data, period)),
        earlier_only=scorecard_split(data, period)[1],
        first_quarter=quarter_label(upto["period"].min()),
    )


def scorecard_split(frame: pd.DataFrame, quarter: str | pd.Period) -> tuple[int, int]:
    """(measures with a row in the quarter, measures whose every row up to the quarter is earlier).

    The first is what the target-gap report counts for the quarter; the two together are what the trend
    report counts. Works on any scorecard frame, a theme's rows included.
    """
    period = to_quarter(quarter)
    periods = pd.PeriodIndex(frame["period"], freq=period.freq)
    on = set(frame.loc[np.asarray(periods == period), "measure_id"])
    upto = set(frame.loc[np.asarray(periods <= period), "measure_id"])
    return len(on), len(upto - on)


@dataclass(frozen=True)
class BudgetGap:
    """One year's budget gap as published: first and latest estimate (see :func:`budget_gap`)."""

    year: str                    # "2016/17"
    first: float                 # GBP; 0 is balanced (a range is its midpoint)
    first_round: str
    latest: float
    latest_round: str
    rounds: int
    is_range: bool               # the latest estimate is a range


def budget_gap(frame: pd.DataFrame, quarter: str | pd.Period) -> BudgetGap | None:
    """The budget gap for the financial year of ``quarter``, from the real figures; None when no round publishes one."""
    year = to_quarter(quarter).asfreq(YEAR_FREQ)
    by_round = budget.gap_by_round(budget.real(frame))
    rows = by_round[by_round["year"] == year]
    if rows.empty:
        return None
    first, latest = rows.iloc[0], rows.iloc[-1]
    return BudgetGap(year=financial_year_label(year), first=float(first["gap"]), first_round=str(first["round"]),
                     latest=float(latest["gap"]), latest_round=str(latest["round"]), rounds=len(rows),
                     is_range=bool(latest["is_range"]))


def benchmark_positions(summary: pd.DataFrame) -> dict[int, int]:
    """How many measures of a benchmark summary put the council in each quartile (1 = best quarter of the group).

    Measures without a rank (the publisher does not say which way is better) are not counted.
    """
    ranked = summary["quartile"].dropna().astype(int)
    return {quartile: int((ranked == quartile).sum()) for quartile in (1, 2, 3, 4)}

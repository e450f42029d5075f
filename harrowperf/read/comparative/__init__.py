"""Comparative public datasets as one tidy benchmark frame: a small reader per source, and comparator groups.

Every reader returns the same columns (:data:`COLUMNS`): area_code, area_name, measure_id, measure,
polarity, unit, period, period_label, actual, numerator, denominator, source, row, note. Columns
shared with the scorecard frame mean the same (percentages in percentage points, polarity
"higher"/"lower"/"in_range"), so trend, SPC and gap functions run on either.

    >>> from harrowperf import comparative
    >>> neet = comparative.read("dfe_nccis", "data/raw/benchmark")      # doctest: +SKIP
    >>> london = comparative.comparator_group("london_boroughs")          # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from harrowperf.read.comparative.contract import COLUMNS, PERIOD_FREQ, validate
from harrowperf.read.comparative.dfe_nccis import read_dfe_nccis
from harrowperf.read.comparative.groups import Group, comparator_group, list_groups
from harrowperf.read.comparative.lgbf import ideals, read_lgbf, read_lgbf_indicators, read_lgbf_quarterly
from harrowperf.read.comparative.oflog import read_oflog_asc
from harrowperf.read.comparative.sources import DEFAULT_DATA_DIR, SOURCES, area_attributes, read
from harrowperf.read.comparative.trafford import read_cipfa_neighbours, read_trafford

__all__ = [
    "COLUMNS", "DEFAULT_DATA_DIR", "PERIOD_FREQ", "SOURCES", "Group", "area_attributes", "comparator_group", "ideals",
    "list_groups", "noted_rows", "read", "read_cipfa_neighbours", "read_dfe_nccis", "read_lgbf",
    "read_lgbf_indicators", "read_lgbf_quarterly", "read_oflog_asc", "read_trafford", "validate",
]


def noted_rows(frame: pd.DataFrame, *, area_code: str | None = None,
               measures: list[str] | None = None) -> pd.DataFrame:
    """Rows a reader noted something about (suppressed, blank, placeholder, empty record), for the analyst.

    Public datasets mark such values row by row, so the comparative readers keep the mark in the
    frame's ``note`` column rather than in a findings table; this lists those rows. Optionally only
    one area's rows and only some measures. Columns: source, row, area_name, measure_id,
    period_label, note.
    """
    noted = frame[frame["note"].fillna("") != ""]
    if area_code is not None:
        noted = noted[noted["area_code"] == area_code]
    if measures is not None:
        noted = noted[noted["measure_id"].isin(measures)]
    return noted[["source", "row", "area_name", "measure_id", "period_label", "note"]].reset_index(drop=True)

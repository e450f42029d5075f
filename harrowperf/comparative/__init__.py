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

from pathlib import Path

import pandas as pd

from ..errors import BenchmarkError
from .contract import COLUMNS, PERIOD_FREQ, validate
from .dfe_nccis import read_dfe_nccis, read_dfe_nccis_areas
from .groups import DEFAULT_DATA_DIR, Group, comparator_group, list_groups
from .lgbf import (
    ideals,
    read_lgbf,
    read_lgbf_areas,
    read_lgbf_indicators,
    read_lgbf_quarterly,
    read_lgbf_quarterly_areas,
)
from .oflog import read_oflog_areas, read_oflog_asc
from .trafford import read_cipfa_neighbours, read_trafford

#: source name -> (path under the benchmark data folder, reader, reader of the source's area attributes)
SOURCES = {
    "dfe_nccis": ("dfe_nccis", read_dfe_nccis, read_dfe_nccis_areas),
    "oflog": ("oflog/ASC_data.csv", read_oflog_asc, read_oflog_areas),
    "lgbf": ("lgbf/LGBF_ScotDataReal_ISSpatialHub.csv", read_lgbf, read_lgbf_areas),
    "lgbf_quarterly": ("lgbf/Indicator_Data_Real_Quarterly.csv", read_lgbf_quarterly,
                       read_lgbf_quarterly_areas),
    "trafford_neet": ("trafford/neet.csv", read_trafford, None),
    "trafford_recycling": ("trafford/household_waste_recycling.csv", read_trafford, None),
}

__all__ = [
    "COLUMNS", "PERIOD_FREQ", "SOURCES", "Group", "area_attributes", "comparator_group", "ideals",
    "list_groups", "quality", "read", "read_cipfa_neighbours", "read_dfe_nccis", "read_lgbf",
    "read_lgbf_indicators", "read_lgbf_quarterly", "read_oflog_asc", "read_trafford", "validate",
]


def _located(source: str, data_dir: str | Path) -> tuple[Path, tuple]:
    if source not in SOURCES:
        raise BenchmarkError(f"no comparative source {source!r}; the sources are: {', '.join(SOURCES)}")
    entry = SOURCES[source]
    return Path(data_dir) / entry[0], entry


def read(source: str, data_dir: str | Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """Read one source by name from the benchmark data folder (default ``data/raw/benchmark``).

    Sources: dfe_nccis, oflog, lgbf, lgbf_quarterly, trafford_neet, trafford_recycling.
    """
    path, (_, reader, _) = _located(source, data_dir)
    return reader(path)


def area_attributes(source: str, data_dir: str | Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """What a source says about its areas (region, council type, family group), in long form.

    Columns: area_code, area_name, attribute, value. Used to build groups such as "region:London".
    """
    path, (_, _, areas) = _located(source, data_dir)
    if areas is None:
        raise BenchmarkError(f"source {source!r} has no area attributes to group by")
    return areas(path)


def quality(frame: pd.DataFrame, *, area_code: str | None = None,
            measures: list[str] | None = None) -> pd.DataFrame:
    """Rows a reader noted something about (suppressed, blank, placeholder, empty record), for the analyst.

    Optionally only one area's rows and only some measures. Columns: source, row, area_name,
    measure_id, period_label, note.
    """
    noted = frame[frame["note"].fillna("") != ""]
    if area_code is not None:
        noted = noted[noted["area_code"] == area_code]
    if measures is not None:
        noted = noted[noted["measure_id"].isin(measures)]
    return noted[["source", "row", "area_name", "measure_id", "period_label", "note"]].reset_index(drop=True)

"""The comparative sources by name: where each file lives under the benchmark folder and which reader reads it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from harrowperf.foundation.errors import BenchmarkError
from harrowperf.read.comparative.dfe_nccis import read_dfe_nccis, read_dfe_nccis_areas
from harrowperf.read.comparative.lgbf import read_lgbf, read_lgbf_areas, read_lgbf_quarterly, read_lgbf_quarterly_areas
from harrowperf.read.comparative.oflog import read_oflog_areas, read_oflog_asc
from harrowperf.read.comparative.trafford import read_trafford

DEFAULT_DATA_DIR = Path("data/raw/benchmark")

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

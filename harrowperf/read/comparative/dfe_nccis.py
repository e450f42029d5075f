"""Reader for the DfE NEET and participation dashboard files (one wide CSV per year, every English area)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import BenchmarkError
from harrowperf.read.comparative import contract

FORMAT = "DfE NCCIS NEET dashboard"
FILE_PATTERN = "UD_NEETNK_LA_dashboard_*.csv"
SOURCE = "dfe_nccis"

# Which columns name the area at each geographic level.
_AREA_COLUMNS = {
    "National": ("country_code", "country_name"),
    "Regional": ("region_code", "region_name"),
    "Local authority": ("new_la_code", "la_name"),
}
_IDENTITY = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
             "region_code", "region_name", "new_la_code", "la_name"]
# DfE's time_identifier -> the kind of year it names
_TIME_KINDS = {"calendar year": "calendar", "academic year": "academic", "financial year": "financial"}


def files(path: str | Path | Iterable[str | Path]) -> list[Path]:
    """The yearly files at ``path``: a file, a list of files, or a folder of ``UD_NEETNK_LA_dashboard_*``."""
    if isinstance(path, str | Path):
        path = Path(path)
        if path.is_dir():
            found = sorted(path.glob(FILE_PATTERN))
            if not found:
                raise BenchmarkError(f"no {FILE_PATTERN} files in this folder", file=str(path))
            return found
        return [path]
    return [Path(p) for p in path]


def read_dfe_nccis(path: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read DfE NEET/participation files into the benchmark frame (one row per area x measure x year).

    ``path`` is a folder (every ``UD_NEETNK_LA_dashboard_*.csv`` in it), one file or a list of files.
    Measures, their polarity and units come from ``conventions/benchmark.toml [dfe_nccis]``; values
    are already percentages. England, regional and local-authority rows are all kept (area codes
    E92..., E12..., E06-E10...). The dashboard's placeholder rows ("LA demo", "X LA") are kept with a
    blank area code and a note, so they never join a comparator group. Periods are calendar years as
    the files state (``Period("2021", "Y-DEC")``: the Dec 2020-Feb 2021 average).
    """
    frames = [_read_one(file) for file in files(path)]
    return contract.finish(pd.concat(frames, ignore_index=True))


def _read_one(path: Path) -> pd.DataFrame:
    dfe = settings().benchmark.dfe_nccis
    measures = dfe.measures
    denominators = [m.denominator for m in measures if m.denominator]
    required = _IDENTITY + [m.column for m in measures] + denominators
    raw = contract.read_csv(path, required, format_name=FORMAT)
    rows = contract.record_numbers(raw)
    file = path.name

    area_code, area_name, placeholder = _areas(raw, file, rows, dfe.placeholder_names)
    contract.check_area_codes(area_code, file=file, rows=rows, allowed=placeholder)
    placeholder_note = np.full(len(raw), "", dtype=object)
    placeholder_note[placeholder.to_numpy()] = [
        f"placeholder row in the source ('{name}', code '{code}'): not a council, so its code is "
        "blanked and it joins no comparator group"
        for name, code in zip(area_name[placeholder], area_code[placeholder].fillna(""), strict=True)]
    area_code = area_code.where(~placeholder, "")

    period, label = _periods(raw, file, rows)
    parts = []
    for measure in measures:
        values, notes = contract.numbers(raw[measure.column], file=file, rows=rows, column=measure.column)
        if measure.denominator:
            denominator, _ = contract.numbers(raw[measure.denominator], file=file, rows=rows,
                                              column=measure.denominator)
        else:
            denominator = np.nan
        parts.append(pd.DataFrame({
            "area_code": area_code, "area_name": area_name, "measure_id": measure.id,
            "measure": measure.name, "polarity": measure.polarity, "unit": measure.unit,
            "period": period, "period_label": label, "actual": values, "numerator": np.nan,
            "denominator": denominator, "source": file, "row": rows,
            "note": contract.texts(contract.join_notes(placeholder_note, notes)),
        }))
    return pd.concat(parts, ignore_index=True)


def _areas(raw: pd.DataFrame, file: str, rows: np.ndarray, placeholders: tuple[str, ...]):
    level = raw["geographic_level"].astype("string")
    unknown = ~level.isin(list(_AREA_COLUMNS))
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise BenchmarkError(f"geographic_level {level.iloc[position]!r} is not one of "
                             f"{', '.join(_AREA_COLUMNS)}", file=file, row=int(rows[position]))
    code = pd.Series(pd.NA, index=raw.index, dtype="string")
    name = pd.Series(pd.NA, index=raw.index, dtype="string")
    for value, (code_column, name_column) in _AREA_COLUMNS.items():
        at = (level == value).to_numpy()
        code[at] = raw.loc[at, code_column].astype("string")
        name[at] = raw.loc[at, name_column].astype("string")
    placeholder = name.isin(placeholders).fillna(False).astype(bool)
    return code, name.fillna(""), placeholder


def _periods(raw: pd.DataFrame, file: str, rows: np.ndarray) -> tuple[pd.Series, pd.Series]:
    kinds = raw["time_identifier"].astype("string").str.strip().str.lower().map(_TIME_KINDS)
    if kinds.isna().any():
        position = int(np.flatnonzero(kinds.isna().to_numpy())[0])
        raise BenchmarkError(f"time_identifier {raw['time_identifier'].iloc[position]!r} is not a "
                             "calendar, academic or financial year", file=file, row=int(rows[position]))
    keys = pd.Series(list(zip(raw["time_period"].astype(str), kinds, strict=True)), index=raw.index)

    def parse(key: tuple[str, str]):
        text, kind = key
        period = contract.year_period(text, kind)
        return None if period is None else (period, contract.year_label(period, kind))

    return contract.parse_periods(keys, parse, file=file, rows=rows,
                                  what="the year its time_identifier names")


def read_dfe_nccis_areas(path: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Area attributes from the files' own columns: one row per council and its ``region``.

    Columns: area_code, area_name, attribute ("region"), value ("London"). Placeholder rows are left out.
    """
    placeholders = settings().benchmark.dfe_nccis.placeholder_names
    frames = []
    for file in files(path):
        raw = contract.read_csv(file, ["geographic_level", "new_la_code", "la_name", "region_name"],
                                format_name=FORMAT)
        councils = raw[(raw["geographic_level"] == "Local authority") & ~raw["la_name"].isin(placeholders)]
        frames.append(pd.DataFrame({"area_code": councils["new_la_code"], "area_name": councils["la_name"],
                                    "attribute": "region", "value": councils["region_name"]}))
    return pd.concat(frames, ignore_index=True).drop_duplicates(["area_code", "attribute", "value"])

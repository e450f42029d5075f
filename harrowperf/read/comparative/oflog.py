"""Reader for Oflog's adult social care file (long format: one row per council x measure x year)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import BenchmarkError
from harrowperf.read.comparative import contract

FORMAT = "Oflog adult social care (ASC_data.csv)"
SOURCE = "oflog"
_COLUMNS = ["Financial year", "Local authority code", "Local authority name", "Region", "Entity_Name",
            "Measure", "Code", "Value", "rank_order"]


def read_oflog_asc(path: str | Path) -> pd.DataFrame:
    """Read Oflog's ``ASC_data.csv`` into the benchmark frame.

    Periods are financial years (``"2016-17"`` -> ``Period("2017", "Y-MAR")``). Polarity comes from
    the file's ``rank_order`` ("desc" = higher is better); measures Oflog does not rank ("None":
    requests resulting in a service, workforce turnover) get no polarity. Blank values stay as
    missing values with a note. Names and units come from ``conventions/benchmark.toml [oflog]``.
    """
    path = Path(path)
    raw = contract.read_csv(path, _COLUMNS, format_name=FORMAT)
    rows = contract.record_numbers(raw)
    file = path.name
    oflog = settings().benchmark.oflog
    catalogue = {m.code: m for m in oflog.measures}

    codes = raw["Code"].astype("string")
    contract.check_area_codes(raw["Local authority code"], file=file, rows=rows)
    polarity = _polarity(raw, codes, oflog.rank_order, file, rows)
    values, notes = contract.numbers(raw["Value"], file=file, rows=rows, column="Value")

    def parse(label: str):
        period = contract.year_period(label, "financial")
        return None if period is None else (period, contract.year_label(period, "financial"))

    period, label = contract.parse_periods(raw["Financial year"], parse, file=file, rows=rows,
                                           what="a financial year such as '2016-17'")
    unknown = ~codes.isin(list(catalogue)).to_numpy(dtype=bool, na_value=True)
    names = contract.lookup(codes, {k: m.name for k, m in catalogue.items()})
    names = np.where(unknown, raw["Measure"].astype(object).to_numpy(), names)
    units = contract.lookup(codes, {k: m.unit for k, m in catalogue.items()}, "")
    unknown_note = np.where(unknown, "measure code not in conventions/benchmark.toml [oflog]: "
                            "unit unknown", "")
    frame = pd.DataFrame({
        "area_code": raw["Local authority code"], "area_name": raw["Local authority name"],
        "measure_id": codes, "measure": contract.texts(names), "polarity": contract.texts(polarity),
        "unit": contract.texts(units),
        "period": period, "period_label": label, "actual": values, "numerator": np.nan,
        "denominator": np.nan, "source": file, "row": rows,
        "note": contract.texts(contract.join_notes(notes, unknown_note)),
    })
    return contract.finish(frame)


def _polarity(raw: pd.DataFrame, codes: pd.Series, words: Mapping[str, str], file: str,
              rows: np.ndarray) -> np.ndarray:
    """One polarity per measure code from ``rank_order`` (blank on rows whose value is blank)."""
    order = raw["rank_order"].astype("string").str.strip().str.lower()
    known = order.isna() | order.isin(list(words))
    if not known.all():
        position = int(np.flatnonzero(~known.to_numpy())[0])
        raise BenchmarkError(f"rank_order {raw['rank_order'].iloc[position]!r} is not one of "
                             f"{', '.join(words)}", file=file, row=int(rows[position]))
    per_code = pd.DataFrame({"code": codes, "order": order}).dropna().drop_duplicates()
    clash = per_code["code"].duplicated(keep=False)
    if clash.any():
        code = per_code.loc[clash, "code"].iloc[0]
        raise BenchmarkError(f"measure {code} has more than one rank_order "
                             f"({', '.join(per_code.loc[per_code['code'] == code, 'order'])})", file=file)
    mapping = {code: words[order] for code, order in per_code.itertuples(index=False)}
    return contract.lookup(codes, mapping, "")


def read_oflog_areas(path: str | Path) -> pd.DataFrame:
    """Area attributes from the file's own columns: ``region`` and ``council_type`` (Oflog's Entity_Name).

    Columns: area_code, area_name, attribute, value.
    """
    raw = contract.read_csv(Path(path), ["Local authority code", "Local authority name", "Region",
                                         "Entity_Name"], format_name=FORMAT)
    raw = raw.drop_duplicates()
    parts = [pd.DataFrame({"area_code": raw["Local authority code"], "area_name": raw["Local authority name"],
                           "attribute": attribute, "value": raw[column]})
             for attribute, column in (("region", "Region"), ("council_type", "Entity_Name"))]
    return pd.concat(parts, ignore_index=True).drop_duplicates(["area_code", "attribute", "value"])

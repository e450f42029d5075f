"""Reader for Trafford Data Lab's tidy indicator files (area, period, indicator, measure, unit, value)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.read.comparative import contract

FORMAT = "Trafford Data Lab tidy indicator"
SOURCE = "trafford"
_COLUMNS = ["area_code", "area_name", "period", "indicator", "measure", "unit", "value"]


def read_trafford(path: str | Path) -> pd.DataFrame:
    """Read one Trafford Data Lab indicator file (e.g. ``neet.csv``) into the benchmark frame.

    Indicators are matched to ``conventions/benchmark.toml [trafford]`` by (indicator, measure),
    which gives the id, polarity, unit and the kind of year the labels name: recycling by
    financial year, NEET-or-not-known by academic year ("2020/21", the same figure DfE labels
    2021), NEET by calendar year. A file can therefore hold two period frequencies; the period
    column then holds Periods of both (object dtype), one frequency per measure. An indicator not
    in the catalogue is kept, with no polarity and a note; its labels are read as financial
    ("2016/17") or calendar ("2019") years by their form.
    """
    path = Path(path)
    raw = contract.read_csv(path, _COLUMNS, format_name=FORMAT)
    rows = contract.record_numbers(raw)
    file = path.name
    catalogue = {(m.indicator, m.measure): m for m in settings().benchmark.trafford.measures}

    keys = list(zip(raw["indicator"], raw["measure"], strict=True))
    entry = pd.Series([catalogue.get(key) for key in keys], index=raw.index, dtype=object)
    known = entry.notna()
    kinds = entry.map(lambda m: m.period_kind if m else "").where(
        known, raw["period"].astype("string").str.fullmatch(r"\s*\d{4}\s*").map(
            {True: "calendar", False: "financial"}))
    period_keys = pd.Series(list(zip(raw["period"].astype(str), kinds, strict=True)), index=raw.index)

    def parse(key: tuple[str, str]):
        text, kind = key
        period = contract.year_period(text, kind)
        return None if period is None else (period, contract.year_label(period, kind))

    period, label = contract.parse_periods(period_keys, parse, file=file, rows=rows,
                                           what="the year its indicator is reported by")
    contract.check_area_codes(raw["area_code"], file=file, rows=rows)
    values, notes = contract.numbers(raw["value"], file=file, rows=rows, column="value")
    unknown_note = np.where(known.to_numpy(), "", "indicator not in conventions/benchmark.toml "
                            "[trafford]: polarity unknown, period read by the label's form")
    fallback_id = (raw["indicator"] + " " + raw["measure"]).map(_slug)
    frame = pd.DataFrame({
        "area_code": raw["area_code"], "area_name": raw["area_name"],
        "measure_id": entry.map(lambda m: m.id if m else None).fillna(fallback_id),
        "measure": entry.map(lambda m: m.name if m else None).fillna(raw["indicator"]),
        "polarity": entry.map(lambda m: m.polarity if m else ""),
        "unit": entry.map(lambda m: m.unit if m else None).fillna(raw["unit"]),
        "period": period, "period_label": label, "actual": values, "numerator": np.nan,
        "denominator": np.nan, "source": file, "row": rows,
        "note": contract.texts(contract.join_notes(notes, unknown_note)),
    })
    return contract.finish(frame)


def _slug(text: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def read_cipfa_neighbours(path: str | Path) -> pd.DataFrame:
    """Trafford's CIPFA nearest neighbours (``cipfa2019.csv``): area_code, area_name."""
    path = Path(path)
    raw = contract.read_csv(path, ["area_code", "area_name"], format_name="CIPFA nearest-neighbour list")
    contract.check_area_codes(raw["area_code"], file=path.name, rows=contract.record_numbers(raw))
    return raw

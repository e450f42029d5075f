"""SYNTHETIC scorecard frames, made up in code for tests, benchmarks and demos (never real figures).

Every frame made here follows the tidy scorecard-frame contract, and says what it is: ``source``
is "synthetic", measure names start with "Synthetic", and themes with "Synthetic theme". Nothing
here is written to ``data/raw``.

>>> frame = frame_from_values([1.0, 2.0, 3.0], polarity="higher")
>>> frame[["period_label", "actual"]].values.tolist()
[['Q1 2015/16', 1.0], ['Q2 2015/16', 2.0], ['Q3 2015/16', 3.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.ids import measure_slug
from harrowperf.foundation.periods import QUARTER_FREQ, quarter_label, to_quarter, with_period_columns
from harrowperf.foundation.schema import POLARITIES, SCORECARD_COLUMNS

SOURCE = "synthetic"
_UNITS = ("%", "count", "")


def _empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the contract columns a synthetic frame leaves empty, in the contract's order."""
    columns = SCORECARD_COLUMNS
    frame = with_period_columns(frame)
    for column in columns:
        if column not in frame.columns:
            if column in ("numerator", "denominator", "rank", "secondary"):
                frame[column] = np.nan
            else:
                frame[column] = None
    extra = [c for c in frame.columns if c not in columns]
    return frame[[*columns, *extra]]


def frame_from_values(
    values: Sequence[float],
    *,
    polarity: str = "higher",
    start: str | pd.Period = "Q1 2015/16",
    measure: str = "Synthetic measure",
    target: float | Sequence[float] | None = None,
    target_low: float | None = None,
    target_high: float | None = None,
    unit: str = "",
    theme: str = "Synthetic theme",
    area_code: str | None = None,
    periods: Sequence[str | pd.Period] | None = None,
) -> pd.DataFrame:
    """One synthetic series in the scorecard-frame contract, one row per value, quarterly from ``start``.

    ``periods`` places the values at given quarters instead (to make gaps). ``target`` is a number
    or one per value; a range (``target_low``/``target_high``) suits "in_range" measures.
    """
    n = len(values)
    if periods is None:
        first = to_quarter(start)
        quarters = pd.period_range(first, periods=n, freq=QUARTER_FREQ)
    else:
        quarters = pd.PeriodIndex([to_quarter(p) for p in periods], freq=QUARTER_FREQ)
    if target is None or np.isscalar(target):
        point = np.full(n, np.nan if target is None else float(target))
    else:
        point = np.asarray(target, dtype=float)
    low = np.full(n, np.nan if target_low is None else float(target_low))
    high = np.full(n, np.nan if target_high is None else float(target_high))
    low = np.where(np.isfinite(point), point, low)
    high = np.where(np.isfinite(point), point, high)
    frame = pd.DataFrame({
        "source": SOURCE,
        "sheet": "Synthetic",
        "theme": theme,
        "measure_ref": "1",
        "measure": measure,
        "measure_id": measure_slug(measure),
        "polarity": polarity,
        "period": quarters,
        "period_label": [quarter_label(p) for p in quarters],
        "target": point,
        "target_low": low,
        "target_high": high,
        "target_kind": np.where(np.isfinite(point), "point",
                                np.where(np.isfinite(low), "range", "none")),
        "actual": np.asarray(values, dtype=float),
        "unit": unit,
    })
    if area_code is not None:
        frame["area_code"] = area_code
    return _empty_columns(frame)


def scorecard_frame(
    n_measures: int = 12,
    n_quarters: int = 40,
    *,
    end: str | pd.Period = "Q2 2016/17",
    seed: int = 0,
    n_areas: int = 0,
    themes: int = 3,
    missing_share: float = 0.0,
) -> pd.DataFrame:
    """A synthetic scorecard frame: ``n_measures`` measures x ``n_quarters`` quarters ending at ``end``.

    Each measure has a level, noise and, at random, a shift, a trend or a one-off spike, so every
    SPC rule has something to find. Polarity is higher, lower or in range; most measures have a
    point target near their level. ``n_areas`` > 0 repeats every measure for that many areas
    (adding ``area_code``, as a benchmark frame would). ``missing_share`` blanks that share of
    the values at random.
    """
    rng = np.random.default_rng(seed)
    areas = max(n_areas, 1)
    n_series = n_measures * areas
    last = to_quarter(end)
    quarters = pd.period_range(end=last, periods=n_quarters, freq=QUARTER_FREQ)
    labels = np.array([quarter_label(p) for p in quarters], dtype=object)

    level = rng.uniform(20, 80, n_series)
    noise = level * rng.uniform(0.02, 0.08, n_series)
    t = np.arange(n_quarters)
    values = level[:, None] + noise[:, None] * rng.standard_normal((n_series, n_quarters))
    event = rng.choice(4, size=n_series, p=[0.4, 0.25, 0.2, 0.15])  # none, shift, trend, spike
    at = rng.integers(n_quarters // 4, max(n_quarters // 4 + 1, 3 * n_quarters // 4), n_series)
    sign = rng.choice([-1.0, 1.0], n_series)
    after = t[None, :] >= at[:, None]
    values += np.where((event == 1)[:, None] & after, sign[:, None] * 2.5 * noise[:, None], 0)
    values += np.where(
        (event == 2)[:, None] & after, sign[:, None] * 0.6 * noise[:, None] * (t[None, :] - at[:, None]), 0
    )
    spike = (event == 3)[:, None] & (t[None, :] == at[:, None])
    values += np.where(spike, sign[:, None] * 5 * noise[:, None], 0)
    if missing_share > 0:
        values[rng.random(values.shape) < missing_share] = np.nan

    measure_no = np.tile(np.arange(n_measures), areas)
    polarity = rng.choice(len(POLARITIES), size=n_measures, p=[0.5, 0.4, 0.1])[measure_no]
    unit = rng.choice(len(_UNITS), size=n_measures)[measure_no]
    has_target = (rng.random(n_measures) < 0.8)[measure_no]
    offset = rng.normal(0, 1.5, n_series) * noise
    target = np.where(has_target & (polarity != 2), np.round(level + offset, 1), np.nan)
    low = np.where(polarity == 2, np.round(level - 2 * noise, 1), target)
    high = np.where(polarity == 2, np.round(level + 2 * noise, 1), target)

    names = np.array([f"Synthetic measure {i + 1:04d}" for i in range(n_measures)], dtype=object)
    ids = np.array([measure_slug(name) for name in names], dtype=object)
    theme_names = np.array([f"Synthetic theme {chr(65 + i % 26)}" for i in range(themes)], dtype=object)
    theme_of = (np.arange(n_measures) % max(themes, 1))[measure_no]
    area_codes = np.array([f"S{i + 1:08d}" for i in range(areas)], dtype=object)
    area_of = np.repeat(np.arange(areas), n_measures)

    def rows(per_series: np.ndarray) -> np.ndarray:
        return np.repeat(per_series, n_quarters)

    frame = pd.DataFrame({
        "source": SOURCE,
        "sheet": "Synthetic",
        "theme": rows(theme_names[theme_of]),
        "measure_ref": rows((measure_no + 1).astype(str).astype(object)),
        "measure": rows(names[measure_no]),
        "measure_id": rows(ids[measure_no]),
        "polarity": rows(np.array(POLARITIES, dtype=object)[polarity]),
        "period": pd.PeriodIndex(np.tile(quarters, n_series), freq=QUARTER_FREQ),
        "period_label": np.tile(labels, n_series),
        "target": rows(target),
        "target_low": rows(low),
        "target_high": rows(high),
        "target_kind": rows(np.where(np.isfinite(target), "point",
                                     np.where(np.isfinite(low), "range", "none")).astype(object)),
        "actual": np.round(values, 2).ravel(),
        "unit": rows(np.array(_UNITS, dtype=object)[unit]),
    })
    if n_areas > 0:
        frame["area_code"] = rows(area_codes[area_of])
    return _empty_columns(frame)


def write_scorecard_parquet(directory: str | Path, frame: pd.DataFrame | None = None) -> Path:
    """Write a (synthetic by default) frame as ``<directory>/scorecard.parquet`` for notebook demos."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "scorecard.parquet"
    (scorecard_frame() if frame is None else frame).to_parquet(path, index=False)
    return path


def write_scorecard_workbooks(folder: str | Path, frame: pd.DataFrame) -> list[Path]:
    """Write a synthetic frame as SYNTHETIC scorecard workbooks in the council's layout, for scale tests.

    One workbook per financial year (``synthetic_scorecard_<year>.xlsx``), one sheet per theme, the
    year's quarters side by side under the two-row header (quarter over Target | Actual | RAG Status),
    each measure on one row as "<ref> <name>" with its "Good =" (Higher, Lower; an "in range"
    measure is written as Higher, with its range as the target). Percentages are written as the
    council prints them ("45.2%"), other values as numbers; RAG cells are left empty (the analysis
    computes the status). ``frame`` is a :func:`scorecard_frame` without areas. Returns the paths.
    """
    from openpyxl import Workbook

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    periods = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ)
    frame = frame.assign(synthetic_year=periods.qyear, synthetic_quarter=periods.quarter)
    polarity_words = {"higher": "Higher", "lower": "Lower", "in_range": "Higher"}

    def shown(values: np.ndarray, percent: np.ndarray, decimals: int) -> np.ndarray:
        """Cell values: "45.2%" for percentages, rounded numbers otherwise, None when missing."""
        out = np.full(values.size, None, dtype=object)
        finite = np.isfinite(values)
        numbers = finite & ~percent
        out[numbers] = np.round(values[numbers], decimals).astype(object)
        texts = finite & percent
        out[texts] = [f"{v:.1f}%" for v in values[texts]]
        return out

    paths = []
    for year, rows in frame.groupby("synthetic_year", sort=True):
        quarters = sorted(set(zip(rows["synthetic_quarter"], rows["period_label"], strict=True)))
        labels = [label for _, label in quarters]
        column = {number: i for i, (number, _) in enumerate(quarters)}
        percent = (rows["unit"].astype(object) == "%").to_numpy(dtype=bool)
        point = shown(rows["target"].to_numpy(dtype=float), percent, 1)
        low = shown(rows["target_low"].to_numpy(dtype=float), percent, 2)
        high = shown(rows["target_high"].to_numpy(dtype=float), percent, 2)
        ranged = (rows["target_kind"].astype(object) == "range").to_numpy(dtype=bool)
        point[ranged] = [f"{str(a).rstrip('%')}-{b}" for a, b in zip(low[ranged], high[ranged], strict=True)]
        actual = shown(rows["actual"].to_numpy(dtype=float), percent, 2)
        measure_codes, measure_refs = pd.factorize(rows["measure_ref"], sort=False)
        at = np.array([3 * column[q] for q in rows["synthetic_quarter"]], dtype=np.int64)
        cells = np.full((len(measure_refs), 3 * len(labels)), None, dtype=object)
        cells[measure_codes, at] = point
        cells[measure_codes, at + 1] = actual
        first = rows.drop_duplicates("measure_ref").set_index("measure_ref")
        workbook = Workbook(write_only=True)
        for theme, by_theme in first.groupby("theme", sort=True):
            sheet = workbook.create_sheet(str(theme)[:31])
            sheet.append([str(theme)])
            sheet.append([f"Corporate Scorecard {year - 1}/{year % 100:02d} (synthetic)"])
            sheet.append([])
            sheet.append(["Measure", "Good ="] + [q for label in labels for q in (label, None, None)])
            sheet.append([None, None] + ["Target", "Actual", "RAG Status"] * len(labels))
            for ref, one in by_theme.iterrows():
                sheet.append([f"{ref} {one['measure']}", polarity_words.get(str(one["polarity"]), "Higher"),
                              *cells[measure_refs.get_loc(ref)]])
        path = folder / f"synthetic_scorecard_{year - 1}-{year % 100:02d}.xlsx"
        workbook.save(path)
        paths.append(path)
    return paths


__all__ = ["SOURCE", "frame_from_values", "scorecard_frame", "write_scorecard_parquet", "write_scorecard_workbooks"]

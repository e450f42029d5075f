"""Readers for the Scottish LGBF files: annual indicator data, the quarterly series and indicator metadata."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import BenchmarkError
from harrowperf.foundation.periods import QUARTER_FREQ, parse_quarter, quarter_label
from harrowperf.read.comparative import contract

SOURCE = "lgbf"
INDICATORS_FILE = "Indicator_Information.csv"

_META_COLUMNS = ["Title", "Code", "Code_Sortable", "ReportingPeriod", "MeasureType", "NumberFormat",
                 "Ranking_Type", "Ranking_GoldilocksMidpoint"]
_ANNUAL_COLUMNS = ["Code", "LocalAuthority", "Year", "LA_IndicatorReal", "LA_Numerator_real",
                   "LA_Den_Real", "FamilyGroup"]
_QUARTERLY_COLUMNS = ["Code", "LocalAuthority", "Period", "Value", "Numerator", "Denominator",
                      "Key_CodePeriodFamilyGroupDType"]
# "2012-15": an aggregate of financial years 2012/13 to 2014/15 (satisfaction surveys, road condition)
_SPAN = re.compile(r"^\s*(\d{4})\s*-\s*(\d{2})\s*$")
_FAMILY = re.compile(r"(Family Group \d+)")
# Family-group labels of the annual file that name their scheme; "2" and "3" exist in both schemes.
_SCHEMES = {"Least Deprived": "deprivation", "Most Deprived": "deprivation", "Urban": "urban-rural",
            "Rural": "urban-rural"}


def read_lgbf_indicators(path: str | Path) -> pd.DataFrame:
    """LGBF indicator metadata, one row per indicator.

    Columns: measure_id (``"CORP09"``), code_sortable (``"CORP 09"``, as the quarterly file writes it),
    measure (title), polarity (from ``Ranking_Type``: Ascending = "lower", Descending = "higher",
    Goldilocks = "in_range"), unit, is_fraction (True when values are stored as fractions and are
    read as percentage points), ideal (the Goldilocks midpoint, in the unit of ``actual``, for
    in-range indicators; NaN otherwise), reporting_period ("Annual", "3 Year Aggregates", ...).
    """
    path = Path(path)
    raw = contract.read_csv(path, _META_COLUMNS, format_name="LGBF Indicator_Information",
                            encoding="utf-8-sig")
    lgbf = settings().benchmark.lgbf
    rows = contract.record_numbers(raw)
    # about a hundred rows: plain Python over the columns is quicker than a dozen pandas calls
    columns = {name: [None if pd.isna(v) else v for v in raw[name].tolist()] for name in _META_COLUMNS}
    polarity = [lgbf.ranking_type.get(text) for text in columns["Ranking_Type"]]
    if None in polarity:
        position = polarity.index(None)
        raise BenchmarkError(f"Ranking_Type {columns['Ranking_Type'][position]!r} is not one of "
                             f"{', '.join(lgbf.ranking_type)}", file=path.name,
                             row=int(rows[position]))
    points = set(lgbf.already_percentage_points)
    is_fraction = [bool(fmt) and "%" in str(fmt) and code not in points
                   for fmt, code in zip(columns["NumberFormat"], columns["Code"], strict=True)]
    midpoints = pd.to_numeric(pd.Series(columns["Ranking_GoldilocksMidpoint"], dtype=object),
                              errors="coerce").to_numpy("float64")
    ideal = [(m * 100 if fraction else m) if pol == "in_range" else np.nan
             for m, fraction, pol in zip(midpoints, is_fraction, polarity, strict=True)]
    text = {"dtype": "string"}
    return pd.DataFrame({
        "measure_id": pd.array(columns["Code"], **text),
        "code_sortable": pd.array(columns["Code_Sortable"], **text),
        "measure": pd.array(columns["Title"], **text), "polarity": pd.array(polarity, **text),
        "unit": pd.array([lgbf.units.get(m, "") for m in columns["MeasureType"]], **text),
        "is_fraction": np.array(is_fraction, dtype=bool), "ideal": np.array(ideal, dtype="float64"),
        "reporting_period": pd.array(columns["ReportingPeriod"], **text),
    })


def ideals(indicators: pd.DataFrame) -> dict[str, float]:
    """measure_id -> ideal value of every in-range ("Goldilocks") indicator, for :func:`benchmark.rank`."""
    known = indicators.dropna(subset=["ideal"])
    return dict(zip(known["measure_id"], known["ideal"].astype(float), strict=True))


def _indicators_for(path: Path, indicators: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    if isinstance(indicators, pd.DataFrame):
        return indicators
    return read_lgbf_indicators(indicators if indicators is not None else path.parent / INDICATORS_FILE)


def read_lgbf(path: str | Path, indicators: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the LGBF annual file (``LGBF_ScotDataReal_ISSpatialHub.csv``) into the benchmark frame.

    ``indicators`` is the metadata file (default: ``Indicator_Information.csv`` beside it) or the
    frame :func:`read_lgbf_indicators` returned. Percentage indicators stored as fractions become
    percentage points; numerators and denominators stay as the file gives them. Periods are
    financial years; aggregate labels such as ``"2012-15"`` (2012/13 to 2014/15) are placed at their
    last year and labelled "2012/13 to 2014/15". LGBF names councils without GSS codes, so
    ``area_code`` holds the LGBF council name. The file's empty last record is kept with a note.
    """
    path = Path(path)
    meta = _indicators_for(path, indicators)
    raw = contract.read_csv(path, _ANNUAL_COLUMNS, format_name="LGBF annual (ISSpatialHub)")
    rows = contract.record_numbers(raw)
    file = path.name
    empty = raw[["Code", "LocalAuthority", "Year", "LA_IndicatorReal"]].isna().all(axis=1)

    period, label = contract.parse_periods(raw["Year"], _annual_period, file=file, rows=rows,
                                           what="a financial year ('2016-17') or an aggregate of "
                                           "years ('2012-15')")
    values, notes = contract.numbers(raw["LA_IndicatorReal"], file=file, rows=rows,
                                     column="LA_IndicatorReal")
    numerator, _ = contract.numbers(raw["LA_Numerator_real"], file=file, rows=rows,
                                    column="LA_Numerator_real")
    denominator, _ = contract.numbers(raw["LA_Den_Real"], file=file, rows=rows, column="LA_Den_Real")
    notes[empty.to_numpy()] = "empty record in the source: only its row index is filled"
    frame = _assemble(raw["Code"], raw["LocalAuthority"], period,
                      label, values, numerator, denominator, notes, rows, file, meta)
    return contract.finish(frame)


def _annual_period(label: str):
    period = contract.year_period(label, "financial")
    if period is not None:
        return period, contract.year_label(period, "financial")
    span = _SPAN.match(label)
    if not span:
        return None
    first = int(span.group(1))
    last_end = (first // 100) * 100 + int(span.group(2))
    if last_end < first:  # "1998-01" crosses a century
        last_end += 100
    if last_end <= first + 1:
        return None
    last = contract.year_period(f"{last_end - 1}/{last_end % 100:02d}", "financial")
    start = contract.year_period(f"{first}/{(first + 1) % 100:02d}", "financial")
    if last is None or start is None:
        return None
    return last, (f"{contract.year_label(start, 'financial')} to "
                  f"{contract.year_label(last, 'financial')}")


def read_lgbf_quarterly(path: str | Path,
                        indicators: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the LGBF quarterly file (``Indicator_Data_Real_Quarterly.csv``) into the benchmark frame.

    Codes written "CORP 09" are matched to the metadata's ``Code_Sortable`` and reported as
    ``measure_id`` "CORP09" (the same indicator as the annual series; the period frequency, Q-MAR,
    tells them apart). Periods "2018-19;Q1" become ``Period("2018Q1"...,"Q-MAR")`` labelled
    "Q1 2018/19". Values stored as fractions become percentage points.
    """
    path = Path(path)
    meta = _indicators_for(path, indicators)
    raw = contract.read_csv(path, _QUARTERLY_COLUMNS, format_name="LGBF quarterly", encoding="utf-8-sig")
    rows = contract.record_numbers(raw)
    file = path.name

    def parse(label: str):
        period = parse_quarter(label)
        return None if period is None else (period, quarter_label(period))

    period, label = contract.parse_periods(raw["Period"], parse, file=file, rows=rows,
                                           what="a financial quarter such as '2018-19;Q1'")
    values, notes = contract.numbers(raw["Value"], file=file, rows=rows, column="Value")
    numerator, _ = contract.numbers(raw["Numerator"], file=file, rows=rows, column="Numerator")
    denominator, _ = contract.numbers(raw["Denominator"], file=file, rows=rows, column="Denominator")
    sortable = dict(zip(meta["code_sortable"], meta["measure_id"], strict=True))
    codes = raw["Code"].astype(object)
    matched = contract.lookup(codes, sortable)
    codes = pd.Series(np.where(pd.isna(matched), codes.to_numpy(), matched), index=raw.index)
    frame = _assemble(codes, raw["LocalAuthority"], period.astype(f"period[{QUARTER_FREQ}]"),
                      label, values, numerator, denominator, notes, rows, file, meta)
    return contract.finish(frame)


def _assemble(codes, councils, period, label, values, numerator, denominator, notes, rows, file,
              meta: pd.DataFrame) -> pd.DataFrame:
    """Join metadata onto the rows by code (once per distinct code) and convert fractions to points."""
    info = meta.set_index("measure_id")
    keys = contract.Keys(codes)
    known = keys.map(dict.fromkeys(info.index, True), False).astype(bool)
    unknown = ~known & (keys.index >= 0)
    unknown_note = (np.where(unknown, "indicator not in Indicator_Information.csv: polarity and unit "
                             "unknown", "") if unknown.any() else "")
    is_fraction = keys.map(info["is_fraction"].to_dict(), False).astype(bool)
    councils = councils.astype("string")
    return pd.DataFrame({
        "area_code": councils, "area_name": councils, "measure_id": codes.astype("string"),
        "measure": keys.map(info["measure"].to_dict(), text=True),
        "polarity": keys.map(info["polarity"].to_dict(), text=True),
        "unit": keys.map(info["unit"].to_dict(), text=True),
        "period": period, "period_label": label,
        "actual": contract.percentage_points(values, pd.Series(is_fraction, index=values.index)),
        "numerator": numerator, "denominator": denominator,
        "source": contract.constant_text(file, codes.index), "row": rows,
        "note": contract.texts(contract.join_notes(notes, unknown_note)),
    })


def read_lgbf_areas(path: str | Path) -> pd.DataFrame:
    """Family groups from the annual file's own ``FamilyGroup`` column.

    One row per council and family group (each council is in one deprivation group and one
    urban/rural group). Columns: area_code, area_name, attribute ("family_group"), value
    ("Most Deprived", "deprivation 2", "urban-rural 3", "Rural", ...): the ambiguous labels "2" and
    "3" are named with the scheme of the indicator they came from.
    """
    raw = contract.read_csv(Path(path), ["Code", "LocalAuthority", "FamilyGroup"],
                            format_name="LGBF annual (ISSpatialHub)").dropna()
    scheme = raw.groupby("Code")["FamilyGroup"].agg(
        lambda groups: next((_SCHEMES[g] for g in groups if g in _SCHEMES), ""))
    pairs = raw.drop_duplicates(["Code", "LocalAuthority", "FamilyGroup"])
    named = pairs["FamilyGroup"].where(pairs["FamilyGroup"].isin(list(_SCHEMES)),
                                       pairs["Code"].map(scheme) + " " + pairs["FamilyGroup"])
    return (pd.DataFrame({"area_code": pairs["LocalAuthority"], "area_name": pairs["LocalAuthority"],
                          "attribute": "family_group", "value": named.str.strip()})
            .drop_duplicates().reset_index(drop=True))


def read_lgbf_quarterly_areas(path: str | Path) -> pd.DataFrame:
    """Family groups as the quarterly file names them ("Family Group 1" ... "Family Group 4")."""
    raw = contract.read_csv(Path(path), ["LocalAuthority", "Key_CodePeriodFamilyGroupDType"],
                            format_name="LGBF quarterly", encoding="utf-8-sig")
    family = raw["Key_CodePeriodFamilyGroupDType"].astype("string").str.extract(_FAMILY)[0]
    return (pd.DataFrame({"area_code": raw["LocalAuthority"], "area_name": raw["LocalAuthority"],
                          "attribute": "family_group", "value": family})
            .dropna().drop_duplicates().reset_index(drop=True))

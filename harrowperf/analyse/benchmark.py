"""Benchmarking: rank a council among comparators (1 = best), with quartiles, medians, gaps and rank change.

    >>> import harrowperf as hp
    >>> neet = hp.comparative.read("dfe_nccis")                                   # doctest: +SKIP
    >>> ranked = hp.benchmark.rank(neet, "london_boroughs")                       # doctest: +SKIP
    >>> hp.benchmark.summary(ranked, "Harrow", measures=["neet_16_17"])           # doctest: +SKIP
    >>> hp.benchmark.check_rank_target(14, "12th to 20th in London").status
    'met'
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import PolarityWords, settings
from harrowperf.foundation.errors import BenchmarkError, ParameterError
from harrowperf.read.comparative.groups import DEFAULT_DATA_DIR, DEFAULT_USER_FILE, Group, comparator_group
from harrowperf.read.values import parse_value

KEYS = ["measure_id", "period"]

#: Columns :func:`rank` adds to the benchmark frame.
RANK_COLUMNS = [
    "group",                 # group key ("london_boroughs")
    "group_label",           # "London boroughs"
    "group_noun",            # finishes "ranks 5th of 32 ...": "London boroughs"
    "group_size",            # members of the group with a row for this measure and period
    "rank",                  # 1 = best by polarity; tied values share the best rank of their block
    "rank_of",               # members with a value (the ones ranked): "5th of 32"
    "tied",                  # True when another member has exactly the same value
    "quartile",              # 1 = best quarter ... 4 = worst: ceil(4 * rank / rank_of)
    "group_median",          # median of members' values
    "group_mean",            # mean of members' values
    "best_quartile_value",   # value of the weakest member still in the best quarter
    "gap_to_median",         # actual - group_median (in the measure's unit)
    "gap_to_best_quartile",  # actual - best_quartile_value; in-range measures: distance from ideal beyond it
    "previous_period",       # the measure's previous period in the data
    "previous_rank",         # rank in that period (NaN if not ranked then)
    "rank_change",           # previous_rank - rank: positive = moved up the table
    "rank_basis",            # "lower is better", "closest to 100 is best", "not ranked: ..."
]


def rank(frame: pd.DataFrame, group: str | Group | Iterable[str], *,
         ideal: float | Mapping[str, float] | None = None, data_dir: str | Path = DEFAULT_DATA_DIR,
         user_file: str | Path | None = DEFAULT_USER_FILE) -> pd.DataFrame:
    """Rank every group member on every measure and period of a benchmark frame (vectorised).

    Returns a new frame: the rows of ``frame`` whose area is in ``group`` with the columns
    :data:`RANK_COLUMNS` added. Rank 1 is the best value by the row's polarity ("higher" or
    "lower"); for "in_range" measures it is the value closest to ``ideal`` (a number, or a mapping
    measure_id -> number such as :func:`harrowperf.read.comparative.ideals` gives for LGBF). Ties share
    the best rank of their block (method "min": 1, 2, 2, 4) and are flagged in ``tied``. Measures
    without a polarity are not ranked but still get the group median and mean. Missing values are
    not ranked and do not count in ``rank_of``.

    Raises :class:`BenchmarkError` if an area has two rows for one measure and period, or an
    in-range measure has no ideal value.
    """
    chosen = comparator_group(group, data_dir=data_dir, user_file=user_file)
    work = frame.loc[chosen.select(frame["area_code"])].reset_index(drop=True)
    if work.empty:
        raise BenchmarkError(f"none of the {chosen.noun} ({chosen.key}) are in this data; check the "
                             "group suits the source (LGBF uses council names, English sources GSS codes)")
    _check_unique(work)
    conventions = settings().benchmark
    quartiles = conventions.ranking.quartiles

    polarity = _polarity_array(work["polarity"])
    actual = work["actual"].to_numpy("float64")
    target = _ideal_values(work, polarity, ideal)
    score = np.select([polarity == "higher", polarity == "lower", polarity == "in_range"],
                      [-actual, actual, np.abs(actual - target)], np.nan)
    grouped = work.groupby(KEYS, sort=False, observed=True, dropna=True)
    gid = grouped.ngroup().to_numpy()          # one integer per measure and period (-1: no period)
    by_group = pd.Series(score).groupby(gid)
    rank = np.array(by_group.rank(method=conventions.ranking.tie_method), dtype="float64")
    rank_of = np.array(work["actual"].groupby(gid).transform("count"), dtype="float64")
    outside = gid < 0                          # rows without a period are in no comparison
    rank[outside] = np.nan
    rank_of[outside] = np.nan
    median = np.array(work["actual"].groupby(gid).transform("median"), dtype="float64")
    median[outside] = np.nan
    mean = np.array(work["actual"].groupby(gid).transform("mean"), dtype="float64")
    mean[outside] = np.nan
    best_value, best_score = _best_quartile(gid, score, actual, rank_of, quartiles)
    previous_gid, group_periods = _previous_groups(work, gid)
    previous_rank = _previous_rank(work["area_code"], gid, previous_gid, rank)

    added = {
        "group": chosen.key, "group_label": chosen.label, "group_noun": chosen.noun,
        "group_size": np.where(outside, np.nan, pd.Series(gid).groupby(gid).transform("size")),
        "rank": rank, "rank_of": rank_of,
        "tied": ~np.isnan(score) & pd.DataFrame({"g": gid, "s": score}).duplicated(keep=False).to_numpy(),
        "quartile": np.ceil(quartiles * rank / rank_of),
        "group_median": median, "group_mean": mean, "best_quartile_value": best_value,
        "gap_to_median": actual - median,
        "gap_to_best_quartile": np.where(polarity == "in_range", score - best_score, actual - best_value),
        "previous_period": _take_periods(group_periods, np.where(gid >= 0, previous_gid[gid], -1)),
        "previous_rank": previous_rank, "rank_change": previous_rank - rank,
        "rank_basis": _rank_basis(polarity, target, conventions.polarity_words),
    }
    for name, values in added.items():
        work[name] = values.array if isinstance(values, pd.Series) else values
    # sort by measure, period, rank, name: integer sort keys (factorised in sorted order) are fast
    order = np.lexsort((pd.factorize(work["area_name"], sort=True)[0], np.nan_to_num(rank, nan=np.inf),
                        _period_end(work["period"]).to_numpy(),
                        pd.factorize(work["measure_id"], sort=True)[0]))
    return work.take(order).reset_index(drop=True)


def _best_quartile(gid: np.ndarray, score: np.ndarray, actual: np.ndarray, rank_of: np.ndarray,
                   quartiles: int) -> tuple[np.ndarray, np.ndarray]:
    """Value and score of the member at position max(1, floor(rank_of / 4)) of each group."""
    groups = int(gid.max()) + 1 if len(gid) else 0
    best_value = np.full(groups, np.nan)
    best_score = np.full(groups, np.nan)
    usable = np.flatnonzero((gid >= 0) & ~np.isnan(score))
    if len(usable):
        order = usable[np.lexsort((score[usable], gid[usable]))]
        sorted_gid = gid[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_gid)) + 1]
        first_of = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        position = np.arange(len(order)) - first_of + 1
        cut = np.maximum(1, np.floor(rank_of[order] / quartiles))
        at_cut = order[position == cut]
        best_value[gid[at_cut]] = actual[at_cut]
        best_score[gid[at_cut]] = score[at_cut]
    inside = gid >= 0
    values = np.full(len(gid), np.nan)
    scores = np.full(len(gid), np.nan)
    values[inside] = best_value[gid[inside]]
    scores[inside] = best_score[gid[inside]]
    return values, scores


def _previous_groups(work: pd.DataFrame, gid: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """For each group (measure, period): the group of the same measure's previous period, or -1."""
    groups = int(gid.max()) + 1 if len(gid) else 0
    first_rows = pd.Series(np.arange(len(gid))).groupby(gid).first()
    first_rows = first_rows[first_rows.index >= 0]
    table = work.loc[first_rows.to_numpy(), KEYS].reset_index(drop=True)
    table["gid"] = first_rows.index.to_numpy()
    table["_end"] = _period_end(table["period"]).to_numpy()
    table = table.sort_values(["measure_id", "_end"], kind="stable")
    previous = table.groupby("measure_id", sort=False)["gid"].shift().fillna(-1).astype(int)
    previous_gid = np.full(groups, -1)
    previous_gid[table["gid"].to_numpy()] = previous.to_numpy()
    periods = table.set_index("gid")["period"].sort_index()
    return previous_gid, periods


def _take_periods(periods: pd.Series, positions: np.ndarray) -> pd.Series:
    """The period of each row's previous group (NaT where there is none), without boxing Periods."""
    taken = periods.reindex(range(len(periods.index) and int(periods.index.max()) + 1))
    return pd.Series(taken.array.take(positions, allow_fill=True))


def _previous_rank(codes: pd.Series, gid: np.ndarray, previous_gid: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Rank of the same area in its measure's previous period (NaN when not ranked then)."""
    area, _ = pd.factorize(codes)
    groups = len(previous_gid) + 1
    here = pd.Index(area.astype(np.int64) * groups + gid)
    wanted_gid = np.where(gid >= 0, previous_gid[np.maximum(gid, 0)], -1)
    wanted = area.astype(np.int64) * groups + wanted_gid
    found = here.get_indexer(wanted)
    result = np.where(found >= 0, rank[np.maximum(found, 0)], np.nan)
    result[(wanted_gid < 0) | (gid < 0)] = np.nan
    return result


def _check_unique(work: pd.DataFrame) -> None:
    twice = work.duplicated(["area_code", *KEYS], keep=False) & work["area_code"].notna()
    if twice.any():
        first = work.loc[twice].iloc[0]
        rows = work.loc[twice & (work["area_code"] == first["area_code"])
                        & (work["measure_id"] == first["measure_id"]), ["source", "row"]]
        where = ", ".join(f"{s} row {r}" for s, r in rows.itertuples(index=False))
        raise BenchmarkError(f"{first['area_name']} ({first['area_code']}) has more than one value for "
                             f"{first['measure_id']} in {first['period_label']} ({where}); rank one "
                             "source at a time")


def _ideal_values(work: pd.DataFrame, polarity: np.ndarray, ideal) -> np.ndarray:
    if isinstance(ideal, Mapping):
        values = work["measure_id"].map(dict(ideal)).astype("float64")
    else:
        values = pd.Series(np.nan if ideal is None else float(ideal), index=work.index)
    lacking = (polarity == "in_range") & values.isna().to_numpy()
    if lacking.any():
        measures = ", ".join(sorted(work.loc[lacking, "measure_id"].astype(str).unique()))
        raise BenchmarkError(f"in-range measure(s) {measures} need an ideal value to rank against: pass "
                             "ideal=<number> or ideal={measure_id: number} (for LGBF: "
                             "harrowperf.read.comparative.ideals(read_lgbf_indicators(...)))")
    return values.to_numpy("float64")


def _period_end(periods: pd.Series) -> pd.Series:
    """End timestamp of each period (works for one Period dtype or mixed frequencies)."""
    if isinstance(periods.dtype, pd.PeriodDtype):
        return periods.dt.end_time
    return periods.map(lambda p: p.end_time if isinstance(p, pd.Period) else pd.NaT)


def _polarity_array(polarity: pd.Series) -> np.ndarray:
    """Polarity as a numpy array of str ("" where missing), built from its few distinct values."""
    index, uniques = pd.factorize(polarity)
    table = np.array([str(u) for u in uniques] + [""], dtype="U8")
    return table[np.where(index < 0, len(uniques), index)]


def _rank_basis(polarity: np.ndarray, target: np.ndarray, words: PolarityWords) -> pd.Series:
    basis = np.full(len(polarity), words.none, dtype=object)
    basis[polarity == "higher"] = words.higher
    basis[polarity == "lower"] = words.lower
    in_range = polarity == "in_range"
    if in_range.any():
        basis[in_range] = [words.in_range.format(ideal=f"{value:g}") for value in target[in_range]]
    index, uniques = pd.factorize(basis)
    return pd.Series(pd.array(list(uniques), dtype="string").take(index))


# ---------------------------------------------------------------------------------------------------
# A council's position


def find_council(frame: pd.DataFrame, council: str) -> tuple[str, str]:
    """(area_code, area_name) of a council given by code or name (case-insensitive).

    Raises :class:`ParameterError` naming close matches when it is not in the frame.
    """
    areas = frame[["area_code", "area_name"]].dropna().drop_duplicates("area_code")
    text = str(council).strip()
    hit = areas[areas["area_code"] == text]
    if hit.empty:
        hit = areas[areas["area_name"].str.casefold() == text.casefold()]
    if hit.empty:
        close = difflib.get_close_matches(text, list(areas["area_name"]), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ParameterError(f"council {council!r} is not in the data (give its name or area code){hint}")
    return str(hit["area_code"].iloc[0]), str(hit["area_name"].iloc[0])


@dataclass(frozen=True)
class BenchmarkChoice:
    """The benchmark notebook's checked parameters: the council (code and name), the measures, the
    period (None for each measure's latest) and the comparator group (None for none)."""

    area_code: str
    area_name: str
    measures: tuple[str, ...]
    period: str | pd.Period | None
    group: Group | None


def check_parameters(frame: pd.DataFrame, *, council: str, measures: Iterable[str] | None = None,
                     period: str | pd.Period | None = None, group: str | Group | None = None,
                     data_dir: str | Path = DEFAULT_DATA_DIR,
                     user_file: str | Path | None = DEFAULT_USER_FILE) -> BenchmarkChoice:
    """Check notebook parameters against a benchmark frame; return them resolved as a :class:`BenchmarkChoice`.
 Raises :class:`ParameterError` with a plain message listing what is
    available when a council, measure, period or group is unknown, or the council is not in the group.
    """
    code, name = find_council(frame, council)
    chosen_group = None
    if group is not None:
        try:
            chosen_group = comparator_group(group, data_dir=data_dir, user_file=user_file)
        except BenchmarkError as exc:
            raise ParameterError(str(exc)) from None
        if not chosen_group.select(pd.Series([code])).iloc[0]:
            raise ParameterError(f"{name} is not one of the {chosen_group.noun}; choose a group it belongs "
                                 "to (see harrowperf.read.comparative.list_groups())")
    known = list(dict.fromkeys(frame["measure_id"].dropna()))
    chosen = list(measures) if measures is not None else known
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise ParameterError(f"measure(s) {', '.join(unknown)} are not in the data; the measures are: "
                             f"{', '.join(known)}")
    if period is not None and period_mask(frame, period).sum() == 0:
        labels = list(dict.fromkeys(frame.loc[frame["measure_id"].isin(chosen), "period_label"]))
        raise ParameterError(f"period {str(period)!r} is not in the data; the periods are: "
                             f"{', '.join(labels)}")
    return BenchmarkChoice(code, name, tuple(chosen), period, chosen_group)


def period_mask(frame: pd.DataFrame, period: str | pd.Period) -> pd.Series:
    """True for rows of ``period``, given as a Period or as its label ("2025", "2022/23", "Q1 2018/19")."""
    if isinstance(period, pd.Period):
        return frame["period"].map(lambda p: p == period).astype(bool)
    return frame["period_label"] == str(period)


def summary(ranked: pd.DataFrame, council: str, *, measures: Iterable[str] | None = None,
            period: str | pd.Period | None = None) -> pd.DataFrame:
    """One row per measure: the council's value, rank, quartile, group median and gaps.

    ``ranked`` is what :func:`rank` returned. ``period`` (a label such as "2025" or "2022/23", or a
    Period) defaults to each measure's latest period.
    :func:`harrowperf.present.words.benchmark_headlines` says each row in a sentence and
    :func:`harrowperf.present.tables.benchmark` makes the table for readers.
    """
    checked = check_parameters(ranked, council=council, measures=measures, period=period)
    rows = ranked[(ranked["area_code"] == checked.area_code) & ranked["measure_id"].isin(checked.measures)]
    if period is not None:
        rows = rows[period_mask(rows, period)]
    else:
        rows = rows.assign(_end=_period_end(rows["period"]))
        rows = rows.sort_values("_end").groupby("measure_id", sort=False).tail(1).drop(columns="_end")
    order = {m: i for i, m in enumerate(checked.measures)}
    return rows.sort_values("measure_id", key=lambda s: s.map(order)).reset_index(drop=True)


def ranked_measures(summary_frame: pd.DataFrame) -> list[str]:
    """The measures of a :func:`summary` on which the council is ranked, in its order (the ones to chart).

    Raises :class:`ParameterError` when the council is ranked on none of them.
    """
    ranked = summary_frame.loc[summary_frame["rank"].notna(), "measure_id"]
    if ranked.empty:
        raise ParameterError("the council is not ranked on any of these measures (none has a rank)")
    return list(dict.fromkeys(ranked.astype(str)))


def first_ranked(summary_frame: pd.DataFrame) -> str:
    """The first measure of a :func:`summary` on which the council is ranked (see :func:`ranked_measures`)."""
    return ranked_measures(summary_frame)[0]


def council_series(frame: pd.DataFrame, council: str, measure_id: str) -> pd.DataFrame:
    """One council's rows of one measure, in time order (e.g. a long series for SPC).

    Raises :class:`ParameterError` naming the measures the council has when it has no such series.
    """
    code, name = find_council(frame, council)
    rows = frame[(frame["area_code"] == code) & (frame["measure_id"] == measure_id) & frame["period"].notna()]
    if rows.empty:
        have = sorted(frame.loc[frame["area_code"] == code, "measure_id"].dropna().unique())
        raise ParameterError(f"{name} has no series {measure_id!r}; its measures are: {', '.join(have)}")
    order = np.argsort(_period_end(rows["period"]).to_numpy(), kind="stable")
    return rows.take(order).reset_index(drop=True)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# ---------------------------------------------------------------------------------------------------
# Rank-range targets ("12th to 20th in London")


@dataclass(frozen=True)
class RankCheck:
    """The result of checking a rank against a rank-range target.

    ``status`` is "met" (inside the range), "exceeded" (better than its best end), "missed" (worse
    than its worst end) or "no rank"; ``met`` is True for met or exceeded. ``places_outside`` is how
    many places beyond the range the rank is (0 inside; positive = below the range, negative = above).
    :func:`harrowperf.present.words.rank_target` says it in words.
    """

    rank: float
    low: int
    high: int
    group_text: str
    status: str
    met: bool | None
    places_outside: float


def parse_rank_target(target: str | tuple[int, int]) -> tuple[int, int, str]:
    """(best rank, worst rank, group text) from "12th to 20th in London" or (12, 20).

    The text is read by the scorecard value grammar (:func:`harrowperf.read.values.parse_value`).
    Raises :class:`BenchmarkError` when it is not a rank range.
    """
    if isinstance(target, tuple):
        low, high = sorted(int(v) for v in target)
        return low, high, ""
    parsed = parse_value(str(target))
    if parsed.kind != "rank_range":
        raise BenchmarkError(f"target {target!r} is not a rank range such as '12th to 20th in London'")
    return int(parsed.low), int(parsed.high), parsed.note


def check_rank_target(rank: float, target: str | tuple[int, int]) -> RankCheck:
    """Check one rank against a rank-range target: ``check_rank_target(14, "12th to 20th in London")``.

    1 is the best rank; ranking better than the range's best end counts as met ("exceeded").
    """
    low, high, group_text = parse_rank_target(target)
    if _missing(rank):
        return RankCheck(np.nan, low, high, group_text, "no rank", None, np.nan)
    if rank < low:
        return RankCheck(rank, low, high, group_text, "exceeded", True, rank - low)
    if rank > high:
        return RankCheck(rank, low, high, group_text, "missed", False, rank - high)
    return RankCheck(rank, low, high, group_text, "met", True, 0.0)


def check_rank_targets(ranked: pd.DataFrame, target: str | tuple[int, int]) -> pd.DataFrame:
    """Vectorised :func:`check_rank_target`: adds target_low, target_high, target_status to a ranked frame."""
    low, high, _ = parse_rank_target(target)
    ranks = ranked["rank"]
    status = np.select([ranks.isna(), ranks < low, ranks > high], ["no rank", "exceeded", "missed"], "met")
    return ranked.assign(target_low=float(low), target_high=float(high), target_status=status)


# ---------------------------------------------------------------------------------------------------
# Group statistics for charts and tables


def group_statistics(ranked: pd.DataFrame) -> pd.DataFrame:
    """Per measure and period: the group's count of values, minimum, lower quartile, median, mean,
    upper quartile and maximum (vectorised). Columns: measure_id, measure, unit, period,
    period_label, values, minimum, lower_quartile, median, mean, upper_quartile, maximum.
    """
    keys = [*KEYS, "measure", "unit", "period_label"]
    grouped = ranked.groupby(keys, sort=False, observed=True, dropna=False)["actual"]
    stats = pd.DataFrame({
        "values": grouped.count(), "minimum": grouped.min(), "lower_quartile": grouped.quantile(0.25),
        "median": grouped.median(), "mean": grouped.mean(), "upper_quartile": grouped.quantile(0.75),
        "maximum": grouped.max(),
    }).reset_index()
    stats = stats[stats["period"].notna()]
    order = stats.assign(_end=_period_end(stats["period"])).sort_values(["measure_id", "_end"]).index
    return stats.loc[order].reset_index(drop=True)


def quartile_bands(ranked: pd.DataFrame, measure_id: str, period: str | pd.Period) -> pd.DataFrame:
    """The value range each quarter of the group covers, for one measure and period.

    Columns: quartile (1 = best), label ("best quarter" ...), low, high, members. Neighbouring bands
    meet half-way between the last value of one quarter and the first of the next. Empty for
    measures that are not ranked or are ranked by distance from an ideal (their quarters are not
    one range of values).
    """
    rows = ranked[(ranked["measure_id"] == measure_id) & period_mask(ranked, period)
                  & ranked["quartile"].notna()]
    if rows.empty or (rows["polarity"] == "in_range").any():
        return pd.DataFrame(columns=["quartile", "label", "low", "high", "members"])
    words = settings().benchmark.quartile_words
    bands = (rows.groupby("quartile")["actual"].agg(low="min", high="max", members="count")
             .reset_index().sort_values("low").reset_index(drop=True))
    edges = (bands["high"].to_numpy()[:-1] + bands["low"].to_numpy()[1:]) / 2
    bands.loc[1:, "low"] = edges
    bands.loc[: len(bands) - 2, "high"] = edges
    bands["quartile"] = bands["quartile"].astype(int)
    bands["label"] = bands["quartile"].map(lambda q: words[str(q)])
    bands = bands[["quartile", "label", "low", "high", "members"]]
    return bands.sort_values("quartile").reset_index(drop=True)

"""RAG status: computing the status from target, actual and polarity.

The council's five-point scale (``conventions/rag.toml`` ``[bands]``): with d the relative
deviation from target, signed so that positive is better, HG when d >= 5%, LG when 0 <= d < 5%,
A when -5% < d < 0, LR when -10% <= d <= -5% and HR when d < -10%. Inside a target range the
status is G; outside it the distance to the nearer bound is banded as above. Rank ranges
("12th to 20th in London") use the rank; "Year on year reduction" compares with the same
quarter's figure a year earlier. Where a status cannot be computed (no target, a target of 0, no
actual, an annual target before Q4...) it is left missing and ``rag_note`` says why.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from harrowperf.foundation.conventions import RagBands, settings, with_overrides
from harrowperf.foundation.findings import findings_table
from harrowperf.foundation.periods import quarter_label
from harrowperf.foundation.schema import FIVE_POINT_SCALE

# ---------------------------------------------------------------------------
# Computing the status from target, actual and polarity
# ---------------------------------------------------------------------------

SCALE = list(FIVE_POINT_SCALE)  # the five-point scale, worst first
_ZERO_NOTE = "target is 0: the relative bands are undefined (the gap is still given)"
COMPARISON_COLUMNS = ["rag_basis", "rag_value", "rag_reference", "rag_gap", "rag_deviation", "rag_inside",
                      "rag_note"]
ASSESS_COLUMNS = ["rag_computed", "rag_agrees", "rag_colour_agrees", *COMPARISON_COLUMNS]
AGREEMENT_COLUMNS = ["theme", "measure_ref", "measure", "measure_id", "period_label", "target_text",
                     "actual_text", "rag", "rag_computed", "rag_deviation", "outcome", "explanation_kind",
                     "explanation", "cell_rag"]
OUTCOMES = ["exact", "same colour", "different colour", "not assessable"]


def classify(deviation: ArrayLike, inside: ArrayLike | None = None,
             bands: RagBands | None = None) -> np.ndarray:
    """Band relative deviations (positive = better than target) into HG/LG/A/LR/HR; G where ``inside``.

    HG when d >= hg_from; LG when lg_from <= d < hg_from; A when amber_above < d < lg_from;
    LR when lr_from <= d <= amber_above; HR when d < lr_from. NaN gives None. ``bands`` defaults
    to ``settings().rag.bands`` (``conventions/rag.toml`` ``[bands]``).

    >>> classify([0.05, 0.0, -0.05, -0.1, -0.11]).tolist()
    ['HG', 'LG', 'LR', 'LR', 'HR']
    """
    chosen = bands or settings().rag.bands
    decimals = settings().target_gap.assessment.deviation_decimals
    d = np.round(np.asarray(deviation, dtype="float64"), decimals)
    inside_ = np.zeros(d.shape, dtype=bool) if inside is None else np.asarray(inside, dtype=bool)
    with np.errstate(invalid="ignore"):
        codes = np.select(
            [inside_, np.isnan(d), d >= chosen.hg_from, d >= chosen.lg_from, d > chosen.amber_above,
             d >= chosen.lr_from],
            ["G", "", "HG", "LG", "A", "LR"], default="HR")
    return np.where(codes == "", None, codes).astype(object)


def _finite(column: pd.Series) -> np.ndarray:
    """A column as floats with infinities read as missing: an infinite figure is never assessable."""
    values = column.to_numpy(dtype="float64", na_value=np.nan).copy()
    values[~np.isfinite(values)] = np.nan
    return values


def compare(frame: pd.DataFrame) -> pd.DataFrame:
    """What each observation's actual is compared with, and how far it is from it.

    Returns a frame on ``frame``'s index with the columns of :data:`COMPARISON_COLUMNS`:
    ``rag_basis`` (point, annual, range, rank range, year on year), ``rag_value`` (the actual, or
    the rank for a rank range), ``rag_reference`` (the target, the nearer bound of a range, or the
    same quarter's actual a year earlier), ``rag_gap`` (value minus reference, signed so that
    positive is better; 0 inside a range), ``rag_deviation`` (gap / |reference|, NaN when the
    reference is 0), ``rag_inside`` (inside a target range) and ``rag_note`` (why the status cannot
    be computed, else missing). Pure: no row is dropped, nothing is divided by zero.
    """
    kind = frame["target_kind"].astype(object).to_numpy()
    polarity = frame["polarity"].astype(object).to_numpy()
    actual = _finite(frame["actual"])
    rank = _finite(frame["rank"])
    low = _finite(frame["target_low"])
    high = _finite(frame["target_high"])
    target = _finite(frame["target"])
    quarter = frame["period"].dt.quarter.to_numpy()

    is_point = kind == "point"
    is_annual = kind == "annual"
    is_range = kind == "range"
    is_rank = kind == "rank_range"
    is_yoy = kind == "yoy_reduction"

    previous, previous_note = _previous_year(frame, is_yoy)
    low = np.where(is_point | is_annual, target, low)
    high = np.where(is_point | is_annual, target, high)
    low = np.where(is_yoy, previous, low)
    high = np.where(is_yoy, previous, high)
    value = np.where(is_rank, rank, actual)
    # +1: higher is better, -1: lower is better, 0: inside a range is best (both sides bad).
    sign = np.select([polarity == "higher", polarity == "lower", polarity == "in_range"], [1.0, -1.0, 0.0],
                     default=np.nan)
    sign = np.where(is_rank, -1.0, sign)  # 1st in London is the best rank, whatever the measure's polarity

    # huge finite figures may overflow to inf in the division; the result is still a clear status
    with np.errstate(invalid="ignore", over="ignore"):
        below = value < low
        above = value > high
        inside = ~below & ~above & ~np.isnan(value) & ~np.isnan(low) & ~np.isnan(high)
        nearer = np.where(below, low, np.where(above, high, np.where(is_range | is_rank, np.nan, low)))
        offset = value - nearer
        gap = np.where(sign == 0, -np.abs(offset), sign * offset)
        gap = np.where(inside & (is_range | is_rank | (sign == 0)), 0.0, gap)
        divisor = np.abs(nearer)
        deviation = np.where(divisor > 0, gap / np.where(divisor > 0, divisor, 1.0), np.nan)
        deviation = np.where(inside & (is_range | is_rank | (sign == 0)), 0.0, deviation)
    inside_range = inside & (is_range | is_rank | (sign == 0))
    reference = np.where(inside_range, np.nan, nearer)

    annual_quarter = settings().target_gap.assessment.annual_target_quarter
    zero_reference = ~inside_range & (divisor == 0)
    notes = pd.Series(None, index=frame.index, dtype=object)
    # The first reason that applies is the one given.
    for condition, message in (
        (np.isnan(sign), "no 'Good =' direction, so better and worse are not known"),
        (kind == "none", "no target"),
        (kind == "baseline", "baseline year: the figure sets the target, it is not assessed"),
        (is_annual & (quarter != annual_quarter),
         f"annual target: assessed at Q{annual_quarter}, not in the year"),
        (is_yoy & (previous_note != ""), previous_note),
        (is_rank & np.isnan(rank), "no rank given for a rank-range target"),
        (~is_rank & np.isnan(actual), "no actual"),
        (np.isnan(low) | np.isnan(high), "the target has no number"),
        (zero_reference, _ZERO_NOTE),
    ):
        notes = notes.mask(notes.isna() & condition, message)
    if "status_note" in frame.columns:  # add what the report says, e.g. 'no target (“New in 2016/17”)'
        said = (frame["status_note"].notna() & notes.isin(["no actual", "no target"])).to_numpy()
        if said.any():
            # quoted: the scorecard's own words ("None", "No survey this qtr"), not ours
            notes[said] = [f"{note} (“{status}”)" for note, status in
                           zip(notes[said], frame["status_note"][said], strict=True)]
    assessable = notes.isna().to_numpy()
    gap_defined = assessable | (zero_reference & (notes == _ZERO_NOTE).to_numpy())

    basis = np.select([is_point, is_annual, is_range, is_rank, is_yoy],
                      ["point", "annual", "range", "rank range", "year on year"], default="")
    return pd.DataFrame({
        "rag_basis": pd.array(np.where(basis == "", None, basis), dtype="string"),
        "rag_value": np.where(gap_defined, value, np.nan),
        "rag_reference": np.where(gap_defined, reference, np.nan),
        "rag_gap": np.where(gap_defined, gap, np.nan),
        "rag_deviation": np.where(assessable, deviation, np.nan),
        "rag_inside": pd.array(np.where(assessable, inside_range, None), dtype="boolean"),
        "rag_note": pd.array(notes, dtype="string"),
    }, index=frame.index)


def _previous_year(frame: pd.DataFrame, wanted_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``wanted_rows``, the actual of the same measure in the same quarter a year earlier
    (matched on measure_id), and why it is missing ("" where found)."""
    values = np.full(len(frame), np.nan)
    notes = np.full(len(frame), "", dtype=object)
    if not wanted_rows.any():
        return values, notes
    known = frame.loc[frame["actual"].notna(), ["measure_id", "period", "actual"]].drop_duplicates()
    counts = known.groupby(["measure_id", "period"])["actual"].transform("size")
    single = known[counts == 1].set_index(["measure_id", "period"])["actual"]
    several = set(zip(known.loc[counts > 1, "measure_id"], known.loc[counts > 1, "period"], strict=True))
    rows = frame.loc[wanted_rows]
    earlier = rows["period"] - 4  # periods.same_quarter_last_year, for a whole column at once
    keys = list(zip(rows["measure_id"], earlier, strict=True))
    found = single.reindex(pd.MultiIndex.from_tuples(keys, names=["measure_id", "period"]))
    values[wanted_rows] = found.to_numpy(dtype="float64")
    notes[wanted_rows] = [
        "" if not np.isnan(value)
        else f"more than one figure for {quarter_label(period)} in the data; the change is ambiguous"
        if (measure, period) in several
        else f"no figure for {quarter_label(period)} in the data to compare with"
        for (measure, period), value in zip(keys, values[wanted_rows], strict=True)]
    return values, notes


def assess(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """Compute each observation's RAG status and check it against the reported one; return a new frame.

    Adds ``rag_computed`` (HG/LG/A/LR/HR, G inside a target range, missing when not assessable),
    ``rag_agrees`` (computed code equals the reported one; missing where nothing was reported;
    False where a reported status could not be computed), ``rag_colour_agrees`` (same green/amber/
    red group) and the columns of :func:`compare` saying what was compared and why a status
    is missing. ``bands`` overrides ``conventions/rag.toml`` ``[bands]``, e.g. ``{"hg_from": 0.1}``.
    Reported statuses the figures do not reproduce, and that no rounding of the displayed actual,
    range or missing figure explains, are listed by :func:`findings` (issue ``rag_disagrees``).

    >>> assess(frame)[["measure", "period_label", "rag", "rag_computed", "rag_agrees"]]  # doctest: +SKIP
    """
    chosen = _chosen_bands(bands)
    comparison = compare(frame)
    computed = classify(comparison["rag_deviation"], comparison["rag_inside"].fillna(False), chosen)
    result = frame.drop(columns=[c for c in ASSESS_COLUMNS if c in frame.columns]).copy()
    result["rag_computed"] = pd.array(computed, dtype="string")
    reported = frame["rag"].astype(object).where(frame["rag"].notna(), None)
    has_report = reported.notna().to_numpy()
    exact = (result["rag_computed"].astype(object) == reported).to_numpy()
    groups = settings().rag.groups
    same_colour = (result["rag_computed"].astype(object).map(groups) == reported.map(groups)).to_numpy()
    result["rag_agrees"] = pd.array(np.where(has_report, exact, None), dtype="boolean")
    result["rag_colour_agrees"] = pd.array(np.where(has_report, same_colour, None), dtype="boolean")
    for column in COMPARISON_COLUMNS:
        result[column] = comparison[column]
    return result


# ---------------------------------------------------------------------------
# Agreement between computed and reported statuses
# ---------------------------------------------------------------------------


def agreement(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per reported RAG: the computed status beside it, the outcome and, if they differ, why.

    ``outcome`` is one of :data:`OUTCOMES`. ``explanation_kind`` says what accounts for a
    difference: ``"not assessable"`` (the figures cannot give a status: see ``explanation``),
    ``"inside range"`` (inside a target range the scale gives G; the report used another green
    code), ``"rounding"`` (the reported code is reached by a value the displayed actual could
    stand for, e.g. "44%" is 43.5%-44.5%), ``"three-level code"`` (the report used G or R), or
    ``"stands"`` (nothing explains it: a data-quality finding). Columns: :data:`AGREEMENT_COLUMNS`.
    A frame not yet assessed is assessed with ``bands`` first; an assessed frame is used as it is, so
    give the ``bands`` it was assessed with (rounding is judged with them).
    """
    return _agreement_rows(_assessed(frame, bands), _chosen_bands(bands))


def _assessed(frame: pd.DataFrame, bands: dict[str, float] | None) -> pd.DataFrame:
    return frame if "rag_computed" in frame.columns else assess(frame, bands)


def _chosen_bands(bands: dict[str, float] | None) -> RagBands:
    return with_overrides(settings().rag.bands, bands, what="RAG band")


def disagreements(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """The rows of :func:`agreement` whose computed status is not exactly the reported one."""
    table = agreement(frame, bands)
    return table[table["outcome"] != "exact"].reset_index(drop=True)


def _agreement_rows(assessed: pd.DataFrame, chosen: RagBands) -> pd.DataFrame:
    rows = assessed[assessed["rag"].notna()]
    reported = rows["rag"].astype(str)
    computed = rows["rag_computed"].astype(object)
    groups = settings().rag.groups
    outcome = np.select(
        [computed.isna().to_numpy(), (computed == reported).to_numpy(),
         (computed.map(groups) == reported.map(groups)).to_numpy()],
        ["not assessable", "exact", "same colour"], default="different colour")
    kinds = np.full(len(rows), "", dtype=object)
    texts = np.full(len(rows), "", dtype=object)
    differ = outcome != "exact"
    if differ.any():  # explained one by one: there are few, whatever the size of the frame
        different = rows[differ]
        reachable = _codes_within_display_rounding(different, chosen)
        explained = [_explain(row, result, codes) for (_, row), result, codes in
                     zip(different.iterrows(), outcome[differ], reachable, strict=True)]
        kinds[differ] = [kind for kind, _ in explained]
        texts[differ] = [text for _, text in explained]
    table = rows.assign(outcome=outcome, explanation_kind=kinds, explanation=texts)
    return table.reindex(columns=AGREEMENT_COLUMNS).reset_index(drop=True)


def _explain(row: pd.Series, outcome: str, reachable: list[str]) -> tuple[str, str]:
    reported, computed = row["rag"], row["rag_computed"]
    if outcome == "exact":
        return "", ""
    if outcome == "not assessable":
        return "not assessable", f"reported {reported}; not computed: {row['rag_note']}"
    if reported in ("G", "R"):
        return "three-level code", f"the report uses the three-level code {reported}; computed {computed}"
    if computed == "G" and outcome == "same colour":
        return "inside range", (f"the actual {row['actual_text']} is inside the target range "
                                f"{row['target_text']}, which the scale rates G; the report says "
                                f"{reported}, also green")
    if reported in reachable:
        return "rounding", (f"the displayed actual {row['actual_text']} stands for a range of values that "
                            f"rate {' to '.join(dict.fromkeys([reachable[0], reachable[-1]]))}; "
                            f"reported {reported}, computed {computed} from the displayed figure")
    deviation = row["rag_deviation"]
    side = "above" if deviation >= 0 else "below"
    # the size of the gap is in the table's rag_deviation column, formatted where it is shown
    return "stands", (f"reported {reported}, but target {row['target_text']} and actual "
                      f"{row['actual_text']} ({side} target, polarity {row['polarity']}) give {computed}")


_DISPLAYED_NUMBER = re.compile(r"[-+−]?\d[\d,]*(?:\.(\d+))?")


def _codes_within_display_rounding(rows: pd.DataFrame, chosen: RagBands) -> list[list[str]]:
    """For point, annual and year-on-year comparisons, the codes an actual within half a displayed
    unit of the printed figure would get (worst first); empty where rounding cannot apply."""
    exact_units = set(settings().target_gap.assessment.exact_units)
    out: list[list[str]] = []
    for _, row in rows.iterrows():
        reference = row["rag_reference"]
        basis = row["rag_basis"] if isinstance(row["rag_basis"], str) else ""
        if basis not in ("point", "annual", "year on year") or pd.isna(row["rag_deviation"]) \
                or row["unit"] in exact_units or pd.isna(reference):
            out.append([])
            continue
        text = str(row["actual_text"])
        if row["unit"] == "s" and ":" in text:
            half = 0.5  # min:sec is shown to the second
        else:
            match = _DISPLAYED_NUMBER.search(text)
            if match is None:
                out.append([])
                continue
            half = 0.5 * 10.0 ** -len(match.group(1) or "")
        sign = {"higher": 1.0, "lower": -1.0}.get(row["polarity"])
        if sign is None:
            out.append([])
            continue
        ends = [sign * (row["rag_value"] + step - reference) / abs(reference) for step in (-half, half)]
        codes = classify(ends, bands=chosen)
        first, last = sorted(SCALE.index(code) for code in codes)
        out.append(SCALE[first:last + 1])
    return out


def findings(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.DataFrame:
    """A ``rag_disagrees`` finding (at the RAG cell) for each reported status that nothing explains.

    These are the rows of :func:`agreement` whose ``explanation_kind`` is ``"stands"``: the
    figures give another status and no range, rounding or three-level code accounts for it.
    ``frame`` and ``bands`` are used as in :func:`agreement`.
    """
    assessed = _assessed(frame, bands)
    if not assessed["rag"].notna().any():
        return findings_table()
    table = _agreement_rows(assessed, _chosen_bands(bands))
    standing = table[table["explanation_kind"] == "stands"]
    rows = assessed.loc[assessed["rag"].notna()].reset_index(drop=True).loc[standing.index]
    cells = standing["cell_rag"].astype(str).str.split("!").str[-1]
    return findings_table(
        {"source": source, "sheet": sheet, "cell": cell, "severity": "warning", "issue": "rag_disagrees",
         "text": reported, "message": f"{measure!r} {period}: {explanation}. Check the reported status or the figures"}
        for source, sheet, cell, reported, measure, period, explanation in zip(
            rows["source"], rows["sheet"], cells, standing["rag"], standing["measure"], standing["period_label"],
            standing["explanation"], strict=True))


def agreement_summary(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> pd.Series:
    """The agreement figure: how many reported RAGs there are, how many the figures reproduce exactly
    and by colour, how many cannot be computed, and how many differences each explanation covers
    (``inside range``, ``rounding``, ``three-level code``) or that ``stand``."""
    table = agreement(frame, bands)
    kinds = table["explanation_kind"].value_counts()
    return pd.Series({
        "reported": len(table),
        "exact": int((table["outcome"] == "exact").sum()),
        "same_colour": int(table["outcome"].isin(["exact", "same colour"]).sum()),
        "not_assessable": int((table["outcome"] == "not assessable").sum()),
        "inside_range": int(kinds.get("inside range", 0)),
        "rounding": int(kinds.get("rounding", 0)),
        "three_level_code": int(kinds.get("three-level code", 0)),
        "stands": int(kinds.get("stands", 0)),
    }, name="RAG agreement")

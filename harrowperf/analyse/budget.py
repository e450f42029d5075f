"""Budget analyses: in-year variance and RAG, year-to-year bridge, medium-term gap, budget rounds, scenarios.

Every function takes the tidy budget frame (``harrowperf.read_budget``; columns in
``harrowperf.read.budget.BUDGET_COLUMNS``) or the output of another function here, and returns
a new frame; nothing is changed in place, so calls chain::

    frame = hp.budget.load_budget("data/clean")
    hp.budget.variance(frame)                       # in-year, one row per area and period
    hp.budget.bridge(frame, "2003/04", "2004/05")   # waterfall steps from one budget to the next
    hp.budget.mtfs_gap(frame)                       # medium-term gap by round and year
    hp.budget.gap_revisions(frame)                  # how each year's gap moved between rounds

Amounts are in pounds (GBP). Conventions (variance RAG thresholds, bridge order) are read from
``conventions/budget.toml``. Figures flagged ``status == "illustrative"`` are never mixed with
real ones: functions keep ``status`` as a key, and headlines use real figures only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import Bridge, settings, with_overrides
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import (
    YEAR_FREQ,
    financial_year_label,
    parse_financial_year,
    quarter_label,
    to_quarter,
)
from harrowperf.foundation.reads import record_read

IN_YEAR_TYPES = ("original_budget", "revised_budget", "forecast_outturn", "previous_forecast", "variance",
                 "previous_variance")
VARIANCE_COLUMNS = [
    "status", "source", "year", "quarter", "period_label", "area", "area_id", "area_kind", "is_total",
    "original_budget", "budget", "forecast_outturn", "variance", "variance_reported", "variance_basis",
    "variance_pct", "direction", "previous_forecast", "forecast_movement", "previous_variance",
    "variance_movement", "rag", "rag_label", "amber_limit", "red_limit", "cell_budget", "cell_forecast",
    "cell_variance", "trust", "source_ref",
]
BRIDGE_LAYOUTS = ("change_analysis", "years_across")  # tables that hold movements between two budgets
BRIDGE_COLUMNS = ["status", "source", "sheet", "area", "from_year", "to_year", "step", "kind", "label",
                  "line_type", "amount", "running_start", "running_end", "cell", "note"]
MTFS_COLUMNS = [
    "status", "round", "round_month", "year", "year_label", "budget_requirement", "funding_council_tax",
    "funding_business_rates", "funding_grants", "funding_other", "funding_total", "gap_before_reserves",
    "reserves_used", "savings_identified", "savings_unidentified", "gap", "gap_low", "gap_high",
    "gap_is_range", "gap_after", "cumulative_gap", "cumulative_gap_after", "qualifier", "trust", "source_ref",
]
GAP_COLUMNS = ["status", "round", "round_month", "round_date", "year", "year_label", "gap", "gap_low",
               "gap_high", "is_range", "qualifier", "trust", "source_ref", "source", "cell", "note"]


_FLAGS = {"is_total", "is_range", "gap_is_range", "involves_range"}


def _empty(columns: list[str]) -> pd.DataFrame:
    """A frame with no rows; flag columns are boolean so that filters on them still select rows."""
    return pd.DataFrame({c: pd.Series(dtype=bool if c in _FLAGS else "object") for c in columns})


# ---------------------------------------------------------------------------------------------
# Loading and parameters
# ---------------------------------------------------------------------------------------------


def load_budget(clean_dir: str | Path) -> pd.DataFrame:
    """Read ``<clean_dir>/budget.parquet`` (written by ``harrowperf clean``).

    Raises :class:`harrowperf.ParameterError` when the file is missing.
    """
    path = Path(clean_dir) / "budget.parquet"
    if not path.exists():
        raise ParameterError(f"{path} does not exist; run `harrowperf clean` first (it reads the "
                             "budget workbooks in data/raw/budget)")
    frame = pd.read_parquet(path)
    record_read(path, sources=frame["source"].dropna().unique() if "source" in frame.columns else ())
    return frame


def real(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the real (published or transcribed) figures."""
    return frame[frame["status"] == "real"].copy()


def illustrative(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the illustrative (made-up) figures."""
    return frame[frame["status"] == "illustrative"].copy()


def to_year(value: str | pd.Period) -> pd.Period:
    """A financial year from "2016/17", "2016-17" or a Period; ParameterError naming the bad text."""
    if isinstance(value, pd.Period):
        return value.asfreq(YEAR_FREQ, how="end")
    period = parse_financial_year(str(value))
    if period is None:
        raise ParameterError(f"{value!r} is not a financial year; write it like '2016/17'")
    return period


_as_year = to_year  # bridge() has a parameter named to_year


@dataclass(frozen=True)
class BudgetChoice:
    """The budget notebook's checked parameters, with the defaults filled in (see :func:`check_parameters`)."""

    quarter: pd.Period | None
    quarter_label: str
    year: pd.Period | None
    year_label: str
    gap_round: str
    bridge_from: str | None
    bridge_to: str | None
    bridge_area: str | None
    scenario_round: str | None
    illustrative_quarter: pd.Period | None
    illustrative_label: str


def check_parameters(frame: pd.DataFrame, *, quarter: str | pd.Period | None = None,
                     financial_year: str | None = None, gap_round: str | None = None,
                     bridge_from: str | None = None, bridge_to: str | None = None,
                     bridge_area: str | None = None, scenario_round: str | None = None,
                     illustrative_quarter: str | None = None) -> BudgetChoice:
    """Check the budget notebook's parameters against the data and fill in the defaults.

    Returns a :class:`BudgetChoice` with ``quarter`` (Period or None), ``year`` (the financial year of the
    headline: ``financial_year``, else the quarter's year), ``year_label``, ``gap_round`` (given,
    else the latest round reported by the end of the quarter, else the latest round), and the
    other parameters as given. Raises :class:`ParameterError` with what the data hold when a
    bridge, area, round or illustrative quarter is not in the data. A year or quarter with no
    budget figures is not an error: the notebook says so in words.
    """
    period = None
    if quarter is not None:
        try:
            period = to_quarter(quarter)
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc
    if financial_year is not None:
        year = to_year(financial_year)
    elif period is not None:
        year = period.asfreq(YEAR_FREQ)
    else:
        years = gap_by_round(real(frame))["year"]
        year = years.max() if len(years) else None
    rounds = list(dict.fromkeys(gap_by_round(frame).sort_values("round_month", kind="stable")["round"]))
    for name, value in (("gap_round", gap_round), ("scenario_round", scenario_round)):
        if value is not None and value not in rounds:
            raise ParameterError(f"{name}: budget round {value!r} has no published gaps; the rounds are: "
                                 f"{', '.join(rounds)}")
    if gap_round is None:
        gap_round = (current_round(frame, period) if period is not None else "") or (rounds[-1] if rounds else "")
    if bridge_from is not None and bridge_to is not None:
        steps = bridge(frame, bridge_from, bridge_to)
        if steps.empty:
            raise ParameterError(f"no table in the data bridges {bridge_from} to {bridge_to}; "
                                 f"bridges exist for: {', '.join(available_bridges(frame)) or 'none'}")
        if bridge_area is not None and bridge_area not in set(steps["area"]):
            raise ParameterError(f"no bridge for area {bridge_area!r} from {bridge_from} to {bridge_to}; "
                                 f"the areas are: {', '.join(dict.fromkeys(steps['area']))}")
    illustrative_period = None
    if illustrative_quarter is not None:
        quarters = sorted(illustrative(frame)["quarter"].dropna().unique())
        try:
            illustrative_period = to_quarter(illustrative_quarter)
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc
        if illustrative_period not in quarters:
            raise ParameterError(f"quarter {illustrative_quarter} is not in the illustrative monitoring; "
                                 f"its quarters are {', '.join(quarter_label(q) for q in quarters) or 'none'}")
    return BudgetChoice(
        quarter=period, quarter_label=quarter_label(period) if period is not None else "",
        year=year, year_label=financial_year_label(year) if year is not None else "",
        gap_round=gap_round, bridge_from=bridge_from, bridge_to=bridge_to, bridge_area=bridge_area,
        scenario_round=scenario_round, illustrative_quarter=illustrative_period,
        illustrative_label=quarter_label(illustrative_period) if illustrative_period is not None else "")


# ---------------------------------------------------------------------------------------------
# In-year variance
# ---------------------------------------------------------------------------------------------


def _first(frame: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """One column per line type holding the first value of ``column`` (keys may hold NaT)."""
    return frame.groupby([*keys, "line_type"], dropna=False, sort=False, observed=True)[column].first() \
        .unstack("line_type")


def variance_rag(variance: pd.Series, budget: pd.Series, thresholds: dict | None = None) -> pd.DataFrame:
    """RAG of forecast variances (positive = overspend) against thresholds from conventions/budget.toml.

    Amber above the lower (or, with ``combine = "higher"``, the higher) of ``amber_pct`` % of the
    budget and ``amber_gbp``; Red likewise; underspend or breakeven Green; no RAG without a variance.
    When the budget is unknown only the pound thresholds apply. Returns columns rag, amber_limit,
    red_limit.
    """
    rules = with_overrides(settings().budget.variance_rag, thresholds, what="variance threshold")
    pick = np.fmin if rules.combine == "lower" else np.fmax
    size = budget.abs()
    amber = pd.Series(pick((size * rules.amber_pct / 100).to_numpy(float), rules.amber_gbp),
                      index=variance.index)
    red = pd.Series(pick((size * rules.red_pct / 100).to_numpy(float), rules.red_gbp),
                    index=variance.index)
    rag = np.select(
        [variance.isna(), variance <= 0, variance > red, variance > amber],
        ["", rules.underspend, "R", "A"], default="G")
    return pd.DataFrame({"rag": rag, "amber_limit": amber, "red_limit": red}, index=variance.index)


def variance(frame: pd.DataFrame, thresholds: dict | None = None) -> pd.DataFrame:
    """In-year position per area and period: budget, forecast outturn, variance, movement and RAG.

    Uses rows with an in-year position (``period_label``) of line types original_budget,
    revised_budget, forecast_outturn, previous_forecast, variance and previous_variance. Returns
    one row per (status, source, year, quarter, period_label, area) with columns
    :data:`VARIANCE_COLUMNS`:

    - ``budget``: the revised (latest) budget, else the original;
    - ``variance`` = forecast_outturn - budget when both are given (``variance_basis`` "forecast -
      budget"), else the variance the source reports ("reported"); positive is an overspend;
    - ``variance_pct`` = variance / budget x 100; ``direction`` overspend / underspend / on budget;
    - ``forecast_movement`` = forecast - previous forecast (from the sheet's own column, else the
      same area's forecast in the previous quarter of the same source); ``variance_movement`` likewise;
    - ``rag`` from :func:`variance_rag`; ``cell_*`` the cells the figures came from.
    """
    rows = frame[frame["period_label"].astype(str).ne("") & frame["line_type"].isin(IN_YEAR_TYPES)
                 & frame["unit"].eq("GBP")]
    if rows.empty:
        return _empty(VARIANCE_COLUMNS)
    keys = ["status", "source", "year", "quarter", "period_label", "area"]
    amounts = _first(rows, keys, "amount").reindex(columns=list(IN_YEAR_TYPES))
    cells = _first(rows, keys, "cell").reindex(columns=list(IN_YEAR_TYPES))
    meta = rows.groupby(keys, dropna=False, sort=False, observed=True).agg(
        # A published figure that is the sum of its parts ("variance = slippage + underspend") is
        # not a total of areas: only a total row of a table is.
        area_id=("area_id", "first"), area_kind=("area_kind", "first"),
        is_total=("area_kind", lambda kinds: bool((kinds == "total").any())),
        trust=("trust", "first"), source_ref=("source_ref", "first"))
    out = meta.join(amounts).reset_index()
    cells = cells.reset_index()
    out["budget"] = out["revised_budget"].fillna(out["original_budget"])
    computed = out["forecast_outturn"] - out["budget"]
    out["variance_reported"] = out["variance"]
    out["variance"] = computed.fillna(out["variance_reported"])
    out["variance_basis"] = np.select([computed.notna(), out["variance_reported"].notna()],
                                      ["forecast - budget", "reported"], default="")
    out["variance_pct"] = out["variance"] / out["budget"].where(out["budget"] != 0) * 100
    labels = settings().budget.variance_rag.direction_labels
    out["direction"] = np.select([out["variance"] > 0, out["variance"] < 0, out["variance"] == 0],
                                 [labels.over, labels.under, labels.on], default="")
    out = _previous_quarter(out)
    out["forecast_movement"] = out["forecast_outturn"] - out["previous_forecast"]
    previous_from_forecast = out["previous_forecast"] - out["budget"]
    out["previous_variance"] = out["previous_variance"].fillna(previous_from_forecast)
    out["variance_movement"] = out["variance"] - out["previous_variance"]
    out = out.join(variance_rag(out["variance"], out["budget"], thresholds))
    out["rag_label"] = out["rag"].map(settings().budget.variance_rag.labels).fillna("")
    def text(column: str) -> pd.Series:
        values = cells[column].astype(object)
        return values.where(values.notna(), "").astype(str)

    out["cell_budget"] = text("revised_budget").where(text("revised_budget") != "", text("original_budget"))
    out["cell_forecast"] = text("forecast_outturn")
    out["cell_variance"] = text("variance")
    out = out.sort_values(["status", "source", "year", "quarter", "is_total", "area"], kind="stable",
                          na_position="first")
    return out[VARIANCE_COLUMNS].reset_index(drop=True)


def _previous_quarter(out: pd.DataFrame) -> pd.DataFrame:
    """Fill previous_forecast from the same area's forecast one quarter earlier, where the sheet has none."""
    dated = out[out["quarter"].notna()]
    if dated.empty:
        return out
    earlier = dated[["status", "source", "area", "quarter", "forecast_outturn"]].copy()
    earlier["quarter"] = earlier["quarter"] + 1
    earlier = earlier.rename(columns={"forecast_outturn": "_earlier_forecast"}).drop_duplicates(
        ["status", "source", "area", "quarter"])
    merged = out.merge(earlier, on=["status", "source", "area", "quarter"], how="left")
    merged["previous_forecast"] = merged["previous_forecast"].fillna(merged["_earlier_forecast"])
    return merged.drop(columns="_earlier_forecast")


def variance_summary(table: pd.DataFrame) -> dict[str, float | int | str]:
    """Headline numbers of a variance table (services only; totals are not added to their lines)."""
    services = table[~table["is_total"] & table["area_kind"].eq("service")]
    totals = table[table["is_total"]]
    net = float(totals["variance"].iloc[0]) if len(totals) else float(services["variance"].sum())
    return {
        "net_variance": net,
        "overspends": int((services["variance"] > 0).sum()),
        "underspends": int((services["variance"] < 0).sum()),
        "red": int(services["rag"].eq("R").sum()),
        "amber": int(services["rag"].eq("A").sum()),
        "largest_overspend_area": services.sort_values("variance", ascending=False)["area"].iloc[0]
        if len(services) and services["variance"].max() > 0 else "",
    }


# ---------------------------------------------------------------------------------------------
# Year-to-year bridge
# ---------------------------------------------------------------------------------------------


def available_bridges(frame: pd.DataFrame) -> list[str]:
    """Year pairs the data can bridge, as "2003/04 -> 2004/05"."""
    moves = frame[frame["line_type"].isin(settings().budget.bridge.movement_order) & frame["unit"].eq("GBP")
                  & frame["layout"].isin(BRIDGE_LAYOUTS)]
    out = []
    for year in sorted(moves["year"].dropna().unique()):
        out.append(f"{financial_year_label(year - 1)} -> {financial_year_label(year)}")
    return out


def bridge(frame: pd.DataFrame, from_year: str | pd.Period, to_year: str | pd.Period,
           area: str | None = None) -> pd.DataFrame:
    """The movement from one year's budget to the next, as waterfall steps (amounts in GBP).

    Reads the tables that hold movement lines (inflation, capital financing, other, growth,
    savings...) for ``to_year``: a change analysis by directorate (opening budget -> movements ->
    closing budget, per area) and a budget strategy by year (last year's budget requirement, or
    the repriced base, -> movements -> this year's budget requirement). Returns one row per step
    with columns :data:`BRIDGE_COLUMNS`; ``kind`` is start, rebase (repricing of the base),
    movement, unexplained (the table's closing budget differs from start + movements: shown, not
    hidden) or end. When a closing budget is missing, the end is computed and ``note`` says so.
    ``running_start``/``running_end`` place each bar of a waterfall.
    """
    start_year, end_year = _as_year(from_year), _as_year(to_year)
    bridge_settings = settings().budget.bridge
    order = {t: i for i, t in enumerate(bridge_settings.movement_order)}
    rows = frame[frame["unit"].eq("GBP") & frame["period_label"].eq("") & frame["round"].eq("")]
    if area is not None:
        rows = rows[rows["area"].eq(area)]
    pieces = []
    for (status, source, sheet, layout), table in rows.groupby(["status", "source", "sheet", "layout"],
                                                                sort=False, observed=True):
        if layout == "change_analysis":
            for name, lines in table.groupby("area", sort=False):
                steps = _bridge_steps(lines, start_year, end_year, "original_budget", "original_budget", order,
                                      bridge_settings)
                pieces.extend(_stamp(steps, status, source, sheet, name, start_year, end_year))
        elif layout == "years_across":
            steps = _bridge_steps(table, start_year, end_year, "budget_requirement", "budget_requirement",
                                  order, bridge_settings, base_type=bridge_settings.base_type)
            pieces.extend(_stamp(steps, status, source, sheet, str(table["area"].iloc[0]), start_year,
                                 end_year))
    if not pieces:
        return _empty(BRIDGE_COLUMNS)
    out = pd.DataFrame(pieces)
    out["running_end"] = out.groupby(["source", "sheet", "area"], sort=False)["amount"].transform(
        lambda s: _running(s, out.loc[s.index, "kind"]))
    out["running_start"] = np.where(out["kind"].isin(["start", "end"]), 0.0, out["running_end"] - out["amount"])
    return out[BRIDGE_COLUMNS].reset_index(drop=True)


def _running(amounts: pd.Series, kinds: pd.Series) -> pd.Series:
    total, out = 0.0, []
    for amount, kind in zip(amounts, kinds, strict=True):
        total = amount if kind in ("start", "end") else total + amount
        out.append(total)
    return pd.Series(out, index=amounts.index)


def _one(rows: pd.DataFrame) -> pd.Series | None:
    return rows.iloc[0] if len(rows) else None


def _bridge_steps(lines: pd.DataFrame, start_year: pd.Period, end_year: pd.Period, start_type: str,
                  end_type: str, order: dict[str, int], bridge_settings: Bridge,
                  base_type: str | None = None) -> list[dict]:
    start = _one(lines[(lines["line_type"] == start_type) & (lines["year"] == start_year)])
    base = _one(lines[(lines["line_type"] == base_type) & (lines["year"] == end_year)]) if base_type else None
    end = _one(lines[(lines["line_type"] == end_type) & (lines["year"] == end_year)])
    moves = lines[lines["line_type"].isin(order.keys()) & (lines["year"] == end_year)]
    if base_type:  # a strategy table: its total rows sum the movements, they are not movements
        moves = moves[~moves["is_total"]]
    if moves.empty or (start is None and base is None):
        return []
    labels = bridge_settings.labels
    steps = []
    if start is not None:
        steps.append(_step("start", f"{labels.start} {financial_year_label(start_year)}", start_type,
                           start["amount"], start["cell"]))
        if base is not None:
            steps.append(_step("rebase", labels.rebase, base_type, base["amount"] - start["amount"],
                               f"{base['cell']} - {start['cell']}"))
    else:
        steps.append(_step("start", f"{base['line']} {financial_year_label(end_year)}", base_type,
                           base["amount"], base["cell"]))
    moves = moves.assign(_order=moves["line_type"].map(order)).sort_values("_order", kind="stable")
    for _, move in moves.iterrows():
        label = move["line"] if base_type else move["column"]
        steps.append(_step("movement", _short(label), move["line_type"], move["amount"], move["cell"]))
    explained = sum(s["amount"] for s in steps)
    end_label = f"{labels.end} {financial_year_label(end_year)}"
    if end is None or pd.isna(end["amount"]):
        steps.append(_step("end", end_label, end_type, explained, "",
                           "computed: the table's closing budget is empty"))
    else:
        difference = end["amount"] - explained
        if abs(difference) > 1e-6 * max(1.0, abs(end["amount"])):
            steps.append(_step("unexplained", labels.unexplained, "", difference, end["cell"],
                               "the table's closing budget differs from the opening budget plus its movements"))
        steps.append(_step("end", end_label, end_type, end["amount"], end["cell"]))
    return steps


def _short(label: str) -> str:
    from harrowperf.read.budget import unit_of

    text = str(label)
    found = unit_of(text)
    if found:
        for token in ("£000", "£'000", "£m", "GBP 000", "GBP m", "%"):
            text = text.replace(token, "")
    return " ".join(text.split())


def _step(kind: str, label: str, line_type: str, amount: float, cell: str, note: str = "") -> dict:
    return {"kind": kind, "label": label, "line_type": line_type, "amount": float(amount), "cell": cell,
            "note": note}


def _stamp(steps: list[dict], status: str, source: str, sheet: str, area: str, start: pd.Period,
           end: pd.Period) -> list[dict]:
    return [{**s, "status": status, "source": source, "sheet": sheet, "area": area,
             "from_year": financial_year_label(start), "to_year": financial_year_label(end), "step": i}
            for i, s in enumerate(steps)]


def bridge_by_area(steps: pd.DataFrame) -> pd.DataFrame:
    """A bridge laid out like the council's "Analysis of the Change" table: one row per area, steps across."""
    if steps.empty:
        return pd.DataFrame()
    wide = steps.pivot_table(index=["source", "sheet", "area"], columns="label", values="amount", aggfunc="sum",
                             sort=False)
    order = list(dict.fromkeys(steps.sort_values("step", kind="stable")["label"]))
    return wide.reindex(columns=order).reset_index()


# ---------------------------------------------------------------------------------------------
# Medium-term gap and budget rounds ("vintages")
# ---------------------------------------------------------------------------------------------


def _single_year(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["year"].notna() & (frame["year"] == frame["year_end"])]


def gap_by_round(frame: pd.DataFrame) -> pd.DataFrame:
    """Every published single-year budget gap with its round; a year has one row per round.

    Columns :data:`GAP_COLUMNS`. ``gap`` is the published gap (what is still to be found after the
    savings and reserves in the plan; "balanced" is 0); for a published range ("£6.321m to
    £13.143m") ``gap`` is its midpoint, ``gap_low``/``gap_high`` its ends and ``is_range`` True.
    Rows without a round date cannot be placed in time and are left out. Sorted by year, then round.
    """
    rows = _single_year(frame[frame["line_type"].eq("gap") & frame["unit"].eq("GBP")
                              & frame["round"].ne("") & frame["round_month"].notna()])
    if rows.empty:
        return _empty(GAP_COLUMNS)
    out = rows.assign(
        is_range=rows["amount"].isna() & rows["amount_low"].notna(),
        gap=rows["amount"].fillna((rows["amount_low"] + rows["amount_high"]) / 2),
        gap_low=rows["amount_low"], gap_high=rows["amount_high"])
    out = out.sort_values(["status", "year", "round_month"], kind="stable")
    return out[GAP_COLUMNS].reset_index(drop=True)


def gap_revisions(frame: pd.DataFrame) -> pd.DataFrame:
    """The revision of each year's gap between consecutive budget rounds.

    One row per (year, round) after the year's first estimate: previous_round, previous_gap, gap,
    revision = gap - previous_gap (GBP; negative = the gap shrank), and ``involves_range`` when
    either estimate is a range (its midpoint is used).
    """
    gaps = gap_by_round(frame)
    if gaps.empty:
        return _empty(["status", "year", "year_label", "previous_round", "round", "round_month", "previous_gap",
                       "gap", "revision", "involves_range", "trust"])
    grouped = gaps.groupby(["status", "year"], sort=False)
    gaps = gaps.assign(previous_round=grouped["round"].shift(), previous_gap=grouped["gap"].shift(),
                       previous_range=grouped["is_range"].shift())
    out = gaps[gaps["previous_round"].notna()].copy()
    out["revision"] = out["gap"] - out["previous_gap"]
    out["involves_range"] = out["is_range"] | out["previous_range"].astype(bool)
    return out[["status", "year", "year_label", "previous_round", "round", "round_month", "previous_gap", "gap",
                "revision", "involves_range", "trust"]].reset_index(drop=True)


def first_and_final(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year: the first and the final published gap, and how far it moved (GBP).

    Columns: status, year, year_label, rounds (number of estimates), first_round, first_month,
    first_gap, final_round, final_month, final_gap, change (final - first), largest_revision
    (the biggest move between two consecutive rounds, signed).
    """
    gaps = gap_by_round(frame)
    columns = ["status", "year", "year_label", "rounds", "first_round", "first_month", "first_gap", "final_round",
               "final_month", "final_gap", "change", "largest_revision"]
    if gaps.empty:
        return _empty(columns)
    grouped = gaps.groupby(["status", "year"], sort=False)
    out = grouped.agg(year_label=("year_label", "first"), rounds=("round", "size"),
                      first_round=("round", "first"), first_month=("round_month", "first"),
                      first_gap=("gap", "first"), final_round=("round", "last"),
                      final_month=("round_month", "last"), final_gap=("gap", "last")).reset_index()
    out["change"] = out["final_gap"] - out["first_gap"]
    revisions = gap_revisions(frame)
    if len(revisions):
        largest = revisions.loc[revisions["revision"].abs().groupby([revisions["status"], revisions["year"]])
                                .idxmax()]
        out = out.merge(largest[["status", "year", "revision"]].rename(columns={"revision": "largest_revision"}),
                        on=["status", "year"], how="left")
    else:
        out["largest_revision"] = np.nan
    return out[columns]


CLOSURE_TYPES = {"savings": "savings", "reserves_used": "reserves_used",
                 "council_tax_rise": "council_tax_rise_pct", "council_tax_rise_core": "_core",
                 "asc_precept": "_asc", "council_tax_rise_income": "extra_council_tax"}


def gap_closure(frame: pd.DataFrame) -> pd.DataFrame:
    """How each year's gap was closed, where the sources say: savings, council tax and reserves.

    One row per year with a published gap: the first and final gap (and rounds), ``gap_closed`` =
    first - final, and the latest published figures for that year of savings, reserves used,
    the council tax rise (% in total: core plus adult social care precept where given separately)
    and the extra council tax it raised (GBP), each with the round it comes from (``*_round``).
    Missing figures are NaN: the sources do not give them. ``balanced`` says the final round
    balanced the year (gap 0); otherwise the final gap is only the latest estimate.
    """
    ends = first_and_final(frame)
    if ends.empty:
        return ends
    figures = _single_year(frame[frame["line_type"].isin(CLOSURE_TYPES) & frame["round"].ne("")])
    figures = figures[figures["area"].eq(settings().budget.status.whole_council)]
    keys = ["status", "year", "round"]
    by_round = figures.pivot_table(index=keys, columns="line_type", values="amount", aggfunc="first")
    by_round = by_round.reindex(columns=list(CLOSURE_TYPES)).rename(columns=CLOSURE_TYPES)
    # A round gives the rise in total, or as core plus adult social care precept.
    by_round["council_tax_rise_pct"] = by_round["council_tax_rise_pct"].fillna(
        by_round["_core"] + by_round["_asc"].fillna(0))
    by_round = by_round.drop(columns=["_core", "_asc"])
    months = figures.groupby(keys)["round_month"].first()
    by_round = by_round.join(months).reset_index().sort_values("round_month", kind="stable", na_position="first")
    out = ends
    for name in ("savings", "reserves_used", "council_tax_rise_pct", "extra_council_tax"):
        given = by_round[by_round[name].notna()].groupby(["status", "year"], sort=False).agg(
            **{name: (name, "last"), f"{name}_round": ("round", "last")}).reset_index()
        out = out.merge(given, on=["status", "year"], how="left")
    out["gap_closed"] = out["first_gap"] - out["final_gap"]
    out["balanced"] = out["final_gap"].eq(0)
    return out


def current_round(frame: pd.DataFrame, quarter: str | pd.Period) -> str:
    """The latest budget round with published gaps reported by the end of ``quarter`` ("" if none)."""
    period = to_quarter(quarter)
    gaps = gap_by_round(real(frame))
    known = gaps[gaps["round_month"].apply(lambda m: m.end_time) <= period.end_time]
    if known.empty:
        return ""
    return str(known.sort_values("round_month", kind="stable")["round"].iloc[-1])


_MTFS_ORDER = ["budget_requirement", "funding_council_tax", "funding_business_rates", "funding_grants",
               "funding_other", "reserves_used", "savings_identified", "savings_unidentified"]


def mtfs_gap(frame: pd.DataFrame, round: str | None = None) -> pd.DataFrame:
    """The medium-term budget gap per budget round and year, annual and cumulative (GBP).

    For each round (published figures; a budget-strategy table without a round counts as one round
    named by its title) and year: budget requirement, funding by source (council tax, business
    rates, grants, other) and their total, planned use of reserves, savings identified and still
    to be identified, and the gap:

    - ``gap``: as published (what is still to be found after the reserves and savings in the plan;
      "balanced" = 0; the midpoint of a range, with ``gap_low``/``gap_high``);
    - ``gap_before_reserves`` = requirement - funding when the requirement and council tax,
      business rates and grants are all given, else gap + reserves used + savings identified +
      savings still being developed, where any of these is published;
    - ``gap_after``: the published gap, else gap before reserves less the planned reserves and savings;
    - savings and reserves are shown as positive amounts (they close the gap);
    - ``cumulative_gap``/``cumulative_gap_after``: running totals over the round's years (annual
      gaps are stored; cumulative is derived).

    Only single-year, whole-council figures are used (a directorate's part of the savings is not
    added to the council's total); a figure the sources do not give is NaN, never zero.
    """
    mapping = settings().budget.mtfs
    wanted = {t: column for column, types in mapping.items() for t in types}
    rows = frame[frame["line_type"].isin(wanted) & frame["unit"].eq("GBP") & frame["period_label"].eq("")
                 & (frame["round"].ne("") | frame["layout"].eq("years_across"))
                 & frame["area"].eq(settings().budget.status.whole_council)]
    rows = _single_year(rows)
    if round is not None:
        rows = rows[rows["round"].eq(round) | rows["table"].eq(round)]
    if rows.empty:
        return _empty(MTFS_COLUMNS)
    rows = rows.assign(
        round=rows["round"].where(rows["round"].ne(""), rows["table"]),
        concept=rows["line_type"].map(wanted),
        value=rows["amount"].fillna((rows["amount_low"] + rows["amount_high"]) / 2))
    rows = rows.sort_values(["status", "round", "year"], kind="stable")
    keys = ["status", "round", "year"]
    # Several lines may feed one column (three savings lines; a requirement printed before and
    # after the collection fund): lines are added up, a requirement or a gap is taken once.
    once = rows[rows["concept"].isin(["budget_requirement", "gap"])]
    added = rows[~rows["concept"].isin(["budget_requirement", "gap"])]
    wide = pd.concat([
        once.pivot_table(index=keys, columns="concept", values="value", aggfunc="first"),
        added.pivot_table(index=keys, columns="concept", values="value", aggfunc="sum"),
    ], axis=1).reindex(columns=[*_MTFS_ORDER, "gap"])
    for closing in ("reserves_used", "savings_identified", "savings_unidentified"):
        wide[closing] = wide[closing].abs()  # savings print as negative movements in some tables
    gaps = rows[rows["concept"].eq("gap")].groupby(keys, sort=False).agg(
        gap_low=("amount_low", "first"), gap_high=("amount_high", "first"),
        gap_is_range=("amount", lambda s: bool(s.isna().all())), qualifier=("qualifier", "first"))
    meta = rows.groupby(keys, sort=False).agg(
        round_month=("round_month", "first"), trust=("trust", lambda s: "/".join(sorted(set(s) - {""}))),
        source_ref=("source_ref", "first"))
    out = wide.join(gaps).join(meta).reset_index()
    sources_of_funding = ["funding_council_tax", "funding_business_rates", "funding_grants", "funding_other"]
    out["funding_total"] = out[sources_of_funding].sum(axis=1, min_count=1)
    complete = out[["funding_council_tax", "funding_business_rates", "funding_grants"]].notna().all(axis=1)
    computed = (out["budget_requirement"] - out["funding_total"]).where(complete)
    closing = out[["reserves_used", "savings_identified", "savings_unidentified"]]
    planned = closing.sum(axis=1, min_count=1)
    out["gap_before_reserves"] = computed.fillna(out["gap"] + planned.where(closing.notna().any(axis=1)))
    out["gap_after"] = out["gap"].fillna(computed - planned.fillna(0))
    grouped = out.sort_values(keys, kind="stable").groupby(["status", "round"], sort=False)
    out["cumulative_gap"] = grouped["gap"].cumsum()
    out["cumulative_gap_after"] = grouped["gap_after"].cumsum()
    out["year_label"] = out["year"].map(financial_year_label)
    out["gap_is_range"] = out["gap_is_range"].fillna(False).astype(bool)
    out["qualifier"] = out["qualifier"].fillna("")
    out = out.sort_values(["status", "round_month", "round", "year"], kind="stable", na_position="first")
    return out[MTFS_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioBase:
    """What a scenario starts from: a round's gaps and the base year's council tax, funding and spend.

    ``gaps`` are the published annual gaps (GBP) for ``years``; ``base_year`` is the year before
    the first scenario year; ``council_tax_rise`` the plan's yearly rise in %; ``sources`` says in
    plain words where each figure comes from.
    """

    round: str
    base_year: pd.Period
    years: tuple[pd.Period, ...]
    gaps: tuple[float, ...]
    council_tax_income: float
    council_tax_rise: float
    other_funding: float = 0.0
    spending: float = 0.0
    sources: tuple[str, ...] = field(default_factory=tuple)


def _latest(frame: pd.DataFrame, line_types: tuple[str, ...], year: pd.Period, prefer_round: str
            ) -> pd.Series | None:
    rows = _single_year(frame[frame["line_type"].isin(line_types) & (frame["year"] == year)
                              & frame["area"].eq(settings().budget.status.whole_council)])
    if rows.empty:
        return None
    rows = rows.assign(_same=rows["round"].eq(prefer_round)).sort_values(
        ["_same", "round_month"], kind="stable", na_position="first")
    return rows.iloc[-1]


def _describe(row: pd.Series) -> str:
    where = f"{row['round']} " if row["round"] else ""
    trust = f", trust {row['trust']}" if row["trust"] else ""
    return f"{row['line']} {row['year_label']}: {row['text'] or row['cell']} ({where}{row['source_ref']}{trust})"


def scenario_base(frame: pd.DataFrame, round: str, **overrides: float) -> ScenarioBase:
    """Build the starting point of a scenario from a round's published figures (real figures only).

    Takes the round's gaps; the base year is the round's first year if its gap is balanced (the
    budget being set), else the year before its first gap. Council tax income, net spending and
    the council tax rise for the base year come from the published figures (the round's own when
    it gives them, else the latest other round's); other funding is spending minus council tax
    income. Anything the data lack can be given as a keyword (``council_tax_income=...``,
    ``council_tax_rise=...``, ``spending=...``, ``other_funding=...``); else ParameterError.
    """
    data = real(frame)
    gaps = mtfs_gap(data, round)
    gaps = gaps[gaps["gap"].notna()]
    if gaps.empty:
        raise ParameterError(f"budget round {round!r} has no published gaps")
    first = gaps.iloc[0]
    base_year = first["year"] if first["gap"] == 0 else first["year"] - 1
    ahead = gaps[gaps["year"] > base_year]
    sources = [f"Gaps: {round} round ({first['source_ref']})"]
    found: dict[str, float] = {}
    for name, types in (("council_tax_income", ("council_tax_income",)), ("spending", ("net_budget",))):
        if name in overrides:
            continue
        row = _latest(data, types, base_year, round)
        if row is not None:
            found[name] = float(row["amount"])
            sources.append(f"{name.replace('_', ' ').capitalize()}: {_describe(row)}")
    if "council_tax_rise" not in overrides:
        # The round's own assumption (for its first year) when it gives one, else the base year's rise.
        own = _single_year(data[data["round"].eq(round)])
        rise_year = own.loc[own["line_type"].isin(["council_tax_rise", "council_tax_rise_core"]), "year"].min()
        rise_year = base_year if pd.isna(rise_year) else rise_year
        total = _latest(data, ("council_tax_rise",), rise_year, round)
        core = _latest(data, ("council_tax_rise_core",), rise_year, round)
        asc = _latest(data, ("asc_precept",), rise_year, round)
        if total is not None and (core is None or total["round"] == round):
            found["council_tax_rise"] = float(total["amount"])
            sources.append(f"Council tax rise assumed each year: {_describe(total)}")
        elif core is not None:
            found["council_tax_rise"] = float(core["amount"]) + (float(asc["amount"]) if asc is not None else 0.0)
            sources.append(f"Council tax rise assumed each year: core {_describe(core)}"
                           + (f" plus {_describe(asc)}" if asc is not None else ""))
    values = {**found, **overrides}
    missing = [n for n in ("council_tax_income", "council_tax_rise") if n not in values]
    if missing:
        raise ParameterError(f"the data do not give the {' and '.join(m.replace('_', ' ') for m in missing)} "
                             f"for {financial_year_label(base_year)}, the base year of round {round!r}; "
                             f"pass {', '.join(f'{m}=...' for m in missing)}")
    values.setdefault("spending", 0.0)
    if "other_funding" not in values:
        values["other_funding"] = max(values["spending"] - values["council_tax_income"], 0.0) \
            if values["spending"] else 0.0
        if values["spending"]:
            sources.append("Other funding (grants, business rates and other income): spending minus council "
                           "tax income (derived)")
    for name in overrides:
        sources.append(f"{name.replace('_', ' ').capitalize()}: given as a parameter")
    return ScenarioBase(round=round, base_year=base_year, years=tuple(ahead["year"]),
                        gaps=tuple(float(g) for g in ahead["gap"]),
                        council_tax_income=float(values["council_tax_income"]),
                        council_tax_rise=float(values["council_tax_rise"]),
                        other_funding=float(values["other_funding"]), spending=float(values["spending"]),
                        sources=tuple(sources))


def scenario(base: ScenarioBase, *, council_tax_rise: float | None = None, grant_change: float = 0.0,
             extra_inflation: float = 0.0) -> pd.DataFrame:
    """How the annual and cumulative gap move if an assumption changes.

    - ``council_tax_rise``: the yearly council tax rise to test, in % (default: the plan's);
    - ``grant_change``: yearly change in grants and other funding beyond the plan, in % (negative =
      a cut);
    - ``extra_inflation``: yearly cost inflation above the plan's, in percentage points, applied to
      the base year's net spending.

    Each change compounds from the base year: in year t the council tax income differs by
    CT0 x ((1 + r_test)^t - (1 + r_plan)^t), other funding by F0 x ((1 + g)^t - 1) and spending by
    S0 x ((1 + i)^t - 1). The cumulative gap moves by the spending change less the income changes;
    the annual gap by that year's part of it. Returns one row per year: year, year_label, gap_plan,
    gap_scenario, change, cumulative_plan, cumulative_scenario, council_tax_effect, funding_effect,
    inflation_effect (effects are on the cumulative gap, GBP; negative = the gap shrinks).
    """
    rise = base.council_tax_rise if council_tax_rise is None else float(council_tax_rise)
    if not base.years:
        return _empty(["year", "year_label", "gap_plan", "gap_scenario", "change", "cumulative_plan",
                       "cumulative_scenario", "council_tax_effect", "funding_effect", "inflation_effect"])
    t = np.array([(year - base.base_year).n for year in base.years], dtype=float)
    council_tax = base.council_tax_income * ((1 + rise / 100) ** t - (1 + base.council_tax_rise / 100) ** t)
    funding = base.other_funding * ((1 + grant_change / 100) ** t - 1)
    inflation = base.spending * ((1 + extra_inflation / 100) ** t - 1)
    level = inflation - council_tax - funding
    annual_change = np.diff(np.concatenate([[0.0], level]))
    plan = np.array(base.gaps, dtype=float)
    out = pd.DataFrame({
        "year": pd.array(list(base.years), dtype=pd.PeriodDtype(YEAR_FREQ)),
        "year_label": [financial_year_label(y) for y in base.years],
        "gap_plan": plan, "gap_scenario": plan + annual_change, "change": annual_change,
        "cumulative_plan": plan.cumsum(), "cumulative_scenario": (plan + annual_change).cumsum(),
        "council_tax_effect": -council_tax, "funding_effect": -funding, "inflation_effect": inflation,
    })
    return out


# ---------------------------------------------------------------------------------------------
# Sources and findings
# ---------------------------------------------------------------------------------------------


def sources(frame: pd.DataFrame) -> pd.DataFrame:
    """The sources behind the figures: one row per (source file, source reference), with trust and count."""
    grouped = frame.groupby(["status", "source", "source_ref", "trust"], sort=False, dropna=False)
    out = grouped.size().rename("figures").reset_index()
    return out.sort_values(["status", "source", "trust"], kind="stable").reset_index(drop=True)


def in_year(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """The real in-year figures published for ``quarter`` (any kind: budget, variance, savings...), as
    rows of the budget frame."""
    period = to_quarter(quarter)
    rows = real(frame)
    return rows[rows["quarter"].notna() & (rows["quarter"] == period)].reset_index(drop=True)


__all__ = ["BRIDGE_COLUMNS", "BudgetChoice", "GAP_COLUMNS", "MTFS_COLUMNS", "ScenarioBase", "VARIANCE_COLUMNS",
           "available_bridges", "bridge", "bridge_by_area", "check_parameters", "current_round", "first_and_final",
           "gap_by_round", "gap_closure", "gap_revisions", "illustrative", "in_year", "load_budget", "mtfs_gap",
           "real", "scenario", "scenario_base", "sources", "to_year", "variance", "variance_rag",
           "variance_summary"]


"""Report tables: each analysis's result as a table a director reads, and the one way tables are shown.

Every function takes what an analysis returned and gives a new frame of text: plain-English
headings, no index numbers, every figure through the one formatter
(:func:`harrowperf.present.format.format_value`: "–" for blanks, money in one style per table).
:func:`display` shows any table in a notebook with its text escaped, every row and no index column,
or says in a sentence that there is nothing to list.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from harrowperf.analyse import budget
from harrowperf.analyse.trend import YEAR_ON_YEAR_BASES
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.findings import FINDING_COLUMNS
from harrowperf.present.format import BLANK, change, format_value, is_blank, money, ordinal, share
from harrowperf.present.format import escape_markdown as md
from harrowperf.present.words import Markdown


def display(table: pd.DataFrame, empty: str = "There is nothing to list.") -> Any:
    """A table as a report shows it (a pandas Styler): row labels as the first column, no index
    numbers and no extra header row, headings in words (never identifiers), every row, text
    left-aligned, blanks as "–", everything from data HTML-escaped; a findings table as
    :func:`findings` shows it. A table with no rows is the sentence ``empty`` instead."""
    if table.empty:
        return Markdown(md(empty))
    if tuple(table.columns) == FINDING_COLUMNS:
        table = findings(table)   # a findings table is always shown in words
    named = any(name is not None for name in table.index.names)
    shown = table.reset_index() if named else table.reset_index(drop=True)
    shown = shown.rename(columns=heading)
    return (
        shown.style.hide(axis="index")
        .format(escape="html", na_rep=BLANK)
        .format_index(escape="html", axis="columns")
        .set_properties(**{"text-align": "left", "vertical-align": "top"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    )


def heading(column: Any) -> Any:
    """A column heading in plain words: an identifier is spelt out ("area_name" -> "Area name");
    headings that are already words are kept."""
    if not isinstance(column, str) or "_" not in column:
        return column
    return column.replace("_", " ").strip().capitalize()


# What each kind of finding means, for the findings tables of the reports (the codes are in
# foundation/findings.py and each reader's docstring); an unknown code is spelt out in words.
ISSUE_WORDS = {
    "unparsed_value": "Figure not understood", "unparsed_amount": "Amount not understood",
    "total_mismatch": "Total does not add up", "missing_total": "Total missing",
    "variance_mismatch": "Variance does not match", "rag_disagrees": "Reported RAG not supported by the figures",
    "new_measure": "Measure not in the catalogue", "name_variant": "Measure named differently",
    "duplicate_measure": "Measure listed twice", "sheet_skipped": "Sheet skipped",
    "hidden_sheet": "Hidden sheet", "hidden_sheet_differs": "Hidden sheet differs",
    "workbook_open_in_excel": "Workbook was open in Excel", "revised": "Figure revised",
    "no_due_date": "No due date",
}
SEVERITY_WORDS = {"warning": "Check", "info": "For the record"}


def findings(table: pd.DataFrame) -> pd.DataFrame:
    """A findings table (:data:`harrowperf.foundation.findings.FINDING_COLUMNS`) for a report: the ones
    to check first, each issue in words, plain headings, no codes."""
    order = table["severity"].map({"warning": 0}).fillna(1)
    rows = table.assign(_order=order).sort_values("_order", kind="stable")
    return pd.DataFrame({
        "File": rows["source"].astype(object).fillna(BLANK).to_numpy(),
        "Sheet": rows["sheet"].astype(object).fillna(BLANK).to_numpy(),
        "Cell": rows["cell"].astype(object).fillna(BLANK).to_numpy(),
        "Check or record": [SEVERITY_WORDS.get(s, str(s)) for s in rows["severity"]],
        "What": [ISSUE_WORDS.get(i) or str(i).replace("_", " ").capitalize() for i in rows["issue"]],
        "Cell shows": rows["text"].astype(object).fillna(BLANK).to_numpy(),
        "In words": rows["message"].astype(object).fillna(BLANK).to_numpy(),
    })


def _texts(values: pd.Series, unit: str | None = None, **options: Any) -> list[str]:
    return [format_value(value, unit, **options) for value in values]


def _money_cells(values: pd.Series, style: str = "£m") -> list[str]:
    return [money(value, style) for value in values]


# ---------------------------------------------------------------------------------------------
# Target gap and the RAG check
# ---------------------------------------------------------------------------------------------

HEADINGS = {
    "theme": "Theme", "measures": "Measures", "rated": "With a RAG", "not_rated": "No RAG",
    "with_gap": "With a target to compare", "on_target": "On target", "share_on_target": "Share on target",
    "worst_measure": "Furthest below target", "worst_gap_rel": "Its gap, % of target",
    "measure_ref": "No.", "measure": "Measure", "as_of": "Figure for", "target_text": "Target",
    "actual_text": "Actual", "gap_reference": "Compared with", "actual": "Actual value",
    "gap": "Gap (positive = better)", "gap_unit": "Gap unit", "gap_rel": "Gap, % of target",
    "rag_status": "RAG", "rag": "RAG reported", "rag_computed": "RAG computed", "streak": "Quarters running",
    "previous_quarter": "Quarter before", "rag_previous": "RAG quarter before", "status_note": "Notes",
    "cell_actual": "Actual cell", "cell_rag": "RAG cell", "period_label": "Quarter", "outcome": "Outcome",
    "explanation_kind": "Explained by", "explanation": "Explanation", "measure_id": "Measure id",
    "rag_deviation": "Gap, % of target", "commentary_heading": "Key challenge",
    "commentary": "The service's commentary", "cell_commentary": "Commentary cell",
}
_SHARES = ("gap_rel", "worst_gap_rel", "share_on_target", "rag_deviation")


def target_gap(table: pd.DataFrame, drop: tuple[str, ...] = ("measure_id", "gap_reference", "actual")) -> pd.DataFrame:
    """A table of :mod:`harrowperf.analyse.gaps` (summary, exceptions, worst gaps) or of
    :func:`harrowperf.analyse.rag.agreement` for a report: plain headings, gaps and shares as
    percentages ("-83%"), figures with separators, blanks as "–", ``drop`` columns left out."""
    units = table["gap_unit"] if "gap_unit" in table.columns else pd.Series(None, index=table.index)
    shown = table.drop(columns=[c for c in drop if c in table.columns])
    shown = pd.DataFrame({
        column: _texts(shown[column], "share") if column in _SHARES
        else [change(gap, None if unit == "rank" else unit) for gap, unit in zip(shown[column], units, strict=True)]
        if column == "gap" else _texts(shown[column])
        for column in shown.columns
    }, index=shown.index).rename(columns=HEADINGS)
    if isinstance(shown.index, pd.RangeIndex) and len(shown.columns) > 1:
        shown = shown.set_index(shown.columns[0])  # row labels, not pandas' 0, 1, 2 ...
    return shown


def commentary(frame: pd.DataFrame) -> pd.DataFrame:
    """Commentary on measures (``data/clean/commentary.parquet`` or a selection of it) for a report: the
    measure, the service's words as written, the quarter and the cell; "not on the scorecard" where the
    measure could not be linked to one."""
    return pd.DataFrame({
        "Theme": frame["theme"].astype(str), "Measure": frame["measure"].astype(str),
        "Heading": frame["heading"].astype(str), "Commentary": frame["commentary"].astype(str),
        "Quarter": frame["quarter_label"].astype(str), "Cell": frame["source"].astype(str) + " "
        + frame["cell_commentary"].astype(str),
        "On the scorecard": [BLANK if is_blank(on) else "yes" if on else "no"
                             for on in frame.get("on_scorecard", pd.Series(None, index=frame.index))],
    }).reset_index(drop=True)


def revisions(rows: pd.DataFrame) -> pd.DataFrame:
    """Revised figures (rows of ``revisions.csv``) for a reader: the quarter, what changed, the figure first
    printed and the revised one, each with the workbook and cell it was read from."""
    def read_from(source: pd.Series, cell: pd.Series, vintage: pd.Series) -> list[str]:
        return [" ".join(filter(None, [str(s), str(c), f"(the {v} workbook)" if v else ""]))
                for s, c, v in zip(source, cell, vintage, strict=True)]

    return pd.DataFrame({
        "Quarter": rows["period_label"].astype(str), "What changed": rows["changed"].astype(str),
        "Printed before": rows["old_value"].astype(str),
        "Read from": read_from(rows["old_source"], rows["old_cell"], rows["old_vintage"]),
        "Revised to": rows["new_value"].astype(str),
        "Revised in": read_from(rows["new_source"], rows["new_cell"], rows["new_vintage"]),
    }).reset_index(drop=True)


def measure_history(history: pd.DataFrame) -> pd.DataFrame:
    """One measure's quarters (:func:`harrowperf.analyse.profile.history`) for a reader: the figures as
    printed, the reported RAG, the RAG the figures give, and where each figure was read."""
    def shown(text: Any, value: Any, unit: Any) -> str:  # the figure in the measure's unit, else as written
        if not is_blank(value):
            return format_value(value, unit)
        return format_value(text) if isinstance(text, str) and text.strip() else BLANK

    return pd.DataFrame({
        "Quarter": history["period_label"].astype(str),
        "Target": [shown(t, v, u) for t, v, u in zip(history["target_text"], history["target"], history["unit"],
                                                      strict=True)],
        "Actual": [shown(t, v, u) for t, v, u in zip(history["actual_text"], history["actual"], history["unit"],
                                                      strict=True)],
        "RAG reported": [BLANK if is_blank(code) else str(code) for code in history["rag"]],
        "RAG from the figures": [BLANK if is_blank(code) else str(code) for code in history["rag_computed"]],
        "Read from": [" ".join(filter(None, [str(source), "" if is_blank(cell) else str(cell)]))
                      for source, cell in zip(history["source"], history["cell_actual"], strict=True)],
    })


# ---------------------------------------------------------------------------------------------
# Trend and forecast
# ---------------------------------------------------------------------------------------------


def trend_overview(overview: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.trend.overview` in plain words, one row per measure (no codes, no NaN)."""
    labels = settings().spc.direction.labels
    direction_words = {"improving": labels.improving, "declining": labels.declining, "no change": labels.no_change}
    rows = []
    for row in overview.itertuples(index=False):
        unit = getattr(row, "unit", None)
        travel = getattr(row, "direction", None)
        basis = getattr(row, "direction_basis", None)
        moved = row.change_yoy if basis in YEAR_ON_YEAR_BASES else getattr(row, "change_prev", np.nan)
        status = str(row.status_text) if isinstance(row.status_text, str) else ""
        rows.append({
            "Theme": getattr(row, "theme", ""),
            "Ref": getattr(row, "measure_ref", ""),
            "Measure": getattr(row, "measure", getattr(row, "measure_id", "")),
            "This quarter": format_value(getattr(row, "actual", np.nan), unit),
            "Target": format_value(getattr(row, "target", np.nan), unit),
            "Direction of travel": (f"{direction_words[travel]} ({change(moved, unit)} on the {basis})"
                                    if isinstance(travel, str) else BLANK),
            "Variation (latest point)": (f"{row.variation_text} [{row.latest_period_label}]"
                                         if isinstance(row.variation_text, str) else status),
            "Assurance": _provisional(row.assurance_text, bool(getattr(row, "short_series", False))),
            "Points": format_value(row.points, "count"),
            "Note": status if row.status != "ok" else "",
        })
    return pd.DataFrame(rows, columns=["Theme", "Ref", "Measure", "This quarter", "Target", "Direction of travel",
                                       "Variation (latest point)", "Assurance", "Points", "Note"])


def _provisional(text: Any, short: bool) -> str:
    """An assurance verdict as a reader sees it: marked provisional when the series is short."""
    if not isinstance(text, str):
        return BLANK
    return f"Provisional: {text[:1].lower()}{text[1:]}" if short else text


def forecast(trends: pd.DataFrame, year_ends: pd.DataFrame, *, keys: Any = None) -> pd.DataFrame:
    """Trend and year-end forecast in plain words, one row per measure with enough points for either.

    ``trends`` and ``year_ends`` are :func:`harrowperf.analyse.forecast.linear_trend` and
    :func:`harrowperf.analyse.forecast.year_end` results of the same frame.
    """
    from harrowperf.analyse.forecast import FORECAST_STATUSES
    from harrowperf.analyse.series import series_keys

    key_columns = list(series_keys(trends, keys))
    merged = trends.merge(
        year_ends.drop(columns=[c for c in ("theme", "measure", "unit", "polarity") if c in year_ends]),
        on=key_columns, how="outer",
    )
    columns = ["Measure", "Quarters", "Trend", "Year-end forecast", "Annual target", "Chance of meeting target",
               "Note"]
    rows = []
    for row in merged.itertuples(index=False):
        has_trend = isinstance(row.trend, str)
        has_forecast = row.status in ("ok", "year_end_reported")
        if not (has_trend or has_forecast):
            continue
        unit = getattr(row, "unit", "")
        slope_unit = "%" if unit == "%" else None
        per_quarter = (
            f"{change(row.slope, slope_unit)} a quarter (95% CI {change(row.slope_lower, slope_unit)} to "
            f"{change(row.slope_upper, slope_unit)})"
            if has_trend and np.isfinite(row.slope_lower) else ("no change" if has_trend else BLANK)
        )
        if row.status == "ok":
            year_end = (f"{row.year_end_label}: {format_value(row.forecast, unit)} "
                        f"({format_value(row.forecast_lower, unit)} to {format_value(row.forecast_upper, unit)})")
        elif has_forecast:
            year_end = f"{row.year_end_label}: {format_value(row.forecast, unit)} (reported)"
        else:
            year_end = BLANK
        rows.append({
            "Measure": getattr(row, "measure", row[0]),
            "Quarters": format_value(row.points, "count"),
            "Trend": f"{row.trend}: {per_quarter}" if has_trend else "too few points",
            "Year-end forecast": year_end,
            "Annual target": format_value(row.annual_target, unit),
            "Chance of meeting target": share(row.chance_of_meeting_target, 0),
            "Note": FORECAST_STATUSES.get(row.status, "") if isinstance(row.status, str) else "",
        })
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------------
# Benchmark
# ---------------------------------------------------------------------------------------------


def benchmark(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`harrowperf.analyse.benchmark.summary` for readers: plain headings, values with their units,
    one row per measure (the measure is the row label)."""
    words = settings().benchmark.quartile_words
    rows = summary
    return pd.DataFrame({
        "Measure": rows["measure"].astype(str),
        "Period": rows["period_label"].astype(str),
        "Value": [format_value(v, u) for v, u in zip(rows["actual"], rows["unit"], strict=True)],
        "Rank": [ordinal(r) + (" (joint)" if t else "") if not is_blank(r) else "not ranked"
                 for r, t in zip(rows["rank"], rows["tied"], strict=True)],
        "Of": _texts(rows["rank_of"], "count"),
        "Quarter of group": [words[str(int(q))] if not is_blank(q) else BLANK for q in rows["quartile"]],
        "Group median": [format_value(v, u) for v, u in zip(rows["group_median"], rows["unit"], strict=True)],
        "Places moved": [BLANK if is_blank(c) else "none" if c == 0 else format_value(c, "count", signed=True)
                         for c in rows["rank_change"]],
        "Basis": rows["rank_basis"].astype(str),
    }).set_index("Measure")


# ---------------------------------------------------------------------------------------------
# Budget: money in £m unless the council printed the table in £000
# ---------------------------------------------------------------------------------------------


def budget_revisions(frame: pd.DataFrame) -> pd.DataFrame:
    """The revisions of each year's gap between rounds (real figures, £m)."""
    revisions = budget.gap_revisions(budget.real(frame))
    return pd.DataFrame({
        "Year": revisions["year_label"], "Earlier round": revisions["previous_round"],
        "Later round": revisions["round"], "Earlier gap £m": _money_cells(revisions["previous_gap"]),
        "Later gap £m": _money_cells(revisions["gap"]), "Revision £m": _money_cells(revisions["revision"]),
        "Note": np.where(revisions["involves_range"], "a range: its midpoint is used", ""),
        "Trust": revisions["trust"]})


def budget_first_final(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year, the first and the latest published gap and how the gap was closed (real figures, £m)."""
    closure = budget.gap_closure(budget.real(frame))
    if closure.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "Year": closure["year_label"], "Estimates": _texts(closure["rounds"], "count"),
        "First round": closure["first_round"], "First gap £m": _money_cells(closure["first_gap"]),
        "Latest round": closure["final_round"], "Latest gap £m": _money_cells(closure["final_gap"]),
        "Balanced": closure["balanced"].map({True: "yes", False: "not yet"}),
        "Savings £m": _money_cells(closure["savings"]), "Reserves used £m": _money_cells(closure["reserves_used"]),
        "Council tax rise": _texts(closure["council_tax_rise_pct"], "%", decimals=2),
        "Extra council tax £m": _money_cells(closure["extra_council_tax"])})


def budget_bridge(steps: pd.DataFrame, sheet: str | None = None, style: str = "£000", *,
                  area: str | None = None) -> pd.DataFrame:
    """A bridge laid out like the source table (one row per area, steps across), in £000 by default
    (``style="£m"`` for millions). ``sheet`` picks the table; else the first table holding ``area``;
    else the first table."""
    if sheet is None and area is not None and (steps["area"] == area).any():
        sheet = steps.loc[steps["area"] == area, "sheet"].iloc[0]
    chosen = steps if sheet is None else steps[steps["sheet"] == sheet]
    if chosen.empty:
        return pd.DataFrame()
    first = chosen.iloc[0]
    chosen = chosen[(chosen["source"] == first["source"]) & (chosen["sheet"] == first["sheet"])]
    wide = budget.bridge_by_area(chosen)
    amounts = {f"{column} {style}": _money_cells(wide[column], style)
               for column in wide.columns if column not in ("source", "sheet", "area")}
    return pd.DataFrame({"Area": wide["area"], **amounts})


def budget_in_year(frame: pd.DataFrame, quarter: str | pd.Period) -> pd.DataFrame:
    """The real in-year figures published for ``quarter`` (any kind: budget, variance, savings...)."""
    rows = budget.in_year(frame, quarter)
    return pd.DataFrame({
        "Area": rows["area"], "Figure": rows["line"],
        "Amount": [format_value(amount, "%" if unit == "%" else "£")
                   for amount, unit in zip(rows["amount"], rows["unit"], strict=True)],
        "As published": rows["text"], "Trust": rows["trust"], "Source": rows["source_ref"]}).reset_index(drop=True)


def budget_variance(table: pd.DataFrame, period_label: str | None = None) -> pd.DataFrame:
    """A variance table: budget, forecast, variance, movement and RAG per area, £m."""
    rows = table if period_label is None else table[table["period_label"] == period_label]
    return pd.DataFrame({
        "Area": rows["area"], "Budget £m": _money_cells(rows["budget"]),
        "Forecast outturn £m": _money_cells(rows["forecast_outturn"]), "Variance £m": _money_cells(rows["variance"]),
        "Variance %": _texts(rows["variance_pct"], "%", decimals=1), "Over/under": rows["direction"],
        "Movement since last quarter £m": _money_cells(rows["forecast_movement"]),
        "RAG": rows["rag"], "Status": rows["status"]}).reset_index(drop=True)


def budget_scenario(result: pd.DataFrame) -> pd.DataFrame:
    """A scenario result (:func:`harrowperf.analyse.budget.scenario`), £m."""
    def yearly(column: str) -> list[str]:
        return _money_cells(result[column].diff().fillna(result[column]))

    return pd.DataFrame({
        "Year": result["year_label"], "Gap in the plan £m": _money_cells(result["gap_plan"]),
        "Gap in the scenario £m": _money_cells(result["gap_scenario"]), "Change £m": _money_cells(result["change"]),
        "Of which council tax £m": yearly("council_tax_effect"),
        "Of which grants and other funding £m": yearly("funding_effect"),
        "Of which inflation £m": yearly("inflation_effect"),
        "Cumulative, plan £m": _money_cells(result["cumulative_plan"]),
        "Cumulative, scenario £m": _money_cells(result["cumulative_scenario"])})


def budget_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """The sources of the figures in the data, for the end of a report."""
    listed = budget.sources(frame)
    return pd.DataFrame({
        "Figures": listed["status"].map({"real": "real", "illustrative": "ILLUSTRATIVE (made up)"}),
        "Workbook": listed["source"], "Source": listed["source_ref"], "Trust": listed["trust"],
        "Number of figures": _texts(listed["figures"], "count")})


__all__ = ["HEADINGS", "benchmark", "budget_bridge", "budget_first_final", "budget_in_year", "budget_revisions",
           "budget_scenario", "budget_sources", "budget_variance", "commentary", "display", "forecast", "revisions",
           "target_gap", "trend_overview"]

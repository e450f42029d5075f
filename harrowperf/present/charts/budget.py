"""Budget charts: the year-to-year bridge (waterfall), variance by directorate, the MTFS gap, gaps across rounds.

Each function takes the output of the matching ``harrowperf.analyse.budget`` function and returns an Altair
chart with a ``title`` and a plain-words ``description`` (the report prints it as the caption and
the chart's data, whose columns have readable names, as the table under it). Amounts are shown
in £ millions. RAG ratings are printed as text beside their colour; colours come from
``conventions/rag.toml`` ``[chart_colours]`` and ``conventions/budget.toml`` ``[chart_colours]``
(colour-blind safe). Illustrative figures are never charted with real ones, and a chart of
illustrative figures says so in its title.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import parse_financial_year
from harrowperf.present.charts.axis import period_domain, period_x
from harrowperf.present.format import format_value, money

MILLION = 1_000_000
ILLUSTRATIVE_PREFIX = "ILLUSTRATIVE (made-up figures): "


def _one_status(frame: pd.DataFrame, what: str) -> str:
    statuses = sorted(set(frame["status"]))
    if len(statuses) > 1:
        raise ParameterError(f"the {what} mixes real and illustrative figures; chart them separately "
                             "(hp.budget.real(...) or hp.budget.illustrative(...))")
    return statuses[0] if statuses else "real"


def _title(text: str, status: str) -> str:
    return (ILLUSTRATIVE_PREFIX + text) if status == "illustrative" else text


def _message(title: str, message: str) -> alt.Chart:
    """A chart that says in words why there is nothing to draw (never an empty plot or an error)."""
    data = pd.DataFrame({"Message": [message]})
    return alt.Chart(data).mark_text(align="left", x=0, y=10, fontSize=13).encode(text="Message:N").properties(
        width=520, height=24, title=title, description=message)


# ---------------------------------------------------------------------------------------------
# Bridge
# ---------------------------------------------------------------------------------------------


def bridge_chart(steps: pd.DataFrame, area: str | None = None, sheet: str | None = None) -> alt.TopLevelMixin:
    """Waterfall of ``harrowperf.analyse.budget.bridge`` steps for one table and area.

    Grey bars are the opening and closing budgets; orange bars add to the budget (inflation,
    growth), blue bars reduce it (savings); a pink bar is what the table's closing budget does not
    explain. Each bar is labelled with its amount in £m.
    """
    chosen = steps
    if sheet is not None:
        chosen = chosen[chosen["sheet"] == sheet]
    if area is not None:
        chosen = chosen[chosen["area"] == area]
    title = f"Budget bridge: {area or 'all areas'}"
    if chosen.empty:
        return _message(title, f"No bridge in the data for {area or 'this selection'}.")
    first = chosen.iloc[0]
    chosen = chosen[(chosen["source"] == first["source"]) & (chosen["sheet"] == first["sheet"])
                    & (chosen["area"] == first["area"])]
    status = _one_status(chosen, "bridge")
    colours = settings().budget.chart_colours
    kinds = {"start": "Budget", "end": "Budget", "rebase": "Repricing", "unexplained": "Not explained"}
    data = pd.DataFrame({
        "Order": chosen["step"].astype(int),
        "Step": chosen["label"],
        "Amount £m": (chosen["amount"] / MILLION).round(3),
        "From £m": (chosen["running_start"] / MILLION).round(3),
        "To £m": (chosen["running_end"] / MILLION).round(3),
        "Kind": [kinds.get(k) or ("Adds to budget" if a >= 0 else "Reduces budget")
                 for k, a in zip(chosen["kind"], chosen["amount"], strict=True)],
        "Label": [money(a, "£m") if k in ("start", "end") else format_value(a, "£", style="£m", signed=True)
                  for k, a in zip(chosen["kind"], chosen["amount"], strict=True)],
        "Cell": chosen["cell"],
    })
    data["Top £m"] = data[["From £m", "To £m"]].max(axis=1)
    palette = {"Budget": colours.start_end, "Adds to budget": colours.increase,
               "Reduces budget": colours.decrease, "Repricing": colours.increase,
               "Not explained": colours.unexplained}
    domain = [kind for kind in palette if kind in set(data["Kind"])]
    scale = alt.Scale(domain=domain, range=[palette[kind] for kind in domain])
    low = data[["From £m", "To £m"]].where(data["Kind"] != "Budget").min().min()
    high = data["Top £m"].max()
    floor = max(0.0, low - 0.15 * (high - low)) if pd.notna(low) else 0.0
    order = list(data.sort_values("Order")["Step"])
    base = alt.Chart(data).encode(x=alt.X("Step:N", sort=order, title=None, axis=alt.Axis(labelAngle=-35,
                                                                                          labelLimit=180)))
    bars = base.mark_bar().encode(
        y=alt.Y("From £m:Q", title="£ million", scale=alt.Scale(domainMin=floor, clamp=True)), y2="To £m:Q",
        color=alt.Color("Kind:N", scale=scale, legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["Step:N", "Amount £m:Q", "Cell:N"])
    labels = base.mark_text(dy=-6, fontSize=11).encode(y="Top £m:Q", text="Label:N")
    years = f"{first['from_year']} to {first['to_year']}"
    return alt.layer(bars, labels).properties(
        width=max(320, 60 * len(data)), height=300,
        title=_title(f"How the budget moved from {years}: {first['area']}", status),
        description=(f"Waterfall from the {first['from_year']} budget to the {first['to_year']} budget of "
                     f"{first['area']} ({first['sheet']}). Grey bars are the budgets; each bar between them is "
                     "one movement, labelled in £m: orange adds to the budget (inflation, growth), blue "
                     "reduces it (savings). A pink bar, if any, is a difference the table itself does not "
                     "explain. Look for the largest bars: they drove the change. The axis starts near the "
                     "smallest running total, not at zero, so that the movements can be seen."))


# ---------------------------------------------------------------------------------------------
# In-year variance
# ---------------------------------------------------------------------------------------------


def variance_chart(table: pd.DataFrame, period_label: str | None = None) -> alt.TopLevelMixin:
    """Forecast variance by area for one period (``harrowperf.analyse.budget.variance`` output).

    Bars right of zero are forecast overspends, left underspends; each is coloured and labelled
    with its RAG rating. Totals are left out (they would dwarf the services).
    """
    rows = table[~table["is_total"].astype(bool)]
    if period_label is not None:
        rows = rows[rows["period_label"] == period_label]
    rows = rows[rows["variance"].notna()]
    title = f"Forecast variance by area{', ' + period_label if period_label else ''}"
    if rows.empty:
        return _message(title, f"No forecast variance in the data for {period_label or 'this selection'}.")
    status = _one_status(rows, "variance table")
    rag_colours = settings().rag.chart_colours
    labels = settings().budget.variance_rag.labels
    data = pd.DataFrame({
        "Area": rows["area"],
        "Period": rows["period_label"],
        "Budget £m": (rows["budget"] / MILLION).round(3),
        "Forecast £m": (rows["forecast_outturn"] / MILLION).round(3),
        "Variance £m": (rows["variance"] / MILLION).round(3),
        "Variance %": rows["variance_pct"].round(1),
        "Direction": rows["direction"],
        "RAG": rows["rag"].replace("", "none"),
        "Label": [f"{rag or '-'} {format_value(v, '£', signed=True)} {d}" for rag, v, d in
                  zip(rows["rag"], rows["variance"], rows["direction"], strict=True)],
    })
    order = list(data.sort_values("Variance £m", ascending=False)["Area"])
    scale = alt.Scale(domain=["G", "A", "R", "none"],
                      range=[rag_colours["G"], rag_colours["A"], rag_colours["R"], rag_colours["missing"]])
    base = alt.Chart(data).encode(y=alt.Y("Area:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)))
    bars = base.mark_bar().encode(
        x=alt.X("Variance £m:Q", title="Forecast variance, £ million (right = overspend)"),
        color=alt.Color("RAG:N", scale=scale, legend=alt.Legend(
            title="RAG", labelExpr=f"datum.label == 'G' ? 'G {labels['G']}' : datum.label == 'A' ? "
                                   f"'A {labels['A']}' : datum.label == 'R' ? 'R {labels['R']}' : 'no rating'")),
        tooltip=["Area:N", "Budget £m:Q", "Forecast £m:Q", "Variance £m:Q", "Variance %:Q", "RAG:N"])
    right = base.transform_filter("datum['Variance £m'] >= 0").mark_text(align="left", dx=4, fontSize=11).encode(
        x="Variance £m:Q", text="Label:N")
    left = base.transform_filter("datum['Variance £m'] < 0").mark_text(align="right", dx=-4, fontSize=11).encode(
        x="Variance £m:Q", text="Label:N")
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="black").encode(x="x:Q")
    periods = ", ".join(dict.fromkeys(data["Period"]))
    span = max(abs(data["Variance £m"].min()), abs(data["Variance £m"].max()), 0.001)
    bars = bars.encode(x=alt.X("Variance £m:Q", title="Forecast variance, £ million (right = overspend)",
                               scale=alt.Scale(domain=[min(0, data["Variance £m"].min()) - 0.6 * span,
                                                       max(0, data["Variance £m"].max()) + 0.6 * span])))
    return alt.layer(bars, zero, right, left).properties(
        width=480, height=max(120, 28 * len(data)),
        title=_title(f"Forecast variance by area, {periods}", status),
        description=(f"For {periods}, each bar is an area's forecast outturn minus its budget, in £m: right of "
                     "the line is a forecast overspend, left an underspend. The letter is the RAG rating "
                     "(G on or under budget, A overspend above the amber threshold, R above the red "
                     "threshold; the thresholds are the council's budget monitoring settings). "
                     "Look first at red bars."))


# ---------------------------------------------------------------------------------------------
# Medium-term gap
# ---------------------------------------------------------------------------------------------


def mtfs_gap_chart(mtfs: pd.DataFrame, round: str) -> alt.TopLevelMixin:
    """Annual gap (bars) and cumulative gap (line) by year for one budget round (``budget.mtfs_gap``)."""
    rows = mtfs[(mtfs["round"] == round) & mtfs["gap"].notna()]
    title = f"Budget gap by year, {round}"
    if rows.empty:
        return _message(title, f"The {round!r} round publishes no gaps.")
    status = _one_status(rows, "gap table")
    colours = settings().budget.chart_colours
    data = pd.DataFrame({
        "Year": rows["year_label"],
        "Gap £m": (rows["gap"] / MILLION).round(3),
        "Low £m": (rows["gap_low"] / MILLION).round(3),
        "High £m": (rows["gap_high"] / MILLION).round(3),
        "Cumulative £m": (rows["cumulative_gap"] / MILLION).round(3),
        "Range": rows["gap_is_range"].map({True: "published as a range (bar at its midpoint)", False: ""}),
        "Label": [("balanced" if g == 0 else money(g, "£m")) for g in rows["gap"]],
    })
    parsed = [parse_financial_year(label) for label in data["Year"]]
    years = period_domain(parsed) if all(p is not None for p in parsed) else list(data["Year"])
    base = alt.Chart(data).encode(x=period_x("Year", years, labelAngle=0))
    bars = base.mark_bar(color=colours.gap).encode(
        y=alt.Y("Gap £m:Q", title="£ million"), tooltip=["Year:N", "Gap £m:Q", "Cumulative £m:Q", "Range:N"])
    labels = base.mark_text(dy=-6).encode(y="Gap £m:Q", text="Label:N")
    ranges = base.transform_filter("datum.Range != ''").mark_rule(strokeWidth=2, color="black").encode(
        y="Low £m:Q", y2="High £m:Q")
    line = base.mark_line(color=colours.cumulative, point=alt.OverlayMarkDef(color=colours.cumulative,
                                                                               shape="diamond", size=60)).encode(
        y="Cumulative £m:Q", tooltip=["Year:N", "Cumulative £m:Q"])
    return alt.layer(bars, ranges, labels, line).properties(
        width=max(240, 80 * len(years)), height=280, title=_title(title, status),
        description=(f"The budget gap the {round} round published for each year (blue bars, £m; 'balanced' "
                     "means no gap) and the gap added up over the years (orange line with diamonds). A black "
                     "line through a bar is a gap published as a range. The cumulative line shows how much "
                     "would have to be found in total if no year's gap were closed."))


def gap_rounds_chart(gaps: pd.DataFrame) -> alt.TopLevelMixin:
    """How each year's forecast gap moved across budget rounds (``budget.gap_by_round``): one line per year."""
    rows = gaps[gaps["gap"].notna()]
    title = "Budget gap for each year, as forecast at each budget round"
    if rows.empty:
        return _message(title, "No budget round in the data publishes a gap.")
    status = _one_status(rows, "gap table")
    data = pd.DataFrame({
        "Round": rows["round"],
        "Reported": rows["round_month"].map(lambda m: m.start_time),
        "Target year": rows["year_label"],
        "Gap £m": (rows["gap"] / MILLION).round(3),
        "Low £m": (rows["gap_low"] / MILLION).round(3),
        "High £m": (rows["gap_high"] / MILLION).round(3),
        "Trust": rows["trust"],
        "Qualifier": rows["qualifier"],
    })
    years = sorted(dict.fromkeys(data["Target year"]))
    colour = alt.Color("Target year:N", sort=years, scale=alt.Scale(scheme="viridis"),
                       legend=alt.Legend(title="Gap for year", columns=2))
    base = alt.Chart(data).encode(x=alt.X("Reported:T", title="Budget round (date reported)"), color=colour)
    lines = base.mark_line(point=True).encode(
        y=alt.Y("Gap £m:Q", title="Published gap, £ million"),
        tooltip=["Round:N", "Target year:N", "Gap £m:Q", "Qualifier:N", "Trust:N"])
    ranges = base.transform_filter("datum['Low £m'] != datum['High £m']").mark_rule(strokeWidth=3).encode(
        y="Low £m:Q", y2="High £m:Q")
    last = data.sort_values("Reported").groupby("Target year", as_index=False).last()
    last = last[last["Gap £m"] != 0]  # lines that end balanced meet at zero: their labels would overlap
    ends = alt.Chart(last).mark_text(align="left", dx=6, fontSize=10).encode(
        x="Reported:T", y="Gap £m:Q", text="Target year:N", color=alt.Color("Target year:N", sort=years,
                                                                            scale=alt.Scale(scheme="viridis"),
                                                                            legend=None))
    return alt.layer(lines, ranges, ends).properties(
        width=560, height=320, title=_title(title, status),
        description=("Each line follows one financial year's budget gap as it was restated at successive "
                     "budget rounds (x: when the round was reported; y: the published gap in £m; 0 = "
                     "balanced). Lines that fall to zero are years whose budget was balanced; a line that "
                     "rises means the gap was revised up. A vertical bar is a gap published as a range. "
                     "Hover for the round, its source's trust grade and qualifiers such as 'roughly'."))


def scenario_chart(result: pd.DataFrame, round: str | None = None) -> alt.TopLevelMixin:
    """Annual gap under the plan and the scenario side by side, by year (``budget.scenario`` output);
    ``round`` names the budget round whose plan the scenario starts from."""
    title = f"Budget gap: the {round} plan and the scenario" if round else "Budget gap: plan and scenario"
    if result.empty:
        return _message(title, "The scenario has no years to show.")
    colours = settings().budget.chart_colours
    data = pd.concat([
        pd.DataFrame({"Year": result["year_label"], "Case": "Plan (as published)",
                      "Gap £m": (result["gap_plan"] / MILLION).round(3),
                      "Cumulative £m": (result["cumulative_plan"] / MILLION).round(3)}),
        pd.DataFrame({"Year": result["year_label"], "Case": "Scenario",
                      "Gap £m": (result["gap_scenario"] / MILLION).round(3),
                      "Cumulative £m": (result["cumulative_scenario"] / MILLION).round(3)}),
    ], ignore_index=True)
    data["Label"] = data["Gap £m"].map(lambda v: f"{v:,.1f}")
    scale = alt.Scale(domain=["Plan (as published)", "Scenario"], range=[colours.plan, colours.scenario])
    base = alt.Chart(data).encode(x=alt.X("Year:N", title=None, axis=alt.Axis(labelAngle=0)),
                                  xOffset=alt.XOffset("Case:N"))
    bars = base.mark_bar().encode(y=alt.Y("Gap £m:Q", title="Annual gap, £ million"),
                                  color=alt.Color("Case:N", scale=scale, legend=alt.Legend(title=None,
                                                                                          orient="bottom")),
                                  tooltip=["Year:N", "Case:N", "Gap £m:Q", "Cumulative £m:Q"])
    labels = base.mark_text(dy=-6, fontSize=11).encode(y="Gap £m:Q", text="Label:N")
    return alt.layer(bars, labels).properties(
        width=max(240, 120 * result["year_label"].nunique()), height=260, title=title,
        description=("For each year, the grey bar is the gap the budget round published and the amber bar the "
                     "gap if the assumptions changed as set in the notebook's parameters (council tax rise, "
                     "grant change, extra inflation), in £m. A taller amber bar means the change makes the "
                     "gap worse."))

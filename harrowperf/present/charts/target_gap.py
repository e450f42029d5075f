"""Scorecard charts: a RAG heatmap, a diverging chart of gaps to target, and actual against target for a theme.

Every chart prints the RAG code as text beside or on its colour (colours alone do not carry the
status), takes its colours from ``conventions/rag.toml`` ``[chart_colours]`` (colour-blind safe),
and has a title and a plain-words description that the report uses as its caption. The data
each chart carries has readable column names, because the report shows it as a table.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from harrowperf.analyse.gaps import analyse_if_needed, check_quarter, recent, select_theme
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.periods import quarter_label
from harrowperf.present.charts import RAG_ORDER
from harrowperf.present.charts.axis import labels_of, period_domain, period_x
from harrowperf.present.format import format_value, share

NO_STATUS = "no status"
_TARGET_DESCRIPTION = (
    "One strip per measure in {}, each on its own scale and in its own unit (named after the measure). "
    "The black tick is the target (for 'year on year reduction', last year's figure); a grey bar is a "
    "target range. The coloured dot is this quarter's actual and its code the RAG status; its shape "
    "repeats the colour group (circle green, diamond amber, triangle red). Hollow grey circles are "
    "earlier quarters (up to {} back). Whether a dot left or right of the tick is good depends on the measure: the "
    "status code says which.")
_ROW_HEIGHT = 18


_POLARITY_WORDS = {"higher": "higher", "lower": "lower", "in_range": "inside the range"}


def _drawn(statuses: Iterable[str] | None) -> list[str]:
    """The statuses a legend lists: those drawn (all when not given), in RAG order."""
    every = [*RAG_ORDER, NO_STATUS]
    if statuses is None:
        return every
    present = set(statuses)
    return [status for status in every if status in present]


def _status_scale(statuses: Iterable[str] | None = None) -> alt.Scale:
    palette = {**settings().rag.chart_colours, NO_STATUS: settings().rag.chart_colours["missing"]}
    domain = _drawn(statuses)
    return alt.Scale(domain=domain, range=[palette[c] for c in domain])


def _dark_codes() -> list[str]:
    """Codes whose chart colour is dark enough to need white text (relative luminance below 0.4)."""
    def luminance(colour: str) -> float:
        red, green, blue = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    return [code for code in RAG_ORDER if luminance(settings().rag.chart_colours[code]) < 0.4]


def _label(ref: object, name: object) -> str:
    """"13 – Average speed to answer..." shortened to the configured length for an axis.

    The dash keeps the measure number apart from the name ("14 % of calls" would read as 14%).
    """
    limit = settings().target_gap.charts.label_characters
    text = f"{ref} – {name}".strip() if isinstance(ref, str) and ref else str(name)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _labels(frame: pd.DataFrame) -> pd.Series:
    """Axis labels per row; measures whose shortened labels coincide get their measure_id added."""
    labels = pd.Series([_label(r, n) for r, n in zip(frame["measure_ref"], frame["measure"], strict=True)],
                       index=frame.index)
    ids = frame["measure_id"].astype(str)
    shared = labels.groupby(labels).transform(lambda group: ids[group.index].nunique()) > 1
    return labels.where(~shared, labels + " (" + ids + ")")


def _titled(text: str, note: str) -> str | alt.TitleParams:
    """A chart title, with ``note`` (what was left out) under it when there is one."""
    return alt.TitleParams(text, subtitle=[note], anchor="start") if note else text


def _needing_attention(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, str]:
    """At most ``limit`` measures of ``rows`` (one or more rows per measure), the reddest first.

    With ``limit`` measures or fewer every row is kept. Otherwise measures are ranked by how many
    of their rows are red (by the status shown, ``rag_status``), then amber, then by their worst
    gap to target, and the rows of the first ``limit`` are kept, in their order in ``rows``.
    Returns the rows and a sentence saying what was left out ("" when nothing was).
    """
    ids = rows["measure_id"].astype(object)
    total = ids.nunique()
    if total <= limit:
        return rows, ""
    group = rows["rag_status"].astype(object).map(settings().rag.groups)
    rank = pd.DataFrame({"measure_id": ids, "red": (group == "red").astype(int),
                         "amber": (group == "amber").astype(int),
                         "gap": rows["gap_rel"].astype(float) if "gap_rel" in rows else np.nan})
    ranked = rank.groupby("measure_id", sort=False).agg(red=("red", "sum"), amber=("amber", "sum"),
                                                        gap=("gap", "min"))
    ranked = ranked.sort_values(["red", "amber", "gap"], ascending=[False, False, True], kind="stable",
                                na_position="last")
    chosen = set(ranked.index[:limit])
    flagged = int(((ranked["red"] > 0) | (ranked["amber"] > 0)).sum())
    note = (f"{limit} of {total} measures are drawn: those red (then amber) most often, then the furthest "
            f"below target; {flagged} are red or amber. The tables list every measure.")
    return rows[ids.isin(chosen).to_numpy()], note


def rag_heatmap(frame: pd.DataFrame, quarter: str | pd.Period | None = None,
                theme: str | None = None) -> alt.TopLevelMixin:
    """Measure x quarter grid of RAG statuses, one panel per theme, the code printed in each cell.

    Shows the quarters of :func:`harrowperf.analyse.gaps.recent` ending with ``quarter`` (default: the
    latest). The status is the computed RAG where the figures give one, else the reported RAG (see
    :func:`harrowperf.analyse.gaps.rag_status`); a code with "*" is one where the reported RAG differs.
    ``frame`` is an analysed frame (:func:`harrowperf.analyse.gaps.analyse`; analysed here if not).
    """
    data = recent(select_theme(analyse_if_needed(frame), theme), quarter)
    if data.empty:
        return _message_chart("RAG status of each measure by quarter", "There are no measures to show.")
    data, note = _needing_attention(data, settings().target_gap.charts.heatmap_measures)
    if "frequency" in data.columns:  # a monthly or annual measure's cell is its quarter's (its month or year)
        own = (data["frequency"].astype(object) == "quarter").to_numpy()
        quarters = pd.Series([quarter_label(p) for p in data["period"]], index=data.index, dtype=object)
        data = data.assign(period_label=data["period_label"].astype(object).where(own, quarters))
    order = period_domain(data["period"], labels_of(data))
    status = data["rag_status"].astype(object)
    reported = data["rag"].astype(object)
    computed = data["rag_computed"].astype(object)
    differs = computed.notna() & reported.notna() & (computed != reported)
    chart_data = pd.DataFrame({
        "Theme": data["theme"].astype(str),
        "Measure": _labels(data),
        "Quarter": data["period_label"].astype(str),
        "Status": status.fillna(NO_STATUS),
        "Code": status.fillna("–") + np.where(differs, "*", ""),
        "Reported RAG": reported.fillna(""),
        "Computed RAG": computed.fillna(""),
        "Target": data["target_text"].astype(str),
        "Actual": data["actual_text"].astype(str),
        "Why no computed RAG": data["rag_note"].astype(object).fillna(""),
    })
    measures = list(dict.fromkeys(chart_data["Measure"]))
    base = alt.Chart().encode(
        x=period_x("Quarter", order, orient="top", labelAngle=0),
        y=alt.Y("Measure:N", sort=measures, title=None, axis=alt.Axis(labelLimit=400)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("Status:N", scale=_status_scale(chart_data["Status"]), title="RAG status"),
        tooltip=["Measure", "Quarter", "Status", "Reported RAG", "Computed RAG", "Target", "Actual",
                 "Why no computed RAG"],
    )
    codes = base.mark_text(fontSize=11, fontWeight="bold").encode(
        text="Code:N",
        color=alt.condition(alt.FieldOneOfPredicate(field="Status", oneOf=_dark_codes()), alt.value("white"),
                            alt.value("black")),
    )
    quarters_text = ", ".join(order)
    chart = alt.layer(cells, codes, data=chart_data).properties(width=90 * max(len(order), 1)).facet(
        row=alt.Row("Theme:N", title=None, sort=list(dict.fromkeys(chart_data["Theme"])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontWeight="bold", labelFontSize=12)),
        title=_titled("RAG status of each measure by quarter" + (f": {data['theme'].iloc[0]}" if theme else ""), note),
        description=(note + " " if note else "") + (
            f"Each row is a measure and each column a quarter ({quarters_text}). The colour and the "
            "printed code give the RAG status: HG high green, LG low green, G green (inside a target "
            "range), A amber, LR low red, HR high red; a dash means no status (no target, no figure, or "
            "an annual target not yet due). The status is computed from the target and the actual where "
            "possible, otherwise the reported one is shown; an asterisk marks a cell where the status the "
            "service reported differs from the computed one. Look for rows that stay red."),
    ).resolve_scale(y="independent")
    return chart


def gap_chart(frame: pd.DataFrame, quarter: str | pd.Period, theme: str | None = None) -> alt.TopLevelMixin:
    """Diverging bars of each measure's gap to target in a quarter, as a share of the target,
    sorted with the furthest below target at the top, coloured and labelled with the RAG code.

    Bars right of zero are better than target whatever the measure's polarity. Dashed lines
    mark the RAG band edges; gaps beyond ``[charts] gap_axis_limit`` are drawn at the edge.
    """
    data = select_theme(analyse_if_needed(frame), theme)
    period = check_quarter(data, quarter)
    rows = data[(data["period"] == period) & data["gap_rel"].notna()].sort_values("gap_rel", kind="stable")
    if rows.empty:
        return _message_chart(f"Gap to target, {quarter_label(period)}",
                              f"No measure has a target to compare with in {quarter_label(period)}"
                              + (f" in theme {data['theme'].iloc[0]!r}" if theme else "") + ".")
    shown = settings().target_gap.charts.gap_chart_measures
    note = (f"The {shown} of {len(rows)} measures furthest below target are drawn; the tables list every "
            "measure." if len(rows) > shown else "")
    rows = rows.head(shown)
    limit = settings().target_gap.charts.gap_axis_limit
    status = rows["rag_status"].astype(object).fillna(NO_STATUS)
    percent = (rows["gap_rel"] * 100).round(1)
    chart_data = pd.DataFrame({
        "Measure": _labels(rows).to_numpy(),
        "Theme": rows["theme"].astype(str).to_numpy(),
        "Gap to target (% of target)": percent.to_numpy(),
        "Bar": (rows["gap_rel"].clip(-limit, limit) * 100).to_numpy(),
        "Status": status.to_numpy(),
        "Label": [f"{code} {format_value(rel, 'share', signed=True)}" for code, rel in zip(status, rows["gap_rel"],
                                                                                     strict=True)],
        "Target": rows["target_text"].astype(str).to_numpy(),
        "Actual": rows["actual_text"].astype(str).to_numpy(),
        "Good =": rows["polarity"].astype(object).map(_POLARITY_WORDS).fillna("–").to_numpy(),
    })
    chart_data["Label position"] = chart_data["Bar"]
    chart_data["Align"] = np.where(chart_data["Bar"] < 0, "right", "left")
    order = chart_data["Measure"].tolist()
    y = alt.Y("Measure:N", sort=order, title=None, axis=alt.Axis(labelLimit=400))
    x_scale = alt.Scale(domain=[-limit * 100 * 1.25, limit * 100 * 1.25])
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("Bar:Q", title="Gap to target, % of target (right = better than target)", scale=x_scale),
        y=y, color=alt.Color("Status:N", scale=_status_scale(chart_data["Status"]), title="RAG status"),
        tooltip=["Measure", "Theme", "Target", "Actual", "Good =", "Gap to target (% of target)", "Status"],
    )
    left = alt.Chart().transform_filter("datum.Bar < 0").mark_text(align="right", dx=-3, fontSize=10).encode(
        x="Bar:Q", y=y, text="Label:N")
    right = alt.Chart().transform_filter("datum.Bar >= 0").mark_text(align="left", dx=3, fontSize=10).encode(
        x="Bar:Q", y=y, text="Label:N")
    bands = settings().rag.bands
    edges = pd.DataFrame({"edge": [bands.hg_from * 100, bands.amber_above * 100, bands.lr_from * 100]})
    rules = alt.Chart(edges).mark_rule(strokeDash=[4, 3], color="#777777").encode(x="edge:Q")
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="black").encode(x="zero:Q")
    label = quarter_label(period)
    return alt.layer(rules, zero, bars, left, right, data=chart_data).properties(
        height=_ROW_HEIGHT * len(chart_data), width=520,
        title=_titled(f"Gap to target, {label}" + (f": {data['theme'].iloc[0]}" if theme else ""), note),
        description=(note + " " if note else "") + (
            f"Each bar is one measure's distance from its target in {label}, as a percentage of the "
            "target, signed so that bars to the right of the black line are better than target and bars "
            "to the left are worse, whether higher or lower is better for that measure. The furthest "
            "below target are at the top. The colour and the label give the RAG status and the gap. "
            "Dashed lines mark the edges of the RAG bands (5% above target, 5% and 10% below). Gaps "
            f"larger than {share(limit, 0)} are drawn at the edge of the chart; the label gives the true value."),
    )


def target_chart(frame: pd.DataFrame, theme: str, quarter: str | pd.Period) -> alt.TopLevelMixin:
    """For one theme: each measure's actual (a dot, coloured and labelled with its RAG code) against
    its target (a black tick, or a grey bar for a target range) in a quarter, with the actuals of
    earlier quarters as small hollow circles. Each measure has its own scale, in its own unit.
    """
    data = select_theme(analyse_if_needed(frame), theme)
    period = check_quarter(data, quarter)
    current = data[(data["period"] == period) & data["rag_value"].notna()]
    if current.empty:
        return _message_chart(f"Actual against target, {quarter_label(period)}: {data['theme'].iloc[0]}",
                              f"No measure of this theme has a figure to compare with a target in "
                              f"{quarter_label(period)}.")
    current, note = _needing_attention(current, settings().target_gap.charts.target_chart_measures)
    measures = current["measure_id"].tolist()
    history = settings().target_gap.charts.target_chart_history
    # a rank-range measure is drawn in ranks now; its earlier actuals are rates, on another scale
    ranked = current.loc[current["target_kind"] == "rank_range", "measure_id"]
    earlier = data[(data["period"] < period) & (data["period"] >= period - history)
                   & data["measure_id"].isin(measures) & data["actual"].notna()
                   & ~data["measure_id"].isin(ranked)]
    units = {"%": "%", "s": "seconds", "rank": "rank", "count": "number", "ratio": "ratio", "£": "£"}
    labels = _labels(current)
    unit = np.where(current["target_kind"] == "rank_range", "rank",
                    current["unit"].astype(object).fillna("").map(lambda u: units.get(u, u)))
    row_label = labels + np.where(unit != "", " (" + pd.Series(unit, index=current.index) + ")", "")
    names = dict(zip(current["measure_id"], row_label, strict=True))
    low = np.where(current["target_kind"].isin(["range", "rank_range"]), current["target_low"], np.nan)
    high = np.where(current["target_kind"].isin(["range", "rank_range"]), current["target_high"], np.nan)
    point = np.where(current["rag_basis"].isin(["point", "annual", "year on year"]), current["rag_reference"],
                     np.nan)
    status = current["rag_status"].astype(object).fillna(NO_STATUS)
    now = pd.DataFrame({
        "Measure": row_label.to_numpy(), "Quarter": quarter_label(period), "Value": current["rag_value"].to_numpy(),
        "Status": status.to_numpy(), "Code": status.replace(NO_STATUS, "–").to_numpy(),
        "Target": current["target_text"].astype(str).to_numpy(), "Target value": point,
        "Range from": low, "Range to": high, "Actual as printed": current["actual_text"].astype(str).to_numpy(),
        "Kind": "this quarter",
    })
    before = pd.DataFrame({
        "Measure": earlier["measure_id"].map(names).to_numpy(), "Quarter": earlier["period_label"].to_numpy(),
        "Value": earlier["actual"].to_numpy(), "Status": "", "Code": "", "Target": "",
        "Target value": np.nan, "Range from": np.nan, "Range to": np.nan,
        "Actual as printed": earlier["actual_text"].astype(str).to_numpy(), "Kind": "earlier quarter",
    })
    chart_data = pd.concat([now, before], ignore_index=True) if len(before) else now
    x = alt.X("Value:Q", title=None, scale=alt.Scale(zero=False, nice=True), axis=alt.Axis(tickCount=5))
    ranges = alt.Chart().transform_filter("isValid(datum['Range from'])").mark_bar(
        height=10, color="#BBBBBB").encode(x=alt.X("Range from:Q", title=None), x2="Range to:Q")
    targets = alt.Chart().transform_filter("isValid(datum['Target value'])").mark_tick(
        color="black", thickness=2, size=16).encode(x=alt.X("Target value:Q", title=None))
    history = alt.Chart().transform_filter("datum.Kind == 'earlier quarter'").mark_point(
        shape="circle", filled=False, color="#777777", size=40).encode(
        x=x, tooltip=["Measure", "Quarter", "Actual as printed"])
    dots = alt.Chart().transform_filter("datum.Kind == 'this quarter'").mark_point(
        filled=True, size=110, stroke="black", strokeWidth=0.5).encode(
        x=x, color=alt.Color("Status:N", scale=_status_scale(now["Status"]), title="RAG status"),
        shape=alt.Shape("Status:N", scale=_status_shapes(now["Status"]), legend=None),
        tooltip=["Measure", "Quarter", "Actual as printed", "Target", "Status"])
    codes = alt.Chart().transform_filter("datum.Kind == 'this quarter'").mark_text(
        align="left", dx=9, fontSize=10, fontWeight="bold").encode(x=x, text="Code:N")
    label = quarter_label(period)
    return alt.layer(ranges, targets, history, dots, codes, data=chart_data).properties(
        width=420, height=_ROW_HEIGHT + 4).facet(
        row=alt.Row("Measure:N", sort=list(dict.fromkeys(now["Measure"])), title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelLimit=420,
                                      labelOrient="top")),
        spacing=6,
        title=_titled(f"Actual against target, {label}: {data['theme'].iloc[0]}", note),
        description=(note + " " if note else "") + _TARGET_DESCRIPTION.format(label, history),
    ).resolve_scale(x="independent")


def _message_chart(title: str, message: str) -> alt.Chart:
    """A chart that says in words why there is nothing to draw (a report never shows a blank)."""
    return alt.Chart(pd.DataFrame({"Message": [message]})).mark_text(
        fontSize=13, align="left", x=0, y=10).encode(text="Message:N").properties(
        width=520, height=24, title=title, description=message)


def target_charts(frame: pd.DataFrame, quarter: str | pd.Period) -> alt.TopLevelMixin:
    """:func:`target_chart` for every theme in ``frame`` that has something to draw, one under another."""
    data = analyse_if_needed(frame)
    period = check_quarter(data, quarter)
    has_figure = data[(data["period"] == period) & data["rag_value"].notna()]
    if len(set(has_figure["theme"])) == 1:
        return target_chart(data, has_figure["theme"].iloc[0], period)
    has_figure, note = _needing_attention(has_figure, settings().target_gap.charts.target_chart_measures)
    data = data[data["measure_id"].isin(set(has_figure["measure_id"]))]
    themes = list(dict.fromkeys(has_figure["theme"]))
    if not themes:
        return _message_chart(f"Actual against target, {quarter_label(period)}",
                              f"No measure has a figure to compare with a target in {quarter_label(period)}.")
    parts = [target_chart(data, theme, period) for theme in themes]
    for part in parts:  # the whole figure has one title and caption, each panel keeps its theme as title
        part.description = alt.Undefined
    return alt.vconcat(*parts, spacing=30).properties(
        title=_titled(f"Actual against target by theme, {quarter_label(period)}", note),
        description=(note + " " if note else "")
        + _TARGET_DESCRIPTION.format(quarter_label(period), settings().target_gap.charts.target_chart_history))


def _status_shapes(statuses: Iterable[str] | None = None) -> alt.Scale:
    groups = settings().rag.groups
    shape = {"green": "circle", "amber": "diamond", "red": "triangle-down"}
    shapes = {**{c: shape[groups[c]] for c in RAG_ORDER}, NO_STATUS: "square"}
    domain = _drawn(statuses)
    return alt.Scale(domain=domain, range=[shapes[c] for c in domain])


__all__ = ["gap_chart", "rag_heatmap", "target_chart", "target_charts"]

"""Benchmark charts: a council ranked among its comparators, and against the group median over time."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from harrowperf.analyse.benchmark import (
    find_council,
    group_statistics,
    period_mask,
    quartile_bands,
)
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.present.charts.axis import labels_of, period_domain, period_x
from harrowperf.present.format import format_value, ordinal

_NAMED_ROWS_MAX = 40   # above this many councils the chart stops naming each one on the axis
_ROW_HEIGHT = 16
PICKED = "benchmark_measure"  # the parameter naming the measure a picker chart draws


@dataclass(frozen=True)
class _Ranked:
    """What a ranked chart of one measure draws: its dots, bands, median and the words around them."""

    label: str       # the measure and period as the picker lists them: "NEET (%), 2025"
    axis_title: str  # the measure and its unit: "NEET (%)"
    noun: str        # what the group's members are: "London boroughs"
    dots: pd.DataFrame
    bands: pd.DataFrame
    median: pd.DataFrame
    tag: str
    title: str
    subtitle: str
    description: str
    count: int


def _ranked(ranked: pd.DataFrame, code: str, name: str, measure_id: str,
            period: str | pd.Period | None) -> _Ranked:
    rows = ranked[ranked["measure_id"] == measure_id]
    if rows.empty:
        raise ParameterError(f"measure {measure_id!r} is not in the ranked data")
    if period is None:
        period = rows.loc[rows["period"].notna(), "period_label"].iloc[-1]
    rows = rows[period_mask(rows, period) & rows["actual"].notna()]
    if rows.empty:
        raise ParameterError(f"no values for {measure_id} in {period}")
    rows = rows.sort_values(["rank", "actual"], na_position="last")
    first = rows.iloc[0]
    label, unit, noun = first["period_label"], first["unit"], first["group_noun"]
    count = len(rows)
    mine = rows[rows["area_code"] == code]
    colours = settings().benchmark.chart_colours
    dots = pd.DataFrame({
        "council": rows["area_name"].astype(str), "value": rows["actual"].astype(float),
        "rank": rows["rank"].astype(float), "quartile": rows["quartile"].astype(float),
        "highlighted": (rows["area_code"] == code).map({True: name, False: "other members"}),
        "order": range(count),
    })
    median = float(rows["group_median"].iloc[0])
    bands = quartile_bands(ranked, measure_id, period)
    if not bands.empty:
        # alternate label heights so narrow neighbouring bands do not print over each other
        bands = bands.assign(_fill=[colours.quartile_bands[q - 1] for q in bands["quartile"]],
                             _label_y=[2 + 12 * (q % 2 == 0) for q in bands["quartile"]])
    if not mine.empty and pd.notna(mine["rank"].iloc[0]):
        mine_row = mine.iloc[0]
        tag = f"{name}: {format_value(mine_row['actual'], unit)} ({ordinal(mine_row['rank'])} of {count})"
    elif not mine.empty:
        tag = f"{name}: {format_value(mine.iloc[0]['actual'], unit)}"
    else:
        tag = f"{name}: no figure"
    position = (f"{name} is {ordinal(mine['rank'].iloc[0])} of {count}" if not mine.empty
                and pd.notna(mine["rank"].iloc[0]) else f"{name} has no rank here")
    description = (
        f"Each dot is one of the {count} {noun} with a figure for {first['measure']} in {label}, "
        f"best at the top ({first['rank_basis']}). {position}: the larger blue dot, named in bold. "
        f"The black line is the group median ({format_value(median, unit)}). "
        + ("The shaded bands show the values covered by the best, second, third and worst quarter of "
           "the group. " if not bands.empty else "")
        + "Look at how far the council sits from the median and from the best quarter.")
    axis_title = f"{first['measure']} ({unit})" if unit else str(first["measure"])
    return _Ranked(
        label=f"{axis_title}, {label}", axis_title=axis_title, noun=str(noun), dots=dots, bands=bands,
        median=pd.DataFrame({"value": [median], "text": [f"median {format_value(median, unit)}"]}), tag=tag,
        title=f"{name} among {noun}: {first['measure']}, {label}",
        subtitle=position + f" ({first['rank_basis']})", description=description, count=count)


def _ranked_layers(parts: list[_Ranked], name: str, pick: alt.Parameter | None, x_title: str) -> list[alt.Chart]:
    """The layers of a ranked chart over the measures of ``parts``, each row tagged with its measure so
    that ``pick`` (a parameter naming one) can choose which is drawn."""
    colours = settings().benchmark.chart_colours

    def tagged(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat([frame.assign(measure=part.label) for part, frame in zip(parts, frames, strict=True)],
                         ignore_index=True)

    def chart(frame: pd.DataFrame) -> alt.Chart:
        base = alt.Chart(frame)
        return base if pick is None else base.transform_filter(alt.datum.measure == pick)

    named = max(part.count for part in parts) <= _NAMED_ROWS_MAX
    dots = tagged([part.dots.assign(tag=part.tag) for part in parts])
    y = alt.Y("council:N", sort=alt.EncodingSortField("order"), title=None if named else "best at the top",
              axis=alt.Axis(labels=named, ticks=named, labelLimit=180))
    layers = []
    bands = tagged([part.bands for part in parts])
    if not bands.empty:
        layers.append(chart(bands).mark_rect(opacity=0.9).encode(
            x="low:Q", x2="high:Q", color=alt.Color("_fill:N", scale=None, legend=None),
            tooltip=[alt.Tooltip("label:N", title="Quarter"), alt.Tooltip("low:Q", title="From"),
                     alt.Tooltip("high:Q", title="To")]))
        layers.append(chart(bands).mark_text(baseline="top", dy=2, fontSize=10, color="#444444").encode(
            x=alt.X("centre:Q"), y=alt.Y("_label_y:Q", scale=None), text="label:N").transform_calculate(
            centre="(datum.low + datum.high) / 2"))
    medians = tagged([part.median for part in parts])
    layers.append(chart(medians).mark_rule(color=colours.median, strokeWidth=1.5).encode(x="value:Q"))
    layers.append(chart(medians).mark_text(align="left", dx=4, dy=-6, fontSize=11, color=colours.median).encode(
        x="value:Q", y=alt.value(0), text="text:N"))
    layers.append(chart(dots).mark_circle(opacity=1).encode(
        x=alt.X("value:Q", title=x_title, scale=alt.Scale(zero=False)),
        y=y,
        color=alt.Color("highlighted:N", title=None,
                        scale=alt.Scale(domain=[name, "other members"], range=[colours.council, colours.others])),
        size=alt.condition(alt.datum.highlighted == name, alt.value(160), alt.value(45)),
        tooltip=[alt.Tooltip("council:N", title="Council"), alt.Tooltip("value:Q", title="Value"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("quartile:Q", title="Quartile")],
    ))
    layers.append(chart(dots).transform_filter(alt.datum.highlighted == name).mark_text(
        align="left", dx=9, fontWeight="bold", color=colours.council).encode(x="value:Q", y=y, text="tag:N"))
    return layers


def _height(parts: list[_Ranked]) -> int:
    count = max(part.count for part in parts)
    return count * _ROW_HEIGHT if count <= _NAMED_ROWS_MAX else min(max(3 * count, 240), 520)


def ranked_chart(ranked: pd.DataFrame, council: str, measure_id: str,
                 period: str | pd.Period | None = None) -> alt.LayerChart:
    """Every member of the group as a dot, best at the top, with the council highlighted and named.

    Shaded bands show the range of values of each quarter of the group (best, second, third, worst);
    a black rule marks the group median. ``ranked`` is what :func:`harrowperf.analyse.benchmark.rank`
    returned; ``period`` defaults to the latest period of the measure.
    """
    code, name = find_council(ranked, council)
    part = _ranked(ranked, code, name, measure_id, period)
    return (alt.layer(*_ranked_layers([part], name, None, part.axis_title))
            .properties(title=alt.TitleParams(part.title, subtitle=part.subtitle),
                        description=part.description, width=520, height=_height([part])))


def ranked_picker_chart(ranked: pd.DataFrame, council: str, measures: Iterable[str],
                        period: str | pd.Period | None = None) -> alt.LayerChart:
    """:func:`ranked_chart` for several measures in one chart, with a list under it to pick the measure drawn.

    Live in JupyterLab (and any page that draws Vega-Lite), choosing another measure redraws the chart
    without running the notebook again; a static figure shows the first measure. Each measure is shown
    for ``period``, or its own latest period.
    """
    code, name = find_council(ranked, council)
    parts = [_ranked(ranked, code, name, measure_id, period) for measure_id in dict.fromkeys(measures)]
    if not parts:
        raise ParameterError("no measure to chart: give at least one measure_id")
    labels = [part.label for part in parts]
    pick = alt.param(name=PICKED, value=labels[0],
                     bind=alt.binding_select(options=labels, name="Measure "))
    first = parts[0]
    return (alt.layer(*_ranked_layers(parts, name, pick, "Value (in the measure's unit)")).add_params(pick)
            .properties(title=alt.TitleParams({"expr": f"{json.dumps(f'{name} among {first.noun}: ')} + {PICKED}"},
                                              subtitle="Pick the measure from the list under the chart"),
                        description=(f"{first.description} Pick another measure from the list under the chart "
                                     f"({len(parts)} measures)."),
                        width=520, height=_height(parts)))


def trend_chart(ranked: pd.DataFrame, council: str, measures: Iterable[str] | None = None,
                columns: int = 2) -> alt.FacetChart:
    """Small multiples, one per measure: the council's value over time against the group median,
    with the middle half of the group (lower to upper quartile) shaded.
    """
    code, name = find_council(ranked, council)
    stats = group_statistics(ranked)
    wanted = list(measures) if measures is not None else list(dict.fromkeys(stats["measure_id"]))
    stats = stats[stats["measure_id"].isin(wanted)]
    if stats.empty:
        raise ParameterError(f"none of the measures {wanted} are in the ranked data")
    mine = ranked[(ranked["area_code"] == code) & ranked["measure_id"].isin(wanted)]
    mine = mine.set_index(["measure_id", "period_label"])["actual"]
    data = pd.DataFrame({
        "Measure": stats["measure"].astype(str) + stats["unit"].map(lambda u: f" ({u})" if u else ""),
        "Period": stats["period_label"].astype(str),
        "Council": [mine.get((m, p), float("nan")) for m, p in zip(stats["measure_id"],
                                                                    stats["period_label"], strict=True)],
        "Group median": stats["median"].astype(float),
        "Lower quartile": stats["lower_quartile"].astype(float),
        "Upper quartile": stats["upper_quartile"].astype(float),
    })
    # the full name on up to three lines (split at "|" by the header's labelExpr), never cut short
    data["_panel"] = [" | ".join(textwrap.wrap(name, 40)) for name in data["Measure"]]
    noun = str(ranked["group_noun"].iloc[0])
    colours = settings().benchmark.chart_colours
    x = period_x("Period", period_domain(stats["period"], labels_of(stats)))
    base = alt.Chart(data)
    band = base.mark_area(opacity=0.35, color=colours.others).encode(
        x=x, y=alt.Y("Lower quartile:Q", title=None, scale=alt.Scale(zero=False)), y2="Upper quartile:Q")
    median = base.mark_line(color=colours.median, strokeDash=[5, 3]).encode(
        x=x, y="Group median:Q", tooltip=["Period:O", alt.Tooltip("Group median:Q")])
    line = base.mark_line(color=colours.council, point=True, strokeWidth=2.5).encode(
        x=x, y="Council:Q", tooltip=["Period:O", alt.Tooltip("Council:Q", title=name)])
    description = (
        f"One small chart per measure. The solid blue line with dots is {name}; the dashed black line "
        f"is the median of the {noun}; the grey band is the middle half of the group (lower to upper "
        "quartile). Each chart has its own vertical scale. Look for whether the blue line is moving "
        "towards or away from the median, and whether it sits inside the grey band.")
    return (alt.layer(band, median, line, data=data)
            .properties(width=240, height=150)
            .facet(facet=alt.Facet("_panel:N", title=None, sort=list(dict.fromkeys(data["_panel"])),
                                   header=alt.Header(labelExpr="split(datum.value, ' | ')", labelLimit=0)),
                   columns=columns)
            .resolve_scale(y="independent")
            .properties(title=alt.TitleParams(f"{name} against the median of {noun} over time",
                                              subtitle="blue: council, dashed: median, grey: middle half"),
                        description=description))

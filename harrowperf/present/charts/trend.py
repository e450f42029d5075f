"""SPC and trend charts: Making Data Count XmR charts, a theme's small multiples, and trend with forecast.

Colours are MDC's (``conventions/spc.toml`` ``[colours]``: grey common cause, blue improvement,
orange concern, purple no good direction); each point's type is also given by its shape and in the
tooltip, and the variation and assurance icons are printed as text (code and words) in the
subtitle. Every chart has a title and a plain-words ``description`` that reports use as the
caption; the data each chart carries has readable column names, because reports show it as a table.
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import QUARTER_FREQ, parse_period, to_quarter
from harrowperf.present.charts.axis import own_periods, period_domain, period_label, period_x
from harrowperf.present.format import change, format_value, share

_TITLE_WIDTH = 80
_SHAPES = {
    "common_cause": "circle",
    "special_cause_improvement": "diamond",
    "special_cause_concern": "square",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}


def _point_scales() -> tuple[alt.Scale, alt.Scale]:
    spc = settings().spc
    labels = [spc.point_types[name] for name in _SHAPES]
    colours = [spc.colours[name] for name in _SHAPES]
    return alt.Scale(domain=labels, range=colours), alt.Scale(domain=labels, range=list(_SHAPES.values()))


def _pick_measure(frame: pd.DataFrame, measure_id: str | None) -> str:
    measures = list(dict.fromkeys(frame["measure_id"]))
    if measure_id is None:
        if len(measures) == 1:
            return measures[0]
        raise ParameterError(f"the frame holds {len(measures)} measures: name one with measure_id")
    if measure_id not in measures:
        raise ParameterError(
            f"measure_id {measure_id!r} is not in the frame; it has: {', '.join(measures[:10])}"
            + (" ..." if len(measures) > 10 else "")
        )
    return measure_id


def _labels(periods: pd.Series) -> list[str]:
    return [period_label(p) if isinstance(p, pd.Period) else "" for p in periods]


def _when(periods: pd.Series) -> str:
    """The name of the period column: "Quarter" for quarters, "Year" for years."""
    freqs = {p.freqstr[0] for p in periods if isinstance(p, pd.Period)}
    return {"Q": "Quarter", "Y": "Year", "A": "Year"}.get(freqs.pop(), "Period") if len(freqs) == 1 else "Period"


def _chart_data(points: pd.DataFrame) -> pd.DataFrame:
    """The XmR output as a readable table (one row per measure and quarter)."""
    point_words = settings().spc.point_types
    rule_words = settings().spc.rule_labels
    # by start date: the panels of small multiples may hold periods of several frequencies
    starts = [p.start_time if isinstance(p, pd.Period) else pd.NaT for p in points["period"]]
    ordered = points.assign(
        _first=points.groupby("measure_id", sort=False).ngroup(), _start=pd.to_datetime(starts)
    ).sort_values(["_first", "_start"], kind="stable")
    data = pd.DataFrame({
        "Theme": ordered["theme"].astype(object) if "theme" in ordered else "",
        "Measure": ordered["measure"].astype(object),
        "measure_id": ordered["measure_id"].astype(object),
        _when(ordered["period"]): _labels(ordered["period"]),
        "Value": ordered["actual"].to_numpy(dtype=float, na_value=np.nan),
        "Mean": ordered["centre"].to_numpy(dtype=float),
        "Lower limit": ordered["lower_limit"].to_numpy(dtype=float),
        "Upper limit": ordered["upper_limit"].to_numpy(dtype=float),
        "Target": ordered["target"].to_numpy(dtype=float, na_value=np.nan)
        if "target" in ordered else np.nan,
        "Segment": ordered["segment"].to_numpy(),
        "Point type": [point_words.get(p) if isinstance(p, str) else None for p in ordered["point_type"]],
        "Rule": [rule_words.get(r) if isinstance(r, str) else None for r in ordered["rule"]],
    })
    data.loc[~np.isfinite(data["Value"]), "Value"] = np.nan
    units = ordered["unit"].astype(object).fillna("") if "unit" in ordered else pd.Series("", index=ordered.index)
    low, high = _natural_bounds(units.to_numpy())
    for column in ("Lower limit", "Upper limit"):
        data[column] = np.clip(data[column].to_numpy(dtype=float), low, high)
    return data.reset_index(drop=True)


# A process limit outside the values a measure can take (below 0%, above 100%, a negative count) is
# drawn at that bound: a percentage cannot fall below nought however wide the natural variation.
_LOWEST = {"%": 0.0, "count": 0.0, "s": 0.0, "ratio": 0.0, "rank": 1.0, "£": -np.inf}
_HIGHEST = {"%": 100.0}


def _natural_bounds(units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the lowest and highest value the measure's unit allows (-inf/inf when unknown)."""
    low = np.array([_LOWEST.get(u, -np.inf) for u in units], dtype=float)
    high = np.array([_HIGHEST.get(u, np.inf) for u in units], dtype=float)
    return low, high


def _scorecard_order(points: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order the scorecard prints measures: by theme, then measure reference."""
    if "measure_ref" not in points.columns:
        return points
    theme_rank = points["theme"].map({t: i for i, t in enumerate(pd.unique(points["theme"]))}) \
        if "theme" in points.columns else 0
    ref = pd.to_numeric(points["measure_ref"], errors="coerce")
    return points.assign(_t=theme_rank, _r=ref).sort_values(["_t", "_r"], kind="stable").drop(
        columns=["_t", "_r"]
    )


def _summary_row(summary: pd.DataFrame | None, measure_id: str) -> pd.Series | None:
    if summary is None:
        return None
    rows = summary.loc[summary["measure_id"] == measure_id]
    return rows.iloc[0] if len(rows) else None


def _icon_lines(row: pd.Series | None) -> list[str]:
    """The MDC icons as text: '(H+) Special cause improvement (higher)', 'Assurance: (P) ...'."""
    if row is None:
        return []
    spc = settings().spc
    lines = []
    icon = row.get("variation_icon")
    if isinstance(icon, str):
        lines.append(f"Variation ({spc.variation_icons[icon].code}): {spc.variation_icons[icon].label}")
    elif isinstance(row.get("status_text"), str):
        lines.append(f"Variation: {row['status_text']}")
    assurance = row.get("assurance")
    short = bool(row.get("short_series")) and row.get("status") == "short"
    if isinstance(assurance, str):
        lines.append(f"{'Provisional assurance' if short else 'Assurance'} ({spc.assurance[assurance].code}): "
                     f"{spc.assurance[assurance].label}")
    if short:
        lines.append(f"Only {int(row['segment_points'])} points: limits are provisional")
    return lines


def _title(measure: str, subtitle: list[str]) -> alt.TitleParams:
    return alt.TitleParams(
        text=textwrap.wrap(str(measure), _TITLE_WIDTH) or [""], subtitle=subtitle, anchor="start"
    )


def _y_scale(data: pd.DataFrame, columns: tuple[str, ...]) -> alt.Scale:
    """A y scale spanning every value, limit and target drawn (padded), so no line runs off the chart."""
    values = data[list(columns)].to_numpy(dtype=float).ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return alt.Scale(zero=False)
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * 0.05 or max(abs(high) * 0.05, 1.0)
    return alt.Scale(domain=[low - pad, high + pad], zero=False, nice=False)


def _pad_gaps(data: pd.DataFrame, points: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Chart rows plus an empty row for every period missing inside each measure's series, and the
    labels of every panel's periods in time order (the sort of the x axis).

    Small multiples have an x scale per panel, made from the panel's own rows: the empty rows put
    each missing period (a month of a monthly measure, a quarter of a quarterly one) on its panel's
    axis, so every panel is spaced by real time.
    """
    when = next(c for c in ("Quarter", "Year", "Period") if c in data.columns)
    have = set(zip(data["measure_id"], data[when], strict=True))
    extra, spans = [], {}
    for measure_id, periods in points.groupby("measure_id", sort=False)["period"]:
        first = data.loc[data["measure_id"] == measure_id].iloc[0]
        known = sorted({p for p in periods if isinstance(p, pd.Period)}, key=lambda p: (p.start_time, p.end_time))
        filled = list(pd.period_range(known[0], known[-1], freq=known[0].freqstr)) \
            if known and len({p.freqstr for p in known}) == 1 else known
        for period in filled:
            label = period_label(period)
            spans.setdefault(label, (period.start_time, period.end_time))
            if (measure_id, label) not in have:
                extra.append({"Theme": first["Theme"], "Measure": first["Measure"], "measure_id": measure_id,
                              "Panel": first["Panel"], when: label})
    order = sorted(spans, key=spans.__getitem__)
    return (pd.concat([data, pd.DataFrame(extra)], ignore_index=True) if extra else data), order


def _xmr_layers(data: pd.DataFrame, order: list[str], *, small: bool = False) -> list[alt.Chart]:
    colours = settings().spc.colours
    colour_scale, shape_scale = _point_scales()
    when = next(c for c in ("Quarter", "Year", "Period") if c in data.columns)
    # small multiples: each panel's axis is its own rows (gaps padded by _pad_gaps), in time order
    x = period_x(when, order, fixed=not small)
    y_scale = alt.Scale(zero=False) if small else _y_scale(
        data, ("Value", "Lower limit", "Upper limit", "Target")
    )

    def y(column: str) -> alt.Y:
        return alt.Y(f"{column}:Q", title=None, scale=y_scale)

    base = alt.Chart(data)
    tooltip = [f"{when}:O", alt.Tooltip("Value:Q", format=",.4~g"), alt.Tooltip("Mean:Q", format=",.4~g"),
               alt.Tooltip("Lower limit:Q", format=",.4~g"), alt.Tooltip("Upper limit:Q", format=",.4~g"),
               "Point type:N", "Rule:N"]
    value_line = base.mark_line(color=colours["value_line"]).encode(
        x=x, y=y("Value"), detail="Segment:N"
    )
    mean = base.mark_line(color=colours["mean_line"]).encode(x=x, y=y("Mean"), detail="Segment:N")
    limits = [
        base.mark_line(color=colours["limits"], strokeDash=[4, 3]).encode(x=x, y=y(col), detail="Segment:N")
        for col in ("Lower limit", "Upper limit")
    ]
    target = base.mark_line(color=colours["target"], strokeDash=[8, 4]).encode(x=x, y=y("Target"))
    dots = base.mark_point(filled=True, size=30 if small else 60, opacity=1).encode(
        x=x, y=y("Value"),
        color=alt.Color("Point type:N", scale=colour_scale, title="Point type",
                        legend=None if small else alt.Legend(orient="bottom", columns=3)),
        shape=alt.Shape("Point type:N", scale=shape_scale, legend=None),
        tooltip=tooltip,
    )
    return [*limits, mean, target, value_line, dots]


def xmr_chart(
    points: pd.DataFrame, measure_id: str | None = None, summary: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Making Data Count XmR chart of one measure.

    ``points`` is :func:`harrowperf.analyse.spc.xmr`'s output (it may hold many measures: name one with
    ``measure_id``); ``summary`` (:func:`harrowperf.analyse.spc.summary`) adds the variation and assurance
    icons, as text, to the subtitle.
    """
    measure_id = _pick_measure(points, measure_id)
    points = points.loc[points["measure_id"] == measure_id]
    points = points.assign(period=own_periods(points))  # a monthly series by month
    data = _chart_data(points)
    data = data.drop(columns=["measure_id"])
    order = period_domain(points["period"])
    row = _summary_row(summary, measure_id)
    measure = str(data["Measure"].iloc[0])
    chart = alt.layer(*_xmr_layers(data, order)).properties(
        width=min(max(300, 28 * len(order)), 640), height=220,
        title=_title(measure, _icon_lines(row)),
        description=_describe_xmr(data, row, points.loc[points["measure_id"] == measure_id]),
    )
    return chart


def _describe_xmr(data: pd.DataFrame, row: pd.Series | None, points: pd.DataFrame) -> str:
    unit = str(points["unit"].iloc[0]) if "unit" in points else ""
    with_values = data.loc[data["Value"].notna()]
    when = next(c for c in ("Quarter", "Year", "Period") if c in data.columns)
    parts = [
        f"Statistical process control (XmR) chart of {data['Measure'].iloc[0]}, "
        f"{len(with_values)} {when.lower()}s with a value"
        + (f" from {with_values[when].iloc[0]} to {with_values[when].iloc[-1]}." if len(with_values)
           else ".")
    ]
    latest = data.loc[data["Mean"].notna()].tail(1)
    if len(latest) and np.isfinite(latest["Upper limit"].iloc[0]):
        parts.append(
            f"The solid black line is the mean ({format_value(latest['Mean'].iloc[0], unit)}); the dashed "
            f"grey lines are the process limits ({format_value(latest['Lower limit'].iloc[0], unit)} to "
            f"{format_value(latest['Upper limit'].iloc[0], unit)}), between which values fall by chance alone."
        )
    else:
        parts.append("There are no process limits: the series is too short or does not vary.")
    if data["Target"].notna().any():
        parts.append("The red dashed line is the target.")
    special = data["Point type"].isin(
        [settings().spc.point_types[k] for k in _SHAPES if k != "common_cause"]
    ).sum()
    parts.append(
        f"{special} point(s) show special cause: blue diamonds are improvement, orange squares concern, "
        "purple triangles change where neither direction is better; grey circles are common cause. "
        "Look for points outside the limits, seven in a row on one side of the mean, seven rising or "
        "falling, or two of three near a limit."
    )
    parts.extend(line + "." for line in _icon_lines(row))
    return " ".join(parts)


def theme_small_multiples(
    points: pd.DataFrame,
    theme: str | None = None,
    summary: pd.DataFrame | None = None,
    *,
    columns: int = 3,
    panels: int | None = None,
) -> alt.FacetChart:
    """Small XmR charts of the measures of a theme (all themes when ``theme`` is None).

    Each panel's header gives the measure and its variation icon code; each panel has its own
    y scale. ``points`` is :func:`harrowperf.analyse.spc.xmr`'s output. At most ``panels`` panels
    (default ``[report] small_multiple_panels`` in ``conventions/spc.toml``): with more measures
    than that, only those that need attention are drawn (:func:`harrowperf.analyse.trend.needs_attention`
    on ``summary``; without a summary, or when none needs attention, the first in scorecard order),
    and the title and caption say how many of how many.
    """
    if theme is not None:
        themes = list(dict.fromkeys(points["theme"]))
        if theme not in themes:
            raise ParameterError(f"theme {theme!r} is not in the frame; themes: {'; '.join(map(str, themes))}")
        points = points.loc[points["theme"] == theme]
    finite = np.isfinite(points["actual"].to_numpy(dtype=float, na_value=np.nan))
    with_values = pd.Series(finite, index=points.index).groupby(points["measure_id"], sort=False).transform("any")
    left_out = points.loc[~with_values.astype(bool), "measure_id"].nunique()
    points = points.loc[with_values.astype(bool)]
    if len(points) == 0:
        raise ParameterError("there are no measures with values to chart")
    points, note = _panel_measures(points, summary, settings().spc.report.small_multiple_panels
                                   if panels is None else panels)
    # each panel by its own periods: a monthly measure's points by month, never three to a quarter
    points = points.assign(period=pd.concat([own_periods(rows) for _, rows in
                                             points.groupby("measure_id", sort=False)]).astype(object))
    data = _chart_data(_scorecard_order(points))
    codes = _panel_codes(summary)
    # the full name, wrapped onto lines split at "|" by the header's labelExpr, so panels of
    # measures whose names differ only at the end stay distinct and readable
    data["Panel"] = [
        " | ".join(textwrap.wrap(f"{m} {codes.get(i, '')}".strip(), 42))
        for m, i in zip(data["Measure"], data["measure_id"], strict=True)
    ]
    data, order = _pad_gaps(data, points)
    data = data.drop(columns=["measure_id"])
    panel_names = list(dict.fromkeys(data["Panel"]))
    label = theme or "all measures"
    subtitle = ["Each panel: values (dots), mean (black), process limits (dashed), "
                "target (red). Codes after the name are the variation icon."]
    if note:
        subtitle.insert(0, note)
    chart = alt.layer(*_xmr_layers(data, order, small=True), data=data).properties(
        width=200, height=110
    ).facet(
        facet=alt.Facet("Panel:N", sort=panel_names, title=None, header=alt.Header(
            labelExpr="split(datum.value, ' | ')", labelFontSize=10, labelLimit=0)),
        columns=columns,
    ).resolve_scale(x="independent", y="independent").properties(
        title=alt.TitleParams(f"Statistical process control: {label}", anchor="start", subtitle=subtitle),
        description=(
            f"Small XmR charts of {len(panel_names)} measures ({label}). "
            + (note + " " if note else "")
            + "In each panel the dots are the values of the measure's months, quarters or years, spaced "
            "by time, the black line the mean and the dashed lines the process limits; the red dashed line "
            "is the target where there is one. Blue points are special-cause improvement, orange "
            "special-cause concern, grey common cause. The code after each measure's name is its "
            "variation icon as text: H+ or L+ improvement, H- or L- concern, ~ common cause."
            + (f" {left_out} measure(s) with no values in this period are left out." if left_out else "")
        ),
    )
    return chart


def _panel_measures(points: pd.DataFrame, summary: pd.DataFrame | None, panels: int) -> tuple[pd.DataFrame, str]:
    """The rows of the measures that get a panel, and a sentence saying which when not all do."""
    from harrowperf.analyse.trend import needs_attention

    measures = list(dict.fromkeys(_scorecard_order(points.drop_duplicates("measure_id"))["measure_id"]))
    if len(measures) <= panels:
        return points, ""
    picked: list[str] = []
    if summary is not None:
        picked = list(needs_attention(summary.loc[summary["measure_id"].isin(measures)], limit=panels)["measure_id"])
    if picked:
        shown = set(picked)
        note = (f"Only the {len(picked)} of {len(measures)} measures that need attention are drawn "
                "(special cause at the latest point, or consistently failing the target); "
                "the table lists every measure.")
    else:
        shown = set(measures[:panels])
        note = (f"Only the first {len(shown)} of {len(measures)} measures are drawn: none shows special cause "
                "or consistently fails its target; the table lists every measure.")
    return points.loc[points["measure_id"].isin(shown)], note


def _panel_codes(summary: pd.DataFrame | None) -> dict[str, str]:
    if summary is None:
        return {}
    icons = settings().spc.variation_icons
    return {
        measure_id: f"({icons[icon].code})"
        for measure_id, icon in zip(summary["measure_id"], summary["variation_icon"], strict=True)
        if isinstance(icon, str)
    }


def detail_charts(
    points: pd.DataFrame, measure_ids: list[str], summary: pd.DataFrame | None = None
) -> alt.VConcatChart:
    """XmR charts of several measures, one under the other (e.g. every measure with special cause)."""
    if not measure_ids:
        raise ParameterError("no measures given for detail charts")
    charts = [xmr_chart(points, m, summary) for m in measure_ids]
    names = [str(points.loc[points["measure_id"] == m, "measure"].iloc[0]) for m in measure_ids]
    return alt.vconcat(*charts).properties(
        title=alt.TitleParams("Measures in detail", anchor="start"),
        description=(
            f"XmR charts of {len(charts)} measure(s): {'; '.join(names)}. "
            + " ".join(str(c.description) for c in charts)
        ),
    )


def trend_chart(
    frame: pd.DataFrame,
    measure_id: str | None = None,
    *,
    trend: pd.DataFrame | None = None,
    paths: pd.DataFrame | None = None,
    year_end: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """A measure's values with its OLS trend line, the forecast to year end with its band, and target.

    ``trend``, ``paths`` and ``year_end`` are the outputs of :mod:`harrowperf.analyse.forecast`
    (``linear_trend``, ``paths``, ``year_end``); each is optional.
    """
    measure_id = _pick_measure(frame, measure_id)
    series = frame.loc[frame["measure_id"] == measure_id]
    series = series.assign(period=own_periods(series)).sort_values("period")  # a monthly series by month
    unit = str(series["unit"].iloc[0]) if "unit" in series else ""
    measure = str(series["measure"].iloc[0])
    periods = pd.PeriodIndex(series["period"])
    freq = periods.freqstr
    rows = [
        {"Quarter": period_label(p), "Order": p.ordinal, "Series": "Actual", "Value": v,
         "Lower": np.nan, "Upper": np.nan}
        for p, v in zip(periods, series["actual"].to_numpy(dtype=float, na_value=np.nan), strict=True)
        if np.isfinite(v)
    ]
    line = _summary_row(trend, measure_id)
    if line is not None and np.isfinite(line["slope"]):
        labelled = {period_label(p): p for p in periods}
        first = labelled.get(line["first_period_label"]) or to_quarter(line["first_period_label"])
        for p in periods:
            if p.ordinal < first.ordinal:
                continue
            rows.append({"Quarter": period_label(p), "Order": p.ordinal, "Series": "Linear trend",
                         "Value": line["intercept"] + line["slope"] * (p.ordinal - first.ordinal),
                         "Lower": np.nan, "Upper": np.nan})
    ahead = paths.loc[paths["measure_id"] == measure_id] if paths is not None else pd.DataFrame()
    actual_rows = [r for r in rows if r["Series"] == "Actual"]
    if len(ahead) and actual_rows:
        # the forecast line and band start from the last value, so they join the actual line
        last = actual_rows[-1]
        rows.append({**last, "Series": "Forecast", "Lower": last["Value"], "Upper": last["Value"]})
        for r in ahead.itertuples(index=False):
            span = parse_period(r.period_label) if freq != QUARTER_FREQ else None
            p = pd.Period(span.start, freq=freq) if span is not None else pd.Period(r.period, freq=QUARTER_FREQ)
            rows.append({"Quarter": period_label(p), "Order": p.ordinal, "Series": "Forecast",
                         "Value": r.forecast, "Lower": r.forecast_lower, "Upper": r.forecast_upper})
    data = pd.DataFrame(rows, columns=["Quarter", "Order", "Series", "Value", "Lower", "Upper"])
    order = period_domain(pd.Period(ordinal=o, freq=freq) for o in data["Order"])
    target_row = _summary_row(year_end, measure_id)
    target = float(target_row["annual_target"]) if target_row is not None else np.nan
    data["Target"] = target
    colours = settings().spc.colours
    x = period_x("Quarter", order)
    # the legend lists only the lines drawn: no "Forecast" entry when there is no forecast
    styles = {"Actual": (colours["mean_line"], [1, 0]), "Linear trend": (colours["limits"], [6, 3]),
              "Forecast": (colours["forecast"], [3, 3])}
    drawn = [name for name in styles if (data["Series"] == name).any()]
    series_scale = alt.Scale(domain=drawn, range=[styles[name][0] for name in drawn])
    base = alt.Chart(data)
    layers = [
        base.transform_filter(alt.datum.Series == "Forecast").mark_area(
            opacity=0.2, color=colours["forecast"]
        ).encode(x=x, y=alt.Y("Lower:Q", title=None, scale=alt.Scale(zero=False)), y2="Upper:Q"),
        base.mark_line().encode(
            x=x, y=alt.Y("Value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("Series:N", scale=series_scale, legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash("Series:N", scale=alt.Scale(
                domain=drawn, range=[styles[name][1] for name in drawn]), legend=None),
            tooltip=["Quarter:O", "Series:N", alt.Tooltip("Value:Q", format=",.4~g"),
                     alt.Tooltip("Lower:Q", format=",.4~g"), alt.Tooltip("Upper:Q", format=",.4~g")],
        ),
        base.transform_filter(alt.datum.Series == "Actual").mark_point(filled=True, color=colours["mean_line"])
        .encode(x=x, y="Value:Q"),
    ]
    if np.isfinite(target):
        layers.append(base.mark_rule(color=colours["target"], strokeDash=[8, 4]).encode(y="mean(Target):Q"))
    return alt.layer(*layers).properties(
        width=min(max(300, 28 * len(order)), 640), height=220,
        title=_title(measure, _trend_subtitle(line, target_row, unit)),
        description=_describe_trend(measure, unit, line, target_row, len(ahead) > 0, np.isfinite(target)),
    )


def _trend_subtitle(line: pd.Series | None, year_end: pd.Series | None, unit: str) -> list[str]:
    lines = []
    if line is not None and isinstance(line.get("trend"), str):
        lines.append(f"Linear trend: {line['trend']} ({change(line['slope'], '%' if unit == '%' else None)} "
                     f"a quarter, p = {format_value(line['p_value'])})"
                     if np.isfinite(line["p_value"]) else f"Linear trend: {line['trend']}")
    if year_end is not None and year_end["status"] == "ok":
        chance = year_end["chance_of_meeting_target"]
        lines.append(
            f"Forecast for {year_end['year_end_label']}: {format_value(year_end['forecast'], unit)} "
            f"({format_value(year_end['forecast_lower'], unit)} to {format_value(year_end['forecast_upper'], unit)})"
            + (f"; chance of meeting the target about {share(chance, 0)}" if np.isfinite(chance) else "")
        )
    elif year_end is not None:
        lines.append(str(year_end["status_text"]))
    return lines


def _describe_trend(
    measure: str, unit: str, line: pd.Series | None, year_end: pd.Series | None, has_forecast: bool,
    has_target: bool,
) -> str:
    parts = [f"Values of {measure} by quarter (black line and dots)."]
    if line is not None and np.isfinite(line["slope"]):
        parts.append(
            "The dashed grey line is the straight-line trend fitted by least squares; "
            f"it is read as '{line['trend']}' (a trend counts only if it is unlikely to be chance)."
        )
    if has_forecast and year_end is not None:
        parts.append(
            f"The purple dotted line is the forecast to {year_end['year_end_label']} by exponential "
            "smoothing and the shaded band its 95% prediction interval: the year-end value should fall "
            "inside it 19 times in 20 if the past pattern continues."
        )
    if has_target:
        parts.append("The red dashed line is the annual target.")
    parts.extend(s + "." for s in _trend_subtitle(line, year_end, unit))
    return " ".join(parts)


__all__ = ["detail_charts", "theme_small_multiples", "trend_chart", "xmr_chart"]

"""The explorer chart: every measure's history in one interactive chart, one measure shown at a time.

The chart holds every measure's quarters and a ``measure`` parameter naming the one drawn; the
explorer page (:mod:`harrowperf.pipeline.explore`) sets it from a labelled drop-down list. Points are
coloured by the RAG the service reported (colours from ``conventions/rag.toml`` ``[chart_colours]``)
and the target is a dashed line; hovering a point shows its figures, and dragging or scrolling pans and
zooms along the time axis.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.present.charts import RAG_ORDER
from harrowperf.present.format import BLANK, format_value, is_blank

PARAMETER = "measure"
NO_STATUS = "No RAG"


def explorer_data(frame: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    """One row per measure x period up to ``quarter``: the measure's label, theme, period (label and end
    date, so periods are spaced by real time), actual and target (numbers and as printed), RAG and source."""
    rows = frame.loc[frame["period"] <= quarter].sort_values(["theme", "measure_id", "period"], kind="stable")
    labels = _labels(rows)
    return pd.DataFrame({
        "Measure": labels,
        "Theme": rows["theme"].astype(str),
        "Period": rows["period_label"].astype(str),
        "Period end": [period.end_time.strftime("%Y-%m-%d") for period in rows["period"]],
        "Actual": rows["actual"].astype(float),
        "Target": rows["target"].astype(float),
        "Actual as printed": [format_value(v, u) if not is_blank(v) else BLANK
                              for v, u in zip(rows["actual"], rows["unit"], strict=True)],
        "Target as printed": [format_value(v, u) if not is_blank(v) else BLANK
                              for v, u in zip(rows["target"], rows["unit"], strict=True)],
        "RAG": [NO_STATUS if is_blank(code) else str(code) for code in rows["rag"]],
        "Source": rows["source"].astype(str) + " " + rows["cell_actual"].fillna("").astype(str),
    }).reset_index(drop=True)


def _labels(rows: pd.DataFrame) -> pd.Series:
    """"13 – Average speed to answer" (the number set apart from the name); a name two measures share
    gets its theme added, so every label picks one measure."""
    labels = pd.Series([f"{ref} – {name}" if isinstance(ref, str) and ref.strip() else str(name)
                        for ref, name in zip(rows["measure_ref"], rows["measure"], strict=True)], index=rows.index)
    ids = rows["measure_id"].astype(str)
    shared = labels.groupby(labels).transform(lambda group: ids[group.index].nunique()) > 1
    return labels.where(~shared, labels + " (" + rows["theme"].astype(str) + ")")


# Short field names inside the chart: its data holds every row of every measure, and each row repeats them.
_FIELDS = {"Measure": "m", "Period": "p", "Period end": "d", "Actual": "a", "Target": "t",
           "Actual as printed": "ap", "Target as printed": "tp", "RAG": "r", "Source": "s"}


def _compact(data: pd.DataFrame) -> alt.Chart:
    """A chart of ``data`` that carries each measure's label and each workbook's name once, not on every row.

    Rows hold a measure number and a file number with the cell, as CSV text; Vega looks the label and the
    file name up before drawing, so the chart shows the same fields while a page of 500 quarterly measures
    and 100 monthly series over ten years stays within its size budget.
    """
    compact = data[list(_FIELDS)].rename(columns=_FIELDS)
    measures, measure_numbers = pd.factorize(compact["m"])
    sources = compact["s"].str.partition(" ")
    files, file_numbers = pd.factorize(sources[0])
    rows = compact.drop(columns=["m", "s"]).assign(k=measures, f=files, c=sources[2])
    # as CSV text: a third of the size of the same rows as JSON records (no field names on every row)
    data = alt.InlineData(values=rows.to_csv(index=False, lineterminator="\n"), format=alt.DataFormat(
        type="csv", parse={"a": "number", "t": "number", "k": "number", "f": "number"}))
    return (alt.Chart(data)
            .transform_lookup(lookup="k", from_=alt.LookupData(
                pd.DataFrame({"k": range(len(measure_numbers)), "m": list(measure_numbers)}), "k", ["m"]))
            .transform_lookup(lookup="f", from_=alt.LookupData(
                pd.DataFrame({"f": range(len(file_numbers)), "file": list(file_numbers)}), "f", ["file"]))
            .transform_calculate(s="datum.file + ' ' + datum.c"))


def explorer_chart(data: pd.DataFrame, first: str | None = None, *, picker: bool = False,
                   compact: bool = False) -> alt.LayerChart:
    """The chart of :func:`explorer_data`, drawing the measure named by its ``measure`` parameter
    (``first``, or the first measure, to begin with). Tooltips and axes carry the readable names.

    ``picker=True`` puts a drop-down list of the measures under the chart, for a live chart in
    JupyterLab (the explorer page has its own labelled list instead). A static figure shows ``first``.
    ``compact=True`` carries each measure's label and file name once (see :func:`_compact`), for the
    explorer page; a figure's data table then shows numbers in their place, so notebooks leave it off.
    """
    names = list(dict.fromkeys(data["Measure"]))
    chosen = next((name for name in names if first is not None and first in (name, name.split(" – ", 1)[-1])),
                  names[0] if names else "")
    if picker:
        pick = alt.param(name=PARAMETER, value=chosen, bind=alt.binding_select(options=names, name="Measure "))
    else:
        pick = alt.param(name=PARAMETER, value=chosen)
    colours = {**settings().rag.chart_colours, NO_STATUS: settings().rag.chart_colours["missing"]}
    statuses = [code for code in [*RAG_ORDER, NO_STATUS] if code in set(data["RAG"])]
    chart = _compact(data) if compact else alt.Chart(data[list(_FIELDS)].rename(columns=_FIELDS))
    base = chart.transform_filter(alt.datum.m == pick)
    x = alt.X("d:T", title="Period", axis=alt.Axis(format="%b %Y"))
    tooltip = [alt.Tooltip(f"{_FIELDS[name]}:N", title=name) for name in
               ("Measure", "Period", "Actual as printed", "Target as printed", "RAG", "Source")]
    actual = base.mark_line(color="#505050").encode(x=x, y=alt.Y("a:Q", title="Value"))
    points = base.mark_point(filled=True, size=90, stroke="#000000", strokeWidth=0.5).encode(
        x=x, y="a:Q", tooltip=tooltip,
        color=alt.Color("r:N", title="RAG reported", sort=statuses,
                        scale=alt.Scale(domain=statuses, range=[colours[c] for c in statuses])),
        shape=alt.Shape("r:N", sort=statuses, legend=None))
    target = base.mark_line(strokeDash=[6, 4], color="#000000").encode(x=x, y="t:Q", tooltip=tooltip)
    # drag the chart sideways to pan along the time axis, scroll to zoom in on a stretch of years
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    return alt.layer(actual.add_params(zoom), target, points).add_params(pick).properties(
        width=640, height=320,
        title=alt.Title(text={"expr": PARAMETER}, subtitle="Actual (points, coloured by RAG) and target (dashed)"),
        description="History of the chosen measure: actual each period, coloured by the RAG the service "
                    "reported, with the target as a dashed line.",
    )

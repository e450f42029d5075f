"""Plan action charts: how many actions of each status, per theme.

Colours come from the one chart palette (``conventions/rag.toml`` ``[chart_colours]``), each status
mapped to one of its colours by ``conventions/actions.toml`` ``[chart.colours]``; every bar also prints
its status and count in words, so colour never carries the meaning alone. The chart's data has readable
column names, because the report shows it as a table under the chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from harrowperf.analyse import actions
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import SettingsError
from harrowperf.foundation.periods import quarter_label
from harrowperf.foundation.schema import ACTION_STATUSES
from harrowperf.present.actions import theme_label


def _label(status: str) -> str:
    return "no status given" if status == "no status" else status


def status_colours() -> dict[str, str]:
    """Status label -> chart colour, from the one palette."""
    palette = settings().rag.chart_colours
    chosen = settings().actions.chart.colours
    unknown = sorted(set(chosen.values()) - set(palette))
    if unknown:
        raise SettingsError(f"[chart.colours] names {unknown}, which are not keys of rag.toml [chart_colours] "
                            f"({', '.join(palette)})", file="actions.toml")
    return {_label(status): palette[chosen[status]] for status in ACTION_STATUSES}


def status_chart(frame: pd.DataFrame, quarter: str | pd.Period | None = None) -> alt.TopLevelMixin:
    """Horizontal bars: for each theme (and all themes), how many actions have each status in the
    ``quarter`` report (every row when ``quarter`` is None). Statuses inferred from progress text are
    counted under their status and said so in the label ("3, of which 1 inferred")."""
    table = actions.counts(frame, quarter)
    label = quarter_label(actions.report_quarter(frame, quarter)) if quarter is not None else "the plan"
    rows = []
    inferred = (frame if quarter is None else frame[frame["quarter"] == actions.report_quarter(frame, quarter)])
    for record in table.to_dict("records"):
        part = inferred if record["theme"] == actions.ALL_THEMES else inferred[inferred["theme"] == record["theme"]]
        for status in ACTION_STATUSES:
            count = int(record[status])
            if not count:
                continue
            guessed = int(((part["status"] == status) & (part["status_source"] == "inferred")).sum())
            rows.append({"Theme": theme_label(record["theme"]), "Status": _label(status), "Actions": count,
                         "Label": f"{count} {_label(status)}" + (f", of which {guessed} inferred" if guessed else "")})
    data = pd.DataFrame(rows, columns=["Theme", "Status", "Actions", "Label"])
    title = f"Actions by status, {label}"
    if data.empty:
        message = f"There are no actions to show for {label}."
        return alt.Chart(pd.DataFrame({"Message": [message]})).mark_text(
            fontSize=13, align="left", x=0, y=10).encode(text="Message:N").properties(
            width=520, height=24, title=title, description=message)
    colours = status_colours()
    order = [_label(s) for s in ACTION_STATUSES]
    themes = list(dict.fromkeys(data["Theme"]))
    y = alt.Y("Status:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("Actions:Q", title="Number of actions"), y=y,
        color=alt.Color("Status:N", scale=alt.Scale(domain=order, range=[colours[s] for s in order]),
                        legend=None),
        tooltip=["Theme", "Status", "Actions"])
    text = alt.Chart().mark_text(align="left", dx=4, fontSize=11).encode(
        x="Actions:Q", y=y, text="Label:N")
    return alt.layer(bars, text, data=data).properties(width=420).facet(
        row=alt.Row("Theme:N", title=None, sort=themes,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontWeight="bold", labelFontSize=12)),
        title=title,
        description=(
            f"For each theme, and for all themes together (last), the number of actions in the {label} report "
            "with each status: complete, on track, at risk, off track, not started, or no status given by "
            "the service. Each bar is labelled with its count and status. A status inferred from the "
            "progress text (not given by the service) is counted with its status and the label says how "
            "many were inferred."),
    ).resolve_scale(y="independent")


__all__ = ["status_chart", "status_colours"]

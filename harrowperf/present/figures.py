"""Altair charts as offline HTML: inline SVG in a <figure>, its description as caption, its data a click away.

Charts have two renderings. In the reports (and whenever :func:`static` is on) a chart becomes::

    <figure class="hp-chart">
      <svg role="img" aria-label="<title>" ...>...</svg>         drawn by vl-convert, no JavaScript
      <figcaption>the chart's Vega-Lite description</figcaption>
      <details><summary>Data behind this chart (N rows)</summary><table>...</table></details>
    </figure>

Every text that comes from data (titles, descriptions, field names, values) is HTML-escaped, so a
measure called ``<script>alert(1)</script>`` is shown as text. Only vl-convert's own SVG is
inserted as markup, and vl-convert escapes the text it draws.

While exploring in JupyterLab, :func:`interactive` shows the same charts with Altair's own Vega-Lite
output instead: tooltips, and JupyterLab draws it offline with its bundled Vega. Which one a
notebook gets is chosen by ``hp.notebook.setup`` (see :func:`harrowperf.pipeline.notebook.chart_mode`);
an analyst can call ``hp.figures.static()`` to preview the report look, or use :func:`chart_html`.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from harrowperf.foundation.conventions import settings
from harrowperf.present.format import format_value

RENDERER_NAME = "harrowperf"
LIVE_RENDERER_NAME = "harrowperf-live"
LIVE_MEDIA_TYPE = "application/vnd.vegalite.v5+json"

# Vega's SVG renderer names clip paths and gradients "clip1", "gradient_0"...: unique within one
# chart but not across the charts of one page, where they would borrow each other's clipping.
_SVG_ID = re.compile(r'\bid="([^"]+)"')
# Characters XML forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) make vl-convert abort the whole
# process (vega/vl-convert#220), which would kill a notebook's kernel: they are replaced before drawing.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EMPTY_MARK = re.compile(r'<g((?: (?!role=|aria-roledescription=)[\w-]+="[^"]*")*) role="graphics-symbol"'
                         r'(?: aria-roledescription="[^"]*")?((?: [\w-]+="[^"]*")*)\s*(?:/>|></g>)')
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00:00)?$")
_figure_numbers = itertools.count(1)


def static() -> None:
    """Show Altair charts as the reports do: static SVG figures with caption and data table. Safe to call twice."""
    import altair as alt

    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, mimebundle)
    alt.renderers.enable(RENDERER_NAME)


def interactive() -> None:
    """Show Altair charts as live Vega-Lite (tooltips; JupyterLab draws them offline). Safe to call twice."""
    import altair as alt

    if LIVE_RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(LIVE_RENDERER_NAME, live_mimebundle)
    alt.renderers.enable(LIVE_RENDERER_NAME)


def live_mimebundle(spec: dict[str, Any], **_options: Any) -> dict[str, Any]:
    """The interactive renderer: the Vega-Lite spec itself, for JupyterLab's own Vega to draw.

    Altair's "default" renderer loads Vega from the internet, and its "mimetype" renderer labels
    the spec with a Vega-Lite 6 media type that JupyterLab 4 does not draw; JupyterLab draws the
    Vega-Lite 5 media type offline, and the charts here use nothing Vega-Lite 6 added.
    """
    return {LIVE_MEDIA_TYPE: spec, "text/plain": _plain_text(spec)}


def mimebundle(spec: dict[str, Any], **_options: Any) -> dict[str, str]:
    """The Altair renderer: a Vega-Lite spec -> ``{"text/html": <figure>, "text/plain": title}``."""
    return {"text/html": figure_html(spec), "text/plain": _plain_text(spec)}


def chart_html(chart: Any) -> str:
    """The ``<figure>`` HTML of an Altair chart (or a Vega-Lite spec dict)."""
    spec = chart if isinstance(chart, Mapping) else chart.to_dict()
    return figure_html(spec)


def figure_html(spec: Mapping[str, Any]) -> str:
    """Draw a Vega-Lite spec as inline SVG inside a ``<figure>`` with caption and data table.

    If vl-convert cannot draw the chart the figure says so in plain words (and keeps the data
    table) instead of failing the whole notebook; such figures carry the class ``hp-chart-error``
    so the report builder can count them.
    """
    spec = xml_safe(spec)
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:8]
    figure_id = f"hp-chart-{next(_figure_numbers)}-{digest}"
    title = chart_title(spec)
    description = chart_description(spec)
    caption_id = f"{figure_id}-caption"
    try:
        drawing = _svg(spec, figure_id, title, caption_id if description else None)
        classes = "hp-chart"
    except Exception as exc:  # noqa: BLE001 - any vl-convert failure becomes a visible message
        drawing = (f'<p class="hp-chart-message" role="alert">This chart could not be drawn: '
                   f"{html.escape(_first_line(exc))}</p>")
        classes = "hp-chart hp-chart-error"
        if title:
            drawing = f'<p class="hp-chart-title">{html.escape(title)}</p>' + drawing
    caption = (f'<figcaption id="{caption_id}">{html.escape(description)}</figcaption>'
               if description else "")
    return (f'<figure class="{classes}" id="{figure_id}">\n{drawing}\n{caption}\n'
            f"{data_table_html(spec)}</figure>")


def xml_safe(value: Any) -> Any:
    """A copy of a spec (or any JSON-like value) whose texts hold only characters XML allows.

    Each forbidden character becomes U+FFFD (the replacement character), so the value stays
    visible as "something odd here" rather than disappearing.
    """
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, Mapping):
        return {xml_safe(key): xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe(item) for item in value]
    return value


def chart_title(spec: Mapping[str, Any]) -> str:
    """The chart's title as plain text (title and subtitle joined), from the top level or first view."""
    title = _first_value(spec, "title")
    if isinstance(title, Mapping):
        parts = [_text(title.get("text")), _text(title.get("subtitle"))]
        return " - ".join(part for part in parts if part)
    return _text(title)


def chart_description(spec: Mapping[str, Any]) -> str:
    """The chart's Vega-Lite ``description`` (top level, else the first view that has one)."""
    return _text(_first_value(spec, "description"))


def data_table_html(spec: Mapping[str, Any]) -> str:
    """A ``<details>`` element holding the chart's data as HTML tables (escaped), or "" if none.

    One table per distinct dataset the chart draws from, limited to the fields the chart uses
    (all fields when it names none; never fields whose names start with "_", which only place
    marks) and to ``[reports] chart_table_max_rows`` rows.
    """
    datasets = list(_datasets(spec))
    if not datasets:
        return ""
    fields, titles = _fields_and_titles(spec)
    limit = settings().reports.reports.chart_table_max_rows
    tables, total_rows = [], 0
    for number, records in enumerate(datasets, start=1):
        # fields named with a leading "_" only place marks (colours, label heights): not data for readers
        columns = [column for column in _columns(records) if not column.startswith("_")]
        used = [column for column in columns if column in fields] or columns
        total_rows += len(records)
        heading = f"<caption>Data set {number}</caption>" if len(datasets) > 1 else ""
        head = "".join(f'<th scope="col">{html.escape(titles.get(c, c))}</th>' for c in used)
        body = "\n".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in used) + "</tr>"
            for row in records[:limit]
        )
        note = (f'<p class="hp-table-note">Showing the first {limit} of {len(records)} rows; '
                "the executed notebook holds them all.</p>" if len(records) > limit else "")
        tables.append(f'<table class="hp-chart-data">{heading}<thead><tr>{head}</tr></thead>'
                      f"<tbody>\n{body}\n</tbody></table>{note}")
    rows = "row" if total_rows == 1 else "rows"
    return (f"<details><summary>Data behind this chart ({total_rows} {rows})</summary>\n"
            + "\n".join(tables) + "\n</details>\n")


def _cell(value: Any) -> str:
    """A chart data value for its table: the report's formatter, with Vega's midnight timestamps as dates."""
    if isinstance(value, str):
        midnight = _MIDNIGHT.match(value)
        return midnight.group(1) if midnight else value
    return format_value(value)


def _svg(spec: Mapping[str, Any], prefix: str, title: str, caption_id: str | None) -> str:
    import vl_convert

    # allowed_base_urls=[]: a chart can never make the run (or the report) touch the network.
    svg = vl_convert.vegalite_to_svg(dict(spec), allowed_base_urls=[])
    ids = set(_SVG_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = (svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
               .replace(f'href="#{old}"', f'href="#{new}"'))
    # Vega marks an empty layer (no range bars, no forecast band) as a graphics symbol with no name:
    # such a group draws nothing, so it loses its role rather than being announced unnamed.
    svg = _EMPTY_MARK.sub(r"<g\1\2/>", svg)
    label = f' aria-label="{html.escape(title)}"' if title else ""
    described = f' aria-describedby="{caption_id}"' if caption_id else ""
    # Inline style (not a stylesheet) so the chart also shrinks to fit in JupyterLab.
    return svg.replace("<svg ", f'<svg role="img"{label}{described} '
                                'style="max-width: 100%; height: auto" ', 1)


def _plain_text(spec: Mapping[str, Any]) -> str:
    title = chart_title(spec) or "Chart"
    description = chart_description(spec)
    return f"{title}\n{description}" if description else title


def _first_line(exc: Exception) -> str:
    """The line of a vl-convert error that says what went wrong (not its JavaScript stack)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if not line.endswith("failed:") and not line.startswith("at ")]
    return (useful or lines or [type(exc).__name__])[0]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(part) for part in value if part is not None)
    if isinstance(value, Mapping):  # e.g. {"expr": ...}: not plain text
        return ""
    return str(value)


def _views(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The spec and every nested view (layer, concat, facet, repeat), depth first."""
    yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []) or []:
            if isinstance(child, Mapping):
                yield from _views(child)
    inner = spec.get("spec")
    if isinstance(inner, Mapping):
        yield from _views(inner)


def _first_value(spec: Mapping[str, Any], key: str) -> Any:
    for view in _views(spec):
        if view.get(key) not in (None, "", []):
            return view[key]
    return None


def _datasets(spec: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
    named = spec.get("datasets", {}) or {}
    seen: set[str] = set()
    for view in _views(spec):
        data = view.get("data")
        if not isinstance(data, Mapping):
            continue
        if isinstance(data.get("name"), str) and data["name"] not in seen:
            seen.add(data["name"])
            records = named.get(data["name"])
            if isinstance(records, list) and records:
                yield [r if isinstance(r, Mapping) else {"value": r} for r in records]
        elif isinstance(data.get("values"), list) and data["values"]:
            key = json.dumps(data["values"], sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                yield [r if isinstance(r, Mapping) else {"value": r} for r in data["values"]]


def _columns(records: list[Mapping[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    return list(columns)


def _fields_and_titles(spec: Mapping[str, Any]) -> tuple[set[str], dict[str, str]]:
    """Every field name the chart refers to, and the axis/legend titles it gives them."""
    fields: set[str] = set()
    titles: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            field = node.get("field")
            if isinstance(field, str):
                name = field.replace("\\", "")
                fields.add(name)
                title = _text(node.get("title"))
                if title and name not in titles:
                    titles[name] = title
            for key, value in node.items():
                if key not in ("datasets", "config", "data"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return fields, titles

"""The explorer page: ``explore.html``, every measure of a quarter's data in one page that works offline.

Unlike the report pages (static SVG, no JavaScript), this page is live: a labelled drop-down list
picks the measure and the chart (:mod:`harrowperf.present.charts.explorer`) redraws it, with
tooltips. Vega, Vega-Lite and vega-embed come from vl-convert's own bundle, included inline once,
so nothing is fetched from the network. Text from the data is escaped in the HTML, and the chart
specification is embedded as JSON with ``<`` escaped, so no data can close the script.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pandas as pd

from harrowperf.foundation.conventions import settings
from harrowperf.foundation.periods import quarter_label, to_quarter
from harrowperf.present.charts.explorer import PARAMETER, explorer_chart, explorer_data
from harrowperf.present.format import escape_html

PAGE = "explore.html"
# Vega compiles its expressions with `new Function` and vega-embed adds its own style element.
_POLICY = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
_COLUMNS = ["Measure", "Theme", "Period", "Actual as printed", "Target as printed", "RAG", "Source"]
_CONNECT = """(function () {
  var select = document.getElementById("measure");
  var spec = JSON.parse(document.getElementById("chart-spec").textContent);
  vegaEmbed("#chart", spec, {actions: false, renderer: "svg"}).then(function (result) {
    select.addEventListener("change", function () { result.view.signal("PARAMETER", select.value).runAsync(); });
    document.getElementById("chart").setAttribute("data-ready", "yes");
  });
})();""".replace("PARAMETER", PARAMETER)


def user_cache_dir() -> Path:
    """Where harrowperf keeps what it can make again: ``$XDG_CACHE_HOME/harrowperf`` (``~/.cache/harrowperf``),
    outside the reports folder so a published report holds only reports."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "harrowperf"


@cache
def vega_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the vl-convert package (no download).

    Making it takes seconds, so it is kept in ``cache_dir`` (the run uses :func:`user_cache_dir`), one
    file per vl-convert version.
    """
    import vl_convert

    cached = cache_dir / f"vega-bundle-{vl_convert.__version__}.js" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_text("utf-8")
    bundle = vl_convert.javascript_bundle()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.write_text(bundle, "utf-8")
        partial.replace(cached)
    return bundle


def explorer_html(frame: pd.DataFrame, quarter: str | pd.Period, cache_dir: Path | None = None) -> str:
    """The explorer page for the scorecard frame up to ``quarter`` (``cache_dir``: see :func:`vega_bundle`)."""
    period = to_quarter(quarter)
    label = quarter_label(period)
    data = explorer_data(frame, period)
    site = settings().reports.site
    measures = list(dict.fromkeys(data["Measure"]))
    # Only what the chart draws goes into it: every measure, each row as a line of CSV (compact=True)
    spec = explorer_chart(data, compact=True).to_dict()
    spec_json = json.dumps(spec, allow_nan=False, default=str).replace("<", "\\u003c")
    options = "".join(f"<option>{escape_html(name)}</option>" for name in measures)
    limit = settings().reports.reports.chart_table_max_rows
    shown = data[_COLUMNS].head(limit)
    rows = "".join("<tr>" + "".join(f"<td>{escape_html(value)}</td>" for value in row) + "</tr>"
                   for row in shown.itertuples(index=False))
    more = (f"<p>The first {limit:,} of {len(data):,} rows; all of them are in the clean data.</p>"
            if len(data) > limit else "")
    title = f"Explore the measures – {label}"
    return f"""<!DOCTYPE html>
<html lang="{escape_html(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_POLICY}">
<meta name="referrer" content="no-referrer">
<title>{escape_html(title)}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.45; }}
label {{ font-weight: bold; margin-right: .5rem; }}
select {{ font-size: 1rem; max-width: 100%; }}
table {{ border-collapse: collapse; font-size: .9rem; }}
th, td {{ border: 1px solid #767676; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
figure {{ margin: 1rem 0; }}
#chart svg {{ max-width: 100%; height: auto; }}
@page {{ size: A4 portrait; margin: 14mm 12mm 16mm; }}
@media print {{ body {{ max-width: none; margin: 0; padding: 0; }} }}
</style>
</head>
<body>
<header><p>{escape_html(site.publisher)} – {escape_html(site.title)}</p></header>
<main>
<h1>{escape_html(title)}</h1>
<p>Every measure's figures up to {escape_html(label)}: {len(measures):,} measures. Choose one to see its
history: the actual each period, coloured by the RAG the service reported, and the target as a dashed
line. Hover a point for its figures and the cell they were read from.</p>
<p><label for="measure">Measure</label><select id="measure">{options}</select></p>
<figure>
<div id="chart"></div>
<figcaption>{escape_html(spec.get("description", ""))}</figcaption>
</figure>
<details><summary>Data behind this chart ({len(data):,} rows)</summary>
<table><thead><tr>{"".join(f'<th scope="col">{escape_html(c)}</th>' for c in _COLUMNS)}</tr></thead>
<tbody>{rows}</tbody></table>{more}</details>
<noscript><p>The chart needs JavaScript; its data is in the table above.</p></noscript>
</main>
<script type="application/json" id="chart-spec">{spec_json}</script>
<script>{vega_bundle(cache_dir)}</script>
<script>{_CONNECT}</script>
</body>
</html>
"""


def write_explorer(clean_dir: str | Path, quarter: str | pd.Period, folder: str | Path,
                   cache_dir: Path | None = None) -> Path:
    """Write ``explore.html`` for ``quarter`` from ``<clean_dir>/scorecard.parquet`` into ``folder``."""
    from harrowperf.pipeline.notebook import load_scorecard

    path = Path(folder) / PAGE
    path.write_text(explorer_html(load_scorecard(clean_dir), quarter, cache_dir), "utf-8")
    return path

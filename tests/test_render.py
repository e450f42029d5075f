"""The Altair renderer: inline SVG figures with caption and data table, escaped text, no network."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harrowperf.foundation import conventions
from harrowperf.present import figures as render

MARKUP = "<script>alert(1)</script>"


class _Tags(HTMLParser):
    """Start tags and their attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def bar_chart(measures=("Waste recycled", MARKUP), title="Measures", description="One bar per measure."):
    frame = pd.DataFrame({"measure": list(measures), "value": [1.5, 2.25][: len(measures)],
                          "rag": ["HG", "HR"][: len(measures)], "unused": ["x", "y"][: len(measures)]})
    return alt.Chart(frame, title=title, description=description).mark_bar().encode(
        x="measure:N", y=alt.Y("value:Q", title="Value (%)"), color="rag:N")


def test_a_chart_is_an_inline_svg_in_a_figure_with_its_description_as_caption():
    html = render.chart_html(bar_chart())
    assert html.startswith('<figure class="hp-chart" id="hp-chart-')
    names = [tag for tag, _ in tags(html)]
    assert names[:2] == ["figure", "svg"]
    assert "figcaption" in names and "details" in names and "table" in names
    assert "<figcaption" in html and ">One bar per measure.</figcaption>" in html
    svg = dict(tags(html))["svg"]
    assert svg["role"] == "img" and svg["aria-label"] == "Measures"
    assert svg["aria-describedby"].endswith("-caption") and f'id="{svg["aria-describedby"]}"' in html
    assert "viewBox" in html                       # kept as SVG spells it
    assert len(html) < 30_000


def test_text_from_data_is_escaped_everywhere():
    html = render.chart_html(bar_chart(title=f"Title {MARKUP}", description=f"About {MARKUP}"))
    assert MARKUP not in html
    assert "script" not in {tag for tag, _ in tags(html)}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html       # shown as text in axis, table, caption
    assert f">About {MARKUP.replace('<', '&lt;').replace('>', '&gt;')}</figcaption>" in html


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_no_measure_name_can_add_markup(name):
    html = render.chart_html(bar_chart(measures=(name,), title=name, description=name))
    allowed = {"figure", "figcaption", "details", "summary", "table", "thead", "tbody", "tr", "th", "td",
               "p", "caption"}
    outside_svg = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.DOTALL)
    assert {tag for tag, _ in tags(outside_svg)} <= allowed
    assert not any(key.startswith("on") for _, attrs in tags(html) for key in attrs)


def test_the_data_table_holds_the_fields_the_chart_uses_with_their_titles():
    html = render.data_table_html(bar_chart().to_dict())
    assert "<summary>Data behind this chart (2 rows)</summary>" in html
    headers = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert headers == ["measure", "Value (%)", "rag"]              # "unused" is not drawn
    assert "<td>Waste recycled</td><td>1.5</td><td>HG</td>" in html
    assert "<td>2.25</td>" in html


def test_a_long_data_table_is_cut_with_a_note():
    limit = conventions.settings().reports.reports.chart_table_max_rows
    frame = pd.DataFrame({"x": range(limit + 7), "y": range(limit + 7)})
    html = render.data_table_html(alt.Chart(frame).mark_point().encode(x="x", y="y").to_dict())
    assert html.count("<tr>") == limit + 1                          # header row + limit rows
    assert f"Showing the first {limit} of {limit + 7} rows" in html
    assert f"({limit + 7} rows)" in html


def test_layers_sharing_data_give_one_table_and_concats_one_per_dataset():
    base = alt.Chart(pd.DataFrame({"q": ["Q1", "Q2"], "v": [1, 2]})).encode(x="q", y="v")
    layered = (base.mark_line() + base.mark_point()).properties(description="Line and points.")
    assert render.data_table_html(layered.to_dict()).count("<table") == 1
    other = alt.Chart(pd.DataFrame({"a": [3]})).mark_bar().encode(x="a")
    html = render.data_table_html(alt.hconcat(layered, other).to_dict())
    assert html.count("<table") == 2 and "<caption>Data set 2</caption>" in html
    assert "(3 rows)" in html
    assert render.chart_description(alt.hconcat(layered, other).to_dict()) == "Line and points."


def test_svg_ids_are_unique_between_charts_on_one_page():
    clipped = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line(clip=True).encode(x="x", y="y")
    first, second = render.chart_html(clipped), render.chart_html(clipped)
    ids_first = set(re.findall(r'\bid="([^"]+)"', first))
    ids_second = set(re.findall(r'\bid="([^"]+)"', second))
    assert any(re.search(r"-clip\d+$", i) for i in ids_first)
    assert not ids_first & ids_second
    for html, ids in ((first, ids_first), (second, ids_second)):
        assert set(re.findall(r"url\(#([^)]+)\)", html)) <= ids     # every reference stays in its figure


def test_a_chart_that_needs_the_network_is_not_drawn_and_says_so():
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"url": "https://example.com/measures.csv"}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"}}, "title": "Remote data"}
    html = render.figure_html(spec)
    assert 'class="hp-chart hp-chart-error"' in html
    assert "This chart could not be drawn" in html and "example.com/measures.csv" in html
    assert "<svg" not in html and '<p class="hp-chart-title">Remote data</p>' in html


@pytest.mark.parametrize(("value", "text"), [
    (None, "–"), (float("nan"), "–"), (True, "yes"), (1234567, "1,234,567"), (7.0, "7"), (7.49, "7.49"),
    (1234.5, "1,234.5"), (0.00345, "0.00345"), (-2.5, "-2.5"), ("2016-07-01T00:00:00", "2016-07-01"),
    ("2016-07-01T10:30:00", "2016-07-01T10:30:00"), ("Q2 2016/17", "Q2 2016/17"), ([1, 2], "1, 2"),
])
def test_chart_table_cells_use_the_report_formatter(value, text):
    assert render._cell(value) == text


def test_title_text_from_string_list_or_title_object():
    assert render.chart_title({"title": "Plain"}) == "Plain"
    assert render.chart_title({"title": ["Two", "lines"]}) == "Two lines"
    assert render.chart_title({"title": {"text": "Main", "subtitle": "Sub"}}) == "Main - Sub"
    assert render.chart_title({"layer": [{"title": "Inner"}]}) == "Inner"
    assert render.chart_title({"mark": "bar"}) == ""


def test_enable_makes_it_the_altair_renderer_for_notebooks_and_can_be_called_twice():
    previous = alt.renderers.active
    try:
        render.static()
        render.static()
        assert alt.renderers.active == render.RENDERER_NAME
        bundle = bar_chart()._repr_mimebundle_()
        assert set(bundle) == {"text/html", "text/plain"}
        assert bundle["text/html"].startswith('<figure class="hp-chart"')
        assert bundle["text/plain"] == "Measures\nOne bar per measure."
    finally:
        alt.renderers.enable(previous)


@pytest.mark.parametrize("odd", ["\x00", "\x02", "\x1b", "\ufffe"])
def test_characters_xml_forbids_are_replaced_instead_of_crashing_the_kernel(odd):
    # vl-convert aborts the whole process on these (vega/vl-convert#220); a kernel must survive them.
    html = render.chart_html(bar_chart(measures=(f"Waste{odd}recycled",), title=f"T{odd}"))
    assert "hp-chart-error" not in html
    assert "Waste\ufffdrecycled" in html and odd not in html


def test_a_lone_surrogate_in_a_spec_is_replaced_too():
    spec = {"data": {"values": [{"m": "a\ud800b", "v": 1}]}, "mark": "bar",
            "encoding": {"x": {"field": "m", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}}}
    html = render.figure_html(spec)
    assert "hp-chart-error" not in html and "a\ufffdb" in html


def test_an_empty_layer_is_not_announced_as_an_unnamed_graphic():
    import altair as alt
    import pandas as pd

    from harrowperf.present.figures import chart_html

    data = pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": ["x", "y"]})
    chart = alt.layer(alt.Chart(data).mark_bar().encode(x="a:Q", y="b:Q"),
                      alt.Chart(data).transform_filter("datum.c == 'z'").mark_rule().encode(x="a:Q"))
    page = chart_html(chart)
    assert '<g class="mark-rule role-mark layer_1_marks"/>' in page           # drawn nothing: no role
    assert 'role="graphics-object" aria-roledescription="rect mark container"' in page   # the bars keep theirs

"""Report pages and index pages built from executed notebooks (made by hand here, no kernel)."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import altair as alt
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from harrowperf.pipeline.pages import (
    CSP,
    default_path_replacements,
    find_failure,
    notebook_summary,
    notebook_title,
    render_quarter_index,
    render_report,
    render_site_index,
    scrub_notebook_paths,
    scrub_paths,
)
from harrowperf.present import figures as render

MARKUP = "<script>alert(1)</script>"
SECRET_CODE = "frame = compute_the_secret_sauce()"
SHA = "ab" * 32


def content_security_policy(html: str) -> str | None:
    """The CSP a browser would apply: the content of <meta http-equiv="Content-Security-Policy">."""
    found: list[str] = []

    class Meta(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
                found.append(attributes.get("content"))

    Meta().feed(html)
    return found[0] if len(found) == 1 else None


def executed(cells, *, parameters=None, ours=True):
    """A notebook as papermill leaves it: outputs, execution counts and papermill metadata."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "harrowperf", "language": "python", "display_name": "hp"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.metadata["papermill"] = {"parameters": parameters or {"quarter": "Q2 2016/17"},
                                "start_time": "2016-10-03T08:00:00+00:00",
                                "end_time": "2016-10-03T08:00:12.5+00:00", "duration": 12.5,
                                "version": "2.7.0", "input_path": "notebooks/trend.ipynb"}
    if ours:
        nb.metadata["harrowperf"] = {"quarter": "Q2 2016/17", "version": "0.1.0", "kernel": "harrowperf",
                                     "notebook": "notebooks/trend.ipynb",
                                     "parameters": {"quarter": "Q2 2016/17", "clean_dir": "data/clean"},
                                     "data_files": {"data/raw/scorecards/q2.xlsx": SHA}}
    return nb


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def html_output(html):
    return new_output("display_data", data={"text/html": html, "text/plain": "chart"})


def error_output(ename, evalue, source_line=2):
    traceback = ["\x1b[31m----\x1b[39m", f"\x1b[36mCell\x1b[39m \x1b[32mIn[4]\x1b[39m, line {source_line}",
                 f"\x1b[31m{ename}\x1b[39m: {evalue}"]
    return new_output("error", ename=ename, evalue=evalue, traceback=traceback)


def chart_figure():
    frame = pd.DataFrame({"measure": [MARKUP, "Waste"], "value": [1.0, 2.0]})
    chart = alt.Chart(frame, title="Measures", description="One bar per measure.").mark_bar(clip=True)
    return render.chart_html(chart.encode(x="measure:N", y="value:Q"))


def good_notebook():
    parameters = new_code_cell('quarter = "Q2 2016/17"', metadata={"tags": ["parameters"]}, execution_count=1)
    injected = new_code_cell('quarter = "Q2 2016/17"', metadata={"tags": ["injected-parameters"]},
                             execution_count=2)
    chart = new_code_cell(SECRET_CODE, execution_count=4, outputs=[html_output(chart_figure())])
    noisy = new_code_cell("warn()", execution_count=5, outputs=[
        new_output("stream", name="stderr", text="UserWarning: for analysts"), stdout("12 measures on target")])
    return executed([
        new_markdown_cell("# Trend *analysis*\n\nHow each measure moved this quarter.\n\nMore text."),
        parameters, injected,
        new_code_cell("import harrowperf as hp", execution_count=3),
        new_markdown_cell("## Direction of travel"), chart,
        new_markdown_cell("### Detail"), noisy,
        new_markdown_cell("## Exceptions"),
        new_code_cell("hidden()", metadata={"tags": ["remove-output"]}, execution_count=6,
                      outputs=[stdout("should not show")]),
    ])


def failed_notebook():
    return executed([
        new_markdown_cell("# Budget gap\n\nWhere spending differs from budget."),
        new_code_cell('year = "2016/17"', metadata={"tags": ["parameters"]}, execution_count=1),
        new_markdown_cell("## Variance"),
        new_code_cell("x = 1\nraise ParameterError('no budget for 2099/00')", execution_count=2,
                      outputs=[stdout("before"), error_output("ParameterError", "no budget for 2099/00")]),
        new_code_cell("print('after')"),
    ])


@pytest.fixture(scope="module")
def good_page():
    return render_report(good_notebook(), ipynb="trend.ipynb", quarter="Q2 2016/17")


def test_title_and_summary_come_from_the_first_markdown_cell():
    nb = good_notebook()
    assert notebook_title(nb) == "Trend analysis"
    assert notebook_summary(nb) == "How each measure moved this quarter."
    assert notebook_title(executed([new_code_cell("1")]), fallback="trend") == "trend"


def test_a_page_has_a_readable_title_breadcrumbs_and_no_code(good_page):
    html = good_page.html
    assert "<title>Trend analysis · Q2 2016/17 · Corporate performance reports</title>" in html
    assert '<a href="../index.html">All quarters</a> › <a href="index.html">Q2 2016/17</a>' in html
    assert SECRET_CODE not in html and "import harrowperf" not in html and "In&nbsp;[" not in html
    assert good_page.title == "Trend analysis" and good_page.failure is None


def test_a_page_forbids_scripts_and_network_and_carries_no_script(good_page):
    html = good_page.html
    assert content_security_policy(html) == CSP
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)        # nothing fetched or linked remotely
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and MARKUP not in html


def test_charts_keep_their_svg_intact(good_page):
    html = good_page.html
    assert good_page.charts == 1 and good_page.charts_not_drawn == 0
    assert html.count("<svg") == 1 and "viewBox=" in html and "<clipPath" in html
    assert "One bar per measure.</figcaption>" in html
    assert "<summary>Data behind this chart (2 rows)</summary>" in html


def test_the_table_of_contents_lists_the_page_headings_in_order_with_working_links(good_page):
    html = good_page.html
    toc = html[html.index('<nav class="hp-toc"'):html.index("</nav>", html.index('<nav class="hp-toc"'))]
    entries = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _, text in entries] == ["Direction of travel", "Detail", "Exceptions", "Run details"]
    for anchor, _ in entries:
        assert f'id="{anchor}"' in html
    assert "<li><a href=\"#Direction-of-travel\">Direction of travel</a>\n<ol>" in toc   # h3 nested
    assert html.index('<nav class="hp-toc"') > html.index("How each measure moved")   # after the intro


def test_warnings_and_removed_outputs_stay_out_of_the_page(good_page):
    assert "UserWarning" not in good_page.html and "12 measures on target" in good_page.html
    assert "should not show" not in good_page.html
    assert good_page.warnings == 1


def test_run_details_show_parameters_data_checksums_times_and_versions(good_page):
    html = good_page.html
    details = html[html.index('id="run-details"'):]
    for text in ("notebooks/trend.ipynb", "complete", "Q2 2016/17", "3 October 2016", "12.5 s", "0.1.0",
                 "2.7.0", "harrowperf", "3.11.7", "data/raw/scorecards/q2.xlsx", SHA):
        assert text in details, text
    # parameter values as typed, marked as code
    assert "<tr><td><code>quarter</code></td><td><code>Q2 2016/17</code></td><td>this run</td></tr>" in details
    assert ("<tr><td><code>clean_dir</code></td><td><code>data/clean</code></td><td>notebook default</td></tr>"
            in details)
    assert '<a href="trend.ipynb"><code>trend.ipynb</code></a>' in details


def test_a_page_lists_the_files_it_read_with_their_role_and_states_its_periods_under_the_title():
    nb = executed([new_markdown_cell("# Trend\n\nIntro."), new_markdown_cell("## Part"),
                   new_code_cell("1", outputs=[stdout("one")], execution_count=1)])
    nb.metadata["harrowperf"]["data_files"] = {"data/clean/scorecard.parquet": SHA, "data/raw/<b>q2</b>.xlsx": SHA}
    nb.metadata["harrowperf"]["data_file_roles"] = {"data/clean/scorecard.parquet": "read",
                                                    "data/raw/<b>q2</b>.xlsx": "behind scorecard.parquet"}
    nb.metadata["harrowperf"]["periods"] = [["Quarter", "Q2 2016/17"], ["Scorecard figures", "Q1 <i>2003/04</i>"]]
    html = render_report(nb, ipynb="trend.ipynb", quarter="Q2 2016/17").html
    details = html[html.index('id="run-details"'):]
    assert "Files this page read, and the source files behind them" in details
    assert (f'<tr><td><code>data/clean/scorecard.parquet</code></td><td>read by this page</td>'
            f'<td class="hp-checksum">{SHA}</td></tr>') in details
    assert ("<code>data/raw/&lt;b&gt;q2&lt;/b&gt;.xlsx</code></td><td>used to make scorecard.parquet</td>"
            in details)
    periods = html.index('class="hp-periods"')
    assert html.index("<h1") < periods < html.index('class="hp-toc"')   # near the top, before the contents
    assert ("Periods covered.</strong> Quarter: Q2 2016/17; Scorecard figures: Q1 &lt;i&gt;2003/04&lt;/i&gt;."
            in html)
    nb.metadata["harrowperf"]["data_files"], nb.metadata["harrowperf"]["data_file_roles"] = {}, {}
    assert "This page read no data files." in render_report(nb, ipynb="trend.ipynb").html


def test_find_failure_names_cell_section_error_and_line():
    failure = find_failure(failed_notebook())
    assert failure.cell == 4 and failure.execution_count == 2 and failure.section == "Variance"
    assert failure.error == "ParameterError: no budget for 2099/00"
    assert failure.line == "line 2: raise ParameterError('no budget for 2099/00')"
    assert failure.describe("notebooks/budget_gap.ipynb") == (
        'notebooks/budget_gap.ipynb failed at cell 4 (In [2]), section "Variance": '
        "ParameterError: no budget for 2099/00\n    line 2: raise ParameterError('no budget for 2099/00')")
    assert find_failure(good_notebook()) is None


def test_papermill_cells_do_not_shift_the_cell_number():
    nb = failed_notebook()
    marker = new_markdown_cell('<span id="papermill-error-cell">stopped</span>',
                               metadata={"tags": ["papermill-error-cell-tag"]})
    nb.cells.insert(0, marker)
    nb.cells.insert(3, new_code_cell("year = 'x'", metadata={"tags": ["injected-parameters"]}))
    assert find_failure(nb).cell == 4


def test_a_failed_page_says_so_where_it_stopped_and_why():
    page = render_report(failed_notebook(), ipynb="budget_gap.ipynb", quarter="Q2 2016/17")
    html = page.html
    assert page.failure is not None
    assert "This report did not finish" in html
    assert "The analysis stopped at cell 4 (In [2]), in the section “Variance”." in html
    assert "<strong>Reason:</strong> ParameterError: no budget for 2099/00" in html
    assert '<a href="#hp-error">Go to where it stopped</a>' in html and 'id="hp-error"' in html
    assert '<a href="#what-went-wrong">What went wrong</a>' in html
    assert "before" in html and "after" not in html.split('id="run-details"')[0].split("hp-error")[-1]


def test_local_paths_are_replaced_in_pages_and_notebooks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site_packages = f"{sys.prefix}/lib/python3.11/site-packages/harrowperf/analyse/trend.py"
    nb = executed([new_markdown_cell("# Paths"), new_code_cell("x", execution_count=1, outputs=[
        stdout(f"read {tmp_path}/data/clean/scorecard.parquet"),
        error_output("OSError", f"{site_packages} broke")])])
    html = render_report(nb).html
    assert str(tmp_path) not in html and sys.prefix not in html
    assert "read data/clean/scorecard.parquet" in html and "&lt;python&gt;/lib/python3.11" in html
    scrub_notebook_paths(nb)
    text = nbformat.writes(nb)
    assert str(tmp_path) not in text and sys.prefix not in text


def test_scrub_paths_replaces_the_longest_match_first():
    replacements = {"/srv/council": "~", "/srv/council/repo/": "", "/srv/council/repo/.venv": "<python>"}
    text = "/srv/council/repo/.venv/lib/x.py, /srv/council/repo/data/raw, /srv/council/notes"
    assert scrub_paths(text, replacements) == "<python>/lib/x.py, data/raw, ~/notes"
    assert list(default_path_replacements()) == sorted(default_path_replacements(), key=len, reverse=True)


RUN = {
    "quarter": "Q2 2016/17", "slug": "2016-17-Q2", "status": "failed",
    "started": "2016-10-03T08:00:00+00:00", "finished": "2016-10-03T08:01:00+00:00", "version": "0.1.0",
    "papermill_version": "2.7.0", "kernel": "harrowperf", "python": "3.11.7",
    "parameters": {"limit": "7"}, "data_files": {"data/raw/scorecards/q2.xlsx": SHA},
    "clean_summary": "249 scorecard observations, 3 data-quality findings",
    "notebooks": [
        {"name": "trend", "title": f"Trend {MARKUP}", "summary": "How measures moved.", "status": "ok",
         "html": "trend.html", "ipynb": "trend.ipynb", "duration_seconds": 8.2, "html_bytes": 40960,
         "finished": "2016-10-03T08:00:30+00:00", "failure": None},
        {"name": "budget_gap", "title": "Budget gap", "summary": "", "status": "failed",
         "html": "budget_gap.html", "ipynb": "budget_gap.ipynb", "duration_seconds": 75,
         "html_bytes": 2_500_000, "finished": "2016-10-03T08:01:00+00:00",
         "failure": {"error": "ParameterError: no budget"}},
    ],
}


def test_the_quarter_index_lists_reports_status_sizes_and_run_details():
    html = render_quarter_index(RUN)
    assert "<h1>Q2 2016/17: performance reports</h1>" in html
    assert "2 reports; 1 did not finish." in html
    assert '<a href="trend.html">Trend &lt;script&gt;alert(1)&lt;/script&gt;</a>' in html
    assert MARKUP not in html
    assert "Failed</span>: ParameterError: no budget" in html
    assert "(8.2 s)" in html and "(1 min 15 s)" in html and "40 KB" in html and "2.4 MB" in html
    assert SHA in html and "249 scorecard observations" in html
    assert "<tr><td><code>limit</code></td><td><code>7</code></td><td>harrowperf run -p</td></tr>" in html
    assert content_security_policy(html) == CSP and "<script" not in html


def test_the_quarter_index_of_a_failed_run_links_the_good_reports_and_vice_versa():
    failed = render_quarter_index(RUN, failed_run_of="../2016-17-Q2/index.html")
    assert 'The last good reports for Q2 2016/17 are unchanged: <a href="../2016-17-Q2/index.html">' in failed
    good = render_quarter_index({**RUN, "status": "ok"}, later_failure={
        "href": "../2016-17-Q2.failed/index.html", "finished": "4 October 2016, 08:00 BST"})
    assert "A later run of this quarter, on 4 October 2016, 08:00 BST, failed" in good
    assert 'href="../2016-17-Q2.failed/index.html"' in good


def test_the_site_index_lists_quarters_with_status_and_failed_attempts():
    runs = [{**RUN, "href": "2016-17-Q2/index.html",
             "failed_attempt": {"href": "2016-17-Q2.failed/index.html", "finished": "2016-10-04T07:00:00+00:00"}},
            {**RUN, "quarter": "Q1 2016/17", "href": "2016-17-Q1/index.html",
             "notebooks": RUN["notebooks"][:1]}]
    html = render_site_index(runs)
    rows = re.findall(r'<td><a href="([^"]+)">([^<]+)</a></td>', html)
    assert rows == [("2016-17-Q2/index.html", "Q2 2016/17"), ("2016-17-Q1/index.html", "Q1 2016/17")]
    assert "1 failed" in html and "Complete" in html
    assert 'href="2016-17-Q2.failed/index.html">details</a>' in html
    assert "No quarter has been run yet" in render_site_index([])


def test_the_site_index_gives_each_quarters_measures_by_colour_and_its_exceptions():
    measures = {"on_scorecard": 83, "rated": 56, "exceptions": 19,
                "by_status": {"HG": 24, "LG": 8, "G": 2, "A": 9, "LR": 5, "HR": 8, "R": 0}}
    runs = [{**RUN, "href": "2016-17-Q2/index.html", "headlines": {"measures": measures}},
            {**RUN, "quarter": "Q1 2016/17", "href": "2016-17-Q1/index.html"}]   # run before headlines existed
    html = render_site_index(runs)
    # red LR 5 + HR 8; amber 9; green HG 24 + LG 8 + G 2; 83 - 56 = 27 without a status
    assert "<td>83 measures: 13 red, 9 amber, 34 green, 27 without a status; 19 exceptions</td>" in html
    assert "<td>–</td>" in html


def test_scrubbing_html_escapes_the_replacement():
    assert scrub_paths("<pre>/opt/env/lib</pre>", {"/opt/env": "<python>"}, markup=True) == (
        "<pre>&lt;python&gt;/lib</pre>")
    assert scrub_paths("/opt/env/lib", {"/opt/env": "<python>"}) == "<python>/lib"

"""The real quarterly run, read as a director would: every page of one full run of the real notebooks.

One run of ``harrowperf run`` on the repository's data (module fixture) produces the pages; the
tests read them as they are published: every chart with a period axis has its periods in time
order and spaced by real time, and the visible text holds no machinery (NaN, None, Python reprs,
snake_case identifiers, index columns).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, _ensure_kernel
from throwaway_notebooks import run_in

from harrowperf.foundation.periods import parse_financial_year, parse_quarter

QUARTER = "Q2 2016/17"
SLUG = "2016-17-Q2"

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("real_quarterly_run")]


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    """``harrowperf run --quarter "Q2 2016/17"`` of every notebook on the real data; the reports folder."""
    _ensure_kernel()
    out = tmp_path_factory.mktemp("real_run")
    code, log = run_in(ROOT, QUARTER, out_dir=out / "reports", clean_dir=out / "clean", jobs=2)
    assert code == 0, log
    return out / "reports"


def pages(reports: Path) -> list[Path]:
    return sorted(reports.rglob("*.html"))


def opened(browser, reports: Path, **context_options) -> Iterator[tuple[Path, Any]]:
    """Every page of ``reports`` opened in turn in an offline Chromium context, as (path, page); each page
    is closed when the loop moves on, and the context when the loop ends or stops."""
    context = browser.new_context(offline=True, **context_options)
    try:
        for path in pages(reports):
            page = context.new_page()
            page.goto(path.resolve().as_uri())
            yield path, page
            page.close()
    finally:
        context.close()


# --- charts: periods in time order, spaced by real time ------------------------------------------

_AXIS = re.compile(r'<g class="mark-group role-axis"[^>]*aria-label="X-axis[^"]*"[^>]*>(.*?)'
                   r'<g class="mark-rule role-axis-domain"', re.DOTALL)
_LABEL = re.compile(r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)[^"]*"[^>]*>([^<]*)</text>')


def _when(label: str) -> float | None:
    """A period label as months since year 0 (its start), or None if it is not a period."""
    label = html.unescape(label).strip()
    quarter = parse_quarter(label)
    if quarter is not None and re.fullmatch(r"Q[1-4] \d{4}/\d{2}", label):
        return quarter.start_time.year * 12 + quarter.start_time.month
    year = parse_financial_year(label)
    if year is not None and re.fullmatch(r"\d{4}/\d{2}", label):
        return year.start_time.year * 12 + year.start_time.month
    if re.fullmatch(r"(19|20)\d{2}", label):
        return int(label) * 12 + 1
    return None


def period_axes(page: str) -> list[list[tuple[float, str, float]]]:
    """Every x axis of the page whose labels are all periods: [(x position, label, months)]."""
    axes = []
    for block in _AXIS.findall(page):
        labels = [(float(x), text, _when(text)) for x, text in _LABEL.findall(block)]
        if len(labels) >= 2 and all(when is not None for _, _, when in labels):
            axes.append(labels)
    return axes


def test_every_period_axis_on_every_page_is_in_time_order_and_spaced_by_real_time(real_run):
    checked = {}
    for path in pages(real_run):
        axes = period_axes(path.read_text("utf-8"))
        checked[path.name] = len(axes)
        for labels in axes:
            by_position = sorted(labels)
            months = [when for _, _, when in by_position]
            assert months == sorted(months) and len(set(months)) == len(months), (path.name, by_position)
            (x0, _, t0), (x1, _, t1) = by_position[0], by_position[-1]
            step = (x1 - x0) / (t1 - t0)
            for x, label, when in by_position:
                assert abs((x - x0) - step * (when - t0)) <= 1.0, (path.name, label, by_position)
    # the charts with a period axis: benchmark trends (NEET, adult social care) and LGBF series,
    # the MTFS gap by year, the RAG heatmap, the SPC small multiples and detail charts
    assert checked["benchmark.html"] >= 4 and checked["budget_gap.html"] >= 1
    assert checked["target_gap.html"] >= 1 and checked["trend.html"] >= 10, checked


# --- the visible text: no machinery --------------------------------------------------------------

ARTEFACTS = {
    "NaN/nan": re.compile(r"\bnan\b", re.IGNORECASE),
    "<NA>": re.compile(r"<NA>"),
    "None": re.compile(r"(?<![“\"])\bNone\b(?![”\"])"),   # a council's own word, quoted, is not Python's None
    "NaT": re.compile(r"\bNaT\b"),
    "Python list or tuple": re.compile(r"[\[(]\s*'[^']*'\s*,"),
    "quoted Python string": re.compile(r"^\s*'[^']*'\s*$", re.MULTILINE),
    "snake_case identifier": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "float money or count": re.compile(r"\b\d{4,}\.0\b"),
}


def visible_text(page) -> str:
    """What a reader sees: the page's rendered text, with every <details> opened (chart data included).

    Text marked as code (a file name, a parameter as it is typed with ``-p``) and checksums are left
    out: they are names to type, shown as such, not words for a reader.
    """
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('code, .hp-checksum').forEach(e => e.remove());
        document.documentElement.appendChild(body); body.style.display = 'block';
        const text = body.innerText; body.remove(); return text;
    }""")


_FILE_NAME = re.compile(r"https?://\S+|[\w./-]+\.(?:xlsx|xls|csv|ipynb|html|parquet)\b")


def artefacts(text: str) -> dict[str, list[str]]:
    """Machinery in ``text`` (web addresses and file names such as harrow_budget_gaps_by_round.xlsx are
    citations, not prose)."""
    text = _FILE_NAME.sub("<file>", text)
    found = {}
    for name, pattern in ARTEFACTS.items():
        hits = [text[max(0, m.start() - 40):m.end() + 40].replace("\n", " / ") for m in pattern.finditer(text)]
        if hits:
            found[name] = hits[:5]
    return found


def test_the_scan_finds_what_it_looks_for():
    text = ("Budget\tnan\t<NA>\nrow\tNone\tNaT\n['neet_16_17', 'x']\n'No workbook requested.'\n"
            "area_name\t188898.0")
    assert set(artefacts(text)) == set(ARTEFACTS)
    assert artefacts("Q2 2016/17: 12.5% (£2.5m); Harrow is 8th of 32 – no figure; target “None”.") == {}


@pytest.mark.browser
def test_no_page_shows_nan_none_reprs_or_identifiers(real_run, browser):
    found = {}
    for path, page in opened(browser, real_run):
        hits = artefacts(visible_text(page))
        if hits:
            found[str(path.relative_to(real_run))] = hits
    assert found == {}


@pytest.mark.browser
def test_no_table_has_an_index_column_or_an_index_name_row(real_run, browser):
    for path, page in opened(browser, real_run):
        # pandas' index: a <th> at the start of each body row, or a header row naming the index
        assert page.locator("table tbody tr > th:first-child").count() == 0, path.name
        assert page.locator("table thead tr:nth-child(2)").count() == 0, path.name


# --- print and PDF --------------------------------------------------------------------------------

A4_PRINTABLE_PX = round((210 - 2 * 12) / 25.4 * 96)   # A4 less the 12 mm side margins of report.css, in CSS px


@pytest.mark.browser
def test_every_page_prints_to_a4_with_no_table_or_chart_wider_than_the_paper(real_run, browser):
    for path, page in opened(browser, real_run, viewport={"width": A4_PRINTABLE_PX, "height": 1000}):
        page.emulate_media(media="print")
        too_wide = page.evaluate("""(limit) => [...document.querySelectorAll('table, figure svg')]
            .filter(e => e.getClientRects().length)            // printed (not hidden)
            .map(e => [e.tagName, e.getBoundingClientRect().right, e.scrollWidth,
                       (e.querySelector('caption, th') || e).textContent.trim().slice(0, 60)])
            .filter(([, right, scroll]) => right > limit + 1 || scroll > limit + 1)""", A4_PRINTABLE_PX)
        assert too_wide == [], (path.name, too_wide)
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_PRINTABLE_PX + 1, path.name


@pytest.mark.browser
def test_pdfs_are_written_beside_the_pages_and_open_with_title_and_page_numbers(real_run, tmp_path):
    import shutil
    import subprocess
    import sys

    from pypdf import PdfReader

    copy = tmp_path / "reports"
    shutil.copytree(real_run, copy)
    # what `harrowperf run --pdf` does after the run, in a process of its own (as the command runs it)
    script = ("import sys; from harrowperf.pipeline.pdf import quarter_pages, write_pdfs; "
              f"write_pdfs(quarter_pages({str(copy)!r}, {SLUG!r}), stream=sys.stdout)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    written = sorted((copy / SLUG).glob("*.pdf"))
    assert [p.name for p in written] == sorted(p.with_suffix(".pdf").name for p in (copy / SLUG).glob("*.html"))
    assert all(f"wrote {p.name}" in done.stdout for p in written)
    for pdf in written:
        reader = PdfReader(pdf)
        width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
        assert (round(width), round(height)) == (595, 842), pdf.name     # A4 portrait, in points
        first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
        assert f"Page 1 of {len(reader.pages)}" in first, pdf.name
        assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last, pdf.name
        assert "Corporate performance reports" in first, pdf.name     # the page title, in the footer


def test_cli_pdf_option_is_offered():
    from harrowperf.pipeline.cli import build_parser

    assert build_parser().parse_args(["run", "--quarter", QUARTER, "--pdf"]).pdf is True
    assert build_parser().parse_args(["run", "--quarter", QUARTER]).pdf is False


# --- accessibility ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_axe_finds_no_accessibility_violations_on_any_page(real_run, browser):
    """axe-core (the copy bundled with axe-playwright-python: nothing is fetched) on every page, WCAG 2.2 AA."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for path, page in opened(browser, real_run):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        violations = results.response["violations"]
        if violations:
            found[str(path.relative_to(real_run))] = [
                (v["id"], len(v["nodes"]), v["nodes"][0]["html"][:120]) for v in violations]
    assert found == {}


@pytest.mark.browser
def test_every_chart_has_a_text_alternative_and_headings_go_in_order(real_run, browser):
    for path, page in opened(browser, real_run):
        assert page.evaluate("document.documentElement.lang") == "en-GB", path.name
        charts = page.evaluate("""() => [...document.querySelectorAll('figure.hp-chart')].map(f => [
            f.querySelector('svg[role=img]')?.getAttribute('aria-label') || '',
            f.querySelector('figcaption')?.textContent.trim() || '',
            f.querySelectorAll('table.hp-chart-data').length])""")
        for label, caption, tables in charts:
            assert label and len(caption) > 40 and tables >= 1, (path.name, label, caption[:60])
        levels = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
                               ".map(h => Number(h.tagName[1]))")
        assert levels[0] == 1 and levels.count(1) == 1, (path.name, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path.name, levels)


# --- the quarter index answers first; each page says what it covers and what it read --------------


def _plain(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<main"):])).split())


def test_the_quarter_index_heads_with_the_quarters_figures_and_links_each_to_its_section(real_run):
    folder = real_run / SLUG
    index = (folder / "index.html").read_text("utf-8")
    text = _plain(index)
    assert text.index("The quarter at a glance") < text.index("Reports for Q2 2016/17")
    # Counted by hand in tests/test_headlines.py from the Q2 2016/17 workbook and data/raw/history.
    assert "83 measures are on the Q2 2016/17 scorecard. 56 have a RAG status; 27 have none" in text
    assert "19 measures are exceptions" in text
    assert "The trend report counts 90 measures: the 83 on this quarter's scorecard and 7 more" in text
    assert "The budget gap for 2016/17 is £20.8m, as published in the MTFS 2014/15 to 2016/17 round" in text
    assert text.count("Benchmarking, ") == 2
    for row in ("HG High green 24", "LG Low green 8", "A Amber 9", "LR Low red 5", "HR High red 8",
                "– All measures 83"):
        assert row in text
    links = re.findall(r'<a href="([a-z_]+\.html)#([^"]+)"', index[:index.index("Reports for")])
    assert {page for page, _ in links} == {"target_gap.html", "trend.html", "budget_gap.html", "benchmark.html"}
    for page, anchor in links:   # every figure links to a section that exists
        assert f'id="{html.escape(html.unescape(anchor))}"' in (folder / page).read_text("utf-8"), (page, anchor)
    # the pages agree with the index on the count, and say why the trend report counts more
    assert "In Q2 2016/17 the data has 83 measures" in _plain((folder / "target_gap.html").read_text("utf-8"))
    trend = _plain((folder / "trend.html").read_text("utf-8"))
    assert "90 measures: the 83 on the Q2 2016/17 scorecard and 7 more with figures only from earlier" in trend


def _files_listed(page: str) -> dict[str, str]:
    details = page[page.index('id="run-details"'):]
    return dict(re.findall(r"<tr><td><code>([^<]*)</code></td><td>([^<]*)</td><td class=\"hp-checksum\">", details))


def test_each_page_states_its_periods_at_the_top_and_lists_only_the_files_it_read(real_run):
    folder = real_run / SLUG
    listed, paths = {}, {}
    for name in ("target_gap", "trend", "budget_gap", "benchmark", "actions"):
        page = (folder / f"{name}.html").read_text("utf-8")
        assert page.index("<h1") < page.index('class="hp-periods"') < page.index('class="hp-toc"'), name
        assert "Quarter: Q2 2016/17" in _plain(page), name
        paths[name] = list(_files_listed(page))
        listed[name] = {Path(path).name: role for path, role in _files_listed(page).items()}
    assert listed["target_gap"]["scorecard.parquet"] == "read by this page"
    assert listed["target_gap"]["corporate_scorecard_2016-17_q2.xlsx"] == "used to make scorecard.parquet"
    assert listed["target_gap"]["harrow_measure_history.csv"] == "used to make scorecard.parquet"
    assert "budget.parquet" not in listed["target_gap"] and "ASC_data.csv" not in listed["target_gap"]
    assert "budget.parquet" in listed["budget_gap"] and "scorecard.parquet" not in listed["budget_gap"]
    assert [path for path in paths["budget_gap"] if path.endswith(".xlsx")] == [
        path for path in paths["budget_gap"] if path.startswith("data/raw/budget/")] != []
    assert listed["benchmark"]["ASC_data.csv"] == "read by this page"
    assert not any(name.endswith((".parquet", ".xlsx")) for name in listed["benchmark"])
    assert listed["actions"]["measures.csv"] == "read by this page"   # read to link actions to measures
    budget_text = _plain((folder / "budget_gap.html").read_text("utf-8"))
    assert "Budget: the year of the quarter, 2016/17" in budget_text
    assert "Scorecard figures: Q1 2003/04 to Q2 2016/17" in _plain((folder / "trend.html").read_text("utf-8"))

"""The explorer page (explore.html): every measure in one live chart, offline, with nothing live from the data."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import chromium
from hostile_markup import PAYLOAD

from harrowperf.pipeline.explore import PAGE, explorer_html, write_explorer

QUARTER = "Q2 2016/17"


class _Elements(HTMLParser):
    """The page's elements (tag, attributes) and the text of every <option>."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.options: list[str] = []
        self._in_option = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_option = tag == "option"
        if self._in_option:
            self.options.append("")

    def handle_endtag(self, tag):
        self._in_option = self._in_option and tag != "option"

    def handle_data(self, data):
        if self._in_option:
            self.options[-1] += data


def _open(browser, path: Path):
    """The page opened with every request that is not the file itself refused; what it tried to do."""
    context = browser.new_context()
    page = context.new_page()
    seen: dict = {"requests": [], "dialogs": [], "errors": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))

    def route(request_route):
        if request_route.request.url == path.resolve().as_uri():
            request_route.continue_()
        else:
            seen["requests"].append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("#chart[data-ready=yes] svg", timeout=120_000)
    return page, seen


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium()), headless=True,
                                              args=["--no-sandbox"] if os.geteuid() == 0 else [])
        yield launched
        launched.close()


@pytest.mark.browser
def test_picking_another_measure_redraws_the_chart_offline(real_clean_dir, tmp_path, browser):
    path = write_explorer(real_clean_dir, QUARTER, tmp_path, cache_dir=tmp_path / "cache")
    assert path.name == PAGE
    page, seen = _open(browser, path)
    options = page.locator("#measure option").all_inner_texts()
    assert len(options) == 90                                # every measure of the Q2 2016/17 scorecard
    first, other = options[0], "52 – % of household waste recycled and composted"
    assert other in options
    drawn = page.locator("#chart svg").text_content()
    assert first in drawn and other not in drawn
    page.select_option("#measure", label=other)
    page.wait_for_function("(name) => document.querySelector('#chart svg').textContent.includes(name)",
                           arg=other, timeout=30_000)
    drawn = page.locator("#chart svg").text_content()
    assert first not in drawn
    # seed 003: 43% (Q2 2015/16) and 38% (Q1 2016/17) against 50%, both HR, in the data table too
    assert "43%" in page.locator("details table").text_content()
    # scrolling over the chart zooms the time axis: its labels change
    axes = "() => [...document.querySelectorAll('#chart svg g.role-axis')].map(a => a.textContent).join('|')"
    before = page.evaluate(axes)
    box = page.locator("#chart svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -600)
    page.wait_for_function(f"(before) => ({axes})() !== before", arg=before, timeout=30_000)
    assert seen == {"requests": [], "dialogs": [], "errors": []}
    assert (tmp_path / "cache").is_dir() and any((tmp_path / "cache").iterdir())  # bundle kept for next time


@pytest.mark.browser
def test_markup_in_a_measure_name_is_text_in_the_page_and_the_chart(real_clean_dir, tmp_path, browser):
    scorecard = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    scorecard.loc[scorecard["measure_id"] == "household-waste-recycled", "measure"] = PAYLOAD
    text = explorer_html(scorecard, QUARTER)
    facts = _Elements(text)
    scripts = [attrs for tag, attrs in facts.elements if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "chart-spec"}, {}, {}]  # the spec, Vega, the picker
    assert not [tag for tag, _ in facts.elements if tag in {"img", "iframe", "a", "svg", "object", "base", "form"}]
    assert [tag for tag, _ in facts.elements].count("style") == 1                  # the page's own
    assert f"52 – {PAYLOAD}" in facts.options                  # shown exactly as written
    path = tmp_path / PAGE
    path.write_text(text, "utf-8")
    page, seen = _open(browser, path)
    page.select_option("#measure", label=f"52 – {PAYLOAD}")
    page.wait_for_function("() => document.querySelector('#chart svg').textContent.includes('alert(')",
                           timeout=30_000)
    assert page.evaluate("document.querySelectorAll('img, iframe, body style, a').length") == 0
    assert seen == {"requests": [], "dialogs": [], "errors": []}


def test_ten_years_of_500_quarterly_and_100_monthly_measures_fit_the_page_budget(tmp_path):
    from harrowperf.foundation.conventions import settings
    from harrowperf.read.synthetic import scorecard_frame

    frame = scorecard_frame(800, 40)                       # synthetic: 32,000 rows, as many as 500 measures x
    # 40 quarters and 100 monthly series x 120 months (bench/bench_scale.py)
    # names and files as long as councils write them (each measure's name about 85 characters)
    frame = frame.assign(measure=frame["measure"] + " – percentage of residents satisfied with the service",
                         source="corporate_scorecard_2026-27_q2_synthetic.xlsx", cell_actual="Business!D39")
    page = explorer_html(frame, QUARTER, cache_dir=tmp_path)
    assert len(_Elements(page).options) == 800              # every measure can be picked
    assert len(page.encode()) < settings().reports.reports.max_page_megabytes * 1024 * 1024

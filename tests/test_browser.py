"""The shared reports open in headless Chromium with the network cut off: charts drawn, no errors.

Uses the Debian ``chromium`` package (``tools/install-chromium.sh``; ``make test`` runs it) through
Playwright with ``executable_path``; no browser is ever downloaded. Without Chromium the tests
fail, saying how to install it (the ``browser`` fixture in conftest.py): they never skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import _ensure_kernel
from throwaway_notebooks import make_project, run_in

SLUG = "2016-17-Q2"

pytestmark = [pytest.mark.browser, pytest.mark.notebook]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """A run of a chart notebook, a good one and a failing one, published to reports/."""
    _ensure_kernel()
    root = make_project(tmp_path_factory.mktemp("project"), "good", "chart", "failing")
    run_in(root, jobs=2)
    return root / "reports"


class OfflinePage:
    """A page whose every non-file request is aborted and recorded, with console errors collected."""

    def __init__(self, browser):
        self.context = browser.new_context(offline=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path):
        response = self.page.goto(path.resolve().as_uri())
        assert response is None or response.ok
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def offline(browser):
    page = OfflinePage(browser)
    yield page
    page.close()


def test_a_chart_report_draws_its_svg_chart_offline_without_errors(reports, offline):
    page = offline.open(reports / SLUG / "chart.html")
    assert page.title() == "Chart report · Q2 2016/17 · Corporate performance reports"
    charts = page.locator("figure.hp-chart svg")
    assert charts.count() == 1
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 50
    assert page.locator("figure.hp-chart svg path, figure.hp-chart svg rect").count() > 5
    assert "One bar per measure" in page.locator("figure.hp-chart figcaption").inner_text()
    assert page.evaluate("document.scripts.length") == 0
    assert offline.errors == [] and offline.blocked == []


def test_markup_in_data_is_shown_as_text_and_never_runs(reports, offline):
    page = offline.open(reports / SLUG / "chart.html")
    page.locator("figure.hp-chart summary").click()
    table = page.locator("figure.hp-chart table.hp-chart-data")
    assert table.is_visible()
    assert "<script>alert(1)</script>" in table.inner_text()
    assert offline.errors == []


def test_the_table_of_contents_links_to_headings_on_the_page(reports, offline):
    page = offline.open(reports / SLUG / "chart.html")
    links = page.locator("nav.hp-toc a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets[-1] == "#run-details" and len(targets) >= 3
    for target in targets:
        assert page.locator(f"[id='{target[1:]}']").count() == 1, target


def test_a_failed_report_opens_and_says_it_failed(reports, offline):
    page = offline.open(reports / SLUG / "failing.html")
    assert "This report did not finish" in page.locator("#what-went-wrong").inner_text()
    assert page.locator("#hp-error").is_visible()
    assert offline.errors == [] and offline.blocked == []


def test_index_pages_open_and_lead_to_every_report(reports, offline):
    page = offline.open(reports / "index.html")
    page.get_by_role("link", name="Q2 2016/17").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Q2 2016/17: performance reports"
    for title in ("Chart report", "Good report", "Failing report"):
        assert page.get_by_role("link", name=title).count() == 1
    page.get_by_role("link", name="Chart report").click()
    page.wait_for_load_state("load")
    assert page.locator("figure.hp-chart svg").count() == 1
    assert offline.errors == [] and offline.blocked == []

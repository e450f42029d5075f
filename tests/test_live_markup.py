"""The quarterly run on data whose every text field holds markup: nothing from the data is live in any page.

The raw data is a copy of ``data/raw`` with payloads (``<script>``, ``<img onerror>``, ``<a href>``,
``<style>``, ``<meta http-equiv=refresh>``, Markdown links and images, ``<iframe>``, ``style=``)
added to every title, theme, measure name, note, footnote and budget text, and one sheet renamed
to markup (``tests/hostile_markup.py``). Every page is parsed; each is then opened in headless
Chromium, offline, and must neither navigate nor request anything.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import RAW, ROOT, _ensure_kernel
from hostile_markup import MARKER, PAYLOAD, PageFacts, deface

from harrowperf.pipeline.run import run_quarter

CHROMIUM = Path("/usr/bin/chromium")
QUARTER = "Q2 2016/17"
SLUG = "2016-17-Q2"

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("hostile_run")]


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    _ensure_kernel()
    base = tmp_path_factory.mktemp("hostile")
    raw = deface(RAW, base / "raw")
    out = base / "reports"
    stream = io.StringIO()
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        code = run_quarter(QUARTER, out_dir=out, raw_dir=raw, clean_dir=base / "clean", jobs=2, stream=stream)
    finally:
        os.chdir(previous)
    assert code == 0, stream.getvalue()
    return out


def _pages(reports: Path) -> list[Path]:
    """The report and index pages: static, no script. (explore.html is live by design and has its own
    checks, with these payloads, in tests/test_explore_page.py.)"""
    pages = sorted(page for page in reports.rglob("*.html") if page.name != "explore.html")
    assert len(pages) >= 6  # four reports, the quarter index and the site index
    return pages


def test_the_payloads_reach_the_pages_as_text(hostile_reports):
    """The test is only worth something if the payloads get as far as the pages."""
    shown = {page.stem: PageFacts.of(page.read_text("utf-8")).shown() for page in _pages(hostile_reports)}
    for name in ("target_gap", "trend", "budget_gap"):
        assert MARKER in shown[name], name
        assert "<script>alert(" in shown[name], name  # shown as written, not swallowed
    assert "[a Markdown link](https://" in shown["target_gap"]


def test_nothing_from_the_data_is_live_in_any_page(hostile_reports):
    problems = {page.relative_to(hostile_reports).as_posix(): PageFacts.of(page.read_text("utf-8")).live()
                for page in _pages(hostile_reports)}
    assert {name: found for name, found in problems.items() if found} == {}


def test_every_page_has_the_strict_policy_and_no_referrer(hostile_reports):
    from harrowperf.pipeline.pages import CSP

    assert "default-src 'none'" in CSP and "'unsafe-inline'" not in CSP and "navigate-to" not in CSP
    for page in _pages(hostile_reports):
        facts = PageFacts.of(page.read_text("utf-8"))
        metas = {attrs.get("http-equiv", attrs.get("name", "")).lower(): attrs.get("content", "")
                 for tag, attrs in facts.elements if tag == "meta"}
        assert metas.get("content-security-policy") == CSP, page.name
        assert metas.get("referrer") == "no-referrer", page.name
        # one style sheet, the page's own, allowed by its hash; nothing else may style the page
        assert [_sha256(style) for style in facts.styles] == [CSP.split("style-src ")[1].split(";")[0]], page.name
        for tag, attrs in facts.elements:
            if tag == "a" and "://" in attrs.get("href", ""):
                assert set(attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}, (page.name, attrs)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _visit(browser, path: Path) -> dict:
    """Open a page offline (every non-file request aborted), wait, and say what happened."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    seen: dict = {"requests": [], "dialogs": [], "navigations": [], "errors": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("framenavigated", lambda f: seen["navigations"].append(f.url))

    def route(request_route):
        if request_route.request.url.startswith("file://"):
            request_route.continue_()
        else:
            seen["requests"].append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    url = path.resolve().as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    time.sleep(1.5)  # a meta refresh of 0 s would have fired by now (not a speed assertion)
    seen["navigations"] = sorted(set(seen["navigations"]) - {url})
    seen["moved"] = page.url != url
    seen["live"] = page.evaluate("document.querySelectorAll('script, iframe, meta[http-equiv=refresh], img, "
                                 "object, embed, base, form').length")
    context.close()
    return seen


@pytest.mark.browser
def test_no_page_navigates_fetches_or_logs_an_error_in_chromium(hostile_reports):
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    assert executable, "Chromium is needed for this test (tools/install-chromium.sh)"
    from playwright.sync_api import sync_playwright

    quiet = {"requests": [], "dialogs": [], "navigations": [], "errors": [], "moved": False, "live": 0}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), headless=True,
                                             args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            for path in _pages(hostile_reports):
                # errors would hold any policy violation (a style or script the page tried to apply)
                assert _visit(browser, path) == quiet, path.name
        finally:
            browser.close()


def test_payload_is_what_the_test_says():
    for needle in ("<script>", "onerror=", "<a href=", "<style>", 'http-equiv="refresh"', "](https://"):
        assert needle in PAYLOAD

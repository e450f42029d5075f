"""Report pages as PDF files for committee papers, printed by headless Chromium.

``harrowperf run --pdf`` prints every page of the quarter's folder to a PDF beside it
(``trend.html`` -> ``trend.pdf``): A4 portrait, the page's print styles (``report.css``
``@media print``), and a footer holding the report's title and "page N of M". Chromium is the
Debian package the project already installs for its browser test (``tools/install-chromium.sh``),
driven through Playwright; nothing is downloaded, and the pages are opened with the network cut
off, as a reader would open them.
"""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from harrowperf.foundation.errors import RunError

CHROMIUM = Path("/usr/bin/chromium")
# Page margins: wide enough at the foot for the footer line.
MARGINS = {"top": "14mm", "right": "12mm", "bottom": "16mm", "left": "12mm"}
FOOTER = ('<div style="width:100%; font-family:Arial, sans-serif; font-size:8px; color:#505a5f; '
          'padding:0 12mm; display:flex; justify-content:space-between">'
          '<span>{title}</span><span>Page <span class="pageNumber"></span> of '
          '<span class="totalPages"></span></span></div>')


def find_chromium() -> Path:
    """The Chromium executable (Debian's ``/usr/bin/chromium``, else ``chromium`` on the PATH)."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found is None:
        raise RunError("PDFs need Chromium, which is not installed: run tools/install-chromium.sh "
                       "(needs root or sudo), or leave out --pdf")
    return Path(found)


def write_pdfs(pages: Iterable[str | Path], stream: TextIO | None = None) -> list[Path]:
    """Print each HTML page to a PDF beside it (same name, ``.pdf``); return the PDFs written."""
    from playwright.sync_api import sync_playwright

    pages = [Path(p) for p in pages]
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(find_chromium()), headless=True,
                                             args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            context = browser.new_context(offline=True)
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                          else route.abort())
            for path in pages:
                target = path.with_suffix(".pdf")
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_load_state("load")
                page.pdf(path=str(target), format="A4", landscape=False, print_background=True,
                         prefer_css_page_size=True, margin=MARGINS, display_header_footer=True,
                         header_template="<div></div>",
                         footer_template=FOOTER.format(title=html.escape(page.title())))
                page.close()
                written.append(target)
                if stream is not None:
                    print(f"wrote {target.name} ({target.stat().st_size / 1024:.0f} KB)", file=stream)
        finally:
            browser.close()
    return written


def quarter_pages(out_dir: str | Path, slug: str) -> list[Path]:
    """The pages of one quarter's folder (``reports/<slug>/*.html``), index page included."""
    folder = Path(out_dir) / slug
    return sorted(folder.glob("*.html")) if folder.is_dir() else []

"""Markup, Markdown-link, CSS and meta-refresh payloads put into every text field of real raw data.

Used by ``test_live_markup.py``: a copy of ``data/raw`` whose scorecard has a payload added to every
title, theme, measure name, note and footnote (and one sheet renamed to markup), and whose budget
workbooks have one in every text cell. Nothing here is an observation: the figures are the published
ones, only the text is defaced.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook

MARKER = "evil.example"
HIDE_CLASS = "hp-hostile-hide"
PAYLOAD = " ".join([
    '<script>alert("hp")</script>',
    '<img src=x onerror=alert(1)>',
    f'<a href="https://{MARKER}/a">click here</a>',
    f"<style>.hp-rag, .{HIDE_CLASS} {{display:none}}</style>",
    f'<meta http-equiv="refresh" content="0;url=https://{MARKER}/m">',
    f"[a Markdown link](https://{MARKER}/md)",
    f"![an image](https://{MARKER}/i.png)",
    f"<https://{MARKER}/auto>",
    f'<iframe src="https://{MARKER}/f"></iframe>',
    '<svg onload=alert(3)><a href="javascript:alert(5)">x</a></svg>',
    f'<div style="background:url(https://{MARKER}/s)" class="{HIDE_CLASS}">x</div>',
    "*emphasis* _under_ `code` ~~strike~~ $x$ | pipe |",
])
# A sheet name may not hold / \ ? * [ ] : and is at most 31 characters.
SHEET_PAYLOAD = "<img src=x onerror=alert(9)>"
# Names the budget notebook chooses by default (bridge area, the council-wide gaps): kept so every notebook runs.
KEPT_NAMES = {"Total Net Expenditure", "Whole council"}
URL_ATTRIBUTES = {"href", "xlink:href", "src", "srcset", "action", "formaction", "content", "style", "background",
                  "poster", "data", "ping", "cite"}
ROLES = {"title", "measure", "footnote", "qualifier", "unparsed", "cell_not_read"}


def deface(raw: Path, out: Path) -> Path:
    """Copy the raw folder ``raw`` to ``out`` with payloads in every text field; return ``out``."""
    from harrowperf.read.budget import read_budget
    from harrowperf.read.scorecard import read_scorecard

    shutil.copytree(raw, out)
    for path in sorted((out / "scorecards").glob("*.xlsx")):
        read = read_scorecard(path)
        roles = {(row.sheet, row.cell): row.role for row in read.layout.itertuples()}
        unread = {(f.sheet, f.cell) for f in read.findings.itertuples() if f.cell}
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    key = (sheet.title, cell.coordinate)
                    if isinstance(cell.value, str) and (roles.get(key) in ROLES or key in unread):
                        cell.value = f"{cell.value} {PAYLOAD}"
        workbook.worksheets[-1].title = SHEET_PAYLOAD
        workbook.save(path)
    for path in sorted((out / "budget").glob("*.xlsx")):
        frame = read_budget(path).frame  # the texts a budget page can show: names of areas, lines, tables
        texts = {str(text).strip() for column in ("area", "table", "note")
                 for text in frame[column].dropna() if str(text).strip()} - KEPT_NAMES
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.strip() in texts:
                        cell.value = f"{cell.value} {PAYLOAD}"
        workbook.save(path)
    return out


class PageFacts(HTMLParser):
    """What a page would make live: its elements, attributes, links, style text and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag.lower(), {k.lower(): v or "" for k, v in attrs}))
        self._in_style = tag.lower() == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag.lower(), {k.lower(): v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    @classmethod
    def of(cls, html: str) -> PageFacts:
        facts = cls()
        facts.feed(html)
        facts.close()
        return facts

    def live(self) -> list[str]:
        """Everything in the page that a payload could have made live (empty for a safe page)."""
        problems = []
        for tag, attrs in self.elements:
            if tag in ("script", "iframe", "object", "embed", "base", "form", "frame", "link", "img"):
                problems.append(f"<{tag}> element")
            if tag == "meta" and attrs.get("http-equiv", "").lower() not in ("", "content-security-policy"):
                problems.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"<{tag} {name}=...>")
                if name in URL_ATTRIBUTES and (MARKER in value or "javascript:" in value.lower()):
                    problems.append(f"<{tag} {name}={value!r}>")
                if name == "style" and HIDE_CLASS in value:
                    problems.append(f"<{tag} style=...> from data")
                if name == "class" and HIDE_CLASS in value.split():
                    problems.append(f"<{tag} class={value!r}> from data")
            if tag == "a" and attrs.get("href", "").split(":")[0].lower() in ("http", "https", "ftp", "data"):
                if MARKER in attrs["href"]:
                    problems.append(f"link to {attrs['href']}")
        problems += [f"<style> holding {HIDE_CLASS}" for style in self.styles if HIDE_CLASS in style]
        return problems

    def shown(self) -> str:
        return " ".join(self.text)

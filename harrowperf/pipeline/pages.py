"""Executed notebooks as shareable HTML reports (no code, no JavaScript, offline) and the index pages.

A report page is nbconvert's HTML with input cells removed, rendered through
``templates/report.html.j2``, plus: a table of contents built from the page's own headings, a
"run details" box (parameters, data files and checksums, times, versions: read from the
notebook's ``papermill`` and ``harrowperf`` metadata), a banner when the notebook failed, and a
Content-Security-Policy that forbids scripts and every network request. Local absolute paths are
replaced by relative ones so a page shows nothing about the machine that made it.

Nothing in a page comes alive from data: text from data is escaped where it is rendered
(:mod:`harrowperf.present.format`), and the page itself holds up if that ever failed. The policy
allows one style sheet, the page's own (by its hash): no ``<style>`` element or ``style=`` attribute
from an output applies (those of outputs are dropped, the report's CSS styles tables and charts).
Pages send no referrer, and every link to another site opens with ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from harrowperf import __version__
from harrowperf.foundation.conventions import settings

TEMPLATES = Path(__file__).with_name("templates")


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


# No scripts, no fetches of any kind, no style but the page's own sheet, no <base>, no forms:
# the page can only show what it contains.
CSP = (f"default-src 'none'; style-src {_style_hash((TEMPLATES / 'report.css').read_text('utf-8'))}; "
       "img-src data:; base-uri 'none'; form-action 'none'")
REFERRER = "no-referrer"
GENERATOR = f"harrowperf {__version__}"
# Cells papermill adds to an executed notebook; the report shows its own banner instead.
PAPERMILL_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})
REMOVE_CELL_TAGS = frozenset({"remove-cell", "remove_cell", "hide-cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output", "hide-output"})

# nbconvert re-parses its HTML with an HTML parser that lower-cases SVG names (viewBox, clipPath);
# charts are swapped for placeholders while it runs and put back afterwards.
_SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_HEADING = re.compile(r"<h([1-6])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ANCHOR = re.compile(r"<a class=\"anchor-link\"[^>]*>.*?</a>", re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_MARKDOWN_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")
# Style sheets inside outputs (pandas' scoped <style>, a Styler's), dropped: the policy would refuse them.
_OUTPUT_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.DOTALL | re.IGNORECASE)
# style= attributes of outputs (pandas' header rows, coloured tracebacks, the charts' own): dropped too.
_STYLE_ATTRIBUTE = re.compile(r'(<[a-zA-Z][^<>]*?)\sstyle="[^"<>]*"')
_EXTERNAL_LINK = re.compile(r'<a\b(?![^>]*\brel=)([^>]*\bhref="(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)[^"]*"[^>]*)>')


@dataclass(frozen=True)
class Failure:
    """Where and why a notebook stopped."""

    error: str                      # "ValueError: the quarter Q9 2016/17 is not in the data"
    cell: int | None = None         # 1-based position of the cell in the notebook file
    execution_count: int | None = None
    section: str = ""               # the heading above the cell, for readers
    line: str = ""                  # the line of the cell that raised, for analysts
    cell_id: str | None = None

    @property
    def where(self) -> str:
        """ "cell 5 (In [4])" or "the start" when no cell ran."""
        if self.cell is None:
            return "the start"
        count = f" (In [{self.execution_count}])" if self.execution_count is not None else ""
        return f"cell {self.cell}{count}"

    def describe(self, notebook: str) -> str:
        """One paragraph for the terminal: names the notebook, the cell, the error and the line."""
        section = f', section "{self.section}"' if self.section else ""
        line = f"\n    {self.line}" if self.line else ""
        return f"{notebook} failed at {self.where}{section}: {self.error}{line}"

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.error, "cell": self.cell, "execution_count": self.execution_count,
                "section": self.section, "line": self.line, "cell_id": self.cell_id}


@dataclass(frozen=True)
class RenderedReport:
    """A report page and what the run summary needs to know about it."""

    html: str
    title: str
    summary: str
    charts: int
    charts_not_drawn: int
    warnings: int
    failure: Failure | None


def notebook_title(nb: Any, fallback: str = "Report") -> str:
    """The text of the first ``# heading`` in the notebook's markdown cells (plain text)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for level, text in _MARKDOWN_HEADING.findall(cell.source):
                if len(level) == 1:
                    return _plain_markdown(text)
    return fallback


def notebook_summary(nb: Any) -> str:
    """The first paragraph of the first markdown cell that is not a heading (plain text)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or set(cell.metadata.get("tags", [])) & PAPERMILL_TAGS:
            continue
        for paragraph in re.split(r"\n\s*\n", cell.source):
            lines = [line for line in paragraph.splitlines() if not _MARKDOWN_HEADING.match(line)]
            text = " ".join(" ".join(lines).split())
            if text:
                return _plain_markdown(text)
    return ""


def find_failure(nb: Any) -> Failure | None:
    """Why the notebook stopped, or None if it ran to the end.

    Reads ``metadata.harrowperf.failure`` (set by the runner for failures outside a cell, such
    as a timeout or a kernel that died) or else the first cell with an error output.
    """
    recorded = nb.metadata.get("harrowperf", {}).get("failure")
    if recorded:
        return Failure(**{k: recorded.get(k) for k in ("error", "cell", "execution_count", "cell_id")},
                       section=recorded.get("section") or "", line=recorded.get("line") or "")
    position, section = 0, ""
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & PAPERMILL_TAGS:
            continue
        position += 1
        if cell.cell_type == "markdown":
            section = _last_heading(cell.source) or section
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return Failure(error=f"{output.get('ename', 'Error')}: {_strip_ansi(output.get('evalue', ''))}",
                               cell=position, execution_count=cell.get("execution_count"),
                               section=section, line=_failing_line(cell.source, output.get("traceback", [])),
                               cell_id=cell.get("id"))
    return None


def failure_at_running_cell(nb: Any, error: str) -> Failure:
    """A Failure for an error outside any cell's output (timeout, dead kernel): the cell that was running."""
    position, section, running = 0, "", None
    for cell in nb.cells:
        if set(cell.metadata.get("tags", [])) & PAPERMILL_TAGS:
            continue
        position += 1
        if cell.cell_type == "markdown":
            section = _last_heading(cell.source) or section
            continue
        state = cell.metadata.get("papermill", {})
        if state.get("start_time"):
            running = Failure(error=error, cell=position, execution_count=cell.get("execution_count"),
                              section=section, line=_first_code_line(cell.source), cell_id=cell.get("id"))
    return running or Failure(error=error)


def render_report(nb: Any, *, ipynb: str | None = None, quarter: str | None = None,
                  crumbs: Sequence[tuple[str | None, str]] | None = None,
                  path_replacements: Mapping[str, str] | None = None) -> RenderedReport:
    """Render an executed notebook as a report page.

    ``ipynb`` is the executed notebook's file name (linked from the page), ``quarter`` the
    quarter label shown in the title, ``crumbs`` the (href, text) trail at the top (default:
    the quarter index and the list of quarters). ``path_replacements`` maps local absolute
    paths to what the page shows instead (default: see :func:`default_path_replacements`).
    """
    from nbconvert import HTMLExporter

    title = notebook_title(nb)
    failure = find_failure(nb)
    cleaned, warnings = _report_cells(nb)
    drawings = _set_aside_svg(cleaned)
    site = settings().reports.site
    page_title = " · ".join(part for part in (title, quarter, site.title) if part)
    if crumbs is None:
        crumbs = [("../index.html", "All quarters"), ("index.html", quarter or "This quarter"), (None, title)]
    env = _environment()
    parts = env.get_template("parts.html.j2").module
    links = [{"href": href, "text": text} for href, text in crumbs]
    failure_context = None
    if failure is not None:
        failure_context = {**failure.as_dict(), "where": failure.where,
                           "error_href": "#hp-error" if _has_error_output(cleaned) else None}
    resources = {"hp": {
        "language": site.language, "csp": CSP, "referrer": REFERRER, "generator": GENERATOR, "page_title": page_title,
        "css": _css(), "header_html": str(parts.site_header(site, links)),
        "banner_html": str(parts.failure_banner(failure_context, ipynb)) if failure_context else "",
        "periods_html": str(parts.periods(nb.metadata.get("harrowperf", {}).get("periods") or [])),
        "details_html": str(parts.run_details(_run_details(nb, ipynb, failure))),
        "footer_html": str(parts.footer(GENERATOR, _format_time(_papermill(nb).get("end_time")))),
    }}
    exporter = HTMLExporter(template_name="lab", template_file=str(TEMPLATES / "report.html.j2"),
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(cleaned, resources=resources)
    for number, drawing in enumerate(drawings):
        body = body.replace(f"<!--hp-svg-{number}-->", drawing, 1)
    body = _STYLE_ATTRIBUTE.sub(r"\1", body)
    body = _EXTERNAL_LINK.sub(r'<a\1 rel="noopener noreferrer">', body)
    body = _insert_toc(body, resources["hp"]["banner_html"], resources["hp"]["periods_html"])
    body = scrub_paths(body, path_replacements or default_path_replacements(), markup=True)
    return RenderedReport(html=body, title=title, summary=notebook_summary(nb),
                          charts=body.count('<figure class="hp-chart'),
                          charts_not_drawn=body.count("hp-chart hp-chart-error"), warnings=warnings,
                          failure=failure)


def render_quarter_index(run: Mapping[str, Any], *, failed_run_of: str | None = None,
                         later_failure: Mapping[str, str] | None = None) -> str:
    """``reports/<quarter>/index.html`` from a run record (the dict written to ``run.json``).

    ``failed_run_of`` links a failed run's page to the good reports it did not replace;
    ``later_failure`` ({"href", "finished"}) tells readers of good reports that a later run failed.
    """
    notebooks = [{
        **entry,
        "finished": _format_time(entry.get("finished")),
        "duration": _format_duration(entry.get("duration_seconds")),
        "size": _format_bytes(entry.get("html_bytes")),
        "failure": entry.get("failure", {}).get("error", "") if entry.get("failure") else "",
    } for entry in run.get("notebooks", [])]
    failed = sum(entry["status"] != "ok" for entry in notebooks)
    summary = (f"{len(notebooks)} report{'s' if len(notebooks) != 1 else ''}"
               f"{'; ' + str(failed) + ' did not finish' if failed else ', all complete'}."
               " Each opens in any web browser, with or without an internet connection.")
    details = {
        "facts": [("Quarter", run.get("quarter", "")), ("Status", "complete" if not failed else "failed"),
                  ("Started", _format_time(run.get("started"))),
                  ("Finished", _format_time(run.get("finished"))),
                  ("harrowperf version", run.get("version", "")),
                  ("Papermill version", run.get("papermill_version", "")),
                  ("Kernel", run.get("kernel", "")), ("Python", run.get("python", "")),
                  *([("Clean data", run["clean_summary"])] if run.get("clean_summary") else [])],
        "parameters": [{"name": k, "value": v, "source": "harrowperf run -p"}
                       for k, v in (run.get("parameters") or {}).items()],
        "data_files": [{"path": p, "sha256": s} for p, s in (run.get("data_files") or {}).items()],
        "ipynb": None,
    }
    site = settings().reports.site
    return _environment().get_template("quarter_index.html.j2").render(
        site=site, csp=CSP, referrer=REFERRER, generator=GENERATOR, css=_css(),
        page_title=f"{run.get('quarter', '')} · {site.title}",
        crumbs=[{"href": "../index.html", "text": "All quarters"}, {"href": None, "text": run.get("quarter")}],
        produced=_format_time(run.get("finished")), run=run, notebooks=notebooks, summary=summary,
        details=details, failed_run_of=failed_run_of, later_failure=later_failure,
        glance=_glance(run.get("headlines") or {}, run.get("quarter", "")))


_QUARTILE_WORDS = {"1": "the best quarter", "2": "the second quarter", "3": "the third quarter",
                   "4": "the worst quarter"}


def _glance(headlines: Mapping[str, Any], quarter: str) -> dict[str, Any] | None:
    """The quarter's headline figures (run.json "headlines") as sentences and a table, for the quarter index.

    Every figure goes through :mod:`harrowperf.present.format`; text from data is escaped by the template.
    """
    from harrowperf.present.format import money, number

    if not headlines:
        return None
    items: list[dict[str, Any]] = []
    rag_rows: list[tuple[str, str, str]] = []
    measures = headlines.get("measures")
    if measures:
        codes = settings().rag.codes
        rag_rows = [(code, codes[code].label, number(count)) for code, count in measures["by_status"].items()
                    if count or code not in ("G", "R")]
        unrated = measures["on_scorecard"] - measures["rated"]
        no_figure = measures["on_scorecard"] - measures["with_figure"]
        rag_rows += [("", "No RAG status", number(unrated)), ("", "All measures", number(measures["on_scorecard"]))]
        items.append({"text": f"{number(measures['on_scorecard'])} measures are on the {quarter} scorecard. "
                              f"{number(measures['rated'])} have a RAG status; {number(unrated)} have none this "
                              f"quarter ({number(no_figure)} of them have no figure for the quarter).",
                      "href": measures.get("href"), "link": "Target gap report: the quarter at a glance"})
        items.append({"text": f"{number(measures['exceptions'])} measures are exceptions: rated red, or reported red "
                              f"by the service, in their latest figure. {number(measures['below_target'])} of the "
                              f"{number(measures['with_target'])} measures with a figure and a target to compare "
                              "are below target.",
                      "href": measures.get("exceptions_href"), "link": "Target gap report: the exceptions"})
        if measures["earlier_only"]:
            items.append({"text": f"The trend report counts {number(measures['all_measures'])} measures: the "
                                  f"{number(measures['on_scorecard'])} on this quarter's scorecard and "
                                  f"{number(measures['earlier_only'])} more that have figures only from earlier "
                                  f"quarters (the earliest is {measures['first_quarter']}), which it charts for "
                                  "their history. They are not on this quarter's scorecard, so they are not "
                                  "counted above.",
                          "href": measures.get("trend_href"), "link": "Trend report"})
    gap = headlines.get("budget")
    if gap:
        if "latest" not in gap:
            text = f"No budget round in the data publishes a budget gap for {gap['year']}."
        elif gap["rounds"] == 1:
            text = (f"The budget gap for {gap['year']} is {_gap_words(gap['latest'], money)}, as published in the "
                    f"{gap['latest_round']} round; no later round restates it.")
        else:
            text = (f"The budget gap for {gap['year']} was first put at {_gap_words(gap['first'], money)} "
                    f"({gap['first_round']}) and last at {_gap_words(gap['latest'], money)} ({gap['latest_round']}), "
                    f"over {number(gap['rounds'])} budget rounds.")
        if gap.get("is_range"):
            text += " The latest figure is the middle of a published range."
        items.append({"text": text, "href": gap.get("href"), "link": "Budget report: the budget gap"})
    for found in headlines.get("benchmark") or []:
        placed = [f"{number(v)} in {_QUARTILE_WORDS[k]}" for k, v in found["quartiles"].items() if v]
        where = f" among {found['group']}" if found.get("group") else ""
        when = f", {', '.join(found['periods'])}" if found.get("periods") else ""
        listed = ", ".join(placed[:-1]) + " and " + placed[-1] if len(placed) > 1 else "".join(placed)
        text = (f"Benchmarking, {found['topic']}{when}: of the {number(found['ranked'])} measures on which "
                f"{found['council']} is ranked{where}, {listed or 'none'} of the group.")
        if found["measures"] > found["ranked"]:
            text += f" {number(found['measures'] - found['ranked'])} more are shown against the median but not ranked."
        items.append({"text": text, "href": found.get("href"), "link": "Benchmarking report"})
    return {"items": items, "rag_rows": rag_rows, "rag_href": (measures or {}).get("href"),
            "not_shown": list(headlines.get("not_shown") or [])}


def _quarter_in_brief(measures: Mapping[str, Any] | None) -> str:
    """"83 measures: 13 red, 9 amber, 34 green, 27 without a status; 19 exceptions", for the list of quarters."""
    from harrowperf.present.format import number

    if not measures:
        return "–"
    groups = settings().rag.groups
    by_colour = {colour: sum(n for code, n in measures["by_status"].items() if groups.get(code) == colour)
                 for colour in ("red", "amber", "green")}
    unrated = measures["on_scorecard"] - measures["rated"]
    return (f"{number(measures['on_scorecard'])} measures: {number(by_colour['red'])} red, "
            f"{number(by_colour['amber'])} amber, {number(by_colour['green'])} green, {number(unrated)} without a "
            f"status; {number(measures['exceptions'])} exceptions")


def _gap_words(amount: float, money: Any) -> str:
    return "nil (the budget balances)" if amount == 0 else money(amount)


def render_site_index(runs: Iterable[Mapping[str, Any]]) -> str:
    """``reports/index.html``: one row per quarter (newest first).

    Each run is a run record plus ``href`` (its index page) and optionally ``failed_attempt``
    ({"href", "finished"}) for a later failed run kept beside it.
    """
    quarters = []
    for run in runs:
        failed = sum(entry.get("status") != "ok" for entry in run.get("notebooks", []))
        attempt = run.get("failed_attempt")
        quarters.append({
            "quarter": run.get("quarter"), "href": run["href"], "reports": len(run.get("notebooks", [])),
            "status": "ok" if not failed else "failed", "failed": failed,
            "finished": _format_time(run.get("finished")), "version": run.get("version", ""),
            "failed_attempt": {**attempt, "finished": _format_time(attempt.get("finished"))} if attempt else None,
            "glance": _quarter_in_brief((run.get("headlines") or {}).get("measures")),
        })
    site = settings().reports.site
    return _environment().get_template("site_index.html.j2").render(
        site=site, csp=CSP, referrer=REFERRER, generator=GENERATOR, css=_css(), page_title=site.title,
        crumbs=[], produced=None, quarters=quarters)


def default_path_replacements(project: str | Path | None = None) -> dict[str, str]:
    """Local absolute paths a page must not show -> what it shows instead (longest first).

    The project folder (default: the current folder, where a run starts) becomes a relative
    path, the Python environment ``<python>``, the home folder ``~``.
    """
    root = str(Path(project or Path.cwd()).resolve())
    replacements = {
        str(Path(sys.prefix).resolve()): "<python>",
        str(Path(sys.base_prefix).resolve()): "<python>",
        root + "/": "",
        root: ".",
        str(Path.home().resolve()): "~",
    }
    return dict(sorted(replacements.items(), key=lambda item: len(item[0]), reverse=True))


def scrub_paths(text: str, replacements: Mapping[str, str], *, markup: bool = False) -> str:
    """``text`` with every key of ``replacements`` replaced by its value, longest key first.

    With ``markup=True`` the text is HTML: paths are also matched in their escaped form and the
    replacements are escaped (``<python>`` becomes ``&lt;python&gt;``).
    """
    for old in sorted(replacements, key=len, reverse=True):
        if not old or old in ("/", "."):
            continue
        new = html.escape(replacements[old], quote=True) if markup else replacements[old]
        text = text.replace(old, new)
        escaped = html.escape(old, quote=True)
        if markup and escaped != old:
            text = text.replace(escaped, new)
    return text


def scrub_notebook_paths(nb: Any, replacements: Mapping[str, str] | None = None) -> None:
    """Replace local absolute paths in a notebook's outputs and tracebacks (in place; see scrub_paths)."""
    replacements = replacements or default_path_replacements()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "traceback" in output:
                output["traceback"] = [scrub_paths(line, replacements) for line in output["traceback"]]
            for key in ("text", "evalue"):
                if isinstance(output.get(key), str):
                    output[key] = scrub_paths(output[key], replacements)
            data = output.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown"):
                if isinstance(data.get(mime), str):
                    data[mime] = scrub_paths(data[mime], replacements, markup=mime == "text/html")


def _report_cells(nb: Any) -> tuple[Any, int]:
    """A copy of the notebook holding only what readers see, and the number of warnings dropped."""
    cleaned = copy.deepcopy(nb)
    kept, warnings, toc_marked = [], 0, False
    for cell in cleaned.cells:
        tags = set(cell.metadata.get("tags", []))
        if tags & (PAPERMILL_TAGS | REMOVE_CELL_TAGS) or "parameters" in tags:
            continue
        if cell.cell_type == "code":
            if tags & REMOVE_OUTPUT_TAGS:
                continue
            warnings += sum(1 for o in cell.outputs
                            if o.get("output_type") == "stream" and o.get("name") == "stderr")
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not cell.outputs:
                continue
        if cell.cell_type == "markdown" and not toc_marked:
            cell.metadata["hp_toc_after"] = True
            toc_marked = True
        kept.append(cell)
    cleaned.cells = kept
    return cleaned, warnings


def _set_aside_svg(nb: Any) -> list[str]:
    """Replace every inline <svg> of the notebook's HTML outputs by a numbered comment (in place)."""
    drawings: list[str] = []

    def keep(match: re.Match[str]) -> str:
        drawings.append(match.group(0))
        return f"<!--hp-svg-{len(drawings) - 1}-->"

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                text = _SVG_BLOCK.sub(keep, "".join(text) if isinstance(text, list) else text)
                data["text/html"] = _OUTPUT_STYLE.sub("", text)
    return drawings


def _insert_toc(body: str, banner: str, periods: str = "") -> str:
    """Put the periods the page covers, the failure banner (if any) and the table of contents after the title cell."""
    levels = set(settings().reports.reports.toc_levels)
    main_start = body.find('<main id="content">')
    main_end = body.find("</main>")
    headings = [(int(level), anchor, _heading_text(inner))
                for level, anchor, inner in _HEADING.findall(body[main_start:main_end])
                if int(level) in levels and anchor not in ("what-went-wrong",)]
    items = [(min(levels), "what-went-wrong", "What went wrong")] if banner else []
    items += headings + [(min(levels), "run-details", "Run details")]
    toc = periods + "\n" + banner + "\n" + _toc_html(items, min(levels))
    if "<!--hp-toc-->" in body:
        return body.replace("<!--hp-toc-->", toc, 1)
    return body.replace('<main id="content">', '<main id="content">\n' + toc, 1)


def _toc_html(items: list[tuple[int, str, str]], top: int) -> str:
    """Nested ordered lists: headings below the top level go inside the entry before them."""
    lines, nested = ['<nav class="hp-toc" aria-label="Contents">', "<h2>Contents</h2>", "<ol>"], False
    for level, anchor, text in items:
        link = f'<li><a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a>'
        below = level > top and lines[-1] != "<ol>"
        if below and not nested:
            lines[-1] = lines[-1].removesuffix("</li>")
            lines.append("<ol>")
        elif not below and nested:
            lines.append("</ol></li>")
        nested = below
        lines.append(link + "</li>")
    if nested:
        lines.append("</ol></li>")
    lines += ["</ol>", "</nav>"]
    return "\n".join(lines)


def _heading_text(inner: str) -> str:
    return html.unescape(_TAG.sub("", _ANCHOR.sub("", inner))).strip()


def _has_error_output(nb: Any) -> bool:
    return any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def _run_details(nb: Any, ipynb: str | None, failure: Failure | None) -> dict[str, Any]:
    papermill = _papermill(nb)
    ours = nb.metadata.get("harrowperf", {})
    language = nb.metadata.get("language_info", {})
    injected = set(papermill.get("parameters") or {})
    roles = ours.get("data_file_roles") or {}
    effective = ours.get("parameters") or papermill.get("parameters") or {}
    facts = [
        ("Notebook", ours.get("notebook") or papermill.get("input_path") or ""),
        ("Status", f"failed at {failure.where}" if failure else "complete"),
        ("Quarter", ours.get("quarter", "")),
        ("Started", _format_time(papermill.get("start_time"))),
        ("Finished", _format_time(papermill.get("end_time"))),
        ("Time taken", _format_duration(papermill.get("duration"))),
        ("harrowperf version", ours.get("version", "")),
        ("Papermill version", papermill.get("version", "")),
        ("Kernel", ours.get("kernel") or nb.metadata.get("kernelspec", {}).get("name", "")),
        ("Python", language.get("version", "")),
    ]
    return {
        "facts": [(label, value) for label, value in facts if value],
        "code_facts": ["Notebook"],
        "parameters": [{"name": name, "value": _format_parameter(value),
                        "source": "this run" if name in injected else "notebook default"}
                       for name, value in effective.items()],
        "data_files": [{"path": p, "sha256": s, "role": _role_words(roles.get(p))}
                       for p, s in (ours.get("data_files") or {}).items()],
        "data_files_caption": ("Files this page read, and the source files behind them (SHA-256 checksums: "
                               "the same file always has the same checksum)") if "data_file_roles" in ours else None,
        "ipynb": ipynb,
    }


def _role_words(role: str | None) -> str:
    """How a page used a file, in words: "read by this page" or "source of scorecard.parquet"."""
    if not role:
        return ""
    if role == "read":
        return "read by this page"
    return "used to make " + role.removeprefix("behind ")


def _papermill(nb: Any) -> Mapping[str, Any]:
    return nb.metadata.get("papermill", {}) or {}


def _format_parameter(value: Any) -> str:
    """A parameter's value as an analyst would type it: text as is, lists comma-separated, None as "not set"."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_format_parameter(item) for item in value) or "none"
    return str(value)


def _format_time(iso: str | None) -> str:
    """ISO time (UTC from papermill) -> "23 November 2026, 09:18 GMT" in the machine's time zone."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso)).astimezone()
    except ValueError:
        return str(iso)
    return f"{moment.day} {moment:%B %Y, %H:%M %Z}".strip()


def _format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = float(seconds)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _format_bytes(size: int | None) -> str:
    if size is None:
        return ""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _plain_markdown(text: str) -> str:
    return _MARKDOWN_MARKUP.sub(lambda m: m.group(1) or "", text).strip()


def _last_heading(source: str) -> str:
    found = _MARKDOWN_HEADING.findall(source)
    return _plain_markdown(found[-1][1]) if found else ""


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _failing_line(source: str, traceback: Sequence[str]) -> str:
    """The line of the cell that raised ("line 2: raise ..."), from IPython's traceback."""
    for entry in traceback:
        match = _CELL_LINE.search(_strip_ansi(entry))
        if match:
            lines = source.splitlines()
            number = int(match.group(1))
            if 1 <= number <= len(lines):
                return f"line {number}: {lines[number - 1].strip()}"
    return _first_code_line(source)


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return f"line: {line.strip()}"
    return ""


@cache
def _css() -> str:
    return (TEMPLATES / "report.css").read_text("utf-8")


@cache
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=False, lstrip_blocks=False, undefined=jinja2.StrictUndefined)

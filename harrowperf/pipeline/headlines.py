"""The headline figures of a quarter's index page, worked out by the run from the clean data (``run.json`` "headlines").

:func:`quarter_headlines` computes them with :mod:`harrowperf.analyse.headlines` (the same functions the
report pages use, so the figures agree) and records, for each, the report page and section that
explains it. The benchmark positions use the benchmark notebook's own parameters (its defaults and any
``-p`` given to the run). A figure that cannot be worked out is left out with a plain reason; it never
stops the reports. :func:`page_periods` says which periods a report page covers, from the files it read.
The quarter's index page formats the figures (:func:`harrowperf.pipeline.pages.render_quarter_index`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from harrowperf.foundation.periods import financial_year_label, quarter_label, to_quarter

# The report page (notebook name) and the start of the heading that explains each figure.
EXPLAINED_BY = {
    "measures": ("target_gap", "The quarter at a glance"),
    "exceptions": ("target_gap", "Exceptions"),
    "trend": ("trend", "Every measure at a glance"),
    "budget": ("budget_gap", "The budget gap"),
    "neet": ("benchmark", "Young people not in education"),
    "asc": ("benchmark", "Adult social care"),
}
_HEADING_ID = re.compile(r'<h2 id="([^"]+)"')  # the sections of a report (its title is the only h1)


def quarter_headlines(clean_dir: str | Path, quarter: str, pages: Path,
                      benchmark_parameters: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The quarter's headline figures as plain values (JSON), each with ``href``, the page explaining it.

    ``pages`` is the folder holding the quarter's report pages (links are made only to pages that are
    there); ``benchmark_parameters`` the benchmark notebook's parameters (None: no benchmark figures).
    Figures that could not be worked out are listed in ``"not_shown"`` with the reason.
    """
    from harrowperf.analyse import headlines

    found: dict[str, Any] = {"not_shown": []}
    clean = Path(clean_dir)
    try:
        frame = pd.read_parquet(clean / "scorecard.parquet")
        counts = headlines.measure_counts(frame, quarter)
        found["measures"] = {**asdict(counts), "all_measures": counts.all_measures,
                             "href": link(pages, "measures"), "exceptions_href": link(pages, "exceptions"),
                             "trend_href": link(pages, "trend")}
    except Exception as exc:  # noqa: BLE001 - a headline is an extra; the reports must still publish
        found["not_shown"].append(f"the measure counts: {_reason(exc)}")
    budget_file = clean / "budget.parquet"
    if budget_file.exists():
        try:
            gap = headlines.budget_gap(pd.read_parquet(budget_file), quarter)
            year = financial_year_label(to_quarter(quarter).asfreq("Y-MAR"))
            found["budget"] = ({**asdict(gap), "href": link(pages, "budget")} if gap is not None
                               else {"year": year, "href": link(pages, "budget")})
        except Exception as exc:  # noqa: BLE001
            found["not_shown"].append(f"the budget gap: {_reason(exc)}")
    if benchmark_parameters is not None:
        try:
            found["benchmark"] = _benchmark(benchmark_parameters, pages)
        except Exception as exc:  # noqa: BLE001
            found["not_shown"].append(f"the benchmark positions: {_reason(exc)}")
    return found


def _benchmark(parameters: Mapping[str, Any], pages: Path) -> list[dict[str, Any]]:
    """The council's quartiles on the benchmark notebook's two sets of ranked measures."""
    from harrowperf.analyse import benchmark, headlines
    from harrowperf.read import comparative

    data_dir = parameters["data_dir"]
    sets = [("neet", "dfe_nccis", "young people not in education, employment or training (DfE)", parameters["measures"],
             parameters["comparator_group"], parameters.get("period")),
            ("asc", "oflog", "adult social care (Office for Local Government)", parameters["asc_measures"],
             parameters["asc_group"], None)]
    found = []
    for figure, dataset, topic, measures, group, period in sets:
        frame = comparative.read(dataset, data_dir)
        chosen = benchmark.check_parameters(frame, council=parameters["council"], measures=measures, period=period,
                                            group=group, data_dir=data_dir)
        summary = benchmark.summary(benchmark.rank(frame, chosen.group, data_dir=data_dir), chosen.area_code,
                                    measures=chosen.measures, period=period)
        quartiles = headlines.benchmark_positions(summary)
        found.append({"topic": topic, "council": chosen.area_name,
                      "group": chosen.group.label if chosen.group is not None else "",
                      "measures": len(summary), "ranked": sum(quartiles.values()),
                      "quartiles": {str(k): v for k, v in quartiles.items()},
                      "periods": list(dict.fromkeys(str(p) for p in summary["period_label"])),
                      "href": link(pages, figure)})
    return found


def link(pages: Path, figure: str) -> str | None:
    """``page.html#section`` for a figure, or just the page when the section is not found; None without the page."""
    name, heading = EXPLAINED_BY[figure]
    page = pages / f"{name}.html"
    if not page.is_file():
        return None
    if heading:
        wanted = heading.replace(" ", "-")
        for anchor in _HEADING_ID.findall(page.read_text("utf-8")):
            if anchor.startswith(wanted):
                return f"{page.name}#{anchor}"
    return page.name


def page_periods(quarter: str, read_files: Sequence[str]) -> list[tuple[str, str]]:
    """The periods a report page covers, from the clean files it read: [(what, periods)] in plain words.

    The quarter always; with ``scorecard.parquet`` the quarters of its figures up to the quarter; with
    ``budget.parquet`` the financial year of the quarter and the years the budget figures cover.
    """
    period = to_quarter(quarter)
    found = [("Quarter", quarter)]
    for path in read_files:
        name = Path(path).name
        try:
            if name == "scorecard.parquet":
                periods = pd.read_parquet(path, columns=["period"])["period"].dropna()
                periods = periods[periods <= period]
                if len(periods):
                    found.append(("Scorecard figures", f"{quarter_label(periods.min())} to {quarter}"))
            elif name == "budget.parquet":
                years = pd.read_parquet(path, columns=["year"])["year"].dropna()
                text = f"the year of the quarter, {financial_year_label(period.asfreq('Y-MAR'))}"
                if len(years):
                    text += (f"; the budget figures shown cover {financial_year_label(years.min())} to "
                             f"{financial_year_label(years.max())}")
                found.append(("Budget", text))
        except Exception:  # noqa: BLE001, S112 - a file that cannot be read says nothing about periods
            continue
    if any("benchmark" in Path(path).parts for path in read_files):
        found.append(("Benchmark figures", "the years each public source publishes, named in each table and "
                                           "chart; they are not quarters of the scorecard"))
    return found


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

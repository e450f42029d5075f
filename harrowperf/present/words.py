"""Plain-words sentences for the reports: each analysis's result told as a director would read it.

Every function takes what an analysis returned (frames of numbers) and returns :class:`Markdown`:
a string that a notebook shows as formatted text. Figures go through the one formatter
(:mod:`harrowperf.present.format`) and text from data (measure, council and area names, rounds)
is escaped there, so a name holding ``*``, ``_`` or ``<script>`` is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from harrowperf.analyse import benchmark, budget, gaps, headlines, rag, trend
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.periods import financial_year_label, quarter_label, to_quarter
from harrowperf.foundation.schema import RAG_ORDER
from harrowperf.present.format import (
    escape_markdown as md,
)
from harrowperf.present.format import (
    format_value,
    is_blank,
    money,
    ordinal,
    share,
)


class Markdown(str):
    """Text in Markdown whose data parts are escaped; a notebook shows it formatted."""

    def _repr_markdown_(self) -> str:
        return str(self)


def bullets(lines: Iterable[str]) -> Markdown:
    """Lines (already Markdown) as a bulleted list."""
    return Markdown("\n".join(f"- {line}" for line in lines))


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


# ---------------------------------------------------------------------------------------------
# Target gap and the RAG check
# ---------------------------------------------------------------------------------------------


def target_gap_summary(frame: pd.DataFrame, quarter: str | pd.Period) -> Markdown:
    """The quarter in two or three plain sentences: statuses by colour, share on target, exceptions."""
    data = gaps.analyse_if_needed(frame)
    period = gaps.check_quarter(data, quarter)
    label = quarter_label(period)
    overall = gaps.summary(data, period).iloc[-1]
    groups = settings().rag.groups
    by_colour = {colour: sum(int(overall[code]) for code in RAG_ORDER if groups[code] == colour)
                 for colour in ("green", "amber", "red")}
    rated = f"{overall['rated']} " + ("has" if overall["rated"] == 1 else "have")
    parts = [f"In {label} the data has {_plural(int(overall['measures']), 'measure')}, of which {rated} a RAG "
             f"status: {by_colour['green']} green, {by_colour['amber']} amber and {by_colour['red']} red."]
    earlier = headlines.scorecard_split(data, period)[1]
    if earlier:
        parts.append(f"(The trend report also charts {_plural(earlier, 'measure')} with figures only from earlier "
                     f"quarters; they have no row in {label}, so they are not counted here.)")
    if overall["with_gap"]:
        parts.append(f"Of the {overall['with_gap']} with a target to compare with, {overall['on_target']} "
                     f"({share(overall['share_on_target'], 0)}) are on or better than target.")
    else:
        parts.append("No measure has a target to compare with in this quarter.")
    if unsigned := gaps.without_polarity(data, period):
        parts.append(f"{_plural(unsigned, 'measure')} {'has' if unsigned == 1 else 'have'} a target and a figure "
                     "but no 'Good =' (whether higher or lower is better), so "
                     f"{'its' if unsigned == 1 else 'their'} gap to target cannot be said; the data-quality "
                     "findings name the table without the column.")
    listed = gaps.exceptions(data, period)
    if len(listed):
        worst = listed.iloc[0]
        name = f"'{md(worst['measure'])}' ({md(worst['as_of'])})"
        parts.append(f"{len(listed)} measure{'s are' if len(listed) != 1 else ' is'} on the exception list; "
                     + (f"the furthest from target is {name}, {share(abs(worst['gap_rel']), 0)} below target."
                        if pd.notna(worst["gap_rel"]) else f"the first is {name}."))
    else:
        parts.append("No measure is on the exception list.")
    return Markdown(" ".join(parts))


def rag_agreement(frame: pd.DataFrame, bands: dict[str, float] | None = None) -> Markdown:
    """How many reported RAG statuses the figures reproduce, in a plain sentence or two."""
    counts = rag.agreement_summary(frame, bands)
    reported = counts["reported"]
    if reported == 0:
        return Markdown("No RAG status was reported, so there is nothing to check.")

    def part(count: int) -> str:
        return f"{count} ({share(count / reported, 0)})"

    parts = [f"Of {reported} RAG statuses reported, {part(counts['exact'])} are reproduced exactly from "
             f"the target, the actual and whether higher or lower is better, and "
             f"{part(counts['same_colour'])} have the same colour (green, amber or red)."]
    if counts["not_assessable"]:
        parts.append(f"{counts['not_assessable']} cannot be computed from the figures in the data "
                     "(see the table for why).")
    explained = [(counts["inside_range"], "inside a target range, which the scale rates G"),
                 (counts["rounding"], "within the rounding of the figure as displayed"),
                 (counts["three_level_code"], "reported with the three-level codes G or R"),
                 (counts["stands"], "not explained by the figures: listed as a data-quality finding")]
    explained = [(count, text) for count, text in explained if count]
    if explained:
        differ = sum(count for count, _ in explained)
        said = "; ".join(f"{count} {text}" for count, text in explained)
        parts.append(f"Of the {differ} that differ: {said}.")
    return Markdown(" ".join(parts))


def key_challenges(table: pd.DataFrame, empty: str = "No measure is red this quarter.") -> Markdown:
    """The "Summary of key challenges": for each measure of
    :func:`harrowperf.analyse.gaps.exceptions_with_commentary`, the measure, its figures and RAG, then the
    service's words (quoted, as written, with the cell they come from) or a note that there are none."""
    if table.empty:
        return Markdown(md(empty))
    parts = []
    for row in table.to_dict("records"):
        name = " ".join(filter(None, [str(row["measure_ref"] or ""), str(row["measure"])]))
        rag_text = row["rag_status"] if not is_blank(row["rag_status"]) else "no RAG"
        reported = "" if is_blank(row["rag"]) or row["rag"] == row["rag_status"] else f", reported {row['rag']}"
        streak = "" if is_blank(row["streak"]) else f", {_plural(int(row['streak']), 'quarter')} running"
        parts.append(f"**{md(name)}**  \n{md(row['theme'])}. {md(row['as_of'])}: target "
                     f"{md(format_value(row['target_text']))}, actual {md(format_value(row['actual_text']))} "
                     f"(RAG {md(rag_text)}{md(reported)}{streak}).")
        if row["commentary"]:
            quoted = "\n>\n".join(f"> {md(paragraph.strip())}" for paragraph in row["commentary"].split("\n\n"))
            parts.append(f"The service's commentary ({md(row['cell_commentary'])}):\n\n{quoted}")
        else:
            parts.append("The service wrote no commentary on this measure for this quarter.")
    return Markdown("\n\n".join(parts))


def measure_profile(history: pd.DataFrame, measure: str) -> Markdown:
    """One measure in a sentence or two: how many quarters the data holds, from when to when, and the
    latest figures with their RAG (``history`` is :func:`harrowperf.analyse.profile.history`)."""
    if history.empty:
        return Markdown(f"**{md(measure)}** has no figures up to this quarter.")
    good = {"higher": "higher is better", "lower": "lower is better"}.get(str(history["polarity"].iloc[0]), "")
    latest = history.loc[history["actual"].notna()].tail(1)
    text = (f"**{md(measure)}**{md(f' ({good})' if good else '')}: "
            f"{_plural(len(history), 'quarter')} in the data, {md(history['period_label'].iloc[0])} to "
            f"{md(history['period_label'].iloc[-1])}.")
    if latest.empty:
        return Markdown(text + " No quarter has an actual figure.")
    row = latest.iloc[0]
    target = "no target" if is_blank(row["target"]) else f"target {md(format_value(row['target'], row['unit']))}"
    rag_text = "no RAG reported" if is_blank(row["rag"]) else f"RAG {md(row['rag'])}"
    return Markdown(text + f" Latest actual: {md(format_value(row['actual'], row['unit']))} in "
                    f"{md(row['period_label'])} ({target}, {rag_text}).")


# ---------------------------------------------------------------------------------------------
# Trend and forecast
# ---------------------------------------------------------------------------------------------


def trend_intro(params: Any) -> Markdown:
    """What the trend report covers: quarter, theme, measures and the quarters in the data."""
    on, earlier = headlines.scorecard_split(params.frame, params.quarter)
    measures = _plural(int(params.frame["measure_id"].nunique()), "measure")
    if earlier:
        measures += (f": the {on} on the {md(params.quarter_label)} scorecard and {earlier} more with figures "
                     "only from earlier quarters, charted here for their history. "
                     f"The target-gap report counts only the {on}")
    return Markdown(f"Quarter: **{md(params.quarter_label)}**. Theme: **{md(params.theme or 'all themes')}**. "
                    f"{measures}. Figures from {md(params.quarters[0])} to {md(params.quarter_label)}.")


def trend_changes(overview: pd.DataFrame) -> Markdown:
    """A few sentences on what :func:`harrowperf.analyse.trend.overview` shows, for a non-technical reader."""
    total = len(overview)
    if total == 0:
        return Markdown("There are no measures in the data for this selection.")
    counts = overview["variation"].value_counts()
    directions = overview["direction"].value_counts() if "direction" in overview else {}
    short = int(overview["short_series"].sum())
    not_compared = total - sum(int(v) for v in dict(directions).values())
    no_polarity = int((overview["direction"].isna() & overview["polarity"].isna()).sum()) \
        if {"direction", "polarity"} <= set(overview.columns) else 0
    why = (f" ({no_polarity} of them because no 'Good =' says whether higher or lower is better)"
           if no_polarity else "")
    lines = [
        f"**{_plural(total, 'measure')}.** Compared with the same quarter last year (or, where that is "
        f"missing, the previous quarter), {directions.get('improving', 0)} improved, "
        f"{directions.get('declining', 0)} declined and {directions.get('no change', 0)} did not change; "
        f"{not_compared} could not be compared{why}.",
        f"Statistical process control finds a special-cause **improvement** at the latest point for "
        f"{int(counts.get('improvement', 0))} measure(s) and a special-cause **concern** for "
        f"{int(counts.get('concern', 0))}; {int(counts.get('common_cause', 0))} show only common-cause "
        f"(everyday) variation.",
    ]
    # a verdict on meeting the target from a short series is provisional: counted apart, never a headline
    settled = ~overview["short_series"].astype(bool)
    assurance = overview.loc[settled, "assurance"].value_counts()
    if assurance.sum():
        lines.append(
            f"Against their targets, {int(assurance.get('consistently_meets', 0))} measure(s) can be "
            f"expected to meet the target consistently, {int(assurance.get('consistently_fails', 0))} to "
            f"fail it consistently, and {int(assurance.get('hit_and_miss', 0))} will hit or miss it by chance."
        )
    if short:
        lines.append(f"{short} of the {total} measures have fewer than {settings().spc.series.minimum_points} "
                     "points of data: their limits and icons are provisional, and no verdict on meeting the "
                     "target is drawn from them.")
    named = settings().spc.report.named_in_summary
    for kind, words in (("concern", "Special-cause concern"), ("improvement", "Special-cause improvement")):
        names = overview.loc[overview["variation"] == kind, "measure"].tolist()
        if names:
            listed = "; ".join(md(n) for n in names[:named])
            more = f"; and {len(names) - named} more, in the table below" if len(names) > named else ""
            lines.append(f"{words}: {listed}{more}.")
    return Markdown("\n\n".join(lines))


def detail_reason(selection: trend.DetailSelection) -> Markdown:
    """Why the measures charted in detail were picked (:func:`harrowperf.analyse.trend.detail_selection`)."""
    if selection.basis == "none":
        return Markdown("There are no measures in the data for this selection.")
    if selection.basis == "chosen":
        return Markdown(f"The measure chosen for this report: {md(selection.chosen_measure)}.")
    if selection.basis == "longest series":
        return Markdown("No measure shows special cause or consistently fails its target at its latest point, "
                        "so the measures with the most quarters of data are shown in detail.")
    found = selection.concern + selection.improvement + selection.failing
    return Markdown(
        f"Shown in detail: {selection.concern} measure(s) whose latest point is a special-cause concern, "
        f"{selection.improvement} with a special-cause improvement and {selection.failing} that consistently "
        f"fail their target" + (f" (the first {selection.limit})." if found > selection.limit else "."))


def forecast_summary(trends: pd.DataFrame, year_ends: pd.DataFrame) -> Markdown:
    """How many measures have a trend and a forecast, and why the others do not."""
    forecasting = settings().spc.forecast
    total = len(year_ends)
    with_trend = int(trends["trend"].notna().sum())
    with_forecast = int((year_ends["status"] == "ok").sum())
    reported = int((year_ends["status"] == "year_end_reported").sum())
    return Markdown(
        f"Of {total} measures, {with_trend} have at least {forecasting.minimum_trend_points} quarters "
        f"with a value, enough to fit a straight-line trend, and {with_forecast} have at least "
        f"{forecasting.minimum_forecast_points} consecutive quarters, enough for a forecast to the year end"
        + (f"; for {reported} the year-end quarter is already reported" if reported else "")
        + ". The others are too short for either: more quarters of history are needed."
    )


# ---------------------------------------------------------------------------------------------
# Benchmark
# ---------------------------------------------------------------------------------------------


def _period_text(period: Any) -> str:
    return format_value(period) if isinstance(period, pd.Period) else str(period)


def benchmark_headline(row: Mapping) -> Markdown:
    """One ranked row of :func:`harrowperf.analyse.benchmark.summary` in a plain sentence: "Harrow
    ranks 9th of 32 London boroughs for ... in 2025 (lower is better): 1.3% against a group median of
    ..."."""
    name, measure, label = md(row["area_name"]), md(row["measure"]), md(row["period_label"])
    unit, noun = row["unit"], md(row["group_noun"])
    median = format_value(row["group_median"], unit)
    if is_blank(row["actual"]):
        note = f" ({md(row['note'])})" if row.get("note") else ""
        return Markdown(f"{name} has no figure for {measure} in {label}{note}.")
    value = format_value(row["actual"], unit)
    if is_blank(row["rank"]):
        return Markdown(f"{name}: {measure} was {value} in {label}, against a median of {median} across "
                        f"{int(row['rank_of'])} {noun} ({md(row['rank_basis'])}).")
    joint = "joint " if row["tied"] else ""
    quarter = settings().benchmark.quartile_words[str(int(row["quartile"]))]
    text = (f"{name} ranks {joint}{ordinal(row['rank'])} of {int(row['rank_of'])} {noun} for {measure} "
            f"in {label} ({md(row['rank_basis'])}): {value} against a group median of {median}, in the "
            f"{quarter}.")
    if not is_blank(row["previous_rank"]):
        moved = int(row["rank_change"])
        before = md(_period_text(row["previous_period"]))
        if moved == 0:
            text += f" Same position as in {before}."
        else:
            text += f" {'Up' if moved > 0 else 'Down'} {_plural(abs(moved), 'place')} since {before}."
    missing = int(row["group_size"]) - int(row["rank_of"])
    if missing > 0:
        text += f" {missing} of the {int(row['group_size'])} had no figure."
    return Markdown(text)


def benchmark_headlines(summary: pd.DataFrame) -> Markdown:
    """:func:`benchmark_headline` for every row of a benchmark summary, as a bulleted list."""
    return bullets(benchmark_headline(row) for row in summary.to_dict("records"))


def benchmark_position(position: pd.DataFrame) -> Markdown:
    """A measure's position among comparators (:func:`harrowperf.analyse.profile.benchmark_position`) in
    words: the ranking sentence, and for a related public measure how it differs from the scorecard's."""
    if position.empty:
        return Markdown("No public benchmark is linked to this measure (`conventions/benchmark.toml`, "
                        "`[scorecard_links]`).")
    row = position.iloc[0].to_dict()
    text = benchmark_headline(row)
    if row["link_match"] == "related":
        text += (f"\n\nThis public measure is related to the scorecard's, not the same: {md(row['link_note'])}. "
                 "Read the position as context, not as the measure's own ranking.")
    return Markdown(text)


def benchmark_intro(chosen: benchmark.BenchmarkChoice, asc_chosen: benchmark.BenchmarkChoice) -> Markdown:
    """Which council the benchmark report is about and the groups it is ranked among."""
    return Markdown(f"Council: **{md(chosen.area_name)}** ({md(chosen.area_code)}). NEET figures ranked "
                    f"among **{md(chosen.group.label)}**; adult social care among **{md(asc_chosen.group.label)}**.")


def rank_target(check: benchmark.RankCheck) -> Markdown:
    """A rank checked against a rank-range target, in words: "14th in London is within the target range
    12th to 20th"."""
    where = f" {md(check.group_text)}" if check.group_text else ""
    target = f"{ordinal(check.low)} to {ordinal(check.high)}"
    if check.status == "no rank":
        return Markdown(f"no rank to check against {target}{where}")
    position = ordinal(check.rank)
    if check.status == "exceeded":
        return Markdown(f"{position}{where} is better than the target range {target}")
    if check.status == "missed":
        return Markdown(f"{position}{where} is {_plural(int(check.places_outside), 'place')} below the target "
                        f"range {target}")
    return Markdown(f"{position}{where} is within the target range {target}")


def rank_targets(summary: pd.DataFrame, target: str | tuple[int, int] | None) -> Markdown:
    """Each measure's rank checked against a rank-range target, as a list; a sentence when there is none."""
    if not target:
        return Markdown("No rank-range target was given (parameter `rank_target`).")
    checks = [benchmark.check_rank_target(rank, target) for rank in summary["rank"]]
    return bullets(f"{md(measure)}: {rank_target(check)} (**{check.status}**)"
                   for measure, check in zip(summary["measure"], checks, strict=True))


def series_intro(series: pd.DataFrame, *, annual: bool = False) -> Markdown:
    """One council's long series in a line: whose, which measure, how many periods, from when to when."""
    first = series.iloc[0]
    periods = _plural(len(series), "financial year" if annual else "quarter")
    text = (f"**{md(first['area_name'])}: {md(first['measure'])}**, {periods} from {md(first['period_label'])} "
            f"to {md(series['period_label'].iloc[-1])}.")
    if annual:
        text += (" Each year is one point; the SPC chart names each financial year by its last quarter "
                 "(Q4 2010/11 stands for the year 2010/11).")
    return Markdown(text)


# ---------------------------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------------------------


def _money_or(amount: float, missing: str = "not published") -> str:
    return missing if is_blank(amount) else money(amount)


def budget_intro(chosen: budget.BudgetChoice, frame: pd.DataFrame) -> Markdown:
    """Which quarter and year the budget report is about, and how many figures it reads."""
    illustrative = format_value(int((frame["status"] == "illustrative").sum()), "count")
    workbooks = _plural(int(frame["source"].nunique()), "workbook")
    return Markdown(f"Quarter: **{md(chosen.quarter_label)}**. Headline year: **{md(chosen.year_label)}**. "
                    f"{format_value(len(frame), 'count')} figures from {workbooks} ({illustrative} of them "
                    "illustrative).")


def budget_gap_headline(frame: pd.DataFrame, financial_year: str | pd.Period) -> Markdown:
    """One year's budget gap across rounds, as a headline (real figures only)."""
    year = budget.to_year(financial_year)
    label = financial_year_label(year)
    by_round = budget.gap_by_round(budget.real(frame))
    rows = by_round[by_round["year"] == year]
    if rows.empty:
        years = ", ".join(dict.fromkeys(by_round["year_label"]))
        return Markdown(f"No budget round in the data publishes a gap for {label}. Gaps are published for: "
                        f"{years}.")
    first, final = rows.iloc[0], rows.iloc[-1]

    def said(row: pd.Series) -> str:
        if row["is_range"]:
            value = f"between {_money_or(row['gap_low'])} and {_money_or(row['gap_high'])}"
        elif row["gap"] == 0:
            value = "balanced (no gap)"
        else:
            value = f"{md(row['qualifier']) + ' ' if row['qualifier'] else ''}{_money_or(row['gap'])}"
        return f"{value} in the {md(row['round'])} round ({md(row['round_date'] or 'date not published')})"

    if len(rows) == 1:
        return Markdown(f"**The budget gap for {label}** was put at {said(first)}; no later round restates it.")
    moved = final["gap"] - first["gap"]
    direction = f"down {money(abs(moved))}" if moved < 0 else f"up {money(moved)}" if moved > 0 else "unchanged"
    return Markdown(f"**The budget gap for {label}** was first put at {said(first)}, and last at {said(final)}: "
                    f"{direction} over {len(rows)} rounds.")


def budget_revisions(frame: pd.DataFrame) -> Markdown:
    """The biggest revisions of a year's gap between rounds (real figures)."""
    by_round = budget.gap_by_round(budget.real(frame))
    revisions = budget.gap_revisions(budget.real(frame))
    moved = revisions[revisions["revision"] != 0]
    if moved.empty:
        return Markdown("No year's gap was restated at a later round.")
    ordered = moved.sort_values("revision")
    up, down = ordered.iloc[-1], ordered.iloc[0]
    lines = [f"{len(by_round)} published gaps for {by_round['year'].nunique()} years, from "
             f"{len(set(by_round['round']))} budget rounds."]
    if up["revision"] > 0:
        lines.append(f"The largest upward revision: {up['year_label']}, from {_money_or(up['previous_gap'])} "
                     f"({md(up['previous_round'])}) to {_money_or(up['gap'])} ({md(up['round'])}), "
                     f"up {money(up['revision'])}.")
    if down["revision"] < 0:
        lines.append(f"The largest fall: {down['year_label']}, from {_money_or(down['previous_gap'])} "
                     f"({md(down['previous_round'])}) to {_money_or(down['gap'])} ({md(down['round'])}).")
    return Markdown(" ".join(lines))


def budget_in_year(frame: pd.DataFrame, quarter: str | pd.Period) -> Markdown:
    """The real in-year monitoring of a quarter in words, or which quarters have some."""
    period = to_quarter(quarter)
    rows = budget.in_year(frame, period)
    quarters = sorted(budget.real(frame)["quarter"].dropna().unique())
    listed = ", ".join(quarter_label(q) for q in quarters)
    if rows.empty:
        return Markdown(f"No real in-year monitoring figures for {quarter_label(period)} are in the data. "
                        f"Published in-year figures exist for: {listed or 'no quarter'}.")
    table = budget.variance(budget.real(frame))
    table = table[table["quarter"] == period]
    lines = [f"{_plural(len(rows), 'published in-year figure')} for {quarter_label(period)}."]
    for _, row in table[table["variance"].notna()].iterrows():
        pct = (f" ({format_value(row['variance_pct'], '%', decimals=1, signed=True)} of the "
               f"{money(row['budget'])} budget)" if pd.notna(row["variance_pct"]) else "")
        lines.append(f"{md(row['area'])}: forecast {md(row['direction'])} of {money(abs(row['variance']))}{pct}, "
                     f"RAG {md(row['rag'])}.")
    return Markdown(" ".join(lines))


def budget_scenario(base: budget.ScenarioBase, result: pd.DataFrame, *, council_tax_rise: float | None,
                    grant_change: float, extra_inflation: float) -> Markdown:
    """What the scenario changes and by how much the gap moves."""
    if result.empty:
        return Markdown(f"The {md(base.round)} round has no years after {financial_year_label(base.base_year)} "
                        "to test.")
    rise = base.council_tax_rise if council_tax_rise is None else council_tax_rise
    last = result.iloc[-1]
    moved = last["cumulative_scenario"] - last["cumulative_plan"]
    direction = "larger" if moved > 0 else "smaller" if moved < 0 else "the same"
    plan = format_value(base.council_tax_rise, "%", decimals=2)
    return Markdown(
        f"Starting from the {md(base.round)} round's gaps, with council tax rising "
        f"{format_value(rise, '%', decimals=2)} a year (the plan: {plan}), "
        f"grants and other funding changing {format_value(grant_change, '%', decimals=1, signed=True)} a year and "
        f"costs rising {format_value(extra_inflation, None, decimals=1, signed=True)} points a year faster than "
        f"planned, the gap over {result['year_label'].iloc[0]} to {last['year_label']} would be "
        f"{money(last['cumulative_scenario'])} instead of {money(last['cumulative_plan'])}: "
        f"{money(abs(moved))} {direction}.")


def scenario_sources(base: budget.ScenarioBase) -> Markdown:
    """Where the scenario's starting figures come from, as a list (the round's gaps first)."""
    gaps_line = ", ".join(f"{financial_year_label(year)} {money(gap)}" for year, gap in zip(base.years, base.gaps,
                                                                                             strict=True))
    lines = [f"Gaps published in the {md(base.round)} round: {gaps_line}." if gaps_line else ""]
    lines += [md(line) for line in base.sources]
    return Markdown("Where the scenario's starting figures come from:\n\n" + bullets(filter(None, lines)))


__all__ = ["Markdown", "benchmark_headline", "benchmark_headlines", "benchmark_intro", "benchmark_position",
           "budget_gap_headline",
           "budget_in_year", "budget_intro", "budget_revisions", "budget_scenario", "bullets", "detail_reason",
           "forecast_summary", "key_challenges", "rag_agreement", "rank_target", "rank_targets", "scenario_sources",
           "series_intro", "target_gap_summary", "trend_changes", "trend_intro"]

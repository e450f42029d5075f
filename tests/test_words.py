"""Plain-words sentences: hand-checked wording, figures through the one formatter, data text escaped."""

import pandas as pd
from test_rag import frame_of

from harrowperf import benchmark, gaps
from harrowperf.present import tables, words

MARKUP = "<script>alert(1)</script> *bold* [link](x)"


def _ranked_row(**changes) -> dict:
    row = {"area_name": "Harrow", "measure": "NEET", "period_label": "2025", "unit": "%", "group_noun":
           "London boroughs", "actual": 1.3, "group_median": 1.95, "rank": 8.0, "rank_of": 32, "tied": False,
           "quartile": 1.0, "rank_basis": "lower is better", "previous_rank": 8.0, "rank_change": 0.0,
           "previous_period": pd.Period("2024", freq="Y-DEC"), "group_size": 33, "note": ""}
    return {**row, **changes}


def test_benchmark_headline_by_hand():
    assert words.benchmark_headline(_ranked_row()) == (
        "Harrow ranks 8th of 32 London boroughs for NEET in 2025 (lower is better): 1.3% against a group "
        "median of 1.95%, in the best quarter. Same position as in 2024. 1 of the 33 had no figure.")
    moved = words.benchmark_headline(_ranked_row(rank=3.0, tied=True, rank_change=-1.0))
    assert "ranks joint 3rd of 32" in moved and "Down 1 place since 2024." in moved
    assert words.benchmark_headline(_ranked_row(actual=float("nan"), note="suppressed")) == (
        "Harrow has no figure for NEET in 2025 (suppressed).")


def test_data_text_cannot_add_markup_to_a_sentence():
    line = words.benchmark_headline(_ranked_row(area_name=MARKUP, measure=MARKUP))
    assert "<script>" not in line and "&lt;script&gt;" in line
    assert r"\*bold\*" in line and r"\[link\]" in line
    summary = words.target_gap_summary(gaps.analyse(frame_of(
        {"measure": MARKUP, "target": 100.0, "actual": 50.0})), "Q2 2016/17")
    assert "<script>" not in summary and r"'&lt;script&gt;alert(1)&lt;/script&gt; \*bold\*" in summary


def test_sentences_show_as_markdown_in_a_notebook():
    text = words.rank_targets(pd.DataFrame({"measure": ["NEET", "Participation"], "rank": [14.0, 25.0]}),
                              "12th to 20th in London")
    assert text._repr_markdown_() == (
        "- NEET: 14th in London is within the target range 12th to 20th (**met**)\n"
        "- Participation: 25th in London is 5 places below the target range 12th to 20th (**missed**)")
    assert words.rank_targets(pd.DataFrame(), None).startswith("No rank-range target was given")


def test_rank_target_words_for_every_status():
    check = benchmark.check_rank_target
    assert words.rank_target(check(5, "12th to 20th")) == "5th is better than the target range 12th to 20th"
    assert words.rank_target(check(21, (12, 20))) == "21st is 1 place below the target range 12th to 20th"
    assert words.rank_target(check(float("nan"), "1st to 3rd")) == "no rank to check against 1st to 3rd"


def test_tables_have_no_blanks_that_read_as_code():
    shown = tables.target_gap(gaps.exceptions(gaps.analyse(frame_of(
        {"measure": "A", "target": 100.0, "actual": 80.0},
        {"measure": "B", "target": 100.0, "actual": 70.0, "cell_actual": ""})), "Q2 2016/17"))
    text = shown.to_string()
    assert not any(bad in text for bad in ("nan", "NaN", "None", "<NA>"))
    assert shown["Gap, % of target"].tolist() == ["-30%", "-20%"]
    assert shown["Gap (positive = better)"].tolist() == ["-30 pts", "-20 pts"]  # percentage points


def test_display_escapes_data_and_hides_the_index():
    html = tables.display(pd.DataFrame({"Measure": [MARKUP], "Value": [float("nan")]})).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ">–<" in html and "nan" not in html.lower().replace("hp-", "")


def test_detail_reason_says_why_the_measures_were_picked():
    from harrowperf import trend

    overview = pd.DataFrame({"measure_id": ["a", "b", "c"], "measure": ["A", "B", MARKUP], "points": [4, 9, 6],
                             "variation": ["concern", "common_cause", "common_cause"],
                             "assurance": ["hit_and_miss", "consistently_fails", None]})
    picked = trend.detail_selection(overview)
    assert (picked.measure_ids, picked.trend_measure_id) == (("a", "b"), "b")
    assert words.detail_reason(picked) == (
        "Shown in detail: 1 measure(s) whose latest point is a special-cause concern, 0 with a special-cause "
        "improvement and 1 that consistently fail their target.")
    assert words.detail_reason(trend.detail_selection(overview, limit=1)).endswith("(the first 1).")
    chosen = words.detail_reason(trend.detail_selection(overview, "c"))
    assert chosen.startswith("The measure chosen for this report: &lt;script&gt;")
    calm = overview.assign(variation="common_cause", assurance=None)
    assert trend.detail_selection(calm).measure_ids == ("b", "c", "a")
    assert "most quarters of data" in words.detail_reason(trend.detail_selection(calm))


def test_a_findings_table_is_shown_in_words_with_the_ones_to_check_first():
    from harrowperf.foundation.findings import findings_table

    table = findings_table([
        {"source": "b.xlsx", "sheet": "Change", "cell": "H9", "severity": "info", "issue": "total_mismatch",
         "text": "2,336", "message": "row 'Organisational Development' is out by 1"},
        {"source": "b.xlsx", "sheet": "Change", "cell": "H10", "severity": "warning", "issue": "missing_total",
         "text": None, "message": "the closing budget is empty"},
        {"source": "q2.xlsx", "sheet": "Business", "cell": "C6", "severity": "info", "issue": "odd_new_code",
         "text": "tbc", "message": "not a number"},
    ])
    shown = tables.findings(table)
    assert list(shown.columns) == ["File", "Sheet", "Cell", "Check or record", "What", "Cell shows", "In words"]
    assert shown["Cell"].tolist() == ["H10", "H9", "C6"]
    assert shown["What"].tolist() == ["Total missing", "Total does not add up", "Odd new code"]
    assert shown["Check or record"].tolist() == ["Check", "For the record", "For the record"]
    assert shown.loc[0, "Cell shows"] == "–"
    html = tables.display(table).to_html()        # shown the same way when displayed raw
    assert "total_mismatch" not in html and "Total does not add up" in html and ">severity<" not in html


def test_display_spells_out_identifier_headings():
    html = tables.display(pd.DataFrame({"area_name": ["Harrow"], "period_label": ["2021"]})).to_html()
    assert "Area name" in html and "Period label" in html and "area_name" not in html


def test_trend_summary_names_at_most_the_configured_measures_and_counts_the_rest():
    from harrowperf.foundation.conventions import settings

    named = settings().spc.report.named_in_summary
    concerns = [f"Concern measure {i}" for i in range(named + 3)]
    overview = pd.DataFrame({
        "measure": [*concerns, "Better measure", "Steady measure"],
        "variation": ["concern"] * len(concerns) + ["improvement", "common_cause"],
        "direction": ["declining"] * len(concerns) + ["improving", "no change"],
        "short_series": [False] * (len(concerns) + 1) + [True],
        "assurance": [None] * (len(concerns) + 2),
    })
    text = str(words.trend_changes(overview))
    concern_line = next(line for line in text.split("\n\n") if line.startswith("Special-cause concern"))
    assert concern_line.count("Concern measure") == named
    assert f"Concern measure {named - 1};" in concern_line and f"Concern measure {named}" not in concern_line
    assert concern_line.endswith("; and 3 more, in the table below.")
    assert "Special-cause improvement: Better measure." in text  # under the limit: all named, no count
    assert f"{len(concerns)} measure(s) and a special-cause **concern**" not in text  # counts stay as they were
    assert "special-cause **improvement** at the latest point for 1 measure(s)" in text
    minimum = settings().spc.series.minimum_points
    assert f"1 of the {len(concerns) + 2} measures have fewer than {minimum} points of data" in text


def test_measures_without_polarity_are_counted_not_called_targetless():
    frame = gaps.analyse(frame_of({"target": 100.0, "actual": 90.0, "polarity": None},
                                  {"target": 50.0, "actual": 60.0, "polarity": None},
                                  {"target": 10.0, "actual": 12.0, "polarity": "lower"},
                                  {"actual": 5.0, "polarity": None}))  # no target: not counted
    assert gaps.without_polarity(frame, "Q2 2016/17") == 2
    summary = words.target_gap_summary(frame, "Q2 2016/17")
    assert ("Of the 1 with a target to compare with, 0 (0%) are on or better than target. 2 measures have a "
            "target and a figure but no 'Good =' (whether higher or lower is better), so their gap to target "
            "cannot be said; the data-quality findings name the table without the column.") in summary


def test_trend_summary_says_why_a_measure_without_polarity_has_no_direction():
    overview = pd.DataFrame({
        "measure": ["A", "B", "C", "D"], "polarity": [None, None, "higher", "lower"],
        "variation": ["common_cause"] * 4, "direction": [None, None, None, "improving"],
        "short_series": [True] * 4, "assurance": [None] * 4})
    text = str(words.trend_changes(overview))
    assert ("1 improved, 0 declined and 0 did not change; 3 could not be compared (2 of them because no "
            "'Good =' says whether higher or lower is better).") in text

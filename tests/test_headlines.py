"""A quarter's headline figures (analyse/headlines.py), counted by hand; and what the quarter index says of them."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT

from harrowperf.analyse import gaps
from harrowperf.analyse.headlines import benchmark_positions, budget_gap, measure_counts
from harrowperf.foundation.periods import to_quarter
from harrowperf.pipeline.clean import clean
from harrowperf.pipeline.headlines import page_periods
from harrowperf.pipeline.pages import render_quarter_index
from harrowperf.read.synthetic import frame_from_values


def _measure(name: str, values, periods, *, target=100.0, polarity="higher") -> pd.DataFrame:
    return frame_from_values(values, measure=name, periods=periods, target=target, polarity=polarity)


def test_measure_counts_of_a_hand_made_quarter():
    frame = pd.concat([
        # RAG bands (conventions/rag.toml): HG from +5%, A above -5%, LR from -10% to -5%, HR below -10%
        _measure("Up", [90.0, 110.0], ["Q1 2016/17", "Q2 2016/17"]),               # +10%: HG
        _measure("Slipping", [92.0], ["Q2 2016/17"]),                               # -8%: LR
        _measure("Too high", [60.0], ["Q2 2016/17"], target=50.0, polarity="lower"),  # 20% worse: HR
        _measure("Old only", [70.0], ["Q3 2015/16"]),                               # no row in the quarter
        _measure("No figure", [float("nan")], ["Q2 2016/17"]),                      # a row, no figure
    ], ignore_index=True)
    counts = measure_counts(frame, "Q2 2016/17")
    assert (counts.on_scorecard, counts.with_figure, counts.rated) == (4, 3, 3)
    assert {code: n for code, n in counts.by_status.items() if n} == {"HG": 1, "LR": 1, "HR": 1}
    assert (counts.with_target, counts.below_target, counts.exceptions) == (3, 2, 2)   # LR and HR are red
    assert (counts.earlier_only, counts.all_measures, counts.first_quarter) == (1, 5, "Q3 2015/16")


@pytest.fixture(scope="module")
def real_clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    result = clean(ROOT / "data" / "raw", out, stream=None)
    assert not result.errors
    return out


def test_the_real_quarter_counts_83_measures_on_the_scorecard_and_7_with_earlier_figures_only(real_clean):
    frame = pd.read_parquet(real_clean / "scorecard.parquet")
    quarter = frame[frame["period"] == to_quarter("Q2 2016/17")]
    # As the Q2 2016/17 scorecard workbook reports them (seed 003): 56 statuses, 27 measures without one.
    assert quarter["rag"].value_counts().to_dict() == {"HG": 25, "HR": 9, "A": 8, "LG": 8, "LR": 5, "G": 1}
    counts = measure_counts(frame, "Q2 2016/17")
    # Recalculated from target and actual, one reported HG is in range (G) and one reported HR is amber
    # (both listed on the target-gap page under "Is the reported RAG right?"); every other status stands.
    assert counts.by_status == {"HG": 24, "LG": 8, "G": 2, "A": 9, "LR": 5, "HR": 8, "R": 0}
    assert (counts.on_scorecard, counts.with_figure, counts.rated) == (83, 60, 56)
    assert (counts.with_target, counts.below_target, counts.exceptions) == (56, 22, 19)
    # The 19 exceptions, counted from the statuses: 14 measures red in Q2 2016/17 by the recalculated or the
    # reported status (LR 5 + HR 8 recalculated, plus the reported HR recalculated as amber), and 5 with no
    # status in Q2 whose Q1 2016/17 figure (reported a quarter in arrears) is red.
    analysed = gaps.analyse(frame)

    def red(rows):
        return set(rows.loc[rows["rag_status"].astype(object).isin({"LR", "HR", "R"})
                            | rows["rag"].astype(object).isin({"LR", "HR", "R"}), "measure_id"])

    now = analysed[analysed["period"] == to_quarter("Q2 2016/17")]
    rated_now = set(now.loc[now["rag_status"].notna() | now["rag"].notna(), "measure_id"])
    before = analysed[(analysed["period"] == to_quarter("Q1 2016/17")) & ~analysed["measure_id"].isin(rated_now)]
    assert (len(red(now)), len(red(before))) == (14, 5)
    # The trend report's 90: the 83 plus 7 measures cited only in data/raw/history with figures before the
    # quarter (2003/04 to 2014/15); history figures of later quarters are not counted for Q2 2016/17.
    cited = frame[(frame["source"] == "harrow_measure_history.csv") & (frame["period"] < to_quarter("Q2 2016/17"))]
    history_only = set(cited["measure_id"]) - set(quarter["measure_id"])
    assert len(history_only) == counts.earlier_only == 7 and counts.all_measures == 90
    assert counts.first_quarter == "Q1 2003/04"


def test_the_budget_gap_of_the_quarters_year_is_the_one_the_budget_page_heads_with(real_clean):
    gap = budget_gap(pd.read_parquet(real_clean / "budget.parquet"), "Q2 2016/17")
    # harrow_budget_gaps_by_round.xlsx: the MTFS 2014/15 to 2016/17 round puts 2016/17's gap at £20.765m;
    # no later round in the data restates it.
    assert (gap.year, gap.first, gap.latest, gap.rounds) == ("2016/17", 20_765_000.0, 20_765_000.0, 1)
    assert gap.latest_round == "MTFS 2014/15 to 2016/17" and not gap.is_range
    assert budget_gap(pd.read_parquet(real_clean / "budget.parquet"), "Q2 2040/41") is None


def test_benchmark_positions_count_ranked_measures_by_quartile():
    summary = pd.DataFrame({"quartile": [1.0, 4.0, None, 1.0, 2.0]})
    assert benchmark_positions(summary) == {1: 2, 2: 1, 3: 0, 4: 1}


def test_page_periods_say_the_quarter_and_what_the_files_read_cover(real_clean):
    periods = dict(page_periods("Q2 2016/17", [str(real_clean / "scorecard.parquet"),
                                                str(real_clean / "budget.parquet"),
                                                "/x/data/raw/benchmark/oflog/ASC_data.csv"]))
    assert periods["Quarter"] == "Q2 2016/17"
    assert periods["Scorecard figures"] == "Q1 2003/04 to Q2 2016/17"
    assert periods["Budget"].startswith("the year of the quarter, 2016/17; the budget figures shown cover 2003/04 to ")
    assert "not quarters of the scorecard" in periods["Benchmark figures"]
    assert page_periods("Q2 2016/17", []) == [("Quarter", "Q2 2016/17")]


RECORD = {"quarter": "Q2 2016/17", "status": "ok", "notebooks": [], "headlines": {
    "measures": {"quarter": "Q2 2016/17", "on_scorecard": 83, "with_figure": 60, "rated": 56,
                 "by_status": {"HG": 24, "LG": 8, "G": 2, "A": 9, "LR": 5, "HR": 8, "R": 0},
                 "with_target": 56, "below_target": 22, "exceptions": 19, "earlier_only": 7,
                 "first_quarter": "Q1 2003/04", "all_measures": 90,
                 "href": "target_gap.html#The-quarter-at-a-glance", "exceptions_href": "target_gap.html#Exceptions",
                 "trend_href": "trend.html"},
    "budget": {"year": "2016/17", "first": 20765000.0, "first_round": "MTFS <b>2014</b>", "latest": 20765000.0,
               "latest_round": "MTFS <b>2014</b>", "rounds": 1, "is_range": False, "href": "budget_gap.html"},
    "benchmark": [{"topic": "adult social care", "council": "Harrow", "group": "English councils", "measures": 7,
                   "ranked": 5, "quartiles": {"1": 1, "2": 0, "3": 3, "4": 1}, "periods": ["2023/24"],
                   "href": "benchmark.html"}],
    "not_shown": []}}


def _text(page: str) -> str:
    import html
    import re
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_quarter_index_answers_first_with_every_figure_linked_to_its_page():
    page = render_quarter_index(RECORD)
    text = _text(page)
    assert text.index("The quarter at a glance") < text.index("Reports for Q2 2016/17")
    assert "83 measures are on the Q2 2016/17 scorecard. 56 have a RAG status; 27 have none" in text
    assert "(23 of them have no figure for the quarter)" in text
    assert "19 measures are exceptions" in text and "22 of the 56 measures with a figure and a target" in text
    assert ("The trend report counts 90 measures: the 83 on this quarter's scorecard and 7 more that have "
            "figures only from earlier quarters") in text
    assert "The budget gap for 2016/17 is £20.8m, as published in the MTFS <b>2014</b> round" in text
    assert "&lt;b&gt;2014" in page and "<b>2014" not in page                    # text from data is escaped
    assert ("Benchmarking, adult social care, 2023/24: of the 5 measures on which Harrow is ranked among English "
            "councils, 1 in the best quarter, 3 in the third quarter and 1 in the worst quarter of the group. "
            "2 more are shown against the median") in text
    for href in ("target_gap.html#The-quarter-at-a-glance", "target_gap.html#Exceptions", "trend.html",
                 "budget_gap.html", "benchmark.html"):
        assert f'href="{href}"' in page
    rows = [" ".join(row.split()) for row in _text(page[page.index("Measures by RAG status"):
                                                        page.index("</table>")]).split(" | ")]
    table = rows[0]
    for expected in ("HG High green 24", "LG Low green 8", "G Green (in range) 2", "A Amber 9", "LR Low red 5",
                     "HR High red 8", "– No RAG status 27", "– All measures 83"):
        assert expected in table
    assert "Red 0" not in table


def test_a_quarter_index_without_headlines_still_renders():
    page = render_quarter_index({**RECORD, "headlines": {}})
    assert "The quarter at a glance" not in page and "Reports for Q2 2016/17" in page
    failed = render_quarter_index({**RECORD, "headlines": {"not_shown": ["the budget gap: no budget"]}})
    assert "Not shown: the budget gap: no budget." in _text(failed)

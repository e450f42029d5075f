"""present/actions.py and present/charts/actions.py: the actions report's sentences, tables and status chart."""

from __future__ import annotations

import pandas as pd
from conftest import RAW
from test_analyse_actions import TWO_QUARTERS, plan

from harrowperf.analyse import actions
from harrowperf.foundation.conventions import settings
from harrowperf.present import actions as report
from harrowperf.present.charts import actions as charts
from harrowperf.present.figures import chart_html
from harrowperf.read.actions import read_actions

AMBITION = RAW / "actions" / "harrow_ambition_plan_2016-17_q2.xlsx"


def test_the_quarter_in_sentences():
    said = report.summary(TWO_QUARTERS, "Q2 2016/17")
    assert said == ("The Q2 2016/17 report has 5 actions in 2 themes. By status: 2 complete, 1 on track, "
                    "1 off track. 1 action has no status given by the service; the progress text is shown for "
                    "each. 3 actions are overdue (due by 30 September 2016 and not complete); 1 is at risk or off "
                    "track.")
    assert report.changes_summary(TWO_QUARTERS, "Q2 2016/17") == (
        "Since the Q1 2016/17 report: 1 improved, 1 got worse, 2 new, 1 no longer reported. 3 actions have no "
        "new update.")
    assert report.changes_summary(TWO_QUARTERS, "Q1 2016/17") == \
        "There is no earlier report than Q1 2016/17 in the data to compare with."
    none = "There is no progress report on actions for Q3 2016/17 in the data; the reports present are for " \
        "Q1 2016/17, Q2 2016/17."
    assert report.summary(TWO_QUARTERS, "Q3 2016/17") == report.changes_summary(TWO_QUARTERS, "Q3 2016/17") == none


def test_seed_003_says_no_status_was_given_and_invents_none():
    frame = read_actions(AMBITION).frame
    said = report.summary(frame, "Q2 2016/17")
    assert said.startswith("The Q2 2016/17 report has 37 actions in 3 themes. The service gave no status for "
                           "any of them")
    assert "No action is overdue" in said and "on track" not in said
    assert set(report.actions_table(frame, "Q2 2016/17")["Status"]) == {"no status given"}


def test_an_inferred_status_always_says_so():
    frame = actions.infer_status(plan({"action": "A", "progress": "It went live.", "due": "June 2016"},
                                      {"action": "B", "status": "complete", "progress": "Done."}))
    table = report.actions_table(frame)
    assert list(table["Status"]) == ["complete (inferred from the progress text, not given by the service)",
                                     "complete"]
    assert "1 of these statuses is inferred from the progress text" in report.summary(frame, "Q2 2016/17")
    counts = report.status_counts(actions.counts(frame))
    assert counts.loc["All themes", ["Complete", "Of which inferred"]].tolist() == ["2", "1"]


def test_tables_have_plain_headings_and_blanks_as_dashes():
    late = report.overdue(actions.overdue(TWO_QUARTERS, "Q2 2016/17"))
    assert list(late.columns) == ["Theme", "Action", "Lead", "Due (as written)", "Due by",
                                  "Days overdue at quarter end", "Status", "Cell"]
    assert late.iloc[0].tolist() == ["Homes", "Build 86 homes", "–", "June 2016", "30 June 2016", "92", "off track",
                                     "Plan!B9"]
    assert late.iloc[2]["Status"] == "no status given"
    changes = report.status_changes(actions.status_changes(TWO_QUARTERS, "Q2 2016/17"))
    assert changes[["Before", "Now", "Change"]].values.tolist() == [
        ["on track", "off track", "got worse"], ["at risk", "complete", "improved"],
        ["–", "no status given", "new this quarter"], ["–", "complete", "new this quarter"],
        ["off track", "–", "no longer reported"]]
    figures = report.quoted_figures(actions.quoted_figures(plan({"action": "A", "progress": "We spent £3.2m."})))
    assert figures[["Figure as written", "Read as", "Kind"]].values.tolist() == [["£3.2m", "£3.2m", "amount"]]


def test_linked_measures_per_theme():
    links = pd.DataFrame({"theme": ["T", "T", "T", "U"], "action_id": ["a", "a", "b", "c"],
                          "action": ["A", "A", "B", "C"], "linked_by": "theme",
                          "measure_id": ["m1", "m2", "m1", "m3"], "measure": ["One", "Two", "One", "Three"],
                          "rag_status": ["HR", "LG", "HR", None], "actual_text": "", "target_text": "",
                          "cell_actual": ""})
    table = report.linked_measures(links)
    assert table.values.tolist() == [["T", "2", "2", "1", "0", "1", "One"], ["U", "1", "1", "0", "0", "0", "–"]]


def test_status_chart_counts_and_colours_from_the_one_palette():
    chart = charts.status_chart(TWO_QUARTERS, "Q2 2016/17")
    spec = chart.to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    homes = data[data["Theme"] == "Homes"].set_index("Status")["Actions"].to_dict()
    assert homes == {"complete": 1, "off track": 1}
    assert data[data["Theme"] == "All themes"]["Actions"].sum() == 5
    palette = settings().rag.chart_colours
    scale = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][:4] == ["complete", "on track", "at risk", "off track"]
    assert scale["range"] == [palette["HG"], palette["LG"], palette["A"], palette["HR"], palette["missing"],
                              palette["missing"]]
    assert "no status given" in set(data["Status"]) and "1 no status given" in set(data["Label"])
    html = chart_html(chart)
    assert "<svg" in html and "Actions by status, Q2 2016/17" in html


def test_status_chart_escapes_data_and_says_when_empty():
    frame = plan({"action": "x", "theme": "<script>alert(1)</script>", "status": "complete"})
    html = chart_html(charts.status_chart(frame, "Q2 2016/17"))
    assert "<script>alert(1)</script>" not in html
    empty = chart_html(charts.status_chart(frame.iloc[0:0]))
    assert "There are no actions to show for the plan." in empty
    assert "There are no actions to show for Q3 2016/17." in chart_html(charts.status_chart(frame, "Q3 2016/17"))

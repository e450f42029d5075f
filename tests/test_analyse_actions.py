"""analyse/actions.py: counts, overdue, no update, status changes, quoted figures, inferred status, links.

Every expected number is worked out by hand from the small frames built here (or counted in the
transcribed seed 003 workbook).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import RAW
from hypothesis import given
from hypothesis import strategies as st

from harrowperf.analyse import actions
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import parse_quarter, parse_when
from harrowperf.foundation.schema import ACTION_COLUMNS, validate_actions
from harrowperf.read.actions import action_id, read_actions

AMBITION = RAW / "actions" / "harrow_ambition_plan_2016-17_q2.xlsx"
T = pd.Timestamp


def plan(*rows: dict) -> pd.DataFrame:
    """A valid actions frame from short rows: theme, action, due, status, progress, quarter."""
    records = []
    for number, row in enumerate(rows, start=5):
        when = parse_when(row.get("due", ""))
        status = row.get("status", "no status")
        quarter = row.get("quarter", "Q2 2016/17")
        records.append({
            "source": "plan.xlsx", "sheet": "Plan", "row": number, "theme": row.get("theme", "Homes"),
            "objective": row.get("objective", ""), "action": row["action"],
            "action_id": action_id(row.get("theme", "Homes"), row["action"]), "lead": "",
            "due_text": row.get("due", ""), "due_start": when.start if when else pd.NaT,
            "due_end": when.end if when else pd.NaT, "due_kind": when.kind if when else "",
            "status": status, "status_text": status if status != "no status" else "",
            "status_source": "given" if status != "no status" else "",
            "status_read_from": "words" if status != "no status" else "", "progress": row.get("progress", ""),
            "quarter": parse_quarter(quarter) if quarter else None, "quarter_label": quarter,
            "cell_action": f"Plan!B{number}", "cell_due": f"Plan!D{number}", "cell_status": f"Plan!E{number}",
            "cell_progress": f"Plan!F{number}"})
    frame = pd.DataFrame(records, columns=ACTION_COLUMNS)
    frame["quarter"] = pd.PeriodIndex(frame["quarter"], freq="Q-MAR")
    return validate_actions(frame)


TWO_QUARTERS = plan(
    {"action": "Build 86 homes", "due": "June 2016", "status": "on track", "progress": "On site.", "quarter":
     "Q1 2016/17"},
    {"action": "Open the hub", "due": "March 2017", "status": "at risk", "progress": "Lease signed.", "quarter":
     "Q1 2016/17"},
    {"action": "Recycling strategy", "theme": "Clean", "status": "on track", "progress": "Consulting.", "quarter":
     "Q1 2016/17"},
    {"action": "Fix the lifts", "theme": "Clean", "status": "off track", "progress": "Parts ordered.", "quarter":
     "Q1 2016/17"},
    # Q2 2016/17
    {"action": "Build 86 homes", "due": "June 2016", "status": "off track", "progress": "On  site."},
    {"action": "Open the hub", "due": "March 2017", "status": "complete", "progress": "Opened in August."},
    {"action": "Recycling strategy", "theme": "Clean", "due": "30/09/2016", "status": "on track",
     "progress": "Draft out."},
    {"action": "New wardens", "theme": "Clean", "due": "by September 2016", "progress": ""},
    {"action": "Tidy parks", "theme": "Clean", "due": "Q1 2016/17", "status": "complete", "progress": ""},
)


def test_counts_per_theme_and_in_all():
    table = actions.counts(TWO_QUARTERS, "Q2 2016/17").set_index("theme")
    assert list(table.index) == ["Homes", "Clean", "All themes"]
    assert table.loc["Homes", ["actions", "complete", "off track", "on track"]].tolist() == [2, 1, 1, 0]
    assert table.loc["Clean", ["actions", "complete", "on track", "no status", "due_dated"]].tolist() == [3, 1, 1, 1, 3]
    assert table.loc["All themes", ["actions", "complete", "on track", "at risk", "off track", "not started",
                                    "no status", "inferred"]].tolist() == [5, 2, 1, 0, 1, 0, 1, 0]
    # without a quarter every row is counted (a plan without reports)
    assert actions.counts(TWO_QUARTERS).set_index("theme").loc["All themes", "actions"] == 9


def test_overdue_is_due_by_the_quarter_end_and_not_complete():
    late = actions.overdue(TWO_QUARTERS, "Q2 2016/17")
    # Q2 2016/17 ends on 30 September 2016. "June 2016" is 92 days before; "30/09/2016" and
    # "by September 2016" are due on the last day itself (0 days). Complete and "March 2017" are not listed.
    assert list(late["action"]) == ["Build 86 homes", "Recycling strategy", "New wardens"]
    assert list(late["days_overdue"]) == [92, 0, 0]
    assert list(late["status"]) == ["off track", "on track", "no status"]
    assert list(late["cell_due"]) == ["Plan!D9", "Plan!D11", "Plan!D12"]
    # in Q1 2016/17 (ends 30 June 2016) only the homes were due
    q1 = actions.overdue(TWO_QUARTERS, "Q1 2016/17")
    assert list(q1["action"]) == ["Build 86 homes"] and list(q1["days_overdue"]) == [0]


def test_no_update_since_the_previous_report():
    stale = actions.no_update(TWO_QUARTERS, "Q2 2016/17")
    assert list(zip(stale["action"], stale["reason"], strict=True)) == [
        ("Build 86 homes", "same as Q1 2016/17"),  # same words, spacing aside
        ("New wardens", "no progress text"),  # "Tidy parks" has none either, but is complete
        ("Fix the lifts", "not in this report"),
    ]
    assert set(stale["compared_with"]) == {"Q1 2016/17"}
    assert stale.loc[2, "progress"] == "Parts ordered."  # the last progress it had
    first = actions.no_update(TWO_QUARTERS, "Q1 2016/17")
    assert first.empty and list(first.columns) == actions.NO_UPDATE_COLUMNS


def test_status_changes_since_the_previous_report():
    changes = actions.status_changes(TWO_QUARTERS, "Q2 2016/17")
    assert list(zip(changes["action"], changes["status_before"], changes["status"], changes["change"],
                    strict=True)) == [
        ("Build 86 homes", "on track", "off track", "worse"),
        ("Open the hub", "at risk", "complete", "better"),
        ("New wardens", "", "no status", "new"),
        ("Tidy parks", "", "complete", "new"),
        ("Fix the lifts", "off track", "", "dropped"),
    ]
    assert "Recycling strategy" not in set(changes["action"])  # on track both times
    assert actions.status_changes(TWO_QUARTERS, "Q1 2016/17").empty  # nothing before the first report


def test_a_quarter_without_a_report_lists_nothing_and_a_bad_quarter_is_an_error():
    assert actions.reported_quarters(TWO_QUARTERS) == ["Q1 2016/17", "Q2 2016/17"]
    assert len(actions.of_report(TWO_QUARTERS, "Q1 2016/17")) == 4
    assert actions.of_report(TWO_QUARTERS, "Q3 2016/17").empty
    assert not actions.has_report(TWO_QUARTERS, "Q3 2016/17") and actions.has_report(TWO_QUARTERS, "Q2 2016/17")
    assert actions.overdue(TWO_QUARTERS, "Q3 2016/17").empty
    assert actions.no_update(TWO_QUARTERS, "Q3 2016/17").empty  # not "every action dropped"
    assert actions.status_changes(TWO_QUARTERS, "Q3 2016/17").empty
    assert actions.counts(TWO_QUARTERS, "Q3 2016/17").set_index("theme").loc["All themes", "actions"] == 0
    with pytest.raises(ParameterError, match="'third quarter' is not a financial quarter"):
        actions.overdue(TWO_QUARTERS, "third quarter")


def test_figures_in_progress_text_with_their_sentence():
    text = ("NCIL allocations for 2018/19 are three projects so far, totalling £381,227 (£7,227, £75,000 and "
            "£299,000 respectively). We have been awarded £32m, which will help build 618 homes. At the last "
            "survey in July 2017, 21% felt able to influence decisions.\nUp to 300 per cent of the 11th band "
            "in Quarter 2 at 10:30 on 12/03/2018 and 23 November 2016; £8.2m spent.")
    found = [(f["kind"], f["text"], f["value"]) for f in actions.figures_in(text)]
    assert found == [
        ("amount", "£381,227", 381227.0), ("amount", "£7,227", 7227.0), ("amount", "£75,000", 75000.0),
        ("amount", "£299,000", 299000.0), ("amount", "£32m", 32_000_000.0), ("count", "618", 618.0),
        ("percentage", "21%", 21.0), ("percentage", "300 per cent", 300.0), ("amount", "£8.2m", 8_200_000.0),
    ]
    sentences = [f["sentence"] for f in actions.figures_in(text)]
    assert sentences[5] == "We have been awarded £32m, which will help build 618 homes."
    assert sentences[6] == "At the last survey in July 2017, 21% felt able to influence decisions."


def test_quoted_figures_of_the_seed_003_actions_keep_their_cell():
    figures = actions.quoted_figures(read_actions(AMBITION).frame, "Q2 2016/17")
    assert list(figures.columns) == actions.FIGURE_COLUMNS
    assert (figures["cell_progress"].str.match(r"^Actions!F\d+$")).all()
    for row in figures.itertuples():
        assert row.text in row.sentence
    # every figure's sentence is in the progress text of its cell
    progress = read_actions(AMBITION).frame.set_index("cell_progress")["progress"]
    assert all(" ".join(s.split()) in " ".join(progress[c].split()) for s, c in
               zip(figures["sentence"], figures["cell_progress"], strict=True))
    # every figure in the progress texts, found by reading them (dates, years and "S106" are not figures)
    assert list(zip(figures["cell_progress"], figures["text"], strict=True)) == [
        ("Actions!F5", "17"), ("Actions!F5", "18"), ("Actions!F7", "51"), ("Actions!F13", "£200"),
        ("Actions!F32", "100%"), ("Actions!F40", "151")]
    assert list(figures["kind"]) == ["count", "count", "count", "amount", "percentage", "count"]


@given(st.text(max_size=80))
def test_any_text_gives_figures_that_are_in_it(text):
    for figure in actions.figures_in(text):
        assert figure["text"] in figure["sentence"] and figure["sentence"] in text


def test_inferred_status_is_labelled_and_never_replaces_a_given_one():
    frame = plan({"action": "A", "progress": "The new system went live in May."},
                 {"action": "B", "progress": "Work has been postponed to next year."},
                 {"action": "C", "progress": "Tenders are being evaluated."},
                 {"action": "D", "status": "at risk", "progress": "Went live."},
                 {"action": "E"})
    inferred = actions.infer_status(frame)
    assert list(inferred["status"]) == ["complete", "off track", "no status", "at risk", "no status"]
    assert list(inferred["status_source"]) == ["inferred", "inferred", "", "given", ""]
    assert list(inferred["status_read_from"]) == ["progress", "progress", "", "words", ""]
    assert list(inferred["status_evidence"]) == ["went live", "postponed", "", "", ""]
    assert frame.loc[0, "status"] == "no status"  # the input is not changed
    switched_off = actions.infer_status(frame, infer=False)
    assert switched_off.drop(columns="status_evidence").equals(frame) and set(switched_off["status_evidence"]) == {""}
    validate_actions(inferred.drop(columns="status_evidence"))  # still a valid actions frame
    assert actions.counts(inferred).set_index("theme").loc["All themes", "inferred"] == 2


def test_the_seed_003_actions_have_no_given_status_and_none_is_made_up():
    frame = read_actions(AMBITION).frame
    table = actions.counts(frame, "Q2 2016/17").set_index("theme")
    assert table.loc["All themes", "actions"] == 37 and table.loc["All themes", "no status"] == 37
    assert table.loc["All themes", "inferred"] == 0
    # none is due by 30 September 2016 ("in 2016" is 31 December 2016)
    assert actions.overdue(frame, "Q2 2016/17").empty


def _scorecard():
    from harrowperf.analyse.gaps import analyse
    from harrowperf.read.catalogue import apply
    from harrowperf.read.scorecard import read_scorecard

    return analyse(apply(read_scorecard(RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx").frame))


def test_actions_are_linked_to_the_measures_of_their_theme_through_the_catalogue():
    from harrowperf.read.catalogue import load

    frame = read_actions(AMBITION).frame
    links = actions.linked_measures(frame, _scorecard(), "Q2 2016/17")
    catalogue = load()
    per_theme = catalogue.groupby("theme")["measure_id"].nunique()
    # every action of a theme is linked to every catalogue measure of that theme
    per_action = links.groupby(["theme", "action_id"])["measure_id"].nunique()
    for (theme, _), count in per_action.items():
        assert count == per_theme[theme]
    assert links["action_id"].nunique() == 37
    delayed = links[links["measure_id"] == "delayed-transfers-of-care"]
    assert set(delayed["theme"]) == {"Protect the most vulnerable and support families"}
    assert set(delayed["rag_status"]) == {"HR"}

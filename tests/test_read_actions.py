"""read/actions.py: the action-plan reader on the transcribed workbooks and on openpyxl-built variants."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from conftest import RAW, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from harrowperf.foundation import conventions
from harrowperf.foundation.errors import ActionsError
from harrowperf.foundation.periods import parse_when
from harrowperf.foundation.schema import ACTION_COLUMNS, COMMENTARY_COLUMNS, validate_actions
from harrowperf.read.actions import action_id, link_commentary, read_actions, status_of

AMBITION = RAW / "actions" / "harrow_ambition_plan_2016-17_q2.xlsx"
PRIORITY = RAW / "actions" / "harrow_priority_actions_2011-12.xlsx"
AMBITION_2018 = RAW / "actions" / "harrow_ambition_plan_2018-19_q2.xlsx"
SEED_002 = (ROOT / "tests" / "fixtures" / "seeds" / "002_2dfa10be0f04b10c.txt").read_text(encoding="utf-8")
T = pd.Timestamp


# --------------------------------------------------------------------------- the real workbooks


def test_ambition_plan_q2_2016_17():
    read = read_actions(AMBITION)
    frame = read.frame
    assert list(frame.columns) == ACTION_COLUMNS and list(read.commentary.columns) == COMMENTARY_COLUMNS
    assert len(frame) == 37 and len(read.commentary) == 19
    assert set(frame["quarter_label"]) == {"Q2 2016/17"}
    assert (frame["quarter"] == pd.Period("2017Q2", "Q-MAR")).all()
    # the seed gives no status: every action is "no status", none is made up
    assert set(frame["status"]) == {"no status"} and set(frame["status_source"]) == {""}
    civic = frame[frame["action"] == "To have moved into a new civic centre by 2019"].iloc[0]
    assert (civic["due_text"], civic["due_start"], civic["due_end"], civic["due_kind"]) == \
        ("by 2019", T("2019-01-01"), T("2019-12-31"), "year")
    assert civic["cell_action"] == "Actions!B10" and civic["cell_due"] == "Actions!D10"
    respite = frame[frame["action"].str.startswith("Sign off business case")].iloc[0]
    assert (respite["due_end"], respite["due_kind"]) == (T("2017-03-31"), "financial year")
    # every action without a date is a finding with its cell, and is kept
    no_date = read.findings[read.findings["issue"] == "no_due_date"]
    assert len(no_date) == int(frame["due_end"].isna().sum()) == 28
    assert set(no_date["cell"]) == set(frame.loc[frame["due_end"].isna(), "cell_due"].str.split("!").str[-1])
    assert frame["action_id"].is_unique


def test_priority_actions_2011_12_due_dates():
    read = read_actions(PRIORITY)
    frame = read.frame
    assert len(frame) == 40 and read.commentary.empty
    assert frame["quarter"].isna().all() and set(frame["quarter_label"]) == {""}
    ends = frame[frame["due_text"] != ""].groupby("due_text")["due_end"].first().to_dict()
    assert ends == {
        "by March 2012": T("2012-03-31"), "by April 2011": T("2011-04-30"),
        "by June 2011": T("2011-06-30"), "throughout 2011/12": T("2012-03-31"), "from July 2011": T("2011-07-31"),
        "before 31st March 2012": T("2012-03-31"), "in 2011": T("2011-12-31"),
        "by September 2011": T("2011-09-30"), "in November 2011": T("2011-11-30"),
    }
    assert frame.loc[frame["due_text"] == "", "due_end"].isna().all()
    assert (frame["due_text"] != "").sum() == 32
    assert set(frame["lead"]) >= {"Phillip O’Dell", "Bob Currie and Margaret Davine", "All Portfolio Holders"}


def test_ambition_plan_q2_2018_19_in_the_councils_words():
    read = read_actions(AMBITION_2018)
    frame = read.frame
    assert len(frame) == 127 and set(frame["quarter_label"]) == {"Q2 2018/19"}
    assert set(frame["status"]) == {"no status"}  # seed 004 gives no status: none is made up
    homes = frame[frame["action"] == "Build new Council homes"].iloc[0]
    assert homes["objective"] == "Harrow homes for Harrow residents" and "86 new homes" in homes["progress"]
    assert (homes["cell_action"], homes["cell_progress"]) == ("Actions!B13", "Actions!F13")
    assert frame["action_id"].is_unique
    # the objective printed with progress but nothing under "What we will do": kept, and a finding
    issues = read.findings.groupby("issue")["cell"].apply(list).to_dict()
    assert issues["no_action_text"] == ["B19"] and len(issues["no_due_date"]) == 125
    assert frame.loc[frame["action"] == "", "objective"].tolist() == ["Deliver new schools and school places"]
    assert sorted(frame["due_end"].dropna()) == [T("2020-12-31"), T("2021-12-31")]


def test_a_row_without_action_text_is_kept_with_a_valid_key(tmp_path):
    rows = [("T", "", "", "March 2017", "", "Progress without an action"), ("T", "–", "", "", "", "")]
    read = read_actions(_workbook(tmp_path / "plan.xlsx", rows))
    assert len(read.frame) == 2 and read.frame["action_id"].str.match(r"^action-[0-9a-f]{6}$").all()
    assert list(read.findings.loc[read.findings["issue"] == "no_action_text", "cell"]) == ["B3"]


# Every dated phrase of seed 002, as printed, and what it means (worked out by hand).
SEED_002_DATES = {
    "by March 2012": ("2012-03-01", "2012-03-31", "month"),
    "by April 2011": ("2011-04-01", "2011-04-30", "month"),
    "by June 2011": ("2011-06-01", "2011-06-30", "month"),
    "by September 2011": ("2011-09-01", "2011-09-30", "month"),
    "in November 2011": ("2011-11-01", "2011-11-30", "month"),
    "from July 2011": ("2011-07-01", "2011-07-31", "month"),
    "before 31st March 2012": ("2012-03-31", "2012-03-31", "day"),
    "throughout 2011/12": ("2011-04-01", "2012-03-31", "financial year"),
    "in 2011": ("2011-01-01", "2011-12-31", "year"),
    "In 2010": ("2010-01-01", "2010-12-31", "year"),
    "on 25th October 2010": ("2010-10-25", "2010-10-25", "day"),
    "2011/2012": ("2011-04-01", "2012-03-31", "financial year"),
    "March 2012": ("2012-03-01", "2012-03-31", "month"),
}
_DATED = re.compile(r"(?:\b(?:by|before|in|In|from|throughout|on)\s+)?(?:\d{1,2}(?:st|nd|rd|th)\s+)?"
                    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                    r"\s+)?\b(?:19|20)\d{2}(?:/\d{2,4})?\b")


def test_every_dated_phrase_in_seed_002_parses():
    phrases = {match.group(0) for match in _DATED.finditer(SEED_002)}
    # bare years in prose ("2011 the year of the Community Debate", "since 2009") are years too
    expected = dict(SEED_002_DATES, **{"2011": ("2011-01-01", "2011-12-31", "year"),
                                      "2009": ("2009-01-01", "2009-12-31", "year")})
    assert phrases <= set(expected) and phrases >= set(SEED_002_DATES) - {"March 2012"}
    for phrase in phrases:
        when = parse_when(phrase)
        start, end, kind = expected[phrase]
        assert (when.start, when.end, when.kind) == (T(start), T(end), kind), phrase


# --------------------------------------------------------------------------- openpyxl-built variants


def _workbook(path, rows, header=("Theme", "Action", "Lead", "Due", "Status", "Progress"), above=(("Quarter",
              "Q3 2016/17"),), fills=None, sheet="Plan"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for line in above:
        worksheet.append(list(line))
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    for address, colour in (fills or {}).items():
        worksheet[address].fill = PatternFill(fill_type="solid", fgColor=colour)
    workbook.save(path)
    return path


def test_statuses_as_words_codes_and_fills(tmp_path):
    rows = [("T", f"Action {n}", "", "March 2017", status, "p") for n, status in
            enumerate(["Complete", "on track", "Amber", "HR", "", "Not started", "", "LG", "Maybe"])]
    path = _workbook(tmp_path / "plan.xlsx", rows, fills={"E7": "FF0000", "E3": "00B050"})
    read = read_actions(path)
    frame = read.frame
    assert list(frame["status"]) == ["complete", "on track", "at risk", "off track", "off track", "not started",
                                     "no status", "on track", "no status"]
    assert list(frame["status_read_from"]) == ["words", "words", "code", "code", "fill", "words", "", "code", ""]
    assert list(frame["status_source"]) == ["given"] * 6 + ["", "given", ""]
    unknown = read.findings[read.findings["issue"] == "unknown_status"]
    assert list(unknown["cell"]) == ["E11"] and list(unknown["text"]) == ["Maybe"]
    assert frame["status_text"].iloc[-1] == "Maybe"  # kept as given
    assert set(frame["quarter_label"]) == {"Q3 2016/17"}


def test_due_dates_in_every_form(tmp_path):
    rows = [("T", "A1", "", dt.datetime(2017, 3, 31), "", ""), ("T", "A2", "", "Spring 2012", "", ""),
            ("T", "A3", "", "TBC", "", ""), ("T", "A4", "", "soon-ish", "", ""),
            ("T", "A5", "", "Q3 2016/17", "", ""), ("T", "A6", "", "", "", ""),
            ("T", "A7", "", "31/12/2016", "", "")]
    read = read_actions(_workbook(tmp_path / "plan.xlsx", rows))
    frame = read.frame.set_index("action")
    assert (frame.loc["A1", "due_end"], frame.loc["A1", "due_kind"]) == (T("2017-03-31"), "day")
    assert (frame.loc["A2", "due_start"], frame.loc["A2", "due_end"], frame.loc["A2", "due_kind"]) == \
        (T("2012-03-01"), T("2012-05-31"), "season")
    assert pd.isna(frame.loc["A3", "due_end"]) and frame.loc["A3", "due_text"] == "TBC"
    assert pd.isna(frame.loc["A4", "due_end"]) and frame.loc["A4", "due_text"] == "soon-ish"
    assert (frame.loc["A5", "due_start"], frame.loc["A5", "due_end"]) == (T("2016-10-01"), T("2016-12-31"))
    assert frame.loc["A7", "due_end"] == T("2016-12-31")
    issues = read.findings.set_index("cell")["issue"].to_dict()
    assert issues == {"D5": "no_due_date", "D6": "unreadable_due_date", "D8": "no_due_date"}


def test_duplicates_are_kept_and_listed(tmp_path):
    rows = [("T", "Build homes", "", "2019", "", "a"), ("T", "Build  homes", "", "2019", "", "b"),
            ("U", "Build homes", "", "2019", "", "c")]
    read = read_actions(_workbook(tmp_path / "plan.xlsx", rows))
    assert len(read.frame) == 3
    duplicate = read.findings[read.findings["issue"] == "duplicate_action"]
    assert list(duplicate["cell"]) == ["B4"]  # same theme and words; another theme is another action


def test_header_words_councils_use_and_a_quarter_column(tmp_path):
    header = ("Objective", "What we will do", "Owner", "Deadline", "RAG", "Progress so far", "Quarter")
    rows = [("Homes", "Build 86 homes", "Housing", "March 2019", "G", "On site", "Q2 2018/19"),
            ("Homes", "Build 86 homes", "Housing", "March 2019", "A", "Delayed", "Q3 2018/19")]
    read = read_actions(_workbook(tmp_path / "plan.xlsx", rows, header=header, above=()))
    frame = read.frame
    assert list(frame["quarter_label"]) == ["Q2 2018/19", "Q3 2018/19"]
    assert list(frame["objective"]) == ["Homes", "Homes"] and list(frame["lead"]) == ["Housing", "Housing"]
    assert list(frame["status"]) == ["on track", "at risk"]
    assert read.findings[read.findings["issue"] == "duplicate_action"].empty  # different quarters


def test_commentary_sheet_variant(tmp_path):
    path = tmp_path / "comments.xlsx"
    _workbook(path, [("Business", "Staff sickness", "Lowest absence in a year.")],
              header=("Theme", "Indicator", "Comment"), above=(("Commentary for Q2 2016/17",),))
    read = read_actions(path)
    assert read.frame.empty
    row = read.commentary.iloc[0]
    assert (row["measure"], row["commentary"], row["quarter_label"], row["cell_commentary"]) == \
        ("Staff sickness", "Lowest absence in a year.", "Q2 2016/17", "Plan!C3")


def test_no_table_is_a_clear_error(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", [("a", "b")], header=("Name", "Value"), above=())
    with pytest.raises(ActionsError, match=r"x\.xlsx: no actions table"):
        read_actions(path)
    with pytest.raises(ActionsError, match="not a financial quarter"):
        read_actions(AMBITION, quarter="autumn")


def test_the_schema_refuses_a_status_off_the_scale():
    frame = read_actions(AMBITION).frame
    with pytest.raises(Exception, match="isin"):
        validate_actions(frame.assign(status="fine"))
    with pytest.raises(Exception, match="given or inferred"):
        validate_actions(frame.assign(status="complete"))


def test_action_id_is_stable_and_ignores_spacing():
    assert action_id("T", "Build  homes ") == action_id("t", "build homes")
    assert action_id("T", "Build homes") != action_id("U", "Build homes")


# --------------------------------------------------------------------------- parsers (hypothesis)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@given(st.integers(1990, 2060), st.integers(1, 12), st.sampled_from(["", "by ", "By ", "before ", "end of "]))
def test_a_month_is_its_first_to_last_day(year, month, lead):
    when = parse_when(f"{lead}{MONTHS[month - 1]} {year}")
    assert when.kind == "month" and when.start == T(year=year, month=month, day=1)
    assert when.end == when.start + pd.offsets.MonthEnd(0)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))
def test_a_day_in_words_and_in_figures(day):
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    for text in (f"{day.day}{suffix} {MONTHS[day.month - 1]} {day.year}", day.strftime("%d/%m/%Y")):
        when = parse_when(text)
        assert (when.start, when.end, when.kind) == (T(day), T(day), "day")


@given(st.integers(1990, 2060), st.sampled_from(["Spring", "Summer", "Autumn", "Winter"]))
def test_a_season_spans_three_months(year, season):
    when = parse_when(f"{season} {year}")
    assert when.kind == "season" and when.start.year == year
    assert len(pd.period_range(when.start, when.end, freq="M")) == 3


@given(st.text(max_size=40))
def test_any_text_gives_a_period_or_none(text):
    when = parse_when(text)
    assert when is None or when.start <= when.end


@given(st.sampled_from([(status, word) for status, words in conventions.settings().actions.status.words.items()
                        for word in words]), st.sampled_from([str.upper, str.lower, str.title, lambda s: f" {s} "]))
def test_every_status_word_in_any_case(pair, dress):
    status, word = pair
    assert status_of(dress(word))[0] == status


@given(st.text(max_size=20), st.sampled_from(["", "FF0000", "00B050", "FFC000", "FFFFFF", "zz"]))
def test_any_status_cell_is_on_the_scale_or_unknown(text, fill):
    read = status_of(text, fill)
    assert read is None or read[0] in conventions.settings().actions.status.scale


# --------------------------------------------------------------------------- commentary -> scorecard measures


def _scorecard():
    from harrowperf.read.catalogue import apply
    from harrowperf.read.scorecard import read_scorecard

    return apply(read_scorecard(RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx").frame)


def test_every_key_challenge_links_to_its_scorecard_measure():
    scorecard = _scorecard()
    linked = link_commentary(read_actions(AMBITION).commentary, scorecard)
    assert linked.findings.empty
    assert linked.frame["on_scorecard"].all()
    # the link is the measure of the same name on the scorecard, in the same theme
    q2 = scorecard[scorecard["period_label"] == "Q2 2016/17"].set_index("measure_id")
    for _, row in linked.frame.iterrows():
        assert q2.loc[row["measure_id"], "measure"] == row["measure"]
        assert q2.loc[row["measure_id"], "theme"] == row["theme"]


def test_commentary_for_a_measure_not_on_the_scorecard_is_a_finding(tmp_path):
    path = tmp_path / "comments.xlsx"
    _workbook(path, [("Business", "Staff sickness - average days per FTE excluding schools", "Lower."),
                     ("Business", "Potholes filled within 24 hours", "Weather.")],
              header=("Theme", "Measure", "Commentary"), above=(("Quarter", "Q2 2016/17"),))
    linked = link_commentary(read_actions(path).commentary, _scorecard())
    assert list(linked.frame["on_scorecard"]) == [True, False]
    assert list(linked.frame["measure_id"]) == ["staff-sickness-days", ""]
    finding = linked.findings.iloc[0]
    assert (finding["issue"], finding["cell"], finding["source"]) == \
        ("commentary_measure_not_on_scorecard", "B4", "comments.xlsx")
    # a known measure in a quarter the scorecard does not have is not on the scorecard either
    later = link_commentary(read_actions(path, quarter=None).commentary.assign(
        quarter=pd.Period("2019Q1", "Q-MAR"), quarter_label="Q1 2018/19"), _scorecard())
    assert not later.frame["on_scorecard"].any() and len(later.findings) == 2


# --------------------------------------------------------------------------- any cells: rows and findings, no traceback

_CELL = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["TBC", "Spring 2012", "HG", "–", "=A1", "  "]),
                  st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)).map(
                      lambda d: dt.datetime(d.year, d.month, d.day)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*[_CELL] * 6), min_size=1, max_size=6))
def test_any_cells_give_every_row_or_a_finding_never_a_traceback(tmp_path, rows):
    def clean(value):  # what openpyxl can store: no control characters in text
        return "".join(ch for ch in value if ch.isprintable()) if isinstance(value, str) else value

    rows = [tuple(clean(value) for value in row) for row in rows]
    path = _workbook(tmp_path / "any.xlsx", rows)
    read = read_actions(path)
    validate_actions(read.frame)
    shown = [row for row in rows if any(str(v).strip() for v in row if v is not None)]
    # every row with something in a table column is kept (nothing dropped), whatever its cells hold
    assert len(read.frame) == len(shown)
    assert set(read.findings["severity"]) <= {"info", "warning"}


def test_a_plan_with_a_header_and_no_rows_is_empty_and_a_year_out_of_range_is_unreadable(tmp_path):
    empty = read_actions(_workbook(tmp_path / "empty.xlsx", []))  # found by the test above: was "no table"
    assert empty.frame.empty and list(empty.frame.columns) == ACTION_COLUMNS and empty.findings.empty
    slips = [("T", "A", "", 1000, "", ""), ("T", "B", "", "20199", "", "")]
    read = read_actions(_workbook(tmp_path / "slip.xlsx", slips))
    assert read.frame["due_end"].isna().all() and list(read.frame["due_text"]) == ["1000", "20199"]
    assert list(read.findings["issue"]) == ["unreadable_due_date"] * 2 and list(read.findings["cell"]) == ["D3", "D4"]

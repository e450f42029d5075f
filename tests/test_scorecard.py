"""read_scorecard: the real seed-003 tables, every layout variant, bad input, and the cell accounting."""

import math
import re

import pandas as pd
import pytest
from conftest import RAW, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Color, PatternFill
from workbooks import build, header_rows, simple_scorecard

import harrowperf as hp
from harrowperf.foundation.schema import validate_scorecard
from harrowperf.read.cells import read_cells
from harrowperf.read.scorecard import FRAME_COLUMNS, read_scorecard

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
SEED_TEXT = (ROOT / "tests" / "fixtures" / "seeds" / "003_405e00269b3432ab.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def seed():
    return read_scorecard(SEED_WORKBOOK)


def obs(frame, sheet, ref, quarter):
    rows = frame[(frame["sheet"] == sheet) & (frame["measure_ref"] == ref) & (frame["period_label"] == quarter)]
    assert len(rows) == 1, (sheet, ref, quarter, len(rows))
    return rows.iloc[0]


def nan(x):
    return isinstance(x, float) and math.isnan(x)


# --- the real seed tables ----------------------------------------------------

def test_seed_frame_shape_and_schema(seed):
    frame = seed.frame
    assert list(frame.columns) == FRAME_COLUMNS
    assert len(frame) == 249  # 83 measures x 3 quarter column groups, reported or not
    assert frame.groupby("sheet")["measure_id"].nunique().to_dict() == {
        "Better Harrow": 44, "Business": 25, "Vulnerable": 14}
    validate_scorecard(frame)
    assert set(frame["period"].astype(str)) == {"2016Q2", "2017Q1", "2017Q2"}
    assert seed.findings.empty, seed.findings.to_string()


def test_seed_themes_come_from_the_title_above_each_table(seed):
    themes = seed.frame.groupby("sheet")["theme"].unique().to_dict()
    assert themes == {"Better Harrow": ["Build a better Harrow"],
                      "Business": ["Be more business-like and business friendly"],
                      "Vulnerable": ["Protect the most vulnerable and support families"]}


# (sheet, ref, quarter, the row's seed text fragment, expected fields)
SPOT_CHECKS = [
    ("Business", "1", "Q2 2015/16", "1 Reduction in vacancy rates in Harrow Town Centre\tLower\t9.25%\t7.49%\tHG",
     dict(polarity="lower", target=9.25, actual=7.49, rag="HG", unit="%", target_kind="point")),
    ("Business", "3", "Q1 2016/17", "Higher\t13-15%\t10%\tHR\t13-15%\t14%\tG",
     dict(target_low=13.0, target_high=15.0, target_kind="range", actual=14.0, rag="G")),
    ("Business", "3", "Q2 2016/17", "13-15%\t12%\tLR", dict(actual=12.0, rag="LR")),
    ("Business", "4", "Q2 2015/16", "Higher\t\tReports in Q4 only", dict(status_note="Reports in Q4 only",
                                                                          actual_text="Reports in Q4 only")),
    ("Business", "6", "Q1 2016/17", "[60%]\t56%\tNote 1", dict(target=60.0, target_kind="annual", actual=56.0,
                                                              status_note="Note 1")),
    ("Business", "11", "Q2 2015/16", "Higher\t90%\t94%\tLG", dict(target=90.0, actual=94.0, rag="LG")),
    ("Business", "13", "Q2 2016/17", "01:30\t02:31\tHR", dict(target=90.0, actual=151.0, rag="HR", unit="s")),
    ("Business", "19", "Q1 2016/17", "-10%\t-21%\tHG", dict(target=-10.0, actual=-21.0, rag="HG")),
    ("Business", "21", "Q2 2016/17", "33,000\t35,582\tHG", dict(target=33000.0, actual=35582.0, rag="HG")),
    ("Business", "25", "Q2 2016/17", "8.18\t8.84\tLR", dict(target=8.18, actual=8.84, rag="LR")),
    ("Business", "26", "Q2 2016/17", "-\t21%\tNote 2", dict(target_kind="none", actual=21.0,
                                                           status_note="Note 2")),
    ("Business", "33", "Q2 2016/17", "58.5%\t56.48%\tA", dict(target=58.5, actual=56.48, rag="A")),
    ("Vulnerable", "1", "Q1 2016/17", "7-15%\t11.90%\tHG", dict(target_low=7.0, target_high=15.0, actual=11.9,
                                                              rag="HG")),
    ("Vulnerable", "2", "Q1 2016/17", "BL\t8", dict(target_kind="baseline", actual=8.0, status_note="Note 1")),
    ("Vulnerable", "2", "Q2 2015/16", "Lower\t\t\tNone", dict(status_note="None")),
    ("Vulnerable", "3", "Q2 2015/16", "Year on year reduction\t42.5% (62/146)\tHG",
     dict(target_kind="yoy_reduction", actual=42.5, numerator=62.0, denominator=146.0, rag="HG",
          period_covered="Oct 12 to Sep 13")),
    ("Vulnerable", "3", "Q2 2016/17", "43.3% (58/134)\tA", dict(numerator=58.0, denominator=134.0,
                                                               period_covered="Oct 13 to Sept 14")),
    ("Vulnerable", "4", "Q2 2016/17", "83 (353)\tHG", dict(actual=83.0, secondary=353.0, rag="HG",
                                                          period_covered="Apr 15 to Mar 16")),
    ("Vulnerable", "5", "Q2 2016/17", "510\tNo target", dict(actual=510.0, target_kind="none",
                                                             status_note="No target; Note 2")),
    ("Vulnerable", "12", "Q2 2015/16", "Lower\t3.4\t2.24\tHG", dict(target=3.4, actual=2.24, rag="HG")),
    ("Vulnerable", "12", "Q1 2016/17", "12th to 20th in London\t5.86 (28th)\tHR",
     dict(target_kind="rank_range", target_low=12.0, target_high=20.0, actual=5.86, rank=28.0, rag="HR")),
    ("Vulnerable", "19", "Q1 2016/17", "80%\t84.1%\tHG", dict(target=80.0, actual=84.1, rag="HG")),
    ("Vulnerable", "22", "Q1 2016/17", "[65%]\t60%\tNote 3", dict(target=60.0 + 5, target_kind="annual",
                                                                  actual=60.0, status_note="Note 3")),
    ("Better Harrow", "5", "Q2 2015/16", "Higher\t98.5%\t99.9%\tLG", dict(target=98.5, actual=99.9, rag="LG")),
    ("Better Harrow", "13", "Q2 2015/16", "Lower\t2%\t2.50%\tHR", dict(target=2.0, actual=2.5, rag="HR")),
    ("Better Harrow", "37", "Q1 2016/17", "270\t390\tHG\t0\t0\tHG", dict(target=0.0, actual=0.0, rag="HG")),
    ("Better Harrow", "48", "Q2 2016/17", "1100\t1059\t\tA", dict(target=1100.0, actual=1059.0, rag="A",
                                                                 unit="count")),
    ("Better Harrow", "52", "Q2 2016/17", "No actual", dict(status_note="No actual; Note 7")),
    ("Better Harrow", "65", "Q1 2016/17", "In range\t0.9-1.1\t0.98\tG",
     dict(polarity="in_range", target_low=0.9, target_high=1.1, actual=0.98, rag="G", unit="ratio")),
    ("Better Harrow", "23", "Q1 2016/17", "286\tNo target", dict(actual=286.0, status_note="No target")),
]


@pytest.mark.parametrize("sheet, ref, quarter, seed_text, expected", SPOT_CHECKS,
                         ids=[f"{s}-{r}-{q}" for s, r, q, *_ in SPOT_CHECKS])
def test_seed_observation_matches_seed_text(seed, sheet, ref, quarter, seed_text, expected):
    assert seed_text in SEED_TEXT  # the expectation is read off the real report
    row = obs(seed.frame, sheet, ref, quarter)
    for field, value in expected.items():
        assert row[field] == pytest.approx(value) if isinstance(value, float) else row[field] == value, field


def test_seed_provenance_points_at_the_cell_holding_the_text(seed):
    cells = read_cells(SEED_WORKBOOK)
    text_at = {f"{s}!{a}": t for s, a, t in zip(cells["sheet"], cells["address"], cells["text"], strict=True)}
    frame = seed.frame
    for part in ("target", "actual", "rag"):
        given = frame[frame[f"cell_{part}"] != ""]
        shown = given[f"cell_{part}"].map(lambda ref: text_at.get(ref, ""))
        assert (shown == given[f"{part}_text"]).all(), part


def test_every_non_empty_cell_of_the_seed_workbook_is_accounted_for(seed):
    cells = read_cells(SEED_WORKBOOK)
    non_empty = cells[cells["text"].str.strip() != ""]
    roles = dict(zip(seed.layout["sheet"] + "!" + seed.layout["cell"], seed.layout["role"], strict=True))
    keys = non_empty["sheet"] + "!" + non_empty["address"]
    assert keys.isin(roles).all(), keys[~keys.isin(roles)].tolist()
    counted = pd.Series([roles[k] for k in keys]).value_counts().to_dict()
    # 671 observation cells (target, actual, RAG incl. the 5 lines under a measure): tools/transcribe_seed003.py
    assert counted["target"] + counted["actual"] + counted["rag"] + counted["qualifier"] == 671
    assert counted["measure"] == 83 + 3  # three measures in the Vulnerable second block have a number column
    assert counted["footnote"] == 7
    assert "unparsed" not in counted


# --- layout variants -----------------------------------------------------------

def test_title_rows_and_repeated_header_blocks(tmp_path):
    rows = [["Be more business-like and business friendly"], ["Corporate Scorecard 2016/17"], [],
            *header_rows(["Q1 2016/17", "Q2 2016/17"]),
            ["1 First measure", "Higher", "10", "12", "HG", "10", "9", "LR"],
            [],
            *header_rows(["Q1 2016/17", "Q2 2016/17"]),
            ["2 Second measure", "Lower", "5", "4", "HG", "5", "6", "HR"],
            [],
            ["Note 1: Annual target - performance to be assessed at Q4"]]
    result = read_scorecard(build(tmp_path / "t.xlsx", {"Sheet A": rows}))
    frame = result.frame
    assert len(frame) == 4
    assert set(frame["theme"]) == {"Be more business-like and business friendly"}
    assert obs(frame, "Sheet A", "2", "Q2 2016/17")["rag"] == "HR"
    assert result.notes["text"].tolist() == ["Note 1: Annual target - performance to be assessed at Q4"]
    assert result.findings.empty


def test_theme_falls_back_to_the_sheet_name(tmp_path):
    rows = [*header_rows(["Q1 2016/17"]), ["1 A measure", "Higher", "10", "12", "HG"]]
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"Housing": rows})).frame
    assert frame["theme"].tolist() == ["Housing"]


def test_a_new_title_between_blocks_starts_a_new_theme(tmp_path):
    rows = [["Theme one"], *header_rows(["Q1 2016/17"]), ["1 A", "Higher", "1", "2", "HG"], [],
            ["Theme two"], ["Corporate Scorecard 2016/17"], *header_rows(["Q1 2016/17"]),
            ["1 B", "Higher", "1", "2", "HG"]]
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows})).frame
    assert frame.set_index("measure")["theme"].to_dict() == {"A": "Theme one", "B": "Theme two"}


def test_values_stored_as_excel_numbers_with_formats(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"]),
            ["1 Vacancy rate", "Lower", 0.0925, 0.0749, "HG"],
            ["2 Logins", "Higher", 33000, 35582, "HG"],
            ["3 Speed to answer (min:sec)", "Lower", 90 / 86400, 131 / 86400, "HR"]]
    formats = {"S": {"C4": "0.00%", "D4": "0.00%", "C5": "#,##0", "D5": "#,##0", "C6": "mm:ss", "D6": "mm:ss"}}
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}, formats=formats)).frame
    by_ref = frame.set_index("measure_ref")
    assert by_ref.loc["1", ["target", "actual"]].tolist() == [9.25, 7.49]
    assert by_ref.loc["1", "actual_text"] == "7.49%" and by_ref.loc["1", "unit"] == "%"
    assert by_ref.loc["2", ["target", "actual"]].tolist() == [33000, 35582]
    assert by_ref.loc["2", "actual_text"] == "35,582"
    assert by_ref.loc["3", ["target", "actual"]].tolist() == [90, 131]
    assert by_ref.loc["3", "actual_text"] == "02:11" and by_ref.loc["3", "unit"] == "s"


@pytest.mark.parametrize("stored, number_format, text, issues", [
    (1234, "0.00E+00", "1.23E+03", ["number_shown_as_text"]),      # the grammar has no scientific text
    (1.5, "# ?/?", "1 1/2", ["number_shown_as_text"]),             # nor fractions: the stored number is read
    (1234.5, "[$£-809]#,##0.00", "£1,234.50", []),                 # the locale tag's "£" is shown and read
    (0.5, "[>=1]0.0;0.00", "0.50", []),                            # the condition sends 0.5 to the second section
    (25000, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"', "25.0k", []),
])
def test_a_stored_number_under_a_scientific_fraction_currency_or_conditional_format(tmp_path, stored, number_format,
                                                                                     text, issues):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 Count", "Higher", 1, stored, "HG"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}, formats={"S": {"D4": number_format}}))
    row = result.frame.iloc[0]
    assert row["actual_text"] == text and row["actual"] == stored
    assert result.findings["issue"].tolist() == issues


def test_stored_precision_is_kept_beyond_the_displayed_rounding(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 Rate", "Higher", 0.5, 0.074912, "HG"]]
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows},
                                    formats={"S": {"C4": "0%", "D4": "0.00%"}})).frame
    assert frame["actual_text"].iloc[0] == "7.49%"
    assert frame["actual"].iloc[0] == pytest.approx(7.4912)


def _rag_fill_workbook(tmp_path, fill: PatternFill, text=None):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A measure", "Higher", "10", "12", text]]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "S"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    sheet["E4"].fill = fill
    path = tmp_path / "fill.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("fill, expected", [
    (PatternFill("solid", fgColor="FF00B050"), "HG"),
    (PatternFill("solid", fgColor="FF92D050"), "LG"),
    (PatternFill("solid", fgColor="FFFFC000"), "A"),
    (PatternFill("solid", fgColor="FFFFC7CE"), "LR"),
    (PatternFill("solid", fgColor="FFFF0000"), "HR"),
    # openpyxl writes the Office 2007 theme: accent2 C0504D red, accent3 9BBB59 green, accent6 F79646 orange
    (PatternFill("solid", fgColor=Color(theme=6, tint=0.0)), "HG"),
    (PatternFill("solid", fgColor=Color(theme=6, tint=0.6)), "LG"),   # the same green, lightened
    (PatternFill("solid", fgColor=Color(theme=5, tint=0.0)), "HR"),
    (PatternFill("solid", fgColor=Color(theme=9, tint=0.0)), "A"),
    (PatternFill("solid", fgColor=Color(indexed=10)), "HR"),          # legacy palette red
])
def test_rag_given_only_by_fill(tmp_path, fill, expected):
    frame = hp.read_scorecard(_rag_fill_workbook(tmp_path, fill)).frame
    assert frame["rag"].iloc[0] == expected
    assert frame["rag_source"].iloc[0] == "fill"


def test_grey_fill_is_not_a_rag(tmp_path):
    frame = hp.read_scorecard(_rag_fill_workbook(tmp_path, PatternFill("solid", fgColor="FFD9D9D9"))).frame
    assert pd.isna(frame["rag"].iloc[0])


def test_text_wins_over_a_disagreeing_fill_and_the_conflict_is_reported(tmp_path):
    result = hp.read_scorecard(_rag_fill_workbook(tmp_path, PatternFill("solid", fgColor="FFFF0000"), "HG"))
    frame = result.frame
    assert frame["rag"].iloc[0] == "HG" and frame["rag_source"].iloc[0] == "text"
    found = result.findings
    assert found[["cell", "issue"]].values.tolist() == [["E4", "rag_text_fill_conflict"]]


def test_conditional_format_fill_is_read(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A", "Higher", "10", "12", "HG"],
            ["2 B", "Higher", "10", "5", "HG"]]
    path = build(tmp_path / "cf.xlsx", {"S": rows})
    from openpyxl import load_workbook
    workbook = load_workbook(path)
    workbook["S"].conditional_formatting.add(
        "E4:E5", CellIsRule(operator="equal", formula=['"HG"'], fill=PatternFill(bgColor="FF00B050")))
    workbook["S"].conditional_formatting.add(
        "D5", CellIsRule(operator="lessThan", formula=["6"], fill=PatternFill(bgColor="FFFF0000")))
    workbook.save(path)
    cells = read_cells(path).set_index("address")
    assert cells.loc["E4", "fill"] == "00B050" and cells.loc["D5", "fill"] == "FF0000"
    assert cells.loc["D4", "fill"] == ""
    assert hp.read_scorecard(path).findings.empty  # fills agree with the text


def test_qualifier_row_belongs_to_the_measure_above(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17", "Q2 2016/17"]),
            ["3 Re-offending", "Lower", "Year on year reduction", "44.9% (66/147)", "A",
             "Year on year reduction", "43.3% (58/134)", "A"],
            [None, None, None, "Jul 13 to Jun 14", None, None, "Oct 13 to Sept 14", "Note 1"],
            ["4 Next", "Lower", "1", "2", "HR", "1", "1", "LG"]]
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows})).frame
    first = frame[frame["measure_ref"] == "3"].set_index("period_label")
    assert first.loc["Q1 2016/17", "period_covered"] == "Jul 13 to Jun 14"
    assert first.loc["Q2 2016/17", "period_covered"] == "Oct 13 to Sept 14"
    assert first.loc["Q2 2016/17", "status_note"] == "Note 1"
    assert frame[frame["measure_ref"] == "4"]["period_covered"].isna().all()


def test_measure_number_in_its_own_column(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"], measure_cols=2), [19, "% clients living independently",
                                                                  "Higher", "80%", "84.1%", "HG"]]
    frame = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows})).frame
    assert frame[["measure_ref", "measure", "actual"]].values.tolist() == [
        ["19", "% clients living independently", 84.1]]


def test_measure_without_number(tmp_path):
    frame = hp.read_scorecard(simple_scorecard(tmp_path / "t.xlsx", [["Staff turnover", "Lower", "20%", "10.1%",
                                                                     "HG", "20%", "10.3%", "HG"]])).frame
    assert frame["measure_ref"].tolist() == ["", ""]
    assert frame["measure_id"].iloc[0] == "staff-turnover"


def test_group_with_nothing_reported_still_gives_a_row(tmp_path):
    frame = hp.read_scorecard(simple_scorecard(tmp_path / "t.xlsx", [["1 A", "Higher", None, None, None,
                                                                     "5", "6", "HG"]])).frame
    assert len(frame) == 2
    empty = frame[frame["period_label"] == "Q1 2016/17"].iloc[0]
    assert nan(empty["actual"]) and empty["target_kind"] == "none" and pd.isna(empty["rag"])


# --- problems are reported, not hidden -----------------------------------------

def test_unparsed_cell_is_kept_and_listed(tmp_path):
    result = hp.read_scorecard(simple_scorecard(tmp_path / "t.xlsx", [["1 A", "Higher", "10%", "about half",
                                                                      "HG", "10%", "11%", "HG"]]))
    frame = result.frame
    row = frame[frame["period_label"] == "Q1 2016/17"].iloc[0]
    assert row["actual_text"] == "about half" and nan(row["actual"])
    found = result.findings
    assert found[["sheet", "cell", "issue", "text"]].values.tolist() == [
        ["Business", "D6", "unparsed_value", "about half"]]


def test_cells_outside_the_table_are_listed(tmp_path):
    result = hp.read_scorecard(simple_scorecard(tmp_path / "t.xlsx", [["1 A", "Higher", "10", "11", "HG", "10",
                                                                      "11", "HG", "stray comment"]]))
    found = result.findings
    assert found[["cell", "issue"]].values.tolist() == [["I6", "cell_outside_table"]]


def test_duplicate_measures_are_kept_and_reported(tmp_path):
    result = hp.read_scorecard(simple_scorecard(tmp_path / "t.xlsx", [["1 A", "Higher", "10", "11", "HG", "10",
                                                                      "11", "HG"],
                                                                     ["1 A", "Higher", "10", "9", "LR", "10",
                                                                      "9", "LR"]]))
    frame = result.frame
    assert len(frame) == 4
    assert set(result.findings["issue"]) == {"duplicate_measure"}


def test_missing_rag_column_is_reported(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"], parts=("Target", "Actual")), ["1 A", "Higher", "10", "12"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    frame = result.frame
    assert frame["actual"].tolist() == [12.0] and frame["rag"].isna().all()
    assert "missing_rag_column" in set(result.findings["issue"])


def test_bad_polarity_names_the_cell(tmp_path):
    path = simple_scorecard(tmp_path / "bad.xlsx", [["1 A", "Maybe", "10", "11", "HG", "10", "11", "HG"]])
    with pytest.raises(hp.ScorecardError, match=r"bad\.xlsx, sheet 'Business', cell B6: 'Good =' value 'Maybe'"):
        hp.read_scorecard(path)


def test_sheet_without_a_header_block(tmp_path):
    path = build(tmp_path / "none.xlsx", {"Notes": [["Just some notes"], ["and more"]]})
    with pytest.raises(hp.ScorecardError, match=r"none\.xlsx: no scorecard header block"):
        hp.read_scorecard(path)
    with pytest.raises(hp.ScorecardError, match=r"sheet 'Notes'"):
        hp.read_scorecard(path, sheets=["Notes"])


def test_other_sheets_are_skipped_and_listed(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A", "Higher", "10", "12", "HG"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows, "About": [["Source: a report"]]}))
    found = result.findings
    assert found[["sheet", "issue"]].values.tolist() == [["About", "sheet_skipped"]]


def test_quarter_labels_without_subheaders(tmp_path):
    rows = [["T"], ["Measure", "Good =", "Q1 2016/17"], ["1 A", "Higher", "10"]]
    with pytest.raises(hp.ScorecardError, match=r"cell B2: .*no 'Target \| Actual \| RAG Status'"):
        hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))


def test_formula_without_cached_value(tmp_path):
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A", "Higher", "10", "=5+7", "HG"]]
    with pytest.raises(hp.ScorecardError, match=r"sheet 'S', cell D4: formula =5\+7 has no saved result"):
        hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))


def test_not_a_workbook(tmp_path):
    path = tmp_path / "scorecard.xlsx"
    path.write_text("measure,target,actual\n")
    with pytest.raises(hp.ScorecardError, match=r"scorecard\.xlsx: this file is a CSV or text file"):
        hp.read_scorecard(path)


# --- nothing is lost: a property over arbitrary cell text -------------------------

printable = st.characters(blacklist_categories=("Cc", "Cs"))
cell_text = st.one_of(st.text(printable, min_size=1, max_size=12).filter(
                          lambda t: t.strip() and not t.startswith("=")),
                      st.sampled_from(["7.49%", "13-15%", "[60%]", "HG", "Note 1", "-", "BL", "01:30"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cell_text, cell_text, cell_text), min_size=1, max_size=4))
def test_every_value_cell_is_parsed_or_listed(tmp_path, values):
    rows = [["T"], *header_rows(["Q1 2016/17"])]
    rows += [[f"{i + 1} Measure {i + 1}", "Higher", *triple] for i, triple in enumerate(values)]
    path = build(tmp_path / "prop.xlsx", {"S": rows})
    result = read_scorecard(path)
    cells = read_cells(path)
    value_cells = cells[(cells["row"] >= 4) & (cells["col"] >= 3) & (cells["text"].str.strip() != "")]
    roles = dict(zip(result.layout["cell"], result.layout["role"], strict=True))
    listed = set(result.findings["cell"])
    for address, text in zip(value_cells["address"], value_cells["text"], strict=True):
        assert roles.get(address) in {"target", "actual", "rag"} or address in listed, (address, text)
        if roles.get(address) == "unparsed":
            assert address in listed
    frame = result.frame
    assert len(frame) == len(values)
    shown = set(frame["target_text"]) | set(frame["actual_text"]) | set(frame["rag_text"])
    assert set(value_cells["text"].str.strip()) <= {t.strip() for t in shown}


def test_measure_slug_is_stable():
    from harrowperf.read.scorecard import measure_slug
    assert measure_slug("% of calls answered >600 seconds") == "pct-of-calls-answered-600-seconds"
    assert measure_slug("  Staff   Turnover ") == "staff-turnover"
    assert re.fullmatch(r"[a-z0-9-]+", measure_slug("Bed & Breakfast (snapshot)"))


@pytest.mark.parametrize("right_heading", [True, False])
def test_two_tables_side_by_side_are_read_as_two_tables(tmp_path, right_heading):
    # SYNTHETIC: two themes' tables on one sheet, A-H and J-Q, one blank column between them
    left = [["Be more business-like"], [], [], *header_rows(["Q1 2016/17", "Q2 2016/17"]),
            ["1 Reduction in vacancy rates", "Lower", "9.25%", "4.94%", "HG", "9.25%", "7.08%", "HG"],
            ["2 Calls answered", "Higher", "80%", "85%", "G", "80%", "70%", "R"]]
    right = [["Build a better Harrow"], [], [], *header_rows(["Q1 2016/17", "Q2 2016/17"]),
             ["5 Homes built", "Higher", "50", "60", "G", "50", "40", "R"],
             ["6 Recycling", "Higher", "50%", "43%", "HR", "50%", "38%", "HR"],
             ["7 Rent collected", "Higher", "98%", "99%", "G", "98%", "97%", "A"]]
    if not right_heading:  # no "Measure" heading over the right table's names: they are the column before "Good ="
        right[3][0] = None
    rows = [(left[i] if i < len(left) else []) + [None] * (9 - len(left[i] if i < len(left) else []))
            + (right[i] if i < len(right) else []) for i in range(len(right))]
    result = hp.read_scorecard(build(tmp_path / "side.xlsx", {"Scorecard": rows}))
    frame = result.frame
    got = list(zip(frame["theme"], frame["measure"], frame["period_label"], frame["actual_text"], frame["rag"],
                   frame["cell_actual"], strict=True))
    assert got == [
        ("Be more business-like", "Reduction in vacancy rates", "Q1 2016/17", "4.94%", "HG", "Scorecard!D6"),
        ("Be more business-like", "Reduction in vacancy rates", "Q2 2016/17", "7.08%", "HG", "Scorecard!G6"),
        ("Be more business-like", "Calls answered", "Q1 2016/17", "85%", "G", "Scorecard!D7"),
        ("Be more business-like", "Calls answered", "Q2 2016/17", "70%", "R", "Scorecard!G7"),
        ("Build a better Harrow", "Homes built", "Q1 2016/17", "60", "G", "Scorecard!M6"),
        ("Build a better Harrow", "Homes built", "Q2 2016/17", "40", "R", "Scorecard!P6"),
        ("Build a better Harrow", "Recycling", "Q1 2016/17", "43%", "HR", "Scorecard!M7"),
        ("Build a better Harrow", "Recycling", "Q2 2016/17", "38%", "HR", "Scorecard!P7"),
        ("Build a better Harrow", "Rent collected", "Q1 2016/17", "99%", "G", "Scorecard!M8"),
        ("Build a better Harrow", "Rent collected", "Q2 2016/17", "97%", "A", "Scorecard!P8"),
    ]
    assert result.findings.empty  # every cell of both tables is read


# --- layouts other councils use: no "Good =" column, one heading row, a table of past years -------------

def _observations(result) -> list[tuple]:
    frame = result.frame
    return list(zip(frame["measure_ref"], frame["measure"], frame["polarity"], frame["period_label"],
                    frame["target"], frame["actual"], frame["rag"], frame["cell_actual"], strict=True))


def test_a_table_without_a_good_column_is_read_with_its_polarity_unknown(tmp_path):
    rows = [["Corporate scorecard"], ["Ref", "Indicator", "Q1 2016/17", None, None],
            [None, None, "Target", "Actual", "RAG"], ["1", "Calls answered", "90%", "92%", "G"],
            ["2", "Missed bins", "50", "61", "R"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    assert _observations(result) == [
        ("1", "Calls answered", None, "Q1 2016/17", 90.0, 92.0, "G", "S!D4"),
        ("2", "Missed bins", None, "Q1 2016/17", 50.0, 61.0, "R", "S!D5")]
    assert result.findings[["cell", "issue"]].values.tolist() == [["B2", "no_polarity_column"]]
    assert result.frame["theme"].unique().tolist() == ["Corporate scorecard"]


def test_one_heading_row_naming_period_and_column_together(tmp_path):
    rows = [["Measure", "Good =", "Q1 2016/17 Target", "Q1 2016/17 Actual", "Q1 2016/17 RAG",
             "Target Q2 2016/17", "Actual - Q2 2016/17", "RAG Status: Q2 2016/17"],
            ["1 Calls answered", "Higher", "90%", "92%", "G", "90%", "85%", "A"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    assert _observations(result) == [
        ("1", "Calls answered", "higher", "Q1 2016/17", 90.0, 92.0, "G", "S!D2"),
        ("1", "Calls answered", "higher", "Q2 2016/17", 90.0, 85.0, "A", "S!G2")]
    assert result.findings.empty


def test_one_heading_row_with_a_period_that_is_not_one_lists_its_column(tmp_path):
    rows = [["Measure", "Good =", "Q1 2016/17 Target", "Q1 2016/17 Actual", "Q5 2016/17 Actual"],
            ["1 Calls answered", "Higher", "90", "92", "93"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    assert result.frame["actual"].tolist() == [92.0]
    listed = set(result.findings["cell"])
    assert {"E1", "E2"} <= listed  # the heading and its value, neither given to Q1
    assert "missing_rag_column" in set(result.findings["issue"])


def test_a_table_of_past_years_without_target_columns_reads_each_figure_as_the_actual(tmp_path):
    rows = [["Indicator", "2014/15", "2015/16", "2016/17"], ["Household waste recycled (%)", "39.1", "40.2", "41"],
            ["Fly-tipping incidents", "1,204", "1,310", None]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    frame = result.frame
    assert frame["frequency"].unique().tolist() == ["financial year"]
    got = list(zip(frame["measure"], frame["period_label"], frame["actual"], frame["cell_actual"], strict=True))
    waste = "Household waste recycled (%)"
    assert got[:4] == [(waste, "2014/15", 39.1, "S!B2"), (waste, "2015/16", 40.2, "S!C2"),
                       (waste, "2016/17", 41.0, "S!D2"), ("Fly-tipping incidents", "2014/15", 1204.0, "S!B3")]
    assert frame["target"].isna().all() and frame["actual"].isna().sum() == 1  # D3 is empty: no figure
    assert result.findings["issue"].tolist() == ["no_polarity_column"]


def test_a_good_column_table_still_needs_its_target_actual_headings(tmp_path):
    """With "Good =", period labels and no heading row under them stay an error (the layout is unclear)."""
    rows = [["Indicator", "Good =", "2014/15", "2015/16"], ["A", "Higher", "1", "2"]]
    with pytest.raises(hp.ScorecardError, match=r"cell B1: .*no 'Target \| Actual \| RAG Status'"):
        hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))


@given(st.sampled_from(["Q1 2016/17", "Q4 2019/20", "Apr-16", "Jul-Sep 2016", "2016/17", "2018", "Mar 2020"]),
       st.sampled_from(["Target", "Actual", "Outturn", "RAG", "RAG Status", "status", "ACTUAL"]),
       st.sampled_from([" ", " - ", ": ", " \u2013 ", "  "]), st.booleans())
def test_a_combined_heading_names_its_period_and_column_whichever_comes_first(period, word, separator, first):
    from harrowperf.foundation.periods import parse_period
    from harrowperf.read.scorecard import _period_of, combined_heading

    text = f"{word}{separator}{period}" if first else f"{period}{separator}{word}"
    span, part = combined_heading(text)
    assert span == _period_of(period)[0] and span is not None and parse_period(span.label) == span
    assert part == {"target": "target", "actual": "actual", "outturn": "actual"}.get(word.lower(), "rag")
    assert combined_heading(period) is None and combined_heading(word) is None


def test_a_month_among_years_in_a_heading_row_is_listed_not_read(tmp_path):
    rows = [["Indicator", "2014/15", "2015/16", "Apr-16", "2016/17 Actual"],
            ["Recycling (%)", "39", "40", "41", "42"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    assert result.frame["period_label"].tolist() == ["2014/15", "2015/16"]
    found = result.findings.set_index("cell")["issue"].to_dict()
    assert found["D1"] == "mixed_frequencies" and "D2" in found and "E2" in found  # values listed, never moved


@pytest.mark.parametrize("word, polarity", [
    ("Aim to Minimise", "lower"), ("Bigger is better", "higher"), ("\u2193", "lower"), ("MAXIMISE", "higher"),
    ("smaller  is better", "lower")])
def test_other_councils_words_for_good(tmp_path, word, polarity):
    path = simple_scorecard(tmp_path / "p.xlsx", [["1 A", word, "1", "2", "HG", "1", "2", "HG"]])
    assert hp.read_scorecard(path).frame["polarity"].unique().tolist() == [polarity]


def test_measure_names_that_start_like_a_heading_never_anchor_a_table(tmp_path):
    """'KPI 01: ...' is a measure, not a heading: a figure such as 2016 beside it must not start a table
    (it would cut the real one short and read rows again under a year)."""
    rows = [["KPI", "Q1 2016/17", None, None], [None, "Target", "Actual", "RAG"],
            ["KPI 01: Calls answered", "2000", "2016", "G"], ["KPI 02: Letters sent", "10", "12", "G"],
            ["Indicator 3 of the plan", "5", "4", "R"]]
    result = hp.read_scorecard(build(tmp_path / "t.xlsx", {"S": rows}))
    assert result.frame[["measure", "actual"]].values.tolist() == [
        ["KPI 01: Calls answered", 2016.0], ["KPI 02: Letters sent", 12.0], ["Indicator 3 of the plan", 4.0]]
    assert result.findings["issue"].tolist() == ["no_polarity_column"]

"""harrowperf.read.long: long history files (one row per indicator per period) through a mapping.

Real data: tests/fixtures/long/nyc_cpr_extract.csv (298 rows of nine New York City series, copied
unchanged; see SOURCE.md there) and the LGBF downloads in data/raw/benchmark/lgbf. Every other file here is
made up in the test (synthetic) to show one rule.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

import harrowperf as hp
from harrowperf.foundation.errors import LongFileError, SettingsError
from harrowperf.read.long import Periods, load_mapping, place_period, read_long, shipped_mappings

FIXTURES = ROOT / "tests" / "fixtures" / "long"
NYC = FIXTURES / "nyc_cpr_extract.csv"
LGBF = ROOT / "data" / "raw" / "benchmark" / "lgbf" / "LGBF_ScotDataReal_ISSpatialHub.csv"  # unchanged copies
LGBF_QUARTERLY = LGBF.with_name("Indicator_Data_Real_Quarterly.csv")


@pytest.fixture(scope="module")
def nyc():
    return read_long(NYC)


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


# ---------------------------------------------------------------------------------------------
# The NYC extract (real)
# ---------------------------------------------------------------------------------------------


def test_nyc_extract_counts_per_frequency(nyc):
    frame = nyc.frame
    # 216 monthly rows (DEP water main breaks 192, DHS call wait 24); 55 quarterly rows less NYPL's five
    # rows dated October; 27 annual rows less NYCHH's two rows dated October (SOURCE.md).
    assert frame["frequency"].value_counts().to_dict() == {"month": 216, "quarter": 50, "fiscal year": 25}
    assert frame["measure_id"].nunique() == 9
    per_measure = frame.groupby("measure_id").size()
    assert per_measure["water-main-breaks"] == 192
    assert per_measure["active-library-cards-000"] == 21
    assert per_measure["uninsured-patients-served"] == 8


def test_nyc_every_source_row_is_in_the_frame_or_a_finding(nyc):
    with NYC.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert len(rows) == 298
    in_frame = {int(cell[1:]) for cell in nyc.frame["cell_actual"]}  # "R17" -> row 17
    listed = nyc.findings[nyc.findings["cell"] != ""]
    in_findings = {int(cell[1:]) for cell in listed["cell"]}
    assert not in_frame & in_findings
    assert in_frame | in_findings == set(range(2, 300))


def test_nyc_periods_that_are_no_quarter_or_year_are_findings_never_moved(nyc):
    unplaced = nyc.findings[nyc.findings["issue"] == "unplaced_period"]
    assert unplaced["cell"].tolist() == ["B199", "B204", "B209", "B214", "B219", "B297", "B299"]
    assert unplaced["text"].tolist() == ["Oct 2013", "Oct 2014", "Oct 2015", "Oct 2016", "Oct 2017",
                                         "Oct 2016", "Oct 2017"]
    assert "not the last month of a quarter" in unplaced["message"].iloc[0]
    assert "its years end in June" in unplaced["message"].iloc[-1]
    # NYPL's Oct 2013 row (994) is not in the frame, and its Sep and Dec 2013 rows keep their own values
    library = nyc.frame[nyc.frame["measure_id"] == "active-library-cards-000"].set_index("period_label")
    assert 994 not in library["actual"].tolist()
    assert library.loc["Jul-Sep 2013", "actual"] == 983 and library.loc["Oct-Dec 2013", "actual"] == 948


def test_nyc_polarity_from_direction(nyc):
    polarity = nyc.frame.drop_duplicates("measure_id").set_index("measure_id")["polarity"]
    assert polarity["water-main-breaks"] == "lower"  # Down
    assert polarity["hires-through-nyc-business-solutions-centers"] == "higher"  # Up
    assert pd.isna(polarity["active-library-cards-000"])  # "*": no desired direction
    assert pd.isna(polarity["refuse-collection-cost-per-ton"])
    assert polarity.notna().sum() == 6


def test_nyc_values_spot_checked_against_the_file(nyc):
    frame = nyc.frame.set_index("cell_actual")
    # original line 2: "1",Jul 2002,"DEP","Water main breaks",22,...,"Down","Monthly",2002-07-01,...,22,"ts"
    first = frame.loc["R2"]
    assert (first["measure"], first["theme"], first["actual"], first["period_label"]) == \
        ("Water main breaks", "DEP", 22.0, "Jul 2002")
    assert (first["period_start"], first["period_end"]) == (pd.Timestamp("2002-07-01"), pd.Timestamp("2002-07-31"))
    assert first["period"] == pd.Period("2003Q2", "Q-MAR") and first["cell_measure"] == "D2"
    # original line 4634: Apr 2009,"DHS","Average call wait time (in seconds)",NA (observed),...,162 (val2)
    wait = frame.loc["R228"]
    assert (wait["measure"], wait["actual"], wait["actual_text"]) == ("Average call wait time (in seconds)", 162.0,
                                                                      "162")
    # original line 7331: Dec 2009,"SBS","Hires through NYC Business Solutions Centers",...,1320: Oct-Dec 2009
    hires = frame.loc["R273"]
    assert (hires["actual"], hires["frequency"], hires["period_label"]) == (1320.0, "quarter", "Oct-Dec 2009")
    assert (hires["period_start"], hires["period_end"]) == (pd.Timestamp("2009-10-01"), pd.Timestamp("2009-12-31"))
    assert hires["period"] == pd.Period("2010Q3", "Q-MAR")
    # original line 10651: Jun 2017,"NYCHH","Uninsured patients served",...,414738: the city's fiscal year 2017
    uninsured = frame.loc["R298"]
    assert uninsured["actual"] == 414738.0
    assert uninsured["period_label"] == "NYC FY2017 (Jul 2016-Jun 2017)"
    assert (uninsured["period_start"], uninsured["period_end"]) == (pd.Timestamp("2016-07-01"),
                                                                    pd.Timestamp("2017-06-30"))
    assert uninsured["period"] == pd.Period("2018Q1", "Q-MAR")  # reported in the quarter it ends in


def test_nyc_one_name_in_two_agencies_is_two_measures(nyc):
    waits = nyc.frame[nyc.frame["measure"] == "Average wait time to speak with a customer service agent (minutes)"]
    assert waits.groupby("theme")["measure_id"].unique().map(list).to_dict() == {
        "DOC": ["average-wait-time-to-speak-with-a-customer-service-agent-minutes-doc"],
        "DORIS": ["average-wait-time-to-speak-with-a-customer-service-agent-minutes-doris"]}


def test_nyc_columns_the_mapping_does_not_name_are_listed(nyc):
    info = nyc.findings[nyc.findings["issue"] == "columns_not_read"]
    assert len(info) == 1 and info["severity"].iloc[0] == "info"
    assert info["text"].iloc[0].split(", ")[:2] == ["observed", "season"]


def test_nyc_frame_keeps_the_scorecard_contract(nyc):
    from harrowperf.foundation.schema import SCORECARD_COLUMNS, validate_scorecard

    assert list(nyc.frame.columns[: len(SCORECARD_COLUMNS)]) == SCORECARD_COLUMNS
    validate_scorecard(nyc.frame)


def test_read_long_is_public():
    assert hp.read_long is read_long
    assert issubclass(hp.LongFileError, hp.HarrowperfError)


# ---------------------------------------------------------------------------------------------
# Mappings and their errors
# ---------------------------------------------------------------------------------------------


def test_shipped_mappings_load():
    assert shipped_mappings() == ["lg_inform", "pentana"]
    pentana = load_mapping("pentana")
    assert pentana.columns.measure == "Short Name" and pentana.polarity["Aim to Minimise"] == "lower"
    assert load_mapping("lg_inform").columns.measure == "Metric"


def test_a_mapping_naming_a_missing_column_names_file_mapping_and_column(tmp_path):
    data = _write_csv(tmp_path / "pis.csv", [["Code", "Short Name", "Period", "Amount"],
                                             ["P1", "Calls answered", "Apr 2016", "5"]])
    mapping = tmp_path / "pis.csv.mapping.toml"
    mapping.write_text('base = "pentana"\n[columns]\nrag = ""\npolarity = ""\nunit = ""\ncommentary = ""\n'
                       'target = ""\n', "utf-8")
    with pytest.raises(LongFileError) as raised:
        read_long(data)
    message = str(raised.value)
    assert "pis.csv" in message and "pis.csv.mapping.toml" in message and "'Value'" in message
    assert raised.value.column == "Value" and raised.value.mapping == "pis.csv.mapping.toml"
    assert "'Amount'" in message  # the columns the file has


def test_a_data_file_without_a_mapping_is_an_error(tmp_path):
    data = _write_csv(tmp_path / "pis.csv", [["a"], ["b"]])
    with pytest.raises(LongFileError, match="pis.csv.mapping.toml"):
        read_long(data)


def test_a_misspelt_mapping_key_is_a_settings_error_naming_the_mapping(tmp_path):
    mapping = tmp_path / "x.mapping.toml"
    mapping.write_text('[columns]\nmeasure = "m"\nperiod = "p"\nactual = "a"\nthem = "t"\n', "utf-8")
    with pytest.raises(SettingsError) as raised:
        load_mapping(mapping)
    assert raised.value.key == "them" and "x.mapping.toml" in str(raised.value)
    mapping.write_text('base = "pentagon"\n', "utf-8")
    with pytest.raises(SettingsError, match="pentana"):
        load_mapping(mapping)
    mapping.write_text('[columns]\nmeasure = "m"\nperiod = "p"\nactual = "a"\n[polarity]\nUp = "up"\n', "utf-8")
    with pytest.raises(SettingsError, match="polarity"):
        load_mapping(mapping)


def test_a_frequency_column_needs_its_words(tmp_path):
    data = _write_csv(tmp_path / "f.csv", [["m", "p", "a", "f"], ["Calls", "Apr 2016", "5", "Monthly"]])
    mapping = tmp_path / "f.toml"
    mapping.write_text('[columns]\nmeasure = "m"\nperiod = "p"\nactual = "a"\nfrequency = "f"\n', "utf-8")
    with pytest.raises(SettingsError, match="frequencies"):
        read_long(data, mapping)


# ---------------------------------------------------------------------------------------------
# Rows: made-up files (synthetic), one rule each
# ---------------------------------------------------------------------------------------------

SIMPLE = '[columns]\nmeasure = "Measure"\nperiod = "Period"\nactual = "Actual"\ntarget = "Target"\n'


def _simple(tmp_path: Path, rows: list[list[str]]):
    data = _write_csv(tmp_path / "synthetic_history.csv", [["Measure", "Period", "Actual", "Target"], *rows])
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE, "utf-8")
    return read_long(data)


def test_periods_written_as_councils_write_them(tmp_path):
    read = _simple(tmp_path, [["Calls", "Apr 2016", "5", ""], ["Visits", "Q2 2016/17", "7%", "8%"],
                              ["Recycling", "2016/17", "41.5", "45"], ["Census", "2016", "3", ""]])
    frame = read.frame.set_index("measure")
    assert frame["frequency"].to_dict() == {"Calls": "month", "Visits": "quarter", "Recycling": "financial year",
                                            "Census": "calendar year"}
    assert frame["period_label"].to_dict() == {"Calls": "Apr 2016", "Visits": "Q2 2016/17", "Recycling": "2016/17",
                                               "Census": "2016"}
    assert frame.loc["Visits", "unit"] == "%" and frame.loc["Visits", "target"] == 8.0
    assert frame.loc["Visits", "cell_target"] == "D3" and frame.loc["Recycling", "cell_actual"] == "C4"
    assert read.findings.empty


def test_a_period_that_cannot_be_placed_is_a_finding_naming_its_cell(tmp_path):
    read = _simple(tmp_path, [["Calls", "Q5 2016/17", "5", ""], ["Calls", "2016/18", "6", ""],
                              ["Calls", "soon", "7", ""], ["Calls", "Apr 2016", "8", ""]])
    assert read.frame["actual"].tolist() == [8.0]
    found = read.findings[read.findings["issue"] == "unplaced_period"]
    assert found["cell"].tolist() == ["B2", "B3", "B4"]
    assert found["text"].tolist() == ["Q5 2016/17", "2016/18", "soon"]


def test_a_year_and_month_that_is_also_a_financial_year_is_read_by_the_mapping_frequency(tmp_path):
    rows = [["Calls", "2010-11", "5", ""], ["Calls", "2009-11", "6", ""], ["Calls", "2016-17", "7", ""]]
    # no frequency in the mapping: "2010-11" (2010/11 or Nov 2010?) is a finding naming its cell, not a guess
    read = _simple(tmp_path, rows)
    assert read.frame[["period_label", "actual"]].values.tolist() == [["Nov 2009", 6.0], ["2016/17", 7.0]]
    found = read.findings[read.findings["issue"] == "unplaced_period"]
    assert found[["cell", "text"]].values.tolist() == [["B2", "2010-11"]]
    assert "could be the financial year 2010/11 or Nov 2010" in found["message"].iloc[0]
    assert '[periods] frequency = "year" or "month"' in found["message"].iloc[0]
    # the mapping says which
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE + '[periods]\nfrequency = "year"\n', "utf-8")
    yearly = read_long(tmp_path / "synthetic_history.csv")
    assert yearly.frame[["period_label", "actual"]].values.tolist() == [["2010/11", 5.0], ["2016/17", 7.0]]
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE + '[periods]\nfrequency = "month"\n', "utf-8")
    monthly = read_long(tmp_path / "synthetic_history.csv")
    assert monthly.frame[["period_label", "actual"]].values.tolist() == [["Nov 2010", 5.0], ["Nov 2009", 6.0]]
    # a quarterly row dated by its last month: "2011-12" is Oct-Dec 2011, never the year 2011/12
    assert place_period("2011-12", "quarter", Periods()).label == "Q3 2011/12"
    assert place_period("2011-12", "year", Periods()).label == "2011/12"
    assert place_period("2011-12", "year", Periods(year_starts=1)).label == "2011"  # December ends 2011


def test_mixed_frequencies_for_one_measure_are_findings(tmp_path):
    read = _simple(tmp_path, [["Calls", "Apr 2016", "5", ""], ["Calls", "May 2016", "6", ""],
                              ["Calls", "Q1 2016/17", "17", ""]])
    assert read.frame["frequency"].tolist() == ["month", "month", "quarter"]  # every row kept
    found = read.findings[read.findings["issue"] == "mixed_frequencies"]
    assert found["cell"].tolist() == ["C4"] and "(months and quarters)" in found["message"].iloc[0]


def test_repeated_and_conflicting_periods(tmp_path):
    read = _simple(tmp_path, [["Calls", "Apr 2016", "5", ""], ["Calls", "Apr 2016", "5", ""],
                              ["Visits", "Apr 2016", "1", ""], ["Visits", "Apr 2016", "2", ""]])
    assert read.frame["measure"].tolist() == ["Calls"]
    issues = read.findings.set_index("cell")["issue"].to_dict()
    assert issues == {"C3": "repeated_period", "C4": "conflicting_period", "C5": "conflicting_period"}


def test_values_the_grammar_does_not_understand_keep_their_text(tmp_path):
    read = _simple(tmp_path, [["Calls", "Apr 2016", "about five", ""], ["", "May 2016", "3", ""], ["", "", "", ""]])
    assert read.frame["actual_text"].tolist() == ["about five"] and read.frame["actual"].isna().all()
    assert read.findings.set_index("cell")["issue"].to_dict() == {"C2": "unparsed_value", "A3": "no_measure"}


def test_pentana_style_workbook_with_dates_percentages_and_traffic_lights(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "PIs"
    sheet.append(["Performance indicators, exported"])  # a title row above the header
    sheet.append([])
    sheet.append(["Code", "Short Name", "Period", "Value", "Target", "Status", "Polarity", "Data Type", "Note"])
    sheet.append(["CS01", "Calls answered", datetime(2016, 9, 30), 0.9512, 0.95, "OK", "Aim to Maximise",
                  "Percentage", "Better staffing"])
    sheet.append(["CS02", "Complaints", "Q2 2016/17", 41, 30, "Alert", "Aim to Minimise", "Number", None])
    sheet.append(["CS03", "Staff survey", "2016/17", 3, None, "Data Only", None, "Number", None])
    for cell in ("D4", "E4"):
        sheet[cell].number_format = "0.0%"
    sheet["C4"].number_format = "mmm-yy"
    path = tmp_path / "synthetic_pentana.xlsx"
    workbook.save(path)
    (tmp_path / "synthetic_pentana.xlsx.mapping.toml").write_text('base = "pentana"\n[file]\nheader_row = 3\n',
                                                                  "utf-8")
    read = read_long(path)
    frame = read.frame.set_index("measure_ref")
    calls = frame.loc["CS01"]
    assert calls["actual"] == pytest.approx(95.12) and calls["target"] == pytest.approx(95.0)
    assert (calls["actual_text"], calls["cell_actual"], calls["cell_measure"]) == ("95.1%", "PIs!D4", "PIs!B4")
    assert (calls["period_label"], calls["frequency"], calls["rag"], calls["polarity"], calls["unit"]) == \
        ("Sep 2016", "month", "G", "higher", "%")
    complaints = frame.loc["CS02"]
    assert (complaints["rag"], complaints["polarity"], complaints["unit"], complaints["frequency"]) == \
        ("R", "lower", "count", "quarter")
    survey = frame.loc["CS03"]
    assert pd.isna(survey["rag"]) and pd.isna(survey["polarity"]) and survey["frequency"] == "financial year"
    assert read.commentary[["measure", "commentary", "cell_commentary"]].values.tolist() == [
        ["Calls answered", "Better staffing", "PIs!I4"]]
    assert read.findings.empty


def test_unknown_words_are_findings(tmp_path):
    data = _write_csv(tmp_path / "w.csv", [["m", "p", "a", "d"], ["Calls", "Apr 2016", "5", "Sideways"]])
    mapping = tmp_path / "w.toml"
    mapping.write_text('[columns]\nmeasure = "m"\nperiod = "p"\nactual = "a"\npolarity = "d"\n'
                       '[polarity]\nUp = "higher"\n', "utf-8")
    read = read_long(data, mapping)
    assert pd.isna(read.frame["polarity"].iloc[0])
    assert read.findings[["cell", "issue", "text"]].values.tolist() == [["D2", "unknown_word", "Sideways"]]


# ---------------------------------------------------------------------------------------------
# The LGBF download (real): one council kept, the others counted
# ---------------------------------------------------------------------------------------------

LGBF_MAPPING = """
name = "Scottish LGBF download (SC-TPP/LGBF, Raw Data Files)"
[file]
missing = ["", "NA"]
[columns]
measure = "Code"
period = "Year"        # "2010-11": a financial year; "2009-11": two or more years (not read)
actual = "LA_IndicatorReal"
[periods]
frequency = "year"      # every figure is for a year or several
[keep]
column = "LocalAuthority"
values = ["Aberdeen City"]
"""


def test_lgbf_download_through_a_custom_mapping(tmp_path):
    mapping = tmp_path / "lgbf.mapping.toml"
    mapping.write_text(LGBF_MAPPING, "utf-8")
    read = read_long(LGBF, mapping)
    raw = pd.read_csv(LGBF, dtype=str, keep_default_na=False)
    aberdeen = raw[raw["LocalAuthority"] == "Aberdeen City"]
    placed = read.frame
    unplaced = read.findings[read.findings["issue"] == "unplaced_period"]
    assert len(placed) + len(unplaced) + (read.findings["issue"] == "conflicting_period").sum() + \
        (read.findings["issue"] == "repeated_period").sum() == len(aberdeen)
    assert set(placed["frequency"]) == {"financial year"}
    # three-year and two-year spans ("2010-14", "2009-11") are not one year: findings, each with its cell
    assert set(unplaced["text"].str.len()) == {7} and "2010-11" not in set(unplaced["text"])
    assert len(unplaced) == (~aberdeen["Year"].isin(placed["period_label"].str.replace("/", "-"))).sum()
    first = placed[(placed["measure"] == "C&L01") & (placed["period_label"] == "2010/11")]
    assert first["actual"].tolist() == [0.4305]  # the file's first row: C&L01, Aberdeen City, 2010-11, 0.4305
    left_out = read.findings[read.findings["issue"] == "rows_left_out"]
    assert len(left_out) == raw["LocalAuthority"].nunique() - 1
    assert left_out["message"].str.extract(r"^(\d+) row")[0].astype(int).sum() == len(raw) - len(aberdeen)


def test_lgbf_quarterly_download(tmp_path):
    mapping = tmp_path / "lgbf_quarterly.mapping.toml"
    mapping.write_text('[columns]\nmeasure = "Code"\nperiod = "Period"\nactual = "Value"\ntheme = "DataType"\n'
                       '[keep]\ncolumn = "LocalAuthority"\nvalues = ["Aberdeen City"]\n', "utf-8")
    read = read_long(LGBF_QUARTERLY, mapping)
    frame = read.frame
    # 2 indicators x 21 quarters, 2018-19 Q1 to 2023-24 Q1, every one placed
    assert len(frame) == 42 and set(frame["frequency"]) == {"quarter"}
    assert frame.groupby("measure")["period_label"].agg(["first", "last", "size"]).values.tolist() == [
        ["Q1 2018/19", "Q1 2023/24", 21], ["Q1 2018/19", "Q1 2023/24", 21]]
    # the file's first row: CORP 09, Aberdeen City, 2018-19;Q1, 0.98 (line 2, Value in column G)
    first = frame.iloc[0]
    assert (first["measure"], first["period"], first["actual"], first["cell_actual"]) == \
        ("CORP 09", pd.Period("2019Q1", "Q-MAR"), 0.98, "G2")
    assert read.findings["issue"].value_counts().to_dict() == {"rows_left_out": 31, "columns_not_read": 1}


# ---------------------------------------------------------------------------------------------
# The row parser: a month names its quarter or year only where it ends one; nothing is moved
# ---------------------------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@given(year=st.integers(1990, 2060), month=st.integers(1, 12), dated_by=st.sampled_from(["end", "start"]))
def test_a_quarter_written_as_a_month_is_that_quarter_or_nothing(year, month, dated_by):
    placed = place_period(f"{MONTHS[month - 1]} {year}", "quarter", Periods(dated_by=dated_by))
    edge = month in ((3, 6, 9, 12) if dated_by == "end" else (1, 4, 7, 10))
    assert isinstance(placed, str) != edge
    if edge:
        named = placed.end if dated_by == "end" else placed.start
        assert (named.year, named.month) == (year, month)  # the month written is the quarter's edge
        assert placed.start.day == 1 and placed.end == placed.end + pd.offsets.MonthEnd(0)
        assert (placed.end.to_period("M") - placed.start.to_period("M")).n == 2
        assert placed.quarter == pd.Period(placed.end, "Q-MAR")


@given(year=st.integers(1990, 2060), month=st.integers(1, 12), starts=st.integers(1, 12))
def test_a_year_written_as_its_last_month_is_that_year_or_nothing(year, month, starts):
    placed = place_period(f"{MONTHS[month - 1]} {year}", "year", Periods(year_starts=starts))
    ends_year = month == (starts - 2) % 12 + 1
    assert isinstance(placed, str) != ends_year
    if ends_year:
        assert (placed.end.year, placed.end.month) == (year, month)
        assert placed.start == (placed.end.to_period("M") - 11).start_time  # twelve whole months
        assert placed.start.month == starts


@given(text=st.text(max_size=12), frequency=st.sampled_from(["", "month", "quarter", "year"]))
def test_any_text_is_placed_or_given_a_reason(text, frequency):
    placed = place_period(text, frequency, Periods())
    assert isinstance(placed, str) or placed.start <= placed.end
def test_clean_reads_a_long_file_beside_its_mapping(tmp_path):
    from harrowperf.pipeline.clean import survey

    raw = tmp_path / "raw"
    (raw / "scorecards").mkdir(parents=True)
    (raw / "history").mkdir()
    shutil.copy(NYC, raw / "history" / NYC.name)
    shutil.copy(FIXTURES / f"{NYC.name}.mapping.toml", raw / "history")
    (raw / "history" / "orphan.csv.mapping.toml").write_text(SIMPLE, "utf-8")
    (raw / "history" / "pis.xlsx").write_bytes(b"")
    found = survey(raw)
    assert [(p.name, kind) for p, kind in found.inputs] == [(NYC.name, "long")]
    assert [p.name for p in found.mappings] == [f"{NYC.name}.mapping.toml"]
    reasons = {p.name: why for p, why in found.not_read}
    assert "orphan.csv, which is not in history/" in reasons["orphan.csv.mapping.toml"]
    assert "pis.xlsx.mapping.toml" in reasons["pis.xlsx"]


def test_clean_collates_a_long_file_with_the_scorecards_by_the_vintage_rules(tmp_path):
    """A made-up Pentana-style export (synthetic) beside the real Q2 2016/17 scorecard."""
    from conftest import RAW

    from harrowperf.pipeline.clean import clean

    raw = tmp_path / "raw"
    shutil.copytree(RAW / "scorecards", raw / "scorecards")
    (raw / "history").mkdir()
    asb = "Number of anti-social behaviour incidents"  # Q1 2016/17 on the scorecard: 1266 (Better Harrow!G38)
    _write_csv(raw / "history" / "synthetic_pentana_export.csv", [
        ["Code", "Short Name", "Period", "Value", "Target", "Status", "Polarity", "Data Type", "Note"],
        ["ASB1", asb, "Q1 2016/17", "1300", "", "", "Aim to Minimise", "Number", ""],
        ["ASB1", asb, "Q4 2015/16", "1200", "", "", "Aim to Minimise", "Number", "A made-up figure"],
        ["ASB1", asb, "Oct 2015", "400", "", "", "Aim to Minimise", "Number", ""],
    ])
    (raw / "history" / "synthetic_pentana_export.csv.mapping.toml").write_text('base = "pentana"\n', "utf-8")
    result = clean(raw, tmp_path / "clean", stream=None)
    assert not result.errors
    frame = result.scorecard[result.scorecard["measure_id"] == "anti-social-behaviour-incidents"]
    by_period = frame.set_index("period_label")
    # the scorecard's value wins over the long file's (history is older than any workbook): a revision
    assert by_period.loc["Q1 2016/17", "actual"] == 1266 and by_period.loc["Q1 2016/17", "source"] != \
        "synthetic_pentana_export.csv"
    revision = result.revisions[result.revisions["measure_id"] == "anti-social-behaviour-incidents"]
    assert revision[["old_value", "new_value", "old_source"]].values.tolist() == [
        ["actual 1300", "actual 1266", "synthetic_pentana_export.csv"]]
    # a quarter no workbook reports comes from the long file, with its cell
    assert (by_period.loc["Q4 2015/16", "actual"], by_period.loc["Q4 2015/16", "cell_actual"]) == (1200, "D3")
    # the monthly row of a quarterly measure is a series of its own, and a finding (once, from collation)
    found = result.findings[(result.findings["issue"] == "mixed_frequencies") &
                            (result.findings["text"] == asb)]
    assert found[["source", "cell"]].values.tolist() == [["synthetic_pentana_export.csv", "D4"]]
    assert by_period.loc["Oct 2015", "frequency"] == "month"
    commentary = result.commentary
    assert commentary[commentary["source"] == "synthetic_pentana_export.csv"]["commentary"].tolist() == \
        ["A made-up figure"]


def test_a_fiscal_year_is_labelled_by_its_months():
    from harrowperf.foundation.periods import FREQUENCIES, PERIODS_PER_YEAR, period_label

    assert "fiscal year" in FREQUENCIES and PERIODS_PER_YEAR["fiscal year"] == 1
    assert period_label(pd.Timestamp("2009-07-01"), "fiscal year") == "Jul 2009-Jun 2010"
    assert period_label(pd.Timestamp("2016-09-01"), "fiscal year") == "Sep 2016-Aug 2017"  # an academic year


def test_two_history_files_that_disagree_are_a_finding(tmp_path):
    """Two made-up long files (synthetic) give different figures for one measure and quarter."""
    from conftest import RAW

    from harrowperf.pipeline.clean import clean

    raw = tmp_path / "raw"
    shutil.copytree(RAW / "scorecards", raw / "scorecards")
    (raw / "history").mkdir()
    for name, value in (("a_synthetic.csv", "10"), ("b_synthetic.csv", "12"), ("c_synthetic.csv", "10")):
        _write_csv(raw / "history" / name, [["Measure", "Period", "Actual", "Target"],
                                           ["Made-up visits", "Q4 2014/15", value, ""]])
        (raw / "history" / f"{name}.mapping.toml").write_text(SIMPLE, "utf-8")
    result = clean(raw, tmp_path / "clean", stream=None)
    assert not result.errors
    kept = result.scorecard[result.scorecard["measure"] == "Made-up visits"]
    assert kept[["source", "actual"]].values.tolist() == [["c_synthetic.csv", 10.0]]  # the name sorting last
    differs = result.findings[result.findings["issue"] == "history_differs"]
    assert differs[["source", "cell"]].values.tolist() == [["b_synthetic.csv", "C2"]]  # a agrees with c: silent
    assert "c_synthetic.csv C2" in differs["message"].iloc[0]


def test_lg_inform_style_download_keeps_one_area(tmp_path):
    """A made-up LG Inform-style download (synthetic): three areas, two metrics, words for units and polarity."""
    data = _write_csv(tmp_path / "synthetic_lg_inform.csv", [
        ["Metric", "Area", "Period", "Value", "Unit", "Polarity"],
        ["Household waste recycled", "Harrow", "2015/16", "39.5", "%", "Higher is better"],
        ["Household waste recycled", "Barnet", "2015/16", "35.2", "%", "Higher is better"],
        ["Household waste recycled", "Harrow", "2016/17", "..", "%", "Higher is better"],
        ["Missed bins per 100,000", "Harrow", "Q2 2016/17", "41", "Rate", "Lower is better"],
        ["Missed bins per 100,000", "Brent", "Q2 2016/17", "66", "Rate", "Lower is better"],
    ])
    mapping = tmp_path / "synthetic_lg_inform.csv.mapping.toml"
    mapping.write_text('base = "lg_inform"\n[keep]\ncolumn = "Area"\nvalues = ["Harrow"]\n', "utf-8")
    read = read_long(data)
    frame = read.frame
    assert frame[["measure", "period_label", "unit", "polarity"]].values.tolist() == [
        ["Household waste recycled", "2015/16", "%", "higher"], ["Household waste recycled", "2016/17", "%", "higher"],
        ["Missed bins per 100,000", "Q2 2016/17", "ratio", "lower"]]
    assert frame["actual"].iloc[0] == 39.5 and pd.isna(frame["actual"].iloc[1]) and frame["actual"].iloc[2] == 41
    assert frame["actual_text"].iloc[1] == ".."  # ".." is no figure: kept as written, no number
    left_out = read.findings[read.findings["issue"] == "rows_left_out"]
    assert left_out[["text", "cell"]].values.tolist() == [["Barnet", "B3"], ["Brent", "B6"]]


def test_a_mapping_naming_a_missing_sheet_or_header_row_names_file_and_mapping(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Data"
    workbook.active.append(["Measure", "Period", "Actual"])
    path = tmp_path / "synthetic_export.xlsx"
    workbook.save(path)
    mapping = tmp_path / "m.toml"
    mapping.write_text(SIMPLE.replace('target = "Target"\n', "") + '[file]\nsheet = "PIs"\n', "utf-8")
    with pytest.raises(LongFileError) as raised:
        read_long(path, mapping)
    assert "synthetic_export.xlsx (mapping m.toml)" in str(raised.value) and "'PIs'" in str(raised.value)
    csv_file = _write_csv(tmp_path / "short.csv", [["Measure", "Period", "Actual"]])
    mapping.write_text(SIMPLE.replace('target = "Target"\n', "") + "[file]\nheader_row = 3\n", "utf-8")
    with pytest.raises(LongFileError, match=r"short.csv \(mapping m.toml\): the file has 1 row\(s\), so no header"):
        read_long(csv_file, mapping)


def test_trafford_download_one_indicator_in_two_units_is_two_measures(tmp_path):
    """Trafford Data Lab's tidy download (real, data/raw/benchmark/trafford): DEFRA's household waste recycling
    for Trafford and its CIPFA neighbours, each year as a percentage ("Percentage") and in tonnes ("Frequency")."""
    path = ROOT / "data" / "raw" / "benchmark" / "trafford" / "household_waste_recycling.csv"
    mapping = tmp_path / "trafford.mapping.toml"
    mapping.write_text('base = "lg_inform"\n[columns]\nmeasure = "indicator"\nperiod = "period"\nactual = "value"\n'
                       'unit = "measure"\npolarity = ""\n[units]\nPercentage = "%"\nFrequency = "count"\n'
                       '[keep]\ncolumn = "area_name"\nvalues = ["Trafford"]\n', "utf-8")
    read = read_long(path, mapping)
    frame = read.frame
    assert len(frame) == 20 and not (read.findings["severity"] == "warning").any()
    name = "Household waste sent for reuse, recycling or composting"
    assert frame.groupby("measure")["unit"].unique().map(list).to_dict() == {
        f"{name} (Percentage)": ["%"], f"{name} (Frequency)": ["count"]}
    # the file's Trafford rows: 2010/11 40.8 %, 2013/14 57.5 % (checked by hand)
    pct = frame[frame["unit"] == "%"].set_index("period_label")["actual"]
    assert (pct["2010/11"], pct["2013/14"]) == (40.8, 57.5)
    assert frame["measure_id"].nunique() == 2 and set(frame["frequency"]) == {"financial year"}


def test_a_revision_of_a_long_file_figure_keeps_its_label(nyc):
    """A made-up later figure (synthetic) for NYC's Jul-Sep 2012 quarter: the revision names it as the file does."""
    from harrowperf.read.collate import collate

    row = nyc.frame[nyc.frame["cell_actual"] == "R194"]  # NYPL active library cards, Sep 2012: 811
    later = row.assign(actual=812.0, actual_text="812", source="synthetic_later.csv",
                       vintage=pd.Period("2013Q2", "Q-MAR"))
    undated = row.assign(vintage=pd.Series([pd.NaT], index=row.index, dtype="period[Q-MAR]"))
    frame = pd.concat([undated, later], ignore_index=True)
    result = collate(frame)
    assert result.revisions[["period_label", "old_value", "new_value"]].values.tolist() == [
        ["Jul-Sep 2012", "actual 811", "actual 812"]]



def test_spc_on_a_real_monthly_series(nyc):
    """XmR on New York City's 192 monthly water main breaks (Jul 2002-Jun 2018), the limits computed here by
    hand from the file's own figures (Making Data Count: centre = mean; limits = mean +/- 2.66 x the mean
    moving range after screening out moving ranges of 3.267 x the mean or more)."""
    with NYC.open(newline="", encoding="utf-8") as handle:
        values = [float(row["val2"]) for row in csv.DictReader(handle) if row["ind"] == "Water main breaks"]
    assert len(values) == 192
    moving = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mean_range = sum(moving) / len(moving)
    kept = [m for m in moving if m < 3.267 * mean_range]
    screened = sum(kept) / len(kept)
    centre = sum(values) / len(values)
    lower, upper = centre - 2.66 * screened, centre + 2.66 * screened
    result = hp.spc.xmr(nyc.frame[nyc.frame["measure_id"] == "water-main-breaks"])
    assert len(result) == 192 and (result["segment"] == 0).all() and (result["spc_status"] == "ok").all()
    first = result.iloc[0]
    assert (first["centre"], first["mean_moving_range"]) == (pytest.approx(centre), pytest.approx(screened))
    assert (first["lower_limit"], first["upper_limit"]) == (pytest.approx(lower), pytest.approx(upper))
    outside = [label for label, value in zip(result["period_label"], values, strict=True)
               if not lower <= value <= upper]
    assert result.loc[result["rule_outside_limits"].fillna(False).astype(bool), "period_label"].tolist() == outside
    # the file's Jun 2009 figure, 5009.5 (original line 1160, which the Council team flag as an anomaly), is
    # one of them, and a concern (breaks going up is worse: Direction Down)
    june = result[result["period_label"] == "Jun 2009"].iloc[0]
    assert june["actual"] == 5009.5 and june["point_type"] == "special_cause_concern"


# ---------------------------------------------------------------------------------------------
# Exports as councils' systems save them (synthetic files, one rule each)
# ---------------------------------------------------------------------------------------------


def test_headings_are_matched_ignoring_case_spacing_and_a_byte_order_mark(tmp_path):
    """A Power BI or Excel export changes the headings' case, pads them or starts with a BOM (twice, when
    a UTF-8 file was saved again): the columns are still the mapping's."""
    data = tmp_path / "synthetic_export.csv"
    data.write_bytes("\ufeff\ufeffmeasure ,PERIOD,  actual\u00a0,Target\nCalls,Apr 2016,5,6\n".encode())
    (tmp_path / "synthetic_export.csv.mapping.toml").write_text(SIMPLE, "utf-8")
    frame = read_long(data).frame
    assert frame[["measure", "period_label", "actual", "target", "cell_actual"]].values.tolist() == [
        ["Calls", "Apr 2016", 5.0, 6.0, "C2"]]
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Measure ", "period", "ACTUAL", "Target"])
    workbook.active.append(["Calls", "Apr 2016", 5, 6])
    workbook.save(tmp_path / "synthetic_export.xlsx")
    frame = read_long(tmp_path / "synthetic_export.xlsx", tmp_path / "synthetic_export.csv.mapping.toml").frame
    assert frame[["measure", "actual", "cell_actual"]].values.tolist() == [["Calls", 5.0, "Sheet!C2"]]


def test_two_headings_that_match_one_column_only_loosely_are_an_error(tmp_path):
    data = _write_csv(tmp_path / "synthetic_export.csv", [["Measure", "Period", "actual", "ACTUAL "],
                                                          ["Calls", "Apr 2016", "5", "6"]])
    mapping = tmp_path / "m.toml"
    mapping.write_text(SIMPLE.replace('target = "Target"\n', ""), "utf-8")
    with pytest.raises(LongFileError) as raised:
        read_long(data, mapping)
    assert raised.value.column == "Actual" and "matches 2 columns of the file ('actual', 'ACTUAL')" in str(raised.value)
    assert "synthetic_export.csv (mapping m.toml)" in str(raised.value)


def test_titles_above_the_header_or_another_separator_are_named_in_the_error(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["Harrow Council performance indicators"], ["Exported 01/05/2020"],
                ["Measure", "Period", "Actual", "Target"], ["Calls", "Apr 2016", 5, 6]):
        workbook.active.append(row)
    path = tmp_path / "synthetic_titled.xlsx"
    workbook.save(path)
    mapping = tmp_path / "m.toml"
    mapping.write_text(SIMPLE, "utf-8")
    with pytest.raises(LongFileError, match=r"row 3 holds the mapping's columns: set \[file\] header_row = 3"):
        read_long(path, mapping)
    mapping.write_text(SIMPLE + "[file]\nheader_row = 3\n", "utf-8")
    assert read_long(path, mapping).frame["cell_actual"].tolist() == ["Sheet!C4"]
    data = tmp_path / "synthetic_semicolons.csv"
    data.write_text("Measure;Period;Actual;Target\nCalls;Apr 2016;5;6\n", "utf-8")
    mapping.write_text(SIMPLE, "utf-8")
    with pytest.raises(LongFileError, match=r"separated by ';': set \[file\] delimiter = ';'"):
        read_long(data, mapping)


def test_keep_matches_the_area_ignoring_case_and_spacing(tmp_path):
    data = _write_csv(tmp_path / "synthetic_areas.csv", [
        ["Metric", "Area", "Period", "Value"], ["Recycling", "Harrow", "2015/16", "39.5"],
        ["Recycling", "HARROW ", "2016/17", "40.1"], ["Recycling", "Brent", "2016/17", "33"]])
    mapping = tmp_path / "m.toml"
    mapping.write_text('base = "lg_inform"\n[columns]\nunit = ""\npolarity = ""\n[keep]\ncolumn = "area"\n'
                       'values = ["Harrow"]\n', "utf-8")
    read = read_long(data, mapping)
    assert read.frame[["period_label", "actual"]].values.tolist() == [["2015/16", 39.5], ["2016/17", 40.1]]
    assert read.findings.query("issue == 'rows_left_out'")["text"].tolist() == ["Brent"]


def test_a_semicolon_export_with_decimal_commas(tmp_path):
    """A European-locale export (Excel or Power BI saving CSV with a comma as the decimal mark)."""
    data = tmp_path / "synthetic_semicolons.csv"
    data.write_text("Measure;Period;Actual;Target\nCalls;Apr 2016;3,5;4\nSpend;Apr 2016;1.234,5;1 200\n"
                    "Share;Apr 2016;12,5 %;\nVisits;Apr 2016;1,234,567;\n", "utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(SIMPLE + '[file]\ndelimiter = ";"\ndecimal = ","\n', "utf-8")
    read = read_long(data, mapping)
    frame = read.frame.set_index("measure")
    assert frame.loc[["Calls", "Spend", "Share"], "actual"].tolist() == [3.5, 1234.5, 12.5]
    assert frame.loc["Spend", "target"] == 1200 and frame.loc["Share", "unit"] == "%"
    # a comma that groups thousands is no decimal mark: never read as 1.234567
    assert pd.isna(frame.loc["Visits", "actual"]) and frame.loc["Visits", "actual_text"] == "1,234,567"
    assert read.findings.query("issue == 'unparsed_value'")["cell"].tolist() == ["C5"]
    # read with the default decimal point, "3,5" is a finding that says what to set; never 35
    mapping.write_text(SIMPLE + '[file]\ndelimiter = ";"\n', "utf-8")
    read = read_long(data, mapping)
    assert pd.isna(read.frame.set_index("measure").loc["Calls", "actual"])
    assert 'set [file] decimal = ","' in read.findings.set_index("cell").loc["C2", "message"]


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_a_decimal_comma_figure_reads_as_written(number):
    from harrowperf.read.long import _decimal_point
    from harrowperf.read.values import parse_value

    whole, _, cents = f"{abs(number):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"{'-' if number < 0 else ''}{grouped},{cents}"
    assert parse_value(_decimal_point(text)).value == pytest.approx(float(number), abs=1e-9)


def test_statistical_markers_keep_the_figure_and_say_what_they_mean(tmp_path):
    """Figures as the Government Statistical Service marks them: revised, provisional, estimated, suppressed."""
    read = _simple(tmp_path, [["A", "2019/20", "12.3r", ""], ["B", "2019/20", "45 (p)", ""],
                              ["C", "2019/20", "1,234 [e]", ""], ["D", "2019/20", "12.5% [p]", ""],
                              ["E", "2019/20", "[c]", ""], ["F", "2019/20", "[x]", ""],
                              ["G", "2019/20", "45p", ""], ["H", "2019/20", "12.3 [q]", ""]])
    frame = read.frame.set_index("measure")
    assert frame.loc[["A", "B", "C", "D"], "actual"].tolist() == [12.3, 45.0, 1234.0, 12.5]
    assert frame.loc[["A", "B", "C", "D", "E", "F"], "status_note"].tolist() == [
        "revised", "provisional", "estimated", "provisional", "[c]: confidential (suppressed)", "[x]: not available"]
    assert frame.loc["D", "unit"] == "%" and frame.loc["A", "actual_text"] == "12.3r"
    assert frame.loc[["E", "F", "G", "H"], "actual"].isna().all()
    # pence or an unknown marker is never guessed: a finding naming the cell
    unparsed = read.findings.query("issue == 'unparsed_value'")
    assert unparsed[["cell", "text"]].values.tolist() == [["C8", "45p"], ["C9", "12.3 [q]"]]


@given(st.decimals(min_value=0, max_value=10**6, places=1, allow_nan=False, allow_infinity=False),
       st.sampled_from(["r", " [r]", " (p)", "[e]", " [u]"]))
def test_a_marked_figure_is_the_figure(number, marker):
    from harrowperf.read.long import _MARKED

    matched = _MARKED.fullmatch(f"{number}{marker}")
    assert matched is not None and float(matched["figure"]) == float(number)


def test_periods_as_exports_write_them(tmp_path):
    """A CSV export writes a date cell as an ISO date (pandas, R, Power BI) or as the day it shows; some
    systems name a financial year in words."""
    read = _simple(tmp_path, [["A", "Financial Year 2019/20", "1", ""], ["B", "2020-03-31", "2", ""],
                              ["C", "2019-06-30 00:00:00", "3", ""], ["D", "31/03/2020", "4", ""],
                              ["E", "2020-02-30", "5", ""], ["F", "Q1 Financial Year 2019/20", "6", ""]])
    frame = read.frame.set_index("measure")
    assert frame[["period_label", "frequency"]].values.tolist() == [
        ["2019/20", "financial year"], ["Mar 2020", "month"], ["Jun 2019", "month"], ["Q1 2019/20", "quarter"]]
    unplaced = read.findings.query("issue == 'unplaced_period'").set_index("cell")
    assert unplaced.index.tolist() == ["B5", "B6"]  # 31/03/2020 and a day that does not exist
    assert 'set [periods] date_format, e.g. "%d/%m/%Y"' in unplaced.loc["B5", "message"]
    mapping = tmp_path / "synthetic_history.csv.mapping.toml"
    mapping.write_text(SIMPLE + '[periods]\nfrequency = "quarter"\ndate_format = "%d/%m/%Y"\n', "utf-8")
    frame = read_long(tmp_path / "synthetic_history.csv").frame.set_index("measure")
    # a quarterly row dated by its last day is that quarter (as a workbook's date cell is)
    assert frame.loc[["B", "C", "D"], "period_label"].tolist() == ["Q4 2019/20", "Q1 2019/20", "Q4 2019/20"]


@given(st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2060-12-31").date()))
def test_an_iso_date_is_the_month_it_is_in(day):
    placed = place_period(day.isoformat(), "", Periods())
    assert (placed.start.year, placed.start.month, placed.frequency) == (day.year, day.month, "month")


def _raw_csv(tmp_path: Path, text: str):
    data = tmp_path / "synthetic_history.csv"
    data.write_text("Measure,Period,Actual,Target\n" + text, "utf-8")
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE, "utf-8")
    return read_long(data)


def test_a_quote_never_closed_is_an_error_naming_its_line_not_rows_read_as_one_value(tmp_path):
    """A CSV reader reads an unclosed quote to the end of the file: the rows after it would be one value."""
    with pytest.raises(LongFileError, match=r"synthetic_history\.csv \(mapping synthetic_history\.csv\.mapping\.toml"
                                            r"\): a quote \(\"\) opened in the row on line 3 is never closed"):
        _raw_csv(tmp_path, 'Calls,2016/17,5,6\n"Visits,2016/17,3,4\nFines,2016/17,1,2\nLeavers,2017/18,9,9\n')


def test_quoted_line_breaks_and_inch_marks_are_read(tmp_path):
    read = _raw_csv(tmp_path, '"Calls\nanswered",2016/17,5,6\nPipes 5" wide,2016/17,3,4\n\nFines,2016/17,1,2\n')
    assert read.frame["actual"].tolist() == [5, 3, 1]
    assert read.frame["measure"].str.startswith(("Calls", "Pipes 5\" wide", "Fines")).all()


def test_text_in_another_encoding_is_an_error_saying_which_to_set(tmp_path):
    data = tmp_path / "synthetic_history.csv"
    data.write_bytes("Measure,Period,Actual,Target\nSpend \u00a3k,2016/17,5,6\n".encode("cp1252"))
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE, "utf-8")
    with pytest.raises(LongFileError, match=r"synthetic_history\.csv .*not utf-8-sig text .* at byte 35\).*"
                                            r'encoding = "cp1252"'):
        read_long(data)
    (tmp_path / "synthetic_history.csv.mapping.toml").write_text(SIMPLE + '[file]\nencoding = "cp1252"\n', "utf-8")
    assert read_long(data).frame["measure"].tolist() == ["Spend \u00a3k"]


def test_an_explore_education_statistics_year_in_a_file_of_academic_years(tmp_path):
    """DfE's Explore Education Statistics files write the year 2016/17 as "201617"; in a mapping whose
    years start in September (an academic year) it is Sep 2016 to Aug 2017, never April to March."""
    data = tmp_path / "synthetic_ees.csv"
    data.write_text("time_period,time_identifier,la_name,indicator,value\n"
                    "201617,Academic year,Harrow,Synthetic attainment,61.5\n"
                    "201718,Academic year,Harrow,Synthetic attainment,63.0\n"
                    "2019,Calendar year,Harrow,Synthetic attainment,64.0\n", "utf-8")
    mapping = ('[columns]\nmeasure = "indicator"\nperiod = "time_period"\nactual = "value"\n'
               '[periods]\nyear_starts = 9\n')
    (tmp_path / "synthetic_ees.csv.mapping.toml").write_text(mapping, "utf-8")
    frame = read_long(data).frame
    assert frame["period_start"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2016-09-01", "2017-09-01"]
    assert frame["period_end"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2017-08-31", "2018-08-31"]
    assert frame["frequency"].tolist()[:2] == ["fiscal year", "fiscal year"]
    assert frame["actual"].tolist() == [61.5, 63.0, 64.0]
    (tmp_path / "synthetic_ees.csv.mapping.toml").write_text(mapping.replace("year_starts = 9", "year_starts = 4"))
    april = read_long(data).frame
    assert april["period_label"].tolist()[:2] == ["2016/17", "2017/18"]  # a financial year when the mapping says so

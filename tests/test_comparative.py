"""Readers of comparative public datasets: real rows of every file, the shared contract, bad input."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import RAW
from hypothesis import given
from hypothesis import strategies as st

from harrowperf import BenchmarkError, comparative
from harrowperf.foundation.conventions import settings
from harrowperf.read.comparative import contract
from harrowperf.read.comparative.lgbf import _annual_period

DATA = RAW / "benchmark"
DFE = DATA / "dfe_nccis"
OFLOG = DATA / "oflog" / "ASC_data.csv"
LGBF = DATA / "lgbf" / "LGBF_ScotDataReal_ISSpatialHub.csv"
LGBF_Q = DATA / "lgbf" / "Indicator_Data_Real_Quarterly.csv"
LGBF_META = DATA / "lgbf" / "Indicator_Information.csv"
TRAFFORD = DATA / "trafford"


@pytest.fixture(scope="module")
def dfe() -> pd.DataFrame:
    return comparative.read_dfe_nccis(DFE)


@pytest.fixture(scope="module")
def oflog() -> pd.DataFrame:
    return comparative.read_oflog_asc(OFLOG)


@pytest.fixture(scope="module")
def lgbf() -> pd.DataFrame:
    return comparative.read_lgbf(LGBF)


@pytest.fixture(scope="module")
def lgbf_quarterly() -> pd.DataFrame:
    return comparative.read_lgbf_quarterly(LGBF_Q)


def record(path: Path, row: int, encoding: str = "utf-8") -> dict[str, str]:
    """The CSV record numbered ``row`` (header = 1), read with the csv module, not pandas."""
    with open(path, newline="", encoding=encoding) as handle:
        for number, fields in enumerate(csv.DictReader(handle), start=2):
            if number == row:
                return fields
    raise AssertionError(f"{path.name} has no record {row}")


def one(frame: pd.DataFrame, **where) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{len(rows)} rows match {where}"
    return rows.iloc[0]


# --- every reader returns the same contract -----------------------------------------------------


@pytest.mark.parametrize("source", list(comparative.SOURCES))
def test_every_source_follows_the_contract(source):
    frame = comparative.read(source, DATA)
    assert list(frame.columns) == comparative.COLUMNS
    comparative.validate(frame)  # pandera schema: dtypes, polarity values, rows >= 1
    assert frame["row"].is_unique or source == "dfe_nccis"  # DfE: one record -> several measures
    assert frame["row"].min() == 2  # the first record under the header


def test_no_row_is_dropped(dfe, oflog, lgbf, lgbf_quarterly):
    """Every record of every file is a row (DfE: one row per record and measure)."""
    def records(path: Path, encoding="utf-8") -> int:
        with open(path, newline="", encoding=encoding) as handle:
            return sum(1 for _ in csv.DictReader(handle))

    measures = len(settings().benchmark.dfe_nccis.measures)
    assert len(dfe) == measures * sum(records(p) for p in sorted(DFE.glob("*.csv")))
    assert len(oflog) == records(OFLOG)
    assert len(lgbf) == records(LGBF)
    assert len(lgbf_quarterly) == records(LGBF_Q, "utf-8-sig")


# --- DfE NEET -----------------------------------------------------------------------------------

# (file, record, area_code, measure_id, expected value), transcribed from the files
DFE_SPOTS = [
    ("UD_NEETNK_LA_dashboard_2021_vg_removed.csv", 39, "E09000015", "neet_16_17", 1.2),
    ("UD_NEETNK_LA_dashboard_2021_vg_removed.csv", 39, "E09000015", "neet_nk_16_17", 2.6),
    ("UD_NEETNK_LA_dashboard_2022_final.csv", 40, "E09000015", "neet_16_17", 1.1),
    ("UD_NEETNK_LA_dashboard_2023_final.csv", 40, "E09000015", "neet_16_17", 0.8),
    ("UD_NEETNK_LA_dashboard_dummy_2024.csv", 40, "E09000015", "neet_16_17", 1.4),
    ("UD_NEETNK_LA_dashboard_final_2025.csv", 40, "E09000015", "neet_16_17", 1.3),
    ("UD_NEETNK_LA_dashboard_final_2025.csv", 40, "E09000015", "participation_16_17", 97.2),
    ("UD_NEETNK_LA_dashboard_final_2025.csv", 40, "E09000015", "september_guarantee", 98.4),
    ("UD_NEETNK_LA_dashboard_final_2025.csv", 28, "E09000003", "neet_16_17", 0.6),
    ("UD_NEETNK_LA_dashboard_final_2025.csv", 45, "E09000020", "neet_nk_16_17", 4.8),
    ("UD_NEETNK_LA_dashboard_2022_final.csv", 45, "E09000020", "neet_nk_send_support", 7.4),
    ("UD_NEETNK_LA_dashboard_dummy_2024.csv", 28, "E09000003", "neet_nk_ehcp", 2.3),
]
DFE_COLUMNS = {"neet_16_17": "NEET_percent", "neet_nk_16_17": "NEET_not_known_percent",
               "participation_16_17": "TOTAL_participating_in_education_and_training_percent",
               "september_guarantee": "September_guarantee_Offer_made_percent",
               "neet_nk_send_support": "NEET_NK_SENDsupport_percent", "neet_nk_ehcp": "NEET_NK_EHCP_percent"}


@pytest.mark.parametrize(("file", "row", "code", "measure", "expected"), DFE_SPOTS)
def test_dfe_values_match_the_file(dfe, file, row, code, measure, expected):
    got = one(dfe, source=file, row=row, measure_id=measure)
    assert got["area_code"] == code
    assert got["actual"] == pytest.approx(expected)
    assert float(record(DFE / file, row)[DFE_COLUMNS[measure]]) == pytest.approx(expected)
    assert got["unit"] == "%"  # DfE percentages are already percentage points: not multiplied


def test_dfe_periods_are_calendar_years_as_the_files_state(dfe):
    harrow = dfe[(dfe["area_code"] == "E09000015") & (dfe["measure_id"] == "neet_16_17")]
    assert str(harrow["period"].dtype) == "period[Y-DEC]"
    assert list(harrow["period_label"]) == ["2021", "2022", "2023", "2024", "2025"]
    assert list(harrow["denominator"]) == [5506.0, 5649.3, 5924.0, 5981.0, 6109.0]  # Cohort_DJFavg


def test_dfe_polarity_comes_from_the_catalogue(dfe):
    polarity = dfe.groupby("measure_id")["polarity"].first()
    assert polarity["neet_16_17"] == "lower"
    assert polarity["participation_16_17"] == "higher"


def test_dfe_suppressed_values_keep_their_marker(dfe):
    # Luton 2025 participation is "c" (record 20): missing value, marker kept in the note
    luton = one(dfe, source="UD_NEETNK_LA_dashboard_final_2025.csv", row=20,
                measure_id="participation_16_17")
    assert record(DFE / "UD_NEETNK_LA_dashboard_final_2025.csv", 20)[
        "TOTAL_participating_in_education_and_training_percent"] == "c"
    assert math.isnan(luton["actual"])
    assert "'c'" in luton["note"] and "confidential" in luton["note"]
    # blank cells (2021 has no SEN breakdown) are missing with a "blank" note
    blank = one(dfe, source="UD_NEETNK_LA_dashboard_2021_vg_removed.csv", row=39,
                measure_id="neet_nk_send_support")
    assert math.isnan(blank["actual"]) and "blank" in blank["note"]


def test_dfe_placeholder_rows_are_kept_but_join_no_group(dfe):
    x_la = dfe[dfe["area_name"] == "X LA"]
    assert len(x_la) == 8 and set(x_la["area_code"]) == {""}
    assert x_la["note"].str.contains("E06000032").all()  # Luton's code, kept in the note
    assert one(x_la, measure_id="neet_16_17")["actual"] == 5.0  # the value is not lost
    luton_2024 = dfe[(dfe["area_code"] == "E06000032") & (dfe["period_label"] == "2024")]
    assert set(luton_2024["area_name"]) == {"Luton"}
    demo = dfe[dfe["area_name"].isin(["LA demo", "Region demo"])]
    assert len(demo) == 16 and (demo["area_code"] == "").all()


def test_dfe_keeps_england_and_regions(dfe):
    london = one(dfe, area_code="E12000007", measure_id="neet_16_17", period_label="2025")
    assert london["actual"] == 1.9 and london["area_name"] == "London"
    assert one(dfe, area_code="E92000001", measure_id="neet_16_17", period_label="2025")["actual"] == 3.4


# --- Oflog --------------------------------------------------------------------------------------

OFLOG_SPOTS = [  # record -> (area, code, year, value) from ASC_data.csv
    (2, "E06000005", "ASC1", "2016/17", 7.6),
    (46, "E09000015", "ASC1", "2016/17", 7.3),
    (520, "E09000015", "ASC2", "2016/17", 0.372),
    (1392, "E09000015", "ASC3", "2015/16", 69.1),
    (2478, "E09000015", "ASC4", "2016/17", 57.4),
    (2948, "E09000015", "ASC5", "2015/16", 50.6),
    (4027, "E09000015", "ASC5", "2022/23", 78.6),
    (5338, "E09000015", "ASC7", "2016/17", 27.23321061),
    (6294, "E09000015", "ASC7", "2022/23", 33.17364417),
    (4247, "E09000015", "ASC6", "2015/16", 808.7125297),
]


@pytest.mark.parametrize(("row", "code", "measure", "label", "expected"), OFLOG_SPOTS)
def test_oflog_values_match_the_file(oflog, row, code, measure, label, expected):
    got = one(oflog, row=row)
    fields = record(OFLOG, row)
    assert (got["area_code"], got["measure_id"], got["period_label"]) == (code, measure, label)
    assert got["actual"] == pytest.approx(expected) == pytest.approx(float(fields["Value"]))
    assert got["period"] == pd.Period(year=int(label[:4]) + 1, freq="Y-MAR")


def test_oflog_polarity_from_rank_order(oflog):
    polarity = oflog.groupby("measure_id")["polarity"].first()
    assert list(polarity[["ASC1", "ASC2", "ASC3", "ASC4", "ASC5"]]) == ["higher"] * 5
    assert polarity[["ASC6", "ASC7"]].isna().all()  # Oflog ranks neither ("None")


def test_oflog_scores_are_not_scaled(oflog):
    # ASC2 is a quality-of-life score around 0.4, not a fraction: it must not become 40
    assert oflog.loc[oflog["measure_id"] == "ASC2", "actual"].max() < 1
    assert set(oflog.loc[oflog["measure_id"] == "ASC2", "unit"]) == {"score"}


def test_oflog_blank_values_are_noted(oflog):
    harrow = one(oflog, area_code="E09000015", measure_id="ASC7", period_label="2017/18")
    assert record(OFLOG, harrow["row"])["Value"] == ""
    assert math.isnan(harrow["actual"]) and harrow["note"] == "blank in the source"
    assert (oflog["note"] == "blank in the source").sum() == 298


# --- LGBF annual, quarterly, metadata -------------------------------------------------------------

LGBF_SPOTS = [  # record, code, council, year label, value as read (fractions x 100)
    (2, "C&L01", "Aberdeen City", "2010/11", 0.4305),                # £, unchanged
    (35467, "SW08", "West Lothian", "2023/24", 552.721341),          # days
    (35466, "SW08", "West Lothian", "2022/23", 656.681002),
]


@pytest.mark.parametrize(("row", "code", "council", "label", "expected"), LGBF_SPOTS)
def test_lgbf_values_match_the_file(lgbf, row, code, council, label, expected):
    got = one(lgbf, row=row)
    fields = record(LGBF, row)
    assert (got["measure_id"], got["area_code"], got["period_label"]) == (code, council, label)
    assert got["actual"] == pytest.approx(expected) == pytest.approx(float(fields["LA_IndicatorReal"]))


def test_lgbf_fractions_become_percentage_points(lgbf):
    meta = comparative.read_lgbf_indicators(LGBF_META)
    percent = meta.loc[meta["is_fraction"], "measure_id"]
    rows = lgbf[lgbf["measure_id"].isin(percent)].sample(12, random_state=3)
    for got in rows.itertuples():
        raw = float(record(LGBF, got.row)["LA_IndicatorReal"])
        assert got.actual == pytest.approx(raw * 100), got
        assert got.unit == "%"
    env06 = one(lgbf, measure_id="ENV06", area_code="Fife", period_label="2022/23")
    assert 0 < float(record(LGBF, env06["row"])["LA_IndicatorReal"]) < 1 < env06["actual"] < 100


def test_lgbf_attainment_gaps_are_already_points(lgbf):
    """CHN14a/b are stored as points despite their 0.0% format: multiplying would give 2,000%."""
    gap = one(lgbf, measure_id="CHN14a", area_code="Fife", period_label="2018/19")
    assert gap["actual"] == pytest.approx(18.49) == pytest.approx(
        float(record(LGBF, gap["row"])["LA_IndicatorReal"]))


def test_lgbf_numerator_and_denominator_kept(lgbf):
    row = one(lgbf, row=2)
    assert (row["numerator"], row["denominator"]) == (830.9841, 1922292.0)


def test_lgbf_polarity_from_ranking_type():
    meta = comparative.read_lgbf_indicators(LGBF_META).set_index("measure_id")
    assert meta.loc["ENV01a", "polarity"] == "lower"      # Ascending: cost, lower is better
    assert meta.loc["ENV06", "polarity"] == "higher"      # Descending: recycling
    assert meta.loc["CORP11", "polarity"] == "in_range"   # Goldilocks
    assert comparative.ideals(meta.reset_index()) == {"CORP03b": 50.0, "CORP03c": 0.0,
                                                      "CORP11": 100.0, "CORP12": 100.0}


def test_lgbf_aggregate_periods_keep_their_span(lgbf):
    satisfaction = lgbf[(lgbf["measure_id"] == "ENV07a") & (lgbf["area_code"] == "Aberdeen City")]
    first = satisfaction.iloc[1]
    assert record(LGBF, first["row"])["Year"] == "2012-15"
    assert first["period"] == pd.Period("2015", "Y-MAR")
    assert first["period_label"] == "2012/13 to 2014/15"


def test_lgbf_empty_last_record_is_kept_with_a_note(lgbf):
    last = lgbf.iloc[-1]
    assert last["row"] == 35468 and pd.isna(last["period"])
    assert "empty record" in last["note"]


LGBF_Q_SPOTS = [  # record, council, code, label, value (fraction -> points), numerator, denominator
    (2, "Aberdeen City", "CORP09", "Q1 2018/19", 98.0, 2985.0, 3035.0),
    (3, "Aberdeen City", "CORP09", "Q2 2018/19", 99.0, 2765.0, 2800.0),
]


def test_lgbf_quarterly_reads_quarters_and_points(lgbf_quarterly):
    for row, council, code, label, value, numerator, denominator in LGBF_Q_SPOTS:
        got = one(lgbf_quarterly, row=row)
        fields = record(LGBF_Q, row, "utf-8-sig")
        assert (got["area_code"], got["measure_id"], got["period_label"]) == (council, code, label)
        assert got["actual"] == pytest.approx(value) == pytest.approx(float(fields["Value"]) * 100)
        assert (got["numerator"], got["denominator"]) == (numerator, denominator)
    assert str(lgbf_quarterly["period"].dtype) == "period[Q-MAR]"
    series = lgbf_quarterly[(lgbf_quarterly["area_code"] == "Fife")
                            & (lgbf_quarterly["measure_id"] == "CORP09")]
    assert len(series) == 21 and series["period"].iloc[0] == pd.Period("2018Q1", "Q-MAR") + 4
    assert series["period_label"].iloc[-1] == "Q1 2023/24"


# --- Trafford -----------------------------------------------------------------------------------


def test_trafford_neet_periods_as_the_source_states():
    neet = comparative.read_trafford(TRAFFORD / "neet.csv")
    trafford = neet[neet["area_name"] == "Trafford"]
    nk = one(trafford, measure_id="neet_nk_16_17", period_label="2020/21")
    assert nk["actual"] == 4.8 and nk["period"] == pd.Period("2021", "Y-AUG")      # academic year
    plain = one(trafford, measure_id="neet_16_17", period_label="2021")
    assert plain["actual"] == 2.3 and plain["period"] == pd.Period("2021", "Y-DEC")  # calendar year
    # the same figures DfE publishes for Trafford in its 2021 file
    dfe_2021 = record(DFE / "UD_NEETNK_LA_dashboard_2021_vg_removed.csv", 91)
    assert dfe_2021["la_name"] == "Trafford"
    assert float(dfe_2021["NEET_not_known_percent"]) == nk["actual"]
    assert float(dfe_2021["NEET_percent"]) == plain["actual"]


def test_trafford_recycling_values_and_polarity():
    recycling = comparative.read_trafford(TRAFFORD / "household_waste_recycling.csv")
    got = one(recycling, area_name="Trafford", measure_id="household_recycling_pct",
              period_label="2014/15")
    assert got["actual"] == 61.9 and got["polarity"] == "higher" and got["unit"] == "%"
    tonnes = one(recycling, area_name="Trafford", measure_id="household_recycling_tonnes",
                 period_label="2014/15")
    assert tonnes["actual"] == 50755 and pd.isna(tonnes["polarity"])
    england = one(recycling, area_code="E92000001", period_label="2021/22")
    assert england["actual"] == 42.5


# --- bad input ----------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_wrong_format_names_the_missing_columns():
    with pytest.raises(BenchmarkError, match=r"cipfa2019.csv, row 1: this is not a Trafford .* period"):
        comparative.read_trafford(TRAFFORD / "cipfa2019.csv")
    with pytest.raises(BenchmarkError, match="not a DfE NCCIS"):
        comparative.read_dfe_nccis(OFLOG)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(BenchmarkError, match="no such file"):
        comparative.read_oflog_asc(tmp_path / "absent.csv")
    with pytest.raises(BenchmarkError, match="cannot be read"):
        comparative.read_oflog_asc(write(tmp_path / "empty.csv", ""))


TRAFFORD_HEADER = "area_code,area_name,period,indicator,measure,unit,value\n"
RECYCLING = '"Household waste sent for reuse, recycling or composting",Percentage,Waste'


def test_unparsable_period_names_file_and_row(tmp_path):
    path = write(tmp_path / "bad_period.csv", TRAFFORD_HEADER
                 + f"E08000009,Trafford,2014/15,{RECYCLING},61.9\n"
                 + f"E08000009,Trafford,last year,{RECYCLING},60\n")
    with pytest.raises(BenchmarkError, match=r"bad_period.csv, row 3: period 'last year'"):
        comparative.read_trafford(path)


def test_unknown_area_code_names_file_and_row(tmp_path):
    path = write(tmp_path / "bad_code.csv", TRAFFORD_HEADER
                 + f"E08000009,Trafford,2014/15,{RECYCLING},61.9\n"
                 + f"TRAFFORD,Trafford,2015/16,{RECYCLING},60\n")
    with pytest.raises(BenchmarkError, match=r"bad_code.csv, row 3: unknown area code 'TRAFFORD'"):
        comparative.read_trafford(path)


@pytest.mark.parametrize("marker", ["z", "x", "c", "..", ""])
def test_suppression_markers_become_nan_with_the_marker_kept(tmp_path, marker):
    path = write(tmp_path / "suppressed.csv", TRAFFORD_HEADER
                 + f"E08000009,Trafford,2014/15,{RECYCLING},61.9\n"
                 + f"E08000007,Stockport,2014/15,{RECYCLING},{marker}\n")
    frame = comparative.read_trafford(path)
    assert len(frame) == 2  # never dropped
    stockport = one(frame, area_name="Stockport")
    assert math.isnan(stockport["actual"])
    assert (f"'{marker}'" in stockport["note"]) if marker else stockport["note"] == "blank in the source"
    assert one(frame, area_name="Trafford")["note"] == ""


def test_unknown_text_in_a_value_is_an_error_naming_the_row(tmp_path):
    path = write(tmp_path / "text.csv", TRAFFORD_HEADER
                 + f"E08000009,Trafford,2014/15,{RECYCLING},about 60\n")
    with pytest.raises(BenchmarkError, match=r"text.csv, row 2: column 'value' holds 'about 60'"):
        comparative.read_trafford(path)


def test_unknown_indicator_is_kept_without_polarity(tmp_path):
    path = write(tmp_path / "other.csv", TRAFFORD_HEADER
                 + "E08000009,Trafford,2019,Fly-tipping incidents,Count,Incidents,1200\n")
    frame = comparative.read_trafford(path)
    row = one(frame, area_name="Trafford")
    assert row["measure_id"] == "fly_tipping_incidents_count" and pd.isna(row["polarity"])
    assert row["period"] == pd.Period("2019", "Y-DEC") and "not in conventions" in row["note"]


def test_lgbf_bad_year_label(tmp_path):
    header = ",Code,LocalAuthority,Year,LA_IndicatorReal,LA_Numerator_real,LA_Den_Real,FamilyGroup\n"
    path = write(tmp_path / "lgbf.csv", header + "0,ENV06,Fife,2018-19,0.45,,,Urban\n"
                 + "1,ENV06,Fife,FY2019,0.46,,,Urban\n")
    with pytest.raises(BenchmarkError, match=r"lgbf.csv, row 3: period 'FY2019'"):
        comparative.read_lgbf(path, indicators=LGBF_META)


def test_noted_rows_lists_what_the_readers_noticed(dfe):
    found = comparative.noted_rows(dfe)
    assert list(found.columns) == ["source", "row", "area_name", "measure_id", "period_label", "note"]
    assert (found["note"] != "").all() and len(found) == (dfe["note"] != "").sum()
    assert found["note"].str.contains("placeholder").any()


# --- period parsers (properties) ----------------------------------------------------------------


@given(st.integers(min_value=1990, max_value=2090))
def test_year_labels_round_trip(year):
    label = f"{year}/{(year + 1) % 100:02d}"
    for kind, freq in (("financial", "Y-MAR"), ("academic", "Y-AUG")):
        period = contract.year_period(label, kind)
        assert period == pd.Period(year=year + 1, freq=freq)
        assert contract.year_label(period, kind) == label
        assert contract.year_period(f"{year}{(year + 1) % 100:02d}", kind) == period  # DfE "201920"
    calendar = contract.year_period(str(year), "calendar")
    assert calendar == pd.Period(year=year, freq="Y-DEC")
    assert contract.year_label(calendar, "calendar") == str(year)


@given(st.integers(min_value=1990, max_value=2080), st.integers(min_value=2, max_value=5))
def test_lgbf_aggregate_labels(first, length):
    last_end = first + length
    period, label = _annual_period(f"{first}-{last_end % 100:02d}")
    assert period == pd.Period(year=last_end, freq="Y-MAR")
    assert label == f"{first}/{(first + 1) % 100:02d} to {last_end - 1}/{last_end % 100:02d}"


@given(st.text(max_size=12))
def test_period_parsers_never_crash(text):
    for kind in ("financial", "academic", "calendar"):
        result = contract.year_period(text, kind)
        assert result is None or isinstance(result, pd.Period)
    assert _annual_period(text) is None or isinstance(_annual_period(text)[0], pd.Period)


def test_numbers_keeps_markers_vectorised():
    rows = np.arange(2, 7)
    values, notes = contract.numbers(pd.Series(["1.5", "c", None, "z", "2"], dtype=object),
                                     file="f.csv", rows=rows, column="v")
    assert values.tolist()[0] == 1.5 and values.tolist()[4] == 2.0
    assert values.isna().tolist() == [False, True, True, True, False]
    assert notes[1].startswith("'c'") and notes[2] == "blank in the source" and notes[3].startswith("'z'")

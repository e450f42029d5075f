"""Direction of travel, the measure overview, notebook parameters and the cited history of harrowperf.analyse.trend."""

from __future__ import annotations

import csv
import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from harrowperf import ParameterError, ScorecardError, spc, synthetic, trend
from harrowperf.foundation.periods import quarter_label
from harrowperf.present import tables
from harrowperf.read import history

HISTORY = ROOT / "data" / "raw" / "history" / "harrow_measure_history.csv"
SEED_003 = ROOT / "tests" / "fixtures" / "seeds" / "003_405e00269b3432ab.txt"
SCORECARD_QUARTERS = {"Q2 2015/16", "Q1 2016/17", "Q2 2016/17"}


def travel(values, polarity="higher", **kwargs):
    frame = synthetic.frame_from_values(values, polarity=polarity, **{
        k: v for k, v in kwargs.items() if k in ("periods", "target_low", "target_high")
    })
    return trend.direction(frame, **{k: v for k, v in kwargs.items() if k == "compare"})


# ---------------------------------------------------------------------------
# Direction of travel
# ---------------------------------------------------------------------------


def test_changes_on_the_previous_quarter_and_last_year():
    out = travel([10, 12, 9, 9, 15])  # Q1 2015/16 .. Q1 2016/17
    assert out["change_prev"].tolist()[1:] == [2, -3, 0, 6]
    assert out["change_prev_pct"].tolist()[1:] == pytest.approx([20, -25, 0, 6 / 9 * 100])
    assert out["change_yoy"].isna().tolist() == [True] * 4 + [False]
    assert out["change_yoy"].iloc[4] == 5 and out["change_yoy_pct"].iloc[4] == pytest.approx(50)


@pytest.mark.parametrize(
    "polarity, expected",
    [
        ("higher", [None, "improving", "declining", "no change"]),
        ("lower", [None, "declining", "improving", "no change"]),
    ],
)
def test_direction_follows_polarity(polarity, expected):
    out = travel([10, 12, 9, 9], polarity)
    assert [None if pd.isna(d) else d for d in out["direction"]] == expected
    assert out["direction_basis"].tolist()[1:] == ["previous quarter"] * 3


def test_auto_compares_with_last_year_when_it_can():
    # a year-to-date measure: the fall from Q4 to Q1 is the new year starting, not a decline
    out = travel([20, 40, 60, 80, 25, 50], "higher")
    assert out["direction"].tolist()[4:] == ["improving", "improving"]
    assert out["direction_basis"].tolist()[4:] == ["same quarter last year"] * 2
    forced = travel([20, 40, 60, 80, 25, 50], "higher", compare="previous")
    assert forced["direction"].iloc[4] == "declining"
    year_only = travel([20, 40, 60, 80, 25, 50], "higher", compare="year")
    assert year_only["direction"].isna().tolist() == [True] * 4 + [False] * 2


def test_quarters_are_matched_by_date_not_by_row():
    out = travel([217, 122, 263], "lower", periods=["Q2 2015/16", "Q1 2016/17", "Q2 2016/17"])
    assert np.isnan(out["change_prev"].iloc[1])  # Q4 2015/16 is absent
    assert out["change_prev"].iloc[2] == 141
    assert out["change_yoy"].iloc[2] == 46
    assert pd.isna(out["direction"].iloc[1])
    assert out["direction"].iloc[2] == "declining"  # 263 against 217 a year earlier, lower is better


def test_in_range_improves_when_moving_towards_the_range():
    values = [0.7, 0.85, 0.95, 1.0, 1.3]  # distance outside 0.9-1.1: 0.2, 0.05, 0, 0, 0.2
    out = travel(values, "in_range", target_low=0.9, target_high=1.1, compare="previous")
    assert out["direction"].tolist()[1:] == ["improving", "improving", "no change", "declining"]
    # the last is also 0.2 outside, as it was a year earlier: no change on last year
    assert travel(values, "in_range", target_low=0.9, target_high=1.1)["direction"].iloc[4] == "no change"


def test_missing_values_and_polarity_give_no_direction():
    out = travel([10, np.nan, 12])
    assert out["direction"].isna().all()  # no previous quarter with a value
    unknown = synthetic.frame_from_values([1, 2]).assign(polarity=None)
    assert trend.direction(unknown)["direction"].isna().all()
    assert trend.direction(unknown)["change_prev"].iloc[1] == 1


def test_direction_is_per_series_and_leaves_the_input_alone():
    a = synthetic.frame_from_values([1, 2, 3], measure="Synthetic A", area_code="E1")
    b = synthetic.frame_from_values([9, 8, 7], measure="Synthetic A", area_code="E2")
    frame = pd.concat([b, a], ignore_index=True)
    before = frame.copy()
    out = trend.direction(frame)
    pd.testing.assert_frame_equal(frame, before)
    np.testing.assert_array_equal(out["change_prev"], [np.nan, -1, -1, np.nan, 1, 1])
    assert out["direction"].tolist()[1:3] == ["declining", "declining"]


def test_bad_compare_and_duplicates():
    frame = synthetic.frame_from_values([1, 2])
    with pytest.raises(ParameterError, match="compare"):
        trend.direction(frame, compare="month")
    with pytest.raises(ScorecardError, match="same period twice"):
        trend.direction(pd.concat([frame, frame]))


def test_period_labels_are_accepted_in_place_of_periods():
    frame = synthetic.frame_from_values([1, 2, 4])
    frame["period"] = frame["period_label"]
    assert trend.direction(frame)["change_prev"].tolist()[1:] == [1, 2]
    frame.loc[1, "period"] = "Quarter two"
    with pytest.raises(ParameterError, match="Quarter two"):
        trend.direction(frame)


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


def test_overview_has_one_row_per_measure_at_the_quarter():
    frame = synthetic.scorecard_frame(6, 16, seed=4)
    view = trend.overview(frame, "Q1 2016/17")
    assert len(view) == 6 and view["quarter"].unique().tolist() == ["Q1 2016/17"]
    at = frame.loc[frame["period_label"] == "Q1 2016/17"].set_index("measure_id")["actual"]
    assert view.set_index("measure_id")["actual"].to_dict() == at.to_dict()
    assert set(view["latest_period_label"]) == {"Q1 2016/17"}
    table = tables.trend_overview(view)
    assert list(table.columns[:4]) == ["Theme", "Ref", "Measure", "This quarter"]
    assert not table.isna().any().any()
    with pytest.raises(ParameterError, match="quarters present"):
        trend.overview(frame, "Q3 2016/17")


# ---------------------------------------------------------------------------
# Notebook parameters
# ---------------------------------------------------------------------------


@pytest.fixture
def scorecard():
    return synthetic.scorecard_frame(6, 8, seed=2)


def test_check_parameters_selects_the_data(scorecard):
    params = trend.check_parameters(scorecard, "Q1 2016/17", theme="synthetic theme b")
    assert params.theme == "Synthetic theme B"
    assert params.quarter == pd.Period("2017Q1", freq="Q-MAR")
    assert set(params.frame["theme"]) == {"Synthetic theme B"}
    assert params.frame["period"].max() == params.quarter
    chosen = trend.check_parameters(scorecard, "Q2 2016/17", measure="Synthetic measure 0002")
    assert chosen.measure_id == "synthetic-measure-0002"


def test_check_parameters_explains_what_is_wrong(scorecard):
    with pytest.raises(ParameterError, match=r"quarters present are: Q3 2014/15, .*Q2 2016/17"):
        trend.check_parameters(scorecard, "Q3 2016/17")
    with pytest.raises(ParameterError, match="not a financial quarter"):
        trend.check_parameters(scorecard, "2016 Q3")
    with pytest.raises(ParameterError, match="themes: Synthetic theme"):
        trend.check_parameters(scorecard, "Q2 2016/17", theme="Housing")
    with pytest.raises(ParameterError, match="did you mean: Synthetic measure 0001"):
        trend.check_parameters(scorecard, "Q2 2016/17", measure="Synthetic measure 001")


# ---------------------------------------------------------------------------
# History of real figures
# ---------------------------------------------------------------------------


def history_rows():
    with HISTORY.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def normalised(text):
    return " ".join(text.split())


def test_every_history_figure_is_quoted_from_its_source():
    for row in history_rows():
        source_file = ROOT / row["source"].split(" ")[0]
        assert source_file.exists(), row["source"]
        assert normalised(row["passage"]) in normalised(source_file.read_text("utf-8")), row["passage"]
        # the figure (and the target, if any) is in the quoted passage, as written there
        for column in ("actual", "target"):
            if row[column]:
                digits = row[column]
                written = {digits, f"{float(digits):,.0f}" if float(digits).is_integer() else digits}
                target_words = {"9": "nine"}.get(digits, digits)
                assert any(re.search(rf"(?<![\d.]){re.escape(w)}(?![\d])", row["passage"])
                           for w in written | {target_words}), (column, row)
        assert row["trust"] in ("A", "B", "C", "D")


def test_history_reads_into_the_scorecard_contract():
    frame = history.read_history(HISTORY).frame
    from harrowperf.read.scorecard import FRAME_COLUMNS, measure_slug

    assert tuple(frame.columns) == tuple(FRAME_COLUMNS)
    assert len(frame) == len(history_rows())
    assert isinstance(frame["period"].dtype, pd.PeriodDtype)
    assert (frame["measure_id"] == frame["measure"].map(measure_slug)).all()
    assert frame["actual"].notna().all()
    assert frame["status_note"].str.contains("History figure, trust").all()
    assert not frame["status_note"].str.contains("seeds/|\\.txt", regex=True).any()   # cited by title, not file
    row = frame.loc[frame["period_covered"] == "April 2016 to March 2017"].iloc[0]
    assert (row["period_label"], row["frequency"], row["actual"]) == ("2016/17", "financial year", 72.0)
    assert str(row["period"]) == "2017Q4"  # reported in the year's Q4
    from harrowperf.foundation.schema import TEXT_COLUMNS, validate_scorecard
    validate_scorecard(frame.assign(**{c: frame[c].fillna("") for c in TEXT_COLUMNS}))


def test_history_rows_enter_the_frame_at_their_own_frequency():
    frame = history.read_history(HISTORY).frame
    rows = history_rows()
    # every row's frequency is its period_kind's, and nothing is lost or changed on the way
    kinds = {"quarter": "quarter", "year": "financial year", "month": "month", "calendar_year": "calendar year"}
    assert frame["frequency"].tolist() == [kinds[row["period_kind"]] for row in rows]
    assert frame["actual"].tolist() == [float(row["actual"]) for row in rows]
    # the two single months of 2003/04, as the Best Value Performance Plan 2004/05 gives them (file lines 5 and 6)
    months = frame[frame["frequency"] == "month"]
    assert months[["period_label", "period_start", "period_end", "actual"]].values.tolist() == [
        ["Jun 2003", pd.Timestamp("2003-06-01"), pd.Timestamp("2003-06-30"), 11.9],
        ["Feb 2004", pd.Timestamp("2004-02-01"), pd.Timestamp("2004-02-29"), 14.5]]
    assert months["period"].astype(str).tolist() == ["2004Q1", "2004Q4"]  # the quarters they are reported in
    # the DEFRA financial year 2013/14 (file line 4): April 2013 to March 2014, not its last quarter
    defra = frame[frame["measure"].str.endswith("(financial year, DEFRA annual rate)")]
    assert defra[["frequency", "period_label", "period_start", "period_end", "actual"]].values.tolist() == [
        ["financial year", "2013/14", pd.Timestamp("2013-04-01"), pd.Timestamp("2014-03-31"), 49.2]]
    # quarters stay quarters
    quarter = frame.iloc[0]
    assert (quarter["frequency"], quarter["period_label"], quarter["period_start"], quarter["period_end"]) == (
        "quarter", "Q1 2018/19", pd.Timestamp("2018-04-01"), pd.Timestamp("2018-06-30"))


def test_a_calendar_year_history_row_is_a_calendar_year(tmp_path):
    row = history_rows()[0] | {"period_kind": "calendar_year", "period_label": "2013", "period_covered": ""}
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=history.HISTORY_COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    got = history.read_history(path).frame.iloc[0]
    assert (got["frequency"], got["period_label"], got["period_start"], got["period_end"], str(got["period"])) == (
        "calendar year", "2013", pd.Timestamp("2013-01-01"), pd.Timestamp("2013-12-31"), "2014Q3")


def test_same_basis_history_extends_scorecard_measures_without_repeating_a_quarter():
    seed = normalised(SEED_003.read_text("utf-8"))
    for row in history_rows():
        if row["basis"]:
            continue
        # the measure is printed on the Q2 2016/17 scorecard with this reference and wording
        assert f"{row['measure_ref']} {row['measure']}" in seed or f"{row['measure_ref']}\t{row['measure']}" in seed
        period = history.history_period(row["period_kind"], row["period_label"])
        assert quarter_label(period) not in SCORECARD_QUARTERS, row


def test_history_basis_rows_become_their_own_series():
    frame = history.read_history(HISTORY).frame
    rolling = frame.loc[frame["measure"].str.endswith("(rolling 12 months)")]
    assert set(rolling["measure_ref"]) == {"19", "51"}
    assert not rolling["measure_id"].isin(
        ["total-number-of-households-to-whom-we-have-accepted-a-full-homelessness-duty"]
    ).any()


@pytest.mark.parametrize(
    "kind, label, quarter",
    [("quarter", "Q3 2018/19", "2019Q3"), ("year", "2003/04", "2004Q4"), ("month", "June 2003", "2004Q1"),
     ("month", "February 2004", "2004Q4"), ("calendar_year", "2013", "2014Q3")],
)
def test_history_periods(kind, label, quarter):
    assert history.history_period(kind, label) == pd.Period(quarter, freq="Q-MAR")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"polarity": "up"}, "row 2.*polarity"),
        ({"actual": "about 40"}, "row 2.*actual"),
        ({"period_label": "Q5 2018/19"}, "period_label"),
        ({"trust": "E"}, "trust"),
        ({"passage": ""}, "passage.*empty"),
    ],
)
def test_bad_history_rows_name_file_row_and_column(tmp_path, change, message):
    row = history_rows()[0] | change
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=history.HISTORY_COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    with pytest.raises(ScorecardError, match=message) as error:
        history.read_history(path)
    assert "history.csv" in str(error.value)


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_history_places_any_month_and_quarter_in_the_quarter_containing_it(day):
    month = day.strftime("%B %Y")
    quarter = history.history_period("month", month)
    assert quarter.start_time.date() <= day <= quarter.end_time.date()
    assert history.history_period("quarter", quarter_label(quarter)) == quarter
    fy = f"{quarter.qyear - 1}/{quarter.qyear % 100:02d}"
    assert history.history_period("year", fy) == pd.Period(year=quarter.qyear, quarter=4, freq="Q-MAR")


def test_needs_attention_orders_by_reason_and_never_headlines_a_provisional_failure():
    summary = pd.DataFrame({
        "measure_id": ["a", "b", "c", "d", "e"],
        "variation": ["common_cause", "improvement", "concern", "common_cause", "concern"],
        "assurance": ["consistently_fails", "consistently_fails", None, "consistently_fails", "hit_and_miss"],
        "short_series": [False, False, False, True, False],
    })
    picked = trend.needs_attention(summary)
    # concern first (scorecard order kept), then improvement, then settled failures; "d" is short
    assert picked["measure_id"].tolist() == ["c", "e", "b", "a"]
    assert picked["attention"].tolist() == ["concern", "concern", "improvement", "failing"]
    assert trend.needs_attention(summary, limit=2)["measure_id"].tolist() == ["c", "e"]
    assert trend.needs_attention(summary, reasons=["failing"])["measure_id"].tolist() == ["a"]
    with pytest.raises(ParameterError, match="the reasons are: concern, improvement, failing"):
        trend.needs_attention(summary, reasons=["red"])
    selection = trend.detail_selection(summary.assign(points=20, measure="m"), limit=3)
    assert selection.measure_ids == ("c", "e", "b")
    assert (selection.concern, selection.improvement, selection.failing) == (2, 1, 1)


def test_small_multiples_beyond_the_panel_limit_draw_only_measures_that_need_attention():
    from harrowperf.present.charts import trend as spc_charts

    frame = synthetic.scorecard_frame(8, 16, seed=3)
    points, icons = spc.xmr(frame), spc.summary(frame)
    wanted = trend.needs_attention(icons, limit=3)
    assert len(wanted)  # the synthetic frame has special cause to find
    chart = spc_charts.theme_small_multiples(points, None, icons, panels=3).to_dict()
    rows = next(iter(chart["datasets"].values()))
    assert {r["Measure"] for r in rows} == set(wanted["measure"])
    assert f"Only the {len(wanted)} of 8 measures that need attention are drawn" in chart["description"]
    every = spc_charts.theme_small_multiples(points, None, icons, panels=8).to_dict()
    assert len({r["Measure"] for r in next(iter(every["datasets"].values()))}) == 8
    assert "Only the" not in every["description"]


@pytest.mark.parametrize("keys", [None, ["area_code", "measure_id"], ["area_code", "measure_id", "theme"]])
def test_series_order_is_that_of_a_sorted_groupby_for_shuffled_rows_and_missing_keys(keys):
    from harrowperf.analyse import series

    frame = synthetic.scorecard_frame(20, 8, n_areas=3, seed=2, missing_share=0.1)
    frame = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    frame.loc[3, "area_code"] = None
    frame.loc[5, "period"] = pd.NaT
    columns = list(series.series_keys(frame, keys))
    sorted_ = series.sort_series(frame, keys)
    expected_codes = frame.groupby(columns, sort=True, dropna=False).ngroup().to_numpy()
    ordinals, _ = series.quarter_ordinals(frame["period"])
    expected_order = np.lexsort((ordinals, expected_codes))
    assert sorted_.order.tolist() == expected_order.tolist()
    assert sorted_.codes.tolist() == expected_codes[expected_order].tolist()
    # already in series order: the same answer
    again = series.sort_series(frame.iloc[expected_order].reset_index(drop=True), keys)
    assert again.order.tolist() == list(range(len(frame)))


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_series_numbers_of_rows_stored_a_series_at_a_time_are_those_of_a_sorted_groupby(missing):
    # Rows a series at a time (not in key order) are numbered from the rows where a key changes;
    # missing keys of any kind, and a key column pandas cannot compare (pd.NA in objects), give
    # the same numbers as a sorted groupby.
    from harrowperf.analyse import series

    frame = synthetic.scorecard_frame(30, 8, n_areas=2, seed=4)
    frame = frame.iloc[np.argsort(-(np.arange(len(frame)) // 8), kind="stable")].reset_index(drop=True)
    frame["area_code"] = frame["area_code"].astype(object)
    frame.loc[frame.index[8:24], "area_code"] = missing  # two whole series with a missing area
    frame.loc[frame.index[40:44], "area_code"] = missing  # half of a series
    frame["frequency"] = np.where(np.arange(len(frame)) // 16 % 3 == 0, "month", "quarter").astype(object)
    frame["period_start"] = frame["period"].dt.start_time
    sorted_ = series.sort_series(frame)
    columns = list(series.series_keys(frame))
    assert columns == ["measure_id", "area_code", "frequency"]
    expected_codes = frame.groupby(columns, sort=True, dropna=False).ngroup().to_numpy()
    assert sorted_.codes.tolist() == expected_codes[sorted_.order].tolist()
    assert sorted_.n_groups == expected_codes.max() + 1


@pytest.mark.parametrize("dtype", ["str", "string", object, "category"])
def test_value_codes_say_which_name_each_row_equals_whether_values_repeat_down_the_rows_or_not(dtype):
    # Repeating values (a measure's polarity on each of its rows) are compared only where they
    # change; either way each row gets the name it equals, and -1 for other or missing values.
    from harrowperf.analyse import series

    repeating = ["higher"] * 10 + [None] * 3 + ["lower"] * 10 + ["in_range"] * 10 + ["higher"] * 10 + ["other"] * 10
    alternating = ["lower", "higher", None, "other", "higher", "in_range"] * 4
    names = ("higher", "lower", "in_range")
    for values, runs in ((repeating, True), (alternating, False)):
        column = pd.Series(values, dtype=dtype)
        assert (series._run_starts([column.array]) is not None) == runs  # both ways are tried
        expected = [names.index(v) if v in names else -1 for v in values]
        assert series.value_codes(column, names).tolist() == expected

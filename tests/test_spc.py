"""XmR arithmetic, special-cause rules, icons and options of harrowperf.analyse.spc, on hand-computed series."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harrowperf import ParameterError, ScorecardError, spc, synthetic
from harrowperf.analyse.spc import rule_outside_limits, rule_shift, rule_trend, rule_two_of_three
from harrowperf.foundation import conventions

SIGMA = 2.66
NEAR = 2 / 3 * SIGMA


def run(values, polarity="higher", **options):
    return spc.xmr(synthetic.frame_from_values(values, polarity=polarity), **options)


def flags(frame, column):
    return frame[column].fillna(False).astype(bool).tolist()


# ---------------------------------------------------------------------------
# XmR arithmetic
# ---------------------------------------------------------------------------

SPIKE = [10, 12, 11, 13, 12, 11, 30]  # moving ranges 2, 1, 2, 1, 1, 19


def test_screened_limits_drop_the_large_moving_range():
    out = run(SPIKE)
    mean = 99 / 7
    # mean MR 26/6 = 4.33; 19 >= 3.267 x 4.33 = 14.2 is dropped; the rest average 7/5
    assert out["centre"].tolist() == pytest.approx([mean] * 7)
    assert out["mean_moving_range"].iloc[0] == pytest.approx(1.4)
    assert out["upper_limit"].iloc[0] == pytest.approx(mean + SIGMA * 1.4)
    assert out["lower_limit"].iloc[0] == pytest.approx(mean - SIGMA * 1.4)
    assert out["near_upper_limit"].iloc[0] == pytest.approx(mean + NEAR * 1.4)
    assert out["moving_range"].tolist()[1:] == [2, 1, 2, 1, 1, 19]
    assert np.isnan(out["moving_range"].iloc[0])
    assert out["moving_range_screened_out"].tolist() == [False] * 6 + [True]
    # 10 is below 14.14 - 3.72 = 10.42 and 30 above 17.87
    assert flags(out, "rule_outside_limits") == [True, False, False, False, False, False, True]
    assert out["point_type"].tolist()[0] == "special_cause_concern"
    assert out["point_type"].tolist()[-1] == "special_cause_improvement"


def test_screening_off_reproduces_the_mdc_excel_tool():
    out = run(SPIKE, screen_outliers=False)
    mean, amr = 99 / 7, 26 / 6
    assert out["mean_moving_range"].iloc[0] == pytest.approx(amr)
    assert out["upper_limit"].iloc[0] == pytest.approx(mean + SIGMA * amr)  # 25.67
    assert out["lower_limit"].iloc[0] == pytest.approx(mean - SIGMA * amr)  # 2.62
    assert not out["moving_range_screened_out"].any()
    assert flags(out, "rule_outside_limits") == [False] * 6 + [True]


def test_a_moving_range_equal_to_the_screening_threshold_is_dropped(monkeypatch):
    shipped = conventions.settings()
    limits = dataclasses.replace(shipped.spc.limits, screening_factor=2.0)  # exact in binary: the tie is exact
    changed = dataclasses.replace(shipped, spc=dataclasses.replace(shipped.spc, limits=limits))
    monkeypatch.setattr(spc, "settings", lambda: changed)
    out = run([0, 1, 2, 3, 6])  # moving ranges 1, 1, 1, 3: mean 1.5, threshold 3.0
    assert out["moving_range_screened_out"].tolist() == [False, False, False, False, True]
    assert out["mean_moving_range"].iloc[0] == pytest.approx(1.0)


def test_limits_from_two_points_are_marked_short():
    out = run([4, 6])
    assert out["centre"].tolist() == [5, 5]
    assert out["upper_limit"].iloc[0] == pytest.approx(5 + SIGMA * 2)
    assert out["spc_status"].tolist() == ["short", "short"]
    assert out["short_series"].all()
    assert out["special_cause"].tolist() == [False, False]


def test_one_point_has_no_limits_and_no_status():
    out = run([4])
    assert out["centre"].tolist() == [4]
    assert np.isnan(out["upper_limit"].iloc[0])
    assert out["spc_status"].tolist() == ["too_few_points"]
    assert out["special_cause"].isna().all() and out["point_type"].isna().all()
    summary = spc.summary(synthetic.frame_from_values([4]))
    assert summary["variation"].tolist() == ["not_enough_points"]
    assert summary["short_series"].tolist() == [True]
    assert summary["assurance"].isna().all()


def test_a_flat_series_gets_a_status_instead_of_flags():
    out = run([5, 5, 5, 5])
    assert out["spc_status"].unique().tolist() == ["no_variation"]
    assert out["special_cause"].isna().all()
    assert out["upper_limit"].isna().all()
    summary = spc.summary(synthetic.frame_from_values([5, 5, 5, 5]))
    assert summary["variation"].isna().all()
    assert summary["status"].tolist() == ["no_variation"]


def test_a_series_screened_to_zero_variation_gets_a_status():
    values = [5, 5, 5, 5, 5, 20]  # moving ranges 0,0,0,0,15: mean 3, 15 >= 9.8 is screened out
    out = run(values)
    assert out["spc_status"].unique().tolist() == ["screened_to_zero"]
    assert out["special_cause"].isna().all()
    unscreened = run(values, screen_outliers=False)
    # mean 7.5, mean MR 3: upper limit 15.48, so 20 is outside
    assert unscreened["upper_limit"].iloc[0] == pytest.approx(7.5 + SIGMA * 3)
    assert flags(unscreened, "rule_outside_limits") == [False] * 5 + [True]


def test_limits_fixed_on_the_first_points():
    values = [10, 12] * 6 + [20, 20]
    out = run(values, fix_after_n_points=12)
    # from the first 12 only: mean 11, every moving range 2
    assert out["centre"].tolist() == pytest.approx([11] * 14)
    assert out["upper_limit"].iloc[-1] == pytest.approx(11 + SIGMA * 2)
    assert out["lower_limit"].iloc[-1] == pytest.approx(11 - SIGMA * 2)
    assert np.isnan(out["moving_range"].iloc[12])  # not part of the fixed calculation
    assert flags(out, "rule_outside_limits")[-2:] == [True, True]
    free = run(values)
    assert free["centre"].iloc[0] == pytest.approx(172 / 14)


@pytest.mark.parametrize("n", [0, 11, 2.5, True, "12"])
def test_fixing_needs_twelve_points_or_more(n):
    with pytest.raises(ParameterError, match="fix_after_n_points"):
        run([1, 2, 3], fix_after_n_points=n)


REBASE = [10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20, 21]  # quarters Q1 2015/16 .. Q4 2017/18


def test_rebasing_gives_each_segment_its_own_limits():
    out = run(REBASE, rebase="Q3 2016/17")  # the seventh quarter
    assert out["segment"].tolist() == [0] * 6 + [1] * 6
    assert out["centre"].tolist() == pytest.approx([10.5] * 6 + [20.5] * 6)
    assert out["upper_limit"].tolist() == pytest.approx([10.5 + SIGMA] * 6 + [20.5 + SIGMA] * 6)
    assert not out["special_cause"].any()
    assert out["segment_points"].tolist() == [6] * 12
    # without the rebase: mean 15.5, the jump of 9 is screened out, limits 15.5 +/- 2.66
    single = run(REBASE)
    assert single["upper_limit"].iloc[0] == pytest.approx(15.5 + SIGMA)
    assert single["rule_outside_limits"].all()


def test_rebase_by_measure_and_at_a_quarter_without_a_value():
    frame = pd.concat([
        synthetic.frame_from_values(REBASE, measure="Synthetic A"),
        synthetic.frame_from_values(REBASE, measure="Synthetic B"),
    ], ignore_index=True)
    frame.loc[6, "actual"] = np.nan  # A's rebase quarter has no value: its next value starts segment 1
    out = spc.xmr(frame, rebase={"synthetic-a": ["Q3 2016/17"]})
    a, b = out.iloc[:12], out.iloc[12:]
    assert a["segment"].tolist() == [0] * 6 + [1] * 6
    assert a["centre"].iloc[7] == pytest.approx((21 + 20 + 21 + 20 + 21) / 5)
    assert b["segment"].tolist() == [0] * 12
    with pytest.raises(ParameterError, match="not a series"):
        spc.xmr(frame, rebase={"no-such-measure": "Q3 2016/17"})
    with pytest.raises(ParameterError, match="rebase"):
        spc.xmr(frame, rebase="Q9 2016/17")


# ---------------------------------------------------------------------------
# Rules as pure functions
# ---------------------------------------------------------------------------


def first_of(n, *starts):
    first = np.zeros(n, dtype=bool)
    first[[0, *starts]] = True
    return first


def test_outside_is_strict():
    y = np.array([3.0, 3.0001, -3.0, -3.0001])
    assert rule_outside_limits(y, np.full(4, -3.0), np.full(4, 3.0)).tolist() == [False, True, False, True]


@pytest.mark.parametrize(
    "side, expected",
    [
        ([1] * 7, [True] * 7),  # exactly the rule length
        ([-1] * 7 + [1], [True] * 7 + [False]),  # below the mean
        ([1] * 6, [False] * 6),
        ([1, 1, 1, 0, 1, 1, 1, 1], [False] * 8),  # a point on the mean breaks the run
        ([1], [False]),
        ([1, 1], [False, False]),
    ],
)
def test_shift(side, expected):
    side = np.array(side, dtype=np.int8)
    assert rule_shift(side, first_of(side.size), 7).tolist() == expected


def test_shift_does_not_cross_a_rebase():
    side = np.ones(8, dtype=np.int8)
    assert not rule_shift(side, first_of(8, 4), 7).any()


@pytest.mark.parametrize(
    "y, expected, direction",
    [
        ([1, 2, 3, 4, 5, 6, 7], [True] * 7, [1] * 7),  # exactly seven points
        ([7, 6, 5, 4, 3, 2, 1], [True] * 7, [-1] * 7),
        ([9, 1, 2, 3, 4, 5, 6, 7, 3], [False] + [True] * 7 + [False], [0] + [1] * 7 + [0]),
        ([1, 2, 3, 3, 4, 5, 6, 7], [False] * 8, [0] * 8),  # a tie breaks the run
        ([1, 2, 3, 4, 5, 6], [False] * 6, [0] * 6),
        ([1], [False], [0]),
        ([1, 2], [False, False], [0, 0]),
    ],
)
def test_trend(y, expected, direction):
    y = np.array(y, dtype=float)
    flagged, dirs = rule_trend(y, first_of(y.size), 7)
    assert flagged.tolist() == expected
    assert dirs.tolist() == direction


def test_a_point_joining_two_trends_takes_the_trend_it_starts():
    y = np.array([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], dtype=float)
    flagged, dirs = rule_trend(y, first_of(y.size), 7)
    assert flagged.all()
    assert dirs.tolist() == [1] * 6 + [-1] * 7


def test_trend_does_not_cross_a_rebase():
    y = np.arange(1, 9, dtype=float)
    flagged, _ = rule_trend(y, first_of(8, 4), 7)
    assert not flagged.any()


LIMITS = tuple(np.full(3, v) for v in (-3.0, -2.0, 2.0, 3.0))  # lower, near lower, near upper, upper


def two_of_three(y, mode, position=(0, 1, 2)):
    y = np.array(y, dtype=float)
    limits = tuple(a[: y.size] for a in LIMITS)
    return rule_two_of_three(
        y, np.sign(y).astype(np.int8), np.array(position[: y.size]), limits, mode=mode, window=3, count=2
    ).tolist()


@pytest.mark.parametrize(
    "y, nhsr, mdc",
    [
        ([2.5, 0.5, 2.5], [True, False, True], [True, False, True]),
        ([-2.5, -2.5, -0.1], [True, True, False], [True, True, False]),  # low side
        ([2.5, -0.5, 2.5], [False] * 3, [True, False, True]),  # NHSR: all three on one side
        ([3.5, 0.5, 2.5], [False] * 3, [True, False, True]),  # beyond the outer limit counts in 2023
        ([2.5, 0.0, 2.5], [False] * 3, [True, False, True]),  # a point on the mean
        ([2.5, 0.5, -2.5], [False] * 3, [False] * 3),  # near limits on opposite sides
        ([2.5], [False], [False]),
        ([2.5, 2.5], [False, False], [False, False]),
    ],
)
def test_two_of_three(y, nhsr, mdc):
    assert two_of_three(y, "nhsr") == nhsr
    assert two_of_three(y, "mdc_2023") == mdc


def test_two_of_three_does_not_cross_a_rebase():
    assert two_of_three([2.5, 2.5, 2.5], "nhsr", position=(0, 1, 0)) == [False] * 3


# ---------------------------------------------------------------------------
# Rules through xmr, both polarities
# ---------------------------------------------------------------------------

SHIFT = [10, 12, 10, 12, 10, 12, 10, 13, 15, 13, 15, 13, 15, 13]
# mean 173/14 = 12.36; moving ranges 2 x 6, 3, 2 x 6: mean 27/13; limits 6.83 .. 17.88,
# near limits 8.67 .. 16.04: no point near or beyond a limit, seven below then seven above


@pytest.mark.parametrize(
    "polarity, low, high",
    [
        ("higher", "special_cause_concern", "special_cause_improvement"),
        ("lower", "special_cause_improvement", "special_cause_concern"),
        ("in_range", "special_cause_neutral_low", "special_cause_neutral_high"),
    ],
)
def test_shift_point_types_follow_polarity(polarity, low, high):
    out = run(SHIFT, polarity)
    assert out["mean_moving_range"].iloc[0] == pytest.approx(27 / 13)
    assert out["rule"].tolist() == ["shift"] * 14
    assert out["point_type"].tolist() == [low] * 7 + [high] * 7


TREND = [20, 0, 20, 0, 20, 1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    "polarity, expected", [("higher", "special_cause_improvement"), ("lower", "special_cause_concern")]
)
def test_trend_takes_precedence_and_its_direction_decides(polarity, expected):
    out = run(TREND, polarity)
    # mean 88/12 = 7.33, so 1..7 are also seven points below the mean: the trend is reported first
    assert flags(out, "rule_trend") == [False] * 5 + [True] * 7
    assert flags(out, "rule_shift") == [False] * 5 + [True] * 7
    assert out["rule"].tolist()[5:] == ["trend"] * 7
    assert out["point_type"].tolist()[5:] == [expected] * 7


TWO_OF_THREE = [10, 12] * 6 + [17, 12.5, 17]
# mean 178.5/15 = 11.9; moving ranges 2 x 11, 5, 4.5, 4.5: mean 36/14; limits 5.06 .. 18.74,
# near upper 16.46: both 17s are between the near and the outer limit, 12.5 above the mean


def test_two_of_three_through_xmr():
    out = run(TWO_OF_THREE)
    centre, amr = 178.5 / 15, 36 / 14
    assert out["near_upper_limit"].iloc[0] == pytest.approx(centre + NEAR * amr)
    assert flags(out, "rule_two_of_three") == [False] * 12 + [True, False, True]
    assert out["point_type"].tolist()[-1] == "special_cause_improvement"
    lower_is_better = run(TWO_OF_THREE, "lower")
    assert lower_is_better["point_type"].tolist()[-1] == "special_cause_concern"
    # the middle point below the mean stops NHSR's rule but not the 2023 MDC revision
    dipped = TWO_OF_THREE[:-2] + [11, 17]
    assert not run(dipped)["rule_two_of_three"].any()
    assert flags(run(dipped, two_of_three_mode="mdc_2023"), "rule_two_of_three")[-3:] == [True, False, True]


# ---------------------------------------------------------------------------
# Summary: variation and assurance icons
# ---------------------------------------------------------------------------

STEADY = [10, 12] * 6 + [10]  # 13 points: mean 142/13, every moving range 2, limits 5.60 .. 16.24


@pytest.mark.parametrize(
    "polarity, target, assurance",
    [
        ("higher", 5.0, "consistently_meets"),
        ("higher", 17.0, "consistently_fails"),
        ("higher", 11.0, "hit_and_miss"),
        ("lower", 17.0, "consistently_meets"),
        ("lower", 5.0, "consistently_fails"),
        ("lower", 11.0, "hit_and_miss"),
    ],
)
def test_assurance(polarity, target, assurance):
    summary = spc.summary(synthetic.frame_from_values(STEADY, polarity=polarity, target=target))
    assert summary["lower_limit"].iloc[0] == pytest.approx(142 / 13 - 2 * SIGMA)
    assert summary["assurance"].tolist() == [assurance]
    assert summary["variation"].tolist() == ["common_cause"]
    assert summary["variation_icon"].tolist() == ["common_cause"]
    assert summary["short_series"].tolist() == [False]


@pytest.mark.parametrize(
    "low, high, assurance",
    [(0, 20, "consistently_meets"), (17, 20, "consistently_fails"), (8, 14, "hit_and_miss")],
)
def test_assurance_in_range(low, high, assurance):
    frame = synthetic.frame_from_values(STEADY, polarity="in_range", target_low=low, target_high=high)
    assert spc.summary(frame)["assurance"].tolist() == [assurance]


def test_no_assurance_without_a_target_and_twelve_points_are_short():
    summary = spc.summary(synthetic.frame_from_values(STEADY[:12]))
    assert summary["assurance"].isna().all()
    assert summary["short_series"].tolist() == [True]
    assert summary["status"].tolist() == ["short"]


@pytest.mark.parametrize(
    "values, polarity, variation, icon",
    [
        (SPIKE, "higher", "improvement", "improvement_high"),
        (SPIKE, "lower", "concern", "concern_high"),
        (SPIKE, "in_range", "neutral", "neutral_high"),
        ([*SPIKE[:-1], -5], "higher", "concern", "concern_low"),
        ([*SPIKE[:-1], -5], "lower", "improvement", "improvement_low"),
    ],
)
def test_variation_icon_from_the_latest_point(values, polarity, variation, icon):
    summary = spc.summary(synthetic.frame_from_values(values, polarity=polarity))
    assert summary["variation"].tolist() == [variation]
    assert summary["variation_icon"].tolist() == [icon]
    assert summary["latest_rule"].tolist() == ["outside_limits"]


def test_summary_as_at_a_quarter_ignores_later_quarters():
    frame = synthetic.frame_from_values(SPIKE)  # Q1 2015/16 .. Q3 2016/17
    before_spike = spc.summary(frame, quarter="Q2 2016/17")
    assert before_spike["latest_period_label"].tolist() == ["Q2 2016/17"]
    assert before_spike["points"].tolist() == [6]
    with pytest.raises(ParameterError, match="Q1 2015/16, Q2 2015/16"):
        spc.summary(frame, quarter="Q4 2020/21")


def test_summary_latest_point_skips_a_missing_last_quarter():
    frame = synthetic.frame_from_values([*SPIKE, np.nan])
    summary = spc.summary(frame)
    assert summary["latest_period_label"].tolist() == ["Q3 2016/17"]
    assert summary["latest_actual"].tolist() == [30]


# ---------------------------------------------------------------------------
# Many series, missing values, options
# ---------------------------------------------------------------------------


def test_each_series_is_computed_on_its_own_and_input_order_is_kept():
    a = synthetic.frame_from_values(SPIKE, measure="Synthetic A")
    b = synthetic.frame_from_values(SHIFT, measure="Synthetic B", polarity="lower")
    mixed = pd.concat([b, a], ignore_index=True).sample(frac=1, random_state=3)
    before = mixed.copy()
    out = spc.xmr(mixed)
    pd.testing.assert_frame_equal(mixed, before)  # input not changed
    assert out.index.equals(mixed.index)
    for part, alone in ((a, spc.xmr(a)), (b, spc.xmr(b))):
        got = out.loc[out["measure_id"] == part["measure_id"].iloc[0]].sort_values("period")
        assert got["upper_limit"].tolist() == pytest.approx(alone["upper_limit"].tolist())
        assert got["point_type"].tolist() == alone["point_type"].tolist()


def test_areas_are_separate_series():
    a = synthetic.frame_from_values(SPIKE, area_code="E09000015")
    b = synthetic.frame_from_values(SHIFT, area_code="E09000003")
    out = spc.xmr(pd.concat([a, b], ignore_index=True))
    assert out["centre"].iloc[0] == pytest.approx(99 / 7)
    assert out["centre"].iloc[-1] == pytest.approx(173 / 14)
    assert len(spc.summary(pd.concat([a, b]))) == 2


def test_missing_values_are_skipped_and_get_no_status():
    out = run([10, np.nan, 12, np.inf, 11, 13, 12, 11, 30])
    assert out["special_cause"].isna().tolist() == [False, True, False, True] + [False] * 5
    assert out["point_type"].isna().tolist() == [False, True, False, True] + [False] * 5
    finite = run(SPIKE)
    kept = out.loc[[0, 2, 4, 5, 6, 7, 8]]
    assert kept["upper_limit"].tolist() == pytest.approx(finite["upper_limit"].tolist())
    assert kept["rule"].tolist() == finite["rule"].tolist()


def test_a_repeated_quarter_is_an_error():
    frame = synthetic.frame_from_values([1, 2, 3])
    with pytest.raises(ScorecardError, match="same period twice"):
        spc.xmr(pd.concat([frame, frame.iloc[[1]]]))


@pytest.mark.parametrize(
    "options, message",
    [
        ({"screen_outlier": True}, "unknown SPC option"),
        ({"screen_outliers": "yes"}, "screen_outliers"),
        ({"shift_length": 1}, "shift_length"),
        ({"trend_length": 6.5}, "trend_length"),
        ({"two_of_three_mode": "mdc"}, "two_of_three_mode"),
        ({"value": "nothing"}, "no column"),
        ({"keys": ["measure_id", "area_code"]}, "no column"),
    ],
)
def test_bad_options_raise_parameter_error(options, message):
    with pytest.raises(ParameterError, match=message):
        run([1, 2, 3], **options)


def test_shorter_rule_lengths_are_options():
    assert not run([1, 2, 3, 4, 5, 6], trend_length=7)["rule_trend"].any()
    assert run([1, 2, 3, 4, 5, 6], trend_length=6)["rule_trend"].all()
    assert run(SHIFT[:6] + SHIFT[-6:], shift_length=6)["rule_shift"].all()


finite_or_not = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False), st.just(np.nan), st.just(np.inf), st.just(-np.inf)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(finite_or_not, min_size=1, max_size=30), st.sampled_from(["higher", "lower", "in_range"]))
def test_no_status_for_missing_or_non_finite_values(values, polarity):
    out = run(values, polarity)
    bad = ~np.isfinite(np.array(values, dtype=float))
    assert out["special_cause"].isna().to_numpy()[bad].all()
    assert out["point_type"].isna().to_numpy()[bad].all()
    assert out["rule"].isna().to_numpy()[bad].all()
    # the finite points are judged exactly as if the others were not there
    finite = [v for v, b in zip(values, bad, strict=True) if not b]
    if finite:
        alone = run(finite, polarity)
        assert out.loc[~bad, "point_type"].tolist() == alone["point_type"].tolist()
        assert out.loc[~bad, "special_cause"].tolist() == alone["special_cause"].tolist()


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------


def test_xmr_chart_has_title_description_icons_and_a_readable_table():
    from harrowperf.present.charts import trend as spc_charts

    frame = synthetic.frame_from_values(SPIKE, polarity="higher", target=5.0, unit="%")
    chart = spc_charts.xmr_chart(spc.xmr(frame), summary=spc.summary(frame)).to_dict()
    assert chart["title"]["text"] == ["Synthetic measure"]
    assert chart["title"]["subtitle"][0] == "Variation (H+): Special cause improvement (higher)"
    # seven points: the verdict on meeting the target is shown, but as provisional
    assert chart["title"]["subtitle"][1].startswith("Provisional assurance (P): Consistently meets")
    assert chart["title"]["subtitle"][2] == "Only 7 points: limits are provisional"
    assert "2 point(s) show special cause" in chart["description"]
    assert "14.14%" in chart["description"]  # the mean, in the measure's unit
    rows = next(iter(chart["datasets"].values()))
    assert {"Quarter", "Value", "Mean", "Lower limit", "Upper limit", "Target", "Point type", "Rule"} <= set(rows[0])
    assert rows[-1]["Point type"] == "Special cause: improvement"
    assert rows[0]["Rule"] == "Point outside the process limits"


def test_small_multiples_have_one_panel_per_measure_even_with_similar_names():
    from harrowperf.present.charts import trend as spc_charts

    long = "Percentage of service users completing drug/alcohol treatment services - "
    frame = pd.concat([
        synthetic.frame_from_values(SPIKE, measure=long + "opiate users"),
        synthetic.frame_from_values(SHIFT, measure=long + "alcohol users"),
        synthetic.frame_from_values([np.nan, np.nan], measure="Synthetic empty"),
    ], ignore_index=True)
    chart = spc_charts.theme_small_multiples(spc.xmr(frame), "Synthetic theme").to_dict()
    rows = next(iter(chart["datasets"].values()))
    assert len({row["Panel"] for row in rows}) == 2
    assert chart["title"]["text"] == "Statistical process control: Synthetic theme"
    assert "1 measure(s) with no values" in chart["description"]
    with pytest.raises(ParameterError, match="themes: Synthetic theme"):
        spc_charts.theme_small_multiples(spc.xmr(frame), "Housing")
    with pytest.raises(ParameterError, match="measure_id"):
        spc_charts.xmr_chart(spc.xmr(frame))


def test_xmr_chart_draws_limits_no_further_than_a_percentage_can_go():
    from harrowperf.present.charts import trend as spc_charts

    # mean 90, average moving range 16: unclipped limits 90 ± 2.66 * 16 = 47.4 to 132.6
    frame = synthetic.frame_from_values([98, 82, 98, 82, 98, 82, 90], unit="%")
    points = spc.xmr(frame)
    assert points["upper_limit"].max() > 100          # the analysis keeps the arithmetic
    rows = next(iter(spc_charts.xmr_chart(points).to_dict()["datasets"].values()))
    assert {r["Upper limit"] for r in rows} == {100.0}
    assert all(r["Lower limit"] >= 0 for r in rows)
    counts = synthetic.frame_from_values([1, 9, 1, 9, 1, 9, 1], unit="count")
    rows = next(iter(spc_charts.xmr_chart(spc.xmr(counts)).to_dict()["datasets"].values()))
    assert {r["Lower limit"] for r in rows} == {0.0}  # a count cannot fall below nought


def test_xmr_chart_spaces_quarters_by_real_time():
    from harrowperf.present.charts import trend as spc_charts

    frame = synthetic.frame_from_values([10, 12, 11], periods=["Q1 2015/16", "Q2 2015/16", "Q1 2016/17"])
    spec = spc_charts.xmr_chart(spc.xmr(frame)).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]
    assert axis["scale"]["domain"] == ["Q1 2015/16", "Q2 2015/16", "Q3 2015/16", "Q4 2015/16", "Q1 2016/17"]

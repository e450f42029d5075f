"""OLS trend and year-end ETS forecast of harrowperf.analyse.forecast: hand-made lines, interval shape, statuses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from harrowperf import ParameterError, forecast, synthetic
from harrowperf.analyse.forecast import _chance


def test_linear_trend_recovers_a_line():
    rng = np.random.default_rng(0)
    values = 2 + 0.5 * np.arange(12) + rng.normal(0, 0.05, 12)
    higher = forecast.linear_trend(synthetic.frame_from_values(values, polarity="higher")).iloc[0]
    assert higher["slope"] == pytest.approx(0.5, abs=0.02)
    assert higher["slope_lower"] < 0.5 < higher["slope_upper"]
    assert higher["p_value"] < 1e-6 and higher["r_squared"] > 0.99
    assert higher["trend"] == "improving" and higher["points"] == 12
    lower = forecast.linear_trend(synthetic.frame_from_values(values, polarity="lower")).iloc[0]
    assert lower["trend"] == "worsening"
    neutral = forecast.linear_trend(synthetic.frame_from_values(values, polarity="in_range")).iloc[0]
    assert neutral["trend"] == "changing"


def test_linear_trend_uses_time_not_rows():
    # three points a year apart on a line rising 1 per quarter, then one a quarter later
    frame = synthetic.frame_from_values(
        [0, 4, 8, 9], periods=["Q1 2013/14", "Q1 2014/15", "Q1 2015/16", "Q2 2015/16"]
    )
    result = forecast.linear_trend(frame).iloc[0]
    assert result["slope"] == pytest.approx(1.0)
    assert result["intercept"] == pytest.approx(0.0, abs=1e-9)


def test_no_clear_trend_for_noise_flat_or_short_series():
    noise = [10, 12, 9, 11, 10, 12, 9, 11, 10, 12]
    assert forecast.linear_trend(synthetic.frame_from_values(noise)).iloc[0]["trend"] == "no clear trend"
    flat = forecast.linear_trend(synthetic.frame_from_values([5] * 6)).iloc[0]
    assert flat["slope"] == 0 and flat["trend"] == "no clear trend"
    short = forecast.linear_trend(synthetic.frame_from_values([1, 2, 3])).iloc[0]
    assert np.isnan(short["slope"]) and pd.isna(short["trend"])


def level_series(n, start="Q1 2012/13", seed=1, **kwargs):
    rng = np.random.default_rng(seed)
    return synthetic.frame_from_values(50 + rng.normal(0, 2, n), start=start, **kwargs)


def test_forecast_interval_shape():
    frame = level_series(14)  # Q1 2012/13 .. Q2 2015/16
    paths = forecast.paths(frame)
    assert paths["period_label"].tolist() == ["Q3 2015/16", "Q4 2015/16"]
    lower, mean, upper = (paths[c].to_numpy() for c in ("forecast_lower", "forecast", "forecast_upper"))
    assert (lower < mean).all() and (mean < upper).all()
    np.testing.assert_allclose(upper - mean, mean - lower)  # additive errors: symmetric
    assert np.all(np.diff(upper - lower) >= -1e-9)  # never narrower further ahead
    result = forecast.year_end(frame).iloc[0]
    assert result["year_end_label"] == "Q4 2015/16" and result["horizon"] == 2
    assert result["forecast_upper"] == pytest.approx(upper[-1])
    assert result["method"] == "damped additive trend"
    assert result["status"] == "ok"


@pytest.mark.parametrize(
    "n, method",
    [(8, "simple exponential smoothing"), (12, "damped additive trend"), (16, "additive seasonal")],
)
def test_the_model_grows_with_the_series(n, method):
    result = forecast.year_end(level_series(n, start="Q3 2012/13")).iloc[0]  # ends in a Q2
    assert result["method"] == method and result["points_used"] == n


def test_short_and_finished_years_get_a_status():
    short = forecast.year_end(level_series(7)).iloc[0]
    assert short["status"] == "too_short" and np.isnan(short["forecast"])
    finished = forecast.year_end(level_series(8, start="Q1 2014/15", target=40.0)).iloc[0]  # ends Q4 2015/16
    assert finished["status"] == "year_end_reported" and finished["horizon"] == 0
    assert finished["chance_of_meeting_target"] == 1.0  # a value near 50 against a target of 40


def test_a_gap_restarts_the_run_used_for_the_forecast():
    quarters = pd.period_range("2012Q1", periods=14, freq="Q-MAR")  # Q1 2011/12 .. Q2 2014/15
    periods = [p for p in quarters if p != pd.Period("2012Q4", "Q-MAR")]
    frame = synthetic.frame_from_values(50 + np.arange(13) % 3, periods=periods)
    result = forecast.year_end(frame).iloc[0]
    assert result["points_used"] == 10  # the consecutive quarters after the gap
    assert result["status"] == "ok"


def test_forecast_as_at_a_quarter():
    frame = level_series(14)
    result = forecast.year_end(frame, quarter="Q1 2015/16").iloc[0]
    assert result["last_period_label"] == "Q1 2015/16" and result["horizon"] == 3
    with pytest.raises(ParameterError, match="quarters present"):
        forecast.year_end(frame, quarter="Q1 2020/21")


def test_chance_of_meeting_the_target():
    high_target = forecast.year_end(level_series(14, target=80.0, polarity="higher")).iloc[0]
    low_target = forecast.year_end(level_series(14, target=20.0, polarity="higher")).iloc[0]
    assert high_target["annual_target"] == 80
    assert high_target["chance_of_meeting_target"] < 0.01
    assert low_target["chance_of_meeting_target"] > 0.99
    assert 0 <= forecast.year_end(level_series(14, target=50.0)).iloc[0]["chance_of_meeting_target"] <= 1
    assert np.isnan(forecast.year_end(level_series(14)).iloc[0]["chance_of_meeting_target"])


@pytest.mark.parametrize(
    "mean, sd, target, low, high, polarity, chance",
    [
        (10, 1, 10, np.nan, np.nan, "higher", 0.5),
        (10, 1, 11, np.nan, np.nan, "higher", 0.158655),
        (10, 1, 11, np.nan, np.nan, "lower", 0.841345),
        (10, 1, np.nan, 9, 11, "in_range", 0.682689),
        (10, 0, 10, np.nan, np.nan, "higher", 1.0),
        (10, 1, np.nan, np.nan, np.nan, "higher", np.nan),
    ],
)
def test_chance_from_a_normal_forecast_error(mean, sd, target, low, high, polarity, chance):
    assert _chance(mean, sd, target, low, high, polarity) == pytest.approx(chance, abs=1e-6, nan_ok=True)


def test_trend_chart_shows_forecast_band_and_target():
    from harrowperf.present.charts import trend as spc_charts

    frame = level_series(14, target=55.0)
    chart = spc_charts.trend_chart(
        frame, trend=forecast.linear_trend(frame), paths=forecast.paths(frame), year_end=forecast.year_end(frame)
    ).to_dict()
    rows = next(iter(chart["datasets"].values()))
    ahead = [r for r in rows if r["Series"] == "Forecast"]
    assert [r["Quarter"] for r in ahead] == ["Q2 2015/16", "Q3 2015/16", "Q4 2015/16"]  # joins the last value
    assert ahead[0]["Lower"] == ahead[0]["Upper"] == ahead[0]["Value"]
    assert all(r["Lower"] < r["Value"] < r["Upper"] for r in ahead[1:])
    assert {r["Series"] for r in rows} == {"Actual", "Linear trend", "Forecast"}
    assert rows[0]["Target"] == 55
    assert "forecast to Q4 2015/16" in chart["description"] and "annual target" in chart["description"]
    assert chart["title"]["subtitle"][1].startswith("Forecast for Q4 2015/16")


def test_trend_chart_legend_lists_only_the_lines_drawn():
    from harrowperf.present.charts import trend as spc_charts

    frame = level_series(14, target=55.0)
    chart = spc_charts.trend_chart(frame, trend=forecast.linear_trend(frame)).to_dict()
    colour = next(layer["encoding"]["color"] for layer in chart["layer"] if "color" in layer.get("encoding", {}))
    assert colour["scale"]["domain"] == ["Actual", "Linear trend"]     # no forecast asked for: no "Forecast"
    assert "forecast" not in chart["description"].lower()


def test_paths_of_chosen_measures_are_those_of_the_full_fit():
    frame = synthetic.scorecard_frame(6, 20, seed=7)
    every = forecast.paths(frame, "Q2 2016/17")
    first = every["measure_id"].iloc[0]
    one = forecast.paths(frame, "Q2 2016/17", measure_ids=first)
    assert set(one["measure_id"]) == {first} and len(one) == 2  # Q3 and Q4 2016/17
    pd.testing.assert_frame_equal(one.reset_index(drop=True),
                                  every.loc[every["measure_id"] == first].reset_index(drop=True))
    assert forecast.paths(frame, "Q2 2016/17", measure_ids=[]).empty



def _ets_directly(values, initialization_method, horizon=2, **model):
    """The year-end forecast statsmodels gives for the same series and model, called directly."""
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(values, dtype=float), error="add", initialization_method=initialization_method,
                       **model).fit(disp=False)
    return fit.get_prediction(start=len(values), end=len(values) + horizon - 1).summary_frame(alpha=0.05).iloc[-1]


def _with_initial_states(monkeypatch, initial_states):
    import dataclasses

    from harrowperf.foundation.conventions import settings

    shipped = settings()
    changed = dataclasses.replace(shipped, spc=dataclasses.replace(
        shipped.spc, forecast=dataclasses.replace(shipped.spc.forecast, initial_states=initial_states)))
    monkeypatch.setattr(forecast, "settings", lambda: changed)


@pytest.mark.parametrize("initial_states", ["heuristic", "estimated"])
def test_year_end_starts_a_long_series_as_the_conventions_say(monkeypatch, initial_states):
    from harrowperf.foundation.conventions import settings

    assert settings().spc.forecast.initial_states == "heuristic"  # the shipped choice, explained in spc.toml
    _with_initial_states(monkeypatch, initial_states)
    rng = np.random.default_rng(7)
    values = 50 + 3 * np.tile([1.0, -1.0, 2.0, -2.0], 5) + rng.normal(0, 1, 20)
    result = forecast.year_end(synthetic.frame_from_values(values, start="Q3 2011/12")).iloc[0]  # .. Q2 2016/17
    expected = _ets_directly(values, initial_states, trend=None, seasonal="add", seasonal_periods=4)
    assert result["method"] == "additive seasonal" and result["horizon"] == 2
    assert result["forecast"] == pytest.approx(expected["mean"], rel=1e-6)
    assert result["forecast_upper"] == pytest.approx(expected["pi_upper"], rel=1e-6)


def test_year_end_estimates_a_series_too_short_for_the_heuristic():
    # 9 quarters: simple smoothing; statsmodels' heuristic start needs 10 points, so the start is estimated
    values = 50 + np.random.default_rng(3).normal(0, 2, 9)
    result = forecast.year_end(synthetic.frame_from_values(values, start="Q3 2014/15")).iloc[0]  # .. Q3 2016/17
    expected = _ets_directly(values, "estimated", horizon=1, trend=None)
    assert result["method"] == "simple exponential smoothing" and result["horizon"] == 1
    assert result["forecast"] == pytest.approx(expected["mean"], rel=1e-6)


def test_fits_run_with_one_blas_thread_and_the_threads_come_back():
    import statsmodels.api  # noqa: F401  (loads scipy's own BLAS beside numpy's)
    from threadpoolctl import threadpool_info

    from harrowperf.analyse.forecast import _one_thread

    def blas_threads():
        return {pool["filepath"]: pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = blas_threads()
    during = [blas_threads() for _ in _one_thread(range(2))]
    assert len(before) >= 2 and len(during) == 2
    assert all(threads == dict.fromkeys(before, 1) for threads in during)
    assert blas_threads() == before

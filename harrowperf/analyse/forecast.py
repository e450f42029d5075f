"""Statistical trend (statsmodels OLS) and year-end forecast (exponential smoothing) for every measure.

* :func:`linear_trend`: a straight line through each measure's quarters, with the slope's
  confidence interval and p-value, read as improving / worsening / no clear trend.
* :func:`year_end`: an exponential-smoothing (ETS) forecast from the last quarter to Q4 of the
  financial year, with a prediction interval and the estimated chance of meeting the annual
  target; :func:`paths` gives the quarter-by-quarter forecast for charts.

Each series runs at its own frequency (``frequency``): a monthly series is fitted month by month and
forecast to March, its slope is per month; an annual series year by year; quarterly seasonality
becomes a 12-month season for months and none for years.

Each series is a small model fitted on its own, so the fits run with one BLAS thread: at hundreds
of measures, numpy's thread pool costs more than it saves (measured on 100 series of
``bench/bench_scale.py``: 5.6 s of CPU and 5.6 s by the clock with one thread, 13.3 s and 7.5 s with two).

Both need a run of consecutive quarters (settings in ``conventions/spc.toml`` ``[forecast]``); a
series that is too short gets a status saying so rather than a number. The models assume the
past pattern continues: they cannot know about a new policy, a change of definition or a shock.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from harrowperf.analyse.series import available_quarters, sort_series
from harrowperf.foundation.conventions import settings
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import QUARTER_FREQ, period_label, quarter_label, reporting_quarter, require_quarter

TREND_LABELS = ("improving", "worsening", "no clear trend", "changing")
FORECAST_STATUSES = {
    "ok": "Forecast to year end",
    "too_short": "Too few consecutive quarters for a forecast",
    "year_end_reported": "The year-end quarter is already reported",
    "no_data": "No values",
}


def _series_rows(
    frame: pd.DataFrame,
    quarter: str | pd.Period | None,
    keys: Any,
    value: str,
    measure_ids: Any = None,
) -> tuple[pd.DataFrame, tuple[str, ...], pd.Period | None]:
    """Rows up to ``quarter`` with a finite value, in series order, plus the key columns
    (only the rows of ``measure_ids``, when given)."""
    if value not in frame.columns:
        raise ParameterError(f"the frame has no column {value!r}")
    wanted = None
    if quarter is not None:
        wanted = require_quarter(quarter, available_quarters(frame))
    if measure_ids is not None:
        chosen = [measure_ids] if isinstance(measure_ids, str) else list(measure_ids)
        frame = frame.loc[frame["measure_id"].isin(chosen).to_numpy(dtype=bool)]
    series = sort_series(frame, keys)
    ordered = frame.iloc[series.order].assign(_code=series.codes, _ordinal=series.ordinals, _step=series.steps,
                                              _per_year=series.per_year)
    keep = series.has_period & np.isfinite(
        ordered[value].to_numpy(dtype=np.float64, na_value=np.nan)
    )
    if wanted is not None:
        keep &= series.ordinals <= wanted.ordinal
    return ordered.loc[keep], series.keys, wanted


class _SeriesRows:
    """The series rows (sorted by series) as arrays: each series' span of rows, and the look-ups by
    row that every fit needs. A pandas row per look-up cost more than the fits at 600 series."""

    def __init__(self, rows: pd.DataFrame, key_columns: tuple[str, ...]) -> None:
        codes = rows["_code"].to_numpy()
        bounds = np.flatnonzero(codes[1:] != codes[:-1]) + 1
        self.spans = list(zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(codes)].tolist(), strict=True)) \
            if len(codes) else []
        described = [*key_columns, *(c for c in ("theme", "measure", "unit", "polarity") if c in rows.columns)]
        self._described = {column: rows[column].to_numpy(dtype=object) for column in described}
        self._ordinals = rows["_ordinal"].to_numpy()
        own_label = "frequency" in rows.columns and "period_label" in rows.columns
        self._frequencies = rows["frequency"].to_numpy(dtype=object) if own_label else None
        self._period_labels = rows["period_label"].to_numpy(dtype=object) if own_label else None

    def describe(self, row: int) -> dict[str, Any]:
        """The series' keys, theme, measure, unit and polarity, from its row ``row``."""
        return {column: values[row] for column, values in self._described.items()}

    def label(self, row: int) -> str:
        """The printed period of row ``row``: its own label for a month or year, else its quarter's."""
        if self._frequencies is not None and self._frequencies[row] != "quarter":
            return str(self._period_labels[row])
        return quarter_label(pd.Period(ordinal=int(self._ordinals[row]), freq=QUARTER_FREQ))


def linear_trend(frame: pd.DataFrame, quarter: str | pd.Period | None = None, *, keys: Any = None,
                 value: str = "actual") -> pd.DataFrame:
    """Ordinary least squares line through each measure's values against time (in quarters).

    Returns one row per measure with ``points``, ``first_period_label``, ``last_period_label``,
    ``intercept`` (value at the first quarter), ``slope`` (change per quarter), ``slope_lower``
    and ``slope_upper`` (confidence interval, level from conventions), ``p_value``, ``r_squared``
    and ``trend``: "improving"/"worsening" when the slope is clear (p below the significance level)
    and goes the good/bad way for the measure's polarity, "changing" when clear but the measure
    has no good direction, "no clear trend" otherwise; missing with too few points.
    """
    import statsmodels.api as sm

    forecasting = settings().spc.forecast
    rows, key_columns, _ = _series_rows(frame, quarter, keys, value)
    level = forecasting.confidence_level
    series = _SeriesRows(rows, key_columns)
    values, steps = rows[value].to_numpy(dtype=float), rows["_step"].to_numpy(dtype=float)
    results = []
    for start, stop in _one_thread(series.spans):
        info = series.describe(start)
        y = values[start:stop]
        x = steps[start:stop] - steps[start]  # in the series' own periods
        first, last = series.label(start), series.label(stop - 1)
        info.update(
            points=len(y), first_period_label=first, last_period_label=last,
            intercept=np.nan, slope=np.nan, slope_lower=np.nan, slope_upper=np.nan,
            p_value=np.nan, r_squared=np.nan, trend=None,
        )
        if len(y) >= forecasting.minimum_trend_points:
            if np.ptp(y) == 0:
                info.update(intercept=y[0], slope=0.0, slope_lower=0.0, slope_upper=0.0,
                            r_squared=np.nan, trend="no clear trend")
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = sm.OLS(y, sm.add_constant(x)).fit()
                low, high = fit.conf_int(alpha=1 - level)[1]
                info.update(
                    intercept=float(fit.params[0]), slope=float(fit.params[1]),
                    slope_lower=float(low), slope_upper=float(high),
                    p_value=float(fit.pvalues[1]), r_squared=float(fit.rsquared),
                )
                info["trend"] = _trend_label(info["slope"], info["p_value"], info.get("polarity"))
        results.append(info)
    out = pd.DataFrame(results, columns=[*key_columns, *[c for c in ("theme", "measure", "unit", "polarity")
                                                         if c in frame.columns],
                                         "points", "first_period_label", "last_period_label",
                                         "intercept", "slope", "slope_lower", "slope_upper", "p_value",
                                         "r_squared", "trend"])
    out["trend"] = pd.Categorical(out["trend"], categories=list(TREND_LABELS))
    return out


def _one_thread(groups: Any) -> Iterator[Any]:
    """The series (or their spans), handed out while every BLAS runs on one thread (restored after the last).

    scipy loads a BLAS of its own, besides numpy's; the models are imported first so that the
    limit covers it.
    """
    import statsmodels.api  # noqa: F401
    from statsmodels.tsa.exponential_smoothing import ets  # noqa: F401

    with threadpool_limits(limits=1, user_api="blas"):
        yield from groups


def _trend_label(slope: float, p_value: float, polarity: Any) -> str:
    if not (np.isfinite(p_value) and p_value < settings().spc.forecast.significance):
        return "no clear trend"
    sign = {"higher": 1, "lower": -1}.get(polarity, 0)
    if sign == 0:
        return "changing"
    return "improving" if slope * sign > 0 else "worsening"


def _trailing_run(group: pd.DataFrame) -> pd.DataFrame:
    """The last run of consecutive periods (ETS needs equally spaced points)."""
    ordinals = group["_step"].to_numpy()
    breaks = np.flatnonzero(np.diff(ordinals) != 1)
    start = breaks[-1] + 1 if breaks.size else 0
    return group.iloc[start:]


def _ets_forecast(y: np.ndarray, horizon: int, per_year: int = 4) -> tuple[str, pd.DataFrame]:
    """Fit the ETS model the series length allows and forecast ``horizon`` periods (quarters, months, years)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    forecasting = settings().spc.forecast
    n = y.size
    season = forecasting.seasonal_periods * per_year // 4  # 4 quarters; 12 months; none for years
    if season > 1 and n >= forecasting.seasonal_points * per_year // 4:
        method, kwargs = "additive seasonal", dict(trend=None, seasonal="add", seasonal_periods=season)
    elif n >= forecasting.trend_points:
        method, kwargs = "damped additive trend", dict(trend="add", damped_trend=True)
    else:
        method, kwargs = "simple exponential smoothing", dict(trend=None)
    if forecasting.initial_states == "heuristic" and n >= _heuristic_points(kwargs.get("seasonal_periods", 0)):
        kwargs["initialization_method"] = "heuristic"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ETSModel(pd.Series(y, dtype=float), error="add", **kwargs).fit(disp=False)
        frame = fit.get_prediction(start=n, end=n + horizon - 1).summary_frame(
            alpha=1 - forecasting.confidence_level
        )
    return method, frame.reset_index(drop=True)


def _heuristic_points(season: int) -> int:
    """The fewest points statsmodels' heuristic start needs: 10, and with a season two whole seasons and
    10 once half a season is lost at each end."""
    return max(2 * season, 10 + 2 * (season // 2)) if season > 1 else 10


def _fit_all(
    frame: pd.DataFrame, quarter: Any, keys: Any, value: str, measure_ids: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    forecasting = settings().spc.forecast
    rows, key_columns, wanted = _series_rows(frame, quarter, keys, value, measure_ids)
    z = NormalDist().inv_cdf(0.5 + forecasting.confidence_level / 2)
    summaries, paths = [], []
    series = _SeriesRows(rows, key_columns)
    for start, stop in _one_thread(series.spans):
        group = rows.iloc[start:stop]
        info = series.describe(start)
        last_ordinal = int(group["_ordinal"].iloc[-1])
        last = pd.Period(ordinal=last_ordinal, freq=QUARTER_FREQ)
        anchor = wanted if wanted is not None else last
        year_end = pd.Period(year=anchor.qyear, quarter=4, freq=QUARTER_FREQ)
        frequency = str(group["frequency"].iloc[0]) if "frequency" in group.columns else "quarter"
        per_year = int(group["_per_year"].iloc[0])
        last_step = int(group["_step"].iloc[-1])
        if frequency == "quarter":
            horizon = year_end.ordinal - last_ordinal
            future_spans = [(p, quarter_label(p)) for p in pd.period_range(last + 1, periods=max(horizon, 0),
                                                                             freq=QUARTER_FREQ)]
            end_label = quarter_label(year_end)
        else:  # months to March; years to the year holding the year end
            first_month = int(pd.Timestamp(group["period_start"].iloc[-1]).month)
            day = year_end.end_time.normalize()
            end_step = day.year * 12 + day.month - 1 if per_year == 12 else day.year - (day.month < first_month)
            horizon = end_step - last_step
            starts = [_step_start(step, per_year, first_month) for step in range(last_step + 1, end_step + 1)]
            future_spans = [(reporting_quarter(_step_start(step + 1, per_year, first_month) - pd.Timedelta(days=1)),
                             period_label(start, frequency)) for step, start in zip(
                                 range(last_step + 1, end_step + 1), starts, strict=True)]
            end_label = period_label(_step_start(end_step, per_year, first_month), frequency)
        run = _trailing_run(group)
        target, low, high = _annual_target(group, year_end)
        info.update(
            last_period_label=series.label(stop - 1), year_end_label=end_label,
            horizon=horizon, points_used=len(run), method=None, forecast=np.nan,
            forecast_lower=np.nan, forecast_upper=np.nan, annual_target=target,
            chance_of_meeting_target=np.nan, status="ok",
        )
        polarity = info.get("polarity")
        if horizon <= 0:
            actual = float(group[value].iloc[-1])
            info.update(status="year_end_reported", forecast=actual, forecast_lower=actual,
                        forecast_upper=actual,
                        chance_of_meeting_target=_chance(actual, 0.0, target, low, high, polarity))
        elif len(run) < forecasting.minimum_forecast_points:
            info["status"] = "too_short"
        else:
            method, predicted = _ets_forecast(run[value].to_numpy(dtype=float), horizon, per_year)
            mean, lower, upper = (predicted[c].to_numpy() for c in ("mean", "pi_lower", "pi_upper"))
            sd = (upper[-1] - lower[-1]) / (2 * z)
            info.update(method=method, forecast=mean[-1], forecast_lower=lower[-1],
                        forecast_upper=upper[-1],
                        chance_of_meeting_target=_chance(mean[-1], sd, target, low, high, polarity))
            for step, (period, label) in enumerate(future_spans):
                paths.append({
                    **{k: info[k] for k in key_columns}, "period": period,
                    "period_label": label, "forecast": mean[step],
                    "forecast_lower": lower[step], "forecast_upper": upper[step],
                })
        summaries.append(info)
    described = [c for c in ("theme", "measure", "unit", "polarity") if c in frame.columns]
    summary = pd.DataFrame(summaries, columns=[
        *key_columns, *described, "last_period_label", "year_end_label", "horizon", "points_used",
        "method", "forecast", "forecast_lower", "forecast_upper", "annual_target",
        "chance_of_meeting_target", "status",
    ])
    summary["status_text"] = summary["status"].map(FORECAST_STATUSES)
    path_frame = pd.DataFrame(paths, columns=[*key_columns, "period", "period_label", "forecast",
                                              "forecast_lower", "forecast_upper"])
    if len(path_frame):
        path_frame["period"] = pd.PeriodIndex(path_frame["period"], freq=QUARTER_FREQ)
    return summary, path_frame


def _step_start(step: int, per_year: int, first_month: int) -> pd.Timestamp:
    """The first day of a series step (:attr:`SortedSeries.steps`): a month's, or a year's."""
    if per_year == 12:
        return pd.Timestamp(year=step // 12, month=step % 12 + 1, day=1)
    return pd.Timestamp(year=step, month=first_month, day=1)


def _annual_target(group: pd.DataFrame, year_end: pd.Period) -> tuple[float, float, float]:
    """The latest target set in the year-end's financial year (an "annual" target preferred)."""
    in_year = group.loc[
        pd.PeriodIndex(group["period"], freq=QUARTER_FREQ).qyear == year_end.qyear
    ] if "period" in group.columns else group.iloc[0:0]
    for candidates in (
        in_year.loc[in_year["target_kind"] == "annual"] if "target_kind" in in_year else in_year.iloc[0:0],
        in_year,
    ):
        for column in ("target", "target_low"):
            if column in candidates.columns and candidates[column].notna().any():
                row = candidates.loc[candidates[column].notna()].iloc[-1]
                return (
                    float(row.get("target", np.nan)),
                    float(row.get("target_low", np.nan)),
                    float(row.get("target_high", np.nan)),
                )
    return np.nan, np.nan, np.nan


def _chance(mean: float, sd: float, target: float, low: float, high: float, polarity: Any) -> float:
    """Probability that the year-end value meets the target, assuming a normal forecast error."""
    def below(x: float) -> float:  # P(Y <= x)
        if sd <= 0:
            return 1.0 if mean <= x else 0.0
        return NormalDist(mean, sd).cdf(x)

    if not np.isfinite(mean):
        return np.nan
    if polarity == "higher" and np.isfinite(target):
        return 1.0 - below(target) if sd > 0 else float(mean >= target)
    if polarity == "lower" and np.isfinite(target):
        return below(target)
    if polarity == "in_range" and np.isfinite(low) and np.isfinite(high):
        if sd <= 0:
            return float(low <= mean <= high)
        return below(high) - below(low)
    return math.nan


def year_end(frame: pd.DataFrame, quarter: str | pd.Period | None = None, *, keys: Any = None,
             value: str = "actual") -> pd.DataFrame:
    """Forecast every measure to the end of the financial year of ``quarter`` (default: its last quarter).

    Uses statsmodels' ETS (additive errors): simple exponential smoothing from
    ``minimum_forecast_points`` consecutive quarters, an additive damped trend from
    ``trend_points``, additive quarterly seasonality from ``seasonal_points``.

    Returns one row per measure: ``last_period_label``, ``year_end_label``, ``horizon`` (quarters
    ahead), ``points_used``, ``method``, ``forecast`` with ``forecast_lower``/``forecast_upper``
    (prediction interval), ``annual_target`` (the latest target in that year, "annual" preferred),
    ``chance_of_meeting_target`` (0-1, from a normal approximation of the forecast error),
    ``status`` (ok, too_short, year_end_reported, no_data) and ``status_text``.
    """
    return _fit_all(frame, quarter, keys, value)[0]


def paths(frame: pd.DataFrame, quarter: str | pd.Period | None = None, *, keys: Any = None,
          value: str = "actual", measure_ids: str | list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The forecast quarter by quarter to year end: keys, ``period``, ``period_label``,
    ``forecast``, ``forecast_lower``, ``forecast_upper`` (only measures with a forecast).

    ``measure_ids`` limits the forecasts to those measures (a chart draws one): each forecast is a
    model fitted to one series, so at hundreds of measures fitting only what is drawn saves most
    of the time. None forecasts every measure.
    """
    return _fit_all(frame, quarter, keys, value, measure_ids)[1]


__all__ = [
    "FORECAST_STATUSES", "TREND_LABELS", "linear_trend", "paths",
    "year_end",
]

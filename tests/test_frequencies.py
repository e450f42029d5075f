"""Periods of any frequency end to end (issue 14 item 1): month headers in scorecards, monthly,
quarterly and annual series in one clean frame. Every workbook here is SYNTHETIC, built in code."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest
from workbooks import build, header_rows

from harrowperf.foundation.schema import TEXT_COLUMNS, validate_scorecard
from harrowperf.pipeline.clean import clean
from harrowperf.read.scorecard import read_scorecard

MONTHLY = "Synthetic calls answered within 20 seconds"
QUARTERLY = "Synthetic complaints answered on time"
ANNUAL = "Synthetic residents satisfied with the council"


def _monthly_workbook(path: Path, labels: list, actuals: list[float], formats: dict[str, str] | None = None) -> Path:
    """One sheet of monthly columns: Target | Actual | RAG Status under each label (text or a real date)."""
    row = ["1 " + MONTHLY, "Higher"]
    for actual in actuals:
        row += ["90%", f"{actual}%", "G" if actual >= 90 else "R"]
    return build(path, {"Calls": [["Synthetic theme"], *header_rows(labels), row]}, formats={"Calls": formats or {}})


def test_month_headers_written_as_text_and_as_real_dates(tmp_path):
    # labels over C, F, I: a typed "Apr-16"; a date formatted as a month (Excel shows "May-16");
    # a date formatted as a day (30/06/2016: read as its month, and listed)
    path = _monthly_workbook(tmp_path / "synthetic_monthly.xlsx",
                             ["Apr-16", datetime.datetime(2016, 5, 1), datetime.datetime(2016, 6, 30)],
                             [91, 88, 92], {"F2": "mmm-yy", "I2": "dd/mm/yyyy"})
    read = read_scorecard(path)
    frame = read.frame
    assert frame["period_label"].tolist() == ["Apr 2016", "May 2016", "Jun 2016"]
    assert frame["frequency"].tolist() == ["month"] * 3
    assert frame["period_start"].tolist() == [pd.Timestamp("2016-04-01"), pd.Timestamp("2016-05-01"),
                                              pd.Timestamp("2016-06-01")]
    assert frame["period_end"].tolist() == [pd.Timestamp("2016-04-30"), pd.Timestamp("2016-05-31"),
                                            pd.Timestamp("2016-06-30")]
    assert frame["period"].astype(str).tolist() == ["2017Q1"] * 3  # all reported in Q1 2016/17
    assert frame["actual"].tolist() == [91.0, 88.0, 92.0]
    assert frame["cell_actual"].tolist() == ["Calls!D4", "Calls!G4", "Calls!J4"]
    listed = read.findings[read.findings["issue"] == "quarter_label_read"]
    assert listed[["cell", "message"]].values.tolist() == [
        ["I2", "the label is read as Jun 2016 (a date, as its month)"]]
    validate_scorecard(frame.assign(**{c: frame[c].fillna("") for c in TEXT_COLUMNS}))


def test_a_monthly_block_and_a_quarterly_block_in_one_workbook(tmp_path):
    monthly = [["Monthly"], *header_rows(["Apr 2016", "May 2016"]),
               ["1 " + MONTHLY, "Higher", "90%", "91%", "G", "90%", "88%", "R"]]
    quarterly = [["Quarterly"], *header_rows(["Q4 2015/16", "Jul-Sep 2016"]),
                 ["2 " + QUARTERLY, "Higher", "80%", "85%", "G", "80%", "79%", "A"]]
    annual = [["Annual"], *header_rows(["2015/16"]), ["3 " + ANNUAL, "Higher", "70%", "72%", "G"]]
    read = read_scorecard(build(tmp_path / "synthetic_mixed.xlsx", {"M": monthly, "Q": quarterly, "Y": annual}))
    got = read.frame[["measure", "frequency", "period_label", "actual"]].values.tolist()
    assert got == [[MONTHLY, "month", "Apr 2016", 91.0], [MONTHLY, "month", "May 2016", 88.0],
                   [QUARTERLY, "quarter", "Q4 2015/16", 85.0], [QUARTERLY, "quarter", "Q2 2016/17", 79.0],
                   [ANNUAL, "financial year", "2015/16", 72.0]]
    assert read.frame["period"].astype(str).tolist() == ["2017Q1", "2017Q1", "2016Q4", "2017Q2", "2016Q4"]


@pytest.mark.parametrize("labels, bad_cell, issue, read_labels", [
    (["Apr-16", "Q1 2016/17", "Jun-16"], "F2", "mixed_frequencies", ["Apr 2016", "Jun 2016"]),
    (["Q1 2016/17", "Jul-16", "Q3 2016/17"], "F2", "mixed_frequencies", ["Q1 2016/17", "Q3 2016/17"]),
    (["Apr-16", "13/2016", "Jun-16"], "F2", "unrecognised_quarter_label", ["Apr 2016", "Jun 2016"]),
    (["Q1 2016/17", "Q5 2016/17", "Q3 2016/17"], "F2", "unrecognised_quarter_label", ["Q1 2016/17", "Q3 2016/17"]),
    (["2015/16", "2016/18", "2017/18"], "F2", "unrecognised_quarter_label", ["2015/16", "2017/18"]),
    # "2010-11": the financial year 2010/11 or November 2010? never guessed
    (["2009/10", "2010-11", "2011/12"], "F2", "unrecognised_quarter_label", ["2009/10", "2011/12"]),
])
def test_a_period_header_that_cannot_be_placed_is_a_finding_naming_its_cell(tmp_path, labels, bad_cell, issue,
                                                                            read_labels):
    read = read_scorecard(_monthly_workbook(tmp_path / "synthetic_bad_header.xlsx", labels, [91, 88, 92]))
    found = read.findings[read.findings["issue"] == issue]
    assert found["cell"].tolist() == [bad_cell]
    assert "columns F-H" in found["message"].iloc[0] and "not read" in found["message"].iloc[0]
    # the other groups keep their own columns: nothing shifted, nothing relabelled
    assert read.frame["period_label"].tolist() == read_labels
    assert read.frame["actual"].tolist() == [91.0, 92.0]
    assert read.frame["cell_actual"].tolist() == ["Calls!D4", "Calls!J4"]
    layout = read.layout.set_index("cell")["role"]
    assert layout["G3"] == "header" and "G4" not in layout.index  # the unread group's value is not given a role
    assert "G4" in set(read.findings["cell"]) or "G4" not in layout.index


def test_a_header_that_is_a_financial_year_and_a_month_says_so(tmp_path):
    read = read_scorecard(_monthly_workbook(tmp_path / "synthetic_ambiguous_header.xlsx",
                                            ["Apr-16", "2011-12", "Jun-16"], [91, 88, 92]))
    found = read.findings[read.findings["issue"] == "unrecognised_quarter_label"]
    assert found[["cell", "text"]].values.tolist() == [["F2", "2011-12"]]
    assert "could be the financial year 2011/12 or Dec 2011" in found["message"].iloc[0]
    assert "write the year as 2011/12 or the month as Dec 2011" in found["message"].iloc[0]
    assert read.frame["period_label"].tolist() == ["Apr 2016", "Jun 2016"]


def test_monthly_workbooks_collate_by_month_with_revisions_labelled_by_month(tmp_path):
    raw = tmp_path / "raw"
    folder = raw / "scorecards"
    folder.mkdir(parents=True)
    # each month's workbook repeats the month before; May is revised in June's workbook
    _monthly_workbook(folder / "synthetic_2016-04.xlsx", ["Mar-16", "Apr-16"], [89, 91])
    _monthly_workbook(folder / "synthetic_2016-05.xlsx", ["Apr-16", "May-16"], [91, 88])
    _monthly_workbook(folder / "synthetic_2016-06.xlsx", ["May-16", "Jun-16"], [87, 92])
    quarterly = [["Synthetic theme"], *header_rows(["Q1 2016/17"]), ["1 " + MONTHLY, "Higher", "90%", "90%", "G"]]
    build(folder / "synthetic_2016-17_q1.xlsx", {"Calls quarterly": quarterly})
    result = clean(raw, tmp_path / "clean", stream=None)
    assert result.errors == []
    frame = result.scorecard.sort_values(["frequency", "period_start"])
    assert frame[["frequency", "period_label", "actual"]].values.tolist() == [
        ["month", "Mar 2016", 89.0], ["month", "Apr 2016", 91.0], ["month", "May 2016", 87.0],
        ["month", "Jun 2016", 92.0], ["quarter", "Q1 2016/17", 90.0]]
    revisions = result.revisions
    assert revisions[["period_label", "old_value", "new_value"]].values.tolist() == [
        ["May 2016", "actual 88%", "actual 87%"]]
    mixed = result.findings[result.findings["issue"] == "mixed_frequencies"]
    assert len(mixed) == 1 and mixed["text"].iloc[0] == MONTHLY
    assert mixed[["source", "sheet", "cell"]].values.tolist() == [["synthetic_2016-17_q1.xlsx", "Calls quarterly",
                                                                     "D4"]]
    assert "(months and quarters); its quarters (from Q1 2016/17) are a series of their own" in \
        mixed["message"].iloc[0]
    stored = pd.read_parquet(tmp_path / "clean" / "scorecard.parquet")
    assert stored["frequency"].value_counts().to_dict() == {"month": 4, "quarter": 1}
    assert str(stored["period_start"].dtype) == "datetime64[ns]"


# ---------------------------------------------------------------------------------------------
# Monthly, quarterly and annual series in ONE frame through direction, SPC, forecast and gaps
# ---------------------------------------------------------------------------------------------

from harrowperf.analyse import forecast, gaps, spc, trend  # noqa: E402
from harrowperf.analyse.series import one_per_quarter  # noqa: E402
from harrowperf.foundation.periods import parse_period, span_columns  # noqa: E402
from harrowperf.read.synthetic import frame_from_values  # noqa: E402


def _series(measure: str, labels: list[str], values: list[float], target: float) -> pd.DataFrame:
    """A SYNTHETIC series at the labels' frequency (made up in code)."""
    frame = frame_from_values(values, measure=measure, target=target, unit="count")
    spans = [parse_period(label) for label in labels]
    for column in ("period", "period_label", "frequency", "period_start", "period_end"):
        frame[column] = [span_columns(span)[column] for span in spans]
    frame["period"] = pd.PeriodIndex(frame["period"], freq="Q-MAR")
    frame["period_start"] = pd.to_datetime(frame["period_start"]).astype("datetime64[ns]")
    frame["period_end"] = pd.to_datetime(frame["period_end"]).astype("datetime64[ns]")
    return frame


MONTHS = [f"{m} {y}" for y in (2016, 2017, 2018) for m in
          ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")][3:]  # Apr 2016-Dec 2018
QUARTERS = [f"Q{q} {y}/{(y + 1) % 100:02d}" for y in (2016, 2017) for q in (1, 2, 3, 4)] + ["Q1 2018/19", "Q2 2018/19",
                                                                                          "Q3 2018/19"]
YEARS = ["2014/15", "2015/16", "2016/17", "2017/18"]


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    monthly = _series("Synthetic monthly calls", MONTHS, [float(i) for i in range(len(MONTHS))], target=20.0)
    quarterly = _series("Synthetic quarterly complaints", QUARTERS, [100.0 + 2 * i for i in range(len(QUARTERS))],
                        target=110.0)
    annual = _series("Synthetic annual survey", YEARS, [50.0, 55.0, 53.0, 60.0], target=55.0)
    frame = pd.concat([monthly, quarterly, annual], ignore_index=True)
    return frame.assign(**{c: frame[c].fillna("") for c in TEXT_COLUMNS})


def test_the_mixed_frame_keeps_the_contract(mixed):
    checked = validate_scorecard(mixed)
    assert checked["frequency"].value_counts().to_dict() == {"month": 33, "quarter": 11, "financial year": 4}


def test_direction_compares_like_with_like(mixed):
    out = trend.direction(mixed, compare="auto").set_index("period_label")
    # months: value = position, so one month on is +1 and the same month last year is +12 back
    assert out.loc["May 2016", ["change_prev", "change_yoy"]].tolist()[0] == 1.0
    assert pd.isna(out.loc["May 2016", "change_yoy"]) and out.loc["May 2016", "direction_basis"] == "previous month"
    assert out.loc["Apr 2017", "change_yoy"] == 12.0
    assert out.loc["Apr 2017", "direction_basis"] == "same month last year"
    assert out.loc["Apr 2017", "direction"] == "improving"
    # quarters: +2 a quarter, +8 on the same quarter last year (4 back)
    assert out.loc["Q1 2017/18", "change_prev"] == 2.0 and out.loc["Q1 2017/18", "change_yoy"] == 8.0
    assert out.loc["Q1 2017/18", "direction_basis"] == "same quarter last year"
    # years: the previous year is the same period last year (1 back)
    assert out.loc["2016/17", "change_prev"] == -2.0 == out.loc["2016/17", "change_yoy"]
    assert out.loc["2016/17", "direction_basis"] == "previous year" and out.loc["2016/17", "direction"] == "declining"


def test_spc_runs_per_series_at_its_own_frequency(mixed):
    summary = spc.summary(mixed).set_index("measure")
    assert summary.loc["Synthetic monthly calls", "points"] == 33
    assert summary.loc["Synthetic quarterly complaints", "points"] == 11
    assert summary.loc["Synthetic annual survey", "points"] == 4
    assert summary.loc["Synthetic monthly calls", "latest_period_label"] == "Dec 2018"
    assert summary.loc["Synthetic annual survey", "latest_period_label"] == "2017/18"
    assert summary.loc["Synthetic quarterly complaints", "latest_period_label"] == "Q3 2018/19"
    points = spc.xmr(mixed)
    monthly = points[points["frequency"] == "month"].sort_values("period_start")
    # X chart centre of 0..32 is 16; the moving range of consecutive months is always 1
    assert monthly["centre"].iloc[-1] == pytest.approx(16.0)


def test_forecast_fits_months_by_month_and_years_by_year(mixed):
    lines = forecast.linear_trend(mixed).set_index("measure")
    assert lines.loc["Synthetic monthly calls", "slope"] == pytest.approx(1.0)  # +1 a month, not +1 a quarter
    assert lines.loc["Synthetic monthly calls", ["first_period_label", "last_period_label"]].tolist() == [
        "Apr 2016", "Dec 2018"]
    assert lines.loc["Synthetic quarterly complaints", "slope"] == pytest.approx(2.0)
    ahead = forecast.year_end(mixed, "Q3 2018/19").set_index("measure")
    assert ahead.loc["Synthetic monthly calls", ["year_end_label", "horizon"]].tolist() == ["Mar 2019", 3]
    assert ahead.loc["Synthetic quarterly complaints", ["year_end_label", "horizon"]].tolist() == ["Q4 2018/19", 1]
    assert ahead.loc["Synthetic annual survey", ["year_end_label", "horizon"]].tolist() == ["2018/19", 1]
    path = forecast.paths(mixed, "Q3 2018/19")
    assert path[path["frequency"] == "month"]["period_label"].tolist() == ["Jan 2019", "Feb 2019", "Mar 2019"]


def test_a_quarters_value_is_its_last_month_or_the_year_ending_in_it(mixed):
    chosen = one_per_quarter(mixed)
    months = chosen[chosen["frequency"] == "month"]
    assert months["period_label"].tolist()[:4] == ["Jun 2016", "Sep 2016", "Dec 2016", "Mar 2017"]
    assert chosen[chosen["frequency"] == "financial year"]["period"].astype(str).tolist() == [
        "2015Q4", "2016Q4", "2017Q4", "2018Q4"]  # each year in its Q4
    latest = one_per_quarter(mixed.drop(index=mixed.index[mixed["period_label"] == "Dec 2018"]), "latest reported")
    q3 = latest[(latest["frequency"] == "month") & (latest["period"] == pd.Period("2019Q3", "Q-MAR"))]
    assert q3["period_label"].tolist() == ["Nov 2018"]  # December not given: the latest month that is
    last = one_per_quarter(mixed.drop(index=mixed.index[mixed["period_label"] == "Dec 2018"]), "last")
    assert not ((last["frequency"] == "month") & (last["period"] == pd.Period("2019Q3", "Q-MAR"))).any()
    analysed = gaps.analyse(mixed)
    q2 = analysed[analysed["period"] == pd.Period("2017Q4", "Q-MAR")].set_index("measure")
    assert q2.loc["Synthetic monthly calls", "period_label"] == "Mar 2017"
    assert q2.loc["Synthetic monthly calls", "actual"] == 11.0  # Apr 2016 is 0, so Mar 2017 is 11
    assert q2.loc["Synthetic annual survey", "period_label"] == "2016/17"
    summary = gaps.summary(analysed, "Q4 2016/17")
    assert summary.set_index("theme").loc["All themes", "measures"] == 3  # one row each, never three months


@pytest.mark.notebook
@pytest.mark.parametrize("name", ["trend.ipynb", "target_gap.ipynb"])
def test_the_trend_and_target_gap_notebooks_run_on_monthly_quarterly_and_annual_series(run_notebook, tmp_path,
                                                                                       mixed, name):
    from harrowperf.foundation.findings import findings_table
    from harrowperf.read.synthetic import write_scorecard_parquet

    write_scorecard_parquet(tmp_path / "clean", mixed)
    findings_table().to_csv(tmp_path / "clean" / "quality.csv", index=False)  # a clean with nothing found
    nb = run_notebook(name, clean_dir=str(tmp_path / "clean"), quarter="Q3 2018/19")
    text = "\n".join(str(output.get("data", {}).get(kind, "")) for cell in nb.cells
                     for output in cell.get("outputs", []) for kind in ("text/markdown", "text/html", "text/plain"))
    for measure in ("Synthetic monthly calls", "Synthetic quarterly complaints"):
        assert measure in text
    if name == "trend.ipynb":
        assert "Dec 2018" in text  # the monthly series' latest point is its month, not its quarter


def test_an_xmr_chart_of_a_monthly_series_places_its_points_by_month(mixed):
    from harrowperf.present.charts import trend as charts

    points = spc.xmr(mixed)
    chart = charts.xmr_chart(points, "synthetic-monthly-calls").to_dict()
    domain = chart["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain[:3] == ["Apr 2016", "May 2016", "Jun 2016"] and domain[-1] == "Dec 2018" and len(domain) == 33
    lines = forecast.linear_trend(mixed)
    trend_chart = charts.trend_chart(mixed, "synthetic-monthly-calls", trend=lines,
                                     paths=forecast.paths(mixed, "Q3 2018/19")).to_dict()
    months = trend_chart["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert months[0] == "Apr 2016" and months[-3:] == ["Jan 2019", "Feb 2019", "Mar 2019"]  # forecast months


def test_small_multiples_place_each_panel_by_its_own_months_or_quarters():
    from harrowperf.present.charts import trend as charts

    # twelve months Apr 2016-Mar 2017 with Jul-Sep 2016 missing (a gap), and eleven quarters
    months = [m for m in MONTHS[:12] if m not in ("Jul 2016", "Aug 2016", "Sep 2016")]
    monthly = _series("Synthetic monthly calls", months, [float(i % 4) for i in range(len(months))], target=20.0)
    quarterly = _series("Synthetic quarterly complaints", QUARTERS, [100.0 + 2 * i for i in range(len(QUARTERS))],
                        target=110.0)
    frame = pd.concat([monthly, quarterly], ignore_index=True)
    spec = charts.theme_small_multiples(spc.xmr(frame.assign(**{c: frame[c].fillna("") for c in TEXT_COLUMNS}))
                                        ).to_dict()
    rows = next(iter(spec["datasets"].values()))
    x = spec["spec"]["layer"][0]["encoding"]["x"]
    monthly_rows = [r for r in rows if r["Measure"] == "Synthetic monthly calls"]
    # one x position per month, twelve in all: the three missing months are empty positions, not closed up
    assert [r[x["field"]] for r in monthly_rows if r.get("Value") is not None] == months
    assert {r[x["field"]] for r in monthly_rows} == set(MONTHS[:12])
    assert [r[x["field"]] for r in monthly_rows if r.get("Value") is None] == ["Jul 2016", "Aug 2016", "Sep 2016"]
    assert [r["Value"] for r in monthly_rows if r.get("Value") is not None] == monthly["actual"].tolist()
    quarterly_rows = [r for r in rows if r["Measure"] == "Synthetic quarterly complaints"]
    assert [r[x["field"]] for r in quarterly_rows] == QUARTERS
    # the axis sorts each panel's periods in time order
    assert [label for label in x["sort"] if label in MONTHS[:12]] == MONTHS[:12]
    assert [label for label in x["sort"] if label in QUARTERS] == QUARTERS
    assert spec["resolve"]["scale"]["x"] == "independent"


def test_the_rag_heatmap_puts_a_monthly_measure_in_its_quarters_column(mixed):
    from harrowperf.present.charts import target_gap as charts

    chart = charts.rag_heatmap(gaps.analyse(mixed), "Q3 2018/19").to_dict()
    rows = [row for values in chart["datasets"].values() for row in values]
    monthly = {row["Quarter"] for row in rows if "Synthetic monthly" in str(row.get("Measure", ""))}
    assert monthly and all(label.startswith("Q") for label in monthly)  # "Q3 2018/19", never "Dec 2018"

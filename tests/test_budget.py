"""harrowperf.analyse.budget and its charts: every analysis on hand-computed cases, and on the real budget data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import RAW

import harrowperf as hp
from harrowperf import budget
from harrowperf.foundation.errors import ParameterError
from harrowperf.foundation.periods import parse_financial_year, parse_quarter
from harrowperf.present import words
from harrowperf.present.charts import budget as charts
from harrowperf.read.budget import BUDGET_COLUMNS

M = 1_000_000
NAN = math.nan


def frame_of(*rows: dict) -> pd.DataFrame:
    """A budget frame from a few hand-written rows (years, quarters and months as labels)."""
    defaults = dict(source="t.xlsx", sheet="S", layout="published_figures", status="real", table="T", round="",
                    round_date="", round_month=None, year=None, year_end=None, year_label="", quarter=None,
                    period_label="", area="Whole council", area_id="", area_kind="council", line="", column="",
                    line_type="", is_total=False, amount=NAN, amount_low=NAN, amount_high=NAN, unit="GBP",
                    qualifier="", text="", cell="", source_ref="", trust="", note="")
    records = []
    for row in rows:
        record = {**defaults, **row}
        if record["amount_low"] != record["amount_low"] and record["amount"] == record["amount"]:
            record["amount_low"] = record["amount_high"] = record["amount"]
        record["year_label"] = record["year_label"] or (record["year"] or "")
        record["year"] = parse_financial_year(record["year"]) if record["year"] else None
        record["year_end"] = parse_financial_year(record["year_end"]) if record["year_end"] else record["year"]
        if record["quarter"]:
            record["period_label"] = record["period_label"] or record["quarter"]
            record["quarter"] = parse_quarter(record["quarter"])
        record["round_month"] = pd.Period(record["round_month"], "M") if record["round_month"] else None
        record["area_id"] = record["area_id"] or hp.budget_reader.area_slug(record["area"])
        records.append(record)
    frame = pd.DataFrame(records, columns=BUDGET_COLUMNS)
    for column, freq in (("year", "Y-MAR"), ("year_end", "Y-MAR"), ("quarter", "Q-MAR"), ("round_month", "M")):
        frame[column] = pd.array([pd.NaT if v is None else v for v in frame[column]], dtype=pd.PeriodDtype(freq))
    return frame


@pytest.fixture(scope="module")
def real_data():
    return pd.concat([hp.read_budget(p).frame for p in sorted((RAW / "budget").glob("*.xlsx"))], ignore_index=True)


def monitoring_rows(area: str, quarter: str, budget_amount: float, forecast: float, **extra) -> list[dict]:
    common = dict(area=area, area_kind="service", quarter=quarter, year=quarter.split()[-1], layout="monitoring")
    rows = [dict(common, line_type="revised_budget", amount=budget_amount, cell="C5"),
            dict(common, line_type="forecast_outturn", amount=forecast, cell="E5")]
    for line_type, amount in extra.items():
        rows.append(dict(common, line_type=line_type, amount=amount, cell="D5"))
    return rows


# ---------------------------------------------------------------------------------------------
# In-year variance and its RAG
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("budget_amount", "forecast", "rag", "direction"), [
    (1 * M, 1.03 * M, "A", "overspend"),     # 30k: above 2% (20k, lower than £0.5m), below 5% (50k)
    (1 * M, 1.06 * M, "R", "overspend"),     # 60k: above 5% (50k)
    (1 * M, 1.02 * M, "G", "overspend"),     # exactly 2%: not above the threshold
    (100 * M, 100.4 * M, "G", "overspend"),  # 400k: below £0.5m (lower than 2% = £2m)
    (100 * M, 100.6 * M, "A", "overspend"),  # 600k: above £0.5m, below £1m
    (100 * M, 101.2 * M, "R", "overspend"),  # 1.2m: above £1m (lower than 5% = £5m)
    (100 * M, 95 * M, "G", "underspend"),
    (100 * M, 100 * M, "G", "on budget"),
])
def test_variance_rag_uses_the_lower_of_percent_and_pounds(budget_amount, forecast, rag, direction):
    table = budget.variance(frame_of(*monitoring_rows("Adults", "Q2 2016/17", budget_amount, forecast)))
    row = table.iloc[0]
    assert row["variance"] == pytest.approx(forecast - budget_amount)
    assert row["variance_pct"] == pytest.approx((forecast - budget_amount) / budget_amount * 100)
    assert (row["rag"], row["direction"], row["variance_basis"]) == (rag, direction, "forecast - budget")


def test_variance_rag_thresholds_can_be_whichever_is_higher():
    rag = budget.variance_rag(pd.Series([600_000.0, 3 * M]), pd.Series([100 * M, 100 * M]),
                              thresholds={"combine": "higher"})
    assert list(rag["rag"]) == ["G", "A"]  # amber above £2m (2% of £100m), red above £5m
    assert list(rag["amber_limit"]) == [2 * M, 2 * M] and list(rag["red_limit"]) == [5 * M, 5 * M]


def test_without_a_budget_only_the_pound_thresholds_apply():
    rag = budget.variance_rag(pd.Series([400_000.0, 700_000.0, 1.5 * M, NAN]), pd.Series([NAN] * 4))
    assert list(rag["rag"]) == ["G", "A", "R", ""]


def test_reported_variance_and_movement_since_the_previous_quarter():
    rows = [*monitoring_rows("Adults", "Q1 2016/17", 10 * M, 10.2 * M), *monitoring_rows("Adults", "Q2 2016/17",
                                                                                         10 * M, 10.5 * M),
            dict(area="Housing", quarter="Q2 2016/17", year="2016/17", line_type="variance", amount=-0.3 * M),
            dict(area="Housing", quarter="Q2 2016/17", year="2016/17", line_type="previous_variance",
                 amount=-0.1 * M)]
    frame = frame_of(*rows)
    before = frame.copy()
    table = budget.variance(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    adults = table[(table["area"] == "Adults") & (table["period_label"] == "Q2 2016/17")].iloc[0]
    assert adults["previous_forecast"] == pytest.approx(10.2 * M)  # from Q1's forecast
    assert adults["forecast_movement"] == pytest.approx(0.3 * M)
    assert adults["variance_movement"] == pytest.approx(0.3 * M)
    housing = table[table["area"] == "Housing"].iloc[0]
    assert (housing["variance"], housing["variance_basis"], housing["rag"]) == (-0.3 * M, "reported", "G")
    assert housing["variance_movement"] == pytest.approx(-0.2 * M)
    assert math.isnan(housing["variance_pct"])


def test_a_previous_forecast_column_beats_the_previous_quarter():
    rows = [*monitoring_rows("Adults", "Q1 2016/17", 10 * M, 10.2 * M),
            *monitoring_rows("Adults", "Q2 2016/17", 10 * M, 10.5 * M, previous_forecast=10.1 * M)]
    table = budget.variance(frame_of(*rows))
    assert table.iloc[-1]["previous_forecast"] == pytest.approx(10.1 * M)


def test_variance_keeps_outturns_without_a_quarter(real_data):
    table = budget.variance(budget.real(real_data))
    outturn = table[(table["area"] == "Homelessness") & (table["year"] == pd.Period("2025", "Y-MAR"))].iloc[0]
    assert (outturn["period_label"], outturn["variance"], outturn["rag"]) == ("Outturn", 7_496_000, "R")
    revenue = table[table["area"] == "Revenue (General Fund)"].iloc[0]
    assert (revenue["budget"], revenue["variance"], revenue["rag"]) == (179_441_000, -776_000, "G")
    assert revenue["variance_pct"] == pytest.approx(-776 / 179_441 * 100)
    capital = table[table["area"] == "General Fund capital"].iloc[0]
    assert not capital["is_total"]  # its variance has parts (slippage, underspend) but it is one area
    assert capital["variance"] == pytest.approx(62_349_000 - 113_725_000)
    assert capital["variance_reported"] == pytest.approx(-51_376_000)  # the report's own figure agrees
    adults = table[table["area"] == "Adult Services"].iloc[0]
    assert adults["variance_movement"] == pytest.approx(2_521_000 - 2_072_000)


def test_illustrative_variance_by_directorate(real_data):
    table = budget.variance(budget.illustrative(real_data))
    q3 = table[table["period_label"] == "Q3 2004/05"].set_index("area")
    assert set(table["status"]) == {"illustrative"}
    assert q3.loc["People First", "variance"] == 1_400_000 and q3.loc["People First", "rag"] == "R"
    assert q3.loc["Business Connections", "rag"] == "A"  # 250k > 2% of 9m = 180k
    assert q3.loc["Organisational Development", "rag"] == "A"  # 60k > 2% of 2.5m = 50k
    assert q3.loc["Corporate", "direction"] == "underspend"
    assert q3.loc["People First", "forecast_movement"] == 500_000
    summary = budget.variance_summary(table[table["period_label"] == "Q3 2004/05"])
    assert summary == {"net_variance": 2_280_000, "overspends": 4, "underspends": 2, "red": 1, "amber": 3,
                       "largest_overspend_area": "People First"}


# ---------------------------------------------------------------------------------------------
# Year-to-year bridge
# ---------------------------------------------------------------------------------------------


def change_rows(area: str, opening: float, moves: dict[str, float], closing: float | None) -> list[dict]:
    common = dict(area=area, area_kind="service", layout="change_analysis", sheet="Change")
    rows = [dict(common, year="2003/04", line_type="original_budget", amount=opening, column="2003-2004 Original",
                 cell="B7")]
    for column, (line_type, amount) in zip("CDEFG", moves.items(), strict=False):
        rows.append(dict(common, year="2004/05", line_type=line_type, amount=amount, column=line_type.title(),
                         cell=f"{column}7"))
    if closing is not None:
        rows.append(dict(common, year="2004/05", line_type="original_budget", amount=closing,
                         column="2004-2005 Original", cell="H7"))
    return rows


def test_bridge_hand_computed():
    steps = budget.bridge(frame_of(*change_rows("X", 100, {"inflation": 5, "savings": -3}, 102)), "2003/04",
                          "2004/05")
    assert list(steps["kind"]) == ["start", "movement", "movement", "end"]
    assert list(steps["amount"]) == [100, 5, -3, 102]
    assert list(steps["running_start"]) == [0, 100, 105, 0]
    assert list(steps["running_end"]) == [100, 105, 102, 102]
    assert list(steps["cell"]) == ["B7", "C7", "D7", "H7"]


def test_bridge_shows_what_the_table_does_not_explain_and_computes_a_missing_end():
    steps = budget.bridge(frame_of(*change_rows("X", 100, {"inflation": 5}, 106)), "2003/04", "2004/05")
    assert list(zip(steps["kind"], steps["amount"], strict=True))[-2:] == [("unexplained", 1), ("end", 106)]
    steps = budget.bridge(frame_of(*change_rows("X", 100, {"inflation": 5}, None)), "2003/04", "2004/05")
    end = steps.iloc[-1]
    assert (end["kind"], end["amount"]) == ("end", 105) and "computed" in end["note"]


def test_bridge_movements_follow_the_conventional_order():
    steps = budget.bridge(frame_of(*change_rows("X", 100, {"savings": -3, "growth": 4, "inflation": 5}, 106)),
                          "2003/04", "2004/05")
    assert list(steps["line_type"]) == ["original_budget", "inflation", "growth", "savings", "original_budget"]


def test_bridge_reproduces_seed_001_change_table(real_data):
    steps = budget.bridge(real_data, "2003/04", "2004/05")
    change = real_data[real_data["sheet"] == "Change 2003-04 to 2004-05"]
    table = budget.bridge_by_area(steps[steps["sheet"] == "Change 2003-04 to 2004-05"]).set_index("area")
    assert len(table) == 18
    for _, cell in change.iterrows():
        label = cell["column"].replace(" £000", "")
        label = {"2003-2004 Original": "Budget 2003/04", "2004-2005 Original": "Budget 2004/05"}.get(label, label)
        assert table.loc[cell["area"], label] == pytest.approx(cell["amount"]), (cell["area"], label)
    assert table.loc["Organisational Development", "Not explained by the table"] == 1_000
    assert table.loc["Chief Executive's Office", "Budget 2004/05"] == 768_000  # computed: the seed leaves it blank
    total = steps[steps["area"] == "Total Net Expenditure"]
    assert list(total["amount"] / 1000) == [229_771, 9_723, 419, -1_474, 12_132, -8_038, 242_533]


def test_bridge_of_the_budget_strategy_reprices_the_base(real_data):
    steps = budget.bridge(real_data, "2004/05", "2005/06")
    assert set(steps["sheet"]) == {"MTBS 2004-05 to 2006-07"}
    assert steps.iloc[0]["amount"] == 242_516_000 and steps.iloc[1]["kind"] == "rebase"
    assert steps.iloc[1]["amount"] == pytest.approx(242_691_000 - 242_516_000)
    assert steps.iloc[-1]["amount"] == 253_379_000 and "unexplained" not in set(steps["kind"])
    assert budget.available_bridges(real_data) == ["2003/04 -> 2004/05", "2004/05 -> 2005/06",
                                                   "2005/06 -> 2006/07"]


# ---------------------------------------------------------------------------------------------
# Medium-term gap and budget rounds
# ---------------------------------------------------------------------------------------------


def round_row(round_name: str, month: str, year: str, line_type: str, amount: float = NAN, **extra) -> dict:
    return dict(round=round_name, round_month=month, year=year, line_type=line_type, amount=amount, **extra)


def test_mtfs_gap_hand_computed():
    frame = frame_of(
        round_row("R", "2020-12", "2021/22", "budget_requirement", 100 * M),
        round_row("R", "2020-12", "2021/22", "council_tax_income", 60 * M),
        round_row("R", "2020-12", "2021/22", "business_rates", 20 * M),
        round_row("R", "2020-12", "2021/22", "grant", 15 * M),
        round_row("R", "2020-12", "2021/22", "reserves_used", 2 * M),
        round_row("R", "2020-12", "2021/22", "savings", 3 * M),
        round_row("R", "2020-12", "2021/22", "gap", 0.0, qualifier="balanced"),
        round_row("R", "2020-12", "2022/23", "gap", NAN, amount_low=4 * M, amount_high=8 * M),
        round_row("R", "2020-12", "2023/24", "gap", 5 * M),
        round_row("R", "2020-12", "2023/24", "savings", -1 * M, area="Adults"),  # a directorate's: not added
    )
    table = budget.mtfs_gap(frame).set_index("year_label")
    first = table.loc["2021/22"]
    assert first["funding_total"] == 95 * M and first["gap_before_reserves"] == 5 * M
    assert (first["reserves_used"], first["savings_identified"], first["gap"]) == (2 * M, 3 * M, 0)
    assert first["qualifier"] == "balanced"
    ranged = table.loc["2022/23"]
    assert (ranged["gap"], ranged["gap_low"], ranged["gap_high"], ranged["gap_is_range"]) == (6 * M, 4 * M, 8 * M,
                                                                                              True)
    assert list(table["cumulative_gap"]) == [0, 6 * M, 11 * M]
    assert math.isnan(table.loc["2023/24", "savings_identified"])


def test_mtfs_gap_on_the_real_rounds(real_data):
    table = budget.mtfs_gap(budget.real(real_data))
    mtfs_2014 = table[table["round"] == "MTFS 2014/15 to 2016/17"]
    assert list(mtfs_2014["gap"]) == [24_740_000, 20_765_000, 15_000_000, 15_000_000]
    assert mtfs_2014["cumulative_gap"].iloc[-1] == pytest.approx(75_505_000)  # published as "£75m"
    draft = table[(table["round"] == "Draft 2017/18") & (table["year_label"] == "2018/19")].iloc[0]
    assert (draft["gap"], draft["savings_unidentified"], draft["gap_before_reserves"]) == (0, 6_978_000, 6_978_000)
    savings = table[(table["round"] == "Draft 2018/19") & (table["year_label"] == "2018/19")].iloc[0]
    assert savings["savings_identified"] == 2_000_000  # not the adults' and children's parts again
    strategy = table[table["round"] == "Medium Term Revenue Budget Summary"].set_index("year_label")
    assert strategy.loc["2004/05", "budget_requirement"] == 242_516_000
    assert strategy.loc["2004/05", "savings_identified"] == pytest.approx(6_085_000)  # 0.515 + 1.9 + 3.67


def test_gap_by_round_and_revisions_hand_computed():
    frame = frame_of(round_row("A", "2020-12", "2022/23", "gap", 10 * M), round_row("B", "2021-02", "2022/23", "gap",
                                                                                    12 * M),
                     round_row("C", "2021-12", "2022/23", "gap", 0.0), round_row("C", "2021-12", "2023/24", "gap",
                                                                                 3 * M),
                     round_row("U", "", "2022/23", "gap", 7 * M))  # no date: cannot be placed in time
    gaps = budget.gap_by_round(frame)
    assert list(gaps["round"]) == ["A", "B", "C", "C"]
    revisions = budget.gap_revisions(frame)
    assert list(zip(revisions["previous_round"], revisions["round"], revisions["revision"], strict=True)) == [
        ("A", "B", 2 * M), ("B", "C", -12 * M)]
    ends = budget.first_and_final(frame).set_index("year_label")
    assert ends.loc["2022/23", ["first_round", "first_gap", "final_round", "final_gap", "change",
                                "largest_revision"]].tolist() == ["A", 10 * M, "C", 0, -10 * M, -12 * M]
    assert ends.loc["2023/24", "rounds"] == 1 and math.isnan(ends.loc["2023/24", "largest_revision"])


def test_the_2025_26_gap_across_three_rounds(real_data):
    gaps = budget.gap_by_round(budget.real(real_data))
    year = gaps[gaps["year_label"] == "2025/26"]
    assert list(year["round"]) == ["Draft 2023/24", "Final 2023/24", "Final 2024/25"]
    assert list(year["gap"]) == [10_964_000, pytest.approx(9_732_000), 10_880_000]
    assert list(year["is_range"]) == [False, True, False]
    revisions = budget.gap_revisions(real_data)
    moved = revisions[revisions["year_label"] == "2025/26"]
    assert list(moved["revision"]) == [pytest.approx(-1_232_000), pytest.approx(1_148_000)]
    assert moved["involves_range"].all()


def test_gap_closure_on_the_real_rounds(real_data):
    closure = budget.gap_closure(budget.real(real_data)).set_index("year_label")
    assert closure.loc["2021/22", "reserves_used"] == 6_000_000
    assert closure.loc["2021/22", "gap_closed"] == 15_328_000 and closure.loc["2021/22", "balanced"]
    assert closure.loc["2017/18", "council_tax_rise_pct"] == pytest.approx(3.99)  # 1.99% + 2.0% ASC precept
    assert closure.loc["2022/23", "council_tax_rise_pct"] == pytest.approx(2.99)  # the latest round's 1.99% + 1%
    assert closure.loc["2022/23", "council_tax_rise_pct_round"] == "Draft 2022/23"
    assert closure.loc["2024/25", "extra_council_tax"] == pytest.approx(8_200_000)
    assert not closure.loc["2026/27", "balanced"] and closure.loc["2026/27", "gap_closed"] == -10_329_000


def test_current_round_and_headline(real_data):
    assert budget.current_round(real_data, "Q2 2016/17") == "MTFS 2014/15 to 2016/17"
    assert budget.current_round(real_data, "Q3 2021/22") == "Draft 2022/23"
    assert budget.current_round(real_data, "Q1 2010/11") == ""
    text = words.budget_gap_headline(real_data, "2025/26")
    assert "first put at £11.0m in the Draft 2023/24 round (Dec 2022)" in text
    assert "last at £10.9m in the Final 2024/25 round (Feb 2024)" in text and "3 rounds" in text
    assert "between £6.3m and £13.1m" not in text
    assert "no later round restates it" in words.budget_gap_headline(real_data, "2016/17")
    assert words.budget_gap_headline(real_data, "2010/11").startswith("No budget round")


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------

BASE = budget.ScenarioBase(round="R", base_year=pd.Period("2021", "Y-MAR"),
                           years=(pd.Period("2022", "Y-MAR"), pd.Period("2023", "Y-MAR")), gaps=(5 * M, 4 * M),
                           council_tax_income=100 * M, council_tax_rise=2.0, other_funding=50 * M, spending=200 * M)


def test_scenario_with_no_change_is_the_plan():
    result = budget.scenario(BASE)
    assert list(result["gap_scenario"]) == [5 * M, 4 * M] and list(result["change"]) == [0, 0]
    assert list(result["cumulative_plan"]) == [5 * M, 9 * M]


def test_scenario_council_tax_rise_compounds():
    result = budget.scenario(BASE, council_tax_rise=3.0)
    # year 1: 100m x (1.03 - 1.02) = 1.0m more income; year 2: 100m x (1.0609 - 1.0404) = 2.05m in all
    assert list(result["change"]) == [pytest.approx(-1.0 * M), pytest.approx(-1.05 * M)]
    assert result["cumulative_scenario"].iloc[-1] == pytest.approx(9 * M - 2.05 * M)


def test_scenario_grant_cut_and_inflation():
    result = budget.scenario(BASE, grant_change=-10, extra_inflation=1)
    # grants: 50m x (0.9 - 1) = -5m, then 50m x (0.81 - 1) = -9.5m; costs: 200m x 1% = 2m, then 200m x 2.01% = 4.02m
    assert list(result["funding_effect"]) == [pytest.approx(5 * M), pytest.approx(9.5 * M)]
    assert list(result["inflation_effect"]) == [pytest.approx(2 * M), pytest.approx(4.02 * M)]
    assert list(result["change"]) == [pytest.approx(7 * M), pytest.approx(6.52 * M)]


def test_scenario_base_from_the_real_rounds(real_data):
    base = budget.scenario_base(real_data, "Final 2024/25")
    assert base.base_year == pd.Period("2025", "Y-MAR")
    assert base.gaps == (10_880_000, 6_732_000)
    assert (base.council_tax_income, base.spending, base.other_funding) == (162 * M, 203 * M, 41 * M)
    assert base.council_tax_rise == pytest.approx(4.99)  # 2.99% core + 2% ASC precept
    assert any("trust B" in line for line in base.sources)


def test_scenario_base_says_what_is_missing(real_data):
    with pytest.raises(ParameterError, match="the council tax income for 2025/26.*pass council_tax_income=..."):
        budget.scenario_base(real_data, "Draft 2026/27")
    base = budget.scenario_base(real_data, "Draft 2026/27", council_tax_income=170 * M)
    assert base.council_tax_income == 170 * M and base.council_tax_rise == pytest.approx(4.99)
    assert base.gaps == (17_061_000, 8_153_000, 7_325_000)


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def test_check_parameters_fills_defaults(real_data):
    chosen = budget.check_parameters(real_data, quarter="Q2 2016/17")
    assert (chosen.year_label, chosen.gap_round) == ("2016/17", "MTFS 2014/15 to 2016/17")
    chosen = budget.check_parameters(real_data, quarter="Q2 2016/17", financial_year="2025/26",
                                     gap_round="Final 2024/25", illustrative_quarter="Q3 2004/05")
    assert (chosen.year_label, chosen.gap_round, chosen.illustrative_label) == ("2025/26", "Final 2024/25",
                                                                                "Q3 2004/05")


@pytest.mark.parametrize(("parameters", "message"), [
    ({"gap_round": "Draft 1999/00"}, "the rounds are: MTFS 2014/15"),
    ({"scenario_round": "Nope"}, "has no published gaps"),
    ({"bridge_from": "2010/11", "bridge_to": "2011/12"}, "bridges exist for: 2003/04 -> 2004/05"),
    ({"bridge_from": "2003/04", "bridge_to": "2004/05", "bridge_area": "Parks"}, "the areas are: Whole council"),
    ({"illustrative_quarter": "Q1 2016/17"}, "its quarters are Q1 2004/05"),
    ({"quarter": "Quarter two"}, "not a financial quarter"),
    ({"financial_year": "2016"}, "not a financial year"),
])
def test_check_parameters_errors_say_what_exists(real_data, parameters, message):
    with pytest.raises(ParameterError, match=message):
        budget.check_parameters(real_data, **parameters)


def test_load_budget_needs_the_clean_output(tmp_path):
    with pytest.raises(ParameterError, match="harrowperf clean"):
        budget.load_budget(tmp_path)


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def spec(chart) -> dict:
    return chart.to_dict()


def test_every_chart_has_a_title_and_a_description(real_data):
    real = budget.real(real_data)
    made = [
        charts.bridge_chart(budget.bridge(real_data, "2003/04", "2004/05"), area="Total Net Expenditure"),
        charts.variance_chart(budget.variance(budget.illustrative(real_data)), "Q3 2004/05"),
        charts.variance_chart(budget.variance(real), "Q3 2021/22"),
        charts.mtfs_gap_chart(budget.mtfs_gap(real), "Final 2024/25"),
        charts.gap_rounds_chart(budget.gap_by_round(real)),
        charts.scenario_chart(budget.scenario(BASE, council_tax_rise=3.0)),
    ]
    for chart in made:
        drawn = spec(chart)
        assert drawn["title"] and len(drawn["description"]) > 80


def test_charts_of_illustrative_figures_say_so_and_never_mix(real_data):
    illustrative = budget.variance(budget.illustrative(real_data))
    assert spec(charts.variance_chart(illustrative, "Q1 2004/05"))["title"].startswith("ILLUSTRATIVE")
    assert not spec(charts.variance_chart(budget.variance(budget.real(real_data)), "Q3 2021/22"))[
        "title"].startswith("ILLUSTRATIVE")
    with pytest.raises(ParameterError, match="mixes real and illustrative"):
        charts.variance_chart(budget.variance(real_data))


def test_variance_chart_prints_the_rag_beside_the_colour(real_data):
    drawn = spec(charts.variance_chart(budget.variance(budget.illustrative(real_data)), "Q3 2004/05"))
    data = pd.DataFrame(next(iter(drawn["datasets"].values())))
    people = data[data["Area"] == "People First"].iloc[0]
    assert people["Label"] == "R +£1.4m overspend" and people["Variance £m"] == 1.4
    assert "Total" not in set(data["Area"])
    assert data[data["Area"] == "Chief Executive's Office"].iloc[0]["Label"] == "G -£10,000 underspend"


def test_bridge_chart_data_follows_the_waterfall(real_data):
    drawn = spec(charts.bridge_chart(budget.bridge(real_data, "2003/04", "2004/05"), area="Organisational Development"))
    data = pd.DataFrame(next(iter(drawn["datasets"].values()))).sort_values("Order")
    assert list(data["Kind"]) == ["Budget", "Adds to budget", "Adds to budget", "Adds to budget", "Adds to budget",
                                  "Reduces budget", "Not explained", "Budget"]
    assert list(data["Label"])[-2:] == ["+0.0", "2.3"]


def test_charts_with_nothing_to_draw_say_so(real_data):
    assert "publishes no gaps" in spec(charts.mtfs_gap_chart(budget.mtfs_gap(real_data), "Nope"))["description"]
    empty = budget.variance(real_data.iloc[0:0])
    assert "No forecast variance" in spec(charts.variance_chart(empty, "Q1 2020/21"))["description"]

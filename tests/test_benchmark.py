"""Benchmarking: rank and quartile arithmetic (ties, both polarities, in-range), groups, rank targets, charts."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from conftest import RAW
from hypothesis import given
from hypothesis import strategies as st

from harrowperf import BenchmarkError, ParameterError, benchmark, comparative
from harrowperf.present import tables, words
from harrowperf.present.charts import benchmark as charts
from harrowperf.present.format import ordinal
from harrowperf.read.comparative.contract import COLUMNS, finish

DATA = RAW / "benchmark"
CODES = [f"E0900000{i}" for i in range(2, 10)]  # eight London borough codes


def frame(values, *, polarity="lower", measure="m1", period="2025", codes=None, unit="%") -> pd.DataFrame:
    """A benchmark frame built in code: one measure, one calendar year, one row per value."""
    codes = codes or CODES[: len(values)]
    rows = pd.DataFrame({
        "area_code": codes, "area_name": [f"Council {c[-1]}" for c in codes], "measure_id": measure,
        "measure": f"Measure {measure}", "polarity": polarity, "unit": unit,
        "period": pd.Period(period, "Y-DEC"), "period_label": period, "actual": values,
        "numerator": np.nan, "denominator": np.nan, "source": "made-up.csv",
        "row": range(2, len(values) + 2), "note": "",
    })
    return finish(rows[COLUMNS])


def ranked_values(values, **kwargs) -> pd.DataFrame:
    ranked = benchmark.rank(frame(values, **kwargs), CODES)
    return ranked.set_index("area_code").loc[CODES[: len(values)]]


# --- rank and quartile arithmetic, by hand ------------------------------------------------------


def test_lower_is_better_with_a_tie():
    got = ranked_values([1.0, 2.0, 2.0, 4.0, 5.0], polarity="lower")
    assert got["rank"].tolist() == [1, 2, 2, 4, 5]            # "min": tied share the best rank
    assert got["tied"].tolist() == [False, True, True, False, False]
    assert got["rank_of"].tolist() == [5] * 5
    assert got["quartile"].tolist() == [1, 2, 2, 4, 4]        # ceil(4 * rank / 5)
    assert got["group_median"].iloc[0] == 2.0 and got["group_mean"].iloc[0] == pytest.approx(2.8)
    assert got["best_quartile_value"].iloc[0] == 1.0          # position max(1, floor(5/4)) = 1
    assert got["gap_to_median"].tolist() == [-1.0, 0.0, 0.0, 2.0, 3.0]
    assert got["gap_to_best_quartile"].tolist() == [0.0, 1.0, 1.0, 3.0, 4.0]
    assert set(got["rank_basis"]) == {"lower is better"}


def test_higher_is_better_reverses_the_order():
    got = ranked_values([1.0, 2.0, 2.0, 4.0, 5.0], polarity="higher")
    assert got["rank"].tolist() == [5, 3, 3, 2, 1]
    assert got["tied"].tolist() == [False, True, True, False, False]
    assert got["quartile"].tolist() == [4, 3, 3, 2, 1]
    assert got["best_quartile_value"].iloc[0] == 5.0
    assert got["gap_to_best_quartile"].tolist() == [-4.0, -3.0, -3.0, -1.0, 0.0]


def test_eight_councils_quartiles_and_best_quarter_cut():
    values = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
    got = ranked_values(values, polarity="higher")
    assert got["rank"].tolist() == [8, 7, 6, 5, 4, 3, 2, 1]
    assert got["quartile"].tolist() == [4, 4, 3, 3, 2, 2, 1, 1]
    assert got["best_quartile_value"].iloc[0] == 70.0         # 2nd best: floor(8/4) = 2
    assert got["group_median"].iloc[0] == 45.0


def test_in_range_ranks_by_distance_from_the_ideal():
    got = benchmark.rank(frame([98.0, 101.0, 103.0, 100.0, 95.0], polarity="in_range"), CODES,
                         ideal={"m1": 100.0}).set_index("area_code").loc[CODES[:5]]
    assert got["rank"].tolist() == [3, 2, 4, 1, 5]
    assert got["gap_to_best_quartile"].tolist() == [2.0, 1.0, 3.0, 0.0, 5.0]  # distance beyond the best's
    assert set(got["rank_basis"]) == {"closest to 100 is best"}
    with pytest.raises(BenchmarkError, match="m1 need an ideal value"):
        benchmark.rank(frame([98.0, 101.0], polarity="in_range"), CODES)


def test_missing_values_are_not_ranked_and_not_counted():
    got = ranked_values([3.0, np.nan, 1.0, 2.0], polarity="lower")
    assert got["rank"].tolist()[0] == 3 and math.isnan(got["rank"].iloc[1])
    assert got["rank_of"].iloc[0] == 3 and got["group_size"].iloc[0] == 4
    assert got["quartile"].iloc[0] == 4                       # ceil(4 * 3 / 3)


def test_measure_without_polarity_gets_statistics_but_no_rank():
    got = ranked_values([3.0, 1.0, 2.0], polarity="")
    assert got["rank"].isna().all() and got["quartile"].isna().all()
    assert got["group_median"].iloc[0] == 2.0
    assert got["rank_basis"].iloc[0].startswith("not ranked")


def test_only_group_members_are_ranked():
    data = frame([5.0, 1.0, 3.0], codes=["E09000002", "E08000009", "E09000004"])
    ranked = benchmark.rank(data, "london_boroughs", data_dir=DATA)
    assert set(ranked["area_code"]) == {"E09000002", "E09000004"}
    assert ranked.set_index("area_code")["rank"].to_dict() == {"E09000004": 1, "E09000002": 2}
    assert len(data) == 3 and "rank" not in data  # the input is not changed


def test_rank_change_since_previous_period():
    first = frame([1.0, 2.0, 3.0], period="2024")
    second = frame([3.0, 2.0, 1.0], period="2025")
    ranked = benchmark.rank(pd.concat([first, second], ignore_index=True), CODES)
    latest = ranked[ranked["period_label"] == "2025"].set_index("area_code")
    assert latest.loc[CODES[0], ["rank", "previous_rank", "rank_change"]].tolist() == [3, 1, -2]
    assert latest.loc[CODES[2], "rank_change"] == 2
    assert (latest["previous_period"] == pd.Period("2024", "Y-DEC")).all()
    assert ranked[ranked["period_label"] == "2024"]["previous_rank"].isna().all()


def test_a_group_with_no_member_in_the_data_is_an_error():
    with pytest.raises(BenchmarkError, match="none of the Scottish councils"):
        benchmark.rank(frame([1.0, 2.0]), "scottish_councils", data_dir=DATA)


def test_mixed_period_kinds_rank_per_measure():
    """Trafford's NEET file has academic-year and calendar-year measures side by side."""
    ranked = benchmark.rank(comparative.read("trafford_neet", DATA), "cipfa_trafford", data_dir=DATA)
    trafford = ranked[ranked["area_name"] == "Trafford"].set_index(["measure_id", "period_label"])
    assert trafford.loc[("neet_16_17", "2023"), "previous_period"] == pd.Period("2022", "Y-DEC")
    assert trafford.loc[("neet_nk_16_17", "2022/23"), "previous_period"] == pd.Period("2022", "Y-AUG")
    assert trafford.loc[("neet_16_17", "2023"), "rank_of"] == 14  # 16 listed; Darlington, Telford absent


def test_two_values_for_one_area_is_an_error():
    doubled = pd.concat([frame([1.0, 2.0]), frame([3.0, 4.0])], ignore_index=True)
    with pytest.raises(BenchmarkError, match="more than one value for m1 in 2025"):
        benchmark.rank(doubled, CODES)


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=30),
       st.sampled_from(["higher", "lower"]))
def test_rank_properties(values, polarity):
    codes = [f"E06{i:06d}" for i in range(len(values))]
    ranked = benchmark.rank(frame([float(v) for v in values], polarity=polarity, codes=codes), codes)
    sign = -1 if polarity == "higher" else 1
    for value, rank in zip(ranked["actual"], ranked["rank"], strict=True):
        assert rank == 1 + sum(sign * other < sign * value for other in values)  # "min" ties
    assert ranked["quartile"].between(1, 4).all()
    assert ranked.sort_values("rank")["quartile"].is_monotonic_increasing
    assert (ranked["tied"] == ranked["actual"].duplicated(keep=False)).all()


# --- real data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def neet_london() -> pd.DataFrame:
    return benchmark.rank(comparative.read("dfe_nccis", DATA), "london_boroughs", data_dir=DATA)


def test_harrow_neet_rank_matches_a_count_of_the_file(neet_london):
    with open(DATA / "dfe_nccis" / "UD_NEETNK_LA_dashboard_final_2025.csv", newline="") as handle:
        london = {r["new_la_code"]: float(r["NEET_percent"]) for r in csv.DictReader(handle)
                  if r["region_name"] == "London" and r["geographic_level"] == "Local authority"}
    harrow = london["E09000015"]
    expected = 1 + sum(value < harrow for value in london.values())
    row = neet_london[(neet_london["area_code"] == "E09000015") & (neet_london["measure_id"] == "neet_16_17")
                      & (neet_london["period_label"] == "2025")].iloc[0]
    assert (row["rank"], row["rank_of"], row["actual"]) == (expected, 32, 1.3) == (8, 32, 1.3)
    assert row["group_median"] == pytest.approx(float(np.median(list(london.values()))))


def test_lgbf_quarterly_ranks_equal_the_published_scottish_ranks():
    quarterly = comparative.read("lgbf_quarterly", DATA)
    ranked = benchmark.rank(quarterly, "scottish_councils", data_dir=DATA)
    with open(DATA / "lgbf" / "Indicator_Data_Real_Quarterly.csv", newline="", encoding="utf-8-sig") as handle:
        published = {n: float(r["ScotRank"]) for n, r in enumerate(csv.DictReader(handle), start=2)}
    assert len(ranked) == len(published) == 1339
    assert all(published[row] == rank for row, rank in zip(ranked["row"], ranked["rank"], strict=True))


def test_oflog_medians_equal_the_published_medians():
    ranked = benchmark.rank(comparative.read("oflog", DATA), "english_councils", data_dir=DATA)
    with open(DATA / "oflog" / "ASC_data.csv", newline="") as handle:
        published = {n: float(r["MEDIAN"]) for n, r in enumerate(csv.DictReader(handle), start=2)}
    assert len(ranked) == 6376
    assert np.allclose(ranked["group_median"], ranked["row"].map(published))


def test_every_lgbf_indicator_ranks_with_ideals():
    lgbf = comparative.read("lgbf", DATA)
    meta = comparative.read_lgbf_indicators(DATA / "lgbf" / "Indicator_Information.csv")
    ranked = benchmark.rank(lgbf, "scottish_councils", ideal=comparative.ideals(meta), data_dir=DATA)
    assert len(ranked) == len(lgbf) - 1  # all but the empty record, which has no council
    assert ranked["rank"].notna().sum() == ranked["actual"].notna().sum()
    corp11 = ranked[(ranked["measure_id"] == "CORP11") & (ranked["rank"] == 1)]
    assert (corp11["rank_basis"] == "closest to 100 is best").all()


# --- summary and headline -----------------------------------------------------------------------


def test_summary_headline_in_plain_words(neet_london):
    summary = benchmark.summary(neet_london, "Harrow", measures=["neet_16_17"])
    assert len(summary) == 1
    line = words.benchmark_headline(summary.iloc[0])
    assert line.startswith("Harrow ranks 8th of 32 London boroughs for 16-17 year olds not in education")
    assert "in 2025 (lower is better): 1.3% against a group median of 1.95%" in line
    assert "best quarter" in line and "Same position as in 2024" in line


def test_summary_chosen_period_and_joint_ranks(neet_london):
    summary = benchmark.summary(neet_london, "E09000015", measures=["neet_nk_16_17"], period="2025")
    assert words.benchmark_headline(summary.iloc[0]).startswith("Harrow ranks joint 6th of 32")


def test_summary_rejects_unknown_parameters_with_help(neet_london):
    with pytest.raises(ParameterError, match="did you mean Harrow"):
        benchmark.summary(neet_london, "Harow")
    with pytest.raises(ParameterError, match="the measures are: .*neet_16_17"):
        benchmark.summary(neet_london, "Harrow", measures=["neet"])
    with pytest.raises(ParameterError, match="the periods are: 2021, 2022"):
        benchmark.summary(neet_london, "Harrow", period="2019")


# --- rank-range targets -------------------------------------------------------------------------


@pytest.mark.parametrize(("rank", "status", "met", "outside"), [
    (14, "met", True, 0), (12, "met", True, 0), (20, "met", True, 0),
    (5, "exceeded", True, -7), (21, "missed", False, 1), (30, "missed", False, 10),
])
def test_rank_range_target(rank, status, met, outside):
    check = benchmark.check_rank_target(rank, "12th to 20th in London")
    assert (check.status, check.met, check.places_outside) == (status, met, outside)
    assert (check.low, check.high, check.group_text) == (12, 20, "in London")
    assert words.rank_target(check).startswith(f"{rank}{'st' if rank == 21 else 'th'} in London is")


def test_rank_range_target_edge_cases():
    assert benchmark.check_rank_target(np.nan, "12th to 20th").status == "no rank"
    assert benchmark.check_rank_target(3, (5, 1)).status == "met"       # a tuple, either order
    with pytest.raises(BenchmarkError, match="not a rank range"):
        benchmark.check_rank_target(3, "top quartile please")


def test_rank_range_targets_vectorised(neet_london):
    checked = benchmark.check_rank_targets(neet_london, "1st to 10th")
    harrow = checked[(checked["area_code"] == "E09000015") & (checked["measure_id"] == "neet_16_17")]
    assert harrow.set_index("period_label")["target_status"].to_dict()["2025"] == "met"
    expected = np.where(checked["rank"] <= 10, "met", "missed")
    assert (checked["target_status"].where(checked["rank"].notna(), "no rank")
            == np.where(checked["rank"].isna(), "no rank", expected)).all()


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=200),
       st.integers(min_value=1, max_value=200))
def test_rank_target_is_a_window(rank, a, b):
    low, high = sorted((a, b))
    check = benchmark.check_rank_target(rank, f"{ordinal(a)} to {ordinal(b)}")
    assert check.met == (rank <= high)
    assert (check.status == "met") == (low <= rank <= high)


# --- groups -------------------------------------------------------------------------------------


def test_london_boroughs_match_the_data_names():
    group = comparative.comparator_group("london_boroughs", data_dir=DATA)
    assert len(group.members) == 32 and "E09000001" not in group.members  # the City is not a borough
    areas = comparative.area_attributes("oflog", DATA).drop_duplicates("area_code").set_index("area_code")
    assert all(areas.loc[code, "area_name"] == name for code, name in group.names.items())


def test_groups_from_source_columns_and_files():
    north_west = comparative.comparator_group("region:north west", data_dir=DATA)
    assert north_west.key == "region:North West" and "E08000009" in north_west.members
    family = comparative.comparator_group("lgbf_family:Most Deprived", data_dir=DATA)
    assert family.members == {"Dundee City", "East Ayrshire", "Eilean Siar", "Glasgow City", "Inverclyde",
                              "North Ayrshire", "North Lanarkshire", "West Dunbartonshire"}
    cipfa = comparative.comparator_group("cipfa_trafford", data_dir=DATA)
    assert len(cipfa.members) == 16 and "E08000009" in cipfa.members
    missing = cipfa.missing_from(comparative.read("trafford_recycling", DATA))
    assert missing == ["E06000005", "E06000020"]  # Darlington, Telford: listed but not in the file


def test_unknown_groups_are_explained():
    with pytest.raises(BenchmarkError, match="known groups: london_boroughs"):
        comparative.comparator_group("london", data_dir=DATA)
    with pytest.raises(BenchmarkError, match="the values there are: East Midlands"):
        comparative.comparator_group("region:Narnia", data_dir=DATA)


def test_user_groups_file(tmp_path):
    wla = comparative.comparator_group("west_london_alliance", data_dir=DATA, user_file=RAW.parent / "groups.csv")
    assert len(wla.members) == 7 and "E09000015" in wla.members
    bad = tmp_path / "groups.csv"
    bad.write_text("group,label,area_code\nmine,My group,E09000015\nmine,My group,E0900\n")
    with pytest.raises(BenchmarkError, match=r"groups.csv, row 3: unknown area code 'E0900'"):
        comparative.comparator_group("mine", user_file=bad)


# --- charts -------------------------------------------------------------------------------------


def test_ranked_chart_highlights_the_council(neet_london):
    spec = charts.ranked_chart(neet_london, "Harrow", "neet_16_17").to_dict()
    assert spec["title"]["text"] == ("Harrow among London boroughs: 16-17 year olds not in education, "
                                     "employment or training (NEET), 2025")
    assert "Harrow is 8th of 32" in spec["description"] and "median (1.95%)" in spec["description"]
    datasets = list(spec["datasets"].values())
    dots = next(d for d in datasets if len(d) == 32)
    assert [d["council"] for d in dots if d["highlighted"] == "Harrow"] == ["Harrow"]
    bands = next(d for d in datasets if len(d) == 4)
    assert [b["label"] for b in bands] == ["best quarter", "second quarter", "third quarter", "worst quarter"]


def test_quartile_bands_meet(neet_london):
    bands = benchmark.quartile_bands(neet_london, "neet_16_17", "2025")
    assert bands["members"].sum() == 32
    ordered = bands.sort_values("low")
    assert (ordered["high"].to_numpy()[:-1] == ordered["low"].to_numpy()[1:]).all()


def test_trend_chart_small_multiples(neet_london):
    chart = charts.trend_chart(neet_london, "Harrow", ["neet_16_17", "participation_16_17"])
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Harrow against the median of London boroughs over time"
    assert "dashed black line is the median" in spec["description"]
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 10  # two measures x five years
    harrow_2025 = [d for d in data if d["Period"] == "2025" and d["Measure"].startswith("16-17 year olds not")]
    assert harrow_2025[0]["Council"] == 1.3 and harrow_2025[0]["Group median"] == 1.95
    assert spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == ["2021", "2022", "2023", "2024", "2025"]


def test_trend_chart_panels_carry_the_full_measure_name(neet_london):
    from harrowperf.present.figures import chart_html

    spec = charts.trend_chart(neet_london, "Harrow", ["neet_16_17"]).to_dict()
    assert spec["facet"]["header"]["labelLimit"] == 0          # never cut short ...
    data = next(iter(spec["datasets"].values()))
    # ... but wrapped
    assert data[0]["_panel"] == "16-17 year olds not in education, | employment or training (NEET) (%)"
    assert "_panel" not in chart_html(spec).split("<details>")[1]   # a drawing aid, not a column of the data table


def test_trend_chart_puts_years_in_time_order_whatever_order_rows_come_in(neet_london):
    shuffled = neet_london.sample(frac=1, random_state=3).reset_index(drop=True)
    spec = charts.trend_chart(shuffled, "Harrow", ["neet_16_17"]).to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == ["2021", "2022", "2023", "2024", "2025"]
    gappy = neet_london[neet_london["period_label"] != "2023"]
    spec = charts.trend_chart(gappy, "Harrow", ["neet_16_17"]).to_dict()
    # the missing year keeps its place on the axis, so the years are spaced by real time
    assert spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == ["2021", "2022", "2023", "2024", "2025"]


def test_table_for_readers(neet_london):
    summary = benchmark.summary(neet_london, "Harrow", measures=["neet_16_17", "not_known_16_17"])
    table = tables.benchmark(summary)
    assert not table.isna().any().any()
    first = table.loc["16-17 year olds not in education, employment or training (NEET)"]
    assert (first["Value"], first["Rank"], first["Of"], first["Group median"]) == ("1.3%", "8th", "32", "1.95%")
    assert (first["Quarter of group"], first["Places moved"]) == ("best quarter", "none")
    second = table.loc["16-17 year olds whose activity is not known"]
    assert (second["Rank"], second["Places moved"]) == ("11th (joint)", "-2")


def test_ranked_picker_chart_carries_every_measure_and_a_list_to_pick_one(neet_london):
    from harrowperf.present.figures import chart_html

    measures = ["neet_16_17", "participation_16_17"]
    chart = charts.ranked_picker_chart(neet_london, "Harrow", measures)
    spec = chart.to_dict()
    [param] = spec["params"]
    assert param["bind"]["input"] == "select"
    assert param["bind"]["options"] == [
        "16-17 year olds not in education, employment or training (NEET) (%), 2025",
        "16-17 year olds participating in education or training (%), 2025"]
    assert param["value"] == param["bind"]["options"][0]
    assert spec["title"]["text"] == {"expr": '"Harrow among London boroughs: " + benchmark_measure'}
    # every layer draws only the picked measure; the dots hold both measures' councils
    dots = max(spec["datasets"].values(), key=len)
    assert {row["measure"] for row in dots} == set(param["bind"]["options"])
    one = charts.ranked_chart(neet_london, "Harrow", "neet_16_17").to_dict()
    single = max(one["datasets"].values(), key=len)
    assert [(r["council"], r["value"]) for r in dots if r["measure"] == param["value"]] == \
        [(r["council"], r["value"]) for r in single]
    assert all(layer["transform"][0] == {"filter": "(datum.measure === benchmark_measure)"}
               for layer in spec["layer"])
    # the static figure draws the first measure only: Harrow's 1.3% NEET, 8th of 32 (as the one-measure
    # chart says), and not its participation figure
    svg = chart_html(chart).split("</svg>")[0]
    [participation] = {row["tag"] for row in dots if row["measure"] != param["value"]}
    assert "Harrow: 1.3% (8th of 32)" in svg and participation not in svg
    assert "Harrow is 8th of 32" in one["description"]

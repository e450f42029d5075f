"""gaps: gap arithmetic in each unit, streaks over consecutive quarters, summaries, and the seed's key challenges."""

import math

import pandas as pd
import pytest
from conftest import RAW, ROOT
from test_rag import frame_of

import harrowperf as hp
from harrowperf import catalogue, gaps
from harrowperf.present import tables, words

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
SEED_TEXT = (ROOT / "tests" / "fixtures" / "seeds" / "003_405e00269b3432ab.txt").read_text("utf-8")


def gap_of(**row) -> pd.Series:
    return gaps.target_gaps(frame_of(row)).iloc[0]


# --- gap arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(("row", "gap", "gap_rel", "unit"), [
    # percentage points: Vulnerable 14, 87.8% against 90%, Higher
    ({"polarity": "higher", "target": 90.0, "actual": 87.8, "unit": "%"}, -2.2, -2.2 / 90, "%"),
    # seconds: Business 13, 02:31 against 01:30, Lower: 61 s too slow
    ({"polarity": "lower", "target": 90.0, "actual": 151.0, "unit": "s"}, -61.0, -61 / 90, "s"),
    # counts: Better Harrow 22, 325 landlords against 344
    ({"polarity": "higher", "target": 344.0, "actual": 325.0, "unit": "count"}, -19.0, -19 / 344, "count"),
    # days (no unit): Business 25, 8.84 days against 8.18, Lower
    ({"polarity": "lower", "target": 8.18, "actual": 8.84, "unit": ""}, -0.66, -0.66 / 8.18, ""),
    # pounds, better than target on a Lower measure is a positive gap
    ({"polarity": "lower", "target": 1000.0, "actual": 900.0, "unit": "£"}, 100.0, 0.1, "£"),
    # a negative target: Business 20, -18% against -20%, Lower
    ({"polarity": "lower", "target": -20.0, "actual": -18.0, "unit": "%"}, -2.0, -0.1, "%"),
    # rank places: Vulnerable 12, 28th against 12th-20th
    ({"polarity": "lower", "target_kind": "rank_range", "target_low": 12.0, "target_high": 20.0,
      "actual": 5.86, "rank": 28.0, "unit": ""}, -8.0, -0.4, "rank"),
    # inside a range the gap is 0
    ({"polarity": "in_range", "target_kind": "range", "target_low": 0.9, "target_high": 1.1, "actual": 0.98,
      "unit": "ratio"}, 0.0, 0.0, "ratio"),
    # outside a range: to the nearer bound
    ({"polarity": "in_range", "target_kind": "range", "target_low": 0.9, "target_high": 1.1, "actual": 1.21,
      "unit": "ratio"}, -0.11, -0.1, "ratio"),
])
def test_gap_in_the_measures_unit(row, gap, gap_rel, unit):
    result = gap_of(**row)
    assert result["gap"] == pytest.approx(gap)
    assert result["gap_rel"] == pytest.approx(gap_rel)
    assert result["gap_unit"] == unit
    assert bool(result["on_target"]) is (gap >= 0)


def test_zero_target_has_a_gap_but_no_relative_gap():
    met = gap_of(target=0.0, actual=0.0, unit="count")
    assert met["gap"] == 0.0 and math.isnan(met["gap_rel"]) and bool(met["on_target"])
    missed = gap_of(polarity="lower", target=0.0, actual=3.0, unit="count")
    assert missed["gap"] == -3.0 and not bool(missed["on_target"])


def test_exactly_on_target_counts_as_on_target_despite_binary_fractions():
    assert bool(gap_of(polarity="lower", target=0.3, actual=0.1 + 0.2)["on_target"])


def test_year_on_year_gap_is_against_last_years_figure():
    frame = frame_of(
        {"measure_id": "m", "polarity": "lower", "target_kind": "yoy_reduction", "period_label": "Q2 2015/16",
         "actual": 42.5},
        {"measure_id": "m", "polarity": "lower", "target_kind": "yoy_reduction", "period_label": "Q2 2016/17",
         "actual": 43.3})
    result = gaps.target_gaps(frame)
    assert result["gap_reference"].iloc[1] == 42.5
    assert result["gap"].iloc[1] == pytest.approx(-0.8)
    assert pd.isna(result["on_target"].iloc[0])


@pytest.mark.parametrize("row", [{"target": 50.0}, {"target_kind": "none", "actual": 5.0}, {"actual": 5.0}])
def test_no_gap_without_a_target_and_an_actual(row):
    result = gap_of(**row)
    assert math.isnan(result["gap"]) and pd.isna(result["on_target"])


def test_target_gaps_leaves_its_input_alone():
    frame = frame_of({"target": 10.0, "actual": 12.0})
    before = frame.copy()
    result = gaps.target_gaps(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert set(gaps.GAP_COLUMNS) <= set(result.columns)


# --- status and streaks ---------------------------------------------------------------


def _series(statuses: dict[str, tuple[float, float]], measure_id="m") -> pd.DataFrame:
    return frame_of(*({"measure_id": measure_id, "period_label": quarter, "target": target, "actual": actual}
                      for quarter, (target, actual) in statuses.items()))


def test_streak_counts_consecutive_quarters_in_the_same_colour():
    frame = gaps.analyse(_series({
        "Q3 2015/16": (100.0, 80.0),   # HR
        "Q4 2015/16": (100.0, 94.0),   # LR: still red
        "Q1 2016/17": (100.0, 85.0),   # HR
        "Q2 2016/17": (100.0, 99.0),   # A
        "Q4 2016/17": (100.0, 99.0),   # A again, but Q3 is missing: a new streak
    }))
    ordered = frame.sort_values("period")
    assert ordered["rag_status"].tolist() == ["HR", "LR", "HR", "A", "A"]
    assert ordered["streak"].tolist() == [1, 2, 3, 1, 1]
    assert ordered["streak_colour"].tolist() == ["red", "red", "red", "amber", "amber"]


def test_streak_stops_at_a_quarter_without_status_and_between_measures():
    frame = pd.concat([
        _series({"Q1 2016/17": (100.0, 80.0), "Q2 2016/17": (math.nan, 80.0), "Q3 2016/17": (100.0, 80.0)}, "a"),
        _series({"Q4 2016/17": (100.0, 80.0)}, "b"),
    ], ignore_index=True)
    result = gaps.analyse(frame)
    assert result["streak"].tolist() == [1, pd.NA, 1, 1]


def test_rag_status_falls_back_to_the_reported_rag():
    frame = gaps.analyse(frame_of(
        {"target": 100.0, "actual": 80.0, "rag": "A", "rag_source": "text"},
        {"target_kind": "none", "actual": 5.0, "rag": "HG", "rag_source": "text"},
        {"target_kind": "none", "actual": 5.0}))
    assert frame["rag_status"].tolist() == ["HR", "HG", pd.NA]
    assert frame["rag_status_from"].tolist() == ["computed", "reported", pd.NA]


def test_steps_out_of_order_say_what_to_run():
    with pytest.raises(hp.ParameterError, match="rag.assess"):
        gaps.rag_status(frame_of({"target": 1.0, "actual": 1.0}))


# --- per-quarter views -------------------------------------------------------------------


def _two_themes() -> pd.DataFrame:
    return gaps.analyse(frame_of(
        {"theme": "Alpha", "measure": "A1", "target": 100.0, "actual": 120.0},            # HG +20%
        {"theme": "Alpha", "measure": "A2", "target": 100.0, "actual": 80.0},             # HR -20%
        {"theme": "Alpha", "measure": "A3", "target_kind": "none", "actual": 1.0},        # no status
        {"theme": "Beta", "measure": "B1", "target": 100.0, "actual": 97.0},              # A -3%
        {"theme": "Beta", "measure": "B2", "polarity": "lower", "target": 10.0, "actual": 10.6},  # LR -6%
    ))


def test_summary_counts_by_theme_and_overall():
    table = gaps.summary(_two_themes(), "Q2 2016/17").set_index("theme")
    assert table.loc["Alpha", ["measures", "rated", "HG", "HR", "not_rated", "with_gap", "on_target"]].tolist() \
        == [3, 2, 1, 1, 1, 2, 1]
    assert table.loc["Alpha", "worst_measure"] == "A2"
    assert table.loc["Alpha", "worst_gap_rel"] == pytest.approx(-0.2)
    assert table.loc["Beta", ["A", "LR", "on_target", "share_on_target"]].tolist() == [1, 1, 0, 0.0]
    overall = table.loc["All themes"]
    assert overall[["measures", "rated", "with_gap", "on_target"]].tolist() == [5, 4, 4, 1]
    assert overall["share_on_target"] == pytest.approx(0.25)
    assert list(table.index) == ["Alpha", "Beta", "All themes"]


def test_worst_gaps_worst_first():
    worst = gaps.worst_gaps(_two_themes(), "Q2 2016/17", n=2)
    assert worst["measure"].tolist() == ["A2", "B2"]


def test_a_quarter_not_in_the_data_lists_the_quarters_that_are():
    with pytest.raises(hp.ParameterError, match=r"Q3 2016/17 is not in the data.*Q2 2016/17"):
        gaps.summary(_two_themes(), "Q3 2016/17")
    with pytest.raises(hp.ParameterError, match="not a financial quarter"):
        gaps.exceptions(_two_themes(), "2016 Q7")


def test_select_theme_ignores_case_and_spacing_and_lists_themes_when_wrong():
    frame = _two_themes()
    assert gaps.select_theme(frame, "  alpha ")["measure"].tolist() == ["A1", "A2", "A3"]
    assert gaps.select_theme(frame, None) is frame
    with pytest.raises(hp.ParameterError, match="'Alpha', 'Beta'"):
        gaps.select_theme(frame, "Gamma")


def test_recent_keeps_the_quarters_ending_with_the_one_asked_for():
    frame = _series({q: (100.0, 90.0) for q in ("Q1 2015/16", "Q2 2015/16", "Q1 2016/17", "Q2 2016/17",
                                                 "Q3 2016/17")})
    kept = gaps.recent(frame, "Q2 2016/17", count=5)["period_label"].tolist()
    assert kept == ["Q2 2015/16", "Q1 2016/17", "Q2 2016/17"]


def test_summary_text_reads_as_sentences():
    text = words.target_gap_summary(_two_themes(), "Q2 2016/17")
    assert text.startswith("In Q2 2016/17 the data has 5 measures, of which 4 have a RAG status: 1 green, "
                           "1 amber and 2 red.")
    assert "1 (25%) are on or better than target" in text
    assert "the furthest from target is 'A2' (Q2 2016/17), 20% below target" in text


def test_readable_headings_and_percentages():
    shown = tables.target_gap(gaps.worst_gaps(_two_themes(), "Q2 2016/17", n=1))
    assert shown["Gap, % of target"].tolist() == ["-20%"]
    assert "Measure" in shown.columns and "measure" not in shown.columns


# --- the real seed: exceptions are the report's "Summary of key challenges" -----------------


# The measures each "Summary of key challenges" of seed 003 discusses (headings quoted from the seed).
KEY_CHALLENGES = {
    "% of 3rd party contract spend placed with local organisations": [("Business", "3")],
    "Customer enquiries that should not have been necessary": [("Business", "12")],
    "Average speed to answer the telephone in Access Harrow & % of calls answered less than 600 seconds":
        [("Business", "13"), ("Business", "14")],
    "Email traffic: % reduction of emails from previous year": [("Business", "20")],
    "Staff sickness": [("Business", "25")],
    "Total number of households to whom we have accepted a full homelessness duty": [("Better Harrow", "19")],
    "Number of Harrow Landlords accredited through the London Landlord Accreditation scheme":
        [("Better Harrow", "22")],
    "Percentage of service users completing drug/alcohol treatment services":
        [("Better Harrow", "40"), ("Better Harrow", "41"), ("Better Harrow", "42"), ("Better Harrow", "43")],
    "% of household waste recycled and composted": [("Better Harrow", "52")],
    "Proportion of disabled employees & top 5% of earners, who are disabled":
        [("Better Harrow", "60"), ("Better Harrow", "63")],
    "Proportion of Harrow Council employees aged less than 25": [("Better Harrow", "64")],
    "The percentage of existing staff & new starters who completed the mandatory Equality Matters training":
        [("Better Harrow", "73"), ("Better Harrow", "74")],
    "Delayed Transfers of Care": [("Vulnerable", "12")],
}


@pytest.fixture(scope="module")
def seed():
    return gaps.analyse(catalogue.apply(hp.read_scorecard(SEED_WORKBOOK).frame))


def test_key_challenge_headings_are_quoted_from_the_seed():
    for heading in KEY_CHALLENGES:
        assert f"\n{heading}\n" in SEED_TEXT, heading


def test_exceptions_for_q2_2016_17_are_the_seeds_key_challenges(seed):
    listed = gaps.exceptions(seed, "Q2 2016/17")
    firsts = seed.drop_duplicates("measure_id").set_index(["sheet", "measure_ref"])["measure_id"]
    expected = {firsts[key] for keys in KEY_CHALLENGES.values() for key in keys}
    assert set(listed["measure_id"]) == expected
    assert len(listed) == len(expected) == 19


def test_exception_rows_carry_gap_streak_and_the_quarter_before(seed):
    listed = gaps.exceptions(seed, "Q2 2016/17").set_index("measure_id")
    training = listed.loc["equality-training-new-starters"]   # 19%, 40%, 17% against 100%: HR throughout
    assert (training["as_of"], training["rag_status"], training["streak"], training["rag_previous"]) == \
        ("Q2 2016/17", "HR", 2, "HR")
    assert training["gap"] == pytest.approx(-83.0)
    # reported a quarter in arrears: the Q1 2016/17 figure is the latest
    assert listed.loc["drug-treatment-completion-alcohol", "as_of"] == "Q1 2016/17"
    # reported HR but the figures give A: listed, with both statuses shown
    assert listed.loc["top-earners-disabled", ["rag_status", "rag"]].tolist() == ["A", "HR"]
    assert listed["gap_rel"].iloc[0] == listed["gap_rel"].min()  # worst first


def test_seed_summary_adds_up(seed):
    table = gaps.summary(seed, "Q2 2016/17").set_index("theme")
    themes = table.drop(index="All themes")
    overall = table.loc["All themes"]
    for column in ["measures", "rated", *gaps.STATUS_ORDER, "not_rated", "with_gap", "on_target"]:
        assert themes[column].sum() == overall[column], column
    assert overall["measures"] == 83
    assert (table["rated"] + table["not_rated"]).tolist() == table["measures"].tolist()
    assert table[gaps.STATUS_ORDER].sum(axis=1).tolist() == table["rated"].tolist()


def test_a_repeated_index_gives_the_same_results(seed):
    raw = hp.read_scorecard(SEED_WORKBOOK).frame
    repeated = raw.set_axis([0] * len(raw))  # e.g. frames concatenated without ignore_index
    result = gaps.analyse(catalogue.apply(repeated))
    columns = ["measure_id", "rag_computed", "gap", "streak", "rag_status"]
    pd.testing.assert_frame_equal(result[columns].reset_index(drop=True), seed[columns].reset_index(drop=True))


# --- the exception list with the service's commentary (seed 003 "Summary of key challenges") ----------


def test_every_key_challenges_paragraph_is_beside_the_right_measure(real_clean_dir):
    from test_raw_actions import CHALLENGE_MEASURES, SCORECARD_SHEET, _scorecard_names, _seed_challenges

    checked = gaps.analyse(hp.notebook.load_scorecard(real_clean_dir))
    commentary = hp.notebook.load_commentary(real_clean_dir)
    listed = gaps.exceptions_with_commentary(checked, commentary, "Q2 2016/17")
    assert list(listed.columns) == [*gaps.EXCEPTION_COLUMNS, *gaps.COMMENTARY_COLUMNS]
    assert listed.drop(columns=gaps.COMMENTARY_COLUMNS).equals(gaps.exceptions(checked, "Q2 2016/17"))
    # expected from the seed text and the scorecard workbook, not from the transcription
    names = _scorecard_names()
    expected = {}
    for heading, (theme, paragraphs) in _seed_challenges().items():
        for number in CHALLENGE_MEASURES[heading]:
            expected[(theme, names[(SCORECARD_SHEET[theme], number)])] = (heading, "\n\n".join(paragraphs))
    shown = {(row.theme, row.measure): (row.commentary_heading, row.commentary)
             for row in listed.itertuples() if row.commentary}
    assert shown == expected
    assert len(shown) == 19 and len(listed) == 19  # every red measure has the service's words
    assert listed["cell_commentary"].str.match(r"^Commentary!D\d+$").all()
    # all 21 paragraphs of the seed are there, each beside at least one measure
    every = "\n\n".join(listed["commentary"])
    for _, paragraphs in _seed_challenges().values():
        for paragraph in paragraphs:
            assert paragraph in every
    assert gaps.unlisted_commentary(checked, commentary, "Q2 2016/17").empty


def test_commentary_joined_missing_and_unlisted():
    rows = [{"measure_id": "m1", "measure": "One", "theme": "T", "measure_ref": "1", "polarity": "higher",
             "target": 10.0, "actual": 5.0, "rag": "HR", "period": pd.Period("2017Q2", "Q-MAR"),
             "period_label": "Q2 2016/17", "cell_actual": "S!C5"},
            {"measure_id": "m2", "measure": "Two", "theme": "T", "measure_ref": "2", "polarity": "higher",
             "target": 10.0, "actual": 4.0, "rag": "HR", "period": pd.Period("2017Q2", "Q-MAR"),
             "period_label": "Q2 2016/17", "cell_actual": "S!C6"},
            {"measure_id": "m3", "measure": "Three", "theme": "T", "measure_ref": "3", "polarity": "higher",
             "target": 10.0, "actual": 12.0, "rag": "HG", "period": pd.Period("2017Q2", "Q-MAR"),
             "period_label": "Q2 2016/17", "cell_actual": "S!C7"}]
    checked = gaps.analyse(frame_of(*rows))
    q2, q1 = pd.Period("2017Q2", "Q-MAR"), pd.Period("2017Q1", "Q-MAR")
    commentary = pd.DataFrame({
        "source": "c.xlsx", "sheet": "C", "row": [5, 6, 7, 8], "theme": "T",
        "measure": ["One", "One", "Three", "One"], "heading": ["Late", "Late", "Fine", "Old"],
        "commentary": ["First.", "Second.", "Above target.", "Last quarter's words."],
        "quarter": pd.PeriodIndex([q2, q2, q2, q1]), "quarter_label": ["Q2 2016/17"] * 3 + ["Q1 2016/17"],
        "cell_measure": ["C!B5", "C!B6", "C!B7", "C!B8"], "cell_commentary": ["C!D5", "C!D6", "C!D7", "C!D8"],
        "measure_id": ["m1", "m1", "m3", "m1"], "on_scorecard": True})
    listed = gaps.exceptions_with_commentary(checked, commentary, "Q2 2016/17").set_index("measure_id")
    assert listed.loc["m1", "commentary"] == "First.\n\nSecond."  # both rows, in order; not Q1's words
    assert listed.loc["m1", ["commentary_heading", "cell_commentary"]].tolist() == ["Late", "C!D5, C!D6"]
    assert listed.loc["m2", "commentary"] == ""  # red, no commentary: listed all the same
    unlisted = gaps.unlisted_commentary(checked, commentary, "Q2 2016/17")
    assert list(unlisted["commentary"]) == ["Above target."]  # m3 is green: its words are not lost
    shown = words.key_challenges(gaps.exceptions_with_commentary(checked, commentary, "Q2 2016/17"))
    assert "> First.\n>\n> Second." in shown and "wrote no commentary" in shown
    with pytest.raises(hp.ParameterError, match="link_commentary"):
        gaps.exceptions_with_commentary(checked, commentary.drop(columns="measure_id"), "Q2 2016/17")

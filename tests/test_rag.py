"""rag: the five-point bands at their edges, every kind of target, agreement with the real seed-003 RAGs."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import RAW
from hypothesis import given, settings
from hypothesis import strategies as st

import harrowperf as hp
from harrowperf import catalogue, rag
from harrowperf.foundation.periods import QUARTER_FREQ, parse_quarter
from harrowperf.present import words
from harrowperf.read import fills
from harrowperf.read.scorecard import FRAME_COLUMNS

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"

DEFAULTS = {
    "source": "hand.xlsx", "sheet": "Hand", "theme": "Hand theme", "measure_ref": "1", "measure": "Hand measure",
    "polarity": "higher", "period_label": "Q2 2016/17", "target": math.nan, "target_low": math.nan,
    "target_high": math.nan, "target_kind": "point", "actual": math.nan, "numerator": math.nan,
    "denominator": math.nan, "rank": math.nan, "secondary": math.nan, "unit": "%", "rag": None,
    "rag_source": None, "status_note": None, "period_covered": None, "target_text": "", "actual_text": "",
    "rag_text": "", "cell_target": "Hand!B2", "cell_actual": "Hand!C2", "cell_rag": "Hand!D2",
}


def frame_of(*rows: dict) -> pd.DataFrame:
    """A scorecard frame from hand-written rows; ``target`` alone makes a point target."""
    records = []
    for number, row in enumerate(rows):
        record = {**DEFAULTS, **row}
        record.setdefault("measure_id", f"hand-{number}")
        if "measure_id" not in row:
            record["measure_id"] = f"hand-{number}"
        if record["target_kind"] in ("point", "annual") and not math.isnan(record["target"]):
            record["target_low"] = record["target_high"] = record["target"]
        if not record["actual_text"] and not math.isnan(record["actual"]):
            record["actual_text"] = f"{record['actual']:g}" + ("%" if record["unit"] == "%" else "")
        record["period"] = parse_quarter(record["period_label"])
        records.append(record)
    frame = pd.DataFrame(records, columns=[*FRAME_COLUMNS])
    frame["period"] = pd.PeriodIndex(frame["period"], freq=QUARTER_FREQ)
    return frame


def one(**row) -> pd.Series:
    return rag.assess(frame_of(row)).iloc[0]


def code(**row):
    value = one(**row)["rag_computed"]
    return None if pd.isna(value) else value


# --- the bands, exactly at their edges ------------------------------------------


@pytest.mark.parametrize(("deviation", "expected"), [
    (0.05, "HG"), (0.0499999, "LG"), (0.0, "LG"), (-0.0001, "A"), (-0.0499999, "A"), (-0.05, "LR"),
    (-0.0999999, "LR"), (-0.10, "LR"), (-0.1000001, "HR"), (-3.0, "HR"), (2.0, "HG"), (math.nan, None),
])
def test_classify_bands_at_their_edges(deviation, expected):
    assert rag.classify([deviation]).tolist() == [expected]


def test_classify_inside_range_is_green_whatever_the_deviation():
    assert rag.classify([0.0, -0.5], inside=[True, False]).tolist() == ["G", "HR"]


@pytest.mark.parametrize(("actual", "expected"), [
    (105, "HG"), (104.99, "LG"), (100, "LG"), (99.99, "A"), (95.01, "A"), (95, "LR"), (90, "LR"), (89.99, "HR"),
])
def test_higher_is_better_point_target(actual, expected):
    assert code(polarity="higher", target=100.0, actual=float(actual)) == expected


@pytest.mark.parametrize(("actual", "expected"), [
    (95, "HG"), (95.01, "LG"), (100, "LG"), (100.01, "A"), (105, "LR"), (110, "LR"), (110.01, "HR"),
])
def test_lower_is_better_point_target(actual, expected):
    assert code(polarity="lower", target=100.0, actual=float(actual)) == expected


@pytest.mark.parametrize(("polarity", "target", "actual", "expected"), [
    ("higher", 1.0, 0.95, "LR"),   # 0.95 - 1 is -0.05000000000000004 in binary: still exactly -5%
    ("higher", 0.9, 0.945, "HG"),  # (0.945 - 0.9) / 0.9 is 0.04999999999999993 in binary: exactly +5%
    ("lower", 20.0, 21.0, "LR"),
    ("lower", 8.18, 8.589, "LR"),  # staff sickness: 5% over 8.18 days
])
def test_exact_band_edges_survive_binary_fractions(polarity, target, actual, expected):
    assert code(polarity=polarity, target=target, actual=actual) == expected


@pytest.mark.parametrize(("target", "actual", "expected"), [
    (-20.0, -18.0, "LR"),  # Business 20, Q2 2016/17: "% reduction of emails", Lower, -20% vs -18%: exactly -10%
    (-20.0, -12.0, "HR"),  # Business 20, Q1 2016/17
    (-10.0, -21.0, "HG"),  # Business 19, Q1 2016/17
])
def test_negative_targets_are_scaled_by_their_size(target, actual, expected):
    assert code(polarity="lower", target=target, actual=actual) == expected


def test_durations_in_seconds():
    # Business 13: average speed to answer, Lower, target 01:30 (90 s), actual 02:31 (151 s) -> HR
    row = one(polarity="lower", target=90.0, actual=151.0, unit="s")
    assert row["rag_computed"] == "HR"
    assert row["rag_deviation"] == pytest.approx(-61 / 90)


# --- targets that cannot be assessed -----------------------------------------------


def test_zero_target_is_not_assessable_and_does_not_divide_by_zero():
    with np.errstate(all="raise"):
        row = one(target=0.0, actual=0.0, rag="HG", rag_source="text")
    assert pd.isna(row["rag_computed"])
    assert "target is 0" in row["rag_note"]
    assert row["rag_gap"] == 0.0 and math.isnan(row["rag_deviation"])
    assert not row["rag_agrees"]  # reported but not reproduced (NA would raise here)


@pytest.mark.parametrize(("row", "note"), [
    ({"target": 50.0}, "no actual"),
    ({"target": 50.0, "status_note": "No survey this qtr"}, "no actual (“No survey this qtr”)"),
    ({"target_kind": "none", "actual": 10.0}, "no target"),
    ({"target_kind": "none", "actual": 10.0, "status_note": "New in 2016/17"}, "no target (“New in 2016/17”)"),
    ({"target_kind": "baseline", "actual": 8.0}, "baseline year"),
    ({"polarity": None, "target": 50.0, "actual": 40.0}, "no 'Good =' direction"),
    ({"target_kind": "annual", "target": 60.0, "actual": 56.0, "period_label": "Q1 2016/17"},
     "annual target: assessed at Q4"),
    ({"target_kind": "rank_range", "target_low": 12.0, "target_high": 20.0, "actual": 5.86}, "no rank"),
])
def test_not_assessable_says_why(row, note):
    result = one(**row)
    assert pd.isna(result["rag_computed"])
    assert result["rag_note"].startswith(note)


def test_annual_target_is_assessed_in_q4():
    assert code(target_kind="annual", target=60.0, actual=56.0, period_label="Q4 2016/17") == "LR"


# --- ranges, rank ranges, year on year ------------------------------------------------


@pytest.mark.parametrize(("polarity", "actual", "expected"), [
    ("in_range", 0.98, "G"), ("in_range", 0.9, "G"), ("in_range", 1.1, "G"),
    ("in_range", 0.88, "A"),      # 0.02 below 0.9: -2.2%
    ("in_range", 0.855, "LR"),    # 0.045 below 0.9: exactly -5%
    ("in_range", 1.155, "LR"),    # 0.055 above 1.1: exactly -5% (above is bad too)
    ("in_range", 1.3, "HR"),
])
def test_in_range_measures(polarity, actual, expected):
    assert code(polarity=polarity, target_kind="range", target_low=0.9, target_high=1.1, actual=actual,
                unit="ratio") == expected


@pytest.mark.parametrize(("polarity", "actual", "expected"), [
    ("higher", 14.0, "G"), ("higher", 12.0, "LR"), ("higher", 10.0, "HR"),  # Business 3 (13-15%)
    ("higher", 16.0, "HG"),   # above the range of a Higher measure is better: +6.7% of 15
    ("lower", 11.9, "G"), ("lower", 16.0, "LR"),  # Vulnerable 1 (7-15%), 16 is 6.7% over 15
    ("lower", 5.0, "HG"),     # below the range of a Lower measure is better: 2 under 7
])
def test_target_range_with_a_direction(polarity, actual, expected):
    assert code(polarity=polarity, target_kind="range", target_low=13.0 if polarity == "higher" else 7.0,
                target_high=15.0, actual=actual) == expected


@pytest.mark.parametrize(("rank", "expected"), [
    (28.0, "HR"),  # Vulnerable 12, Q1 2016/17: 28th against 12th-20th: 8 places, 40% of 20
    (26.0, "HR"), (21.0, "LR"),  # 1 place is exactly 5% of 20
    (20.0, "G"), (12.0, "G"), (15.0, "G"),
    (10.0, "HG"),  # better than the best of the range (2 places above 12th)
])
def test_rank_ranges_use_the_rank_and_first_is_best(rank, expected):
    # the measure is "Lower" but even a "Higher" measure's rank is best at 1st
    for polarity in ("lower", "higher"):
        assert code(polarity=polarity, target_kind="rank_range", target_low=12.0, target_high=20.0, actual=5.86,
                    rank=rank, unit="") == expected


def _yoy(polarity, earlier, later, **extra):
    return frame_of(
        {"measure_id": "reoffending", "polarity": polarity, "target_kind": "yoy_reduction",
         "period_label": "Q2 2015/16", "actual": earlier},
        {"measure_id": "reoffending", "polarity": polarity, "target_kind": "yoy_reduction",
         "period_label": "Q2 2016/17", "actual": later, **extra},
    )


def test_year_on_year_compares_with_the_same_quarter_a_year_earlier():
    # Vulnerable 3: re-offending 42.5% in Q2 2015/16, 43.3% in Q2 2016/17, Lower: 1.9% worse -> A
    result = rag.assess(_yoy("lower", 42.5, 43.3)).iloc[1]
    assert result["rag_computed"] == "A"
    assert result["rag_reference"] == 42.5
    assert result["rag_deviation"] == pytest.approx((42.5 - 43.3) / 42.5)
    # Vulnerable 4: first time entrants 89 then 83, Lower: 6.7% better -> HG
    assert rag.assess(_yoy("lower", 89.0, 83.0)).iloc[1]["rag_computed"] == "HG"
    # a "year on year increase" is the same comparison with Higher: 83 after 89 is 6.7% worse -> LR
    assert rag.assess(_yoy("higher", 89.0, 83.0)).iloc[1]["rag_computed"] == "LR"


def test_year_on_year_without_last_years_figure_names_the_quarter_missing():
    result = rag.assess(_yoy("lower", 42.5, 43.3)).iloc[0]
    assert pd.isna(result["rag_computed"])
    assert result["rag_note"] == "no figure for Q2 2014/15 in the data to compare with"


def test_year_on_year_with_two_different_figures_last_year_is_ambiguous():
    frame = pd.concat([_yoy("lower", 42.5, 43.3), frame_of(
        {"measure_id": "reoffending", "polarity": "lower", "target_kind": "yoy_reduction",
         "period_label": "Q2 2015/16", "actual": 40.0})], ignore_index=True)
    result = rag.assess(frame).iloc[1]
    assert pd.isna(result["rag_computed"])
    assert "more than one figure for Q2 2015/16" in result["rag_note"]


def test_year_on_year_ignores_other_measures():
    frame = _yoy("lower", 42.5, 43.3)
    frame.loc[0, "measure_id"] = "something-else"
    assert pd.isna(rag.assess(frame).iloc[1]["rag_computed"])


# --- agreement columns, bands, purity --------------------------------------------------


def test_agreement_columns():
    frame = frame_of(
        {"target": 100.0, "actual": 100.0, "rag": "LG", "rag_source": "text"},   # exact
        {"target": 100.0, "actual": 110.0, "rag": "LG", "rag_source": "text"},   # HG: same colour
        {"target": 100.0, "actual": 80.0, "rag": "A", "rag_source": "text"},     # HR: different colour
        {"target": 100.0, "actual": 80.0},                                       # nothing reported
        {"target": 0.0, "actual": 0.0, "rag": "HG", "rag_source": "text"},       # not computable
    )
    result = rag.assess(frame)
    assert result["rag_computed"].tolist()[:4] == ["LG", "HG", "HR", "HR"]
    assert result["rag_agrees"].tolist() == [True, False, False, pd.NA, False]
    assert result["rag_colour_agrees"].tolist() == [True, True, False, pd.NA, False]
    assert str(result["rag_agrees"].dtype) == "boolean"


def test_bands_argument_overrides_the_conventions():
    frame = frame_of({"target": 100.0, "actual": 107.0})
    assert rag.assess(frame)["rag_computed"].iloc[0] == "HG"
    assert rag.assess(frame, bands={"hg_from": 0.10})["rag_computed"].iloc[0] == "LG"


@pytest.mark.parametrize("bands", [{"hg_from": -0.2}, {"green_from": 0.1}, {"lr_from": 0.0}])
def test_bad_bands_are_refused(bands):
    with pytest.raises(hp.ParameterError):
        rag.assess(frame_of({"target": 100.0, "actual": 107.0}), bands=bands)


def test_assess_returns_a_new_frame_and_leaves_its_input_alone():
    frame = frame_of({"target": 100.0, "actual": 107.0, "rag": "HG", "rag_source": "text"})
    before = frame.copy()
    result = rag.assess(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert "rag_computed" not in frame.columns and result is not frame
    again = rag.assess(result)  # assessing an assessed frame replaces, never duplicates, the columns
    assert list(again.columns) == list(result.columns)


@settings(deadline=None)  # each example builds and assesses a frame: timing varies with machine load
@given(target=st.floats(0.01, 1e6), actual=st.floats(0, 2e6))
def test_lower_mirrors_higher(target, actual):
    """A Lower measure at t - x rates as a Higher measure at t + x."""
    higher = code(polarity="higher", target=target, actual=actual)
    lower = code(polarity="lower", target=target, actual=2 * target - actual)
    assert higher == lower


@settings(deadline=None)
@given(target=st.floats(0.01, 1e4), actuals=st.lists(st.floats(0, 2e4), min_size=2, max_size=6))
def test_a_better_actual_never_gets_a_worse_status(target, actuals):
    frame = frame_of(*({"target": target, "actual": a, "measure_id": f"m{i}"} for i, a in enumerate(actuals)))
    result = rag.assess(frame).sort_values("actual")
    ranks = [rag.SCALE.index(c) for c in result["rag_computed"]]
    assert ranks == sorted(ranks)


# --- explanations of disagreements ------------------------------------------------------


def test_a_disagreement_within_display_rounding_is_explained():
    # Vulnerable 17, Q2 2015/16: target 44%, actual shown "44%" (43.5%-44.5%), reported A
    table = rag.agreement(frame_of({"target": 44.0, "actual": 44.0, "actual_text": "44%", "rag": "A",
                                    "rag_source": "text"}))
    assert table["explanation_kind"].tolist() == ["rounding"]
    assert "rate A to LG" in table["explanation"].iloc[0]


def test_counts_are_not_rounded():
    table = rag.agreement(frame_of({"target": 100.0, "actual": 100.0, "unit": "count", "rag": "A",
                                    "rag_source": "text"}))
    assert table["explanation_kind"].tolist() == ["stands"]


def test_a_disagreement_that_stands_becomes_a_finding_with_its_cell():
    frame = frame_of({"target": 3.0, "actual": 2.86, "actual_text": "2.86%", "target_text": "3%", "rag": "HR",
                      "rag_source": "text", "cell_rag": "Hand!K52"})
    result = rag.assess(frame)
    table = rag.agreement(result)
    assert table["explanation_kind"].tolist() == ["stands"]
    assert "2.86% (below target, polarity higher) give A" in table["explanation"].iloc[0]
    assert table["rag_deviation"].iloc[0] == pytest.approx(-0.14 / 3)
    findings = rag.findings(result)
    assert findings[["sheet", "cell", "issue", "severity"]].values.tolist() == [
        ["Hand", "K52", "rag_disagrees", "warning"]]


def test_findings_are_not_repeated_when_assessed_twice():
    frame = frame_of({"target": 3.0, "actual": 2.86, "rag": "HR", "rag_source": "text"})
    assert len(rag.findings(rag.assess(rag.assess(frame)))) == 1


def test_three_level_codes_agree_by_colour():
    table = rag.agreement(frame_of({"target": 100.0, "actual": 80.0, "rag": "R", "rag_source": "text"}))
    assert table[["outcome", "explanation_kind"]].values.tolist() == [["same colour", "three-level code"]]


# --- the real seed-003 scorecard ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_assessed():
    return rag.assess(catalogue.apply(hp.read_scorecard(SEED_WORKBOOK).frame))


def test_agreement_figure_on_the_seed(seed_assessed):
    counts = rag.agreement_summary(seed_assessed)
    # 184 RAG codes are filled in the seed tables (data/raw/SOURCES.md); 175 are reproduced exactly.
    assert counts.to_dict() == {"reported": 184, "exact": 175, "same_colour": 177, "not_assessable": 5,
                                "inside_range": 2, "rounding": 1, "three_level_code": 0, "stands": 1}
    assert words.rag_agreement(seed_assessed).startswith("Of 184 RAG statuses reported, 175 (95%) are "
                                                        "reproduced exactly")


def test_each_seed_disagreement_and_its_reason(seed_assessed):
    table = rag.disagreements(seed_assessed)
    found = dict(zip(table["cell_rag"], table["explanation_kind"], strict=True))
    assert found == {
        "Better Harrow!H24": "not assessable",  # 37 tooth brushing, Q1 2016/17: target 0, actual 0, HG
        "Better Harrow!K52": "stands",          # 63 top 5% earners disabled: 2.86% vs 3% is -4.7%, reported HR
        "Vulnerable!H6": "inside range",        # 1 repeat referrals 11.90% in 7-15%, reported HG
        "Vulnerable!K6": "inside range",        # 13.80% in 7-15%, reported HG
        "Vulnerable!E9": "not assessable",      # 3 re-offending: year on year, no Q2 2014/15 figure
        "Vulnerable!H9": "not assessable",      # no Q1 2015/16 figure
        "Vulnerable!E11": "not assessable",     # 4 first time entrants: no Q2 2014/15 figure
        "Vulnerable!H11": "not assessable",     # no Q1 2015/16 figure
        "Vulnerable!E19": "rounding",           # 17 direct payments: "44%" against 44%, reported A
    }
    standing = rag.findings(seed_assessed)
    assert standing[["sheet", "cell", "issue"]].values.tolist() == [["Better Harrow", "K52", "rag_disagrees"]]


def test_seed_year_on_year_and_rank_ranges_are_reproduced(seed_assessed):
    def status(sheet, ref, quarter):
        rows = seed_assessed[(seed_assessed["sheet"] == sheet) & (seed_assessed["measure_ref"] == ref)
                             & (seed_assessed["period_label"] == quarter)]
        return rows["rag_computed"].iloc[0], rows["rag"].iloc[0]

    assert status("Vulnerable", "3", "Q2 2016/17") == ("A", "A")
    assert status("Vulnerable", "4", "Q2 2016/17") == ("HG", "HG")
    assert status("Vulnerable", "12", "Q1 2016/17") == ("HR", "HR")
    assert status("Business", "3", "Q1 2016/17") == ("G", "G")
    assert status("Better Harrow", "65", "Q2 2016/17") == ("G", "G")


# --- the reader's helpers kept in this module ----------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("HG", "HG"), ("high  green", "HG"), (" Amber ", "A"), ("Low Red", "LR"), ("Note 1", None), (None, None),
])
def test_normalise_code(text, expected):
    assert fills.normalise_code(text) == expected


def test_colour_group():
    assert [fills.colour_group(c) for c in ("HG", "G", "A", "LR", "R", None, "X")] == [
        "green", "green", "amber", "red", "red", None, None]


@pytest.mark.parametrize(("fill", "expected"), [
    ("00B050", "HG"), ("92D050", "LG"), ("FFC000", "A"), ("FF7C80", "LR"), ("FF0000", "HR"),
    ("FFFFFF", None), ("D9D9D9", None), ("ZZZZZZ", None), ("FFF", None), (None, None),
])
def test_code_from_fill_reads_the_council_colours(fill, expected):
    assert fills.code_from_fill(fill) == expected


def test_a_reported_rag_without_target_is_listed_as_not_assessable():
    table = rag.agreement(frame_of({"target_kind": "none", "actual": 5.0, "rag": "HG", "rag_source": "text"}))
    assert table[["outcome", "explanation_kind"]].values.tolist() == [["not assessable", "not assessable"]]
    assert table["explanation"].iloc[0] == "reported HG; not computed: no target"

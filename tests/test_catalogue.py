"""catalogue: data/measures.csv against its sources (seeds 003 and 000), name matching, new measures, bad files."""

import re

import pandas as pd
import pytest
from conftest import RAW, ROOT
from test_rag import frame_of

import harrowperf as hp
from harrowperf import catalogue
from harrowperf.read.catalogue import normalise_name

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
PLAN_LINES = (ROOT / "tests" / "fixtures" / "seeds" / "000_5a9226c466fc4589.txt").read_text("utf-8").split("\n")


@pytest.fixture(scope="module")
def table():
    return catalogue.load()


@pytest.fixture(scope="module")
def seed():
    return hp.read_scorecard(SEED_WORKBOOK).frame


# --- the catalogue file against its sources -----------------------------------------------


def test_every_seed_measure_is_in_the_catalogue_once(table, seed):
    applied = catalogue.apply(seed, table)
    assert applied["in_catalogue"].all()
    ids = applied.drop_duplicates(["sheet", "measure_ref"])["measure_id"]
    assert len(ids) == 83 and ids.is_unique
    # measure numbers restart in each theme: "13" is two different measures
    thirteen = applied[applied["measure_ref"] == "13"].drop_duplicates("sheet")
    assert thirteen["measure_id"].tolist() == ["neet-16-18", "call-answer-speed"]
    assert catalogue.findings(applied).empty


def test_catalogue_names_polarity_and_theme_are_the_seeds(table, seed):
    firsts = seed.drop_duplicates(["sheet", "measure_ref"])
    applied = catalogue.apply(firsts, table).set_index("measure_id")
    entries = table.set_index("measure_id").loc[applied.index]
    assert (entries["name"] == applied["measure"]).all()
    assert (entries["polarity"] == applied["polarity"]).all()
    assert (entries["theme"] == applied["theme"]).all()


def _plan_sections() -> list[tuple[int, str]]:
    """(first line, priority) of each "Indicators that will evidence achievement" list in seed 000."""
    sections = []
    for number, line in enumerate(PLAN_LINES, start=1):
        if "Indicators that will evidence achievement" in line:
            heading = next(PLAN_LINES[i].strip() for i in range(number - 2, 0, -1)
                           if PLAN_LINES[i - 1].strip() == "Corporate Priority" or
                           PLAN_LINES[i].strip() == "Efficient and Effective Organisation")
            sections.append((number, heading))
    return sections


def test_plan_sections_are_found_in_seed_000():
    assert [name for _, name in _plan_sections()] == [
        "Making a Difference for the Vulnerable", "Making a Difference for Communities",
        "Making a Difference for Local Businesses", "Making a Difference for Families",
        "Efficient and Effective Organisation"]


def test_every_plan_citation_quotes_seed_000_and_gives_its_priority(table):
    sections = _plan_sections()
    cited = table[table["plan_source"] != ""]
    assert len(cited) == 39
    for entry in cited.itertuples():
        found = re.fullmatch(r"seed 000 line ([\d, ]+): (.+)", entry.plan_source)
        assert found, entry.measure_id
        lines = [int(n) for n in found.group(1).split(", ")]
        quoted = found.group(2).split(" / ")
        texts = [PLAN_LINES[n - 1].strip() for n in lines]
        assert set(texts) == set(quoted), entry.measure_id
        priorities = list(dict.fromkeys(max((s for s in sections if s[0] <= n), default=(0, ""))[1]
                                        for n in lines))
        if entry.plan_match in ("exact", "wording"):
            assert entry.priority == "; ".join(priorities), entry.measure_id
            assert (entry.plan_match == "exact") == all(normalise_name(t) == normalise_name(entry.name)
                                                        for t in texts), entry.measure_id
        else:  # "related": a similar indicator under another name gives no priority and no alias
            assert entry.plan_match == "related" and entry.priority == "", entry.measure_id
            assert not set(texts) & set(entry.aliases.split("|")), entry.measure_id


def test_older_plan_names_are_aliases_of_the_same_measure(table):
    older = frame_of(
        {"measure": "Percentage of 3rd party contract spend placed with local organisations",
         "theme": "Be more business-like and business friendly"},
        {"measure": "Workforce with an appraisal in the last 12 months",
         "theme": "Be more business-like and business friendly"},
        {"measure": "Vacancy rates in Town Centre", "theme": "Be more business-like and business friendly"},
        {"measure": "Improved street and environmental cleanliness, litter", "theme": "Build a better Harrow"},
        {"measure": "% of staff providing social identity information (equalities measure)",
         "theme": "Be more business-like and business friendly"},
    )
    assert catalogue.apply(older, table)["measure_id"].tolist() == [
        "local-contract-spend", "appraisal-coverage", "town-centre-vacancy-rate", "cleanliness-litter",
        "staff-equalities-information"]


def test_cited_history_series_are_catalogued(table):
    from harrowperf.read.history import read_history

    history = read_history(RAW / "history" / "harrow_measure_history.csv").frame
    applied = catalogue.apply(history, table)
    assert applied["in_catalogue"].all(), applied.loc[~applied["in_catalogue"], "measure"].tolist()


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [
    ("% of Calls answered", "Percentage of calls answered"),
    ("No of households in B&B", "Number of households in B and B"),
    ("The proportion of enquiries resolved", "proportion of enquiries  resolved."),
    ("Repeat referrals to Children's Social Care", "Repeat referrals to Children’s Social Care"),
    ("% Personal Budgets – users", "% Personal Budgets - users"),
])
def test_names_that_mean_the_same_measure(first, second):
    assert normalise_name(first) == normalise_name(second)


@pytest.mark.parametrize(("first", "second"), [
    ("Proportion of children aged 4-5 classified as obese", "Proportion of children aged 10-11 classified as obese"),
    ("% Personal Budgets – users", "% Personal Budgets – carers"),
    ("% of calls answered >600 seconds", "% of calls answered"),
])
def test_names_of_different_measures_stay_different(first, second):
    assert normalise_name(first) != normalise_name(second)


# --- apply: new measures, themes, units -------------------------------------------------------


def test_a_new_measure_is_kept_and_reported_with_its_cell(table):
    frame = frame_of({"measure": "Number of new things", "theme": "Build a better Harrow",
                      "cell_actual": "Better Harrow!J60"},
                     {"measure": "Residential burglaries", "theme": "Build a better Harrow"})
    applied = catalogue.apply(frame, table)
    assert len(applied) == 2
    assert applied["measure_id"].tolist() == ["number-of-new-things", "residential-burglaries"]
    assert applied["in_catalogue"].tolist() == [False, True]
    findings = catalogue.findings(applied)
    assert findings[["sheet", "cell", "issue", "severity", "text"]].values.tolist() == [
        ["Hand", "J60", "new_measure", "info", "Number of new things"]]
    assert "data/measures.csv" in findings["message"].iloc[0]


def test_new_measures_of_the_same_name_in_two_themes_get_two_ids(table):
    frame = frame_of({"measure": "Brand new", "theme": "Theme one"}, {"measure": "Brand new", "theme": "Theme two"})
    ids = catalogue.apply(frame, table)["measure_id"].tolist()
    assert ids == ["brand-new-theme-one", "brand-new-theme-two"]


def test_a_name_shared_by_two_themes_is_matched_by_theme():
    shared = _catalogue([
        ("staff-survey-business", "Staff survey response", "Business"),
        ("staff-survey-families", "Staff survey response", "Families"),
    ])
    frame = frame_of({"measure": "Staff survey response", "theme": "Families"},
                     {"measure": "staff survey response", "theme": "Business"})
    assert catalogue.apply(frame, shared)["measure_id"].tolist() == ["staff-survey-families", "staff-survey-business"]


def test_catalogue_unit_and_frequency_are_filled_in(table):
    frame = frame_of({"measure": "Residential burglaries", "theme": "Build a better Harrow", "unit": ""})
    applied = catalogue.apply(frame, table).iloc[0]
    assert (applied["unit"], applied["catalogue_frequency"]) == ("count", "reported in arrears")
    assert applied["priority"] == "Making a Difference for Communities; Making a Difference for Families"


def test_apply_is_idempotent_and_leaves_its_input_alone(table, seed):
    before = seed.copy()
    once = catalogue.apply(seed, table)
    twice = catalogue.apply(once, table)
    pd.testing.assert_frame_equal(seed, before)
    assert once["measure_id"].tolist() == twice["measure_id"].tolist()
    new = frame_of({"measure": "Number of new things"})
    assert len(catalogue.findings(catalogue.apply(catalogue.apply(new, table), table))) == 1


# --- bad catalogue files ------------------------------------------------------------------------


def _catalogue(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"measure_id": mid, "name": name, "aliases": "", "theme": theme, "priority": "",
                          "polarity": "higher", "unit": "%", "frequency": "quarterly", "plan_match": "",
                          "plan_source": "", "notes": ""} for mid, name, theme in rows],
                        columns=catalogue.CATALOGUE_COLUMNS)


def _write(tmp_path, frame: pd.DataFrame):
    path = tmp_path / "measures.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("change", "message"), [
    ({"polarity": "sideways"}, r"row 3.*polarity 'sideways'"),
    ({"measure_id": "Bad Id"}, r"row 3.*measure_id 'Bad Id'"),
    ({"measure_id": "first"}, r"row 3.*'first' is used twice"),
    ({"name": "First measure"}, r"row 3.*'first-measure' belongs to more than one measure"),
    ({"aliases": "the first measure"}, r"row 3.*belongs to more than one measure"),
    ({"frequency": "weekly"}, r"row 3.*frequency 'weekly'"),
    ({"unit": "days"}, r"row 3.*unit 'days'"),
])
def test_bad_catalogue_rows_are_named(tmp_path, change, message):
    frame = _catalogue([("first", "First measure", "T"), ("second", "Second measure", "T")])
    for column, value in change.items():
        frame.loc[1, column] = value
    with pytest.raises(hp.ScorecardError, match=message):
        catalogue.load(_write(tmp_path, frame))


def test_missing_catalogue_or_columns(tmp_path):
    with pytest.raises(hp.ScorecardError, match="does not exist"):
        catalogue.load(tmp_path / "nothing.csv")
    with pytest.raises(hp.ScorecardError, match="no column"):
        catalogue.load(_write(tmp_path, _catalogue([("a", "A", "T")]).drop(columns=["frequency"])))

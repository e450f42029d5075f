"""charts.scorecard: titles and captions, colour-blind palette and printed codes, the data each chart carries."""

import pytest
import vl_convert
from conftest import RAW
from test_rag import frame_of

import harrowperf as hp
from harrowperf import catalogue, gaps
from harrowperf.foundation.conventions import settings
from harrowperf.present.charts import target_gap as charts

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
VULNERABLE = "Protect the most vulnerable and support families"


@pytest.fixture(scope="module")
def seed():
    return gaps.analyse(catalogue.apply(hp.read_scorecard(SEED_WORKBOOK).frame))


def _records(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def _scales(spec: object) -> list[dict]:
    found = []
    if isinstance(spec, dict):
        if "scale" in spec and isinstance(spec["scale"], dict) and "range" in spec["scale"]:
            found.append(spec["scale"])
        for value in spec.values():
            found.extend(_scales(value))
    elif isinstance(spec, list):
        for value in spec:
            found.extend(_scales(value))
    return found


@pytest.mark.parametrize("make", [
    lambda f: charts.rag_heatmap(f, "Q2 2016/17"),
    lambda f: charts.gap_chart(f, "Q2 2016/17"),
    lambda f: charts.target_chart(f, VULNERABLE, "Q2 2016/17"),
    lambda f: charts.target_charts(f, "Q2 2016/17"),
])
def test_every_chart_has_a_title_a_description_and_draws(seed, make):
    spec = make(seed).to_dict()
    assert spec["title"] and len(spec["description"]) > 80
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_colours_are_the_colour_blind_palette(seed):
    palette = settings().rag.chart_colours
    spec = charts.gap_chart(seed, "Q2 2016/17").to_dict()
    colour = next(s for s in _scales(spec) if "HG" in s.get("domain", []))
    assert dict(zip(colour["domain"], colour["range"], strict=True))["HR"] == palette["HR"]
    heatmap = charts.rag_heatmap(seed, "Q2 2016/17", theme=VULNERABLE).to_dict()
    colour = next(s for s in _scales(heatmap) if "HG" in s.get("domain", []))
    assert dict(zip(colour["domain"], colour["range"], strict=True))["no status"] == palette["missing"]


def test_legends_list_only_the_statuses_drawn(seed):
    spec = charts.gap_chart(seed, "Q2 2016/17").to_dict()
    drawn = {r["Status"] for r in _records(spec)}
    colour = next(s for s in _scales(spec) if "HG" in s.get("domain", []))
    assert set(colour["domain"]) == drawn and "no status" not in drawn   # every bar has a status


def test_heatmap_prints_codes_and_marks_disagreements(seed):
    records = _records(charts.rag_heatmap(seed, "Q2 2016/17", theme=VULNERABLE).to_dict())
    cells = {(r["Measure"][:2].strip(), r["Quarter"]): r["Code"] for r in records}
    assert cells[("1", "Q2 2016/17")] == "G*"       # reported HG, computed G
    assert cells[("12", "Q2 2016/17")] == "HR"
    assert cells[("2", "Q2 2016/17")] == "–"        # baseline year: no status
    assert cells[("3", "Q2 2015/16")] == "HG"       # not computable: the reported code is shown, unmarked


def test_gap_chart_is_sorted_worst_first_and_labels_the_true_value(seed):
    records = _records(charts.gap_chart(seed, "Q2 2016/17").to_dict())
    gaps_shown = [r["Gap to target (% of target)"] for r in records]
    assert gaps_shown == sorted(gaps_shown)
    assert records[0]["Label"] == "HR -83%" and records[0]["Measure"].startswith("73 – % of new starters")
    advisor = next(r for r in records if r["Measure"].startswith("19 – Number of advisor appointments"))
    assert advisor["Gap to target (% of target)"] == 170.0 and advisor["Bar"] == 100.0  # drawn at the edge
    assert advisor["Label"] == "HG +170%"
    small = next(r for r in records if r["Measure"].startswith("63 – % top 5%"))
    assert small["Label"] == "A -4.7%"


def test_target_chart_uses_ranks_for_rank_ranges(seed):
    records = _records(charts.target_chart(seed, VULNERABLE, "Q2 2016/17").to_dict())
    transfers = [r for r in records if r["Measure"].startswith("12 – Delayed Transfers")]
    assert len(transfers) == 1  # earlier quarters were rates, not ranks: not drawn on the rank scale
    assert (transfers[0]["Value"], transfers[0]["Range from"], transfers[0]["Range to"]) == (26.0, 12.0, 20.0)
    assert transfers[0]["Measure"].endswith("(rank)")
    referrals = [r for r in records if r["Measure"].startswith("1 – Repeat referrals")]
    assert [r["Kind"] for r in referrals] == ["this quarter", "earlier quarter", "earlier quarter"]


def test_a_quarter_with_nothing_to_draw_gets_a_worded_chart():
    frame = gaps.analyse(frame_of({"target_kind": "none", "actual": 5.0}))
    for chart in (charts.gap_chart(frame, "Q2 2016/17"), charts.target_charts(frame, "Q2 2016/17")):
        spec = chart.to_dict()
        assert spec["title"] and spec["description"].startswith("No measure has")
        assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_long_names_are_shortened_but_kept_apart():
    frame = gaps.analyse(frame_of(
        {"measure": "A very long measure name " * 4 + "one", "measure_id": "one", "target": 1.0, "actual": 1.0},
        {"measure": "A very long measure name " * 4 + "two", "measure_id": "two", "target": 1.0, "actual": 1.0}))
    labels = {r["Measure"] for r in _records(charts.gap_chart(frame, "Q2 2016/17").to_dict())}
    assert len(labels) == 2 and all("…" in label for label in labels)

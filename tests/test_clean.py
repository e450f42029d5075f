"""The clean job and the `harrowperf clean` command: outputs, atomic writes, repeatability, bad input."""

import json
import shutil

import pandas as pd
import pytest
from conftest import RAW
from workbooks import simple_scorecard

from harrowperf.foundation.errors import ParameterError
from harrowperf.pipeline.clean import OUTPUTS, clean, is_up_to_date, quality
from harrowperf.pipeline.cli import main


def make_raw(tmp_path, measures=None):
    raw = tmp_path / "raw"
    (raw / "scorecards").mkdir(parents=True)
    simple_scorecard(raw / "scorecards" / "a.xlsx", measures)
    return raw


def test_clean_of_the_real_raw_folder(tmp_path):
    out = tmp_path / "clean"
    result = clean(RAW, out, stream=None)
    assert not result.errors
    for name in OUTPUTS:
        assert (out / name).exists(), name
    frame = pd.read_parquet(out / "scorecard.parquet")
    seed = frame[frame["source"] == "corporate_scorecard_2016-17_q2.xlsx"]
    assert len(seed) == 249
    assert isinstance(frame["period"].dtype, pd.PeriodDtype)
    manifest = json.loads((out / "manifest.json").read_text())
    assert "scorecards/corporate_scorecard_2016-17_q2.xlsx" in manifest["inputs"]


def test_clean_reads_the_action_plans(real_clean_dir):
    actions = pd.read_parquet(real_clean_dir / "actions.parquet")
    commentary = pd.read_parquet(real_clean_dir / "commentary.parquet")
    assert actions.groupby("source").size().to_dict() == {
        "harrow_ambition_plan_2016-17_q2.xlsx": 37, "harrow_ambition_plan_2018-19_q2.xlsx": 127,
        "harrow_priority_actions_2011-12.xlsx": 40}
    assert len(commentary) == 19 and commentary["on_scorecard"].all()
    assert isinstance(actions["quarter"].dtype, pd.PeriodDtype)
    quality = pd.read_csv(real_clean_dir / "quality.csv", keep_default_na=False)
    no_date = quality[(quality["issue"] == "no_due_date")]
    assert no_date.groupby("source").size().to_dict() == {
        "harrow_ambition_plan_2016-17_q2.xlsx": 28, "harrow_ambition_plan_2018-19_q2.xlsx": 125,
        "harrow_priority_actions_2011-12.xlsx": 8}


def test_clean_twice_gives_identical_bytes(tmp_path):
    raw = make_raw(tmp_path)
    clean(raw, tmp_path / "one", stream=None)
    clean(raw, tmp_path / "two", stream=None)
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_up_to_date_outputs_are_not_rewritten(tmp_path):
    raw, out = make_raw(tmp_path), tmp_path / "out"
    clean(raw, out, stream=None)
    assert is_up_to_date(raw, out)
    assert clean(raw, out, force=False, stream=None).skipped
    simple_scorecard(raw / "scorecards" / "a.xlsx", [["1 Changed", "Higher", "1", "2", "HG", "1", "2", "HG"]])
    assert not is_up_to_date(raw, out)
    assert not clean(raw, out, force=False, stream=None).skipped


def test_a_bad_workbook_leaves_previous_outputs_untouched(tmp_path):
    raw, out = make_raw(tmp_path), tmp_path / "out"
    clean(raw, out, stream=None)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    (raw / "scorecards" / "broken.xlsx").write_text("not a workbook")
    result = clean(raw, out, stream=None)
    assert len(result.errors) == 1 and "broken.xlsx" in result.errors[0]
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".clean-")] == []


def test_csv_neutralises_formula_like_text(tmp_path):
    raw, out = make_raw(tmp_path, [["1 =HYPERLINK(\"http://x\")", "Higher", "@SUM(A1)", "+1+2", "HG",
                                    "-10%", "-", "HG"]]), tmp_path / "out"
    clean(raw, out, stream=None)
    text = (out / "scorecard.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+1+2" in text
    assert ",-10%," in text  # a plain signed number is not a formula
    parquet = pd.read_parquet(out / "scorecard.parquet")
    assert parquet["target_text"].iloc[0] == "@SUM(A1)"  # the data itself is unchanged


def test_cli_clean_reports_and_exit_codes(tmp_path, capsys):
    raw = make_raw(tmp_path)
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == 0
    said = capsys.readouterr().err
    assert "a.xlsx: 4 observations of 2 measures" in said
    simple_scorecard(raw / "scorecards" / "a.xlsx", [["1 A", "Higher", "10%", "about half", "HG", "1", "2", "HG"]])
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == 0
    assert "Business!D6 'about half': the actual text is not understood" in capsys.readouterr().err
    (raw / "scorecards" / "b.xlsx").write_text("x")
    assert main(["clean", str(raw), "--out", str(tmp_path / "out")]) == 1
    assert "b.xlsx: this file is a CSV or text file" in capsys.readouterr().err
    assert main(["clean", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_excel_lock_file_is_reported_not_fatal(tmp_path):
    raw, out = make_raw(tmp_path), tmp_path / "out"
    (raw / "scorecards" / "~$a.xlsx").write_bytes(b"lock")
    result = clean(raw, out, stream=None)
    assert not result.errors
    assert "workbook_open_in_excel" in set(pd.read_csv(out / "quality.csv")["issue"])


def test_every_finding_is_written_to_quality_csv_and_read_back(tmp_path):
    raw, out = make_raw(tmp_path, [["1 Unheard-of measure", "Higher", "10%", "about half", "HG", "10%", "11%",
                                    "HG", "stray comment"]]), tmp_path / "out"
    simple_scorecard(raw / "scorecards" / "b.xlsx")
    result = clean(raw, out, stream=None)
    found = result.findings
    assert sorted(zip(found["source"], found["cell"], found["issue"], strict=True)) == [
        ("a.xlsx", "A6", "new_measure"), ("a.xlsx", "D6", "unparsed_value"), ("a.xlsx", "I6", "cell_outside_table"),
        ("b.xlsx", "A6", "new_measure"), ("b.xlsx", "A7", "new_measure")]  # measures not in data/measures.csv,
    # at the cell of their name
    pd.testing.assert_frame_equal(quality(out), result.findings.astype(str))
    assert quality(out, sources=["b.xlsx"])["cell"].tolist() == ["A6", "A7"]
    assert set(quality(out, sources=pd.Series(["a.xlsx"]))["issue"]) == {"unparsed_value", "cell_outside_table",
                                                                          "new_measure"}


def test_quality_needs_the_clean_folder(tmp_path):
    with pytest.raises(ParameterError, match="run `harrowperf clean` first"):
        quality(tmp_path)
    with pytest.raises(ParameterError, match=r"read_scorecard\(path\).findings"):
        quality(pd.DataFrame())


@pytest.mark.parametrize("name", ["scorecard.parquet", "manifest.json"])
def test_outputs_do_not_embed_machine_paths(tmp_path, name):
    raw, out = make_raw(tmp_path), tmp_path / "out"
    clean(raw, out, stream=None)
    assert str(tmp_path).encode() not in (out / name).read_bytes()


def test_raw_folder_is_never_modified(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "scorecards", raw / "scorecards")
    before = {p.name: p.read_bytes() for p in (raw / "scorecards").iterdir()}
    clean(raw, tmp_path / "out", stream=None)
    assert {p.name: p.read_bytes() for p in (raw / "scorecards").iterdir()} == before

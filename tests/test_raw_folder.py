"""The raw folder: the raw root or a folder of workbooks, subfolders, any-case extensions, .xlsm, lock files
skipped with a finding, every unread file listed, and no workbook means an error with nothing written."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from conftest import RAW, ROOT

from harrowperf.pipeline import cli
from harrowperf.pipeline.clean import clean, is_up_to_date, survey

Q2 = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"


def test_a_folder_of_workbooks_is_read_as_scorecards(tmp_path, capsys):
    folder = tmp_path / "scorecards"
    folder.mkdir()
    shutil.copy(Q2, folder)
    assert cli.main(["clean", str(folder), "--out", str(tmp_path / "clean")]) == 0
    frame = pd.read_parquet(tmp_path / "clean" / "scorecard.parquet")
    assert len(frame) == 249 and set(frame["source"]) == {Q2.name}
    assert "249 scorecard observations" in capsys.readouterr().err


def test_subfolders_any_case_extensions_and_xlsm_are_read_and_every_other_file_is_listed(tmp_path):
    raw = tmp_path / "raw"
    (raw / "scorecards" / "2016-17").mkdir(parents=True)
    shutil.copy(Q2, raw / "scorecards" / "2016-17" / "Corporate_Scorecard_2016-17_Q2.XLSX")
    shutil.copy(Q2, raw / "scorecards" / "corporate_scorecard_2016-17_q2_macros.xlsm")
    shutil.copytree(RAW / "history", raw / "history")
    (raw / "scorecards" / "~$Corporate_Scorecard_2016-17_Q2.XLSX").write_bytes(b"owner")
    (raw / "scorecards" / "2016-17" / "._Corporate_Scorecard_2016-17_Q2.XLSX").write_bytes(b"\x00\x05")
    (raw / "scorecards" / "old.xls").write_bytes(b"old")
    (raw / "scorecards" / "minutes.pdf").write_bytes(b"%PDF")
    (raw / "README.txt").write_text("where the files come from")
    found = survey(raw)
    assert [(p.name, kind) for p, kind in found.inputs] == [
        ("Corporate_Scorecard_2016-17_Q2.XLSX", "scorecards"), ("corporate_scorecard_2016-17_q2_macros.xlsm",
                                                                  "scorecards"),
        ("harrow_measure_history.csv", "history")]
    reasons = {p.name: why for p, why in found.not_read}
    assert set(reasons) == {"~$Corporate_Scorecard_2016-17_Q2.XLSX", "._Corporate_Scorecard_2016-17_Q2.XLSX",
                            "old.xls", "minutes.pdf", "README.txt", "README.md"}
    assert "save it as .xlsx" in reasons["old.xls"]
    stream = io.StringIO()
    result = clean(raw, tmp_path / "clean", stream=stream)
    assert result.errors == []
    # the same figures in two files of one quarter are identical repeats: one row per measure x quarter
    assert len(result.scorecard) == 249 + 19
    skipped = result.findings[result.findings["issue"] == "file_skipped"]
    assert sorted(skipped["source"]) == ["._Corporate_Scorecard_2016-17_Q2.XLSX",
                                         "~$Corporate_Scorecard_2016-17_Q2.XLSX"]
    log = stream.getvalue()
    assert "not read (6 files):" in log
    for name in reasons:
        assert name in log


@pytest.mark.parametrize("layout", ["empty", "only_other_files", "empty_scorecards"])
def test_no_workbook_is_an_error_and_good_clean_data_is_kept(tmp_path, capsys, layout):
    out = tmp_path / "clean"
    good = tmp_path / "good"
    (good / "scorecards").mkdir(parents=True)
    shutil.copy(Q2, good / "scorecards")
    assert clean(good, out, stream=None).errors == []
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    raw = tmp_path / "raw"
    raw.mkdir()
    if layout == "only_other_files":
        (raw / "notes.docx").write_bytes(b"x")
        (raw / "~$q2.xlsx").write_bytes(b"x")
    elif layout == "empty_scorecards":
        (raw / "scorecards").mkdir()
        (raw / "history").mkdir()
    assert cli.main(["clean", str(raw), "--out", str(out)]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    log = capsys.readouterr().err
    assert "there is no scorecard workbook (.xlsx or .xlsm)" in log and "was left as it was" in log


def test_editing_a_settings_file_makes_the_clean_out_of_date(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'throwaway'\n")
    (project / "data").mkdir()
    shutil.copy(ROOT / "data" / "measures.csv", project / "data" / "measures.csv")
    (project / "raw" / "scorecards").mkdir(parents=True)
    shutil.copy(Q2, project / "raw" / "scorecards")
    monkeypatch.chdir(project)
    assert clean("raw", "clean", stream=None).errors == []
    assert is_up_to_date("raw", "clean")
    with open(project / "data" / "measures.csv", "a", encoding="utf-8") as catalogue:
        catalogue.write("\n")
    assert not is_up_to_date("raw", "clean")
    assert clean("raw", "clean", force=False, stream=None).skipped is False
    assert is_up_to_date("raw", "clean")

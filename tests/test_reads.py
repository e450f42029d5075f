"""The record of the files a process read (foundation/reads.py): what each report page lists as its data."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from harrowperf.foundation import reads as reads_module
from harrowperf.foundation.reads import READS_VARIABLE, Read, load_reads, reads, record_read
from harrowperf.pipeline.notebook import load_scorecard
from harrowperf.pipeline.run import page_data_files
from harrowperf.read.synthetic import write_scorecard_parquet


def test_a_read_is_logged_once_per_file_with_its_checksum_and_sources_merged(tmp_path, monkeypatch):
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(READS_VARIABLE, str(log))
    monkeypatch.setattr(reads_module, "_READS", {})
    data = tmp_path / "a.csv"
    data.write_text("x\n1\n", "utf-8")
    record_read(data, sources=["one.xlsx"])
    record_read(data, sources=["one.xlsx"])               # the same again: nothing new to say
    record_read(data, sources=["two.xlsx", None, ""])     # a new source: merged
    record_read(tmp_path / "gone.csv")                    # vanished: not recorded, no error
    expected = hashlib.sha256(b"x\n1\n").hexdigest()
    assert len(log.read_text("utf-8").splitlines()) == 2
    assert load_reads(log) == [Read(str(data.resolve()), expected, ("one.xlsx", "two.xlsx"))]
    assert reads() == load_reads(log)


def test_load_reads_skips_a_line_cut_short_and_a_missing_log(tmp_path):
    log = tmp_path / "reads.jsonl"
    log.write_text(json.dumps({"path": "/d/x.parquet", "sha256": "ab", "sources": []}) + '\n{"path": "/d/y', "utf-8")
    assert load_reads(log) == [Read("/d/x.parquet", "ab", ())]
    assert load_reads(tmp_path / "none.jsonl") == []


def test_loading_the_scorecard_records_the_parquet_and_the_workbooks_it_was_made_from(tmp_path, monkeypatch):
    monkeypatch.setattr(reads_module, "_READS", {})
    monkeypatch.delenv(READS_VARIABLE, raising=False)
    path = write_scorecard_parquet(tmp_path)
    frame = load_scorecard(tmp_path)
    [read] = reads()
    assert read.path == str(path.resolve())
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert set(read.sources) == set(frame["source"].unique()) and read.sources


def test_page_data_files_lists_what_was_read_then_the_raw_files_behind_it(tmp_path):
    clean = tmp_path / "data" / "clean"
    clean.mkdir(parents=True)
    (clean / "manifest.json").write_text(json.dumps({"settings": {"data/measures.csv": "c" * 64}}), "utf-8")
    run_files = {"data/raw/scorecards/q2.xlsx": "a" * 64, "data/raw/budget/b.xlsx": "b" * 64,
                 "data/raw/history/h.csv": "d" * 64}
    read = [Read(str(clean / "scorecard.parquet"), "e" * 64, ("h.csv", "q2.xlsx", "not-in-the-run.xlsx")),
            Read(str(tmp_path / "data" / "raw" / "benchmark" / "x.csv"), "f" * 64, ())]
    files = page_data_files(read, run_files, tmp_path)
    assert list(files) == ["data/clean/scorecard.parquet", "data/raw/history/h.csv", "data/raw/scorecards/q2.xlsx",
                           "data/measures.csv", "data/raw/benchmark/x.csv"]
    assert files["data/clean/scorecard.parquet"] == {"sha256": "e" * 64, "role": "read"}
    assert files["data/raw/scorecards/q2.xlsx"] == {"sha256": "a" * 64, "role": "behind scorecard.parquet"}
    assert files["data/measures.csv"] == {"sha256": "c" * 64, "role": "behind scorecard.parquet"}
    assert "data/raw/budget/b.xlsx" not in files    # the run read it, this page did not
    # a file the page read itself is marked so, even when it is also behind a clean file
    again = page_data_files([*read, Read(str(tmp_path / "data" / "measures.csv"), "c" * 64, ())], run_files, tmp_path)
    assert again["data/measures.csv"] == {"sha256": "c" * 64, "role": "read"}


def test_a_frame_without_a_source_column_records_no_sources(tmp_path, monkeypatch):
    monkeypatch.setattr(reads_module, "_READS", {})
    monkeypatch.delenv(READS_VARIABLE, raising=False)
    path = tmp_path / "x.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(path)
    record_read(path, sources=pd.DataFrame({"a": [1]}).get("source", pd.Series(dtype=object)))
    assert reads()[0].sources == ()

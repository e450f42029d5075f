"""Nothing lost, end to end: every value cell of data/raw is in data/clean or in the quality report;
an interrupted clean leaves the previous outputs whole."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import RAW, ROOT, _ensure_kernel
from throwaway_notebooks import make_project, run_in, slow_notebook

from harrowperf.pipeline.clean import OUTPUTS, clean
from harrowperf.read.cells import read_cells
from harrowperf.read.scorecard import read_scorecard

pytestmark = pytest.mark.xdist_group("clean_real_raw")


def _cells_named(series: pd.Series) -> set[str]:
    """Cell references in a column, which may hold one address or a comma-separated list."""
    names = set()
    for text in series.dropna().astype(str):
        names.update(part.strip() for part in text.split(",") if part.strip())
    return names


def test_every_scorecard_value_cell_is_in_clean_data_or_the_quality_report(real_clean_dir):
    frame = pd.read_parquet(real_clean_dir / "scorecard.parquet")
    quality = pd.read_csv(real_clean_dir / "quality.csv", dtype=str, keep_default_na=False)
    in_frame = set(frame["cell_target"]) | set(frame["cell_actual"]) | set(frame["cell_rag"])
    listed = set(quality["sheet"] + "!" + quality["cell"])
    checked = 0
    for path in sorted((RAW / "scorecards").glob("*.xlsx")):
        layout = read_scorecard(path).layout
        values = layout[layout["role"].isin(["target", "actual", "rag", "unparsed"])]
        refs = values["sheet"] + "!" + values["cell"]
        missing = sorted(set(refs) - in_frame - listed)
        assert not missing, f"{path.name}: {missing[:10]}"
        qualifiers = layout[layout["role"] == "qualifier"]
        # a line under a measure is folded into its observation: its text must be there
        texts = set(frame["period_covered"].dropna()) | {
            part for note in frame["status_note"].dropna() for part in note.split("; ")} | set(frame["rag_text"])
        assert set(qualifiers["text"].str.strip()) <= texts
        checked += len(values) + len(qualifiers)
    assert checked >= 671  # the seed-003 workbook alone has 671 value cells


def test_every_budget_number_is_in_clean_data_or_the_quality_report(real_clean_dir):
    budget = pd.read_parquet(real_clean_dir / "budget.parquet")
    quality = pd.read_csv(real_clean_dir / "quality.csv", dtype=str, keep_default_na=False)
    checked = 0
    for path in sorted((RAW / "budget").glob("*.xlsx")):
        cells = read_cells(path)
        numbers = cells[cells["kind"] == "number"]
        mine = budget[budget["source"] == path.name]
        found = {(s, c) for s, c in zip(mine["sheet"], mine["cell"], strict=True)}
        # a range's high end sits beside its low end: the row's amount_high holds it (in GBP)
        by_row = {}
        for row in mine.itertuples():
            key = (row.sheet, int("".join(ch for ch in row.cell.split(",")[0] if ch.isdigit())))
            by_row.setdefault(key, set()).update(
                round(v) for v in (row.amount, row.amount_low, row.amount_high) if pd.notna(v))
        listed_here = quality[quality["source"] == path.name]
        listed = {(s, c) for s, text in zip(listed_here["sheet"], listed_here["cell"], strict=True)
                  for c in _cells_named(pd.Series([text]))}
        for sheet, address, row, value in zip(numbers["sheet"], numbers["address"], numbers["row"],
                                              numbers["value"], strict=True):
            in_row = {round(float(value) * scale) for scale in (1, 1e3, 1e6)} & by_row.get((sheet, row), set())
            assert (sheet, address) in found or (sheet, address) in listed or in_row, (path.name, sheet, address)
            checked += 1
    assert checked > 300


def test_clean_of_the_real_raw_folder_is_repeatable(real_clean_dir, tmp_path):
    clean(RAW, tmp_path, stream=None)
    for name in [*OUTPUTS, "budget.parquet", "budget.csv"]:
        assert (tmp_path / name).read_bytes() == (real_clean_dir / name).read_bytes(), name


def test_an_interrupted_clean_leaves_the_previous_outputs_whole(real_clean_dir, tmp_path):
    out = tmp_path / "clean"
    clean(RAW, out, stream=None)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for delay in (0.5, 1.5, 3.0):  # kill it at different points of its work
        process = subprocess.Popen([sys.executable, "-m", "harrowperf", "clean", str(RAW), "--out", str(out)],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        assert after == before


@pytest.mark.notebook
def test_an_interrupted_run_leaves_the_previous_reports_whole(tmp_path):
    """Kill `harrowperf run` while a notebook is executing: the published reports do not change."""
    _ensure_kernel()
    project = make_project(tmp_path, "good")
    slow = slow_notebook(project / "notebooks" / "slow.ipynb", 30)
    slow.write_text(slow.read_text().replace("time.sleep(30)", "time.sleep(0)"))
    assert run_in(project)[0] == 0
    reports = project / "reports"
    before = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    slow.write_text(slow.read_text().replace("time.sleep(0)", "time.sleep(30)"))
    process = subprocess.Popen([sys.executable, "-m", "harrowperf", "run", "--quarter", "Q2 2016/17"],
                               cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(p.name.startswith(".") for p in reports.iterdir()):
        time.sleep(0.2)  # wait until the run has started writing its temporary folder
    time.sleep(2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {p.relative_to(reports): p.read_bytes() for p in reports.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(reports).parts)}
    assert after == before


def _hidden_and_filled_raw(raw) -> None:
    """Generated scorecards (synthetic): hidden and very hidden sheets, RAGs given only by a fill in a
    blank cell, a highlighted row, a filled blank outside the table, and a hidden sheet of notes."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill
    from workbooks import build, header_rows

    folder = raw / "scorecards"
    folder.mkdir(parents=True)
    def table(n: int) -> list:  # each sheet its own measures, so none is a repeat of another
        return [["Theme"], *header_rows(["Q1 2016/17", "Q2 2016/17"]),
                [f"{n}1 Visits to libraries, table {n}", "Higher", "5", "6", None, "5", "7", "G"],
                [f"{n}2 Number of complaints, table {n}", "Lower", "9", "8", None, "9", "12", None],
                [f"{n}3 Highlighted measure, table {n}", "Higher", "1", "2", None, "1", "1", None]]

    path = build(folder / "hidden_and_filled.xlsx", {"Visible": table(1), "Hidden": table(2),
                                                     "Very hidden": table(3),
                                                     "Notes": [["Only notes here"], ["and a number", 42]]})
    workbook = load_workbook(path)
    for name, state in (("Hidden", "hidden"), ("Very hidden", "veryHidden"), ("Notes", "hidden")):
        workbook[name].sheet_state = state
    for sheet in (workbook["Visible"], workbook["Hidden"], workbook["Very hidden"]):
        sheet["E4"].fill = PatternFill("solid", fgColor="00B050")   # green, given only by colour
        sheet["E5"].fill = PatternFill("solid", fgColor="FF0000")   # red
        sheet["H5"].fill = PatternFill("solid", fgColor="FFC000")   # amber
        for column in "ABCDEFGH":
            sheet[f"{column}6"].fill = PatternFill("solid", fgColor="FFFF00")  # a highlighted row
        sheet["K2"].fill = PatternFill("solid", fgColor="00B050")   # a filled blank outside the table
    workbook.save(path)


def test_every_sheet_including_hidden_ones_and_every_filled_blank_is_in_clean_data_or_listed(tmp_path):
    from harrowperf.read import fills
    from harrowperf.read.cells import read_sheets

    raw = tmp_path / "raw"
    _hidden_and_filled_raw(raw)
    out = tmp_path / "clean"
    result = clean(raw, out, stream=None)
    assert result.errors == []
    frame = pd.read_parquet(out / "scorecard.parquet")
    quality = pd.read_csv(out / "quality.csv", dtype=str, keep_default_na=False)
    refs = set(frame["cell_target"]) | set(frame["cell_actual"]) | set(frame["cell_rag"]) | set(frame["cell_measure"])
    listed = {(s, c) for s, cells in zip(quality["sheet"], quality["cell"], strict=True)
              for c in _cells_named(pd.Series([cells]))}
    skipped = set(quality.loc[quality["issue"] == "sheet_skipped", "sheet"])
    checked_sheets = checked_blanks = 0
    for path in sorted((raw / "scorecards").glob("*.xlsx")):
        layout = read_scorecard(path).layout
        roles = {(s, c): role for s, c, role in zip(layout["sheet"], layout["cell"], layout["role"], strict=True)}
        for sheet in read_sheets(path):
            assert sheet.name in set(frame["sheet"]) or sheet.name in skipped, sheet.name
            checked_sheets += 1
            if sheet.name in skipped:  # a sheet with no table is listed as a whole, with every cell on it
                continue
            for cell in sheet.records:
                address = cell_address_of(cell)
                ref = f"{sheet.name}!{address}"
                if cell.kind == "blank":
                    if not fills.code_from_fill(cell.fill):
                        continue
                    checked_blanks += 1
                    # a RAG given by colour is read, or its cell is listed (a highlighted row, a stray fill)
                    assert ref in set(frame["cell_rag"]) or (sheet.name, address) in listed, ref
                    continue
                assert ref in refs or (sheet.name, address) in listed or roles.get((sheet.name, address)) in (
                    "title", "header", "measure", "polarity", "footnote", "qualifier"), ref
    assert checked_sheets == 4 and checked_blanks == 3 * 6  # per table: 3 RAG fills, 2 highlighted, 1 stray
    read_fill = frame[frame["rag_source"] == "fill"]
    assert set(read_fill["sheet"]) == {"Visible", "Hidden", "Very hidden"}
    for sheet in ("Visible", "Hidden", "Very hidden"):  # green E4, red E5, amber H5; the highlighted row none
        assert sorted(read_fill.loc[read_fill["sheet"] == sheet, "cell_rag"]) == [f"{sheet}!E4", f"{sheet}!E5",
                                                                                  f"{sheet}!H5"]
    assert set(frame.loc[frame["measure"].str.contains("Highlighted"), "rag"].dropna()) == set()


def cell_address_of(cell) -> str:
    from harrowperf.read.cells import cell_address

    return cell_address(cell.row, cell.col)


def test_every_row_of_a_long_history_file_is_in_clean_data_or_the_quality_report(tmp_path):
    """The real NYC extract (tests/fixtures/long) beside the real scorecard, through clean: each of its 298
    rows is an observation of scorecard.parquet or a finding of quality.csv, by its cell."""
    import shutil

    fixtures = ROOT / "tests" / "fixtures" / "long"
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "scorecards", raw / "scorecards")
    (raw / "history").mkdir()
    for name in ("nyc_cpr_extract.csv", "nyc_cpr_extract.csv.mapping.toml"):
        shutil.copy(fixtures / name, raw / "history" / name)
    clean(raw, tmp_path / "clean", stream=None)
    frame = pd.read_parquet(tmp_path / "clean" / "scorecard.parquet")
    quality = pd.read_csv(tmp_path / "clean" / "quality.csv", dtype=str, keep_default_na=False)
    rows_of = lambda cells: {int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for cell in cells if cell}  # noqa: E731
    in_frame = rows_of(frame.loc[frame["source"] == "nyc_cpr_extract.csv", "cell_actual"])
    listed = rows_of(quality.loc[quality["source"] == "nyc_cpr_extract.csv", "cell"])
    assert in_frame | listed == set(range(2, 300))  # the header is row 1; 298 data rows
    assert len(in_frame) == 291 and len(listed - in_frame) == 7  # the rows dated October (SOURCE.md)

"""excel: the formatted scorecard workbook (layout, council colours, comments) and formula-like text made safe."""

import zipfile

import pytest
from conftest import RAW
from openpyxl import load_workbook
from test_rag import frame_of

import harrowperf as hp
from harrowperf import catalogue, excel, gaps
from harrowperf.foundation.conventions import settings

SEED_WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
FORMULA_LIKE = ['=HYPERLINK("http://example.com","click")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory):
    frame = gaps.analyse(catalogue.apply(hp.read_scorecard(SEED_WORKBOOK).frame))
    path = excel.write_scorecard(frame, tmp_path_factory.mktemp("excel") / "out" / "scorecard.xlsx", "Q2 2016/17")
    return path, load_workbook(path)


def test_sheets(seed_book):
    _, book = seed_book
    assert book.sheetnames == ["Better Harrow", "Business", "Vulnerable", "RAG check", "Exceptions",
                               "All observations", "About"]


def test_theme_sheet_layout(seed_book):
    _, book = seed_book
    sheet = book["Vulnerable"]
    assert sheet["A1"].value == "Protect the most vulnerable and support families"
    assert [sheet.cell(4, c).value for c in (1, 2, 3, 4, 9, 14)] == [
        "No.", "Measure", "Good =", "Q2 2015/16", "Q1 2016/17", "Q2 2016/17"]
    assert [sheet.cell(5, c).value for c in range(14, 19)] == [
        "Target", "Actual", "RAG reported", "RAG computed", "Gap"]
    assert "N4:R4" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "D6"
    assert sheet.column_dimensions["B"].width == 60
    # measure 1, repeat referrals: Q2 2016/17 as printed, reported HG beside computed G
    assert [sheet.cell(6, c).value for c in range(1, 4)] == [
        "1", "Repeat referrals to Children's Social Care (within 12 months)", "Lower"]
    assert [sheet.cell(6, c).value for c in range(14, 18)] == ["7-15%", "13.80%", "HG", "G"]


def test_rag_cells_have_the_council_colours(seed_book):
    _, book = seed_book
    colours = settings().rag.colours
    sheet = book["Vulnerable"]
    for row in range(6, sheet.max_row + 1):
        for column in (6, 7, 11, 12, 16, 17):  # reported and computed RAG of the three quarters
            code = sheet.cell(row, column).value
            fill = sheet.cell(row, column).fill
            if code in colours:
                assert fill.fgColor.rgb == "00" + colours[code], (row, column, code)
            else:
                assert fill.fill_type is None, (row, column, code)


def test_differing_computed_rag_is_marked_and_explained(seed_book):
    _, book = seed_book
    sheet = book["Better Harrow"]
    row = next(r for r in range(6, sheet.max_row + 1) if sheet.cell(r, 1).value == "63")
    computed = sheet.cell(row, 17)  # Q2 2016/17 computed RAG
    assert (sheet.cell(row, 16).value, computed.value) == ("HR", "A")
    assert computed.border.left.style == "medium"
    assert computed.comment.text.startswith("stands: reported HR")
    agreeing = sheet.cell(row, 12)  # Q1 2016/17: LG computed and reported
    assert agreeing.value == "LG" and agreeing.comment is None


def test_rag_check_and_exceptions_sheets(seed_book):
    _, book = seed_book
    check = book["RAG check"]
    assert check["A2"].value.startswith("Of 184 RAG statuses reported, 175 (95%)")
    assert check.cell(4, 12).value == "RAG cell"
    assert check.max_row == 4 + 9  # header then the nine statuses not reproduced exactly
    exceptions = book["Exceptions"]
    assert exceptions.max_row == 3 + 19 and exceptions.freeze_panes == "A4"


def test_all_observations_sheet_is_a_filterable_table(seed_book):
    _, book = seed_book
    sheet = book["All observations"]
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + 249
    headings = [c.value for c in sheet[1]]
    assert {"Measure", "Quarter", "RAG reported", "RAG computed", "Gap, % of target", "Actual cell"} <= set(headings)


def test_the_workbook_holds_no_formula(seed_book):
    path, book = seed_book
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_formula_like_text_is_never_evaluated(tmp_path):
    frame = frame_of(*({"measure": text, "target_text": text, "actual_text": "5", "target": 5.0, "actual": 5.0,
                        "measure_id": f"m{i}", "theme": "=cmd|' /C calc'!A0"} for i, text in enumerate(FORMULA_LIKE)))
    path = excel.write_scorecard(frame, tmp_path / "unsafe.xlsx")
    book = load_workbook(path)
    texts = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    for text in FORMULA_LIKE:
        assert text not in texts
    assert "'=1+1" in texts and "'@SUM(A1:A2)" in texts and "'=cmd|' /C calc'!A0" in texts
    assert "-2+3" not in texts and "'-2+3" in texts
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_plain_signed_numbers_stay_as_printed(tmp_path):
    frame = frame_of({"polarity": "lower", "target": -20.0, "actual": -18.0, "target_text": "-20%",
                      "actual_text": "-18%"})
    book = load_workbook(excel.write_scorecard(frame, tmp_path / "signed.xlsx"))
    sheet = book["Hand"]
    assert [sheet.cell(6, c).value for c in (4, 5)] == ["-20%", "-18%"]


def test_cannot_write_says_so(tmp_path):
    folder = tmp_path / "taken.xlsx"
    folder.mkdir()
    with pytest.raises(hp.HarrowperfError, match="could not write the workbook"):
        excel.write_scorecard(frame_of({"target": 1.0, "actual": 1.0}), folder)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_nothing_to_write(tmp_path):
    with pytest.raises(hp.HarrowperfError, match="no observations"):
        excel.write_scorecard(frame_of({"target": 1.0, "actual": 1.0}).iloc[0:0], tmp_path / "empty.xlsx")

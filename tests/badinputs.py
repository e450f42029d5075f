"""A corpus of hostile and broken scorecard workbooks, generated in code (synthetic, never real figures).

Each case is a function that writes one file into a folder and returns its path. ``CASES``
maps a case name to (builder, expected outcome): either ``("error", pattern)`` for a
``ScorecardError`` whose message must match, or ``("finding", issue)`` for a data-quality
finding, or ``("read", check)`` where the file reads cleanly and ``check(frame)`` must hold.
docs/robustness.md lists the same table.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from workbooks import build, header_rows, simple_scorecard

GOOD_ROW = ["1 A measure", "Higher", "10%", "12%", "HG", "10%", "9%", "LR"]


def _not_a_zip(folder: Path) -> Path:
    path = folder / "renamed.xlsx"
    path.write_bytes(b"%PDF-1.4 this is really a PDF\n" + bytes(range(256)))
    return path


def _truncated(folder: Path) -> Path:
    data = simple_scorecard(folder / "whole.xlsx").read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def _xls(folder: Path) -> Path:
    path = folder / "old_format.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return path


def _csv(folder: Path) -> Path:
    path = folder / "scorecard.csv"
    path.write_text("Measure,Good =,Target,Actual,RAG\n1 A measure,Higher,10%,12%,HG\n", "utf-8")
    return path


def _encrypted(folder: Path) -> Path:
    # Excel saves a password-protected workbook as an OLE compound file holding "EncryptedPackage".
    path = folder / "password.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"))
    return path


def _replace_part(source: Path, target: Path, part: str, data: bytes | str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, data if item.filename == part else old.read(item.filename))
    return target


def _billion_laughs(folder: Path) -> Path:
    doctype = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
               + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
               + "]>")
    sheet = (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t>'
             '</is></c></row></sheetData></worksheet>')
    source = simple_scorecard(folder / "plain.xlsx")
    return _replace_part(source, folder / "billion_laughs.xlsx", "xl/worksheets/sheet1.xml", sheet)


def _zip_bomb(folder: Path) -> Path:
    path = simple_scorecard(folder / "zip_bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 200_000_000)  # ~200 KB on disk, 200 MB expanded
    return path


def _million_rows(folder: Path) -> Path:
    """A sheet using all 1,048,576 rows (written directly as XML: quick to make, ~3 MB on disk)."""
    source = simple_scorecard(folder / "plain_rows.xlsx")
    path = folder / "million_rows.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                new.writestr(item.filename, old.read(item.filename))
        with new.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            chunk = []
            for row in range(1, 1_048_577):
                chunk.append(f'<row r="{row}"><c r="A{row}"><v>{row}</v></c></row>')
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path


def _formula_without_cache(folder: Path) -> Path:
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A measure", "Higher", "10", "=B9*2", "HG"]]
    return build(folder / "formulas.xlsx", {"S": rows})


def _merged_data_cells(folder: Path) -> Path:
    path = simple_scorecard(folder / "merged.xlsx", [GOOD_ROW])
    workbook = load_workbook(path)
    workbook["Business"].merge_cells("C6:E6")
    workbook.save(path)
    return path


def _missing_rag_column(folder: Path) -> Path:
    rows = [["T"], *header_rows(["Q1 2016/17"], parts=("Target", "Actual")), ["1 A measure", "Higher", "1", "2"]]
    return build(folder / "no_rag.xlsx", {"S": rows})


def _duplicated_measures(folder: Path) -> Path:
    return simple_scorecard(folder / "duplicates.xlsx", [GOOD_ROW, GOOD_ROW])


NON_ASCII = "Résidents satisfaits – سكان راضون – תושבים מרוצים – 住民 ✓"


def _non_ascii(folder: Path) -> Path:
    return simple_scorecard(folder / "non_ascii.xlsx", [[f"7 {NON_ASCII}", "Higher", "10%", "12%", "HG",
                                                          "10%", "9%", "LR"]])


SCRIPT_NAME = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _html_in_names(folder: Path) -> Path:
    return simple_scorecard(folder / "html_names.xlsx", [[f"8 {SCRIPT_NAME}", "Higher", "10%", "12%", "HG",
                                                           "10%", "9%", "LR"]])


def _formula_like_text(folder: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Business"
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["9 =HYPERLINK(\"http://evil\",\"x\")", "Higher", None,
                                                  None, "@SUM(1)"]]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value).data_type = "s"  # text that looks like a formula, not a formula
    sheet["C4"].value, sheet["C4"].data_type = "+1+1", "s"
    sheet["D4"].value, sheet["D4"].data_type = "-2+3", "s"
    path = folder / "formula_text.xlsx"
    workbook.save(path)
    return path


def _dates_for_numbers(folder: Path) -> Path:
    rows = [["T"], *header_rows(["Q1 2016/17"]), ["1 A measure", "Higher", 0.5, 42000, "HG"]]
    return build(folder / "dates.xlsx", {"S": rows}, formats={"S": {"C4": "0%", "D4": "dd/mm/yyyy"}})


def _open_in_excel(folder: Path) -> Path:
    path = simple_scorecard(folder / "open.xlsx")
    (folder / "~$open.xlsx").write_bytes(b"\x05owner" + b"\0" * 160)
    return path


def _no_header_block(folder: Path) -> Path:
    return build(folder / "no_header.xlsx", {"Sheet1": [["Name", "Target", "Actual"], ["A", 1, 2]]})


def _no_period_labels(folder: Path) -> Path:
    return build(folder / "no_periods.xlsx", {"Sheet1": [["Measure", "Target", "Actual"], ["A", 1, 2]]})


def _bad_polarity(folder: Path) -> Path:
    return simple_scorecard(folder / "bad_polarity.xlsx", [["1 A", "Up-ish", "1", "2", "HG", "1", "2", "HG"]])


def _empty_file(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


Outcome = tuple[str, object]

CASES: dict[str, tuple[Callable[[Path], Path], Outcome]] = {
    "not a zip, renamed .xlsx": (_not_a_zip, ("error", r"renamed\.xlsx: this file is not an Excel \.xlsx")),
    "empty file": (_empty_file, ("error", r"empty\.xlsx: this file is a CSV or text file")),
    "truncated xlsx": (_truncated, ("error", r"truncated\.xlsx: the workbook is damaged or truncated")),
    "old .xls given": (_xls, ("error", r"old_format\.xls: this is an old-style \.xls file")),
    "csv given": (_csv, ("error", r"scorecard\.csv: this file is a CSV or text file")),
    "password-protected workbook": (_encrypted, ("error", r"password\.xlsx: .*password-protected")),
    "billion laughs (XML entities)": (_billion_laughs, ("error", r"billion_laughs\.xlsx, sheet 'Business': "
                                                                 r".*DOCTYPE or entities")),
    "zip bomb": (_zip_bomb, ("error", r"zip_bomb\.xlsx: the workbook would expand to .*zip bomb")),
    "sheet of 1,048,576 rows": (_million_rows, ("error", r"million_rows\.xlsx, sheet 'Business', cell A100001: "
                                                         r"the sheet has more than 100,000 rows")),
    "formula cells with no cached value": (_formula_without_cache, ("error", r"formulas\.xlsx, sheet 'S', "
                                                                             r"cell D4: formula =B9\*2")),
    "no header block": (_no_header_block, ("error", r"no_header\.xlsx: no scorecard header block")),
    "Target and Actual headings with no period": (
        _no_period_labels, ("error", r"no_periods\.xlsx, sheet 'Sheet1', cell B1: .*no quarter label")),
    "'Good =' not Higher/Lower/In range": (_bad_polarity, ("error", r"cell B6: 'Good =' value 'Up-ish'")),
    "merged cells across the data area": (_merged_data_cells, ("finding", "merged_cells_in_data")),
    "header without a RAG Status column": (_missing_rag_column, ("finding", "missing_rag_column")),
    "duplicated measures": (_duplicated_measures, ("finding", "duplicate_measure")),
    "dates where numbers belong": (_dates_for_numbers, ("finding", "unparsed_value")),
    "cell text beginning with = + - @": (_formula_like_text, ("finding", "unparsed_value")),
    "workbook open in Excel (lock file)": (_open_in_excel, ("finding", "workbook_open_in_excel")),
    "non-ASCII and right-to-left text": (_non_ascii, ("read", lambda f: f["measure"].iloc[0] == NON_ASCII)),
    "HTML and script tags in measure names": (_html_in_names, ("read", lambda f: f["measure"].iloc[0] == SCRIPT_NAME)),
}

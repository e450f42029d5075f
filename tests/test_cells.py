"""The cell layer: displayed text of number formats, fills, and refusing unsafe files."""

import math
import re
import tempfile
import zipfile
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from harrowperf.foundation.errors import BudgetError, ScorecardError
from harrowperf.read.cells import Limits, read_cells, read_sheets
from harrowperf.read.number_formats import display_text, format_scale, format_section


@pytest.mark.parametrize("value, number_format, shown", [
    (0.0749, "0.00%", "7.49%"),
    (0.1, "0%", "10%"),
    (-0.1, "0%", "-10%"),
    (0.985, "0.0%", "98.5%"),
    (0.025, "0.00%", "2.50%"),
    (35582, "#,##0", "35,582"),
    (33000, "#,##0", "33,000"),
    (8.18, "0.00", "8.18"),
    (6.1, "0.0", "6.1"),
    (90 / 86400, "mm:ss", "01:30"),
    (131 / 86400, "mm:ss", "02:11"),
    (3725 / 86400, "[h]:mm:ss", "1:02:05"),
    (1234.5, "£#,##0.00", "£1,234.50"),
    (-1234.5, "#,##0;(#,##0)", "(1,235)"),       # Excel rounds half away from zero
    (-3, "#,##0_);[Red](#,##0)", "(3)"),
    (1500000, '#,##0.0,,"m"', "1.5m"),
    (24740000, '£#,##0,"k"', "£24,740k"),
    (12, '0" days"', "12 days"),
    (0, '0;-0;"nil"', "nil"),
    (0.5, "General", "0.5"),
    (35582, "General", "35582"),
    (1 / 3, "General", "0.3333333333"),
    (42000, "dd/mm/yyyy", "27/12/2014"),
    (2.675, "0.00", "2.68"),
    ("13-15%", "General", "13-15%"),
    (True, "General", "TRUE"),
    (None, "General", ""),
])
def test_display_text(value, number_format, shown):
    assert display_text(value, number_format) == shown


# Scientific formats (Microsoft, "Number format codes": "0.00E+00" shows 12,200,000 as 1.22E+07; "##0.0E+0"
# is engineering notation, the exponent a multiple of three; "E-" signs only a negative exponent).
@pytest.mark.parametrize("value, number_format, shown", [
    (12200000, "0.00E+00", "1.22E+07"),
    (1234, "0.00E+00", "1.23E+03"),
    (-5.5, "0E+00", "-6E+00"),             # half away from zero, the minus kept
    (0, "0.00E+00", "0.00E+00"),
    (0.00123, "0.00E+00", "1.23E-03"),
    (1234, "0.00E-00", "1.23E03"),         # E-: no sign on a positive exponent
    (0.00123, "0.00E-00", "1.23E-03"),
    (9.996, "0.00E+00", "1.00E+01"),       # rounding up to 10.00 moves the exponent on
    (1234, "##0.0E+0", "1.2E+3"),
    (123456, "##0.0E+0", "123.5E+3"),
    (0.0005, "##0.0E+0", "500.0E-6"),
    (999.95, "##0.0E+0", "1.0E+3"),
    (749, '0.0E+00" units"', "7.5E+02 units"),
    (12345, "00.00E+00", "12.35E+03"),     # zeros before the point are filled
    (0.01, "0.00E+00", "1.00E-02"),        # Excel's table of formats: 0.01, 1234 and -5678 under 0.00E+00
    (-5678, "0.00E+00", "-5.68E+03"),
    (1950000000000, "0.00E+000", "1.95E+012"),   # three exponent digits
    (1950000000000, "#.###E+00", "1.95E+12"),    # "#" decimals drop trailing zeros
    (1950000000000, "0.000E+00", "1.950E+12"),
])
def test_display_text_scientific(value, number_format, shown):
    assert display_text(value, number_format) == shown
    assert format_section(value, number_format) == "number" and format_scale(value, number_format) == 1.0


@given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False).filter(lambda x: x == 0 or abs(x) > 1e-300),
       st.integers(0, 6), st.sampled_from(["E+", "E-"]))
def test_scientific_text_gives_the_number_to_the_shown_precision(number, decimals, sign):
    number_format = "0" + ("." + "0" * decimals if decimals else "") + sign + "00"
    shown = display_text(number, number_format)
    mantissa, exponent = re.fullmatch(r"(-?\d\.?\d*)E([+-]?\d{2,})", shown).groups()
    assert exponent[0] == "-" or (exponent[0] == "+") == (sign == "E+")
    assert number == 0 or 1 <= abs(float(mantissa)) < 10
    assert float(mantissa) * 10.0 ** int(exponent) == pytest.approx(number, rel=0.51 * 10.0**-decimals + 1e-12,
                                                                       abs=1e-300)


# Fractions: Excel pads "?" with spaces so fractions line up, and the text keeps them (it is what Excel shows).
@pytest.mark.parametrize("value, number_format, shown", [
    (1.5, "# ?/?", "1 1/2"),
    (0.5, "# ?/?", " 1/2"),                # no whole number: "#" shows nothing, the space stays
    (-1.5, "# ?/?", "-1 1/2"),
    (3, "# ?/?", "3    "),                 # no fraction left: spaces hold its place
    (0.99, "# ?/?", "1    "),              # 99/100 to one digit is 1/1: the next whole number
    (0.25, "?/?", "1/4"),
    (1.5, "?/?", "3/2"),
    (3.14159265, "# ??/??", "3 14/99"),    # best approximation with two-digit denominators
    (0.25, "# ??/??", "  1/4 "),
    (0.333, "# ???/???", " 332/997"),
    (1.5, "# ?/8", "1 4/8"),               # a fixed denominator is kept as written
    (0.3, "# ?/8", " 2/8"),                # 2.4 eighths rounds to 2
    (0.25, "# ??/100", " 25/100"),
    (2.5, '# ?/?" kg"', "2 1/2 kg"),
])
def test_display_text_fractions(value, number_format, shown):
    assert display_text(value, number_format) == shown
    assert format_section(value, number_format) == "number" and format_scale(value, number_format) == 1.0


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=99))
def test_a_fraction_with_two_digit_denominator_is_shown_exactly(number):
    shown = display_text(float(number), "# ??/??")
    found = re.fullmatch(r"(-?)(\d*) +(?:(\d+)/(\d+))? *", shown)
    whole = int(found.group(2) or 0) + (Fraction(int(found.group(3)), int(found.group(4))) if found.group(3) else 0)
    assert (-whole if found.group(1) else whole) == number


# Locale currency tags: "[$£-809]" shows "£" (the text between "[$" and "-"); "[$-809]" alone is only a locale.
@pytest.mark.parametrize("value, number_format, shown", [
    (1234.5, "[$£-809]#,##0.00", "£1,234.50"),
    (-1234.5, "[$£-809]#,##0.00", "-£1,234.50"),
    (1234.5, "[$-809]#,##0.00", "1,234.50"),
    (1234, "[$€-x-euro2] #,##0", "€ 1,234"),
    (1234, "#,##0 [$EUR]", "1,234 EUR"),
    (1234, "[$$-409]#,##0", "$1,234"),
    (0.5, "[$£-809]0.00E+00", "£5.00E-01"),
    (42000, "[$-809]dd/mm/yyyy", "27/12/2014"),
])
def test_display_text_locale_currency(value, number_format, shown):
    assert display_text(value, number_format) == shown


# Conditions (Microsoft KB Q67469, "Using Conditions in Number Formats": only the first two sections hold
# conditions, the first takes priority, the third takes the rest; a condition's own section shows the minus).
@pytest.mark.parametrize("value, number_format, shown, section, scale", [
    (0.5, "[>=1]0.0;0.00", "0.50", "number", 1.0),
    (2, "[>=1]0.0;0.00", "2.0", "number", 1.0),
    (-2, "[>=-1]0;0", "2", "number", 1.0),           # the unconditioned second section drops the minus
    (5, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"', "5", "number", 1.0),
    (-5, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"', "-5", "number", 1.0),
    (25000, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"', "25.0k", "number", 1e-3),
    (2500000, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"', "2.5m", "number", 1e-6),
    (999, "[>1000][Red]0.00E+00;General;0.00", "999.00", "number", 1.0),     # KB Q67469's examples
    (1001, "[>1000][Red]0.00E+00;General;0.00", "1.00E+03", "number", 1.0),
    (-5, "[>100]General;[<100](General);General", "-(5)", "general", 1.0),
    (-5, "[>100]General;[<0](General);General", "(5)", "general", 1.0),
    (5, "[>3][Red]0.00;[<6][Blue]0.00;0.00", "5.00", "number", 1.0),
    (150, '[>=100]"High";0', "High", "text", 1.0),
    (50, '[>=100]"High";0', "50", "number", 1.0),
    (0.05, '[<0.1]0.0%;0.0', "5.0%", "number", 100.0),
    (5, '[<0.1]0.0%;0.0', "5.0", "number", 1.0),
])
def test_display_text_conditions(value, number_format, shown, section, scale):
    assert display_text(value, number_format) == shown
    assert format_section(value, number_format) == section
    assert format_scale(value, number_format) == scale


def test_read_cells_gives_displayed_text_fill_and_address(tmp_path):
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "S"
    sheet["B2"] = 0.0749
    sheet["B2"].number_format = "0.00%"
    sheet["C3"] = "HG"
    sheet["C3"].fill = PatternFill("solid", fgColor="FF00B050")
    sheet["C3"].font = Font(bold=True)
    sheet["D4"].fill = PatternFill("solid", fgColor="FFFF0000")  # a filled blank is kept (a RAG by colour)
    workbook.save(tmp_path / "c.xlsx")
    cells = read_cells(tmp_path / "c.xlsx").set_index("address")
    assert cells.loc["B2", ["value", "kind", "text"]].tolist() == [0.0749, "number", "7.49%"]
    assert cells.loc["C3", ["text", "fill", "bold"]].tolist() == ["HG", "00B050", True]
    assert cells.loc["D4", ["kind", "text", "fill"]].tolist() == ["blank", "", "FF0000"]
    assert len(cells) == 3


def test_merged_ranges_are_reported(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Q2 2016/17"
    sheet.merge_cells("A1:C1")
    workbook.save(tmp_path / "m.xlsx")
    assert read_sheets(tmp_path / "m.xlsx")[0].merged == ["A1:C1"]


def test_unknown_sheet_is_named(tmp_path):
    Workbook().save(tmp_path / "w.xlsx")
    with pytest.raises(ScorecardError, match=r"no sheet named 'Nope'; the sheets are \['Sheet'\]"):
        read_cells(tmp_path / "w.xlsx", ["Nope"])


# --- files that must be refused with a clear message -----------------------------

def test_old_xls_or_encrypted_workbook(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(ScorecardError, match=r"old\.xlsx: .*\.xls file or a password-protected workbook"):
        read_cells(path)


def test_truncated_workbook(tmp_path):
    Workbook().save(tmp_path / "ok.xlsx")
    data = (tmp_path / "ok.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(ScorecardError, match=r"cut\.xlsx: "):
        read_cells(tmp_path / "cut.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ScorecardError, match=r"z\.xlsx: this zip file is not an Excel workbook"):
        read_cells(tmp_path / "z.xlsx")


def test_zip_bomb_is_refused_before_expanding(tmp_path):
    Workbook().save(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 30_000_000)
    with pytest.raises(ScorecardError, match=r"bomb\.xlsx: the workbook would expand to .*zip bomb"):
        read_cells(tmp_path / "bomb.xlsx")


def test_too_many_rows_is_refused(tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Long")
    for row in range(60):
        sheet.append([row])
    workbook.save(tmp_path / "long.xlsx")
    expected = r"long\.xlsx, sheet 'Long', cell A51: the sheet has more than 50 rows with content"
    with pytest.raises(BudgetError, match=expected):
        read_sheets(tmp_path / "long.xlsx", error=BudgetError, limits=Limits(max_rows=50))


def test_a_workbook_that_takes_too_long_is_refused_naming_file_sheet_and_cell(tmp_path, monkeypatch):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Wide")
    for _ in range(100):
        sheet.append(list(range(100)))  # 10,000 cells: the clock is looked at after cells 4,096 and 8,192
    workbook.save(tmp_path / "slow.xlsx")
    with pytest.raises(ScorecardError, match=r"slow\.xlsx, sheet 'Wide'.*took longer than -1 seconds"):
        read_sheets(tmp_path / "slow.xlsx", limits=Limits(max_seconds=-1))
    # a clock that moves one second each time it is read: the deadline (0 + 2 s) passes at the third look,
    # inside the sheet, at its 8,192nd cell (row 82, column 92: 81 x 100 + 92)
    ticks = iter(range(1000))
    monkeypatch.setattr("harrowperf.read.cells.time.monotonic", lambda: next(ticks))
    with pytest.raises(ScorecardError, match=r"slow\.xlsx, sheet 'Wide', cell CN82: reading the workbook took "
                                             r"longer than 2 seconds"):
        read_sheets(tmp_path / "slow.xlsx", limits=Limits(max_seconds=2))


def test_entity_expansion_is_refused(tmp_path):
    """A "billion laughs" sheet: XML entities are refused by defusedxml before they expand."""
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.save(tmp_path / "ok.xlsx")
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "laughs.xlsx", "w") as target:
        for item in source.infolist():
            data = laughs if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    expected = r"laughs\.xlsx, sheet 'Sheet': cannot read the sheet .*DOCTYPE or entities"
    with pytest.raises(ScorecardError, match=expected):
        read_cells(tmp_path / "laughs.xlsx")


# --- openpyxl through its public API only ------------------------------------------------------

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "harrowperf"
NAMEDTUPLE_API = {"_replace", "_fields", "_asdict", "_make"}


def private_openpyxl_uses(source: str) -> list[str]:
    """Imports from openpyxl's private modules, and private attributes read in a module that uses openpyxl."""
    tree = ast.parse(source)
    uses_openpyxl = False
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "openpyxl":
            uses_openpyxl = True
            if any(part.startswith("_") for part in node.module.split(".")) or \
                    any(alias.name.startswith("_") for alias in node.names):
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "openpyxl" for a in node.names):
            uses_openpyxl = True
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if any(part.startswith("_") for part in a.name.split("."))]
    if uses_openpyxl:
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and node.attr not in NAMEDTUPLE_API
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_the_checker_finds_private_openpyxl_access():
    source = ("from openpyxl.worksheet._reader import WorkSheetParser\n"
              "from openpyxl import load_workbook\n"
              "workbook = load_workbook('x.xlsx')\n"
              "styles = workbook._cell_styles\n")
    assert private_openpyxl_uses(source) == ["line 1: from openpyxl.worksheet._reader import ...",
                                             "line 4: ._cell_styles"]
    assert private_openpyxl_uses("from openpyxl import load_workbook\nrecord._replace(fill='')\n") == []


def test_harrowperf_uses_only_the_public_openpyxl_api():
    """No openpyxl private module or attribute anywhere in the package (issue 12: a release cannot break us)."""
    offending = {str(path.relative_to(PACKAGE)): uses for path in sorted(PACKAGE.rglob("*.py"))
                 if (uses := private_openpyxl_uses(path.read_text("utf-8")))}
    assert offending == {}


# --- every kind of stored cell, read straight from the sheet's XML -------------------------------

def _with_sheet_xml(tmp_path: Path, cells: str, shared: list[str] = ()) -> Path:
    """A workbook whose first sheet's <sheetData> is ``cells`` (raw XML) and whose shared text is ``shared``."""
    workbook = Workbook()
    workbook.active["A1"] = "placeholder"
    workbook.save(tmp_path / "base.xlsx")
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{cells}</sheetData></worksheet>")
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "".join(f"<si><t>{text}</t></si>" for text in shared) + "</sst>")
    declared = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    with zipfile.ZipFile(tmp_path / "base.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "cells.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet
            elif item.filename == "[Content_Types].xml":  # shared text found by its content type, as Excel does
                data = data.decode().replace("</Types>", declared)
            target.writestr(item, data)
        target.writestr("xl/sharedStrings.xml", strings)
    return tmp_path / "cells.xlsx"


def test_each_stored_kind_keeps_its_value(tmp_path):
    path = _with_sheet_xml(tmp_path, (
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>0.0749</v></c><c r="C2"><v>42</v></c>'
        '<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><f>A1</f><v>x</v></c>'
        '<c r="G2" t="inlineStr"><is><r><t>Staff </t></r><r><t>turnover</t></r>'
        '<rPh sb="0" eb="1"><t>sutaffu</t></rPh></is></c><c r="H2"><f>SUM(B2:C2)</f></c>'
        '<c r="I2" t="d"><v>2016-09-30T00:00:00</v></c><c r="J2"><v>1E-3</v></c></row>'), ["first", "second"])
    cells = read_cells(path)
    got = {row.address: (row.value, row.kind, row.text) for row in cells.itertuples()}
    assert got == {
        "A2": ("second", "text", "second"),
        "B2": (0.0749, "number", "0.0749"),
        "C2": (42, "number", "42"),
        "D2": (True, "bool", "TRUE"),
        "E2": ("#N/A", "error", "#N/A"),
        "F2": ("x", "text", "x"),
        "G2": ("Staff turnover", "text", "Staff turnover"),   # the pronunciation guide is not text
        "H2": ("=SUM(B2:C2)", "formula_no_cache", ""),
        "I2": ("2016-09-30T00:00:00", "text", "2016-09-30T00:00:00"),
        "J2": (0.001, "number", "0.001"),
    }


@pytest.mark.parametrize("row, expected", [
    ('<row r="5"><c r="C5" t="s"><v>7</v></c></row>', r"cells\.xlsx, sheet 'Sheet', cell C5: .*shared text '7'"),
    ('<row r="9"><c r="D9"><v>12abc</v></c></row>', r"cells\.xlsx, sheet 'Sheet', cell D9: .*holds '12abc'"),
])
def test_a_damaged_cell_is_named(tmp_path, row, expected):
    path = _with_sheet_xml(tmp_path, row, ["only"])
    with pytest.raises(ScorecardError, match=expected):
        read_cells(path)


# The number grammar of the file format (XML Schema's double, without INF and NaN): what a spreadsheet writes.
_STORED_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


@given(st.one_of(st.from_regex(_STORED_NUMBER, fullmatch=True),
                 st.text(alphabet="0123456789+-.eE_ \uff11\u0663naifINF", min_size=1, max_size=12)))
def test_a_stored_number_is_read_exactly_or_refused_naming_its_cell(stored):
    """Python's int() and float() read '1_000', full-width and Arabic-Indic digits, 'nan' and 'inf'; the
    reader must not: a stored number is the file format's number or the cell is named."""
    with tempfile.TemporaryDirectory() as folder:
        path = _with_sheet_xml(Path(folder), f'<row r="3"><c r="B3"><v>{stored}</v></c></row>')
        reference = _STORED_NUMBER.fullmatch(stored.strip())
        if reference and math.isfinite(float(stored)):
            cells = read_cells(path)
            exact = float(stored) if set(stored) & set(".eE") else int(stored)  # whole numbers kept exactly
            assert cells["value"].tolist() == [exact]
            assert cells["kind"].tolist() == ["number"]
        else:
            with pytest.raises(ScorecardError, match=r"cells\.xlsx, sheet 'Sheet', cell B3: .*holds a number but"):
                read_cells(path)


@pytest.mark.parametrize("row, expected", [
    ('<row r="4"><c r="A4" t="s"><v>-1</v></c></row>', r"cell A4: .*shared text '-1'"),
    ('<row r="4"><c r="A4" t="s"><v>\uff10</v></c></row>', r"cell A4: .*shared text"),
    ('<row r="4"><c r="A4"><v>1</v></c><c r="B4"><v>2</v></c><c r="A4"><v>3</v></c></row>',
     r"cell A4: .*holds this cell twice"),
    ('<row r="4"><c r="B4"><v>1</v></c><c r="A4"><v>2</v></c><c r="C4"><v>3</v></c><c r="C4"><v>4</v></c></row>',
     r"cell C4: .*holds this cell twice"),
    ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', r"sheet 'Sheet': .*row 1048577, outside Excel's grid"),
    ('<row r="4"><c r="XFE4"><v>1</v></c></row>', r"sheet 'Sheet': .*cell XFE4, outside Excel's grid"),
])
def test_a_cell_outside_the_grid_or_given_twice_is_named(tmp_path, row, expected):
    """Each would lose or invent a value (index -1 is the last text; a second A4 replaces the first)."""
    with pytest.raises(ScorecardError, match=expected):
        read_cells(_with_sheet_xml(tmp_path, row, ["first", "second"]))


def test_cells_out_of_order_are_all_kept(tmp_path):
    cells = read_cells(_with_sheet_xml(tmp_path, '<row r="4"><c r="C4"><v>3</v></c><c r="A4"><v>1</v></c></row>'
                                                 '<row r="2"><c r="B2"><v>2</v></c></row>'))
    assert sorted(zip(cells["address"], cells["value"], strict=True)) == [("A4", 1), ("B2", 2), ("C4", 3)]


def test_a_damaged_styles_part_is_named_and_nothing_is_printed(tmp_path, capsys):
    """A named style pointing at a style the workbook lacks: openpyxl prints '77 is out of range' and fails."""
    path = _with_sheet_xml(tmp_path, '<row r="2"><c r="B2"><v>1</v></c></row>')
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb'(<cellStyle [^>]*xfId=")0(")', rb"\g<1>77\2", data, count=1)
                assert b'xfId="77"' in data
            target.writestr(item, data)
    with pytest.raises(ScorecardError, match=r"damaged\.xlsx: the workbook's styles part \(xl/styles\.xml\) is "
                                             r"damaged .*open the file in Excel and save it again"):
        read_cells(damaged)
    assert capsys.readouterr().out == ""

"""Hostile input, round two: a second corpus of unusual and hostile scorecards, generated in code.

Synthetic layouts and made-up figures only. Each case writes one file (or folder) and returns its
path; ``CASES`` maps a case name to (builder, outcome, what docs/robustness.md says):

* ``("error", pattern)``: ``hp.read_scorecard`` raises ``ScorecardError`` whose message matches;
* ``("finding", issue, check)``: the file is read, ``issue`` is among the findings, and
  ``check(read)`` holds (the value read, or that nothing was invented);
* ``("read", check)``: the file is read cleanly and ``check(read)`` holds.

None of these is in ``tests/badinputs.py`` (round one). ``test_hostile.py`` runs them all, and checks
that docs/robustness.md lists each with its outcome.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from workbooks import MEASURE_HEADER, build, header_rows, simple_scorecard

Q = ["Q1 2016/17"]
SHEET_XML = "xl/worksheets/sheet1.xml"


def _one(folder: Path, name: str, target: Any, actual: Any, *, fmt: str | None = None, measure: str = "1 A measure",
         rag: Any = "G", polarity: str = "Higher", fills: dict | None = None) -> Path:
    """A one-measure, one-quarter scorecard; ``fmt`` is the actual cell's (D4) number format."""
    rows = [["Theme"], *header_rows(Q), [measure, polarity, target, actual, rag]]
    return build(folder / f"{name}.xlsx", {"S": rows}, formats={"S": {"D4": fmt}} if fmt else None,
                 fills={"S": fills} if fills else None)


def _rewrite(path: Path, edit: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None,
             target: Path | None = None) -> Path:
    """Copy a workbook part by part; ``edit(name, data)`` returns new bytes, or None to drop the part."""
    target = target or path
    parts = {}
    with zipfile.ZipFile(path) as old:
        for item in old.infolist():
            parts[item.filename] = old.read(item.filename)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            changed = edit(name, data)
            if changed is not None:
                new.writestr(name, changed)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def _sub(path: Path, part: str, old: str, new: str, count: int = 1) -> Path:
    def edit(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        assert old in text, (old, text[:500])
        return text.replace(old, new, count).encode("utf-8")
    return _rewrite(path, edit)


def _frame(read) -> Any:
    return read.frame.iloc[0]


def _actual(expected: float, unit: str | None = None) -> Callable[[Any], bool]:
    def check(read) -> bool:
        row = _frame(read)
        return math.isclose(row["actual"], expected, rel_tol=1e-12, abs_tol=1e-12) and (
            unit is None or row["unit"] == unit)
    return check


def _no_actual(read) -> bool:
    return all(math.isnan(v) for v in read.frame["actual"])


def _finding_text(issue: str, needle: str) -> Callable[[Any], bool]:
    def check(read) -> bool:
        found = read.findings[read.findings["issue"] == issue]
        return any(needle in str(m) + str(t) for m, t in zip(found["message"], found["text"], strict=True))
    return check


def _all(*checks: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda read: all(check(read) for check in checks)


# --- numbers silently wrong -------------------------------------------------------------------------

def _fmt_case(value: Any, fmt: str, measure: str = "1 % of forms returned",
              target: str = "5%") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        slug = re.sub(r"\W+", "_", f"{fmt}_{value}")[:40] or "fmt"
        return _one(folder, f"fmt_{slug}", target, value, fmt=fmt, measure=measure)
    return make


def _typed(text: str, measure: str = "1 A measure", name: str = "typed") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _one(folder, name, "5", text, measure=measure)
    return make


def _huge_stored_number(folder: Path) -> Path:
    path = _one(folder, "huge_stored", "5", 1, measure="1 Number of visits")
    return _sub(path, SHEET_XML, '<c r="D4" t="n"><v>1</v>', '<c r="D4" t="n"><v>' + "9" * 400 + "</v>") \
        if '<c r="D4" t="n">' in zipfile.ZipFile(path).read(SHEET_XML).decode() else \
        _sub(path, SHEET_XML, '<c r="D4"><v>1</v>', '<c r="D4"><v>' + "9" * 400 + "</v>")


def _number_text_in_xml(folder: Path) -> Path:
    path = _one(folder, "not_a_number", "5", 1)
    data = zipfile.ZipFile(path).read(SHEET_XML).decode()
    old = '<c r="D4" t="n"><v>1</v>' if '<c r="D4" t="n">' in data else '<c r="D4"><v>1</v>'
    return _sub(path, SHEET_XML, old, old.replace("<v>1</v>", "<v>12abc</v>"))


# --- markup and odd text ----------------------------------------------------------------------------

def _measure(name_text: str, file: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _one(folder, file, "5", "6", measure=name_text)
    return make


def _name_is(expected: str) -> Callable[[Any], bool]:
    return lambda read: _frame(read)["measure"] == expected


# --- sheets and parts -------------------------------------------------------------------------------

def _two_sheets(folder: Path, name: str, first: str, second: str) -> Path:
    rows = [["Theme"], *header_rows(Q), ["1 A measure", "Higher", "5", "6", "G"]]
    return build(folder / f"{name}.xlsx", {first: rows, second: rows})


def _duplicate_sheet_names(folder: Path) -> Path:
    path = _two_sheets(folder, "duplicate_names", "Business", "Other")
    return _sub(path, "xl/workbook.xml", 'name="Other"', 'name="Business"')


def _case_only_names(folder: Path) -> Path:
    path = _two_sheets(folder, "case_names", "Business", "Other")
    return _sub(path, "xl/workbook.xml", 'name="Other"', 'name="BUSINESS"')


def _missing_sheet_part(folder: Path) -> Path:
    path = _two_sheets(folder, "missing_part", "Business", "Other")
    return _rewrite(path, lambda name, data: None if name == "xl/worksheets/sheet2.xml" else data)


def _duplicate_zip_part(folder: Path) -> Path:
    path = simple_scorecard(folder / "duplicate_part.xlsx")
    data = zipfile.ZipFile(path).read(SHEET_XML)
    with zipfile.ZipFile(path, "a") as archive, __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        archive.writestr(SHEET_XML, data.replace(b"4.94%", b"99.9%"))
    return path


def _hidden_sheet(state: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _two_sheets(folder, f"{state}_sheet", "Business", "Hidden one")
        workbook = load_workbook(path)
        workbook["Hidden one"].sheet_state = state
        workbook.save(path)
        return path
    return make


def _sheet_name_with_markup(folder: Path) -> Path:
    return _two_sheets(folder, "sheet_markup", "<img src=x onerror=1>", "Other")


def _invalid_merge(folder: Path) -> Path:
    path = _one(folder, "bad_merge", "5", "6")
    return _sub(path, SHEET_XML, "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="C4:"/>'
                                                  "</mergeCells>")


def _reversed_merge(folder: Path) -> Path:
    path = _one(folder, "reversed_merge", "5", "6")
    return _sub(path, SHEET_XML, "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="E4:C4"/>'
                                                  "</mergeCells>")


def _many_merges_below_the_table(folder: Path) -> Path:
    """20,000 merges of everything below row 100 (A100:XFD1048576): each spans a million rows, none the table's."""
    path = _one(folder, "many_merges", "5", "6")
    merges = '<mergeCell ref="A100:XFD1048576"/>' * 20_000
    return _sub(path, SHEET_XML, "</sheetData>", f'</sheetData><mergeCells count="20000">{merges}</mergeCells>')


def _vertical_merge(folder: Path) -> Path:
    rows = [["Theme"], *header_rows(Q), ["1 First measure", "Higher", "5", "6", "G"],
            ["2 Second measure", "Higher", None, "7", "G"]]
    path = build(folder / "vertical_merge.xlsx", {"S": rows})
    workbook = load_workbook(path)
    workbook["S"].merge_cells("C4:C5")
    workbook.save(path)
    return path


def _whole_sheet_conditional_format(folder: Path) -> Path:
    path = _one(folder, "whole_sheet_cf", "5", "6", rag="R")
    workbook = load_workbook(path)
    workbook["S"].conditional_formatting.add("A1:XFD1048576", CellIsRule(
        operator="equal", formula=['"R"'], fill=PatternFill("solid", fgColor="FF0000")))
    workbook.save(path)
    return path


def _folder_named_xlsx(folder: Path) -> Path:
    path = folder / "folder.xlsx"
    path.mkdir()
    return path


def _symlink_loop(folder: Path) -> Path:
    path = folder / "loop.xlsx"
    os.symlink(path, path)
    return path


def _named_pipe(folder: Path) -> Path:
    path = folder / "pipe.xlsx"
    os.mkfifo(path)
    return path


def _symlink_to_workbook(folder: Path) -> Path:
    real = simple_scorecard(folder / "real.xlsx")
    path = folder / "link.xlsx"
    os.symlink(real, path)
    return path


def _shared_string_out_of_range(folder: Path) -> Path:
    path = _one(folder, "bad_shared", "5", "6")
    return _sub(path, SHEET_XML, '<c r="A4" t="inlineStr"><is><t>1 A measure</t></is></c>',
                '<c r="A4" t="s"><v>9999</v></c>')


def _actual_xml(path: Path, cell: str) -> Path:
    """``path`` with its actual cell (D4, holding 6) replaced by the XML ``cell``."""
    data = zipfile.ZipFile(path).read(SHEET_XML).decode()
    old = '<c r="D4" t="n"><v>6</v></c>' if '<c r="D4" t="n">' in data else '<c r="D4"><v>6</v></c>'
    return _sub(path, SHEET_XML, old, cell)


def _negative_shared_string(folder: Path) -> Path:
    """Shared text "7" and "99"; D4 points at index -1, which Python would read as the last one."""
    path = _one(folder, "negative_shared", "5", 6)
    table = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<si><t>7</t></si><si><t>99</t></si></sst>")
    override = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    _rewrite(path, lambda name, data: data.replace(b"</Types>", override) if name == "[Content_Types].xml" else data,
             extra={"xl/sharedStrings.xml": table})
    return _actual_xml(path, '<c r="D4" t="s"><v>-1</v></c>')


def _stored_number(text: str, file: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _actual_xml(_one(folder, file, "5", 6), f'<c r="D4" t="n"><v>{text}</v></c>')
    return make


def _cell_twice(folder: Path) -> Path:
    path = _one(folder, "cell_twice", "5", 6)
    data = zipfile.ZipFile(path).read(SHEET_XML).decode()
    old = '<c r="D4" t="n"><v>6</v></c>' if '<c r="D4" t="n">' in data else '<c r="D4"><v>6</v></c>'
    return _sub(path, SHEET_XML, old, old + '<c r="D4" t="n"><v>99</v></c>')


def _beyond_the_grid(old: str, new: str, file: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _sub(_one(folder, file, "5", 6), SHEET_XML, old, new)
    return make


def _with_doctype(data: bytes) -> bytes:
    doctype = b'<!DOCTYPE a [<!ENTITY x "y">]>'
    if data.startswith(b"<?xml"):
        end = data.index(b"?>") + 2
        return data[:end] + doctype + data[end:]
    return doctype + data


def _part_with_doctype(stem: str, part: str) -> Callable[[Path], Path]:
    """A case: a workbook whose ``part`` declares a DOCTYPE with an entity."""
    def make(folder: Path) -> Path:
        path = _one(folder, stem, "5", "6")
        return _rewrite(path, lambda name, data: _with_doctype(data) if name == part else data)
    return make


def _no_workbook_rels(folder: Path) -> Path:
    path = _one(folder, "no_rels", "5", "6")
    return _rewrite(path, lambda name, data: None if name == "xl/_rels/workbook.xml.rels" else data)


def _cell_reference_garbage(folder: Path) -> Path:
    path = _one(folder, "bad_ref", "5", "6")
    return _sub(path, SHEET_XML, 'r="D4"', 'r="D4D"')


def _row_number_garbage(folder: Path) -> Path:
    path = _one(folder, "bad_row", "5", "6")
    return _sub(path, SHEET_XML, '<row r="4"', '<row r="four"')


def _long_text(length: int, char: str, file: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return _one(folder, file, "5", char * length)
    return make


def _error_value(folder: Path) -> Path:
    path = _one(folder, "div0", "5", 1)
    data = zipfile.ZipFile(path).read(SHEET_XML).decode()
    old = '<c r="D4" t="n"><v>1</v>' if '<c r="D4" t="n">' in data else '<c r="D4"><v>1</v>'
    return _sub(path, SHEET_XML, old, '<c r="D4" t="e"><v>#DIV/0!</v>')


# --- header blocks: labels that are not quarters never shift columns ------------------------------

_PARTS = [None, None, "Target", "Actual", "RAG Status", "Target", "Actual", "RAG Status"]
_ROW = ["1 A measure", "Higher", "1", "2", "G", "3", "4", "R"]


def _header(first: Any, second: Any, name: str, label_cols: tuple[int, int] = (2, 5), parts=None,
            row=None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        labels = [MEASURE_HEADER, "Good ="] + [None] * 6
        labels[label_cols[0]], labels[label_cols[1]] = first, second
        return build(folder / f"{name}.xlsx", {"S": [["Theme"], labels, parts or _PARTS, row or _ROW]})
    return make


def _quarters(expected: dict[str, tuple[float, float, str]]) -> Callable[[Any], bool]:
    """Each quarter's (target, actual, rag), and no other quarter."""
    def check(read) -> bool:
        got = {row.period_label: (row.target, row.actual, row.rag) for row in read.frame.itertuples()}
        return got == expected
    return check


Q1 = {"Q1 2016/17": (1.0, 2.0, "G")}
BOTH = {**Q1, "Q2 2016/17": (3.0, 4.0, "R")}

# --- fills judged in context ------------------------------------------------------------------------

def _filled(name: str, fills: dict[str, Any], drop_theme: bool = False) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = _one(folder, name, "5", "6", rag=None)
        workbook = load_workbook(path)
        for address, colour in fills.items():
            workbook["S"][address].fill = PatternFill("solid", fgColor=colour)
        workbook.save(path)
        if drop_theme:
            def edit(part: str, data: bytes) -> bytes | None:
                if part.startswith("xl/theme/"):
                    return None
                if part in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                    return re.sub(rb"<(Relationship|Override)[^>]*theme[^>]*/>", b"", data)
                return data
            _rewrite(path, edit)
        return path
    return make


def _own_palette(folder: Path) -> Path:
    """Index 10 is red in Excel's default palette; this workbook's own palette makes it green."""
    from openpyxl.styles.colors import COLOR_INDEX, Color

    path = _filled("own_palette", {"E4": Color(indexed=10)})(folder)
    palette = [("FF00B050" if i == 10 else COLOR_INDEX[i]) for i in range(64)]
    colours = "<colors><indexedColors>" + "".join(f'<rgbColor rgb="{c}"/>' for c in palette) + \
        "</indexedColors></colors>"
    return _sub(path, "xl/styles.xml", "</styleSheet>", colours + "</styleSheet>")


def _rag_is(expected: Any) -> Callable[[Any], bool]:
    return lambda read: _frame(read)["rag"] == expected if expected else _frame(read)["rag"] is None or \
        (isinstance(_frame(read)["rag"], float) and math.isnan(_frame(read)["rag"]))


Outcome = tuple
LONG_BRACKETS = "(" * 50_000 + "1" + ")" * 49_999
NON_LATIN = "1 住民満足度 – удовлетворённость – رضا السكان 😀"

CASES: dict[str, tuple[Callable[[Path], Path], Outcome, str]] = {
    # numbers: literal text or codes in number formats, sections, times, bounds, units
    'literal percent, quoted: 0.00"%"': (_fmt_case(7.49, '0.00"%"'), ("read", _actual(7.49, "%")),
                                        "7.49 read as 7.49% (the % is text, never scaled by 100)"),
    "literal percent, escaped: 0.0\\%": (_fmt_case(7.49, "0.0\\%"), ("read", _actual(7.49, "%")),
                                        "7.49 read as 7.49% (shown 7.5%; the stored number is kept)"),
    "percent code, control: 0.00%": (_fmt_case(0.0749, "0.00%"), ("read", _actual(7.49, "%")),
                                     "0.0749 read as 7.49%"),
    "negative section's % is text: 0.0%;-0.0\"%\"": (
        _fmt_case(-7.49, '0.0%;-0.0"%"'), ("read", _actual(-7.49, "%")), "-7.49 read as -7.49% (not -749)"),
    "every section hidden: ;;;": (_fmt_case(5, ";;;", "1 A measure"),
                                  ("finding", "value_hidden_by_format", _actual(5)), "read as 5, listed"),
    "zero section hidden: 0;-0;;@": (_fmt_case(0, "0;-0;;@", "1 A measure"),
                                     ("finding", "value_hidden_by_format", _actual(0)), "read as 0, listed"),
    "negative section hidden: 0;;0": (_fmt_case(-4, "0;;0", "1 A measure"),
                                      ("finding", "value_hidden_by_format", _actual(-4)), "read as -4, listed"),
    'zero shown as "-": 0;-0;"-"': (_fmt_case(0, '0;-0;"-"', "1 A measure"),
                                    ("finding", "number_shown_as_text", _actual(0)),
                                    'read as 0, not "not reported"; listed (info)'),
    'zero shown as "nil": 0%;-0%;"nil"': (_fmt_case(0, '0%;-0%;"nil"'),
                                          ("finding", "number_shown_as_text", _actual(0)), "read as 0, listed"),
    'positive shown as text by a condition: [>=100]"High";0': (
        _fmt_case(150, '[>=100]"High";0', "1 A measure"), ("finding", "number_shown_as_text", _actual(150)),
        "read as 150, listed"),
    "negative in brackets: 0.0;(0.0)": (_fmt_case(-3.5, "0.0;(0.0)", "1 A measure"),
                                        ("finding", "number_shown_as_text", _actual(-3.5)),
                                        "read as -3.5 (the stored number), listed"),
    "accounting format: #,##0_);(#,##0)": (_fmt_case(-1234, "#,##0_);(#,##0)", "1 A measure"),
                                           ("finding", "number_shown_as_text", _actual(-1234)),
                                           "read as -1234, listed"),
    "scientific format: 0.00E+00": (_fmt_case(749, "0.00E+00", "1 A measure"),
                                    ("finding", "number_shown_as_text", _actual(749)), "read as 749, listed"),
    'unit in the format: 0" mins"': (_fmt_case(12, '0" mins"', "1 Average wait"),
                                     ("finding", "number_shown_as_text", _actual(12)), "read as 12, listed"),
    'millions by thousands commas: 0.0,,"m"': (_fmt_case(3_000_000, '0.0,,"m"', "1 Number of visits"),
                                               ("read", _actual(3_000_000)), "read as 3,000,000"),
    "colour codes: [Red]0.0;[Blue]-0.0": (_fmt_case(-2.5, "[Red]0.0;[Blue]-0.0", "1 A measure"),
                                          ("read", _actual(-2.5)), "read as -2.5"),
    "time of day: h:mm AM/PM": (_fmt_case(0.75, "h:mm AM/PM", "1 A measure"),
                                ("finding", "unparsed_value", _all(_no_actual, _finding_text(
                                    "unparsed_value", "6:00 PM"))),
                                "shown as Excel shows it (6:00 PM, never 6:00 P0), listed as not a figure"),
    "elapsed hours: [h]:mm:ss": (_fmt_case(1.5, "[h]:mm:ss", "1 Average call time", "30:00"),
                                 ("read", _actual(129_600, "s")), "read as 36:00:00, 129,600 seconds"),
    "forty decimals in a format": (_fmt_case(1 / 3, "0." + "0" * 40, "1 A measure"), ("read", _actual(1 / 3)),
                                   "read as the stored number (Excel shows at most 30 decimals)"),
    "a dozen % codes": (_fmt_case(0.5, "0" + "%" * 12, "1 A measure"),
                        ("finding", "unparsed_value", lambda read: len(read.frame) == 1),
                        "no overflow; the shown text is not a figure and is listed"),
    "400-digit number typed as text": (_typed("9" * 400, "1 Number of visits", "digits_text"),
                                       ("finding", "unparsed_value", _all(_no_actual, _finding_text(
                                           "unparsed_value", "beyond what Excel can hold"))),
                                       "no infinity: listed as beyond what Excel can hold"),
    "400-digit number stored in the XML": (_huge_stored_number,
                                           ("finding", "unparsed_value", _no_actual),
                                           "no infinity or overflow: listed"),
    "1E+308 (largest double) stored": (_fmt_case(1e308, "General", "1 A measure"),
                                       ("finding", "unparsed_value", _no_actual),
                                       "shown 1E+308, listed as not a figure; never infinity"),
    "negative zero": (_fmt_case(-0.0, "0.0", "1 A measure"), ("read", _actual(0.0)), "read as 0"),
    '"3m" in a measure of minutes': (_typed("3m", "1 Average call waiting time (minutes)", "three_m"),
                                     ("finding", "minutes_from_m", _actual(180, "s")),
                                     "read as 3 minutes (180 seconds), listed (info); never 3,000,000"),
    '"3m" in a count measure': (_typed("3m", "1 Number of visits to libraries", "three_m_count"),
                                ("read", _actual(3_000_000)), "read as 3,000,000"),
    '"2k" in a measure of time': (_typed("2k", "1 Average response time (minutes)", "two_k_time"),
                                  ("finding", "unit_does_not_fit_measure", _no_actual),
                                  "listed; its number left empty"),
    '"1e999" typed': (_typed("1e999", name="e999"), ("finding", "unparsed_value", _no_actual), "listed"),
    "a number cell holding text in the XML": (_number_text_in_xml, ("error", r"not_a_number\.xlsx, sheet 'S', "
                                                                             r"cell D4: .*holds a number but"),
                                              "ScorecardError naming the cell"),
    "#DIV/0! in an actual": (_error_value, ("finding", "unparsed_value", _no_actual), "listed"),
    # text: markup, non-Latin, control characters, huge and adversarial strings
    "non-Latin and emoji measure name": (_measure(NON_LATIN, "non_latin"),
                                         ("read", _name_is(NON_LATIN[2:])),
                                         "read; the name kept exactly, with a key of its own (clean runs: "
                                         "test_non_latin_measure_names_are_cleaned_with_keys_of_their_own)"),
    "measure name with a line break": (_measure("12 Residents\nsatisfied", "line_break"),
                                       ("read", lambda read: _frame(read)["measure_ref"] == "12"),
                                       "read; the measure number kept"),
    "Markdown link as a measure name": (_measure("1 [click](https://evil.example)", "md_link"),
                                        ("read", _name_is("[click](https://evil.example)")),
                                        "read; kept as text (escaped wherever shown)"),
    "meta refresh as a measure name": (_measure('1 <meta http-equiv="refresh" content="0;url=https://e.x">',
                                                "meta_refresh"),
                                       ("read", _name_is('<meta http-equiv="refresh" content="0;url=https://e.x">')),
                                       "read; kept as text (escaped wherever shown)"),
    "sheet named with markup": (_sheet_name_with_markup, ("read", lambda read: "<img src=x onerror=1>" in set(
        read.frame["sheet"])), "read; the name kept as text"),
    "100,000 nested brackets in a value": (_long_text(1, LONG_BRACKETS, "brackets"),
                                           ("finding", "unparsed_value", _no_actual),
                                           "listed, in linear time (no backtracking)"),
    "200,000 digits and commas": (_long_text(100_000, "1,", "commas"),
                                  ("finding", "unparsed_value", _no_actual), "listed, in linear time"),
    "30,000 characters of '1-' ranges": (_long_text(15_000, "1-", "dashes"),
                                         ("finding", "unparsed_value", _no_actual), "listed, in linear time"),
    "32,767 characters of spaces and %": (_long_text(16_000, " %", "spaces"),
                                          ("finding", "unparsed_value", _no_actual), "listed, in linear time"),
    # header blocks
    'quarter label with a note: "Q2 2016/17 (provisional)"': (
        _header("Q1 2016/17", "Q2 2016/17 (provisional)", "provisional"),
        ("finding", "quarter_label_read", _quarters(BOTH)), "read as Q2 2016/17, listed (info)"),
    'quarter labels as month ranges: "Apr-Jun 2016", "Jul-Sep 2016"': (
        _header("Apr-Jun 2016", "Jul-Sep 2016", "month_ranges"),
        ("finding", "quarter_label_read", _quarters(BOTH)), "read as Q1 and Q2 2016/17, listed (info)"),
    'a year typo in a quarter label: "Q2 2016/71"': (
        _header("Q1 2016/17", "Q2 2016/71", "year_typo"),
        ("finding", "unrecognised_quarter_label", _quarters(Q1)),
        "its columns listed, never given to Q1 2016/17"),
    "a real date as a quarter label": (
        _header("Q1 2016/17", __import__("datetime").datetime(2016, 9, 30), "date_label"),
        ("finding", "mixed_frequencies", _quarters(Q1)),
        "read as the month Sep 2016, which is not a quarter: its columns listed, never given to Q1 2016/17"),
    'a month header in a quarterly block: "Q1 2016/17", "Jul-16"': (
        _header("Q1 2016/17", "Jul-16", "month_in_quarters"),
        ("finding", "mixed_frequencies", _quarters(Q1)), "its columns listed, never given to Q1 2016/17"),
    'a quarter that does not exist: "Q5 2016/17"': (
        _header("Q1 2016/17", "Q5 2016/17", "q5"),
        ("finding", "unrecognised_quarter_label", _quarters(Q1)), "its columns listed, never given to Q1 2016/17"),
    'a financial year that is not one: "2016/18"': (
        _header("2015/16", "2016/18", "two_years"),
        ("finding", "unrecognised_quarter_label", _quarters({"2015/16": (1.0, 2.0, "G")})),
        "its columns listed, never given to 2015/16"),
    'a year that is also a month: "2009/10", "2010-11"': (
        _header("2009/10", "2010-11", "year_or_month"),
        ("finding", "unrecognised_quarter_label", _quarters({"2009/10": (1.0, 2.0, "G")})),
        "its columns listed, never guessed as 2010/11 or Nov 2010; the finding says to write which"),
    'month headers: "Apr-16", "May 2016"': (
        _header("Apr-16", "May 2016", "months"),
        ("read", _quarters({"Apr 2016": (1.0, 2.0, "G"), "May 2016": (3.0, 4.0, "R")})),
        "read as the months Apr 2016 and May 2016"),
    "quarter labels typed over the middle column of each group": (
        _header("Q1 2016/17", "Q2 2016/17", "middle_labels", (3, 6)), ("read", _quarters(BOTH)),
        "each quarter gets its own three columns"),
    'a repeated "Target" heading inside a group': (
        _header("Q1 2016/17", None, "repeated_target", (2, 7),
                [None, None, "Target", "Target", "Actual", "RAG Status"],
                ["1 A measure", "Higher", "1", "9", "2", "G"]),
        ("finding", "repeated_heading", _quarters(Q1)), "the first Target is read; the second column listed"),
    # fills
    "a RAG given only by a green fill (control)": (_filled("green_fill", {"E4": "00B050"}),
                                                  ("read", lambda read: _frame(read)["rag_source"] == "fill"),
                                                  "read from the fill"),
    "a fill from the workbook's own indexed palette": (
        _own_palette, ("read", lambda read: _frame(read)["rag"] in ("HG", "LG", "G")),
        "read as green (its own palette), never as the default palette's red"),
    "a whole row highlighted amber": (_filled("row_fill", {a: "FFC000" for a in ("A4", "B4", "C4", "D4", "E4")}),
                                      ("finding", "row_fill_not_rag", _rag_is(None)),
                                      "no RAG invented from a highlighted row; listed (info)"),
    "a BRAG blue 'complete' fill": (_filled("blue_fill", {"E4": "0070C0"}), ("finding", "fill_not_a_rag",
                                                                            _rag_is(None)),
                                    "no RAG read; the colour listed"),
    "a theme-colour fill in a workbook with no theme part": (
        _filled("no_theme", {"E4": __import__("openpyxl").styles.colors.Color(theme=6)}, drop_theme=True),
        ("read", lambda read: _frame(read)["rag_source"] == "fill" and _frame(read)["rag"] in ("HG", "LG", "G")),
        "Office's default theme is used: read as green"),
    # sheets, parts and files
    "two sheets with the same name": (_duplicate_sheet_names,
                                      ("error", r"duplicate_names\.xlsx, sheet 'Business': .*two sheets"),
                                      "ScorecardError naming the sheet (never one dropped)"),
    "sheet names differing only in case": (_case_only_names,
                                           ("error", r"case_names\.xlsx, sheet 'BUSINESS': .*two sheets"),
                                           "ScorecardError naming the sheet"),
    "a sheet whose part is missing": (_missing_sheet_part,
                                      ("error", r"missing_part\.xlsx, sheet 'Other': .*part .* is missing"),
                                      "ScorecardError naming the sheet and the part"),
    "two copies of one zip part": (_duplicate_zip_part,
                                   ("error", r"duplicate_part\.xlsx: .*two copies of xl/worksheets/sheet1\.xml"),
                                   "ScorecardError naming the part"),
    "no workbook relationships part": (_no_workbook_rels, ("error", r"no_rels\.xlsx: "),
                                       "ScorecardError naming the file"),
    "hidden sheet": (_hidden_sheet("hidden"), ("read", lambda read: set(read.frame["sheet"]) == {
        "Business", "Hidden one"}), "read like any other sheet"),
    "very hidden sheet": (_hidden_sheet("veryHidden"), ("read", lambda read: set(read.frame["sheet"]) == {
        "Business", "Hidden one"}), "read like any other sheet"),
    "invalid merge range (C4:)": (_invalid_merge, ("error", r"bad_merge\.xlsx, sheet 'S': .*merge"),
                                  "ScorecardError naming the sheet and the range"),
    "reversed merge range (E4:C4)": (_reversed_merge, ("finding", "merged_cells_in_data", _actual(6)),
                                     "read; listed as a merge across the data"),
    "20,000 merges of a million rows below the table": (
        _many_merges_below_the_table, ("read", _actual(6)),
        "read; no merge crosses the data, so none is listed (each range was walked row by row: a hang)"),
    "vertical merge over two measures' targets": (
        _vertical_merge, ("finding", "merged_cells_in_data",
                          lambda read: read.frame["target"].isna().sum() == 1),
        "the second measure's target is not invented; the merge is listed"),
    "conditional format over the whole sheet (A1:XFD1048576)": (
        _whole_sheet_conditional_format, ("read", lambda read: _frame(read)["rag"] == "R"),
        "evaluated over the used cells only, in well under a second"),
    "a folder named .xlsx": (_folder_named_xlsx, ("error", r"folder\.xlsx: .*not a regular file"),
                             "ScorecardError: only regular files are opened"),
    "a symlink loop named .xlsx": (_symlink_loop, ("error", r"loop\.xlsx: .*not a regular file"),
                                   "ScorecardError, no hang"),
    "a named pipe named .xlsx": (_named_pipe, ("error", r"pipe\.xlsx: .*not a regular file"),
                                 "ScorecardError, never blocks"),
    "a symlink to a real workbook": (_symlink_to_workbook, ("read", lambda read: len(read.frame) == 4),
                                     "read (a link to a regular file is followed)"),
    "shared text index out of range": (_shared_string_out_of_range,
                                       ("error", r"bad_shared\.xlsx, sheet 'S', cell A4: .*shared text"),
                                       "ScorecardError naming the cell"),
    "theme part with a DOCTYPE": (_part_with_doctype("theme_doctype", "xl/theme/theme1.xml"),
                                  ("error", r"theme_doctype\.xlsx: "),
                                  "ScorecardError naming the file (entities refused)"),
    "styles part with a DOCTYPE": (_part_with_doctype("styles_doctype", "xl/styles.xml"),
                                   ("error", r"styles_doctype\.xlsx: "),
                                   "ScorecardError naming the file (entities refused)"),
    "cell reference that is not a cell (D4D)": (_cell_reference_garbage, ("error", r"bad_ref\.xlsx, sheet 'S'"),
                                                "ScorecardError naming the sheet"),
    "row number that is not a number": (_row_number_garbage, ("error", r"bad_row\.xlsx, sheet 'S'"),
                                        "ScorecardError naming the sheet"),
    "shared text index negative (-1)": (_negative_shared_string,
                                        ("error", r"negative_shared\.xlsx, sheet 'S', cell D4: .*shared text '-1'"),
                                        "ScorecardError naming the cell; never the last text read backwards"),
    "one cell twice in the sheet's XML": (_cell_twice,
                                          ("error", r"cell_twice\.xlsx, sheet 'S', cell D4: .*holds this cell twice"),
                                          "ScorecardError naming the cell; neither value silently dropped"),
    "stored number with an underscore: 1_000": (
        _stored_number("1_000", "underscore"), ("error", r"underscore\.xlsx, sheet 'S', cell D4: .*'1_000'"),
        "ScorecardError naming the cell; never read as 1000"),
    "stored number in full-width digits: １２": (
        _stored_number("\uff11\uff12", "full_width"), ("error", r"full_width\.xlsx, sheet 'S', cell D4: .*holds"),
        "ScorecardError naming the cell; never read as 12"),
    "row number beyond the grid (99999999999)": (
        _beyond_the_grid("</sheetData>", '<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t>'
                         "</is></c></row></sheetData>", "huge_row"),
        ("error", r"huge_row\.xlsx, sheet 'S': .*row 99999999999, outside Excel's grid"),
        "ScorecardError naming the sheet and the row; no hang"),
    "cell on row 0 (D0)": (_beyond_the_grid('r="D4"', 'r="D0"', "row_zero"),
                           ("error", r"row_zero\.xlsx, sheet 'S': .*cell D0, outside Excel's grid"),
                           "ScorecardError naming the sheet and the cell"),
    "cell beyond column XFD (ZZZ4)": (_beyond_the_grid('r="E4"', 'r="ZZZ4"', "wide"),
                                      ("error", r"wide\.xlsx, sheet 'S': .*cell ZZZ4, outside Excel's grid"),
                                      "ScorecardError naming the sheet and the cell"),
}

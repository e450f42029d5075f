"""The seed-003 scorecard workbook in data/raw is an exact, cell-for-cell transcription of the seed.

The expected cells are worked out here from the seed text itself, independently of the
transcription script: rows 1-2 hold the theme and "Corporate Scorecard 2016/17", each table line
(header, measure, qualifier, the blank line between printed pages) becomes one sheet row from
row 4 on, tab position n becomes column n, and the notes follow after one blank row. The one
documented exception is the stray trailing column of the second Better Harrow block.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from conftest import RAW, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from harrowperf.foundation import conventions
from harrowperf.foundation.errors import ScorecardError
from harrowperf.read.cells import read_cells, read_sheets

SEED = ROOT / "tests" / "fixtures" / "seeds" / "003_405e00269b3432ab.txt"
WORKBOOK = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
SCRIPT = ROOT / "tools" / "transcribe_seed003.py"
REPORT = "Harrow Council Strategic Performance Report Quarter 2 2016/17"
TABLE_TITLE = "Corporate Scorecard 2016/17"
SHEETS = {
    "Build a better Harrow": "Better Harrow",
    "Be more business-like and business friendly": "Business",
    "Protect the most vulnerable and support families": "Vulnerable",
}
NUMERIC_SHEETS = {"Better Harrow", "Vulnerable"}
RAG_COLOURS = conventions.settings().rag.colours


def _load_script():
    spec = importlib.util.spec_from_file_location("transcribe_seed003", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


script = _load_script()


@dataclass
class ExpectedSheet:
    """What one sheet must hold, worked out from the seed."""

    theme: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    header_rows: list[int] = field(default_factory=list)
    rag_cells: set[tuple[int, int]] = field(default_factory=set)
    measure_rows: list[int] = field(default_factory=list)
    qualifier_rows: list[int] = field(default_factory=list)
    observations: int = 0
    stray_lines: list[str] = field(default_factory=list)


def _expected() -> dict[str, ExpectedSheet]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    sheets: dict[str, ExpectedSheet] = {}
    for title in (i for i, line in enumerate(lines) if line == TABLE_TITLE):
        assert lines[title - 1] == "" and lines[title + 1] == "", "seed layout around the title"
        theme = lines[title - 2]
        sheet = ExpectedSheet(theme)
        sheet.cells[(1, 1)] = theme
        sheet.cells[(2, 1)] = TABLE_TITLE
        end = title + 2
        while end < len(lines) and ("\t" in lines[end] or lines[end] == ""):
            end += 1
        table = lines[title + 2 : end]
        while table[-1] == "":
            table.pop()
        rag_positions: set[int] = set()
        good = 0
        for offset, line in enumerate(table):
            row = 4 + offset
            fields = line.split("\t") if line else []
            if line.startswith("Measure ("):
                sheet.header_rows.append(row)
                good = fields.index("Good =")
            elif table[offset - 1].startswith("Measure ("):
                rag_positions = {i for i, text in enumerate(fields) if text == "RAG Status"}
            elif fields:
                if any(fields[: good + 1]):
                    sheet.measure_rows.append(row)
                else:
                    sheet.qualifier_rows.append(row)
                sheet.observations += sum(bool(text) for text in fields[good + 1 :])
            if len(fields) == 12 and not rag_positions & {11}:
                # The stray trailing column (Better Harrow, second block): whatever is in it
                # belongs in the RAG Status cell to its left, which must be empty.
                assert fields[10] == "" or fields[11] == "", line
                if fields[11]:
                    sheet.stray_lines.append(fields[0])
                    fields[10], fields[11] = fields[11], ""
            for position, text in enumerate(fields):
                if text:
                    sheet.cells[(row, position + 1)] = text
                    if position in rag_positions:
                        sheet.rag_cells.add((row, position + 1))
        row = 4 + len(table) + 1
        for line in lines[end:]:
            if line.startswith("Note"):
                sheet.cells[(row, 1)] = line
                row += 1
            elif line:
                break
        sheets[SHEETS[theme]] = sheet
    return sheets


EXPECTED = _expected()


@pytest.fixture(scope="module")
def cells():
    frame = read_cells(WORKBOOK)
    return frame[frame["kind"] != "blank"]


def _number(text: str) -> Decimal | None:
    """The number a seed cell states, or None when the cell is not a plain number."""
    if re.fullmatch(r"-?\d+(\.\d+)?%", text):
        return Decimal(text[:-1]) / 100
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+|-?\d+", text):
        return Decimal(text.replace(",", ""))
    if re.fullmatch(r"-?\d+\.\d+", text):
        return Decimal(text)
    if match := re.fullmatch(r"(\d\d):(\d\d)", text):
        return Decimal(int(match[1]) * 60 + int(match[2])) / 86400
    return None


def test_one_sheet_per_table_in_seed_order():
    assert list(EXPECTED) == ["Better Harrow", "Business", "Vulnerable"]
    assert load_workbook(WORKBOOK, read_only=True).sheetnames == list(EXPECTED)


def test_measure_qualifier_and_observation_counts():
    # Hand-counted from the seed; SOURCES.md quotes the same numbers.
    counted = {
        name: (len(s.measure_rows), len(s.qualifier_rows), s.observations) for name, s in EXPECTED.items()
    }
    assert counted == {
        "Better Harrow": (44, 1, 320),
        "Business": (25, 0, 223),
        "Vulnerable": (14, 4, 128),
    }
    tables = script.parse_seed(SEED.read_text(encoding="utf-8"))
    assert script.counts(tables) == {
        name: {"measures": m, "qualifier_rows": q, "observation_cells": o}
        for name, (m, q, o) in counted.items()
    }


@pytest.mark.parametrize("sheet", list(EXPECTED))
def test_every_seed_cell_is_displayed_exactly_and_nothing_else(cells, sheet):
    got = cells[cells["sheet"] == sheet]
    shown = {(r, c): t for r, c, t in zip(got["row"], got["col"], got["text"], strict=True)}
    expected = EXPECTED[sheet].cells
    missing = {key: text for key, text in expected.items() if key not in shown}
    extra = {key: text for key, text in shown.items() if key not in expected}
    wrong = {key: (shown[key], text) for key, text in expected.items() if shown.get(key, text) != text}
    assert not missing and not extra and not wrong


@pytest.mark.parametrize("sheet", list(EXPECTED))
def test_numbers_are_real_numbers_and_the_rest_is_text(cells, sheet):
    got = cells[cells["sheet"] == sheet]
    for address, kind, value, text in zip(
        got["address"], got["kind"], got["value"], got["text"], strict=True
    ):
        number = _number(text)
        if sheet in NUMERIC_SHEETS and number is not None:
            assert kind == "number", (address, text)
            assert value == pytest.approx(float(number), rel=1e-12, abs=1e-15), (address, text)
        else:
            assert kind == "text", (address, text, kind)


def test_business_sheet_is_hand_typed_text_even_for_numbers(cells):
    business = cells[cells["sheet"] == "Business"].set_index("address")
    assert business.loc["D6", "value"] == "7.49%"  # 1 Reduction in vacancy rates, Q2 2015/16
    assert business.loc["F16", "value"] == "01:30"  # 13 Average speed to answer, Q1 target
    assert business.loc["J26", "value"] == "35,582"  # 21 Logins to MyHarrow, Q2 2016/17 actual


def test_hand_picked_numbers_and_formats(cells):
    by_address = cells.set_index(["sheet", "address"])
    picks = {
        ("Better Harrow", "D7"): (0.025, "0.00%", "2.50%"),  # 13 NEET, Q2 2015/16 actual
        ("Better Harrow", "F24"): (0, "0", "0"),  # 37 tooth brushing, Q1 target
        ("Better Harrow", "C35"): (1100, "0", "1100"),  # 48 Community Champions
        ("Better Harrow", "F18"): (6.1, "0.0", "6.1"),  # 34 slope index, Q1 target
        ("Better Harrow", "D54"): (0.98, "0.00", "0.98"),  # 65 equality of provision
        ("Vulnerable", "C15"): (3.4, "0.0", "3.4"),  # 12 delayed transfers, Q2 2015/16
        ("Vulnerable", "G6"): (0.119, "0.00%", "11.90%"),  # 1 repeat referrals, Q1 actual
        ("Vulnerable", "D20"): (0.95, "0.0%", "95.0%"),  # 18 direct payments carers
        ("Vulnerable", "A24"): (19, "0", "19"),  # measure number in its own column
    }
    for key, (value, number_format, text) in picks.items():
        row = by_address.loc[key]
        assert (row["value"], row["number_format"], row["text"]) == (value, number_format, text)


@pytest.mark.parametrize("sheet", list(EXPECTED))
def test_rag_codes_carry_the_council_fill_and_nothing_else_is_coloured(sheet):
    frame = read_cells(WORKBOOK, [sheet])
    expected = EXPECTED[sheet]
    header = frame["row"].isin(expected.header_rows + [r + 1 for r in expected.header_rows])
    assert (frame.loc[header, "fill"] != "").all() and frame.loc[header, "bold"].all()
    assert not set(frame.loc[header, "fill"]) & set(RAG_COLOURS.values())
    body = frame[~header]
    coloured = {
        (r, c): fill for r, c, fill in zip(body["row"], body["col"], body["fill"], strict=True) if fill
    }
    codes = {key: text for key, text in expected.cells.items() if key in expected.rag_cells}
    assert coloured == {key: RAG_COLOURS[text] for key, text in codes.items() if text in RAG_COLOURS}
    # e.g. "Note 1", "No target", "New in 2016/17" sit in RAG columns without a fill
    assert any(text not in RAG_COLOURS for text in codes.values())


def test_stray_column_rag_codes_land_in_rag_status():
    assert [line.split(" ")[0] for line in EXPECTED["Better Harrow"].stray_lines] == ["48", "49"]
    sheet = load_workbook(WORKBOOK)["Better Harrow"]
    assert sheet.max_column == 11
    assert (sheet["K35"].value, sheet["K36"].value) == ("A", "HG")
    assert sheet["A35"].value.startswith("48 ") and sheet["A36"].value.startswith("49 ")


def test_qualifier_rows_sit_under_their_measure_with_no_measure_cell():
    sheet = load_workbook(WORKBOOK)["Vulnerable"]
    assert sheet["A9"].value.startswith("3 Rate of proven re-offending")
    assert [sheet[f"{c}10"].value for c in "ABCDEFGHIJK"] == [
        None, None, None, "Oct 12 to Sep 13", None, None, "Jul 13 to Jun 14",
        None, None, "Oct 13 to Sept 14", None,
    ]  # fmt: skip
    better = load_workbook(WORKBOOK)["Better Harrow"]
    assert better["K39"].value == "No actual" and better["K40"].value == "Note 7"
    assert better["A40"].value is None


def _header_merges(row: int, measure_spans_two_columns: bool) -> set[str]:
    if measure_spans_two_columns:
        return {f"A{row}:B{row + 1}", f"C{row}:C{row + 1}", f"D{row}:F{row}", f"G{row}:I{row}",
                f"J{row}:L{row}"}  # fmt: skip
    return {f"A{row}:A{row + 1}", f"B{row}:B{row + 1}", f"C{row}:E{row}", f"F{row}:H{row}",
            f"I{row}:K{row}"}  # fmt: skip


def test_every_header_block_is_merged_like_the_printed_header():
    merged = {sheet.name: set(sheet.merged) for sheet in read_sheets(WORKBOOK)}
    for name, expected in EXPECTED.items():
        wanted = set()
        for row in expected.header_rows:
            two_columns = (row, 2) not in expected.cells  # "Measure ..." then an empty tab
            wanted |= _header_merges(row, two_columns)
        assert merged[name] == wanted
    assert EXPECTED["Vulnerable"].header_rows == [4, 22]
    assert EXPECTED["Better Harrow"].header_rows == [4, 22, 43]


def test_titles_and_properties_cite_the_source():
    workbook = load_workbook(WORKBOOK)
    for name, expected in EXPECTED.items():
        title = workbook[name]["A1"]
        assert title.value == expected.theme and title.font.b and title.font.sz == 14
        assert workbook[name]["A2"].font.b and workbook[name]["A3"].value is None
    props = workbook.properties
    assert props.title and SEED.name in props.description and REPORT in props.description
    assert props.created == props.modified == script.FIXED_TIMESTAMP


def test_script_rebuilds_the_committed_workbook_byte_for_byte(tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert script.main(["--out", str(first)]) == 0
    assert script.main(["--out", str(second)]) == 0
    # The committed file was written at another time: equal bytes mean no clock leaks in.
    assert first.read_bytes() == second.read_bytes() == WORKBOOK.read_bytes()


def test_a_value_in_the_stray_column_over_a_filled_rag_cell_is_refused(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith("48 Number of trained"))
    broken = tmp_path / "seed.txt"
    broken.write_text(text.replace(line, line.replace("\t\tA", "\tLR\tA")), encoding="utf-8")
    with pytest.raises(ScorecardError, match=r"seed\.txt, row 180: values \['A'\]"):
        script.transcribe(broken, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_short_row_or_a_missing_seed_ends_with_a_named_error(tmp_path, capsys):
    text = SEED.read_text(encoding="utf-8")
    short = tmp_path / "short.txt"
    line = next(line for line in text.split("\n") if line.startswith("38 Number of people"))
    short.write_text(text.replace(line, line.rsplit("\t", 2)[0]), encoding="utf-8")
    assert script.main(["--seed", str(short), "--out", str(tmp_path / "o.xlsx")]) == 1
    assert "short.txt, row 170: line has 10 tab-separated cells" in capsys.readouterr().err
    assert script.main(["--seed", str(tmp_path / "absent.txt")]) == 1
    assert "absent.txt: cannot read the seed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "value", "number_format"),
    [
        ("7.49%", 0.0749, "0.00%"),
        ("10%", 0.1, "0%"),
        ("-10%", -0.1, "0%"),
        ("98.5%", 0.985, "0.0%"),
        ("33,000", 33000, "#,##0"),
        ("1266", 1266, "0"),
        ("8.18", 8.18, "0.00"),
        ("6.1", 6.1, "0.0"),
        ("01:30", 90 / 86400, "mm:ss"),
        ("13-15%", "13-15%", "@"),
        ("0.9-1.1", "0.9-1.1", "@"),
        ("[60%]", "[60%]", "@"),
        ("-", "-", "@"),
        ("5.86 (28th)", "5.86 (28th)", "@"),
        ("42.5% (62/146)", "42.5% (62/146)", "@"),
    ],
)
def test_cell_value_hand_cases(text, value, number_format):
    assert script.cell_value(text) == (value, number_format)


_seed_numbers = st.one_of(
    st.builds(lambda n, d, neg: f"{'-' if neg else ''}{n}{'.' + d if d else ''}%",
              st.integers(1, 150), st.text("0123456789", max_size=2), st.booleans()),
    st.builds(lambda d: f"0.{d}%", st.text("0123456789", min_size=1, max_size=2)),
    st.builds(lambda n: f"{n:,}", st.integers(1000, 9_999_999)),
    st.builds(str, st.integers(-500, 99_999)),
    st.builds(lambda n, d: f"{n}.{d}", st.integers(0, 99), st.text("0123456789", min_size=1,
                                                                    max_size=2)),
    st.builds(lambda m, s: f"{m:02d}:{s:02d}", st.integers(0, 59), st.integers(0, 59)),
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(_seed_numbers, min_size=1, max_size=30))
def test_numbers_written_by_the_script_display_as_their_seed_text(tmp_path_factory, texts):
    workbook = Workbook()
    for row, text in enumerate(texts, start=1):
        value, number_format = script.cell_value(text)
        assert not isinstance(value, str), text
        cell = workbook.active.cell(row=row, column=1, value=value)
        cell.number_format = number_format
    path = tmp_path_factory.mktemp("roundtrip") / "numbers.xlsx"
    workbook.save(path)
    assert read_cells(path)["text"].tolist() == texts

"""read_budget: the real budget workbooks against their sources, every layout, units, totals and bad input."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

import harrowperf as hp
from harrowperf.foundation.errors import BudgetError
from harrowperf.foundation.findings import FINDING_COLUMNS
from harrowperf.read.budget import (
    BUDGET_COLUMNS,
    parse_amount,
    parse_round_month,
    parse_year_span,
    read_budget,
    unit_of,
)
from harrowperf.read.cells import read_sheets

BUDGET = RAW / "budget"
BVPP = BUDGET / "harrow_budget_2004-05_bvpp_tables.xlsx"
ROUNDS = BUDGET / "harrow_budget_gaps_by_round.xlsx"
MONITORING = BUDGET / "harrow_in_year_monitoring_published.xlsx"
ILLUSTRATIVE = BUDGET / "in_year_monitoring_2004-05_illustrative.xlsx"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SEED_000 = (SEEDS / "000_5a9226c466fc4589.txt").read_text("utf-8").split("\n")
SEED_001 = (SEEDS / "001_2f0341b9452202b1.txt").read_text("utf-8").split("\n")
REAL_FIGURES = (ROOT / "docs" / "sources" / "real-figures.md").read_text("utf-8").split("\n")


@pytest.fixture(scope="module")
def bvpp():
    return read_budget(BVPP)


@pytest.fixture(scope="module")
def rounds():
    return read_budget(ROUNDS)


@pytest.fixture(scope="module")
def monitoring():
    return read_budget(MONITORING)


def one(frame: pd.DataFrame, **where) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


def build(path: Path, sheets: dict[str, list[list]], formats: dict[str, dict[str, str]] | None = None,
          bold_rows: dict[str, list[int]] | None = None) -> Path:
    """A small budget workbook: one list of rows per sheet (None = empty cell)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for address, number_format in (formats or {}).get(name, {}).items():
            sheet[address].number_format = number_format
        for r in (bold_rows or {}).get(name, []):
            for cell in sheet[r]:
                cell.font = Font(bold=True)
    workbook.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# Seed 001: the workbook is the seed's tables, cell for cell
# ---------------------------------------------------------------------------------------------

SEED_TABLES = {  # sheet -> (first seed line of the table, 1-based; first sheet row of the table)
    "MTBS 2004-05 to 2006-07": (363, 4),
    "Change 2003-04 to 2004-05": (407, 4),
    "Sources of income 2004-05": (390, 3),
}
DEBRIS_LINE = 367  # "\t\t- (-) (": stray brackets from the PDF extraction, left out (SOURCES.md)


def seed_table_lines(first: int) -> list[tuple[int, list[str]]]:
    out, index = [], first - 1
    while SEED_001[index].strip():
        if index + 1 != DEBRIS_LINE:
            out.append((index + 1, [cell.strip() for cell in SEED_001[index].split("\t")]))
        index += 1
    return out


@pytest.mark.parametrize("sheet", list(SEED_TABLES))
def test_every_cell_of_the_seed_001_tables_is_in_the_workbook_as_printed(sheet):
    first_line, first_row = SEED_TABLES[sheet]
    expected = {}
    for offset, (_, cells) in enumerate(seed_table_lines(first_line)):
        for col, text in enumerate(cells, start=1):
            if text:
                expected[(first_row + offset, col)] = text
    (cells,) = read_sheets(BVPP, [sheet], error=BudgetError)
    table = cells.cells[cells.cells["row"] >= first_row]
    found = {(int(r), int(c)): t for r, c, t in zip(table["row"], table["col"], table["text"], strict=True)}
    assert found == expected


def test_the_debris_line_is_the_only_seed_line_left_out():
    assert SEED_001[DEBRIS_LINE - 1].strip() == "- (-) ("
    assert SEED_001[DEBRIS_LINE - 2].startswith("Repriced Base Budget")


def test_numbers_are_stored_as_numbers_with_the_printed_text_as_their_format():
    sheet = load_workbook(BVPP)["Change 2003-04 to 2004-05"]
    assert sheet["B11"].value == 188898 and sheet["B11"].number_format == "#,##0"
    assert sheet["G7"].value == -5434
    assert sheet["D9"].value == "-"  # printed as a dash: kept as text
    mtbs = load_workbook(BVPP)["MTBS 2004-05 to 2006-07"]
    assert mtbs["C7"].value == pytest.approx(-0.0175) and mtbs["C7"].number_format == "0.00%"


# Spot checks: amount, as read, against the seed passage it comes from (seed 001 unless said).
SPOT_CHECKS = [
    # (sheet, line, column header, expected GBP, seed line, text in that line)
    ("MTBS 2004-05 to 2006-07", "Repriced Base Budget", "2004-2005 £m", 229_337_000, 366, "229.337"),
    ("MTBS 2004-05 to 2006-07", "Base budget Changes", "2004-2005 £m", -377_000, 368, "-0.377"),
    ("MTBS 2004-05 to 2006-07", "Basic Inflation", "2006-2007 £m", 7_951_000, 369, "7.951"),
    ("MTBS 2004-05 to 2006-07", "Budgeted Growth", "2004-2005 £m", 11_879_000, 374, "11.879"),
    ("MTBS 2004-05 to 2006-07", "NHP procurement savings", "2005-2006 £m", -2_886_000, 377, "-2.886"),
    ("MTBS 2004-05 to 2006-07", "MTBS", "2006-2007 £m", 267_216_000, 378, "267.216"),
    ("MTBS 2004-05 to 2006-07", "Net Position", "2004-2005 £m", 242_533_000, 380, "242.533"),
    ("MTBS 2004-05 to 2006-07", "Council Tax", "2005-2006 £m", 1071.25, 381, "£1071.25"),
    ("Change 2003-04 to 2004-05", "Corporate", "2003-2004 Original £000", 9_161_000, 410, "9,161"),
    ("Change 2003-04 to 2004-05", "People First", "Growth £000", 6_513_000, 414, "6,513"),
    ("Change 2003-04 to 2004-05", "Urban Living", "Savings £000", -1_702_000, 415, "-1,702"),
    ("Change 2003-04 to 2004-05", "Service Total", "2004-2005 Original £000", 264_446_000, 416, "264,446"),
    ("Change 2003-04 to 2004-05", "Capital Financing adjustments", "Capital Financing £000", -965_000, 417, "-965"),
    ("Change 2003-04 to 2004-05", "Revenue Support Grant (RSG)", "Other £000", -10_787_000, 426, "-10,787"),
    ("Change 2003-04 to 2004-05", "To be raised from Council Tax", "2004-2005 Original £000", 86_487_000, 427,
     "86,487"),
    ("Change 2003-04 to 2004-05", "Organisational Development", "Capital Financing £000", 0, 412, "\t-\t"),
    ("Sources of income 2004-05", "Gross revenue budget", "Sources of Income 2004/05 £m", 357_300_000, 391, "357.3"),
    ("Sources of income 2004-05", "Specific Grants", "Sources of Income 2004/05 £m", 95_800_000, 393, "95.8"),
    ("Sources of income 2004-05", "Balance to be funded from Council Tax", "Sources of Income 2004/05 £m",
     86_500_000, 397, "86.5"),
]


@pytest.mark.parametrize(("sheet", "line", "column", "amount", "seed_line", "seed_text"), SPOT_CHECKS)
def test_seed_001_amounts_in_pounds(bvpp, sheet, line, column, amount, seed_line, seed_text):
    assert SEED_001[seed_line - 1].startswith(line) and seed_text in SEED_001[seed_line - 1]
    row = one(bvpp.frame, sheet=sheet, line=line, column=column)
    assert row["amount"] == pytest.approx(amount)
    assert row["status"] == "real"


def test_seed_001_layouts_years_and_units(bvpp):
    frame = bvpp.frame
    assert list(frame.columns) == BUDGET_COLUMNS
    assert set(frame.groupby("sheet")["layout"].first()) == {"years_across", "change_analysis", "funding_sources"}
    change = one(frame, sheet="MTBS 2004-05 to 2006-07", line="Basic Inflation", column="Change %")
    assert (change["unit"], change["amount"], change["year_label"]) == ("%", pytest.approx(8.67), "2004/05")
    band_d = one(frame, line="Council Tax", column="2004-2005 £m")
    assert (band_d["unit"], band_d["line_type"]) == ("GBP per Band D", "band_d_council_tax")
    opening = one(frame, line="People First", column="2003-2004 Original £000")
    closing = one(frame, line="People First", column="2004-2005 Original £000")
    growth = one(frame, line="People First", column="Growth £000")
    assert (opening["year"], closing["year"], growth["year"]) == (
        pd.Period("2004", "Y-MAR"), pd.Period("2005", "Y-MAR"), pd.Period("2005", "Y-MAR"))
    assert (opening["line_type"], growth["line_type"], growth["area_kind"]) == ("original_budget", "growth",
                                                                                "service")
    assert one(frame, line="Service Total", column="Growth £000")["is_total"]
    assert one(frame, line="National Non-Domestic Rate (NNDR)", column="Other £000")["area_kind"] == "funding"
    assert str(frame["year"].dtype) == "period[Y-MAR]" and str(frame["quarter"].dtype) == "period[Q-MAR]"


def test_seed_001_total_mismatches_are_reported_with_their_cells(bvpp):
    found = {(f["sheet"], f["cell"].split(",")[0], f["severity"], f["issue"]) for _, f in bvpp.findings.iterrows()}
    assert found == {
        ("Change 2003-04 to 2004-05", "H9", "info", "total_mismatch"),     # 2,336 v 2,335: rounding
        ("Change 2003-04 to 2004-05", "H10", "warning", "missing_total"),  # Chief Executive's Office
        ("Change 2003-04 to 2004-05", "D13", "info", "total_mismatch"),    # 1,384 v 1,386
        ("Change 2003-04 to 2004-05", "H13", "warning", "total_mismatch"),  # 264,446 v 263,681 (H10 empty)
        ("Sources of income 2004-05", "C7", "info", "total_mismatch"),     # 242.5 v 242.6
    }
    messages = " ".join(bvpp.findings["message"])
    for fact in ("H9 shows 2,336", "come to 2,335", "768", "D13 shows 1,384", "add up to 1,386",
                 "H13 shows 264,446", "add up to 263,681", "H10 is empty", "C7 shows 242.5", "come to 242.6"):
        assert fact in messages
    assert list(bvpp.findings.columns) == list(FINDING_COLUMNS)


def test_the_mtbs_percent_column_is_checked_and_adds_up(bvpp, tmp_path):
    rows = bvpp.frame[bvpp.frame["column"] == "Change %"].set_index("line")["amount"]
    lines = rows.loc["Repriced Base Budget":"NHP procurement savings"]
    assert len(lines) == 11 and lines.sum() == pytest.approx(rows["MTBS"]) == pytest.approx(3.25)
    assert rows["Net Position"] == pytest.approx(rows["MTBS"] + rows["Collection Fund Deficit 2004-2005"])
    assert not bvpp.findings.loc[bvpp.findings["sheet"] == "MTBS 2004-05 to 2006-07"].size
    workbook = load_workbook(BVPP)
    workbook["MTBS 2004-05 to 2006-07"]["C18"].value = 0.0335  # MTBS change shown as 3.35%
    workbook.save(tmp_path / "changed.xlsx")
    found = read_budget(tmp_path / "changed.xlsx").findings
    assert "C18, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17" in set(found["cell"])


# ---------------------------------------------------------------------------------------------
# Published figures: every row against the passage it was copied from
# ---------------------------------------------------------------------------------------------


def passages(source: str) -> list[str]:
    """The texts a figure may be copied from: a seed line, or each real-figures.md row or bullet citing it."""
    if source.startswith("seed 000_"):
        return [SEED_000[int(source.rsplit(" ", 1)[1]) - 1]]
    key = source.split(" ; ")[0].split(" (")[0]
    if key.startswith("FemShow/"):
        key = "FemShow/ct-receipts"
    hits = [i for i, line in enumerate(REAL_FIGURES) if key in line]
    assert hits, f"{key} is not cited in real-figures.md"
    found = []
    for index in hits:
        if REAL_FIGURES[index].startswith("|"):
            found.append(REAL_FIGURES[index])
            continue
        start = index
        while start > 0 and not REAL_FIGURES[start].startswith("- "):
            start -= 1
        end = index + 1
        while end < len(REAL_FIGURES) and REAL_FIGURES[end].startswith("  "):
            end += 1
        found.append(" ".join(REAL_FIGURES[start:end]))
    return found


def passage(source: str, quote: str = "") -> str:
    """The passage citing ``source`` that holds ``quote`` (the first one when none does)."""
    found = passages(source)
    return next((text for text in found if normal(quote) in normal(text)), found[0])


def normal(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').split())


def published_rows(path: Path) -> list[dict]:
    """Every figure row of a published-figures workbook: column name -> the text Excel displays."""
    rows = []
    for sheet in read_sheets(path, error=BudgetError):
        cells = sheet.cells
        header_row = int(cells.loc[cells["text"] == "Ref", "row"].iloc[0])
        names = dict(zip(cells.loc[cells["row"] == header_row, "col"], cells.loc[cells["row"] == header_row, "text"],
                         strict=True))
        for row, group in cells[cells["row"] > header_row].groupby("row"):
            values = {name: "" for name in names.values()}
            values.update({names[c]: t for c, t in zip(group["col"], group["text"], strict=True)})
            rows.append({"sheet": sheet.name, "row": int(row), **values})
    return rows


ALL_PUBLISHED = [(path, row) for path in (ROUNDS, MONITORING) for row in published_rows(path)]
UNIT_SUFFIX = {"£m": r"(?:m|M| million)", "£000": r"k", "£": r"(?![\d,]*m)", "%": r"%"}
NO_UNIT_PRINTED = {  # figures whose source prints the number without its unit
    "NDR-1", "NDR-2", "NDR-3", "NDR-4", "NDR-5", "NDR-6",  # a table headed "(£m)"
    "Q18-1", "Q18-2",  # "£2.521 vs £2.072 previously"
    "CT-1",  # "173947 (£ thousands)"
}


@pytest.mark.parametrize(("path", "row"), ALL_PUBLISHED, ids=[r["Ref"] for _, r in ALL_PUBLISHED])
def test_every_published_figure_is_in_its_source(path, row):
    text = normal(passage(row["Source"], row["As published"]))
    quote = normal(row["As published"])
    assert quote in text, f"{row['Ref']}: quote not in its source passage"
    for field in ("Amount", "Low", "High"):
        shown = row[field]
        if not shown or (shown == "0" and row["Qualifier"] == "balanced"):
            continue
        digits = shown.strip("()")
        suffix = "" if row["Ref"] in NO_UNIT_PRINTED else UNIT_SUFFIX[row["Unit"]]
        pattern = rf"(?<![\d.,]){re.escape(digits)}{suffix}"
        assert re.search(pattern, quote), f"{row['Ref']}: {digits} {row['Unit']} is not printed in {quote!r}"
    if row["Qualifier"] == "balanced":
        assert row["Amount"] == "0" and re.search(r"balanced|£0m", quote)
    elif row["Qualifier"] and row["Qualifier"] != "assumed":
        assert row["Qualifier"].lower() in quote.lower()
    else:
        assert row["Qualifier"] != "assumed" or "Assuming" in quote
    if re.search(r"underspend|less |offset by|\(£", quote.lower()) and row["Amount"].startswith("("):
        assert row["Amount"].endswith(")")  # printed negative, as the source does


def test_underspends_and_deductions_are_negative(monitoring, rounds):
    frame = pd.concat([monitoring.frame, rounds.frame])
    negative = frame[frame["amount"] < 0]
    assert set(negative["line"]) == {"Forecast variance", "Slippage", "Underspend", "Net underspend",
                                     "Property Acquisition Programme income", "Other housing", "Grant",
                                     "DLUHC 33% central share", "GLA 37% share"}
    assert (negative[negative["line"] == "Forecast variance"]["text"].str.contains("nderspend")).all()


@pytest.mark.parametrize(("path", "row"), [(p, r) for p, r in ALL_PUBLISHED if r["Budget round"]],
                         ids=[r["Ref"] for p, r in ALL_PUBLISHED if r["Budget round"]])
def test_round_names_dates_and_trust_match_real_figures(path, row):
    text = passage(row["Source"], row["As published"])
    if row["Source"].startswith("seed "):
        assert row["Trust"] == ""
        assert "February 2014" in " ".join(SEED_000[298:301])
        return
    cells = [c.strip() for c in text.strip("|").split("|")]
    listed = cells[0]
    if listed.startswith("Same round"):
        previous = REAL_FIGURES[REAL_FIGURES.index(text) - 1]
        assert row["Budget round"].split(",")[0] in previous
    else:
        assert listed.startswith(row["Budget round"])
    if row["Round date"]:
        assert row["Round date"] in listed
    marks = set()
    for cited in re.split(r"\s*;\s*(?=https?://)", cells[2]):
        mark = re.search(r" \(([ABCD])[,)]", cited)
        marks.add(mark.group(1) if mark else "A")  # "A unless marked"
    grades = set(row["Trust"].split("/"))
    assert grades <= marks, (row["Ref"], grades, marks)


def test_published_rows_are_read_in_pounds_with_their_rounds(rounds, monitoring):
    frame = rounds.frame
    gap = one(frame, round="Draft 2023/24", year_label="2025/26", line_type="gap")
    assert gap["amount"] == pytest.approx(10_964_000) and gap["round_month"] == pd.Period("2022-12", "M")
    ranged = one(frame, round="Final 2023/24", year_label="2025/26", line_type="gap")
    assert math.isnan(ranged["amount"])
    assert (ranged["amount_low"], ranged["amount_high"]) == (pytest.approx(6_321_000), pytest.approx(13_143_000))
    balanced = one(frame, round="Draft 2017/18", year_label="2017/18", line_type="gap")
    assert balanced["amount"] == 0 and balanced["qualifier"] == "balanced"
    total = one(frame, round="MTFS 2014/15 to 2016/17", year_label="2015/16 to 2018/19")
    assert total["year"] == pd.Period("2016", "Y-MAR") and total["year_end"] == pd.Period("2019", "Y-MAR")
    assert total["is_total"]
    adults = one(frame, round="Draft 2018/19", area="Adults", line_type="savings")
    assert adults["amount"] == 1_242_000 and adults["unit"] == "GBP"
    dated = one(frame, round="Draft 2020/21", year_label="2021/22", line_type="gap")
    assert dated["round_month"] == pd.Period("2019-12", "M")
    underspend = one(monitoring.frame, area="Revenue (General Fund)", line_type="variance")
    assert underspend["amount"] == -776_000 and underspend["quarter"] == pd.Period("2022Q3", "Q-MAR")
    may = one(monitoring.frame, area="Adult Services", line_type="variance")
    assert may["quarter"] == pd.Period("2019Q1", "Q-MAR") and may["period_label"] == "31 May 2018"
    assert may["trust"] == "A" and may["source_ref"].startswith("https://moderngov.harrow.gov.uk")


def test_published_parts_add_up_except_the_rounded_75m(rounds, monitoring):
    assert list(monitoring.findings["issue"]) == []
    (finding,) = rounds.findings.itertuples()
    assert finding.issue == "total_mismatch" and finding.severity == "info"
    assert "H14 shows 75" in finding.message and "75.505" in finding.message


# ---------------------------------------------------------------------------------------------
# Illustrative figures are flagged
# ---------------------------------------------------------------------------------------------


def test_the_illustrative_workbook_says_so_and_every_row_is_flagged():
    assert "illustrative" in ILLUSTRATIVE.name
    for sheet in load_workbook(ILLUSTRATIVE).worksheets:
        assert sheet["A1"].value.startswith("ILLUSTRATIVE")
    result = hp.read_budget(ILLUSTRATIVE)
    frame = result.frame
    assert set(frame["status"]) == {"illustrative"}
    assert set(frame["layout"]) == {"monitoring"}
    assert sorted(frame["period_label"].unique()) == ["Q1 2004/05", "Q2 2004/05", "Q3 2004/05", "Q4 2004/05"]
    assert result.findings.empty
    for path in (BVPP, ROUNDS, MONITORING):
        assert set(hp.read_budget(path).frame["status"]) == {"real"}


def test_illustrative_monitoring_columns_and_brackets():
    frame = hp.read_budget(ILLUSTRATIVE).frame
    corporate = frame[(frame["area"] == "Corporate") & (frame["period_label"] == "Q4 2004/05")]
    by_type = dict(zip(corporate["line_type"], corporate["amount"], strict=True))
    assert by_type["original_budget"] == 4_000_000 and by_type["revised_budget"] == 3_500_000
    assert by_type["variance"] == -150_000 and by_type["previous_forecast"] == 3_380_000
    assert one(corporate, line_type="variance")["text"] == "(150)"
    assert by_type["variance_pct"] == pytest.approx(-150 / 3500 * 100)


# ---------------------------------------------------------------------------------------------
# The amount grammar
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "scale", "kind"), [
    ("1,234", 1234, None, "amount"),
    ("(1,234)", -1234, None, "amount"),
    ("-1,234", -1234, None, "amount"),
    ("−1,234", -1234, None, "amount"),
    ("1,234-", -1234, None, "amount"),
    ("£1.2m", 1.2, 1e6, "amount"),
    ("(£0.936m)", -0.936, 1e6, "amount"),
    ("£776k", 776, 1e3, "amount"),
    ("GBP 2.5m", 2.5, 1e6, "amount"),
    ("£1,242,000", 1242000, 1.0, "amount"),
    ("3.27%", 3.27, None, "percent"),
    ("(0.6%)", -0.6, None, "percent"),
    ("-", 0, None, "nil"),
    ("nil", 0, None, "nil"),
    ("balanced", 0, None, "balanced"),
])
def test_parse_amount(text, value, scale, kind):
    parsed = parse_amount(text)
    assert (parsed.kind, parsed.scale) == (kind, scale)
    assert parsed.value == pytest.approx(value)


def test_parse_amount_ranges_qualifiers_and_refusals():
    ranged = parse_amount("£6.321m to £13.143m")
    assert (ranged.kind, ranged.low, ranged.high, ranged.scale) == ("range", 6.321, 13.143, 1e6)
    assert parse_amount("about £12m").qualifier == "about" and parse_amount("about £12m").value == 12
    for text in ("TBC", "see note 3", "(5", "£", "1,23,4", "(-5)", "12 to 5"):
        assert parse_amount(text).kind == "unparsed", text


money_styles = st.sampled_from(["plain", "brackets", "minus", "trailing", "pounds", "gbp_m", "k"])


@settings(deadline=None)  # parse_amount is cached: the first calls pay for compiling the conventions
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=3), money_styles,
       st.booleans())
def test_parse_amount_reads_back_what_a_finance_sheet_prints(units, decimals, style, negative):
    value = units / 10**decimals
    body = f"{value:,.{decimals}f}"
    signed = negative and value != 0 and style not in ("plain",)
    text = {"plain": body, "brackets": f"({body})" if signed else body, "minus": f"-{body}" if signed else body,
            "trailing": f"{body}-" if signed else body, "pounds": f"{'-' if signed else ''}£{body}",
            "gbp_m": f"{'-' if signed else ''}GBP {body}m", "k": f"{'(' if signed else ''}£{body}k"
            f"{')' if signed else ''}"}[style]
    parsed = parse_amount(text)
    assert parsed.kind == "amount", text
    assert parsed.value == pytest.approx(-value if signed else value), text
    assert parsed.decimals == decimals
    assert parsed.scale == {"plain": None, "brackets": None, "minus": None, "trailing": None, "pounds": 1.0,
                            "gbp_m": 1e6, "k": 1e3}[style]


@pytest.mark.parametrize(("text", "unit"), [
    ("£000", ("GBP 000", 1000.0)), ("£'000", ("GBP 000", 1000.0)), ("GBP 000", ("GBP 000", 1000.0)),
    ("Variance (£000)", ("GBP 000", 1000.0)), ("£k", ("GBP 000", 1000.0)), ("£m", ("GBP m", 1e6)),
    ("GBP m", ("GBP m", 1e6)), ("£ millions", ("GBP m", 1e6)), ("Amount £", ("GBP", 1.0)),
    ("Change %", ("%", 1.0)), ("Directorate", None),
])
def test_unit_of_header(text, unit):
    assert unit_of(text) == unit


def test_round_months_and_year_spans():
    assert parse_round_month("Cabinet 9 Dec 2016") == pd.Period("2016-12", "M")
    assert parse_round_month("Cabinet 10/12/2021") == pd.Period("2021-12", "M")
    assert parse_round_month("Cabinet Dec 2019 (decision dated 10/01/2020)") == pd.Period("2019-12", "M")
    assert parse_round_month("Dec 2025 / Jan 2026") == pd.Period("2025-12", "M")
    assert parse_round_month("February 2014") == pd.Period("2014-02", "M")
    assert parse_round_month("") is None
    assert parse_year_span("2015/16 to 2018/19") == (pd.Period("2016", "Y-MAR"), pd.Period("2019", "Y-MAR"))
    assert parse_year_span("2025/26") == (pd.Period("2026", "Y-MAR"),) * 2
    assert parse_year_span("2018/19 to 2015/16") == (None, None)
    assert parse_year_span("not stated") == (None, None)


# ---------------------------------------------------------------------------------------------
# Unit normalisation and layouts built here
# ---------------------------------------------------------------------------------------------

MONITORING_HEADER = ["Directorate", "Original Budget", "Latest Budget", "Latest Forecast Outturn", "Variance"]


def monitoring_sheet(unit_row: list, rows: list[list], title="Revenue monitoring Q2 2016-17") -> list[list]:
    return [[title], [], MONITORING_HEADER, unit_row, *rows]


@pytest.mark.parametrize(("unit", "scale"), [("£000", 1e3), ("£'000", 1e3), ("GBP 000", 1e3), ("£m", 1e6),
                                             ("GBP m", 1e6), ("£", 1.0)])
def test_units_are_normalised_to_pounds(tmp_path, unit, scale):
    path = build(tmp_path / "monitoring.xlsx", {"Q2": monitoring_sheet(
        [None, unit, unit, unit, unit], [["Adults", 100, 110, 115.5, 5.5], ["Total", 100, 110, 115.5, 5.5]])})
    result = hp.read_budget(path)
    frame = result.frame
    adults = frame[frame["area"] == "Adults"].set_index("line_type")["amount"]
    assert adults["forecast_outturn"] == pytest.approx(115.5 * scale)
    assert adults["variance"] == pytest.approx(5.5 * scale)
    assert set(frame["quarter"]) == {pd.Period("2017Q2", "Q-MAR")}
    assert result.findings.empty


def test_a_sheet_title_unit_applies_when_headers_have_none(tmp_path):
    rows = [["Revenue monitoring Q1 2016/17, £000"], [], MONITORING_HEADER,
            ["Adults", 100, 100, 90, -10], ["Total", 100, 100, 90, -10]]
    frame = hp.read_budget(build(tmp_path / "m.xlsx", {"Q1 2016-17": rows})).frame
    assert one(frame, area="Adults", line_type="variance")["amount"] == -10_000


def test_bracketed_negatives_in_text_and_in_number_formats(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                            [["Adults", 100, 100, 90, "(10)"], ["Housing", 50, 50, 45, -5],
                             ["Total", 150, 150, 135, -15]])
    path = build(tmp_path / "m.xlsx", {"Q2": rows}, formats={"Q2": {"E6": "#,##0;(#,##0)", "E7": "#,##0;(#,##0)"}})
    result = hp.read_budget(path)
    frame = result.frame
    assert one(frame, area="Adults", line_type="variance")["amount"] == -10_000
    housing = one(frame, area="Housing", line_type="variance")
    assert (housing["amount"], housing["text"]) == (-5_000, "(5)")
    assert result.findings.empty


def test_variance_that_is_not_forecast_minus_budget_is_reported(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                            [["Adults", 100, 100, 90, 10], ["Total", 100, 100, 90, 10]])
    quality = hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows})).findings
    assert set(quality["issue"]) == {"variance_mismatch"}
    assert quality["cell"].iloc[0].startswith("E5")


# ---------------------------------------------------------------------------------------------
# Total checks
# ---------------------------------------------------------------------------------------------

def strategy_sheet(lines: list[list], unit="£m") -> list[list]:
    return [["Budget strategy"], [], ["Line", "2016/17", "2017/18"], [None, unit, unit], *lines]


def test_a_correct_total_gives_no_finding(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Base budget", 100.0, 110.0], ["Inflation", 2.5, 3.0], ["Savings", -1.5, -2.0], ["Total", 101.0, 111.0]])})
    assert hp.read_budget(path).findings.empty


def test_a_wrong_total_is_a_warning_naming_the_cells(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Base budget", 100.5, 110.5], ["Inflation", 2.5, 3.0], ["Savings", -1.5, -2.0], ["Total", 101.5, 112.5]])})
    quality = hp.read_budget(path).findings
    (finding,) = quality.itertuples()
    assert (finding.issue, finding.severity) == ("total_mismatch", "warning")
    assert finding.cell == "C8, C5, C6, C7"
    assert "C8 shows 112.5" in finding.message and "add up to 111.5" in finding.message


def test_a_difference_rounding_can_explain_is_info(tmp_path):
    lines = [["Base budget", 100.4, 110], ["Inflation", 2.6, 3], ["Savings", -1.4, -2], ["Total", 103, 111]]
    shown = {f"{col}{row}": "0" for col in "BC" for row in range(5, 9)}  # printed to the nearest £m
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet(lines)}, formats={"MTFS": shown})
    (finding,) = hp.read_budget(path).findings.itertuples()
    assert (finding.cell.split(",")[0], finding.severity) == ("B8", "info")  # shows 100 + 3 - 1 = 102 v 103
    assert "rounding" in finding.message
    exact = build(tmp_path / "t.xlsx", {"MTFS": strategy_sheet(lines)})  # "General": shown in full
    (finding,) = hp.read_budget(exact).findings.itertuples()
    assert finding.severity == "warning"


def test_running_subtotals_each_add_the_previous_total(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Service A", 10.0, 11.0], ["Service B", 5.0, 6.0], ["Service Total", 15.0, 17.0],
        ["Capital financing", -2.0, -2.0], ["Sub-Total", 13.0, 15.0], ["Grant", -3.0, -4.0],
        ["Net position", 10.0, 11.0]])})
    assert hp.read_budget(path).findings.empty
    path = build(tmp_path / "t.xlsx", {"MTFS": strategy_sheet([
        ["Service A", 10.0, 11.0], ["Service B", 5.0, 6.0], ["Service Total", 15.0, 17.0],
        ["Capital financing", -2.0, -2.0], ["Sub-Total", 14.0, 15.0]])})
    (finding,) = hp.read_budget(path).findings.itertuples()
    assert finding.cell.startswith("B9") and "B7 plus B8" in finding.message


def test_a_bold_row_is_a_total_even_without_the_word(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Adults", 10.0, 11.0], ["Children", 5.0, 6.0], ["People directorate", 16.0, 17.0]])},
        bold_rows={"MTFS": [7]})
    result = hp.read_budget(path)
    frame = result.frame
    assert one(frame, line="People directorate", year_label="2016/17")["is_total"]
    (finding,) = result.findings.itertuples()
    assert finding.cell.startswith("B7")


def test_a_missing_total_is_reported(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Base budget", 100.0, 110.0], ["Inflation", 2.5, 3.0], ["Total", 102.5, None]])})
    quality = hp.read_budget(path).findings
    assert list(zip(quality["cell"], quality["issue"], strict=True)) == [("C7", "missing_total")]


# ---------------------------------------------------------------------------------------------
# Bad input: an error or a finding naming the cell, never a silently dropped row
# ---------------------------------------------------------------------------------------------


def test_text_in_an_amount_cell_keeps_the_row_and_names_the_cell(tmp_path):
    path = build(tmp_path / "s.xlsx", {"MTFS": strategy_sheet([
        ["Base budget", 100.0, 110.0], ["Inflation", "TBC", 3.0], ["Total", 102.5, 113.0]])})
    result = hp.read_budget(path)
    frame = result.frame
    row = one(frame, line="Inflation", year_label="2016/17")
    assert math.isnan(row["amount"]) and row["text"] == "TBC" and row["cell"] == "B6"
    quality = result.findings
    assert ("B6", "unparsed_amount", "warning") in set(zip(quality["cell"], quality["issue"], quality["severity"],
                                                           strict=True))


def test_names_that_differ_only_in_case_or_spacing_are_one_area_and_reported(tmp_path):
    q1 = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                          [["People First", 100, 100, 100, 0], ["Total", 100, 100, 100, 0]], "Monitoring Q1 2016/17")
    q2 = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                          [["People  first ", 100, 100, 101, 1], ["Total", 100, 100, 101, 1]], "Monitoring Q2 2016/17")
    q3 = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                          [["People First", 100, 100, 102, 2], ["Total", 100, 100, 102, 2]], "Monitoring Q3 2016/17")
    result = hp.read_budget(build(tmp_path / "m.xlsx", {"Q1": q1, "Q2": q2, "Q3": q3}))
    frame = result.frame
    assert set(frame.loc[frame["area_id"] == "people-first", "area"]) == {"People First"}
    assert frame["line"].isin(["People  first"]).sum() == 4  # the label as typed is kept
    quality = result.findings
    variant = quality[quality["issue"] == "name_variant"]
    assert list(zip(variant["sheet"], variant["cell"], strict=True)) == [("Q2", "A5")]
    assert "'People  first '" in variant["message"].iloc[0]


def test_columns_in_different_units_are_flagged(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£m", "£000"],
                            [["Adults", 100, 100, 0.1, 0], ["Total", 100, 100, 0.1, 0]])
    result = hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows}))
    frame = result.frame
    assert one(frame, area="Adults", line_type="forecast_outturn")["amount"] == 100_000
    quality = result.findings
    assert "mixed_units" in set(quality["issue"])
    assert "D4" in " ".join(quality["cell"])


def test_a_cell_with_its_own_unit_in_a_column_of_another_is_flagged(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                            [["Adults", 100, 100, "£0.1m", 0], ["Total", 100, 100, 100, 0]])
    result = hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows}))
    frame = result.frame
    assert one(frame, area="Adults", line_type="forecast_outturn")["amount"] == 100_000
    quality = result.findings
    assert ("D5", "mixed_units") in set(zip(quality["cell"], quality["issue"], strict=True))


def test_an_amount_with_no_unit_anywhere_is_an_error_naming_the_cell(tmp_path):
    rows = [["Revenue monitoring Q2 2016-17"], [], MONITORING_HEADER, ["Adults", 100, 100, 90, -10]]
    with pytest.raises(BudgetError) as raised:
        hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows}))
    assert "cell B4" in str(raised.value) and "sheet 'Q2'" in str(raised.value) and "m.xlsx" in str(raised.value)


def test_a_monitoring_sheet_must_say_its_quarter(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"], [["Adults", 1, 1, 1, 0]], "Revenue monitoring")
    with pytest.raises(BudgetError, match="quarter"):
        hp.read_budget(build(tmp_path / "m.xlsx", {"Sheet": rows}))


def test_not_a_workbook_and_no_table_are_errors(tmp_path):
    text = tmp_path / "budget.xlsx"
    text.write_text("Directorate,Budget\nAdults,100\n", "utf-8")
    with pytest.raises(BudgetError, match="CSV"):
        hp.read_budget(text)
    with pytest.raises(BudgetError, match="no budget table"):
        hp.read_budget(build(tmp_path / "notes.xlsx", {"Notes": [["Some notes"], ["nothing else"]]}))


def test_a_sheet_without_a_table_is_listed_not_dropped_silently(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"], [["Adults", 1, 1, 1, 0], ["Total", 1, 1, 1, 0]])
    result = hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows, "Notes": [["Prepared by finance"]]}))
    quality = result.findings
    assert list(zip(quality["sheet"], quality["issue"], strict=True)) == [("Notes", "sheet_skipped")]


def test_a_cell_outside_the_table_is_reported(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"],
                            [["Adults", 1, 1, 1, 0, "check this"], ["Total", 1, 1, 1, 0]])
    quality = hp.read_budget(build(tmp_path / "m.xlsx", {"Q2": rows})).findings
    assert list(zip(quality["cell"], quality["issue"], strict=True)) == [("F5", "cell_not_read")]


def test_published_figures_bad_rows(tmp_path):
    header = ["Ref", "Budget round", "Round date", "Year", "Area", "Figure", "Amount", "Unit", "As published",
              "Source", "Trust", "Part of"]
    rows = [["Budget gaps"], [], header,
            ["A", "Draft", "Dec 2020", "2021/22", "Whole council", "Budget gap", 5, "£m", "q", "s", "A", "T"],
            ["B", "Draft", "Dec 2020", "2022/23", "Whole council", "Budget gap", 4, "£m", "q", "s", "A", "T"],
            ["T", "Draft", "Dec 2020", "2021/22 to 2022/23", "Whole council", "Budget gap", 10, "£m", "q", "s",
             "A", None],
            ["C", "Draft", "Dec 2020", "sometime", "Whole council", "Budget gap", 1, "£m", "q", "s", "A", "Z"],
            ["D", "Draft", "Dec 2020", "2023/24", "Whole council", "Budget gap", 1, None, "q", "s", "A", None]]
    result = hp.read_budget(build(tmp_path / "p.xlsx", {"Gaps": rows}))
    frame = result.frame
    assert len(frame) == 5  # every row kept
    issues = result.findings.set_index("issue")["cell"].to_dict()
    assert issues == {"total_mismatch": "G6, G4, G5", "unparsed_year": "D7", "unknown_reference": "G7",
                      "missing_unit": "H8"}
    assert math.isnan(one(frame, year_label="2023/24")["amount"])


def test_a_file_name_and_a_title_that_disagree_about_being_illustrative(tmp_path):
    rows = monitoring_sheet([None, "£000", "£000", "£000", "£000"], [["Adults", 1, 1, 1, 0], ["Total", 1, 1, 1, 0]])
    result = hp.read_budget(build(tmp_path / "monitoring_illustrative.xlsx", {"Q2": rows}))
    frame = result.frame
    assert set(frame["status"]) == {"illustrative"}
    assert "status_unclear" in set(result.findings["issue"])


# ---------------------------------------------------------------------------------------------
# The clean job
# ---------------------------------------------------------------------------------------------


def test_clean_writes_one_budget_frame_with_periods_and_the_findings(tmp_path):
    from harrowperf.pipeline.clean import clean

    result = clean(RAW, tmp_path, stream=None)
    assert result.errors == []
    frame = pd.read_parquet(tmp_path / "budget.parquet")
    assert list(frame.columns) == BUDGET_COLUMNS
    assert set(frame["source"]) == {p.name for p in BUDGET.glob("*.xlsx")}
    assert str(frame["year"].dtype) == "period[Y-MAR]" and str(frame["round_month"].dtype) == "period[M]"
    quality = pd.read_csv(tmp_path / "quality.csv", dtype=str, keep_default_na=False)
    budget_findings = quality[quality["source"].isin(set(frame["source"]))]
    assert sorted(budget_findings["issue"]) == ["missing_total"] + ["total_mismatch"] * 5


def test_the_build_script_gives_the_committed_workbooks_byte_for_byte(tmp_path):
    import importlib.util
    import sys

    script = ROOT / "tools" / "build_budget_workbooks.py"
    spec = importlib.util.spec_from_file_location("build_budget_workbooks", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    written = module.build_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in BUDGET.glob("*.xlsx"))
    for path in written:
        assert path.read_bytes() == (BUDGET / path.name).read_bytes(), path.name


@pytest.mark.parametrize(("stored", "number_format", "kind", "amount", "rule"), [
    (0.125, "0.0%", "percent", 12.5, "percent_format"),                 # a % code: percentage points
    (7.5, '0.0"%"', "percent", 7.5, "percent_text"),                   # a quoted "%": 7.5 shown as 7.5%
    (7.49, "0.0\\%", "percent", 7.49, "percent_text"),                # an escaped one: 7.5%, the stored 7.49
    (2_500_000, "#,##0,", "amount", 2_500_000, "scaled_format"),        # shown as 2,500 (thousands)
    (-2_500_000, '#,##0,;(#,##0,)', "amount", -2_500_000, "scaled_format"),  # negatives in their own section
    (2_500_000, '£#,##0.0,,"m"', "amount", 2_500_000, "scaled_format"),  # shown as £2.5m
    (1234.0, "#,##0", "amount", 1234, "number"),
])
def test_a_stored_number_is_read_as_its_format_shows_it(stored, number_format, kind, amount, rule):
    from harrowperf.read.budget import cell_amount
    from harrowperf.read.cells import Cell
    from harrowperf.read.number_formats import display_text

    read = cell_amount(Cell(1, 1, stored, "number", number_format, display_text(stored, number_format), "", False))
    assert (read.kind, read.value, read.rule) == (kind, pytest.approx(amount), rule)

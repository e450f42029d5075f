"""Build the budget workbooks in data/raw/budget from the seed text and the published-figures list.

Four workbooks, each laid out the way a council finance team sends them (title rows, unit headers,
bold totals, negatives with a minus or in brackets):

- ``harrow_budget_2004-05_bvpp_tables.xlsx``: the three budget tables of seed 001 (Harrow's Best
  Value Performance Plan 2004/05), copied cell for cell from the seed's tab-separated lines:
  Table 1 "Medium Term Budget Strategy" (GBP m, years across), the "Analysis of the Change between
  financial years" by directorate (GBP 000) and "Sources of Income 2004/05" (GBP m).
- ``harrow_budget_gaps_by_round.xlsx``: one row per published figure of each budget round (the
  "vintage"): seed 000's MTFS gaps and grant cuts, and docs/sources/real-figures.md §3.1, plus the
  council tax and business rates figures of §2.1.
- ``harrow_in_year_monitoring_published.xlsx``: the real in-year monitoring figures of
  real-figures.md §3.2, one row per figure.
- ``in_year_monitoring_2004-05_illustrative.xlsx``: MADE-UP quarterly monitoring by directorate
  (the directorates of seed 001), to exercise the variance analysis. Its file name and title say
  "illustrative"; no figure in it is Harrow's.

Nothing is computed or corrected in the real workbooks: each amount is the number printed in the
source, and each published figure carries the passage it was read from (checked here and, again,
independently in tests/test_budget_readers.py). Re-running gives byte-identical files.

Usage::

    .venv/bin/python tools/build_budget_workbooks.py [--out data/raw/budget]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from harrowperf.present.exports import save_workbook_reproducibly

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SEED_000 = SEEDS / "000_5a9226c466fc4589.txt"
SEED_001 = SEEDS / "001_2f0341b9452202b1.txt"
REAL_FIGURES = ROOT / "docs" / "sources" / "real-figures.md"
OUT = ROOT / "data" / "raw" / "budget"

BVPP_WORKBOOK = "harrow_budget_2004-05_bvpp_tables.xlsx"
ROUNDS_WORKBOOK = "harrow_budget_gaps_by_round.xlsx"
MONITORING_WORKBOOK = "harrow_in_year_monitoring_published.xlsx"
ILLUSTRATIVE_WORKBOOK = "in_year_monitoring_2004-05_illustrative.xlsx"

FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 0, 0, 0)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin")
HEADER_BORDER = Border(bottom=THIN)
ITALIC = Font(italic=True)
RIGHT = Alignment(horizontal="right")

# ---------------------------------------------------------------------------------------------
# The one writer: every sheet is data (cells in the order they are written) until it is saved
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell to write; what is None is left as it is (a later Cell may add a border to a header)."""

    row: int
    col: int
    value: str | float | int | None = None
    number_format: str | None = None
    font: Font | None = None
    alignment: Alignment | None = None
    border: Border | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet as data: its cells in writing order, column widths and where panes are frozen."""

    name: str
    cells: tuple[Cell, ...]
    widths: dict[str, float]
    freeze: tuple[int, int] | None = None


def titles(lines: Sequence[str]) -> list[Cell]:
    """Title rows from row 1: the first in the title font, the others in italics."""
    return [Cell(row, 1, text, font=TITLE if row == 1 else ITALIC) for row, text in enumerate(lines, start=1)]


def write_workbook(sheets: Sequence[Sheet], title: str, description: str) -> Workbook:
    """The workbook holding ``sheets``, with its document title and description."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in sheets:
        sheet = workbook.create_sheet(table.name)
        for spec in table.cells:
            cell = sheet.cell(spec.row, spec.col, spec.value)
            for name in ("number_format", "font", "alignment", "border"):
                if getattr(spec, name) is not None:
                    setattr(cell, name, getattr(spec, name))
        for letter, width in table.widths.items():
            sheet.column_dimensions[letter].width = width
        if table.freeze is not None:
            sheet.freeze_panes = sheet.cell(*table.freeze)
    props = workbook.properties
    props.title = title
    props.description = description
    props.creator = "harrowperf tools/build_budget_workbooks.py"
    props.created = props.modified = FIXED_TIMESTAMP
    return workbook


# ---------------------------------------------------------------------------------------------
# Seed 001: the three budget tables, read from the seed's tab-separated lines
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedTable:
    """A table of seed 001: the sheet it becomes, title rows, header lines, body lines."""

    sheet: str
    titles: tuple[str, ...]
    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[int, tuple[str, ...]], ...]  # (seed line number, cells)
    total_labels: frozenset[str]
    skipped: tuple[int, ...] = ()  # seed lines left out (extraction debris), see SOURCES.md


MTBS_HEADER = "Medium Term Budget Strategy\t2004-\tChange\t2005-\t2006-"
CHANGE_HEADER = "\t2003-2004\tInflation\tCapital\tOther\tGrowth\tSavings\t2004-2005"
INCOME_HEADER = "\tSources of Income 2004/05 £m\t"
# The PDF extraction left a line of stray brackets under "Repriced Base Budget" ("\t\t- (-) (").
DEBRIS = re.compile(r"^[\s\-()]*$")


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.split("\t"))


def _find(lines: list[str], text: str) -> int:
    matches = [i for i, line in enumerate(lines) if line.rstrip("\n") == text]
    if len(matches) != 1:
        raise SystemExit(f"seed 001: expected one line {text!r}, found {len(matches)}")
    return matches[0]


def _body(lines: list[str], start: int) -> tuple[list[tuple[int, tuple[str, ...]]], list[int]]:
    body, skipped = [], []
    index = start
    while index < len(lines) and lines[index].strip():
        if DEBRIS.match(lines[index]) and "-" in lines[index]:
            skipped.append(index + 1)
        else:
            body.append((index + 1, _cells(lines[index])))
        index += 1
    return body, skipped


def parse_seed_001(text: str) -> tuple[SeedTable, ...]:
    """The three budget tables of seed 001, exactly as its lines print them."""
    lines = text.split("\n")
    mtbs = _find(lines, MTBS_HEADER)
    body, skipped = _body(lines, mtbs + 3)
    tables = [SeedTable(
        sheet="MTBS 2004-05 to 2006-07",
        titles=("Medium Term Revenue Budget Summary", "Table 1"),
        header=tuple(_cells(lines[mtbs + k]) for k in range(3)),
        body=tuple(body), skipped=tuple(skipped),
        total_labels=frozenset({"MTBS", "Net Position"}))]
    change = _find(lines, CHANGE_HEADER)
    body, skipped = _body(lines, change + 3)
    tables.append(SeedTable(
        sheet="Change 2003-04 to 2004-05",
        titles=("Analysis of the Change between financial years",
                "The following table analyses the movement in Harrow's budget between the two years."),
        header=tuple(_cells(lines[change + k]) for k in range(3)),
        body=tuple(body), skipped=tuple(skipped),
        total_labels=frozenset({"Service Total", "Sub-Total", "Total Net Expenditure",
                                "To be raised from Council Tax"})))
    income = _find(lines, INCOME_HEADER)
    body, skipped = _body(lines, income + 1)
    tables.append(SeedTable(
        sheet="Sources of income 2004-05",
        titles=("Sources of Income",),
        header=(_cells(lines[income]),),
        body=tuple(body), skipped=tuple(skipped),
        total_labels=frozenset({"Gross revenue budget", "Net revenue budget",
                                "Balance to be funded from Council Tax"})))
    return tuple(tables)


_PERCENT = re.compile(r"^(-?\d+(?:\.(\d+))?)%$")
_POUNDS = re.compile(r"^£(\d+(?:\.(\d+))?)$")
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def seed_cell(text: str) -> tuple[str | float | int | None, str]:
    """A seed cell as (stored value, number format) such that Excel displays exactly ``text``."""
    if text == "":
        return None, "General"
    match = _PERCENT.match(text)
    if match:
        places = len(match.group(2) or "")
        return float(Decimal(match.group(1)) / 100), "0" + ("." + "0" * places if places else "") + "%"
    match = _POUNDS.match(text)
    if match:
        places = len(match.group(2) or "")
        return float(match.group(1)), '"£"0' + ("." + "0" * places if places else "")
    match = _NUMBER.match(text)
    if match:
        places = len(match.group(1) or "")
        number = Decimal(text.replace(",", ""))
        body = ("#,##0" if "," in text else "0") + ("." + "0" * places if places else "")
        return (int(number) if not places else float(number)), body
    return text, "@"


def seed_sheet(table: SeedTable) -> Sheet:
    """A seed 001 table as printed: titles, a blank row, bold centred headers over a rule, the body."""
    cells = titles(table.titles)
    row = len(table.titles) + 2  # a blank row before the table, as printed
    for header in table.header:
        cells += [Cell(row, col, text, font=BOLD, alignment=Alignment(horizontal="center" if col > 1 else "left"))
                  for col, text in enumerate(header, start=1) if text]
        row += 1
    cells += [Cell(row - 1, col, border=HEADER_BORDER) for col in range(1, max(len(h) for h in table.header) + 1)]
    for _, line in table.body:
        is_total = line[0] in table.total_labels
        for col, text in enumerate(line, start=1):
            value, number_format = seed_cell(text)
            if value is not None:
                cells.append(Cell(row, col, value, number_format, font=BOLD if is_total else None,
                                  alignment=RIGHT if col > 1 else None))
        row += 1
    return Sheet(table.sheet, tuple(cells), {"A": 48, **{get_column_letter(col): 13 for col in range(2, 10)}})


# ---------------------------------------------------------------------------------------------
# Published figures: one row per figure, with the passage it was read from
# ---------------------------------------------------------------------------------------------

FIGURE_COLUMNS = ("Ref", "Budget round", "Round date", "Year", "Period", "Area", "Figure", "Amount",
                  "Low", "High", "Unit", "Qualifier", "As published", "Source", "Trust", "Part of",
                  "Note")
WHOLE = "Whole council"


@dataclass(frozen=True)
class Figure:
    """One published figure. ``amount`` is the number as printed (signed by the sheet's rule)."""

    ref: str
    year: str
    area: str
    figure: str
    amount: str
    unit: str
    quote: str
    source: str
    trust: str
    round: str = ""
    round_date: str = ""
    period: str = ""
    qualifier: str = ""
    part_of: str = ""
    note: str = ""
    low: str = ""
    high: str = ""


S000 = f"seed {SEED_000.name} line"
R17 = "https://moderngov.harrow.gov.uk/mgDecisionDetails.aspx?IId=88915&Opt=1"
C17 = "https://consult.harrow.gov.uk/consult.ti/bud1718/consultationHome"
R18 = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=112094"
C18 = "https://consult.harrow.gov.uk/consult.ti/2018budget/consultationHome"
F18 = ("http://www.harrow.gov.uk/news/article/639/harrow_agrees_balanced_budget_for_2018 ; "
       "https://harrowmonitoringgroup.com/2018/02/26/labour-confident-to-keep-administration/")
R19 = "https://www.times-series.co.uk/news/17284336.council-tax-to-go-up-again-to-help-balance-budget/"
R20 = "https://moderngov.harrow.gov.uk/mgDecisionDetails.aspx?IId=99135&Opt=1"
F20 = ("https://www.thisislocallondon.co.uk/news/18237218.harrow-council-cabinet-confirms-2020-21-cuts-"
       "council-tax-hike/ ; https://www.hillingdontimes.co.uk/news/18110401.harrow-council-consults-"
       "draft-budget-2020-21/")
R21 = ("https://moderngov.harrow.gov.uk/ieDecisionDetails.aspx?Id=62802 ; "
       "https://moderngov.harrow.gov.uk/ieIssueDetails.aspx?IId=100539&PlanId=0&Opt=3")
R22 = "https://moderngov.harrow.gov.uk/mgDecisionDetails.aspx?IId=104825&Opt=1"
R23 = "https://moderngov.harrow.gov.uk/ieDecisionDetails.aspx?Id=62970"
F23 = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=131853"
F24 = ("https://moderngov.harrow.gov.uk/(S(1bwain55pptpzair2v30wdir))/ieDecisionDetails.aspx?AIId=134451 ; "
       "https://harrowonline.org/2024/02/23/harrow-council-unveils-budget-no-direct-cuts-to-frontline-"
       "services-but-tax-hike-looms/")
R25 = ("http://talk.harrow.gov.uk/budgetconsultation2025-26 ; "
       "https://talk.harrow.gov.uk/budgetconsultation2025-26/widgets/110459/faqs")
R26 = ("http://opencouncil.network/meetings/91345 ; "
       "https://talk.harrow.gov.uk/budgetconsultation2026-27/faqs")
FF26 = "https://capitalpost.uk/politics/local-councils/harrow-council-faces-96m-deficit-despite-funding-rise.html"

BAL = "balanced"
IN_ROUND_YEAR = "The year is the budget year of the round (the source does not repeat it)."


def _round(name: str, date: str, source: str, trust: str, figures: list[tuple]) -> list[Figure]:
    """Figures of one budget round: (ref, year, area, figure, amount, unit, quote, extras...)."""
    out = []
    for ref, year, area, figure, amount, unit, quote, *extra in figures:
        options = dict(extra[0]) if extra else {}
        out.append(Figure(ref=ref, year=year, area=area, figure=figure, amount=amount, unit=unit,
                          quote=quote, source=options.pop("source", source),
                          trust=options.pop("trust", trust), round=name, round_date=date, **options))
    return out


MTFS_2014_GAP = ("the reported budget gap was £24.740m and £20.765m for 2015/16 and 2016/17 "
                 "respectively")
ROUND_FIGURES: list[Figure] = [
    *_round("MTFS 2014/15 to 2016/17", "February 2014", f"{S000} 299", "", [
        ("M14-1", "2015/16", WHOLE, "Budget gap", "24.740", "£m", MTFS_2014_GAP, {"part_of": "M14-9"}),
        ("M14-2", "2016/17", WHOLE, "Budget gap", "20.765", "£m", MTFS_2014_GAP, {"part_of": "M14-9"}),
        ("M14-3", "2014/15", WHOLE, "Government grant reduction", "9.5", "£m",
         "significant reduction in central government grant funding for 2014/15 of £9.5m (18%)",
         {"source": f"{S000} 301", "part_of": "M14-6"}),
        ("M14-4", "2015/16", WHOLE, "Government grant reduction", "11.9", "£m",
         "the MTFS assumes a reduction of £11.9m (28.1%) in 2015/16 and £10m (32.6%) in 2016/17",
         {"source": f"{S000} 301", "part_of": "M14-6"}),
        ("M14-5", "2016/17", WHOLE, "Government grant reduction", "10", "£m",
         "the MTFS assumes a reduction of £11.9m (28.1%) in 2015/16 and £10m (32.6%) in 2016/17",
         {"source": f"{S000} 301", "part_of": "M14-6"}),
        ("M14-6", "2014/15 to 2016/17", WHOLE, "Government grant reduction", "31.4", "£m",
         "a total of £31.4m of grant cuts will impact on the Council between 2014/15 and 2016/17",
         {"source": f"{S000} 301"}),
        ("M14-7", "2017/18", WHOLE, "Budget gap", "15", "£m",
         "Assuming a further budget gap of £15m per annum for 2017/18 and 2018/19",
         {"source": f"{S000} 301", "qualifier": "assumed", "part_of": "M14-9"}),
        ("M14-8", "2018/19", WHOLE, "Budget gap", "15", "£m",
         "Assuming a further budget gap of £15m per annum for 2017/18 and 2018/19",
         {"source": f"{S000} 301", "qualifier": "assumed", "part_of": "M14-9"}),
        ("M14-9", "2015/16 to 2018/19", WHOLE, "Budget gap", "75", "£m",
         "the total estimated budget gap for the four year period 2015/16 to 2018/19 is £75m",
         {"source": f"{S000} 301"}),
    ]),
    *_round("Draft 2017/18", "Cabinet 9 Dec 2016", R17, "A", [
        ("D17-1", "2017/18", WHOLE, "Budget gap", "0", "£m", "balanced budget position for 2017/18",
         {"qualifier": BAL}),
        ("D17-2", "2018/19", WHOLE, "Budget gap", "0", "£m",
         "the balanced budget for 2018/19, subject to £6.978m of proposals being developed",
         {"qualifier": BAL, "note": "Balanced subject to £6.978m of proposals being developed (D17-3)."}),
        ("D17-3", "2018/19", WHOLE, "Savings proposals being developed", "6.978", "£m",
         "the balanced budget for 2018/19, subject to £6.978m of proposals being developed"),
        ("D17-4", "2019/20", WHOLE, "Budget gap", "9.661", "£m", "the gap of £9.661m for 2019/20"),
        ("D17-5", "2017/18", WHOLE, "Council tax rise (core)", "1.99", "%",
         "council tax +1.99% plus 2.0% adult social care precept"),
        ("D17-6", "2017/18", WHOLE, "Adult social care precept", "2.0", "%",
         "council tax +1.99% plus 2.0% adult social care precept"),
    ]),
    *_round("Consultation 2017/18", "", C17, "B", [
        ("C17-1", "2017/18", WHOLE, "Gross budget", "560", "£m", "gross budget £560m",
         {"note": IN_ROUND_YEAR}),
        ("C17-2", "2017/18", WHOLE, "Controllable budget", "165", "£m", "about £165m controllable",
         {"qualifier": "about", "note": IN_ROUND_YEAR}),
    ]),
    *_round("Draft 2018/19", "Cabinet 7 Dec 2017", R18, "A", [
        ("D18-1", "2018/19", WHOLE, "Budget gap", "0", "£m", "balanced forecast", {"qualifier": BAL}),
        ("D18-2", "2019/20 to 2020/21", WHOLE, "Budget gap", "27", "£m",
         "budget gap of approximately £27m over the two years 2019/20 and 2020/21",
         {"qualifier": "approximately"}),
        ("D18-3", "2013/14", WHOLE, "Government grant", "52.1", "£m",
         "reduced from £52.1m in 2013/14 to £1.5m in 2019.20"),
        ("D18-4", "2019/20", WHOLE, "Government grant", "1.5", "£m",
         "reduced from £52.1m in 2013/14 to £1.5m in 2019.20",
         {"note": "The source prints the year as '2019.20'."}),
        ("D18-5", "2018/19", WHOLE, "Savings", "2", "£m",
         "2018/19 savings £2m, incl. £1,242,000 adults and £91,000 children"),
        ("D18-6", "2018/19", "Adults", "Savings", "1,242,000", "£",
         "2018/19 savings £2m, incl. £1,242,000 adults and £91,000 children",
         {"note": "Included in the £2m (D18-5), which has other parts not published."}),
        ("D18-7", "2018/19", "Children", "Savings", "91,000", "£",
         "2018/19 savings £2m, incl. £1,242,000 adults and £91,000 children",
         {"note": "Included in the £2m (D18-5), which has other parts not published."}),
        ("D18-8", "2018/19", "Children's services", "Growth", "2", "£m",
         "growth £2m children's, £5.8m adult care, £275,000 public health"),
        ("D18-9", "2018/19", "Adult care", "Growth", "5.8", "£m",
         "growth £2m children's, £5.8m adult care, £275,000 public health"),
        ("D18-10", "2018/19", "Public health", "Growth", "275,000", "£",
         "growth £2m children's, £5.8m adult care, £275,000 public health"),
        ("D18-11", "2018/19", WHOLE, "Council tax rise (core)", "1.99", "%",
         "1.99% council tax + 1.5% ASC precept"),
        ("D18-12", "2018/19", WHOLE, "Adult social care precept", "1.5", "%",
         "1.99% council tax + 1.5% ASC precept"),
    ]),
    *_round("Consultation 2018/19", "", C18, "B", [
        ("C18-1", "2013/14", WHOLE, "Revenue Support Grant", "53", "£m",
         "from £53m in 2013/14 to £1.6m by 2019/20",
         {"note": "Differs from the £52.1m / £1.5m of the Draft 2018/19 round (D18-3, D18-4)."}),
        ("C18-2", "2019/20", WHOLE, "Revenue Support Grant", "1.6", "£m",
         "from £53m in 2013/14 to £1.6m by 2019/20"),
        ("C18-3", "2015/16 to 2020/21", WHOLE, "Pressures", "125", "£m", "£125m of pressures"),
        ("C18-4", "2018/19", WHOLE, "Gross budget", "558", "£m", "gross budget £558m",
         {"note": IN_ROUND_YEAR}),
        ("C18-5", "2018/19", WHOLE, "Controllable budget", "168", "£m", "about £168m controllable",
         {"qualifier": "about", "note": IN_ROUND_YEAR}),
    ]),
    *_round("Final 2018/19", "Feb 2018", F18, "B/C", [
        ("F18-1", "2018/19", WHOLE, "Savings", "7.4", "£m", "£7.4 million savings",
         {"note": IN_ROUND_YEAR}),
        ("F18-2", "2018/19", WHOLE, "Council tax rise (core)", "2.99", "%",
         "council tax +2.99% + 0.5% ASC precept", {"note": IN_ROUND_YEAR}),
        ("F18-3", "2018/19", WHOLE, "Adult social care precept", "0.5", "%",
         "council tax +2.99% + 0.5% ASC precept", {"note": IN_ROUND_YEAR}),
        ("F18-4", "2018/19", WHOLE, "Growth (new spending)", "9", "£m", "£9 million new spending",
         {"note": IN_ROUND_YEAR}),
        ("F18-5", "2018/19", "Children's services", "Growth (new spending)", "3", "£m",
         "almost £3m children's", {"qualifier": "almost", "note": IN_ROUND_YEAR}),
        ("F18-6", "2018/19", "Adults", "Growth (new spending)", "6", "£m", "nearly £6m adults",
         {"qualifier": "nearly", "note": IN_ROUND_YEAR}),
    ]),
    *_round("Draft 2019/20", "Dec 2018", R19, "C", [
        ("D19-1", "2019/20", WHOLE, "Budget gap", "0", "£m", "balanced", {"qualifier": BAL}),
        ("D19-2", "2019/20", WHOLE, "Savings", "3.7", "£m", "savings £3.7 million"),
        ("D19-3", "2019/20", WHOLE, "Council tax rise (total)", "4.99", "%", "council tax +4.99%"),
        ("D19-4", "2020/21 to 2021/22", WHOLE, "Budget gap", "23", "£m",
         "projected funding gap of almost £23 million across 2020-2022",
         {"qualifier": "almost",
          "note": "The source says '2020-2022'; read as the two years after 2019/20."}),
    ]),
    *_round("Draft 2020/21", "Cabinet Dec 2019 (decision dated 10/01/2020)", R20, "A", [
        ("D20-1", "2020/21", WHOLE, "Budget gap", "0", "£m",
         "balanced budget position for 2020/21", {"qualifier": BAL}),
        ("D20-2", "2021/22", WHOLE, "Budget gap", "15.328", "£m",
         "the budget gaps of £15.328m and £8.924m for 2021/22 and 2022/23"),
        ("D20-3", "2022/23", WHOLE, "Budget gap", "8.924", "£m",
         "the budget gaps of £15.328m and £8.924m for 2021/22 and 2022/23"),
        ("D20-4", "2020/21", WHOLE, "Council tax rise (total)", "3.99", "%", "total council tax +3.99%"),
    ]),
    *_round("Final 2020/21", "Feb 2020", F20, "C", [
        ("F20-1", "2020/21", WHOLE, "Savings", "3.8", "£m", "about £3.8 million savings",
         {"qualifier": "about", "note": IN_ROUND_YEAR}),
        ("F20-2", "2021/22", WHOLE, "Budget gap", "15", "£m",
         "roughly £15 million and £9 million for 2021/22 and 2022/23", {"qualifier": "roughly"}),
        ("F20-3", "2022/23", WHOLE, "Budget gap", "9", "£m",
         "roughly £15 million and £9 million for 2021/22 and 2022/23", {"qualifier": "roughly"}),
    ]),
    *_round("Draft 2021/22", "Dec 2020", R21, "A", [
        ("D21-1", "2021/22", WHOLE, "Budget gap", "0", "£m", "balanced budget position for 2021/22",
         {"qualifier": BAL}),
        ("D21-2", "2022/23", WHOLE, "Budget gap", "25.754", "£m",
         "the budget gaps of £25.754m and £5.098m for 2022/23 and 2023/24"),
        ("D21-3", "2023/24", WHOLE, "Budget gap", "5.098", "£m",
         "the budget gaps of £25.754m and £5.098m for 2022/23 and 2023/24"),
        ("D21-4", "2021/22", WHOLE, "Council tax rise (total)", "4.99", "%",
         "council tax 4.99% in 2021/22 (3.0% ASC) and 1.99% in 2022/23"),
        ("D21-5", "2021/22", WHOLE, "Adult social care precept", "3.0", "%",
         "council tax 4.99% in 2021/22 (3.0% ASC) and 1.99% in 2022/23",
         {"note": "Part of the 4.99% total rise (D21-4)."}),
        ("D21-6", "2022/23", WHOLE, "Council tax rise (total)", "1.99", "%",
         "council tax 4.99% in 2021/22 (3.0% ASC) and 1.99% in 2022/23"),
        ("D21-7", "2021/22", WHOLE, "Use of reserves", "6", "£m",
         "£6 million of reserves used to \"plug\" the gap", {"note": IN_ROUND_YEAR}),
    ]),
    *_round("Draft 2022/23", "Cabinet 10/12/2021", R22, "A", [
        ("D22-1", "2022/23", WHOLE, "Budget gap", "0", "£m", "balanced budget position for 2022/23",
         {"qualifier": BAL}),
        ("D22-2", "2023/24", WHOLE, "Budget gap", "14.847", "£m",
         "the estimated budget gap of £14.847m for 2023/24"),
        ("D22-3", "2024/25", WHOLE, "Budget gap", "0", "£m",
         "an estimated balanced budget for 2024/25", {"qualifier": BAL}),
        ("D22-4", "2022/23", WHOLE, "Use of reserves", "15.7", "£m",
         "use of £15.7m Budget Planning Reserve",
         {"note": "The source does not say over which years the reserve is used; recorded "
                  "against the round's budget year."}),
        ("D22-5", "2022/23", WHOLE, "Council tax rise (core)", "1.99", "%",
         "1.99% core + 1% ASC a year"),
        ("D22-6", "2022/23", WHOLE, "Adult social care precept", "1", "%", "1.99% core + 1% ASC a year"),
    ]),
    *_round("Draft 2023/24", "Dec 2022", R23, "A", [
        ("D23-1", "2023/24", WHOLE, "Budget gap", "10.923", "£m",
         "estimated budget gap of £10.923m for 2023/24, £0m for 2024/25 and £10.964m for 2025/26"),
        ("D23-2", "2024/25", WHOLE, "Budget gap", "0", "£m",
         "estimated budget gap of £10.923m for 2023/24, £0m for 2024/25 and £10.964m for 2025/26"),
        ("D23-3", "2025/26", WHOLE, "Budget gap", "10.964", "£m",
         "estimated budget gap of £10.923m for 2023/24, £0m for 2024/25 and £10.964m for 2025/26"),
    ]),
    *_round("Final 2023/24", "Cabinet 16 Feb 2023", F23, "A", [
        ("F23-1", "2023/24", WHOLE, "Budget gap", "0", "£m", "balanced 2023/24 and 2024/25",
         {"qualifier": BAL}),
        ("F23-2", "2024/25", WHOLE, "Budget gap", "0", "£m", "balanced 2023/24 and 2024/25",
         {"qualifier": BAL}),
        ("F23-3", "2025/26", WHOLE, "Budget gap", "", "£m",
         "estimated budget gap of £6.321m to £13.143m for 2025/26", {"low": "6.321", "high": "13.143"}),
        ("F23-4", "2023/24", WHOLE, "Contingency", "1.248", "£m",
         "contingency for unforeseen items £1.248m", {"note": IN_ROUND_YEAR}),
    ]),
    *_round("Final 2024/25", "Feb 2024", F24, "A/C", [
        ("F24-1", "2024/25", WHOLE, "Budget gap", "0", "£m", "the balanced budget position for 2024/25",
         {"qualifier": BAL}),
        ("F24-2", "2025/26", WHOLE, "Budget gap", "10.880", "£m",
         "the estimated budget gap of £10.880m and £6.732m for 2025/26 and 2026/27"),
        ("F24-3", "2026/27", WHOLE, "Budget gap", "6.732", "£m",
         "the estimated budget gap of £10.880m and £6.732m for 2025/26 and 2026/27"),
        ("F24-4", "2024/25", WHOLE, "Council tax rise (core)", "2.99", "%", "2.99% core + 2% ASC"),
        ("F24-5", "2024/25", WHOLE, "Adult social care precept", "2", "%", "2.99% core + 2% ASC"),
        ("F24-6", "2024/25", WHOLE, "Use of reserves", "5.8", "£m", "£5.8m of earmarked reserves used"),
    ]),
    *_round("Draft 2025/26", "Dec 2024", R25, "B", [
        ("D25-1", "2025/26 to 2027/28", WHOLE, "Savings", "8.7", "£m",
         "save a further £8.7m over the next three years"),
        ("D25-2", "2024/25", WHOLE, "Net spend", "203", "£m",
         "2024/25 spend £203m, of which £162m from council tax"),
        ("D25-3", "2024/25", WHOLE, "Council tax income", "162", "£m",
         "2024/25 spend £203m, of which £162m from council tax"),
        ("D25-4", "2024/25", WHOLE, "Council tax rise (total)", "4.99", "%",
         "2024/25 council tax +4.99% gave an extra £8.2m"),
        ("D25-5", "2024/25", WHOLE, "Extra council tax from the rise", "8.2", "£m",
         "2024/25 council tax +4.99% gave an extra £8.2m"),
    ]),
    *_round("Draft 2026/27", "Dec 2025 / Jan 2026", R26, "C/B", [
        ("D26-1", "2026/27", WHOLE, "Budget gap", "17.061", "£m",
         "£17.061m for 2026/27, £8.153m for 2027/28, and £7.325m for 2028/29"),
        ("D26-2", "2027/28", WHOLE, "Budget gap", "8.153", "£m",
         "£17.061m for 2026/27, £8.153m for 2027/28, and £7.325m for 2028/29"),
        ("D26-3", "2028/29", WHOLE, "Budget gap", "7.325", "£m",
         "£17.061m for 2026/27, £8.153m for 2027/28, and £7.325m for 2028/29"),
        ("D26-4", "2026/27", WHOLE, "Council tax rise (core)", "2.99", "%", "2.99% core + 2% ASC each year"),
        ("D26-5", "2026/27", WHOLE, "Adult social care precept", "2", "%", "2.99% core + 2% ASC each year"),
    ]),
    *_round("Draft 2026/27, after the Fair Funding settlement", "", FF26, "C", [
        ("D26F-1", "not stated", WHOLE, "Projected deficit", "9.6", "£m", "projected deficit £9.6m",
         {"note": "The source does not say which year; down from about £32.5m before the settlement."}),
        ("D26F-2", "2026/27", "Adult social care", "Pressures", "14.2", "£m",
         "pressures of £14.2m (adult social care) and £12.1m (TA) in 2026/27"),
        ("D26F-3", "2026/27", "Temporary accommodation", "Pressures", "12.1", "£m",
         "pressures of £14.2m (adult social care) and £12.1m (TA) in 2026/27"),
    ]),
]

CT_SOURCE = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=134225"
NDR_SOURCE = "https://moderngov.harrow.gov.uk/ieDecisionDetails.aspx?AIId=133124"
FUNDING_FIGURES: list[Figure] = [
    Figure("CT-1", "2022/23", WHOLE, "Council tax receipts", "173947", "£000",
           "Harrow 173947 (£ thousands)",
           "FemShow/ct-receipts ct-receipts-result.csv (DLUHC council tax receipts live table)", "A",
           note="Receipts collected in 2022-23 for 2022-23."),
    Figure("CT-2", "2023/24", WHOLE, "Net revenue budget", "196.3", "£m",
           "about 78% of the £196.3m net revenue budget was funded from council tax", CT_SOURCE, "A"),
    Figure("CT-3", "2022/23", WHOLE, "Council tax income", "146.2", "£m",
           "taking council tax income from £146.2m to £154.0m", CT_SOURCE, "A"),
    Figure("CT-4", "2023/24", WHOLE, "Council tax income", "154.0", "£m",
           "taking council tax income from £146.2m to £154.0m", CT_SOURCE, "A"),
    Figure("CT-5", "2023/24", WHOLE, "Council tax rise (total)", "4.99", "%",
           "The 4.99% rise raised £7.8m", CT_SOURCE, "A"),
    Figure("CT-6", "2023/24", WHOLE, "Extra council tax from the rise", "7.8", "£m",
           "The 4.99% rise raised £7.8m", CT_SOURCE, "A",
           note="The rise and growth in the tax base together take income from £146.2m to £154.0m."),
    Figure("NDR-1", "2024/25", WHOLE, "Projected NDR income", "44.071", "£m", "Projected NDR income 44.071",
           NDR_SOURCE, "A", part_of="NDR-4"),
    Figure("NDR-2", "2024/25", WHOLE, "DLUHC 33% central share", "(14.544)", "£m",
           "less DLUHC 33% central share (14.544)", NDR_SOURCE, "A", part_of="NDR-4"),
    Figure("NDR-3", "2024/25", WHOLE, "GLA 37% share", "(16.306)", "£m", "less GLA 37% (16.306)",
           NDR_SOURCE, "A", part_of="NDR-4"),
    Figure("NDR-4", "2024/25", WHOLE, "Business rates retained by Harrow (30%)", "13.221", "£m",
           "retained by Harrow (30%) 13.221", NDR_SOURCE, "A", part_of="NDR-6"),
    Figure("NDR-5", "2024/25", WHOLE, "Section 31 grant", "5.220", "£m", "add Section 31 grant 5.220",
           NDR_SOURCE, "A", part_of="NDR-6"),
    Figure("NDR-6", "2024/25", WHOLE, "Business rates total", "18.441", "£m", "total 18.441", NDR_SOURCE, "A"),
]

M16 = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=105791"
M17 = "https://harrowmonitoringgroup.com/2018/03/07/council-budget-debate-goes-on/"
M18 = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=114026"
P18 = "http://www.hillingdontimes.co.uk/news/16352922.harrow-council-overspending-on-adult-services/"
M21 = "https://moderngov.harrow.gov.uk/mgAi.aspx?ID=128405"
M24 = "https://londonlocal.news/stories/1657"
MAY18 = "31 May 2018"
GF_CAP, HRA_CAP, REVENUE = "General Fund capital", "HRA capital", "Revenue (General Fund)"
GF_QUOTE = ("General fund capital: budget £113.725m; forecast £62.349m (55%); variance £51.376m = "
            "slippage £46.680m + underspend £4.696m")
HRA_QUOTE = ("HRA capital: budget £102.645m; forecast £40.678m (40%); variance £61.967m = "
             "slippage £60.950m + net underspend £1.017m")
HOMELESS_QUOTE = ("Homelessness overspend £7.496m, offset by (£936k) Property Acquisition Programme "
                  "income, (£121k) other housing, and (£490k) grant. This gives a budget pressure of "
                  "£5.949m")
UNDER = "Underspends are negative (in brackets), as variance = forecast outturn - budget."

MONITORING_FIGURES: list[Figure] = [
    Figure("Q16-1", "2016/17", WHOLE, "Savings", "17", "£m", "£17m savings for the year", M16, "A",
           period="Q2 2016/17"),
    Figure("Q16-2", "2015/16", "Homelessness", "Forecast outturn", "2", "£m",
           "a \"£2m forecast for homelessness\" outturn in the prior year", M16, "A", period="Outturn",
           note="The summary does not say whether the £2m is spend or overspend."),
    Figure("Q16-3", "2016/17", "Capital programme", "Forecast as % of programme", "66", "%",
           "capital forecast at Q2 was 66% of the programme", M16, "A", period="Q2 2016/17"),
    Figure("Q17-1", "2017/18", WHOLE, "Use of reserves", "2.815", "£m",
           "a draw down from reserves of £2.815m", M17, "C", period="Q3 2017/18"),
    Figure("Q18-1", "2018/19", "Adult Services", "Forecast variance", "2.521", "£m",
           "Adult Services projected overspend \"£2.521 vs £2.072 previously\"", M18, "A", period=MAY18,
           note="The source prints no unit; £m, as the press report of 'more than £2.5 million' shows."),
    Figure("Q18-2", "2018/19", "Adult Services", "Previous forecast variance", "2.072", "£m",
           "Adult Services projected overspend \"£2.521 vs £2.072 previously\"", M18, "A", period=MAY18),
    Figure("Q18-3", "2018/19", "Corporate budgets and additional income", "Forecast variance", "(7.476)",
           "£m", "Underspends of \"£7.476M\" in corporate budgets and additional income", M18, "A",
           period=MAY18, note=UNDER),
    Figure("Q18-4", "2018/19", WHOLE, "Forecast variance", "1.7", "£m",
           "overspend of almost £1.7 million just two months into the new cycle", P18, "C",
           period=MAY18, qualifier="almost"),
    Figure("Q18-5", "2018/19", WHOLE, "Savings", "9", "£m",
           "Savings: three-quarters of £9 million on track", P18, "C", period=MAY18),
    Figure("Q18-6", "2018/19", WHOLE, "Savings at high risk", "950,000", "£",
           "\"nearly £950,000\" high risk", P18, "C", period=MAY18, qualifier="nearly"),
    Figure("Q21-1", "2021/22", REVENUE, "Revenue budget", "179.441", "£m",
           "Revenue budget £179.441m; forecast underspend of £776k", M21, "A", period="Q3 2021/22"),
    Figure("Q21-2", "2021/22", REVENUE, "Forecast variance", "(776)", "£000",
           "Revenue budget £179.441m; forecast underspend of £776k", M21, "A", period="Q3 2021/22",
           note=UNDER),
    Figure("Q21-3", "2021/22", GF_CAP, "Capital budget", "113.725", "£m", GF_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-4", "2021/22", GF_CAP, "Forecast outturn", "62.349", "£m", GF_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-5", "2021/22", GF_CAP, "Forecast as % of budget", "55", "%", GF_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-6", "2021/22", GF_CAP, "Forecast variance", "(51.376)", "£m", GF_QUOTE, M21, "A",
           period="Q3 2021/22", note=UNDER),
    Figure("Q21-7", "2021/22", GF_CAP, "Slippage", "(46.680)", "£m", GF_QUOTE, M21, "A",
           period="Q3 2021/22", part_of="Q21-6", note=UNDER),
    Figure("Q21-8", "2021/22", GF_CAP, "Underspend", "(4.696)", "£m", GF_QUOTE, M21, "A",
           period="Q3 2021/22", part_of="Q21-6", note=UNDER),
    Figure("Q21-9", "2021/22", HRA_CAP, "Capital budget", "102.645", "£m", HRA_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-10", "2021/22", HRA_CAP, "Forecast outturn", "40.678", "£m", HRA_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-11", "2021/22", HRA_CAP, "Forecast as % of budget", "40", "%", HRA_QUOTE, M21, "A",
           period="Q3 2021/22"),
    Figure("Q21-12", "2021/22", HRA_CAP, "Forecast variance", "(61.967)", "£m", HRA_QUOTE, M21, "A",
           period="Q3 2021/22", note=UNDER),
    Figure("Q21-13", "2021/22", HRA_CAP, "Slippage", "(60.950)", "£m", HRA_QUOTE, M21, "A",
           period="Q3 2021/22", part_of="Q21-12", note=UNDER),
    Figure("Q21-14", "2021/22", HRA_CAP, "Net underspend", "(1.017)", "£m", HRA_QUOTE, M21, "A",
           period="Q3 2021/22", part_of="Q21-12", note=UNDER),
    Figure("Q24-1", "2024/25", "Homelessness", "Overspend", "7.496", "£m", HOMELESS_QUOTE, M24, "C",
           period="Outturn", part_of="Q24-5"),
    Figure("Q24-2", "2024/25", "Homelessness", "Property Acquisition Programme income", "(936)", "£000",
           HOMELESS_QUOTE, M24, "C", period="Outturn", part_of="Q24-5"),
    Figure("Q24-3", "2024/25", "Homelessness", "Other housing", "(121)", "£000", HOMELESS_QUOTE, M24, "C",
           period="Outturn", part_of="Q24-5"),
    Figure("Q24-4", "2024/25", "Homelessness", "Grant", "(490)", "£000", HOMELESS_QUOTE, M24, "C",
           period="Outturn", part_of="Q24-5"),
    Figure("Q24-5", "2024/25", "Homelessness", "Budget pressure", "5.949", "£m", HOMELESS_QUOTE, M24, "C",
           period="Outturn"),
    Figure("Q24-6", "2024/25", "Temporary accommodation", "TA Demand Fund", "7", "£m",
           "TA Demand Fund raised by £3m to £7m", M24, "C", period="Outturn"),
]

_AMOUNT = re.compile(r"^\(?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\)?$")


def amount_cell(text: str) -> tuple[float | int | None, str]:
    """A printed amount ("24.740", "(776)", "1,242,000") as a signed number and a format showing it."""
    if text == "":
        return None, "General"
    match = _AMOUNT.match(text)
    if not match:
        raise SystemExit(f"not an amount: {text!r}")
    places = len(match.group(2) or "")
    number = Decimal(text.strip("()").replace(",", "")) * (-1 if text.startswith("(") else 1)
    body = ("#,##0" if "," in text else "0") + ("." + "0" * places if places else "")
    return (float(number) if places else int(number)), f"{body};({body})"


def _source_text(figure: Figure, real_figures: str, seed_000: list[str]) -> str:
    if figure.source.startswith("seed "):
        return seed_000[int(figure.source.rsplit(" ", 1)[1]) - 1]
    return real_figures


def check_quotes(figures: Sequence[Figure], real_figures: str, seed_000: list[str]) -> None:
    """Every quote must be in its source text and hold the figure's number (stops the build if not)."""
    for figure in figures:
        text = " ".join(_source_text(figure, real_figures, seed_000).split())
        if " ".join(figure.quote.split()) not in text:
            raise SystemExit(f"{figure.ref}: quote not found in its source: {figure.quote!r}")
        for number in (figure.amount, figure.low, figure.high):
            digits = number.strip("()")
            if digits and digits != "0" and digits not in figure.quote:
                raise SystemExit(f"{figure.ref}: {digits!r} is not in the quote {figure.quote!r}")


FIGURE_WIDTHS = {"A": 8, "B": 24, "C": 22, "D": 18, "E": 14, "F": 24, "G": 30, "H": 12, "I": 10, "J": 10,
                 "K": 7, "L": 12, "M": 60, "N": 50, "O": 7, "P": 8, "Q": 50}


def figures_sheet(name: str, lines: Sequence[str], figures: Sequence[Figure]) -> Sheet:
    """One row per published figure under a bold header; amounts as numbers, the rest as text."""
    header_row = len(lines) + 2
    cells = titles(lines)
    cells += [Cell(header_row, col, column, font=BOLD, border=HEADER_BORDER)
              for col, column in enumerate(FIGURE_COLUMNS, start=1)]
    for row, figure in enumerate(figures, start=header_row + 1):
        values = {
            "Ref": figure.ref, "Budget round": figure.round, "Round date": figure.round_date,
            "Year": figure.year, "Period": figure.period, "Area": figure.area, "Figure": figure.figure,
            "Unit": figure.unit, "Qualifier": figure.qualifier, "As published": figure.quote,
            "Source": figure.source, "Trust": figure.trust, "Part of": figure.part_of, "Note": figure.note,
            "Amount": figure.amount, "Low": figure.low, "High": figure.high,
        }
        for col, column in enumerate(FIGURE_COLUMNS, start=1):
            value, number_format = (amount_cell(values[column]) if column in ("Amount", "Low", "High")
                                    else (values[column] or None, "@"))
            if value is not None:
                cells.append(Cell(row, col, value, number_format))
    return Sheet(name, tuple(cells), FIGURE_WIDTHS, freeze=(header_row + 1, 2))


SIGNS = ("Amounts are as published, in the unit of each row. Gaps, overspends and costs are positive; "
         "underspends, income and deductions are in brackets.")


# ---------------------------------------------------------------------------------------------
# Illustrative quarterly monitoring by directorate (MADE-UP figures)
# ---------------------------------------------------------------------------------------------

ILLUSTRATIVE_TITLE = ("ILLUSTRATIVE revenue budget monitoring 2004-05, {quarter}: made-up figures to "
                      "demonstrate the analysis, not Harrow Council's figures")
MONITORING_HEADER = ("Directorate", "Original Budget", "Latest Budget", "Previous Forecast Outturn",
                     "Latest Forecast Outturn", "Variance", "Variance %")
MONITORING_UNITS = ("", "£000", "£000", "£000", "£000", "£000", "%")
# Directorates as named in seed 001; every number below is invented (GBP 000).
ILLUSTRATIVE_ORIGINAL = {
    "Corporate": 4_000, "Business Connections": 9_000, "Organisational Development": 2_500,
    "Chief Executive's Office": 800, "People First": 200_000, "Urban Living": 45_000,
}
# A virement from Corporate to People First from Q2 on (budgets move, the total does not).
ILLUSTRATIVE_VIREMENT = {"Corporate": -500, "People First": 500}
ILLUSTRATIVE_VARIANCE = {  # forecast variance by quarter, chosen to show every RAG rating
    "Corporate": (0, -50, -120, -150),
    "Business Connections": (100, 150, 250, 300),
    "Organisational Development": (20, 40, 60, 45),
    "Chief Executive's Office": (0, 0, -10, -20),
    "People First": (400, 900, 1_400, 1_250),
    "Urban Living": (-200, 300, 700, 600),
}
AMOUNT_FORMAT = '#,##0;(#,##0);"-"'
PERCENT_FORMAT = '0.0%;(0.0%);"-"'


def illustrative_rows(quarter: int) -> list[tuple[str, int, int, int | None, int, int, float]]:
    """(directorate, original, latest, previous forecast, latest forecast, variance, variance fraction)."""
    rows = []
    for name, original in ILLUSTRATIVE_ORIGINAL.items():
        def latest(q: int, name=name, original=original) -> int:
            return original + (ILLUSTRATIVE_VIREMENT.get(name, 0) if q >= 2 else 0)

        variance = ILLUSTRATIVE_VARIANCE[name][quarter - 1]
        forecast = latest(quarter) + variance
        previous = latest(quarter - 1) + ILLUSTRATIVE_VARIANCE[name][quarter - 2] if quarter > 1 else None
        rows.append((name, original, latest(quarter), previous, forecast, variance,
                     variance / latest(quarter)))
    return rows


def illustrative_sheet(quarter: int) -> Sheet:
    """One quarter's made-up monitoring: title, note, header and unit rows, directorates, a bold total."""
    cells = [Cell(1, 1, ILLUSTRATIVE_TITLE.format(quarter=f"Quarter {quarter}"), font=TITLE),
             Cell(2, 1, "Forecast outturn against budget by directorate, £000. Overspends are "
                        "positive, underspends in brackets.", font=ITALIC)]
    for col, (name, unit) in enumerate(zip(MONITORING_HEADER, MONITORING_UNITS, strict=True), start=1):
        cells.append(Cell(4, col, name, font=BOLD))
        if unit:
            cells.append(Cell(5, col, unit, font=BOLD))
        cells.append(Cell(5, col, border=HEADER_BORDER))
    rows = illustrative_rows(quarter)
    total = ("Total", *(sum(r[i] for r in rows) if rows[0][i] is not None else None for i in (1, 2, 3, 4, 5)))
    for row, (values, bold) in enumerate([*((r, False) for r in rows), ((*total, total[5] / total[2]), True)],
                                         start=6):
        cells += [Cell(row, col, value, None if col == 1 else PERCENT_FORMAT if col == len(values) else AMOUNT_FORMAT,
                       font=BOLD if bold else None)
                  for col, value in enumerate(values, start=1) if value is not None]
    return Sheet(f"Q{quarter} 2004-05", tuple(cells), {"A": 30, **{get_column_letter(col): 15 for col in range(2, 8)}})


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


def save_deterministic(workbook: Workbook, path: Path) -> None:
    """Save so that the same workbook always gives the same bytes (fixed document and zip times)."""
    save_workbook_reproducibly(workbook, path, FIXED_TIMESTAMP)


def build_all(out: Path = OUT) -> list[Path]:
    """Write the four budget workbooks into ``out``; return their paths."""
    real_figures = REAL_FIGURES.read_text("utf-8")
    seed_000 = SEED_000.read_text("utf-8").split("\n")
    check_quotes([*ROUND_FIGURES, *FUNDING_FIGURES, *MONITORING_FIGURES], real_figures, seed_000)
    workbooks = {  # file name: (sheets, document title, document description)
        BVPP_WORKBOOK: (
            [seed_sheet(table) for table in parse_seed_001(SEED_001.read_text("utf-8"))],
            "Harrow Council Best Value Performance Plan 2004/05: budget tables",
            f"Transcribed cell for cell from seed {SEED_001.name} (the Plan's text): Table 1 "
            "Medium Term Budget Strategy, the Analysis of the Change between financial years, "
            "and Sources of Income 2004/05. Real figures; see data/raw/SOURCES.md."),
        ROUNDS_WORKBOOK: (
            [figures_sheet("Budget gaps by round", (
                "Harrow Council: medium-term budget gaps and related figures, by budget round",
                "Published figures, one row per figure. Sources: seed 000 (Corporate Plan, MTFS 2014/15 to "
                "2016/17) and docs/sources/real-figures.md §3.1; trust grades as given there.",
                SIGNS), ROUND_FIGURES),
             figures_sheet("Council tax and business rates", (
                 "Harrow Council: council tax and business rates (published figures)",
                 "From docs/sources/real-figures.md §2.1 (grade A sources).", SIGNS), FUNDING_FIGURES)],
            "Harrow Council budget gaps by budget round (published figures)",
            "One row per published figure with its budget round, source passage, URL and trust "
            "grade, from seed 000 and docs/sources/real-figures.md §3.1 and §2.1. Real figures."),
        MONITORING_WORKBOOK: (
            [figures_sheet("In-year monitoring", (
                "Harrow Council: in-year budget monitoring (published figures)",
                "From docs/sources/real-figures.md §3.2; trust grades as given there (moderngov decision "
                "records are grade A).", SIGNS), MONITORING_FIGURES)],
            "Harrow Council in-year budget monitoring (published figures)",
            "One row per published in-year monitoring figure with its source passage, URL and trust "
            "grade, from docs/sources/real-figures.md §3.2. Real figures."),
        ILLUSTRATIVE_WORKBOOK: (
            [illustrative_sheet(quarter) for quarter in range(1, 5)],
            "ILLUSTRATIVE in-year budget monitoring 2004-05 (made-up figures)",
            "Made-up quarterly monitoring figures for the directorates of seed 001, to demonstrate "
            "the variance analysis. Not Harrow Council's figures; never mix with real figures."),
    }
    paths = []
    for name, (sheets, title, description) in workbooks.items():
        save_deterministic(write_workbook(sheets, title, description), out / name)
        paths.append(out / name)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the workbooks to")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

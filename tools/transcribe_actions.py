"""Transcribe the plan actions of seeds 003 and 002, and seed 003's commentary, into action-plan workbooks.

- Seed 003 (Strategic Performance Report, Q2 2016/17): under each "Corporate Priority: <theme>", the
  Action | Progress table of "Progress on specific actions set out in the Harrow Ambition Plan", and
  the "Summary of key challenges" (a heading and paragraphs of commentary per measure in the red).
  -> ``data/raw/actions/harrow_ambition_plan_2016-17_q2.xlsx`` (sheets "Actions" and "Commentary").
- Seed 002 (Council priorities 2011/12): under each priority, "Our Priority Actions are:" rows of
  a priority action, its Portfolio Holder and its "Measure" bullets (dated targets).
  -> ``data/raw/actions/harrow_priority_actions_2011-12.xlsx`` (sheet "Actions").
- Seed 004 (Harrow Ambition Plan progress, as at Quarter 2 2018/19): the Objective | What we will do |
  Progress so far table, split by the printed pages.
  -> ``data/raw/actions/harrow_ambition_plan_2018-19_q2.xlsx`` (sheet "Actions").

Nothing is retyped: every cell is taken from the seed text. HTML markup left in the seed by the PDF
extraction (``<p>``, ``<ul ...>``, ``<input type="checkbox"/>``) only separates lines; a row that
the printed page split in two is joined again. Where the seed gives no lead, due date or status the
cell stays empty. The judgement calls are in ``data/raw/SOURCES.md``. Re-running gives
byte-identical files.

Usage::

    .venv/bin/python tools/transcribe_actions.py [--seeds DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from harrowperf.foundation.errors import HarrowperfError
from harrowperf.present.exports import save_workbook_reproducibly

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SEED_003 = "003_405e00269b3432ab.txt"
SEED_002 = "002_2dfa10be0f04b10c.txt"
SEED_004 = "004_09b0ca965b5dee39.txt"
OUT = ROOT / "data" / "raw" / "actions"
AMBITION_PLAN = "harrow_ambition_plan_2016-17_q2.xlsx"
PRIORITY_ACTIONS = "harrow_priority_actions_2011-12.xlsx"
AMBITION_PLAN_2018 = "harrow_ambition_plan_2018-19_q2.xlsx"

FIXED_TIMESTAMP = dt.datetime(2017, 1, 1, 0, 0, 0)  # not a date from the seeds; keeps rebuilds identical
HEADER_GREY = "D9D9D9"

# ---------------------------------------------------------------------------------------------
# Seed 003
# ---------------------------------------------------------------------------------------------
PRIORITY_PREFIX = "Corporate Priority: "
ACTIONS_INTRO = "Progress on specific actions set out in the Harrow Ambition Plan is summarised below."
ACTIONS_HEADER = "Action\tProgress"
ACTIONS_END = "Performance Measures (see table following)"
CHALLENGES = "Summary of key challenges"
QUARTER_003 = "Q2 2016/17"

# Each "Summary of key challenges" heading as printed -> the scorecard measures (names exactly as the
# scorecard table of the same theme prints them, without their number) it is about.
COMMENTARY_MEASURES: dict[str, tuple[str, ...]] = {
    "Total number of households to whom we have accepted a full homelessness duty": (
        "Total number of households to whom we have accepted a full homelessness duty",),
    "Number of Harrow Landlords accredited through the London Landlord Accreditation scheme": (
        "Number of Harrow Landlords accredited through the London Landlord Accreditation scheme",),
    "Percentage of service users completing drug/alcohol treatment services": (
        "Percentage of service users completing drug/alcohol treatment services - opiate users",
        "Percentage of service users completing drug/alcohol treatment services - non-opiate users",
        "Percentage of service users completing drug/alcohol treatment services - alcohol users",
        "Percentage of service users completing drug/alcohol treatment services - non-opiate and alcohol users",
    ),
    "% of household waste recycled and composted": ("% of household waste recycled and composted",),
    "Proportion of disabled employees & top 5% of earners, who are disabled": (
        "Proportion of disabled employees (equalities measure)",
        "% top 5% of earners who are disabled (equalities measure)",
    ),
    "Proportion of Harrow Council employees aged less than 25": (
        "Proportion of Harrow Council employees aged less than 25 (equalities measure)",),
    "The percentage of existing staff & new starters who completed the mandatory Equality Matters training": (
        "% of new starters who completed the mandatory Equality Matters training (either face to face or "
        "E-Learning Module) within the first 8 weeks of their employment (equalities measure)",
        "% of staff who have completed the mandatory Equality Matters refresher training (either face to "
        "face or E-Learning Module) within the last two years (equalities measure)",
    ),
    "% of 3rd party contract spend placed with local organisations": (
        "% of 3rd party contract spend placed with local organisations",),
    "Customer enquiries that should not have been necessary": (
        "Customer enquiries that should not have been necessary (percentage)",),
    "Average speed to answer the telephone in Access Harrow & % of calls answered less than 600 seconds": (
        "Average speed to answer the telephone in Access Harrow (min:sec)",
        "% of calls answered >600 seconds",
    ),
    "Email traffic: % reduction of emails from previous year": (
        "Email traffic: % reduction of emails from previous year",),
    "Staff sickness": ("Staff sickness - average days per FTE excluding schools",),
    "Delayed Transfers of Care": ("Delayed Transfers of Care (with social care responsibility)",),
}

# Dated phrases that give an action's due date: the Due cell holds the first one, copied exactly.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DUE_PHRASE = re.compile(
    rf"\b(?:[Bb]y|[Bb]efore|in|from|throughout|to)\s+(?:end of\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)\s+)?(?:(?:{_MONTHS})\s+)?\d{{4}}(?:/\d{{2}})?\b"
)
_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = (".", "!", "?", ":", ";")


class SeedError(HarrowperfError):
    """The seed text is not laid out as this script expects."""


@dataclass(frozen=True)
class ActionRow:
    """One action of a plan, as it will be written (all text exactly from the seed)."""

    theme: str
    objective: str
    action: str
    lead: str
    due: str
    progress: str
    lines: tuple[int, ...]  # 1-based seed lines the row comes from


@dataclass(frozen=True)
class CommentaryRow:
    """One measure's commentary: the heading as printed and its paragraphs."""

    theme: str
    measure: str
    heading: str
    commentary: str
    lines: tuple[int, ...]


def fragments(cell: str) -> list[str]:
    """The text lines of one seed cell: HTML tags from the extraction separate lines and are dropped.

    >>> fragments('<p>Work includes:</p> <ul style="x"> - CCTV - plans')
    ['Work includes:', '- CCTV - plans']
    """
    return [part.strip() for part in _TAG.split(cell) if part.strip()]


def join_continued(text: str, more: str) -> str:
    """Join text that a page break split: a new line after a finished sentence, else a space."""
    if not text:
        return more
    if not more:
        return text
    return text + ("\n" if text.endswith(_SENTENCE_END) else " ") + more


def due_phrase(text: str) -> str:
    """The first dated phrase of an action ("by March 2012"), or "" when it gives no date."""
    match = DUE_PHRASE.search(text)
    return match.group(0) if match else ""


def parse_ambition_actions(lines: list[str], source: str = SEED_003) -> list[ActionRow]:
    """Every Action | Progress row of seed 003, with its theme (the "Corporate Priority: ..." heading)."""
    rows: list[ActionRow] = []
    starts = [i for i, line in enumerate(lines) if line.startswith(PRIORITY_PREFIX)]
    if len(starts) != 3:
        raise SeedError(f"expected three {PRIORITY_PREFIX!r} headings, found {len(starts)}", file=source)
    for start in starts:
        theme = lines[start][len(PRIORITY_PREFIX):].strip()
        intro = lines.index(ACTIONS_INTRO, start)
        end = lines.index(ACTIONS_END, intro)
        current: dict | None = None
        for number in range(intro + 1, end):
            line = lines[number]
            if not line.strip() or line == ACTIONS_HEADER:
                continue
            if line.count("\t") != 1:
                raise SeedError("an action line must have exactly one tab (Action, Progress)", file=source,
                                row=number + 1)
            action_cell, progress_cell = line.split("\t")
            action_parts, progress_parts = fragments(action_cell), fragments(progress_cell)
            # A row the printed page split: its action cell is empty or starts mid-sentence (lower case).
            continues = current is not None and (not action_parts or action_parts[0][0].islower())
            if not continues:
                if current is not None:
                    rows.append(_action_row(theme, current))
                current = {"action": "", "progress": "", "lines": []}
            for part in action_parts:
                current["action"] = join_continued(current["action"], part) if continues else \
                    "\n".join(filter(None, [current["action"], part]))
                continues = False
            for index, part in enumerate(progress_parts):
                current["progress"] = join_continued(current["progress"], part) if index == 0 else \
                    "\n".join([current["progress"], part])
            current["lines"].append(number + 1)
        if current is not None:
            rows.append(_action_row(theme, current))
    return rows


def _action_row(theme: str, row: dict) -> ActionRow:
    return ActionRow(theme=theme, objective="", action=row["action"], lead="", due=due_phrase(row["action"]),
                     progress=row["progress"], lines=tuple(row["lines"]))


def parse_challenges(lines: list[str], source: str = SEED_003) -> list[CommentaryRow]:
    """Every "Summary of key challenges" heading of seed 003 with its paragraphs, one row per measure."""
    rows: list[CommentaryRow] = []
    seen: set[str] = set()
    for start in (i for i, line in enumerate(lines) if line == CHALLENGES):
        theme_line = next(i for i in range(start, len(lines)) if lines[i] == "Corporate Scorecard 2016/17") - 2
        theme = lines[theme_line].strip()
        groups: list[tuple[str, list[str], list[int]]] = []  # heading, paragraphs, seed lines
        for number in range(start + 1, theme_line):
            text = lines[number].strip()
            if not text:
                continue
            if text in COMMENTARY_MEASURES:
                groups.append((text, [], [number + 1]))
                seen.add(text)
            elif not groups:
                raise SeedError(f"commentary before any known heading: {text[:60]!r}", file=source, row=number + 1)
            else:
                groups[-1][1].append(text)
                groups[-1][2].append(number + 1)
        for heading, paragraphs, numbers in groups:
            if not paragraphs:
                raise SeedError(f"heading {heading!r} has no commentary", file=source, row=numbers[0])
            rows.extend(CommentaryRow(theme, measure, heading, "\n\n".join(paragraphs), tuple(numbers))
                        for measure in COMMENTARY_MEASURES[heading])
    missing = set(COMMENTARY_MEASURES) - seen
    if missing:
        raise SeedError(f"headings not found in the seed: {sorted(missing)}", file=source)
    return rows


# ---------------------------------------------------------------------------------------------
# Seed 002
# ---------------------------------------------------------------------------------------------
PRIORITIES_002 = (
    "Keeping neighbourhoods clean, green and safe",
    "United and involved communities: a Council that listens and leads",
    "Supporting and protecting people who are most in need",
    "Supporting our Town Centre, our local shopping centres and businesses",
)
PRIORITY_ACTIONS_INTRO = "Our Priority Actions are:"
LEAD_PREFIX = re.compile(r"^Portfolio Holders?:\s*")
BULLET = "·"


def parse_priority_actions(lines: list[str], source: str = SEED_002) -> list[ActionRow]:
    """Every "Measure" bullet of seed 002's Priority Actions tables, with its priority action and lead."""
    rows: list[ActionRow] = []
    priority = ""
    in_table = False
    objective: list[str] = []
    objective_lines: list[int] = []
    lead = ""
    in_measures = False
    for index, raw in enumerate(lines):
        number, text = index + 1, raw.strip()
        if text in PRIORITIES_002:
            priority, in_table = text, False
            continue
        if text == PRIORITY_ACTIONS_INTRO:
            if not priority:
                raise SeedError("Priority Actions before any priority heading", file=source, row=number)
            in_table, objective, lead, in_measures = True, [], "", False
            continue
        if not in_table or not text or text in {"Priority Actions", "Measure"}:
            continue
        starts_row = raw.startswith("\t") and not text.startswith(BULLET)
        if starts_row and (in_measures or not objective):
            objective, objective_lines, lead, in_measures = [text], [number], "", False
        elif LEAD_PREFIX.match(text):
            lead, in_measures = LEAD_PREFIX.sub("", text), True
            objective_lines.append(number)
        elif not in_measures:
            objective.append(text)
            objective_lines.append(number)
        elif text.startswith(BULLET):
            action = text[len(BULLET):].strip()
            rows.append(ActionRow(theme=priority, objective="\n".join(objective), action=action, lead=lead,
                                  due=due_phrase(action), progress="", lines=(*objective_lines, number)))
        else:
            in_table = False  # prose after the table
    return rows


# ---------------------------------------------------------------------------------------------
# Seed 004
# ---------------------------------------------------------------------------------------------
HEADER_004 = "Objective\tWhat we will do\tProgress so far (as at Quarter 2, 2018/19)"
QUARTER_004 = "Q2 2018/19"
# Seed lines whose "What we will do" cell starts with a capital letter but finishes the action above,
# which the printed page split mid-phrase: "... make London a National Park" / "City and expand ...",
# "Health and Social Care integration and Better Care" / "Fund plans".
CONTINUED_004 = frozenset({59, 158})
# Seed line whose "What we will do" cell is one of the bullets of the progress text above it (the
# extraction moved it one column left; like the bullets on the next lines it starts with a space and has
# nothing in its Progress cell): its text is kept, in the Progress cell of the action above.
PROGRESS_BULLETS_004 = frozenset({269})
# Seed line whose Objective cell holds the end of the action above ("Make Harrow a 'smartphone' council,
# with key services" / "such as street cleaning and fly-tipping reporting accessible through digital
# means"): the extraction moved it one column left. Its text is kept, in the action, before the line's own
# "What we will do" text.
ACTION_IN_OBJECTIVE_004 = frozenset({268})


def _starts_upper(text: str) -> bool:
    return bool(text) and text[0].isupper()


def parse_ambition_2018(lines: list[str], source: str = SEED_004) -> list[ActionRow]:
    """Every row of seed 004's Objective | What we will do | Progress so far table, pages joined again.

    A row starts where the "What we will do" cell starts with a capital letter, or with a figure ("95% of
    ...") except on the first line of a page (where it finishes the action the page break split), or, with
    that cell empty, where a new objective starts; any other line continues the row above it, cell by cell.
    An objective starts where its cell starts with a capital letter on a line that starts a row, and holds
    for the rows below it. Lines of one cell only (footnotes, a section heading) are not part of the table.
    """
    if not lines or lines[0] != HEADER_004:
        raise SeedError("seed 004 must start with its table header (Objective, What we will do, Progress so far)",
                        file=source, row=1)
    rows: list[dict] = []
    objectives: list[list[str]] = []
    after_header = False
    for number, raw in enumerate(lines, start=1):
        if raw == HEADER_004:
            after_header = True
            continue
        if not raw.strip() or raw.count("\t") == 0:
            continue
        if raw.count("\t") != 2:
            raise SeedError("a table line must have exactly two tabs (three cells)", file=source, row=number)
        objective, action, progress = (cell.strip() for cell in raw.split("\t"))
        if number in PROGRESS_BULLETS_004:
            action, progress = "", action
        if number in ACTION_IN_OBJECTIVE_004:
            objective, action = "", f"{objective} {action}"
        opens = _starts_upper(action) or (action[:1].isdigit() and not after_header)
        starts = number not in CONTINUED_004 and number not in PROGRESS_BULLETS_004 and (
            opens or (_starts_upper(objective) and not action))
        new_objective = starts and _starts_upper(objective)
        after_header = False
        if not rows and not starts:
            raise SeedError("the table does not start with an action", file=source, row=number)
        if starts:
            if new_objective or not objectives:
                objectives.append([])
            rows.append({"objective": objectives[-1], "action": "", "progress": "", "lines": []})
        row = rows[-1]
        if objective:
            row["objective"].append(objective)
        row["action"] = join_continued(row["action"], action) if not starts else action
        row["progress"] = join_continued(row["progress"], progress)
        row["lines"].append(number)
    result = []
    for row in rows:
        objective = ""
        for part in row["objective"]:
            objective = join_continued(objective, part)
        result.append(ActionRow(theme="", objective=objective, action=row["action"], lead="",
                                due=due_phrase(row["action"]), progress=row["progress"], lines=tuple(row["lines"])))
    return result


# ---------------------------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------------------------
ACTION_HEADERS_003 = ("Theme", "Action", "Lead", "Due", "Status", "Progress")
ACTION_HEADERS_002 = ("Priority", "Objective", "Action", "Lead", "Due", "Status", "Progress")
ACTION_HEADERS_004 = ("Objective", "What we will do", "Lead", "Due", "Status", "Progress so far")
COMMENTARY_HEADERS = ("Theme", "Measure", "Heading", "Commentary")
WIDTHS = {"Theme": 24, "Priority": 24, "Objective": 40, "Action": 50, "Lead": 18, "Due": 16, "Status": 12,
          "Progress": 90, "Measure": 50, "Heading": 40, "Commentary": 100, "What we will do": 50,
          "Progress so far": 90}
FIRST_ROW = 4  # rows 1-2: title and quarter; row 3 blank


def _write_table(sheet: Worksheet, title: str, quarter: str, headers: Sequence[str],
                 rows: Sequence[Sequence[str]]) -> None:
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    if quarter:
        sheet["A2"], sheet["B2"] = "Quarter", quarter
        sheet["A2"].font = Font(bold=True)
    grey = PatternFill(fill_type="solid", fgColor=HEADER_GREY)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=FIRST_ROW, column=column, value=header)
        cell.font, cell.fill = Font(bold=True), grey
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[header]
    for offset, values in enumerate(rows, start=1):
        for column, text in enumerate(values, start=1):
            cell = sheet.cell(row=FIRST_ROW + offset, column=column)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if text:
                cell.value = text
                cell.number_format = "@"
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW + 1, column=1)


def ambition_plan_workbook(actions: Sequence[ActionRow], commentary: Sequence[CommentaryRow]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    _write_table(sheet, "Harrow Ambition Plan: progress on specific actions", QUARTER_003, ACTION_HEADERS_003,
                 [(a.theme, a.action, a.lead, a.due, "", a.progress) for a in actions])
    _write_table(workbook.create_sheet("Commentary"), "Summary of key challenges", QUARTER_003,
                 COMMENTARY_HEADERS, [(c.theme, c.measure, c.heading, c.commentary) for c in commentary])
    props = workbook.properties
    props.title = "Harrow Ambition Plan actions and key challenges, Quarter 2 2016/17 (Harrow Council)"
    props.creator = "harrowperf tools/transcribe_actions.py"
    props.created = props.modified = FIXED_TIMESTAMP
    props.description = (f"Transcribed from the text of the Harrow Council Strategic Performance Report Quarter 2 "
                         f"2016/17 (seed file {SEED_003}). Judgement calls are listed in data/raw/SOURCES.md.")
    return workbook


def priority_actions_workbook(actions: Sequence[ActionRow]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    _write_table(sheet, "Council priorities 2011/12: Priority Actions", "", ACTION_HEADERS_002,
                 [(a.theme, a.objective, a.action, a.lead, a.due, "", a.progress) for a in actions])
    props = workbook.properties
    props.title = "Harrow Council priorities 2011/12: Priority Actions"
    props.creator = "harrowperf tools/transcribe_actions.py"
    props.created = props.modified = FIXED_TIMESTAMP
    props.description = (f"Transcribed from the text of Harrow Council's priorities for 2011/12 (seed file "
                         f"{SEED_002}). Judgement calls are listed in data/raw/SOURCES.md.")
    return workbook


def ambition_plan_2018_workbook(actions: Sequence[ActionRow]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    _write_table(sheet, "Harrow Ambition Plan: progress so far", QUARTER_004, ACTION_HEADERS_004,
                 [(a.objective, a.action, a.lead, a.due, "", a.progress) for a in actions])
    props = workbook.properties
    props.title = "Harrow Ambition Plan progress, as at Quarter 2 2018/19 (Harrow Council)"
    props.creator = "harrowperf tools/transcribe_actions.py"
    props.created = props.modified = FIXED_TIMESTAMP
    props.description = (f"Transcribed from the text of Harrow Council's Harrow Ambition Plan progress report, as "
                         f"at Quarter 2 2018/19 (seed file {SEED_004}). Judgement calls are listed in "
                         "data/raw/SOURCES.md.")
    return workbook


def _seed_lines(seeds: Path, name: str) -> list[str]:
    try:
        return (seeds / name).read_text(encoding="utf-8").split("\n")
    except OSError as error:
        raise SeedError(f"cannot read the seed: {error.strerror}", file=str(seeds / name)) from None


def transcribe(seeds: Path = SEEDS, out: Path = OUT) -> dict[str, int]:
    """Write both workbooks into ``out``; return how many rows each sheet got."""
    lines_003 = _seed_lines(seeds, SEED_003)
    actions = parse_ambition_actions(lines_003)
    commentary = parse_challenges(lines_003)
    priority = parse_priority_actions(_seed_lines(seeds, SEED_002))
    ambition_2018 = parse_ambition_2018(_seed_lines(seeds, SEED_004))
    save_workbook_reproducibly(ambition_plan_workbook(actions, commentary), out / AMBITION_PLAN, FIXED_TIMESTAMP)
    save_workbook_reproducibly(priority_actions_workbook(priority), out / PRIORITY_ACTIONS, FIXED_TIMESTAMP)
    save_workbook_reproducibly(ambition_plan_2018_workbook(ambition_2018), out / AMBITION_PLAN_2018,
                               FIXED_TIMESTAMP)
    return {f"{AMBITION_PLAN} Actions": len(actions), f"{AMBITION_PLAN} Commentary": len(commentary),
            f"{PRIORITY_ACTIONS} Actions": len(priority), f"{AMBITION_PLAN_2018} Actions": len(ambition_2018)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder holding the seed text files")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the workbooks to")
    args = parser.parse_args(argv)
    try:
        tally = transcribe(args.seeds, args.out)
    except HarrowperfError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, count in tally.items():
        print(f"{name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

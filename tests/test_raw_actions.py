"""The action-plan workbooks in data/raw/actions are exact transcriptions of seeds 003 and 002.

Expected cells are worked out here from the seed text, independently of tools/transcribe_actions.py:
the text of every Action and Progress cell of seed 003 (HTML markup of the PDF extraction removed),
in order, must be the text of the workbook's Action and Progress columns, in order; each "Summary of
key challenges" paragraph must be the commentary of the measures its heading names (checked against
the scorecard workbook's own measure names); each "Measure" bullet of seed 002 must be one row with
its priority, priority action and Portfolio Holder; every Objective, What we will do and Progress so far
cell of seed 004, in order, must be the text of those columns of its workbook. A rebuild must give the same bytes.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from conftest import RAW, ROOT
from openpyxl import load_workbook

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
SEED_003 = (SEEDS / "003_405e00269b3432ab.txt").read_text(encoding="utf-8").split("\n")
SEED_002 = (SEEDS / "002_2dfa10be0f04b10c.txt").read_text(encoding="utf-8").split("\n")
SEED_004 = (SEEDS / "004_09b0ca965b5dee39.txt").read_text(encoding="utf-8").split("\n")
AMBITION = RAW / "actions" / "harrow_ambition_plan_2016-17_q2.xlsx"
PRIORITY = RAW / "actions" / "harrow_priority_actions_2011-12.xlsx"
AMBITION_2018 = RAW / "actions" / "harrow_ambition_plan_2018-19_q2.xlsx"
SCORECARD = RAW / "scorecards" / "corporate_scorecard_2016-17_q2.xlsx"
THEMES = ["Build a better Harrow", "Be more business-like and business friendly",
          "Protect the most vulnerable and support families"]
SCORECARD_SHEET = {"Build a better Harrow": "Better Harrow", "Be more business-like and business friendly":
                   "Business", "Protect the most vulnerable and support families": "Vulnerable"}


def _rows(path, sheet):
    """The table under the header row (row 4) as dicts, plus the cells above it."""
    worksheet = load_workbook(path)[sheet]
    values = [list(row) for row in worksheet.iter_rows(values_only=True)]
    header = values[3]
    return values[:3], [dict(zip(header, row, strict=True)) for row in values[4:]]


def _seed_cells(theme: str) -> tuple[list[str], list[str]]:
    """Every text fragment of the Action and Progress columns of a theme's table in seed 003."""
    start = SEED_003.index(f"Corporate Priority: {theme}")
    intro = SEED_003.index("Progress on specific actions set out in the Harrow Ambition Plan is summarised below.",
                           start)
    end = SEED_003.index("Performance Measures (see table following)", intro)
    actions, progress = [], []
    for line in SEED_003[intro + 1:end]:
        if not line.strip() or line == "Action\tProgress":
            continue
        action, update = line.split("\t")
        actions += [part.strip() for part in re.split(r"<[^>]*>", action) if part.strip()]
        progress += [part.strip() for part in re.split(r"<[^>]*>", update) if part.strip()]
    return actions, progress


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


@pytest.mark.parametrize("theme", THEMES)
def test_every_action_and_progress_word_of_seed_003_in_order(theme):
    _, rows = _rows(AMBITION, "Actions")
    mine = [row for row in rows if row["Theme"] == theme]
    actions, progress = _seed_cells(theme)
    # nothing lost, nothing added, nothing reordered: the same words in the same order
    assert _words([row["Action"] for row in mine]) == _words(actions)
    assert _words([row["Progress"] or "" for row in mine]) == _words(progress)
    # and each row starts where a seed row starts
    starts = [line.split("\t")[0] for line in SEED_003]
    for row in mine:
        first = row["Action"].split("\n")[0].split(" ")[:4]
        assert any(re.sub(r"<[^>]*>", "", start).split(" ")[:4] == first for start in starts), row["Action"]


def test_ambition_plan_rows_as_counted_by_hand():
    top, rows = _rows(AMBITION, "Actions")
    assert top[0][0] == "Harrow Ambition Plan: progress on specific actions"
    assert top[1][:2] == ["Quarter", "Q2 2016/17"]
    counts = {theme: sum(row["Theme"] == theme for row in rows) for theme in THEMES}
    assert counts == {THEMES[0]: 12, THEMES[1]: 14, THEMES[2]: 11}

    def starting(words):
        [row] = [row for row in rows if row["Action"].startswith(words)]
        return row

    # the row the page break split (seed lines 90 and 93) is one row again, both of its paragraphs kept
    split = starting("Harrow will be seen as the place")
    assert split["Action"] == ("Harrow will be seen as the place for creative industries/artists to locate and conduct "
                               "business (e.g. Artisan Place)\nDeliver S106 funded improvements to outdoor sports "
                               "facilities as identified in the Harrow Outdoor Sports Pitch Strategy 2013-2023 by 2019")
    assert "three sites near to the development – Bannister Sports Centre" in split["Progress"]
    assert starting("Improve our staff survey")["Progress"].endswith(
        "The Staff Survey due to take place in Autumn 2016 has been postponed due to budget pressures, given the "
        "wish to avoid any non-essential discretionary spend.")
    # the seed gives no lead and no status for any action: those cells are empty
    assert all(row["Lead"] is None and row["Status"] is None for row in rows)
    # Due holds the first dated phrase of the action, copied exactly
    dues = {row["Action"][:30]: row["Due"] for row in rows if row["Due"]}
    assert dues == {
        "Harrow will be seen as the pla": "by 2019", "To have moved into a new civic": "by 2019",
        "By 2020 all families facing ho": "By 2020", "Bring in commercial contributi": "by 2019",
        "To aim for cost neutrality in ": "by 2020", "Save £100K in 2016/17 on Procu": "in 2016/17",
        "Deliver the 'Harrow Couples Do": "in 2016", "Sign off business case for new": "by end of 2016/17",
        "Every Harrow child has a schoo": "to 2020",
    }
    for row in rows:
        if row["Due"]:
            assert row["Due"] in row["Action"]


# Each heading of the "Summary of key challenges" -> the numbers of the measures it is about, in the
# scorecard table of the same theme (worked out by reading the headings against the tables).
CHALLENGE_MEASURES = {
    "Total number of households to whom we have accepted a full homelessness duty": ["19"],
    "Number of Harrow Landlords accredited through the London Landlord Accreditation scheme": ["22"],
    "Percentage of service users completing drug/alcohol treatment services": ["40", "41", "42", "43"],
    "% of household waste recycled and composted": ["52"],
    "Proportion of disabled employees & top 5% of earners, who are disabled": ["60", "63"],
    "Proportion of Harrow Council employees aged less than 25": ["64"],
    "The percentage of existing staff & new starters who completed the mandatory Equality Matters training":
        ["73", "74"],
    "% of 3rd party contract spend placed with local organisations": ["3"],
    "Customer enquiries that should not have been necessary": ["12"],
    "Average speed to answer the telephone in Access Harrow & % of calls answered less than 600 seconds":
        ["13", "14"],
    "Email traffic: % reduction of emails from previous year": ["20"],
    "Staff sickness": ["25"],
    "Delayed Transfers of Care": ["12"],
}


def _scorecard_names() -> dict[tuple[str, str], str]:
    """(sheet, measure number) -> the measure name as the scorecard workbook holds it."""
    names = {}
    for sheet in load_workbook(SCORECARD):
        for row in sheet.iter_rows(values_only=True):
            cells = [c for c in row if c is not None]
            if not cells:
                continue
            if isinstance(cells[0], int) and len(cells) > 1 and isinstance(cells[1], str):
                names[(sheet.title, str(cells[0]))] = cells[1]
            elif isinstance(cells[0], str) and (m := re.match(r"^(\d+) (.+)$", cells[0])):
                names[(sheet.title, m.group(1))] = m.group(2)
    return names


def _seed_challenges() -> dict[str, tuple[str, list[str]]]:
    """heading -> (theme, its paragraphs), read from the seed between each heading and the next."""
    found = {}
    for start in (i for i, line in enumerate(SEED_003) if line == "Summary of key challenges"):
        title = SEED_003.index("Corporate Scorecard 2016/17", start)
        theme = SEED_003[title - 2]
        heading = None
        for line in SEED_003[start + 1:title - 2]:
            if line in CHALLENGE_MEASURES:
                heading = line
                found[heading] = (theme, [])
            elif line.strip():
                found[heading][1].append(line.strip())
    return found


def test_every_key_challenges_paragraph_is_the_commentary_of_the_right_measures():
    top, rows = _rows(AMBITION, "Commentary")
    assert top[0][0] == "Summary of key challenges" and top[1][:2] == ["Quarter", "Q2 2016/17"]
    names = _scorecard_names()
    challenges = _seed_challenges()
    assert set(challenges) == set(CHALLENGE_MEASURES)
    expected = [(theme, names[(SCORECARD_SHEET[theme], number)], heading, "\n\n".join(paragraphs))
                for heading, (theme, paragraphs) in challenges.items() for number in CHALLENGE_MEASURES[heading]]
    assert [(r["Theme"], r["Measure"], r["Heading"], r["Commentary"]) for r in rows] == expected
    assert len(rows) == 19
    paragraphs = sum(len(p) for _, p in challenges.values())
    assert paragraphs == 21  # counted by hand in the seed: 2+1+1+3+1+1+2 | 1+1+1+1+1 | 5


def _seed_bullets() -> list[tuple[str, str, str]]:
    """(priority heading, bullet text, portfolio holder) for every "Measure" bullet of seed 002."""
    headings = ["Keeping neighbourhoods clean, green and safe",
                "United and involved communities: a Council that listens and leads",
                "Supporting and protecting people who are most in need",
                "Supporting our Town Centre, our local shopping centres and businesses"]
    found, priority, holder, in_table = [], "", "", False
    for line in SEED_002:
        text = line.strip()
        if text in headings:
            priority, in_table = text, False
        elif text == "Our Priority Actions are:":
            in_table = True
        elif in_table and text.startswith("Portfolio Holder"):
            holder = text.split(":", 1)[1].strip()
        elif in_table and text.startswith("·") and holder:
            found.append((priority, text[1:].strip(), holder))
        elif in_table and line.startswith("\t") and not text.startswith("·"):
            holder = ""  # a new priority action: bullets before its Portfolio Holder line belong to it
    return found


def test_every_priority_action_measure_of_seed_002_is_one_row():
    top, rows = _rows(PRIORITY, "Actions")
    assert top[0][0] == "Council priorities 2011/12: Priority Actions"
    assert [(r["Priority"], r["Action"], r["Lead"]) for r in rows] == _seed_bullets()
    assert len(rows) == 40
    text = "\n".join(SEED_002)
    for row in rows:
        for line in row["Objective"].split("\n"):
            assert line in text
        assert row["Status"] is None and row["Progress"] is None
        assert (row["Due"] or "") in row["Action"]


def test_a_rebuild_is_byte_identical(tmp_path):
    spec = importlib.util.spec_from_file_location("transcribe_actions", ROOT / "tools" / "transcribe_actions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.transcribe(SEEDS, tmp_path)
    for path in (AMBITION, PRIORITY, AMBITION_2018):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# --------------------------------------------------------------------------- seed 004 (Q2 2018/19)

HEADER_004 = "Objective\tWhat we will do\tProgress so far (as at Quarter 2, 2018/19)"


def _seed_004_cells() -> tuple[list[str], list[str], list[str]]:
    """The text of every Objective, What we will do and Progress cell of seed 004's table, in order.

    Two cells are moved, as data/raw/SOURCES.md explains: line 268's Objective cell ends the action above
    it, and line 269's "What we will do" cell is a bullet of the progress text above it.
    """
    objectives, actions, progress = [], [], []
    for number, line in enumerate(SEED_004, start=1):
        if line == HEADER_004 or "\t" not in line:
            continue  # page headers, blank lines, footnotes and the one section heading
        objective, action, update = (cell.strip() for cell in line.split("\t"))
        if number == 268:
            objective, action = "", f"{objective} {action}"
        if number == 269:
            action, update = "", action
        objectives += [objective] if objective else []
        actions += [action] if action else []
        progress += [update] if update else []
    return objectives, actions, progress


def test_every_cell_of_seed_004_in_order():
    top, rows = _rows(AMBITION_2018, "Actions")
    assert top[0][0] == "Harrow Ambition Plan: progress so far"
    assert top[1][:2] == ["Quarter", "Q2 2018/19"]
    assert list(rows[0]) == ["Objective", "What we will do", "Lead", "Due", "Status", "Progress so far"]
    objectives, actions, progress = _seed_004_cells()
    # the same words in the same order: nothing lost, added or moved (objectives once per objective)
    assert _words([row["What we will do"] or "" for row in rows]) == _words(actions)
    assert _words([row["Progress so far"] or "" for row in rows]) == _words(progress)
    distinct = [o for i, o in enumerate(row["Objective"] for row in rows) if i == 0 or o != rows[i - 1]["Objective"]]
    assert _words(distinct) == _words(objectives)
    # no lead, no status in the seed: none is made up; Due only ever copies words of the action
    assert all(row["Lead"] is None and row["Status"] is None for row in rows)
    assert [row["Due"] for row in rows if row["Due"]] == ["by 2020", "by 2021"]
    assert all((row["Due"] or "") in (row["What we will do"] or "") for row in rows)


def test_seed_004_rows_as_read_by_hand():
    _, rows = _rows(AMBITION_2018, "Actions")
    assert len(rows) == 127
    assert len({row["Objective"] for row in rows}) == 24

    def doing(start):
        [row] = [row for row in rows if (row["What we will do"] or "").startswith(start)]
        return row

    # figures the issue quotes, in the progress of the right commitment
    assert "totalling £381,227 (£7,227, £75,000 and £299,000 respectively)" in doing(
        "Give our residents an active and influential voice")["Progress so far"]
    assert "The current estimate for 2018/19 is for 86 new homes completed." in doing(
        "Build new Council homes")["Progress so far"]
    # actions the printed pages split are one row again (seed lines 58-59, 157-158, 22-24, 161-165)
    assert doing("Work with the Mayor's office to make London")["What we will do"] == (
        "Work with the Mayor's office to make London a National Park City and expand our park user groups to put "
        "power back into the hands of our residents")
    assert doing("Health and Social Care")["What we will do"] == \
        "Health and Social Care integration and Better Care Fund plans"
    assert doing("Clarify our policy")["What we will do"].endswith(
        "request that they provide monitoring data on local purchases.")
    assert doing("Harrow school's Key Stage 2")["What we will do"].endswith(
        "'Average Attainment 8 score per pupil' and 'Percentage of pupils who achieved a 9-5 pass' in the top 20% "
        "nationally.")
    # an action that starts with a figure is its own row, under its own objective
    schools = doing("95% of Harrow's maintained schools")
    assert schools["Objective"].startswith("Support our schools to continue to be among the best in the country:")
    assert doing("15% of council spend will be")["What we will do"] == "15% of council spend will be with local " \
        "businesses"
    # the objective printed with progress but no "What we will do" keeps an empty action cell
    [empty] = [row for row in rows if row["What we will do"] is None]
    assert empty["Objective"] == "Deliver new schools and school places"
    assert empty["Progress so far"].startswith("The Primary School expansion programme is nearing completion")
    # the two moved cells
    assert doing("Make Harrow a 'smartphone' council")["What we will do"] == (
        "Make Harrow a 'smartphone' council, with key services such as street cleaning and fly-tipping reporting "
        "accessible through digital means fly-tipping reporting")
    assert "Working with the Food Standards Agency to pilot an app" in doing(
        "Make Harrow a 'smartphone' council")["Progress so far"]

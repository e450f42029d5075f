"""The value grammar: what a scorecard cell such as "13-15%", "[60%]" or "5.86 (28th)" means.

Each rule is a small named parser tried in order; the first that matches
wins and its name is recorded in :attr:`Parsed.rule`, so a reader (or a
test) can see why a cell was read as it was. Text no rule understands comes
back with ``kind == "unparsed"``: the caller keeps the text and lists the
cell as a data-quality finding, it never guesses.

Numbers come back in the units people read: percentages in percentage points
("7.49%" -> 7.49), durations in seconds ("01:30" -> 90). A number beyond what Excel can hold
(a 400-digit string, which ``float`` would make infinite) is ``unparsed`` with the rule
``out_of_range``, never an infinity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from harrowperf.read.numbers import SIGNED, scale_of, scale_words, to_number

NAN = math.nan


@dataclass(frozen=True)
class Parsed:
    """What one cell's text means. Numbers not given are NaN; ``note`` carries status/note text.

    ``kind`` is one of::

        "empty"           # nothing in the cell
        "missing"         # "-": nothing reported
        "number"          # a single value ("7.49%", "33,000", "01:30", "28th")
        "range"           # "13-15%", "0.9-1.1"
        "annual"          # "[60%]": an annual target shown in a quarter
        "yoy_reduction"   # "Year on year reduction"
        "yoy_increase"    # "Year on year increase"
        "rank_range"      # "12th to 20th in London"
        "baseline"        # "BL": this year sets the baseline
        "no_target"       # "No target"
        "status"          # "New in 2016/17", "No survey this qtr", "Reports in Q4 only", "None", ...
        "note"            # "Note 1", "Note 1&2"
        "period"          # "Oct 12 to Sep 13": the period a figure covers
        "rag"             # "HG", "LR", ... (a RAG code)
        "unparsed"        # none of the above

    ``rule`` names the parser that matched.
    """

    kind: str
    rule: str
    value: float = NAN
    low: float = NAN
    high: float = NAN
    numerator: float = NAN
    denominator: float = NAN
    rank: float = NAN
    secondary: float = NAN
    unit: str = ""
    note: str = ""


# --- building blocks ---------------------------------------------------------

_NUM = SIGNED
_DASHES = "-–—−"
_ORDINAL = r"(\d+)\s*(?:st|nd|rd|th)"

RAG_CODES = {
    "HG": "HG", "LG": "LG", "G": "G", "A": "A", "LR": "LR", "HR": "HR", "R": "R",
    "HIGH GREEN": "HG", "LOW GREEN": "LG", "GREEN": "G", "AMBER": "A",
    "LOW RED": "LR", "HIGH RED": "HR", "RED": "R",
}

STATUS_PHRASES = (
    r"new in \d{4}/\d{2,4}",
    r"new (?:measure|indicator)(?: for \d{4}/\d{2,4})?",
    r"no survey(?: this (?:qtr|quarter))?",
    r"reports? in q[1-4] only",
    r"reported (?:annually|in arrears)",
    r"annual (?:measure|figure)",
    r"no actual",
    r"no data",
    r"data (?:not|currently un)available",
    r"not available",
    r"n/?a",
    r"none",
    r"tbc",
    r"awaiting data",
)
_STATUS = re.compile(r"^(?:" + "|".join(STATUS_PHRASES) + r")\.?$", re.IGNORECASE)
_NOTE = re.compile(r"^notes?\s*\d+(?:\s*(?:,|&|and)\s*\d+)*\s*:?$", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_PERIOD = re.compile(rf"^{_MONTH}\s*'?\d{{2,4}}\s*(?:to|-|–)\s*{_MONTH}\s*'?\d{{2,4}}$", re.IGNORECASE)


def _unit_and_scale(suffix: str, prefix: str = "") -> str:
    if "%" in suffix:
        return "%"
    if "£" in prefix or "£" in suffix:
        return "£"
    return ""


# --- the rules -----------------------------------------------------------------
# Each takes the stripped text and returns Parsed or None.


def _empty(text: str) -> Parsed | None:
    return Parsed("empty", "empty") if not text else None


def _missing(text: str) -> Parsed | None:
    return Parsed("missing", "dash") if text and all(ch in _DASHES for ch in text) else None


def _rag(text: str) -> Parsed | None:
    code = RAG_CODES.get(text.upper())
    return Parsed("rag", "rag_code", note=code) if code else None


def _no_target(text: str) -> Parsed | None:
    if re.fullmatch(r"no target(?: set)?\.?", text, re.IGNORECASE):
        return Parsed("no_target", "no_target", note=text)
    return None


def _status(text: str) -> Parsed | None:
    return Parsed("status", "status_phrase", note=text) if _STATUS.match(text) else None


def _note(text: str) -> Parsed | None:
    return Parsed("note", "note_reference", note=text) if _NOTE.match(text) else None


def _period(text: str) -> Parsed | None:
    return Parsed("period", "period_covered", note=text) if _PERIOD.match(text) else None


def _baseline(text: str) -> Parsed | None:
    if re.fullmatch(r"BL|baseline(?: year)?", text, re.IGNORECASE):
        return Parsed("baseline", "baseline", note=text)
    return None


def _year_on_year(text: str) -> Parsed | None:
    match = re.fullmatch(r"year[ -]on[ -]year (reduction|decrease|increase|improvement)", text, re.IGNORECASE)
    if not match:
        return None
    kind = "yoy_increase" if match.group(1).lower() == "increase" else "yoy_reduction"
    return Parsed(kind, "year_on_year", note=text)


def _rank_range(text: str) -> Parsed | None:
    match = re.fullmatch(rf"{_ORDINAL}\s*(?:to|-|–)\s*{_ORDINAL}(?:\s+(.*))?", text, re.IGNORECASE)
    if not match:
        return None
    low, high, group = float(match.group(1)), float(match.group(2)), (match.group(3) or "").strip()
    return Parsed("rank_range", "rank_range", low=min(low, high), high=max(low, high), unit="rank",
                  note=group)


def _annual(text: str) -> Parsed | None:
    match = re.fullmatch(r"\[(.*)\]", text)
    if not match or match.group(1).startswith("["):  # "[[60%]]": no text opening with "[" is a number
        return None
    inner = parse_value(match.group(1))
    if inner.kind != "number":
        return None
    return Parsed("annual", "bracketed_annual", value=inner.value, low=inner.value, high=inner.value,
                  unit=inner.unit, note="annual target")


_SIMPLE_NUMBER = re.compile(rf"^(£?)\s*({_NUM})\s*(%|{scale_words('k', 'm', 'bn')})?$", re.IGNORECASE)


def _simple_number(text: str) -> Parsed | None:
    match = _SIMPLE_NUMBER.match(text)
    if not match:
        return None
    prefix, digits, suffix = match.group(1), match.group(2), (match.group(3) or "").lower()
    value = to_number(digits) * (scale_of(suffix) or 1)
    # "3m": the rule names the scale word, so a reader can say it means minutes in a measure of time
    rule = f"number_{suffix}" if scale_of(suffix) else "number"
    return Parsed("number", rule, value=value, low=value, high=value, unit=_unit_and_scale(suffix, prefix))


_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")


def _duration(text: str) -> Parsed | None:
    """"01:30" is minutes:seconds (as scorecards print call-answer times); "00:02:11" is h:mm:ss."""
    match = _DURATION.match(text)
    if not match:
        return None
    first, second, third = match.groups()
    seconds = (int(first) * 3600 + int(second) * 60 + int(third)) if third else (int(first) * 60 + int(second))
    return Parsed("number", "duration", value=float(seconds), low=float(seconds), high=float(seconds), unit="s")


def _ordinal(text: str) -> Parsed | None:
    match = re.fullmatch(_ORDINAL, text, re.IGNORECASE)
    if not match:
        return None
    rank = float(match.group(1))
    return Parsed("number", "ordinal", value=rank, rank=rank, unit="rank")


_RANGE = re.compile(rf"^(£?)({_NUM})\s*(%?)\s*(?:[{_DASHES}]|to)\s*(£?)({_NUM})\s*(%?)$", re.IGNORECASE)


def _range(text: str) -> Parsed | None:
    match = _RANGE.match(text)
    if not match:
        return None
    pound1, first, pct1, pound2, second, pct2 = match.groups()
    if first.startswith(("-", "−")) and not pct1 and not pct2 and "." not in first:
        return None  # "-5-10" is too ambiguous to read
    low, high = to_number(first), to_number(second)
    if low > high:
        return None
    unit = _unit_and_scale(pct1 + pct2, pound1 + pound2)
    return Parsed("range", "range", low=low, high=high, unit=unit)


def _split_bracket(text: str) -> tuple[str, str] | None:
    """"5.86 (28th)" -> ("5.86", "28th"): the text before the first "(" and what that bracket holds up to
    the closing ")" at the very end (found by position, not a backtracking pattern, so long odd text is fast)."""
    opening = text.find("(", 1)
    if not text.endswith(")") or opening == -1 or opening >= len(text) - 2:
        return None
    before = text[:opening].rstrip()
    return (before, text[opening + 1 : -1]) if before else None


def _value_with_bracket(text: str) -> Parsed | None:
    """"42.5% (62/146)", "5.86 (28th)", "89 (378)": a value with its fraction, rank or a second figure."""
    parts = _split_bracket(text)
    if parts is None:
        return None
    main = parse_value(parts[0])
    if main.kind != "number":
        return None
    inner = parts[1].strip()
    fraction = re.fullmatch(rf"({_NUM})\s*/\s*({_NUM})", inner)
    if fraction:
        return Parsed("number", "value_with_fraction", value=main.value, low=main.value, high=main.value,
                      numerator=to_number(fraction.group(1)), denominator=to_number(fraction.group(2)),
                      unit=main.unit)
    rank = re.fullmatch(_ORDINAL, inner, re.IGNORECASE)
    if rank:
        return Parsed("number", "value_with_rank", value=main.value, low=main.value, high=main.value,
                      rank=float(rank.group(1)), unit=main.unit)
    second = parse_value(inner)
    if second.kind == "number":
        return Parsed("number", "value_with_secondary", value=main.value, low=main.value, high=main.value,
                      secondary=second.value, unit=main.unit)
    return None


RULES: tuple[Callable[[str], Parsed | None], ...] = (
    _empty, _missing, _rag, _no_target, _status, _note, _period, _baseline, _year_on_year,
    _rank_range, _annual, _duration, _simple_number, _ordinal, _range, _value_with_bracket,
)


@lru_cache(maxsize=65536)
def parse_value(text: str) -> Parsed:
    """Read one cell's displayed text with the first rule that matches.

    >>> parse_value("13-15%")
    Parsed(kind='range', rule='range', ..., low=13.0, high=15.0, ..., unit='%', note='')
    """
    clean = " ".join(str(text).replace("\u00a0", " ").split())
    for rule in RULES:
        parsed = rule(clean)
        if parsed is not None:
            if not _in_bounds(parsed):
                return Parsed("unparsed", "out_of_range", note=clean)
            return parsed
    return Parsed("unparsed", "unparsed", note=clean)


LARGEST = 9.99999999999999e307  # the largest number Excel stores; anything beyond is not a figure


def _in_bounds(parsed: Parsed) -> bool:
    """No infinity and nothing beyond what Excel can hold (a 400-digit "number" is a typing accident)."""
    return all(math.isnan(number) or abs(number) <= LARGEST
               for number in (parsed.value, parsed.low, parsed.high, parsed.numerator, parsed.denominator,
                              parsed.rank, parsed.secondary))

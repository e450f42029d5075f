"""Number formats: the text Excel shows for a number under a format, which section of the format
applies, and how the section scales the number ("0.0%" by 100, "0.0,," by a millionth).

Covers what council workbooks use: General, fixed decimals, thousands separators, percentages,
currency and locale tags, literal text, negative and zero sections, conditions such as ``[<1000]``,
scientific and fraction formats, times and dates. The cell reader (:mod:`harrowperf.read.cells`)
gives every number cell its displayed text from here; the scorecard and budget readers ask
:func:`format_section` and :func:`format_scale` how to read a shown number back.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from openpyxl.styles.numbers import is_date_format

_QUOTED = re.compile(r'"([^"]*)"')
_ESCAPED = re.compile(r"\\(.)")
_BRACKETS = re.compile(r"\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]", re.IGNORECASE)
_FILLERS = re.compile(r"[_*].")


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e11:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{int(exponent):+03d}"
    return text


def _seconds(value: float) -> int:
    return int(round(value * 86400))


def _time_text(section: str, value: float) -> str:
    """Render a time or duration format (h, m, s tokens, [h] elapsed hours, AM/PM)."""
    total = _seconds(value)
    lowered = section.lower()
    elapsed = re.search(r"\[(h+|m+|s+)\]", lowered)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if not elapsed:
        hours %= 24
    elif elapsed.group(1).startswith("m"):
        minutes, seconds = divmod(total, 60)
        hours = 0
    elif elapsed.group(1).startswith("s"):
        seconds, minutes, hours = total, 0, 0
    ampm = "am/pm" in lowered or "a/p" in lowered
    shown_hours = (hours % 12 or 12) if ampm else hours
    tokens = re.findall(r"am/pm|a/p|\[?h+\]?|\[?m+\]?|\[?s+\]?|[^hmsap\[\]]+|[ap\[\]]", section, re.IGNORECASE)
    out = []
    for token in tokens:
        bare = token.strip("[]").lower()
        if bare.startswith("h"):
            out.append(f"{shown_hours:0{len(bare)}d}")
        elif bare.startswith("m"):
            out.append(f"{minutes:0{min(len(bare), 2)}d}")
        elif bare.startswith("s"):
            out.append(f"{seconds:0{min(len(bare), 2)}d}")
        elif bare == "am/pm":
            out.append("AM" if hours < 12 else "PM")
        elif bare == "a/p":
            out.append("A" if hours < 12 else "P")
        else:
            out.append(token)
    return "".join(out)


def _date_text(section: str, value: float) -> str:
    try:
        moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=value)
    except OverflowError:
        return _general(value)
    tokens = re.findall(r"y+|m+|d+|h+|s+|am/pm|[^ymdhs]+", section, re.IGNORECASE)
    out, after_hour = [], False
    for token in tokens:
        low = token.lower()
        if low.startswith("y"):
            out.append(moment.strftime("%Y" if len(low) > 2 else "%y"))
        elif low.startswith("d"):
            out.append({1: str(moment.day), 2: f"{moment.day:02d}", 3: moment.strftime("%a")}.get(
                len(low), moment.strftime("%A")))
        elif low.startswith("m") and not after_hour:
            out.append({1: str(moment.month), 2: f"{moment.month:02d}", 3: moment.strftime("%b")}.get(
                len(low), moment.strftime("%B")))
        elif low.startswith("m"):
            out.append(f"{moment.minute:02d}")
        elif low.startswith("h"):
            out.append(f"{moment.hour:02d}")
            after_hour = True
        elif low.startswith("s"):
            out.append(f"{moment.second:02d}")
        else:
            out.append(token)
    return "".join(out)


def display_text(value: Any, number_format: str = "General") -> str:
    """The text Excel shows for a stored value under a number format.

    Covers the formats found in council workbooks: General, fixed decimals,
    thousands separators, percentages, currency and literal text (locale currency
    tags too: ``[$£-809]`` shows "£", ``[$-809]`` nothing), negative sections and
    brackets, scientific ("0.00E+00", engineering "##0.0E+0"), fractions ("# ?/?",
    "# ??/??", "# ?/8"; the spaces Excel pads ``?`` with are kept in the text),
    times ("mm:ss", "[h]:mm:ss", "h:mm AM/PM") and dates. Sections, with or without
    conditions such as ``[<1000]``, follow Excel's rules (see :func:`format_section`);
    an empty section (``;;;``) shows nothing.

    >>> display_text(0.0749, "0.00%")
    '7.49%'
    >>> display_text(7.49, '0.00"%"'), display_text(7.49, "0.0\\\\%")
    ('7.49%', '7.5%')
    >>> display_text(35582, "#,##0"), display_text(0, '0;-0;"-"'), display_text(5, ";;;")
    ('35,582', '-', '')
    >>> display_text(131 / 86400, "mm:ss"), display_text(0.75, "h:mm AM/PM")
    ('02:11', '6:00 PM')
    >>> display_text(1234, "0.00E+00"), display_text(1.5, "# ?/?"), display_text(1234.5, "[$£-809]#,##0.00")
    ('1.23E+03', '1 1/2', '£1,234.50')
    >>> display_text(0.5, "[>=1]0.0;0.00"), display_text(25000, '[<1000]0;[<1000000]0.0,"k";0.0,,"m"')
    ('0.50', '25.0k')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value)
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a double: shown as stored
        return str(value)
    if not math.isfinite(number):
        return str(value)
    return _shown(number + 0.0, number_format)  # + 0.0: -0.0 is shown as 0.0 is, and is one key with it


@lru_cache(maxsize=65536)
def _shown(number: float, number_format: str) -> str:
    # cached: targets, thresholds and many actuals repeat across a workbook's cells
    plan, signed = _choose(number, number_format)
    try:
        return _render(plan, number, signed)
    except (ArithmeticError, ValueError, KeyError):  # a number too large for its format's decimals
        return ("-" if number < 0 and not signed else "") + _general(abs(number))


def format_section(value: float, number_format: str) -> str:
    """What the section of ``number_format`` that applies to ``value`` shows: "general", "number",
    "date", "time", "text" (only literal text, such as "-" for zero) or "hidden" (an empty section).

    Excel's rules: one section serves every number; with two, the second serves negatives; with
    three or four, the third serves zero (a fourth serves text, not numbers). Conditions in the first
    two sections (``[>=100]"High";0``) change which section serves which number (see :func:`_choose`).

    >>> format_section(0, '0.0;-0.0;"-"'), format_section(3, ";;;"), format_section(-1, "0;;0")
    ('text', 'hidden', 'hidden')
    """
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return "general"
    plan, _ = _choose(number, number_format)
    return {"literal": "text"}.get(plan.kind, plan.kind)


def format_scale(value: float, number_format: str) -> float:
    """What the applicable section multiplies the stored value by before showing it: 100 for each
    ``%`` that is a format code (not a quoted ``"%"`` or an escaped ``\\%``), 1/1000 for each
    thousands comma after the digits.

    >>> format_scale(0.0749, "0.00%"), format_scale(7.49, '0.00"%"'), format_scale(7.49, "0.0\\\\%")
    (100.0, 1.0, 1.0)
    """
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return 1.0
    plan, _ = _choose(number, number_format)
    return float(100**plan.percent) / float(1000**plan.thousands) if plan.kind == "number" else 1.0


def _choose(number: float, number_format: str) -> tuple[_Plan, bool]:
    """The section that shows ``number``, and whether that section supplies its own sign.

    Without conditions: one section serves every number; with two, the second serves negatives; with
    three or more, the third serves zero (a fourth serves text). When the first or second section has
    a condition (``[>=1000]``), Excel's older rule applies (Microsoft KB Q67469, "Using Conditions in
    Number Formats"): only the first two sections can hold conditions; a number goes to the first
    section whose condition it meets, the first taking priority; a first section without a condition
    means "> 0" (">= 0" when there are only two sections), a second without one means "< 0" (anything
    the first did not take, when there are only two sections); the third section takes the rest. A
    number no section takes (two sections, both conditional) is shown by the first, as SheetJS does.
    A section shows the number's minus sign itself unless it is a negative section: a second section
    without a condition, or one whose condition is ``<`` or ``<=`` a number not above zero (KB Q67469:
    -5 under ``[>100]General;[<100](General)`` shows ``-(5)``, under ``[<0](General)`` ``(5)``).
    """
    sections = _sections(number_format or "General")[:3]  # a fourth section is for text
    first = sections[0].condition
    second = sections[1].condition if len(sections) >= 2 else None
    if first is None and second is None:
        if number < 0 and len(sections) >= 2:
            return sections[1], True
        if number == 0 and len(sections) >= 3:
            return sections[2], True
        return sections[0], False
    if _meets(number, first or ((">", 0.0) if len(sections) >= 3 else (">=", 0.0))):
        return sections[0], _negative_only(first)
    if len(sections) >= 2 and (second is None and len(sections) == 2
                               or _meets(number, second or ("<", 0.0))):
        return sections[1], second is None or _negative_only(second)
    if len(sections) >= 3:
        return sections[2], False
    return sections[0], False


def _meets(number: float, condition: tuple[str, float]) -> bool:
    operator, bound = condition
    return {"<": number < bound, "<=": number <= bound, ">": number > bound, ">=": number >= bound,
            "=": number == bound, "<>": number != bound}[operator]


def _negative_only(condition: tuple[str, float] | None) -> bool:
    """Whether a condition takes only numbers at or below zero, so its section supplies the sign."""
    return condition is not None and condition[0] in ("<", "<=") and condition[1] <= 0


@dataclass(frozen=True)
class _Plan:
    """One section of a number format, analysed once (formats repeat across thousands of cells)."""

    kind: str  # "general", "date", "time", "literal", "number", "hidden"
    literal: str = ""
    percent: int = 0
    decimals: int = 0
    grouped: bool = False
    thousands: int = 0
    strip_zeros: bool = False
    drop_leading_zero: bool = False
    before: str = ""
    after: str = ""
    condition: tuple[str, float] | None = None  # ("<", 1000.0) for a section that starts "[<1000]"
    # scientific ("0.00E+00"): the mantissa's digit places before the point (more than one makes the
    # exponent a multiple of them: "##0.0E+0" is engineering notation), the zeros among them, the
    # exponent's letter ("E+", "E-", "e+"...) and its zero-padded width
    mantissa_places: int = 0
    mantissa_zeros: int = 0
    exponent_sign: str = ""
    exponent_width: int = 0
    # a fraction ("# ?/?", "?/8"): the whole-number code ("" for none), the spaces after it, the
    # numerator's and denominator's codes (digits for a fixed denominator)
    fraction: tuple[str, str, str, str] | None = None


_SECTION_PARTS = re.compile(r'"[^"]*"|\\.|;|[^"\\;]+|["\\]')
_HIDDEN = _Plan("hidden")


@lru_cache(maxsize=1024)
def _sections(number_format: str) -> tuple[_Plan, ...]:
    """The sections of a format, split at the ``;`` that are not quoted or escaped; empty ones hide."""
    sections, current = [], []
    for part in _SECTION_PARTS.findall(number_format):
        if part == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(part)
    sections.append("".join(current))
    if len(sections) == 1 and not sections[0]:
        return (_Plan("general"),)
    return tuple(_compile(section) if section else _HIDDEN for section in sections)


_CURRENCY = re.compile(r"\[\$([^\]\-]*)(?:-[^\]]*)?\]")
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\]")
_SCIENTIFIC = re.compile(r"([0#?][0#?,]*)?(\.[0#?]*)?([Ee][+-])([0#?]+)")
_FRACTION = re.compile(r"(?:([0#?]+)( +))?([0#?]+)/([0#?]+|[1-9]\d*)")
_NUMBER_CODE = r"[0#?][0#?,.]*"
_SCIENTIFIC_CODE = r"(?:[0#?][0#?,]*)?(?:\.[0#?]*)?[Ee][+-][0#?]+"
_FRACTION_CODE = r"(?:[0#?]+ +)?[0#?]+/(?:[0#?]+|[1-9]\d*)"


def _unquoted(change: Callable[[str], str], section: str) -> str:
    """``change`` applied to the parts of a section outside quoted text and escaped characters."""
    parts = re.split(r'("[^"]*"|\\.)', section)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


def _compile(section: str) -> _Plan:
    """One section's plan. A locale tag ``[$£-809]`` shows its text (``£``) and ``[$-809]`` nothing;
    a condition ``[>=1000]`` is kept for :func:`_choose`; colours and other tags show nothing."""
    if section.lower() == "general" or section == "@":
        return _Plan("general")
    found = _CONDITION.search(_ESCAPED.sub("", _QUOTED.sub("", section)))  # a condition, not quoted text
    condition = (found.group(1), float(found.group(2))) if found else None
    if is_date_format(section):
        literal = _unquoted(lambda text: _FILLERS.sub("", _BRACKETS.sub("", text)), section)
        probe = _ESCAPED.sub("", _QUOTED.sub("", literal))
        return _Plan("date" if re.search(r"[dy]", probe, re.IGNORECASE) else "time", literal, condition=condition)
    # a currency's text in a locale tag is literal text (escaped character by character); colours,
    # conditions and other tags show nothing; quoted text is kept as it is
    literal = _unquoted(lambda text: _FILLERS.sub("", _BRACKETS.sub("", _CURRENCY.sub(
        lambda tag: "".join("\\" + ch for ch in tag.group(1)), text))), section)
    probe = _ESCAPED.sub("", _QUOTED.sub("", literal))
    if re.search("general", probe, re.IGNORECASE):  # "(General)", 'General" mins"': General with text
        before, after = _split_literal(literal, "(?i:general)")
        return _Plan("general", literal, before=_unquote(before), after=_unquote(after), condition=condition)
    scientific = _SCIENTIFIC.search(probe)
    if scientific and (scientific.group(1) or scientific.group(2)):
        integer_part = (scientific.group(1) or "").replace(",", "")
        decimals = min(len(scientific.group(2)) - 1 if scientific.group(2) else 0, 30)
        before, after = _split_literal(literal, _SCIENTIFIC_CODE)
        return _Plan(
            "number", literal, percent=min(probe.count("%"), 8), decimals=decimals,
            strip_zeros=bool(decimals and "#" in scientific.group(2)),
            before=_unquote(before), after=_unquote(after), condition=condition,
            mantissa_places=max(len(integer_part), 1), mantissa_zeros=min(integer_part.count("0"), 30),
            exponent_sign=scientific.group(3), exponent_width=min(scientific.group(4).count("0"), 30))
    fraction = _FRACTION.search(probe)
    if fraction:
        whole, gap, numerator, denominator = (part or "" for part in fraction.groups())
        if len(denominator) > 7 and not denominator.isdigit():  # Excel allows denominators of up to 7 digits
            denominator = "?" * 7
        before, after = _split_literal(literal, _FRACTION_CODE)
        return _Plan("number", literal, percent=min(probe.count("%"), 8), before=_unquote(before),
                     after=_unquote(after), condition=condition,
                     fraction=(whole, gap, numerator[:30], denominator[:30]))
    digits = re.search(r"[0#?][0#?,]*(\.[0#?]*)?(,*)", probe)
    if not digits:
        return _Plan("literal", _unquote(literal), condition=condition)
    spec = digits.group(0)[: len(digits.group(0)) - len(digits.group(2))]
    integer_part = spec.split(".")[0]
    decimals = min(len(digits.group(1)) - 1 if digits.group(1) else 0, 30)  # Excel shows at most 30
    before, after = _split_literal(literal, _NUMBER_CODE)
    return _Plan(
        "number", literal, percent=min(probe.count("%"), 8), decimals=decimals,
        grouped="," in integer_part.rstrip(","),
        thousands=min(len(integer_part) - len(integer_part.rstrip(",")) + len(digits.group(2)), 8),
        strip_zeros=bool(decimals and "#" in digits.group(1)),
        drop_leading_zero=bool(decimals and "0" not in integer_part),
        before=_unquote(before), after=_unquote(after), condition=condition,
    )


_WIDE = Context(prec=400, Emax=10_000, Emin=-10_000)


def _render(plan: _Plan, number: float, signed: bool) -> str:
    if plan.kind == "hidden":
        return ""
    if plan.kind == "general" and (plan.before or plan.after):  # KB Q67469: -5 under [<0](General) is (5)
        return f"{'-' if number < 0 and not signed else ''}{plan.before}{_general(abs(number))}{plan.after}"
    if plan.kind == "general":
        return ("-" if signed and number < 0 else "") + _general(abs(number) if signed else number)
    if plan.kind == "date":
        return _date_text(plan.literal, number)
    if plan.kind == "time":
        return ("-" if number < 0 else "") + _time_text(plan.literal, abs(number))
    if plan.kind == "literal":
        return plan.literal
    magnitude = Decimal(repr(abs(number))) * 100**plan.percent / 1000**plan.thousands
    sign = "-" if number < 0 and not signed else ""
    if plan.exponent_sign:
        return f"{sign}{plan.before}{_scientific(plan, magnitude)}{plan.after}"
    if plan.fraction:
        return f"{sign}{plan.before}{_fraction(plan.fraction, magnitude)}{plan.after}"
    # Excel rounds half away from zero (Python's format rounds half to even).
    rounded = magnitude.quantize(_QUANTUM[plan.decimals], rounding=ROUND_HALF_UP, context=_WIDE)
    body = f"{rounded:{',' if plan.grouped else ''}.{plan.decimals}f}"
    if plan.strip_zeros:
        body = body.rstrip("0").rstrip(".")
    if plan.drop_leading_zero and body.startswith("0") and magnitude < 1:
        body = body[1:]
    return f"{sign}{plan.before}{body}{plan.after}"


def _scientific(plan: _Plan, magnitude: Decimal) -> str:
    """``1234`` under ``0.00E+00`` is ``1.23E+03``; under ``##0.0E+0`` ``1.2E+3`` (with a ``#`` before the
    point the exponent is a multiple of the mantissa's digit places: engineering notation); with only
    zeros before the point (``00.00E+00``) the mantissa fills them (``12.35E+03``); ``E-`` shows the
    exponent's sign only when it is negative."""
    places, exponent = plan.mantissa_places, 0
    rounded = Decimal(0).quantize(_QUANTUM[plan.decimals])
    if magnitude:
        exponent = magnitude.adjusted() // places * places if plan.mantissa_zeros < places \
            else magnitude.adjusted() - places + 1
        rounded = magnitude.scaleb(-exponent, _WIDE).quantize(_QUANTUM[plan.decimals], ROUND_HALF_UP, _WIDE)
        if rounded >= 10**places:  # 9.996 shown with two decimals is 10.00: one more power of ten
            exponent += places if plan.mantissa_zeros < places else 1
            rounded = magnitude.scaleb(-exponent, _WIDE).quantize(_QUANTUM[plan.decimals], ROUND_HALF_UP, _WIDE)
    body = f"{rounded:.{plan.decimals}f}"
    if plan.strip_zeros:
        body = body.rstrip("0").rstrip(".")
    whole, point, decimals = body.partition(".")
    whole = whole.lstrip("0").rjust(plan.mantissa_zeros, "0")
    exponent_sign = "-" if exponent < 0 else "+" if plan.exponent_sign[1] == "+" else ""
    return f"{whole}{point}{decimals}{plan.exponent_sign[0]}{exponent_sign}{abs(exponent):0{plan.exponent_width}d}"


def _fraction(fraction: tuple[str, str, str, str], magnitude: Decimal) -> str:
    """``1.5`` under ``# ?/?`` is ``1 1/2``; under ``?/?`` ``3/2``; under ``# ?/8`` ``1 4/8``.

    A variable denominator (``?/?`` up to 9, ``??/??`` up to 99) is the best approximation with that
    many digits; a fixed one (``/8``, ``/100``) is used as written, the numerator rounded half away
    from zero. As in Excel, ``?`` codes pad with spaces (so fractions line up in a column) and a whole
    number with no fraction left shows spaces where the fraction would be: the text keeps those spaces.
    """
    whole_code, gap, numerator_code, denominator_code = fraction
    exact = Fraction(magnitude)
    if denominator_code.isdigit():
        denominator = int(denominator_code)
        total = int((magnitude * denominator).quantize(Decimal(1), ROUND_HALF_UP, _WIDE))
        whole, numerator = divmod(total, denominator) if whole_code else (0, total)
    else:
        whole = math.floor(exact) if whole_code else 0
        approximation = (exact - whole).limit_denominator(10 ** len(denominator_code) - 1)
        numerator, denominator = approximation.numerator, approximation.denominator
        if whole_code and numerator == denominator:  # 0.99 with one digit is 1/1: the next whole number
            whole, numerator = whole + 1, 0
    if not whole_code:
        return f"{_pad(numerator, numerator_code)}/{_pad(denominator, denominator_code, right=True)}"
    whole_text = str(whole) if whole or numerator == 0 or "0" in whole_code else ""
    if numerator == 0:  # no fraction left: "?" codes still hold its place with spaces
        if "?" not in numerator_code + denominator_code:
            return whole_text
        return f"{whole_text}{gap}{' ' * (len(numerator_code) + 1 + len(denominator_code))}"
    return (f"{whole_text}{gap}{_pad(numerator, numerator_code)}/"
            f"{_pad(denominator, denominator_code, right=True)}")


def _pad(number: int, code: str, right: bool = False) -> str:
    """A numerator or denominator in its code's width: ``0`` pads with zeros, ``?`` with spaces."""
    if code.isdigit():
        return str(number)
    text = str(number).rjust(code.count("0"), "0") if not right else str(number)
    if "?" in code:
        text = text.ljust(len(code)) if right else text.rjust(len(code))
    return text


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(0, 31)}


def _unquote(fragment: str) -> str:
    return _QUOTED.sub(r"\1", _ESCAPED.sub(r"\1", fragment))


def _split_literal(literal: str, code: str) -> tuple[str, str]:
    """Split a format into the text before and after its digit placeholders (``code``), honouring quotes."""
    pieces = re.findall(rf'"[^"]*"|\\.|{code}|.', literal)
    before, after, seen = [], [], False
    for piece in pieces:
        if re.fullmatch(code, piece):
            seen = True
            continue
        (after if seen else before).append(piece)
    return "".join(before), "".join(after)


__all__ = ["display_text", "format_scale", "format_section"]

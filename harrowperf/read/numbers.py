"""Numbers as people type them in cells: the one lexer under the scorecard value grammar and the budget amount grammar.

Where is "1,234.5" or "(£1.2m)" taken apart? Here: the pieces each grammar builds its rules
from, and the conversions from what was matched to a number.

==============  ===========================================================================
DIGITS          an unsigned number: "1,234.5" (thousands separated by commas), "33000", ".5"
SIGNS, SIGNED   "-", "+" or the typographic minus "−"; DIGITS with an optional sign before it
PERCENT         "%"
CURRENCY        a pound prefix: "£" or "GBP" (with one optional space after it)
OPEN, CLOSE     brackets around a negative amount: "(1,234)"
SCALES          scale words and what they multiply by: k, m, mn, million(s), bn, billion
==============  ===========================================================================

Every pattern is built from single characters, fixed words and simple repeats, with no
quantifier inside another that could re-split the same text, so matching takes time in
proportion to the text however long and odd it is (tests/test_numbers.py checks this).
"""

from __future__ import annotations

import re

MINUS = "−"  # the typographic minus sign, as Word and Excel autocorrect print it
SIGNS = f"-+{MINUS}"
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
SIGNED = rf"[{SIGNS}]?(?:{DIGITS})"
PERCENT = "%"
CURRENCY = r"£|gbp\s?"
OPEN, CLOSE = r"\(", r"\)"

SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6, "bn": 1e9, "billion": 1e9}

_DECIMALS = re.compile(r"\.(\d+)")


def scale_words(*words: str) -> str:
    """A pattern matching any of the given scale words (longest first): scale_words("k", "m") -> "k|m"."""
    unknown = [word for word in words if word.lower() not in SCALES]
    if unknown:
        raise ValueError(f"not a scale word: {unknown[0]!r}; the words are {sorted(SCALES)}")
    return "|".join(sorted(words, key=len, reverse=True))


def scale_of(word: str | None) -> float | None:
    """What a scale word multiplies by ("k" -> 1000.0, "Million" -> 1e6); None for no word or an unknown one."""
    return SCALES.get((word or "").lower())


def to_number(text: str) -> float:
    """The number a matched DIGITS or SIGNED text stands for: "1,234.5" -> 1234.5, "−3" -> -3.0.

    >>> to_number("−1,234.50")
    -1234.5
    """
    return float(text.replace(",", "").replace(MINUS, "-"))


def decimals(text: str) -> int:
    """How many decimal places a printed number shows: "1,234.50" -> 2, "£3m" -> 0."""
    match = _DECIMALS.search(text)
    return len(match.group(1)) if match else 0

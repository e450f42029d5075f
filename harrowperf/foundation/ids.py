"""Stable keys: the measure_id slug every reader uses for a measure's name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=16384)  # a name recurs in every quarter and every workbook
def measure_slug(name: str) -> str:
    """Stable key for a measure name: lower-case words joined by "-" ("% of calls" -> "pct-of-calls").

    A name with letters outside the Latin alphabet (Arabic, Chinese, Cyrillic...) keeps its Latin
    words and ends with a short hash of the whole name, so such names never share a key, and a name
    with no Latin word at all still has one:

    >>> measure_slug("% of calls answered"), measure_slug("住民満足度")
    ('pct-of-calls-answered', 'm-328ae202')
    """
    text = str(name).replace("%", " pct ").replace("&", " and ").replace("£", " gbp ")
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower()))
    # every ASCII letter is Latin: only other names need the look-up of each letter's script
    if not text.isascii() and any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN")
                                  for ch in str(name)):
        digest = "m-" + hashlib.sha256(str(name).encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug

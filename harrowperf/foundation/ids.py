"""Stable keys: the measure_id slug every reader uses for a measure's name."""

from __future__ import annotations

import re


def measure_slug(name: str) -> str:
    """Stable key for a measure name: lower-case words joined by "-" ("% of calls" -> "pct-of-calls")."""
    text = str(name).replace("%", " pct ").replace("&", " and ").replace("£", " gbp ")
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))

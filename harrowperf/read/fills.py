"""RAG codes as services report them: typed as text ("High Green", "hg") or given only by a cell's fill.

Where is a reported RAG read? Here. Where is a RAG decided from target and actual? ``analyse.rag``.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

from harrowperf.foundation.conventions import settings
from harrowperf.read.values import RAG_CODES


def normalise_code(text: str | None) -> str | None:
    """"hg", "High Green", "Amber" -> "HG", "HG", "A"; anything else -> None."""
    if not isinstance(text, str):
        return None
    return RAG_CODES.get(" ".join(text.split()).upper())


def colour_group(code: str | None) -> str | None:
    """"HG" -> "green", "A" -> "amber", "LR" -> "red" (from conventions/rag.toml)."""
    return settings().rag.groups.get(code or "")


@lru_cache(maxsize=4096)
def code_from_fill(rgb: str | None) -> str | None:
    """Read a cell fill colour ("RRGGBB") as a RAG code, or None if it is not a RAG colour.

    Hue decides red/amber/green and lightness high/low, with the bands in
    ``conventions/rag.toml`` ``[fill_matching]``; greys and white give None.
    """
    if not rgb or len(rgb) != 6:
        return None
    try:
        red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    rules = settings().rag.fill_matching
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    hue *= 360
    if saturation < rules.min_saturation or lightness > 0.97 or lightness < 0.08:
        return None

    def within(bands: tuple[tuple[float, float], ...]) -> bool:
        return any(low <= hue < high for low, high in bands)

    if within(rules.green_hues):
        return "LG" if lightness >= rules.light_green_from else "HG"
    if within(rules.amber_hues):
        return "A"
    if within(rules.red_hues):
        return "LR" if lightness >= rules.light_red_from else "HR"
    return None

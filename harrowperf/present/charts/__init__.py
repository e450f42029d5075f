"""Altair chart functions, one module per analysis; the colour scales they share are defined here."""

from __future__ import annotations

import altair as alt

from harrowperf.foundation.conventions import conventions
from harrowperf.foundation.schema import RAG_ORDER


def rag_colour_scale() -> alt.Scale:
    """Colour-blind-safe RAG colours from conventions/rag.toml, in the council's order (best first)."""
    palette = conventions("rag")["chart_colours"]
    return alt.Scale(domain=RAG_ORDER, range=[palette[code] for code in RAG_ORDER])

"""Altair chart functions, one module per analysis; every chart takes its colours from :func:`palette`."""

from __future__ import annotations

import altair as alt

from harrowperf.foundation.conventions import conventions
from harrowperf.foundation.schema import RAG_ORDER

# where each palette is kept: conventions/<file>.toml, [table]
_PALETTES = {"rag": ("rag", "chart_colours"), "budget": ("budget", "chart_colours"),
             "benchmark": ("benchmark", "chart_colours"), "spc": ("spc", "colours")}


def palette(name: str) -> dict[str, str]:
    """The chart colours of ``name`` ("rag", "budget", "benchmark" or "spc"), by what they colour: the one
    place charts get colours (kept as data in ``harrowperf/conventions/*.toml``)."""
    file, table = _PALETTES[name]
    return dict(conventions(file)[table])


def rag_colour_scale() -> alt.Scale:
    """Colour-blind-safe RAG colours from conventions/rag.toml, in the council's order (best first)."""
    colours = palette("rag")
    return alt.Scale(domain=RAG_ORDER, range=[colours[code] for code in RAG_ORDER])

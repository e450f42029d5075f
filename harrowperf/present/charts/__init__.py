"""Altair chart functions, one module per analysis; the RAG order they share is defined here."""

from __future__ import annotations

from harrowperf.foundation.schema import RAG_ORDER

__all__ = ["RAG_ORDER"]

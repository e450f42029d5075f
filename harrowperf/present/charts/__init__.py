"""Altair chart functions, one module per analysis; the RAG order they share is defined here."""

from __future__ import annotations

RAG_ORDER = ["HG", "LG", "G", "A", "LR", "HR", "R"]

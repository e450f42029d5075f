"""Council conventions (RAG bands, colours, thresholds, rule lengths), read from the TOML files in conventions/."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def conventions(name: str) -> dict[str, Any]:
    """The parsed ``conventions/<name>.toml`` shipped with the package (cached; do not mutate)."""
    text = resources.files("harrowperf").joinpath("conventions", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)

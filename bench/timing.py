"""Timing shared by the benchmarks: each function's best time over several rounds, run in turn."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def interleaved(functions: dict[str, Callable[[], Any]], repeats: int,
                clock: Callable[[], float] = time.perf_counter) -> tuple[dict[str, float], dict[str, Any]]:
    """Best time of each function over ``repeats`` rounds, and what each returned.

    The functions run in turn within each round, so a burst of load from other jobs on the machine
    hits all of them alike; the best of many rounds is what the code costs. ``clock`` is wall time by
    default; ``time.process_time`` measures only this process's CPU (for single-threaded work on a
    shared machine).
    """
    best = dict.fromkeys(functions, float("inf"))
    results: dict[str, Any] = {}
    for _ in range(repeats):
        for name, function in functions.items():
            start = clock()
            results[name] = function()
            best[name] = min(best[name], clock() - start)
    return best, results

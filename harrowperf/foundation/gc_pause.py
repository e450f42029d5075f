"""Pausing Python's cyclic garbage collector while a reader builds a workbook's many small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the ``with`` block (or a decorated function).

    Reading a workbook makes hundreds of thousands of short-lived dicts and tuples that hold no
    cycles, so reference counting frees them; but each batch of new objects also sets off the
    collector, whose passes over everything already in memory took about a third of a large
    scorecard read (``bench/bench_read_scorecard.py``: 0.53 s with it, 0.37 s without). Only objects
    in cycles, which the readers hardly make, wait for it. It is switched back on afterwards, also
    when the read fails, unless it was already off.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            # the one pass over the young objects that the paused collector owes, made here so that
            # the read pays for it rather than whatever runs next
            gc.collect(0)

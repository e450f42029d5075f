"""The data files this process has read, with their SHA-256 checksums: what a report page was made from.

Every function that reads a data file for an analysis calls :func:`record_read`: the clean frames of
``data/clean`` (``scorecard.parquet``, ``budget.parquet``, ``quality.csv`` ...), the public datasets of
``data/raw/benchmark``, the measure catalogue ``data/measures.csv`` and the comparator groups
``data/groups.csv``. A clean frame names the raw files it was made from (its ``source`` column); they
are recorded with it (``sources``), so a page can list the workbooks behind the clean data it read.

:func:`reads` gives what this process has read so far. When the environment variable
``HARROWPERF_READS`` names a file (the quarterly run sets it for each notebook's kernel), every read
is also appended to that file as one line of JSON, so the run lists on each report page the files that
page read, and no others (:func:`load_reads` reads the file back).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

READS_VARIABLE = "HARROWPERF_READS"


@dataclass(frozen=True)
class Read:
    """One file read: its absolute path, its SHA-256 and, for a clean frame, the raw files it was made from."""

    path: str
    sha256: str
    sources: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "sha256": self.sha256, "sources": list(self.sources)}


_READS: dict[str, Read] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (hex), remembered while the file's size and time are unchanged."""
    resolved = Path(path).resolve()
    status = resolved.stat()
    key = (str(resolved), status.st_size, status.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with resolved.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def record_read(path: str | Path, sources: Iterable[object] = ()) -> None:
    """Note that ``path`` was read (and, for a clean frame, the raw files named in ``sources``).

    Never fails a read: a file that vanished since is not recorded.
    """
    try:
        resolved = Path(path).resolve()
        entry = Read(str(resolved), sha256(resolved),
                     tuple(sorted({str(s) for s in sources if isinstance(s, str) and s})))
    except OSError:
        return
    previous = _READS.get(entry.path)
    if previous is not None:
        entry = Read(entry.path, entry.sha256, tuple(sorted({*previous.sources, *entry.sources})))
        if entry == previous:
            return
    _READS[entry.path] = entry
    log = os.environ.get(READS_VARIABLE)
    if log:
        try:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry.as_dict()) + "\n")
        except OSError:
            pass


def reads() -> list[Read]:
    """Every file this process has read so far (see :func:`record_read`), in the order first read."""
    return list(_READS.values())


def load_reads(log: str | Path) -> list[Read]:
    """The reads written to a ``HARROWPERF_READS`` file, one per file (sources merged), in the order first read.

    A missing file gives no reads; a line that is not a read (cut short) is skipped.
    """
    found: dict[str, Read] = {}
    try:
        lines = Path(log).read_text("utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            entry = json.loads(line)
            read = Read(str(entry["path"]), str(entry["sha256"]), tuple(str(s) for s in entry.get("sources", [])))
        except (ValueError, KeyError, TypeError):
            continue
        before = found.get(read.path)
        found[read.path] = read if before is None else Read(
            read.path, read.sha256, tuple(sorted({*before.sources, *read.sources})))
    return list(found.values())

"""Put a finished run into reports/: a failed run never replaces a good report; index pages kept current.

A run is written to a hidden staging folder beside ``reports/<quarter>/`` and moved into place
whole (:func:`publish`). When the quarter already has a good report and the new run has a failed
notebook, the new run goes to ``reports/<quarter>.failed/`` instead and the good report's index
points to it. :class:`QuarterLock` keeps two runs of one quarter from writing at once.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from harrowperf.foundation.errors import RunError
from harrowperf.foundation.periods import QUARTER_FREQ, to_quarter

FAILED_SUFFIX = ".failed"
RUN_RECORD = "run.json"


class QuarterLock:
    """Refuse to start while another run of the same quarter writes to the same reports folder."""

    def __init__(self, out: Path, slug: str) -> None:
        self.path = out / f".{slug}.lock"

    def __enter__(self) -> QuarterLock:
        for _ in range(2):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if self._holder_alive():
                    raise RunError(f"another run of this quarter is in progress ({self.path} exists; "
                                   "delete it if no run is going on)") from None
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            self._remove_stale_staging()
            return self
        raise RunError(f"could not take the run lock {self.path}")

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)

    def _holder_alive(self) -> bool:
        try:
            pid = int(self.path.read_text().strip())
        except (OSError, ValueError):
            return False
        if pid == os.getpid():
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except (PermissionError, OSError):
            return True
        return True

    def _remove_stale_staging(self) -> None:
        slug = self.path.name.removeprefix(".").removesuffix(".lock")
        for leftover in self.path.parent.glob(f".{slug}.*.partial"):
            shutil.rmtree(leftover, ignore_errors=True)



def carry_over(previous: Path, staging: Path, running: set[str]) -> list[dict[str, Any]]:
    """Copy the previous reports of notebooks not in this run; return their run.json entries.

    Reports of notebooks that no longer exist are dropped.
    """
    record = read_record(previous)
    if record is None:
        return []
    kept = []
    for entry in record.get("notebooks", []):
        if entry["name"] in running or not Path(entry.get("source", "")).is_file():
            continue
        files = [previous / entry["html"], previous / entry["ipynb"]]
        if all(f.exists() for f in files):
            for file in files:
                shutil.copy2(file, staging / file.name)
            kept.append(entry)
    return kept



def publish(staging: Path, out: Path, slug: str, record: dict[str, Any]) -> Path:
    """Move the finished run into place; a failed run never replaces a good one."""
    from harrowperf.pipeline.pages import render_quarter_index

    final, failed = out / slug, out / f"{slug}{FAILED_SUFFIX}"
    previous = read_record(final)
    keep_previous = record["status"] != "ok" and previous is not None and previous["status"] == "ok"
    if keep_previous:
        (staging / "index.html").write_text(
            render_quarter_index(record, failed_run_of=f"../{slug}/index.html"), "utf-8")
        replace_dir(staging, failed)
        write_quarter_index(final, previous, later_failure={
            "href": f"../{slug}{FAILED_SUFFIX}/index.html", "finished": record["finished"]})
        return failed
    (staging / "index.html").write_text(render_quarter_index(record), "utf-8")
    replace_dir(staging, final)
    shutil.rmtree(failed, ignore_errors=True)
    return final



def write_quarter_index(folder: Path, record: dict[str, Any], **links: Any) -> None:
    from harrowperf.pipeline.pages import render_quarter_index

    write_atomic(folder / "index.html", render_quarter_index(record, **links))



def replace_dir(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``; the old ``target`` is removed only once the new one is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(target, old)
    try:
        os.replace(source, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)



def write_site_index(out: Path) -> None:
    """Rewrite reports/index.html from the run.json of every quarter folder."""
    from harrowperf.pipeline.pages import render_site_index

    runs = []
    for folder in out.iterdir():
        if not folder.is_dir() or folder.name.startswith(".") or folder.name.endswith(FAILED_SUFFIX):
            continue
        record = read_record(folder)
        if record is None:
            continue
        entry = {**record, "href": f"{folder.name}/index.html"}
        failed = read_record(out / f"{folder.name}{FAILED_SUFFIX}")
        if failed is not None:
            entry["failed_attempt"] = {"href": f"{folder.name}{FAILED_SUFFIX}/index.html",
                                       "finished": failed.get("finished")}
        runs.append(entry)
    runs.sort(key=lambda r: _period_key(r.get("quarter")), reverse=True)
    write_atomic(out / "index.html", render_site_index(runs))



def read_record(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / RUN_RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return None



def write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)



def folder_mode() -> int:
    """0o777 less the process umask: what a folder made with mkdir would get."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask



def _period_key(label: str | None) -> Any:
    import pandas as pd

    try:
        return to_quarter(label or "")
    except ValueError:
        return pd.Period("1900Q1", freq=QUARTER_FREQ)



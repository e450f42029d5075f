"""Progress of the quarterly run: a bar per running notebook in a terminal, plain lines in a log."""

from __future__ import annotations

import queue
import threading
from typing import Any, TextIO


class RunProgress:
    """A bar per running notebook (cells done) under a bar of notebooks; plain lines when not a terminal."""

    def __init__(self, names: list[str], jobs: int, stream: TextIO) -> None:
        self.stream = stream
        self.total = len(names)
        self.width = max(len(n) for n in names)
        self.done = 0
        self.lock = threading.Lock()
        self.slots: queue.Queue[int] = queue.Queue()
        for slot in range(1, jobs + 1):
            self.slots.put(slot)
        self.taken: dict[str, int] = {}
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())
        self.overall = None
        if self.interactive:
            from tqdm import tqdm

            self.overall = tqdm(total=self.total, desc="notebooks".ljust(self.width), unit="nb",
                                position=0, file=stream, leave=True, dynamic_ncols=True)

    def start(self, name: str) -> dict[str, Any] | bool:
        """Take a bar position for a notebook; return papermill's ``progress_bar`` argument for this notebook.

        The bar is drawn by the notebook's own process, on its standard error (the run's terminal),
        so the argument holds no stream.
        """
        slot = self.slots.get()
        with self.lock:
            self.taken[name] = slot
            if not self.interactive:
                print(f"{name}: started", file=self.stream, flush=True)
        if not self.interactive:
            return False
        return {"desc": name.ljust(self.width), "position": slot, "leave": False, "dynamic_ncols": True}

    def finish(self, name: str, result: Any) -> None:
        """Report a finished notebook (a run.NotebookResult: status, cells, duration_seconds, failure)."""
        with self.lock:
            self.done += 1
            state = "done" if result.status == "ok" else "FAILED"
            line = (f"{name}: {state}, {result.cells} cells in {result.duration_seconds:.1f} s"
                    + (f" - {result.failure['error']}" if result.failure else ""))
            if self.overall is not None:
                self.overall.write(line, file=self.stream)
                self.overall.update(1)
            else:
                print(f"[{self.done}/{self.total}] {line}", file=self.stream, flush=True)
            self.slots.put(self.taken.pop(name))

    def close(self) -> None:
        if self.overall is not None:
            self.overall.close()


